"""Reads about values and stories, each in a fixed number of queries whatever the data size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from wellbeing.accounts.models import User

from .models import Story, Value
from .permissions import stories_visible_to


def value_list(*, include_inactive: bool = False) -> QuerySet[Value]:
    """The values in their order, with their behaviours (read them via `looks_like` and
    `does_not_look_like`, which use this prefetch)."""
    values = Value.objects.prefetch_related("behaviours").order_by("order", "name")
    return values if include_inactive else values.filter(active=True)


def story_list(*, user: User) -> QuerySet[Story]:
    """The stories a user may read, newest first."""
    return (
        stories_visible_to(user)
        .select_related("author", "team")
        .prefetch_related("values")
        .order_by("-created_at", "-pk")
    )


def team_story_list(*, team, limit: int = 5) -> list[Story]:
    """A team's most recent stories, for its page (whoever sees the team sees its stories)."""
    return list(
        Story.objects.filter(team=team)
        .select_related("author")
        .prefetch_related("values")
        .order_by("-created_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class MonthCount:
    month: date
    count: int


@dataclass(frozen=True)
class ValueTrend:
    value: Value
    months: list[MonthCount]

    @property
    def total(self) -> int:
        return sum(month.count for month in self.months)

    @property
    def busiest(self) -> MonthCount | None:
        """The one month with more stories than any other; None when no month stands out."""
        ranked = sorted(self.months, key=lambda month: month.count, reverse=True)
        if not ranked or not ranked[0].count:
            return None
        if len(ranked) > 1 and ranked[1].count == ranked[0].count:
            return None
        return ranked[0]


def month_starts(*, months: int, today: date) -> list[date]:
    """The first day of each of the last `months` months, oldest first, ending this month."""
    starts = []
    year, month = today.year, today.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return starts[::-1]


def stories_per_value_by_month(
    *, values: QuerySet[Value] | None = None, months: int = 12, today: date | None = None
) -> list[ValueTrend]:
    """How many stories showed each value, month by month (Europe/London months).

    Two queries: the values, and one aggregate over the story-value links.
    """
    values = list(values if values is not None else value_list())
    starts = month_starts(months=months, today=today or timezone.localdate())
    since = timezone.make_aware(datetime.combine(starts[0], time.min))
    tagging = Story.values.through
    rows = (
        tagging.objects.filter(value_id__in=[value.pk for value in values])
        .filter(story__created_at__gte=since)
        .annotate(month=TruncMonth("story__created_at"))
        .values("value_id", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {
        (row["value_id"], timezone.localtime(row["month"]).date()): row["count"] for row in rows
    }
    return [
        ValueTrend(
            value=value,
            months=[
                MonthCount(month=start, count=counts.get((value.pk, start), 0)) for start in starts
            ],
        )
        for value in values
    ]
