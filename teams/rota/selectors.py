"""Reads about the rota, each by an indexed time range and in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from wellbeing.accounts.models import User

from ..models import Membership, Person, Team
from .checks import Member, Problem, Rule, rota_state, worked_hours
from .clock import day_bounds, local_date, week_bounds, week_start
from .models import (
    Offer,
    RotaWeek,
    Shift,
    TimeOff,
    Visit,
    VisitAssignment,
    hours_between,
    with_crew,
)
from .permissions import can_plan
from .rules import CONTINUITY_DAYS, hours_text

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


# --- pages -------------------------------------------------------------------------------------


def person_area(person: Person) -> str:
    """Where a person lives, said as a worker would on the move: the neighbourhood (the
    address's second line) and the postcode's first half, never the street."""
    lines = [line.strip() for line in person.address.splitlines() if line.strip()]
    outward = person.postcode.split(" ")[0].upper() if person.postcode else ""
    parts = [lines[1] if len(lines) > 1 else "", outward]
    return " ".join(part for part in parts if part)


@dataclass
class PlannedItem:
    """A visit or shift in someone's week, with what the page needs to show and offer."""

    kind: str
    start: datetime
    end: datetime
    visit: Visit | None = None
    shift: Shift | None = None
    colleagues: list[User] = field(default_factory=list)
    offer: Offer | None = None
    can_record: bool = False
    # Recorded already, and the worker can put a slip right.
    can_correct: bool = False
    can_offer: bool = False
    # The first thing still to come today: what the worker is heading to next.
    is_next: bool = False

    @property
    def is_visit(self) -> bool:
        return self.kind == "visit"

    @property
    def area(self) -> str:
        return person_area(self.visit.person) if self.visit else ""

    @property
    def hours(self) -> Decimal:
        return hours_between(self.start, self.end)


@dataclass
class DayPlan:
    day: date
    items: list[PlannedItem]
    is_today: bool = False
    is_past: bool = False
    # The first of the days gone by, which are listed last under their own heading.
    first_past: bool = False

    @property
    def hours(self) -> Decimal:
        return sum((item.hours for item in self.items), Decimal(0))

    @property
    def hours_text(self) -> str:
        return hours_text(self.hours)


def my_week(*, user: User, monday: date, now: datetime | None = None) -> dict:
    """A member's published week: visits (with who else is on each) and shifts, today first,
    and the swaps they could take or have offered. A fixed number of queries."""
    now = now or timezone.now()
    today = local_date(now)
    since, until = week_bounds(monday)
    team_ids = list(
        Membership.objects.current().filter(user=user).values_list("team_id", flat=True)
    )
    assignments = list(
        VisitAssignment.objects.filter(worker=user, start__gte=since, start__lt=until)
        .filter(visit__published_at__isnull=False)
        .exclude(visit__status=Visit.Status.CANCELLED)
        .select_related("visit__person")
        .prefetch_related(with_crew("visit__assignments"))
    )
    shifts = list(
        Shift.objects.filter(worker=user, published_at__isnull=False).between(since, until)
    )
    offers = list(
        Offer.objects.filter(team_id__in=team_ids, status=Offer.Status.OPEN, start__gte=now)
        .filter(Q(offered_to__isnull=True) | Q(offered_to=user) | Q(offered_by=user))
        .select_related("visit__person", "shift", "offered_by", "offered_to", "team")
        .order_by("start")[:50]
    )
    mine = {(o.visit_id, o.shift_id): o for o in offers if o.offered_by_id == user.pk}
    items: list[PlannedItem] = []
    for assignment in assignments:
        visit = assignment.visit
        offer = mine.get((visit.pk, None))
        items.append(
            PlannedItem(
                kind="visit",
                start=visit.start,
                end=visit.end,
                visit=visit,
                colleagues=[a.worker for a in visit.assignments.all() if a.worker_id != user.pk],
                offer=offer,
                can_record=visit.start <= now and visit.status == Visit.Status.PLANNED,
                can_correct=visit.status in (Visit.Status.DONE, Visit.Status.MISSED),
                can_offer=visit.start > now and visit.status == Visit.Status.PLANNED and not offer,
            )
        )
    for shift in shifts:
        offer = mine.get((None, shift.pk))
        items.append(
            PlannedItem(
                kind="shift",
                start=shift.start,
                end=shift.end,
                shift=shift,
                offer=offer,
                can_offer=shift.start > now and not offer,
            )
        )
    items.sort(key=lambda item: item.start)
    days = [
        DayPlan(
            day=monday + timedelta(days=offset),
            items=[],
            is_today=monday + timedelta(days=offset) == today,
            is_past=monday + timedelta(days=offset) < today,
        )
        for offset in range(7)
    ]
    for item in items:
        days[(local_date(item.start) - monday).days].items.append(item)
    coming = [item for item in items if local_date(item.start) == today and item.end > now]
    if coming:
        coming[0].is_next = True
    # Today first, then the days to come; the days gone by go last.
    days.sort(key=lambda plan: (plan.is_past, plan.day))
    past = [plan for plan in days if plan.is_past]
    if past and len(past) < len(days):
        past[0].first_past = True
    earlier = [item for plan in past for item in plan.items]
    colleagues = list(
        Membership.objects.current()
        .filter(team_id__in=team_ids)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__display_name")
    )
    return {
        "monday": monday,
        "days": days,
        "today": today,
        "hours": sum((item.hours for item in items), Decimal(0)),
        "hours_text": hours_text(sum((item.hours for item in items), Decimal(0))),
        "visit_count": sum(1 for item in items if item.is_visit),
        # Days gone by are folded away on the page, unless a visit there still needs saying
        # how it went.
        "earlier_visits": sum(1 for item in earlier if item.is_visit),
        "earlier_to_record": sum(1 for item in earlier if item.can_record),
        "offers_to_take": [o for o in offers if o.offered_by_id != user.pk],
        "my_offers": [o for o in offers if o.offered_by_id == user.pk],
        "colleagues": colleagues,
        "team_ids": team_ids,
    }


@dataclass
class GridRow:
    member: Member
    cells: list[list[PlannedItem]]
    hours: Decimal
    problems: list[Problem]
    # For each day, the kind of time off the member has then ("Holiday"), else "".
    away: list[str] = field(default_factory=list)

    @property
    def days(self) -> list[tuple[list[PlannedItem], str]]:
        return list(zip(self.cells, self.away or [""] * 7, strict=True))

    @property
    def hours_flag(self) -> str:
        """ "over" or "under" the contract, as the checks flag it, else empty."""
        rules = {problem.rule for problem in self.problems}
        if Rule.OVER_HOURS in rules:
            return "over"
        return "under" if Rule.UNDER_HOURS in rules else ""

    @property
    def hours_gap(self) -> Decimal:
        """How many hours over or under the contract, as the flag says it: 4.5."""
        return abs(self.hours - self.member.contracted_hours)

    @property
    def problems_to_check(self) -> list[Problem]:
        return [p for p in self.problems if p.rule not in (Rule.OVER_HOURS, Rule.UNDER_HOURS)]


def _away(leaves: list[TimeOff], day: date) -> str:
    return next(
        (leave.get_kind_display() for leave in leaves if leave.first_day <= day <= leave.last_day),
        "",
    )


def team_week(*, team: Team, monday: date) -> dict:
    """The team's rota grid for a week (members by days), what is unfilled and every problem
    the checks find. A fixed number of queries whatever the number of visits."""
    since, until = week_bounds(monday)
    state = rota_state(team=team, since=since, until=until)
    week = RotaWeek.objects.filter(team=team, starts_on=monday).first()
    problems = state.problems()
    by_worker: dict[int, list[Problem]] = defaultdict(list)
    by_visit: dict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.worker_id:
            by_worker[problem.worker_id].append(problem)
        if problem.visit_id:
            by_visit[problem.visit_id].append(problem)
    cells: dict[int, list[list[PlannedItem]]] = {pk: [[] for _ in range(7)] for pk in state.members}
    unfilled: list[list[Visit]] = [[] for _ in range(7)]
    for visit in state.visits:
        if visit.status == Visit.Status.CANCELLED:
            continue
        offset = (local_date(visit.start) - monday).days
        workers = list(visit.assignments.all())
        visit.problems = by_visit.get(visit.pk, [])
        if visit.status == Visit.Status.PLANNED and len(workers) < visit.workers_needed:
            unfilled[offset].append(visit)
        for assignment in workers:
            if assignment.worker_id in cells:
                cells[assignment.worker_id][offset].append(
                    PlannedItem(kind="visit", start=visit.start, end=visit.end, visit=visit)
                )
    for shift in state.shifts:
        if shift.worker_id in cells:
            cells[shift.worker_id][(local_date(shift.start) - monday).days].append(
                PlannedItem(kind="shift", start=shift.start, end=shift.end, shift=shift)
            )
    hours = state.week_hours(monday)
    days = [monday + timedelta(days=offset) for offset in range(7)]
    rows = [
        GridRow(
            member=member,
            cells=[sorted(day, key=lambda item: item.start) for day in cells[pk]],
            hours=hours.get(pk, Decimal(0)),
            problems=by_worker.get(pk, []),
            away=[_away(state.time_off.get(pk, []), day) for day in days],
        )
        for pk, member in sorted(state.members.items(), key=lambda pair: pair[1].name)
    ]
    open_offers = list(
        Offer.objects.filter(team=team, status=Offer.Status.OPEN, start__gte=since, start__lt=until)
        .select_related("visit__person", "shift", "offered_by", "offered_to")
        .order_by("start")
    )
    today = timezone.localdate()
    return {
        "team": team,
        "monday": monday,
        "days": days,
        # The column of today, highlighted; -1 when the week shown is another one.
        "today_index": days.index(today) if today in days else -1,
        "today": today,
        "week": week,
        "rows": rows,
        "unfilled": unfilled,
        "unfilled_count": sum(len(day) for day in unfilled),
        # Gaps are shown in their own row, and hours beside each member.
        "problems": [p for p in problems if p.rule not in (Rule.SHORT_STAFFED, Rule.UNDER_HOURS)],
        "visit_count": sum(1 for v in state.visits if v.status != Visit.Status.CANCELLED),
        "draft_count": sum(1 for v in state.visits if v.published_at is None),
        "offers": open_offers,
    }


def week_start_of(instant: datetime) -> date:
    return week_start(local_date(instant))


def week_start_of_today() -> date:
    return week_start(timezone.localdate())


def visit_detail(*, visit: Visit, user: User) -> dict:
    """One visit with who is on it, what the checks say about it and its open offers."""
    assignments = list(visit.assignments.select_related("worker").order_by("worker__display_name"))
    worker_ids = [a.worker_id for a in assignments]
    state = rota_state(
        team=visit.team,
        since=visit.start - timedelta(days=1),
        until=visit.end + timedelta(days=1),
        worker_ids=worker_ids,
    )
    problems: list[Problem] = []
    for worker_id in worker_ids:
        problems += state.assignment_problems(visit, worker_id, check_timing=True, replacing=None)
    return {
        "visit": visit,
        "team": visit.team,
        "assignments": assignments,
        "problems": problems,
        "short_by": max(visit.workers_needed - len(assignments), 0),
        "offers": list(
            visit.offers.filter(status=Offer.Status.OPEN).select_related("offered_by", "offered_to")
        ),
        "can_plan": can_plan(user, visit.team),
        "is_on_it": user.pk in worker_ids,
        "area": person_area(visit.person),
        "monday": week_start_of(visit.start),
    }


def by_day(visits: list[Visit]) -> list[tuple[date, list[Visit]]]:
    """Visits grouped by their London day, in order."""
    days: dict[date, list[Visit]] = defaultdict(list)
    for visit in visits:
        days[local_date(visit.start)].append(visit)
    return sorted(days.items())


# --- hours, continuity, swaps ------------------------------------------------------------------


def _hours(duration) -> Decimal:
    return (Decimal(int(duration.total_seconds() // 60)) / 60).quantize(Decimal("0.01"))


@dataclass
class MemberHours:
    name: str
    user_id: int
    contracted: Decimal
    week: Decimal
    month: Decimal
    month_contracted: Decimal

    @property
    def week_difference(self) -> Decimal:
        return self.week - self.contracted


def team_hours(*, team: Team, monday: date) -> dict:
    """Hours per member for a week and for the calendar month it starts in, against their
    contracts; hours delivered per person that month; continuity per person. Fixed queries."""
    members = list(
        Membership.objects.current()
        .filter(team=team)
        .select_related("user")
        .order_by("user__display_name")
    )
    ids = [m.user_id for m in members]
    week_since, week_until = week_bounds(monday)
    first = monday.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    month_since, month_until = day_bounds(first, next_month)
    week = worked_hours(worker_ids=ids, since=week_since, until=week_until, team=team)
    month = worked_hours(worker_ids=ids, since=month_since, until=month_until, team=team)
    weeks_in_month = Decimal((next_month - first).days) / 7
    rows = [
        MemberHours(
            name=m.user.display_name,
            user_id=m.user_id,
            contracted=m.contracted_hours,
            week=week.get(m.user_id, Decimal(0)),
            month=month.get(m.user_id, Decimal(0)),
            month_contracted=(m.contracted_hours * weeks_in_month).quantize(Decimal("0.1")),
        )
        for m in members
    ]
    people = list(team.people.exclude(status=Person.Status.ENDED).order_by("name"))
    delivered = hours_delivered(person_ids=[p.pk for p in people], start=first, end=next_month)
    continuity = continuity_by_person(teams=[team], until=week_until)
    return {
        "team": team,
        "monday": monday,
        "month": first,
        "rows": rows,
        "people": [
            {
                "person": person,
                "delivered": delivered.get(person.pk, Decimal(0)),
                "workers": continuity.get(person.pk, 0),
            }
            for person in people
        ],
        # The figure the coach's dashboard shows for this week, from the same selector.
        "team_continuity": continuity_by_team(team_ids=[team.pk], until=week_until).get(team.pk),
    }


def _average(values: Iterable[int]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1"))


def continuity_by_person(*, teams: Iterable[Team], until: datetime) -> dict[int, int]:
    """For each person, how many different workers visited (or are planned to) in the 4 weeks
    before `until`: the fewer, the better the continuity of care. One query."""
    rows = (
        VisitAssignment.objects.filter(
            team__in=list(teams),
            start__gte=until - timedelta(days=CONTINUITY_DAYS),
            start__lt=until,
        )
        .exclude(visit__status=Visit.Status.CANCELLED)
        .order_by()
        .values("visit__person_id")
        .annotate(workers=Count("worker_id", distinct=True))
    )
    return {row["visit__person_id"]: row["workers"] for row in rows}


def team_swaps(*, team: Team, limit: int = 100) -> list[Offer]:
    """Every swap in the team, open ones first then the latest decided: whoever coordinates
    the rota (and everyone else in a team that manages itself) sees them all."""
    return list(
        Offer.objects.filter(team=team)
        .select_related("visit__person", "shift", "offered_by", "offered_to", "taken_by")
        .order_by("-created_at")[:limit]
    )


# --- the coach's dashboard: each figure for every team on the page at once ----------------------


def unfilled_by_team(*, team_ids: list[int], now: datetime, days: int = 14) -> dict[int, int]:
    """Planned visits in the next `days` days still short of workers, per team. One query."""
    assigned = (
        VisitAssignment.objects.filter(visit=OuterRef("pk"))
        .order_by()
        .values("visit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        Visit.objects.filter(
            team_id__in=team_ids,
            start__gte=now,
            start__lt=now + timedelta(days=days),
            status=Visit.Status.PLANNED,
        )
        .annotate(assigned=Coalesce(Subquery(assigned), 0))
        .filter(assigned__lt=F("workers_needed"))
        .order_by()
        .values("team_id")
        .annotate(unfilled=Count("pk"))
    )
    return {row["team_id"]: row["unfilled"] for row in rows}


def hours_against_contracts(
    *, team_ids: list[int], monday: date
) -> dict[int, tuple[Decimal, Decimal]]:
    """Each team's planned hours this week (visits and shifts in the team) and its members'
    contracted hours. Three queries."""
    since, until = week_bounds(monday)
    visit_time = ExpressionWrapper(F("end") - F("start"), output_field=DurationField())
    planned: dict[int, Decimal] = defaultdict(Decimal)
    for model in (VisitAssignment, Shift):
        queryset = model.objects.filter(team_id__in=team_ids, start__gte=since, start__lt=until)
        if model is VisitAssignment:
            queryset = queryset.exclude(visit__status=Visit.Status.CANCELLED)
        for row in queryset.order_by().values("team_id").annotate(total=Sum(visit_time)):
            planned[row["team_id"]] += _hours(row["total"])
    contracted = {
        row["team_id"]: row["total"]
        for row in Membership.objects.current(monday)
        .filter(team_id__in=team_ids)
        .order_by()
        .values("team_id")
        .annotate(total=Sum("contracted_hours"))
    }
    return {
        team_id: (planned.get(team_id, Decimal(0)), contracted.get(team_id, Decimal(0)))
        for team_id in team_ids
    }


def continuity_by_team(*, team_ids: list[int], until: datetime) -> dict[int, Decimal]:
    """The average number of different workers each person saw in the last 4 weeks, per team.
    One query."""
    rows = (
        VisitAssignment.objects.filter(
            team_id__in=team_ids,
            start__gte=until - timedelta(days=CONTINUITY_DAYS),
            start__lt=until,
        )
        .exclude(visit__status=Visit.Status.CANCELLED)
        .order_by()
        .values("team_id", "visit__person_id")
        .annotate(workers=Count("worker_id", distinct=True))
    )
    per_team: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        per_team[row["team_id"]].append(row["workers"])
    return {team_id: _average(values) for team_id, values in per_team.items()}
