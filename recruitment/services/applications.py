"""The public application: no account, one application per email address per round."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from wellbeing.notifications.services import email_queue

from ..errors import RecruitmentError
from ..models import Answer, Candidate, Round


@transaction.atomic
def application_submit(
    *,
    round_: Round,
    name: str,
    email: str,
    phone: str,
    why: str,
    answers: dict[int, str],
    consent_contact: bool,
    consent_privacy: bool,
) -> Candidate:
    """Record an application and acknowledge it by email."""
    # Locked, so the round's questions cannot change while the answers are being saved.
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.is_open_for_applications:
        raise RecruitmentError("This round is not taking applications at the moment.")
    if not (consent_contact and consent_privacy):
        raise RecruitmentError(
            "We can only take your application if you agree to be contacted and to the "
            "privacy notice."
        )
    email = email.strip().lower()
    if Candidate.objects.filter(round=round_, email__iexact=email).exists():
        raise RecruitmentError(
            "You have already applied to this round with this email address. We will be in "
            "touch about your application; there is no need to apply again."
        )
    questions = {q.pk: q for q in round_.questions.all()}
    missing = [q.text for pk, q in questions.items() if not answers.get(pk, "").strip()]
    if missing:
        raise RecruitmentError(f"Please answer: {missing[0]}")
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                round=round_,
                name=name.strip(),
                email=email,
                phone=phone.strip(),
                why=why.strip(),
                consent_contact=True,
                consent_privacy=True,
            )
    except IntegrityError as exc:  # two submissions at once with the same address
        raise RecruitmentError(
            "You have already applied to this round with this email address."
        ) from exc
    Answer.objects.bulk_create(
        Answer(candidate=candidate, question=questions[pk], text=answers[pk].strip())
        for pk in questions
    )
    email_queue(
        to=email,
        template="recruitment/application_received",
        context={"candidate": candidate, "round": round_},
        idempotency_key=f"application-ack:{candidate.pk}",
    )
    return candidate
