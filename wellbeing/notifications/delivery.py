"""The two connections a batch of emails travels over: SMTP out, and the record of what was sent.

`MailServer` keeps one SMTP connection across a batch. `SentRecorder` marks each email sent as
soon as the server has accepted it; on PostgreSQL it does so without waiting for the commit to
reach the disk, so that wait overlaps the next email's SMTP exchange instead of adding to it.
"""

from __future__ import annotations

import contextlib
import logging
import select
import smtplib
from collections import deque

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection
from django.utils import timezone
from psycopg2.extensions import POLL_OK, POLL_WRITE
from psycopg2.extras import wait_select

from .models import OutboxEmail

logger = logging.getLogger(__name__)

REDACTED = (
    "This email carried a private link. Its text was removed once it was sent, so that the "
    "link cannot be used from here."
)


class MailServerUnreachable(Exception):
    """No connection to the mail server could be opened: nothing more can go out just now."""


def dropped(exc: BaseException) -> bool:
    """The server hung up, or said it is closing the connection (421)."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(code == 421 for code, _ in exc.recipients.values())
    return isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionError)


class MailServer:
    """One connection to the mail server, kept open across a batch of emails.

    Before each email the connection is checked without a round trip: a server that hung up,
    or announced it is closing, has left the socket readable. A connection that drops while an
    email is being sent is opened again once, for that email.
    """

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)

    def __enter__(self) -> MailServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def send(self, message: EmailMultiAlternatives) -> None:
        opened_again = not self._usable()
        if opened_again:
            self.close()
        try:
            self._attempt(message)
        except Exception as exc:
            if opened_again or not dropped(exc):
                raise
            self._attempt(message)

    def close(self) -> None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            self.backend.close()

    def _attempt(self, message: EmailMultiAlternatives) -> None:
        try:
            self.backend.open()
        except Exception as exc:
            self.close()
            raise MailServerUnreachable(str(exc)) from exc
        try:
            self.backend.send_messages([message])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as exc:
            # The server refused this email and smtplib reset the session for the next one,
            # unless the server said it is closing.
            if dropped(exc):
                self.close()
            raise
        except BaseException:
            # Disconnected, timed out, or anything unforeseen: the session may be half-way
            # through a command, so it is never used again.
            self.close()
            raise

    def _usable(self) -> bool:
        client = getattr(self.backend, "connection", None)
        if client is None:
            return True  # nothing open yet; sending opens it
        return _quiet(getattr(client, "sock", None))


def _quiet(sock) -> bool:
    """An idle SMTP connection has nothing to read; a closed or closing one has."""
    if sock is None:
        return False
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return False
    return not readable


class SentRecorder:
    """Marks emails sent, each as soon as the mail server has accepted it.

    For a batch on PostgreSQL, outside a transaction, each UPDATE goes over a connection of
    the batch's own that does not wait for the answer (Django's connection cannot). The
    statement has been written to the database before the next email is sent, and the database
    commits it whether or not this worker lives to hear back, so a worker killed mid-batch
    still leaves only the email it was sending in doubt; meanwhile each commit's wait for the
    disk overlaps the next emails instead of holding them up. While every connection still
    awaits its commit another is opened, up to `most_connections`, then the oldest is waited
    for. They close with the batch. A batch smaller than `fewest_emails` is not worth a
    connection, and if none can be opened, the marks go over Django's connection and wait as
    usual.
    """

    most_connections = 4
    fewest_emails = 10

    def __init__(self, emails: int) -> None:
        self._ready: list = []  # (connection, cursor) with nothing in flight
        self._busy: deque = deque()  # (connection, cursor) awaiting a commit, oldest first
        self._opening = None
        self._open = 0
        self._overlap = (
            emails >= self.fewest_emails
            and connection.vendor == "postgresql"
            and connection.Database.__name__ == "psycopg2"
            and not connection.in_atomic_block
        )
        if self._overlap:
            self._opening = self._connect()  # opens while the first email is being sent

    def __enter__(self) -> SentRecorder:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.finish()
        except connection.Database.Error:
            if exc_type is None:
                raise
            logger.warning("The last emails' marks may be lost", exc_info=True)
        finally:
            for pg, _ in [*self._ready, *self._busy]:
                pg.close()
            if self._opening is not None:
                self._opening.close()

    def record(self, email: OutboxEmail) -> None:
        fields = {"status": OutboxEmail.Status.SENT, "sent_at": timezone.now(), "last_error": ""}
        if email.sensitive and not settings.OUTBOX_KEEP_SENSITIVE_BODIES:
            fields.update(body_text=REDACTED, body_html="")
        ready = self._ready_connection()
        if ready is None:
            OutboxEmail.objects.filter(id=email.id).update(**fields)
            return
        pg, cursor = ready
        qn = connection.ops.quote_name
        assignments = ", ".join(f"{qn(name)} = %s" for name in fields)
        cursor.execute(
            # Names from the model; every value is a parameter.
            f"UPDATE {qn(OutboxEmail._meta.db_table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [*fields.values(), email.id],
        )
        self._busy.append(ready)
        # Return once the statement is written out, not once it is answered.
        while pg.poll() == POLL_WRITE:
            select.select([], [pg.fileno()], [])

    def finish(self) -> None:
        """Wait until every mark is committed; raise if one was not."""
        while self._busy:
            self._wait_oldest()

    def _ready_connection(self):
        """A connection with nothing in flight; None: mark over Django's connection."""
        if not self._overlap:
            return None
        while self._busy and self._busy[0][0].poll() == POLL_OK:
            self._ready.append(self._busy.popleft())
        if not self._ready and self._opening is None and self._open < self.most_connections:
            self._opening = self._connect()
        if not self._ready and self._opening is not None:
            pg, self._opening = self._opening, None
            try:
                wait_select(pg)
            except connection.Database.Error:
                logger.warning("Could not open a connection to mark emails sent", exc_info=True)
                pg.close()
                self._open = self.most_connections  # make do with those already open
            else:
                self._ready.append((pg, pg.cursor()))
                self._open += 1
        if not self._ready and self._busy:
            self._wait_oldest()
        if not self._ready:
            self._overlap = False  # no connection of its own could be opened
            return None
        return self._ready.pop()

    def _wait_oldest(self) -> None:
        pg, cursor = self._busy.popleft()
        try:
            wait_select(pg)
        except Exception:
            pg.close()
            raise
        self._ready.append((pg, cursor))

    def _connect(self):
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        try:
            return connection.Database.connect(**params, async_=True)
        except connection.Database.Error:
            logger.warning("Could not open a connection to mark emails sent", exc_info=True)
            self._open = self.most_connections  # make do with those already open
            return None
