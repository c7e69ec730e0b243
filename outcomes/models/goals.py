"""Outcomes in the person's own words, how they are measured, their reviews, and the
person's suggestions."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import Person

GAS_LEVELS = (-2, -1, 0, 1, 2)
GAS_WORDS = {
    -2: "Much less than expected",
    -1: "Less than expected",
    0: "As expected",
    1: "More than expected",
    2: "Much more than expected",
}
SELF_RATINGS = range(1, 11)
SELF_RATING_WORDS = {1: "1 out of 10: not there at all", 10: "10 out of 10: there"}


# --- Outcomes and reviews ---------------------------------------------------------------------


class Scale(models.Model):
    """A scale the organisation defines (for example one it holds a licence for); its wording
    is the organisation's own."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(max_length=1000, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="levels")
    value = models.SmallIntegerField(validators=[MinValueValidator(-100), MaxValueValidator(100)])
    label = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["scale", "value"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "value"], name="scale_level_unique")
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Outcome(models.Model):
    """Something the person wants, in their own words, and how they will know they got there."""

    class LifeArea(models.TextChoices):
        HOME = "home", "Home"
        HEALTH = "health", "Health and feeling well"
        INDEPENDENCE = "independence", "Doing things for myself"
        PEOPLE = "people", "Family, friends and company"
        COMMUNITY = "community", "Getting out and about"
        INTERESTS = "interests", "Things I enjoy"
        LEARNING = "learning", "Learning, work and volunteering"
        SAFETY = "safety", "Feeling safe"
        MONEY = "money", "Money"

    class Measure(models.TextChoices):
        GAS = "gas", "Goal Attainment Scaling (five levels described when we set it)"
        SELF_RATING = "self_rating", "How close am I? (1 to 10)"
        SCALE = "scale", "One of the organisation's scales"

    class Status(models.TextChoices):
        ACTIVE = "active", "Working on it"
        ACHIEVED = "achieved", "Achieved"
        CHANGED = "changed", "Changed"
        STOPPED = "stopped", "Stopped"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="outcomes")
    in_their_words = models.CharField(
        "the outcome, in their own words",
        max_length=300,
        help_text="Write it as they say it: 'I want to walk to the shop on my own by spring'.",
    )
    life_area = models.CharField(max_length=20, choices=LifeArea.choices)
    why_it_matters = models.TextField("why it matters to them", max_length=1000, blank=True)
    who_helps = models.CharField(max_length=300, blank=True)
    target_date = models.DateField(null=True, blank=True)
    measure = models.CharField(max_length=20, choices=Measure.choices, default=Measure.GAS)
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, null=True, blank=True)
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How much this goal counts in their overall score, if some matter more.",
    )
    gas_minus_2 = models.CharField("much less than expected (−2)", max_length=300, blank=True)
    gas_minus_1 = models.CharField("less than expected (−1)", max_length=300, blank=True)
    gas_0 = models.CharField("as expected (0)", max_length=300, blank=True)
    gas_plus_1 = models.CharField("more than expected (+1)", max_length=300, blank=True)
    gas_plus_2 = models.CharField("much more than expected (+2)", max_length=300, blank=True)
    baseline_level = models.SmallIntegerField(
        "where they are now", null=True, blank=True, help_text="The level when the goal is set."
    )
    review_every_weeks = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    review_due = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField("their reason", max_length=1000, blank=True)
    status_changed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_on", "-pk"]
        indexes = [models.Index(fields=["status", "review_due"], name="outcome_review_due")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(measure="scale") | Q(scale__isnull=False),
                name="outcome_scale_needs_scale",
            )
        ]

    def __str__(self) -> str:
        return self.in_their_words

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == self.Status.ACTIVE and self.review_due < (
            today or timezone.localdate()
        )

    def next_review_after(self, day: date) -> date:
        return day + timedelta(weeks=self.review_every_weeks)

    def level_choices(self, *, described: bool = False) -> list[tuple[int, str]]:
        """The ratings a review of this outcome may give, each with its words; `described`
        adds what each Goal Attainment Scaling level looks like for this goal."""
        if self.measure == self.Measure.GAS:
            descriptions = self.gas_descriptions
            return [
                (
                    level,
                    (f"{level:+d}: " if level else "0: ")
                    + GAS_WORDS[level]
                    + (f" ({descriptions[level]})" if described and descriptions[level] else ""),
                )
                for level in GAS_LEVELS
            ]
        if self.measure == self.Measure.SELF_RATING:
            return [(n, SELF_RATING_WORDS.get(n, f"{n} out of 10")) for n in SELF_RATINGS]
        return [(level.value, f"{level.value}: {level.label}") for level in self.scale.levels.all()]

    def level_label(self, level: int | None) -> str:
        if level is None:
            return ""
        return dict(self.level_choices()).get(level, str(level))

    def level_words(self, level: int | None) -> str:
        """A rating in words alone, as the person and their family read it: "More than
        expected", "7 out of 10", "I do it with a reminder" — never "+1" or "0"."""
        if level is None:
            return ""
        if self.measure == self.Measure.GAS:
            return GAS_WORDS.get(level, str(level))
        if self.measure == self.Measure.SELF_RATING:
            return SELF_RATING_WORDS.get(level, f"{level} out of 10")
        labels = {scale_level.value: scale_level.label for scale_level in self.scale.levels.all()}
        return labels.get(level, str(level))

    def level_in_words(self, level: int | None, *, numbers: bool = True) -> str:
        """A rating as the person would say it: for Goal Attainment Scaling what that level
        looks like for this goal, with its number beside it for the team ("“I walk to the shop
        with someone a few steps behind” (+1: more than expected)") or, without `numbers`, its
        words alone ("… (more than expected)"); otherwise the label."""
        if level is None:
            return ""
        label = self.level_label(level) if numbers else self.level_words(level)
        if self.measure == self.Measure.GAS and self.gas_descriptions.get(level):
            return f"“{self.gas_descriptions[level]}” ({label.lower()})"
        return label

    def level_choices_in_words(self, *, numbers: bool = True) -> list[tuple[int, str]]:
        """The choices a person picks from when they rate: what each level looks like first."""
        return [
            (level, self.level_in_words(level, numbers=numbers))
            for level, _ in self.level_choices()
        ]

    @property
    def lowest_level(self) -> int:
        return min(value for value, _ in self.level_choices())

    @property
    def highest_level(self) -> int:
        return max(value for value, _ in self.level_choices())

    @property
    def gas_descriptions(self) -> dict[int, str]:
        return {
            -2: self.gas_minus_2,
            -1: self.gas_minus_1,
            0: self.gas_0,
            1: self.gas_plus_1,
            2: self.gas_plus_2,
        }


class Review(models.Model):
    """A review of one outcome on one day.

    The person's view and the worker's view are both kept, and shown side by side when they
    differ. `level` is the one that counts in scores and charts: the person's own rating when
    they gave one, the worker's otherwise.
    """

    class RatedBy(models.TextChoices):
        PERSON = "person", "The person, on their own"
        WITH_HELP = "with_help", "The person, with help"
        FAMILY = "family", "Family, on their behalf"
        WORKER = "worker", "A worker"

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(default=timezone.localdate)
    level = models.SmallIntegerField()
    person_level = models.SmallIntegerField(null=True, blank=True)
    person_rated_by = models.CharField(max_length=10, choices=RatedBy.choices, blank=True)
    person_words = models.TextField("in their own words", max_length=2000, blank=True)
    person_view_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who wrote the person's view down: a worker, or the person signed in.",
    )
    worker_level = models.SmallIntegerField(null=True, blank=True)
    worker_words = models.TextField("the worker's view", max_length=2000, blank=True)
    what_is_working = models.TextField(max_length=2000, blank=True)
    what_is_not_working = models.TextField(max_length=2000, blank=True)
    what_will_change = models.TextField(max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_by_name = models.CharField("recorded by", max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        indexes = [models.Index(fields=["outcome", "reviewed_on"], name="review_outcome_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(person_level__isnull=False) | Q(worker_level__isnull=False),
                name="review_has_a_rating",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.outcome} on {self.reviewed_on}"

    def counted_level(self) -> int:
        """The rating that counts: the person's own, else the worker's."""
        return self.person_level if self.person_level is not None else self.worker_level

    @property
    def rated_by(self) -> str:
        return self.person_rated_by if self.person_level is not None else self.RatedBy.WORKER

    @property
    def rated_by_label(self) -> str:
        return self.RatedBy(self.rated_by).label

    @property
    def views_differ(self) -> bool:
        return (
            self.person_level is not None
            and self.worker_level is not None
            and self.person_level != self.worker_level
        )

    @property
    def has_persons_words(self) -> bool:
        return bool(self.person_words.strip())


class Suggestion(models.Model):
    """The person (or their family) suggests a change to their profile or outcomes; the team
    takes it up with them, and says what happened."""

    class About(models.TextChoices):
        PROFILE = "profile", "My one-page profile"
        OUTCOME = "outcome", "One of my outcomes"
        NEW_OUTCOME = "new_outcome", "Something new I want to work towards"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for the team"
        TAKEN_UP = "taken_up", "Taken up"
        NOT_TAKEN_UP = "not_taken_up", "Talked through, not changed"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="suggestions")
    about = models.CharField(max_length=20, choices=About.choices)
    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    text = models.TextField("the suggestion", max_length=2000)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    suggested_by_name = models.CharField("suggested by", max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField("what the team says", max_length=2000, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Suggestion about {self.get_about_display().lower()}"

    # What the suggestion is about, as staff read it (the choices speak as the person).
    ABOUT_FOR_STAFF = {
        About.PROFILE: "Their one-page profile",
        About.OUTCOME: "One of their outcomes",
        About.NEW_OUTCOME: "Something new to work towards",
    }

    @property
    def about_for_staff(self) -> str:
        return self.ABOUT_FOR_STAFF[self.about]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
