"""The checks shown where the team plans: each rule, and the clock changes."""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from teams.models import PersonPreference, Skill, TimeOff
from teams.rota.checks import Rule, rota_state
from teams.rota.clock import week_bounds
from tests import factories
from tests.teams.rota.conftest import at, visit_at

pytestmark = pytest.mark.django_db


def problems(team, monday, rule=None):
    found = rota_state(team=team, since=week_bounds(monday)[0], until=week_bounds(monday)[1])
    found = found.problems()
    return [p for p in found if rule is None or p.rule == rule]


def test_a_worker_on_two_overlapping_visits_is_double_booked(team, member, person, monday):
    other = factories.PersonFactory(team=team)
    visit_at(person, monday, 8, 60, assigned=[member])
    visit_at(other, monday, 8, 30, minute=30, assigned=[member])
    [problem] = problems(team, monday, Rule.DOUBLE_BOOKED)
    assert "at the same time" in problem.message
    assert problem.worker_id == member.pk


def test_a_visit_and_a_shift_at_the_same_time_are_double_booked(team, member, person, monday):
    visit_at(person, monday, 8, 60, assigned=[member])
    factories.ShiftFactory(team=team, worker=member, start=at(monday, 8, 30), end=at(monday, 10))
    assert len(problems(team, monday, Rule.DOUBLE_BOOKED)) == 1


def test_back_to_back_visits_are_not_double_booked(team, member, person, monday):
    visit_at(person, monday, 8, 60, assigned=[member])
    visit_at(person, monday, 9, 60, assigned=[member])
    assert problems(team, monday, Rule.DOUBLE_BOOKED) == []


def test_a_visit_without_enough_workers_is_flagged(team, member, person, monday):
    visit = visit_at(person, monday, 8, workers_needed=2, assigned=[member])
    [problem] = problems(team, monday, Rule.SHORT_STAFFED)
    assert problem.visit_id == visit.pk
    assert "needs 1 more worker" in problem.message


def test_a_worker_without_a_required_skill_is_flagged(team, member, person, monday):
    hoist = Skill.objects.create(name="Hoist")
    visit = visit_at(person, monday, 8, assigned=[member])
    visit.skills.add(hoist)
    [problem] = problems(team, monday, Rule.SKILL)
    assert "Hoist" in problem.message


def test_a_worker_holding_the_skill_is_not_flagged(team, member, person, monday):
    hoist = Skill.objects.create(name="Hoist")
    hoist.holders.add(member.memberships.get())
    visit_at(person, monday, 8, assigned=[member]).skills.add(hoist)
    assert problems(team, monday, Rule.SKILL) == []


def test_a_worker_on_time_off_is_flagged(team, member, person, monday):
    TimeOff.objects.create(
        team=team, worker=member, kind=TimeOff.Kind.SICKNESS, first_day=monday, last_day=monday
    )
    visit_at(person, monday, 23, 30, assigned=[member])
    [problem] = problems(team, monday, Rule.TIME_OFF)
    assert "Mina is off sick then" in problem.message


def test_a_shift_in_the_workers_time_off_is_flagged(team, member, monday):
    TimeOff.objects.create(
        team=team,
        worker=member,
        kind=TimeOff.Kind.TRAINING,
        first_day=monday + timedelta(days=1),
        last_day=monday + timedelta(days=1),
    )
    factories.ShiftFactory(team=team, worker=member, start=at(monday, 18), end=at(monday, 22))
    during = factories.ShiftFactory(
        team=team, worker=member, start=at(monday + timedelta(days=1), 18)
    )
    [problem] = problems(team, monday, Rule.TIME_OFF)
    assert problem.shift_id == during.pk
    assert "Mina is on training" in problem.message
    assert "during the on call at 6pm" in problem.message


def test_a_worker_on_the_not_to_send_list_is_flagged(team, member, person, monday):
    PersonPreference.objects.create(
        person=person, worker=member, kind=PersonPreference.Kind.NOT_TO_SEND
    )
    visit_at(person, monday, 8, assigned=[member])
    [problem] = problems(team, monday, Rule.NOT_TO_SEND)
    assert "Peggy has asked that Mina is not sent" in problem.message


def test_a_visit_outside_usual_availability_is_flagged(team, member, person, monday):
    member.memberships.get().availability.create(weekday=1, starts_at=time(9), ends_at=time(17))
    visit_at(person, monday, 8, assigned=[member])
    visit_at(person, monday, 10, assigned=[member])
    [problem] = problems(team, monday, Rule.AVAILABILITY)
    assert "Peggy at 8am" in problem.message


def test_a_night_availability_window_covers_the_next_morning(team, member, person, monday):
    member.memberships.get().availability.create(weekday=1, starts_at=time(22), ends_at=time(7))
    visit_at(person, monday + timedelta(days=1), 5, assigned=[member])
    assert problems(team, monday, Rule.AVAILABILITY) == []


def test_too_little_time_to_travel_between_homes_is_flagged(team, member, person, monday):
    person.latitude, person.longitude = Decimal("52.40"), Decimal("-1.97")
    person.save()
    far = factories.PersonFactory(
        team=team, name="Far Away", latitude=Decimal("52.50"), longitude=Decimal("-1.97")
    )
    visit_at(person, monday, 8, 45, assigned=[member])
    visit_at(far, monday, 8, 45, minute=50, assigned=[member])
    [problem] = problems(team, monday, Rule.TRAVEL)
    # 11 km at 20 km/h is 34 minutes; there are 5.
    assert "5 minutes to get from Peggy" in problem.message
    assert "34 minutes" in problem.message


def test_travel_is_not_flagged_when_a_home_has_no_coordinates(team, member, person, monday):
    far = factories.PersonFactory(team=team, latitude=Decimal("52.50"), longitude=Decimal("-1.97"))
    visit_at(person, monday, 8, 45, assigned=[member])
    visit_at(far, monday, 8, 45, minute=50, assigned=[member])
    assert problems(team, monday, Rule.TRAVEL) == []


def test_less_than_11_hours_rest_between_working_days_is_flagged(team, member, person, monday):
    visit_at(person, monday, 21, 60, assigned=[member])
    visit_at(person, monday + timedelta(days=1), 7, 60, assigned=[member])
    [problem] = problems(team, monday, Rule.REST)
    assert "only 9 hours rest" in problem.message


def test_a_short_rest_is_said_in_hours_and_minutes(team, member, person, monday):
    visit_at(person, monday, 21, 60, assigned=[member])
    visit_at(person, monday + timedelta(days=1), 7, 60, minute=14, assigned=[member])
    [problem] = problems(team, monday, Rule.REST)
    assert "only 9 hours 14 minutes rest" in problem.message


def test_gaps_within_one_working_day_are_not_rest_problems(team, member, person, monday):
    visit_at(person, monday, 7, 60, assigned=[member])
    visit_at(person, monday, 12, 60, assigned=[member])
    visit_at(person, monday, 21, 60, assigned=[member])
    assert problems(team, monday, Rule.REST) == []


def test_rest_across_the_october_change_counts_the_extra_hour(team, member, person):
    # 23:00 BST Saturday to 09:00 GMT Sunday looks like 10 hours on the clock; it is 11.
    saturday = date(2025, 10, 25)
    visit_at(person, saturday, 22, 60, assigned=[member])
    visit_at(person, saturday + timedelta(days=1), 9, 60, assigned=[member])
    assert problems(team, date(2025, 10, 20), Rule.REST) == []


def test_rest_across_the_march_change_loses_an_hour(team, member, person):
    # 23:00 GMT Saturday to 10:00 BST Sunday looks like 11 hours on the clock; it is 10.
    saturday = date(2026, 3, 28)
    visit_at(person, saturday, 22, 60, assigned=[member])
    visit_at(person, saturday + timedelta(days=1), 10, 60, assigned=[member])
    [problem] = problems(team, date(2026, 3, 23), Rule.REST)
    assert "only 10 hours rest" in problem.message


def test_planned_hours_over_the_contract_are_flagged(team, person, monday):
    worker = factories.MembershipFactory(team=team, contracted_hours=4).user
    for day in range(3):
        visit_at(person, monday + timedelta(days=day), 9, 90, assigned=[worker])
    [problem] = problems(team, monday, Rule.OVER_HOURS)
    assert "4.5 hours planned, over their 4 hours contract" in problem.message


def test_planned_hours_well_under_the_contract_are_flagged(team, person, monday):
    worker = factories.MembershipFactory(team=team, contracted_hours=10).user
    visit_at(person, monday, 9, 60, assigned=[worker])
    [problem] = problems(team, monday, Rule.UNDER_HOURS)
    assert problem.worker_id == worker.pk


def test_hours_within_the_contract_are_not_flagged(team, person, monday):
    worker = factories.MembershipFactory(team=team, contracted_hours=3).user
    visit_at(person, monday, 9, 150, assigned=[worker])
    assert problems(team, monday, Rule.UNDER_HOURS) == []
    assert problems(team, monday, Rule.OVER_HOURS) == []


def test_more_than_48_hours_a_week_on_average_over_17_weeks_is_flagged(team, member, monday):
    # 17 weeks of 49 hours: a shift of 7 hours every day.
    for day in range(17 * 7):
        start = at(monday - timedelta(days=16 * 7) + timedelta(days=day), 8)
        factories.ShiftFactory(
            team=team, worker=member, start=start, end=start + timedelta(hours=7)
        )
    [problem] = problems(team, monday, Rule.AVERAGE_48)
    assert "averages 49 hours a week over 17 weeks" in problem.message


def test_48_hours_exactly_on_average_is_not_flagged(team, member, monday):
    for week in range(17):
        start = at(monday - timedelta(weeks=16 - week), 8)
        factories.ShiftFactory(
            team=team, worker=member, start=start, end=start + timedelta(hours=48)
        )
    assert problems(team, monday, Rule.AVERAGE_48) == []


def test_a_night_shift_over_the_october_change_counts_ten_hours(team, member):
    saturday = date(2025, 10, 25)
    factories.ShiftFactory(
        team=team, worker=member, start=at(saturday, 22), end=at(saturday + timedelta(days=1), 7)
    )
    state = rota_state(
        team=team,
        since=week_bounds(date(2025, 10, 20))[0],
        until=week_bounds(date(2025, 10, 20))[1],
    )
    assert state.week_hours(date(2025, 10, 20))[member.pk] == Decimal(10)


def test_a_night_shift_over_the_march_change_counts_eight_hours(team, member):
    saturday = date(2026, 3, 28)
    factories.ShiftFactory(
        team=team, worker=member, start=at(saturday, 22), end=at(saturday + timedelta(days=1), 7)
    )
    monday = date(2026, 3, 23)
    state = rota_state(team=team, since=week_bounds(monday)[0], until=week_bounds(monday)[1])
    assert state.week_hours(monday)[member.pk] == Decimal(8)


def seventeen_weeks(team, worker, monday, last_week_hours):
    """16 weeks of 48 hours (the first starting at 00:30 on its Monday), then `last_week_hours`
    of day work in the week of `monday`."""
    for week in range(16):
        start = at(monday - timedelta(weeks=16 - week), 0, 30)
        factories.ShiftFactory(
            team=team, worker=worker, start=start, end=start + timedelta(hours=48)
        )
    start = at(monday, 8)
    factories.ShiftFactory(
        team=team, worker=worker, start=start, end=start + timedelta(hours=last_week_hours)
    )


def test_the_48_hour_average_counts_the_hour_the_october_change_adds(team, member):
    # On the clock, 17 weeks of exactly 48 hours; the night shift over the change is really 10
    # hours, not the 9 its times say, so the average is over 48 and the week is 49 hours.
    monday = date(2025, 10, 20)
    seventeen_weeks(team, member, monday, 39)
    saturday = date(2025, 10, 25)
    night = factories.ShiftFactory(
        team=team, worker=member, start=at(saturday, 22), end=at(saturday + timedelta(days=1), 7)
    )
    # Rest after the night shift counts real hours too: 07:00 to 18:00 on Sunday is 11.
    factories.ShiftFactory(
        team=team,
        worker=member,
        start=night.end + timedelta(hours=11),
        end=night.end + timedelta(hours=12),
    )
    state = rota_state(team=team, since=week_bounds(monday)[0], until=week_bounds(monday)[1])
    assert state.week_hours(monday)[member.pk] == Decimal(50)
    [average] = [p for p in state.hours_problems() if p.rule == Rule.AVERAGE_48]
    assert "averages 48.12 hours a week over 17 weeks" in average.message
    assert [p for p in state.problems() if p.rule == Rule.REST] == []


def test_the_48_hour_average_leaves_out_the_hour_the_march_change_takes(team, member):
    # On the clock, 17 weeks and one hour over 48 a week; the night shift over the change is
    # really 8 hours, not 9, so the average is exactly 48 and not flagged.
    monday = date(2026, 3, 23)
    seventeen_weeks(team, member, monday, 40)
    saturday = date(2026, 3, 28)
    factories.ShiftFactory(
        team=team, worker=member, start=at(saturday, 22), end=at(saturday + timedelta(days=1), 7)
    )
    state = rota_state(team=team, since=week_bounds(monday)[0], until=week_bounds(monday)[1])
    assert state.week_hours(monday)[member.pk] == Decimal(48)
    assert state.reference_hours[member.pk] == Decimal(17 * 48)
    assert [p for p in state.hours_problems() if p.rule == Rule.AVERAGE_48] == []
