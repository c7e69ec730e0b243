"""Signing in: by email, with a second factor for coaches and admins, rate-limited."""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from tests.e2e.browsing import totp_now
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db


def test_member_signs_in_with_email_and_password(client, member, team):
    response = client.post(
        reverse("account_login"), {"login": member.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").url == reverse("teams:detail", args=[team.pk])


def test_wrong_password_is_refused(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_failed_sign_ins_are_rate_limited(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_public_sign_up_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "closed" in response.content.decode().lower()
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": "long-password-1", "password2": "long-password-1"},
    )
    from wellbeing.accounts.models import User

    assert not User.objects.filter(email="x@example.org").exists()


def test_coach_with_mfa_must_give_a_code_after_the_password(client, coach):
    response = client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    code = totp_now(TOTP_SECRET)
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_coach_without_mfa_is_sent_to_set_it_up_before_any_team_page(client_for, team):
    coach = UserFactory()
    team.coach = coach
    team.save()
    client = client_for(coach)
    for url in ["/", reverse("teams:list"), reverse("teams:detail", args=[team.pk])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("mfa_activate_totp"))
    # Setting up MFA asks for the password again first; that page is reachable.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))
    assert client.get(response.url).status_code == 200


def test_admin_without_mfa_is_sent_to_set_it_up(client_for):
    admin = UserFactory(is_staff=True)
    response = client_for(admin).get(reverse("teams:invitations"))
    assert response.url.startswith(reverse("mfa_activate_totp"))


def test_coach_without_mfa_is_refused_by_the_api_even_with_a_token(client, team):
    coach = UserFactory()
    team.coach = coach
    team.save()
    token = Token.objects.create(user=coach)
    response = client.get("/api/v1/teams/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 403
    assert "two-factor" in response.json()["detail"]


def test_member_needs_no_second_factor_but_may_add_one(client_for, member):
    client = client_for(member)
    response = client.get("/")
    assert response.url.startswith("/teams/")  # their team, not the MFA set-up
    response = client.get(reverse("mfa_activate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_coach_signing_in_goes_straight_to_mfa_set_up_without_a_second_password(client, team):
    coach = UserFactory()
    team.coach = coach
    team.save()
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    response = client.get("/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("mfa_activate_totp")
    assert "Set up two-step sign-in" in page
    assert "Coaches and admins see the details" in page


def test_the_admin_sites_own_login_cannot_skip_the_second_step(client, admin):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    response = client.post("/admin/login/", {"username": admin.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
