from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from values import registry as values_registry
        from wellbeing.accounts import registry

        from . import permissions, services

        registry.mfa_required_checks.append(services.coached_teams)
        registry.invitation_accepted_hooks.append(services.team_invitation_fulfil)
        registry.invitation_describers.append(services.team_invitation_describe)
        # A story may name a team only its author sees, and is read by whoever sees that team.
        values_registry.story_team_choices = permissions.teams_visible_to
        values_registry.coach_checks.append(services.user_coaches_a_team)
