"""Reads for value-based assessment: the panel's lists, scoring sheets and the comparison.

The rule that makes the scoring independent lives here, in `candidate_comparison`: a panel
member sees nobody else's scores for a candidate until they have submitted their own, and
nobody sees a sheet that is still a draft. Every page that shows scores reads them through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Lower

from values.models import Value

from ..models import AssessmentSheet, Candidate, PanelMember, Score

# Panel scores this far apart (max − min) are worth talking through before deciding.
DISCUSS_SPREAD = 2


def panel_candidate_list(*, seat: PanelMember) -> list[Candidate]:
    """The candidates a panel member scores, each with `my_scored` (how many values they have
    scored) and `my_submitted_at` (when they submitted, or None)."""
    own_sheet = AssessmentSheet.objects.filter(candidate=OuterRef("pk"), panel_member=seat)
    return list(
        Candidate.objects.filter(round_id=seat.round_id, stage__in=Candidate.SCORABLE)
        .select_related("workshop")
        .annotate(
            my_submitted_at=Subquery(own_sheet.values("submitted_at")[:1]),
            my_scored=Count("sheets__scores", filter=Q(sheets__panel_member=seat)),
        )
        .order_by("workshop__starts_at", "name", "pk")
    )


def round_values(*, round_id: int) -> list[Value]:
    """The values a round assesses, in the organisation's order, with their behaviours."""
    return list(
        Value.objects.filter(recruitment_rounds__id=round_id)
        .prefetch_related("behaviours")
        .order_by("order", "name")
    )


@dataclass(frozen=True)
class ScoringSheet:
    """What a panel member's scoring page needs: the values and their own sheet so far."""

    values: list[Value]
    sheet: AssessmentSheet | None
    scores: dict[int, Score]

    @property
    def submitted_at(self) -> datetime | None:
        return self.sheet.submitted_at if self.sheet else None


def scoring_sheet(*, seat: PanelMember, candidate: Candidate) -> ScoringSheet:
    sheet = AssessmentSheet.objects.filter(candidate=candidate, panel_member=seat).first()
    scores = {score.value_id: score for score in sheet.scores.all()} if sheet else {}
    return ScoringSheet(
        values=round_values(round_id=candidate.round_id), sheet=sheet, scores=scores
    )


@dataclass(frozen=True)
class ScoreCell:
    score: int
    evidence: str


@dataclass(frozen=True)
class ValueRow:
    """One value across the panel: a cell per column (None where that member gave none)."""

    value: Value
    cells: list[ScoreCell | None]
    mean: float | None
    spread: int | None

    @property
    def discuss(self) -> bool:
        return self.spread is not None and self.spread >= DISCUSS_SPREAD


@dataclass(frozen=True)
class Comparison:
    """The panel's scores for one candidate, as the viewer may see them.

    `own_only` means the viewer sits on the panel and has not submitted: they see their own
    scores and nothing of anyone else's (not even how the others scored on average).
    """

    columns: list[PanelMember]
    rows: list[ValueRow]
    own_only: bool
    waiting_for: list[PanelMember] = field(default_factory=list)

    @property
    def has_scores(self) -> bool:
        return any(cell is not None for row in self.rows for cell in row.cells)

    @property
    def to_discuss(self) -> list[ValueRow]:
        return [row for row in self.rows if row.discuss]

    def value_rows(self) -> list[tuple[ValueRow, list[tuple[PanelMember, ScoreCell | None]]]]:
        """Each row with its cells paired to the panel member who gave them."""
        return [(row, list(zip(self.columns, row.cells, strict=True))) for row in self.rows]


def candidate_comparison(*, candidate: Candidate, seat: PanelMember | None) -> Comparison:
    """The side-by-side scores for a candidate, in four queries.

    `seat` is the viewer's own place on this round's panel, or None for staff running the
    round who are not on it. With a seat whose sheet is not submitted, only that sheet is
    returned; otherwise every submitted sheet is. Drafts are never shown to anyone else.
    """
    values = list(
        Value.objects.filter(recruitment_rounds__id=candidate.round_id).order_by("order", "name")
    )
    sheets = list(
        AssessmentSheet.objects.filter(candidate=candidate)
        .select_related("panel_member")
        .order_by(Lower("panel_member__name"), "panel_member__pk")
    )
    own = None
    if seat is not None:
        own = next((sheet for sheet in sheets if sheet.panel_member_id == seat.pk), None)
    own_only = seat is not None and (own is None or own.submitted_at is None)
    if own_only:
        visible = [own] if own is not None else []
    else:
        visible = [sheet for sheet in sheets if sheet.submitted_at is not None]
    visible_ids = [sheet.pk for sheet in visible]
    scores = {
        (score.sheet_id, score.value_id): ScoreCell(score.score, score.evidence)
        for score in Score.objects.filter(sheet_id__in=visible_ids)
    }
    rows = []
    for value in values:
        cells = [scores.get((sheet.pk, value.pk)) for sheet in visible]
        given = [cell.score for cell in cells if cell is not None]
        panel_view = not own_only and given
        rows.append(
            ValueRow(
                value=value,
                cells=cells,
                mean=round(sum(given) / len(given), 1) if panel_view else None,
                spread=max(given) - min(given) if panel_view and len(given) > 1 else None,
            )
        )
    submitted = {sheet.panel_member_id for sheet in sheets if sheet.submitted_at is not None}
    waiting_for = [
        member
        for member in PanelMember.objects.filter(round_id=candidate.round_id).order_by(
            Lower("name"), "pk"
        )
        if member.pk not in submitted
    ]
    return Comparison(
        columns=[sheet.panel_member for sheet in visible],
        rows=rows,
        own_only=own_only,
        waiting_for=[] if own_only else waiting_for,
    )
