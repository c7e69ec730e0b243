"""Ratings as words: a number never appears without what it means."""

from __future__ import annotations

from decimal import Decimal

from django import template

from ..models import Outcome

register = template.Library()


@register.filter
def level_label(outcome: Outcome, level: int | None) -> str:
    """`{{ outcome|level_label:review.level }}` → "+1: More than expected"."""
    return outcome.level_label(level)


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
