"""The header's navigation, fitted to what the signed-in user does here.

The project package imports none of the apps built on it, so each app registers its own entries
from its `AppConfig.ready()` with `register()`: a label, where it sits in the header, and a
function that answers, for one user, where the entry leads (or None to hide it). The function
may run one query at most; it is called once per page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wellbeing.accounts.models import User


@dataclass(frozen=True)
class NavEntry:
    label: str
    order: int
    # Where the entry leads for this user, or None when it is not for them.
    link: Callable[[User], str | None]
    # The part of the site the entry stands for: it is marked current on every page under it.
    # Defaults to the link itself.
    section: Callable[[], str] | None = None
    # Shown to readers who are not signed in too (the public blog); `link` then receives an
    # AnonymousUser.
    anonymous: bool = False


_entries: list[NavEntry] = []
# Each may narrow the entries a request shows (outcomes keeps a person supported, signed in to
# their own record, to the entries that lead there). Given the request and the entries.
_filters: list[Callable[[HttpRequest, list[NavEntry]], list[NavEntry]]] = []


def register(entry: NavEntry) -> None:
    """Add an entry (once: registering the same label again replaces it)."""
    _entries[:] = [existing for existing in _entries if existing.label != entry.label]
    _entries.append(entry)
    _entries.sort(key=lambda existing: existing.order)


def register_filter(narrow: Callable[[HttpRequest, list[NavEntry]], list[NavEntry]]) -> None:
    if narrow not in _filters:
        _filters.append(narrow)


def entries() -> list[NavEntry]:
    return list(_entries)


def _core_entries() -> list[NavEntry]:
    return [
        NavEntry("Home", 0, lambda user: reverse("home")),
        NavEntry(
            "Your account",
            1000,
            lambda user: reverse("account_change_password"),
            section=lambda: "/accounts/",
        ),
    ]


for _entry in _core_entries():
    register(_entry)


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    # (label, link, the part of the site it stands for)
    items: list[tuple[str, str, str]] = []
    signed_in = user is not None and user.is_authenticated
    if user is not None:
        shown = [entry for entry in _entries if signed_in or entry.anonymous]
        for narrow in _filters:
            shown = narrow(request, shown)
        for entry in shown:
            link = entry.link(user)
            if link:
                items.append((entry.label, link, entry.section() if entry.section else link))
    # A section is current on its sub-pages too: the longest section the path starts with.
    matches = [
        section
        for _, _, section in items
        if request.path == section or (section != "/" and request.path.startswith(section))
    ]
    current = max(matches, key=len, default=None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "nav_items": [
            {"label": label, "url": url, "current": section == current}
            for label, url, section in items
        ],
    }
