"""Outcomes in the person's words, reviews with both views, and the figures built on them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from outcomes.models import Outcome, Review, Scale, ScaleLevel
from outcomes.selectors.goals import figures_by, outcome_rows, t_score_history
from outcomes.services import OutcomesError
from outcomes.services.goals import (
    outcome_create,
    outcome_set_status,
    outcome_update,
    review_add_person_view,
    review_record,
    suggestion_make,
)
from tests.outcomes.factories import OutcomeFactory, ReviewFactory

pytestmark = pytest.mark.django_db

GAS_WORDS = {
    "gas_minus_2": "I do not go out",
    "gas_minus_1": "I go to the garden gate",
    "gas_0": "I walk to the shop with someone",
    "gas_plus_1": "I walk to the shop with someone behind me",
    "gas_plus_2": "I walk to the shop on my own",
}


def new_outcome(person, member, **fields):
    return outcome_create(
        person=person,
        by=member,
        in_their_words="I want to walk to the shop on my own by spring",
        life_area=Outcome.LifeArea.INDEPENDENCE,
        **{**GAS_WORDS, **fields},
    )


def test_an_outcome_is_due_for_review_one_cadence_after_it_is_set(person, member):
    outcome = new_outcome(person, member, review_every_weeks=6)
    assert outcome.review_due == timezone.localdate() + timedelta(weeks=6)
    assert outcome.created_by == member


def test_goal_attainment_scaling_needs_all_five_levels_in_words(person, member):
    with pytest.raises(OutcomesError, match="Missing: -2, 0"):
        new_outcome(person, member, gas_minus_2="", gas_0=" ")


def test_a_self_rating_needs_no_level_descriptions(person, member):
    outcome = outcome_create(
        person=person,
        by=member,
        in_their_words="I feel less lonely",
        life_area=Outcome.LifeArea.PEOPLE,
        measure=Outcome.Measure.SELF_RATING,
        baseline_level=3,
    )
    assert [value for value, _ in outcome.level_choices()] == list(range(1, 11))


def test_a_baseline_outside_the_measure_is_refused(person, member):
    with pytest.raises(OutcomesError, match="one of the levels"):
        new_outcome(person, member, baseline_level=5)


def test_an_organisation_scale_rates_on_its_own_levels(person, member):
    scale = Scale.objects.create(name="Our wellbeing star")
    for value, label in [(1, "Stuck"), (2, "Trying"), (3, "Finding what works")]:
        ScaleLevel.objects.create(scale=scale, value=value, label=label)
    outcome = outcome_create(
        person=person,
        by=member,
        in_their_words="I manage my money",
        life_area=Outcome.LifeArea.MONEY,
        measure=Outcome.Measure.SCALE,
        scale=scale,
    )
    review = review_record(
        outcome=outcome, by=member, reviewed_on=timezone.localdate(), worker_level=2
    )
    assert outcome.level_label(review.level) == "2: Trying"
    with pytest.raises(OutcomesError, match="not one of this outcome's levels"):
        review_record(outcome=outcome, by=member, reviewed_on=timezone.localdate(), worker_level=0)


def test_a_scale_outcome_needs_a_scale(person, member):
    with pytest.raises(OutcomesError, match="organisation's scales"):
        new_outcome(person, member, measure=Outcome.Measure.SCALE)


def test_the_persons_own_rating_counts_over_the_workers(person, member):
    outcome = new_outcome(person, member)
    review = review_record(
        outcome=outcome,
        by=member,
        reviewed_on=timezone.localdate(),
        worker_level=0,
        worker_words="Walked to the corner with me",
        person_level=1,
        person_rated_by=Review.RatedBy.WITH_HELP,
        person_words="I got further than I thought",
    )
    assert review.level == 1
    assert review.rated_by == Review.RatedBy.WITH_HELP
    assert review.views_differ


def test_without_their_rating_the_workers_counts_until_they_add_theirs(person, member, person_user):
    outcome = new_outcome(person, member)
    review = review_record(
        outcome=outcome, by=member, reviewed_on=timezone.localdate(), worker_level=-1
    )
    assert (review.level, review.rated_by) == (-1, Review.RatedBy.WORKER)
    review = review_add_person_view(
        review=review,
        by=person_user,
        level=0,
        rated_by=Review.RatedBy.PERSON,
        words="It rained every day, I still went twice",
    )
    review.refresh_from_db()
    assert (review.level, review.person_view_by, review.worker_level) == (0, person_user, -1)


def test_a_review_needs_a_rating(person, member):
    outcome = new_outcome(person, member)
    with pytest.raises(OutcomesError, match="Give a rating"):
        review_record(outcome=outcome, by=member, reviewed_on=timezone.localdate())


def test_a_review_cannot_be_dated_in_the_future(person, member):
    outcome = new_outcome(person, member)
    with pytest.raises(OutcomesError, match="once it has happened"):
        review_record(
            outcome=outcome,
            by=member,
            reviewed_on=timezone.localdate() + timedelta(days=1),
            worker_level=0,
        )


def test_the_persons_rating_says_who_gave_it(person, member):
    outcome = new_outcome(person, member)
    with pytest.raises(OutcomesError, match="who gave"):
        review_record(outcome=outcome, by=member, reviewed_on=timezone.localdate(), person_level=1)


def test_a_review_moves_the_next_review_date_on(person, member):
    outcome = new_outcome(person, member, review_every_weeks=4)
    today = timezone.localdate()
    review_record(outcome=outcome, by=member, reviewed_on=today, worker_level=0)
    outcome.refresh_from_db()
    assert outcome.review_due == today + timedelta(weeks=4)


def test_once_reviewed_the_levels_stay_as_they_were(person, member):
    outcome = new_outcome(person, member)
    review_record(outcome=outcome, by=member, reviewed_on=timezone.localdate(), worker_level=0)
    with pytest.raises(OutcomesError, match="stay as they were"):
        outcome_update(outcome=outcome, gas_0="I walk to the post office")
    outcome_update(outcome=outcome, who_helps="Amara, on Tuesdays")


def test_ending_an_outcome_needs_the_persons_reason(person, member):
    outcome = new_outcome(person, member)
    with pytest.raises(OutcomesError, match="reason"):
        outcome_set_status(outcome=outcome, status=Outcome.Status.ACHIEVED)
    outcome = outcome_set_status(
        outcome=outcome, status=Outcome.Status.ACHIEVED, reason="I did it in March!"
    )
    assert outcome.status_changed_on == timezone.localdate()
    with pytest.raises(OutcomesError, match="still working on"):
        review_record(outcome=outcome, by=member, reviewed_on=timezone.localdate(), worker_level=2)


def test_a_suggestion_about_an_outcome_must_be_about_their_own(person, other_person, person_user):
    theirs = OutcomeFactory(person=other_person)
    with pytest.raises(OutcomesError, match="which outcome"):
        suggestion_make(
            person=person, by=person_user, about="outcome", text="Change it", outcome=theirs
        )


def reviews(outcome, *levels, words=""):
    for day, level in enumerate(levels):
        ReviewFactory(
            outcome=outcome,
            reviewed_on=date(2025, 2, 1) + timedelta(days=30 * day),
            worker_level=level,
            person_words=words,
        )


def test_all_as_expected_at_every_review_is_a_prompt(person):
    steady = OutcomeFactory(person=person)
    reviews(steady, 0, 0, 0)
    twice = OutcomeFactory(person=person)
    reviews(twice, 0, 0)
    moved = OutcomeFactory(person=person)
    reviews(moved, 0, -1, 0)
    rows = {row.pk: row for row in outcome_rows(people=[person.pk])}
    assert rows[steady.pk].always_as_expected
    assert not rows[twice.pk].always_as_expected  # two reviews are not yet a pattern
    assert not rows[moved.pk].always_as_expected


def test_ratings_that_only_ever_go_up_are_a_prompt(person):
    rising = OutcomeFactory(person=person)
    reviews(rising, -2, -1, 0, 2)
    flat_once = OutcomeFactory(person=person)
    reviews(flat_once, -2, -1, -1, 1)
    dipped = OutcomeFactory(person=person)
    reviews(dipped, -1, 1, 0)
    rows = {row.pk: row for row in outcome_rows(people=[person.pk])}
    assert rows[rising.pk].only_ever_up
    assert not rows[flat_once.pk].only_ever_up
    assert not rows[dipped.pk].only_ever_up


def test_person_figures_count_overdue_reviews_and_reviews_without_their_words(person):
    today = timezone.localdate()
    overdue = OutcomeFactory(person=person, review_due=today - timedelta(days=1))
    ReviewFactory(outcome=overdue, reviewed_on=today - timedelta(days=10), person_words="")
    ReviewFactory(
        outcome=overdue,
        reviewed_on=today - timedelta(days=5),
        person_words="Better",
        person_level=1,
        person_rated_by="person",
    )
    OutcomeFactory(person=person, review_due=today + timedelta(days=3))
    OutcomeFactory(
        person=person, status=Outcome.Status.ACHIEVED, review_due=today - timedelta(days=30)
    )
    figures = figures_by(outcome_rows(people=[person.pk]), "person_id")[person.pk]
    assert (figures.active, figures.achieved, figures.overdue) == (2, 1, 1)
    assert (figures.recent_reviews, figures.recent_without_words) == (2, 1)
    assert figures.next_review == today - timedelta(days=1)


def test_t_score_uses_each_goals_latest_review_with_its_weight(person):
    # Goal A (weight 3) last reviewed at −1, goal B (weight 2) at +1, goal C (weight 1) at +2.
    # Worked example: Σwx = −3 + 2 + 2 = 1; Σw² = 14; (Σw)² = 36;
    # T = 50 + 10·1/√(0.7·14 + 0.3·36) = 50 + 10/√20.6 = 52.2033
    a = OutcomeFactory(person=person, weight=3)
    reviews(a, 1, -1)  # the later review counts
    b = OutcomeFactory(person=person, weight=2)
    reviews(b, 1)
    c = OutcomeFactory(person=person, weight=1)
    reviews(c, 2)
    stopped = OutcomeFactory(person=person, status=Outcome.Status.STOPPED)
    reviews(stopped, -2)  # stopped goals do not count
    selfrated = OutcomeFactory(person=person, measure=Outcome.Measure.SELF_RATING)
    reviews(selfrated, 9)  # nor do other measures
    figures = figures_by(outcome_rows(people=[person.pk]), "person_id")[person.pk]
    assert figures.t_scores == [pytest.approx(52.2033, abs=1e-4)]


def test_t_score_history_adds_each_goal_from_its_first_review(person):
    a = OutcomeFactory(person=person)
    ReviewFactory(outcome=a, reviewed_on=date(2025, 2, 1), worker_level=-2)
    b = OutcomeFactory(person=person)
    ReviewFactory(outcome=b, reviewed_on=date(2025, 3, 1), worker_level=0)
    ReviewFactory(outcome=a, reviewed_on=date(2025, 4, 1), worker_level=1)
    history = t_score_history(Outcome.objects.filter(person=person).prefetch_related("reviews"))
    # 1 Feb: one goal at −2 → 30. 1 Mar: −2 and 0 → 50 − 20/√(1.4+1.2) = 50 − 12.4035 = 37.5965.
    # 1 Apr: +1 and 0 → 50 + 10/√2.6 = 56.2017.
    assert [(point.on, round(point.score, 4)) for point in history] == [
        (date(2025, 2, 1), 30.0),
        (date(2025, 3, 1), 37.5965),
        (date(2025, 4, 1), 56.2017),
    ]
