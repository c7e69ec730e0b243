from celery import shared_task

from .services import retention, survey


@shared_task(name="recruitment.tasks.survey_send_reminders")
def survey_send_reminders() -> int:
    return survey.survey_send_reminders()


@shared_task(name="recruitment.tasks.recruitment_erase_expired")
def recruitment_erase_expired() -> int:
    return retention.recruitment_erase_expired()
