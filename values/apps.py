from django.apps import AppConfig


class ValuesConfig(AppConfig):
    name = "values"
    verbose_name = "Values"
