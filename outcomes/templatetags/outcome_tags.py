"""Ratings as words: a number never appears without what it means, and on the pages the person
and their family read, no number appears at all."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django import template
from django.template.defaultfilters import date as format_date

from wellbeing.templatetags.times import date_and_time, hours_figure

from ..models import Outcome

register = template.Library()


@register.simple_tag
def rating(
    outcome: Outcome, level: int | None, *, words_only: bool = False, in_sentence: bool = False
) -> str:
    """`{% rating outcome review.level words_only=True %}` → "More than expected" on the
    person's own pages; without `words_only`, "+1: More than expected" for the team, who score
    goals by their numbers. `in_sentence` writes Goal Attainment Scaling's words in lower case,
    for the middle of a sentence ("You rated it more than expected")."""
    text = outcome.level_words(level) if words_only else outcome.level_label(level)
    return text.lower() if in_sentence and outcome.measure == Outcome.Measure.GAS else text


@register.simple_tag
def rating_described(outcome: Outcome, level: int | None, *, words_only: bool = False) -> str:
    """`{% rating_described outcome review.level %}` → "“I walk to the shop with someone a few
    steps behind” (+1: more than expected)": what the rating means for this goal, beside its
    number; with `words_only`, on the person's own pages, "… (more than expected)"."""
    return outcome.level_in_words(level, numbers=not words_only)


@register.filter
def t_score(score: float | None) -> str:
    return f"{score:.0f}" if score is not None else "–"


@register.filter(expects_localtime=True)
def readable(value) -> object:
    """An exported value as a person reads it: dates and times in words, amounts as written."""
    if isinstance(value, datetime):
        return date_and_time(value)
    if isinstance(value, date):
        return format_date(value, "j F Y")
    if isinstance(value, Decimal):
        return hours_figure(value)
    return value


@register.filter
def export_kind(value) -> str:
    """How the export page lays a value out: a record, a list of them, or a single value."""
    if isinstance(value, dict):
        return "record"
    if isinstance(value, list | tuple):
        return "list"
    return "value"
