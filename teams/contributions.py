"""Rendering what other apps contribute to teams' pages through the registry."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .registry import HomeSection, TeamPanel


def render_contributions(
    request: HttpRequest, items: Iterable[TeamPanel | HomeSection | None], **context
) -> list[tuple[str, SafeString]]:
    """Each contribution's title and its HTML, in their order, rendered from the contributing
    app's own template with its own context (plus `context`), so nothing is escaped twice."""
    present = sorted((item for item in items if item is not None), key=lambda item: item.order)
    return [
        (
            item.title,
            mark_safe(  # noqa: S308 - the app's own template escapes what it renders
                render_to_string(item.template, {**item.context, **context}, request=request)
            ),
        )
        for item in present
    ]
