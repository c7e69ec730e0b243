"""Reads about outcomes and reviews: scores, honesty signals and the figures built on them.

Every figure is computed from one row per outcome (`outcome_rows`), made in one query with its
reviews counted and its latest rating attached, so lists and dashboards cost the same number of
queries for five people or five thousand.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from teams.models import Person

from .. import gas
from ..models import Outcome, Review

# Honesty signals look at outcomes reviewed at least this often: fewer is not a pattern.
PATTERN_REVIEWS = 3
# "Reviews without the person's own words" counts reviews this recent.
RECENT_REVIEWS = timedelta(days=183)
SCORED = (Outcome.Status.ACTIVE, Outcome.Status.ACHIEVED)


def _later_not_higher() -> Exists:
    """For a review (the outer row): a later review of the same outcome rated no higher."""
    return Exists(
        Review.objects.filter(
            outcome_id=OuterRef("outcome_id"), level__lte=OuterRef("level")
        ).filter(
            Q(reviewed_on__gt=OuterRef("reviewed_on"))
            | Q(reviewed_on=OuterRef("reviewed_on"), pk__gt=OuterRef("pk"))
        )
    )


def outcomes_with_figures(queryset: QuerySet[Outcome], *, today: date) -> QuerySet[Outcome]:
    """Outcomes annotated with what the lists and signals need, in the same query."""
    latest = Review.objects.filter(outcome_id=OuterRef("pk")).order_by("-reviewed_on", "-pk")
    since = today - RECENT_REVIEWS
    return queryset.annotate(
        n_reviews=Count("reviews"),
        n_not_expected=Count("reviews", filter=~Q(reviews__level=0)),
        n_recent=Count("reviews", filter=Q(reviews__reviewed_on__gte=since)),
        n_recent_without_words=Count(
            "reviews", filter=Q(reviews__reviewed_on__gte=since, reviews__person_words="")
        ),
        latest_level=Subquery(latest.values("level")[:1]),
        latest_reviewed_on=Subquery(latest.values("reviewed_on")[:1]),
        ever_not_higher=Exists(
            Review.objects.filter(outcome_id=OuterRef("pk")).filter(_later_not_higher())
        ),
    )


@dataclass(frozen=True)
class OutcomeRow:
    """One outcome as the dashboards count it."""

    pk: int
    person_id: int
    team_id: int
    status: str
    measure: str
    weight: int
    review_due: date
    n_reviews: int
    n_not_expected: int
    n_recent: int
    n_recent_without_words: int
    latest_level: int | None
    ever_not_higher: bool

    @property
    def active(self) -> bool:
        return self.status == Outcome.Status.ACTIVE

    def overdue(self, today: date) -> bool:
        return self.active and self.review_due < today

    @property
    def always_as_expected(self) -> bool:
        """Every review of a goal "as expected": maybe true, maybe nobody is looking."""
        return (
            self.active
            and self.measure == Outcome.Measure.GAS
            and self.n_reviews >= PATTERN_REVIEWS
            and self.n_not_expected == 0
        )

    @property
    def only_ever_up(self) -> bool:
        """Each review rated higher than the one before: the score may be changing rather than
        the game."""
        return self.active and self.n_reviews >= PATTERN_REVIEWS and not self.ever_not_higher


def outcome_rows(
    *, people: QuerySet[Person] | Iterable[int], today: date | None = None
) -> list[OutcomeRow]:
    """Every outcome of these people (a queryset or ids), with its figures. One query."""
    today = today or timezone.localdate()
    queryset = Outcome.objects.filter(person__in=people, person__erasure__isnull=True)
    rows = outcomes_with_figures(queryset, today=today).values(
        "pk",
        "person_id",
        "person__team_id",
        "status",
        "measure",
        "weight",
        "review_due",
        "n_reviews",
        "n_not_expected",
        "n_recent",
        "n_recent_without_words",
        "latest_level",
        "ever_not_higher",
    )
    return [OutcomeRow(team_id=row.pop("person__team_id"), **row) for row in rows.order_by("pk")]


def t_score_of(rows: Iterable[OutcomeRow]) -> float | None:
    """The GAS T-score over a person's goals: active and achieved ones, each at its latest
    review."""
    return gas.t_score(
        gas.GoalLevel(level=row.latest_level, weight=row.weight)
        for row in rows
        if row.measure == Outcome.Measure.GAS
        and row.status in SCORED
        and row.latest_level is not None
    )


@dataclass
class Figures:
    """Outcome figures for a group — a person, a team, or all of a coach's teams."""

    active: int = 0
    achieved: int = 0
    overdue: int = 0
    always_as_expected: int = 0
    only_ever_up: int = 0
    recent_reviews: int = 0
    recent_without_words: int = 0
    next_review: date | None = None
    t_scores: list[float] = field(default_factory=list)

    @property
    def prompts(self) -> int:
        return self.always_as_expected + self.only_ever_up

    def add(self, row: OutcomeRow, today: date) -> None:
        self.active += row.active
        self.achieved += row.status == Outcome.Status.ACHIEVED
        self.overdue += row.overdue(today)
        self.always_as_expected += row.always_as_expected
        self.only_ever_up += row.only_ever_up
        if row.active:
            self.recent_reviews += row.n_recent
            self.recent_without_words += row.n_recent_without_words
            if self.next_review is None or row.review_due < self.next_review:
                self.next_review = row.review_due


def figures_by(
    rows: Iterable[OutcomeRow], key: str, *, today: date | None = None
) -> dict[int, Figures]:
    """Figures per person (`key="person_id"`) or per team (`"team_id"`), with each person's
    T-score in `t_scores`."""
    today = today or timezone.localdate()
    groups: dict[int, Figures] = defaultdict(Figures)
    per_person: dict[int, list[OutcomeRow]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, key)].add(row, today)
        per_person[row.person_id].append(row)
    for person_rows in per_person.values():
        score = t_score_of(person_rows)
        if score is not None:
            groups[getattr(person_rows[0], key)].t_scores.append(score)
    return dict(groups)


# Outcomes being worked on first, then achieved, then the rest.
STATUS_ORDER = Case(
    When(status=Outcome.Status.ACTIVE, then=Value(0)),
    When(status=Outcome.Status.ACHIEVED, then=Value(1)),
    default=Value(2),
)


def outcome_list_for(person: Person, *, before: date | None = None) -> list[Outcome]:
    """A person's outcomes, those being worked on first, newest first within each status,
    each with its reviews (newest first) and scale levels. Three queries.

    `before` reads the record as it stood then: outcomes set and reviews held before that day,
    so that a past month's statement quotes that month's words, not later ones.
    """
    outcomes = Outcome.objects.filter(person=person)
    reviews = Review.objects.order_by("-reviewed_on", "-pk")
    if before is not None:
        outcomes = outcomes.filter(created_on__lt=before)
        reviews = reviews.filter(reviewed_on__lt=before)
    return list(
        outcomes.select_related("scale")
        .prefetch_related(Prefetch("reviews", queryset=reviews), "scale__levels")
        .order_by(STATUS_ORDER, "-created_on", "-pk")
    )


def get_outcome(person: Person, pk: int) -> Outcome | None:
    return (
        Outcome.objects.filter(person=person, pk=pk)
        .select_related("scale", "created_by")
        .prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("person_view_by").order_by(
                    "-reviewed_on", "-pk"
                ),
            ),
            "scale__levels",
        )
        .first()
    )


@dataclass(frozen=True)
class ScorePoint:
    on: date
    score: float


def t_score_history(outcomes: Iterable[Outcome]) -> list[ScorePoint]:
    """The person's T-score on each day a goal was reviewed, from their prefetched reviews:
    each goal counts at its latest rating so far, from its first review on."""
    goals = [
        outcome
        for outcome in outcomes
        if outcome.measure == Outcome.Measure.GAS and outcome.status in SCORED
    ]
    events = sorted(
        (review.reviewed_on, review.pk, outcome.pk, outcome.weight, review.level)
        for outcome in goals
        for review in outcome.reviews.all()
    )
    current: dict[int, gas.GoalLevel] = {}
    points: dict[date, float] = {}
    for day, _, outcome_pk, weight, level in events:
        current[outcome_pk] = gas.GoalLevel(level=level, weight=weight)
        points[day] = gas.t_score(current.values())
    return [ScorePoint(on=day, score=score) for day, score in points.items()]
