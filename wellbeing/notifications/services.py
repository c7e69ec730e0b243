"""The email outbox: queue an email inside the caller's transaction, send it at most once.

Every email in the product goes through `email_queue`. Delivery is claimed with a conditional
UPDATE, so a task delivered twice by the broker sends nothing the second time; temporary SMTP
trouble puts the email back in the queue with backoff, and the beat task picks it up again.
"""

from __future__ import annotations

import logging
import random
import smtplib
import socket
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)

REDACTED = (
    "This email carried a private link. Its text was removed once it was sent, so that the "
    "link cannot be used from here."
)


def email_queue(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    sensitive: bool = False,
) -> OutboxEmail:
    """Render `template` (subject, text, HTML) and add it to the outbox.

    Calling it again with the same key returns the existing row: the email is owed once.
    The send task is queued only when the surrounding transaction commits, so an email for
    something that was rolled back is never sent.
    """
    context = {"site_url": settings.SITE_URL, **context}
    return email_queue_rendered(
        to=to,
        # Subject and text are plain text: rendered without HTML escaping (engine "text").
        subject=" ".join(
            render_to_string(f"emails/{template}_subject.txt", context, using="text").split()
        ),
        body_text=render_to_string(f"emails/{template}.txt", context, using="text"),
        body_html=render_to_string(f"emails/{template}.html", context),
        idempotency_key=idempotency_key,
        sensitive=sensitive,
    )


def email_queue_rendered(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str,
    idempotency_key: str,
    sensitive: bool = False,
) -> OutboxEmail:
    """Add an already rendered email to the outbox (allauth renders its own)."""
    from .tasks import email_send_task  # tasks import this module

    email, created = OutboxEmail.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "to": to,
            "subject": subject,
            "body_text": body_text,
            "body_html": body_html,
            "sensitive": sensitive,
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue(email_send_task, str(email.id)))
    return email


def _enqueue(task, email_id: str) -> None:
    """Hand a committed email to the broker; if that fails, the beat requeue sends it later.

    This runs after the commit, so raising would turn the caller's successful request into an
    error and skip the transaction's remaining on_commit callbacks, for nothing: the row is safe.
    """
    try:
        task.delay(email_id)
    except Exception:
        logger.warning(
            "Email %s is queued but could not be handed to the broker; the outbox requeue "
            "will send it",
            email_id,
            exc_info=True,
        )


def _is_temporary(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPException | OSError | socket.timeout)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff with jitter: 30 s, 1 min, 2 min … capped at an hour."""
    base = min(30 * 2 ** max(attempts - 1, 0), 3600)
    return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311


def email_send(*, email_id: str) -> bool:
    """Send one outbox email if it is still pending and due; True if this call sent it."""
    now = timezone.now()
    # The attempt is counted as it is claimed, so one whose worker dies mid-send counts too,
    # and an email that kills its worker every time still ends up failed.
    claimed = OutboxEmail.objects.filter(
        id=email_id, status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now
    ).update(status=OutboxEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if claimed != 1:
        return False
    email = OutboxEmail.objects.get(id=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    attempts = email.attempts
    try:
        message.send()
    except Exception as exc:
        if _is_temporary(exc) and attempts < settings.OUTBOX_MAX_ATTEMPTS:
            logger.warning(
                "Email %s not sent (attempt %s), will retry: %s", email_id, attempts, exc
            )
            email_reschedule(email_id=email_id, attempts=attempts, error=str(exc), now=now)
        else:
            logger.error("Email %s failed permanently: %s", email_id, exc)
            OutboxEmail.objects.filter(id=email_id).update(
                status=OutboxEmail.Status.FAILED, last_error=str(exc)
            )
        return False
    sent = {"status": OutboxEmail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
    if email.sensitive and not settings.OUTBOX_KEEP_SENSITIVE_BODIES:
        sent.update(body_text=REDACTED, body_html="")
    OutboxEmail.objects.filter(id=email_id).update(**sent)
    return True


def email_reschedule(*, email_id: str, attempts: int, error: str, now: datetime) -> None:
    OutboxEmail.objects.filter(id=email_id).update(
        status=OutboxEmail.Status.PENDING,
        attempts=attempts,
        last_error=error,
        next_attempt_at=now + retry_delay(attempts),
    )


def outbox_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[str]:
    """Pending emails that are due, and emails stuck in `sending` (a worker died mid-send).

    Stuck rows go back to pending; rows locked by another beat run are skipped, so two beat
    processes never hand out the same row twice.
    """
    now = now or timezone.now()
    stuck_before = now - settings.OUTBOX_SENDING_TIMEOUT
    with transaction.atomic():
        rows = list(
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(
                Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
                | Q(status=OutboxEmail.Status.SENDING, claimed_at__lt=stuck_before)
            )
            .order_by("next_attempt_at")
            .values_list("id", "status")[:limit]
        )
        stuck = [pk for pk, status in rows if status == OutboxEmail.Status.SENDING]
        given_up_ids: set = set()
        if stuck:
            stuck_rows = OutboxEmail.objects.filter(id__in=stuck, status=OutboxEmail.Status.SENDING)
            given_up = stuck_rows.filter(attempts__gte=settings.OUTBOX_MAX_ATTEMPTS)
            given_up_ids = set(given_up.values_list("id", flat=True))
            given_up.update(
                status=OutboxEmail.Status.FAILED,
                last_error="The worker stopped while sending this email, every time it tried.",
            )
            stuck_rows.update(status=OutboxEmail.Status.PENDING, next_attempt_at=now)
    return [str(pk) for pk, _ in rows if pk not in given_up_ids]


def email_retry_failed(*, email_id: str) -> None:
    """An admin, having fixed the cause, sends a failed email again."""
    from .tasks import email_send_task

    updated = OutboxEmail.objects.filter(id=email_id, status=OutboxEmail.Status.FAILED).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if updated:
        transaction.on_commit(lambda: _enqueue(email_send_task, email_id))


def outbox_backlog() -> dict[str, int]:
    """Counts that /healthz reports: a growing backlog means mail is not going out."""
    now = timezone.now()
    return {
        "pending": OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING).count(),
        "overdue": OutboxEmail.objects.filter(
            status=OutboxEmail.Status.PENDING, next_attempt_at__lt=now - timedelta(minutes=5)
        ).count(),
        "failed": OutboxEmail.objects.filter(status=OutboxEmail.Status.FAILED).count(),
    }


def outbox_purge_sent(*, now: datetime | None = None) -> int:
    """Sent emails hold personal data; they are kept only as long as they help support."""
    cutoff = (now or timezone.now()) - settings.OUTBOX_KEEP_SENT
    deleted, _ = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENT, sent_at__lt=cutoff
    ).delete()
    return deleted


ERASED = "Erased with the recipient's personal data."


@transaction.atomic
def email_redact(*, to: str, key_prefixes: tuple[str, ...] = ()) -> int:
    """Erase the outbox's copies of emails to `to` (only those whose idempotency key starts
    with one of `key_prefixes`, when given); returns how many.

    When a person's details are erased, the emails written to them (with their name, and
    perhaps a private link) go too, whatever their state: one not sent yet is never sent. The
    row stays, empty, so its idempotency key still stops the same email being queued again.
    """
    emails = OutboxEmail.objects.filter(to__iexact=to.strip())
    if key_prefixes:
        matches = Q()
        for prefix in key_prefixes:
            matches |= Q(idempotency_key__startswith=prefix)
        emails = emails.filter(matches)
    emails.exclude(status=OutboxEmail.Status.SENT).update(
        status=OutboxEmail.Status.FAILED, last_error=ERASED
    )
    return emails.update(to="", subject="(erased)", body_text=ERASED, body_html="")
