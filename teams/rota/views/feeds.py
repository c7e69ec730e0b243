"""A member's private calendar feed of their published visits and shifts.

The feed is read by calendar apps (phones, Outlook, Google Calendar) that poll an address and
cannot sign in, keep a session cookie or follow a redirect into one. So this token page does not
trade its token for a session, as our other token links do: the secret address itself is the
credential, every time. What keeps that safe: the secret is 32 random bytes and only its hash is
stored; the member can revoke it (or make a new one, which revokes the old) at any moment; the
answer is `Cache-Control: no-store` and `Referrer-Policy: no-referrer`; and the feed carries
only what a worker would write in their own diary — the person's preferred name, the area, the
time and what the visit is for — never a full address or anything from their records.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wellbeing.links import absolute_reverse

from .. import calendar, services
from ..models import CalendarFeed
from . import rota_page


@rota_page
def calendar_page(request: HttpRequest) -> HttpResponse:
    """Set up, renew or stop the member's calendar feed. The address is shown once, when made."""
    live = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).first()
    return render(
        request,
        "teams/rota/calendar.html",
        {"feed": live, "new_url": request.session.pop("rota_new_feed_url", None)},
    )


@rota_page
@require_POST
def calendar_renew(request: HttpRequest) -> HttpResponse:
    _, token = services.calendar_feed_renew(user=request.user)
    # Shown on the next page only; the session is the one place it lives until then.
    request.session["rota_new_feed_url"] = absolute_reverse(
        "teams:rota:calendar_feed", kwargs={"token": token}
    )
    messages.success(request, "Your new calendar address is below. Any old one stops working.")
    return redirect("teams:rota:calendar")


@rota_page
@require_POST
def calendar_revoke(request: HttpRequest) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user)
    messages.success(request, "Your calendar address no longer works.")
    return redirect("teams:rota:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    feed = (
        CalendarFeed.objects.filter(token_hash=token_hash, revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar")
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=timezone.now())
    response = HttpResponse(
        calendar.member_calendar(user=feed.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="rota.ics"'
    response["Referrer-Policy"] = "no-referrer"
    return response
