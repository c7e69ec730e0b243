"""Setting up rounds and moving candidates through them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from teams.models import Team
from values.models import Value
from wellbeing.accounts.models import User, hash_token, new_token
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue

from ..errors import RecruitmentError
from ..models import (
    DEFAULT_TOUCH_POINTS,
    AssessmentSheet,
    Candidate,
    JobRole,
    PanelMember,
    Round,
    TouchPoint,
    ValueQuestion,
    Workshop,
)
from .survey import survey_publish


def default_question(value: Value) -> str:
    return f"Tell us about a time you showed {value.name.lower()} in your life or work."


def _unique_slug(title: str) -> str:
    base = slugify(title)[:140] or "round"
    slug, n = base, 2
    while Round.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def round_create(
    *,
    title: str,
    opens_on: date,
    closes_on: date,
    values: Iterable[Value],
    roles: Iterable[JobRole] = (),
    owners: Iterable[User] = (),
    teams: Iterable[Team] = (),
    description: str = "",
) -> Round:
    """A new draft round with the default touch points and one question per value."""
    if closes_on < opens_on:
        raise RecruitmentError("A round must close on or after the day it opens.")
    values = list(values)
    if not values:
        raise RecruitmentError("Choose at least one value to assess candidates on.")
    round_ = Round.objects.create(
        title=title.strip(),
        slug=_unique_slug(title),
        opens_on=opens_on,
        closes_on=closes_on,
        description=description,
    )
    round_.values.set(values)
    round_.roles.set(roles)
    round_.owners.set(owners)
    round_.teams.set(teams)
    TouchPoint.objects.bulk_create(
        TouchPoint(round=round_, key=key, name=name, description=description, order=order)
        for order, (key, name, description) in enumerate(DEFAULT_TOUCH_POINTS)
    )
    ValueQuestion.objects.bulk_create(
        ValueQuestion(
            round=round_,
            value=value,
            order=order,
            text=default_question(value),
        )
        for order, value in enumerate(values)
    )
    return round_


@transaction.atomic
def round_update(
    *,
    round_: Round,
    title: str,
    description: str,
    opens_on: date,
    closes_on: date,
    roles: Iterable[JobRole],
    values: Iterable[Value],
    owners: Iterable[User],
    teams: Iterable[Team] | None = None,
) -> Round:
    """Change a round's details; its slug stays, so the public application link keeps working.

    The values are fixed once anyone has applied (each answered a question per value) or been
    scored on them; before that, the application's questions follow the values.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == Round.Status.REVIEWED:
        raise RecruitmentError("This round has been reviewed, so its details are fixed.")
    title = title.strip()
    if not title:
        raise RecruitmentError("Give the round a title.")
    if closes_on < opens_on:
        raise RecruitmentError("A round must close on or after the day it opens.")
    values = list(dict.fromkeys(values))
    if not values:
        raise RecruitmentError("Choose at least one value to assess candidates on.")
    wanted = {value.pk for value in values}
    current = set(round_.values.values_list("pk", flat=True))
    if wanted != current:
        if AssessmentSheet.objects.filter(candidate__round=round_).exists():
            raise RecruitmentError(
                "The panel has scored candidates on this round's values, so they are fixed."
            )
        if round_.candidates.exists():
            raise RecruitmentError(
                "Candidates have applied, answering a question about each value, so the "
                "values are fixed."
            )
        round_.values.set(values)
        round_.questions.exclude(value__in=wanted).delete()
        last = max(round_.questions.values_list("order", flat=True), default=-1)
        ValueQuestion.objects.bulk_create(
            ValueQuestion(
                round=round_,
                value=value,
                order=order,
                text=default_question(value),
            )
            for order, value in enumerate(
                (value for value in values if value.pk not in current), start=last + 1
            )
        )
    round_.title = title
    round_.description = description
    round_.opens_on = opens_on
    round_.closes_on = closes_on
    round_.save(update_fields=["title", "description", "opens_on", "closes_on"])
    round_.roles.set(roles)
    round_.owners.set(owners)
    if teams is not None:
        round_.teams.set(teams)
    return round_


@transaction.atomic
def round_set_status(*, round_: Round, status: str) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.can_become(status):
        raise RecruitmentError(
            f"A round that is {round_.get_status_display().lower()} cannot become "
            f"{Round.Status(status).label.lower()}."
        )
    if (
        status == Round.Status.DECIDED
        and round_.candidates.filter(stage__in=Candidate.UNDECIDED).exists()
    ):
        raise RecruitmentError("Every candidate needs a decision (or to have withdrawn) first.")
    round_.status = status
    round_.save(update_fields=["status"])
    if status == Round.Status.REVIEWED:
        # The round's survey closes with its review: what is left is published, however few.
        survey_publish(round_=round_, closing=True)
    return round_


@transaction.atomic
def touch_point_save(
    *, round_: Round, key: str, name: str, description: str = "", order: int | None = None
) -> TouchPoint:
    """Add or rename a touch point. Its key stays, so rounds still compare."""
    if round_.survey_responses.exists():
        raise RecruitmentError("The survey has answers already; its touch points are fixed.")
    defaults = {"name": name.strip(), "description": description.strip()}
    if order is not None:
        defaults["order"] = order
    # A renamed touch point keeps its place in the survey; a new one goes last.
    touch_point, _ = TouchPoint.objects.update_or_create(
        round=round_,
        key=slugify(key)[:60],
        defaults=defaults,
        create_defaults={
            **defaults,
            "order": order if order is not None else round_.touch_points.count(),
        },
    )
    return touch_point


@transaction.atomic
def touch_point_remove(*, touch_point: TouchPoint) -> None:
    # Like renaming, removing is refused once anyone has answered the survey: the remaining
    # candidates would otherwise answer a different survey from the first ones.
    if touch_point.answers.exists() or touch_point.round.survey_responses.exists():
        raise RecruitmentError("The survey has answers already; its touch points are fixed.")
    touch_point.delete()


@transaction.atomic
def value_question_update(*, question: ValueQuestion, text: str) -> ValueQuestion:
    """Reword an application question, until a candidate has answered it."""
    text = text.strip()
    if not text:
        raise RecruitmentError("A question cannot be empty.")
    if question.answers.exists():
        raise RecruitmentError(
            "Candidates have answered this question already, so its wording is fixed."
        )
    question.text = text
    question.save(update_fields=["text"])
    return question


@transaction.atomic
def workshop_add(*, round_: Round, starts_at: datetime, place: str) -> Workshop:
    if starts_at <= timezone.now():
        raise RecruitmentError(
            "A workshop must be in the future: candidates are invited to it by email."
        )
    return Workshop.objects.create(round=round_, starts_at=starts_at, place=place.strip())


@transaction.atomic
def panel_member_add(
    *, round_: Round, name: str, email: str, kind: str, user: User | None = None
) -> PanelMember:
    """Seat someone on the panel. Those without an account get an emailed scoring link."""
    if round_.status in {Round.Status.DECIDED, Round.Status.REVIEWED}:
        raise RecruitmentError("Decisions are made in this round, so its panel is complete.")
    email = email.strip().lower()
    if round_.panel.filter(email__iexact=email).exists():
        raise RecruitmentError(f"{email} is already on this panel.")
    if user is None:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
    member = PanelMember.objects.create(
        round=round_, name=name.strip(), email=email, kind=kind, user=user
    )
    token = None
    if user is None:
        token = new_token()
        member.token_hash = hash_token(token)
        member.invited_at = timezone.now()
        member.save(update_fields=["token_hash", "invited_at"])
    email_queue(
        to=email,
        template="recruitment/panel_invitation",
        context={
            "member": member,
            "round": round_,
            "link": absolute_reverse("recruitment:panel_token", args=[token])
            if token
            else absolute_reverse("recruitment:panel", args=[round_.pk]),
        },
        idempotency_key=f"panel-invite:{member.pk}",
        sensitive=token is not None,
    )
    return member


@transaction.atomic
def candidate_move(
    *, candidate: Candidate, stage: str, workshop: Workshop | None = None
) -> Candidate:
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at:
        raise RecruitmentError("This candidate's details have been erased.")
    if not candidate.can_move_to(stage):
        raise RecruitmentError(
            f"A candidate who is {candidate.get_stage_display().lower()} cannot be moved to "
            f"{Candidate.Stage(stage).label.lower()}."
        )
    fields = ["stage"]
    was = candidate.stage
    cancelled = candidate.workshop if was == Candidate.Stage.INVITED else None
    first_invitation = candidate.invited_at is None
    candidate.stage = stage
    if stage == Candidate.Stage.INVITED and candidate.invited_at is None:
        candidate.invited_at = timezone.now()
        fields.append("invited_at")
    if stage == Candidate.Stage.ATTENDED and candidate.attended_at is None:
        candidate.attended_at = timezone.now()
        fields.append("attended_at")
    if workshop is not None and stage != Candidate.Stage.INVITED:
        # A workshop is chosen only by inviting someone to it.
        workshop = None
    if workshop is not None:
        if workshop.round_id != candidate.round_id:
            raise RecruitmentError("That workshop belongs to another round.")
        candidate.workshop = workshop
        fields.append("workshop")
    if stage == Candidate.Stage.APPLIED and cancelled is not None:
        # Moved back: the invitation is off, so the workshop is no longer theirs.
        candidate.workshop = None
        fields.append("workshop")
    if stage == Candidate.Stage.INVITED and candidate.workshop is None:
        raise RecruitmentError("Choose the workshop you are inviting them to.")
    inviting = stage == Candidate.Stage.INVITED and was == Candidate.Stage.APPLIED
    if inviting and candidate.workshop.starts_at <= timezone.now():
        raise RecruitmentError(
            f"The workshop on {timezone.localtime(candidate.workshop.starts_at):%-d %B} has "
            "already happened. Invite them to one that is still to come."
        )
    if (
        stage == Candidate.Stage.ATTENDED
        and candidate.workshop
        and candidate.workshop.starts_at > timezone.now()
    ):
        # Attending unlocks the decision and then the survey about the workshop itself.
        raise RecruitmentError(
            f"The workshop on {timezone.localtime(candidate.workshop.starts_at):%-d %B} has "
            "not happened yet."
        )
    candidate.save(update_fields=fields)
    # Stamped so that an invitation after a cancellation is a new email, while one press
    # (or a repeated request) still queues one.
    stamp = "" if first_invitation else f":{timezone.now():%Y%m%d%H%M%S}"
    if inviting and candidate.email:
        # Only from "applied": undoing "attended" is not a new invitation.
        email_queue(
            to=candidate.email,
            template="recruitment/workshop_invitation",
            context={
                "candidate": candidate,
                "round": candidate.round,
                "workshop": candidate.workshop,
            },
            idempotency_key=f"workshop-invite:{candidate.pk}:{candidate.workshop_id}{stamp}",
        )
    if stage == Candidate.Stage.APPLIED and cancelled is not None and candidate.email:
        email_queue(
            to=candidate.email,
            template="recruitment/workshop_cancelled",
            context={"candidate": candidate, "round": candidate.round, "workshop": cancelled},
            idempotency_key=f"workshop-cancel:{candidate.pk}:{cancelled.pk}"
            f":{timezone.now():%Y%m%d%H%M%S}",
        )
    return candidate
