"""Swaps between colleagues: a member offers a visit or shift, a colleague takes it.

No manager approves a swap; the rules do. Taking an offer locks it (`select_for_update`), so when
two colleagues press "Take it" at the same moment exactly one gets it and the other is told it
has gone. The swap is checked against every rule for the colleague taking it before it takes
effect; a refusal says which rule, and the offer stays open for someone else.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from wellbeing.accounts.models import User

from ..models import Membership
from . import notify
from .checks import rota_state
from .models import Offer, Shift, Visit, VisitAssignment
from .services import LONGEST_SHIFT, LONGEST_VISIT, RotaConflict, RotaError, refuse


@transaction.atomic
def offer_make(
    *,
    by: User,
    visit: Visit | None = None,
    shift: Shift | None = None,
    to: User | None = None,
    note: str = "",
) -> Offer:
    """Offer your place on a visit, or your shift, to a named colleague or to the team."""
    if (visit is None) == (shift is None):
        raise RotaError("Offer a visit or a shift.")
    thing = visit or shift
    team = thing.team
    if thing.start <= timezone.now():
        raise RotaError("Only something still to come can be offered.")
    if visit is not None:
        if visit.status != Visit.Status.PLANNED:
            raise RotaError("Only a planned visit can be offered.")
        if not visit.assignments.filter(worker=by).exists():
            raise PermissionDenied("You can offer only a visit you are on.")
    elif shift.worker_id != by.pk:
        raise PermissionDenied("You can offer only your own shift.")
    if to is not None:
        if to.pk == by.pk:
            raise RotaError("Offer it to a colleague, not yourself.")
        if not Membership.objects.current().filter(team=team, user=to).exists():
            raise RotaError(f"{to.display_name} is not a current member of {team}.")
    try:
        with transaction.atomic():
            offer = Offer.objects.create(
                team=team,
                visit=visit,
                shift=shift,
                offered_by=by,
                offered_to=to,
                note=note.strip()[:200],
                start=thing.start,
            )
    except IntegrityError as exc:
        raise RotaConflict("You have already offered this; it is waiting for a colleague.") from exc
    notify.offer_made(offer=offer)
    return offer


@transaction.atomic
def offer_accept(*, offer: Offer, by: User) -> Offer:
    """Take an offered visit or shift, if nobody has yet and every rule allows it."""
    offer = (
        # Only the offer's row: the nullable "offered to" cannot be locked in an outer join.
        Offer.objects.select_for_update(of=("self",))
        .select_related("offered_by", "offered_to", "team")
        .get(pk=offer.pk)
    )
    if offer.status == Offer.Status.ACCEPTED:
        raise RotaConflict("Someone else has already taken this.")
    if not offer.is_open:
        raise RotaConflict("This offer is no longer open.")
    if by.pk == offer.offered_by_id:
        raise RotaError("You cannot take your own offer.")
    if offer.offered_to_id and offer.offered_to_id != by.pk:
        raise PermissionDenied("This was offered to a named colleague.")
    if offer.visit_id:
        _take_visit(offer, by)
    else:
        _take_shift(offer, by)
    offer.status, offer.taken_by, offer.decided_at = Offer.Status.ACCEPTED, by, timezone.now()
    offer.save(update_fields=["status", "taken_by", "decided_at"])
    notify.swap_done(offer=offer)
    return offer


def _take_visit(offer: Offer, by: User) -> None:
    visit = (
        Visit.objects.select_for_update().select_related("person", "team").get(pk=offer.visit_id)
    )
    offer.visit = visit
    if visit.status != Visit.Status.PLANNED or visit.start <= timezone.now():
        raise RotaConflict("This visit can no longer be swapped.")
    giving = VisitAssignment.objects.filter(visit=visit, worker_id=offer.offered_by_id).first()
    if giving is None:
        raise RotaConflict(f"{offer.offered_by.display_name} is no longer on this visit.")
    if VisitAssignment.objects.filter(visit=visit, worker=by).exists():
        raise RotaError("You are already on this visit.")
    state = rota_state(
        team=visit.team,
        since=visit.start - LONGEST_VISIT,
        until=visit.end + LONGEST_VISIT,
        worker_ids=[by.pk],
    )
    # The colleague chooses to take it, so their usual availability does not stand in the way;
    # every other rule does.
    refuse(state.assignment_problems(visit, by.pk, check_availability=False, check_timing=True))
    giving.delete()
    VisitAssignment.objects.create(
        visit=visit, worker=by, team=visit.team, start=visit.start, end=visit.end
    )


def _take_shift(offer: Offer, by: User) -> None:
    shift = Shift.objects.select_for_update().select_related("team").get(pk=offer.shift_id)
    offer.shift = shift
    if shift.worker_id != offer.offered_by_id or shift.start <= timezone.now():
        raise RotaConflict("This shift can no longer be swapped.")
    state = rota_state(
        team=shift.team,
        since=shift.start - LONGEST_SHIFT,
        until=shift.end + LONGEST_SHIFT,
        worker_ids=[by.pk],
    )
    refuse(state.shift_problems(shift, by.pk))
    shift.worker = by
    shift.save(update_fields=["worker"])


@transaction.atomic
def offer_withdraw(*, offer: Offer, by: User) -> Offer:
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.offered_by_id != by.pk:
        raise PermissionDenied("Only the person who offered it can withdraw it.")
    if not offer.is_open:
        raise RotaConflict("This offer is no longer open.")
    offer.status, offer.decided_at = Offer.Status.WITHDRAWN, timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    return offer


@transaction.atomic
def offer_decline(*, offer: Offer, by: User) -> Offer:
    """A named colleague says no; the person who offered it is told, and can offer it again."""
    offer = Offer.objects.select_for_update().select_related("offered_by").get(pk=offer.pk)
    if offer.offered_to_id != by.pk:
        raise PermissionDenied("Only the colleague it was offered to can decline it.")
    if not offer.is_open:
        raise RotaConflict("This offer is no longer open.")
    offer.status, offer.decided_at = Offer.Status.DECLINED, timezone.now()
    offer.save(update_fields=["status", "decided_at"])
    notify.offer_declined(offer=offer)
    return offer
