from django.db import migrations

# The team health pulse's statements; the organisation changes them in the admin.
STATEMENTS = [
    ("purpose", "We know what our team is here for, and it matters to us."),
    ("workload", "Our workload is manageable."),
    ("deciding-together", "We make decisions together, and they stick."),
    ("supporting-each-other", "We support each other when things get hard."),
    ("own-wellbeing", "I am looking after my own wellbeing."),
    ("learning", "We are learning and getting better at what we do."),
    ("coach-support", "Our coach gives us the support we need."),
    ("people-served", "The people we support are well served by us."),
]


def add_statements(apps, schema_editor):
    PulseStatement = apps.get_model("teams", "PulseStatement")
    for order, (key, text) in enumerate(STATEMENTS):
        PulseStatement.objects.get_or_create(key=key, defaults={"text": text, "order": order})


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_default_role_templates")]

    operations = [migrations.RunPython(add_statements, migrations.RunPython.noop)]
