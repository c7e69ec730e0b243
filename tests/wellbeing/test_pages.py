"""The site's frame: home routing, health, API docs, error pages, security headers."""

from __future__ import annotations

import re

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_home_page_invites_sign_in(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()


def test_member_home_shows_what_needs_them_and_their_team(client_for, member, team):
    page = client_for(member).get("/").content.decode()
    assert "Waiting for you" in page
    assert reverse("teams:detail", args=[team.pk]) in page


def test_coach_home_shows_the_teams_they_coach(client_for, coach, team, other_team):
    page = client_for(coach).get("/").content.decode()
    assert "Teams you coach" in page
    assert team.name in page
    assert other_team.name not in page


def test_admin_home_shows_every_team(client_for, admin, team, other_team):
    page = client_for(admin).get("/").content.decode()
    assert team.name in page
    assert other_team.name in page


def test_someone_in_no_team_is_told_so(client_for, outsider):
    page = client_for(outsider).get("/").content.decode()
    assert "not in a team yet" in page


def test_navigation_fits_the_users_role(client_for, member, admin):
    assert "Invite people" not in client_for(member).get(reverse("teams:list")).content.decode()
    assert "Invite people" in client_for(admin).get(reverse("teams:list")).content.decode()


def test_header_carries_the_organisation_name_and_a_skip_link(client, settings):
    page = client.get("/").content.decode()
    assert settings.ORGANISATION_NAME in page
    assert 'href="#maincontent"' in page
    assert "nhsuk-header__logo" not in page


def test_pages_send_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_unknown_page_is_a_styled_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "nhsuk-header" in response.content.decode()


def test_server_error_page_is_styled_and_reassuring(client):
    from wellbeing.views import error_500

    response = error_500(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Nothing you had already saved has been lost" in response.content.decode()


def test_health_reports_database_broker_and_outbox(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert set(body["outbox"]) == {"pending", "overdue", "failed"}


def test_health_is_503_when_the_database_is_down(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("wellbeing.views.connection.cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_health_reports_a_broker_that_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    body = client.get("/healthz").json()
    assert body["broker"] == "down"
    assert body["status"] == "degraded"


def test_api_schema_is_valid_openapi(client):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/teams/" in schema["paths"]
    assert "/api/v1/me/" in schema["paths"]
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200


def test_api_docs_load_nothing_from_a_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower()
    assert "https://" not in page


def test_me_endpoint_describes_the_signed_in_user(client_for, admin):
    body = client_for(admin).get("/api/v1/me/").json()
    assert body["email"] == admin.email
    assert body["is_admin"] is True


def test_api_lists_are_paginated(client_for, admin, team):
    body = client_for(admin).get("/api/v1/teams/").json()
    assert {"count", "next", "previous", "results"} <= set(body)


def test_api_rejects_writes_to_read_only_teams(client_for, admin, team):
    response = client_for(admin).post("/api/v1/teams/", {"name": "x"})
    assert response.status_code == 405


def test_static_assets_are_served_locally(client):
    page = client.get("/").content.decode()
    assert "/static/dist/wellbeing.css" in page
    assert "/static/js/wellbeing.mjs" in page


def test_a_clash_between_two_identical_submissions_is_a_409_not_a_500(rf, member):
    from django.db import IntegrityError

    from wellbeing.middleware import FriendlyErrorsMiddleware

    request = rf.post("/teams/")
    request.user = member
    response = FriendlyErrorsMiddleware(lambda r: None).process_exception(
        request, IntegrityError("duplicate key")
    )
    assert response.status_code == 409


def test_an_enormous_id_is_not_found(client_for, admin):
    response = client_for(admin).get("/teams/" + "9" * 30 + "/")
    assert response.status_code == 404
    # SQLite raises OverflowError for this one rather than finding nothing.
    response = client_for(admin).get("/recruitment/rounds/" + "9" * 30 + "/panel/")
    assert response.status_code == 404


def test_the_current_section_is_marked_on_its_sub_pages(client_for, admin, team):
    page = client_for(admin).get(reverse("teams:invitations")).content.decode()
    current = page.split('aria-current="page"')
    assert len(current) == 2  # exactly one item is current
    assert current[1].split("</a>")[0].endswith("Invite people</strong>")
    page = client_for(admin).get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert page.split('aria-current="page"')[1].split("</a>")[0].endswith("Teams</strong>")


# --- The privacy notice, icons and the admin ------------------------------------------------------


def test_the_privacy_notice_has_its_own_page(client, settings):
    settings.RECRUITMENT_RETENTION_MONTHS = 7
    settings.PRIVACY_CONTACT_EMAIL = "privacy@care.example.org"
    response = client.get(reverse("privacy"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1" in page
    assert "Privacy notice" in page
    assert "7 months after the recruitment round closes" in page
    assert 'href="mailto:privacy@care.example.org"' in page


@pytest.mark.parametrize("who", [None, "member", "admin"])
def test_every_footer_links_to_the_privacy_notice(request, client, team, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    for path in ["/", reverse("values:index"), "/no-such-page/", reverse("account_login")]:
        page = client.get(path, follow=True).content.decode()
        footer = page.split('<footer class="nhsuk-footer">')[1]
        assert f'href="{reverse("privacy")}"' in footer, path


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/favicon.ico", "image/"), ("/apple-touch-icon.png", "image/png")],
)
def test_browsers_find_the_site_icon_where_they_look(client, path, content_type):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    page = client.get("/").content.decode()
    assert f'href="{path}"' in page
    assert 'rel="icon"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/admin/accounts/user/abc/history/",
        "/admin/accounts/user/1/history/abc/",
        "/admin/teams/team/abc/history/",
        "/admin/teams/person/x%27/history/",
    ],
)
def test_admin_history_with_an_id_that_is_not_a_number_is_not_found(client_for, admin, path):
    assert client_for(admin).get(path).status_code == 404


def test_admin_history_of_a_real_record_still_shows(client_for, admin):
    response = client_for(admin).get(f"/admin/accounts/user/{admin.pk}/history/")
    assert response.status_code == 200


def test_the_admin_has_one_section_called_accounts(client_for, admin):
    page = client_for(admin).get("/admin/").content.decode()
    captions = re.findall(r"<caption>\s*<a[^>]*>([^<]+)</a>", page)
    assert len(captions) == len(set(captions)), captions
    assert "Users and access" in captions


def test_the_greeting_uses_the_whole_name(client_for, team):
    from tests.factories import UserFactory

    coach = UserFactory(display_name="Dr Ruth Adeyemi", with_mfa=True)
    team.coach = coach
    team.save(update_fields=["coach"])
    page = client_for(coach).get("/").content.decode()
    assert "Hello, Dr Ruth Adeyemi" in page
    assert coach.get_short_name() == "Dr Ruth Adeyemi"


# --- The server log ------------------------------------------------------------------------------

REFUSE = """
import django; django.setup()
from django.conf import settings
# Production's static file manifest exists only after collectstatic.
static_files = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES = {"staticfiles": {"BACKEND": static_files}}
from django.core.exceptions import PermissionDenied
from django.core.handlers.exception import response_for_exception
from django.test import RequestFactory
response = response_for_exception(
    RequestFactory().get("/teams/1/"), PermissionDenied("Only its members see a team's rota.")
)
print(response.status_code)
"""


@pytest.mark.parametrize("debug", ["true", "false"])
def test_a_refusal_is_one_line_in_the_log_with_no_traceback(debug):
    from tests.wellbeing.test_settings import run_python

    result = run_python(REFUSE, DEBUG=debug, SECRET_KEY="x" * 50, ALLOWED_HOSTS="testserver")
    assert result.stdout.strip() == "403", result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "Forbidden (Permission denied): /teams/1/" in lines[0]
    assert "Only its members see a team's rota." in lines[0]
    assert "Traceback" not in result.stderr
