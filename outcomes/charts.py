"""Outcome charts, drawn with the shared chart module. Each page shows a table of the same
figures beside the chart, and the person's words beside both."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from wellbeing.charts import LEFT, BarChart, LineChart, LinePoint, Point, bar_chart, line_chart

from .gas import T_SCORE_BANDS, t_score_band
from .models import GAS_LEVELS, Outcome
from .selectors.goals import ScorePoint

SHORT_BANDS = {"under 40": "<40", "60 and over": "60+"}
# Goal Attainment Scaling's levels short enough for the side of a chart on a phone.
GAS_TICK_WORDS = {
    -2: "Much less",
    -1: "Less",
    0: "As expected",
    1: "More",
    2: "Much more",
}
# Room on the left for the longest of them.
WORDS_LEFT = 84


def _ticks(outcome: Outcome, *, words_only: bool) -> list[tuple[float, str]]:
    if outcome.measure == Outcome.Measure.GAS:
        if words_only:
            return [(level, GAS_TICK_WORDS[level]) for level in GAS_LEVELS]
        return [(level, f"{level:+d}" if level else "0") for level in GAS_LEVELS]
    if outcome.measure == Outcome.Measure.SELF_RATING:
        return [(value, str(value)) for value in (1, 4, 7, 10)]
    return [(value, str(value)) for value, _ in outcome.level_choices()]


def outcome_chart(
    outcome: Outcome, *, theirs_label: str, words_only: bool = False
) -> LineChart | None:
    """The person's ratings and the worker's, review by review (reviews prefetched).
    `theirs_label` names the person's line: "Your rating", or "Peggy's rating". With
    `words_only`, for the person's own pages, Goal Attainment Scaling's levels are marked and
    described in words, without their numbers."""
    rating = outcome.level_words if words_only else outcome.level_label
    reviews = sorted(outcome.reviews.all(), key=lambda review: (review.reviewed_on, review.pk))
    if not reviews:
        return None
    theirs = [
        LinePoint(
            on=review.reviewed_on,
            value=review.person_level,
            description=f"{review.reviewed_on:%-d %B %Y}: {rating(review.person_level)}",
        )
        for review in reviews
        if review.person_level is not None
    ]
    workers = [
        LinePoint(
            on=review.reviewed_on,
            value=review.worker_level,
            description=f"{review.reviewed_on:%-d %B %Y}: {rating(review.worker_level)}",
        )
        for review in reviews
        if review.worker_level is not None
    ]
    if outcome.baseline_level is not None:
        theirs.insert(
            0,
            LinePoint(
                on=outcome.created_on,
                value=outcome.baseline_level,
                description=f"when it was set, {outcome.created_on:%-d %B %Y}: "
                f"{rating(outcome.baseline_level)}",
            ),
        )
    series = [(theirs_label, theirs), ("The worker’s rating", workers)]
    return line_chart(
        [(label, points) for label, points in series if points],
        ticks=_ticks(outcome, words_only=words_only),
        low=outcome.lowest_level,
        high=outcome.highest_level,
        reference=0 if outcome.measure == Outcome.Measure.GAS else None,
        title=f"Ratings of “{outcome.in_their_words}” over time",
        summary=f"{len(reviews)} review{'s' if len(reviews) != 1 else ''}; the table below gives "
        "each rating with its words.",
        left=WORDS_LEFT if words_only and outcome.measure == Outcome.Measure.GAS else LEFT,
    )


def t_score_chart(history: Sequence[ScorePoint], *, name: str) -> LineChart | None:
    if not history:
        return None
    return line_chart(
        [
            (
                "T-score",
                [LinePoint(on=point.on, value=round(point.score, 1)) for point in history],
            )
        ],
        ticks=[(value, str(value)) for value in (20, 30, 40, 50, 60, 70, 80)],
        low=20,
        high=80,
        reference=50,
        title=f"{name}'s goal attainment T-score over time",
        summary="50 means their goals went as expected; above 50, better than expected.",
    )


def t_score_distribution(
    scores: Iterable[float], *, title: str
) -> tuple[BarChart, list[tuple[str, int]]]:
    """How many people's T-scores fall in each band: the spread, not just the middle."""
    counts = Counter(t_score_band(score) for score in scores)
    rows = [(label, counts.get(label, 0)) for label, _, _ in T_SCORE_BANDS]
    chart = bar_chart(
        [
            Point(label=SHORT_BANDS.get(label, label), count=count, description=f"T-score {label}")
            for label, count in rows
        ],
        title=title,
        summary="Number of people in each band of GAS T-score; 50 is as expected.",
    )
    return chart, rows
