"""Steps every browser journey takes: open a page (and check it with axe), sign in."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from tests.services import assert_accessible


def totp_now(secret: str, *, not_this: str | None = None) -> str:
    """The current code, with time left to type it in.

    Waits for the next window if this one is about to end (the code would expire on its way
    to the server) or if its code was already used.
    """
    while True:
        now = time.time()
        code = format_hotp_value(hotp_value(secret, int(now) // 30))
        if code != not_this and 30 - now % 30 > 8:
            return code
        time.sleep(1)


def visit(page, path: str) -> None:
    page.goto(page.base_url + path)
    assert_accessible(page)


def sign_in(page, email: str, password: str, secret: str, *, used_code: str | None = None) -> str:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/2fa/authenticate/**")
    assert_accessible(page)
    code = totp_now(secret, not_this=used_code)
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_load_state()
    return code
