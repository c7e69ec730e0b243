"""Signing in: by email, with a second factor for coaches and admins, rate-limited."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from tests.e2e.browsing import totp_now
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory

pytestmark = pytest.mark.django_db

ATTACKER = "203.0.113.9"
HOME_WIFI = "198.51.100.7"


def test_member_signs_in_with_email_and_password(client, member, team):
    response = client.post(
        reverse("account_login"), {"login": member.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    home = client.get("/")
    assert home.status_code == 200
    assert reverse("teams:detail", args=[team.pk]) in home.content.decode()


def test_wrong_password_is_refused(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def sign_in_from(address: str, email: str, password: str = PASSWORD) -> Client:
    client = Client(REMOTE_ADDR=address)
    client.post(reverse("account_login"), {"login": email, "password": password})
    return client


def wrong_code() -> str:
    return f"{(int(totp_now(TOTP_SECRET)) + 1) % 1_000_000:06d}"


def test_repeated_wrong_passwords_from_one_address_are_paused(member):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(5):
        attacker.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    # Even the right password is refused from there while the pause holds.
    response = attacker.post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}
    )
    assert "signing in to this account is paused" in response.content.decode()
    assert "_auth_user_id" not in attacker.session


def test_wrong_passwords_from_one_address_cannot_lock_the_real_user_out(member):
    attacker = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(25):
        attacker.post(reverse("account_login"), {"login": member.email, "password": "nope"})
    user = sign_in_from(HOME_WIFI, member.email)
    assert "_auth_user_id" in user.session


def test_wrong_codes_from_one_address_cannot_lock_the_real_user_out(coach):
    """Someone who learnt the password types wrong codes; the coach still signs in."""
    attacker = sign_in_from(ATTACKER, coach.email)
    refused = 0
    for _ in range(25):
        response = attacker.post(reverse("mfa_authenticate"), {"code": wrong_code()})
        refused += "paused" in response.content.decode()
    assert refused  # the attacker was stopped
    assert "_auth_user_id" not in attacker.session
    user = sign_in_from(HOME_WIFI, coach.email)
    response = user.post(reverse("mfa_authenticate"), {"code": totp_now(TOTP_SECRET)})
    assert response.status_code == 302
    assert "_auth_user_id" in user.session


def test_an_account_attacked_from_many_addresses_pauses_and_says_what_to_do(member, settings):
    for n in range(30):
        Client(REMOTE_ADDR=f"192.0.2.{n + 1}").post(
            reverse("account_login"), {"login": member.email, "password": "nope"}
        )
    user = Client(REMOTE_ADDR=HOME_WIFI)
    response = user.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})
    page = response.content.decode()
    assert "_auth_user_id" not in user.session
    assert f"paused for {settings.LOGIN_PAUSE_MINUTES} minutes" in page
    assert "reset it" in page
    assert "tell an organisation admin" in page


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


def test_coach_without_mfa_is_refused_by_the_api(client_for, team):
    coach = UserFactory()
    team.coach = coach
    team.save()
    response = client_for(coach).get("/api/v1/teams/")
    assert response.status_code == 403
    assert "two-step sign-in" in response.json()["detail"]


def test_member_needs_no_second_factor_but_may_add_one(client_for, member):
    client = client_for(member)
    response = client.get("/")
    assert response.status_code == 200  # their home page, not the MFA set-up
    assert "Waiting for you" in response.content.decode()
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


# --- Setting up the second step ------------------------------------------------------------------


def new_coach(team):
    coach = UserFactory(display_name="Dr Ruth Adeyemi")
    team.coach = coach
    team.save(update_fields=["coach"])
    return coach


def shown_key(client) -> str:
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    return response.context["form"].secret


def test_the_set_up_key_stays_the_same_until_set_up_succeeds(client, team):
    """Someone who scanned the code and then reloaded, or followed a link, keeps a working app."""
    coach = new_coach(team)
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    key = shown_key(client)
    assert shown_key(client) == key
    client.get(reverse("teams:list"))  # sent back to set-up
    assert shown_key(client) == key
    response = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert response.status_code == 200  # a wrong code
    assert shown_key(client) == key
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(key)})
    assert response.status_code == 302
    totp = Authenticator.objects.get(user=coach, type=Authenticator.Type.TOTP)
    assert totp.wrap().instance.data["secret"]  # the key the page showed is the one kept
    assert client.session.get("mfa.totp.secret") is None


# allauth reports a new authenticator once its transaction commits: commit for real here.
@pytest.mark.django_db(transaction=True)
def test_recovery_codes_show_straight_after_set_up_without_the_password_again(client, team):
    coach = new_coach(team)
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    key = shown_key(client)
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_now(key)}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("mfa_view_recovery_codes")
    assert response.status_code == 200
    codes = response.context["unused_codes"]
    assert len(codes) == 10
    # One "Done", not a second one for the recovery codes that come with it.
    assert [m.message for m in response.context["messages"]] == [
        "Two-step sign-in is on. From now on, signing in asks for a code from your "
        "authenticator app."
    ]
    assert all(code != "****" and code in response.content.decode() for code in codes)


def test_changing_the_second_step_later_still_asks_for_the_password(client, coach):
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_now(TOTP_SECRET)})
    response = client.get(reverse("mfa_deactivate_totp"))
    assert response.url.startswith(reverse("account_reauthenticate"))


def test_making_new_recovery_codes_is_a_warning_set_apart_that_says_the_old_ones_stop(
    client, coach
):
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_now(TOTP_SECRET)})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_view_recovery_codes"))
    assert response.status_code == 200
    page = response.content.decode()
    download = re.search(r"<a [^>]*>\s*Download the codes\s*</a>", page)
    make_new = re.search(r"<a [^>]*>\s*Make new codes\s*</a>", page)
    assert download
    assert make_new
    assert "nhsuk-button--secondary" in download.group(0)
    assert "nhsuk-button--warning" in make_new.group(0)
    between = page[download.end() : make_new.start()]
    assert "nhsuk-section-break" in between
    assert "stops every code you have now from working" in between
