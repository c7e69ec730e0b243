"""A worker treats its database connection as a web process does between requests.

It is kept from one task to the next (a new PostgreSQL connection for every task was most of
a small task's cost), and closed after a task only when it is broken or older than
CONN_MAX_AGE, so a database restart is still survived.
"""

from __future__ import annotations

import time

import pytest
from django.db import connection

from wellbeing.celery import _WorkerConnections, app
from wellbeing.notifications.tasks import email_send_batch_task

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def worker(postgresql) -> _WorkerConnections:
    """What the worker does around each task, acting on this thread's connection."""
    return _WorkerConnections(app)


def run_task(worker: _WorkerConnections) -> None:
    worker.on_task_prerun(sender=email_send_batch_task)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    worker.on_task_postrun(sender=email_send_batch_task)


def test_a_healthy_connection_is_kept_from_one_task_to_the_next(worker):
    run_task(worker)
    kept = connection.connection
    run_task(worker)
    run_task(worker)
    assert kept is not None
    assert connection.connection is kept


def test_a_connection_older_than_conn_max_age_is_closed_after_its_task(worker):
    run_task(worker)
    connection.close_at = time.monotonic() - 1
    worker.on_task_postrun(sender=email_send_batch_task)
    assert connection.connection is None


def test_a_broken_connection_is_closed_after_its_task_and_the_next_gets_a_new_one(worker):
    run_task(worker)
    broken = connection.connection
    broken.close()  # as after a database restart
    connection.errors_occurred = True
    worker.on_task_postrun(sender=email_send_batch_task)
    assert connection.connection is None
    run_task(worker)
    assert connection.connection not in (None, broken)


def test_a_connection_the_database_dropped_between_tasks_is_replaced_before_the_next(worker):
    """As after a PostgreSQL restart: the kept connection is health-checked before reuse."""
    run_task(worker)
    kept = connection.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()
    run_task(worker)
    assert connection.connection not in (None, kept)
