"""The one line chart every app draws: pulse trends, survey rounds, outcomes over time."""

from __future__ import annotations

from datetime import date

import pytest
from django.template.loader import render_to_string

from wellbeing.charts import LinePoint, line_chart


def _render(chart) -> str:
    return render_to_string("includes/charts/line_chart.html", {"chart": chart, "chart_id": "c"})


def test_points_without_dates_stand_in_even_steps_named_below():
    chart = line_chart(
        [("", [LinePoint(label=m, value=v) for m, v in [("Jan", 2), ("Feb", 4), ("Mar", 3)]])],
        low=0,
        high=10,
        step=2,
    )
    xs = [marker.x for marker in chart.series[0].markers]
    assert xs[1] - xs[0] == pytest.approx(xs[2] - xs[1])
    assert [label.label for label in chart.labels] == ["Jan", "Feb", "Mar"]
    assert [tick.label for tick in chart.ticks] == ["0", "2", "4", "6", "8", "10"]


def test_dated_points_stand_as_far_apart_as_their_dates():
    chart = line_chart(
        [
            (
                "Rating",
                [
                    LinePoint(on=date(2024, 1, 1), value=1),
                    LinePoint(on=date(2024, 1, 11), value=2),
                    LinePoint(on=date(2024, 4, 10), value=3),
                ],
            )
        ],
        low=1,
        high=10,
    )
    first, second, third = (marker.x for marker in chart.series[0].markers)
    # 10 days, then 90 days: the second gap is nine times the first.
    assert third - second == pytest.approx(9 * (second - first), abs=0.5)


def test_dated_points_are_drawn_in_date_order_with_the_first_and_last_dates_below():
    chart = line_chart(
        [
            (
                "Rating",
                [
                    LinePoint(on=date(2025, 2, 3), value=3),
                    LinePoint(on=date(2024, 11, 20), value=1),
                ],
            )
        ],
        low=1,
        high=10,
    )
    assert [marker.value for marker in chart.series[0].markers] == [1, 3]
    assert [(label.label, label.sublabel) for label in chart.labels] == [
        ("20 Nov", "2024"),
        ("3 Feb", "2025"),
    ]


def test_a_single_date_sits_in_the_middle():
    chart = line_chart([("Rating", [LinePoint(on=date(2024, 5, 1), value=2)])], low=1, high=3)
    (marker,) = chart.series[0].markers
    assert chart.left < marker.x < chart.right
    assert marker.x == pytest.approx((chart.left + chart.right) / 2, abs=1)
    assert chart.series[0].runs == [], "one point is not a line"


def test_a_withheld_value_breaks_the_line_and_says_why_without_a_number():
    chart = line_chart(
        [("", [LinePoint(label=str(n), value=v) for n, v in enumerate([7.5, None, 6.0])])],
        low=0,
        high=10,
        values_shown=True,
        hidden_text="fewer than 3",
    )
    assert chart.series[0].runs == []
    svg = _render(chart)
    assert svg.count("fewer than 3") == 1
    assert "7.5" in svg
    assert "6.0" in svg
    assert svg.count("<circle") == 2


def test_a_second_line_is_dashed_with_squares_and_both_are_named_in_a_key():
    day = date(2024, 1, 1)
    chart = line_chart(
        [
            ("Peggy's rating", [LinePoint(on=day, value=1)]),
            ("The worker's rating", [LinePoint(on=day, value=0)]),
        ],
        low=-2,
        high=2,
        ticks=[(-2, "-2"), (0, "0"), (2, "+2")],
        reference=0,
    )
    theirs, workers = chart.series
    assert not theirs.dashed
    assert not theirs.square
    assert workers.dashed
    assert workers.square
    assert [tick.emphasis for tick in chart.ticks] == [False, True, False]
    svg = _render(chart)
    assert "<rect" in svg
    assert "<circle" in svg
    assert "wb-chart-key" in svg
    assert "Peggy&#x27;s rating" in svg
    assert "The worker&#x27;s rating" in svg


def test_a_chart_with_dated_and_undated_points_is_refused():
    with pytest.raises(ValueError, match="date"):
        line_chart(
            [("", [LinePoint(on=date(2024, 1, 1), value=1), LinePoint(label="x", value=2)])],
            low=0,
            high=5,
        )


def test_a_value_above_the_scale_is_still_placed_by_the_scale():
    chart = line_chart([("", [LinePoint(label="a", value=5)])], low=1, high=5, step=1)
    (marker,) = chart.series[0].markers
    assert marker.y == chart.ticks[-1].y
