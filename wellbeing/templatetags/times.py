"""Times as people read them, the GOV.UK way: 9am, 2:30pm, midday, midnight; and lengths of
time as people say them: "44 hours 15 minutes", never "44.25 hours".

Available in every template (settings.TEMPLATES builtins), emails included, so a time reads
the same on every page: never "14:30", "2:30 p.m." or "2:30 PM".
"""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.template.defaultfilters import date as format_date

register = template.Library()


def _clock(value: time | datetime) -> str:
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{'am' if value.hour < 12 else 'pm'}"


@register.filter(expects_localtime=True)
def time_of_day(value: time | datetime | None) -> str:
    """`{{ visit.starts_at|time_of_day }}` → "9am", "2:30pm", "midday", "midnight"."""
    if not isinstance(value, time | datetime):
        return ""
    return _clock(value)


@register.filter(expects_localtime=True)
def date_and_time(value: datetime | None, date_format: str = "j F Y") -> str:
    """`{{ workshop.starts_at|date_and_time:"l j F Y" }}` → "Tuesday 4 June 2024 at 2:30pm"."""
    if not isinstance(value, datetime):
        return ""
    return f"{format_date(value, date_format)} at {_clock(value)}"


@register.filter
def hours_figure(value: Decimal | float | None) -> str:
    """A number of hours as a figure, to the quarter hour and without trailing zeros: "5.5",
    "20.25", "24" (never "5.50" beside "6.25")."""
    if value is None or value == "":
        return ""
    exact = Decimal(str(value)).quantize(Decimal("0.01"))
    return f"{exact.normalize():f}"


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}{'' if count == 1 else 's'}"


@register.filter
def hours(value: Decimal | float | None) -> str:
    """A number of hours in words, to the minute: "44 hours 17 minutes", "1 hour", "45
    minutes", "0 hours". Used in sentences and on the pages the person supported reads; a column
    of figures headed "hours" uses `hours_figure`."""
    if value is None or value == "":
        return ""
    minutes = int((Decimal(str(value)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign, minutes = ("minus " if minutes < 0 else ""), abs(minutes)
    whole, rest = divmod(minutes, 60)
    if not rest:
        return sign + _plural(whole, "hour")
    if not whole:
        return sign + _plural(rest, "minute")
    return f"{sign}{_plural(whole, 'hour')} {_plural(rest, 'minute')}"
