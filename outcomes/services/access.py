"""The person's own sign-in, and family's: invited by the team through the product's
invitations, only once the person's consent is recorded, and ended as soon as it is withdrawn.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from teams.models import Person
from wellbeing.accounts.models import Invitation, User
from wellbeing.accounts.services import InvitationError, invitation_create, invitation_send

from ..models import Consent, PersonAccess, PersonInvitation, Relationship
from . import OutcomesError
from .records import accounts_close_without_access, consent_record


@transaction.atomic
def person_access_invite(
    *,
    person: Person,
    by: User,
    email: str,
    display_name: str,
    relationship: str,
    decided_by: str,
    agreed_on: date,
    consent_notes: str = "",
) -> Invitation:
    """Record the person's consent, then invite the one they agreed to (or themselves) to
    sign in to their record. The emailed link works once and expires."""
    if relationship not in Relationship.values:
        raise OutcomesError("Say who they are to the person.")
    if hasattr(person, "erasure"):
        raise OutcomesError("This record has been erased.")
    label = (
        "themselves"
        if relationship == Relationship.SELF
        else f"{Relationship(relationship).label.lower()}"
    )
    consent = consent_record(
        person=person,
        scope=Consent.Scope.SIGN_IN,
        with_whom=f"{display_name.strip()} ({label})",
        decided_by=decided_by,
        agreed_on=agreed_on,
        notes=consent_notes,
        by=by,
    )
    try:
        invitation, token = invitation_create(email=email, display_name=display_name, invited_by=by)
    except InvitationError as exc:
        raise OutcomesError(str(exc)) from exc
    PersonInvitation.objects.create(
        invitation=invitation, person=person, relationship=relationship, consent=consent
    )
    invitation_send(invitation=invitation, token=token)
    return invitation


def person_invitation_fulfil(invitation: Invitation, user: User) -> None:
    """Called when an invitation is accepted: open the record it promised, if the person's
    consent still stands."""
    grant = (
        PersonInvitation.objects.select_related("consent", "person")
        .filter(invitation=invitation)
        .first()
    )
    if grant is None:
        return
    if grant.consent.withdrawn_on is not None or hasattr(grant.person, "erasure"):
        raise InvitationError(
            "This invitation no longer works: the person it is about has withdrawn their "
            "agreement. Ask the team if you think this is a mistake."
        )
    PersonAccess.objects.create(
        person=grant.person, user=user, relationship=grant.relationship, consent=grant.consent
    )


def person_invitation_describe(invitation: Invitation) -> list[str]:
    grant = PersonInvitation.objects.select_related("person").filter(invitation=invitation).first()
    if grant is None:
        return []
    if grant.relationship == Relationship.SELF:
        return ["able to see and add to your own record: your profile, outcomes and support"]
    return [f"able to see and add to the record of {grant.person.known_as}, who agreed to this"]


@transaction.atomic
def person_access_revoke(*, access: PersonAccess) -> PersonAccess:
    access = PersonAccess.objects.select_for_update().get(pk=access.pk)
    if access.revoked_at is None:
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
        accounts_close_without_access([access.user_id])
    return access
