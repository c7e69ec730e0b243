"""A member's home page: what needs them first, then the team's news."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import registry
from ..contributions import render_contributions
from . import selectors


def render_member_home(request: HttpRequest) -> HttpResponse:
    """What other parts of the product put at the top (the rota's "My week") comes first."""
    return render(
        request,
        "teams/home.html",
        {
            "home": selectors.member_home(user=request.user),
            "sections": render_contributions(
                request, (hook(request.user) for hook in registry.member_home_sections)
            ),
        },
    )


@login_required
def member_home(request: HttpRequest) -> HttpResponse:
    return render_member_home(request)
