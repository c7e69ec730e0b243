"""Decisions, and telling candidates. The survey follows only once they have been told."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wellbeing.accounts.models import User, hash_token
from wellbeing.notifications.services import email_queue

from ..models import Candidate, SurveyInvitation
from .errors import RecruitmentError

OUTCOMES = {Candidate.Stage.SUCCESSFUL, Candidate.Stage.UNSUCCESSFUL}


@transaction.atomic
def candidate_decide(*, candidate: Candidate, outcome: str, reason: str, by: User) -> Candidate:
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if outcome not in OUTCOMES:
        raise RecruitmentError("The outcome is either successful or unsuccessful.")
    if candidate.communicated_at:
        raise RecruitmentError("The candidate has been told already; the decision stands.")
    if candidate.stage not in {Candidate.Stage.ATTENDED, *OUTCOMES}:
        raise RecruitmentError("Decide only for candidates who attended the workshop.")
    if not reason.strip():
        raise RecruitmentError("Record the reason for the decision.")
    candidate.stage = outcome
    candidate.decision_reason = reason.strip()
    candidate.decided_at = timezone.now()
    candidate.decided_by = by
    candidate.save(update_fields=["stage", "decision_reason", "decided_at", "decided_by"])
    return candidate


@transaction.atomic
def candidate_communicate(*, candidate: Candidate, how: str, by: User) -> Candidate:
    """Record that the candidate was told the outcome, and invite them to the survey.

    The survey is never sent before this: a survey that reveals a rejection first is a harm.
    """
    candidate = Candidate.objects.select_for_update().select_related("round").get(pk=candidate.pk)
    if candidate.stage not in OUTCOMES:
        raise RecruitmentError("Record the decision before recording that it was communicated.")
    if candidate.communicated_at:
        raise RecruitmentError("This candidate has been told already.")
    if how not in Candidate.Channel.values:
        raise RecruitmentError("Say how the candidate was told: by phone, in person or by email.")
    candidate.communicated_at = timezone.now()
    candidate.communicated_how = how
    candidate.communicated_by = by
    candidate.save(update_fields=["communicated_at", "communicated_how", "communicated_by"])
    survey_invite(candidate=candidate)
    return candidate


def survey_invite(*, candidate: Candidate) -> SurveyInvitation | None:
    """One invitation per candidate, ever; the link's token lives only in the email."""
    if not candidate.communicated_at or not candidate.email or not candidate.consent_contact:
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
        "survey_url": f"{settings.SITE_URL}/recruitment/survey/{token}/",
        "unsubscribe_url": f"{settings.SITE_URL}/recruitment/survey/{token}/unsubscribe/",
        "touch_points": list(candidate.round.touch_points.all()),
    }
