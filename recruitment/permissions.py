"""Who may run a round, sit on its panel, read its reports, and see a candidate.

Everyone else is told "not found", so nobody learns who applied. Selectors and services take
what these return and check nothing themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from teams.permissions import coaches
from wellbeing.accounts.models import User, hash_token

from .errors import RecruitmentError
from .models import Candidate, Experiment, PanelMember, Round


def _signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def rounds_managed_by(user: User) -> QuerySet[Round]:
    """Admins run every round; a round's owners run theirs."""
    if not _signed_in(user):
        return Round.objects.none()
    if user.is_org_admin:
        return Round.objects.all()
    return Round.objects.filter(owners=user)


def can_manage_round(user: User, round_: Round) -> bool:
    """Admins and the round's owners; they alone read candidates' own words."""
    if not _signed_in(user):
        return False
    return user.is_org_admin or round_.owners.filter(pk=user.pk).exists()


def get_round_for(user: User, pk: int) -> Round:
    round_ = rounds_managed_by(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404("No such round")
    return round_


def get_experiment_for(user: User, pk: int) -> Experiment:
    """An experiment, for those who run its round."""
    experiment = (
        Experiment.objects.select_related("round")
        .filter(pk=pk, round__in=rounds_managed_by(user))
        .first()
    )
    if experiment is None:
        raise Http404("No such experiment")
    return experiment


# --- The panel ------------------------------------------------------------------------------


def panel_seat_for(user: User | None, round_id: int) -> PanelMember | None:
    """The signed-in user's seat on this round's panel, if they have one."""
    if not _signed_in(user):
        return None
    return PanelMember.objects.select_related("round").filter(round_id=round_id, user=user).first()


def panel_member_for_token(token: str) -> PanelMember:
    """The seat behind an emailed panel link: people without an account score through it."""
    member = (
        PanelMember.objects.select_related("round")
        .filter(token_hash=hash_token(token), user__isnull=True)
        .exclude(token_hash="")
        .first()
    )
    if member is None or member.round.status == Round.Status.REVIEWED:
        raise RecruitmentError(
            "This panel link does not work. Ask the person running the round for a new one."
        )
    return member


# --- Candidates -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateAccess:
    """A candidate, and what the viewer is to them.

    `manages`: the viewer runs the round and sees everything about the candidate. `seat`: the
    viewer's place on the round's panel, if any; a seat alone reaches only the candidates in
    front of the panel (invited or attended), and never their own words.
    """

    candidate: Candidate
    manages: bool
    seat: PanelMember | None

    @property
    def scores(self) -> bool:
        """The viewer sits on the panel and may score this candidate now."""
        return self.seat is not None and self.candidate.is_scorable


def candidate_access(
    pk: int, *, user: User | None = None, seat: PanelMember | None = None
) -> CandidateAccess:
    """The one way to a candidate, for the staff pages, the panel's pages and the API alike.

    Pass the signed-in `user` (staff running the round, or a panel member with an account),
    or the `seat` an emailed panel link gave. 404 for anyone who may not see the candidate.
    """
    candidate = Candidate.objects.select_related("round", "workshop").filter(pk=pk).first()
    if candidate is None:
        raise Http404("No such candidate")
    manages = can_manage_round(user, candidate.round) if user is not None else False
    if seat is None and user is not None:
        seat = panel_seat_for(user, candidate.round_id)
    elif seat is not None and seat.round_id != candidate.round_id:
        seat = None
    access = CandidateAccess(candidate=candidate, manages=manages, seat=seat)
    if not (access.manages or access.scores):
        raise Http404("No such candidate")
    return access


def get_candidate_for(user: User, pk: int) -> CandidateAccess:
    """A candidate for the staff pages: only for those who run the round."""
    access = candidate_access(pk, user=user)
    if not access.manages:
        raise Http404("No such candidate")
    return access


# --- Survey reports -------------------------------------------------------------------------


def can_see_reports(user: User) -> bool:
    """Admins, round owners and coaches read survey numbers; nobody else does."""
    if not _signed_in(user):
        return False
    return user.is_org_admin or coaches(user) or Round.objects.filter(owners=user).exists()


def rounds_reported_to(user: User) -> QuerySet[Round]:
    """The rounds whose reports a user may open."""
    if not _signed_in(user):
        return Round.objects.none()
    if user.is_org_admin or coaches(user):
        return Round.objects.all()
    return rounds_managed_by(user)


def get_round_for_report(user: User, pk: int) -> tuple[Round, bool]:
    """The round whose report `user` may read, and whether they may read the free text.

    Admins and the round's owners read everything. Coaches support the teams new starters
    join, so they read the numbers of any round, but never candidates' own words.
    """
    round_ = rounds_managed_by(user).filter(pk=pk).first()
    if round_ is not None:
        return round_, True
    if _signed_in(user) and coaches(user):
        round_ = Round.objects.filter(pk=pk).first()
        if round_ is not None:
            return round_, False
    raise Http404("No such round")
