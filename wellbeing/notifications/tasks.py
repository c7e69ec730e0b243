from celery import shared_task

from . import services


@shared_task(name="wellbeing.notifications.tasks.email_send")
def email_send_task(email_id: str) -> bool:
    return services.email_send(email_id=email_id)


@shared_task(name="wellbeing.notifications.tasks.outbox_requeue")
def outbox_requeue() -> int:
    due = services.outbox_due_ids()
    for email_id in due:
        email_send_task.delay(email_id)
    return len(due)


@shared_task(name="wellbeing.notifications.tasks.outbox_purge_sent")
def outbox_purge_sent() -> int:
    return services.outbox_purge_sent()
