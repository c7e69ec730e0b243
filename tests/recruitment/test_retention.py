"""Retention: unsuccessful candidates' details go after the set months; the trends stay."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from recruitment.models import AssessmentSheet, Candidate, Score, SurveyAnswer, SurveyResponse
from recruitment.selectors.measures import add_months
from recruitment.services.retention import candidates_due_for_erasure, recruitment_erase_expired
from tests.recruitment.factories import CandidateFactory, PanelMemberFactory, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_round():
    today = timezone.localdate()
    return open_round(
        title="Autumn round",
        opens_on=today - timedelta(days=300),
        closes_on=today - timedelta(days=250),
        status="decided",
    )


def scored(candidate, score=4, evidence="Spoke warmly about her neighbour."):
    panel = PanelMemberFactory(round=candidate.round)
    sheet = AssessmentSheet.objects.create(
        candidate=candidate, panel_member=panel, submitted_at=timezone.now()
    )
    value = candidate.round.values.first()
    return Score.objects.create(sheet=sheet, value=value, score=score, evidence=evidence)


def test_unsuccessful_candidates_details_are_erased_after_the_retention_period(old_round):
    candidate = CandidateFactory(round=old_round, stage=Candidate.Stage.UNSUCCESSFUL)
    candidate.answers.create(question=old_round.questions.first(), text="My story")
    score = scored(candidate)

    assert recruitment_erase_expired() == 1

    candidate.refresh_from_db()
    assert candidate.email is None
    assert candidate.name == "Erased candidate"
    assert candidate.phone == ""
    assert candidate.why == ""
    assert candidate.erased_at is not None
    assert not candidate.answers.exists()
    assert not Candidate.history.filter(id=candidate.pk).exists()
    score.refresh_from_db()
    # The score stays for the round-by-round trends; what was written about the person goes.
    assert score.score == 4
    assert score.evidence == ""


def test_survey_answers_are_kept_when_candidates_are_erased(old_round):
    CandidateFactory(round=old_round, stage=Candidate.Stage.UNSUCCESSFUL)
    response = SurveyResponse.objects.create(
        round=old_round, group="unsuccessful", submitted_on=date(2026, 1, 5)
    )
    SurveyAnswer.objects.create(
        response=response, touch_point=old_round.touch_points.first(), score=7
    )
    recruitment_erase_expired()
    assert SurveyAnswer.objects.get().score == 7


def test_successful_candidates_and_recent_rounds_are_kept(old_round):
    hired = CandidateFactory(round=old_round, stage=Candidate.Stage.SUCCESSFUL)
    recent = CandidateFactory(stage=Candidate.Stage.UNSUCCESSFUL)  # a round that is still open
    assert recruitment_erase_expired() == 0
    hired.refresh_from_db()
    recent.refresh_from_db()
    assert hired.email
    assert recent.email


def test_erasure_waits_for_the_configured_months(old_round, settings):
    candidate = CandidateFactory(round=old_round, stage=Candidate.Stage.WITHDRAWN)
    settings.RECRUITMENT_RETENTION_MONTHS = 12
    assert candidates_due_for_erasure(today=timezone.localdate()) == []
    settings.RECRUITMENT_RETENTION_MONTHS = 6
    assert candidates_due_for_erasure(today=timezone.localdate()) == [candidate.pk]


def test_running_erasure_twice_erases_once(old_round):
    CandidateFactory(round=old_round, stage=Candidate.Stage.UNSUCCESSFUL)
    assert recruitment_erase_expired() == 1
    assert recruitment_erase_expired() == 0


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2026, 3, 15), 6, date(2025, 9, 15)),
        (date(2024, 8, 31), 6, date(2024, 2, 29)),
    ],
)
def test_months_are_counted_on_the_calendar(day, months, expected):
    assert add_months(day, -months) == expected


def test_candidates_left_undecided_in_an_old_round_are_erased_too(old_round):
    candidate = CandidateFactory(round=old_round, stage=Candidate.Stage.INVITED)
    assert recruitment_erase_expired() == 1
    candidate.refresh_from_db()
    assert candidate.email is None


def test_expired_survey_drafts_are_cleared(old_round):
    from recruitment.models import SurveyInvitation

    candidate = CandidateFactory(round=old_round, stage=Candidate.Stage.SUCCESSFUL)
    SurveyInvitation.objects.create(
        candidate=candidate,
        nonce="n" * 32,
        token_hash="h" * 64,
        expires_at=timezone.now() - timedelta(days=1),
        draft={"1": {"score": 3, "worked_well": "Kind people", "improve": ""}},
    )
    recruitment_erase_expired()
    assert SurveyInvitation.objects.get().draft == {}


def test_erasure_reaches_the_outbox_whatever_each_emails_state(old_round):
    from wellbeing.notifications.models import OutboxEmail
    from wellbeing.notifications.services import email_queue_rendered

    candidate = CandidateFactory(
        round=old_round, stage=Candidate.Stage.UNSUCCESSFUL, name="Priya Shah"
    )
    states = {
        f"application-ack:{candidate.pk}": OutboxEmail.Status.SENT,
        f"workshop-invite:{candidate.pk}:1": OutboxEmail.Status.FAILED,
        f"survey-reminder:{candidate.pk}": OutboxEmail.Status.PENDING,
    }
    for key, status in states.items():
        email_queue_rendered(
            to=candidate.email,
            subject="Dear Priya Shah",
            body_text="Dear Priya Shah, here is your link",
            body_html="<p>Dear Priya Shah</p>",
            idempotency_key=key,
        )
        OutboxEmail.objects.filter(idempotency_key=key).update(status=status)
    # An email to the same address for something else (they also sit on a panel) stays.
    email_queue_rendered(
        to=candidate.email,
        subject="Join the panel",
        body_text="Hello",
        body_html="",
        idempotency_key="panel-invite:99",
    )

    recruitment_erase_expired()

    for key, status in states.items():
        email = OutboxEmail.objects.get(idempotency_key=key)
        text = email.to + email.subject + email.body_text + email.body_html
        assert "Priya" not in text
        assert "candidate" not in email.to
        # One not sent yet is never sent now.
        expected = OutboxEmail.Status.SENT if status == "sent" else OutboxEmail.Status.FAILED
        assert email.status == expected
    assert OutboxEmail.objects.get(idempotency_key="panel-invite:99").body_text == "Hello"
