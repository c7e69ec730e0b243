"""The fixed cast and the real-service fixtures every test may use."""

from __future__ import annotations

import os
import re
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.recruitment import factories as recruitment_factories
from tests.services import CHROMIUM, SMTPSink, redis_url, require
from wellbeing.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fast_and_eager(settings):
    """Quick password hashing, and tasks run in-process unless a test starts a real worker."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Each test gets its own cache, so rate limits and MFA code reuse never leak between tests.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Local-memory caches with the same location share one store within a process: empty it.
    cache.clear()
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = True


# --- The cast ---------------------------------------------------------------------------------


@pytest.fixture
def team(db):
    return factories.TeamFactory(name="Northfield")


@pytest.fixture
def other_team(db):
    return factories.TeamFactory(name="Riverside")


@pytest.fixture
def member(team):
    return factories.MembershipFactory(team=team, user__display_name="Mina Member").user


@pytest.fixture
def other_member(other_team):
    return factories.MembershipFactory(team=other_team, user__display_name="Otto Other").user


@pytest.fixture
def coach(team):
    user = factories.UserFactory(display_name="Cora Coach", with_mfa=True)
    team.coach = user
    team.save(update_fields=["coach"])
    return user


@pytest.fixture
def admin(db):
    return factories.UserFactory(
        display_name="Ada Admin", is_staff=True, is_superuser=True, with_mfa=True
    )


@pytest.fixture
def advisor(db):
    return factories.UserFactory(display_name="Avi Advisor")


@pytest.fixture
def outsider(db):
    return factories.UserFactory(display_name="Olu Outsider")


@pytest.fixture
def person(team):
    return factories.PersonFactory(team=team, name="Margaret Ellis", preferred_name="Peggy")


@pytest.fixture
def other_person(other_team):
    return factories.PersonFactory(team=other_team, name="Harold Price")


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (MFA, when they have it, counts as done)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


# --- Query counts ------------------------------------------------------------------------------


@contextmanager
def _count_queries() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as context:
        yield context


def _shape(sql: str) -> str:
    """A query with its literal values blanked, so the same query with new ids compares equal."""
    blanked = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
    return re.sub(r"IN \((\?, )*\?\)", "IN (...)", blanked)


def _extra_queries(small: CaptureQueriesContext, large: CaptureQueriesContext) -> str:
    remaining = Counter(_shape(q["sql"]) for q in small.captured_queries)
    extra = []
    for query in large.captured_queries:
        shape = _shape(query["sql"])
        if remaining[shape]:
            remaining[shape] -= 1
        else:
            extra.append(query["sql"])
    return "\n".join(extra)


@pytest.fixture
def assert_fixed_queries():
    """Assert a page runs the same number of queries at two data sizes.

    `grow` adds data between the two measurements; `fetch` requests the page and returns
    the response. The count must not change, and must stay within `most`.
    """

    def check(fetch, grow, *, most: int) -> int:
        with _count_queries() as small:
            first = fetch()
        assert first.status_code == 200
        grow()
        with _count_queries() as large:
            second = fetch()
        assert second.status_code == 200
        queries = "\n".join(q["sql"] for q in large.captured_queries)
        assert len(small) == len(large), (
            f"{len(small)} queries with little data, {len(large)} with more; "
            f"the extra:\n{_extra_queries(small, large)}"
        )
        assert len(large) <= most, f"{len(large)} queries, expected at most {most}:\n{queries}"
        return len(large)

    return check


# --- Real services ------------------------------------------------------------------------------


@pytest.fixture
def smtp_server(settings) -> Iterator[SMTPSink]:
    """A real SMTP server in this process; the product's email goes to it over TCP."""
    sink = SMTPSink()
    sink.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield sink
    sink.stop()


def _forget_broker_pools() -> None:
    """The app caches its connection pools; drop them so the next use follows broker_url."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker consuming from Redis, in a thread of this process.

    Each pytest-xdist process has its own queue, so parallel tests never take each
    other's tasks. Tests using it run in real transactions, since the worker has its own
    database connection and sees only committed rows.
    """
    from celery.contrib.testing.worker import start_worker

    url = redis_url()
    process = os.environ.get("PYTEST_XDIST_WORKER", "main")
    queue = f"wellbeing-test-{process}-{uuid.uuid4().hex[:12]}"
    conf = celery_app.conf
    saved = (conf.broker_url, conf.task_default_queue, conf.task_always_eager)
    conf.broker_url = url
    conf.task_default_queue = queue
    conf.task_always_eager = False
    _forget_broker_pools()
    try:
        with start_worker(
            celery_app,
            pool="solo",
            concurrency=1,
            perform_ping_check=False,
            queues=[queue],
            shutdown_timeout=30,
        ) as worker:
            with celery_app.connection_for_write() as conn:
                conn.default_channel.queue_purge(queue)
            yield worker
    finally:
        conf.broker_url, conf.task_default_queue, conf.task_always_eager = saved
        _forget_broker_pools()


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        require(f"Chromium is not installed at {CHROMIUM}")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, settings):
    """A fresh browser tab; `page.base_url` is the live server."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    settings.ALLOWED_HOSTS = ["*"]
    # axe is injected as a script; the page's own CSP would (rightly) refuse it.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 800})
    tab = context.new_page()
    tab.base_url = live_server.url
    yield tab
    context.close()


# --- Recruitment's cast -------------------------------------------------------------------------


@pytest.fixture
def round_owner(db):
    """Runs `round_` (with admins): sees its candidates and their own words."""
    return factories.UserFactory(display_name="Owen Owner", with_mfa=True)


@pytest.fixture
def round_(round_owner):
    """A round open for applications today, with the default touch points and questions."""
    return recruitment_factories.open_round(title="Northfield spring", owners=[round_owner])


@pytest.fixture
def candidate(round_):
    """Someone who has applied to `round_`."""
    return recruitment_factories.CandidateFactory(
        round=round_, name="Sam Carter", email="sam@example.org"
    )


# --- Media ------------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    """Uploaded pictures (blog posts, the demo) go to a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
