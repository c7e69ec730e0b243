"""The pages that keep what the rota knows about people: where a person lives and whom they
prefer, members' time off and availability, skills and the team's rota settings."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from teams.models import (
    PersonPreference,
    RotaSettings,
    Skill,
    TimeOff,
    VisitAssignment,
)
from teams.rota.checks import Rule, rota_state
from teams.rota.clock import week_bounds
from tests import factories
from tests.teams.rota.conftest import visit_at

pytestmark = pytest.mark.django_db


def problems(team, monday, rule):
    state = rota_state(team=team, since=week_bounds(monday)[0], until=week_bounds(monday)[1])
    return [p for p in state.problems() if p.rule == rule]


def test_where_a_person_lives_is_set_on_their_page_and_travel_is_checked_from_it(
    client_for, member, team, person, monday
):
    far = factories.PersonFactory(
        team=team, name="Far Away", latitude=Decimal("52.50"), longitude=Decimal("-1.97")
    )
    visit_at(person, monday, 8, 45, assigned=[member])
    visit_at(far, monday, 8, 45, minute=50, assigned=[member])
    assert problems(team, monday, Rule.TRAVEL) == []
    response = client_for(member).post(
        reverse("teams:rota:person", args=[person.pk]),
        {
            "action": "address",
            "address-address": "14 Elm Road\nLongbridge",
            "address-postcode": "b31 2lt",
            "address-latitude": "52.40",
            "address-longitude": "-1.97",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.postcode, person.latitude) == ("B31 2LT", Decimal("52.40000"))
    assert len(problems(team, monday, Rule.TRAVEL)) == 1


@pytest.mark.parametrize(
    ("latitude", "longitude", "message", "address"),
    [
        ("52.4", "", "Give both coordinates, or neither.", "Somewhere else"),
        ("95", "-1.9", "A latitude is between -90 and 90.", "Somewhere else"),
        ("north", "-1.9", "Enter a number.", "Somewhere else"),
        ("", "", "Ensure this value has at most 500 characters (it has 20000).", "x" * 20000),
    ],
)
def test_half_or_impossible_coordinates_are_a_400_that_keeps_the_home_as_it_was(
    client_for, member, person, latitude, longitude, message, address
):
    person.address, person.postcode = "14 Elm Road\nLongbridge", "B31 2LT"
    person.save()
    response = client_for(member).post(
        reverse("teams:rota:person", args=[person.pk]),
        {
            "action": "address",
            "address-address": address,
            "address-postcode": "B1 1AA",
            "address-latitude": latitude,
            "address-longitude": longitude,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    person.refresh_from_db()
    assert (person.address, person.latitude) == ("14 Elm Road\nLongbridge", None)


def test_a_person_not_to_be_sent_someone_is_recorded_on_their_page_and_checked(
    client_for, member, colleague, team, person, monday
):
    visit_at(person, monday, 8, assigned=[colleague])
    client_for(member).post(
        reverse("teams:rota:person", args=[person.pk]),
        {"action": "preference", "worker": colleague.pk, "kind": "not_to_send", "note": "x"},
    )
    assert PersonPreference.objects.get().kind == PersonPreference.Kind.NOT_TO_SEND
    [problem] = problems(team, monday, Rule.NOT_TO_SEND)
    assert "Peggy has asked that Cal is not sent" in problem.message
    client_for(member).post(
        reverse("teams:rota:person", args=[person.pk]),
        {"action": "preference", "worker": colleague.pk, "kind": ""},
    )
    assert not PersonPreference.objects.exists()


def test_only_the_named_coordinators_change_a_persons_home_and_preferences(
    client_for, member, colleague, person
):
    RotaSettings.objects.create(team=person.team).coordinators.add(colleague)
    response = client_for(member).post(
        reverse("teams:rota:person", args=[person.pk]),
        {"action": "preference", "worker": colleague.pk, "kind": "preferred"},
    )
    assert response.status_code == 403
    assert not PersonPreference.objects.exists()


def test_the_teams_travel_speed_decides_how_long_a_hop_takes(
    client_for, member, team, person, monday
):
    person.latitude, person.longitude = Decimal("52.40"), Decimal("-1.97")
    person.save()
    far = factories.PersonFactory(team=team, latitude=Decimal("52.50"), longitude=Decimal("-1.97"))
    visit_at(person, monday, 8, 45, assigned=[member])
    visit_at(far, monday, 9, 30, minute=5, assigned=[member])
    # 11 km: 34 minutes at 20 km/h, 19 at 35. There are 20.
    assert len(problems(team, monday, Rule.TRAVEL)) == 1
    response = client_for(member).post(
        reverse("teams:rota:skills", args=[team.pk]),
        {"action": "settings", "travel_speed_kmh": "35"},
    )
    assert response.status_code == 302
    assert RotaSettings.objects.get(team=team).travel_speed_kmh == 35
    assert problems(team, monday, Rule.TRAVEL) == []


@pytest.mark.parametrize("speed", ["0", "900", "fast"])
def test_an_impossible_travel_speed_is_refused_with_a_reason(client_for, member, team, speed):
    body = (
        client_for(member)
        .post(
            reverse("teams:rota:skills", args=[team.pk]),
            {"action": "settings", "travel_speed_kmh": speed},
            follow=True,
        )
        .content.decode()
    )
    assert "Ensure this value" in body or "Enter a whole number" in body
    assert not RotaSettings.objects.filter(team=team).exclude(travel_speed_kmh=20).exists()


def test_skills_are_given_to_members_on_the_skills_page(client_for, member, colleague, team):
    client = client_for(member)
    client.post(
        reverse("teams:rota:skills", args=[team.pk]), {"action": "add_skill", "name": "Hoist"}
    )
    hoist = Skill.objects.get(name="Hoist")
    membership = colleague.memberships.get()
    client.post(
        reverse("teams:rota:skills", args=[team.pk]),
        {"action": "skills", f"skills_{membership.pk}": [str(hoist.pk)]},
    )
    assert list(membership.skills.all()) == [hoist]
    assert not member.memberships.get().skills.exists()
    response = client.post(
        reverse("teams:rota:skills", args=[team.pk]),
        {"action": "skills", f"skills_{membership.pk}": ["999999", "x"]},
    )
    assert "Choose skills from the list." in response.content.decode()
    assert list(membership.skills.all()) == [hoist]


def test_time_off_entered_on_the_time_page_hands_the_workers_visits_back(
    client_for, member, team, person, monday
):
    visit = visit_at(person, monday + timedelta(days=1), 8, assigned=[member])
    response = client_for(member).post(
        reverse("teams:rota:time", args=[team.pk]),
        {
            "action": "time_off",
            "worker": member.pk,
            "kind": "sickness",
            "first_day": monday + timedelta(days=1),
            "last_day": monday + timedelta(days=2),
        },
        follow=True,
    )
    assert "Their visits then are back with the team to cover" in response.content.decode()
    assert TimeOff.objects.get().kind == "sickness"
    assert not VisitAssignment.objects.filter(visit=visit).exists()
    visit.refresh_from_db()
    assert visit.reason == "Mina is off sick."


def test_a_member_keeps_their_usual_availability_on_the_time_page(client_for, member, team):
    client = client_for(member)
    url = reverse("teams:rota:time", args=[team.pk])
    saved = client.post(url, {"action": "availability", "from_1": "07:00", "until_1": "13:00"})
    assert saved.status_code == 302
    membership = member.memberships.get()
    assert list(membership.availability.values_list("weekday", "starts_at", "ends_at")) == [
        (1, time(7), time(13))
    ]
    half = client.post(url, {"action": "availability", "from_2": "07:00"})
    assert half.status_code == 400
    assert "Give Tuesday&#x27;s start and end, or neither." in half.content.decode()
    assert membership.availability.count() == 1


def test_an_availability_error_is_summed_up_at_the_top_of_the_page(client_for, member, team):
    url = reverse("teams:rota:time", args=[team.pk])
    page = (
        client_for(member).post(url, {"action": "availability", "from_2": "07:00"}).content.decode()
    )
    assert "<title>Error: Time off and availability" in page
    summary = page.index('data-module="nhsuk-error-summary"')
    # Above the list of time off and both forms, not 1500 pixels down by the day's fields.
    assert summary < page.index("Time off coming up") < page.index('name="from_1"')
    assert (
        '<a href="#id_until_2">Give Tuesday&#x27;s start and end, or neither.</a>' in page[summary:]
    )
    # And again beside the day itself.
    assert 'id="id_until_2_error"' in page


def test_a_time_off_error_is_summed_up_at_the_top_of_the_page(client_for, member, team):
    url = reverse("teams:rota:time", args=[team.pk])
    page = (
        client_for(member)
        .post(url, {"action": "time_off", "worker": member.pk, "kind": "holiday"})
        .content.decode()
    )
    summary = page.index('data-module="nhsuk-error-summary"')
    assert summary < page.index("Time off coming up")
    assert page.count('data-module="nhsuk-error-summary"') == 1
    assert '<a href="#id_first_day">' in page[summary:]


def test_saving_availability_or_time_off_says_what_was_saved(client_for, member, team, monday):
    client = client_for(member)
    url = reverse("teams:rota:time", args=[team.pk])
    saved = client.post(
        url,
        {"action": "availability", "from_1": "07:00", "until_1": "13:00"},
        follow=True,
    ).content.decode()
    assert "Your usual availability is saved: Monday 07:00 to 13:00." in saved
    assert "nhsuk-notification-banner--success" in saved
    cleared = client.post(url, {"action": "availability"}, follow=True).content.decode()
    assert "no set days, so the team may ask you any time" in cleared
    leave = client.post(
        url,
        {
            "action": "time_off",
            "worker": member.pk,
            "kind": "holiday",
            "first_day": monday + timedelta(days=7),
            "last_day": monday + timedelta(days=8),
        },
        follow=True,
    ).content.decode()
    first = monday + timedelta(days=7)
    assert f"Time off recorded for {member.display_name}, {first:%a %-d %b} to " in leave


def test_a_member_enters_only_their_own_time_off_where_the_team_names_coordinators(
    client_for, member, colleague, team, monday
):
    RotaSettings.objects.create(team=team).coordinators.add(colleague)
    response = client_for(member).post(
        reverse("teams:rota:time", args=[team.pk]),
        {
            "action": "time_off",
            "worker": colleague.pk,
            "kind": "holiday",
            "first_day": monday,
            "last_day": monday,
        },
    )
    assert response.status_code == 400
    assert not TimeOff.objects.exists()
