from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from wellbeing.accounts.models import Invitation, Organisation


class Team(models.Model):
    """A self-managed team of up to about twelve care workers, supported by a coach."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    locality = models.CharField(max_length=120, help_text="The neighbourhood the team serves.")
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coached_teams",
    )
    created_at = models.DateTimeField(default=timezone.now)
    checkin_every_weeks = models.PositiveSmallIntegerField(
        "check-in every (weeks)",
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text="How often the team and its coach agreed to meet.",
    )
    pulse_every_weeks = models.PositiveSmallIntegerField(
        "pulse every (weeks)",
        default=6,
        validators=[MinValueValidator(2), MaxValueValidator(26)],
        help_text="How often the team health pulse opens.",
    )
    # Keeps who coached the team when, along with every other change.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(left__isnull=True) | Q(left__gt=on), joined__lte=on)


class Membership(models.Model):
    """A care worker's time in a team. Leaving sets `left`; the row stays as history."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateField(default=timezone.localdate)
    left = models.DateField(null=True, blank=True)
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=0,
        validators=[MinValueValidator(0), MaxValueValidator(48)],
        help_text="Contracted hours a week.",
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "user__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(left__isnull=True),
                name="one_open_membership_per_team",
            ),
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(left__gte=models.F("joined")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.joined <= today and (self.left is None or self.left > today)


class Person(models.Model):
    """Someone the team supports. The rota and their outcomes both hang from this record."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Supported now"
        PAUSED = "paused", "Support paused"
        ENDED = "ended", "Support ended"

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="people")
    name = models.CharField("full name", max_length=150)
    preferred_name = models.CharField(
        max_length=80, blank=True, help_text="What they like to be called."
    )
    started = models.DateField(default=timezone.localdate, help_text="When support started.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Where they live: the rota shows the area and checks travel time between visits.
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.known_as

    @property
    def known_as(self) -> str:
        return self.preferred_name or self.name


class TeamInvitation(models.Model):
    """What an invitation grants in a team: membership, or coaching it."""

    invitation = models.OneToOneField(
        Invitation, on_delete=models.CASCADE, related_name="team_grant"
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invitations")
    as_coach = models.BooleanField(default=False)
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=0)

    def __str__(self) -> str:
        return f"{'Coach' if self.as_coach else 'Member'} of {self.team}"


# The team's own features keep their models beside their code; they are the teams app's models.
from .checkins.models import Action, CheckIn  # noqa: E402, F401
from .decisions.models import Advice, AdviceRequest, Decision  # noqa: E402, F401
from .pulse.models import (  # noqa: E402, F401
    Pulse,
    PulseAnswer,
    PulseParticipation,
    PulseResponse,
    PulseResult,
    PulseStatement,
)
from .roles.models import Role, RoleAssignment, RoleTemplate  # noqa: E402, F401
from .rota.models import *  # noqa: E402,F403
