"""The outbox keeps its promises when processes die (make test-faults).

A worker killed mid-send leaves its email in `sending`; once the sending timeout has passed
the beat requeue hands it to a fresh worker, and the email arrives at most twice, any second
copy with the same Message-ID. Killed in the middle of a batch, it leaves only the email it was
sending in doubt: every email before it is already recorded as sent. A broker that is down when
the event commits loses nothing and breaks nothing: the row waits as pending until the requeue
delivers it, once. Between tasks a worker keeps its database connection.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tests.services import wait_until
from wellbeing.notifications import services
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import OutgoingEmail
from wellbeing.notifications.tasks import email_send_batch_task, email_send_task, outbox_requeue

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


def test_worker_killed_mid_batch_of_500_leaves_only_the_email_in_flight_in_doubt(
    start_worker, paced_smtp, settings
):
    settings.OUTBOX_BATCH_SIZE = 500  # so the event's 500 emails are one task and one batch
    first = start_worker(paced_smtp, OUTBOX_BATCH_SIZE="500")
    with transaction.atomic():
        emails = services.email_queue_many(
            emails=[
                OutgoingEmail(
                    to=f"member{n}@example.org",
                    subject="Your rota for next week",
                    body_text=f"Week of member {n}",
                    body_html=f"<p>Week of member {n}</p>",
                    idempotency_key=f"fault:rota:{n}",
                )
                for n in range(500)
            ]
        )
    expected = {email.message_id for email in emails}

    assert wait_until(lambda: len(paced_smtp.messages) >= 150, timeout=60), (
        "the batch never got going:\n" + first.output()
    )
    assert first.kill() == -signal.SIGKILL
    arrived = {message["Message-ID"] for message in paced_smtp.messages}
    # What the worker had already handed the database, the database still commits.
    assert wait_until(lambda: not other_sessions(), timeout=30), other_sessions()
    rows = OutboxEmail.objects.filter(idempotency_key__startswith="fault:rota:")
    recorded = {email.message_id for email in rows.filter(status=OutboxEmail.Status.SENT)}
    # Each email's result was recorded as soon as it was sent: every email the server has is
    # marked sent, but for the one the worker was waiting on when it died.
    assert recorded <= arrived
    assert len(arrived - recorded) <= 1
    assert len(recorded) < 500  # it was killed half-way
    assert rows.filter(status=OutboxEmail.Status.SENDING).count() == 500 - len(recorded)

    # The sending timeout passes; the beat requeue hands the rest out to a fresh worker.
    rows.filter(status=OutboxEmail.Status.SENDING).update(
        claimed_at=timezone.now() - settings.OUTBOX_SENDING_TIMEOUT - timedelta(seconds=1)
    )
    second = start_worker(paced_smtp, OUTBOX_BATCH_SIZE="500")
    for email_ids in services.outbox_due_batches():
        email_send_batch_task.delay(email_ids)
    assert wait_until(
        lambda: rows.filter(status=OutboxEmail.Status.SENT).count() == 500, timeout=120
    ), "not every email was sent after the restart:\n" + second.output()
    settle(paced_smtp, "fault-marker-3")

    received = [message["Message-ID"] for message in paced_smtp.messages]
    ours = [message_id for message_id in received if message_id in expected]
    assert set(ours) == expected  # every email arrived
    duplicates = [message_id for message_id in set(ours) if ours.count(message_id) > 1]
    assert len(ours) - len(expected) <= 1  # at most the one in flight, again
    assert all(message_id in arrived - recorded for message_id in duplicates)


def other_sessions() -> list[tuple]:
    """Connections to the test database other than this process's own (the workers')."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchall()


def test_a_worker_keeps_its_database_connection_between_tasks(start_worker, smtp_server):
    worker = start_worker(smtp_server)
    backends = []
    for n in range(3):
        email = queue(f"fault:kept-connection:{n}", to=f"kept{n}@example.org")
        assert wait_until(lambda email=email: status(email)[0] == OutboxEmail.Status.SENT), (
            worker.output()
        )
        time.sleep(0.5)  # the task has ended and its clean-up run
        backends.append(other_sessions())
    assert len(backends[0]) == 1, backends
    assert backends[0] == backends[1] == backends[2]
