"""Privacy: every look at a record is logged, and an admin can erase a person on request.

This is health and care data about people who may lack capacity. Erasing removes what names
or describes the person — their words, details, contacts, history, sign-ins and emails — and
keeps only counts (`Erasure.figures`), so that the team's figures over the years still add up.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from teams.models import Person
from wellbeing.accounts.models import Invitation, User
from wellbeing.notifications.models import OutboxEmail

from .. import gas
from ..models import (
    Consent,
    Erasure,
    FlexibleHours,
    KeyContact,
    OnePageProfile,
    Outcome,
    PersonAccess,
    PersonDetails,
    ProfileVersion,
    RecordRead,
    Review,
    ServiceFund,
    Suggestion,
)
from ..permissions import record_only_accounts
from . import OutcomesError


def record_read(
    *, people: Iterable[Person], reader: User, what: str, via: str = RecordRead.Via.WEB
) -> None:
    """Log that staff read these people's records (one insert, whatever the number)."""
    now = timezone.now()
    RecordRead.objects.bulk_create(
        RecordRead(
            person_id=person.pk,
            reader=reader,
            reader_name=str(reader),
            at=now,
            what=what[:120],
            via=via,
        )
        for person in people
    )


def _erasure_figures(person: Person) -> dict:
    """Counts only: nothing here names or describes the person."""
    outcomes = list(
        Outcome.objects.filter(person=person).values(
            "pk", "status", "life_area", "measure", "weight"
        )
    )
    reviews = Review.objects.filter(outcome__person=person)
    latest: dict[int, int] = {}
    for outcome_id, level in reviews.order_by("reviewed_on", "pk").values_list(
        "outcome_id", "level"
    ):
        latest[outcome_id] = level
    goals = [
        gas.GoalLevel(level=latest[row["pk"]], weight=row["weight"])
        for row in outcomes
        if row["measure"] == Outcome.Measure.GAS
        and row["pk"] in latest
        and row["status"] in {Outcome.Status.ACTIVE, Outcome.Status.ACHIEVED}
    ]
    score = gas.t_score(goals)
    ledger = FlexibleHours.objects.filter(fund__person=person)
    return {
        "support_started_year": person.started.year,
        "outcomes_by_status": dict(Counter(row["status"] for row in outcomes)),
        "outcomes_by_life_area": dict(Counter(row["life_area"] for row in outcomes)),
        "reviews": reviews.count(),
        "reviews_with_their_own_words": reviews.exclude(person_words="").count(),
        "last_gas_t_score": round(score) if score is not None else None,
        "hours_banked": _hours(ledger.filter(kind=FlexibleHours.Kind.BANKED)),
        "hours_used_flexibly": _hours(ledger.filter(kind=FlexibleHours.Kind.USED)),
    }


def _hours(entries: QuerySet[FlexibleHours]) -> str:
    """Total hours to two places, whichever database summed them."""
    total = entries.aggregate(t=Sum("hours"))["t"] or Decimal(0)
    return str(Decimal(total).quantize(Decimal("0.01")))


def _accounts_only_for(person: Person) -> list[User]:
    """Sign-ins that exist only to see this person's record: they go with it. A family member
    who also works here, or sees someone else's record too, keeps their account."""
    users = record_only_accounts().filter(
        Exists(PersonAccess.objects.filter(user_id=OuterRef("pk"), person=person))
    )
    others = PersonAccess.objects.filter(user__in=users).exclude(person=person).values("user_id")
    return list(users.exclude(pk__in=others))


def _anonymise_person_row(person: Person) -> None:
    """Keep the row, so that rota visits and the team's hours still add up, but empty every
    detail on it — including ones other parts of the product add later (an address, a
    postcode): every text becomes empty and every optional value unset."""
    changes: dict = {"name": "Erased person", "status": Person.Status.ENDED}
    for field in Person._meta.concrete_fields:
        if field.primary_key or field.is_relation or field.name in changes or field.choices:
            continue
        if isinstance(field, models.CharField | models.TextField):
            changes[field.name] = ""
        elif field.null:
            changes[field.name] = None
    # An update, not save(): a save would write the erased row's history again.
    Person.objects.filter(pk=person.pk).update(**changes)
    Person.history.filter(id=person.pk).delete()


@transaction.atomic
def person_erase(*, person: Person, by: User) -> Erasure:
    if not by.is_org_admin:
        raise OutcomesError("Only an organisation admin can erase a person's record.")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Erasure.objects.filter(person=person).exists():
        raise OutcomesError("This record has already been erased.")
    figures = _erasure_figures(person)
    outcome_ids = list(Outcome.objects.filter(person=person).values_list("pk", flat=True))
    fund_ids = list(ServiceFund.objects.filter(person=person).values_list("pk", flat=True))
    profile_ids = list(OnePageProfile.objects.filter(person=person).values_list("pk", flat=True))
    leaving = _accounts_only_for(person)
    invitations = Invitation.objects.filter(person_grant__person=person)
    leaving_ids = [user.pk for user in leaving]
    invited = {email.lower() for email in invitations.values_list("email", flat=True)}
    staying = {
        email.lower()
        for email in User.objects.filter(email__in=invited)
        .exclude(pk__in=leaving_ids)
        .values_list("email", flat=True)
    }
    addresses = {user.email.lower() for user in leaving} | (invited - staying)

    # Emails to the person or their family may quote their record: gone, sent or not. A
    # family member who stays (they work here too) keeps their other emails, not the
    # invitation to this record.
    for address in addresses:
        OutboxEmail.objects.filter(to__iexact=address).delete()
    OutboxEmail.objects.filter(
        idempotency_key__in=[f"invitation:{pk}" for pk in invitations.values_list("pk", flat=True)]
    ).delete()
    invitations.delete()
    PersonAccess.objects.filter(person=person).delete()
    User.objects.filter(pk__in=leaving_ids).delete()
    Suggestion.objects.filter(person=person).delete()
    Outcome.objects.filter(person=person).delete()
    ServiceFund.objects.filter(person=person).delete()
    OnePageProfile.objects.filter(person=person).delete()
    PersonDetails.objects.filter(person=person).delete()
    KeyContact.objects.filter(person=person).delete()
    Consent.objects.filter(person=person).delete()
    RecordRead.objects.filter(person=person).delete()

    # Deleting writes one last historical copy of each row: the history goes after the rows.
    PersonDetails.history.filter(person_id=person.pk).delete()
    KeyContact.history.filter(person_id=person.pk).delete()
    Consent.history.filter(person_id=person.pk).delete()
    ProfileVersion.history.filter(profile_id__in=profile_ids).delete()
    Outcome.history.filter(person_id=person.pk).delete()
    Review.history.filter(outcome_id__in=outcome_ids).delete()
    Suggestion.history.filter(person_id=person.pk).delete()
    ServiceFund.history.filter(person_id=person.pk).delete()
    FlexibleHours.history.filter(fund_id__in=fund_ids).delete()
    PersonAccess.history.filter(person_id=person.pk).delete()
    User.history.filter(id__in=leaving_ids).delete()
    _anonymise_person_row(person)
    return Erasure.objects.create(
        person=person,
        team_id=person.team_id,
        erased_by=by,
        erased_by_name=str(by),
        figures=figures,
    )
