"""The staff pages that run a round: admins run every round, a round's owners run theirs, and
nobody else sees a round or a candidate at all."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
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
from recruitment.services.assessment import sheet_save
from recruitment.services.rounds import workshop_add
from tests.factories import UserFactory
from tests.recruitment.factories import (
    CandidateFactory,
    PanelMemberFactory,
    open_round,
    values_for_tests,
)
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

ROUNDS = reverse("recruitment:round_list")
NEW_ROUND = reverse("recruitment:round_new")


def round_url(round_: Round, name: str = "round_detail") -> str:
    return reverse(f"recruitment:{name}", args=[round_.pk])


def candidate_url(candidate: Candidate, name: str = "candidate_detail") -> str:
    return reverse(f"recruitment:{name}", args=[candidate.pk])


@pytest.fixture
def other_round():
    return open_round(title="Riverside autumn")


@pytest.fixture
def workshop(round_):
    return workshop_add(
        round_=round_, starts_at=timezone.now() + timedelta(days=14), place="Northfield Hall"
    )


def attended(round_: Round, **kwargs) -> Candidate:
    return CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED, **kwargs)


def submit_scores(candidate: Candidate, member: PanelMember, score: int, evidence: str = ""):
    sheet_save(
        candidate=candidate,
        panel_member=member,
        scores={value.pk: (score, evidence) for value in values_for_tests()},
        submit=True,
    )


# --- Who may see what -----------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client, round_, candidate):
    for url in (ROUNDS, round_url(round_), candidate_url(candidate)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("who", ["member", "coach", "outsider", "advisor"])
def test_people_who_run_no_round_get_403_for_the_round_list(request, client_for, who):
    assert client_for(request.getfixturevalue(who)).get(ROUNDS).status_code == 403


@pytest.mark.parametrize("who", ["member", "coach", "outsider", "advisor"])
def test_people_who_do_not_run_the_round_get_404_for_it_and_its_candidates(
    request, client_for, who, round_, candidate
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(round_url(round_)).status_code == 404
    assert client.get(candidate_url(candidate)).status_code == 404
    assert "Sam Carter" not in client.get(candidate_url(candidate)).content.decode()


@pytest.mark.parametrize("who", ["member", "coach", "outsider"])
def test_people_who_do_not_run_the_round_cannot_act_on_it(
    request, client_for, who, round_, workshop
):
    candidate = attended(round_)
    client = client_for(request.getfixturevalue(who))
    posts = [
        (round_url(round_, "round_status"), {"status": "closed"}),
        (round_url(round_, "workshop_new"), {"workshop-place": "x"}),
        (round_url(round_, "panel_member_new"), {"panel-email": "spy@example.org"}),
        (candidate_url(candidate, "candidate_move"), {"move-stage": "withdrawn"}),
        (
            candidate_url(candidate, "candidate_decide"),
            {"decision-outcome": "successful", "decision-reason": "Kind"},
        ),
        (candidate_url(candidate, "candidate_communicate"), {"told-how": "phone"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    round_.refresh_from_db()
    candidate.refresh_from_db()
    assert round_.status == Round.Status.OPEN
    assert candidate.stage == Candidate.Stage.ATTENDED
    assert not PanelMember.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_owner_manages_their_round_but_not_anyone_elses(
    client_for, round_owner, round_, other_round
):
    other_candidate = CandidateFactory(round=other_round)
    client = client_for(round_owner)
    assert client.get(round_url(round_)).status_code == 200
    assert client.get(round_url(other_round)).status_code == 404
    assert client.get(candidate_url(other_candidate)).status_code == 404
    response = client.post(round_url(other_round, "round_status"), {"status": "closed"})
    assert response.status_code == 404
    other_round.refresh_from_db()
    assert other_round.status == Round.Status.OPEN


def test_round_list_shows_an_owner_only_their_rounds(client_for, round_owner, round_, other_round):
    page = client_for(round_owner).get(ROUNDS).content.decode()
    assert "Northfield spring" in page
    assert "Riverside autumn" not in page


def test_round_list_shows_an_admin_every_round_with_counts_per_stage(
    client_for, admin, round_, other_round
):
    CandidateFactory.create_batch(3, round=round_)
    attended(round_, invited_at=timezone.now(), attended_at=timezone.now())
    page = client_for(admin).get(ROUNDS).content.decode()
    assert "Northfield spring" in page
    assert "Riverside autumn" in page
    # How many reached each stage: all four applied, one went on to the workshop.
    assert ">Applied </span>4<" in page
    assert ">Invited </span>1<" in page
    assert ">Attended </span>1<" in page


def test_round_list_counts_a_past_rounds_candidates_by_the_stages_they_reached(
    client_for, admin, round_
):
    now = timezone.now()
    for outcome in ("successful", "unsuccessful", "unsuccessful"):
        CandidateFactory(round=round_, stage=outcome, invited_at=now, attended_at=now)
    CandidateFactory(round=round_, stage="unsuccessful")
    page = client_for(admin).get(ROUNDS).content.decode()
    assert ">Applied </span>4<" in page
    assert ">Invited </span>3<" in page
    assert ">Attended </span>3<" in page
    assert ">Unsuccessful </span>3<" in page


def test_round_list_shows_a_staff_panel_member_their_scoring_page(client_for, member, round_):
    PanelMemberFactory(round=round_, user=member, email=member.email)
    response = client_for(member).get(ROUNDS)
    assert response.status_code == 200
    assert reverse("recruitment:panel", args=[round_.pk]) in response.content.decode()
    assert f'href="{round_url(round_)}"' not in response.content.decode()


def test_non_numeric_ids_are_not_found(client_for, admin):
    client = client_for(admin)
    for url in ("/recruitment/rounds/abc/", "/recruitment/candidates/1x/"):
        assert client.get(url).status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def test_round_list_runs_a_fixed_number_of_queries(client_for, admin, assert_fixed_queries):
    client = client_for(admin)
    open_round(title="First")

    def grow():
        for n in range(4):
            round_ = open_round(title=f"More {n}")
            CandidateFactory.create_batch(2, round=round_)
            attended(round_)

    assert_fixed_queries(lambda: client.get(ROUNDS), grow, most=5)


def test_round_detail_runs_a_fixed_number_of_queries(
    client_for, admin, round_, assert_fixed_queries
):
    client = client_for(admin)
    CandidateFactory(round=round_)

    def grow():
        workshop = workshop_add(
            round_=round_, starts_at=timezone.now() + timedelta(days=1), place="Hall"
        )
        for n in range(5):
            CandidateFactory(round=round_, stage=Candidate.Stage.INVITED, workshop=workshop)
            PanelMemberFactory(round=round_, user=UserFactory() if n % 2 else None)
        workshop_add(round_=round_, starts_at=timezone.now() + timedelta(days=1), place="Library")

    assert_fixed_queries(lambda: client.get(round_url(round_)), grow, most=14)


def test_candidate_page_runs_a_fixed_number_of_queries(
    client_for, admin, round_, workshop, assert_fixed_queries
):
    client = client_for(admin)
    candidate = attended(round_, workshop=workshop)
    submit_scores(candidate, PanelMemberFactory(round=round_), 3, "Listened well.")

    def grow():
        for score in (1, 4, 5):
            submit_scores(candidate, PanelMemberFactory(round=round_), score, "Seen.")
        PanelMemberFactory(round=round_)
        workshop_add(round_=round_, starts_at=timezone.now() + timedelta(days=1), place="Library")
        for question in round_.questions.all():
            Answer.objects.create(candidate=candidate, question=question, text="An answer.")

    assert_fixed_queries(lambda: client.get(candidate_url(candidate)), grow, most=13)


# --- Starting a round -----------------------------------------------------------------------


def round_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Castle Hill summer",
        "description": "A new team in Castle Hill.",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=28)).isoformat(),
        "values": [value.pk for value in values_for_tests()],
    }
    data.update(overrides)
    return data


def test_admin_starts_a_draft_round_with_questions_and_touch_points(client_for, admin, round_owner):
    response = client_for(admin).post(NEW_ROUND, round_form(owners=[admin.pk]))
    round_ = Round.objects.get()
    assert response.status_code == 302
    assert response.url == round_url(round_)
    assert round_.status == Round.Status.DRAFT
    assert round_.questions.count() == 3
    assert round_.touch_points.exists()
    assert list(round_.owners.all()) == [admin]


def test_only_admins_start_rounds(client_for, round_owner, round_, member):
    for user in (round_owner, member):
        assert client_for(user).get(NEW_ROUND).status_code == 403
        assert client_for(user).post(NEW_ROUND, round_form()).status_code == 403
    assert Round.objects.count() == 1


def test_round_that_closes_before_it_opens_is_refused(client_for, admin):
    today = timezone.localdate()
    response = client_for(admin).post(
        NEW_ROUND,
        round_form(opens_on=today.isoformat(), closes_on=(today - timedelta(1)).isoformat()),
    )
    assert response.status_code == 400
    assert "closing date must be on or after the opening date" in response.content.decode()
    assert not Round.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [{"values": []}, {"values": ["999999"]}, {"opens_on": "31/02/2026"}, {"title": ""}],
)
def test_bad_round_details_are_form_errors(client_for, admin, overrides):
    response = client_for(admin).post(NEW_ROUND, round_form(**overrides))
    assert response.status_code == 400
    assert not Round.objects.exists()


# --- The round page -------------------------------------------------------------------------


def test_round_page_shows_the_public_link_and_candidates_grouped_by_stage(
    client_for, round_owner, round_, settings
):
    CandidateFactory(round=round_, name="Ann Applied")
    attended(round_, name="Ada Attended")
    CandidateFactory(round=round_, name="Wyn Withdrawn", stage=Candidate.Stage.WITHDRAWN)
    page = client_for(round_owner).get(round_url(round_)).content.decode()
    assert f"{settings.SITE_URL}/recruitment/apply/{round_.slug}/" in page
    assert page.index("Ann Applied") < page.index("Ada Attended") < page.index("Wyn Withdrawn")
    assert "Candidates (3)" in page


def test_round_page_offers_only_the_allowed_next_statuses(client_for, round_owner, round_):
    page = client_for(round_owner).get(round_url(round_)).content.decode()
    assert 'value="closed"' in page
    assert 'value="decided"' not in page


def test_round_status_changes_along_the_allowed_path(client_for, round_owner, round_):
    response = client_for(round_owner).post(round_url(round_, "round_status"), {"status": "closed"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == Round.Status.CLOSED


@pytest.mark.parametrize("status", ["decided", "draft", "nonsense", ""])
def test_round_status_cannot_jump_or_go_back(client_for, round_owner, round_, status):
    response = client_for(round_owner).post(round_url(round_, "round_status"), {"status": status})
    assert response.status_code == 400
    assert "The status did not change" in response.content.decode()
    round_.refresh_from_db()
    assert round_.status == Round.Status.OPEN


def test_round_cannot_be_decided_while_candidates_wait(client_for, round_owner, round_, candidate):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    response = client_for(round_owner).post(
        round_url(round_, "round_status"), {"status": "decided"}
    )
    assert response.status_code == 400
    assert "Every candidate needs a decision" in response.content.decode()


def test_workshop_is_added_in_uk_time(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        round_url(round_, "workshop_new"),
        {"workshop-starts_at": "2027-07-14T10:00", "workshop-place": "Northfield Hall"},
    )
    assert response.status_code == 302
    workshop = Workshop.objects.get()
    assert workshop.starts_at == datetime(2027, 7, 14, 9, 0, tzinfo=UTC)
    assert (
        "Wednesday 14 July 2027 at 10am"
        in client_for(round_owner).get(round_url(round_)).content.decode()
    )


@pytest.mark.parametrize("starts_at", ["", "tomorrow", "2026-13-40T10:00"])
def test_workshop_needs_a_real_date_and_time(client_for, round_owner, round_, starts_at):
    response = client_for(round_owner).post(
        round_url(round_, "workshop_new"),
        {"workshop-starts_at": starts_at, "workshop-place": "Hall"},
    )
    assert response.status_code == 400
    assert not Workshop.objects.exists()


def test_panel_member_without_an_account_is_added_and_emailed_a_personal_link(
    client_for, round_owner, round_
):
    response = client_for(round_owner).post(
        round_url(round_, "panel_member_new"),
        {"panel-name": "Pat Partner", "panel-email": "pat@example.org", "panel-kind": "partner"},
    )
    assert response.status_code == 302
    member = PanelMember.objects.get()
    assert (member.name, member.kind, member.user) == ("Pat Partner", "partner", None)
    assert member.token_hash
    email = OutboxEmail.objects.get(idempotency_key=f"panel-invite:{member.pk}")
    assert "/recruitment/panel/" in email.body_text


def test_panel_member_can_be_linked_to_an_account_by_its_email(
    client_for, round_owner, round_, coach
):
    response = client_for(round_owner).post(
        round_url(round_, "panel_member_new"),
        {
            "panel-name": "Cora",
            "panel-email": "cora.personal@example.org",
            "panel-kind": "staff",
            "panel-account_email": coach.email,
        },
    )
    assert response.status_code == 302
    assert PanelMember.objects.get().user == coach


def test_panel_member_account_email_must_belong_to_someone(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        round_url(round_, "panel_member_new"),
        {
            "panel-name": "Cora",
            "panel-email": "cora@example.org",
            "panel-kind": "staff",
            "panel-account_email": "nobody@example.org",
        },
    )
    assert response.status_code == 400
    assert "Nobody signs in here with nobody@example.org" in response.content.decode()
    assert not PanelMember.objects.exists()


def test_the_same_email_cannot_sit_on_a_panel_twice(client_for, round_owner, round_):
    PanelMemberFactory(round=round_, email="pat@example.org")
    response = client_for(round_owner).post(
        round_url(round_, "panel_member_new"),
        {"panel-name": "Pat", "panel-email": "PAT@example.org", "panel-kind": "expert"},
    )
    assert response.status_code == 400
    assert "pat@example.org is already on this panel." in response.content.decode()
    assert PanelMember.objects.count() == 1


def test_panel_member_kind_must_be_one_we_know(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        round_url(round_, "panel_member_new"),
        {"panel-name": "Pat", "panel-email": "pat@example.org", "panel-kind": "boss"},
    )
    assert response.status_code == 400
    assert not PanelMember.objects.exists()


def test_application_questions_can_be_reworded(client_for, round_owner, round_):
    question = round_.questions.first()
    data = {f"question_{q.pk}": q.text for q in round_.questions.all()}
    data[f"question_{question.pk}"] = "When did you last go out of your way for someone?"
    response = client_for(round_owner).post(round_url(round_, "questions_edit"), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.text == "When did you last go out of your way for someone?"


def test_an_answered_question_keeps_its_wording(client_for, round_owner, round_, candidate):
    question = round_.questions.first()
    Answer.objects.create(candidate=candidate, question=question, text="Yes.")
    data = {f"question_{q.pk}": "Changed?" for q in round_.questions.all()}
    client_for(round_owner).post(round_url(round_, "questions_edit"), data)
    question.refresh_from_db()
    assert question.text != "Changed?"


# --- Survey touch points --------------------------------------------------------------------


def test_touch_point_is_added_at_the_end_of_the_survey(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        round_url(round_, "touch_point_new"),
        {"tp-name": "The phone call", "tp-description": "When we rang you."},
    )
    assert response.status_code == 302
    assert list(round_.touch_points.values_list("key", flat=True))[-1] == "the-phone-call"


def test_touch_point_with_the_same_name_as_another_is_refused(client_for, round_owner, round_):
    existing = round_.touch_points.first()
    response = client_for(round_owner).post(
        round_url(round_, "touch_point_new"), {"tp-name": existing.key.replace("-", " ")}
    )
    assert response.status_code == 400
    assert round_.touch_points.filter(key=existing.key).get().name == existing.name


def test_renaming_a_touch_point_keeps_its_key_and_place(client_for, round_owner, round_):
    first = round_.touch_points.first()
    url = reverse("recruitment:touch_point_edit", args=[round_.pk, first.pk])
    response = client_for(round_owner).post(
        url, {"name": "Reading about the role", "description": ""}
    )
    assert response.status_code == 302
    renamed = round_.touch_points.first()
    assert (renamed.pk, renamed.key, renamed.name) == (
        first.pk,
        first.key,
        "Reading about the role",
    )


def test_touch_point_can_be_removed_before_the_survey_has_answers(client_for, round_owner, round_):
    touch_point = round_.touch_points.last()
    url = reverse("recruitment:touch_point_remove", args=[round_.pk, touch_point.pk])
    assert client_for(round_owner).post(url).status_code == 302
    assert not TouchPoint.objects.filter(pk=touch_point.pk).exists()


def test_touch_points_are_fixed_once_the_survey_has_answers(client_for, round_owner, round_):
    first, last = round_.touch_points.first(), round_.touch_points.last()
    response = SurveyResponse.objects.create(round=round_, submitted_on=timezone.localdate())
    SurveyAnswer.objects.create(response=response, touch_point=first, score=8)
    client = client_for(round_owner)
    remove = client.post(reverse("recruitment:touch_point_remove", args=[round_.pk, last.pk]))
    assert remove.status_code == 400
    assert "its touch points are fixed" in remove.content.decode()
    rename = client.post(
        reverse("recruitment:touch_point_edit", args=[round_.pk, first.pk]), {"name": "New"}
    )
    assert rename.status_code == 400
    add = client.post(round_url(round_, "touch_point_new"), {"tp-name": "Another"})
    assert add.status_code == 400
    assert round_.touch_points.count() == 5
    assert TouchPoint.objects.get(pk=first.pk).name == first.name


def test_touch_point_of_another_round_is_not_found(client_for, round_owner, round_, other_round):
    theirs = other_round.touch_points.first()
    url = reverse("recruitment:touch_point_remove", args=[round_.pk, theirs.pk])
    assert client_for(round_owner).post(url).status_code == 404
    assert TouchPoint.objects.filter(pk=theirs.pk).exists()


# --- The candidate page ---------------------------------------------------------------------


def test_candidate_page_shows_their_details_and_own_words(
    client_for, round_owner, round_, candidate
):
    question = round_.questions.first()
    Answer.objects.create(candidate=candidate, question=question, text="I sat with my neighbour.")
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    for text in ("Sam Carter", "sam@example.org", candidate.why, "I sat with my neighbour."):
        assert text in page


def test_candidate_is_invited_to_a_chosen_workshop_and_emailed(
    client_for, round_owner, candidate, workshop
):
    response = client_for(round_owner).post(
        candidate_url(candidate, "candidate_move"),
        {"move-stage": "invited", "move-workshop": workshop.pk},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.workshop) == (Candidate.Stage.INVITED, workshop)
    assert OutboxEmail.objects.filter(
        idempotency_key=f"workshop-invite:{candidate.pk}:{workshop.pk}"
    ).exists()


def test_inviting_needs_a_workshop_of_the_same_round(
    client_for, round_owner, candidate, workshop, other_round
):
    theirs = workshop_add(
        round_=other_round, starts_at=timezone.now() + timedelta(days=1), place="Elsewhere"
    )
    client = client_for(round_owner)
    for data in (
        {"move-stage": "invited"},
        {"move-stage": "invited", "move-workshop": theirs.pk},
        {"move-stage": "invited", "move-workshop": "abc"},
    ):
        assert client.post(candidate_url(candidate, "candidate_move"), data).status_code == 400
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.APPLIED
    assert not OutboxEmail.objects.exists()


def test_invitations_offer_only_workshops_still_to_come(
    client_for, round_owner, round_, candidate, workshop
):
    past = Workshop.objects.create(
        round=round_, starts_at=timezone.now() - timedelta(days=3), place="Old Town Hall"
    )
    client = client_for(round_owner)
    page = client.get(candidate_url(candidate)).content.decode()
    assert f'<option value="{workshop.pk}"' in page
    assert "Northfield Hall" in page
    assert f'<option value="{past.pk}"' not in page
    assert "Old Town Hall" not in page
    response = client.post(
        candidate_url(candidate, "candidate_move"),
        {"move-stage": "invited", "move-workshop": past.pk},
    )
    assert response.status_code == 400
    assert "Choose one of this round&#x27;s workshops still to come." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.APPLIED


def test_a_round_whose_workshops_have_all_happened_asks_for_a_new_one(
    client_for, round_owner, round_, candidate
):
    Workshop.objects.create(
        round=round_, starts_at=timezone.now() - timedelta(days=3), place="Old Town Hall"
    )
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    assert "No workshop in this round is still to come." in page
    assert "Old Town Hall" not in page


def test_undoing_attended_keeps_the_workshop_they_went_to(
    client_for, round_owner, round_, workshop
):
    past = Workshop.objects.create(
        round=round_, starts_at=timezone.now() - timedelta(days=3), place="Old Town Hall"
    )
    candidate = attended(round_, workshop=past)
    client = client_for(round_owner)
    page = client.get(candidate_url(candidate)).content.decode()
    assert f'<option value="{past.pk}" selected>' in page
    response = client.post(
        candidate_url(candidate, "candidate_move"),
        {"move-stage": "invited", "move-workshop": past.pk},
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.stage, candidate.workshop) == (Candidate.Stage.INVITED, past)


@pytest.mark.parametrize("stage", ["attended", "successful", "nonsense"])
def test_candidate_cannot_skip_stages_by_hand(client_for, round_owner, candidate, stage):
    response = client_for(round_owner).post(
        candidate_url(candidate, "candidate_move"), {"move-stage": stage}
    )
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.APPLIED


def test_invited_candidate_can_be_marked_attended_or_withdrawn(
    client_for, round_owner, round_, workshop
):
    client = client_for(round_owner)
    first = CandidateFactory(round=round_, stage=Candidate.Stage.INVITED, workshop=workshop)
    second = CandidateFactory(round=round_, stage=Candidate.Stage.INVITED, workshop=workshop)
    response = client.post(candidate_url(first, "candidate_move"), {"move-stage": "attended"})
    assert response.status_code == 400
    assert "has not happened yet" in response.content.decode()
    # The workshop day comes.
    Workshop.objects.filter(pk=workshop.pk).update(starts_at=timezone.now() - timedelta(hours=3))
    client.post(candidate_url(first, "candidate_move"), {"move-stage": "attended"})
    client.post(candidate_url(second, "candidate_move"), {"move-stage": "withdrawn"})
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stage, second.stage) == (Candidate.Stage.ATTENDED, Candidate.Stage.WITHDRAWN)


# --- Deciding and telling -------------------------------------------------------------------


def decide(
    client,
    candidate,
    outcome="successful",
    reason="Warm and curious throughout.",
    without_scores="The panel's sheets were lost.",
):
    return client.post(
        candidate_url(candidate, "candidate_decide"),
        {
            "decision-outcome": outcome,
            "decision-reason": reason,
            "decision-without_scores": without_scores,
        },
    )


def tell(client, candidate, how="phone"):
    return client.post(candidate_url(candidate, "candidate_communicate"), {"told-how": how})


def test_decision_is_recorded_with_its_reason_for_a_candidate_who_attended(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    submit_scores(candidate, PanelMemberFactory(round=round_), 2, "Unsure about nights.")
    response = decide(
        client_for(round_owner), candidate, "unsuccessful", "Not yet ready for nights.", ""
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.UNSUCCESSFUL
    assert candidate.decision_reason == "Not yet ready for nights."
    assert candidate.decided_by == round_owner


def test_changing_the_decision_starts_from_the_decision_and_reason_already_given(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    submit_scores(candidate, PanelMemberFactory(round=round_), 2, "Unsure about nights.")
    client = client_for(round_owner)
    decide(client, candidate, "unsuccessful", "Not yet ready for nights.", "")
    page = client.get(candidate_url(candidate)).content.decode()
    form = page[page.index("Change the decision") :]
    form = form[: form.index("</form>")]
    assert re.search(r'<input[^>]*value="unsuccessful"[^>]*checked', form)
    assert not re.search(r'<input[^>]*value="successful"[^>]*checked', form)
    assert re.search(r"<textarea[^>]*>\s*Not yet ready for nights.</textarea>", form)


def test_changing_a_decision_made_without_scores_starts_from_both_reasons_as_typed(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    client = client_for(round_owner)
    decide(client, candidate, "successful", "Kind with everyone.", "The sheets were lost.")
    page = client.get(candidate_url(candidate)).content.decode()
    form = page[page.index("Change the decision") :]
    form = form[: form.index("</form>")]
    assert re.search(r'<input[^>]*value="successful"[^>]*checked', form)
    assert re.search(r'name="decision-reason"[^>]*>\s*Kind with everyone.</textarea>', form)
    assert re.search(
        r'name="decision-without_scores"[^>]*>\s*The sheets were lost.</textarea>', form
    )
    # Sent again as it stands, the reason is kept once, not doubled.
    decide(client, candidate, "unsuccessful", "Kind with everyone.", "The sheets were lost.")
    candidate.refresh_from_db()
    assert candidate.decision_reason == (
        "Kind with everyone.\n\nDecided without the panel's scores: The sheets were lost."
    )


def test_decision_needs_the_candidate_to_have_attended(client_for, round_owner, candidate):
    response = decide(client_for(round_owner), candidate)
    assert response.status_code == 400
    assert "Decide only for candidates who attended the workshop." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.APPLIED


def test_decision_needs_a_reason(client_for, round_owner, round_):
    candidate = attended(round_)
    response = decide(client_for(round_owner), candidate, reason="   ")
    assert response.status_code == 400
    assert "Record the reason for the decision." in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.ATTENDED


@pytest.mark.parametrize("outcome", ["withdrawn", "hired", ""])
def test_decision_is_only_successful_or_unsuccessful(client_for, round_owner, round_, outcome):
    candidate = attended(round_)
    assert decide(client_for(round_owner), candidate, outcome).status_code == 400


def test_deciding_alone_sends_no_survey(client_for, round_owner, round_):
    candidate = attended(round_)
    decide(client_for(round_owner), candidate)
    assert not SurveyInvitation.objects.exists()
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="survey-").exists()


def test_candidate_page_says_plainly_that_recording_it_sends_the_survey(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    client = client_for(round_owner)
    decide(client, candidate)
    page = client.get(candidate_url(candidate)).content.decode()
    assert "Recording this sends the candidate the feedback survey" in page


def test_communication_can_only_be_recorded_after_a_decision(client_for, round_owner, round_):
    candidate = attended(round_)
    response = tell(client_for(round_owner), candidate)
    assert response.status_code == 400
    assert "Record the decision before recording" in response.content.decode()
    assert not SurveyInvitation.objects.exists()


def test_recording_communication_creates_one_survey_invitation_and_queues_the_email(
    client_for, round_owner, round_
):
    candidate = attended(round_, email="sam@example.org")
    client = client_for(round_owner)
    decide(client, candidate)
    assert tell(client, candidate, "in_person").status_code == 302
    invitation = SurveyInvitation.objects.get()
    assert invitation.candidate == candidate
    email = OutboxEmail.objects.get(idempotency_key=f"survey-invite:{invitation.pk}")
    assert email.to == "sam@example.org"
    again = tell(client, candidate, "email")
    assert again.status_code == 400
    assert SurveyInvitation.objects.count() == 1
    candidate.refresh_from_db()
    assert candidate.communicated_how == "in_person"


def test_how_they_were_told_must_be_phone_in_person_or_email(client_for, round_owner, round_):
    candidate = attended(round_)
    client = client_for(round_owner)
    decide(client, candidate)
    assert tell(client, candidate, "carrier pigeon").status_code == 400
    assert not SurveyInvitation.objects.exists()


def test_decision_stands_once_communicated(client_for, round_owner, round_):
    candidate = attended(round_)
    client = client_for(round_owner)
    decide(client, candidate, "successful")
    tell(client, candidate)
    response = decide(client, candidate, "unsuccessful", "Changed our minds.")
    assert response.status_code == 400
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.SUCCESSFUL


def test_decision_and_communication_times_are_shown_in_uk_time(client_for, round_owner, round_):
    candidate = attended(round_)
    Candidate.objects.filter(pk=candidate.pk).update(
        stage=Candidate.Stage.SUCCESSFUL,
        decision_reason="Kind.",
        decided_at=datetime(2026, 7, 1, 8, 30, tzinfo=UTC),
        communicated_at=datetime(2026, 12, 1, 8, 30, tzinfo=UTC),
        communicated_how=Candidate.Channel.PHONE,
    )
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    assert "1 July 2026 at 9:30am" in page
    assert "1 December 2026 at 8:30am" in page


# --- The panel's scores on the candidate page -----------------------------------------------


def test_staff_see_the_panels_submitted_scores_without_scoring(client_for, round_owner, round_):
    candidate = attended(round_)
    submit_scores(candidate, PanelMemberFactory(round=round_, name="Pat"), 4, "Told a kind story.")
    draft = PanelMemberFactory(round=round_, name="Dee")
    sheet_save(
        candidate=candidate,
        panel_member=draft,
        scores={values_for_tests()[0].pk: (1, "Draft thoughts")},
    )
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    assert "Told a kind story." in page
    assert "Draft thoughts" not in page
    assert "Still to submit: Dee." in page


def test_staff_who_sit_on_the_panel_see_only_their_own_scores_until_they_submit(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    submit_scores(candidate, PanelMemberFactory(round=round_, name="Pat"), 4, "Told a kind story.")
    seat = PanelMemberFactory(round=round_, user=round_owner, email=round_owner.email)
    client = client_for(round_owner)
    page = client.get(candidate_url(candidate)).content.decode()
    assert "Told a kind story." not in page
    assert reverse("recruitment:panel_score", args=[round_.pk, candidate.pk]) in page
    submit_scores(candidate, seat, 2, "Quiet but thoughtful.")
    page = client.get(candidate_url(candidate)).content.decode()
    assert "Told a kind story." in page
    assert "Quiet but thoughtful." in page


def test_staff_on_the_panel_are_not_sent_to_score_a_candidate_already_decided(
    client_for, round_owner, round_
):
    candidate = attended(round_)
    PanelMemberFactory(round=round_, user=round_owner, email=round_owner.email)
    Candidate.objects.filter(pk=candidate.pk).update(stage=Candidate.Stage.SUCCESSFUL)
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    assert reverse("recruitment:panel_score", args=[round_.pk, candidate.pk]) not in page
    assert "Scoring closed" in page


# --- The Django admin -----------------------------------------------------------------------


def test_admin_lists_and_opens_every_recruitment_model(client_for, admin, round_, candidate):
    client = client_for(admin)
    for model in (
        "jobrole",
        "round",
        "candidate",
        "assessmentsheet",
        "surveyinvitation",
        "experiment",
    ):
        assert client.get(f"/admin/recruitment/{model}/").status_code == 200, model
    # Single survey responses, with their days and groups, are not browsable anywhere.
    assert client.get("/admin/recruitment/surveyresponse/").status_code == 404
    assert client.get("/admin/recruitment/surveyanswer/").status_code == 404
    assert client.get(f"/admin/recruitment/round/{round_.pk}/change/").status_code == 200
    assert client.get(f"/admin/recruitment/candidate/{candidate.pk}/change/").status_code == 200


def test_admin_survey_invitation_shows_neither_draft_answers_nor_the_links_secret(
    client_for, admin, round_
):
    candidate = attended(round_)
    candidate_decide_and_tell = [
        (
            "candidate_decide",
            {
                "decision-outcome": "successful",
                "decision-reason": "Kind",
                "decision-without_scores": "Panel unwell",
            },
        ),
        ("candidate_communicate", {"told-how": "phone"}),
    ]
    client = client_for(admin)
    for name, data in candidate_decide_and_tell:
        client.post(candidate_url(candidate, name), data)
    invitation = SurveyInvitation.objects.get()
    SurveyInvitation.objects.filter(pk=invitation.pk).update(draft={"1": {"improve": "Secret"}})
    page = client.get(f"/admin/recruitment/surveyinvitation/{invitation.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Secret" not in body
    assert invitation.nonce not in body
    assert invitation.token_hash not in body


def test_the_workshop_choice_appears_only_when_inviting_is_possible(
    client_for, round_owner, round_
):
    from recruitment.forms.staff import MoveForm

    attended = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    form = MoveForm(
        candidate=attended, moves=["invited", "withdrawn"], workshops=round_.workshops.all()
    )
    assert "workshop" in form.fields
    form = MoveForm(candidate=attended, moves=["withdrawn"], workshops=round_.workshops.all())
    assert "workshop" not in form.fields


def test_a_round_names_the_teams_it_recruits_for(client_for, admin, team, other_team):
    client = client_for(admin)
    response = client.post(NEW_ROUND, round_form(teams=[team.pk]))
    assert response.status_code == 302
    round_ = Round.objects.get(title="Castle Hill summer")
    assert list(round_.teams.all()) == [team]
    page = client.get(round_url(round_)).content.decode()
    assert "Northfield" in page
    response = client.post(
        round_url(round_, "round_edit"), round_form(teams=[other_team.pk], roles=[])
    )
    assert response.status_code == 302
    assert list(round_.teams.all()) == [other_team]


# --- What the pages offer, stage by stage -------------------------------------------------------


@pytest.mark.parametrize("status", [Round.Status.DECIDED, Round.Status.REVIEWED])
def test_a_decided_round_offers_no_new_panel_members(client_for, admin, round_, status):
    Round.objects.filter(pk=round_.pk).update(status=status)
    client = client_for(admin)
    assert "Add someone to the panel" not in client.get(round_url(round_)).content.decode()
    response = client.post(
        round_url(round_, "panel_member_new"),
        {"panel-name": "Late Comer", "panel-email": "late@example.org", "panel-kind": "staff"},
    )
    assert response.status_code == 400
    assert "panel is complete" in response.content.decode()
    assert not round_.panel.exists()


def test_an_open_round_offers_to_add_panel_members(client_for, admin, round_):
    assert "Add someone to the panel" in client_for(admin).get(round_url(round_)).content.decode()


def test_the_panel_table_stacks_on_a_phone(client_for, admin, round_):
    PanelMemberFactory(round=round_, name="Jean Holloway")
    page = client_for(admin).get(round_url(round_)).content.decode()
    table = page[page.index('id="panel-members"') - 80 : page.index('id="panel-members"')]
    assert "nhsuk-table--responsive" in table
    assert ">Joins as </span>" in page


def test_an_applied_candidates_page_does_not_say_scoring_closed(client_for, round_owner, round_):
    PanelMemberFactory(round=round_, user=round_owner, email=round_owner.email)
    candidate = CandidateFactory(round=round_, name="Ann Applied")
    page = client_for(round_owner).get(candidate_url(candidate)).content.decode()
    assert "Scoring closed" not in page
    assert "opens once they are invited" in page


def test_a_workshop_in_the_past_is_refused_with_a_reason(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        round_url(round_, "workshop_new"),
        {"workshop-starts_at": "2020-07-14T10:00", "workshop-place": "Northfield Hall"},
    )
    assert response.status_code == 400
    assert "must be in the future" in response.content.decode()
    assert not Workshop.objects.exists()


def test_deciding_without_panel_scores_says_so_and_asks_why(client_for, round_owner, round_):
    candidate = attended(round_)
    client = client_for(round_owner)
    page = client.get(candidate_url(candidate)).content.decode()
    assert "Nobody on the panel has submitted scores" in page
    response = decide(client, candidate, without_scores="")
    assert response.status_code == 400
    assert "No panel member has submitted scores" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.stage == Candidate.Stage.ATTENDED
    assert (
        decide(client, candidate, without_scores="Two panel members fell ill.").status_code == 302
    )
    candidate.refresh_from_db()
    assert "Two panel members fell ill." in candidate.decision_reason


def test_deciding_with_panel_scores_needs_no_extra_reason(client_for, round_owner, round_):
    candidate = attended(round_)
    submit_scores(candidate, PanelMemberFactory(round=round_), 4, "Kind.")
    client = client_for(round_owner)
    assert (
        "Nobody on the panel has submitted"
        not in client.get(candidate_url(candidate)).content.decode()
    )
    assert decide(client, candidate, without_scores="").status_code == 302


# --- Into a team -------------------------------------------------------------------------------


def told_successful(round_: Round) -> Candidate:
    return CandidateFactory(
        round=round_,
        name="Tayo Brooks",
        email="tayo@example.org",
        stage=Candidate.Stage.SUCCESSFUL,
        decided_at=timezone.now(),
        communicated_at=timezone.now(),
    )


def test_a_successful_candidate_once_told_is_invited_to_a_team_from_their_page(
    client_for, admin, round_, team
):
    from wellbeing.accounts.models import Invitation

    round_.teams.add(team)
    candidate = told_successful(round_)
    client = client_for(admin)
    url = reverse("recruitment:candidate_invite_to_team", args=[candidate.pk])
    assert url in client.get(candidate_url(candidate)).content.decode()
    form = client.get(url).content.decode()
    assert 'value="Tayo Brooks"' in form
    assert 'value="tayo@example.org"' in form
    assert f'value="{team.pk}" selected' in form
    response = client.post(
        url,
        {
            "team": team.pk,
            "display_name": "Tayo Brooks",
            "email": "tayo@example.org",
            "contracted_hours": "30",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="tayo@example.org")
    assert invitation.display_name == "Tayo Brooks"


@pytest.mark.parametrize("stage", ["attended", "unsuccessful"])
def test_only_the_successful_and_told_are_offered_a_team(client_for, admin, round_, team, stage):
    candidate = CandidateFactory(round=round_, stage=stage)
    client = client_for(admin)
    url = reverse("recruitment:candidate_invite_to_team", args=[candidate.pk])
    assert url not in client.get(candidate_url(candidate)).content.decode()
    response = client.post(
        url,
        {"team": team.pk, "display_name": "X Y", "email": "x@example.org", "contracted_hours": "1"},
    )
    assert response.status_code == 400
    assert "once they were successful and have been told" in response.content.decode()


def test_round_owners_who_are_not_admins_cannot_invite_into_teams(
    client_for, round_owner, round_, team
):
    candidate = told_successful(round_)
    url = reverse("recruitment:candidate_invite_to_team", args=[candidate.pk])
    assert client_for(round_owner).get(url).status_code == 403
