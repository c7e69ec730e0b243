"""The outbox at scale: emails are queued in bulk and sent in batches, with every promise kept.

A transaction that queues many emails inserts them together and hands the broker one task per
batch once it commits. A send task claims its emails and other due ones, sends them over one
SMTP connection and records each result as soon as that email has gone, so one bad address or
one dropped connection costs only that email, and two workers never send the same one.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from tests.notifications.conftest import outbox_rows
from tests.services import wait_until
from wellbeing.notifications import services
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import OutgoingEmail
from wellbeing.notifications.tasks import email_send_batch_task

SENT, PENDING, FAILED, SENDING = (
    OutboxEmail.Status.SENT,
    OutboxEmail.Status.PENDING,
    OutboxEmail.Status.FAILED,
    OutboxEmail.Status.SENDING,
)

pytestmark = pytest.mark.django_db


def outgoing(n: int, prefix: str = "team") -> OutgoingEmail:
    return OutgoingEmail(
        to=f"{prefix}{n}@example.org",
        subject=f"Rota {n}",
        body_text=f"Your week {n}",
        body_html=f"<p>Your week {n}</p>",
        idempotency_key=f"{prefix}:{n}",
    )


@pytest.fixture
def published(monkeypatch) -> list[list[str]]:
    """The send tasks handed to the broker (the broker itself is the outside world here)."""
    tasks: list[list[str]] = []
    monkeypatch.setattr(email_send_batch_task, "delay", lambda email_ids: tasks.append(email_ids))
    return tasks


def statuses(rows: list[OutboxEmail]) -> list[tuple[str, int]]:
    by_id = {
        pk: (status, attempts)
        for pk, status, attempts in OutboxEmail.objects.values_list("id", "status", "attempts")
    }
    return [by_id[row.pk] for row in rows]


# --- Queuing ------------------------------------------------------------------------------------


def test_queuing_many_emails_is_one_statement(django_assert_num_queries, published):
    with django_assert_num_queries(1):
        rows = services.email_queue_many(emails=[outgoing(n) for n in range(60)])
    assert [row.to for row in rows] == [f"team{n}@example.org" for n in range(60)]
    assert OutboxEmail.objects.filter(status=PENDING).count() == 60


def test_queuing_one_email_is_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        services.email_queue_rendered(
            to="sam@example.org",
            subject="Hello",
            body_text="Hi",
            body_html="",
            idempotency_key="one",
        )


def test_queuing_new_and_owed_emails_together_is_two_statements_whatever_their_number(
    django_assert_num_queries, django_capture_on_commit_callbacks, published
):
    owed = services.email_queue_many(emails=[outgoing(n) for n in range(0, 60, 2)])
    with django_capture_on_commit_callbacks(execute=True), django_assert_num_queries(2):
        rows = services.email_queue_many(emails=[outgoing(n) for n in range(60)])
    assert [row.pk for row in rows[0::2]] == [row.pk for row in owed]
    assert published == [[str(row.pk) for row in rows[1::2]]]
    assert OutboxEmail.objects.count() == 60


def test_a_transaction_of_many_single_calls_publishes_one_send_task(
    django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks(execute=True):
        rows = [
            services.email_queue_rendered(
                to=f"p{n}@example.org",
                subject="s",
                body_text="t",
                body_html="",
                idempotency_key=f"k{n}",
            )
            for n in range(30)
        ]
    assert published == [[str(row.pk) for row in rows]]


def test_a_transaction_larger_than_a_batch_publishes_one_task_per_batch(
    django_capture_on_commit_callbacks, published, settings
):
    settings.OUTBOX_BATCH_SIZE = 40
    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue_many(emails=[outgoing(n) for n in range(50)])
        services.email_queue_many(emails=[outgoing(n, prefix="more") for n in range(50)])
    assert [len(email_ids) for email_ids in published] == [40, 40, 20]


def test_an_email_already_owed_is_returned_and_not_sent_again(
    django_capture_on_commit_callbacks, published
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.email_queue_many(emails=[outgoing(1), outgoing(2)])
    with django_capture_on_commit_callbacks(execute=True):
        again = services.email_queue_many(emails=[outgoing(2), outgoing(3), outgoing(3)])
    assert again[0].pk == first[1].pk
    assert again[1].pk == again[2].pk
    assert published == [[str(first[0].pk), str(first[1].pk)], [str(again[1].pk)]]
    assert OutboxEmail.objects.count() == 3


def test_emails_rolled_back_with_a_savepoint_are_never_sent_but_the_others_are(
    django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue_many(emails=[outgoing(1)])
        try:
            with transaction.atomic():
                services.email_queue_many(emails=[outgoing(2)])
                raise RuntimeError("the event behind email 2 failed")
        except RuntimeError:
            pass
        services.email_queue_many(emails=[outgoing(3)])
    assert sorted(message.to[0] for message in mailoutbox) == [
        "team1@example.org",
        "team3@example.org",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_publishes_nothing_and_the_next_only_its_own(published):
    def event_that_fails() -> None:
        with transaction.atomic():
            services.email_queue_many(emails=[outgoing(1)])
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        event_that_fails()
    assert published == []
    with transaction.atomic():
        (row,) = services.email_queue_many(emails=[outgoing(2)])
    assert published == [[str(row.pk)]]


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_outside_a_transaction_is_published_at_once(published):
    (row,) = services.email_queue_many(emails=[outgoing(1)])
    assert published == [[str(row.pk)]]


# --- Sending in batches (PostgreSQL) ------------------------------------------------------------


def test_a_batch_goes_out_over_one_connection_each_with_its_own_message_id(postgresql, mail_server):
    rows = outbox_rows(5)
    sent = services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert sent == [str(row.pk) for row in rows]
    assert mail_server.connections == 1
    assert mail_server.message_ids() == [row.message_id for row in rows]
    assert statuses(rows) == [(SENT, 1)] * 5


def test_a_send_task_takes_other_due_first_attempts_up_to_the_batch_size(
    postgresql, mail_server, settings
):
    settings.OUTBOX_BATCH_SIZE = 3
    rows = outbox_rows(5)
    later = outbox_rows(1, prefix="later", next_attempt_at=timezone.now() + timedelta(hours=1))
    sent = services.email_send_batch(email_ids=[str(rows[4].pk)])
    assert sent == [str(rows[0].pk), str(rows[1].pk), str(rows[4].pk)]
    assert statuses(rows + later) == [(SENT, 1)] * 2 + [(PENDING, 0)] * 2 + [
        (SENT, 1),
        (PENDING, 0),
    ]


def test_a_temporary_error_on_the_third_email_reschedules_only_that_one(postgresql, mail_server):
    rows = outbox_rows(5)
    mail_server.refuse["row3@example.org"] = "450 4.2.1 Mailbox busy, try later"
    before = timezone.now()
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert statuses(rows) == [(SENT, 1), (SENT, 1), (PENDING, 1), (SENT, 1), (SENT, 1)]
    third = OutboxEmail.objects.get(pk=rows[2].pk)
    assert third.next_attempt_at > before + timedelta(seconds=20)
    assert "Mailbox busy" in third.last_error
    assert mail_server.connections == 1
    assert len(mail_server.messages) == 4


def test_a_permanent_error_fails_only_that_email(postgresql, mail_server):
    rows = outbox_rows(4)
    mail_server.refuse["row2@example.org"] = "550 5.1.1 No such user"
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert statuses(rows) == [(SENT, 1), (FAILED, 1), (SENT, 1), (SENT, 1)]
    assert "No such user" in OutboxEmail.objects.get(pk=rows[1].pk).last_error


def test_a_dropped_connection_mid_batch_is_reopened_once_and_nothing_is_lost(
    postgresql, mail_server
):
    rows = outbox_rows(5)
    mail_server.hang_up_at_message = {3}
    sent = services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert sent == [str(row.pk) for row in rows]
    assert mail_server.connections == 2
    assert sorted(mail_server.message_ids()) == sorted(row.message_id for row in rows)
    assert statuses(rows) == [(SENT, 1)] * 5


def test_a_relay_closing_connections_at_its_limit_gets_every_email_once(postgresql, mail_server):
    rows = outbox_rows(7)
    mail_server.per_connection = 2
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert mail_server.message_ids() == [row.message_id for row in rows]
    assert mail_server.connections == 4
    assert statuses(rows) == [(SENT, 1)] * 7


def test_an_email_that_drops_the_connection_again_after_reopening_waits_alone(
    postgresql, mail_server
):
    rows = outbox_rows(4)
    mail_server.hang_up_for["row2@example.org"] = 2
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert statuses(rows) == [(SENT, 1), (PENDING, 1), (SENT, 1), (SENT, 1)]
    assert len(mail_server.messages) == 3


def test_when_the_mail_server_is_down_only_the_email_tried_counts_an_attempt(
    postgresql, mail_server
):
    rows = outbox_rows(3)
    mail_server.stop()
    before = timezone.now()
    assert services.email_send_batch(email_ids=[str(rows[0].pk)]) == []
    assert statuses(rows) == [(PENDING, 1), (PENDING, 0), (PENDING, 0)]
    waiting = OutboxEmail.objects.filter(pk__in=[row.pk for row in rows])
    # Nobody hammers a server that is down: all wait for the backoff.
    assert all(row.next_attempt_at > before + timedelta(seconds=20) for row in waiting)
    assert all(row.claimed_at is None for row in waiting.filter(attempts=0))


def test_a_task_whose_emails_were_taken_returns_at_once(
    postgresql, mail_server, django_assert_num_queries
):
    taken = outbox_rows(1, prefix="taken", status=SENDING, attempts=1, claimed_at=timezone.now())
    others = outbox_rows(3)
    with django_assert_num_queries(1):
        assert services.email_send_batch(email_ids=[str(taken[0].pk)]) == []
    assert statuses(others) == [(PENDING, 0)] * 3
    assert mail_server.messages == []


def test_an_email_on_a_retry_is_sent_alone(postgresql, mail_server):
    retry = outbox_rows(1, prefix="retry", attempts=2)
    first = outbox_rows(2)
    assert services.email_send_batch(email_ids=[str(retry[0].pk)]) == [str(retry[0].pk)]
    assert statuses(retry + first) == [(SENT, 3), (PENDING, 0), (PENDING, 0)]


def test_a_batch_of_first_attempts_leaves_retries_to_their_own_tasks(postgresql, mail_server):
    first = outbox_rows(2)
    retry = outbox_rows(1, prefix="retry", attempts=1)
    services.email_send_batch(email_ids=[str(first[0].pk), str(retry[0].pk)])
    assert statuses(first + retry) == [(SENT, 1), (SENT, 1), (PENDING, 1)]


def test_an_email_rolled_back_before_its_task_ran_is_passed_over(postgresql, mail_server):
    rows = outbox_rows(2)
    gone = "4f7c5d7e-5b0a-4a3c-9a52-1f0b8f1b2c3d"
    assert services.email_send_batch(email_ids=[gone, str(rows[0].pk)]) == [
        str(row.pk) for row in rows
    ]


def test_the_per_minute_cap_holds_emails_back_until_the_minute_has_passed(
    postgresql, mail_server, settings
):
    settings.OUTBOX_MAX_PER_MINUTE = 3
    rows = outbox_rows(5)
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert len(mail_server.messages) == 3
    assert services.email_send_batch(email_ids=[str(rows[3].pk)]) == []
    assert statuses(rows)[3:] == [(PENDING, 0)] * 2
    OutboxEmail.objects.filter(status=SENT).update(
        claimed_at=timezone.now() - timedelta(seconds=61)
    )
    services.email_send_batch(email_ids=[str(rows[3].pk)])
    assert statuses(rows) == [(SENT, 1)] * 5


def test_the_requeue_hands_out_first_attempts_in_batches_and_retries_alone(postgresql, settings):
    settings.OUTBOX_BATCH_SIZE = 2
    first = outbox_rows(3)
    retries = outbox_rows(2, prefix="retry", attempts=1)
    batches = services.outbox_due_batches()
    assert batches == [
        [str(first[0].pk), str(first[1].pk)],
        [str(first[2].pk)],
        [str(retries[0].pk)],
        [str(retries[1].pk)],
    ]


@pytest.mark.django_db(transaction=True)
def test_each_result_is_recorded_before_the_next_email_is_sent(postgresql, mail_server):
    rows = outbox_rows(12)
    recorded_when_each_arrived: list[int] = []

    def count_sent() -> None:
        # Asked from another connection, which sees only what has been committed. The client
        # waits for this reply, so an email recorded only after the next one was sent would
        # never be seen here.
        arrived = len(mail_server.messages)

        def count() -> None:
            try:
                recorded = wait_until(
                    lambda: OutboxEmail.objects.filter(status=SENT).count() >= arrived, timeout=5
                )
                recorded_when_each_arrived.append(
                    OutboxEmail.objects.filter(status=SENT).count() if recorded else -1
                )
            finally:
                connection.close()

        looking = threading.Thread(target=count)
        looking.start()
        looking.join(timeout=10)

    mail_server.on_message = count_sent
    services.email_send_batch(email_ids=[str(rows[0].pk)])
    assert recorded_when_each_arrived == list(range(12))


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_at_the_same_moment_never_send_the_same_email(
    postgresql, mail_server, settings
):
    settings.OUTBOX_BATCH_SIZE = 25
    rows = []
    for round_ in range(3):
        batch = outbox_rows(40, prefix=f"round{round_}-")
        rows += batch
        start = threading.Barrier(2)
        sent: list[list[str]] = [[], []]

        def worker(n: int, email_id: str, start=start, sent=sent) -> None:
            try:
                start.wait(timeout=10)
                sent[n] = services.email_send_batch(email_ids=[email_id])
            finally:
                connection.close()

        threads = [
            threading.Thread(target=worker, args=(0, str(batch[0].pk))),
            threading.Thread(target=worker, args=(1, str(batch[20].pk))),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert sent[0] + sent[1]
        assert not set(sent[0]) & set(sent[1])
    # What neither worker took is still owed, not stuck: the next tasks send it.
    assert not OutboxEmail.objects.filter(status=SENDING).exists()
    for email_ids in services.outbox_due_batches():
        services.email_send_batch(email_ids=email_ids)
    message_ids = mail_server.message_ids()
    assert sorted(message_ids) == sorted(row.message_id for row in rows)


@pytest.mark.django_db(transaction=True)
def test_a_claim_passes_over_emails_another_worker_is_claiming(postgresql, settings):
    settings.OUTBOX_BATCH_SIZE = 3
    rows = outbox_rows(6)
    holding = threading.Event()
    release = threading.Event()
    held: list[str] = []

    def first_worker() -> None:
        try:
            with transaction.atomic():
                # Claimed and still locked: this worker's claim has not committed yet.
                held.extend(str(email.pk) for email in services._claim([str(rows[0].pk)]))
                holding.set()
                release.wait(timeout=20)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert holding.wait(timeout=20)
        taken = services._claim([str(rows[0].pk)])
        others = [str(email.pk) for email in services._claim([str(rows[3].pk)])]
    finally:
        release.set()
        thread.join(timeout=20)
    assert held == [str(row.pk) for row in rows[:3]]
    assert taken == []  # its email is another worker's: it returns at once, without waiting
    assert others == [str(row.pk) for row in rows[3:]]


def test_a_task_run_in_process_sends_only_the_emails_it_names(postgresql, mail_server):
    rows = outbox_rows(3)
    email_send_batch_task.apply(args=[[str(rows[1].pk)]])
    assert statuses(rows) == [(PENDING, 0), (SENT, 1), (PENDING, 0)]
