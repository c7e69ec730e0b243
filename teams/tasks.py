"""The team's scheduled work: thin wrappers that the beat runs, each safe to run twice."""

from celery import shared_task

from .checkins import services as checkins
from .pulse import services as pulse
from .roles import services as roles


@shared_task(name="teams.tasks.role_send_review_reminders")
def role_send_review_reminders() -> int:
    return roles.role_send_review_reminders()


@shared_task(name="teams.tasks.role_review_remind")
def role_review_remind(assignment_id: int) -> bool:
    return roles.role_review_remind(assignment_id=assignment_id)


@shared_task(name="teams.tasks.checkin_send_reminders")
def checkin_send_reminders() -> int:
    return checkins.checkin_send_reminders()


@shared_task(name="teams.tasks.checkin_remind")
def checkin_remind(checkin_id: int) -> bool:
    return checkins.checkin_remind(checkin_id=checkin_id)


@shared_task(name="teams.tasks.pulse_open_due")
def pulse_open_due() -> int:
    return pulse.pulse_open_due()


@shared_task(name="teams.tasks.pulse_send_reminders")
def pulse_send_reminders() -> int:
    return pulse.pulse_send_reminders()


@shared_task(name="teams.tasks.pulse_remind")
def pulse_remind(pulse_id: int) -> bool:
    return pulse.pulse_remind(pulse_id=pulse_id)


@shared_task(name="teams.tasks.pulse_close_due")
def pulse_close_due() -> int:
    return pulse.pulse_close_due()
