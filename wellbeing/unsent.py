"""What someone typed survives being signed out while they typed it.

A care worker writes a long note, puts the phone down, and their session ends before they press
Save: the form's request arrives signed out and is sent to sign in, and without this the note
is gone. The page's script keeps a copy of each form it sends in the tab's own storage (never
on the server). When a form arrives signed out, this remembers its address in the session and
says so on the sign-in page; once signed in and back at that address, the page is marked so the
script fills the form in again, and the person is told to check it and send it again. On any
other page the script throws its copies away, so nothing typed outlives its purpose.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.crypto import salted_hmac

SESSION_KEY = "unsent_form"
API_PREFIX = "/api/"


class UnsentFormMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.unsent_form_restore = request.unsent_form_waiting = False
        session = getattr(request, "session", None)
        # Only a browser with a session can have a form waiting; asking anyone else's would
        # make every public page vary by cookie.
        if session is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            request.unsent_form_waiting = bool(session.get(SESSION_KEY))
        if (
            request.unsent_form_waiting
            and request.method == "GET"
            and request.user.is_authenticated
            and session.get(SESSION_KEY) == request.path
        ):
            del session[SESSION_KEY]
            request.unsent_form_restore = True
            request.unsent_form_waiting = False
            messages.info(
                request,
                "You were signed out before this was sent, so it was not saved. "
                "Check the form, then send it again.",
            )
        response = self.get_response(request)
        if self._sent_signed_out(request, response):
            session[SESSION_KEY] = request.path
            messages.warning(
                request,
                "You were signed out, so what you sent was not saved. Sign in, and the form "
                "will be filled in again as you left it.",
            )
        return response

    @staticmethod
    def _sent_signed_out(request: HttpRequest, response: HttpResponse) -> bool:
        return (
            request.method == "POST"
            and not request.path.startswith(API_PREFIX)
            and getattr(request, "session", None) is not None
            and not request.user.is_authenticated
            and response.status_code == 302
            and response.get("Location", "").startswith(resolve_url(settings.LOGIN_URL) + "?")
        )


def unsent_form(request: HttpRequest) -> dict:
    """For the layout: whether to fill a form in again here, or to keep the copies for later,
    and whose copies these may be. A copy is filled in only for the person who typed it, so
    on a shared phone nobody else who signs in sees it."""
    user = getattr(request, "user", None)
    owner = (
        salted_hmac("unsent-form", str(user.pk)).hexdigest()[:20]
        if user is not None and user.is_authenticated
        else ""
    )
    return {
        "unsent_form_restore": getattr(request, "unsent_form_restore", False),
        "unsent_form_waiting": getattr(request, "unsent_form_waiting", False),
        "unsent_form_owner": owner,
    }
