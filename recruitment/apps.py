from django.apps import AppConfig


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = "Recruitment"

    def ready(self) -> None:
        from django.urls import reverse

        from teams import registry as teams_registry
        from values import registry as values_registry
        from wellbeing import demo, navigation
        from wellbeing.accounts import registry as accounts_registry

        from .navigation import recruitment_link
        from .selectors.dashboard import team_recruitment_figures
        from .selectors.reports import candidate_value_scores_figure
        from .services import hiring

        # The coach's dashboard shows how each team's recruitment is going.
        teams_registry.dashboard_columns.append(
            teams_registry.DashboardColumn(
                key="recruitment",
                label="Recruitment",
                figures=team_recruitment_figures,
                description="rounds open now and candidates waiting for a decision",
                order=40,
                # No figure: the team has no round running, so nothing to decide.
                when_missing="No rounds running",
            )
        )
        # The values insights page shows how candidates scored on each value, round by round.
        values_registry.value_figures.append(candidate_value_scores_figure)
        # A successful candidate accepting their invitation has started in a team (teams,
        # registered first, has made the membership by then).
        accounts_registry.invitation_accepted_hooks.append(hiring.candidate_link_on_invitation)
        # Round owners read candidates' own words, so they too need a second factor.
        accounts_registry.mfa_required_checks.append(owns_a_round)
        navigation.register(
            navigation.NavEntry(
                "Recruitment",
                30,
                recruitment_link,
                section=lambda: reverse("recruitment:open_rounds"),
            )
        )

        # Demo data for `make run`, made after the apps it builds on.
        demo.register("recruitment", _seed_demo_recruitment, after=["teams", "values"])


def owns_a_round(user):
    from .models import Round

    return Round.objects.filter(owners=user)


def _seed_demo_recruitment(context):
    from .demo import seed_recruitment

    seed_recruitment(context)
