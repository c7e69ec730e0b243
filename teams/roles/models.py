"""Roles the team shares out among its members, and who held each one when.

A self-managed team has no manager: the work of running it (planning the rota, keeping
everyone informed, welcoming a new colleague) is held as roles, each for a term, then reviewed
and often passed on. The history of holders is kept, so the team can see who did what.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


class RoleTemplate(models.Model):
    """A role the organisation suggests; each team adopts it and adapts it to itself."""

    name = models.CharField(max_length=120, unique=True)
    purpose = models.TextField(help_text="Why the team needs this role, in a sentence or two.")
    accountabilities = models.TextField(help_text="What the holder looks after, one per line.")
    suggested_term_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def accountability_list(self) -> list[str]:
        return _lines(self.accountabilities)


class Role(models.Model):
    """One team's version of a role. Retired roles keep their history but are not offered."""

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="roles")
    template = models.ForeignKey(
        RoleTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="adoptions",
        help_text="The organisation's role this one was adapted from, if any.",
    )
    name = models.CharField(max_length=120)
    purpose = models.TextField()
    accountabilities = models.TextField(blank=True, help_text="One per line.")
    term_months = models.PositiveSmallIntegerField(
        "term in months", default=12, validators=[MinValueValidator(1), MaxValueValidator(36)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    retired_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "name"],
                condition=Q(retired_on__isnull=True),
                name="role_name_unique_in_team",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accountability_list(self) -> list[str]:
        return _lines(self.accountabilities)


class RoleAssignmentQuerySet(models.QuerySet["RoleAssignment"]):
    def current(self, on: date | None = None) -> RoleAssignmentQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(ended__isnull=True) | Q(ended__gt=on), started__lte=on)


class RoleAssignment(models.Model):
    """A member holding a role for a term: chosen how, since when, to be reviewed when."""

    class Chosen(models.TextChoices):
        VOLUNTEERED = "volunteered", "Volunteered"
        CONSENT = "consent", "Agreed by consent at a team meeting"
        ROTATED = "rotated", "Took their turn in a rotation"

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="assignments")
    membership = models.ForeignKey(
        "teams.Membership", on_delete=models.CASCADE, related_name="role_assignments"
    )
    started = models.DateField(default=timezone.localdate)
    ended = models.DateField(null=True, blank=True)
    review_on = models.DateField(help_text="When the team looks again at who holds the role.")
    chosen_how = models.CharField(max_length=12, choices=Chosen.choices)
    # The one reminder for the current review date; cleared when the review date moves.
    review_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["role", "membership"],
                condition=Q(ended__isnull=True),
                name="one_open_assignment_per_holder",
            ),
            models.CheckConstraint(
                condition=Q(ended__isnull=True) | Q(ended__gte=F("started")),
                name="role_assignment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role} held by {self.membership}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.started <= today and (self.ended is None or self.ended > today)

    @property
    def review_is_due(self) -> bool:
        notice = timedelta(days=settings.ROLE_REVIEW_NOTICE_DAYS)
        return self.is_current and self.review_on <= timezone.localdate() + notice

    @property
    def review_is_overdue(self) -> bool:
        return self.is_current and self.review_on < timezone.localdate()
