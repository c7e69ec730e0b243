"""The rota's rules, on plain values, so the checks the team sees and the solver's constraints
are the same arithmetic.

Everything works on stored instants (UTC): a rest period or a week's hours across a clock
change come out right without special cases. Days are London days.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .clock import local_date

# UK Working Time Regulations: 11 hours' rest between working days, and no more than 48 hours
# a week on average over a 17-week reference period.
REST_BETWEEN_DAYS = timedelta(hours=11)
AVERAGE_WEEK_LIMIT = Decimal(48)
REFERENCE_WEEKS = 17
# Planned hours this far under a member's contract are flagged; any amount over is.
UNDER_HOURS_TOLERANCE = Decimal(2)
# Continuity is measured over this many days before the week shown.
CONTINUITY_DAYS = 28


Place = tuple[float, float]


@dataclass(frozen=True)
class WorkItem:
    """A stretch of one worker's time: a visit they are on, or a shift."""

    kind: str  # "visit" or "shift"
    pk: int
    worker_id: int
    start: datetime
    end: datetime
    label: str
    place: Place | None = None
    person_id: int | None = None

    @property
    def day(self) -> date:
        return local_date(self.start)

    @property
    def hours(self) -> Decimal:
        return Decimal(int((self.end - self.start).total_seconds() // 60)) / 60


def overlaps(a: WorkItem, b: WorkItem) -> bool:
    return a.start < b.end and b.start < a.end


def distance_km(a: Place, b: Place) -> float:
    """Straight-line (great-circle) distance: no map service is reachable from here."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def travel_time(a: Place | None, b: Place | None, speed_kmh: int) -> timedelta:
    """Time to get from one home to the next at the team's speed; nothing when either home
    has no coordinates (unknown is not a problem to flag)."""
    if a is None or b is None or a == b:
        return timedelta(0)
    minutes = math.ceil(distance_km(a, b) / speed_kmh * 60)
    return timedelta(minutes=minutes)


def travel_conflict(first: WorkItem, then: WorkItem, speed_kmh: int) -> timedelta | None:
    """The travel time needed, if `then` starts too soon after `first` ends to get there."""
    if first.end > then.start:
        return None
    needed = travel_time(first.place, then.place, speed_kmh)
    return needed if then.start - first.end < needed else None


def rest_conflict(first: WorkItem, then: WorkItem) -> timedelta | None:
    """The rest actually had, if two pieces of work on different London days leave less than
    11 hours between them. Work within one day may have gaps of any length."""
    if first.day == then.day or first.end > then.start:
        return None
    rest = then.start - first.end
    return rest if rest < REST_BETWEEN_DAYS else None


def hours_text(hours: Decimal | float) -> str:
    """ "7.5 hours", "1 hour", "45 minutes": how the rota says a length of time."""
    exact = Decimal(str(hours))
    if 0 < exact < 1:
        return f"{round(exact * 60)} minutes"
    value = exact.quantize(Decimal("0.01"))
    text = f"{value.normalize():f}"
    return f"{text} hour" if value == 1 else f"{text} hours"


def rest_text(rest: timedelta) -> str:
    """A gap between two pieces of work as a clock would say it: "9 hours 14 minutes", never
    "9.23 hours"."""
    minutes = int(rest.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if minutes or not hours:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    return " ".join(parts)
