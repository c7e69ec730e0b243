"""The recruitment API: staff see their rounds' candidates; nobody else sees any."""

from __future__ import annotations

import pytest
from django.utils import timezone

from recruitment.models import Candidate, SurveyInvitation
from tests.factories import UserFactory
from tests.recruitment.factories import CandidateFactory, open_round

pytestmark = pytest.mark.django_db


def test_admin_lists_rounds_with_candidates_by_stage(client_for, admin):
    round_ = open_round()
    CandidateFactory.create_batch(2, round=round_)
    CandidateFactory(round=round_, stage="invited")
    body = client_for(admin).get("/api/v1/rounds/").json()
    (row,) = body["results"]
    assert row["candidates_by_stage"]["applied"] == 2
    assert row["candidates_by_stage"]["invited"] == 1
    assert "Compassion" in row["values"]


@pytest.mark.parametrize("who", ["member", "coach", "outsider"])
def test_people_who_do_not_run_rounds_see_no_rounds_or_candidates(request, client_for, who):
    candidate = CandidateFactory()
    client = client_for(request.getfixturevalue(who))
    assert client.get("/api/v1/rounds/").json()["results"] == []
    assert client.get("/api/v1/candidates/").json()["results"] == []
    assert client.get(f"/api/v1/candidates/{candidate.pk}/").status_code == 404
    response = client.post(f"/api/v1/candidates/{candidate.pk}/move/", {"stage": "invited"})
    assert response.status_code == 404


def test_round_owner_sees_only_their_own_rounds_candidates(client_for):
    owner = UserFactory(with_mfa=True)
    mine = CandidateFactory(round=open_round(title="Mine", owners=[owner]))
    theirs = CandidateFactory(round=open_round(title="Theirs"))
    client = client_for(owner)
    ids = [c["id"] for c in client.get("/api/v1/candidates/").json()["results"]]
    assert ids == [mine.pk]
    assert client.get(f"/api/v1/candidates/{theirs.pk}/").status_code == 404


def test_candidates_can_be_filtered_and_bad_filters_are_400(client_for, admin):
    round_ = open_round()
    CandidateFactory(round=round_, stage="invited")
    CandidateFactory(round=round_)
    client = client_for(admin)
    invited = client.get(f"/api/v1/candidates/?round={round_.pk}&stage=invited").json()
    assert invited["count"] == 1
    assert client.get("/api/v1/candidates/?round=abc").status_code == 400
    assert client.get("/api/v1/candidates/?stage=hired").status_code == 400


def test_decision_then_communication_through_the_api_sends_the_survey(client_for, admin):
    candidate = CandidateFactory(stage=Candidate.Stage.ATTENDED, attended_at=timezone.now())
    client = client_for(admin)
    url = f"/api/v1/candidates/{candidate.pk}/"
    response = client.post(url + "communicated/", {"how": "phone"})
    assert response.status_code == 400
    assert "decision" in response.json()["detail"]
    response = client.post(url + "decide/", {"outcome": "unsuccessful", "reason": "Not yet."})
    # Nobody on the panel scored them: deciding anyway needs its own reason.
    assert response.status_code == 400
    assert "No panel member has submitted scores" in response.json()["detail"]
    response = client.post(
        url + "decide/",
        {"outcome": "unsuccessful", "reason": "Not yet.", "without_scores": "Panel unwell."},
    )
    assert response.status_code == 200
    assert not SurveyInvitation.objects.exists()
    response = client.post(url + "communicated/", {"how": "phone"})
    assert response.status_code == 200
    assert response.json()["communicated_how"] == "phone"
    assert SurveyInvitation.objects.filter(candidate=candidate).count() == 1


def test_invalid_actions_are_400_not_500(client_for, admin):
    candidate = CandidateFactory()
    client = client_for(admin)
    url = f"/api/v1/candidates/{candidate.pk}/"
    assert client.post(url + "move/", {"stage": "hired"}).status_code == 400
    assert client.post(url + "move/", {"stage": "attended"}).status_code == 400
    assert client.post(url + "decide/", {"outcome": "maybe", "reason": "x"}).status_code == 400
    assert client.post(url + "decide/", {}).status_code == 400
    assert client.post(url + "move/", {"stage": "invited", "workshop": "x"}).status_code == 400


def test_candidate_list_query_count_is_fixed(client_for, admin, assert_fixed_queries):
    client = client_for(admin)
    round_ = open_round()
    CandidateFactory(round=round_)

    def grow():
        CandidateFactory.create_batch(10, round=round_)
        open_round(title="Another")

    assert_fixed_queries(lambda: client.get("/api/v1/candidates/"), grow, most=8)
    assert_fixed_queries(lambda: client.get("/api/v1/rounds/"), grow, most=8)


# --- Survey results, experiments and assessments ---------------------------------------------


def _responses(round_, count, score=7):
    from datetime import date

    from recruitment.models import SurveyAnswer, SurveyResponse

    touch_point = round_.touch_points.get(key="workshop")
    for _ in range(count):
        response = SurveyResponse.objects.create(
            round=round_, group="successful", submitted_on=date(2026, 5, 1), published=True
        )
        SurveyAnswer.objects.create(
            response=response, touch_point=touch_point, score=score, improve="Secret words"
        )


def test_survey_results_are_numbers_only_and_withheld_below_k(client_for, admin, settings):
    settings.SURVEY_MIN_RESPONSES = 3
    round_ = open_round()
    _responses(round_, 2)
    client = client_for(admin)
    body = client.get(f"/api/v1/rounds/{round_.pk}/survey-results/").json()
    assert body["enough_responses"] is False
    workshop = next(tp for tp in body["touch_points"] if tp["key"] == "workshop")
    assert workshop["mean"] is None
    assert workshop["distribution"] is None

    _responses(round_, 1)
    response = client.get(f"/api/v1/rounds/{round_.pk}/survey-results/")
    body = response.json()
    workshop = next(tp for tp in body["touch_points"] if tp["key"] == "workshop")
    assert workshop["n"] == 3
    assert workshop["mean"] == 7
    assert workshop["distribution"]["7"] == 3
    assert "Secret words" not in response.content.decode()


def test_survey_results_are_not_for_members_or_outsiders(client_for, member, outsider):
    round_ = open_round()
    for user in (member, outsider):
        response = client_for(user).get(f"/api/v1/rounds/{round_.pk}/survey-results/")
        assert response.status_code == 404


def test_experiments_api_creates_through_the_rules(client_for, admin):
    round_ = open_round()
    client = client_for(admin)
    data = {
        "round": round_.pk,
        "touch_point_key": "recruitment-pack",
        "idea": "The pack was long.",
        "change": "A shorter pack.",
        "hypothesis": "Its score goes up.",
    }
    response = client.post("/api/v1/experiments/", data)
    assert response.status_code == 201, response.content
    response = client.post("/api/v1/experiments/", {**data, "touch_point_key": "nonsense"})
    assert response.status_code == 400
    response = client.post("/api/v1/experiments/", {**data, "round": 999999})
    assert response.status_code == 400


def test_experiments_of_rounds_you_do_not_run_are_invisible(client_for, admin, member):
    from recruitment.services.experiments import experiment_create

    round_ = open_round()
    experiment = experiment_create(
        round_=round_,
        touch_point_key="workshop",
        idea="More breaks",
        change="Two breaks",
        hypothesis="Higher score",
        by=admin,
    )
    client = client_for(member)
    assert client.get("/api/v1/experiments/").json()["results"] == []
    assert client.delete(f"/api/v1/experiments/{experiment.pk}/").status_code == 404
    response = client.post(
        "/api/v1/experiments/",
        {
            "round": round_.pk,
            "touch_point_key": "workshop",
            "idea": "x",
            "change": "y",
            "hypothesis": "z",
        },
    )
    assert response.status_code == 400


def test_panel_member_scores_through_the_api_and_sees_others_only_after_submitting(client_for):
    from recruitment.services.assessment import sheet_save
    from tests.recruitment.factories import PanelMemberFactory

    candidate = CandidateFactory(stage=Candidate.Stage.ATTENDED)
    values = list(candidate.round.values.all())
    me = UserFactory()
    my_seat = PanelMemberFactory(round=candidate.round, user=me, email=me.email)
    other = PanelMemberFactory(round=candidate.round, name="Other Panellist")
    sheet_save(
        candidate=candidate,
        panel_member=other,
        scores={v.pk: (1, "Quiet in the group work") for v in values},
        submit=True,
    )
    client = client_for(me)
    url = f"/api/v1/candidates/{candidate.pk}/assessment/"
    body = client.get(url).json()
    assert body["own_only"] is True
    assert "Other Panellist" not in str(body)

    scores = [{"value": v.pk, "score": 4, "evidence": "Kind and practical"} for v in values]
    response = client.post(url, {"scores": scores, "submit": True}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["own_only"] is False
    first = body["values"][0]
    assert {s["panel_member"] for s in first["scores"]} == {my_seat.name, "Other Panellist"}
    assert first["mean"] == 2.5
    assert first["discuss"] is True

    again = client.post(url, {"scores": scores}, content_type="application/json")
    assert again.status_code == 400


def test_assessment_api_refuses_bad_scores_and_strangers(client_for, outsider):
    from tests.recruitment.factories import PanelMemberFactory

    candidate = CandidateFactory(stage=Candidate.Stage.ATTENDED)
    me = UserFactory()
    PanelMemberFactory(round=candidate.round, user=me, email=me.email)
    value = candidate.round.values.first()
    url = f"/api/v1/candidates/{candidate.pk}/assessment/"
    bad = {"scores": [{"value": value.pk, "score": 9}]}
    assert client_for(me).post(url, bad, content_type="application/json").status_code == 400
    unknown = {"scores": [{"value": 999999, "score": 3}]}
    assert client_for(me).post(url, unknown, content_type="application/json").status_code == 400
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get("/api/v1/candidates/999999/assessment/").status_code == 404


def test_survey_results_do_not_give_the_count_below_k(client_for, admin, settings):
    settings.SURVEY_MIN_RESPONSES = 3
    round_ = open_round()
    _responses(round_, 1)
    body = client_for(admin).get(f"/api/v1/rounds/{round_.pk}/survey-results/").json()
    assert body["responses"] is None


def test_inviting_through_the_api_needs_a_workshop(client_for, admin):
    candidate = CandidateFactory()
    response = client_for(admin).post(
        f"/api/v1/candidates/{candidate.pk}/move/", {"stage": "invited"}
    )
    assert response.status_code == 400
    assert "workshop" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["²", "1²", "-1", "1.5"])
def test_odd_digits_in_filters_are_400_not_500(client_for, admin, bad):
    assert client_for(admin).get(f"/api/v1/candidates/?round={bad}").status_code == 400


def test_the_experiments_api_gives_one_answer_for_missing_rounds_and_others_rounds(client_for):
    owner = UserFactory(with_mfa=True)
    theirs = open_round(title="Run by others")
    client = client_for(owner)
    data = {
        "touch_point_key": "workshop",
        "idea": "More breaks",
        "change": "Two breaks",
        "hypothesis": "Higher score",
    }
    missing = client.post("/api/v1/experiments/", {**data, "round": theirs.pk + 1000})
    others = client.post("/api/v1/experiments/", {**data, "round": theirs.pk})
    assert missing.status_code == others.status_code == 400
    assert missing.json() == others.json()
    assert str(theirs.pk + 1000) not in missing.content.decode()


def test_an_empty_or_missing_channel_is_refused_and_an_untold_candidate_reads_null(
    client_for, admin
):
    candidate = CandidateFactory(stage=Candidate.Stage.UNSUCCESSFUL, decided_at=timezone.now())
    client = client_for(admin)
    url = f"/api/v1/candidates/{candidate.pk}/"
    # Not told yet: null, which the document allows, never "", which it does not.
    assert client.get(url).json()["communicated_how"] is None
    for body in ({"how": ""}, {}, {"how": None}):
        response = client.post(url + "communicated/", body, content_type="application/json")
        assert response.status_code == 400
        assert "how" in response.json()
    candidate.refresh_from_db()
    assert candidate.communicated_at is None


def test_the_document_says_the_channel_may_be_null_and_lists_only_real_channels(client_for, admin):
    import yaml

    schema = yaml.safe_load(client_for(admin).get("/api/schema/").content)
    field = schema["components"]["schemas"]["Candidate"]["properties"]["communicated_how"]
    assert field.get("nullable") is True
    request = schema["components"]["schemas"]["CommunicatedRequest"]
    assert request["required"] == ["how"]
