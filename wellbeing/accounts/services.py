"""Account writes: invitations, their acceptance, API tokens, and the MFA policy."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils import timezone

from wellbeing.errors import DomainError
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue

from . import registry
from .models import ApiToken, Invitation, Organisation, User, hash_token, new_token

# A token announces what it is, so secret scanners and people reading a config file know it.
API_TOKEN_PREFIX = "wb_"  # noqa: S105 - a label, not a secret
# Recording every use would write on every API request; to the nearest few minutes is enough.
API_TOKEN_USE_RECORDED_EVERY = timedelta(minutes=10)


class InvitationError(DomainError):
    """A reason, readable by the person holding the link, why an invitation cannot be used."""


def user_requires_mfa(user: User) -> bool:
    """Admins and coaches reach personal data across teams, so they must use a second factor.

    Asked on every request, so every registered check is answered in a single query, and the
    answer is kept on the user object for the rest of the request.
    """
    if not user.is_authenticated:
        return False
    if user.is_org_admin:
        return True
    if not hasattr(user, "_requires_mfa"):
        checks = {
            f"c{i}": Exists(check(user)) for i, check in enumerate(registry.mfa_required_checks)
        }
        row = User.objects.filter(pk=user.pk).annotate(**checks).values(*checks).first() or {}
        user._requires_mfa = any(row.values())
    return user._requires_mfa


def user_has_mfa(user: User) -> bool:
    if not hasattr(user, "_has_mfa"):
        user._has_mfa = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).exists()
    return user._has_mfa


def session_passed_second_step(request: HttpRequest) -> bool:
    """Whether this session's user gave an authenticator code: at sign-in, or by setting one up
    (wellbeing.accounts.signals records that as a second step too)."""
    user = request.user
    if not user.is_authenticated or not user_has_mfa(user):
        return False
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def invitation_describe(invitation: Invitation) -> list[str]:
    grants = ["an organisation admin"] if invitation.make_admin else []
    for describe in registry.invitation_describers:
        grants.extend(describe(invitation))
    return grants


@transaction.atomic
def invitation_create(
    *, email: str, display_name: str, invited_by: User | None, make_admin: bool = False
) -> tuple[Invitation, str]:
    """Create an invitation and return it with its token, which exists only in the email."""
    email = email.strip().lower()
    # A closed account (someone who left, a relative whose access ended) can be invited back.
    if User.objects.filter(email__iexact=email, is_active=True).exists():
        raise InvitationError(f"{email} already has an account.")
    # A new invitation replaces any earlier one still open for the same address.
    Invitation.objects.pending().filter(email__iexact=email).update(revoked_at=timezone.now())
    token = new_token()
    invitation = Invitation.objects.create(
        email=email,
        display_name=display_name.strip(),
        make_admin=make_admin,
        invited_by=invited_by,
        token_hash=hash_token(token),
        expires_at=timezone.now() + settings.INVITATION_VALID_FOR,
    )
    return invitation, token


def invitation_send(*, invitation: Invitation, token: str) -> None:
    """Queue the invitation email; call after any extra grants have been recorded."""
    email_queue(
        to=invitation.email,
        template="invitation",
        context={
            "invitation": invitation,
            "organisation": Organisation.current(),
            "grants": invitation_describe(invitation),
            "accept_url": absolute_reverse("invitation_accept", args=[token]),
        },
        idempotency_key=f"invitation:{invitation.pk}",
        sensitive=True,
    )


def invitation_for_token(token: str, *, lock: bool = False) -> Invitation:
    """The usable invitation behind a link, or an InvitationError saying kindly why not."""
    queryset = Invitation.objects.select_for_update() if lock else Invitation.objects
    invitation = queryset.filter(token_hash=hash_token(token)).first()
    if invitation is None:
        raise InvitationError(
            "This invitation link is not valid. Check that you used the whole link from the "
            "email, or ask whoever invited you to send a new one."
        )
    if invitation.status == "accepted":
        raise InvitationError(
            "This invitation has already been used. If it was you, sign in with your email "
            "address and password."
        )
    if invitation.status == "revoked":
        raise InvitationError(
            "This invitation was replaced by a newer one. Use the link in the latest email."
        )
    if invitation.status == "expired":
        raise InvitationError(
            "This invitation has expired. Ask whoever invited you to send a new one."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, display_name: str, password: str) -> User:
    """Create the account an invitation offers, or open again a closed one at its address.
    The link works exactly once."""
    invitation = invitation_for_token(token, lock=True)
    closed = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
    if closed is not None and closed.is_active:
        raise InvitationError(f"{invitation.email} already has an account. Sign in instead.")
    user = closed or User(email=invitation.email)
    user.display_name = display_name.strip() or invitation.display_name
    # What the account may do is what this invitation offers, never what it once could.
    user.is_staff = user.is_superuser = invitation.make_admin
    user.is_active = True
    validate_password(password, user)
    user.set_password(password)
    user.save()
    if closed is not None:
        # A new password, so a new second step too: whoever held the old one cannot use it.
        Authenticator.objects.filter(user=user).delete()
    # Following the emailed link proves the address is theirs.
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    for hook in registry.invitation_accepted_hooks:
        hook(invitation, user)
    return user


def invitation_revoke(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class ApiTokenError(Exception):
    """Why a token cannot be made, in words for the person asking."""


@transaction.atomic
def api_token_create(*, user: User, name: str, passed_second_step: bool) -> tuple[ApiToken, str]:
    """Make a token for `user` and return it with its key, which is shown once and kept nowhere.

    A request with the token skips the second step, so only someone who has just given theirs
    may make one.
    """
    if not passed_second_step:
        raise ApiTokenError(
            "Turn on two-step sign-in, and sign in with it, before making an API token."
        )
    key = API_TOKEN_PREFIX + new_token()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        key_hash=hash_token(key),
        expires_at=timezone.now() + settings.API_TOKEN_VALID_FOR,
    )
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())


def api_tokens_revoke_all(*, user: User) -> int:
    """Called when someone turns two-step sign-in off: tokens were made on its strength."""
    return ApiToken.objects.usable().filter(user_id=user.pk).update(revoked_at=timezone.now())


def api_token_authenticate(*, key: str) -> ApiToken | None:
    """The usable token with this key, with its user, in one query; None for any other key."""
    has_authenticator = Authenticator.objects.filter(
        user_id=OuterRef("user_id"), type=Authenticator.Type.TOTP
    )
    token = (
        ApiToken.objects.usable()
        .select_related("user")
        .filter(Exists(has_authenticator), key_hash=hash_token(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > API_TOKEN_USE_RECORDED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
