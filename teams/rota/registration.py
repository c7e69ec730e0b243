"""What the rota contributes to the rest of the product, registered from TeamsConfig.ready():
My week at the top of a member's home page, the rota's figures on the coach's dashboard, a rota
panel on the team page, and its demo data.

My week is not a menu entry: an entry costs every signed-in page a query (is this user in a
team?), and the home page and the team page already lead there."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from wellbeing import demo
from wellbeing.accounts.models import User

from .. import registry
from ..models import Team
from . import selectors
from .clock import week_bounds, week_start


def my_week_section(user: User) -> registry.HomeSection | None:
    if not user.is_authenticated:
        return None
    monday = week_start(timezone.localdate())
    context = selectors.my_week(user=user, monday=monday)
    if not context["team_ids"]:
        return None
    # A colleague asking this person by name, for today or tomorrow, needs an answer now.
    until = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    until += timedelta(days=2)
    context["asked_of_you_soon"] = [
        offer
        for offer in context["offers_to_take"]
        if offer.offered_to_id == user.pk and offer.start < until
    ]
    return registry.HomeSection(
        title="My week", template="teams/rota/_home_my_week.html", context=context, order=10
    )


def rota_panel(user: User, team: Team) -> registry.TeamPanel | None:
    monday = week_start(timezone.localdate())
    now = timezone.now()
    unfilled = selectors.unfilled_by_team(team_ids=[team.pk], now=now).get(team.pk, 0)
    planned, contracted = selectors.hours_against_contracts(team_ids=[team.pk], monday=monday)[
        team.pk
    ]
    return registry.TeamPanel(
        title="Rota",
        template="teams/rota/_team_panel.html",
        context={
            "team": team,
            "unfilled": unfilled,
            "planned": planned,
            "contracted": contracted,
            "monday": monday,
        },
        order=10,
    )


def _unfilled_figures(teams: Sequence[Team]) -> dict[int, registry.TeamFigure]:
    counts = selectors.unfilled_by_team(team_ids=[t.pk for t in teams], now=timezone.now())
    return {
        team.pk: registry.TeamFigure(
            text=f"{counts.get(team.pk, 0)} unfilled",
            attention=counts.get(team.pk, 0) > 0,
            sort_value=counts.get(team.pk, 0),
            url=reverse("teams:rota:team", kwargs={"team_pk": team.pk}),
        )
        for team in teams
    }


def _hours_figures(teams: Sequence[Team]) -> dict[int, registry.TeamFigure]:
    monday = week_start(timezone.localdate())
    hours = selectors.hours_against_contracts(team_ids=[t.pk for t in teams], monday=monday)
    figures = {}
    for team in teams:
        planned, contracted = hours[team.pk]
        share = planned / contracted if contracted else Decimal(0)
        url = reverse("teams:rota:hours", kwargs={"team_pk": team.pk})
        if not planned:
            # A team that plans its work elsewhere, or has not started this week: the unfilled
            # visits column says when visits go without workers, so this is no alarm of its own.
            figures[team.pk] = registry.TeamFigure(
                text="Nothing planned", attention=False, sort_value=0, url=url
            )
            continue
        figures[team.pk] = registry.TeamFigure(
            text=f"{planned:.0f} of {contracted:.0f} h",
            # Far under means people go without their hours; over means overwork.
            attention=bool(contracted) and not Decimal("0.8") <= share <= Decimal("1.1"),
            sort_value=float(abs(1 - share)) if contracted else 0,
            url=url,
        )
    return figures


def _continuity_figures(teams: Sequence[Team]) -> dict[int, registry.TeamFigure]:
    # The same figure, from the same selector, as "Across the team" on the hours page it links to.
    until = week_bounds(week_start(timezone.localdate()))[1]
    averages = selectors.continuity_by_team(team_ids=[t.pk for t in teams], until=until)
    return {
        team_id: registry.TeamFigure(
            text=f"{average} workers per person",
            attention=average > 6,
            sort_value=float(average),
            url=reverse("teams:rota:hours", kwargs={"team_pk": team_id}),
        )
        for team_id, average in averages.items()
        if average is not None
    }


def register() -> None:
    from . import tasks  # noqa: F401 - the worker finds the rota's tasks through this import

    registry.member_home_sections.append(my_week_section)
    registry.team_panels.append(rota_panel)
    registry.dashboard_columns.extend(
        [
            registry.DashboardColumn(
                key="rota_unfilled",
                label="Unfilled visits",
                figures=_unfilled_figures,
                description="in the next 14 days",
                order=20,
                group="Rota",
                # People going without their care: the most pressing reason of all.
                urgency=10,
            ),
            registry.DashboardColumn(
                key="rota_hours",
                label="Hours against contracts",
                figures=_hours_figures,
                description="planned this week",
                order=21,
                group="Rota",
                urgency=35,
            ),
            registry.DashboardColumn(
                key="rota_continuity",
                label="Continuity of care",
                figures=_continuity_figures,
                description="different workers per person, in the 4 weeks to the end of this week "
                "(fewer is better)",
                order=22,
                group="Rota",
            ),
        ]
    )
    demo.register("rota", _seed_demo_rota, after=["teams"])


def _seed_demo_rota(context) -> None:
    from .demo import seed_rota

    seed_rota(context)
