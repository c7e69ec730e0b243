"""The advice process: anyone in the team may make a decision, once they have sought advice
from the people it affects and those who know about it. The log keeps the proposal, the advice
given, what was decided and when to look at it again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Decision(models.Model):
    class Status(models.TextChoices):
        SEEKING = "seeking", "Seeking advice"
        DECIDED = "decided", "Decided"
        WITHDRAWN = "withdrawn", "Withdrawn"

    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="decisions")
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="decisions_proposed"
    )
    title = models.CharField(max_length=150)
    proposal = models.TextField()
    affected = models.TextField("who is affected")
    advice_by = models.DateField("advice wanted by")
    advisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="AdviceRequest", related_name="advice_asked"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SEEKING)
    outcome = models.TextField("what was decided", blank=True)
    decided_on = models.DateField(null=True, blank=True)
    review_on = models.DateField(null=True, blank=True)
    checkins = models.ManyToManyField(
        "teams.CheckIn", related_name="decisions", blank=True, verbose_name="discussed at"
    )
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["team", "created_at"], name="decision_team_created")]

    def __str__(self) -> str:
        return self.title

    @property
    def review_is_due(self) -> bool:
        return (
            self.status == self.Status.DECIDED
            and self.review_on is not None
            and self.review_on <= timezone.localdate()
        )


class AdviceRequest(models.Model):
    """Someone whose advice the proposer asked for (they are emailed)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advice_requests"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="one_request_per_advisor")
        ]

    def __str__(self) -> str:
        return f"Advice on {self.decision_id} from {self.user_id}"


class Advice(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="advice")
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advice_given"
    )
    text = models.TextField()
    given_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["given_at", "pk"]
        verbose_name_plural = "advice"

    def __str__(self) -> str:
        return f"Advice by {self.given_by_id} on {self.decision_id}"
