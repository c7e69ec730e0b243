from django.db import migrations

ROLES = ["Wellbeing worker", "Coach", "Community circle connector"]


def add_roles(apps, schema_editor):
    JobRole = apps.get_model("recruitment", "JobRole")
    for name in ROLES:
        JobRole.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("recruitment", "0002_candidate_stage_times")]

    operations = [migrations.RunPython(add_roles, migrations.RunPython.noop)]
