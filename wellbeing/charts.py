"""Bar charts and line charts drawn on the server as SVG: no JavaScript, nothing fetched from
elsewhere.

The geometry is worked out here; templates/includes/charts/bar_chart.html and line_chart.html
draw it. Every chart is shown with a table of the same figures, so nothing depends on seeing it.
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


# --- Lines ---------------------------------------------------------------------------------------
# Values on a fixed scale (a survey's 0–10, a pulse's 1–5, an outcome's −2 to +2, a T-score), so
# one chart is compared with another at a glance. Points either stand in even steps, each named
# below (round by round, pulse by pulse), or along a time axis by date, so that a long gap between
# reviews looks long. A withheld value (too few answers to show) breaks the line and says so.
# Drawn by templates/includes/charts/line_chart.html.

LINE_RIGHT = 16
LINE_BOTTOM = 36  # two lines of labels: e.g. the month, and its year
DATE_INSET = 12  # dated points keep clear of the scale and of the right edge


@dataclass(frozen=True, kw_only=True)
class LinePoint:
    """One value on a line; `value` is None where there is too little behind it to show.

    Give `on` to place the point by its date; without it, points stand in even steps, each
    named by `label` and `sublabel` below it. `current` marks the one the page is about."""

    value: float | None
    description: str = ""
    on: date | None = None
    label: str = ""
    sublabel: str = ""
    current: bool = False


@dataclass(frozen=True)
class LineMarker:
    x: float
    y: float
    value: float | None
    description: str
    current: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None

    @property
    def value_text(self) -> str:
        return f"{self.value:.1f}" if self.value is not None else ""

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
    # Each run of consecutive shown points is one polyline; a withheld point breaks the line.
    runs: list[str]
    # Second and later series are dashed with square markers: told apart without colour.
    dashed: bool = False
    square: bool = False


@dataclass(frozen=True)
class LineTick:
    value: float
    label: str
    y: float
    # A line of reference, such as "as expected": drawn darker and dashed.
    emphasis: bool = False


@dataclass(frozen=True)
class AxisLabel:
    x: float
    label: str
    sublabel: str = ""
    current: bool = False


@dataclass(frozen=True, kw_only=True)
class LineChart(ChartFrame):
    series: list[LineSeries]
    ticks: list[LineTick]
    labels: list[AxisLabel]
    # Each shown point carries its value above it.
    values_shown: bool = False
    # Said where a point has too little behind it to show, e.g. "too few".
    hidden_text: str = "too few"
    right: int = WIDTH - LINE_RIGHT
    baseline: int = HEIGHT - LINE_BOTTOM
    label_gap: int = 14


def _runs(markers: Sequence[LineMarker]) -> list[str]:
    runs, run = [], []
    for marker in [*markers, None]:
        if marker is not None and marker.shown:
            run.append(f"{marker.x},{marker.y}")
            continue
        if len(run) > 1:
            runs.append(" ".join(run))
        run = []
    return runs


def _describe(point: LinePoint) -> str:
    name = f"{point.on:%-d %b %Y}" if point.on else point.label
    return f"{name}: {point.value:g}" if point.value is not None else name


def line_chart(
    series: Sequence[tuple[str, Sequence[LinePoint]]],
    *,
    low: float,
    high: float,
    ticks: Sequence[tuple[float, str]] | None = None,
    step: float = 1,
    reference: float | None = None,
    title: str = "",
    summary: str = "",
    values_shown: bool = False,
    hidden_text: str = "too few",
    left: int = LEFT,
) -> LineChart:
    """Lines of `(name, points)` on a scale from `low` to `high`, marked at `ticks` (value,
    label), or every `step` without them; the tick at `reference` is drawn as a line of
    reference. Every point of every line is dated, or none is. `left` makes room for ticks
    labelled in words."""
    points = [point for _, line in series for point in line]
    dated = [point.on is not None for point in points]
    if any(dated) and not all(dated):
        raise ValueError("Either every point of a line chart has a date, or none has.")
    right = WIDTH - LINE_RIGHT
    plot_height = HEIGHT - TOP - LINE_BOTTOM
    baseline = HEIGHT - LINE_BOTTOM

    def y_for(value: float) -> float:
        share = (value - low) / (high - low) if high != low else 0.5
        return round(baseline - plot_height * share, 1)

    by_date = bool(points) and all(dated)
    days = sorted({point.on for point in points if point.on is not None})
    first, last = (days[0], days[-1]) if days else (date.min, date.min)
    plot_left, plot_right = left + DATE_INSET, right - DATE_INSET
    slot = (right - left) / max(max((len(line) for _, line in series), default=0), 1)

    def x_for(point: LinePoint, index: int) -> float:
        if not by_date:
            return round(left + index * slot + slot / 2, 1)
        if len(days) == 1 or point.on is None:
            return round((plot_left + plot_right) / 2, 1)
        share = (point.on - first).days / max((last - first).days, 1)
        return round(plot_left + (plot_right - plot_left) * share, 1)

    lines = []
    for number, (name, line) in enumerate(series):
        ordered = sorted(line, key=lambda point: point.on or date.min) if by_date else line
        markers = [
            LineMarker(
                x=x_for(point, index),
                y=y_for(point.value) if point.value is not None else float(baseline),
                value=point.value,
                description=point.description or _describe(point),
                current=point.current,
            )
            for index, point in enumerate(ordered)
        ]
        lines.append(
            LineSeries(
                name=name,
                markers=markers,
                runs=_runs(markers),
                dashed=number > 0,
                square=number > 0,
            )
        )
    if by_date:
        # The first date and the last along the bottom, with the year under each where it
        # changes.
        shown = [first, last] if len(days) > 1 else days
        labels = [
            AxisLabel(
                x=x_for(LinePoint(value=None, on=day), 0),
                label=f"{day:%-d %b}",
                sublabel=f"{day:%Y}" if index == 0 or day.year != shown[0].year else "",
            )
            for index, day in enumerate(shown)
        ]
    else:
        longest = max((line for _, line in series), key=len, default=[])
        labels = [
            AxisLabel(
                x=x_for(point, index),
                label=point.label,
                sublabel=point.sublabel,
                current=point.current,
            )
            for index, point in enumerate(longest)
        ]
    if ticks is None:
        ticks = [
            (low + n * step, f"{low + n * step:g}") for n in range(round((high - low) / step) + 1)
        ]
    return LineChart(
        series=lines,
        ticks=[
            LineTick(value=value, label=label, y=y_for(value), emphasis=value == reference)
            for value, label in ticks
        ],
        labels=labels,
        title=title,
        summary=summary,
        values_shown=values_shown,
        hidden_text=hidden_text,
        left=left,
    )
