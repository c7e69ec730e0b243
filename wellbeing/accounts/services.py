"""Account writes: invitations, their acceptance, and the MFA policy."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone

from wellbeing.errors import DomainError
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue

from . import registry
from .models import Invitation, Organisation, User, hash_token, new_token


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
    if User.objects.filter(email__iexact=email).exists():
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
    """Create the account an invitation offers. The link works exactly once."""
    invitation = invitation_for_token(token, lock=True)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise InvitationError(f"{invitation.email} already has an account. Sign in instead.")
    user = User(
        email=invitation.email,
        display_name=display_name.strip() or invitation.display_name,
        is_staff=invitation.make_admin,
        # An organisation admin runs the whole deployment, the admin site included.
        is_superuser=invitation.make_admin,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    # Following the emailed link proves the address is theirs.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
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
