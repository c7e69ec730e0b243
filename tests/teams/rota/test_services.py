"""Writing the rota: visits, recording them, patterns, publishing, time off, and who is told."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teams.models import RotaSettings, Skill, TimeOff, Visit, VisitAssignment, VisitPattern
from teams.rota import services
from teams.rota.clock import week_start
from teams.rota.services import RotaConflict, RotaError
from tests import factories
from tests.teams.rota.conftest import at, visit_at
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def emails_to(user):
    return list(OutboxEmail.objects.filter(to=user.email).order_by("created_at"))


# --- visits ----------------------------------------------------------------------------------


def test_a_visit_must_end_after_it_starts(team, person, member, monday):
    with pytest.raises(RotaError, match="end must be after"):
        services.visit_create(
            team=team, person=person, start=at(monday, 9), end=at(monday, 8), care="x", by=member
        )


def test_a_visit_is_for_someone_the_team_supports(team, member, other_person, monday):
    with pytest.raises(RotaError, match="not supported by this team"):
        services.visit_create(
            team=team,
            person=other_person,
            start=at(monday, 8),
            end=at(monday, 9),
            care="x",
            by=member,
        )


def test_a_visit_added_to_a_published_week_is_published(team, person, member, monday):
    services.week_publish(team=team, monday=monday, by=member)
    visit = services.visit_create(
        team=team, person=person, start=at(monday, 8), end=at(monday, 9), care="x", by=member
    )
    assert visit.is_published


def test_putting_a_worker_on_a_visit_refuses_a_rule_with_the_reason(team, person, member, monday):
    hoist = Skill.objects.create(name="Hoist")
    visit = visit_at(person, monday, 8)
    visit.skills.add(hoist)
    with pytest.raises(RotaError, match="does not have the skills this visit needs: Hoist"):
        services.visit_assign(visit=visit, worker=member, by=member)
    assert not visit.assignments.exists()


def test_putting_a_worker_on_two_overlapping_visits_is_refused(team, person, member, monday):
    visit_at(person, monday, 8, 60, assigned=[member])
    second = visit_at(factories.PersonFactory(team=team), monday, 8, 30, minute=30)
    with pytest.raises(RotaError, match="already on Peggy at 8am"):
        services.visit_assign(visit=second, worker=member, by=member)


def test_a_visit_cannot_get_more_workers_than_it_needs(team, person, member, colleague, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    with pytest.raises(RotaError, match="already has all the workers"):
        services.visit_assign(visit=visit, worker=colleague, by=member)


def test_changing_a_published_visit_needs_a_reason_and_tells_its_workers(
    team, person, member, colleague, monday, published
):
    visit = visit_at(person, monday, 8, assigned=[member], published_at=published)
    with pytest.raises(RotaError, match="Say why"):
        services.visit_update(visit=visit, by=colleague, start=at(monday, 9), end=at(monday, 10))
    services.visit_update(
        visit=visit,
        by=colleague,
        start=at(monday, 9),
        end=at(monday, 10),
        reason="Peggy has a hospital appointment at 8",
    )
    [email] = emails_to(member)
    assert "Peggy has a hospital appointment at 8" in email.body_text
    assert "9am to 10am" in email.body_text
    assert VisitAssignment.objects.get(visit=visit).start == at(monday, 9)


def test_changing_a_draft_visit_tells_nobody(team, person, member, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    services.visit_update(visit=visit, by=member, start=at(monday, 9), end=at(monday, 10))
    assert emails_to(member) == []


def test_cancelling_a_published_visit_tells_its_workers_why(
    team, person, member, colleague, monday, published
):
    visit = visit_at(person, monday, 8, assigned=[member], published_at=published)
    services.visit_cancel(visit=visit, by=colleague, reason="Peggy is staying with her daughter")
    visit.refresh_from_db()
    assert visit.status == Visit.Status.CANCELLED
    [email] = emails_to(member)
    assert "staying with her daughter" in email.body_text


def test_taking_a_worker_off_a_published_visit_tells_them(
    team, person, member, colleague, monday, published
):
    visit = visit_at(person, monday, 8, assigned=[member], published_at=published)
    with pytest.raises(RotaError, match="Say why"):
        services.visit_unassign(visit=visit, worker=member, by=colleague)
    services.visit_unassign(visit=visit, worker=member, by=colleague, reason="Too far to walk")
    assert "You are no longer on this visit" in emails_to(member)[0].body_text


def test_moving_a_visit_onto_another_of_its_workers_visits_is_refused(team, person, member, monday):
    visit_at(person, monday, 10, 60, assigned=[member])
    visit = visit_at(factories.PersonFactory(team=team), monday, 8, assigned=[member])
    with pytest.raises(RotaError, match="already on"):
        services.visit_update(visit=visit, by=member, start=at(monday, 10), end=at(monday, 11))
    visit.refresh_from_db()
    assert visit.start == at(monday, 8)


# --- recording visits ------------------------------------------------------------------------


def test_a_worker_marks_their_visit_done_with_the_real_times(team, person, member):
    start = timezone.now() - timedelta(hours=2)
    visit = factories.VisitFactory(
        person=person, start=start, end=start + timedelta(minutes=45), assigned=[member]
    )
    services.visit_record(
        visit=visit,
        by=member,
        done=True,
        actual_start=start + timedelta(minutes=10),
        actual_end=start + timedelta(minutes=70),
    )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE
    assert visit.actual_end - visit.actual_start == timedelta(hours=1)


def test_a_missed_visit_needs_a_reason(team, person, member):
    start = timezone.now() - timedelta(hours=2)
    visit = factories.VisitFactory(person=person, start=start, assigned=[member])
    with pytest.raises(RotaError, match="why the visit was missed"):
        services.visit_record(visit=visit, by=member, done=False)
    services.visit_record(visit=visit, by=member, done=False, reason="No answer at the door")
    visit.refresh_from_db()
    assert (visit.status, visit.reason) == (Visit.Status.MISSED, "No answer at the door")


def test_a_visit_still_to_come_cannot_be_marked_done(team, person, member, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    with pytest.raises(RotaError, match="once it has started"):
        services.visit_record(visit=visit, by=member, done=True)


def test_only_the_workers_on_a_visit_or_its_planners_record_it(team, person, member):
    settings_row = RotaSettings.objects.create(team=team)
    coordinator = factories.MembershipFactory(team=team).user
    settings_row.coordinators.add(coordinator)
    bystander = factories.MembershipFactory(team=team).user
    start = timezone.now() - timedelta(hours=1)
    visit = factories.VisitFactory(person=person, start=start, assigned=[member])
    with pytest.raises(PermissionDenied):
        services.visit_record(visit=visit, by=bystander, done=True)
    services.visit_record(visit=visit, by=coordinator, done=True)


# --- who plans ------------------------------------------------------------------------------


def test_every_member_plans_unless_the_team_names_coordinators(
    team, person, member, colleague, monday
):
    services.week_publish(team=team, monday=monday, by=member)
    settings_row = RotaSettings.objects.create(team=team)
    settings_row.coordinators.add(colleague)
    with pytest.raises(PermissionDenied, match="rota coordinators"):
        services.week_publish(team=team, monday=monday + timedelta(days=7), by=member)
    services.week_publish(team=team, monday=monday + timedelta(days=7), by=colleague)


# --- patterns --------------------------------------------------------------------------------


def make_pattern(person, member, **extra):
    defaults = {
        "weekdays": "12345",
        "starts_at": time(8),
        "ends_at": time(8, 45),
        "care": "Breakfast",
        "valid_from": timezone.localdate() - timedelta(days=30),
    }
    return services.pattern_create(person=person, by=member, **{**defaults, **extra})


def test_generating_from_a_pattern_makes_its_visits_in_bulk(
    team, person, member, monday, django_assert_max_num_queries
):
    make_pattern(person, member, workers_needed=2)
    make_pattern(
        factories.PersonFactory(team=team),
        member,
        weekdays="67",
        starts_at=time(20),
        ends_at=time(7),
    )
    with django_assert_max_num_queries(16):
        created = services.visits_generate(
            team=team, first_day=monday, last_day=monday + timedelta(days=27), by=member
        )
    assert len(created) == 4 * 5 + 4 * 2
    night = Visit.objects.filter(start__gte=at(monday + timedelta(days=5), 19)).first()
    assert night.end - night.start == timedelta(hours=11)
    assert Visit.objects.filter(workers_needed=2).count() == 20


def test_generating_again_over_the_same_days_makes_nothing_twice(team, person, member, monday):
    make_pattern(person, member)
    services.visits_generate(
        team=team, first_day=monday, last_day=monday + timedelta(days=6), by=member
    )
    again = services.visits_generate(
        team=team, first_day=monday, last_day=monday + timedelta(days=13), by=member
    )
    assert len(again) == 5
    assert Visit.objects.count() == 10


def test_pattern_visits_keep_their_wall_clock_time_across_the_clock_change(team, person, member):
    from datetime import date

    make_pattern(person, member, weekdays="1234567", valid_from=date(2025, 10, 20))
    services.visits_generate(
        team=team, first_day=date(2025, 10, 25), last_day=date(2025, 10, 26), by=member
    )
    saturday, sunday = Visit.objects.order_by("start")
    assert timezone.localtime(saturday.start).hour == timezone.localtime(sunday.start).hour == 8
    assert sunday.start - saturday.start == timedelta(hours=25)


def test_changing_a_pattern_changes_future_visits_only(team, person, member, published):
    pattern = make_pattern(person, member, weekdays="1234567")
    today = timezone.localdate()
    services.visits_generate(
        team=team,
        first_day=today - timedelta(days=3),
        last_day=today + timedelta(days=3),
        by=member,
    )
    Visit.objects.filter(start__gt=timezone.now()).update(published_at=published)
    future = Visit.objects.filter(start__gt=timezone.now()).order_by("start").first()
    VisitAssignment.objects.create(
        visit=future, worker=member, team=team, start=future.start, end=future.end
    )
    past_starts = list(
        Visit.objects.filter(start__lt=timezone.now()).values_list("start", flat=True)
    )
    services.pattern_update(pattern=pattern, by=member, starts_at=time(9), ends_at=time(9, 30))
    assert (
        list(Visit.objects.filter(start__lt=timezone.now()).values_list("start", flat=True))
        == past_starts
    )
    for visit in Visit.objects.filter(start__gt=timezone.now()):
        assert timezone.localtime(visit.start).time() == time(9)
    assert VisitAssignment.objects.get(visit=future).start == at(
        timezone.localtime(future.start).date(), 9
    )
    assert "The regular visit changed" in emails_to(member)[0].body_text


def test_dropping_a_day_from_a_pattern_removes_its_future_draft_visits(team, person, member):
    pattern = make_pattern(person, member, weekdays="1234567")
    today = timezone.localdate()
    services.visits_generate(
        team=team,
        first_day=today + timedelta(days=1),
        last_day=today + timedelta(days=7),
        by=member,
    )
    dropped = str((today + timedelta(days=1)).isoweekday())
    services.pattern_update(
        pattern=pattern, by=member, weekdays=pattern.weekdays.replace(dropped, "")
    )
    assert Visit.objects.count() == 6
    assert VisitPattern.objects.get().weekdays == "1234567".replace(dropped, "")


def test_a_day_added_to_a_pattern_gets_visits_in_the_weeks_already_made(team, person, member):
    today = timezone.localdate()
    kept = str((today + timedelta(days=1)).isoweekday())
    pattern = make_pattern(person, member, weekdays=kept)
    services.visits_generate(
        team=team,
        first_day=today - timedelta(days=7),
        last_day=today + timedelta(days=14),
        by=member,
    )
    past = list(Visit.objects.filter(start__lt=timezone.now()).values_list("pk", "start"))
    made = Visit.objects.count()
    added = today + timedelta(days=2)
    services.pattern_update(pattern=pattern, by=member, weekdays=kept + str(added.isoweekday()))
    # Up to the end of the week of its last visit (8 days on); the days gone by stay as they were.
    last_week_end = week_start(today + timedelta(days=8)) + timedelta(days=6)
    expected = [
        d
        for d in (added, added + timedelta(days=7), added + timedelta(days=14))
        if d <= last_week_end
    ]
    assert (
        sorted(
            timezone.localtime(v.start).date()
            for v in Visit.objects.all()
            if timezone.localtime(v.start).isoweekday() == added.isoweekday()
        )
        == expected
    )
    assert Visit.objects.count() == made + len(expected)
    assert list(Visit.objects.filter(start__lt=timezone.now()).values_list("pk", "start")) == past


# --- publishing -------------------------------------------------------------------------------


def test_publishing_a_week_sends_each_member_their_week_once(
    team, person, member, colleague, monday
):
    visit_at(person, monday, 8, assigned=[member])
    visit_at(person, monday + timedelta(days=7), 8, assigned=[member])
    services.week_publish(team=team, monday=monday, by=member)
    [mine] = emails_to(member)
    [theirs] = emails_to(colleague)
    assert "Peggy" in mine.body_text
    assert "no visits or shifts" in theirs.body_text
    assert mine.idempotency_key.startswith("rota-week-published:")
    assert Visit.objects.filter(published_at__isnull=False).count() == 1
    with pytest.raises(RotaConflict, match="already published"):
        services.week_publish(team=team, monday=monday, by=member)
    assert len(emails_to(member)) == 1


def test_publishing_a_whole_teams_week_queues_its_emails_in_one_insert(team, member, monday):
    factories.MembershipFactory.create_batch(11, team=team)
    with CaptureQueriesContext(connection) as queries:
        services.week_publish(team=team, monday=monday, by=member)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "notifications_outboxemail"')]
    assert len(inserts) == 1
    assert OutboxEmail.objects.filter(
        idempotency_key__startswith="rota-week-published:"
    ).count() == (12)


def test_a_week_starts_on_a_monday(team, member, monday):
    with pytest.raises(RotaError, match="Monday"):
        services.week_publish(team=team, monday=monday + timedelta(days=1), by=member)


# --- people's time ------------------------------------------------------------------------------


def test_time_off_takes_the_worker_off_their_visits_and_flags_them(
    team, person, member, colleague, monday, published
):
    during = visit_at(
        person, monday + timedelta(days=1), 8, assigned=[member], published_at=published
    )
    before = visit_at(person, monday, 8, assigned=[member])
    services.time_off_add(
        team=team,
        worker=member,
        kind=TimeOff.Kind.HOLIDAY,
        first_day=monday + timedelta(days=1),
        last_day=monday + timedelta(days=3),
        by=member,
    )
    during.refresh_from_db()
    assert not during.assignments.exists()
    assert during.reason == "Mina is on holiday."
    assert before.assignments.filter(worker=member).exists()
    assert "Peggy" in emails_to(member)[0].body_text


def test_availability_is_replaced_as_a_whole(team, member):
    membership = member.memberships.get()
    services.availability_set(membership=membership, windows=[(1, time(8), time(12))], by=member)
    services.availability_set(
        membership=membership, windows=[(2, time(9), time(17)), (3, time(22), time(6))], by=member
    )
    assert sorted(membership.availability.values_list("weekday", flat=True)) == [2, 3]


def test_a_member_sets_only_their_own_availability_unless_they_plan(team, member, colleague):
    settings_row = RotaSettings.objects.create(team=team)
    settings_row.coordinators.add(colleague)
    with pytest.raises(PermissionDenied):
        services.availability_set(
            membership=colleague.memberships.get(), windows=[(1, time(8), time(9))], by=member
        )


def test_the_nightly_task_makes_regular_visits_ahead_and_is_safe_to_run_twice(
    team, person, member, settings
):
    from teams.rota.tasks import visits_generate_ahead

    settings.ROTA_GENERATE_AHEAD_DAYS = 13
    make_pattern(person, member, weekdays="1234567")
    assert visits_generate_ahead() == 14
    assert visits_generate_ahead() == 0
    assert Visit.objects.count() == 14
