"""The team health pulse: a few statements each member rates, anonymously, every few weeks.

Anonymity is kept the way the recruitment survey keeps it. Who has answered a pulse
(`PulseParticipation`) and what was answered (`PulseResponse` with its `PulseAnswer`s) are
separate rows with no link between them, no time of answering, and random ids, so neither
their ids nor their times tell which answer came from whom. Results are worked out once, when
the pulse closes, and published only if at least PULSE_MIN_RESPONSES members answered: a
figure that changed answer by answer would let colleagues read one another's answers by
comparing before and after. None of these models keeps a change history, for the same reason.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

# A five-point scale, always shown in words; colour is only ever a second cue.
RATINGS = [
    (1, "Strongly disagree"),
    (2, "Disagree"),
    (3, "Neither agree nor disagree"),
    (4, "Agree"),
    (5, "Strongly agree"),
]


class PulseStatement(models.Model):
    """A statement members rate, set by the organisation (in the admin). Each pulse keeps the
    statements it asked, so changing them later leaves past pulses as they were."""

    key = models.SlugField(max_length=60, unique=True)
    text = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive statements are not asked.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Pulse(models.Model):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="pulses")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    statements = models.ManyToManyField(PulseStatement, related_name="+")
    # The team's size when the pulse opened: "4 of 9 have answered".
    invited_count = models.PositiveSmallIntegerField(default=0)
    # Set when the pulse closes; the results exist only if enough members answered.
    response_count = models.PositiveSmallIntegerField(null=True, blank=True)
    overall = models.DecimalField(max_digits=3, decimal_places=2, null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=Q(closed_at__isnull=True), name="one_open_pulse"
            )
        ]
        indexes = [models.Index(fields=["team", "opened_at"], name="pulse_team_opened")]

    def __str__(self) -> str:
        return f"Pulse of {self.opened_at:%d %b %Y} for {self.team_id}"

    @property
    def is_open(self) -> bool:
        return self.is_open_at(timezone.now())

    def is_open_at(self, moment) -> bool:
        return self.closed_at is None and self.opened_at <= moment < self.closes_at

    @property
    def is_published(self) -> bool:
        """Results show only for a closed pulse with enough answers (threshold read now, so
        raising it hides results that no longer meet it)."""
        return (
            self.closed_at is not None
            and self.overall is not None
            and (self.response_count or 0) >= settings.PULSE_MIN_RESPONSES
        )


class PulseResult(models.Model):
    """A statement's average in a closed pulse: what the team, its coach and admins see."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="results")
    statement = models.ForeignKey(PulseStatement, on_delete=models.PROTECT, related_name="+")
    mean = models.DecimalField(max_digits=3, decimal_places=2)

    class Meta:
        ordering = ["statement__order", "statement_id"]
        constraints = [
            models.UniqueConstraint(fields=["pulse", "statement"], name="one_result_per_statement")
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.mean}"


class PulseParticipation(models.Model):
    """That a member answered a pulse, and nothing about what or when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulse_participations"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "user"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"Answered {self.pulse_id}"


class PulseResponse(models.Model):
    """One member's answers, apart from who they are."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="responses")

    def __str__(self) -> str:
        return f"Response to {self.pulse_id}"


class PulseAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(PulseResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(PulseStatement, on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(
        choices=RATINGS, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "statement"], name="one_rating_per_statement"
            ),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="pulse_rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id}: {self.rating}"
