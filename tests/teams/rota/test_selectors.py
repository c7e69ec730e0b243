"""The two reads the outcomes app builds on: hours delivered per person, and who is coming."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from teams.models import Visit
from teams.rota.clock import local_instant
from teams.rota.selectors import hours_delivered, person_week
from tests import factories

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time as the instant the database stores."""
    return local_instant(day, datetime.min.time().replace(hour=hour, minute=minute))


def done_visit(person, start, minutes=60, workers=(), **extra):
    return factories.VisitFactory(
        person=person,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=Visit.Status.DONE,
        assigned=list(workers),
        **extra,
    )


def test_hours_delivered_counts_done_visits_in_the_period(person, member):
    done_visit(person, at(MONDAY, 8), 45, [member])
    done_visit(person, at(MONDAY + timedelta(days=1), 8), 30, [member])
    hours = hours_delivered(person_ids=[person.pk], start=MONDAY, end=MONDAY + timedelta(days=7))
    assert hours == {person.pk: Decimal("1.25")}


def test_hours_delivered_leaves_out_planned_missed_and_cancelled_visits(person, member):
    for status in [Visit.Status.PLANNED, Visit.Status.MISSED, Visit.Status.CANCELLED]:
        factories.VisitFactory(person=person, start=at(MONDAY, 8), status=status, assigned=[member])
    done_visit(person, at(MONDAY, 12), 60, [member])
    hours = hours_delivered(person_ids=[person.pk], start=MONDAY, end=MONDAY + timedelta(days=1))
    assert hours == {person.pk: Decimal("1.00")}


def test_hours_delivered_uses_the_actual_times_when_recorded(person, member):
    start = at(MONDAY, 8)
    done_visit(
        person,
        start,
        45,
        [member],
        actual_start=start + timedelta(minutes=5),
        actual_end=start + timedelta(minutes=65),
    )
    hours = hours_delivered(person_ids=[person.pk], start=MONDAY, end=MONDAY + timedelta(days=1))
    assert hours == {person.pk: Decimal("1.00")}


def test_hours_delivered_counts_each_worker_on_a_two_worker_visit(person, member, team):
    colleague = factories.MembershipFactory(team=team).user
    done_visit(person, at(MONDAY, 8), 30, [member, colleague], workers_needed=2)
    hours = hours_delivered(person_ids=[person.pk], start=MONDAY, end=MONDAY + timedelta(days=1))
    assert hours == {person.pk: Decimal("1.00")}


def test_hours_delivered_cuts_the_period_at_london_midnight_not_utc(person, member):
    # 00:30 BST on 1 June is 23:30 UTC on 31 May: it belongs to June in London.
    june = date(2026, 6, 1)
    done_visit(person, at(june, 0, 30), 60, [member])
    assert hours_delivered(person_ids=[person.pk], start=june, end=date(2026, 7, 1)) == {
        person.pk: Decimal("1.00")
    }
    assert hours_delivered(person_ids=[person.pk], start=date(2026, 5, 1), end=june) == {}


def test_hours_delivered_answers_for_each_person_asked_about_only(person, member, team):
    other = factories.PersonFactory(team=team)
    not_asked = factories.PersonFactory(team=team)
    done_visit(person, at(MONDAY, 8), 60, [member])
    done_visit(other, at(MONDAY, 10), 90, [member])
    done_visit(not_asked, at(MONDAY, 12), 60, [member])
    hours = hours_delivered(
        person_ids=[person.pk, other.pk], start=MONDAY, end=MONDAY + timedelta(days=1)
    )
    assert hours == {person.pk: Decimal("1.00"), other.pk: Decimal("1.50")}


def test_hours_delivered_over_the_october_clock_change_counts_the_extra_hour(person, member):
    # 22:00 Saturday to 07:00 Sunday across the change from BST to GMT is ten hours.
    saturday = date(2025, 10, 25)
    start = at(saturday, 22)
    factories.VisitFactory(
        person=person,
        start=start,
        end=at(saturday + timedelta(days=1), 7),
        status=Visit.Status.DONE,
        assigned=[member],
    )
    hours = hours_delivered(person_ids=[person.pk], start=saturday, end=date(2025, 10, 27))
    assert hours == {person.pk: Decimal("10.00")}


def test_hours_delivered_runs_one_query(person, member, django_assert_num_queries):
    done_visit(person, at(MONDAY, 8), 60, [member])
    people = [person.pk] + [factories.PersonFactory(team=person.team).pk for _ in range(5)]
    with django_assert_num_queries(1):
        hours_delivered(person_ids=people, start=MONDAY, end=MONDAY + timedelta(days=7))


def test_person_week_lists_published_visits_with_who_is_coming(person, member, team):
    colleague = factories.MembershipFactory(team=team, user__display_name="Ada Able").user
    published = timezone.now()
    first = factories.VisitFactory(
        person=person, start=at(MONDAY, 8), assigned=[member, colleague], published_at=published
    )
    second = factories.VisitFactory(
        person=person, start=at(MONDAY + timedelta(days=6), 20), published_at=published
    )
    visits = person_week(person=person, week_start=MONDAY)
    assert visits == [first, second]
    assert [worker.display_name for worker in visits[0].workers.all()] == [
        "Ada Able",
        "Mina Member",
    ]
    assert list(visits[1].workers.all()) == []


def test_person_week_leaves_out_drafts_cancelled_visits_other_weeks_and_other_people(
    person, member, team
):
    published = timezone.now()
    factories.VisitFactory(person=person, start=at(MONDAY, 8))  # draft
    factories.VisitFactory(
        person=person, start=at(MONDAY, 12), published_at=published, status=Visit.Status.CANCELLED
    )
    factories.VisitFactory(
        person=person, start=at(MONDAY + timedelta(days=7), 8), published_at=published
    )
    factories.VisitFactory(
        person=person, start=at(MONDAY - timedelta(days=1), 23), published_at=published
    )
    factories.VisitFactory(
        person=factories.PersonFactory(team=team), start=at(MONDAY, 8), published_at=published
    )
    assert person_week(person=person, week_start=MONDAY) == []


def test_person_week_runs_two_queries_however_many_visits(person, team, django_assert_num_queries):
    published = datetime(2026, 3, 1, tzinfo=UTC)
    workers = [factories.MembershipFactory(team=team).user for _ in range(3)]
    for day in range(7):
        for hour in (8, 12, 17):
            factories.VisitFactory(
                person=person,
                start=at(MONDAY + timedelta(days=day), hour),
                published_at=published,
                assigned=workers[:2],
            )
    with django_assert_num_queries(2):
        visits = person_week(person=person, week_start=MONDAY)
        assert sum(len(visit.workers.all()) for visit in visits) == 42
