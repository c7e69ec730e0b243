"""Journey: an admin invites a coach, who sets a password, enrols MFA and signs in again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browsing import sign_in, totp_now, visit
from tests.factories import PASSWORD, TOTP_SECRET, UserFactory
from tests.services import assert_accessible
from wellbeing.notifications.models import OutboxEmail

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COACH_PASSWORD = "kettle-on-for-the-team-2026"


def test_invited_coach_sets_password_enrols_mfa_and_signs_in(page, team):
    UserFactory(
        email="ada.admin@example.org", display_name="Ada Admin", is_staff=True, with_mfa=True
    )
    visit(page, "/")

    # The admin signs in with password and authenticator code, and invites a coach.
    sign_in(page, "ada.admin@example.org", PASSWORD, TOTP_SECRET)
    assert_accessible(page)
    page.get_by_role("link", name="Invite people").click()
    assert_accessible(page)
    page.get_by_label("Their name").fill("Cora Coach")
    page.get_by_label("Their email address").fill("cora@example.org")
    page.get_by_label("Team", exact=True).select_option(label=team.name)
    page.get_by_label("The team's coach").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to cora@example.org")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # The coach follows the emailed link and chooses a password.
    body = OutboxEmail.objects.get(to="cora@example.org").body_text
    link = re.search(r"/accounts/invitation/\S+/", body).group(0)
    visit(page, link)
    expect(page.get_by_text(f"the coach of {team.name}")).to_be_visible()
    page.get_by_label("Choose a password").fill(COACH_PASSWORD)
    page.get_by_label("Type the password again").fill(COACH_PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Coaches must set up an authenticator before seeing anyone's data.
    page.wait_for_url("**/2fa/totp/activate/**")
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").input_value()
    # The key scanned stays the key: reloading, or wandering off and back, keeps it.
    page.reload()
    assert page.locator("#authenticator_secret").input_value() == secret
    page.get_by_role("link", name="Privacy").click()
    page.goto(page.base_url + "/")
    page.wait_for_url("**/2fa/totp/activate/**")
    assert page.locator("#authenticator_secret").input_value() == secret
    first_code = totp_now(secret)
    page.get_by_label("Authenticator code").fill(first_code)
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    # The recovery codes follow at once, with no second password prompt.
    page.wait_for_url("**/2fa/recovery-codes/**")
    expect(page.get_by_label("Codes not used yet")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Teams you coach")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Signing in again asks for the password, then the code.
    sign_in(page, "cora@example.org", COACH_PASSWORD, secret, used_code=first_code)
    expect(page.get_by_role("link", name=team.name)).to_be_visible()
    assert_accessible(page)

    # The link was single-use.
    page.get_by_role("button", name="Sign out").click()
    page.goto(page.base_url + link)
    expect(page.get_by_role("heading", name="This invitation link does not work")).to_be_visible()
    assert_accessible(page)


def test_public_pages_are_accessible_on_a_phone(page):
    page.set_viewport_size({"width": 375, "height": 740})
    for path in [
        "/",
        "/accounts/login/",
        "/accounts/password/reset/",
        "/no-such-page/",
        "/privacy/",
    ]:
        visit(page, path)


def sign_in_as_admin(page) -> None:
    UserFactory(
        email="ada.admin@example.org", display_name="Ada Admin", is_staff=True, with_mfa=True
    )
    sign_in(page, "ada.admin@example.org", PASSWORD, TOTP_SECRET)


def test_on_a_phone_more_is_marked_when_it_holds_the_current_section(page):
    sign_in_as_admin(page)
    page.set_viewport_size({"width": 390, "height": 844})
    more = page.locator(".nhsuk-header__menu-toggle")

    visit(page, "/accounts/password/change/")  # "Your account", the last section
    expect(more).to_be_visible()
    expect(more).to_have_attribute("aria-current", "true")
    underline = more.evaluate("el => getComputedStyle(el, '::before').borderBottomWidth")
    assert underline != "0px"
    more.click()
    current = page.locator(".nhsuk-header__menu-list [aria-current='page']")
    expect(current).to_have_text("Your account")
    assert_accessible(page)

    visit(page, "/")  # Home is in view, so "More" holds no current section
    expect(more).to_be_visible()
    expect(more).not_to_have_attribute("aria-current", "true")


def test_a_person_makes_an_api_token_sees_it_once_and_it_works(page):
    sign_in_as_admin(page)
    visit(page, "/accounts/password/change/")
    page.get_by_role("link", name="API tokens").click()
    assert_accessible(page)
    page.get_by_label("What is it for?").fill("Rota spreadsheet")
    page.get_by_role("button", name="Make a token").click()
    key = page.get_by_label("Your token").input_value()
    assert key.startswith("wb_")
    assert_accessible(page)
    response = page.request.get(
        page.base_url + "/api/v1/me/", headers={"Authorization": f"Token {key}"}
    )
    assert response.status == 200
    assert response.json()["email"] == "ada.admin@example.org"
    page.goto(page.base_url + "/accounts/api-tokens/")
    expect(page.get_by_label("Your token")).to_have_count(0)
    expect(page.get_by_role("heading", name="Rota spreadsheet")).to_be_visible()


def test_our_own_scripts_run_under_the_content_security_policy(browser, live_server):
    """Without bypassing the policy, as a visitor's browser does: nothing is refused."""
    context = browser.new_context()
    tab = context.new_page()
    refused = []
    tab.on(
        "console",
        lambda message: refused.append(message.text) if "Refused" in message.text else None,
    )
    tab.goto(live_server.url + "/")
    expect(tab.locator("body.js-enabled, html.js-enabled")).to_have_count(1)
    tab.wait_for_load_state("networkidle")
    context.close()
    assert refused == []
