from django.apps import AppConfig


class ValuesConfig(AppConfig):
    name = "values"
    verbose_name = "Values"

    def ready(self) -> None:
        from django.urls import reverse

        from wellbeing import demo, navigation

        navigation.register(navigation.NavEntry("Values", 20, lambda user: reverse("values:index")))
        # Demo data for `make run`, made after the apps it builds on.
        demo.register("values", _seed_demo_values, after=["teams"])


def _seed_demo_values(context):
    from .demo import seed_values

    seed_values(context)
