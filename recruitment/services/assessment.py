"""Value-based assessment: each panel member scores alone, then the panel compares."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from ..errors import RecruitmentError
from ..models import AssessmentSheet, Candidate, PanelMember, Score


@transaction.atomic
def sheet_save(
    *,
    candidate: Candidate,
    panel_member: PanelMember,
    scores: dict[int, tuple[int | None, str]],
    submit: bool = False,
) -> AssessmentSheet:
    """Save a panel member's scores (value id → (0–5 or None, evidence)); submit to share them.

    A submitted sheet is final: it is what the panel discusses, and changing it afterwards
    would let one member move their scores towards the others'.
    """
    if panel_member.round_id != candidate.round_id:
        raise RecruitmentError("You are not on this round's panel.")
    if candidate.stage not in {Candidate.Stage.INVITED, Candidate.Stage.ATTENDED}:
        raise RecruitmentError("Only candidates invited to or at the workshop can be scored.")
    if (
        candidate.stage == Candidate.Stage.INVITED
        and candidate.workshop
        and candidate.workshop.starts_at > timezone.now()
    ):
        # The panel scores what it saw at the workshop, so not before it.
        raise RecruitmentError(
            "Scoring opens when the workshop starts, on "
            f"{timezone.localtime(candidate.workshop.starts_at):%-d %B}."
        )
    sheet, _ = AssessmentSheet.objects.select_for_update().get_or_create(
        candidate=candidate, panel_member=panel_member
    )
    if sheet.submitted_at:
        raise RecruitmentError("You have submitted your scores for this candidate already.")
    value_ids = set(candidate.round.values.values_list("pk", flat=True))
    if set(scores) - value_ids:
        raise RecruitmentError("Score only the values this round assesses.")
    for value_id, (score, evidence) in scores.items():
        if score is not None and not 0 <= score <= 5:
            raise RecruitmentError("Scores go from 0 to 5.")
        if score is None:
            Score.objects.filter(sheet=sheet, value_id=value_id).delete()
            continue
        Score.objects.update_or_create(
            sheet=sheet,
            value_id=value_id,
            defaults={"score": score, "evidence": evidence.strip()},
        )
    if submit:
        scored = set(sheet.scores.values_list("value_id", flat=True))
        if scored != value_ids:
            raise RecruitmentError("Score every value before you submit.")
        sheet.submitted_at = timezone.now()
        sheet.save(update_fields=["submitted_at"])
    return sheet
