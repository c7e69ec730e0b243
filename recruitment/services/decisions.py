"""Decisions, and telling candidates. The survey follows only once they have been told."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wellbeing.accounts.models import User

from ..errors import RecruitmentError
from ..models import AssessmentSheet, Candidate
from .survey import survey_invite


@transaction.atomic
def candidate_decide(
    *, candidate: Candidate, outcome: str, reason: str, by: User, without_scores: str = ""
) -> Candidate:
    """Record the decision. Value-based recruitment decides on the panel's scores, so deciding
    without any needs its own reason (`without_scores`), kept with the decision's."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if outcome not in Candidate.OUTCOMES:
        raise RecruitmentError("The outcome is either successful or unsuccessful.")
    if candidate.communicated_at:
        raise RecruitmentError("The candidate has been told already; the decision stands.")
    if candidate.stage != Candidate.Stage.ATTENDED and not candidate.is_decided:
        raise RecruitmentError("Decide only for candidates who attended the workshop.")
    if not reason.strip():
        raise RecruitmentError("Record the reason for the decision.")
    reason = reason.strip()
    if not AssessmentSheet.objects.filter(candidate=candidate, submitted_at__isnull=False).exists():
        if not without_scores.strip():
            raise RecruitmentError(
                f"No panel member has submitted scores for {candidate.name}. Say why you are "
                "deciding without the panel's scores."
            )
        reason = f"{reason}{Candidate.WITHOUT_SCORES_NOTE}{without_scores.strip()}"
    candidate.stage = outcome
    candidate.decision_reason = reason
    candidate.decided_at = timezone.now()
    candidate.decided_by = by
    candidate.save(update_fields=["stage", "decision_reason", "decided_at", "decided_by"])
    return candidate


@transaction.atomic
def candidate_communicate(*, candidate: Candidate, how: str, by: User) -> Candidate:
    """Record that the candidate was told the outcome, and invite them to the survey.

    The survey is never sent before this: a survey that reveals a rejection first is a harm.
    """
    candidate = Candidate.objects.select_for_update().select_related("round").get(pk=candidate.pk)
    if not candidate.is_decided:
        raise RecruitmentError("Record the decision before recording that it was communicated.")
    if candidate.communicated_at:
        raise RecruitmentError("This candidate has been told already.")
    if how not in Candidate.Channel.values:
        raise RecruitmentError("Say how the candidate was told: by phone, in person or by email.")
    candidate.communicated_at = timezone.now()
    candidate.communicated_how = how
    candidate.communicated_by = by
    candidate.save(update_fields=["communicated_at", "communicated_how", "communicated_by"])
    survey_invite(candidate=candidate)
    return candidate
