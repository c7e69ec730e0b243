"""Reads for the survey reports: the baseline, round over round, experiments and the CSV.

Each read runs in a fixed number of queries whatever the number of responses: scores are
counted per touch point, group and score in one grouped query, and the mean and median of a
touch point come from those counts. Results are held back wherever fewer than
`settings.SURVEY_MIN_RESPONSES` (k) people answered, so no one's answers can be picked out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.http import Http404

from teams.permissions import coaches
from values.models import Value
from values.registry import Figure, FigureRow
from wellbeing.accounts.models import User

from ..models import (
    Experiment,
    Round,
    Score,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    TouchPoint,
)
from ..permissions import rounds_managed_by

# Below this many answers a mean moves a lot with one person's score: the report says so.
FEW_TO_READ = 10
# The trend shows this round and up to this many rounds before it.
TREND_ROUNDS = 8
# The values figure shows the most recent rounds with scores.
FIGURE_ROUNDS = 6
GROUPS_COMPARED = (SurveyResponse.Group.SUCCESSFUL, SurveyResponse.Group.UNSUCCESSFUL)


def min_responses() -> int:
    return settings.SURVEY_MIN_RESPONSES


# --- Who reads reports ------------------------------------------------------------------------


def can_see_reports(user: User) -> bool:
    """Admins, round owners and coaches read survey numbers; nobody else does."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_org_admin or coaches(user) or Round.objects.filter(owners=user).exists()


def get_round_for_report(user: User, pk: int) -> tuple[Round, bool]:
    """The round whose report `user` may read, and whether they may read the free text.

    Admins and the round's owners read everything. Coaches support the teams new starters
    join, so they read the numbers of any round, but never candidates' own words.
    """
    round_ = rounds_managed_by(user).filter(pk=pk).first()
    if round_ is not None:
        return round_, True
    if user.is_authenticated and user.is_active and coaches(user):
        round_ = Round.objects.filter(pk=pk).first()
        if round_ is not None:
            return round_, False
    raise Http404("No such round")


def rounds_reported_to(user: User) -> QuerySet[Round]:
    """The rounds whose reports a user may open, newest first, with their response counts."""
    if not user.is_authenticated or not user.is_active:
        rounds = Round.objects.none()
    elif user.is_org_admin or coaches(user):
        rounds = Round.objects.all()
    else:
        rounds = rounds_managed_by(user)
    return rounds.annotate(responses=Count("survey_responses")).order_by("-opens_on", "-pk")


def previous_round(round_: Round) -> Round | None:
    """The round that ran before this one: its candidates' feedback shaped this one."""
    return (
        Round.objects.exclude(status=Round.Status.DRAFT)
        .filter(Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk))
        .order_by("-opens_on", "-pk")
        .first()
    )


# --- Scores -----------------------------------------------------------------------------------


def median_from_counts(counts: Mapping[int, int]) -> float | None:
    """The median of scores given as {score: how many gave it}, without listing each one."""
    n = sum(counts.values())
    if not n:
        return None
    middle = {(n - 1) // 2, n // 2}
    found, seen = [], 0
    for score in sorted(counts):
        count = counts[score]
        found.extend(score for position in middle if seen <= position < seen + count)
        seen += count
    return sum(found) / len(found)


@dataclass(frozen=True)
class ScoreSummary:
    """Scores from 1 to 10 as counts; n, mean and median follow from them."""

    counts: dict[int, int] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def mean(self) -> float | None:
        n = self.n
        return sum(score * count for score, count in self.counts.items()) / n if n else None

    @property
    def median(self) -> float | None:
        return median_from_counts(self.counts)

    @property
    def shown(self) -> bool:
        return self.n >= min_responses()

    @property
    def few(self) -> bool:
        return self.n < FEW_TO_READ

    def count_of(self, score: int) -> int:
        return self.counts.get(score, 0)


@dataclass(frozen=True)
class GroupScores:
    group: str
    label: str
    scores: ScoreSummary


@dataclass(frozen=True)
class TrendRound:
    """One round's scores for a touch point (matched across rounds by its key)."""

    round_id: int
    title: str
    opens_on: date
    n: int
    raw_mean: float | None
    current: bool = False
    change: float | None = None

    @property
    def shown(self) -> bool:
        return self.n >= min_responses()

    @property
    def mean(self) -> float | None:
        """The mean only where enough people answered to show it."""
        return self.raw_mean if self.shown else None

    @property
    def few(self) -> bool:
        return self.n < FEW_TO_READ

    @property
    def change_text(self) -> str:
        return signed(self.change)


def signed(change: float | None) -> str:
    """A change in mean score as people read it: "+0.4", "−1.2", "no change"."""
    if change is None:
        return ""
    if round(change, 1) == 0:
        return "no change"
    return f"{change:+.1f}".replace("-", "\u2212")


@dataclass
class TouchPointReport:
    touch_point: TouchPoint
    scores: ScoreSummary
    groups: list[GroupScores] | None  # None when a group has fewer than k answers
    trend: list[TrendRound]
    worked_well: list[str]
    improve: list[str]

    @property
    def current(self) -> TrendRound | None:
        return next((point for point in self.trend if point.current), None)

    @property
    def change(self) -> float | None:
        current = self.current
        return current.change if current else None

    @property
    def compared_with(self) -> TrendRound | None:
        """The latest earlier round whose mean is shown: what the change is measured from."""
        earlier = [p for p in self.trend if not p.current and p.mean is not None]
        return earlier[-1] if earlier else None

    @property
    def earlier_rounds(self) -> int:
        return sum(1 for point in self.trend if not point.current)


@dataclass(frozen=True)
class ExperimentResult:
    """A change tried in this round, with its touch point's mean before and after."""

    experiment: Experiment
    touch_point_name: str
    before: TrendRound | None
    after: TrendRound | None

    @property
    def change(self) -> float | None:
        if self.before and self.after and self.before.mean is not None:
            after = self.after.mean
            return None if after is None else after - self.before.mean
        return None

    @property
    def change_text(self) -> str:
        return signed(self.change)


@dataclass
class RoundReport:
    round: Round
    min_responses: int
    invitations_sent: int
    invitations_completed: int
    group_responses: dict[str, int]
    touch_points: list[TouchPointReport]
    experiments: list[ExperimentResult]
    previous_round: Round | None
    free_text: bool

    @property
    def responses(self) -> int:
        return sum(self.group_responses.values())

    @property
    def enough(self) -> bool:
        return self.responses >= self.min_responses

    @property
    def response_rate(self) -> float | None:
        if not self.invitations_sent:
            return None
        return self.invitations_completed / self.invitations_sent

    @property
    def response_percent(self) -> int | None:
        rate = self.response_rate
        return None if rate is None else round(rate * 100)

    @property
    def breakdown_shown(self) -> bool:
        return all(self.group_responses.get(g, 0) >= self.min_responses for g in GROUPS_COMPARED)

    @property
    def few(self) -> bool:
        return self.responses < FEW_TO_READ


def _group_responses(round_: Round) -> dict[str, int]:
    return dict(
        SurveyResponse.objects.filter(round=round_)
        .values_list("group")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _score_counts(round_: Round) -> dict[int, dict[str, dict[int, int]]]:
    """{touch point id: {group: {score: count}}} in one grouped query."""
    counts: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        SurveyAnswer.objects.filter(response__round=round_, score__isnull=False)
        .values_list("touch_point_id", "response__group", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for touch_point_id, group, score, n in rows:
        counts[touch_point_id][group][score] = n
    return counts


def _free_text(round_: Round) -> dict[int, tuple[list[str], list[str]]]:
    """Each touch point's written answers, in the random order of the responses' ids (never
    the order they arrived in, which could tell who wrote what)."""
    text: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    rows = (
        SurveyAnswer.objects.filter(response__round=round_)
        .filter(~Q(worked_well="") | ~Q(improve=""))
        .values_list("touch_point_id", "worked_well", "improve")
        .order_by("touch_point_id", "response_id")
    )
    for touch_point_id, worked_well, improve in rows:
        if worked_well:
            text[touch_point_id][0].append(worked_well)
        if improve:
            text[touch_point_id][1].append(improve)
    return text


def _trends(round_: Round, keys: set[str]) -> dict[str, list[TrendRound]]:
    """For each touch point key, its n and mean in this round and every round before it."""
    rows = (
        SurveyAnswer.objects.filter(score__isnull=False, touch_point__key__in=keys)
        .filter(
            Q(response__round__opens_on__lt=round_.opens_on)
            | Q(response__round__opens_on=round_.opens_on, response__round_id__lte=round_.pk)
        )
        .values_list(
            "touch_point__key",
            "response__round_id",
            "response__round__title",
            "response__round__opens_on",
        )
        .annotate(n=Count("pk"), mean=Avg("score"))
        .order_by()
    )
    trends: dict[str, list[TrendRound]] = defaultdict(list)
    for key, round_id, title, opens_on, n, mean in rows:
        trends[key].append(
            TrendRound(
                round_id=round_id,
                title=title,
                opens_on=opens_on,
                n=n,
                raw_mean=float(mean) if mean is not None else None,
                current=round_id == round_.pk,
            )
        )
    for key in keys:
        points = trends[key]
        if not any(point.current for point in points):
            points.append(
                TrendRound(
                    round_id=round_.pk,
                    title=round_.title,
                    opens_on=round_.opens_on,
                    n=0,
                    raw_mean=None,
                    current=True,
                )
            )
        points.sort(key=lambda point: (point.opens_on, point.round_id))
        trends[key] = _with_changes(points)
    return trends


def _with_changes(points: list[TrendRound]) -> list[TrendRound]:
    """Each shown round's change from the shown round before it."""
    changed, before = [], None
    for point in points:
        change = None
        if point.mean is not None and before is not None:
            change = point.mean - before
        changed.append(
            TrendRound(
                round_id=point.round_id,
                title=point.title,
                opens_on=point.opens_on,
                n=point.n,
                raw_mean=point.raw_mean,
                current=point.current,
                change=change,
            )
        )
        if point.mean is not None:
            before = point.mean
    return changed


def _group_scores(counts: Mapping[str, Mapping[int, int]]) -> list[GroupScores] | None:
    groups = [
        GroupScores(
            group=group, label=group.label, scores=ScoreSummary(dict(counts.get(group, {})))
        )
        for group in GROUPS_COMPARED
    ]
    return groups if all(g.scores.shown for g in groups) else None


def round_report(*, round_: Round, free_text: bool) -> RoundReport:
    """Everything the report page shows, in the same handful of queries for any data size.

    The queries run even when too few people answered, so the page's cost does not depend on
    the data; what is shown is decided here, not in the template.
    """
    k = min_responses()
    touch_points = list(round_.touch_points.all())
    invitations = SurveyInvitation.objects.filter(candidate__round=round_).aggregate(
        sent=Count("pk"), completed=Count("pk", filter=Q(completed=True))
    )
    group_responses = _group_responses(round_)
    counts = _score_counts(round_)
    text = _free_text(round_) if free_text else {}
    experiments = list(Experiment.objects.filter(round=round_).order_by("touch_point_key", "pk"))
    previous = previous_round(round_)
    trends = _trends(
        round_, {tp.key for tp in touch_points} | {e.touch_point_key for e in experiments}
    )
    enough = sum(group_responses.values()) >= k
    breakdown = all(group_responses.get(g, 0) >= k for g in GROUPS_COMPARED)

    reports = []
    for touch_point in touch_points:
        by_group = counts.get(touch_point.pk, {})
        total: dict[int, int] = defaultdict(int)
        for scores in by_group.values():
            for score, n in scores.items():
                total[score] += n
        worked_well, improve = text.get(touch_point.pk, ([], [])) if enough else ([], [])
        reports.append(
            TouchPointReport(
                touch_point=touch_point,
                scores=ScoreSummary(dict(total)),
                groups=_group_scores(by_group) if breakdown else None,
                trend=trends[touch_point.key][-TREND_ROUNDS:],
                worked_well=worked_well,
                improve=improve,
            )
        )

    names = {tp.key: tp.name for tp in touch_points}
    results = []
    for experiment in experiments:
        points = {point.round_id: point for point in trends[experiment.touch_point_key]}
        results.append(
            ExperimentResult(
                experiment=experiment,
                touch_point_name=names.get(experiment.touch_point_key, experiment.touch_point_key),
                before=points.get(previous.pk) if previous else None,
                after=points.get(round_.pk),
            )
        )
    return RoundReport(
        round=round_,
        min_responses=k,
        invitations_sent=invitations["sent"],
        invitations_completed=invitations["completed"],
        group_responses=group_responses,
        touch_points=reports,
        experiments=results,
        previous_round=previous,
        free_text=free_text,
    )


# --- The CSV export ----------------------------------------------------------------------------

CSV_COLUMNS = [
    "round",
    "touch_point_key",
    "touch_point_name",
    "score",
    "worked_well",
    "improve",
    "group",
    "submitted_in",
]


def _spreadsheet_safe(text: str) -> str:
    """A cell starting with = + - @ is run as a formula by spreadsheets; candidates wrote it."""
    return f"'{text}" if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


def report_csv_rows(*, round_: Round) -> Iterator[list[str]]:
    """One row per answer, sorted by touch point and then by the responses' random ids.

    The group (successful or not) is given only where each group has at least k responses,
    the same rule as the report's breakdown; otherwise it could single someone out. Only the
    month is given: a day, set beside the day each candidate was told, could name them.
    """
    k = min_responses()
    groups = _group_responses(round_)
    with_group = all(groups.get(g, 0) >= k for g in GROUPS_COMPARED)
    rows = (
        SurveyAnswer.objects.filter(response__round=round_)
        .values_list(
            "touch_point__key",
            "touch_point__name",
            "score",
            "worked_well",
            "improve",
            "response__group",
            "response__submitted_on",
        )
        .order_by("touch_point__order", "touch_point_id", "response_id")
    )
    yield CSV_COLUMNS
    for key, name, score, worked_well, improve, group, submitted_on in rows:
        yield [
            _spreadsheet_safe(round_.title),
            key,
            _spreadsheet_safe(name),
            "" if score is None else str(score),
            _spreadsheet_safe(worked_well),
            _spreadsheet_safe(improve),
            group if with_group else "",
            f"{submitted_on:%Y-%m}",
        ]


# --- The values figure ---------------------------------------------------------------------------


def candidate_value_scores_figure(values: QuerySet[Value]) -> list[Figure]:
    """ "How candidates scored on each value, round by round", for the values insights page.

    The mean panel score per value per round, from submitted score sheets only, in one query.
    """
    values = list(values)
    rows = (
        Score.objects.filter(sheet__submitted_at__isnull=False, value__in=[v.pk for v in values])
        .values_list(
            "value_id",
            "sheet__candidate__round_id",
            "sheet__candidate__round__title",
            "sheet__candidate__round__opens_on",
        )
        .annotate(mean=Avg("score"), candidates=Count("sheet__candidate", distinct=True))
        .order_by()
    )
    means: dict[tuple[int, int], float] = {}
    rounds: dict[int, tuple[date, str]] = {}
    k = min_responses()
    for value_id, round_id, title, opens_on, mean, candidates in rows:
        # Coaches read this page: a mean of one or two candidates' scores would be theirs.
        if candidates < k:
            continue
        means[value_id, round_id] = float(mean)
        rounds[round_id] = (opens_on, title)
    if not means:
        return []
    shown = sorted(rounds, key=lambda pk: (rounds[pk][0], pk))[-FIGURE_ROUNDS:]
    return [
        Figure(
            title="How candidates scored on each value, round by round",
            description=(
                "The panel's mean score for each value, from 0 to 5, in each recruitment round "
                f"(the last {FIGURE_ROUNDS} at most). Only submitted score sheets count, and only "
                f"where at least {k} candidates were scored; a dash means fewer were."
            ),
            columns=["Value", *(rounds[pk][1] for pk in shown)],
            rows=[
                FigureRow(
                    label=value.name,
                    cells=[
                        f"{means[value.pk, pk]:.1f}" if (value.pk, pk) in means else "—"
                        for pk in shown
                    ],
                )
                for value in values
            ],
        )
    ]
