"""The composition root's pages: the home page that routes each user, health, errors."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache

from outcomes.permissions import own_record_only
from teams import selectors as team_selectors
from teams.dashboard import views as team_dashboard
from teams.home import views as member_home
from teams.permissions import coaches
from wellbeing.middleware import API_PREFIX
from wellbeing.notifications.services import outbox_backlog

logger = logging.getLogger(__name__)


def home(request: HttpRequest) -> HttpResponse:
    """Send each user to where their work is: a coach or admin to the dashboard of their teams,
    a member to what needs them in their team."""
    user = request.user
    if not user.is_authenticated:
        return render(request, "home/public.html")
    # A person supported, or family they chose, signed in to their own record.
    if own_record_only(request):
        return redirect("outcomes:own_home")
    if user.is_org_admin or coaches(user):
        return team_dashboard.render_dashboard(request)
    if team_selectors.teams_of_member(user=user).exists():
        return member_home.render_member_home(request)
    return render(request, "home/dashboard.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        logger.exception("Health check: database unreachable")
        return False


def _broker_state() -> str:
    if not settings.REDIS_URL:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        return "ok"
    except redis.RedisError:
        logger.exception("Health check: broker unreachable")
        return "down"


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: 503 when the database is down."""
    database_ok = _database_ok()
    body = {
        "database": "ok" if database_ok else "down",
        "broker": _broker_state(),
        "outbox": outbox_backlog() if database_ok else None,
    }
    body["status"] = "ok" if database_ok and body["broker"] != "down" else "degraded"
    return JsonResponse(body, status=200 if database_ok else 503)


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, public, linked from every page's footer."""
    return render(
        request,
        "privacy.html",
        {
            "retention_months": settings.RECRUITMENT_RETENTION_MONTHS,
            "outbox_keep_days": settings.OUTBOX_KEEP_SENT.days,
            "outbox_keeps_private_links": settings.OUTBOX_KEEP_SENSITIVE_BODIES,
            "survey_min_responses": settings.SURVEY_MIN_RESPONSES,
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
        },
    )


def _api_answer(request: HttpRequest, status: int, detail: str) -> HttpResponse | None:
    """An API client gets JSON, as the OpenAPI document promises, even for an address no
    route matched (an id that is not a number never reaches DRF)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": detail}, status=status)
    return None


def error_400(request: HttpRequest, exception=None) -> HttpResponse:
    return _api_answer(request, 400, "Bad request.") or render(
        request, "errors/400.html", status=400
    )


def error_403(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else ""
    return _api_answer(request, 403, message or "Forbidden.") or render(
        request, "errors/403.html", {"message": message}, status=403
    )


def error_404(request: HttpRequest, exception=None) -> HttpResponse:
    return _api_answer(request, 404, "Not found.") or render(request, "errors/404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors here: the failure may be in one of them.
    from django.template import loader

    return _api_answer(request, 500, "Something went wrong on our side.") or HttpResponse(
        loader.get_template("errors/500.html").render(), status=500
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
