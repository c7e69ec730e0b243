"""Value-based assessment: each panel member scores alone, a submitted sheet is final, and the
comparison shows a viewer nobody else's scores until their own are in."""

from __future__ import annotations

import pytest

from recruitment.models import AssessmentSheet, Score
from recruitment.selectors.assessment import candidate_comparison, panel_candidate_list
from recruitment.services import RecruitmentError
from recruitment.services.assessment import sheet_save
from tests.recruitment.factories import (
    CandidateFactory,
    PanelMemberFactory,
    at_workshop,
    open_round,
    values_for_tests,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(round_):
    return values_for_tests()


@pytest.fixture
def candidate(candidate):
    """The cast's candidate, at the workshop: in front of the panel."""
    return at_workshop(candidate)


def scores_of(values, *numbers, evidence=""):
    return {value.pk: (number, evidence) for value, number in zip(values, numbers, strict=True)}


def submit(candidate, member, values, *numbers, evidence=""):
    return sheet_save(
        candidate=candidate,
        panel_member=member,
        scores=scores_of(values, *numbers, evidence=evidence),
        submit=True,
    )


# --- Saving a sheet -------------------------------------------------------------------------


def test_sheet_can_be_saved_in_parts_and_submitted_when_complete(round_, candidate, values):
    member = PanelMemberFactory(round=round_)
    sheet_save(candidate=candidate, panel_member=member, scores=scores_of(values[:1], 4))
    with pytest.raises(RecruitmentError, match="Score every value"):
        sheet_save(candidate=candidate, panel_member=member, scores={}, submit=True)
    sheet = sheet_save(
        candidate=candidate, panel_member=member, scores=scores_of(values[1:], 2, 3), submit=True
    )
    assert sheet.submitted_at is not None
    assert sorted(sheet.scores.values_list("score", flat=True)) == [2, 3, 4]


def test_submitted_sheet_cannot_change(round_, candidate, values):
    member = PanelMemberFactory(round=round_)
    submit(candidate, member, values, 1, 2, 3)
    with pytest.raises(RecruitmentError, match="submitted your scores"):
        sheet_save(candidate=candidate, panel_member=member, scores=scores_of(values, 5, 5, 5))
    assert sorted(Score.objects.values_list("score", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("score", [6, -1, 100])
def test_scores_go_from_0_to_5(round_, candidate, values, score):
    with pytest.raises(RecruitmentError, match="0 to 5"):
        sheet_save(
            candidate=candidate,
            panel_member=PanelMemberFactory(round=round_),
            scores={values[0].pk: (score, "")},
        )
    assert not Score.objects.exists()


def test_only_the_rounds_values_are_scored(round_, candidate):
    with pytest.raises(RecruitmentError, match="only the values"):
        sheet_save(
            candidate=candidate,
            panel_member=PanelMemberFactory(round=round_),
            scores={999999: (3, "")},
        )


def test_panel_member_scores_only_their_own_rounds_candidates(candidate, values):
    stranger = PanelMemberFactory(round=open_round(title="Other"))
    with pytest.raises(RecruitmentError, match="not on this round's panel"):
        submit(candidate, stranger, values, 3, 3, 3)
    assert not AssessmentSheet.objects.exists()


@pytest.mark.parametrize("stage", ["applied", "withdrawn", "successful"])
def test_only_invited_or_attended_candidates_are_scored(round_, values, stage):
    candidate = CandidateFactory(round=round_, stage=stage)
    with pytest.raises(RecruitmentError, match="invited to or at the workshop"):
        submit(candidate, PanelMemberFactory(round=round_), values, 3, 3, 3)


# --- The comparison -------------------------------------------------------------------------


def test_before_submitting_a_panel_member_sees_only_their_own_scores(round_, candidate, values):
    mina, pat = PanelMemberFactory(round=round_), PanelMemberFactory(round=round_)
    submit(candidate, pat, values, 5, 5, 5, evidence="Pat's view")
    sheet_save(candidate=candidate, panel_member=mina, scores=scores_of(values[:1], 2))
    comparison = candidate_comparison(candidate=candidate, seat=mina)
    assert comparison.own_only
    assert comparison.columns == [mina]
    own = {row.value: row.cells[0].score if row.cells[0] else None for row in comparison.rows}
    assert own == {values[0]: 2, values[1]: None, values[2]: None}
    assert all(row.mean is None and not row.discuss for row in comparison.rows)
    assert comparison.waiting_for == []


def test_before_scoring_at_all_a_panel_member_sees_nothing(round_, candidate, values):
    mina, pat = PanelMemberFactory(round=round_), PanelMemberFactory(round=round_)
    submit(candidate, pat, values, 5, 5, 5)
    comparison = candidate_comparison(candidate=candidate, seat=mina)
    assert comparison.own_only
    assert comparison.columns == []
    assert not comparison.has_scores


def test_after_submitting_a_panel_member_sees_every_submitted_sheet_but_no_draft(
    round_, candidate, values
):
    mina = PanelMemberFactory(round=round_, name="Mina")
    pat = PanelMemberFactory(round=round_, name="Pat")
    dee = PanelMemberFactory(round=round_, name="Dee")
    submit(candidate, pat, values, 4, 4, 4, evidence="Pat's view")
    sheet_save(candidate=candidate, panel_member=dee, scores=scores_of(values[:1], 0))
    submit(candidate, mina, values, 2, 3, 4)
    comparison = candidate_comparison(candidate=candidate, seat=mina)
    assert not comparison.own_only
    assert comparison.columns == [mina, pat]
    assert comparison.rows[0].cells[1].evidence == "Pat's view"
    assert comparison.waiting_for == [dee]


def test_staff_not_on_the_panel_see_every_submitted_sheet(round_, candidate, values):
    pat, ravi = PanelMemberFactory(round=round_), PanelMemberFactory(round=round_)
    submit(candidate, pat, values, 4, 4, 4)
    submit(candidate, ravi, values, 3, 3, 3)
    comparison = candidate_comparison(candidate=candidate, seat=None)
    assert not comparison.own_only
    assert set(comparison.columns) == {pat, ravi}


def test_mean_is_of_the_submitted_scores(round_, candidate, values):
    for numbers in ((2, 0, 5), (3, 1, 5), (5, 1, 5)):
        submit(candidate, PanelMemberFactory(round=round_), values, *numbers)
    rows = candidate_comparison(candidate=candidate, seat=None).rows
    assert {row.value: row.mean for row in rows} == dict(zip(values, [3.3, 0.7, 5.0], strict=True))


def test_scores_two_or_more_apart_are_flagged_for_discussion_and_one_apart_are_not(
    round_, candidate, values
):
    submit(candidate, PanelMemberFactory(round=round_), values, 1, 3, 4)
    submit(candidate, PanelMemberFactory(round=round_), values, 3, 4, 4)
    rows = candidate_comparison(candidate=candidate, seat=None).rows
    flags = {row.value: (row.spread, row.discuss) for row in rows}
    assert flags == dict(zip(values, [(2, True), (1, False), (0, False)], strict=True))


def test_a_single_sheet_has_nothing_to_discuss(round_, candidate, values):
    submit(candidate, PanelMemberFactory(round=round_), values, 0, 5, 3)
    rows = candidate_comparison(candidate=candidate, seat=None).rows
    assert not any(row.discuss for row in rows)


def test_comparison_runs_a_fixed_number_of_queries(
    round_, candidate, values, django_assert_num_queries
):
    submit(candidate, PanelMemberFactory(round=round_), values, 1, 2, 3)
    with django_assert_num_queries(4):
        candidate_comparison(candidate=candidate, seat=None)
    for _ in range(4):
        submit(candidate, PanelMemberFactory(round=round_), values, 4, 4, 4)
    PanelMemberFactory(round=round_)
    with django_assert_num_queries(4):
        candidate_comparison(candidate=candidate, seat=None)


def test_panel_list_marks_what_each_panel_member_has_scored(round_, candidate, values):
    mina, pat = PanelMemberFactory(round=round_), PanelMemberFactory(round=round_)
    submit(candidate, pat, values, 4, 4, 4)
    sheet_save(candidate=candidate, panel_member=mina, scores=scores_of(values[:2], 1, 2))
    [listed] = panel_candidate_list(seat=mina)
    assert (listed.my_scored, listed.my_submitted_at) == (2, None)
    [listed] = panel_candidate_list(seat=pat)
    assert listed.my_scored == 3
    assert listed.my_submitted_at is not None
