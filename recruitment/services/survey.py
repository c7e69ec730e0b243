"""The touch-point survey, all of it: the invitation and its link, the reminder, drafts, the
answers (kept apart from the candidate) and unsubscribing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from wellbeing.accounts.models import hash_token
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue

from ..errors import RecruitmentError
from ..models import (
    Candidate,
    Round,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
    TouchPoint,
)
from ..selectors.survey import survey_link_error

logger = logging.getLogger(__name__)


# --- The invitation -------------------------------------------------------------------------


def survey_invite(*, candidate: Candidate) -> SurveyInvitation | None:
    """One invitation per candidate, ever; the link's token lives only in the email."""
    if not candidate.survey_wanted:
        return None
    if SurveyInvitation.objects.filter(candidate=candidate).exists():
        return None
    nonce = secrets.token_hex(16)
    token = survey_token(nonce)
    invitation = SurveyInvitation.objects.create(
        candidate=candidate,
        nonce=nonce,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.SURVEY_LINK_VALID_DAYS),
    )
    email_queue(
        to=candidate.email,
        template="recruitment/survey_invitation",
        context=survey_email_context(invitation=invitation, token=token),
        idempotency_key=f"survey-invite:{invitation.pk}",
        sensitive=True,
    )
    return invitation


def survey_token(nonce: str) -> str:
    """The link's token: unguessable without the secret key, recomputable for the reminder."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"survey-invitation:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def survey_email_context(*, invitation: SurveyInvitation, token: str) -> dict:
    candidate = invitation.candidate
    return {
        "candidate": candidate,
        "round": candidate.round,
        "invitation": invitation,
        "survey_url": absolute_reverse("recruitment:survey", args=[token]),
        "unsubscribe_url": absolute_reverse("recruitment:survey_unsubscribe", args=[token]),
        "touch_points": list(candidate.round.touch_points.all()),
    }


# --- Answering ------------------------------------------------------------------------------


@dataclass
class TouchPointAnswer:
    score: int | None
    worked_well: str
    improve: str


def _locked(invitation: SurveyInvitation) -> SurveyInvitation:
    """The invitation again, locked, and still usable: two tabs may send the same survey."""
    invitation = (
        SurveyInvitation.objects.select_for_update(of=("self",))
        .select_related("candidate__round")
        .get(pk=invitation.pk)
    )
    problem = invitation.link_problem()
    if problem:
        raise survey_link_error(problem)
    return invitation


def _clean(touch_points: list[TouchPoint], answers: dict[int, TouchPointAnswer]) -> dict:
    known = {tp.pk for tp in touch_points}
    cleaned = {}
    for pk, answer in answers.items():
        if pk not in known:
            raise RecruitmentError("That question is not part of this survey.")
        if answer.score is not None and not 1 <= answer.score <= 10:
            raise RecruitmentError("Scores go from 1 (very poor) to 10 (amazing).")
        cleaned[pk] = answer
    return cleaned


@transaction.atomic
def survey_save_draft(
    *, invitation: SurveyInvitation, answers: dict[int, TouchPointAnswer]
) -> SurveyInvitation:
    """Keep a half-finished survey so the same link picks up where it was left."""
    invitation = _locked(invitation)
    touch_points = list(invitation.candidate.round.touch_points.all())
    cleaned = _clean(touch_points, answers)
    invitation.draft = {
        str(pk): {"score": a.score, "worked_well": a.worked_well, "improve": a.improve}
        for pk, a in cleaned.items()
    }
    invitation.save(update_fields=["draft"])
    return invitation


def survey_draft(invitation: SurveyInvitation) -> dict[int, TouchPointAnswer]:
    return {
        int(pk): TouchPointAnswer(a.get("score"), a.get("worked_well", ""), a.get("improve", ""))
        for pk, a in (invitation.draft or {}).items()
    }


def _group(candidate: Candidate) -> str:
    if candidate.stage == Candidate.Stage.SUCCESSFUL:
        return SurveyResponse.Group.SUCCESSFUL
    if candidate.stage == Candidate.Stage.UNSUCCESSFUL:
        return SurveyResponse.Group.UNSUCCESSFUL
    return SurveyResponse.Group.OTHER


@transaction.atomic
def survey_submit(
    *, invitation: SurveyInvitation, answers: dict[int, TouchPointAnswer]
) -> SurveyResponse:
    """Store the answers apart from the candidate and close the link for good."""
    invitation = _locked(invitation)
    round_ = invitation.candidate.round
    touch_points = list(round_.touch_points.all())
    cleaned = _clean(touch_points, answers)
    if not any(
        a.score is not None or a.worked_well.strip() or a.improve.strip() for a in cleaned.values()
    ):
        raise RecruitmentError("Answer at least one question before sending.")
    response = SurveyResponse.objects.create(
        round=round_, group=_group(invitation.candidate), submitted_on=timezone.localdate()
    )
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            response=response,
            touch_point_id=pk,
            score=answer.score,
            worked_well=answer.worked_well.strip(),
            improve=answer.improve.strip(),
        )
        for pk, answer in cleaned.items()
        if answer.score is not None or answer.worked_well.strip() or answer.improve.strip()
    )
    invitation.completed = True
    invitation.draft = {}
    invitation.save(update_fields=["completed", "draft"])
    survey_publish(round_=round_)
    return response


def survey_publish(*, round_: Round, closing: bool = False) -> int:
    """Publish the responses that arrived since the last publication, once there are at least
    k of them (or, `closing`, whatever is left when the round's survey closes); returns how many.

    Reports read published responses only, so results move in steps of k: the difference
    between two readings is never one person's answers.
    """
    waiting = SurveyResponse.objects.filter(round=round_, published=False)
    if not closing and waiting.count() < settings.SURVEY_MIN_RESPONSES:
        return 0
    return waiting.update(published=True)


@transaction.atomic
def survey_unsubscribe(*, invitation: SurveyInvitation) -> SurveyInvitation:
    invitation = _locked(invitation)
    invitation.unsubscribed_at = timezone.now()
    invitation.draft = {}
    invitation.save(update_fields=["unsubscribed_at", "draft"])
    return invitation


# --- The reminder ---------------------------------------------------------------------------


def _reminder_due(now: datetime) -> Q:
    """Who gets the one reminder: waiting long enough, not answered, still willing and
    reachable. Both finding them and claiming each one ask this."""
    return Q(
        completed=False,
        unsubscribed_at__isnull=True,
        reminder_sent_at__isnull=True,
        sent_at__lte=now - timedelta(days=settings.SURVEY_REMINDER_AFTER_DAYS),
        expires_at__gt=now,
        candidate__erased_at__isnull=True,
        candidate__email__isnull=False,
        candidate__consent_contact=True,
    )


def survey_reminders_due(*, now: datetime) -> list[int]:
    return list(SurveyInvitation.objects.filter(_reminder_due(now)).values_list("pk", flat=True))


@transaction.atomic
def survey_remind(*, invitation_id: int, now: datetime | None = None) -> bool:
    """Send the one reminder. Claimed with a conditional update, so never twice.

    The claim checks every rule of `survey_reminders_due` again, so a call made early, late or
    for the wrong invitation sends nothing it should not.
    """
    now = now or timezone.now()
    claimed = SurveyInvitation.objects.filter(_reminder_due(now), pk=invitation_id).update(
        reminder_sent_at=now
    )
    if claimed != 1:
        return False
    invitation = SurveyInvitation.objects.select_related("candidate__round").get(pk=invitation_id)
    token = survey_token(invitation.nonce)
    if hash_token(token) != invitation.token_hash:
        # The secret key changed since the invitation; its link cannot be rebuilt.
        logger.warning("Survey invitation %s: link cannot be rebuilt for a reminder", invitation_id)
        return False
    email_queue(
        to=invitation.candidate.email,
        template="recruitment/survey_reminder",
        context=survey_email_context(invitation=invitation, token=token),
        idempotency_key=f"survey-reminder:{invitation.pk}",
        sensitive=True,
    )
    return True


def survey_send_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(survey_remind(invitation_id=pk, now=now) for pk in survey_reminders_due(now=now))
