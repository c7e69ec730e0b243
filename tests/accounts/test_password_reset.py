"""Forgotten passwords: the reset email goes through the outbox and its link works once."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def reset_link(email: str) -> str:
    body = OutboxEmail.objects.filter(to=email).latest("created_at").body_text
    return re.search(r"http://\S+/accounts/password/reset/key/\S+/", body).group(0)


def test_password_reset_email_is_sent_through_the_outbox(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert OutboxEmail.objects.filter(to=member.email).exists()


def test_reset_link_sets_a_new_password_and_works_once(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    path = re.sub(r"^https?://[^/]+", "", reset_link(member.email))
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    new_password = "a-brand-new-long-passphrase"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new_password)
    again = client.get(path, follow=True)
    assert "bad" in again.content.decode().lower() or "invalid" in again.content.decode().lower()


def test_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not OutboxEmail.objects.filter(to="nobody@example.org").exists()


def test_account_pages_use_the_sites_layout(client_for, member):
    client = client_for(member)
    for name in ["account_change_password", "account_email", "mfa_index"]:
        page = client.get(reverse(name)).content.decode()
        assert "nhsuk-header" in page, name
        assert 'href="#maincontent"' in page, name
