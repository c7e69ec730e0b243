"""Calendar arithmetic the team's features share: terms in months, cadences in weeks."""

from __future__ import annotations

import calendar
from datetime import date

# The days the team's features plan for. A date outside is a slip of the keyboard (9999-12-31),
# and arithmetic on it could overflow the calendar.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
OUT_OF_RANGE = "Choose a date between 2000 and 2100."


class DateOutOfRange(ValueError):
    """A date the calendar cannot reach (after 9999, before year 1)."""


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1
    month is 28 or 29 Feb): a term agreed "for a year" ends on the day people expect.

    Raises DateOutOfRange when the answer would be beyond the calendar."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if not date.min.year <= year <= date.max.year:
        raise DateOutOfRange(f"{months} months from {day} is beyond the calendar.")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
