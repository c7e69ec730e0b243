"""Reads for the survey reports: the baseline, round over round, experiments and the CSV.

Each read runs in a fixed number of queries whatever the number of responses: scores are
counted per touch point, group and score in one grouped query, and the mean and median of a
touch point come from those counts. Results are held back wherever fewer than
`settings.SURVEY_MIN_RESPONSES` (k) people answered, so no one's answers can be picked out,
and they are read only from published responses, which change in steps of at least k (see
`survey_publish`), so reading them before and after one answer tells nothing either.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Avg, Count, Q, QuerySet
from django.template.loader import render_to_string

from values.models import Value
from values.registry import Figure, FigureRow
from wellbeing.accounts.models import User
from wellbeing.notifications.models import OutboxEmail

from ..models import (
    Candidate,
    Experiment,
    Round,
    Score,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    TouchPoint,
)
from ..permissions import rounds_reported_to

# Below this many answers a mean moves a lot with one person's score: the report says so.
FEW_TO_READ = 10
# The trend shows this round and up to this many rounds before it.
TREND_ROUNDS = 8
# The values figure shows the most recent rounds with scores.
FIGURE_ROUNDS = 6
GROUPS_COMPARED = (SurveyResponse.Group.SUCCESSFUL, SurveyResponse.Group.UNSUCCESSFUL)


def min_responses() -> int:
    return settings.SURVEY_MIN_RESPONSES


def enough_to_show(n: int) -> bool:
    """The one k-anonymity rule: a count, a mean or a breakdown is shown only where at least
    k people are behind it. Every page, the CSV and the API ask here."""
    return n >= min_responses()


@dataclass(frozen=True)
class Disclosure:
    """What a round's survey results may show, decided from how many answered in each group.

    Only published responses count; `waiting` says how many have arrived since the last
    publication (a number, never whose).
    """

    group_responses: dict[str, int]
    waiting: int = 0

    @property
    def responses(self) -> int:
        return sum(self.group_responses.values())

    @property
    def enough(self) -> bool:
        """Anything at all: numbers, written answers, the CSV."""
        return enough_to_show(self.responses)

    @property
    def breakdown(self) -> bool:
        """Successful and unsuccessful candidates apart: only where each group has k."""
        return all(enough_to_show(self.group_responses.get(g, 0)) for g in GROUPS_COMPARED)


def survey_disclosure(*, round_: Round) -> Disclosure:
    """In one query, whatever the number of responses."""
    groups: dict[str, int] = {}
    waiting = 0
    rows = (
        SurveyResponse.objects.filter(round=round_)
        .values_list("group", "published")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group, published, n in rows:
        if published:
            groups[group] = n
        else:
            waiting += n
    return Disclosure(groups, waiting)


def report_list(*, user: User) -> list[Round]:
    """The rounds whose reports a user may open, newest first, each with `responses` and
    `responses_shown` (whether that count may be given)."""
    rounds = list(
        rounds_reported_to(user)
        .annotate(responses=Count("survey_responses", filter=Q(survey_responses__published=True)))
        .order_by("-opens_on", "-pk")
    )
    for round_ in rounds:
        round_.responses_shown = enough_to_show(round_.responses)
    return rounds


def previous_round(round_: Round) -> Round | None:
    """The round that ran before this one: its candidates' feedback shaped this one."""
    return (
        Round.objects.exclude(status=Round.Status.DRAFT)
        .filter(Q(opens_on__lt=round_.opens_on) | Q(opens_on=round_.opens_on, pk__lt=round_.pk))
        .order_by("-opens_on", "-pk")
        .first()
    )


def you_said_we_did_recipients(*, round_: Round) -> QuerySet[Candidate]:
    """Candidates of the round before `round_` whose feedback led to its changes and who may
    be written to: they have an email address, agreed to be contacted and did not unsubscribe
    from the survey."""
    previous = previous_round(round_)
    if previous is None:
        return Candidate.objects.none()
    return (
        Candidate.objects.filter(
            round=previous, email__isnull=False, consent_contact=True, erased_at__isnull=True
        )
        .exclude(email="")
        .exclude(survey_invitation__unsubscribed_at__isnull=False)
        .order_by("pk")
    )


def you_said_we_did_preview(*, round_: Round) -> dict:
    """What "you said, we did" would send, before anyone presses send: the email as the
    candidates would read it (with a stand-in for each one's name), and how many would get it
    (those who have not had it already)."""
    previous = previous_round(round_)
    experiments = list(round_.experiments.order_by("touch_point_key", "pk"))
    names = dict(round_.touch_points.values_list("key", "name"))
    recipients = list(you_said_we_did_recipients(round_=round_).values_list("pk", flat=True))
    already = set(
        OutboxEmail.objects.filter(
            idempotency_key__in=[f"you-said-we-did:{round_.pk}:{pk}" for pk in recipients]
        ).values_list("idempotency_key", flat=True)
    )
    context = {
        "candidate": {"name": "[their name]"},
        "round": round_,
        "previous_round": previous,
        "changes": [
            {"touch_point": names.get(e.touch_point_key, e.touch_point_key), "experiment": e}
            for e in experiments
        ],
    }
    ready = bool(previous and experiments)
    return {
        "previous_round": previous,
        "recipients": len(recipients),
        "to_send": len(recipients) - len(already),
        "subject": render_to_string(
            "emails/recruitment/you_said_we_did_subject.txt", context
        ).strip()
        if ready
        else "",
        "body": render_to_string("emails/recruitment/you_said_we_did.txt", context)
        if ready
        else "",
    }


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
        return enough_to_show(self.n)

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
        return enough_to_show(self.n)

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
    disclosure: Disclosure
    touch_points: list[TouchPointReport]
    experiments: list[ExperimentResult]
    previous_round: Round | None
    free_text: bool

    @property
    def group_responses(self) -> dict[str, int]:
        return self.disclosure.group_responses

    @property
    def responses(self) -> int:
        return self.disclosure.responses

    @property
    def enough(self) -> bool:
        return self.disclosure.enough

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
        return self.disclosure.breakdown

    @property
    def few(self) -> bool:
        return self.responses < FEW_TO_READ

    @property
    def improve_first(self) -> TouchPointReport | None:
        """The step with the lowest mean among those shown: where to improve first."""
        shown = [tp for tp in self.touch_points if tp.scores.shown]
        return min(shown, key=lambda tp: (tp.scores.mean, tp.touch_point.order), default=None)


def _score_counts(round_: Round) -> dict[int, dict[str, dict[int, int]]]:
    """{touch point id: {group: {score: count}}} in one grouped query."""
    counts: dict[int, dict[str, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    rows = (
        SurveyAnswer.objects.filter(
            response__round=round_, response__published=True, score__isnull=False
        )
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
        SurveyAnswer.objects.filter(response__round=round_, response__published=True)
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
        SurveyAnswer.objects.filter(
            score__isnull=False, response__published=True, touch_point__key__in=keys
        )
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
    touch_points = list(round_.touch_points.all())
    invitations = SurveyInvitation.objects.filter(candidate__round=round_).aggregate(
        sent=Count("pk"), completed=Count("pk", filter=Q(completed=True))
    )
    disclosure = survey_disclosure(round_=round_)
    counts = _score_counts(round_)
    text = _free_text(round_) if free_text else {}
    experiments = list(Experiment.objects.filter(round=round_).order_by("touch_point_key", "pk"))
    previous = previous_round(round_)
    trends = _trends(
        round_, {tp.key for tp in touch_points} | {e.touch_point_key for e in experiments}
    )

    reports = []
    for touch_point in touch_points:
        by_group = counts.get(touch_point.pk, {})
        total: dict[int, int] = defaultdict(int)
        for scores in by_group.values():
            for score, n in scores.items():
                total[score] += n
        worked_well, improve = text.get(touch_point.pk, ([], [])) if disclosure.enough else ([], [])
        reports.append(
            TouchPointReport(
                touch_point=touch_point,
                scores=ScoreSummary(dict(total)),
                groups=_group_scores(by_group) if disclosure.breakdown else None,
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
        min_responses=min_responses(),
        invitations_sent=invitations["sent"],
        invitations_completed=invitations["completed"],
        disclosure=disclosure,
        touch_points=reports,
        experiments=results,
        previous_round=previous,
        free_text=free_text,
    )


def survey_results(*, round_: Round) -> dict:
    """A round's results as numbers only, for the API: withheld below k like the page."""
    report = round_report(round_=round_, free_text=False)
    enough = report.enough

    def shown(item: TouchPointReport) -> bool:
        return enough and item.scores.shown

    return {
        "round": round_.pk,
        "min_responses": report.min_responses,
        "responses": report.responses if enough else None,
        "enough_responses": enough,
        "response_rate": report.response_rate if enough else None,
        "touch_points": [
            {
                "key": item.touch_point.key,
                "name": item.touch_point.name,
                # Like the mean: below k, even how many scored it is not given.
                "n": item.scores.n if shown(item) else None,
                "mean": item.scores.mean if shown(item) else None,
                "median": item.scores.median if shown(item) else None,
                "distribution": {str(s): item.scores.count_of(s) for s in range(1, 11)}
                if shown(item)
                else None,
                "change_from_previous_round": item.change if enough else None,
            }
            for item in report.touch_points
        ],
    }


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


def report_csv_rows(*, round_: Round, disclosure: Disclosure) -> Iterator[list[str]]:
    """One row per answer, sorted by touch point and then by the responses' random ids.

    The group (successful or not) is given only where each group has at least k responses,
    the same rule as the report's breakdown; otherwise it could single someone out. Only the
    month is given: a day, set beside the day each candidate was told, could name them.
    """
    with_group = disclosure.breakdown
    rows = (
        SurveyAnswer.objects.filter(response__round=round_, response__published=True)
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
    for value_id, round_id, title, opens_on, mean, candidates in rows:
        # Coaches read this page: a mean of one or two candidates' scores would be theirs.
        if not enough_to_show(candidates):
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
                f"where at least {min_responses()} candidates were scored; a dash means fewer were."
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
