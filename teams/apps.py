from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "teams"
    verbose_name = "Teams"

    def ready(self) -> None:
        from django.urls import reverse

        from values import registry as values_registry
        from wellbeing import demo, navigation
        from wellbeing.accounts import registry

        from . import permissions, services
        from .rota.registration import register as register_rota

        registry.mfa_required_checks.append(permissions.teams_coached_by)
        registry.invitation_accepted_hooks.append(services.team_invitation_fulfil)
        registry.invitation_describers.append(services.team_invitation_describe)
        # A story may name a team only its author sees, and is read by whoever sees that team.
        values_registry.story_team_choices = permissions.teams_visible_to
        values_registry.coaches = permissions.coaches
        navigation.register(navigation.NavEntry("Teams", 10, lambda user: reverse("teams:list")))
        navigation.register(
            navigation.NavEntry(
                "Invite people",
                900,
                lambda user: reverse("teams:invitations") if user.is_org_admin else None,
            )
        )
        # Demo data for `make run`, made after the apps it builds on.
        demo.register("teams", _seed_demo_teams, after=[])
        register_rota()
        # Roles, check-ins, pulses and decisions reflect on the values, so come after them.
        demo.register("team-life", _seed_demo_team_life, after=["teams", "values"])


def _seed_demo_teams(context):
    from .demo import seed_teams

    seed_teams(context)


def _seed_demo_team_life(context):
    from .demo import seed_team_life

    seed_team_life(context)
