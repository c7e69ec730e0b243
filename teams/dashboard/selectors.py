"""The coach's dashboard: every team they coach on one page, and what needs them this week.

Built for a coach of fifty teams (and an admin of every team): the figures are aggregated in
SQL, one query for the team figures, three for the pulse, and whatever the registered columns
of other apps need (each in a fixed number of queries for any number of teams).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from wellbeing.accounts.models import User

from .. import registry
from ..checkins.models import Action, CheckIn
from ..models import Membership, Team
from ..numbers import whole_number
from ..pulse.selectors import TeamPulse, teams_pulse
from ..roles.models import Role, RoleAssignment


def _count(queryset: QuerySet) -> Coalesce:
    """A correlated count, so that several counts on one team row never multiply each other."""
    counted = queryset.order_by().values("team_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def teams_with_figures(teams: QuerySet[Team], *, today: date | None = None) -> QuerySet[Team]:
    """The teams with their own figures as columns, in one query."""
    today = today or timezone.localdate()
    team = OuterRef("pk")
    current_members = Membership.objects.current(today).filter(team=team)
    current_holder = RoleAssignment.objects.current(today).filter(role=OuterRef("pk"))
    gaps = Role.objects.filter(team=team, retired_on__isnull=True).exclude(Exists(current_holder))
    open_actions = Action.objects.filter(team=team, status=Action.Status.OPEN)
    held = CheckIn.objects.filter(team=team, held_on__isnull=False).order_by("-held_on")
    planned = CheckIn.objects.filter(team=team, held_on__isnull=True)
    return teams.select_related("coach").annotate(
        member_count=_count(current_members),
        role_gaps=_count(gaps),
        open_actions=_count(open_actions),
        overdue_actions=_count(open_actions.filter(due_on__lt=today)),
        last_checkin_on=Subquery(held.values("held_on")[:1]),
        next_checkin_on=Subquery(planned.values("planned_for")[:1]),
    )


# How pressing each of the team's own reasons is (lower first); other apps give theirs with
# their column (`DashboardColumn.urgency`), unfilled visits the most pressing of all at 10.
PULSE_FALLING, CHECKIN_OVERDUE, ACTIONS_OVERDUE, ROLE_GAPS, TOO_BIG = 20, 30, 40, 60, 70
# "Needs you" names this many reasons, and how many more there are.
REASONS_SHOWN = 3


@dataclass(frozen=True)
class ColumnGroup:
    """One column of the table: a registered column, or several sharing a group."""

    label: str
    columns: list[registry.DashboardColumn]


@dataclass
class TeamRow:
    team: Team
    pulse: TeamPulse
    figures: dict[str, registry.TeamFigure] = field(default_factory=dict)
    today: date = field(default_factory=timezone.localdate)

    @property
    def column_figures(self) -> list[tuple[registry.DashboardColumn, registry.TeamFigure | None]]:
        """The registered columns with this team's figure (None where it has none)."""
        return [(column, self.figures.get(column.key)) for column in registry_columns()]

    @property
    def group_figures(
        self,
    ) -> list[
        tuple[ColumnGroup, list[tuple[registry.DashboardColumn, registry.TeamFigure | None]]]
    ]:
        """The table's registered cells: each group with its columns' figures for this team."""
        return [
            (group, [(column, self.figures.get(column.key)) for column in group.columns])
            for group in column_groups()
        ]

    @property
    def too_big(self) -> bool:
        return self.team.member_count > settings.TEAM_SIZE_LIMIT

    @property
    def checkin_due_on(self) -> date | None:
        """The planned date; else, the last one plus the agreed cadence; None if never met."""
        if self.team.next_checkin_on:
            return self.team.next_checkin_on
        if self.team.last_checkin_on:
            return self.team.last_checkin_on + timedelta(weeks=self.team.checkin_every_weeks)
        return None

    @property
    def checkin_overdue(self) -> bool:
        due = self.checkin_due_on
        return due is None or due < self.today

    def weeks_without_checkin(self) -> int | None:
        if self.team.last_checkin_on is None:
            return None
        return (self.today - self.team.last_checkin_on).days // 7

    @cached_property
    def attention(self) -> list[str]:
        """Why this team needs its coach, most pressing first."""
        reasons: list[tuple[int, str]] = []
        if self.pulse.declining_twice:
            reasons.append((PULSE_FALLING, "pulse falling two pulses running"))
        if self.checkin_overdue:
            reasons.append(
                (CHECKIN_OVERDUE, "check-in overdue" if self.team.last_checkin_on else "never met")
            )
        if self.team.overdue_actions:
            reasons.append((ACTIONS_OVERDUE, "actions overdue"))
        if self.team.role_gaps:
            reasons.append((ROLE_GAPS, "roles without a holder"))
        if self.too_big:
            reasons.append((TOO_BIG, "time to split"))
        # Other apps' figures are highlighted in their own columns; here, just their names.
        reasons += [
            (column.urgency, column.label.lower())
            for column in registry_columns()
            if column.key in self.figures and self.figures[column.key].attention
        ]
        return [reason for _, reason in sorted(reasons, key=lambda pair: pair[0])]

    @property
    def attention_shown(self) -> list[str]:
        return self.attention[:REASONS_SHOWN]

    @property
    def attention_more(self) -> int:
        return max(len(self.attention) - REASONS_SHOWN, 0)

    def sort_value(self, key: str):
        own = {
            "team": self.team.name.lower(),
            "attention": len(self.attention),
            "pulse": self.pulse.sort_value,
            "last_checkin": self.team.last_checkin_on or date.min,
            "next_checkin": self.checkin_due_on or date.min,
            "actions": (self.team.overdue_actions, self.team.open_actions),
            "gaps": self.team.role_gaps,
            "size": self.team.member_count,
        }
        if key in own:
            return own[key]
        figure = self.figures.get(key)
        return figure.sort_value if figure else 0


def registry_columns() -> list[registry.DashboardColumn]:
    return sorted(registry.dashboard_columns, key=lambda column: (column.order, column.key))


def column_groups() -> list[ColumnGroup]:
    """The registered columns as the table shows them: those of one group side by side in one
    cell, where the group's first column would be."""
    groups: dict[str, ColumnGroup] = {}
    for column in registry_columns():
        label = column.group or column.label
        groups.setdefault(label, ColumnGroup(label, [])).columns.append(column)
    return list(groups.values())


SHOW_CHOICES = [
    ("", "All teams"),
    ("attention", "Teams that need you"),
    ("declining", "Pulse falling two pulses running"),
    ("no_checkin", "No check-in for a while"),
    ("overdue_actions", "Actions overdue"),
    ("gaps", "Roles without a holder"),
    ("too_big", "Time to split (more than 12)"),
]


@dataclass(frozen=True)
class DashboardQuery:
    show: str = ""
    weeks: int = 8
    search: str = ""
    sort: str = "attention"
    descending: bool = True
    coach: str = ""  # admins only: a coach's id, or "none"


def _keep(row: TeamRow, query: DashboardQuery) -> bool:
    if query.search and query.search.lower() not in row.team.name.lower():
        return False
    if query.show == "attention":
        return bool(row.attention)
    if query.show == "declining":
        return row.pulse.declining_twice
    if query.show == "no_checkin":
        weeks = row.weeks_without_checkin()
        return weeks is None or weeks >= query.weeks
    if query.show == "overdue_actions":
        return row.team.overdue_actions > 0
    if query.show == "gaps":
        return row.team.role_gaps > 0
    if query.show == "too_big":
        return row.too_big
    return True


def dashboard_rows(*, teams: QuerySet[Team], query: DashboardQuery) -> list[TeamRow]:
    """One row per team with everything the coach needs, filtered and sorted."""
    if query.coach == "none":
        teams = teams.filter(coach__isnull=True)
    elif whole_number(query.coach) is not None:
        teams = teams.filter(coach_id=whole_number(query.coach))
    today = timezone.localdate()
    team_list = list(teams_with_figures(teams, today=today).order_by("name"))
    pulses = teams_pulse(team_ids=[team.pk for team in team_list])
    columns = registry_columns()
    figures_by_column = {column.key: column.figures(team_list) for column in columns}
    rows = [
        TeamRow(
            team=team,
            pulse=pulses[team.pk],
            figures={
                key: figures[team.pk]
                for key, figures in figures_by_column.items()
                if team.pk in figures
            },
            today=today,
        )
        for team in team_list
    ]
    rows = [row for row in rows if _keep(row, query)]
    rows.sort(key=lambda row: row.team.name.lower())
    rows.sort(key=lambda row: row.sort_value(query.sort), reverse=query.descending)
    return rows


def teams_for_dashboard(user: User) -> QuerySet[Team]:
    """The teams a user's dashboard covers: all of them for an admin, else those they coach."""
    if user.is_org_admin:
        return Team.objects.all()
    return Team.objects.filter(coach_id=user.pk)


@dataclass(frozen=True)
class CoachLoad:
    coach: User
    teams: int


def coach_loads() -> list[CoachLoad]:
    """For admins: which coach has how many teams."""
    coaches = (
        User.objects.filter(coached_teams__isnull=False)
        .annotate(team_count=Count("coached_teams"))
        .order_by("-team_count", "display_name")
    )
    return [CoachLoad(coach, coach.team_count) for coach in coaches]


def teams_without_coach() -> int:
    return Team.objects.filter(coach__isnull=True).count()


def coach_choices(loads: Sequence[CoachLoad]) -> list[tuple[str, str]]:
    return [
        ("", "Every coach"),
        ("none", "No coach"),
        *[(str(load.coach.pk), load.coach.display_name) for load in loads],
    ]
