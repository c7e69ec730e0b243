from __future__ import annotations

import time
import uuid

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from wellbeing.notifications.services import email_queue_rendered

from .services import user_has_mfa


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are by invitation only, and allauth's emails go through our outbox."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        # Someone paused here needs to know it will pass, and what to do meanwhile.
        "too_many_login_attempts": (
            "There have been too many wrong tries, so signing in to this account is paused "
            f"for {settings.LOGIN_PAUSE_MINUTES} minutes. Wait, then try again. If you have "
            "forgotten your password, reset it: that lifts the pause. If the tries were not "
            "yours, tell an organisation admin once you are in."
        ),
        "rate_limited": "Too many tries in a short time. Wait a few minutes, then try again.",
    }

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        """Don't ask for the password again to set up a first authenticator just after it was
        given: coaches are sent straight from signing in to that set-up, and a second password
        prompt there reads as a fault. Changing an existing second factor still asks."""
        required = super().is_reauthentication_required(app=app, **kwargs)
        request = context.request
        if not (required and app == "allauth.mfa" and request is not None):
            return required
        user = request.user
        if not user.is_authenticated or user_has_mfa(user):
            return required
        timeout = account_settings.REAUTHENTICATION_TIMEOUT
        recent = [
            record
            for record in get_authentication_records(request, user)
            if time.time() - record.get("at", 0) < timeout
        ]
        return not recent

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def add_message(self, request, level, message_template=None, *args, **kwargs) -> None:
        # Landing on your own page says you are signed in; a banner saying so only pushes
        # the page down on a phone.
        if message_template and message_template.endswith("logged_in.txt"):
            return
        # Turning on two-step sign-in makes recovery codes as a matter of course, and the page
        # that follows shows them: one "Done" says so, not two.
        if (
            message_template == "mfa/messages/recovery_codes_generated.txt"
            and request.path == reverse("mfa_activate_totp")
        ):
            return
        super().add_message(request, level, message_template, *args, **kwargs)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {**context, "email": email, "organisation_name": settings.ORGANISATION_NAME}
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
            sensitive=True,
        )
