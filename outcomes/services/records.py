"""Writes about the person: their details, key contacts, consents and one-page profiles."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from teams.models import Person
from wellbeing.accounts.models import Invitation, User
from wellbeing.accounts.services import api_tokens_revoke_all, invitation_revoke

from ..models import (
    Consent,
    KeyContact,
    OnePageProfile,
    PersonAccess,
    PersonDetails,
    ProfileVersion,
)
from ..permissions import record_only_accounts
from . import EARLIEST_DATE, OutcomesError


def accounts_close_without_access(user_ids) -> None:
    """Close the sign-ins among these users that existed only to see a record and have no open
    access left: they are switched off (which ends their sessions and API tokens), so they can
    never fall through to the staff side. Anyone who also works here keeps their account."""
    open_access = PersonAccess.objects.filter(
        user_id=OuterRef("pk"), revoked_at__isnull=True, consent__withdrawn_on__isnull=True
    )
    closing = (
        record_only_accounts()
        .filter(pk__in=list(user_ids), is_active=True)
        .exclude(Exists(open_access))
    )
    for user in closing:
        user.is_active = False
        user.save(update_fields=["is_active"])
        api_tokens_revoke_all(user=user)


@transaction.atomic
def person_details_save(
    *, person: Person, pronouns: str, date_of_birth: date | None, communication: str
) -> PersonDetails:
    if date_of_birth is not None and date_of_birth > timezone.localdate():
        raise OutcomesError("A date of birth cannot be in the future.")
    if date_of_birth is not None and date_of_birth < EARLIEST_DATE:
        raise OutcomesError(f"Give a date of birth from {EARLIEST_DATE.year} onwards.")
    details, _ = PersonDetails.objects.select_for_update().get_or_create(person=person)
    details.pronouns = pronouns.strip()
    details.date_of_birth = date_of_birth
    details.communication = communication.strip()
    details.save()
    return details


@transaction.atomic
def key_contact_add(
    *,
    person: Person,
    kind: str,
    name: str,
    relationship: str = "",
    phone: str = "",
    email: str = "",
    notes: str = "",
) -> KeyContact:
    if not (phone.strip() or email.strip()):
        raise OutcomesError("Give a phone number or an email address, so the team can call.")
    return KeyContact.objects.create(
        person=person,
        kind=kind,
        name=name.strip(),
        relationship=relationship.strip(),
        phone=phone.strip(),
        email=email.strip().lower(),
        notes=notes.strip(),
    )


@transaction.atomic
def key_contact_remove(*, contact: KeyContact) -> None:
    contact.delete()


@transaction.atomic
def consent_record(
    *,
    person: Person,
    scope: str,
    with_whom: str,
    decided_by: str,
    agreed_on: date,
    by: User,
    notes: str = "",
) -> Consent:
    if agreed_on > timezone.localdate():
        raise OutcomesError("Record consent once it is given, not before.")
    return Consent.objects.create(
        person=person,
        scope=scope,
        with_whom=with_whom.strip(),
        decided_by=decided_by,
        agreed_on=agreed_on,
        notes=notes.strip(),
        recorded_by=by,
    )


@transaction.atomic
def consent_withdraw(*, consent: Consent) -> Consent:
    """Withdrawing consent ends what it allowed at once: sign-ins and invitations alike."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on is not None:
        return consent
    consent.withdrawn_on = timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])
    ended = list(PersonAccess.objects.filter(consent=consent, revoked_at__isnull=True))
    for access in ended:
        access.revoked_at = timezone.now()
        access.save(update_fields=["revoked_at"])
    accounts_close_without_access(access.user_id for access in ended)
    for invitation in Invitation.objects.filter(person_grant__consent=consent).pending():
        invitation_revoke(invitation=invitation)
    return consent


@transaction.atomic
def profile_write(
    *,
    by: User,
    appreciated: str,
    important: str,
    support: str,
    person: Person | None = None,
    member: User | None = None,
    person_agreed: bool = False,
) -> ProfileVersion:
    """Write a new version of a one-page profile; earlier versions stay as they were."""
    if (person is None) == (member is None):
        raise ValueError("A profile is of a person supported or of a team member")
    if not (appreciated.strip() or important.strip() or support.strip()):
        raise OutcomesError("Write at least one part of the profile.")
    if person is not None:
        profile, _ = OnePageProfile.objects.get_or_create(person=person)
    else:
        profile, _ = OnePageProfile.objects.get_or_create(member=member)
        person_agreed = False
    # Two people saving at once get consecutive versions, not a clash.
    OnePageProfile.objects.select_for_update().filter(pk=profile.pk).first()
    latest = profile.versions.aggregate(latest=Max("number"))["latest"] or 0
    return ProfileVersion.objects.create(
        profile=profile,
        number=latest + 1,
        appreciated=appreciated.strip(),
        important=important.strip(),
        support=support.strip(),
        written_by=by,
        written_by_name=str(by),
        person_agreed=person_agreed,
    )


@transaction.atomic
def profile_agree(*, person: Person, number: int) -> ProfileVersion:
    """The person reads their one-page profile and says it is right. Only the newest version
    can be agreed: agreeing to words already replaced would say nothing about the profile."""
    version = (
        ProfileVersion.objects.select_for_update()
        .filter(profile__person=person)
        .order_by("-number")
        .first()
    )
    if version is None or version.number != number:
        raise OutcomesError("The profile has changed since you opened it: read it again first.")
    if not version.person_agreed:
        version.person_agreed = True
        version.save(update_fields=["person_agreed"])
    return version
