"""Who signs in to a person's own record, and the privacy records: reads and erasures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import Person, Team
from wellbeing.accounts.models import Invitation

from .records import Consent

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
