"""Absolute links for emails, feeds and anything read away from the site.

Every absolute link is a URL name reversed and joined to `SITE_URL`, here and nowhere else, so
a deployment that moves (a new domain, a port in development) moves every link with it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`SITE_URL` joined to a path that starts with a slash."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(
    viewname: str, *, args: list[Any] | tuple[Any, ...] | None = None, kwargs: dict | None = None
) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
