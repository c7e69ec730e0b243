"""What accounts does when allauth's MFA changes: allauth tells us only through its signals."""

from __future__ import annotations

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator

from .services import api_tokens_revoke_all


def authenticator_added(*, request, user, authenticator: Authenticator, **kwargs) -> None:
    """Typing a right code to set up an app proves the second step as well as signing in with it
    does. Recorded, the recovery codes that follow are shown without asking for the password
    again, and API tokens can be made straight away."""
    if authenticator.type == Authenticator.Type.TOTP and request is not None:
        record_authentication(
            request,
            user,
            method="mfa",
            type=authenticator.type,
            id=authenticator.pk,
            reauthenticated=True,
        )


def authenticator_removed(*, user, authenticator: Authenticator, **kwargs) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        api_tokens_revoke_all(user=user)
