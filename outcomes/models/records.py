"""About the person: their details, key contacts, consents, and one-page profiles (theirs,
and team members' own)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import Person

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

    @property
    def age(self) -> int | None:
        if self.date_of_birth is None:
            return None
        today = timezone.localdate()
        born = self.date_of_birth
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


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
