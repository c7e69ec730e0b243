"""London time: what a wall-clock time on a day means, across both clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from teams.rota.clock import (
    ClockError,
    day_bounds,
    local_date,
    local_instant,
    local_span,
    week_start,
)

OCTOBER_CHANGE = date(2025, 10, 26)  # clocks go back at 02:00 BST
MARCH_CHANGE = date(2026, 3, 29)  # clocks go forward at 01:00 GMT


def test_a_night_shift_across_the_october_change_is_an_hour_longer():
    start, end = local_span(OCTOBER_CHANGE - timedelta(days=1), time(22), time(7))
    assert end - start == timedelta(hours=10)


def test_a_night_shift_across_the_march_change_is_an_hour_shorter():
    start, end = local_span(MARCH_CHANGE - timedelta(days=1), time(22), time(7))
    assert end - start == timedelta(hours=8)


def test_a_time_skipped_in_march_is_refused_with_a_reason():
    with pytest.raises(ClockError, match="does not exist"):
        local_instant(MARCH_CHANGE, time(1, 30))


def test_a_time_that_happens_twice_in_october_means_the_first():
    assert local_instant(OCTOBER_CHANGE, time(1, 30)) == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)


def test_london_days_are_23_and_25_hours_long_on_change_days():
    start, end = day_bounds(MARCH_CHANGE, MARCH_CHANGE + timedelta(days=1))
    assert end - start == timedelta(hours=23)
    start, end = day_bounds(OCTOBER_CHANGE, OCTOBER_CHANGE + timedelta(days=1))
    assert end - start == timedelta(hours=25)


def test_summer_times_are_stored_an_hour_behind_in_utc():
    assert local_instant(date(2026, 7, 1), time(8)) == datetime(2026, 7, 1, 7, tzinfo=UTC)
    assert local_date(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)


def test_weeks_start_on_monday():
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)
    assert week_start(date(2026, 3, 2)) == date(2026, 3, 2)
