"""Reminders and invitations go out once each, checked at a real SMTP server with a real
Celery worker on Redis, even when the beat's tasks run twice (two beat processes, a retry)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from teams import tasks
from teams.checkins import services as checkin_services
from teams.models import Pulse, PulseStatement
from teams.pulse import services as pulse_services
from tests.factories import RoleAssignmentFactory, RoleFactory
from tests.services import wait_until
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import email_queue_rendered

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="The worker tests need PostgreSQL (set DATABASE_URL)",
)


def _all_sent() -> bool:
    return not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


def _flush(smtp_server, name: str) -> None:
    """Queue one more email and wait for it: every task queued before it has been handled."""
    with transaction.atomic():
        email_queue_rendered(
            to=f"{name}@example.org",
            subject="marker",
            body_text="marker",
            body_html="",
            idempotency_key=f"marker:{name}",
        )
    assert wait_until(lambda: smtp_server.to(f"{name}@example.org"), timeout=30)
    assert wait_until(_all_sent, timeout=30)


def _subjects(smtp_server, address: str) -> list[str]:
    return sorted(message["Subject"] for message in smtp_server.to(address))


@needs_postgresql
def test_with_the_worker_a_term_due_for_review_reaches_each_member_once(
    celery_worker, smtp_server, team, crew
):
    term = RoleAssignmentFactory(
        role=RoleFactory(team=team, name="Rota coordinator"),
        membership=crew[1].memberships.get(),
        review_on=timezone.localdate() + timedelta(days=3),
    )
    tasks.role_send_review_reminders.delay()
    tasks.role_send_review_reminders.delay()
    tasks.role_review_remind.delay(term.pk)
    _flush(smtp_server, "after-role-reviews")
    for person in crew:
        assert _subjects(smtp_server, person.email) == [
            "Northfield: time to review who holds Rota coordinator"
        ], person


@needs_postgresql
def test_with_the_worker_the_pulse_invitation_and_its_one_reminder_arrive_once_each(
    celery_worker, smtp_server, team, crew, settings
):
    settings.PULSE_REMINDER_AFTER_DAYS = 3
    tasks.pulse_open_due.delay()
    tasks.pulse_open_due.delay()
    _flush(smtp_server, "after-invitations")
    pulse = Pulse.objects.get(team=team)
    for person in crew:
        assert _subjects(smtp_server, person.email) == [
            "Northfield: how is the team doing? Two minutes, no names"
        ], person
    pulse_services.pulse_answer(
        pulse=pulse,
        user=crew[0],
        ratings={s.pk: 4 for s in PulseStatement.objects.filter(active=True)},
    )
    # Time passes: the reminder is due.
    Pulse.objects.filter(pk=pulse.pk).update(opened_at=timezone.now() - timedelta(days=4))
    tasks.pulse_send_reminders.delay()
    tasks.pulse_send_reminders.delay()
    tasks.pulse_remind.delay(pulse.pk)
    _flush(smtp_server, "after-reminders")
    # Everyone asked hears once more, answered or not: the outbox never shows who answered.
    for person in crew:
        subjects = _subjects(smtp_server, person.email)
        assert len(subjects) == 2, person
        assert subjects[0].startswith("A reminder: Northfield's pulse closes on")
        assert "/answer/" in smtp_server.to(person.email)[-1].as_string()


@needs_postgresql
def test_with_the_worker_the_coach_and_team_hear_once_before_a_check_in(
    celery_worker, smtp_server, team, crew, coach
):
    planned = checkin_services.checkin_plan(
        team=team, on=timezone.localdate() + timedelta(days=1), by=coach
    )
    tasks.checkin_send_reminders.delay()
    tasks.checkin_send_reminders.delay()
    tasks.checkin_remind.delay(planned.pk)
    _flush(smtp_server, "after-checkin-reminders")
    for person in [*crew, coach]:
        assert len(smtp_server.to(person.email)) == 1, person
    assert "check-in with the team" in smtp_server.to(coach.email)[0]["Subject"]
    assert "check-in with Cora Coach" in smtp_server.to(crew[0].email)[0]["Subject"]
