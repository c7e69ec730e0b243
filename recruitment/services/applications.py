"""The public application: no account, one application per email address per round."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from wellbeing.notifications.services import email_queue

from ..errors import RecruitmentError
from ..models import Answer, Candidate, JobRole, Round


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
    role: JobRole | None = None,
) -> Candidate:
    """Record an application and acknowledge it by email.

    A second application from the same address is not saved, and the form answers as if it
    were new: telling a stranger that an address has applied would give away who is looking
    for work with us. The address's owner is told by email instead (once a day at most).
    """
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
    offered = list(round_.roles.all())
    if len(offered) > 1 and role not in offered:
        raise RecruitmentError("Choose the role you are applying for.")
    if role is not None and role not in offered:
        raise RecruitmentError("Choose one of the roles this round offers.")
    questions = {q.pk: q for q in round_.questions.all()}
    missing = [q.text for pk, q in questions.items() if not answers.get(pk, "").strip()]
    if missing:
        raise RecruitmentError(f"Please answer: {missing[0]}")
    earlier = Candidate.objects.filter(round=round_, email__iexact=email).first()
    if earlier is not None:
        return _applied_again(earlier)
    try:
        with transaction.atomic():
            candidate = Candidate.objects.create(
                round=round_,
                role=role or (offered[0] if offered else None),
                name=name.strip(),
                email=email,
                phone=phone.strip(),
                why=why.strip(),
                consent_contact=True,
                consent_privacy=True,
            )
    except IntegrityError:  # two submissions at once with the same address
        return _applied_again(Candidate.objects.get(round=round_, email__iexact=email))
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


def _applied_again(candidate: Candidate) -> Candidate:
    """Tell the address's owner, not the form, that this address has applied already."""
    email_queue(
        to=candidate.email,
        template="recruitment/application_again",
        context={"candidate": candidate, "round": candidate.round},
        idempotency_key=f"application-again:{candidate.pk}:{timezone.localdate():%Y-%m-%d}",
    )
    return candidate
