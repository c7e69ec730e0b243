"""Ratings as words: a number never appears without what it means."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as format_date

from wellbeing.templatetags.times import date_and_time

from ..models import Outcome

register = template.Library()


@register.filter
def level_label(outcome: Outcome, level: int | None) -> str:
    """`{{ outcome|level_label:review.level }}` → "+1: More than expected"."""
    return outcome.level_label(level)


@register.filter
def in_words(outcome: Outcome, level: int | None) -> str:
    """`{{ outcome|in_words:review.level }}` → "“I walk to the shop with someone a few steps
    behind” (+1: more than expected)": what the rating means for this goal, beside its number."""
    return outcome.level_in_words(level)


@register.filter
def t_score(score: float | None) -> str:
    return f"{score:.0f}" if score is not None else "–"


@register.filter
def hours(value) -> str:
    """Hours as people say them: 1.5, 31, 44.29 — no trailing zeros."""
    if value is None or value == "":
        return ""
    text = f"{Decimal(value):.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@register.filter(expects_localtime=True)
def readable(value) -> object:
    """An exported value as a person reads it: dates and times in words, amounts as written."""
    if isinstance(value, datetime):
        return date_and_time(value)
    if isinstance(value, date):
        return format_date(value, "j F Y")
    if isinstance(value, Decimal):
        return hours(value)
    return value


@register.filter
def export_kind(value) -> str:
    """How the export page lays a value out: a record, a list of them, or a single value."""
    if isinstance(value, dict):
        return "record"
    if isinstance(value, list | tuple):
        return "list"
    return "value"
