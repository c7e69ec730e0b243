"""The touch-point survey's rules: sent once the candidate has been told, answered once,
anonymously, with one reminder at most — even with a real worker running the tasks twice."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from recruitment.errors import RecruitmentError, SurveyLinkError
from recruitment.models import Candidate, SurveyAnswer, SurveyInvitation, SurveyResponse
from recruitment.selectors.survey import survey_invitation_for_token
from recruitment.services.decisions import candidate_communicate
from recruitment.services.survey import (
    TouchPointAnswer,
    survey_draft,
    survey_invite,
    survey_remind,
    survey_save_draft,
    survey_send_reminders,
    survey_submit,
    survey_token,
    survey_unsubscribe,
)
from recruitment.tasks import survey_send_reminders as survey_send_reminders_task
from tests.factories import UserFactory
from tests.recruitment.factories import CandidateFactory, open_round
from tests.services import body_text, wait_until
from wellbeing.accounts.models import hash_token
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import email_queue_rendered

LINK = re.compile(r"/recruitment/survey/([A-Za-z0-9_-]+)/")


def told(round_=None, *, stage=Candidate.Stage.SUCCESSFUL, **fields) -> Candidate:
    """A candidate who has been told the outcome, and so invited to the survey."""
    candidate = CandidateFactory(round=round_ or open_round(), stage=stage, **fields)
    return candidate_communicate(candidate=candidate, how="phone", by=UserFactory())


def token_for(candidate: Candidate) -> str:
    email = OutboxEmail.objects.get(
        idempotency_key=f"survey-invite:{candidate.survey_invitation.pk}"
    )
    return LINK.search(email.body_text).group(1)


def answers_for(candidate: Candidate, score: int | None = 8, **text) -> dict:
    return {
        tp.pk: TouchPointAnswer(score, text.get("worked_well", ""), text.get("improve", ""))
        for tp in candidate.round.touch_points.all()
    }


def backdate(invitation_ids, *, days: float) -> None:
    SurveyInvitation.objects.filter(pk__in=invitation_ids).update(
        sent_at=timezone.now() - timedelta(days=days)
    )


pytestmark = pytest.mark.django_db


# --- Sending the invitation ----------------------------------------------------------------------


def test_survey_is_not_sent_before_the_candidate_is_told_the_outcome():
    candidate = CandidateFactory(round=open_round(), stage=Candidate.Stage.SUCCESSFUL)
    assert survey_invite(candidate=candidate) is None
    assert not SurveyInvitation.objects.exists()
    assert not OutboxEmail.objects.filter(idempotency_key__startswith="survey-invite").exists()


def test_telling_the_candidate_sends_one_invitation_with_an_unguessable_link():
    candidate = told()
    invitation = candidate.survey_invitation
    token = token_for(candidate)
    assert len(token) >= 40
    assert invitation.token_hash == hash_token(token)
    assert token not in (invitation.nonce, invitation.token_hash)
    assert OutboxEmail.objects.filter(to=candidate.email).count() == 1


def test_the_invitation_email_lists_the_touch_points_and_an_unsubscribe_link():
    candidate = told()
    email = OutboxEmail.objects.get(to=candidate.email)
    token = token_for(candidate)
    assert "The workshop" in email.body_text
    assert f"/recruitment/survey/{token}/unsubscribe/" in email.body_text
    assert f"/recruitment/survey/{token}/" in email.body_html


def test_the_invitation_says_honestly_how_much_it_asks_and_that_every_question_is_optional():
    candidate = told()
    email = OutboxEmail.objects.get(to=candidate.email)
    parts = candidate.round.touch_points.count()
    assert email.subject == "How was applying to us? A few minutes, every question optional"
    for body in (email.body_text, email.body_html):
        assert "quick questions" not in body.lower()
        assert f"We ask about {parts} parts of it:" in body
        assert "Every question is optional" in body
        assert "It takes a few minutes" in body or "it takes a few minutes" in body


def test_a_candidate_is_never_invited_twice():
    candidate = told()
    assert survey_invite(candidate=candidate) is None
    assert SurveyInvitation.objects.count() == 1
    assert OutboxEmail.objects.filter(to=candidate.email).count() == 1


def test_a_candidate_who_did_not_agree_to_contact_is_not_invited():
    told(consent_contact=False)
    assert not SurveyInvitation.objects.exists()


def test_the_token_is_derived_from_the_nonce_so_the_reminder_can_rebuild_it():
    candidate = told()
    assert survey_token(candidate.survey_invitation.nonce) == token_for(candidate)


# --- Answering -----------------------------------------------------------------------------------


def test_submitted_answers_are_stored_apart_from_the_candidate():
    candidate = told()
    response = survey_submit(
        invitation=survey_invitation_for_token(token_for(candidate)),
        answers=answers_for(candidate, 9, improve="More parking"),
    )
    related = {f.related_model for f in SurveyResponse._meta.get_fields() if f.is_relation}
    related |= {f.related_model for f in SurveyAnswer._meta.get_fields() if f.is_relation}
    assert Candidate not in related
    assert SurveyInvitation not in related
    assert response.answers.count() == candidate.round.touch_points.count()
    assert set(response.answers.values_list("score", flat=True)) == {9}
    invitation = SurveyInvitation.objects.get(pk=candidate.survey_invitation.pk)
    assert invitation.completed is True
    assert invitation.draft == {}


def test_a_response_records_only_the_day_it_arrived():
    candidate = told()
    response = survey_submit(
        invitation=survey_invitation_for_token(token_for(candidate)), answers=answers_for(candidate)
    )
    assert response.submitted_on == timezone.localdate()
    assert not any(
        f.get_internal_type() == "DateTimeField" for f in SurveyResponse._meta.concrete_fields
    )


@pytest.mark.parametrize(
    ("stage", "group"),
    [
        (Candidate.Stage.SUCCESSFUL, SurveyResponse.Group.SUCCESSFUL),
        (Candidate.Stage.UNSUCCESSFUL, SurveyResponse.Group.UNSUCCESSFUL),
    ],
)
def test_a_response_is_grouped_by_the_outcome_only(stage, group):
    candidate = told(stage=stage)
    response = survey_submit(
        invitation=survey_invitation_for_token(token_for(candidate)), answers=answers_for(candidate)
    )
    assert response.group == group


def test_a_half_finished_survey_is_kept_as_a_draft_and_read_back():
    candidate = told()
    first = candidate.round.touch_points.first()
    token = token_for(candidate)
    survey_save_draft(
        invitation=survey_invitation_for_token(token),
        answers={first.pk: TouchPointAnswer(4, "Kind", "")},
    )
    draft = survey_draft(survey_invitation_for_token(token))
    assert draft == {first.pk: TouchPointAnswer(4, "Kind", "")}
    assert not SurveyResponse.objects.exists()


def test_a_submitted_survey_cannot_be_submitted_again_or_changed():
    candidate = told()
    token = token_for(candidate)
    survey_submit(invitation=survey_invitation_for_token(token), answers=answers_for(candidate))
    with pytest.raises(SurveyLinkError) as error:
        survey_submit(
            invitation=survey_invitation_for_token(token), answers=answers_for(candidate, 1)
        )
    assert error.value.kind == "used"
    with pytest.raises(SurveyLinkError):
        survey_save_draft(
            invitation=survey_invitation_for_token(token), answers=answers_for(candidate, 1)
        )
    assert SurveyResponse.objects.count() == 1
    assert set(SurveyAnswer.objects.values_list("score", flat=True)) == {8}


@pytest.mark.parametrize("score", [0, 11, -3])
def test_scores_outside_1_to_10_are_refused_and_the_draft_is_kept(score):
    candidate = told()
    token = token_for(candidate)
    survey_save_draft(
        invitation=survey_invitation_for_token(token), answers=answers_for(candidate, 5)
    )
    with pytest.raises(RecruitmentError):
        survey_submit(
            invitation=survey_invitation_for_token(token), answers=answers_for(candidate, score)
        )
    with pytest.raises(RecruitmentError):
        survey_save_draft(
            invitation=survey_invitation_for_token(token), answers=answers_for(candidate, score)
        )
    invitation = survey_invitation_for_token(token)
    assert {a.score for a in survey_draft(invitation).values()} == {5}
    assert not SurveyResponse.objects.exists()


def test_a_touch_point_of_another_round_is_refused():
    candidate = told()
    other = told(open_round(title="Other round"))
    foreign = other.round.touch_points.first()
    with pytest.raises(RecruitmentError):
        survey_submit(
            invitation=survey_invitation_for_token(token_for(candidate)),
            answers={foreign.pk: TouchPointAnswer(5, "", "")},
        )
    assert not SurveyResponse.objects.exists()


def test_a_survey_with_only_blank_answers_is_not_sent():
    candidate = told()
    with pytest.raises(RecruitmentError):
        survey_submit(
            invitation=survey_invitation_for_token(token_for(candidate)),
            answers=answers_for(candidate, None, worked_well="  ", improve="\n"),
        )
    assert not SurveyResponse.objects.exists()


def test_a_forged_token_is_an_invalid_link():
    told()
    with pytest.raises(SurveyLinkError) as error:
        survey_invitation_for_token("made-up-token")
    assert error.value.kind == "invalid"


def test_an_expired_link_no_longer_works():
    candidate = told()
    SurveyInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(SurveyLinkError) as error:
        survey_invitation_for_token(token_for(candidate))
    assert error.value.kind == "expired"


def test_unsubscribing_closes_the_link_and_forgets_the_draft():
    candidate = told()
    token = token_for(candidate)
    survey_save_draft(
        invitation=survey_invitation_for_token(token), answers=answers_for(candidate, 6)
    )
    invitation = survey_unsubscribe(invitation=survey_invitation_for_token(token))
    assert invitation.unsubscribed_at is not None
    assert invitation.draft == {}
    with pytest.raises(SurveyLinkError) as error:
        survey_invitation_for_token(token)
    assert error.value.kind == "unsubscribed"


# --- Reminders -----------------------------------------------------------------------------------


def reminders() -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(idempotency_key__startswith="survey-reminder:"))


def test_one_reminder_is_sent_after_the_set_number_of_days(settings):
    settings.SURVEY_REMINDER_AFTER_DAYS = 7
    candidate = told()
    backdate([candidate.survey_invitation.pk], days=7.1)
    assert survey_send_reminders() == 1
    [reminder] = reminders()
    assert reminder.to == candidate.email
    assert f"/recruitment/survey/{token_for(candidate)}/" in reminder.body_text


def test_no_reminder_is_sent_before_the_set_number_of_days(settings):
    settings.SURVEY_REMINDER_AFTER_DAYS = 7
    candidate = told()
    backdate([candidate.survey_invitation.pk], days=6.9)
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert reminders() == []


def test_never_more_than_one_reminder():
    candidate = told()
    backdate([candidate.survey_invitation.pk], days=30)
    assert survey_send_reminders() == 1
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert len(reminders()) == 1


def test_no_reminder_after_the_survey_is_completed():
    candidate = told()
    survey_submit(
        invitation=survey_invitation_for_token(token_for(candidate)), answers=answers_for(candidate)
    )
    backdate([candidate.survey_invitation.pk], days=30)
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert reminders() == []


def test_no_reminder_after_the_candidate_unsubscribed():
    candidate = told()
    survey_unsubscribe(invitation=survey_invitation_for_token(token_for(candidate)))
    backdate([candidate.survey_invitation.pk], days=30)
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert reminders() == []


def test_no_reminder_after_the_candidate_withdrew_consent_to_be_contacted():
    candidate = told()
    Candidate.objects.filter(pk=candidate.pk).update(consent_contact=False)
    backdate([candidate.survey_invitation.pk], days=30)
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert reminders() == []


def test_no_reminder_once_the_link_has_expired():
    candidate = told()
    backdate([candidate.survey_invitation.pk], days=30)
    SurveyInvitation.objects.update(expires_at=timezone.now() - timedelta(hours=1))
    assert survey_send_reminders() == 0
    assert survey_remind(invitation_id=candidate.survey_invitation.pk) is False
    assert reminders() == []


# --- With a real Celery worker on Redis and a real SMTP server -----------------------------------


# SQLite's in-memory test database locks whole tables, so the worker's connection and the
# test's would trip over each other; these run on PostgreSQL, as CI and `make test` run them.
needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="The worker tests need PostgreSQL (set DATABASE_URL)",
)


def _all_sent() -> bool:
    """The worker has finished with every email (on SQLite, writing meanwhile would clash)."""
    return not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


def _flush(smtp_server) -> None:
    """Queue one more email and wait for it: every task queued before it has been handled."""
    with transaction.atomic():
        email_queue_rendered(
            to="marker@example.org",
            subject="marker",
            body_text="marker",
            body_html="",
            idempotency_key=f"marker:{timezone.now().isoformat()}",
        )
    assert wait_until(lambda: smtp_server.to("marker@example.org"), timeout=20)
    assert wait_until(_all_sent, timeout=20)


def _subjects(smtp_server, address: str) -> list[str]:
    return sorted(m["Subject"] for m in smtp_server.to(address))


@pytest.mark.services
@needs_postgresql
def test_with_the_worker_each_candidate_gets_one_invitation_and_one_reminder_even_when_tasks_run_twice(  # noqa: E501
    celery_worker, smtp_server
):
    round_ = open_round()
    first, second = told(round_), told(round_)
    assert wait_until(lambda: len(smtp_server.messages) >= 2, timeout=20)
    assert wait_until(_all_sent, timeout=20)
    backdate([first.survey_invitation.pk, second.survey_invitation.pk], days=30)

    survey_send_reminders_task.delay()
    survey_send_reminders_task.delay()
    assert wait_until(lambda: len(smtp_server.messages) >= 4, timeout=30)
    _flush(smtp_server)

    for candidate in (first, second):
        received = smtp_server.to(candidate.email)
        assert _subjects(smtp_server, candidate.email) == [
            "A reminder: how was applying to us?",
            "How was applying to us? A few minutes, every question optional",
        ]
        token = token_for(candidate)
        assert all(f"/recruitment/survey/{token}/" in body_text(m) for m in received)


@pytest.mark.services
@needs_postgresql
def test_with_the_worker_no_reminder_reaches_someone_who_answered_or_unsubscribed(
    celery_worker, smtp_server
):
    round_ = open_round()
    answered, unsubscribed, waiting = told(round_), told(round_), told(round_)
    assert wait_until(lambda: len(smtp_server.messages) >= 3, timeout=20)
    assert wait_until(_all_sent, timeout=20)
    survey_submit(
        invitation=survey_invitation_for_token(token_for(answered)), answers=answers_for(answered)
    )
    survey_unsubscribe(invitation=survey_invitation_for_token(token_for(unsubscribed)))
    backdate([c.survey_invitation.pk for c in (answered, unsubscribed, waiting)], days=30)

    survey_send_reminders_task.delay()
    survey_send_reminders_task.delay()
    assert wait_until(lambda: len(smtp_server.to(waiting.email)) >= 2, timeout=30)
    _flush(smtp_server)

    assert len(smtp_server.to(answered.email)) == 1
    assert len(smtp_server.to(unsubscribed.email)) == 1
    assert len(smtp_server.to(waiting.email)) == 2
