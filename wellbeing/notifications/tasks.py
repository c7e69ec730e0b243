from celery import shared_task

from . import services


@shared_task(name="wellbeing.notifications.tasks.email_send_batch")
def email_send_batch_task(email_ids: list[str]) -> int:
    return len(services.email_send_batch(email_ids=email_ids))


# One email per task: the form tasks took before batches, still accepted from the broker.
@shared_task(name="wellbeing.notifications.tasks.email_send")
def email_send_task(email_id: str) -> bool:
    return services.email_send(email_id=email_id)


@shared_task(name="wellbeing.notifications.tasks.outbox_requeue")
def outbox_requeue() -> int:
    batches = services.outbox_due_batches()
    for email_ids in batches:
        email_send_batch_task.delay(email_ids)
    return sum(len(email_ids) for email_ids in batches)


@shared_task(name="wellbeing.notifications.tasks.outbox_purge_sent")
def outbox_purge_sent() -> int:
    return services.outbox_purge_sent()
