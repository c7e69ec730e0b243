"""The header's Recruitment entry, which recruitment registers with the core navigation: it leads
those who run rounds to their rounds and a panel member to their scoring page, and is hidden
from everyone else."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from recruitment.models import Round
from recruitment.navigation import recruitment_link
from tests.recruitment.factories import PanelMemberFactory, open_round
from wellbeing.navigation import navigation

pytestmark = pytest.mark.django_db

ROUNDS = reverse("recruitment:round_list")


def _entry(user) -> dict | None:
    request = RequestFactory().get(ROUNDS)
    request.user = user
    items = navigation(request)["nav_items"]
    return next((item for item in items if item["label"] == "Recruitment"), None)


def test_admins_find_every_round_in_the_header(admin):
    entry = _entry(admin)
    assert entry is not None
    assert entry["url"] == ROUNDS
    assert entry["current"], "the round list is part of the Recruitment section"


def test_a_round_owner_is_led_to_their_rounds(round_owner, round_):
    assert _entry(round_owner)["url"] == ROUNDS


def test_a_panel_member_is_led_to_the_scoring_page_of_their_latest_round(member):
    earlier = open_round(title="Earlier")
    later = open_round(title="Later")
    Round.objects.filter(pk=earlier.pk).update(opens_on=later.opens_on - timedelta(days=60))
    for round_ in (earlier, later):
        PanelMemberFactory(round=round_, user=member, email=member.email)
    assert _entry(member)["url"] == reverse("recruitment:panel", args=[later.pk])


def test_someone_who_owns_a_round_and_sits_on_another_panel_is_led_to_their_rounds(
    round_owner, round_
):
    PanelMemberFactory(round=open_round(title="Another"), user=round_owner, email="o@example.org")
    assert _entry(round_owner)["url"] == ROUNDS


def test_members_coaches_and_outsiders_who_run_no_round_see_no_entry(member, coach, outsider):
    for user in (member, coach, outsider):
        assert _entry(user) is None, user


def test_the_entry_asks_one_query(round_owner, round_, django_assert_num_queries):
    with django_assert_num_queries(1):
        recruitment_link(round_owner)
