"""Reads about the rota, each by an indexed time range and in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Prefetch, Sum
from django.db.models.functions import Coalesce

from wellbeing.accounts.models import User

from ..models import Person
from .clock import day_bounds, week_bounds
from .models import Visit, VisitAssignment

HOUR = Decimal(3600)


def hours_delivered(*, person_ids: Iterable[int], start: date, end: date) -> dict[int, Decimal]:
    """Care hours delivered to each person by visits marked done whose start falls in
    [start, end) (London dates), using the actual times where the worker recorded them.

    Each worker on a visit counts: an hour's visit by two workers is two hours of care, which
    is what an Individual Service Fund pays for. People with no done visits are left out.
    One query.
    """
    ids = list(person_ids)
    if not ids:
        return {}
    since, until = day_bounds(start, end)
    worked = ExpressionWrapper(
        Coalesce(F("visit__actual_end"), F("visit__end"))
        - Coalesce(F("visit__actual_start"), F("visit__start")),
        output_field=DurationField(),
    )
    rows = (
        VisitAssignment.objects.filter(
            visit__person_id__in=ids,
            visit__start__gte=since,
            visit__start__lt=until,
            visit__status=Visit.Status.DONE,
        )
        .order_by()
        .values("visit__person_id")
        .annotate(total=Sum(worked))
    )
    return {
        row["visit__person_id"]: (Decimal(row["total"].total_seconds()) / HOUR).quantize(
            Decimal("0.01")
        )
        for row in rows
    }


def person_week(*, person: Person, week_start: date) -> list[Visit]:
    """The person's published visits in the week starting `week_start` (a Monday), with the
    workers coming to each (`visit.workers.all()`, by name). Cancelled visits are left out.
    Two queries."""
    since, until = week_bounds(week_start)
    return list(
        Visit.objects.filter(person=person, published_at__isnull=False)
        .between(since, until)
        .active()
        .prefetch_related(Prefetch("workers", queryset=User.objects.order_by("display_name")))
        .order_by("start", "pk")
    )
