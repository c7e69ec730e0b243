"""Emails read right in both parts, and the outbox admin never shows a private link in
production."""

from __future__ import annotations

import pytest
from django.urls import reverse

from wellbeing.accounts.services import invitation_create, invitation_send
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import email_queue_rendered

pytestmark = pytest.mark.django_db


def test_plain_text_emails_are_not_html_escaped(admin, settings):
    settings.ORGANISATION_NAME = "Smith & Sons' Care"
    invitation, token = invitation_create(
        email="siobhan@example.org", display_name="Siobhán O'Neill", invited_by=admin
    )
    invitation_send(invitation=invitation, token=token)
    email = OutboxEmail.objects.get(to="siobhan@example.org")
    assert "Hello Siobhán O'Neill," in email.body_text
    assert "&#x27;" not in email.body_text
    assert "&amp;" not in email.body_text
    # The HTML part is still escaped, as HTML must be.
    assert "O&#x27;Neill" in email.body_html


def test_allauth_emails_greet_from_the_organisation(client, member, settings):
    settings.ORGANISATION_NAME = "Northfield Care"
    client.post(reverse("account_reset_password"), {"email": member.email})
    email = OutboxEmail.objects.get(to=member.email)
    assert email.body_text.startswith("Hello from Northfield Care.")
    assert email.subject == "Reset your password"


# --- The outbox admin ----------------------------------------------------------------------------


def outbox_email(key: str, *, sensitive: bool, status: str) -> OutboxEmail:
    email = email_queue_rendered(
        to="sam@example.org",
        subject="Your survey",
        body_text="Follow http://example.org/recruitment/survey/secret-token/",
        body_html="<a href='http://example.org/recruitment/survey/secret-token/'>Go</a>",
        idempotency_key=key,
        sensitive=sensitive,
    )
    OutboxEmail.objects.filter(pk=email.pk).update(status=status)
    return email


def admin_page(client, email: OutboxEmail) -> str:
    response = client.get(reverse("admin:notifications_outboxemail_change", args=[email.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("status", ["pending", "sending", "sent", "failed"])
def test_in_production_the_admin_never_shows_a_private_link(client_for, admin, settings, status):
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = False
    email = outbox_email(f"survey:{status}", sensitive=True, status=status)
    page = admin_page(client_for(admin), email)
    assert "secret-token" not in page
    assert "carries a private link" in page
    assert "Your survey" in page  # the subject and recipient still help support


def test_ordinary_emails_stay_readable_in_the_admin(client_for, admin, settings):
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = False
    email = outbox_email("news", sensitive=False, status="pending")
    assert "secret-token" in admin_page(client_for(admin), email)


def test_in_development_the_outbox_shows_every_link(client_for, admin, settings):
    """Without a mail server, the outbox is how a newcomer follows a survey link."""
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = True
    email = outbox_email("survey:dev", sensitive=True, status="pending")
    assert "secret-token" in admin_page(client_for(admin), email)
