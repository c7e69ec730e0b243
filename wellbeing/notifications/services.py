"""The email outbox: queue an email inside the caller's transaction, send it at most once.

Every email in the product goes through `email_queue` (or `email_queue_many`, for a whole team or
round at once). The rows are written in the caller's transaction; once it commits, one send task
per batch of them goes to the broker. A send task claims its emails, and other due ones to make
up a batch, with a conditional UPDATE, so a task delivered twice by the broker sends nothing the
second time. It sends them over one SMTP connection and records each result as soon as that email
is sent. Temporary SMTP trouble puts an email back in the queue with backoff, and the beat task
picks it up again.
"""

from __future__ import annotations

import contextlib
import logging
import random
import smtplib
import socket
import threading
import uuid
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .delivery import MailServer, MailServerUnreachable, SentRecorder
from .models import OutboxEmail

logger = logging.getLogger(__name__)

# --- Queuing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutgoingEmail:
    """One rendered email, ready for the outbox."""

    to: str
    subject: str
    body_text: str
    body_html: str
    idempotency_key: str
    sensitive: bool = False


def email_render(
    *,
    to: str,
    template: str,
    context: dict[str, Any],
    idempotency_key: str,
    sensitive: bool = False,
) -> OutgoingEmail:
    """Render `template` (subject, text, HTML) for one recipient."""
    context = {"site_url": settings.SITE_URL, **context}
    return OutgoingEmail(
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
    email = email_render(
        to=to,
        template=template,
        context=context,
        idempotency_key=idempotency_key,
        sensitive=sensitive,
    )
    return email_queue_many(emails=[email])[0]


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
    email = OutgoingEmail(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        idempotency_key=idempotency_key,
        sensitive=sensitive,
    )
    return email_queue_many(emails=[email])[0]


def email_queue_many(*, emails: Iterable[OutgoingEmail]) -> list[OutboxEmail]:
    """Add many emails to the outbox with one INSERT, and send them after the commit.

    Returns the outbox rows in the order given. A key already in the outbox, or given twice,
    returns the row queued first and is not sent again: each email is owed once. However many
    calls a transaction makes, it hands its emails to the broker together when it commits, one
    task per batch of `OUTBOX_BATCH_SIZE`.
    """
    emails = list(emails)
    rows: dict[str, OutboxEmail] = {}
    for email in emails:
        rows.setdefault(
            email.idempotency_key,
            OutboxEmail(
                to=email.to,
                subject=email.subject,
                body_text=email.body_text,
                body_html=email.body_html,
                idempotency_key=email.idempotency_key,
                sensitive=email.sensitive,
            ),
        )
    if not rows:
        return []
    inserted = _insert_new(list(rows.values()))
    known = [key for key in rows if key not in inserted]
    stored = OutboxEmail.objects.in_bulk(known, field_name="idempotency_key") if known else {}
    if inserted:
        _CommitSends.add([str(rows[key].pk) for key in rows if key in inserted])
    return [stored.get(email.idempotency_key) or rows[email.idempotency_key] for email in emails]


def _insert_new(rows: list[OutboxEmail]) -> set[str]:
    """Insert the rows whose keys the outbox does not know yet; returns the keys inserted.

    One `INSERT … ON CONFLICT DO NOTHING RETURNING` statement (per 500 rows on PostgreSQL,
    fewer on SQLite), so neither a single email nor a thousand pays for a lookup first.
    """
    if not connection.features.can_return_rows_from_bulk_insert:  # SQLite before 3.35
        OutboxEmail.objects.bulk_create(rows, ignore_conflicts=True)
        stored = OutboxEmail.objects.in_bulk(
            [row.idempotency_key for row in rows], field_name="idempotency_key"
        )
        inserted = {row.idempotency_key for row in rows if stored[row.idempotency_key] == row}
    else:
        fields = OutboxEmail._meta.concrete_fields
        qn = connection.ops.quote_name
        key = qn(OutboxEmail._meta.get_field("idempotency_key").column)
        columns = ", ".join(qn(field.column) for field in fields)
        # Names from the model; every value is a parameter.
        insert = f"INSERT INTO {qn(OutboxEmail._meta.db_table)} ({columns}) VALUES "  # noqa: S608
        placeholders = f"({', '.join(['%s'] * len(fields))})"
        per_statement = min(500, (connection.features.max_query_params or 65535) // len(fields))
        inserted = set()
        # One statement is atomic by itself; several must be, together.
        several = len(rows) > per_statement
        atomic = transaction.atomic(savepoint=False) if several else contextlib.nullcontext()
        with atomic, connection.cursor() as cursor:
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                cursor.execute(
                    insert
                    + ", ".join([placeholders] * len(chunk))
                    + f" ON CONFLICT ({key}) DO NOTHING RETURNING {key}",
                    [
                        field.get_db_prep_save(getattr(row, field.attname), connection)
                        for row in chunk
                        for field in fields
                    ],
                )
                inserted.update(returned for (returned,) in cursor.fetchall())
    for row in rows:
        if row.idempotency_key in inserted:
            row._state.adding, row._state.db = False, connection.alias
    return inserted


class _CommitSends:
    """The emails one transaction queued, handed to the broker together once it commits.

    Django replaces its list of on-commit callbacks when a transaction commits or rolls back
    (also to a savepoint), so that list tells which transaction the emails belong to. Each
    queuing call still registers its own callback, which publishes from its own emails to the
    last: at a commit the first callback publishes them all and the rest find nothing left. A
    callback dropped with a savepoint leaves those emails to an earlier callback, which names
    them too; their rows were rolled back, and the send task passes over ids it cannot find.
    """

    local = threading.local()

    def __init__(self, hooks: list | None) -> None:
        self.hooks = hooks
        self.email_ids: list[str] = []
        self.published_from: int | None = None

    @classmethod
    def add(cls, email_ids: list[str]) -> None:
        db = transaction.get_connection()
        hooks = getattr(db, "run_on_commit", None)
        sends = getattr(cls.local, "sends", None)
        if (
            sends is None
            or sends.published_from is not None
            or hooks is None
            or sends.hooks is not hooks
            or not db.in_atomic_block
        ):
            sends = cls.local.sends = cls(hooks)
        start = len(sends.email_ids)
        sends.email_ids.extend(email_ids)
        transaction.on_commit(lambda: sends.publish(start))

    def publish(self, start: int) -> None:
        from .tasks import email_send_batch_task  # tasks import this module

        end = len(self.email_ids) if self.published_from is None else self.published_from
        if start >= end:
            return
        self.published_from = start
        size = settings.OUTBOX_BATCH_SIZE
        for first in range(start, end, size):
            _enqueue(email_send_batch_task, self.email_ids[first : min(first + size, end)])


def _enqueue(task, email_ids: list[str]) -> None:
    """Hand committed emails to the broker; if that fails, the beat requeue sends them later.

    This runs after the commit, so raising would turn the caller's successful request into an
    error and skip the transaction's remaining on_commit callbacks, for nothing: the rows are
    safe.
    """
    try:
        task.delay(email_ids)
    except Exception:
        logger.warning(
            "Emails %s are queued but could not be handed to the broker; the outbox requeue "
            "will send them",
            ", ".join(email_ids),
            exc_info=True,
        )


# --- Sending --------------------------------------------------------------------------------


def _is_temporary(exc: BaseException) -> bool:
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
    """Send one outbox email if it is still pending and due; True if this call sent it.

    Other due emails may go out with it, over the same connection (see `email_send_batch`).
    """
    return str(email_id) in email_send_batch(email_ids=[email_id])


def email_send_batch(*, email_ids: Sequence[str], take_others: bool = True) -> list[str]:
    """Claim these emails, and other due ones to make up a batch, then send them; the ids sent.

    If none of the named emails can be claimed (another batch took them, they were sent, they
    are not due), nothing is claimed and this returns at once. An email on a retry is sent only
    when it is named alone, and alone: a bad address then never uses up the attempts of others.
    Without `take_others` only the named emails go.
    """
    emails = _claim(email_ids, take_others=take_others)
    return _deliver(emails) if emails else []


def _claim(email_ids: Sequence[str], *, take_others: bool = True) -> list[OutboxEmail]:
    ids = list(dict.fromkeys(uuid.UUID(str(pk)) for pk in email_ids))
    size = settings.OUTBOX_BATCH_SIZE
    if connection.vendor != "postgresql":
        return _claim_each(ids, limit=_within_cap(size))
    if not settings.OUTBOX_MAX_PER_MINUTE:
        return _claim_batch(ids, limit=size, take_others=take_others)
    with transaction.atomic():
        # One claimer at a time counts the last minute's sends, so two workers cannot both
        # take the last of the allowance.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ["outbox-per-minute"])
        return _claim_batch(ids, limit=_within_cap(size), take_others=take_others)


def _within_cap(limit: int) -> int:
    """How many emails may be claimed now under `OUTBOX_MAX_PER_MINUTE` (0: unlimited)."""
    cap = settings.OUTBOX_MAX_PER_MINUTE
    if not cap:
        return limit
    recent = OutboxEmail.objects.filter(claimed_at__gt=timezone.now() - timedelta(minutes=1))
    return max(0, min(limit, cap - recent.count()))


_CLAIM_SQL = """
WITH named AS MATERIALIZED (
    SELECT id, attempts FROM {table}
    WHERE id = ANY(%s::uuid[]) AND status = %s AND next_attempt_at <= %s
      AND (attempts = 0 OR %s)
    ORDER BY next_attempt_at
    LIMIT %s
    FOR UPDATE SKIP LOCKED
), others AS MATERIALIZED (
    SELECT id FROM {table}
    WHERE status = %s AND attempts = 0 AND next_attempt_at <= %s
      AND NOT (id = ANY(%s::uuid[]))
      AND EXISTS (SELECT 1 FROM named)
      AND NOT EXISTS (SELECT 1 FROM named WHERE attempts > 0)
    ORDER BY next_attempt_at
    LIMIT %s
    FOR UPDATE SKIP LOCKED
)
UPDATE {table} SET status = %s, claimed_at = %s, attempts = {table}.attempts + 1
WHERE id IN (SELECT id FROM named UNION ALL SELECT id FROM others)
RETURNING {table}.*
"""


def _claim_batch(ids: list[uuid.UUID], *, limit: int, take_others: bool) -> list[OutboxEmail]:
    """PostgreSQL: claim the named emails and others due, in one statement.

    Rows another worker is claiming at this moment are skipped rather than waited for, so two
    workers never take the same email and never queue behind each other. The attempt is
    counted as it is claimed, so one whose worker dies mid-send counts too, and an email that
    kills its worker every time still ends up failed.
    """
    if limit <= 0:
        return []
    now = timezone.now()
    pending, sending = OutboxEmail.Status.PENDING, OutboxEmail.Status.SENDING
    names = [str(pk) for pk in ids]
    sql = _CLAIM_SQL.format(table=connection.ops.quote_name(OutboxEmail._meta.db_table))
    params = [
        names,
        pending,
        now,
        len(ids) == 1,
        limit,
        pending,
        now,
        names,
        max(limit - len(ids), 0) if take_others else 0,
        sending,
        now,
    ]
    emails = list(OutboxEmail.objects.raw(sql, params))
    return sorted(emails, key=lambda email: (email.next_attempt_at, email.created_at))


def _claim_each(ids: list[uuid.UUID], *, limit: int) -> list[OutboxEmail]:
    """Other databases (SQLite: no SKIP LOCKED): claim just the named emails, one by one."""
    now = timezone.now()
    claimable = Q(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now)
    if len(ids) > 1:
        claimable &= Q(attempts=0)
    claimed = [
        pk
        for pk in ids[:limit]
        if OutboxEmail.objects.filter(claimable, id=pk).update(
            status=OutboxEmail.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    ]
    if not claimed:
        return []
    return list(OutboxEmail.objects.filter(id__in=claimed).order_by("next_attempt_at"))


class _OutboxMessage(EmailMultiAlternatives):
    """An outbox email as sent, its MIME boundary chosen here.

    Left to itself, Python picks a random boundary and compiles a regular expression for each
    message to check the text does not contain it, which costs more than anything else in
    building the message when hundreds go out a second.
    """

    boundary: str | None = None

    def message(self):
        message = super().message()
        if self.boundary and message.is_multipart():
            message.set_boundary(self.boundary)
        return message


def _message(email: OutboxEmail) -> EmailMultiAlternatives:
    message = _OutboxMessage(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
        boundary = f"=={email.id.hex}=="
        if boundary not in email.body_text and boundary not in email.body_html:
            message.boundary = boundary
    return message


def _deliver(emails: list[OutboxEmail]) -> list[str]:
    """Send claimed emails over one connection, recording each result as soon as it is known.

    A worker killed mid-batch therefore leaves in doubt only the email it was sending (a copy
    sent again carries the same Message-ID). Emails not yet tried when the batch cannot go on
    go back to the queue without an attempt counted.
    """
    sent: list[str] = []
    untried = deque(emails)
    with MailServer() as server, SentRecorder(len(emails)) as recorder:
        try:
            while untried:
                email = untried.popleft()
                try:
                    server.send(_message(email))
                except MailServerUnreachable as exc:
                    _record_failure(email, exc.__cause__ or exc)
                    _release(untried, after=retry_delay(1))
                    untried.clear()
                except SoftTimeLimitExceeded as exc:
                    _record_failure(email, smtplib.SMTPException(f"Stopped mid-send: {exc!r}"))
                    raise
                except Exception as exc:
                    _record_failure(email, exc)
                else:
                    recorder.record(email)
                    sent.append(str(email.id))
        finally:
            _release(untried)
    return sent


def _record_failure(email: OutboxEmail, exc: BaseException) -> None:
    if _is_temporary(exc) and email.attempts < settings.OUTBOX_MAX_ATTEMPTS:
        logger.warning(
            "Email %s not sent (attempt %s), will retry: %s", email.id, email.attempts, exc
        )
        email_reschedule(
            email_id=str(email.id), attempts=email.attempts, error=str(exc), now=timezone.now()
        )
    else:
        logger.error("Email %s failed permanently: %s", email.id, exc)
        OutboxEmail.objects.filter(id=email.id).update(
            status=OutboxEmail.Status.FAILED, last_error=str(exc)
        )


def _release(emails: Iterable[OutboxEmail], *, after: timedelta = timedelta(0)) -> None:
    """Give claimed emails that were never tried back to the queue, their attempt uncounted."""
    ids = [email.id for email in emails]
    if ids:
        OutboxEmail.objects.filter(id__in=ids, status=OutboxEmail.Status.SENDING).update(
            status=OutboxEmail.Status.PENDING,
            attempts=F("attempts") - 1,
            claimed_at=None,
            next_attempt_at=timezone.now() + after,
        )


def email_reschedule(*, email_id: str, attempts: int, error: str, now: datetime) -> None:
    OutboxEmail.objects.filter(id=email_id).update(
        status=OutboxEmail.Status.PENDING,
        attempts=attempts,
        last_error=error,
        next_attempt_at=now + retry_delay(attempts),
    )


# --- The beat's sweep and the admin ---------------------------------------------------------


def outbox_due_ids(*, now: datetime | None = None, limit: int = 500) -> list[str]:
    """Pending emails that are due, and emails stuck in `sending` (a worker died mid-send).

    Stuck rows go back to pending; rows locked by another beat run are skipped, so two beat
    processes never hand out the same row twice.
    """
    return [pk for batch in outbox_due_batches(now=now, limit=limit) for pk in batch]


def outbox_due_batches(*, now: datetime | None = None, limit: int = 500) -> list[list[str]]:
    """The due emails of `outbox_due_ids`, grouped as send tasks take them.

    First attempts go in batches of `OUTBOX_BATCH_SIZE`; an email on a retry goes alone.
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
            .values_list("id", "status", "attempts")[:limit]
        )
        stuck = [pk for pk, status, _ in rows if status == OutboxEmail.Status.SENDING]
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
    first = [str(pk) for pk, _, attempts in rows if attempts == 0]
    retries = [[str(pk)] for pk, _, attempts in rows if attempts and pk not in given_up_ids]
    size = settings.OUTBOX_BATCH_SIZE
    return [first[start : start + size] for start in range(0, len(first), size)] + retries


def email_retry_failed(*, email_id: str) -> None:
    """An admin, having fixed the cause, sends a failed email again."""
    updated = OutboxEmail.objects.filter(id=email_id, status=OutboxEmail.Status.FAILED).update(
        status=OutboxEmail.Status.PENDING, next_attempt_at=timezone.now(), attempts=0
    )
    if updated:
        _CommitSends.add([str(email_id)])


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
