"""Swaps between colleagues: offered, taken by exactly one, checked against every rule."""

from __future__ import annotations

import threading
import time as wallclock
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import close_old_connections, connection

from teams.models import Offer, Skill, TimeOff, VisitAssignment
from teams.rota import checks, swaps
from teams.rota.services import RotaConflict, RotaError
from tests import factories
from tests.services import require
from tests.teams.rota.conftest import at, visit_at
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def workers_on(visit):
    return set(VisitAssignment.objects.filter(visit=visit).values_list("worker_id", flat=True))


def test_a_colleague_takes_a_visit_offered_to_the_team_and_both_are_told(
    team, person, member, colleague, monday
):
    visit = visit_at(person, monday, 8, assigned=[member])
    offer = swaps.offer_make(by=member, visit=visit, note="Dentist")
    swaps.offer_accept(offer=offer, by=colleague)
    assert workers_on(visit) == {colleague.pk}
    offer.refresh_from_db()
    assert (offer.status, offer.taken_by) == (Offer.Status.ACCEPTED, colleague)
    keys = set(OutboxEmail.objects.values_list("idempotency_key", flat=True))
    assert keys == {
        f"rota-swap-done:{offer.pk}:{member.pk}",
        f"rota-swap-done:{offer.pk}:{colleague.pk}",
    }


def test_an_offer_to_a_named_colleague_is_theirs_alone_to_take(
    team, person, member, colleague, monday
):
    third = factories.MembershipFactory(team=team).user
    visit = visit_at(person, monday, 8, assigned=[member])
    offer = swaps.offer_make(by=member, visit=visit, to=colleague)
    assert OutboxEmail.objects.filter(
        to=colleague.email, idempotency_key__startswith="rota-offer-made"
    ).exists()
    with pytest.raises(PermissionDenied):
        swaps.offer_accept(offer=offer, by=third)
    swaps.offer_accept(offer=offer, by=colleague)
    assert workers_on(visit) == {colleague.pk}


def test_a_swap_that_breaks_a_rule_is_refused_with_the_reason_and_stays_open(
    team, person, member, colleague, monday
):
    visit = visit_at(person, monday, 8, assigned=[member])
    visit.skills.add(Skill.objects.create(name="Medication"))
    offer = swaps.offer_make(by=member, visit=visit)
    with pytest.raises(
        RotaError, match="Cal does not have the skills this visit needs: Medication"
    ):
        swaps.offer_accept(offer=offer, by=colleague)
    offer.refresh_from_db()
    assert offer.is_open
    assert workers_on(visit) == {member.pk}


def test_a_swap_onto_time_off_is_refused(team, person, member, colleague, monday):
    TimeOff.objects.create(team=team, worker=colleague, first_day=monday, last_day=monday)
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    with pytest.raises(RotaError, match="Cal is on holiday"):
        swaps.offer_accept(offer=offer, by=colleague)


def test_a_swap_that_would_leave_too_little_rest_is_refused(
    team, person, member, colleague, monday
):
    visit_at(person, monday - timedelta(days=1), 22, 60, assigned=[colleague])
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 7, assigned=[member]))
    with pytest.raises(RotaError, match="only 8 hours rest"):
        swaps.offer_accept(offer=offer, by=colleague)


def test_a_swap_that_double_books_is_refused(team, person, member, colleague, monday):
    visit_at(factories.PersonFactory(team=team), monday, 8, 60, assigned=[colleague])
    offer = swaps.offer_make(
        by=member, visit=visit_at(person, monday, 8, 30, minute=30, assigned=[member])
    )
    with pytest.raises(RotaError, match="Cal is already on"):
        swaps.offer_accept(offer=offer, by=colleague)


def test_you_cannot_take_your_own_offer_or_offer_what_is_not_yours(
    team, person, member, colleague, monday
):
    visit = visit_at(person, monday, 8, assigned=[member])
    with pytest.raises(PermissionDenied):
        swaps.offer_make(by=colleague, visit=visit)
    offer = swaps.offer_make(by=member, visit=visit)
    with pytest.raises(RotaError, match="your own offer"):
        swaps.offer_accept(offer=offer, by=member)


def test_offering_the_same_visit_twice_is_refused(team, person, member, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    swaps.offer_make(by=member, visit=visit)
    with pytest.raises(RotaConflict, match="already offered"):
        swaps.offer_make(by=member, visit=visit)


def test_a_visit_already_started_cannot_be_offered(team, person, member):
    visit = factories.VisitFactory(person=person, start=at(monday_before(), 8), assigned=[member])
    with pytest.raises(RotaError, match="still to come"):
        swaps.offer_make(by=member, visit=visit)


def monday_before():
    from django.utils import timezone

    return timezone.localdate() - timedelta(days=7)


def test_a_withdrawn_offer_cannot_be_taken(team, person, member, colleague, monday):
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    swaps.offer_withdraw(offer=offer, by=member)
    with pytest.raises(RotaConflict, match="no longer open"):
        swaps.offer_accept(offer=offer, by=colleague)


def test_a_named_colleague_declines_and_the_offerer_is_told(
    team, person, member, colleague, monday
):
    offer = swaps.offer_make(
        by=member, visit=visit_at(person, monday, 8, assigned=[member]), to=colleague
    )
    swaps.offer_decline(offer=offer, by=colleague)
    assert OutboxEmail.objects.filter(
        to=member.email, idempotency_key=f"rota-offer-declined:{offer.pk}"
    ).exists()


def test_a_shift_changes_hands_when_taken(team, member, colleague, monday):
    shift = factories.ShiftFactory(
        team=team, worker=member, start=at(monday, 18), end=at(monday, 22)
    )
    offer = swaps.offer_make(by=member, shift=shift)
    swaps.offer_accept(offer=offer, by=colleague)
    shift.refresh_from_db()
    assert shift.worker == colleague


@pytest.mark.django_db(transaction=True)
def test_two_colleagues_taking_the_same_offer_at_once_exactly_one_wins(
    team, person, member, monday, monkeypatch
):
    """Two real database connections; the first holds the offer's row lock while it checks the
    rules (slowed down here), the second waits on it and then finds the offer taken."""
    if connection.vendor != "postgresql":
        require("Row locks are what this tests: it needs PostgreSQL (DATABASE_URL)")
    first = factories.MembershipFactory(team=team, user__display_name="Fay First").user
    second = factories.MembershipFactory(team=team, user__display_name="Sam Second").user
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    real_state = checks.rota_state

    def slow_state(**kwargs):
        wallclock.sleep(0.5)
        return real_state(**kwargs)

    monkeypatch.setattr(swaps, "rota_state", slow_state)
    results: dict[str, object] = {}
    ready = threading.Barrier(2)

    def take(user, delay):
        try:
            ready.wait()
            wallclock.sleep(delay)
            swaps.offer_accept(offer=Offer.objects.get(pk=offer.pk), by=user)
            results[user.display_name] = "won"
        except RotaConflict as exc:
            results[user.display_name] = str(exc)
        finally:
            results[f"{user.display_name} done"] = wallclock.monotonic()
            close_old_connections()
            connection.close()

    threads = [
        threading.Thread(target=take, args=(first, 0)),
        threading.Thread(target=take, args=(second, 0.1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert results["Fay First"] == "won"
    assert results["Sam Second"] == "Someone else has already taken this."
    assert VisitAssignment.objects.filter(visit=offer.visit).get().worker == first
    assert Offer.objects.get(pk=offer.pk).taken_by == first
