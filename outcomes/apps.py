from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from django.urls import reverse

        from teams import registry as teams_registry
        from wellbeing import demo, navigation
        from wellbeing.accounts import registry as accounts_registry

        from . import permissions  # noqa: F401 - remembers at sign-in who sees only their record
        from .selectors import dashboards
        from .services import access

        # An invitation may open one person's own record to them, or to family they chose.
        accounts_registry.invitation_accepted_hooks.append(access.person_invitation_fulfil)
        accounts_registry.invitation_describers.append(access.person_invitation_describe)

        teams_registry.dashboard_columns.extend(
            [
                teams_registry.DashboardColumn(
                    "outcome_reviews_overdue",
                    "Outcome reviews",
                    dashboards.overdue_column,
                    description="overdue",
                    order=60,
                    group="Outcomes",
                    urgency=45,
                ),
                teams_registry.DashboardColumn(
                    "outcomes",
                    "Outcomes",
                    dashboards.outcomes_column,
                    description="with rating patterns worth a conversation",
                    order=61,
                    group="Outcomes",
                ),
                teams_registry.DashboardColumn(
                    "fund_hours",
                    "Individual Service Funds",
                    dashboards.funds_column,
                    description="hours delivered of commissioned, last 4 weeks",
                    order=63,
                    group="Outcomes",
                ),
            ]
        )
        teams_registry.team_panels.append(dashboards.team_panel)
        teams_registry.member_home_sections.append(dashboards.reviews_due_home_section)
        teams_registry.member_home_sections.append(dashboards.suggestions_home_section)

        navigation.register(
            navigation.NavEntry("Outcomes", 15, lambda user: reverse("outcomes:index"))
        )
        navigation.register_filter(_own_record_entries)
        # Demo data for `make run`, made after the apps it builds on.
        demo.register("outcomes", _seed_demo_outcomes, after=["teams", "rota"])


# The header entries a person signed in to their own record keeps: the rest are staff pages.
OWN_RECORD_ENTRIES = {"Home", "Your account"}


def _own_record_entries(request, entries):
    from .permissions import own_record_only

    if not own_record_only(request):
        return entries
    return [entry for entry in entries if entry.label in OWN_RECORD_ENTRIES]


def _seed_demo_outcomes(context):
    from .demo import seed_outcomes

    seed_outcomes(context)
