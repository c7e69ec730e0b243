"""The values API: values are read-only; stories follow the same rules as the web pages."""

from __future__ import annotations

import pytest

from tests.factories import MembershipFactory, StoryFactory, TeamFactory, ValueFactory
from values.models import Story

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/values/"
STORIES = "/api/v1/stories/"


def story_url(story: Story | int | str) -> str:
    return f"{STORIES}{getattr(story, 'pk', story)}/"


def test_api_lists_values_with_their_behaviours(client_for, outsider, compassion):
    body = client_for(outsider).get(VALUES).json()
    [value] = body["results"]
    assert value["name"] == "Compassion"
    assert {"kind": "shows", "text": "Sitting with someone on a hard day"} in value["behaviours"]
    assert {"kind": "contradicts", "text": "Rushing a visit while they are upset"} in value[
        "behaviours"
    ]


def test_api_values_cannot_be_changed(client_for, admin, compassion):
    client = client_for(admin)
    assert client.post(VALUES, {"name": "Thrift"}).status_code == 405
    assert client.delete(f"{VALUES}{compassion.pk}/").status_code == 405


def test_api_refuses_anonymous_callers(client, compassion):
    assert client.get(VALUES).status_code in {401, 403}
    assert client.get(STORIES).status_code in {401, 403}


def test_api_member_can_share_a_story(client_for, member, team, compassion):
    response = client_for(member).post(
        STORIES,
        {
            "title": "Dot's records",
            "body": "She sang along.",
            "values": [compassion.pk],
            "team": team.pk,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    story = Story.objects.get()
    assert (story.author, story.team) == (member, team)
    assert response.json()["values"] == [compassion.pk]
    assert response.json()["is_mine"] is True


def test_api_member_cannot_name_another_team(client_for, member, other_team, compassion):
    response = client_for(member).post(
        STORIES,
        {"title": "T", "body": "B", "values": [compassion.pk], "team": other_team.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "team" in response.json()
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"values": []}, "values"),
        ({"values": None}, "values"),
        ({"values": ["compassion"]}, "values"),
        ({"values": [999999]}, "values"),
        ({"body": "x" * 2001}, "body"),
        ({"body": ""}, "body"),
        ({"title": "t" * 121}, "title"),
        ({"team": "north"}, "team"),
        ({"team": [1]}, "team"),
    ],
)
def test_api_bad_story_input_is_a_400_naming_the_field(client_for, member, compassion, bad, field):
    data = {"title": "Fine", "body": "Fine", "values": [compassion.pk], **bad}
    response = client_for(member).post(STORIES, data, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Story.objects.exists()


def test_api_malformed_json_is_a_400(client_for, member):
    response = client_for(member).post(STORIES, "{not json", content_type="application/json")
    assert response.status_code == 400


def test_api_story_list_hides_another_teams_stories(client_for, member, other_member, team):
    StoryFactory(author=member, team=team, title="Northfield only")
    StoryFactory(author=member, title="For everyone")
    titles = {s["title"] for s in client_for(other_member).get(STORIES).json()["results"]}
    assert titles == {"For everyone"}


def test_api_another_teams_story_is_not_found(client_for, member, other_member, team):
    story = StoryFactory(author=member, team=team)
    assert client_for(other_member).get(story_url(story)).status_code == 404


def test_api_member_can_change_their_own_story(client_for, member, compassion, curiosity):
    story = StoryFactory(author=member, values=[compassion])
    response = client_for(member).patch(
        story_url(story),
        {"title": "New title", "values": [curiosity.pk]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    story.refresh_from_db()
    assert story.title == "New title"
    assert list(story.values.all()) == [curiosity]
    assert response.json()["values"] == [curiosity.pk]


def test_api_member_cannot_change_someone_elses_story(client_for, member, team):
    story = StoryFactory(author=MembershipFactory(team=team).user, team=team, title="Theirs")
    response = client_for(member).patch(
        story_url(story), {"title": "Mine"}, content_type="application/json"
    )
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.title == "Theirs"


def test_api_member_cannot_withdraw_someone_elses_story(client_for, member, team):
    story = StoryFactory(author=MembershipFactory(team=team).user, team=team)
    assert client_for(member).delete(story_url(story)).status_code == 404
    assert Story.objects.filter(pk=story.pk).exists()


def test_api_member_can_withdraw_their_own_story(client_for, member):
    story = StoryFactory(author=member)
    assert client_for(member).delete(story_url(story)).status_code == 204
    assert not Story.objects.exists()


def test_api_admin_can_withdraw_any_story_but_not_change_it(client_for, admin, member):
    story = StoryFactory(author=member)
    client = client_for(admin)
    assert (
        client.patch(story_url(story), {"title": "X"}, content_type="application/json").status_code
        == 404
    )
    assert client.delete(story_url(story)).status_code == 204


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "999999"])
def test_api_story_address_that_is_not_a_story_is_not_found(client_for, member, pk):
    assert client_for(member).get(story_url(pk)).status_code == 404
    assert client_for(member).delete(story_url(pk)).status_code == 404


def test_api_value_list_query_count_is_fixed(client_for, member, compassion, assert_fixed_queries):
    from tests.factories import BehaviourFactory

    client = client_for(member)

    def grow():
        for value in ValueFactory.create_batch(5):
            BehaviourFactory.create_batch(4, value=value)

    assert_fixed_queries(lambda: client.get(VALUES), grow, most=8)


def test_api_story_list_query_count_is_fixed(
    client_for, member, team, compassion, assert_fixed_queries
):
    client = client_for(member)
    StoryFactory(author=member, team=team, values=[compassion])

    def grow():
        other = TeamFactory()
        for value in ValueFactory.create_batch(3):
            StoryFactory.create_batch(4, author=member, team=team, values=[value, compassion])
            StoryFactory.create_batch(2, team=other, values=[value])

    assert_fixed_queries(lambda: client.get(STORIES), grow, most=8)
