"""The coach's check-ins with a team, and the actions they agree.

A check-in is planned first (a date the coach and the team agree, on their cadence) and becomes
a record once held. Actions carry over from one check-in to the next until they are done.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from values.models import Value


class CheckIn(models.Model):
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="checkins")
    planned_for = models.DateField(null=True, blank=True)
    held_on = models.DateField(null=True, blank=True)
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins_held",
        help_text="Who held it as the team's coach.",
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="checkins_attended", blank=True
    )
    brought = models.TextField("what the team brought", blank=True)
    pulse = models.ForeignKey(
        "teams.Pulse",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="checkins",
        verbose_name="pulse discussed",
    )
    values_lived = models.ManyToManyField(Value, related_name="+", blank=True)
    values_missing = models.ManyToManyField(Value, related_name="+", blank=True)
    notes = models.TextField(blank=True)
    # The one reminder for the planned date; cleared when the date moves.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "-planned_for", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"], condition=Q(held_on__isnull=True), name="one_planned_checkin"
            ),
            models.CheckConstraint(
                condition=Q(planned_for__isnull=False) | Q(held_on__isnull=False),
                name="checkin_planned_or_held",
            ),
        ]
        indexes = [models.Index(fields=["team", "held_on"], name="checkin_team_held")]

    def __str__(self) -> str:
        when = self.held_on or self.planned_for
        return f"Check-in with {self.team_id} on {when:%d %b %Y}"

    @property
    def is_planned(self) -> bool:
        return self.held_on is None

    @property
    def is_overdue(self) -> bool:
        return self.is_planned and self.planned_for < timezone.localdate()


class Action(models.Model):
    """Something agreed at a check-in: what, who, by when. Open until done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="actions")
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField("what", max_length=300)
    # None means the whole team owns it.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_actions",
    )
    due_on = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["team", "status", "due_on"], name="action_team_status_due"),
            models.Index(fields=["owner", "status", "due_on"], name="action_owner_status_due"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def owner_name(self) -> str:
        return self.owner.display_name if self.owner else "The whole team"
