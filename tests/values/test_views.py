"""The values pages: everyone signed in reads the values and the stories they may see; members
share, edit and withdraw their own stories; coaches and admins see the insights."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory, StoryFactory, TeamFactory, ValueFactory
from values import registry
from values.models import Story
from values.registry import Figure, FigureRow

pytestmark = pytest.mark.django_db

INDEX = reverse("values:index")
NEW = reverse("values:story_new")
INSIGHTS = reverse("values:insights")


def edit_url(story: Story) -> str:
    return reverse("values:story_edit", args=[story.pk])


def withdraw_url(story: Story) -> str:
    return reverse("values:story_withdraw", args=[story.pk])


# --- Reading the values -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "outsider", "coach", "admin"])
def test_values_page_is_readable_by_anyone_signed_in(request, client_for, who, compassion):
    response = client_for(request.getfixturevalue(who)).get(INDEX)
    assert response.status_code == 200
    assert "Compassion" in response.content.decode()


def test_values_page_sends_anonymous_visitors_to_sign_in(client, compassion):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_values_page_shows_what_each_value_looks_like_and_does_not(client_for, member, compassion):
    page = client_for(member).get(INDEX).content.decode()
    assert "We act with kindness." in page
    assert "What it looks like" in page
    assert "Sitting with someone on a hard day" in page
    assert "What it does not look like" in page
    assert "Rushing a visit while they are upset" in page
    assert "nhsuk-list--tick" in page
    assert "nhsuk-list--cross" in page


def test_inactive_values_are_not_shown(client_for, member, compassion):
    ValueFactory(name="Thrift", active=False)
    assert "Thrift" not in client_for(member).get(INDEX).content.decode()


def test_values_are_in_the_navigation_for_signed_in_users(client_for, member):
    page = client_for(member).get(reverse("teams:list")).content.decode()
    assert f'href="{INDEX}"' in page


def test_insights_link_is_offered_only_to_coaches_and_admins(client_for, member, coach):
    assert INSIGHTS not in client_for(member).get(INDEX).content.decode()
    assert INSIGHTS in client_for(coach).get(INDEX).content.decode()


# --- Seeing stories -----------------------------------------------------------------------------


def test_story_with_no_team_is_shown_to_everyone_signed_in(client_for, other_member, outsider):
    StoryFactory(author=other_member, title="A kind word at the bus stop")
    assert "A kind word at the bus stop" in client_for(outsider).get(INDEX).content.decode()


def test_team_story_is_not_shown_to_members_of_another_team(client_for, member, other_member, team):
    StoryFactory(author=member, team=team, title="Peggy's walk")
    assert "Peggy&#x27;s walk" not in client_for(other_member).get(INDEX).content.decode()


def test_team_story_is_shown_to_the_team_its_coach_and_admins(
    client_for, member, coach, admin, team
):
    StoryFactory(author=MembershipFactory(team=team).user, team=team, title="Dot's records")
    for user in (member, coach, admin):
        assert "Dot&#x27;s records" in client_for(user).get(INDEX).content.decode()


def test_author_still_sees_their_team_story_after_leaving_the_team(client_for, member, team):
    StoryFactory(author=member, team=team, title="Before I moved on")
    member.memberships.update(left="2024-06-01")
    assert "Before I moved on" in client_for(member).get(INDEX).content.decode()


def test_stories_come_twenty_to_a_page(client_for, member):
    StoryFactory.create_batch(21)
    client = client_for(member)
    first = client.get(INDEX).content.decode()
    assert first.count('class="nhsuk-card" id="story-') == 20
    assert "?page=2#stories" in first
    second = client.get(INDEX, {"page": 2}).content.decode()
    assert second.count('class="nhsuk-card" id="story-') == 1


@pytest.mark.parametrize("page", ["two", "-1", "999", ""])
def test_a_page_number_that_makes_no_sense_still_shows_stories(client_for, member, page):
    StoryFactory()
    assert client_for(member).get(INDEX, {"page": page}).status_code == 200


def test_team_page_shows_the_teams_stories(client_for, member, team):
    StoryFactory(author=member, team=team, title="Len back at the allotment")
    page = client_for(member).get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert "Len back at the allotment" in page
    assert f"{NEW}?team={team.pk}" in page


def test_team_page_does_not_show_another_teams_stories(
    client_for, member, other_member, team, other_team
):
    StoryFactory(author=member, team=team, title="A story from Northfield")
    StoryFactory(author=other_member, title="A story with no team")
    page = client_for(other_member).get(reverse("teams:detail", args=[other_team.pk]))
    assert "A story from Northfield" not in page.content.decode()
    assert "A story with no team" not in page.content.decode()


# --- Sharing a story ----------------------------------------------------------------------------


def test_member_can_share_a_story_tagged_with_values_and_their_team(
    client_for, member, team, compassion, curiosity
):
    response = client_for(member).post(
        NEW,
        {
            "title": "Dot's records",
            "body": "We found her old records and she sang along.",
            "values": [compassion.pk, curiosity.pk],
            "team": team.pk,
        },
    )
    story = Story.objects.get()
    assert response.status_code == 302
    assert response.url == f"{INDEX}#story-{story.pk}"
    assert (story.author, story.team, story.title) == (member, team, "Dot's records")
    assert set(story.values.all()) == {compassion, curiosity}
    assert story.history.get().history_user == member


def test_member_can_share_a_story_with_no_team(client_for, member, compassion):
    client_for(member).post(
        NEW, {"title": "Breaks", "body": "We take them now.", "values": [compassion.pk]}
    )
    assert Story.objects.get().team is None


def test_new_story_form_offers_only_teams_the_user_may_see(client_for, member, team, other_team):
    page = client_for(member).get(NEW).content.decode()
    assert f'value="{team.pk}"' in page
    assert "Riverside" not in page


def test_new_story_form_starts_with_the_members_own_team(client_for, member, team):
    page = client_for(member).get(NEW).content.decode()
    assert f'<option value="{team.pk}" selected>' in page


def test_member_cannot_tag_a_story_with_another_teams_id(
    client_for, member, other_team, compassion
):
    response = client_for(member).post(
        NEW, {"title": "Sneaky", "body": "Text", "values": [compassion.pk], "team": other_team.pk}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Story.objects.exists()


def test_story_must_show_at_least_one_value(client_for, member, compassion):
    response = client_for(member).post(NEW, {"title": "No values", "body": "Text"})
    assert response.status_code == 400
    assert "Choose at least one value the story shows." in response.content.decode()
    assert not Story.objects.exists()


def test_story_longer_than_2000_characters_is_refused_and_kept_for_editing(
    client_for, member, compassion
):
    body = "x" * 2001
    response = client_for(member).post(
        NEW, {"title": "Long", "body": body, "values": [compassion.pk]}
    )
    assert response.status_code == 400
    assert "2,000 characters or fewer" in response.content.decode()
    assert body in response.content.decode()
    assert not Story.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"values": ["not-a-number"]},
        {"values": ["999999"]},
        {"team": "north"},
        {"title": ""},
        {"title": "t" * 121},
    ],
)
def test_bad_story_input_is_a_400_with_nothing_saved(client_for, member, compassion, bad):
    data = {"title": "Fine", "body": "Fine", "values": [compassion.pk], **bad}
    response = client_for(member).post(NEW, data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Story.objects.exists()


def test_retired_values_cannot_be_chosen(client_for, member):
    retired = ValueFactory(name="Thrift", active=False)
    response = client_for(member).post(NEW, {"title": "T", "body": "B", "values": [retired.pk]})
    assert response.status_code == 400
    assert not Story.objects.exists()


# --- Editing and withdrawing --------------------------------------------------------------------


def test_member_can_edit_their_own_story(client_for, member, team, compassion, curiosity):
    story = StoryFactory(author=member, team=team, values=[compassion])
    client = client_for(member)
    assert client.get(edit_url(story)).status_code == 200
    response = client.post(
        edit_url(story),
        {"title": "Better title", "body": "Better words", "values": [curiosity.pk], "team": ""},
    )
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.body, story.team) == ("Better title", "Better words", None)
    assert list(story.values.all()) == [curiosity]


def test_member_cannot_edit_someone_elses_story(client_for, member, team, compassion):
    story = StoryFactory(author=MembershipFactory(team=team).user, team=team, title="Theirs")
    client = client_for(member)
    assert client.get(edit_url(story)).status_code == 404
    response = client.post(
        edit_url(story), {"title": "Mine now", "body": "B", "values": [compassion.pk]}
    )
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.title == "Theirs"


def test_admin_cannot_edit_someone_elses_story(client_for, admin, member):
    story = StoryFactory(author=member)
    assert client_for(admin).get(edit_url(story)).status_code == 404


def test_member_can_withdraw_their_own_story_after_confirming(client_for, member):
    story = StoryFactory(author=member, title="Changed my mind")
    client = client_for(member)
    confirm = client.get(withdraw_url(story))
    assert confirm.status_code == 200
    assert "This cannot be undone" in confirm.content.decode()
    assert Story.objects.filter(pk=story.pk).exists()
    response = client.post(withdraw_url(story))
    assert response.status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_member_cannot_withdraw_someone_elses_story(client_for, member, team):
    story = StoryFactory(author=MembershipFactory(team=team).user, team=team)
    client = client_for(member)
    assert client.get(withdraw_url(story)).status_code == 404
    assert client.post(withdraw_url(story)).status_code == 404
    assert Story.objects.filter(pk=story.pk).exists()


def test_admin_can_withdraw_any_story(client_for, admin, member, team):
    story = StoryFactory(author=member, team=team)
    assert client_for(admin).post(withdraw_url(story)).status_code == 302
    assert not Story.objects.filter(pk=story.pk).exists()


def test_edit_and_withdraw_links_are_shown_only_where_they_work(client_for, member, other_member):
    mine = StoryFactory(author=member)
    theirs = StoryFactory(author=other_member)
    page = client_for(member).get(INDEX).content.decode()
    assert edit_url(mine) in page
    assert withdraw_url(mine) in page
    assert edit_url(theirs) not in page
    assert withdraw_url(theirs) not in page


@pytest.mark.parametrize(
    "path",
    ["/values/stories/abc/edit/", "/values/stories/1.5/withdraw/", "/values/stories/-1/edit/"],
)
def test_story_addresses_that_are_not_numbers_are_not_found(client_for, member, path):
    assert client_for(member).get(path).status_code == 404


def test_missing_story_is_not_found(client_for, member):
    assert client_for(member).get("/values/stories/999999/edit/").status_code == 404


def test_story_pages_send_anonymous_visitors_to_sign_in(client, member):
    story = StoryFactory(author=member)
    for url in (NEW, edit_url(story), withdraw_url(story), INSIGHTS):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


# --- Insights -----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "outsider", "other_member"])
def test_insights_are_refused_to_people_who_coach_no_team(request, client_for, who):
    response = client_for(request.getfixturevalue(who)).get(INSIGHTS)
    assert response.status_code == 403
    assert "coaches and organisation admins" in response.content.decode()


@pytest.mark.parametrize("who", ["coach", "admin"])
def test_insights_are_open_to_coaches_and_admins(request, client_for, who, compassion):
    response = client_for(request.getfixturevalue(who)).get(INSIGHTS)
    assert response.status_code == 200


def test_insights_show_each_value_as_a_chart_with_a_table(client_for, coach, member, compassion):
    StoryFactory.create_batch(3, author=member, values=[compassion])
    page = client_for(coach).get(INSIGHTS).content.decode()
    assert '<svg viewBox="0 0 360 190"' in page
    assert 'role="img"' in page
    assert "Stories showing Compassion, month by month" in page
    assert "3 stories from" in page
    assert "<caption" in page
    assert "Stories each month, by value" in page


def test_insights_show_no_recruitment_figures_when_no_app_registers_them(
    client_for, admin, compassion, monkeypatch
):
    monkeypatch.setattr(registry, "value_figures", [])
    page = client_for(admin).get(INSIGHTS).content.decode()
    assert "figure-1" not in page


def test_insights_show_figures_a_higher_app_registers(client_for, admin, compassion, monkeypatch):
    def candidate_scores(values):
        return [
            Figure(
                title="How candidates scored on each value",
                columns=["Value", "Spring round"],
                rows=[FigureRow(label=value.name, cells=["3.4"]) for value in values],
            )
        ]

    monkeypatch.setattr(registry, "value_figures", [candidate_scores])
    page = client_for(admin).get(INSIGHTS).content.decode()
    assert "How candidates scored on each value" in page
    assert "Spring round" in page
    assert "3.4" in page


# --- Query counts -------------------------------------------------------------------------------


def test_values_page_query_count_is_fixed(
    client_for, member, team, compassion, assert_fixed_queries
):
    client = client_for(member)
    StoryFactory(author=member, team=team, values=[compassion])

    def grow():
        other = TeamFactory()
        for value in ValueFactory.create_batch(4):
            StoryFactory.create_batch(3, author=member, team=team, values=[value, compassion])
            StoryFactory.create_batch(2, team=other, values=[value])
            StoryFactory(values=[value])

    assert_fixed_queries(lambda: client.get(INDEX), grow, most=10)


def test_insights_query_count_is_fixed(client_for, coach, member, compassion, assert_fixed_queries):
    client = client_for(coach)
    StoryFactory(author=member, values=[compassion])

    def grow():
        for value in ValueFactory.create_batch(4):
            StoryFactory.create_batch(3, author=member, values=[value, compassion])

    assert_fixed_queries(lambda: client.get(INSIGHTS), grow, most=11)


def test_team_page_query_count_is_fixed_with_stories(
    client_for, member, team, compassion, assert_fixed_queries
):
    client = client_for(member)
    StoryFactory(author=member, team=team, values=[compassion])

    def grow():
        for value in ValueFactory.create_batch(3):
            StoryFactory.create_batch(3, author=member, team=team, values=[value, compassion])

    url = reverse("teams:detail", args=[team.pk])
    # The team page also shows its pulse, check-ins, roles and decisions (tests/teams).
    assert_fixed_queries(lambda: client.get(url), grow, most=25)
