"""Measure the email outbox end to end: queue in the caller's transactions, a real worker, SMTP.

Run by `make bench` after the page timings, or on its own: `.venv/bin/python bench/outbox.py`.
It queues 2,000 emails (about 2 KB each, text and HTML, every one to a different person) in 20
transactions of 100, the way a published rota or a recruitment round does, and times them until
the last one reaches a local aiosmtpd server. One `celery worker` process does the sending, at
concurrency 1 and then 2, against PostgreSQL and Redis. Each figure is the median of
BENCH_OUTBOX_RUNS runs (3 unless set); the machine's load average is printed beside it, because
the CPU may be shared.

It needs PostgreSQL and Redis (DATABASE_URL/REDIS_URL, else the local default ports) and skips
with a message when either does not answer. It uses a database of its own, `<name>_bench`
beside DATABASE_URL's (or `wellbeing_bench`), and a Redis queue of its own, so it never touches
anyone's data.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CELERY = ROOT / ".venv" / "bin" / "celery"
EMAILS = 2000
TRANSACTIONS = 20
MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]+>)", re.MULTILINE | re.IGNORECASE)


# --- The SMTP server, in a process of its own so it does not share a CPU lock with the queuing --


def smtp_sink(port: int, log_path: str) -> None:
    """Accept every message and write one line per message: arrival time and Message-ID."""
    import asyncio

    from aiosmtpd.smtp import SMTP

    log = open(log_path, "a", buffering=1)  # noqa: SIM115 - open for the life of the process

    class Keep:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
            found = MESSAGE_ID.search(envelope.original_content or envelope.content)
            log.write(f"{time.time():.6f} {found.group(1).decode() if found else '-'}\n")
            return "250 OK"

    loop = asyncio.new_event_loop()
    handler = Keep()
    loop.run_until_complete(
        loop.create_server(
            lambda: SMTP(handler, hostname="bench.localhost", loop=loop), "127.0.0.1", port
        )
    )
    print("ready", flush=True)
    loop.run_forever()


if len(sys.argv) == 4 and sys.argv[1] == "--smtp-sink":
    smtp_sink(int(sys.argv[2]), sys.argv[3])
    sys.exit(0)
sys.path.insert(0, str(ROOT))


# --- Services -------------------------------------------------------------------------------


def skip(reason: str) -> None:
    print(f"outbox benchmark skipped: {reason}")
    sys.exit(0)


def bench_database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/wellbeing"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "wellbeing"
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def ensure_database(url: str) -> None:
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    try:
        admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")), connect_timeout=3)
    except psycopg2.OperationalError as exc:
        skip(f"PostgreSQL does not answer at {parts.hostname}:{parts.port or 5432} ({exc})")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def ensure_redis(url: str) -> None:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        skip(f"Redis does not answer at {url} ({exc})")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Sink:
    def __init__(self, log: Path) -> None:
        self.log = log
        self.port = free_port()
        self.offset = 0
        self.process = subprocess.Popen(  # noqa: S603 - our own script
            [sys.executable, __file__, "--smtp-sink", str(self.port), str(log)],
            stdout=subprocess.PIPE,
            stderr=log.with_suffix(".err").open("wb"),
            start_new_session=True,
        )
        if self.process.stdout.readline().strip() != b"ready":
            sys.exit("the SMTP server did not start")

    def mark(self) -> None:
        self.offset = self.log.stat().st_size

    def received(self) -> list[tuple[float, str]]:
        """Messages received since the last mark, as (arrival time, Message-ID)."""
        with self.log.open("rb") as log:
            log.seek(self.offset)
            text = log.read().decode()
        lines = text.splitlines()
        if text and not text.endswith("\n"):
            lines = lines[:-1]  # a line still being written
        return [(float(at), message_id) for at, message_id in (line.split() for line in lines)]

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=10)


class Worker:
    """One `celery worker` process, as production runs it, on the benchmark's own queue."""

    def __init__(self, *, concurrency: int, env: dict[str, str], log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - the project's own worker
                [
                    str(CELERY),
                    "-A",
                    "wellbeing",
                    "worker",
                    f"--concurrency={concurrency}",
                    "-Q",
                    env["CELERY_QUEUE"],
                    "-n",
                    f"{env['CELERY_QUEUE']}@localhost",
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
        deadline = time.monotonic() + 60
        while b" ready." not in log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                sys.exit("the worker did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.1)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# --- The measurement ------------------------------------------------------------------------


def cpu_seconds(root: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc; 0 elsewhere)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    try:
        children: dict[int, list[int]] = {}
        stats: dict[int, list[str]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rpartition(")")[2].split()
                except OSError:
                    continue
                stats[int(entry.name)] = fields
                children.setdefault(int(fields[1]), []).append(int(entry.name))
        todo = [root]
        while todo:
            pid = todo.pop()
            if pid in stats:
                total += int(stats[pid][11]) + int(stats[pid][12])  # utime, stime
            todo.extend(children.get(pid, []))
    except OSError:
        return 0.0
    return total / tick


@dataclass
class Run:
    queue_seconds: float
    deliver_seconds: float
    duplicates: int
    missing: int
    unsent_rows: int
    load: float
    worker_cpu: float  # seconds, all the worker's processes
    smtp_cpu: float
    queue_cpu: float  # this process, while queuing

    @property
    def queued_per_second(self) -> float:
        return EMAILS / self.queue_seconds

    @property
    def delivered_per_second(self) -> float:
        return EMAILS / self.deliver_seconds


def email_bodies(n: int) -> tuple[str, str, str]:
    """About 2 KB between the text and the HTML, like a week's rota."""
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    lines = [f"{day}: visits 08:00-12:30 and 17:00-20:00, Northfield team" for day in days]
    text = (
        f"Hello person {n},\n\nThe rota for next week is published. Your week:\n\n"
        + "\n".join(lines)
        + "\n\nSwap a shift or tell the team you are unavailable from your week page:\n"
        f"https://care.example.org/teams/7/rota/week/?person={n}\n\nThe Northfield team\n"
    )
    html = (
        f"<p>Hello person {n},</p><p>The rota for next week is published. Your week:</p><ul>"
        + "".join(f"<li>{line}</li>" for line in lines)
        + "</ul><p><a href='https://care.example.org/teams/7/rota/week/'>Swap a shift or "
        "tell the team you are unavailable</a></p><p>The Northfield team</p>"
    )
    return f"Your rota for next week ({n})", text, html


def queue_all(run_key: str, *, emails: int, transactions: int, bulk: bool) -> set[str]:
    """The callers' side: each transaction queues its share, one call per email or in bulk."""
    from django.db import transaction

    from wellbeing.notifications import services

    per_transaction = emails // transactions
    message_ids = set()
    for t in range(transactions):
        outgoing = []
        for n in range(t * per_transaction, (t + 1) * per_transaction):
            subject, text, html = email_bodies(n)
            outgoing.append(
                {
                    "to": f"person{n}@example.org",
                    "subject": subject,
                    "body_text": text,
                    "body_html": html,
                    "idempotency_key": f"bench:{run_key}:{n}",
                }
            )
        with transaction.atomic():
            if bulk:
                rows = services.email_queue_many(
                    emails=[services.OutgoingEmail(**email) for email in outgoing]
                )
            else:
                rows = [services.email_queue_rendered(**email) for email in outgoing]
        message_ids.update(row.message_id for row in rows)
    return message_ids


def wait_for(sink: Sink, expected: set[str], *, stall: float = 60) -> list[tuple[float, str]]:
    """Wait until every expected message arrived, or nothing has arrived for `stall` seconds."""
    seen = 0
    last_progress = time.monotonic()
    while True:
        received = sink.received()
        if expected <= {message_id for _, message_id in received}:
            time.sleep(0.5)  # a late duplicate would arrive now
            return sink.received()
        if len(received) != seen:
            seen, last_progress = len(received), time.monotonic()
        elif time.monotonic() - last_progress > stall:
            return received
        time.sleep(0.02)


def measure(
    sink: Sink,
    worker: Worker,
    *,
    emails: int = EMAILS,
    transactions: int = TRANSACTIONS,
    bulk: bool = False,
) -> Run:
    from django.db import connection

    from wellbeing.notifications.models import OutboxEmail

    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {OutboxEmail._meta.db_table}")
    sink.mark()
    load = os.getloadavg()[0]
    cpu = (cpu_seconds(worker.process.pid), cpu_seconds(sink.process.pid), time.process_time())
    started = time.time()
    run_key = uuid.uuid4().hex[:8]
    expected = queue_all(run_key, emails=emails, transactions=transactions, bulk=bulk)
    queued = time.time()
    queue_cpu = time.process_time() - cpu[2]
    received = wait_for(sink, expected)
    worker_cpu = cpu_seconds(worker.process.pid) - cpu[0]
    smtp_cpu = cpu_seconds(sink.process.pid) - cpu[1]
    ours = [(at, message_id) for at, message_id in received if message_id in expected]
    arrived = {message_id for _, message_id in ours}
    last = max((at for at, _ in ours), default=time.time())
    return Run(
        queue_seconds=queued - started,
        deliver_seconds=last - started,
        duplicates=len(ours) - len(arrived),
        missing=len(expected - arrived),
        unsent_rows=OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).count(),
        load=load,
        worker_cpu=worker_cpu,
        smtp_cpu=smtp_cpu,
        queue_cpu=queue_cpu,
    )


def main() -> None:
    runs = int(os.environ.get("BENCH_OUTBOX_RUNS", "3"))
    levels = [int(c) for c in os.environ.get("BENCH_OUTBOX_CONCURRENCY", "1,2").split(",")]
    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    database_url = bench_database_url()
    ensure_redis(redis_url)
    ensure_database(database_url)
    if not CELERY.exists():
        skip(f"celery is not installed at {CELERY} (make setup)")

    queue = f"wellbeing-bench-{uuid.uuid4().hex[:12]}"
    scratch = Path(tempfile.mkdtemp(prefix=f"{queue}-"))
    sink = Sink(scratch / "smtp.log")
    try:
        run_levels(
            sink,
            queue=queue,
            scratch=scratch,
            redis_url=redis_url,
            database_url=database_url,
            levels=levels,
            runs=runs,
        )
    finally:
        sink.stop()
        forget_queue(redis_url, queue)


def run_levels(
    sink: Sink,
    *,
    queue: str,
    scratch: Path,
    redis_url: str,
    database_url: str,
    levels: list[int],
    runs: int,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "CELERY_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="wellbeing.settings",
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        CELERY_QUEUE=queue,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(sink.port),
        DEBUG="0",
        SECRET_KEY=uuid.uuid4().hex * 2,
        ALLOWED_HOSTS="localhost",
        LOG_LEVEL="WARNING",
    )
    os.environ.update(env)

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from wellbeing.notifications import services

    styles = ["one call per email"]
    if hasattr(services, "email_queue_many"):
        styles.append("email_queue_many")
    print(
        f"\noutbox: {EMAILS} emails (~2 KB, text + HTML, distinct recipients) queued in "
        f"{TRANSACTIONS} transactions of {EMAILS // TRANSACTIONS}, one celery worker, "
        f"PostgreSQL, Redis, aiosmtpd; median of {runs} runs; load is the 1-minute load average"
    )
    print(
        f"{'concurrency':>11}  {'queued with':<19} {'queued/s':>9} {'queue s':>8} "
        f"{'delivered/s':>12} {'total s':>8} {'duplicates':>10} {'missing':>8} {'unsent':>7} "
        f"{'load':>6}   CPU ms per email: queuing, worker, SMTP server"
    )
    for concurrency in levels:
        log = scratch / f"worker-{concurrency}.log"
        worker = Worker(concurrency=concurrency, env=env, log=log)
        try:
            measure(sink, worker, emails=20, transactions=2)  # warm up the worker's processes
            for style in styles:
                results = []
                for _ in range(runs):
                    results.append(measure(sink, worker, bulk=style != styles[0]))
                    report(concurrency, style, results[-1:], final=False)
                report(concurrency, style, results, final=True)
        finally:
            worker.stop()


def report(concurrency: int, style: str, results: list[Run], *, final: bool) -> None:
    def median(values) -> float:
        return statistics.median(list(values))

    load = "median" if final else f"{results[0].load:>6.2f}"
    print(
        f"{concurrency if final else '':>11}  {style:<19} "
        f"{median(r.queued_per_second for r in results):>9.0f} "
        f"{median(r.queue_seconds for r in results):>8.2f} "
        f"{median(r.delivered_per_second for r in results):>12.0f} "
        f"{median(r.deliver_seconds for r in results):>8.2f} "
        f"{max(r.duplicates for r in results):>10} "
        f"{max(r.missing for r in results):>8} "
        f"{max(r.unsent_rows for r in results):>7} {load:>6}   "
        f"{median(r.queue_cpu for r in results) * 1000 / EMAILS:.2f}, "
        f"{median(r.worker_cpu for r in results) * 1000 / EMAILS:.2f}, "
        f"{median(r.smtp_cpu for r in results) * 1000 / EMAILS:.2f}",
        flush=True,
    )


def forget_queue(url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.delete(queue, f"_kombu.binding.{queue}")
    client.close()


if __name__ == "__main__":
    main()
