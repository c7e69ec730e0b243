from django.apps import AppConfig


class WellbeingConfig(AppConfig):
    """The composition root: commands that span every app, such as the demo data."""

    name = "wellbeing"
    verbose_name = "Wellbeing"
