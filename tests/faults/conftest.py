"""Fixtures for the fault suite: real Celery worker processes that a test may kill.

Each worker is a separate `celery worker` process on its own Redis queue, using the test's
PostgreSQL database, so killing it with SIGKILL is exactly what the kernel's OOM killer or a
lost container would do. Every process started here is killed and reaped at teardown.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.services import SMTPSink, redis_url, require
from wellbeing.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent.parent
CELERY = ROOT / ".venv" / "bin" / "celery"


class SlowSMTPSink(SMTPSink):
    """An SMTP server that takes its time to say 250 to the first message.

    It keeps the message as soon as the data has arrived and only then waits, like a real
    server that has queued the message but not yet answered: a client killed in that window
    has had its email accepted without learning so, the one duplicate DESIGN.md allows.
    """

    def __init__(self, delay: float = 8.0, slow_messages: int = 1) -> None:
        super().__init__()
        self.delay = delay
        self.slow_messages = slow_messages
        self.data_started = threading.Event()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        reply = await super().handle_DATA(server, session, envelope)
        self.data_started.set()
        if len(self.messages) <= self.slow_messages:
            await asyncio.sleep(self.delay)
        return reply


class PacedSMTPSink(SMTPSink):
    """An SMTP server that keeps each message, then takes `pause` seconds to say 250.

    A batch sent to it takes long enough to be interrupted half-way, and a client killed while
    it waits leaves one message accepted without knowing it.
    """

    def __init__(self, pause: float = 0.01) -> None:
        super().__init__()
        self.pause = pause

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        reply = await super().handle_DATA(server, session, envelope)
        await asyncio.sleep(self.pause)
        return reply


@pytest.fixture
def paced_smtp() -> Iterator[PacedSMTPSink]:
    sink = PacedSMTPSink()
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def slow_smtp() -> Iterator[SlowSMTPSink]:
    sink = SlowSMTPSink()
    sink.start()
    yield sink
    sink.stop()


def _database_url() -> str:
    if connection.vendor != "postgresql":
        require(f"the fault tests need PostgreSQL (DATABASE_URL), not {connection.vendor}")
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    host = db["HOST"] or "127.0.0.1"
    if host not in {"127.0.0.1", "localhost", "::1"}:
        require(f"the fault tests use loopback services only; the database is on {host}")
    port = db["PORT"] or "5432"
    return f"postgres://{auth}{host}:{port}/{quote(db['NAME'], safe='')}"


def _forget_broker_pools() -> None:
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Broker:
    """Points this process's Celery app (the one `delay` uses) at a broker and a queue."""

    def __init__(self, url: str, queue: str) -> None:
        self.url = url
        self.queue = queue

    def use(self, url: str) -> None:
        celery_app.conf.broker_url = url
        _forget_broker_pools()

    def use_real(self) -> None:
        self.use(self.url)


def _forget_queue(url: str, queue: str) -> None:
    """Remove from Redis everything this test's queue and its killed workers left behind.

    That is the queue with its bindings, the workers' remote-control (pidbox) bindings, which
    a killed worker never removes, and any message a killed worker left unacknowledged: kombu
    keeps those in the shared `unacked` hash and would put them back after the visibility
    timeout. The names all contain the test's unique queue name, so nothing else is touched.
    """
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        for member in client.sscan_iter("_kombu.binding.celery.pidbox", count=500):
            if queue.encode() in member:
                client.srem("_kombu.binding.celery.pidbox", member)
        for key in client.scan_iter(match=f"{queue}-*.celery.pidbox", count=500):
            client.delete(key)
        for tag, payload in client.hscan_iter("unacked", count=500):
            try:
                routing_key = json.loads(payload)[2]
            except (ValueError, IndexError, TypeError):
                continue
            if routing_key == queue:
                client.hdel("unacked", tag)
                client.zrem("unacked_index", tag)
    except redis.RedisError:
        pass
    finally:
        client.close()


@pytest.fixture
def broker(transactional_db) -> Iterator[Broker]:
    """A Redis broker and a queue of this test's own; tasks are published, never eager."""
    url = redis_url()
    queue = f"wellbeing-faults-{uuid.uuid4().hex[:12]}"
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_default_queue, conf.task_always_eager)
    conf.task_default_queue = queue
    conf.task_always_eager = False
    state = Broker(url, queue)
    state.use_real()
    try:
        yield state
    finally:
        conf.broker_url, conf.task_default_queue, conf.task_always_eager = saved
        _forget_broker_pools()
        _forget_queue(url, queue)


class Worker:
    def __init__(self, process: subprocess.Popen, log: Path) -> None:
        self.process = process
        self.log = log

    def output(self, last: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-last:] if self.log.exists() else ""

    def kill(self) -> int:
        """SIGKILL the worker (its own process group) and reap it; returns its exit status."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait(timeout=10)


@pytest.fixture
def start_worker(broker, tmp_path) -> Iterator:
    """Start `celery worker` processes on the test's queue, database and SMTP server."""
    database_url = _database_url()
    workers: list[Worker] = []

    def start(smtp: SMTPSink, **settings: str) -> Worker:
        """A worker sending to `smtp`; `settings` are environment variables for it."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("EMAIL_", "CELERY_", "DATABASE_", "REDIS_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="wellbeing.settings",
            DATABASE_URL=database_url,
            REDIS_URL=broker.url,
            CELERY_QUEUE=broker.queue,
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            DEBUG="1",
            PYTHONUNBUFFERED="1",
            **settings,
        )
        log = tmp_path / f"worker-{len(workers) + 1}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "wellbeing",
                    "worker",
                    "--pool=solo",
                    "--concurrency=1",
                    "-Q",
                    broker.queue,
                    "-n",
                    f"{broker.queue}-{len(workers) + 1}@localhost",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel=INFO",
                ],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(process, log)
        workers.append(worker)
        return worker

    if not CELERY.exists():
        require(f"celery is not installed at {CELERY}")
    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()
