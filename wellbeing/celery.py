"""The Celery application: a Redis broker in production, in-process tasks by default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")

app = Celery("wellbeing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
