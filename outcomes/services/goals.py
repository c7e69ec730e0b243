"""Writes about outcomes, their reviews, and the person's suggestions.

The person owns their outcomes: they are written in the person's words, the person's own
rating counts over the worker's, and the person can add their view to any review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from teams.models import Person
from wellbeing.accounts.models import User

from ..models import GAS_LEVELS, Outcome, Review, Suggestion
from . import OutcomesError

OUTCOME_FIELDS = {
    "in_their_words",
    "life_area",
    "why_it_matters",
    "who_helps",
    "target_date",
    "measure",
    "scale",
    "weight",
    "gas_minus_2",
    "gas_minus_1",
    "gas_0",
    "gas_plus_1",
    "gas_plus_2",
    "baseline_level",
    "review_every_weeks",
}
GAS_FIELDS = ["gas_minus_2", "gas_minus_1", "gas_0", "gas_plus_1", "gas_plus_2"]


def _check_outcome(outcome: Outcome) -> None:
    if not outcome.in_their_words.strip():
        raise OutcomesError("Write the outcome in the person's own words.")
    if outcome.measure == Outcome.Measure.GAS:
        missing = [
            level
            for level, field in zip(GAS_LEVELS, GAS_FIELDS, strict=True)
            if not getattr(outcome, field).strip()
        ]
        if missing:
            raise OutcomesError(
                "Describe each of the five levels in words, so that at the review everyone "
                "knows what each one looks like. Missing: "
                + ", ".join(f"{level:+d}" if level else "0" for level in missing)
                + "."
            )
    if outcome.measure == Outcome.Measure.SCALE:
        if outcome.scale is None or not outcome.scale.active:
            raise OutcomesError("Choose one of the organisation's scales.")
    else:
        outcome.scale = None
    if outcome.baseline_level is not None and outcome.baseline_level not in dict(
        outcome.level_choices()
    ):
        raise OutcomesError("Where they are now must be one of the levels of the measure.")
    if outcome.target_date is not None and outcome.target_date < outcome.created_on:
        raise OutcomesError("The target date has already passed.")


@transaction.atomic
def outcome_create(*, person: Person, by: User, **fields: Any) -> Outcome:
    unknown = set(fields) - OUTCOME_FIELDS
    if unknown:
        raise TypeError(f"Unknown outcome fields: {sorted(unknown)}")
    outcome = Outcome(person=person, created_by=by, created_on=timezone.localdate(), **fields)
    _check_outcome(outcome)
    outcome.review_due = outcome.next_review_after(outcome.created_on)
    outcome.save()
    return outcome


@transaction.atomic
def outcome_update(*, outcome: Outcome, **fields: Any) -> Outcome:
    """Change the words or the plan. Once reviewed, the measure and its levels stay as they
    were, or earlier reviews would be read against a scale they were not given on."""
    unknown = set(fields) - OUTCOME_FIELDS
    if unknown:
        raise TypeError(f"Unknown outcome fields: {sorted(unknown)}")
    outcome = (
        Outcome.objects.select_for_update(of=("self",)).select_related("scale").get(pk=outcome.pk)
    )
    if outcome.reviews.exists():
        fixed = {"measure", "scale", "baseline_level", *GAS_FIELDS}
        changed = [name for name in fixed & set(fields) if getattr(outcome, name) != fields[name]]
        if changed:
            raise OutcomesError(
                "This outcome has reviews, so its measure and levels stay as they were. "
                "If the goal itself has changed, mark it changed and set a new one."
            )
    for name, value in fields.items():
        setattr(outcome, name, value)
    _check_outcome(outcome)
    if "review_every_weeks" in fields:
        last = outcome.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True)
        outcome.review_due = outcome.next_review_after(last.first() or outcome.created_on)
    outcome.save()
    return outcome


@transaction.atomic
def outcome_set_status(*, outcome: Outcome, status: str, reason: str = "") -> Outcome:
    """Achieved, changed or stopped — with the person's reason — or active again."""
    outcome = Outcome.objects.select_for_update().get(pk=outcome.pk)
    if status not in Outcome.Status.values:
        raise OutcomesError("Choose what happened to the outcome.")
    if status != Outcome.Status.ACTIVE and not reason.strip():
        raise OutcomesError("Write the person's reason, in their words.")
    outcome.status = status
    outcome.status_reason = reason.strip()
    outcome.status_changed_on = timezone.localdate()
    outcome.save(update_fields=["status", "status_reason", "status_changed_on"])
    return outcome


def _check_level(outcome: Outcome, level: int | None, whose: str) -> None:
    if level is not None and level not in dict(outcome.level_choices()):
        raise OutcomesError(f"{whose} rating is not one of this outcome's levels.")


def _settle_review_due(outcome: Outcome) -> None:
    latest = outcome.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True)
    outcome.review_due = outcome.next_review_after(latest.first() or outcome.created_on)
    outcome.save(update_fields=["review_due"])


@transaction.atomic
def review_record(
    *,
    outcome: Outcome,
    by: User,
    reviewed_on: date,
    worker_level: int | None = None,
    worker_words: str = "",
    person_level: int | None = None,
    person_rated_by: str = "",
    person_words: str = "",
    what_is_working: str = "",
    what_is_not_working: str = "",
    what_will_change: str = "",
) -> Review:
    """Record a review. Either view may be missing — the person can add theirs later — but
    not both."""
    outcome = (
        Outcome.objects.select_for_update(of=("self",)).select_related("scale").get(pk=outcome.pk)
    )
    if outcome.status != Outcome.Status.ACTIVE:
        raise OutcomesError("Only an outcome they are still working on can be reviewed.")
    if reviewed_on > timezone.localdate():
        raise OutcomesError("A review is recorded once it has happened.")
    if reviewed_on < outcome.created_on:
        raise OutcomesError("The review date is before the outcome was set.")
    if person_level is None and worker_level is None:
        raise OutcomesError("Give a rating: the person's, the worker's, or both.")
    _check_level(outcome, person_level, "The person's")
    _check_level(outcome, worker_level, "The worker's")
    if person_level is not None and person_rated_by not in {
        Review.RatedBy.PERSON,
        Review.RatedBy.WITH_HELP,
        Review.RatedBy.FAMILY,
    }:
        raise OutcomesError("Say who gave the person's rating.")
    review = Review(
        outcome=outcome,
        reviewed_on=reviewed_on,
        worker_level=worker_level,
        worker_words=worker_words.strip(),
        person_level=person_level,
        person_rated_by=person_rated_by if person_level is not None else "",
        person_words=person_words.strip(),
        person_view_by=by if person_level is not None or person_words.strip() else None,
        what_is_working=what_is_working.strip(),
        what_is_not_working=what_is_not_working.strip(),
        what_will_change=what_will_change.strip(),
        recorded_by=by,
        recorded_by_name=str(by),
    )
    review.level = review.counted_level()
    review.save()
    _settle_review_due(outcome)
    return review


@transaction.atomic
def review_add_person_view(
    *, review: Review, by: User, level: int, rated_by: str, words: str
) -> Review:
    """The person's own view of a review — written by them when they sign in, or by family,
    or by a worker with them. It becomes the rating that counts."""
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("outcome__scale")
        .get(pk=review.pk)
    )
    _check_level(review.outcome, level, "Your")
    if rated_by not in {Review.RatedBy.PERSON, Review.RatedBy.WITH_HELP, Review.RatedBy.FAMILY}:
        raise OutcomesError("Say who gave the rating.")
    if not words.strip():
        raise OutcomesError(
            "Write a few words about how it is going: they matter more than the number."
        )
    review.person_level = level
    review.person_rated_by = rated_by
    review.person_words = words.strip()
    review.person_view_by = by
    review.level = review.counted_level()
    review.save(
        update_fields=["person_level", "person_rated_by", "person_words", "person_view_by", "level"]
    )
    return review


@transaction.atomic
def suggestion_make(
    *, person: Person, by: User, about: str, text: str, outcome: Outcome | None = None
) -> Suggestion:
    if about not in Suggestion.About.values:
        raise OutcomesError("Choose what the suggestion is about.")
    if not text.strip():
        raise OutcomesError("Write your suggestion.")
    if about == Suggestion.About.OUTCOME:
        if outcome is None or outcome.person_id != person.pk:
            raise OutcomesError("Choose which outcome you mean.")
    else:
        outcome = None
    return Suggestion.objects.create(
        person=person,
        about=about,
        outcome=outcome,
        text=text.strip(),
        suggested_by=by,
        suggested_by_name=str(by),
    )


@transaction.atomic
def suggestion_respond(
    *, suggestion: Suggestion, by: User, status: str, response: str
) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if status not in {Suggestion.Status.TAKEN_UP, Suggestion.Status.NOT_TAKEN_UP}:
        raise OutcomesError("Say whether the suggestion was taken up.")
    if not response.strip():
        raise OutcomesError("Say what happened, in words the person will read.")
    suggestion.status = status
    suggestion.response = response.strip()
    suggestion.responded_by = by
    suggestion.responded_at = timezone.now()
    suggestion.save(update_fields=["status", "response", "responded_by", "responded_at"])
    return suggestion
