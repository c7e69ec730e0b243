"""Keeping the public application form from being used to send email to strangers.

The form emails whatever address is typed into it, so it is throttled in the shared cache
(wellbeing.throttle) per client, per email address and per round; a field people never see
catches form-filling robots; and a signed time stamp refuses a form sent quicker than anyone
could read it. A stamp that has outlived its day is a person who took their time: the form is
shown again, as they left it, with a new stamp.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from wellbeing.throttle import (
    FormShown,
    attempt_allowed,
    client_address,
    form_shown_again_stamp,
    form_shown_check,
    form_shown_stamp,
)

# (at most this many, in this many seconds); a deployment may set its own in settings.
APPLICATION_LIMITS = {
    "ip": [(5, 60 * 60), (20, 24 * 60 * 60)],
    "email": [(3, 24 * 60 * 60)],
    "round": [(100, 60 * 60)],
}
# Nobody reads the privacy notice and answers the questions this fast.
APPLICATION_MIN_SECONDS = 5
# How long the form's stamp lasts; an older one is stale, not refused.
APPLICATION_STAMP_MAX_AGE = 24 * 60 * 60
HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"


def application_allowed(*, request: HttpRequest, email: str, round_id: int) -> bool:
    """Count an application; False once its client, address or round is over a limit."""
    limits = getattr(settings, "RECRUITMENT_APPLICATION_LIMITS", APPLICATION_LIMITS)
    results = [
        attempt_allowed("application-ip", client_address(request), limits["ip"]),
        attempt_allowed("application-email", email.strip().lower(), limits["email"]),
        attempt_allowed("application-round", str(round_id), limits["round"]),
    ]
    return all(results)


def application_started(at: float | None = None) -> str:
    """The signed moment the form was shown, carried in a hidden field."""
    return form_shown_stamp("application", at)


def application_shown(stamp: str) -> FormShown:
    """How the form came back: in time, too quick, stale, or without a stamp of ours."""
    return form_shown_check(
        "application", stamp, min_seconds=_min_seconds(), max_age=APPLICATION_STAMP_MAX_AGE
    )


def application_shown_again() -> str:
    """The stamp for a form shown again after its stamp went stale."""
    return form_shown_again_stamp("application", min_seconds=_min_seconds())


def _min_seconds() -> int:
    return getattr(settings, "RECRUITMENT_APPLICATION_MIN_SECONDS", APPLICATION_MIN_SECONDS)


def honeypot_filled(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())
