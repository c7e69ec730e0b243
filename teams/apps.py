from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from wellbeing.accounts import registry

        from . import services

        registry.mfa_required_checks.append(services.user_coaches_a_team)
        registry.invitation_accepted_hooks.append(services.team_invitation_fulfil)
        registry.invitation_describers.append(services.team_invitation_describe)
