from django.db import migrations

# The roles self-managed care teams most often share out (Buurtzorg's and Wellbeing Teams').
ROLE_TEMPLATES = [
    (
        "Rota coordinator",
        "Makes sure the team's rota is planned, fair and published on time.",
        "Leads the weekly planning with the team\nSpots gaps and unfilled visits early\n"
        "Keeps continuity: the same few faces for each person",
        6,
    ),
    (
        "Informer",
        "Keeps everyone in the team up to date, so nobody misses what matters.",
        "Shares news from the organisation and the coach\nKeeps the team's notes and minutes\n"
        "Makes sure new information reaches people on leave",
        12,
    ),
    (
        "Wellbeing lead",
        "Looks after how the team is doing, as people and as a team.",
        "Keeps an eye on the team health pulse with the coach\nSuggests ways to rest and recover\n"
        "Makes sure difficult days are talked about",
        12,
    ),
    (
        "Recruitment lead",
        "Brings new colleagues in by our values.",
        "Works with HQ on recruitment rounds\nJoins the values-based workshop panel\n"
        "Makes sure new colleagues are welcomed",
        12,
    ),
    (
        "Buddy for a new colleague",
        "Helps a new colleague find their feet in their first months.",
        "Shadows and is shadowed on visits\nIs the first person to ask\n"
        "Checks in weekly for the first three months",
        3,
    ),
    (
        "Learning lead",
        "Keeps the team's skills and training up to date.",
        "Tracks mandatory training\nArranges learning the team asks for\n"
        "Shares what was learnt at team meetings",
        12,
    ),
]


def add_templates(apps, schema_editor):
    RoleTemplate = apps.get_model("teams", "RoleTemplate")
    for order, (name, purpose, accountabilities, months) in enumerate(ROLE_TEMPLATES):
        RoleTemplate.objects.get_or_create(
            name=name,
            defaults={
                "purpose": purpose,
                "accountabilities": accountabilities,
                "suggested_term_months": months,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_teams_run_themselves")]

    operations = [migrations.RunPython(add_templates, migrations.RunPython.noop)]
