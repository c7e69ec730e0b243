"""Everything held about a person, for an admin to export on their request (a subject access
request): the same content as JSON for a machine and as a page a person can read."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone

from teams.models import Person
from teams.rota.models import Visit
from wellbeing.notifications.models import OutboxEmail

from ..models import (
    Consent,
    FlexibleHours,
    KeyContact,
    Outcome,
    PersonAccess,
    PersonDetails,
    PersonInvitation,
    ProfileVersion,
    RecordRead,
    Review,
    ServiceFund,
    Suggestion,
)

# Kept out of an export: they describe how the product works, not the person.
_INTERNAL_FIELDS = {"id", "history_id", "token_hash", "history_change_reason"}


def _value(obj: models.Model, field: models.Field) -> Any:
    """Choices as their words and related records by name; dates, times and amounts stay as
    they are, for the JSON encoder and the page to write each in their own way."""
    value = getattr(obj, field.attname if not field.is_relation else field.name)
    if field.choices and value not in (None, ""):
        return getattr(obj, f"get_{field.name}_display")()
    if field.is_relation:
        return str(value) if value is not None else None
    return value


def plain(obj: models.Model, *, leave_out: set[str] = frozenset()) -> dict[str, Any]:
    """A record as label → value, readable by the person it is about."""
    return {
        str(field.verbose_name).capitalize(): _value(obj, field)
        for field in obj._meta.concrete_fields
        if field.name not in _INTERNAL_FIELDS | leave_out
    }


def _history(model: type[models.Model], **lookup) -> list[dict[str, Any]]:
    rows = model.history.filter(**lookup).select_related("history_user").order_by("history_date")
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    return [
        {
            "What": model._meta.verbose_name.capitalize(),
            "When": row.history_date,
            "Who": str(row.history_user) if row.history_user else "the system",
            "Change": kinds.get(row.history_type, row.history_type),
        }
        for row in rows
    ]


def person_export(*, person: Person) -> dict[str, Any]:
    """Every record held about the person, section by section."""
    outcomes = list(
        Outcome.objects.filter(person=person).select_related("scale").order_by("created_on", "pk")
    )
    reviews = list(Review.objects.filter(outcome__person=person).order_by("reviewed_on", "pk"))
    funds = list(ServiceFund.objects.filter(person=person).order_by("starts"))
    ledger = list(FlexibleHours.objects.filter(fund__person=person).order_by("on", "pk"))
    invitations = list(PersonInvitation.objects.filter(person=person).select_related("invitation"))
    addresses = {grant.invitation.email.lower() for grant in invitations} | {
        email.lower()
        for email in PersonAccess.objects.filter(person=person).values_list(
            "user__email", flat=True
        )
    }
    outcome_ids = [outcome.pk for outcome in outcomes]
    return {
        "Exported": timezone.now(),
        "Person": plain(person),
        "Details": [
            plain(row, leave_out={"person"}) for row in PersonDetails.objects.filter(person=person)
        ],
        "Key contacts": [
            plain(row, leave_out={"person"}) for row in KeyContact.objects.filter(person=person)
        ],
        "Consents": [
            plain(row, leave_out={"person"}) for row in Consent.objects.filter(person=person)
        ],
        "One-page profile versions": [
            plain(row, leave_out={"profile", "written_by"})
            for row in ProfileVersion.objects.filter(profile__person=person).order_by("number")
        ],
        "Outcomes": [
            {
                **plain(outcome, leave_out={"person"}),
                "Reviews": [
                    plain(review, leave_out={"outcome", "recorded_by"})
                    for review in reviews
                    if review.outcome_id == outcome.pk
                ],
            }
            for outcome in outcomes
        ],
        "Suggestions": [
            plain(row, leave_out={"person", "suggested_by"})
            for row in Suggestion.objects.filter(person=person).select_related(
                "outcome", "responded_by"
            )
        ],
        "Individual Service Funds": [
            {
                **plain(fund, leave_out={"person"}),
                "Ledger": [
                    plain(line, leave_out={"fund"}) for line in ledger if line.fund_id == fund.pk
                ],
            }
            for fund in funds
        ],
        "Visits (from the rota)": [
            {
                **plain(visit, leave_out={"person", "team", "pattern"}),
                "Workers": ", ".join(str(worker) for worker in visit.workers.all()),
            }
            for visit in Visit.objects.filter(person=person)
            .prefetch_related("workers")
            .order_by("start")
        ],
        "Who can sign in to the record": [
            plain(row, leave_out={"person"})
            for row in PersonAccess.objects.filter(person=person).select_related("user", "consent")
        ],
        "Invitations to sign in": [
            {
                "Email": grant.invitation.email,
                "Name": grant.invitation.display_name,
                "Sent": grant.invitation.created_at,
                "Status": grant.invitation.status,
            }
            for grant in invitations
        ],
        "Emails to them": [
            {
                "To": email.to,
                "Subject": email.subject,
                "Status": email.get_status_display(),
                "Written": email.created_at,
            }
            for email in OutboxEmail.objects.filter(to__in=addresses).order_by("created_at")
        ]
        if addresses
        else [],
        "Who has read the record": [
            plain(row, leave_out={"person", "reader"})
            for row in RecordRead.objects.filter(person=person).order_by("-at")
        ],
        "Changes": sorted(
            [
                *_history(Person, id=person.pk),
                *_history(PersonDetails, person_id=person.pk),
                *_history(KeyContact, person_id=person.pk),
                *_history(Consent, person_id=person.pk),
                *_history(Outcome, person_id=person.pk),
                *_history(Review, outcome_id__in=outcome_ids),
                *_history(Suggestion, person_id=person.pk),
                *_history(ServiceFund, person_id=person.pk),
                *_history(FlexibleHours, fund_id__in=[fund.pk for fund in funds]),
                *_history(PersonAccess, person_id=person.pk),
            ],
            key=lambda change: change["When"],
        ),
    }
