"""The demo's recruitment: a newcomer follows a candidate to the survey without editing dates."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from recruitment.models import Candidate, Round
from recruitment.services.decisions import candidate_communicate
from wellbeing.accounts.models import User
from wellbeing.demo import seed_demo
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def open_round() -> Round:
    seed_demo()
    return Round.objects.get(status=Round.Status.OPEN)


def test_the_open_round_has_candidates_at_every_stage_and_the_decided_met_already(open_round):
    """Attended and decided at a workshop already held; invited to one still to come."""
    stages = set(open_round.candidates.values_list("stage", flat=True))
    assert stages == set(Candidate.Stage.values)
    now = timezone.now()
    held = open_round.candidates.filter(
        stage__in=[Candidate.Stage.ATTENDED, *Candidate.OUTCOMES]
    ).select_related("workshop")
    assert held.count() >= 3
    for candidate in held:
        assert candidate.workshop.starts_at < now, candidate
    for candidate in open_round.candidates.filter(stage=Candidate.Stage.INVITED):
        assert candidate.workshop.starts_at > now, candidate


def test_a_decided_candidate_can_be_told_and_their_survey_link_opens(open_round, client):
    candidate = open_round.candidates.filter(
        stage=Candidate.Stage.SUCCESSFUL, communicated_at__isnull=True
    ).first()
    assert candidate is not None, "someone decided and not yet told"
    admin = User.objects.get(email="admin@example.org")
    candidate_communicate(candidate=candidate, how=Candidate.Channel.PHONE, by=admin)

    email = OutboxEmail.objects.get(to=candidate.email, idempotency_key__startswith="survey-")
    link = re.search(r"https?://\S+?(/recruitment/survey/\S+?/)", email.body_text)
    assert link is not None, email.body_text
    answer = client.get(link.group(1), follow=True)
    assert answer.status_code == 200
    assert answer.redirect_chain[-1][0].endswith("/recruitment/survey/answer/")


def test_running_the_demo_again_adds_no_candidates(open_round):
    counts = (Round.objects.count(), Candidate.objects.count())
    seed_demo()
    assert (Round.objects.count(), Candidate.objects.count()) == counts
