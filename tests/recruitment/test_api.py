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
    owner = UserFactory()
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
