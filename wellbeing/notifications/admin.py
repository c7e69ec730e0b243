from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html

from .models import OutboxEmail
from .services import email_retry_failed

HIDDEN = "This email carries a private link, so its text is not shown here."


def _body_hidden(email: OutboxEmail) -> bool:
    """In production an email with a private link is never readable here, in any state: while
    pending or failed its link still works, and an admin could follow it as its recipient."""
    return email.sensitive and not settings.OUTBOX_KEEP_SENSITIVE_BODIES


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """Every email the product sent or owes, readable here — in the embedded default too."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "next_attempt_at"]
    list_filter = ["status"]
    search_fields = ["to", "subject", "idempotency_key"]
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [
        "id",
        "idempotency_key",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "claimed_at",
        "sent_at",
        "last_error",
        "created_at",
        "text_body",
        "rendered_html",
    ]
    exclude = ["body_text", "body_html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Text body")
    def text_body(self, obj: OutboxEmail) -> str:
        return HIDDEN if _body_hidden(obj) else obj.body_text

    @admin.display(description="HTML body")
    def rendered_html(self, obj: OutboxEmail):
        if _body_hidden(obj):
            return HIDDEN
        # Shown in a sandboxed frame so the email's own markup cannot act on the admin.
        return format_html(
            '<iframe sandbox="" srcdoc="{}" title="Email as sent" width="100%" height="480">'
            "</iframe>",
            obj.body_html,
        )

    @admin.action(description="Send the selected failed emails again")
    def retry(self, request, queryset):
        failed = queryset.filter(status=OutboxEmail.Status.FAILED)
        for email in failed:
            email_retry_failed(email_id=str(email.id))
        self.message_user(request, f"{failed.count()} email(s) queued again.", messages.SUCCESS)
