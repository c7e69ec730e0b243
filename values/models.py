from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

# Long enough for a few paragraphs, short enough to read on a phone between visits.
STORY_BODY_MAX_LENGTH = 2000


class Value(models.Model):
    """One of the organisation's values, with what it means in everyday care work here."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    meaning = models.TextField("What it means here")
    order = models.PositiveIntegerField(default=0)
    active = models.BooleanField(
        default=True, help_text="Inactive values are kept on old stories but not offered."
    )

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    # Both read the prefetched behaviours (see selectors.value_list), so a page of values
    # costs one query for all their behaviours, not one per value.
    @property
    def looks_like(self) -> list[Behaviour]:
        return [b for b in self.behaviours.all() if b.kind == Behaviour.Kind.SHOWS]

    @property
    def does_not_look_like(self) -> list[Behaviour]:
        return [b for b in self.behaviours.all() if b.kind == Behaviour.Kind.CONTRADICTS]


class Behaviour(models.Model):
    """Something a person does that shows a value, or that goes against it."""

    class Kind(models.TextChoices):
        SHOWS = "shows", "What it looks like"
        CONTRADICTS = "contradicts", "What it does not look like"

    value = models.ForeignKey(Value, on_delete=models.CASCADE, related_name="behaviours")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SHOWS)
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text


class Story(models.Model):
    """A short account, by a team member, of a value lived in their work."""

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_stories"
    )
    # A string reference, not an import: teams builds on values, never the other way round.
    team = models.ForeignKey(
        "teams.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_stories",
    )
    values = models.ManyToManyField(Value, related_name="stories")
    title = models.CharField(max_length=120)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return self.title
