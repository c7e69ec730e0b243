"""Outcomes co-produced with the people a team supports.

The person supported is `teams.Person` (what the rota also needs); everything else about them
that is theirs to own — their one-page profile, their outcomes in their own words, reviews,
their Individual Service Fund, who may sign in to see it — lives here. Every model holding
personal data keeps its history, and `services.privacy` erases all of it on request.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import Person, Team
from wellbeing.accounts.models import Invitation

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


# --- About the person ------------------------------------------------------------------------


class PersonDetails(models.Model):
    """What the team knows about a person beyond what the rota needs."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="details")
    pronouns = models.CharField(max_length=40, blank=True, help_text="For example: she/her.")
    date_of_birth = models.DateField(null=True, blank=True)
    communication = models.TextField(
        "how they communicate",
        max_length=1000,
        blank=True,
        help_text="Anything that helps: hearing, sight, language, words they use, good times.",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "person details"

    def __str__(self) -> str:
        return f"Details of {self.person}"


class KeyContact(models.Model):
    class Kind(models.TextChoices):
        FAMILY = "family", "Family"
        FRIEND = "friend", "Friend or neighbour"
        GP = "gp", "GP"
        ADVOCATE = "advocate", "Advocate"
        PROFESSIONAL = "professional", "Other professional"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="key_contacts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=150)
    relationship = models.CharField(
        max_length=80, blank=True, help_text="For example: daughter, the surgery on Hill Road."
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Consent(models.Model):
    """What the person agreed to share, with whom, and when — and who decided, since some of
    the people supported cannot decide everything for themselves."""

    class Scope(models.TextChoices):
        SIGN_IN = "sign_in", "Someone signs in to see their record"
        PROFILE = "profile", "Their one-page profile is shared"
        FAMILY_NEWS = "family_news", "The team talks with family about their support"
        OTHER = "other", "Something else"

    class DecidedBy(models.TextChoices):
        PERSON = "person", "They decided themselves"
        WITH_SUPPORT = "with_support", "They decided, with support to decide"
        ATTORNEY = "attorney", "Their attorney for health and welfare decided"
        BEST_INTERESTS = "best_interests", "A best-interests decision was made for them"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField("what they agreed to", max_length=20, choices=Scope.choices)
    with_whom = models.CharField(
        max_length=200, help_text="A name, or who: for example, 'Sarah Ellis, her daughter'."
    )
    decided_by = models.CharField(max_length=20, choices=DecidedBy.choices)
    agreed_on = models.DateField(default=timezone.localdate)
    notes = models.CharField(max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-agreed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_scope_display()}: {self.with_whom}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_on is None


# --- One-page profiles ------------------------------------------------------------------------


class OnePageProfile(models.Model):
    """A one-page profile: of a person supported, or of a team member, shared with the people
    they support (co-production means professionals share something of themselves too).

    The words live in versions; the newest version is the profile.
    """

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="one_page_profile"
    )
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="one_page_profile",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, member__isnull=True)
                | Q(person__isnull=True, member__isnull=False),
                name="profile_of_person_or_member",
            )
        ]

    def __str__(self) -> str:
        return f"One-page profile of {self.person or self.member}"


class ProfileVersion(models.Model):
    """One version of a one-page profile, never changed once written."""

    profile = models.ForeignKey(OnePageProfile, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    appreciated = models.TextField("what people like and admire about me", max_length=2000)
    important = models.TextField("what is important to me", max_length=2000)
    support = models.TextField("how best to support me", max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    written_by_name = models.CharField("written by", max_length=150)
    person_agreed = models.BooleanField(
        default=False, help_text="The person read this version and agreed it."
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "number"], name="profile_version_unique")
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.profile}"


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


# --- Individual Service Funds -----------------------------------------------------------------


class ServiceFund(models.Model):
    """An Individual Service Fund: money commissioned for the person's support, held by the
    team and spent as the person decides."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="service_funds")
    commissioner = models.CharField(
        "who commissions it", max_length=200, help_text="For example, the council's adult care."
    )
    starts = models.DateField()
    ends = models.DateField(null=True, blank=True)
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(168))],
    )
    weekly_budget = models.DecimalField(
        "budget a week (£)",
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    hourly_rate = models.DecimalField(
        "hourly rate (£)",
        max_digits=7,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    notes = models.TextField(max_length=1000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts", "-pk"]
        verbose_name = "Individual Service Fund"
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=False) | Q(weekly_budget__isnull=False),
                name="fund_has_hours_or_budget",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=models.F("starts")),
                name="fund_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"Individual Service Fund for {self.person} from {self.starts:%d %b %Y}"

    def covers(self, day: date) -> bool:
        return self.starts <= day and (self.ends is None or day <= self.ends)


class FlexibleHours(models.Model):
    """A line of the fund's ledger: unused hours banked, or banked hours used flexibly, for a
    purpose the person and the team agreed ("saved 6 hours for a trip to the coast")."""

    class Kind(models.TextChoices):
        BANKED = "banked", "Banked"
        USED = "used", "Used flexibly"

    fund = models.ForeignKey(ServiceFund, on_delete=models.CASCADE, related_name="ledger")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    hours = models.DecimalField(
        max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))]
    )
    on = models.DateField("date", default=timezone.localdate)
    purpose = models.CharField("what it is for", max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "-pk"]
        verbose_name_plural = "flexible hours"
        indexes = [models.Index(fields=["fund", "on"], name="ledger_fund_day")]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="ledger_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hours} hours on {self.on}"


# --- Sign-in for the person and their family --------------------------------------------------


class Relationship(models.TextChoices):
    SELF = "self", "The person themselves"
    FAMILY = "family", "Family"
    FRIEND = "friend", "A friend"
    ADVOCATE = "advocate", "An advocate"


class PersonAccess(models.Model):
    """A user who signs in to see one person's own record: the person, or someone they chose.

    Granted only with the person's consent recorded; ends when revoked or when that consent is
    withdrawn. Such a user sees that record and nothing else in the product.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="record_access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_access"
    )
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="access")
    granted_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "granted_at"]
        verbose_name_plural = "person access"
        constraints = [
            models.UniqueConstraint(
                fields=["person", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_open_access_per_person_and_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} sees the record of {self.person}"

    @property
    def is_self(self) -> bool:
        return self.relationship == Relationship.SELF


class PersonInvitation(models.Model):
    """What an invitation grants here: signing in to one person's record."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="person_grant"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    relationship = models.CharField(max_length=10, choices=Relationship.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="invitations")

    def __str__(self) -> str:
        return f"Sign-in to the record of {self.person}"


# --- Privacy ------------------------------------------------------------------------------------


class RecordRead(models.Model):
    """One look at a person's record by staff: who, when, what. The person and admins see it."""

    class Via(models.TextChoices):
        WEB = "web", "Web page"
        API = "api", "API"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="record_reads")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reader_name = models.CharField("who", max_length=150)
    at = models.DateTimeField("when", default=timezone.now)
    what = models.CharField(max_length=120)
    via = models.CharField(max_length=3, choices=Via.choices, default=Via.WEB)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["person", "-at"], name="record_read_person_at")]

    def __str__(self) -> str:
        return f"{self.reader_name} read {self.what} at {self.at:%Y-%m-%d %H:%M}"


class Erasure(models.Model):
    """The record that a person's data was erased, with the anonymised figures kept."""

    person = models.OneToOneField(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="erasure"
    )
    team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    erased_by_name = models.CharField(max_length=150)
    # Counts only: outcomes by status and life area, reviews, hours. Nothing that names anyone.
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at"]

    def __str__(self) -> str:
        return f"Erasure on {self.erased_at:%Y-%m-%d}"
