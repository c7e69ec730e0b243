"""Experiments, "you said, we did": admins and owners turn candidates' improvement ideas into
changes a round tries, the report compares the touch point before and after, and the previous
round's candidates can be told once what changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Candidate, Experiment, Round, SurveyAnswer, SurveyResponse
from recruitment.selectors.survey import survey_invitation_for_token
from recruitment.services import RecruitmentError
from recruitment.services.experiments import (
    experiment_create,
    experiment_delete,
    experiment_update,
    you_said_we_did_send,
)
from recruitment.services.survey import survey_invite, survey_token, survey_unsubscribe
from tests.recruitment.factories import CandidateFactory, open_round
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

IDEA = "Tell us where to park for the workshop."
CHANGE = "The workshop invitation has a map and parking details."
HYPOTHESIS = "The workshop's mean score goes up by at least one point."


@pytest.fixture(autouse=True)
def _k_is_three(settings):
    settings.SURVEY_MIN_RESPONSES = 3


@pytest.fixture
def previous(round_owner) -> Round:
    today = timezone.localdate()
    round_ = open_round(
        title="Autumn 2025",
        owners=[round_owner],
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    return round_


@pytest.fixture
def experiment(round_, round_owner) -> Experiment:
    return experiment_create(
        round_=round_,
        touch_point_key="workshop",
        idea=IDEA,
        change=CHANGE,
        hypothesis=HYPOTHESIS,
        by=round_owner,
    )


def form_data(round_: Round, **changes) -> dict:
    return {
        "round": round_.pk,
        "touch_point_key": "workshop",
        "idea": IDEA,
        "change": CHANGE,
        "hypothesis": HYPOTHESIS,
        **changes,
    }


def respond(round_: Round, key: str, score: int) -> None:
    response = SurveyResponse.objects.create(
        round=round_, submitted_on=timezone.localdate(), published=True
    )
    SurveyAnswer.objects.create(
        response=response, touch_point=round_.touch_points.get(key=key), score=score
    )


def report(client, round_: Round) -> str:
    response = client.get(reverse("recruitment:round_report", args=[round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Creating, changing, removing ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "round_owner"])
def test_admins_and_owners_turn_an_idea_into_an_experiment(request, client_for, round_, who):
    user = request.getfixturevalue(who)
    client = client_for(user)
    new = reverse("recruitment:experiment_new", args=[round_.pk])
    assert client.get(new).status_code == 200
    response = client.post(new, form_data(round_))
    assert response.status_code == 302
    experiment = Experiment.objects.get()
    assert (experiment.round, experiment.touch_point_key) == (round_, "workshop")
    assert (experiment.idea, experiment.change, experiment.hypothesis) == (IDEA, CHANGE, HYPOTHESIS)
    assert experiment.created_by == user
    assert CHANGE in report(client, round_)


def test_an_experiment_can_be_changed_and_moved_to_another_round(
    client_for, round_owner, experiment, previous
):
    client = client_for(round_owner)
    url = reverse("recruitment:experiment_edit", args=[experiment.pk])
    assert IDEA in client.get(url).content.decode()
    response = client.post(url, form_data(previous, touch_point_key="feedback", change="Call"))
    assert response.status_code == 302
    experiment.refresh_from_db()
    assert (experiment.round, experiment.touch_point_key, experiment.change) == (
        previous,
        "feedback",
        "Call",
    )


def test_an_experiment_can_be_removed_after_a_confirmation(client_for, round_owner, experiment):
    client = client_for(round_owner)
    url = reverse("recruitment:experiment_delete", args=[experiment.pk])
    assert "Remove this experiment?" in client.get(url).content.decode()
    assert Experiment.objects.exists()
    assert client.post(url).status_code == 302
    assert not Experiment.objects.exists()


def test_an_experiment_needs_every_part(client_for, round_owner, round_):
    response = client_for(round_owner).post(
        reverse("recruitment:experiment_new", args=[round_.pk]), form_data(round_, hypothesis="")
    )
    assert response.status_code == 400
    assert not Experiment.objects.exists()


def test_an_experiment_is_on_a_touch_point_of_its_round(round_owner, round_):
    round_.touch_points.filter(key="workshop").delete()
    with pytest.raises(RecruitmentError):
        experiment_create(
            round_=round_,
            touch_point_key="workshop",
            idea=IDEA,
            change=CHANGE,
            hypothesis=HYPOTHESIS,
            by=round_owner,
        )


@pytest.mark.parametrize("who", ["member", "outsider", "coach"])
def test_only_admins_and_owners_may_plan_experiments(request, client_for, round_, experiment, who):
    client = client_for(request.getfixturevalue(who))
    pages = [
        reverse("recruitment:experiment_new", args=[round_.pk]),
        reverse("recruitment:experiment_edit", args=[experiment.pk]),
        reverse("recruitment:experiment_delete", args=[experiment.pk]),
    ]
    for page in pages:
        assert client.get(page).status_code == 404
        assert client.post(page, form_data(round_, change="Hijacked")).status_code == 404
    post = reverse("recruitment:you_said_we_did", args=[round_.pk])
    assert client.post(post).status_code == 404
    experiment.refresh_from_db()
    assert experiment.change == CHANGE
    assert Experiment.objects.count() == 1
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="you-said").exists()


def test_the_services_refuse_someone_who_does_not_run_the_round(round_, experiment, outsider):
    with pytest.raises(RecruitmentError):
        experiment_create(
            round_=round_,
            touch_point_key="workshop",
            idea=IDEA,
            change=CHANGE,
            hypothesis=HYPOTHESIS,
            by=outsider,
        )
    with pytest.raises(RecruitmentError):
        experiment_update(
            experiment=experiment,
            round_=round_,
            touch_point_key="workshop",
            idea=IDEA,
            change="Hijacked",
            hypothesis=HYPOTHESIS,
            by=outsider,
        )
    with pytest.raises(RecruitmentError):
        experiment_delete(experiment=experiment, by=outsider)
    assert Experiment.objects.get().change == CHANGE


def test_an_owner_cannot_move_an_experiment_into_a_round_they_do_not_run(
    client_for, round_owner, experiment
):
    foreign = open_round(title="Someone else's round")
    response = client_for(round_owner).post(
        reverse("recruitment:experiment_edit", args=[experiment.pk]), form_data(foreign)
    )
    assert response.status_code == 400
    experiment.refresh_from_db()
    assert experiment.round_id != foreign.pk


# --- Before and after ---------------------------------------------------------------------------


def test_the_report_shows_the_touch_points_mean_before_and_after(
    client_for, round_owner, previous, round_, experiment
):
    for score in (4, 5, 6):
        respond(previous, "workshop", score)
    for score in (7, 8, 9):
        respond(round_, "workshop", score)
    page = report(client_for(round_owner), round_)
    assert "You said" in page
    assert IDEA in page
    assert "5.0 (3 scores)" in page
    assert "8.0 (3 scores)" in page
    assert "+3.0" in page


def test_before_and_after_are_held_back_below_k(client_for, coach, previous, round_, experiment):
    respond(previous, "workshop", 2)
    respond(previous, "workshop", 3)
    for score in (7, 8, 9):
        respond(round_, "workshop", score)
    page = report(client_for(coach), round_)
    assert CHANGE in page
    assert "Not enough answers to show" in page
    assert "(2 scores)" not in page


def test_coaches_read_experiments_but_cannot_change_them(client_for, coach, round_, experiment):
    page = report(client_for(coach), round_)
    assert CHANGE in page
    assert reverse("recruitment:experiment_edit", args=[experiment.pk]) not in page
    assert reverse("recruitment:you_said_we_did", args=[round_.pk]) not in page


# --- You said, we did ----------------------------------------------------------------------------


@pytest.fixture
def previous_candidates(previous) -> dict[str, Candidate]:
    told = timezone.now()
    people = {
        "willing": CandidateFactory(round=previous, stage="successful", communicated_at=told),
        "also willing": CandidateFactory(
            round=previous, stage="unsuccessful", communicated_at=told
        ),
        "no consent": CandidateFactory(round=previous, consent_contact=False),
        "no email": CandidateFactory(round=previous, email=None),
        "unsubscribed": CandidateFactory(
            round=previous, stage="unsuccessful", communicated_at=told
        ),
    }
    invitation = survey_invite(candidate=people["unsubscribed"])
    survey_unsubscribe(invitation=survey_invitation_for_token(survey_token(invitation.nonce)))
    return people


def sent_to() -> list[str]:
    return sorted(
        OutboxEmail.objects.filter(idempotency_key__startswith="you-said-we-did:").values_list(
            "to", flat=True
        )
    )


def test_you_said_we_did_emails_each_willing_candidate_of_the_previous_round_once(
    client_for,
    round_owner,
    round_,
    experiment,
    previous_candidates,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    CandidateFactory(round=round_)  # this round's candidates had no say in these changes
    client = client_for(round_owner)
    url = reverse("recruitment:you_said_we_did", args=[round_.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"confirm": "send"})
    assert response.status_code == 302
    willing = sorted(previous_candidates[name].email for name in ("willing", "also willing"))
    assert sent_to() == willing
    assert sorted(m.to[0] for m in mailoutbox) == willing
    assert CHANGE in mailoutbox[0].body
    assert IDEA in mailoutbox[0].body
    candidate = previous_candidates["willing"]
    assert OutboxEmail.objects.filter(
        idempotency_key=f"you-said-we-did:{round_.pk}:{candidate.pk}"
    ).exists()
    round_.refresh_from_db()
    assert round_.you_said_we_did_sent_at is not None

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert sent_to() == willing
    assert len(mailoutbox) == 2


def test_pressing_twice_sends_nothing_twice(round_owner, round_, experiment, previous_candidates):
    assert you_said_we_did_send(round_=round_, by=round_owner) == 2
    assert you_said_we_did_send(round_=round_, by=round_owner) == 0
    assert len(sent_to()) == 2


def test_you_said_we_did_needs_a_change_to_tell(
    client_for, round_owner, round_, previous_candidates
):
    with pytest.raises(RecruitmentError):
        you_said_we_did_send(round_=round_, by=round_owner)
    response = client_for(round_owner).post(
        reverse("recruitment:you_said_we_did", args=[round_.pk]), {"confirm": "send"}
    )
    assert response.status_code == 302
    assert sent_to() == []
    round_.refresh_from_db()
    assert round_.you_said_we_did_sent_at is None


def test_the_button_is_offered_to_owners_once_there_are_changes(
    client_for, round_owner, previous, round_, experiment
):
    page = report(client_for(round_owner), round_)
    assert reverse("recruitment:you_said_we_did", args=[round_.pk]) in page
    assert "Tell the previous round’s candidates what changed" in page
    assert "each candidate of Autumn 2025" in page


def test_the_first_round_has_nobody_earlier_to_tell(round_owner, previous):
    experiment_create(
        round_=previous,
        touch_point_key="workshop",
        idea=IDEA,
        change=CHANGE,
        hypothesis=HYPOTHESIS,
        by=round_owner,
    )
    with pytest.raises(RecruitmentError):
        you_said_we_did_send(round_=previous, by=round_owner)


def test_you_said_we_did_shows_the_email_and_how_many_get_it_before_sending(
    client_for, round_owner, round_, experiment, previous_candidates
):
    client = client_for(round_owner)
    url = reverse("recruitment:you_said_we_did", args=[round_.pk])
    assert url in report(client, round_)
    preview = client.get(url)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "2 of 2 candidates" in page
    assert CHANGE in page
    assert IDEA in page
    assert "Send to 2 candidates" in page
    assert sent_to() == []
    # A POST without the confirmation (an old form, a stray request) sends nothing.
    client.post(url)
    assert sent_to() == []
    client.post(url, {"confirm": "send"})
    assert len(sent_to()) == 2
    assert "2 of 2 candidates" not in client.get(url).content.decode()
    assert "Nobody is left to send it to" in client.get(url).content.decode()
