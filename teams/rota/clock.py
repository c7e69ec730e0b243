"""London wall-clock time and the instants the rota stores.

The team plans in local dates and times ("Monday 08:00"); the database holds UTC instants. The
conversions live here so that every page, check and the solver cut days and weeks the same way:
a London day runs from one local midnight to the next, which is 23 hours long in March and 25
hours long in October.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from wellbeing.errors import DomainError
from wellbeing.templatetags.times import time_of_day


class ClockError(DomainError, ValueError):
    """A wall-clock time that does not exist, said so a person can fix it."""


def london() -> ZoneInfo:
    return timezone.get_current_timezone()


def week_start(day: date) -> date:
    """The Monday of the week holding `day`: rota weeks run Monday to Sunday."""
    return day - timedelta(days=day.weekday())


def local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=london()).astimezone(UTC)


def day_bounds(first: date, last_exclusive: date) -> tuple[datetime, datetime]:
    """The instants from the local midnight starting `first` to the one starting
    `last_exclusive`: the range an indexed `start__gte/start__lt` query takes."""
    return local_midnight(first), local_midnight(last_exclusive)


def week_bounds(monday: date) -> tuple[datetime, datetime]:
    return day_bounds(monday, monday + timedelta(days=7))


def local_date(instant: datetime) -> date:
    return timezone.localtime(instant, london()).date()


def local_instant(day: date, at: time) -> datetime:
    """The instant a London wall-clock time names on a day.

    A time skipped when clocks go forward (01:30 on the last Sunday of March) does not exist
    and is refused. A time that happens twice when clocks go back (01:30 on the last Sunday of
    October) means the first one, in summer time, as a person reading the clock at the start of
    that hour would mean.
    """
    zone = london()
    candidate = datetime.combine(day, at, tzinfo=zone)
    round_trip = candidate.astimezone(UTC).astimezone(zone)
    if round_trip.replace(tzinfo=None) != candidate.replace(tzinfo=None):
        raise ClockError(
            f"{time_of_day(at)} does not exist on {day:%-d %B %Y}: the clocks go forward an hour. "
            "Choose a time after the change."
        )
    # In UTC: Python subtracts two datetimes sharing one zone by their wall clocks, which
    # would lose or gain the clock change's hour.
    return candidate.replace(fold=0).astimezone(UTC)


def local_span(day: date, starts: time, ends: time) -> tuple[datetime, datetime]:
    """Start and end instants of a span written as London times on one day; an end earlier
    than (or equal to) the start is the next morning, as a night shift is written."""
    start = local_instant(day, starts)
    end_day = day + timedelta(days=1) if ends <= starts else day
    return start, local_instant(end_day, ends)
