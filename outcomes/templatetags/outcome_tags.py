"""Ratings as words: a number never appears without what it means."""

from __future__ import annotations

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
