from celery import shared_task

from . import services


@shared_task(name="blog.tasks.posts_publish_due_task")
def posts_publish_due_task() -> int:
    """Every minute: scheduled posts whose time has come go live."""
    return len(services.posts_publish_due())


@shared_task(name="blog.tasks.comments_purge_rejected_task")
def comments_purge_rejected_task() -> int:
    return services.comments_purge_rejected()
