"""Journey: a coach signs in with their second factor, finds on the dashboard the team whose
pulse has fallen twice, opens it and records a check-in with two actions; a member of that team
sees their action on their phone and answers the open pulse."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from teams.models import CheckIn, PulseParticipation, PulseResponse
from teams.pulse import services as pulse_services
from tests.e2e.browsing import sign_in, visit
from tests.factories import PASSWORD, TOTP_SECRET, MembershipFactory, TeamFactory, UserFactory
from tests.services import assert_accessible
from tests.teams.conftest import ensure_defaults, published_pulse

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coach_finds_the_declining_team_records_a_check_in_and_the_member_acts(page, phone):
    ensure_defaults()
    now = timezone.now()
    coach = UserFactory(email="cora@example.org", display_name="Cora Coach", with_mfa=True)
    northfield = TeamFactory(name="Northfield", coach=coach)
    mina = MembershipFactory(
        team=northfield, user__email="mina@example.org", user__display_name="Mina Member"
    ).user
    for name in ("Ben Hughes", "Chloe Patel", "Dylan Murphy"):
        MembershipFactory(team=northfield, user__display_name=name)
    for days, score in [(100, 4.2), (58, 3.6), (16, 2.9)]:
        published_pulse(northfield, score, opened=now - timedelta(days=days))
    open_pulse = pulse_services.pulse_open(team=northfield, now=now - timedelta(hours=2))
    for name, scores in [("Riverside", [3.4, 3.8, 4.2]), ("Millbrook", [3.9, 3.8, 3.9])]:
        team = TeamFactory(name=name, coach=coach)
        MembershipFactory.create_batch(3, team=team)
        for days, score in zip([100, 58, 16], scores, strict=True):
            published_pulse(team, score, opened=now - timedelta(days=days))

    # The coach signs in with password and authenticator code: their home is the dashboard.
    sign_in(page, coach.email, PASSWORD, TOTP_SECRET)
    expect(page.get_by_role("heading", name="Teams you coach")).to_be_visible()
    assert_accessible(page)
    for name in ("Northfield", "Riverside", "Millbrook"):
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()

    # Filter to the teams whose pulse fell on two pulses in a row: Northfield alone.
    page.get_by_label("Show").select_option(label="Pulse falling two pulses running")
    page.get_by_role("button", name="Show teams").click()
    assert_accessible(page)
    expect(page.get_by_role("link", name="Riverside", exact=True)).to_have_count(0)
    expect(
        page.locator("main table").get_by_text("Falling two pulses running", exact=True)
    ).to_be_visible()

    # The team's page: how it is doing, then a check-in with two actions.
    page.get_by_role("link", name="Northfield", exact=True).click()
    expect(page.get_by_role("heading", name="Northfield", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Record a check-in").first.click()
    assert_accessible(page)
    page.get_by_label("Mina Member").check()
    page.get_by_label("Cora Coach").check()
    page.get_by_label("What the team brought").fill("Everyone is tired; Tuesdays are too full.")
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    first, second = (
        page.locator("fieldset", has_text="Action 1"),
        page.locator("fieldset", has_text="Action 2"),
    )
    first.get_by_label("What").fill("Swap two Tuesday visits to Wednesday mornings")
    first.get_by_label("Who").select_option(label="Mina Member")
    first.get_by_label("By when").fill(due)
    second.get_by_label("What").fill("Book a team day to plan the winter rota")
    second.get_by_label("By when").fill(due)
    page.get_by_role("button", name="Save the check-in").click()
    expect(page.get_by_text("Check-in recorded, and the next one planned.")).to_be_visible()
    assert_accessible(page)
    checkin = CheckIn.objects.get(team=northfield, held_on__isnull=False)
    assert sorted(checkin.actions.values_list("text", flat=True)) == [
        "Book a team day to plan the winter rota",
        "Swap two Tuesday visits to Wednesday mornings",
    ]
    page.get_by_role("button", name="Sign out").click()

    # Mina, on her phone, sees her action first thing, then answers the pulse.
    visit(phone, "/accounts/login/")
    phone.get_by_label("Email").fill(mina.email)
    phone.get_by_label("Password").fill(PASSWORD)
    phone.get_by_role("button", name="Sign in").click()
    expect(phone.get_by_role("heading", name="Waiting for you")).to_be_visible()
    assert_accessible(phone)
    actions = phone.locator("main ul").filter(has_text="Swap two Tuesday")
    expect(
        actions.get_by_text("Swap two Tuesday visits to Wednesday mornings", exact=True)
    ).to_be_visible()
    expect(
        actions.get_by_text("Book a team day to plan the winter rota", exact=True)
    ).to_be_visible()
    expect(phone.get_by_role("button", name=re.compile("Done.*Swap two Tuesday"))).to_be_visible()
    phone.get_by_role("link", name=re.compile("Answer the pulse")).click()
    assert_accessible(phone)
    for question in phone.locator("main fieldset").all():
        question.get_by_label("Agree", exact=True).check()
    phone.get_by_label("Anything to add? (optional)").nth(1).fill("Tuesdays are better already.")
    phone.get_by_role("button", name="Send my answers").click()
    expect(phone.get_by_text("Your answers are in, without your name")).to_be_visible()
    expect(phone.get_by_text("You have answered")).to_be_visible()
    assert_accessible(phone)
    assert PulseParticipation.objects.filter(pulse=open_pulse, user=mina).count() == 1
    assert PulseResponse.objects.filter(pulse=open_pulse).count() == 1
