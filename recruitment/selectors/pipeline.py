"""Reads for the public application pages and the staff pages that run a round.

Each runs in a fixed number of queries whatever the number of rounds, candidates or panel.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from wellbeing.accounts.models import User

from ..models import Answer, Candidate, PanelMember, Round, ValueQuestion, Workshop
from ..permissions import rounds_managed_by

# The order a candidate moves through a round, for the pages that group them by stage.
STAGE_ORDER = list(Candidate.Stage)
# Short enough to head a column of counts.
STAGE_SHORT_LABELS = {
    Candidate.Stage.APPLIED: "Applied",
    Candidate.Stage.INVITED: "Invited",
    Candidate.Stage.ATTENDED: "Attended",
    Candidate.Stage.SUCCESSFUL: "Successful",
    Candidate.Stage.UNSUCCESSFUL: "Unsuccessful",
    Candidate.Stage.WITHDRAWN: "Withdrawn",
}


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


@dataclass(frozen=True)
class StageGroup:
    stage: str
    label: str
    candidates: list[Candidate]


# --- Public ---------------------------------------------------------------------------------


def open_round_list() -> QuerySet[Round]:
    """Rounds taking applications today, the one closing soonest first."""
    today = timezone.localdate()
    return (
        Round.objects.filter(status=Round.Status.OPEN, opens_on__lte=today, closes_on__gte=today)
        .prefetch_related("roles")
        .order_by("closes_on", "title")
    )


def application_round(*, slug: str) -> Round | None:
    """The round behind a public application link with everything its page shows, or None.

    Draft rounds are not public yet, so they are not found at all. `workshops_to_come` lists
    only the workshops still ahead: one that has happened is no use to someone applying now.
    """
    return (
        Round.objects.exclude(status=Round.Status.DRAFT)
        .prefetch_related(
            "roles",
            Prefetch(
                "workshops",
                queryset=Workshop.objects.to_come().order_by("starts_at"),
                to_attr="workshops_to_come",
            ),
            Prefetch("questions", queryset=ValueQuestion.objects.select_related("value")),
        )
        .filter(slug=slug)
        .first()
    )


# --- Staff ----------------------------------------------------------------------------------


def _reached_counts() -> dict[str, Count]:
    """How many candidates ever reached each stage: a past round's candidates have all moved
    on, so counting where they are now would read as nobody having applied or been invited."""
    reached = {
        Candidate.Stage.APPLIED: Q(candidates__pk__isnull=False),
        Candidate.Stage.INVITED: Q(candidates__invited_at__isnull=False),
        Candidate.Stage.ATTENDED: Q(candidates__attended_at__isnull=False),
    }
    return {
        f"n_{stage}": Count(
            "candidates", filter=reached.get(stage, Q(candidates__stage=stage)), distinct=True
        )
        for stage in STAGE_ORDER
    }


def round_list(*, user: User) -> list[Round]:
    """The rounds a user runs, newest first, each with `stage_counts`: how many candidates
    reached each stage (a StageCount a stage)."""
    rounds = list(
        rounds_managed_by(user).annotate(**_reached_counts()).order_by("-opens_on", "-pk")
    )
    for round_ in rounds:
        round_.stage_counts = [
            StageCount(stage, STAGE_SHORT_LABELS[stage], getattr(round_, f"n_{stage}"))
            for stage in STAGE_ORDER
        ]
        round_.candidate_total = round_.stage_counts[0].count
    return rounds


def panel_seat_list(*, user: User) -> list[PanelMember]:
    """The panels a signed-in user sits on, so they can find their scoring pages."""
    if not user.is_authenticated:
        return []
    return list(
        PanelMember.objects.filter(user=user)
        .exclude(round__status=Round.Status.REVIEWED)
        .select_related("round")
        .order_by("-round__opens_on", "-round__pk")
    )


def round_detail(*, round_: Round) -> dict:
    """Everything on a round's staff page."""
    round_ = (
        Round.objects.prefetch_related("roles", "teams", "values", "owners")
        .annotate(has_survey_answers=Count("survey_responses", distinct=True))
        .get(pk=round_.pk)
    )
    candidates = list(round_.candidates.select_related("workshop").order_by("name", "pk"))
    groups = [
        StageGroup(stage, stage.label, [c for c in candidates if c.stage == stage])
        for stage in STAGE_ORDER
    ]
    return {
        "round": round_,
        "next_statuses": round_.next_statuses,
        "stage_groups": groups,
        "candidate_total": len(candidates),
        "workshops": list(
            round_.workshops.annotate(n_candidates=Count("candidates")).order_by("starts_at")
        ),
        "questions": question_list(round_=round_),
        "touch_points": list(
            round_.touch_points.annotate(n_answers=Count("answers")).order_by("order", "pk")
        ),
        "panel": list(
            round_.panel.select_related("user")
            .annotate(
                n_submitted=Count("sheets", filter=Q(sheets__submitted_at__isnull=False)),
            )
            .order_by(Lower("name"), "pk")
        ),
        "survey_has_answers": bool(round_.has_survey_answers),
    }


def candidate_detail(*, candidate: Candidate) -> dict:
    """Everything on a candidate's staff page except the panel's comparison."""
    candidate = Candidate.objects.select_related(
        "round", "workshop", "decided_by", "communicated_by"
    ).get(pk=candidate.pk)
    return {
        "candidate": candidate,
        "round": candidate.round,
        "answers": list(
            Answer.objects.filter(candidate=candidate)
            .select_related("question__value")
            .order_by("question__order", "question__pk")
        ),
        "workshops": list(invitation_workshops(candidate=candidate)),
        "moves": candidate.moves,
    }


def invitation_workshops(*, candidate: Candidate) -> QuerySet[Workshop]:
    """The workshops a candidate can be invited to: their round's that are still to come, and
    the one they already have, so that undoing "attended" can keep it."""
    to_come = Q(starts_at__gt=timezone.now())
    if candidate.workshop_id:
        to_come |= Q(pk=candidate.workshop_id)
    return Workshop.objects.filter(to_come, round_id=candidate.round_id).order_by("starts_at")


def question_list(*, round_: Round) -> list[ValueQuestion]:
    """The application's questions, each with `n_answers`."""
    return list(
        round_.questions.select_related("value")
        .annotate(n_answers=Count("answers"))
        .order_by("order", "pk")
    )
