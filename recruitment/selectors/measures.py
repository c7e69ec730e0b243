"""How each round did: its funnel, how long people waited, and whether its recruits stayed.

Turnover is social care's costliest problem; a round's quality shows in who is still in a
team a year later. Everything here runs in a fixed number of queries, however many rounds and
candidates there are.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Candidate, Round

RETENTION_MONTHS = (3, 6, 12)


@dataclass
class FunnelStep:
    label: str
    count: int
    # Share of the previous step that reached this one; None where the previous step is empty.
    conversion: float | None


@dataclass
class Retention:
    months: int
    eligible: int  # started long enough ago for this milestone to have come
    stayed: int

    @property
    def rate(self) -> float | None:
        return self.stayed / self.eligible if self.eligible else None


@dataclass
class RoundMeasures:
    round: Round
    funnel: list[FunnelStep]
    days_to_decision: float | None
    days_to_told: float | None
    retention: list[Retention] = field(default_factory=list)


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _funnel(row: Round) -> list[FunnelStep]:
    counts = [
        ("Applied", row.n_applied),
        ("Invited to workshop", row.n_invited),
        ("Attended workshop", row.n_attended),
        ("Successful", row.n_successful),
        ("Started in a team", row.n_started),
    ]
    steps, previous = [], None
    for label, count in counts:
        conversion = None if previous in (None, 0) else count / previous
        steps.append(FunnelStep(label, count, conversion))
        previous = count
    return steps


def _median_days(spans: list[float]) -> float | None:
    return round(statistics.median(spans), 1) if spans else None


def round_measures(*, rounds: QuerySet[Round], today: date | None = None) -> list[RoundMeasures]:
    today = today or timezone.localdate()
    rows = list(
        rounds.annotate(
            n_applied=Count("candidates"),
            n_invited=Count("candidates", filter=Q(candidates__invited_at__isnull=False)),
            n_attended=Count("candidates", filter=Q(candidates__attended_at__isnull=False)),
            n_successful=Count(
                "candidates", filter=Q(candidates__stage=Candidate.Stage.SUCCESSFUL)
            ),
            n_started=Count("candidates", filter=Q(candidates__membership__isnull=False)),
        ).order_by("-opens_on", "-pk")
    )
    decided = defaultdict(list)
    told = defaultdict(list)
    stays = defaultdict(list)
    for round_id, applied, decided_at, told_at, joined, left in (
        Candidate.objects.filter(round__in=[r.pk for r in rows])
        .filter(Q(decided_at__isnull=False) | Q(membership__isnull=False))
        .values_list(
            "round_id",
            "applied_at",
            "decided_at",
            "communicated_at",
            "membership__joined",
            "membership__left",
        )
    ):
        if decided_at:
            decided[round_id].append((decided_at - applied).total_seconds() / 86400)
        if told_at:
            told[round_id].append((told_at - applied).total_seconds() / 86400)
        if joined:
            stays[round_id].append((joined, left))
    measures = []
    for row in rows:
        retention = []
        for months in RETENTION_MONTHS:
            due = [
                (joined, left)
                for joined, left in stays[row.pk]
                if add_months(joined, months) <= today
            ]
            stayed = [
                1 for joined, left in due if left is None or left >= add_months(joined, months)
            ]
            retention.append(Retention(months, len(due), len(stayed)))
        measures.append(
            RoundMeasures(
                round=row,
                funnel=_funnel(row),
                days_to_decision=_median_days(decided[row.pk]),
                days_to_told=_median_days(told[row.pk]),
                retention=retention,
            )
        )
    return measures
