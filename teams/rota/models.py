"""The rota's data: visits and shifts, who is on them, people's time, swaps and suggestions.

Every instant is stored in UTC and shown in Europe/London. Durations, rest and hours are worked
out from the stored instants, never from wall-clock times, so a night shift across the October
clock change is an hour longer than its wall-clock times suggest, and one in March an hour
shorter.

Visits are the largest table the product has (millions a quarter in a big organisation): every
page reads them by an indexed range — team and start, person and start, or worker and start
through the assignment table, which repeats its visit's times for that reason.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from wellbeing.templatetags.times import time_of_day

from ..models import Membership, Person, Team
from .clock import day_bounds, local_span

__all__ = [
    "Availability",
    "CalendarFeed",
    "Offer",
    "PersonPreference",
    "RotaSettings",
    "RotaWeek",
    "Shift",
    "Skill",
    "Suggestion",
    "SuggestedAssignment",
    "TimeOff",
    "Visit",
    "VisitAssignment",
    "VisitPattern",
    "with_crew",
]


def hours_between(start: datetime, end: datetime) -> Decimal:
    """Elapsed hours between two instants, to the minute (wall clocks play no part)."""
    minutes = int((end - start).total_seconds() // 60)
    return (Decimal(minutes) / 60).quantize(Decimal("0.01"))


class Skill(models.Model):
    """Something a visit may need and a member may hold: medication, hoist, PEG feeding."""

    name = models.CharField(max_length=60, unique=True)
    holders = models.ManyToManyField(Membership, related_name="skills", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RotaSettings(models.Model):
    """The rules a team sets for its own rota.

    By default everyone in the team plans: the team manages itself. A team that names rota
    coordinators leaves publishing weeks, generating visits from patterns and taking the
    solver's suggestions to them (and its coach); everyone still records their own visits,
    offers and takes swaps, and keeps their own availability and time off.
    """

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="rota_settings")
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="rota_coordinating"
    )
    travel_speed_kmh = models.PositiveSmallIntegerField(
        default=20,
        validators=[MinValueValidator(3), MaxValueValidator(80)],
        help_text="Average speed between visits, in a straight line: about 5 on foot, 20 by "
        "car in town, 35 in the country.",
    )
    history = HistoricalRecords(m2m_fields=[coordinators])

    class Meta:
        verbose_name_plural = "rota settings"

    def __str__(self) -> str:
        return f"Rota settings of {self.team}"


class RotaWeek(models.Model):
    """A team's week of the rota (Monday to Sunday, London time): drafted, then published.

    Publishing tells each member their week; from then on a change to one of its visits tells
    the people it affects, with the reason.
    """

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rota_weeks")
    starts_on = models.DateField(help_text="The Monday the week starts.")
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["team", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["team", "starts_on"], name="rota_week_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.team} week of {self.starts_on:%d %b %Y}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class VisitPattern(models.Model):
    """A person's regular visit ("Mon–Fri 08:00–08:45, two workers"), from which visits are
    generated for a chosen period. Times are London wall-clock times: 08:00 stays 08:00 across
    the clock change."""

    weekdays_validator = RegexValidator(
        r"^[1-7]{1,7}$", "Weekdays are digits 1 (Monday) to 7 (Sunday), e.g. 12345."
    )

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="visit_patterns")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visit_patterns")
    weekdays = models.CharField(
        max_length=7,
        validators=[weekdays_validator],
        help_text="ISO weekday digits, Monday 1 to Sunday 7: 12345 is Monday to Friday.",
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField(help_text="Earlier than the start means the next morning.")
    care = models.CharField("what the visit is for", max_length=200)
    workers_needed = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="patterns")
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "starts_at"]
        indexes = [models.Index(fields=["team", "person"], name="rota_pattern_team_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.weekday_names} {time_of_day(self.starts_at)}"

    @property
    def weekday_numbers(self) -> list[int]:
        return sorted({int(digit) for digit in self.weekdays})

    @property
    def weekday_names(self) -> str:
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return ", ".join(names[number - 1] for number in self.weekday_numbers)

    def applies_on(self, day: date) -> bool:
        return (
            day.isoweekday() in self.weekday_numbers
            and day >= self.valid_from
            and (self.valid_until is None or day <= self.valid_until)
        )

    def visit_on(self, day: date, **fields) -> Visit:
        """The visit this pattern calls for on `day`, not yet saved."""
        start, end = local_span(day, self.starts_at, self.ends_at)
        return Visit(
            team_id=self.team_id,
            person=self.person,
            pattern=self,
            start=start,
            end=end,
            care=self.care,
            workers_needed=self.workers_needed,
            **fields,
        )


class VisitQuerySet(models.QuerySet["Visit"]):
    def between(self, start: datetime, end: datetime) -> VisitQuerySet:
        """Visits starting in [start, end): a range the (team|person, start) indexes answer."""
        return self.filter(start__gte=start, start__lt=end)

    def active(self) -> VisitQuerySet:
        return self.exclude(status=Visit.Status.CANCELLED)


class Visit(models.Model):
    """A visit to a person the team supports: when, what for, how many workers, which skills."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        DONE = "done", "Done"
        MISSED = "missed", "Missed"
        CANCELLED = "cancelled", "Cancelled"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="visits")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="visits")
    start = models.DateTimeField()
    end = models.DateTimeField()
    care = models.CharField("what the visit is for", max_length=200)
    workers_needed = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    skills = models.ManyToManyField(Skill, blank=True, related_name="visits")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    # Why it was missed or cancelled; or why it lost its worker ("Ben is on holiday").
    reason = models.CharField(max_length=200, blank=True)
    # What really happened, when the worker says it differed from the plan.
    actual_start = models.DateTimeField(null=True, blank=True)
    actual_end = models.DateTimeField(null=True, blank=True)
    pattern = models.ForeignKey(
        VisitPattern, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    # Set when the visit's week is published (or the visit is added to a published week).
    published_at = models.DateTimeField(null=True, blank=True)
    workers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="VisitAssignment", related_name="visits", blank=True
    )
    history = HistoricalRecords(excluded_fields=["published_at"])

    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["team", "start"], name="rota_visit_team_start"),
            models.Index(fields=["person", "start"], name="rota_visit_person_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="visit_ends_after_start"),
            models.CheckConstraint(
                condition=Q(actual_start__isnull=True)
                | Q(actual_end__isnull=True)
                | Q(actual_end__gt=F("actual_start")),
                name="visit_actual_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(workers_needed__gte=1, workers_needed__lte=2),
                name="visit_one_or_two_workers",
            ),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.person} {local:%a %-d %b} {time_of_day(local)}"

    @property
    def duration_hours(self) -> Decimal:
        return hours_between(self.start, self.end)

    @property
    def delivered_start(self) -> datetime:
        return self.actual_start or self.start

    @property
    def delivered_end(self) -> datetime:
        return self.actual_end or self.end

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class VisitAssignment(models.Model):
    """A worker on a visit. The visit's times are repeated here so that a worker's week (and a
    team's) is read by the (worker, start) or (team, start) index without touching the visits
    table first."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_assignments"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField()
    end = models.DateTimeField()
    assigned_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["worker", "start"], name="rota_assignment_worker_start"),
            # The team's figures (hours, continuity, publishing) read a stretch of its
            # assignments without touching the visits table.
            models.Index(fields=["team", "start"], name="rota_assignment_team_start"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["visit", "worker"], name="one_assignment_per_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.worker} on {self.visit}"


class ShiftQuerySet(models.QuerySet["Shift"]):
    def between(self, start: datetime, end: datetime) -> ShiftQuerySet:
        return self.filter(start__gte=start, start__lt=end)


def with_crew(lookup: str = "assignments") -> models.Prefetch:
    """Prefetch a visit's workers by name (`lookup` is the path to the visit's assignments):
    how every page lists who is on a visit, in one query for all of them."""
    return models.Prefetch(
        lookup,
        queryset=VisitAssignment.objects.select_related("worker").order_by("worker__display_name"),
    )


class Shift(models.Model):
    """A block of a member's time not tied to one person: on call, training, a team meeting."""

    class Kind(models.TextChoices):
        ON_CALL = "on_call", "On call"
        TRAINING = "training", "Training"
        MEETING = "meeting", "Team meeting"
        OFFICE = "office", "Office and planning"
        OTHER = "other", "Other"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shifts")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OTHER)
    start = models.DateTimeField()
    end = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["published_at"])

    objects = ShiftQuerySet.as_manager()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["team", "start"], name="rota_shift_team_start"),
            models.Index(fields=["worker", "start"], name="rota_shift_worker_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_start"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.start)
        return f"{self.get_kind_display()} for {self.worker} {local:%a %-d %b} {time_of_day(local)}"

    @property
    def duration_hours(self) -> Decimal:
        return hours_between(self.start, self.end)


class Availability(models.Model):
    """When a member can usually work, one row per weekday window (London wall-clock times).

    A member with no rows at all has said nothing, and may be asked at any time.
    """

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="availability"
    )
    weekday = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(7)], help_text="1 Monday – 7 Sunday"
    )
    starts_at = models.TimeField()
    ends_at = models.TimeField(help_text="Earlier than the start means the next morning.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["membership", "weekday", "starts_at"]
        verbose_name_plural = "availability"

    def __str__(self) -> str:
        return f"{self.membership.user_id} day {self.weekday} {self.starts_at}–{self.ends_at}"

    @property
    def crosses_midnight(self) -> bool:
        return self.ends_at <= self.starts_at


class TimeOff(models.Model):
    """Holiday, sickness or training: whole London days, first and last day included."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Holiday"
        SICKNESS = "sickness", "Sickness"
        TRAINING = "training", "Training"
        OTHER = "other", "Other leave"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="time_off")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="time_off"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.HOLIDAY)
    first_day = models.DateField()
    last_day = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_day"]
        indexes = [models.Index(fields=["worker", "first_day"], name="rota_timeoff_worker_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")), name="time_off_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.first_day}–{self.last_day}"

    @property
    def away(self) -> str:
        """How the team says it: "on holiday", "off sick", "on training", "on leave"."""
        return {
            self.Kind.HOLIDAY: "on holiday",
            self.Kind.SICKNESS: "off sick",
            self.Kind.TRAINING: "on training",
        }.get(self.kind, "on leave")

    def bounds(self) -> tuple[datetime, datetime]:
        """The instants it covers: from the first day's midnight to the one after the last."""
        return day_bounds(self.first_day, self.last_day + timedelta(days=1))


class PersonPreference(models.Model):
    """Who a person would like to see, and who they would rather not: recorded with them, and
    respected by the checks and the suggestions."""

    class Kind(models.TextChoices):
        PREFERRED = "preferred", "Preferred"
        NOT_TO_SEND = "not_to_send", "Not to send"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="preferences")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="person_preferences"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["person", "worker"], name="one_preference_per_worker"),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_kind_display()} {self.worker}"


class Offer(models.Model):
    """A member offers a visit or shift to a named colleague or to the whole team.

    The first colleague to accept takes it, once the swap passes every check; nobody approves.
    """

    class Status(models.TextChoices):
        OPEN = "open", "On offer"
        ACCEPTED = "accepted", "Taken"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="offers")
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, null=True, blank=True, related_name="offers"
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, null=True, blank=True, related_name="offers"
    )
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers_made"
    )
    # Empty: offered to anyone in the team.
    offered_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offers_received",
    )
    note = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offers_taken",
    )
    # Starts of the offered visit or shift, repeated so open offers are listed by time.
    start = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        indexes = [models.Index(fields=["team", "status", "start"], name="rota_offer_team_open")]
        constraints = [
            models.CheckConstraint(
                condition=Q(visit__isnull=False, shift__isnull=True)
                | Q(visit__isnull=True, shift__isnull=False),
                name="offer_visit_or_shift",
            ),
            # One open offer per worker for a thing: offering it twice would race with itself.
            models.UniqueConstraint(
                fields=["visit", "offered_by"],
                condition=Q(status="open"),
                name="one_open_offer_per_visit_worker",
            ),
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status="open"), name="one_open_offer_per_shift"
            ),
        ]

    def __str__(self) -> str:
        return f"Offer by {self.offered_by} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Suggestion(models.Model):
    """A proposal from the solver to fill a week's unassigned visits; the team decides."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for the team"
        DECIDED = "decided", "Decided"

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="suggestions")
    week_starts_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    # What the solver reports: how long it took, whether it proved the best, what stays unfilled.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "week_starts_on"], name="rota_suggestion_week")]

    def __str__(self) -> str:
        return f"Suggestion for {self.team} week of {self.week_starts_on}"


class SuggestedAssignment(models.Model):
    class Decision(models.TextChoices):
        WAITING = "waiting", "Waiting"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Not taken"

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="proposals")
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    explanation = models.TextField()
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.WAITING)
    # Why accepting failed, if the rota changed since the suggestion was made.
    refusal = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["visit__start", "pk"]

    def __str__(self) -> str:
        return f"{self.worker} for {self.visit}"


class CalendarFeed(models.Model):
    """A member's private calendar address. Only a hash of its secret is kept; revoking it
    makes the old address answer 404 at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="one_live_feed"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
