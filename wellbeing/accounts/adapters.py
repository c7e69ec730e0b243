from __future__ import annotations

import uuid

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from wellbeing.notifications.services import email_queue_rendered


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are by invitation only, and allauth's emails go through our outbox."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "email": email}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                body
                for body, mimetype in getattr(message, "alternatives", [])
                if mimetype == "text/html"
            ),
            "",
        )
        # allauth's emails (password reset, verification) are each a fresh event.
        email_queue_rendered(
            to=email,
            subject=message.subject,
            body_text=message.body,
            body_html=html,
            idempotency_key=f"account:{template_prefix}:{uuid.uuid4()}",
        )
