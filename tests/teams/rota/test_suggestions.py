"""Suggest: the solver fills open visits within every hard rule, prefers familiar faces and
fair hours, says why in words, and the team takes all, some or none."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest

from teams.models import (
    PersonPreference,
    Skill,
    SuggestedAssignment,
    Suggestion,
    TimeOff,
    VisitAssignment,
)
from teams.rota import services
from teams.rota.services import RotaConflict, RotaError
from tests import factories
from tests.teams.rota.conftest import at, visit_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_solver(settings):
    settings.ROTA_SUGGEST_SECONDS = 5
    settings.ROTA_SUGGEST_WORKERS = 1


def proposed(suggestion):
    return {
        (p.visit_id, p.worker_id): p.explanation
        for p in SuggestedAssignment.objects.filter(suggestion=suggestion)
    }


def test_suggestions_honour_skills_time_off_and_not_to_send(team, person, monday):
    skilled = factories.MembershipFactory(team=team, user__display_name="Sky Skilled").user
    away = factories.MembershipFactory(team=team, user__display_name="Al Away").user
    unwanted = factories.MembershipFactory(team=team, user__display_name="Una Unwanted").user
    hoist = Skill.objects.create(name="Hoist")
    hoist.holders.add(*[w.memberships.get() for w in (skilled, away, unwanted)])
    TimeOff.objects.create(
        team=team, worker=away, first_day=monday, last_day=monday + timedelta(days=6)
    )
    PersonPreference.objects.create(person=person, worker=unwanted, kind="not_to_send")
    visits = [visit_at(person, monday + timedelta(days=d), 9) for d in range(3)]
    for visit in visits:
        visit.skills.add(hoist)
    suggestion = services.suggestion_create(team=team, monday=monday, by=skilled)
    assert set(proposed(suggestion)) == {(v.pk, skilled.pk) for v in visits}


def test_a_two_worker_visit_is_suggested_two_different_workers(team, person, monday):
    first = factories.MembershipFactory(team=team).user
    second = factories.MembershipFactory(team=team).user
    double = visit_at(person, monday, 9, 60, workers_needed=2)
    suggestion = services.suggestion_create(team=team, monday=monday, by=first)
    assert set(proposed(suggestion)) == {(double.pk, first.pk), (double.pk, second.pk)}


def test_suggestions_never_double_book(team, person, monday):
    workers = [factories.MembershipFactory(team=team).user for _ in range(2)]
    overlapping = [
        visit_at(factories.PersonFactory(team=team), monday, 9, 60, minute=10 * index)
        for index in range(4)
    ]
    suggestion = services.suggestion_create(team=team, monday=monday, by=workers[0])
    chosen = [worker for _, worker in proposed(suggestion)]
    assert sorted(chosen) == sorted(w.pk for w in workers)
    assert len(suggestion.summary["unfilled_visit_ids"]) == 2
    assert {v.pk for v in overlapping} >= set(suggestion.summary["unfilled_visit_ids"])


def test_suggestions_keep_11_hours_rest_and_usual_availability(team, person, monday):
    night_owl = factories.MembershipFactory(team=team, user__display_name="Nia Night").user
    early = factories.MembershipFactory(team=team, user__display_name="Eli Early").user
    early.memberships.get().availability.create(weekday=2, starts_at=time(6), ends_at=time(12))
    visit_at(person, monday, 22, 60, assigned=[night_owl])
    morning = visit_at(person, monday + timedelta(days=1), 7)
    suggestion = services.suggestion_create(team=team, monday=monday, by=early)
    assert set(proposed(suggestion)) == {(morning.pk, early.pk)}


def test_suggestions_keep_within_the_48_hour_average(team, person, monday):
    tired = factories.MembershipFactory(team=team, user__display_name="Tia Tired").user
    fresh = factories.MembershipFactory(team=team, user__display_name="Fred Fresh").user
    for week in range(16):
        start = at(monday - timedelta(weeks=16 - week), 8)
        factories.ShiftFactory(
            team=team, worker=tired, start=start, end=start + timedelta(hours=48)
        )
    start = at(monday, 0, 30)
    factories.ShiftFactory(team=team, worker=tired, start=start, end=start + timedelta(hours=47.5))
    # Peggy prefers Tia, but an hour more would take her over 48 hours a week on average.
    PersonPreference.objects.create(person=person, worker=tired, kind="preferred")
    visit = visit_at(person, monday + timedelta(days=4), 9, 60)
    suggestion = services.suggestion_create(team=team, monday=monday, by=fresh)
    assert set(proposed(suggestion)) == {(visit.pk, fresh.pk)}


def test_suggestions_leave_time_to_travel_between_homes(team, person, monday):
    near = factories.MembershipFactory(team=team, user__display_name="Nell Near").user
    busy = factories.MembershipFactory(team=team, user__display_name="Bea Busy").user
    person.latitude, person.longitude = Decimal("52.40"), Decimal("-1.97")
    person.save()
    far = factories.PersonFactory(
        team=team, name="Far Away", latitude=Decimal("52.50"), longitude=Decimal("-1.97")
    )
    visit_at(person, monday, 9, 45, assigned=[busy])
    # Bea is who Far Away prefers, but 11 km in 5 minutes cannot be done.
    PersonPreference.objects.create(person=far, worker=busy, kind="preferred")
    then = visit_at(far, monday, 9, 30, minute=50)
    suggestion = services.suggestion_create(team=team, monday=monday, by=near)
    assert set(proposed(suggestion)) == {(then.pk, near.pk)}


def test_suggestions_prefer_the_worker_the_person_knows_and_say_so(team, person, monday):
    known = factories.MembershipFactory(team=team, user__display_name="Kim Known").user
    factories.MembershipFactory(team=team, user__display_name="Nat New")
    for weeks_ago in range(1, 4):
        for day in range(3):
            visit_at(
                person,
                monday - timedelta(weeks=weeks_ago) + timedelta(days=day),
                9,
                assigned=[known],
                status="done",
            )
    PersonPreference.objects.create(person=person, worker=known, kind="preferred")
    visit = visit_at(person, monday, 9)
    suggestion = services.suggestion_create(team=team, monday=monday, by=known)
    explanation = proposed(suggestion)[(visit.pk, known.pk)]
    assert "Kim has visited Peggy 9 times in the last 4 weeks" in explanation
    assert "is on Peggy's list of preferred workers" in explanation
    assert "This week Kim would have 45 minutes of a 30 hours contract." in explanation


def test_suggestions_spread_hours_towards_each_contract(team, monday):
    full = factories.MembershipFactory(team=team, contracted_hours=10).user
    light = factories.MembershipFactory(team=team, contracted_hours=2).user
    people = [factories.PersonFactory(team=team) for _ in range(6)]
    for index, person in enumerate(people):
        visit_at(person, monday + timedelta(days=index), 9, 120)
    suggestion = services.suggestion_create(team=team, monday=monday, by=full)
    chosen = [worker for _, worker in proposed(suggestion)]
    assert chosen.count(light.pk) == 1
    assert chosen.count(full.pk) == 5


def test_the_team_takes_some_and_the_rest_are_left(team, person, member, monday):
    visits = [visit_at(person, monday + timedelta(days=d), 9) for d in range(3)]
    suggestion = services.suggestion_create(team=team, monday=monday, by=member)
    proposals = list(suggestion.proposals.order_by("visit__start"))
    taken, refused = services.suggestion_decide(
        suggestion=suggestion, accept_ids=[proposals[0].pk], by=member
    )
    assert (taken, refused) == (1, 0)
    assert set(VisitAssignment.objects.values_list("visit_id", flat=True)) == {visits[0].pk}
    with pytest.raises(RotaConflict):
        services.suggestion_decide(suggestion=suggestion, accept_ids=[], by=member)


def test_a_proposal_that_no_longer_fits_is_refused_with_its_reason(team, person, member, monday):
    visit = visit_at(person, monday, 9)
    suggestion = services.suggestion_create(team=team, monday=monday, by=member)
    TimeOff.objects.create(team=team, worker=member, first_day=monday, last_day=monday)
    taken, refused = services.suggestion_decide(
        suggestion=suggestion,
        accept_ids=suggestion.proposals.values_list("pk", flat=True),
        by=member,
    )
    assert (taken, refused) == (0, 1)
    assert "Mina is on holiday" in suggestion.proposals.get().refusal
    assert not visit.assignments.exists()
    assert Suggestion.objects.get().status == Suggestion.Status.DECIDED


def test_a_proposal_from_another_suggestion_is_refused_and_nothing_is_decided(
    team, person, member, monday
):
    visit_at(person, monday, 9)
    suggestion = services.suggestion_create(team=team, monday=monday, by=member)
    with pytest.raises(RotaError, match="Choose from this suggestion"):
        services.suggestion_decide(suggestion=suggestion, accept_ids=[999_999], by=member)
    assert Suggestion.objects.get().status == Suggestion.Status.PROPOSED
    assert not suggestion.proposals.exclude(decision="waiting").exists()


def test_taking_none_changes_nothing(team, person, member, monday):
    visit_at(person, monday, 9)
    suggestion = services.suggestion_create(team=team, monday=monday, by=member)
    assert services.suggestion_decide(suggestion=suggestion, accept_ids=[], by=member) == (0, 0)
    assert not VisitAssignment.objects.exists()


def test_visits_already_started_are_not_suggested(team, person, member):
    from django.utils import timezone

    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    visit_at(person, monday - timedelta(days=1), 9)
    suggestion = services.suggestion_create(team=team, monday=monday - timedelta(days=7), by=member)
    assert suggestion.summary["places"] == 0
