"""Experiments: improvement ideas from the survey, tried in a round ("you said, we did")."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.notifications.models import OutboxEmail
from wellbeing.notifications.services import email_queue_many, email_render

from ..errors import RecruitmentError
from ..models import Experiment, Round
from ..permissions import can_manage_round
from ..selectors.reports import previous_round, you_said_we_did_recipients


def _check(
    *, round_: Round, touch_point_key: str, idea: str, change: str, hypothesis: str, by: User
) -> None:
    if not can_manage_round(by, round_):
        raise RecruitmentError("Only admins and the round's owners can plan its experiments.")
    if not round_.touch_points.filter(key=touch_point_key).exists():
        raise RecruitmentError(f"{round_.title} has no such touch point to try a change on.")
    for label, text in (
        ("what candidates said", idea),
        ("what will change", change),
        ("what you expect to happen", hypothesis),
    ):
        if not text.strip():
            raise RecruitmentError(f"Say {label}.")


@transaction.atomic
def experiment_create(
    *,
    round_: Round,
    touch_point_key: str,
    idea: str,
    change: str,
    hypothesis: str,
    by: User,
) -> Experiment:
    """Turn an improvement idea into a change that `round_` tries."""
    _check(
        round_=round_,
        touch_point_key=touch_point_key,
        idea=idea,
        change=change,
        hypothesis=hypothesis,
        by=by,
    )
    return Experiment.objects.create(
        round=round_,
        touch_point_key=touch_point_key,
        idea=idea.strip(),
        change=change.strip(),
        hypothesis=hypothesis.strip(),
        created_by=by,
    )


@transaction.atomic
def experiment_update(
    *,
    experiment: Experiment,
    round_: Round,
    touch_point_key: str,
    idea: str,
    change: str,
    hypothesis: str,
    by: User,
) -> Experiment:
    experiment = (
        Experiment.objects.select_for_update().select_related("round").get(pk=experiment.pk)
    )
    if not can_manage_round(by, experiment.round):
        raise RecruitmentError("Only admins and the round's owners can change its experiments.")
    _check(
        round_=round_,
        touch_point_key=touch_point_key,
        idea=idea,
        change=change,
        hypothesis=hypothesis,
        by=by,
    )
    experiment.round = round_
    experiment.touch_point_key = touch_point_key
    experiment.idea = idea.strip()
    experiment.change = change.strip()
    experiment.hypothesis = hypothesis.strip()
    experiment.save(update_fields=["round", "touch_point_key", "idea", "change", "hypothesis"])
    return experiment


@transaction.atomic
def experiment_delete(*, experiment: Experiment, by: User) -> None:
    if not can_manage_round(by, experiment.round):
        raise RecruitmentError("Only admins and the round's owners can remove its experiments.")
    experiment.delete()


@transaction.atomic
def you_said_we_did_send(*, round_: Round, by: User) -> int:
    """Email the previous round's candidates the changes this round makes; returns how many
    emails were newly queued.

    Each email has its own idempotency key, so pressing the button twice (or two people
    pressing it at once) sends nobody a second copy.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not can_manage_round(by, round_):
        raise RecruitmentError("Only admins and the round's owners can write to candidates.")
    experiments = list(round_.experiments.order_by("touch_point_key", "pk"))
    if not experiments:
        raise RecruitmentError("Record the changes this round makes before telling anyone.")
    previous = previous_round(round_)
    if previous is None:
        raise RecruitmentError("There is no earlier round whose candidates to tell.")
    names = dict(round_.touch_points.values_list("key", "name"))
    changes = [
        {"touch_point": names.get(e.touch_point_key, e.touch_point_key), "experiment": e}
        for e in experiments
    ]
    keys = {
        candidate: f"you-said-we-did:{round_.pk}:{candidate.pk}"
        for candidate in you_said_we_did_recipients(round_=round_)
    }
    if not keys:
        raise RecruitmentError(
            f"Nobody from {previous.title} can be written to: they left no email address, did "
            "not agree to be contacted, or unsubscribed."
        )
    already = set(
        OutboxEmail.objects.filter(idempotency_key__in=keys.values()).values_list(
            "idempotency_key", flat=True
        )
    )
    emails = [
        email_render(
            to=candidate.email,
            template="recruitment/you_said_we_did",
            context={
                "candidate": candidate,
                "round": round_,
                "previous_round": previous,
                "changes": changes,
            },
            idempotency_key=key,
        )
        for candidate, key in keys.items()
        if key not in already
    ]
    email_queue_many(emails=emails)
    queued = len(emails)
    if queued or round_.you_said_we_did_sent_at is None:
        round_.you_said_we_did_sent_at = timezone.now()
        round_.save(update_fields=["you_said_we_did_sent_at"])
    return queued
