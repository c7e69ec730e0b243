"""A member's home page: what needs them, then the team's news. Fixed queries throughout."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from wellbeing.accounts.models import User

from ..checkins.models import CheckIn
from ..checkins.selectors import member_open_actions
from ..decisions.models import Decision
from ..decisions.selectors import advice_waiting_for, decisions_to_make
from ..models import Membership, Team
from ..pulse.models import Pulse
from ..pulse.selectors import published, pulses_waiting_for
from ..roles.models import RoleAssignment

NEWS_DAYS = 30
NEWS_ITEMS = 8


@dataclass(frozen=True)
class NewsItem:
    on: date
    team: Team
    text: str
    url: str


def role_reviews_due(*, user: User) -> list[RoleAssignment]:
    """Roles the member holds whose review is due within the notice period (or past)."""
    today = timezone.localdate()
    return list(
        RoleAssignment.objects.current(today)
        .filter(
            membership__user=user,
            membership__in=Membership.objects.current(today),
            ended__isnull=True,
            review_on__lte=today + timedelta(days=settings.ROLE_REVIEW_NOTICE_DAYS),
        )
        .select_related("role__team")
        .order_by("review_on", "pk")
    )


def _day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def team_news(*, teams: list[Team], today: date | None = None) -> list[NewsItem]:
    """What happened in the member's teams lately, newest first: decisions, check-ins,
    published pulses, roles taken on."""
    today = today or timezone.localdate()
    since = today - timedelta(days=NEWS_DAYS)
    by_id = {team.pk: team for team in teams}
    items: list[NewsItem] = []
    for decision in (
        Decision.objects.filter(team_id__in=by_id, created_at__date__gte=since)
        .select_related("proposer")
        .order_by("-created_at")[:NEWS_ITEMS]
    ):
        team = by_id[decision.team_id]
        verb = "decided" if decision.status == Decision.Status.DECIDED else "proposed"
        items.append(
            NewsItem(
                decision.decided_on or _day(decision.created_at),
                team,
                f"{decision.proposer.display_name} {verb}: {decision.title}",
                reverse("teams:decision_detail", args=[team.pk, decision.pk]),
            )
        )
    for checkin in CheckIn.objects.filter(team_id__in=by_id, held_on__gte=since).order_by(
        "-held_on"
    )[:NEWS_ITEMS]:
        team = by_id[checkin.team_id]
        items.append(
            NewsItem(
                checkin.held_on,
                team,
                "Check-in with the coach: see what was agreed",
                reverse("teams:checkin_detail", args=[team.pk, checkin.pk]),
            )
        )
    for pulse in Pulse.objects.filter(
        published(), team_id__in=by_id, closed_at__date__gte=since
    ).order_by("-closed_at")[:NEWS_ITEMS]:
        team = by_id[pulse.team_id]
        items.append(
            NewsItem(
                _day(pulse.closed_at),
                team,
                "The pulse results are in",
                reverse("teams:pulse", args=[team.pk]),
            )
        )
    for term in (
        RoleAssignment.objects.filter(
            role__team_id__in=by_id, started__gte=since, started__lte=today
        )
        .select_related("role", "membership__user")
        .order_by("-started")[:NEWS_ITEMS]
    ):
        team = by_id[term.role.team_id]
        items.append(
            NewsItem(
                term.started,
                team,
                f"{term.membership.user.display_name} took on {term.role.name}",
                reverse("teams:role_detail", args=[team.pk, term.role_id]),
            )
        )
    items.sort(key=lambda item: item.on, reverse=True)
    return items[:NEWS_ITEMS]


@dataclass
class MemberHome:
    teams: list[Team]
    pulses: list[Pulse]
    actions: list
    role_reviews: list[RoleAssignment]
    advice: list[Decision]
    to_decide: list[Decision]
    news: list[NewsItem]

    @property
    def several_teams(self) -> bool:
        return len(self.teams) > 1

    @property
    def waiting_count(self) -> int:
        return sum(
            map(len, [self.pulses, self.actions, self.role_reviews, self.advice, self.to_decide])
        )


def member_home(*, user: User) -> MemberHome:
    teams = list(
        Team.objects.filter(
            pk__in=Membership.objects.current().filter(user=user).values("team_id")
        ).order_by("name")
    )
    return MemberHome(
        teams=teams,
        pulses=pulses_waiting_for(user=user),
        actions=member_open_actions(user=user),
        role_reviews=role_reviews_due(user=user),
        advice=advice_waiting_for(user=user),
        to_decide=decisions_to_make(user=user),
        news=team_news(teams=teams),
    )
