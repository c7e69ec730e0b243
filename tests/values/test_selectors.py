"""Stories per value per month, counted in SQL, in London's months."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tests.factories import StoryFactory, ValueFactory
from values.selectors import month_starts, stories_per_value_by_month, value_list
from wellbeing.charts import Point, bar_chart

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_last_twelve_months_end_with_this_month():
    months = month_starts(months=12, today=TODAY)
    assert months[0] == date(2025, 12, 1)
    assert months[-1] == date(2026, 11, 1)
    assert len(months) == 12


def test_stories_are_counted_per_value_per_month(compassion, curiosity):
    StoryFactory(values=[compassion, curiosity], created_at=at(2026, 6, 10, 12))
    StoryFactory(values=[compassion], created_at=at(2026, 6, 20, 12))
    StoryFactory(values=[compassion], created_at=at(2026, 11, 2, 12))
    trends = {t.value: t for t in stories_per_value_by_month(values=value_list(), today=TODAY)}
    june = date(2026, 6, 1)
    assert {m.month: m.count for m in trends[compassion].months}[june] == 2
    assert {m.month: m.count for m in trends[curiosity].months}[june] == 1
    assert trends[compassion].total == 3
    assert trends[compassion].busiest.month == june
    assert trends[curiosity].total == 1


def test_stories_older_than_twelve_months_are_left_out(compassion):
    StoryFactory(values=[compassion], created_at=at(2025, 11, 30, 12))
    [trend] = stories_per_value_by_month(values=value_list(), today=TODAY)
    assert trend.total == 0
    assert trend.busiest is None


def test_months_are_london_months_not_utc(compassion):
    # 23:30 UTC on 31 March 2026 is half past midnight on 1 April in London (BST).
    StoryFactory(values=[compassion], created_at=at(2026, 3, 31, 23, 30))
    [trend] = stories_per_value_by_month(values=value_list(), today=TODAY)
    counts = {m.month: m.count for m in trend.months}
    assert counts[date(2026, 4, 1)] == 1
    assert counts[date(2026, 3, 1)] == 0


def test_inactive_values_are_not_counted(db):
    ValueFactory(name="Thrift", active=False)
    assert stories_per_value_by_month(values=value_list(), today=TODAY) == []


def test_chart_scale_is_round_and_bars_fit_it():
    chart = bar_chart([Point("Jan", 0), Point("Feb", 7), Point("Mar", 3)])
    assert [tick.count for tick in chart.ticks] == [0, 2, 4, 6, 8]
    empty, tallest, _ = chart.bars
    assert empty.height == 0
    assert tallest.y >= 0
    assert tallest.y + tallest.height == chart.baseline


def test_chart_with_no_stories_still_has_a_scale():
    chart = bar_chart([Point("Jan", 0)])
    assert [tick.count for tick in chart.ticks] == [0, 1]


def test_no_busiest_month_is_named_when_months_tie(compassion):
    StoryFactory(values=[compassion], created_at=at(2026, 6, 10, 12))
    StoryFactory(values=[compassion], created_at=at(2026, 7, 10, 12))
    [trend] = stories_per_value_by_month(values=value_list(), today=TODAY)
    assert trend.total == 2
    assert trend.busiest is None


def test_monthly_chart_names_the_year_where_it_starts():
    from wellbeing.charts import monthly_bar_chart

    chart = monthly_bar_chart(
        [(date(2025, 11, 1), 1), (date(2025, 12, 1), 0), (date(2026, 1, 1), 2)]
    )
    assert [(bar.label, bar.sublabel) for bar in chart.bars] == [
        ("Nov", "2025"),
        ("Dec", ""),
        ("Jan", "2026"),
    ]
