"""Unsuccessful candidates' personal data is erased a set time after their round closed.

Scores and anonymous survey answers stay, so the trends across rounds still show; evidence
written about the person and their own words go.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wellbeing.notifications.services import email_redact

from ..models import Answer, Candidate, Score, SurveyInvitation
from ..selectors.measures import add_months


def candidates_due_for_erasure(*, today: date) -> list[int]:
    """Everyone but the successful, once their round closed long enough ago — including those
    left undecided in a round that was never finished."""
    cutoff = add_months(today, -settings.RECRUITMENT_RETENTION_MONTHS)
    return list(
        Candidate.objects.filter(erased_at__isnull=True, round__closes_on__lt=cutoff)
        .exclude(stage=Candidate.Stage.SUCCESSFUL)
        .values_list("pk", flat=True)
    )


# Every email recruitment writes to a candidate has an idempotency key starting so.
CANDIDATE_EMAIL_KEYS = (
    "application-",
    "workshop-",
    "survey-",
    "you-said-we-did:",
)


@transaction.atomic
def candidate_erase(*, candidate_id: int, now: datetime | None = None) -> None:
    now = now or timezone.now()
    email = Candidate.objects.filter(pk=candidate_id).values_list("email", flat=True).first()
    if email:
        # The outbox holds copies of what we wrote to them, their name in each.
        email_redact(to=email, key_prefixes=CANDIDATE_EMAIL_KEYS)
    Answer.objects.filter(candidate_id=candidate_id).delete()
    Score.objects.filter(sheet__candidate_id=candidate_id).update(evidence="")
    SurveyInvitation.objects.filter(candidate_id=candidate_id).update(draft={})
    Candidate.objects.filter(pk=candidate_id).update(
        name="Erased candidate",
        email=None,
        phone="",
        why="",
        decision_reason="",
        erased_at=now,
    )
    # The history tables hold earlier copies of the same details.
    Candidate.history.filter(id=candidate_id).delete()


def recruitment_erase_expired(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    # A half-written survey is a named person's words; once the link has expired it goes.
    SurveyInvitation.objects.filter(expires_at__lt=now).exclude(draft={}).update(draft={})
    due = candidates_due_for_erasure(today=timezone.localdate(now))
    for candidate_id in due:
        candidate_erase(candidate_id=candidate_id, now=now)
    return len(due)
