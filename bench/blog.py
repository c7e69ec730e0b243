"""Time the blog's front page and a post page through gunicorn, as readers get them.

Run with `make bench` (after the other pages). It builds its own throwaway database (SQLite
unless DATABASE_URL is set) with 300 posts by 20 advisors, 40 tags and 3,000 comments, starts
gunicorn with production settings (DEBUG off), and requests each page repeatedly over HTTP:

- anonymous, served from the page cache (every reader after the first);
- anonymous, revalidated: the browser's ETag answered with a 304;
- anonymous, rendered: the cache retired before every request (only with a shared cache,
  REDIS_URL, which this process can retire too);
- signed in: rendered every time, never cached.

It prints the median and 95th percentile. Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE = Path("/tmp/wellbeing-bench-blog.sqlite3")  # noqa: S108 - thrown away each run
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{DATABASE}")
PORT = int(os.environ.get("BENCH_BLOG_PORT", "8766"))
REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SITE_URL": f"http://127.0.0.1:{PORT}",
    "SECURE_SSL_REDIRECT": "false",
    "LOG_LEVEL": "WARNING",
}

# The session made here for the signed-in reader must be valid in the server too.
os.environ["SECRET_KEY"] = SERVER_ENV["SECRET_KEY"]

if os.environ["DATABASE_URL"] == f"sqlite:///{DATABASE}":
    DATABASE.unlink(missing_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402


def build() -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from blog.caching import blog_changed
    from blog.models import Comment
    from tests.blog.factories import AdvisorProfileFactory, PostFactory, TagFactory
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    advisors = [
        AdvisorProfileFactory(user=UserFactory(display_name=f"Advisor {n}"), slug=f"adv-{n}")
        for n in range(20)
    ]
    tags = [TagFactory(name=f"Topic {n}") for n in range(40)]
    body = "\n\n".join(
        f"Paragraph {n} about living our values, with **some emphasis** and a "
        "[link](https://example.org)." * 3
        for n in range(12)
    )
    now = timezone.now()
    posts = []
    for n in range(300):
        post = PostFactory(
            author=advisors[n % 20],
            title=f"Bench post {n}",
            body=body,
            published_at=now - timedelta(hours=n + 1),
            tags=[tags[n % 40], tags[(n * 7) % 40], tags[(n * 13) % 40]],
            co_authors=[advisors[(n + 1) % 20]],
        )
        posts.append(post)
    comments = []
    for post in posts:
        for k in range(10):
            comments.append(
                Comment(
                    post=post,
                    name=f"Reader {k}",
                    email=f"reader{k}@example.net",
                    body="A thoughtful comment. " * 5,
                    status="approved" if k < 8 else "pending",
                )
            )
    Comment.objects.bulk_create(comments)
    blog_changed()
    reader = UserFactory(display_name="Signed-in reader")
    client = Client()
    client.force_login(reader)
    return {"post": posts[0], "session": client.cookies["sessionid"].value}


def start_server(workers: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV}
    # With DEBUG off, pages name static files by their hashed copies: collect them first.
    subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "wellbeing.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    for _ in range(100):
        try:
            status, _headers = fetch("/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def fetch(path: str, headers: dict | None = None) -> tuple[int, dict]:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        connection.close()


def measure(path: str, *, headers=None, before=None, expect=200) -> tuple[float, float]:
    timings = []
    for _ in range(REPEATS):
        if before:
            before()
        start = time.perf_counter()
        status, _ = fetch(path, headers)
        timings.append((time.perf_counter() - start) * 1000)
        assert status == expect, (path, status)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    from blog.caching import blog_changed

    cast = build()
    # Without Redis each process keeps its own page cache and version, so a browser's ETag
    # from one would not be recognised by another: one worker, as the embedded default runs.
    shared_cache = bool(os.environ.get("REDIS_URL"))
    workers = 2 if shared_cache else 1
    server = start_server(workers)
    try:
        print(
            f"\nBlog through gunicorn ({workers} worker{'s' if workers > 1 else ''}, DEBUG off, "
            f"page cache in {'Redis' if shared_cache else 'local memory'})"
        )
        print(f"{'page':<52} {'median ms':>10} {'p95 ms':>10}")
        signed_in = {"Cookie": f"sessionid={cast['session']}"}
        for label, path in [
            ("/blog/", "/blog/"),
            ("/blog/posts/<slug>/", cast["post"].get_absolute_url()),
        ]:
            # A reader's browser keeps the CSRF cookie the first post page gives it.
            _status, first = fetch(path)
            cookie = first.get("Set-Cookie", "").split(";")[0]
            reader = {"Cookie": cookie} if cookie else {}
            _status, headers = fetch(path, reader)
            rows = [
                ("anonymous, from the page cache", reader, None, 200),
                ("anonymous, revalidated", reader | {"If-None-Match": headers["ETag"]}, None, 304),
            ]
            if shared_cache:
                rows.append(("anonymous, rendered", reader, blog_changed, 200))
            rows.append(("signed in, rendered", signed_in, None, 200))
            for name, request_headers, before, expect in rows:
                median, p95 = measure(path, headers=request_headers, before=before, expect=expect)
                print(f"{label + ' ' + name:<52} {median:>10.1f} {p95:>10.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
