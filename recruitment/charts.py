"""Charts for the survey reports, drawn on the server as SVG with wellbeing.charts.

The distribution of scores reuses the shared bar chart (templates/includes/charts/
bar_chart.html); the trend across rounds is the shared line chart on a fixed 0–10 scale
(templates/includes/charts/line_chart.html), with a gap wherever a round had too few
answers to show. Every chart sits beside a table of the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wellbeing.charts import BarChart, LineChart, LinePoint, Point, bar_chart, line_chart

SCORES = range(1, 11)
SCORE_WORDS = {1: "very poor", 10: "amazing"}

TOP_SCORE = 10
# "amazing" under the last bar needs more room on the right than the bar chart leaves.
DISTRIBUTION_RIGHT = 22


def score_distribution_chart(
    counts: Mapping[int, int], *, title: str, summary: str = ""
) -> BarChart:
    """How many people gave each score from 1 to 10; the ends are named as on the survey."""
    return bar_chart(
        [
            Point(
                label=str(score),
                sublabel=SCORE_WORDS.get(score, ""),
                description=f"Score {score}"
                + (f" ({SCORE_WORDS[score]})" if score in SCORE_WORDS else ""),
                count=counts.get(score, 0),
            )
            for score in SCORES
        ],
        title=title,
        summary=summary,
        right_margin=DISTRIBUTION_RIGHT,
    )


@dataclass(frozen=True)
class TrendInput:
    label: str
    sublabel: str
    description: str
    mean: float | None  # None where the round's answers are too few to show
    current: bool = False


def trend_chart(points: Sequence[TrendInput], *, title: str, summary: str = "") -> LineChart:
    """Mean scores round by round on a 0–10 scale, so rounds are compared at a glance."""
    return line_chart(
        [
            (
                "",
                [
                    LinePoint(
                        label=point.label,
                        sublabel=point.sublabel,
                        description=point.description,
                        value=point.mean,
                        current=point.current,
                    )
                    for point in points
                ],
            )
        ],
        title=title,
        summary=summary,
        low=0,
        high=TOP_SCORE,
        step=2,
        values_shown=True,
    )
