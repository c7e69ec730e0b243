"""The outbox keeps its promises when processes die (make test-faults).

A worker killed mid-send leaves its email in `sending`; once the sending timeout has passed
the beat requeue hands it to a fresh worker, and the email arrives at most twice, any second
copy with the same Message-ID. A broker that is down when the event commits loses nothing
and breaks nothing: the row waits as pending until the requeue delivers it, once.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tests.services import wait_until
from wellbeing.notifications import services
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.tasks import email_send_task, outbox_requeue

pytestmark = pytest.mark.faults

CLOSED_BROKER = "redis://127.0.0.1:1/0"


def queue(key: str, to: str) -> OutboxEmail:
    """The event's transaction: the outbox row commits, then the send task is published."""
    with transaction.atomic():
        return services.email_queue_rendered(
            to=to,
            subject=f"Subject {key}",
            body_text="Hello",
            body_html="<p>Hello</p>",
            idempotency_key=key,
        )


def status(email: OutboxEmail) -> tuple[str, int]:
    email.refresh_from_db()
    return email.status, email.attempts


def settle(sink, key: str) -> None:
    """Queue a marker and wait for it: the solo worker has then handled everything before it."""
    address = f"{key}@example.org"
    queue(key, to=address)
    assert wait_until(lambda: sink.to(address), timeout=20), "the marker email never arrived"


def test_worker_killed_mid_send_is_recovered_with_at_most_one_duplicate(start_worker, slow_smtp):
    first = start_worker(slow_smtp)
    email = queue("fault:killed-mid-send", to="kill@example.org")

    assert slow_smtp.data_started.wait(timeout=20), (
        "the worker never reached the SMTP DATA stage:\n" + first.output()
    )
    assert first.kill() == -signal.SIGKILL
    # The server has the message but the worker died before hearing 250 or marking it sent.
    assert status(email) == (OutboxEmail.Status.SENDING, 1)
    # Within the sending timeout the row may belong to a live, slow worker: it is left alone.
    assert services.outbox_due_ids() == []

    # The sending timeout passes; the beat requeue resets the row and hands it out again.
    OutboxEmail.objects.filter(pk=email.pk).update(
        claimed_at=timezone.now() - settings.OUTBOX_SENDING_TIMEOUT - timedelta(seconds=1)
    )
    second = start_worker(slow_smtp)
    due = services.outbox_due_ids()
    assert due == [str(email.pk)]
    for email_id in due:
        email_send_task.delay(email_id)

    assert wait_until(lambda: status(email)[0] == OutboxEmail.Status.SENT, timeout=25), (
        f"still {status(email)}:\n" + second.output()
    )
    assert status(email) == (OutboxEmail.Status.SENT, 2)  # the killed attempt counts
    # A later requeue finds nothing more to send.
    assert services.outbox_due_ids() == []
    settle(slow_smtp, "fault-marker-1")

    copies = slow_smtp.to("kill@example.org")
    assert 1 <= len(copies) <= 2
    assert {copy["Message-ID"] for copy in copies} == {email.message_id}


def test_broker_down_at_commit_keeps_the_email_for_the_requeue(
    start_worker, broker, smtp_server, caplog
):
    broker.use(CLOSED_BROKER)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="wellbeing.notifications.services"):
        email = queue("fault:broker-down", to="patient@example.org")  # must not raise
    elapsed = time.monotonic() - started
    assert elapsed < 10, f"the user's request waited {elapsed:.1f}s for the broker"
    assert status(email) == (OutboxEmail.Status.PENDING, 0)
    assert str(email.pk) in caplog.text, "the failed publish was not logged"

    # The broker is back; a worker starts and the beat requeue runs on it.
    broker.use_real()
    worker = start_worker(smtp_server)
    outbox_requeue.delay()
    assert wait_until(lambda: smtp_server.to("patient@example.org"), timeout=25), (
        "the requeued email never arrived:\n" + worker.output()
    )
    assert wait_until(lambda: status(email)[0] == OutboxEmail.Status.SENT, timeout=10)

    # Another beat run and a marker behind it: no second copy goes out.
    outbox_requeue.delay()
    settle(smtp_server, "fault-marker-2")
    copies = smtp_server.to("patient@example.org")
    assert len(copies) == 1
    assert copies[0]["Message-ID"] == email.message_id
    assert status(email) == (OutboxEmail.Status.SENT, 1)
