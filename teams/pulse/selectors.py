"""Reads about the pulse. Only published results ever leave here: a closed pulse that enough
members answered. Each read runs in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.charts import LineChart, LinePoint, line_chart

from ..models import Membership, Team
from ..permissions import can_read_pulse_comments
from .models import RATINGS, Pulse, PulseAnswer, PulseParticipation, PulseResult, PulseStatement

RATING_WORDS = dict(RATINGS)
# Changes smaller than this between two pulses count as "about the same".
TREND_STEP = Decimal("0.1")
HISTORY_LENGTH = 8


def published() -> Q:
    return Q(
        closed_at__isnull=False,
        overall__isnull=False,
        response_count__gte=settings.PULSE_MIN_RESPONSES,
    )


@dataclass(frozen=True)
class Trend:
    direction: str  # "up", "down", "same", or "" when there is nothing to compare with
    previous: Decimal | None = None

    @property
    def arrow(self) -> str:
        return {"up": "↑", "down": "↓", "same": "→"}.get(self.direction, "")

    @property
    def words(self) -> str:
        if self.direction == "up":
            return f"up from {self.previous:.1f}"
        if self.direction == "down":
            return f"down from {self.previous:.1f}"
        if self.direction == "same":
            return "about the same as last time"
        return "the first results"


def trend(latest: Decimal | None, previous: Decimal | None) -> Trend:
    if latest is None or previous is None:
        return Trend("")
    if latest - previous >= TREND_STEP:
        return Trend("up", previous)
    if previous - latest >= TREND_STEP:
        return Trend("down", previous)
    return Trend("same", previous)


@dataclass(frozen=True)
class Score:
    """An average on the 1–5 scale, said in words, with a colour as a second cue."""

    mean: Decimal
    trend: Trend = field(default_factory=lambda: Trend(""))

    @property
    def nearest(self) -> int:
        return int(self.mean.quantize(Decimal(1), rounding=ROUND_HALF_UP))

    @property
    def words(self) -> str:
        return RATING_WORDS[min(max(self.nearest, 1), 5)]

    @property
    def tag(self) -> str:
        """The NHS tag colour for the nearest answer, from red (strongly disagree) to green."""
        return {1: "red", 2: "orange", 3: "yellow", 4: "green", 5: "aqua-green"}[
            min(max(self.nearest, 1), 5)
        ]


@dataclass(frozen=True)
class StatementScore:
    statement: PulseStatement
    score: Score


@dataclass
class PulseOverview:
    open_pulse: Pulse | None
    history: list[Pulse]  # closed pulses, oldest first, published or not
    latest: Pulse | None  # the latest published pulse
    overall: Score | None
    statements: list[StatementScore]
    comments: list[str] | None  # None: not this user's to read
    chart: LineChart | None
    table: list[tuple[PulseStatement, list[Decimal | None]]]

    @property
    def published_history(self) -> list[Pulse]:
        return [pulse for pulse in self.history if pulse.is_published]


def _results(pulse: Pulse) -> dict[int, PulseResult]:
    return {result.statement_id: result for result in pulse.results.all()}


def statement_scores(latest: Pulse, previous: Pulse | None) -> list[StatementScore]:
    """Each statement's average in `latest`, with its trend against `previous`."""
    before = _results(previous) if previous else {}
    scores = []
    for result in latest.results.all():
        earlier = before.get(result.statement_id)
        scores.append(
            StatementScore(
                result.statement,
                Score(result.mean, trend(result.mean, earlier.mean if earlier else None)),
            )
        )
    return scores


def pulse_comments(*, pulse: Pulse, user: User) -> list[str] | None:
    """The comments of a published pulse, in a random order and without names, for the team
    and its coach only (None for anyone else; [] when there are none)."""
    if not pulse.is_published or not can_read_pulse_comments(user, pulse.team):
        return None
    return list(
        PulseAnswer.objects.filter(response__pulse=pulse)
        .exclude(comment="")
        .order_by("?")
        .values_list("comment", flat=True)
    )


def _chart(team: Team, history: Sequence[Pulse]) -> LineChart | None:
    if not history:
        return None
    shown = [pulse for pulse in history if pulse.is_published]
    summary = (
        f"{team.name}'s average across all statements, pulse by pulse, on a scale from 1 "
        "(strongly disagree) to 5 (strongly agree). "
        + (
            f"Latest: {shown[-1].overall:.1f}."
            if shown
            else "No pulse has had enough answers to show yet."
        )
    )
    points = [
        LinePoint(
            label=f"{timezone.localtime(pulse.opened_at):%-d %b}",
            sublabel=f"{timezone.localtime(pulse.opened_at):%Y}",
            description=f"Pulse of {timezone.localtime(pulse.opened_at):%-d %B %Y}",
            value=float(pulse.overall) if pulse.is_published else None,
            current=index == len(history) - 1,
        )
        for index, pulse in enumerate(history)
    ]
    return line_chart(
        [("", points)],
        title=f"How {team.name} feels, pulse by pulse",
        summary=summary,
        low=1,
        high=5,
        step=1,
        values_shown=True,
    )


def _table(history: Sequence[Pulse]) -> list[tuple[PulseStatement, list[Decimal | None]]]:
    shown = [pulse for pulse in history if pulse.is_published]
    statements: dict[int, PulseStatement] = {}
    cells: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for pulse in shown:
        for result in pulse.results.all():
            statements.setdefault(result.statement_id, result.statement)
            cells[result.statement_id][pulse.pk] = result.mean
    ordered = sorted(statements.values(), key=lambda s: (s.order, s.pk))
    return [(s, [cells[s.pk].get(pulse.pk) for pulse in shown]) for s in ordered]


def _closed_pulses(team: Team, limit: int) -> list[Pulse]:
    results = PulseResult.objects.select_related("statement").order_by("statement__order", "pk")
    pulses = (
        Pulse.objects.filter(team=team, closed_at__isnull=False)
        .select_related("team")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("-opened_at", "-pk")[:limit]
    )
    return list(reversed(pulses))


def open_pulse_for(*, team: Team, user: User) -> Pulse | None:
    """The team's open pulse, with how many have answered and whether this user has."""
    return (
        Pulse.objects.filter(team=team, closed_at__isnull=True, closes_at__gt=timezone.now())
        .annotate(
            answered_count=Count("participations", distinct=True),
            answered_by_user=Exists(
                PulseParticipation.objects.filter(pulse=OuterRef("pk"), user_id=user.pk)
            ),
        )
        .first()
    )


def team_pulse_overview(*, team: Team, user: User, history: int = HISTORY_LENGTH) -> PulseOverview:
    closed = _closed_pulses(team, history)
    shown = [pulse for pulse in closed if pulse.is_published]
    latest = shown[-1] if shown else None
    previous = shown[-2] if len(shown) > 1 else None
    return PulseOverview(
        open_pulse=open_pulse_for(team=team, user=user),
        history=closed,
        latest=latest,
        overall=(
            Score(latest.overall, trend(latest.overall, previous.overall if previous else None))
            if latest
            else None
        ),
        statements=statement_scores(latest, previous) if latest else [],
        comments=pulse_comments(pulse=latest, user=user) if latest else None,
        chart=_chart(team, closed),
        table=_table(closed),
    )


def pulse_results(*, pulse: Pulse, user: User) -> tuple[list[StatementScore], list[str] | None]:
    """One closed pulse's published results (with trends against the pulse before it)."""
    if not pulse.is_published:
        return [], None
    results = PulseResult.objects.select_related("statement").order_by("statement__order", "pk")
    pair = list(
        Pulse.objects.filter(published(), team_id=pulse.team_id, opened_at__lte=pulse.opened_at)
        .select_related("team")
        .prefetch_related(Prefetch("results", queryset=results))
        .order_by("-opened_at", "-pk")[:2]
    )
    latest = pair[0]
    return statement_scores(latest, pair[1] if len(pair) > 1 else None), pulse_comments(
        pulse=latest, user=user
    )


def pulses_waiting_for(*, user: User) -> list[Pulse]:
    """Open pulses of the member's current teams that they have not answered yet."""
    # In the team when the pulse opened: a newcomer's first pulse is the next one.
    member_then = Membership.objects.current().filter(
        user=user, team=OuterRef("team"), joined__lte=OuterRef("opened_at")
    )
    return list(
        Pulse.objects.filter(
            Exists(member_then), closed_at__isnull=True, closes_at__gt=timezone.now()
        )
        .exclude(Exists(PulseParticipation.objects.filter(pulse=OuterRef("pk"), user_id=user.pk)))
        .select_related("team")
        .order_by("closes_at")
    )


# --- Across many teams, for the coach's dashboard --------------------------------------------


@dataclass(frozen=True)
class TeamPulse:
    """A team's pulse at a glance: the latest overall score and where it is heading."""

    overall: Score | None = None
    # The overall score fell at each of the last two pulses: the alert a coach most needs.
    declining_twice: bool = False
    lowest: StatementScore | None = None
    is_open: bool = False

    @property
    def sort_value(self) -> float:
        return float(self.overall.mean) if self.overall else 0.0


def teams_pulse(*, team_ids: Iterable[int]) -> dict[int, TeamPulse]:
    """Each team's latest published pulse against the two before it, in three queries."""
    team_ids = list(team_ids)
    ranked = (
        Pulse.objects.filter(published(), team_id__in=team_ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("team_id")],
                order_by=[F("opened_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=3)
        .values_list("pk", "team_id", "overall", "rank")
    )
    overall_by_team: dict[int, list[Decimal]] = defaultdict(list)
    latest_ids: dict[int, int] = {}
    for pk, team_id, overall, rank in sorted(ranked, key=lambda row: (row[1], row[3])):
        overall_by_team[team_id].append(overall)
        if rank == 1:
            latest_ids[team_id] = pk
    team_of_pulse = {pulse_id: team_id for team_id, pulse_id in latest_ids.items()}
    lowest: dict[int, PulseResult] = {}
    for result in PulseResult.objects.filter(pulse_id__in=team_of_pulse).select_related(
        "statement"
    ):
        team_id = team_of_pulse[result.pulse_id]
        if team_id not in lowest or result.mean < lowest[team_id].mean:
            lowest[team_id] = result
    open_teams = set(
        Pulse.objects.filter(team_id__in=team_ids, closed_at__isnull=True).values_list(
            "team_id", flat=True
        )
    )
    figures = {}
    for team_id in team_ids:
        scores = overall_by_team.get(team_id, [])
        overall = (
            Score(scores[0], trend(scores[0], scores[1] if len(scores) > 1 else None))
            if scores
            else None
        )
        low = lowest.get(team_id)
        figures[team_id] = TeamPulse(
            overall=overall,
            declining_twice=len(scores) == 3
            and trend(scores[0], scores[1]).direction == "down"
            and trend(scores[1], scores[2]).direction == "down",
            lowest=StatementScore(low.statement, Score(low.mean)) if low else None,
            is_open=team_id in open_teams,
        )
    return figures


def pulse_list(*, team: Team) -> QuerySet[Pulse]:
    return Pulse.objects.filter(team=team).order_by("-opened_at", "-pk")
