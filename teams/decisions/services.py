"""Writes about decisions: proposing one and asking for advice, giving advice, deciding."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue_many, email_render

from ..models import Membership, Team
from ..permissions import can_change_team, can_view_team
from ..services import TeamError
from .models import Advice, AdviceRequest, Decision

TEXT_MAX_LENGTH = 5000


def _people_of(team: Team) -> set[int]:
    ids = set(Membership.objects.current().filter(team=team).values_list("user_id", flat=True))
    if team.coach_id:
        ids.add(team.coach_id)
    return ids


def _text(value: str, *, what: str, required: bool = True) -> str:
    value = value.strip()
    if required and not value:
        raise TeamError(f"Write {what}.")
    if len(value) > TEXT_MAX_LENGTH:
        raise TeamError(f"Keep {what} to {TEXT_MAX_LENGTH} characters.")
    return value


@transaction.atomic
def decision_propose(
    *,
    team: Team,
    proposer: User,
    title: str,
    proposal: str,
    affected: str,
    advisors: Iterable[User],
    advice_by: date,
) -> Decision:
    """Propose a decision and ask the named people for their advice (each gets an email)."""
    if not can_change_team(proposer, team):
        raise PermissionDenied("Only the team, its coach and admins propose its decisions.")
    title = _text(title, what="a short title")[:150]
    proposal = _text(proposal, what="what you propose")
    affected = _text(affected, what="who the decision affects")
    if advice_by < timezone.localdate():
        raise TeamError("Ask for advice by today or a day to come.")
    advisors = [user for user in dict.fromkeys(advisors) if user.pk != proposer.pk]
    if not advisors:
        raise TeamError("Ask at least one person for their advice.")
    allowed = _people_of(team)
    strangers = [user for user in advisors if user.pk not in allowed]
    if strangers:
        raise TeamError(f"{strangers[0]} is not in {team} or its coach.")
    decision = Decision.objects.create(
        team=team,
        proposer=proposer,
        title=title,
        proposal=proposal,
        affected=affected,
        advice_by=advice_by,
    )
    AdviceRequest.objects.bulk_create(AdviceRequest(decision=decision, user=u) for u in advisors)
    url = absolute_reverse("teams:decision_detail", args=[team.pk, decision.pk])
    email_queue_many(
        emails=(
            email_render(
                to=user.email,
                template="teams/advice_requested",
                context={
                    "decision": decision,
                    "team": team,
                    "recipient": user,
                    "decision_url": url,
                },
                idempotency_key=f"advice-request:{decision.pk}:{user.pk}",
            )
            for user in advisors
        )
    )
    return decision


@transaction.atomic
def advice_give(*, decision: Decision, by: User, text: str) -> Advice:
    if not can_view_team(by, decision.team):
        raise PermissionDenied("Only the team, its coach and admins give advice on its decisions.")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.SEEKING:
        raise TeamError("This decision has been made; advice is closed.")
    return Advice.objects.create(
        decision=decision, given_by=by, text=_text(text, what="your advice")
    )


def _require_proposer(decision: Decision, user: User) -> None:
    if not (user.pk == decision.proposer_id or user.is_org_admin):
        raise PermissionDenied("Only the person who proposed the decision makes it.")


@transaction.atomic
def decision_record(
    *, decision: Decision, by: User, outcome: str, review_on: date, decided_on: date | None = None
) -> Decision:
    """The proposer, having weighed the advice, records what was decided and when to review it."""
    _require_proposer(decision, by)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.SEEKING:
        raise TeamError("This decision has already been made or withdrawn.")
    decided_on = decided_on or timezone.localdate()
    if review_on <= decided_on:
        raise TeamError("Review the decision on a day after it was made.")
    decision.outcome = _text(outcome, what="what was decided")
    decision.decided_on = decided_on
    decision.review_on = review_on
    decision.status = Decision.Status.DECIDED
    decision.save(update_fields=["outcome", "decided_on", "review_on", "status"])
    return decision


@transaction.atomic
def decision_withdraw(*, decision: Decision, by: User) -> Decision:
    _require_proposer(decision, by)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.SEEKING:
        raise TeamError("Only a proposal still seeking advice can be withdrawn.")
    decision.status = Decision.Status.WITHDRAWN
    decision.save(update_fields=["status"])
    return decision
