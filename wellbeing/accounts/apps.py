from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wellbeing.accounts"
    label = "accounts"
    verbose_name = "Accounts"
