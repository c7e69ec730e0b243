"""The rules about stories, enforced once in services for the web pages and the API alike."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.factories import StoryFactory, ValueFactory
from values import services
from values.models import Behaviour, Story, Value

pytestmark = pytest.mark.django_db


def test_story_create_refuses_a_team_the_author_cannot_see(member, other_team, compassion):
    with pytest.raises(services.ValuesError, match="team you are in or coach"):
        services.story_create(
            author=member, title="T", body="B", values=[compassion], team=other_team
        )
    assert not Story.objects.exists()


def test_coach_may_share_a_story_from_a_team_they_coach(coach, team, compassion):
    story = services.story_create(author=coach, title="T", body="B", values=[compassion], team=team)
    assert story.team == team


def test_story_create_needs_a_value_and_words(member, compassion):
    with pytest.raises(services.ValuesError, match="at least one value"):
        services.story_create(author=member, title="T", body="B", values=[])
    with pytest.raises(services.ValuesError, match="what happened"):
        services.story_create(author=member, title="T", body="   ", values=[compassion])
    with pytest.raises(services.ValuesError, match="2,000 characters"):
        services.story_create(author=member, title="T", body="x" * 2001, values=[compassion])


def test_story_create_refuses_a_retired_value(member):
    retired = ValueFactory(name="Thrift", active=False)
    with pytest.raises(services.ValuesError, match="Thrift is no longer one of our values"):
        services.story_create(author=member, title="T", body="B", values=[retired])


def test_only_the_author_can_update_a_story(member, admin, compassion):
    story = StoryFactory(author=member, title="Mine")
    with pytest.raises(services.ValuesError, match="Only the person who shared"):
        services.story_update(
            story=story, by=admin, title="Moderated", body="B", values=[compassion]
        )
    story.refresh_from_db()
    assert story.title == "Mine"


def test_author_keeps_their_story_team_after_leaving_the_team(member, team, compassion):
    story = StoryFactory(author=member, team=team)
    member.memberships.update(left=timezone.localdate())
    services.story_update(
        story=story, by=member, title="Edited", body="B", values=[compassion], team=team
    )
    story.refresh_from_db()
    assert (story.title, story.team) == ("Edited", team)


def test_member_cannot_move_a_story_to_another_team(member, team, other_team, compassion):
    story = StoryFactory(author=member, team=team)
    with pytest.raises(services.ValuesError):
        services.story_update(
            story=story, by=member, title="T", body="B", values=[compassion], team=other_team
        )


def test_only_the_author_or_an_admin_can_withdraw_a_story(member, other_member, admin):
    story = StoryFactory(author=member)
    with pytest.raises(services.ValuesError, match="or an admin"):
        services.story_withdraw(story=story, by=other_member)
    assert Story.objects.filter(pk=story.pk).exists()
    services.story_withdraw(story=story, by=admin)
    assert not Story.objects.filter(pk=story.pk).exists()


def test_withdrawing_erases_the_words_from_history_but_records_who_and_when(member, compassion):
    story = services.story_create(
        author=member, title="Private moment", body="Something personal", values=[compassion]
    )
    services.story_update(
        story=story, by=member, title="Private moment", body="Edited", values=[compassion]
    )
    story_id = story.pk
    services.story_withdraw(story=story, by=member)
    [record] = Story.history.filter(id=story_id)
    assert record.history_type == "-"
    assert (record.title, record.body) == ("(withdrawn)", "")
    assert not Story.history.filter(body__contains="personal").exists()


def test_value_create_adds_what_it_looks_like_and_does_not(db):
    value = services.value_create(
        name=" Curiosity ",
        meaning="We keep learning.",
        looks_like=["Asking about someone's life", "Reading up"],
        does_not_look_like=["Assuming we know best"],
    )
    assert (value.name, value.slug) == ("Curiosity", "curiosity")
    assert [b.text for b in value.looks_like] == ["Asking about someone's life", "Reading up"]
    assert [b.text for b in value.does_not_look_like] == ["Assuming we know best"]
    assert value.behaviours.filter(kind=Behaviour.Kind.CONTRADICTS).count() == 1


def test_value_create_refuses_a_name_already_used(compassion):
    with pytest.raises(services.ValuesError, match="already a value"):
        services.value_create(name="compassion", meaning="Again")
    assert Value.objects.count() == 1
