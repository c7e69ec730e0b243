"""API tokens: made by their own user after the second step, shown once, stored hashed,
expiring and revocable; a request with one sees exactly what its user sees."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.e2e.browsing import totp_now
from tests.factories import PASSWORD, TOTP_SECRET
from wellbeing.accounts.models import ApiToken
from wellbeing.accounts.services import api_token_create

pytestmark = pytest.mark.django_db

TOKENS = reverse("api_tokens")


@pytest.fixture
def member_with_mfa(team):
    user = factories.UserFactory(display_name="Nia Member", with_mfa=True)
    factories.MembershipFactory(team=team, user=user)
    return user


def signed_in_with_code(user) -> Client:
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": totp_now(TOTP_SECRET)})
    assert response.status_code == 302
    return client


def make_token(client, name="Rota spreadsheet") -> str:
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200
    return response.context["new_key"]


def api(key: str, path: str = "/api/v1/me/", **headers):
    return Client().get(path, HTTP_AUTHORIZATION=f"Token {key}", **headers)


def token_for(user, **changes) -> tuple[ApiToken, str]:
    token, key = api_token_create(user=user, name="Script", passed_second_step=True)
    if changes:
        ApiToken.objects.filter(pk=token.pk).update(**changes)
    return token, key


# --- Making one ---------------------------------------------------------------------------------


def test_a_token_is_made_after_the_second_step_and_shown_once(member_with_mfa):
    client = signed_in_with_code(member_with_mfa)
    response = client.post(TOKENS, {"name": "Rota spreadsheet"})
    key = response.context["new_key"]
    assert key.startswith("wb_")
    assert len(key) > 40
    assert key in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]
    # Never shown again, and not kept: only its hash is stored.
    assert key not in client.get(TOKENS).content.decode()
    token = ApiToken.objects.get(user=member_with_mfa)
    assert token.name == "Rota spreadsheet"
    stored = [str(value) for value in ApiToken.objects.values_list().get()]
    assert not any(key in value or key[3:] in value for value in stored)
    assert api(key).json()["email"] == member_with_mfa.email


def test_without_two_step_sign_in_no_token_can_be_made(client_for, member):
    client = client_for(member)
    page = client.get(TOKENS).content.decode()
    assert "Turn on two-step sign-in" in page
    assert 'name="name"' not in page
    response = client.post(TOKENS, {"name": "Sneaky"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_session_that_skipped_the_second_step_cannot_make_a_token(client_for, member_with_mfa):
    """Having an authenticator is not enough: this session must have used it."""
    response = client_for(member_with_mfa).post(TOKENS, {"name": "Sneaky"})
    assert response.status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(member_with_mfa):
    response = signed_in_with_code(member_with_mfa).post(TOKENS, {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_token_pages_need_a_sign_in(client):
    assert client.get(TOKENS).url.startswith(reverse("account_login"))


# --- Using one ----------------------------------------------------------------------------------


def test_a_token_sees_what_its_user_sees_and_no_more(member_with_mfa, team, other_team):
    _, key = token_for(member_with_mfa)
    assert api(key, f"/api/v1/teams/{team.pk}/").status_code == 200
    assert api(key, f"/api/v1/teams/{other_team.pk}/").status_code == 404
    names = [row["name"] for row in api(key, "/api/v1/teams/").json()["results"]]
    assert names == [team.name]


def test_a_token_request_runs_a_fixed_number_of_queries(
    member_with_mfa, django_assert_max_num_queries
):
    _, key = token_for(member_with_mfa)
    api(key)  # records the first use
    with django_assert_max_num_queries(4):
        assert api(key).status_code == 200


def test_an_expired_token_does_not_work(member_with_mfa):
    _, key = token_for(member_with_mfa, expires_at=timezone.now() - timedelta(seconds=1))
    response = api(key)
    assert response.status_code == 401
    assert "expired or revoked" in response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_tokens_expire_after_the_configured_time(member_with_mfa, settings):
    settings.API_TOKEN_VALID_FOR = timedelta(days=30)
    token, _ = token_for(member_with_mfa)
    assert token.expires_at - token.created_at == pytest.approx(
        timedelta(days=30), abs=timedelta(seconds=5)
    )


@pytest.mark.parametrize(
    "header",
    ["Token", "Token a b", "Token wb_not-a-real-key", "Token \u00e9\u00e9", "Bearer nope"],
)
def test_a_bad_or_unknown_token_is_refused_not_an_error(member_with_mfa, header):
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_last_use_is_recorded(member_with_mfa):
    token, key = token_for(member_with_mfa)
    api(key)
    token.refresh_from_db()
    assert token.last_used_at is not None


# --- Revoking -----------------------------------------------------------------------------------


def test_its_user_revokes_a_token_and_it_stops_working(client_for, member_with_mfa):
    token, key = token_for(member_with_mfa)
    client = client_for(member_with_mfa)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.url == TOKENS
    assert api(key).status_code == 401
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_nobody_else_can_revoke_a_token(client_for, member_with_mfa, other_member):
    token, key = token_for(member_with_mfa)
    response = client_for(other_member).post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 404
    assert api(key).status_code == 200


def test_turning_two_step_sign_in_off_revokes_every_token(rf, member_with_mfa):
    token, key = token_for(member_with_mfa)
    request = rf.post("/")
    request.user = member_with_mfa
    delete_and_cleanup(request, Authenticator.objects.get(type=Authenticator.Type.TOTP))
    token.refresh_from_db()
    assert token.status == "revoked"
    assert api(key).status_code == 401


def test_a_token_stops_working_while_its_user_has_no_authenticator(member_with_mfa):
    """However the authenticator went (an admin deleting it), the token goes with it."""
    _, key = token_for(member_with_mfa)
    Authenticator.objects.filter(user=member_with_mfa).delete()
    assert api(key).status_code == 401


def test_a_deactivated_users_token_does_not_work(member_with_mfa):
    _, key = token_for(member_with_mfa)
    member_with_mfa.is_active = False
    member_with_mfa.save(update_fields=["is_active"])
    assert api(key).status_code == 401


# --- The admin ----------------------------------------------------------------------------------


def test_the_token_admin_lists_tokens_but_no_keys_and_makes_none(
    client_for, admin, member_with_mfa
):
    token, key = token_for(member_with_mfa)
    client = client_for(admin)
    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    detail = client.get(reverse("admin:accounts_apitoken_change", args=[token.pk])).content
    assert "Script" in listing
    for page in [listing, detail.decode()]:
        assert key not in page
        assert token.key_hash not in page
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_an_admin_can_revoke_tokens(client_for, admin, member_with_mfa):
    token, key = token_for(member_with_mfa)
    client_for(admin).post(
        reverse("admin:accounts_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert api(key).status_code == 401
