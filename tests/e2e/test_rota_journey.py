"""Journey on a phone: a member offers a visit from My week, a colleague takes it, and the
team's rota grid shows the change. Every page is checked with axe."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import TimeOff, VisitAssignment
from teams.rota import services
from teams.rota.clock import week_start
from tests import factories
from tests.e2e.browsing import visit
from tests.factories import PASSWORD
from tests.services import assert_accessible
from tests.teams.rota.conftest import at

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_member(page, email: str) -> None:
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_a_member_offers_a_visit_and_a_colleague_takes_it_on_a_phone(page, team, person):
    page.set_viewport_size({"width": 390, "height": 844})
    mina = factories.MembershipFactory(
        team=team, user__email="mina@example.org", user__display_name="Mina Member"
    ).user
    cal = factories.MembershipFactory(
        team=team, user__email="cal@example.org", user__display_name="Cal Colleague"
    ).user
    monday = week_start(timezone.localdate()) + timedelta(days=7)
    start = at(monday, 8)
    factories.VisitFactory(
        person=person, start=start, end=start + timedelta(minutes=45), assigned=[mina]
    )
    services.week_publish(team=team, monday=monday, by=mina)
    week = f"?week={monday.isoformat()}"

    # Mina signs in to her home page, opens her week from it, and goes on to next week.
    sign_in_member(page, "mina@example.org")
    expect(page.get_by_role("heading", name="My week")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Open my week").click()
    expect(page.get_by_role("heading", name="My week", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Today,")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Next week").click()
    expect(page).to_have_url(f"{page.base_url}/teams/rota/my-week/{week}")
    # She offers Monday's visit to the team.
    card = page.locator(".wb-card", has_text="Peggy")
    expect(card).to_contain_text("Breakfast and morning medication")
    card.get_by_text("Offer to a colleague").click()
    card.get_by_label("Offer it to").select_option(label="Anyone in the team")
    card.get_by_label("A note (optional)").fill("Hospital appointment")
    card.get_by_role("button", name="Offer it").click()
    expect(page.get_by_text("Offered to the team.")).to_be_visible()
    expect(page.locator(".wb-card", has_text="Peggy")).to_contain_text("On offer")
    assert_accessible(page)
    page.get_by_role("button", name="Sign out").click()

    # Cal sees it among the swaps he could take, and takes it.
    sign_in_member(page, "cal@example.org")
    visit(page, f"/teams/rota/my-week/{week}")
    offers = page.locator("#offers")
    expect(offers).to_contain_text("From Mina Member, to the team: “Hospital appointment”")
    offers.get_by_role("button", name="Take it").click()
    expect(page.get_by_text("It is yours now.")).to_be_visible()
    expect(page.locator(".wb-day .wb-card", has_text="Peggy")).to_contain_text("Breakfast")
    assert_accessible(page)
    assert VisitAssignment.objects.get().worker == cal

    # Cal books a holiday later on; his thumb taps "Record time off" twice, and it is kept once.
    visit(page, f"/teams/{team.pk}/rota/time/")
    page.get_by_label("Why").select_option(label="Holiday")
    page.get_by_label("First day").fill((monday + timedelta(days=21)).isoformat())
    page.get_by_label("Last day").fill((monday + timedelta(days=25)).isoformat())
    button = page.get_by_role("button", name="Record time off")
    # Two taps before the page moves on: the second is not sent (counted here, not sent at all).
    sent = button.evaluate(
        """button => {
            let sent = 0;
            const count = (event) => {
                if (!event.defaultPrevented) sent++;
                event.preventDefault();
            };
            window.addEventListener("submit", count);
            button.click();
            button.click();
            window.removeEventListener("submit", count);
            delete button.form.dataset.sending;
            return sent;
        }"""
    )
    assert sent == 1
    key = page.locator('input[name="_once"]').first.input_value()
    assert len(key) == 32
    button.click()
    expect(page.get_by_text("Cal Colleague: holiday")).to_be_visible()
    assert TimeOff.objects.filter(worker=cal).count() == 1

    # Cal writes a story, and his session ends before he sends it: signing in again brings
    # him back to the form with what he wrote, to check and send.
    visit(page, "/values/stories/new/")
    page.get_by_label("Give it a title").fill("Peggy's garden")
    page.get_by_label("What happened?").fill("We planted the bulbs she chose together.")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)
    page.get_by_role("button", name="Share story").click()
    expect(page.get_by_text("You were signed out, so what you sent was not saved")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Email").fill("cal@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{page.base_url}/values/stories/new/")
    expect(page.get_by_text("Check the form, then send it again")).to_be_visible()
    expect(page.get_by_label("Give it a title")).to_have_value("Peggy's garden")
    expect(page.get_by_label("What happened?")).to_have_value(
        "We planted the bulbs she chose together."
    )
    assert_accessible(page)

    # The team's grid shows Peggy's visit on Cal's row now, not Mina's.
    visit(page, f"/teams/{team.pk}/rota/{week}")
    expect(page.get_by_role("row", name="Cal Colleague")).to_contain_text("8am Peggy")
    expect(page.get_by_role("row", name="Mina Member")).not_to_contain_text("Peggy")
    visit(page, f"/teams/{team.pk}/rota/swaps/")
    expect(page.get_by_text("Cal Colleague took it")).to_be_visible()

    # On a laptop the grid shows the whole week, Monday to Sunday, without scrolling.
    page.set_viewport_size({"width": 1366, "height": 900})
    visit(page, f"/teams/{team.pk}/rota/{week}")
    sunday = page.get_by_role("columnheader", name=f"Sun {(monday + timedelta(days=6)).day}")
    expect(sunday).to_be_in_viewport()
