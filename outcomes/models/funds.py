"""Individual Service Funds and their ledger of saved and flexibly used hours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from teams.models import Person

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
