"""The team's scheduled work: thin wrappers that the beat runs, each safe to run twice."""

from celery import shared_task

from .roles import services as roles


@shared_task(name="teams.tasks.role_send_review_reminders")
def role_send_review_reminders() -> int:
    return roles.role_send_review_reminders()


@shared_task(name="teams.tasks.role_review_remind")
def role_review_remind(assignment_id: int) -> bool:
    return roles.role_review_remind(assignment_id=assignment_id)
