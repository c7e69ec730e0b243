"""Bar charts drawn on the server as SVG: no JavaScript, nothing fetched from elsewhere.

The geometry is worked out here; templates/includes/charts/bar_chart.html draws it. Every chart is
shown with a table of the same figures, so nothing depends on seeing the bars.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

WIDTH = 360
HEIGHT = 190
LEFT = 28  # room for the scale's numbers
RIGHT = 4
TOP = 18  # room for the count above the tallest bar
BOTTOM = 40  # two lines of labels: the month, and the year where it changes


@dataclass(frozen=True)
class Bar:
    label: str
    sublabel: str
    description: str
    count: int
    x: float
    y: float
    width: float
    height: float

    @property
    def centre(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Tick:
    count: int
    y: float


@dataclass(frozen=True, kw_only=True)
class ChartFrame:
    """The drawing area every chart shares: a scale on the left, two lines of labels below."""

    title: str = ""
    summary: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM
    label_gap: int = 16

    @property
    def scale_x(self) -> int:
        return self.left - 6

    @property
    def label_y(self) -> int:
        return self.baseline + self.label_gap

    @property
    def sublabel_y(self) -> int:
        return self.baseline + 2 * self.label_gap


@dataclass(frozen=True, kw_only=True)
class BarChart(ChartFrame):
    bars: list[Bar]
    ticks: list[Tick]


@dataclass(frozen=True)
class Point:
    label: str
    count: int
    sublabel: str = ""
    description: str = ""


def _scale_step(highest: int) -> int:
    """A round step that divides the scale into at most four parts."""
    for magnitude in (1, 10, 100, 1000, 10000):
        for step in (1, 2, 5):
            if math.ceil(highest / (step * magnitude)) <= 4:
                return step * magnitude
    return math.ceil(highest / 4)


def bar_chart(
    points: Sequence[Point], *, title: str = "", summary: str = "", right_margin: int = RIGHT
) -> BarChart:
    """`right_margin` makes room for a long label under the last bar."""
    highest = max((point.count for point in points), default=0)
    step = _scale_step(max(highest, 1))
    top = step * math.ceil(max(highest, 1) / step)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT - right_margin) / max(len(points), 1)
    bar_width = round(slot * 0.7, 1)
    bars = []
    for index, point in enumerate(points):
        height = round(plot_height * point.count / top, 1)
        bars.append(
            Bar(
                label=point.label,
                sublabel=point.sublabel,
                description=point.description,
                count=point.count,
                x=round(LEFT + index * slot + (slot - bar_width) / 2, 1),
                y=round(HEIGHT - BOTTOM - height, 1),
                width=bar_width,
                height=height,
            )
        )
    ticks = [
        Tick(count=count, y=round(HEIGHT - BOTTOM - plot_height * count / top, 1))
        for count in range(0, top + 1, step)
    ]
    return BarChart(
        bars=bars, ticks=ticks, title=title, summary=summary, right=WIDTH - right_margin
    )


def _year_starts(index: int, month: date) -> bool:
    # The first bar names its year too, unless it is December: January's year would sit
    # right beside it, and there is no room for both.
    return month.month == 1 or (index == 0 and month.month != 12)


def monthly_bar_chart(
    counts: Sequence[tuple[date, int]], *, title: str = "", summary: str = ""
) -> BarChart:
    """Bars for consecutive months, named by month, with the year shown where it starts."""
    return bar_chart(
        [
            Point(
                label=f"{month:%b}",
                sublabel=f"{month:%Y}" if _year_starts(index, month) else "",
                description=f"{month:%B %Y}",
                count=count,
            )
            for index, (month, count) in enumerate(counts)
        ],
        title=title,
        summary=summary,
    )


# --- Trend lines ---------------------------------------------------------------------------------

TREND_RIGHT = 12
TREND_TOP = 18  # room for the value above the highest point
TREND_BOTTOM = 36  # two lines of labels: e.g. the month, and its year


@dataclass(frozen=True)
class TrendPoint:
    """One moment on a trend line; `value` is None where there is too little to show."""

    label: str
    value: float | None
    sublabel: str = ""
    description: str = ""
    current: bool = False


@dataclass(frozen=True)
class TrendMarker:
    label: str
    sublabel: str
    description: str
    value: float | None
    current: bool
    x: float
    y: float

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def value_text(self) -> str:
        return f"{self.value:.1f}" if self.value is not None else ""


@dataclass(frozen=True)
class TrendTick:
    value: float
    y: float

    @property
    def value_text(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True, kw_only=True)
class TrendChart(ChartFrame):
    markers: list[TrendMarker]
    ticks: list[TrendTick]
    # Each run of consecutive shown points is one polyline; a hidden point breaks the line.
    lines: list[str]
    right: int = WIDTH - TREND_RIGHT
    baseline: int = HEIGHT - TREND_BOTTOM
    label_gap: int = 14
    # Said where a point has too little behind it to show, e.g. "too few".
    hidden_text: str = "too few"


def trend_chart(
    points: Sequence[TrendPoint],
    *,
    title: str,
    summary: str = "",
    bottom: float = 0,
    top: float = 10,
    step: float = 2,
    hidden_text: str = "too few",
) -> TrendChart:
    """A line through values on a fixed scale from `bottom` to `top` (a survey's 0–10, a
    pulse's 1–5), so that one chart is compared with another at a glance, with a gap wherever
    a value is withheld. templates/includes/charts/trend_chart.html draws it."""
    plot_height = HEIGHT - TREND_TOP - TREND_BOTTOM
    slot = (WIDTH - LEFT - TREND_RIGHT) / max(len(points), 1)
    span = top - bottom

    def y_for(value: float) -> float:
        return round(HEIGHT - TREND_BOTTOM - plot_height * (value - bottom) / span, 1)

    markers = [
        TrendMarker(
            label=point.label,
            sublabel=point.sublabel,
            description=point.description,
            value=point.value,
            current=point.current,
            x=round(LEFT + index * slot + slot / 2, 1),
            y=y_for(point.value) if point.value is not None else float(HEIGHT - TREND_BOTTOM),
        )
        for index, point in enumerate(points)
    ]
    lines, run = [], []
    for marker in [*markers, None]:
        if marker is not None and marker.shown:
            run.append(f"{marker.x},{marker.y}")
            continue
        if len(run) > 1:
            lines.append(" ".join(run))
        run = []
    count = round(span / step)
    ticks = [
        TrendTick(value=bottom + n * step, y=y_for(bottom + n * step)) for n in range(count + 1)
    ]
    return TrendChart(
        markers=markers,
        ticks=ticks,
        lines=lines,
        title=title,
        summary=summary,
        hidden_text=hidden_text,
    )


# --- Rating lines over time (added for outcomes) ---------------------------------------------
# Ratings on a fixed scale (−2 to +2, 1 to 10, a T-score) at irregular dates, one line per view
# (the person's, the worker's), placed along the time axis by date so that a long gap between
# reviews looks long. Drawn by templates/includes/charts/rating_line_chart.html. The shared
# line/trend chart may take this over when it lands.

LINE_RIGHT = 16
LINE_BOTTOM = 36


@dataclass(frozen=True)
class LineMarker:
    x: float
    y: float
    value: float
    description: str

    @property
    def corner_x(self) -> float:
        """Where a square marker's corner goes, so that the square sits on the point."""
        return round(self.x - 5, 1)

    @property
    def corner_y(self) -> float:
        return round(self.y - 5, 1)


@dataclass(frozen=True)
class LineSeries:
    name: str
    markers: list[LineMarker]
    # Second and later series are dashed with square markers: told apart without colour.
    dashed: bool
    square: bool

    @property
    def path(self) -> str:
        return " ".join(f"{marker.x},{marker.y}" for marker in self.markers)


@dataclass(frozen=True)
class LineTick:
    label: str
    y: float
    # A line of reference, such as "as expected": drawn darker than the rest.
    emphasis: bool = False


@dataclass(frozen=True)
class AxisLabel:
    x: float
    label: str
    sublabel: str = ""


@dataclass(frozen=True, kw_only=True)
class RatingLineChart(ChartFrame):
    series: list[LineSeries]
    ticks: list[LineTick]
    dates: list[AxisLabel]
    right: int = WIDTH - LINE_RIGHT
    baseline: int = HEIGHT - LINE_BOTTOM
    label_gap: int = 14


@dataclass(frozen=True)
class RatingPoint:
    on: date
    value: float
    description: str = ""


def rating_line_chart(
    series: Sequence[tuple[str, Sequence[RatingPoint]]],
    *,
    ticks: Sequence[tuple[float, str]],
    low: float,
    high: float,
    reference: float | None = None,
    title: str = "",
    summary: str = "",
) -> RatingLineChart:
    """Lines of ratings between `low` and `high`, dated along the bottom."""
    days = sorted({point.on for _, points in series for point in points})
    first, last = (days[0], days[-1]) if days else (date.min, date.min)
    span = max((last - first).days, 1)
    plot_left, plot_right = LEFT + 12, WIDTH - LINE_RIGHT - 12
    plot_height = HEIGHT - TOP - LINE_BOTTOM

    def x_for(day: date) -> float:
        if len(days) == 1:
            return round((plot_left + plot_right) / 2, 1)
        return round(plot_left + (plot_right - plot_left) * (day - first).days / span, 1)

    def y_for(value: float) -> float:
        share = (value - low) / (high - low) if high != low else 0.5
        return round(HEIGHT - LINE_BOTTOM - plot_height * share, 1)

    lines = [
        LineSeries(
            name=name,
            markers=[
                LineMarker(
                    x=x_for(point.on),
                    y=y_for(point.value),
                    value=point.value,
                    description=point.description or f"{point.on:%-d %b %Y}: {point.value:g}",
                )
                for point in sorted(points, key=lambda point: point.on)
            ],
            dashed=index > 0,
            square=index > 0,
        )
        for index, (name, points) in enumerate(series)
    ]
    # Dates along the bottom: the first and the last, and the year under each where it changes.
    shown = [first, last] if len(days) > 1 else days
    dates = [
        AxisLabel(
            x=x_for(day),
            label=f"{day:%-d %b}",
            sublabel=f"{day:%Y}" if index == 0 or day.year != shown[0].year else "",
        )
        for index, day in enumerate(shown)
    ]
    return RatingLineChart(
        series=lines,
        ticks=[
            LineTick(label=label, y=y_for(value), emphasis=value == reference)
            for value, label in ticks
        ],
        dates=dates,
        title=title,
        summary=summary,
    )
