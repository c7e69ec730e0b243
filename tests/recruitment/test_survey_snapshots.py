"""Survey results move only in steps of at least k answers, so reading them before and after
one more answer never gives that answer; staff learn how many answered, never who."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Candidate, Round, SurveyInvitation
from recruitment.services.rounds import round_set_status
from recruitment.services.survey import TouchPointAnswer, survey_invite, survey_submit
from tests.recruitment.factories import CandidateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _k_is_three(settings):
    settings.SURVEY_MIN_RESPONSES = 3


def answer(round_: Round, score: int, improve: str = "") -> None:
    """A candidate is told, invited, and sends the survey scoring every touch point."""
    candidate = CandidateFactory(
        round=round_, stage=Candidate.Stage.SUCCESSFUL, communicated_at=timezone.now()
    )
    invitation = survey_invite(candidate=candidate)
    survey_submit(
        invitation=invitation,
        answers={tp.pk: TouchPointAnswer(score, "", improve) for tp in round_.touch_points.all()},
    )


def readings(client, round_: Round) -> tuple[dict, str, str]:
    """What staff can read of the results: the API, the CSV and the report's numbers."""
    api = client.get(reverse("api-survey-results", args=[round_.pk])).json()
    api.pop("response_rate")  # invitations answered: a count of who answered, by design
    csv = client.get(reverse("recruitment:round_report_csv", args=[round_.pk]))
    page = client.get(reverse("recruitment:round_report", args=[round_.pk])).content.decode()
    # From the first step's section to the experiments: the figures, not the page's nonces.
    section = page[page.find('id="touch-point-') : page.find('id="experiments"')]
    return api, csv.content.decode() if csv.status_code == 200 else "", section


def test_one_more_answer_changes_no_result_until_k_more_have_arrived(client_for, admin, round_):
    client = client_for(admin)
    for _ in range(3):
        answer(round_, 8, improve="Shorter forms")
    before = readings(client, round_)
    assert before[0]["touch_points"][0]["mean"] == 8
    assert "Shorter forms" in before[1]

    answer(round_, 2, improve="Someone's own words")
    after_one = readings(client, round_)
    assert after_one == before
    assert "Someone's own words" not in after_one[1] + after_one[2]

    answer(round_, 2)
    assert readings(client, round_) == before

    answer(round_, 2)
    stepped = readings(client, round_)
    assert stepped[0]["responses"] == 6
    assert stepped[0]["touch_points"][0]["mean"] == 5
    assert "Someone's own words" in stepped[1]


def test_results_stay_hidden_below_k_even_as_answers_arrive(client_for, admin, round_):
    client = client_for(admin)
    answer(round_, 9)
    answer(round_, 9)
    api, _, _ = readings(client, round_)
    assert api["enough_responses"] is False
    assert api["touch_points"][0]["n"] is None


def test_what_is_left_is_published_when_the_round_is_reviewed(client_for, admin, round_):
    for _ in range(3):
        answer(round_, 8)
    answer(round_, 4)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.DECIDED)
    round_set_status(round_=round_, status=Round.Status.REVIEWED)
    api, _, _ = readings(client_for(admin), round_)
    assert api["responses"] == 4
    assert api["touch_points"][0]["mean"] == 7


def test_the_report_says_how_many_answers_wait_for_the_next_step(client_for, admin, round_):
    for _ in range(4):
        answer(round_, 8)
    page = client_for(admin).get(reverse("recruitment:round_report", args=[round_.pk]))
    assert "1 more answer has arrived" in page.content.decode()


def test_the_admin_does_not_show_which_named_candidate_completed_the_survey(
    client_for, admin, round_
):
    answer(round_, 8)
    invitation = SurveyInvitation.objects.get()
    client = client_for(admin)
    listing = client.get("/admin/recruitment/surveyinvitation/").content.decode()
    assert invitation.candidate.name in listing
    assert "completed" not in listing.lower()
    change = client.get(f"/admin/recruitment/surveyinvitation/{invitation.pk}/change/")
    assert "completed" not in change.content.decode().lower()
