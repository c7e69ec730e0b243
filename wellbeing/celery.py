"""The Celery application: a Redis broker in production, in-process tasks by default."""

from __future__ import annotations

import os

from celery import Celery, bootsteps
from celery.fixups.django import DjangoFixup, DjangoWorkerFixup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")


class _WorkerConnections(DjangoWorkerFixup):
    """Between tasks, treat the database connection as Django treats it between requests.

    Celery's own Django support closes it before and after every task, so each task paid for a
    new PostgreSQL connection and CONN_MAX_AGE never applied in a worker. Here a connection is
    closed only when it is broken, left mid-transaction or older than CONN_MAX_AGE, and
    CONN_HEALTH_CHECKS tests a kept one before its next use, so a database restart is survived.
    A forked pool process still drops the connection it inherited (Celery does that itself).
    """

    def close_database(self, **kwargs) -> None:
        from django.db import close_old_connections

        close_old_connections()


class _DjangoFixup(DjangoFixup):
    @property
    def worker_fixup(self) -> DjangoWorkerFixup:
        if self._worker_fixup is None:
            self._worker_fixup = _WorkerConnections(self.app)
        return self._worker_fixup

    @worker_fixup.setter
    def worker_fixup(self, value: DjangoWorkerFixup) -> None:
        self._worker_fixup = value


def _django_fixup(app: Celery) -> DjangoFixup | None:
    """Celery's Django fix-up, with the connection handling above."""
    if os.environ.get("DJANGO_SETTINGS_MODULE"):
        return _DjangoFixup(app).install()
    return None


class _CloseConnectionsOnStop(bootsteps.StartStopStep):
    """A stopping worker closes the connection it kept, rather than leave it to the database.

    A worker running in a thread (as the tests run one) would otherwise leave it open.
    """

    def stop(self, worker) -> None:
        from django.db import connections

        connections.close_all()

    terminate = stop


app = Celery("wellbeing", fixups=[_django_fixup])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.steps["worker"].add(_CloseConnectionsOnStop)
app.autodiscover_tasks()
