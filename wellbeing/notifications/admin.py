from django.contrib import admin, messages
from django.utils.html import format_html

from .models import OutboxEmail
from .services import email_retry_failed


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
        "body_text",
        "rendered_html",
    ]
    exclude = ["body_html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="HTML body")
    def rendered_html(self, obj: OutboxEmail):
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
