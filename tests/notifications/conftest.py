"""A real SMTP server that behaves as a test tells it to, and outbox rows to send."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection

from tests.services import SMTPSink, require
from wellbeing.notifications.models import OutboxEmail


class MailServer(SMTPSink):
    """An SMTP server over TCP that refuses, hangs up or limits as a relay may.

    - `refuse[address]`: the reply to RCPT for that address, e.g. "450 4.2.1 Mailbox busy";
    - `hang_up_for[address]`: hang up (no reply) when RCPT names it, this many times;
    - `hang_up_at_message`: hang up when the n-th MAIL command (counted from 1) arrives;
    - `per_connection`: close the connection after this many messages, as some relays do;
    - `on_message`: called with each accepted message, while the client waits for the reply.
    """

    def __init__(self) -> None:
        super().__init__()
        self.refuse: dict[str, str] = {}
        self.hang_up_for: dict[str, int] = {}
        self.hang_up_at_message: set[int] = set()
        self.per_connection: int | None = None
        self.on_message: Callable[[], None] | None = None
        self.connections = 0
        self.mail_commands = 0
        self._count = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        with self._count:
            self.connections += 1
        session.host_name = hostname
        session.messages = 0
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        with self._count:
            self.mail_commands += 1
            hang_up = self.mail_commands in self.hang_up_at_message
        if hang_up:
            server.transport.abort()
            return "421 Hanging up"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.hang_up_for.get(address, 0) > 0:
            self.hang_up_for[address] -= 1
            server.transport.abort()
            return "421 Hanging up"
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.on_message is not None:
            self.on_message()
        reply = await super().handle_DATA(server, session, envelope)
        session.messages += 1
        if self.per_connection and session.messages >= self.per_connection:
            # After the reply has gone out, like a relay closing a connection at its limit.
            server.loop.call_soon(server.transport.close)
        return reply

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


@pytest.fixture
def mail_server(settings) -> Iterator[MailServer]:
    """A real SMTP server in this process; the outbox sends to it over TCP."""
    server = MailServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def postgresql() -> None:
    """Batches and SKIP LOCKED are PostgreSQL's; SQLite (the embedded default) claims one by one."""
    if connection.vendor != "postgresql":
        require(f"batch claims need PostgreSQL (DATABASE_URL), not {connection.vendor}")


def outbox_rows(count: int, *, prefix: str = "row", **fields) -> list[OutboxEmail]:
    """Emails already in the outbox and due, in the order they were queued."""
    rows = [
        OutboxEmail(
            to=f"{prefix}{n}@example.org",
            subject=f"Subject {prefix} {n}",
            body_text="Hello",
            body_html="<p>Hello</p>",
            idempotency_key=f"{prefix}:{n}",
            **fields,
        )
        for n in range(1, count + 1)
    ]
    return OutboxEmail.objects.bulk_create(rows)
