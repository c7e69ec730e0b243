"""The outbox: every email is owed once, survives outages, and is never sent for a rollback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.services import wait_until
from wellbeing.notifications import services
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.tasks import email_send_task, outbox_requeue

pytestmark = pytest.mark.django_db


def queue(key: str, to: str = "sam@example.org") -> OutboxEmail:
    return services.email_queue_rendered(
        to=to,
        subject=f"Subject {key}",
        body_text="Hello",
        body_html="<p>Hello</p>",
        idempotency_key=key,
    )


def test_same_idempotency_key_is_owed_once(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue("survey-invite:1")
        second = queue("survey-invite:1")
    assert first.pk == second.pk
    assert len(mailoutbox) == 1
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.SENT


def test_email_is_sent_only_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue("k1")
    assert mailoutbox == []
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == OutboxEmail.objects.get().message_id


def test_sending_an_already_sent_email_again_sends_nothing(mailoutbox):
    email = queue("k2")
    assert services.email_send(email_id=str(email.id)) is True
    assert services.email_send(email_id=str(email.id)) is False
    assert len(mailoutbox) == 1


def test_an_email_arrives_as_text_and_html_with_its_message_id(mail_server):
    email = queue("parts")
    services.email_send(email_id=str(email.id))
    (message,) = mail_server.messages
    assert message["Message-ID"] == email.message_id
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_payload(decode=True) for part in message.walk()}
    assert parts["text/plain"] == b"Hello"
    assert parts["text/html"] == b"<p>Hello</p>"


def test_email_rendered_from_templates_has_text_and_html(mailoutbox, admin):
    from wellbeing.accounts.services import invitation_create, invitation_send

    invitation, token = invitation_create(
        email="new@example.org", display_name="New Person", invited_by=admin
    )
    invitation_send(invitation=invitation, token=token)
    email = OutboxEmail.objects.get(idempotency_key=f"invitation:{invitation.pk}")
    assert token in email.body_text
    assert token in email.body_html
    assert "New Person" in email.body_text


def test_temporary_smtp_error_reschedules_with_backoff(mail_server):
    email = queue("k3")
    mail_server.refuse["sam@example.org"] = "450 4.2.1 Try again later"
    before = timezone.now()
    assert services.email_send(email_id=str(email.id)) is False
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.PENDING
    assert email.attempts == 1
    assert email.next_attempt_at > before + timedelta(seconds=20)
    assert "Try again later" in email.last_error


def test_permanent_smtp_error_marks_email_failed(mail_server):
    email = queue("k4")
    mail_server.refuse["sam@example.org"] = "550 5.1.1 No such user"
    services.email_send(email_id=str(email.id))
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "No such user" in email.last_error


def test_email_gives_up_after_the_last_attempt(mail_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    email = queue("k5")
    OutboxEmail.objects.filter(pk=email.pk).update(attempts=1)
    mail_server.stop()  # nothing answers: connection refused
    services.email_send(email_id=str(email.id))
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert email.attempts == 2


def test_requeue_finds_due_and_stuck_emails_but_not_future_ones():
    due = queue("due")
    future = queue("future")
    stuck = queue("stuck")
    recent = queue("recently-claimed")
    now = timezone.now()
    OutboxEmail.objects.filter(pk=future.pk).update(next_attempt_at=now + timedelta(minutes=5))
    OutboxEmail.objects.filter(pk=stuck.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=now - timedelta(minutes=30)
    )
    OutboxEmail.objects.filter(pk=recent.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=now - timedelta(seconds=10)
    )
    ids = set(services.outbox_due_ids(now=now))
    assert ids == {str(due.pk), str(stuck.pk)}
    stuck.refresh_from_db()
    assert stuck.status == OutboxEmail.Status.PENDING


def test_failed_email_can_be_retried_by_an_admin(django_capture_on_commit_callbacks, mailoutbox):
    email = queue("k6")
    OutboxEmail.objects.filter(pk=email.pk).update(status=OutboxEmail.Status.FAILED, attempts=8)
    with django_capture_on_commit_callbacks(execute=True):
        services.email_retry_failed(email_id=str(email.id))
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mailoutbox) == 1


def test_sent_emails_are_purged_after_the_keeping_period(settings):
    settings.OUTBOX_KEEP_SENT = timedelta(days=90)
    old = queue("old")
    fresh = queue("fresh")
    OutboxEmail.objects.filter(pk=old.pk).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now() - timedelta(days=91)
    )
    OutboxEmail.objects.filter(pk=fresh.pk).update(
        status=OutboxEmail.Status.SENT, sent_at=timezone.now() - timedelta(days=1)
    )
    assert services.outbox_purge_sent() == 1
    assert list(OutboxEmail.objects.values_list("pk", flat=True)) == [fresh.pk]


# --- With a real Celery worker on Redis and a real SMTP server ---------------------------------


def _marker(smtp_server, key: str):
    """Queue one more email and wait for it: the worker has then handled all before it."""
    with transaction.atomic():
        queue(key, to="marker@example.org")
    assert wait_until(lambda: smtp_server.to("marker@example.org"), timeout=20)


@pytest.mark.services
def test_rolled_back_email_is_never_sent(celery_worker, smtp_server):
    def event_that_fails():
        with transaction.atomic():
            queue("rolled-back", to="never@example.org")
            raise RuntimeError("the event that caused the email failed")

    with pytest.raises(RuntimeError):
        event_that_fails()
    _marker(smtp_server, "marker-1")
    assert smtp_server.to("never@example.org") == []
    assert not OutboxEmail.objects.filter(idempotency_key="rolled-back").exists()


@pytest.mark.services
def test_task_delivered_twice_sends_one_email(celery_worker, smtp_server):
    with transaction.atomic():
        email = queue("twice", to="once@example.org")
    # The broker may redeliver; two more deliveries of the same task arrive.
    email_send_task.delay(str(email.id))
    email_send_task.delay(str(email.id))
    _marker(smtp_server, "marker-2")
    received = smtp_server.to("once@example.org")
    assert len(received) == 1
    assert received[0]["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT


@pytest.mark.services
def test_smtp_outage_delays_email_until_server_is_back(celery_worker, smtp_server):
    smtp_server.stop()
    with transaction.atomic():
        email = queue("outage", to="patient@example.org")
    assert wait_until(
        lambda: OutboxEmail.objects.filter(pk=email.pk, attempts=1, status="pending").exists()
    ), "the failed attempt was not recorded for a retry"
    assert smtp_server.messages == []

    smtp_server.start()
    # Time passes until the retry is due; the beat task then hands it to the worker.
    OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
    outbox_requeue.delay()
    assert wait_until(lambda: smtp_server.to("patient@example.org"), timeout=20)
    # The worker records "sent" just after the server accepts the message: wait for its commit.
    assert wait_until(
        lambda: OutboxEmail.objects.filter(pk=email.pk, status=OutboxEmail.Status.SENT).exists(),
        timeout=20,
    )
    email.refresh_from_db()
    assert email.attempts == 2
    assert len(smtp_server.to("patient@example.org")) == 1


def test_email_that_keeps_killing_its_worker_ends_up_failed(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = queue("poison")
    long_ago = timezone.now() - timedelta(hours=1)
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING, claimed_at=long_ago, attempts=3
    )
    assert services.outbox_due_ids() == []
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.FAILED
    assert "stopped while sending" in email.last_error


def test_private_links_are_removed_from_the_outbox_once_sent(settings, mailoutbox):
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = False
    email = services.email_queue_rendered(
        to="sam@example.org",
        subject="Your survey",
        body_text="Follow http://example.org/recruitment/survey/secret-token/",
        body_html="<a href='http://example.org/recruitment/survey/secret-token/'>Go</a>",
        idempotency_key="survey-invite:99",
        sensitive=True,
    )
    services.email_send(email_id=str(email.id))
    assert "secret-token" in mailoutbox[0].body  # the recipient got the link
    email.refresh_from_db()
    assert "secret-token" not in email.body_text
    assert email.body_html == ""
    assert email.subject == "Your survey"


def test_ordinary_emails_and_the_development_outbox_keep_their_text(settings):
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = True
    private = services.email_queue_rendered(
        to="a@example.org",
        subject="s",
        body_text="token-1",
        body_html="",
        idempotency_key="a",
        sensitive=True,
    )
    services.email_send(email_id=str(private.id))
    settings.OUTBOX_KEEP_SENSITIVE_BODIES = False
    ordinary = queue("ordinary")
    services.email_send(email_id=str(ordinary.id))
    ordinary.refresh_from_db()
    private.refresh_from_db()
    assert ordinary.body_text == "Hello"
    assert private.body_text == "token-1"
