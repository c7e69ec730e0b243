"""Charts for the survey reports, drawn on the server as SVG with wellbeing.charts.

The distribution of scores reuses the shared bar chart (templates/includes/charts/
bar_chart.html); the trend across rounds is a line on a fixed 0–10 scale
(templates/recruitment/reports/_trend_chart.html), with a gap wherever a round had too few
answers to show. Every chart sits beside a table of the same figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wellbeing.charts import HEIGHT, LEFT, WIDTH, BarChart, ChartFrame, Point, bar_chart

SCORES = range(1, 11)
SCORE_WORDS = {1: "very poor", 10: "amazing"}

RIGHT = 12
TOP = 18  # room for the mean above the highest point
BOTTOM = 36  # two lines of labels: the round's month, and its year
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


@dataclass(frozen=True)
class TrendMarker:
    label: str
    sublabel: str
    description: str
    mean: float | None
    current: bool
    x: float
    y: float

    @property
    def shown(self) -> bool:
        return self.mean is not None

    @property
    def mean_text(self) -> str:
        return f"{self.mean:.1f}" if self.mean is not None else ""


@dataclass(frozen=True)
class TrendTick:
    value: int
    y: float


@dataclass(frozen=True, kw_only=True)
class TrendChart(ChartFrame):
    markers: list[TrendMarker]
    ticks: list[TrendTick]
    # Each run of consecutive shown rounds is one polyline; a hidden round breaks the line.
    lines: list[str]
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    label_gap: int = 14


def trend_chart(points: Sequence[TrendInput], *, title: str, summary: str = "") -> TrendChart:
    """Mean scores round by round on a 0–10 scale, so rounds are compared at a glance."""
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - RIGHT) / max(len(points), 1)

    def y_for(value: float) -> float:
        return round(HEIGHT - BOTTOM - plot_height * value / TOP_SCORE, 1)

    markers = []
    for index, point in enumerate(points):
        markers.append(
            TrendMarker(
                label=point.label,
                sublabel=point.sublabel,
                description=point.description,
                mean=point.mean,
                current=point.current,
                x=round(LEFT + index * slot + slot / 2, 1),
                y=y_for(point.mean) if point.mean is not None else float(HEIGHT - BOTTOM),
            )
        )
    lines, run = [], []
    for marker in [*markers, None]:
        if marker is not None and marker.shown:
            run.append(f"{marker.x},{marker.y}")
            continue
        if len(run) > 1:
            lines.append(" ".join(run))
        run = []
    ticks = [TrendTick(value=value, y=y_for(value)) for value in range(0, TOP_SCORE + 1, 2)]
    return TrendChart(markers=markers, ticks=ticks, lines=lines, title=title, summary=summary)
