"""Who may run a round, sit on its panel, and read candidates' own words."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from wellbeing.accounts.models import User

from .models import Candidate, PanelMember, Round


def rounds_managed_by(user: User) -> QuerySet[Round]:
    """Admins run every round; a round's owners run theirs."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    if user.is_org_admin:
        return Round.objects.all()
    return Round.objects.filter(owners=user)


def can_manage_round(user: User, round_: Round) -> bool:
    return rounds_managed_by(user).filter(pk=round_.pk).exists()


def get_round_for(user: User, pk: int) -> Round:
    round_ = rounds_managed_by(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404("No such round")
    return round_


def rounds_visible_to(user: User) -> QuerySet[Round]:
    """Rounds a signed-in user may see at all: those they run or sit on the panel of."""
    if not user.is_authenticated or not user.is_active:
        return Round.objects.none()
    if user.is_org_admin:
        return Round.objects.all()
    return Round.objects.filter(Q(owners=user) | Q(panel__user=user)).distinct()


def get_candidate_for(user: User, pk: int) -> Candidate:
    candidate = (
        Candidate.objects.select_related("round")
        .filter(pk=pk, round__in=rounds_managed_by(user))
        .first()
    )
    if candidate is None:
        raise Http404("No such candidate")
    return candidate


def panel_seat_for(user: User, round_: Round) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(round=round_, user=user).first()


def can_read_free_text(user: User, round_: Round) -> bool:
    """Candidates' own words (and survey free text) are for admins and the round's owners."""
    return can_manage_round(user, round_)
