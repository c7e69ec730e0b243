from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class OutboxEmail(models.Model):
    """One email the product owes someone.

    The row is written in the same transaction as the event that caused it, so the database is
    the record of what must be sent; Celery and Redis only make delivery prompt.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # Carries a private link (an invitation, a survey, a password reset): its text is removed
    # once sent, so nobody reading the outbox later can follow the link as its recipient.
    sensitive = models.BooleanField(default=False)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due"),
            # Counts the last minute's sends for OUTBOX_MAX_PER_MINUTE; rows never claimed
            # (every email as it is queued) stay out of it, so queuing does not pay for it.
            models.Index(
                fields=["claimed_at"],
                name="outbox_claimed",
                condition=models.Q(claimed_at__isnull=False),
            ),
        ]
        verbose_name = "outbox email"

    def __str__(self) -> str:
        return f"{self.subject} → {self.to}"

    @property
    def message_id(self) -> str:
        """Stable across retries, so a rare duplicate delivery is recognisable as one."""
        domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
        return f"<{self.id}@{domain}>"
