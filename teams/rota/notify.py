"""The rota's emails, all through the outbox, each once (its idempotency key says what for).

Emails are written in the same transaction as the change that causes them, so a change that
is rolled back tells nobody, and one that commits is never left untold.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue, email_queue_many, email_render
from wellbeing.templatetags.times import time_of_day

from ..models import Team
from .models import Offer, RotaWeek, Shift, Visit


def _my_week_link(day: date) -> str:
    return absolute_reverse("teams:rota:my_week") + f"?week={day.isoformat()}"


def week_published(*, week: RotaWeek, weeks: dict[User, tuple[list[Visit], list[Shift]]]) -> None:
    """Each member's own week, visits and shifts, queued for the whole team in one insert."""
    link = _my_week_link(week.starts_on)
    email_queue_many(
        emails=(
            email_render(
                to=member.email,
                template="rota/week_published",
                context={
                    "member": member,
                    "team": week.team,
                    "week": week,
                    "visits": visits,
                    "shifts": shifts,
                    "link": link,
                },
                idempotency_key=f"rota-week-published:{week.pk}:{member.pk}",
            )
            for member, (visits, shifts) in weeks.items()
        )
    )


def visit_changed(
    *, visit: Visit, people: Iterable[User], what: str, reason: str, by: User | None
) -> None:
    """Tell the people a change to a published visit affects: what changed, and why."""
    change = uuid.uuid4().hex
    link = _my_week_link(timezone.localdate(visit.start))
    email_queue_many(
        emails=(
            email_render(
                to=person.email,
                template="rota/visit_changed",
                context={
                    "member": person,
                    "visit": visit,
                    "what": what,
                    "reason": reason,
                    "by": by,
                    "link": link,
                },
                idempotency_key=f"rota-visit-changed:{visit.pk}:{change}:{person.pk}",
            )
            for person in {user.pk: user for user in people}.values()
        )
    )


def shift_removed(*, shift: Shift, reason: str, by: User) -> None:
    email_queue(
        to=shift.worker.email,
        template="rota/shift_removed",
        context={
            "member": shift.worker,
            "shift": shift,
            "reason": reason,
            "by": by,
            "link": _my_week_link(timezone.localdate(shift.start)),
        },
        idempotency_key=f"rota-shift-removed:{shift.pk}",
    )


def offer_made(*, offer: Offer) -> None:
    if offer.offered_to is None:
        return
    email_queue(
        to=offer.offered_to.email,
        template="rota/offer_made",
        context={"offer": offer, "what": offer_subject(offer), "link": _offers_link(offer)},
        idempotency_key=f"rota-offer-made:{offer.pk}",
    )


def swap_done(*, offer: Offer) -> None:
    """Both people in a swap hear it happened: the one who gave it and the one who took it."""
    for person in (offer.offered_by, offer.taken_by):
        email_queue(
            to=person.email,
            template="rota/swap_done",
            context={
                "member": person,
                "offer": offer,
                "what": offer_subject(offer),
                "link": _my_week_link(timezone.localdate(offer.start)),
            },
            idempotency_key=f"rota-swap-done:{offer.pk}:{person.pk}",
        )


def offer_declined(*, offer: Offer) -> None:
    email_queue(
        to=offer.offered_by.email,
        template="rota/offer_declined",
        context={"offer": offer, "what": offer_subject(offer), "link": _offers_link(offer)},
        idempotency_key=f"rota-offer-declined:{offer.pk}",
    )


def time_off_unassigned(*, member: User, team: Team, visits: list[Visit], reason: str) -> None:
    if not visits:
        return
    email_queue(
        to=member.email,
        template="rota/time_off",
        context={"member": member, "team": team, "visits": visits, "reason": reason},
        idempotency_key=f"rota-time-off:{uuid.uuid4().hex}:{member.pk}",
    )


def offer_subject(offer: Offer) -> str:
    if offer.visit_id:
        visit = offer.visit
        start = timezone.localtime(visit.start)
        return f"the visit to {visit.person.known_as} at {time_of_day(start)} on {start:%A %-d %B}"
    shift = offer.shift
    start = timezone.localtime(shift.start)
    return (
        f"the {shift.get_kind_display().lower()} shift at {time_of_day(start)} on {start:%A %-d %B}"
    )


def _offers_link(offer: Offer) -> str:
    return absolute_reverse("teams:rota:my_week") + "#offers"
