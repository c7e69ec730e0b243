"""Real services for tests: Redis, a Celery worker, an SMTP server, a browser.

Without REQUIRE_SERVICES a test whose service is missing skips with the reason; with it
(as CI runs), the test fails, so a green run means the real thing was exercised.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from playwright.sync_api import Error as PlaywrightError

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require(reason: str) -> None:
    if settings.REQUIRE_SERVICES:
        pytest.fail(f"Required service unavailable: {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_url() -> str:
    """The Redis to test against: REDIS_URL, or a local one on the default port."""
    import redis

    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        require(f"Redis is not reachable at {url}: {exc}")
    return url


@dataclass
class SMTPSink:
    """An in-process SMTP server that keeps every message it accepts."""

    port: int = field(default_factory=free_port)
    messages: list[Message] = field(default_factory=list)
    controller: Controller | None = None
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self._arrived:
            self.messages.append(message_from_bytes(envelope.content))
            self._arrived.notify_all()
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 15) -> list[Message]:
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._arrived.wait(remaining)
        return list(self.messages)

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if address in m["To"]]


def body_text(message: Message) -> str:
    """The plain-text part of an email, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
    return ""


def wait_until(condition, timeout: float = 15, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    return condition()


def assert_accessible(page) -> None:
    """Run axe-core on the page as it is now and fail on any violation."""
    if not AXE.exists():
        require("axe-core is not installed (npm install)")
    # A click that starts a navigation returns once the new document is committed, before it
    # has a <head>; axe must run on the page the user ends up reading, so wait for it to load.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                """async () => await axe.run(document, {
                    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa',
                                                    'wcag22aa', 'best-practice']}
                })"""
            )
            break
        except PlaywrightError as error:
            # The document was replaced mid-run (a navigation still settling): run again on
            # the new one. Anything else is a real failure.
            settling = ("appendChild", "context was destroyed", "navigat", "axe is not defined")
            if attempt == 2 or not any(word in str(error) for word in settling):
                raise
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(node["target"][0] for node in v["nodes"][:3])
        for v in result["violations"]
    ]
    assert not violations, f"axe found problems on {page.url}:\n" + "\n".join(violations)
