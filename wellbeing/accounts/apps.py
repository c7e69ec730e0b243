from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wellbeing.accounts"
    label = "accounts"
    # allauth's own app is called "Accounts" in the admin too.
    verbose_name = "Users and access"

    def ready(self) -> None:
        from allauth.mfa import signals as mfa_signals

        from . import checks, signals  # noqa: F401 - checks register themselves

        mfa_signals.authenticator_added.connect(
            signals.authenticator_added, dispatch_uid="accounts-mfa-added"
        )
        mfa_signals.authenticator_removed.connect(
            signals.authenticator_removed, dispatch_uid="accounts-mfa-removed"
        )
