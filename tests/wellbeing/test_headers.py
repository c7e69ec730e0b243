"""What every answer carries: no caching of anything personal, and a CSP nonce that works."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.urls import reverse

from wellbeing.middleware import NoStoreMiddleware

pytestmark = pytest.mark.django_db


def is_no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    ["/", reverse("teams:list"), reverse("values:index"), reverse("account_change_password")],
)
def test_signed_in_pages_are_not_stored(client_for, admin, team, path):
    response = client_for(admin).get(path, follow=True)
    assert response.status_code == 200
    assert is_no_store(response), path
    assert "private" in response["Cache-Control"]


def test_api_answers_are_not_stored(client_for, admin, team):
    assert is_no_store(client_for(admin).get("/api/v1/teams/"))
    assert is_no_store(client_for(admin).get("/api/v1/me/"))


def test_api_refusals_to_strangers_are_not_stored(client):
    response = client.get("/api/v1/teams/")
    assert response.status_code == 401
    assert is_no_store(response)


def test_downloads_for_a_signed_in_person_are_not_stored(rf, member):
    """A CSV of answers on a shared computer must not outlive the session."""
    request = rf.get("/recruitment/rounds/1/report.csv")
    request.user = member
    response = NoStoreMiddleware(lambda r: HttpResponse("a,b\n", content_type="text/csv"))(request)
    assert is_no_store(response)


def test_public_pages_may_be_cached(client):
    for path in ["/", reverse("privacy"), reverse("recruitment:open_rounds")]:
        assert not is_no_store(client.get(path)), path


def test_a_view_that_sets_its_own_caching_keeps_it(rf, member):
    request = rf.get("/")
    request.user = member
    own = HttpResponse()
    own["Cache-Control"] = "max-age=60"
    assert NoStoreMiddleware(lambda r: own)(request)["Cache-Control"] == "max-age=60"


def test_a_request_with_credentials_is_not_stored_even_when_refused(rf):
    request = rf.get("/teams/", HTTP_AUTHORIZATION="Token nope")
    request.user = AnonymousUser()
    assert is_no_store(NoStoreMiddleware(lambda r: HttpResponse(status=401))(request))


# --- Content security policy ---------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_the_csp_nonce_in_the_header_is_the_one_on_the_pages_scripts(request, client, who):
    if who == "admin":
        client.force_login(request.getfixturevalue("admin"))
    response = client.get(reverse("values:index") if who == "admin" else "/")
    policy = response["Content-Security-Policy"]
    assert "'nonce'" not in policy
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    nonce = re.fullmatch(r".*'nonce-([A-Za-z0-9+/=]+)'.*", script_src).group(1)
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_each_answer_has_its_own_nonce(client):
    def nonce() -> str:
        return re.search(r"'nonce-([^']+)'", client.get("/")["Content-Security-Policy"]).group(1)

    assert nonce() != nonce()
