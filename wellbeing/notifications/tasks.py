from celery import shared_task
from django.conf import settings

from . import services


# Run in-process (no worker: the embedded default, and the tests) a task sends only the emails
# it names: the request that queued them is waiting for it and should not send anyone else's.
@shared_task(bind=True, name="wellbeing.notifications.tasks.email_send_batch")
def email_send_batch_task(self, email_ids: list[str]) -> int:
    sent = services.email_send_batch(email_ids=email_ids, take_others=not self.request.is_eager)
    return len(sent)


# One email per task: the form tasks took before batches, still accepted from the broker.
@shared_task(bind=True, name="wellbeing.notifications.tasks.email_send")
def email_send_task(self, email_id: str) -> bool:
    sent = services.email_send_batch(email_ids=[email_id], take_others=not self.request.is_eager)
    return email_id in sent


@shared_task(name="wellbeing.notifications.tasks.outbox_requeue")
def outbox_requeue() -> int:
    # Up to twenty batches a minute: a backlog left by a broker restart drains in minutes, and
    # a busy queue is not flooded with tasks whose emails are already on their way.
    batches = services.outbox_due_batches(limit=20 * settings.OUTBOX_BATCH_SIZE)
    for email_ids in batches:
        email_send_batch_task.delay(email_ids)
    return sum(len(email_ids) for email_ids in batches)


@shared_task(name="wellbeing.notifications.tasks.outbox_purge_sent")
def outbox_purge_sent() -> int:
    return services.outbox_purge_sent()
