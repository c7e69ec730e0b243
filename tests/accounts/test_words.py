"""One voice everywhere: allauth's pages speak as the rest of the site does, in sentence case
and of "two-step sign-in"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.e2e.browsing import totp_now
from tests.factories import PASSWORD, TOTP_SECRET

pytestmark = pytest.mark.django_db

CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "en_GB" / "LC_MESSAGES"
# allauth's own words for things the site calls otherwise.
NOT_OUR_VOICE = [
    "Two-Factor",
    "two-factor",
    "Sign In",
    "Sign Out",
    "Recovery Codes",
    "Remember Me",
    "Change Password",
    "Forgot Password",
    "Password Reset",
    "Authenticator App",
    "Current Password",
    "New Password",
    "Confirm Access",
]


def assert_our_voice(page: str, where: str) -> None:
    text = re.sub(r"<script.*?</script>|<[^>]+>", " ", page, flags=re.S)
    found = [phrase for phrase in NOT_OUR_VOICE if phrase in text]
    assert not found, f"{where} says {found}"


def test_signing_in_speaks_our_voice(client, coach):
    assert_our_voice(client.get(reverse("account_login")).content.decode(), "sign-in")
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert_our_voice(page, "second step")
    assert "two-step sign-in" in page
    assert "Sign in" in page


def test_the_account_pages_speak_our_voice(coach):
    client = Client()
    client.post(reverse("account_login"), {"login": coach.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": totp_now(TOTP_SECRET)})
    for name in [
        "mfa_index",
        "account_change_password",
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_generate_recovery_codes",
        "api_tokens",
    ]:
        response = client.get(reverse(name), follow=True)
        assert response.status_code == 200, name
        assert_our_voice(response.content.decode(), name)


def test_setting_up_the_second_step_speaks_our_voice(client_for, member):
    page = client_for(member).get(reverse("mfa_activate_totp"), follow=True).content.decode()
    assert_our_voice(page, "set-up")


def test_the_public_account_pages_speak_our_voice(client):
    for name in ["account_reset_password", "account_signup"]:
        assert_our_voice(client.get(reverse(name)).content.decode(), name)


def test_the_compiled_catalogue_matches_its_source():
    """The .mo is committed (no gettext needed to run the site); it must say what the .po says."""
    source = (CATALOGUE / "django.po").read_text()
    entries = re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', source, flags=re.M)
    assert len(entries) > 50
    with translation.override("en-gb"):
        for msgid, msgstr in entries:
            assert translation.gettext(msgid) == msgstr, msgid
