"""Who sees which team: members their own, coaches theirs, admins all, nobody else anything."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams import permissions
from teams.models import Membership
from tests.factories import MembershipFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_member_sees_only_their_own_team(member, team, other_team):
    assert list(permissions.teams_visible_to(member)) == [team]
    assert permissions.can_view_team(member, team)
    assert not permissions.can_view_team(member, other_team)


def test_coach_sees_the_teams_they_coach_and_no_other(coach, team, other_team):
    assert list(permissions.teams_visible_to(coach)) == [team]


def test_admin_sees_every_team(admin, team, other_team):
    assert set(permissions.teams_visible_to(admin)) == {team, other_team}


def test_outsider_sees_no_team_and_no_person(outsider, team, person):
    assert not permissions.teams_visible_to(outsider).exists()
    assert not permissions.people_visible_to(outsider).exists()


def test_member_who_left_no_longer_sees_the_team(member, team):
    Membership.objects.filter(user=member).update(left=timezone.localdate())
    assert not permissions.can_view_team(member, team)


def test_member_who_has_not_joined_yet_does_not_see_the_team(team):
    future = MembershipFactory(team=team, joined=timezone.localdate() + timedelta(days=3))
    assert not permissions.can_view_team(future.user, team)


def test_people_supported_are_visible_exactly_with_their_team(member, person, other_person):
    assert list(permissions.people_visible_to(member)) == [person]
    assert permissions.can_view_object(member, person)
    assert not permissions.can_view_object(member, other_person)


def test_member_of_other_team_gets_404_for_team_page(client_for, other_member, team):
    response = client_for(other_member).get(reverse("teams:detail", args=[team.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_member_of_other_team_gets_404_from_team_api(client_for, other_member, team):
    client = client_for(other_member)
    assert client.get(f"/api/v1/teams/{team.pk}/").status_code == 404
    listed = [t["id"] for t in client.get("/api/v1/teams/").json()["results"]]
    assert team.pk not in listed


def test_team_page_shows_members_and_people_to_its_member(client_for, member, team, person):
    response = client_for(member).get(reverse("teams:detail", args=[team.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Mina Member" in page
    assert "Peggy" in page


def test_team_page_does_not_show_people_whose_support_ended(client_for, member, team, person):
    person.status = "ended"
    person.save()
    page = client_for(member).get(reverse("teams:detail", args=[team.pk])).content.decode()
    assert "Peggy" not in page


def test_anonymous_visitor_is_sent_to_sign_in(client, team):
    response = client.get(reverse("teams:detail", args=[team.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert client.get("/api/v1/teams/").status_code in {401, 403}


@pytest.mark.parametrize("pk", ["0", "99999999"])
def test_unknown_team_is_not_found(client_for, admin, pk):
    assert client_for(admin).get(f"/teams/{pk}/").status_code == 404
    assert client_for(admin).get(f"/api/v1/teams/{pk}/").status_code == 404


def test_non_numeric_team_id_is_not_found(client_for, admin):
    assert client_for(admin).get("/teams/abc/").status_code == 404
    assert client_for(admin).get("/api/v1/teams/abc/").status_code == 404


def test_team_list_page_lists_only_visible_teams(client_for, member, team, other_team):
    page = client_for(member).get(reverse("teams:list")).content.decode()
    assert team.name in page
    assert other_team.name not in page


def test_membership_history_is_kept(member, team):
    membership = Membership.objects.get(user=member)
    membership.left = date(2030, 1, 1)
    membership.save()
    assert membership.history.count() == 2


def test_team_coach_changes_are_kept_in_history(coach, team):
    from tests.factories import UserFactory

    team.coach = UserFactory()
    team.save()
    coaches = [h.coach_id for h in team.history.order_by("history_date")]
    assert coach.pk in coaches
    assert team.coach_id == coaches[-1]


def test_team_list_query_count_is_fixed(client_for, admin, assert_fixed_queries):
    client = client_for(admin)
    TeamFactory()

    def grow():
        for _ in range(5):
            team = TeamFactory()
            MembershipFactory.create_batch(3, team=team)

    assert_fixed_queries(lambda: client.get(reverse("teams:list")), grow, most=12)


def test_team_page_query_count_is_fixed(client_for, member, team, assert_fixed_queries):
    from tests.factories import PersonFactory

    client = client_for(member)

    def grow():
        MembershipFactory.create_batch(8, team=team)
        PersonFactory.create_batch(10, team=team)

    url = reverse("teams:detail", args=[team.pk])
    # The page also shows the pulse, check-ins, roles and decisions (see test_team_page.py).
    assert_fixed_queries(lambda: client.get(url), grow, most=35)


def test_team_api_query_counts_are_fixed(client_for, admin, team, assert_fixed_queries):
    from tests.factories import PersonFactory

    client = client_for(admin)

    def grow():
        for _ in range(4):
            TeamFactory()
        MembershipFactory.create_batch(6, team=team)
        PersonFactory.create_batch(6, team=team)

    assert_fixed_queries(lambda: client.get("/api/v1/teams/"), grow, most=12)

    def grow_team():
        MembershipFactory.create_batch(6, team=team)
        PersonFactory.create_batch(6, team=team)

    assert_fixed_queries(lambda: client.get(f"/api/v1/teams/{team.pk}/"), grow_team, most=14)
