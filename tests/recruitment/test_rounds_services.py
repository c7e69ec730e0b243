"""The rules for setting up a round and moving candidates through it, deciding and telling them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recruitment.models import (
    Answer,
    Candidate,
    PanelMember,
    Round,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    TouchPoint,
    Workshop,
)
from recruitment.permissions import panel_member_for_token
from recruitment.services import RecruitmentError
from recruitment.services.decisions import candidate_communicate, candidate_decide
from recruitment.services.rounds import (
    candidate_move,
    panel_member_add,
    round_create,
    round_set_status,
    touch_point_remove,
    touch_point_save,
    value_question_update,
    workshop_add,
)
from tests.factories import UserFactory
from tests.recruitment.factories import CandidateFactory, open_round, values_for_tests
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def new_round(**overrides) -> Round:
    today = timezone.localdate()
    arguments = {
        "title": "Spring wellbeing workers",
        "opens_on": today,
        "closes_on": today + timedelta(days=14),
        "values": values_for_tests(),
    }
    arguments.update(overrides)
    return round_create(**arguments)


# --- Setting up -----------------------------------------------------------------------------


def test_new_round_is_a_draft_with_a_question_per_value_and_the_default_touch_points():
    round_ = new_round()
    assert round_.status == Round.Status.DRAFT
    assert round_.questions.count() == 3
    assert round_.touch_points.count() == 5


def test_rounds_with_the_same_title_get_different_links():
    assert new_round().slug != new_round().slug


def test_round_must_close_on_or_after_the_day_it_opens():
    today = timezone.localdate()
    with pytest.raises(RecruitmentError, match="close on or after"):
        new_round(opens_on=today, closes_on=today - timedelta(days=1))
    assert new_round(opens_on=today, closes_on=today).closes_on == today


def test_round_needs_at_least_one_value():
    with pytest.raises(RecruitmentError, match="at least one value"):
        new_round(values=[])
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    ("start", "goal"),
    [("draft", "open"), ("open", "closed"), ("closed", "open"), ("decided", "reviewed")],
)
def test_round_moves_along_its_allowed_path(start, goal):
    round_ = open_round(status=start)
    assert round_set_status(round_=round_, status=goal).status == goal


@pytest.mark.parametrize(
    ("start", "goal"),
    [("draft", "decided"), ("open", "draft"), ("decided", "open"), ("reviewed", "open")],
)
def test_round_cannot_jump_or_go_back(start, goal):
    round_ = open_round(status=start)
    with pytest.raises(RecruitmentError):
        round_set_status(round_=round_, status=goal)


def test_round_is_decided_only_when_every_candidate_is(round_):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    with pytest.raises(RecruitmentError, match="Every candidate needs a decision"):
        round_set_status(round_=round_, status=Round.Status.DECIDED)
    Candidate.objects.filter(pk=candidate.pk).update(stage=Candidate.Stage.UNSUCCESSFUL)
    assert round_set_status(round_=round_, status=Round.Status.DECIDED).status == "decided"


# --- Questions and touch points -------------------------------------------------------------


def test_question_can_be_reworded_until_someone_answers_it(round_):
    question = round_.questions.first()
    assert (
        value_question_update(question=question, text="  Tell us more.  ").text == "Tell us more."
    )
    Answer.objects.create(candidate=CandidateFactory(round=round_), question=question, text="Hi")
    with pytest.raises(RecruitmentError, match="wording is fixed"):
        value_question_update(question=question, text="Something else")


def test_question_cannot_be_empty(round_):
    with pytest.raises(RecruitmentError):
        value_question_update(question=round_.questions.first(), text="   ")


def test_renaming_a_touch_point_keeps_its_place(round_):
    first = round_.touch_points.first()
    touch_point_save(round_=round_, key=first.key, name="Reading about the role")
    assert round_.touch_points.first().name == "Reading about the role"


def test_new_touch_point_goes_last(round_):
    touch_point = touch_point_save(round_=round_, key="phone-call", name="The phone call")
    assert list(round_.touch_points.all())[-1] == touch_point


def survey_answered(round_: Round, touch_point: TouchPoint) -> None:
    response = SurveyResponse.objects.create(round=round_, submitted_on=timezone.localdate())
    SurveyAnswer.objects.create(response=response, touch_point=touch_point, score=7)


def test_touch_points_are_fixed_once_the_survey_has_answers(round_):
    answered, unanswered = round_.touch_points.first(), round_.touch_points.last()
    survey_answered(round_, answered)
    with pytest.raises(RecruitmentError, match="fixed"):
        touch_point_save(round_=round_, key=answered.key, name="New name")
    with pytest.raises(RecruitmentError, match="fixed"):
        touch_point_remove(touch_point=answered)
    # Even one nobody has answered: later candidates would get a different survey.
    with pytest.raises(RecruitmentError, match="fixed"):
        touch_point_remove(touch_point=unanswered)
    assert round_.touch_points.count() == 5


def test_touch_point_can_be_removed_before_anyone_answers(round_):
    touch_point_remove(touch_point=round_.touch_points.last())
    assert round_.touch_points.count() == 4


# --- The panel ------------------------------------------------------------------------------


def test_panel_member_without_an_account_gets_a_personal_link(round_):
    member = panel_member_add(
        round_=round_, name="Pat", email=" Pat@Example.org ", kind=PanelMember.Kind.EXPERT
    )
    assert member.email == "pat@example.org"
    assert member.token_hash
    assert member.invited_at
    assert OutboxEmail.objects.filter(idempotency_key=f"panel-invite:{member.pk}").exists()


def test_panel_member_with_an_account_is_linked_to_it(round_):
    user = UserFactory(email="cora@example.org")
    member = panel_member_add(
        round_=round_, name="Cora", email="cora@example.org", kind=PanelMember.Kind.STAFF
    )
    assert member.user == user
    assert not member.token_hash


def test_nobody_sits_on_a_panel_twice(round_):
    panel_member_add(round_=round_, name="Pat", email="pat@example.org", kind="expert")
    with pytest.raises(RecruitmentError, match="already on this panel"):
        panel_member_add(round_=round_, name="Pat", email="PAT@example.org", kind="expert")


@pytest.mark.parametrize("token", ["", "forged", "a" * 300])
def test_forged_panel_token_is_refused(round_, token):
    panel_member_add(round_=round_, name="Pat", email="pat@example.org", kind="expert")
    with pytest.raises(RecruitmentError, match="does not work"):
        panel_member_for_token(token)


# --- Moving candidates ----------------------------------------------------------------------


def test_invitation_to_a_workshop_is_emailed_once(round_):
    workshop = workshop_add(
        round_=round_, starts_at=timezone.now() + timedelta(days=1), place="Hall"
    )
    candidate = candidate_move(
        candidate=CandidateFactory(round=round_), stage="invited", workshop=workshop
    )
    assert candidate.invited_at is not None
    key = f"workshop-invite:{candidate.pk}:{workshop.pk}"
    assert OutboxEmail.objects.filter(idempotency_key=key).count() == 1


def test_candidate_cannot_be_invited_to_another_rounds_workshop(round_):
    theirs = workshop_add(
        round_=open_round(title="Other"), starts_at=timezone.now() + timedelta(days=1), place="X"
    )
    candidate = CandidateFactory(round=round_)
    with pytest.raises(RecruitmentError, match="another round"):
        candidate_move(candidate=candidate, stage="invited", workshop=theirs)
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.APPLIED


@pytest.mark.parametrize(
    ("start", "goal"),
    [("applied", "attended"), ("applied", "successful"), ("unsuccessful", "applied")],
)
def test_candidate_moves_only_one_step_at_a_time(round_, start, goal):
    with pytest.raises(RecruitmentError):
        candidate_move(candidate=CandidateFactory(round=round_, stage=start), stage=goal)


def test_erased_candidate_cannot_be_moved(round_):
    candidate = CandidateFactory(round=round_, erased_at=timezone.now())
    with pytest.raises(RecruitmentError, match="erased"):
        candidate_move(candidate=candidate, stage="withdrawn")


# --- Deciding and telling -------------------------------------------------------------------


def test_decision_needs_the_workshop_attended_and_a_reason(round_, admin):
    applied = CandidateFactory(round=round_)
    with pytest.raises(RecruitmentError, match="attended"):
        candidate_decide(
            candidate=applied,
            outcome="successful",
            reason="Kind",
            by=admin,
            without_scores="Panel unwell",
        )
    attended = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    with pytest.raises(RecruitmentError, match="reason"):
        candidate_decide(
            candidate=attended,
            outcome="successful",
            reason=" ",
            by=admin,
            without_scores="Panel unwell",
        )
    decided = candidate_decide(
        candidate=attended,
        outcome="successful",
        reason="Kind",
        by=admin,
        without_scores="Panel unwell",
    )
    assert (decided.stage, decided.decided_by) == (Candidate.Stage.SUCCESSFUL, admin)


def test_deciding_sends_no_survey(round_, admin):
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    candidate_decide(
        candidate=candidate,
        outcome="unsuccessful",
        reason="Not yet",
        by=admin,
        without_scores="Panel unwell",
    )
    assert not SurveyInvitation.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_telling_the_candidate_needs_a_decision_first(round_, admin):
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    with pytest.raises(RecruitmentError, match="Record the decision"):
        candidate_communicate(candidate=candidate, how="phone", by=admin)
    assert not SurveyInvitation.objects.exists()


def test_telling_the_candidate_sends_exactly_one_survey_invitation(round_, admin):
    candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    candidate_decide(
        candidate=candidate,
        outcome="successful",
        reason="Warm",
        by=admin,
        without_scores="Panel unwell",
    )
    candidate_communicate(candidate=candidate, how="phone", by=admin)
    with pytest.raises(RecruitmentError, match="told already"):
        candidate_communicate(candidate=candidate, how="email", by=admin)
    invitation = SurveyInvitation.objects.get()
    assert OutboxEmail.objects.filter(idempotency_key=f"survey-invite:{invitation.pk}").count() == 1


def test_no_survey_for_a_candidate_who_did_not_agree_to_be_contacted(round_, admin):
    candidate = CandidateFactory(
        round=round_, stage=Candidate.Stage.ATTENDED, consent_contact=False
    )
    candidate_decide(
        candidate=candidate,
        outcome="unsuccessful",
        reason="Not yet",
        by=admin,
        without_scores="Panel unwell",
    )
    candidate_communicate(candidate=candidate, how="in_person", by=admin)
    assert not SurveyInvitation.objects.exists()


def test_a_candidate_cannot_have_attended_a_workshop_still_to_come():
    from datetime import timedelta

    from django.utils import timezone

    from recruitment.models import Candidate
    from recruitment.services import RecruitmentError
    from recruitment.services.rounds import candidate_move, workshop_add
    from tests.recruitment.factories import CandidateFactory

    candidate = CandidateFactory()
    workshop = workshop_add(
        round_=candidate.round, starts_at=timezone.now() + timedelta(days=3), place="Hall"
    )
    candidate_move(candidate=candidate, stage=Candidate.Stage.INVITED, workshop=workshop)
    with pytest.raises(RecruitmentError, match="has not happened yet"):
        candidate_move(candidate=candidate, stage=Candidate.Stage.ATTENDED)
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.INVITED


# --- Moving back, and workshops that have happened --------------------------------------------


def future_workshop(round_, days=5, place="Hall"):
    return workshop_add(round_=round_, starts_at=timezone.now() + timedelta(days=days), place=place)


def test_a_workshop_in_the_past_is_refused(round_):
    with pytest.raises(RecruitmentError, match="must be in the future"):
        workshop_add(round_=round_, starts_at=timezone.now() - timedelta(hours=1), place="Hall")
    assert not round_.workshops.exists()


def test_nobody_is_invited_to_a_workshop_that_has_happened(round_):
    workshop = future_workshop(round_)
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(days=1))
    workshop.refresh_from_db()
    candidate = CandidateFactory(round=round_)
    with pytest.raises(RecruitmentError, match="already happened"):
        candidate_move(candidate=candidate, stage="invited", workshop=workshop)
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="workshop-invite:").exists()


def test_moving_back_from_invited_cancels_by_email_and_forgets_the_workshop(round_):
    workshop = future_workshop(round_)
    candidate = CandidateFactory(round=round_, name="Priya Shah")
    candidate_move(candidate=candidate, stage="invited", workshop=workshop)
    candidate = candidate_move(candidate=candidate, stage="applied")
    assert candidate.workshop is None
    cancel = OutboxEmail.objects.get(idempotency_key__startswith=f"workshop-cancel:{candidate.pk}:")
    assert cancel.to == candidate.email
    assert "cancel" in cancel.subject.lower()
    assert workshop.place in cancel.body_text


def test_reinviting_after_a_cancellation_sends_one_new_invitation(round_):
    first, second = future_workshop(round_), future_workshop(round_, days=9, place="Library")
    candidate = CandidateFactory(round=round_)
    candidate_move(candidate=candidate, stage="invited", workshop=first)
    candidate_move(candidate=candidate, stage="applied")
    candidate_move(candidate=candidate, stage="invited", workshop=second)
    invitations = OutboxEmail.objects.filter(idempotency_key__startswith="workshop-invite:")
    assert invitations.count() == 2
    assert "Library" in invitations.order_by("-created_at").first().body_text


def test_undoing_attended_sends_no_second_invitation(round_):
    workshop = future_workshop(round_)
    candidate = CandidateFactory(round=round_)
    candidate_move(candidate=candidate, stage="invited", workshop=workshop)
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    candidate_move(candidate=candidate, stage="attended")
    candidate_move(candidate=candidate, stage="invited")
    assert OutboxEmail.objects.filter(idempotency_key__startswith="workshop-").count() == 1


def test_the_panel_cannot_score_before_the_workshop_has_happened(round_):
    from recruitment.services.assessment import sheet_save
    from tests.recruitment.factories import PanelMemberFactory

    workshop = future_workshop(round_)
    candidate = candidate_move(
        candidate=CandidateFactory(round=round_), stage="invited", workshop=workshop
    )
    seat = PanelMemberFactory(round=round_)
    value = round_.values.first()
    with pytest.raises(RecruitmentError, match="Scoring opens when the workshop starts"):
        sheet_save(candidate=candidate, panel_member=seat, scores={value.pk: (3, "")})
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    candidate.refresh_from_db()
    assert sheet_save(candidate=candidate, panel_member=seat, scores={value.pk: (3, "")})
