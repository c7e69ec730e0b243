"""The rota's pages: My week on a phone, the team's grid, and the pages that plan it.

Views parse, call one service or selector, and render. Every page is personal, so none may be
cached: `rota_page` sends `Cache-Control: no-store` (through `never_cache`).
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from wellbeing.accounts.models import User

from ...models import Membership, Team
from ..services import RotaError


def rota_page(view: Callable) -> Callable:
    return login_required(never_cache(view))


def members_of(team: Team):
    return User.objects.filter(
        memberships__in=Membership.objects.current().filter(team=team)
    ).order_by("display_name")


def back(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form was on (only ever one of ours), else `default`."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def refused(request: HttpRequest, exc: RotaError) -> None:
    messages.error(request, str(exc))


def week_url(name: str, monday, **kwargs) -> str:
    return reverse(name, kwargs=kwargs) + f"?week={monday.isoformat()}"
