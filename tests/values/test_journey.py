"""Journey: a care worker reads the values, shares a story from their team, then edits and
withdraws it; their coach looks at the insights. Every page is checked with axe-core."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from tests.factories import PASSWORD, StoryFactory
from tests.services import assert_accessible
from values import registry
from values.models import Story
from values.registry import Figure, FigureRow
from values.services import value_create

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def values(db):
    return [
        value_create(
            name=name,
            meaning=f"What {name.lower()} means here.",
            looks_like=["Taking time to listen", "Saying what we will do, then doing it"],
            does_not_look_like=["Rushing a visit"],
            order=order,
        )
        for order, name in enumerate(["Compassion", "Curiosity"])
    ]


def sign_in_as(page, user) -> None:
    """Sign in without the form: a session made by Django's test client, handed to the browser."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base_url}]
    )


def visit(page, path: str) -> None:
    page.goto(page.base_url + path)
    assert_accessible(page)


def test_member_shares_edits_and_withdraws_a_story(page, member, team, values):
    visit(page, "/accounts/login/")
    page.get_by_label("Email").fill(member.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()

    page.get_by_role("link", name="Values", exact=True).first.click()
    expect(page.get_by_role("heading", name="Our values", level=1)).to_be_visible()
    expect(page.get_by_text("Taking time to listen").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Share a story").click()
    assert_accessible(page)
    # Sent without a value first: the error is shown, and the words are kept.
    page.get_by_label("Give it a title").fill("Dot's records")
    page.get_by_label("What happened?").fill("We found her old records and she sang along.")
    page.get_by_role("button", name="Share story").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Curiosity").check()
    page.get_by_role("button", name="Share story").click()
    expect(page.get_by_text("Thank you. Your story is shared.")).to_be_visible()
    expect(page.get_by_role("heading", name="Dot's records")).to_be_visible()
    assert_accessible(page)
    story = Story.objects.get()
    assert story.team == team

    page.get_by_role("link", name="Edit “Dot's records”").click()
    page.get_by_label("Compassion").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Your story is updated.")).to_be_visible()

    visit(page, f"/teams/{team.pk}/")
    expect(page.get_by_role("heading", name="Dot's records")).to_be_visible()

    page.get_by_role("link", name="Withdraw “Dot's records”").click()
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw the story").click()
    expect(page.get_by_text("is withdrawn and no longer shown")).to_be_visible()
    assert not Story.objects.exists()


def test_coach_reads_stories_per_value_over_time(page, coach, member, team, values, monkeypatch):
    StoryFactory(author=member, team=team, values=values)
    figure = Figure(
        title="How candidates scored on each value",
        columns=["Value", "Spring round", "Autumn round"],
        rows=[FigureRow(label=value.name, cells=["3.5", "4.0"]) for value in values],
    )
    monkeypatch.setattr(registry, "value_figures", [lambda values: [figure]])
    sign_in_as(page, coach)
    visit(page, "/values/")
    page.get_by_role("link", name="See how many stories showed each value").click()
    expect(page.get_by_role("heading", name="Stories per value over time")).to_be_visible()
    expect(
        page.get_by_role("img", name="Stories showing Compassion, month by month")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Stories each month, by value, over the last 12 months")
    ).to_be_visible()
    assert_accessible(page)
