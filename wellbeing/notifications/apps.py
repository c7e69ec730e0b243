from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "wellbeing.notifications"
    label = "notifications"
    verbose_name = "Email outbox"
