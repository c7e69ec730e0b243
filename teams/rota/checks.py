"""The checks shown where the team plans, and the same checks asked before a change is made.

`rota_state` reads everything the rules need for one team and a stretch of time, in a fixed
number of queries however many visits there are. From it, `problems()` lists what is wrong
with the rota as planned, and `assignment_problems()` answers "would putting this worker on
this visit break a rule?" for a swap, an assignment or a suggestion being accepted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import DurationField, ExpressionWrapper, F, Prefetch, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from wellbeing.templatetags.times import time_of_day

from ..models import Membership, Team
from .clock import local_date, local_midnight, local_span, week_bounds, week_start
from .models import (
    Availability,
    PersonPreference,
    RotaSettings,
    Shift,
    Skill,
    TimeOff,
    Visit,
    VisitAssignment,
    with_crew,
)
from .rules import (
    AVERAGE_WEEK_LIMIT,
    REFERENCE_WEEKS,
    UNDER_HOURS_TOLERANCE,
    Place,
    WorkItem,
    hours_text,
    overlaps,
    rest_conflict,
    rest_text,
    travel_conflict,
)

# Work a day either side of the range is read too: rest and travel look across its edges.
MARGIN = timedelta(days=1)


class Rule:
    DOUBLE_BOOKED = "double_booked"
    SHORT_STAFFED = "short_staffed"
    SKILL = "skill"
    TIME_OFF = "time_off"
    NOT_TO_SEND = "not_to_send"
    AVAILABILITY = "availability"
    TRAVEL = "travel"
    REST = "rest"
    OVER_HOURS = "over_hours"
    UNDER_HOURS = "under_hours"
    AVERAGE_48 = "average_48"
    NOT_A_MEMBER = "not_a_member"
    ALREADY_ON = "already_on"


@dataclass(frozen=True)
class Problem:
    rule: str
    message: str
    worker_id: int | None = None
    visit_id: int | None = None
    shift_id: int | None = None
    day: date | None = None


@dataclass
class Member:
    user_id: int
    name: str
    contracted_hours: Decimal
    skill_ids: set[int] = field(default_factory=set)
    # (weekday 1-7, starts, ends) in London wall-clock time; empty means "said nothing".
    windows: list[tuple[int, time, time]] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.name.split(" ")[0] if self.name else "This worker"


def visit_place(visit: Visit) -> Place | None:
    person = visit.person
    if person.latitude is None or person.longitude is None:
        return None
    return (float(person.latitude), float(person.longitude))


def visit_label(visit: Visit) -> str:
    start = timezone.localtime(visit.start)
    return f"{visit.person.known_as} at {time_of_day(start)} on {start:%a %-d %b}"


def shift_label(shift: Shift) -> str:
    start = timezone.localtime(shift.start)
    return f"{shift.get_kind_display().lower()} at {time_of_day(start)} on {start:%a %-d %b}"


def visit_item(visit: Visit, worker_id: int) -> WorkItem:
    return WorkItem(
        kind="visit",
        pk=visit.pk,
        worker_id=worker_id,
        start=visit.start,
        end=visit.end,
        label=visit_label(visit),
        place=visit_place(visit),
        person_id=visit.person_id,
    )


def shift_item(shift: Shift, worker_id: int | None = None) -> WorkItem:
    return WorkItem(
        kind="shift",
        pk=shift.pk,
        worker_id=worker_id or shift.worker_id,
        start=shift.start,
        end=shift.end,
        label=shift_label(shift),
    )


@dataclass
class RotaState:
    """What the rules need about one team's rota between `since` and `until`."""

    team: Team
    since: datetime
    until: datetime
    speed_kmh: int
    members: dict[int, Member]
    visits: list[Visit]
    shifts: list[Shift]
    # Each worker's work anywhere in the organisation, a day either side of the range.
    items: dict[int, list[WorkItem]]
    time_off: dict[int, list[TimeOff]]
    preferences: dict[tuple[int, int], str]
    skill_names: dict[int, str]
    # Hours worked in the 17 weeks ending with the week that holds `until`'s last moment.
    reference_hours: dict[int, Decimal]
    reference_end: datetime

    # --- one assignment ----------------------------------------------------------------

    def assignment_problems(
        self,
        visit: Visit,
        worker_id: int,
        *,
        skill_ids: Iterable[int] | None = None,
        check_availability: bool = True,
        check_timing: bool = False,
        replacing: WorkItem | None = None,
    ) -> list[Problem]:
        """What would be wrong with this worker on this visit.

        With `check_timing`, the visit is also set beside the worker's other work (double
        booking, travel, rest, the 48-hour average), as when they are being added to it;
        `replacing` is the worker's own item it takes the place of, if any.
        """
        member = self.members.get(worker_id)
        if member is None:
            return [
                Problem(
                    Rule.NOT_A_MEMBER,
                    "Only a current member of the team can be on its visits.",
                    worker_id,
                    visit.pk,
                )
            ]
        found: list[Problem] = []
        name = member.first_name
        day = local_date(visit.start)
        needed = set(skill_ids if skill_ids is not None else self._visit_skill_ids(visit))
        missing = sorted(self.skill_names.get(pk, "?") for pk in needed - member.skill_ids)
        if missing:
            found.append(
                Problem(
                    Rule.SKILL,
                    f"{name} does not have the skills this visit needs: {', '.join(missing)}.",
                    worker_id,
                    visit.pk,
                    day=day,
                )
            )
        for leave in self.time_off.get(worker_id, []):
            first, last = leave.bounds()
            if visit.start < last and first < visit.end:
                found.append(
                    Problem(
                        Rule.TIME_OFF,
                        f"{name} is {leave.away} then "
                        f"({leave.first_day:%d %b} to {leave.last_day:%d %b}).",
                        worker_id,
                        visit.pk,
                        day=day,
                    )
                )
        if self.preferences.get((visit.person_id, worker_id)) == PersonPreference.Kind.NOT_TO_SEND:
            found.append(
                Problem(
                    Rule.NOT_TO_SEND,
                    f"{visit.person.known_as} has asked that {name} is not sent.",
                    worker_id,
                    visit.pk,
                    day=day,
                )
            )
        if check_availability and not self.available(member, visit.start, visit.end):
            found.append(
                Problem(
                    Rule.AVAILABILITY,
                    f"{visit_label(visit)} is outside {name}'s usual availability.",
                    worker_id,
                    visit.pk,
                    day=day,
                )
            )
        if check_timing:
            found += self.timing_problems(visit_item(visit, worker_id), replacing=replacing)
        return found

    def shift_problems(self, shift: Shift, worker_id: int) -> list[Problem]:
        """What would be wrong with this worker taking this shift."""
        member = self.members.get(worker_id)
        if member is None:
            return [
                Problem(
                    Rule.NOT_A_MEMBER,
                    "Only a current member of the team can take its shifts.",
                    worker_id,
                    shift_id=shift.pk,
                )
            ]
        return self._shift_time_off(shift, worker_id) + self.timing_problems(
            shift_item(shift, worker_id)
        )

    def _shift_time_off(self, shift: Shift, worker_id: int | None = None) -> list[Problem]:
        """A shift in the worker's time off: their visits then were handed back when the
        time off was recorded, but a shift stays theirs until the team moves it."""
        worker_id = worker_id or shift.worker_id
        member = self.members.get(worker_id)
        name = member.first_name if member else "They"
        found = []
        for leave in self.time_off.get(worker_id, []):
            first, last = leave.bounds()
            if shift.start < last and first < shift.end:
                found.append(
                    Problem(
                        Rule.TIME_OFF,
                        f"{name} is {leave.away} "
                        f"({leave.first_day:%d %b} to {leave.last_day:%d %b}) during the "
                        f"{shift_label(shift)}.",
                        worker_id,
                        shift_id=shift.pk,
                        day=local_date(shift.start),
                    )
                )
        return found

    def timing_problems(self, new: WorkItem, *, replacing: WorkItem | None = None) -> list[Problem]:
        """Double booking, travel, rest and the 48-hour average, with `new` added to the
        worker's work (and `replacing` taken away)."""
        worker_id = new.worker_id
        name = self.members[worker_id].first_name if worker_id in self.members else "They"
        others = [
            item
            for item in self.items.get(worker_id, [])
            if not (item.kind == new.kind and item.pk == new.pk)
            and not (replacing and item.kind == replacing.kind and item.pk == replacing.pk)
        ]
        found: list[Problem] = []
        visit_id = new.pk if new.kind == "visit" else None
        shift_id = new.pk if new.kind == "shift" else None

        def problem(rule: str, message: str) -> None:
            found.append(
                Problem(rule, message, worker_id, visit_id, shift_id=shift_id, day=new.day)
            )

        for other in others:
            if overlaps(new, other):
                problem(Rule.DOUBLE_BOOKED, f"{name} is already on {other.label}.")
                continue
            first, then = (other, new) if other.start < new.start else (new, other)
            needed = travel_conflict(first, then, self.speed_kmh)
            if needed is not None and _consecutive(first, then, others + [new]):
                problem(
                    Rule.TRAVEL,
                    f"{name} needs about {rest_text(needed)} to get "
                    f"from {first.label} to {then.label}.",
                )
            rest = rest_conflict(first, then)
            if rest is not None and _consecutive(first, then, others + [new]):
                problem(
                    Rule.REST,
                    f"{name} would have only {rest_text(rest)} rest between {first.label} and "
                    f"{then.label} (at least 11 hours between working days).",
                )
        added = new.hours - (replacing.hours if replacing else Decimal(0))
        if self._in_reference(new) and added > 0:
            total = self.reference_hours.get(worker_id, Decimal(0)) + added
            if total > AVERAGE_WEEK_LIMIT * REFERENCE_WEEKS:
                problem(
                    Rule.AVERAGE_48,
                    f"{name} would average {hours_text(total / REFERENCE_WEEKS)} a week over "
                    f"{REFERENCE_WEEKS} weeks (the limit is 48).",
                )
        return found

    # --- the whole range ---------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Everything wrong with the team's rota in the range, for the page that plans it."""
        found: list[Problem] = []
        for visit in self.visits:
            if visit.status == Visit.Status.CANCELLED:
                continue
            workers = [a.worker_id for a in visit.assignments.all()]
            if visit.status == Visit.Status.PLANNED and len(workers) < visit.workers_needed:
                missing = visit.workers_needed - len(workers)
                found.append(
                    Problem(
                        Rule.SHORT_STAFFED,
                        f"{visit_label(visit)} needs {missing} more "
                        f"worker{'s' if missing > 1 else ''}."
                        + (f" {visit.reason}" if visit.reason else ""),
                        visit_id=visit.pk,
                        day=local_date(visit.start),
                    )
                )
            for worker_id in workers:
                found += self.assignment_problems(visit, worker_id)
        for shift in self.shifts:
            found += self._shift_time_off(shift)
        for worker_id in self.members:
            found += self._sequence_problems(worker_id)
        found += self.hours_problems()
        return found

    def _sequence_problems(self, worker_id: int) -> list[Problem]:
        items = sorted(self.items.get(worker_id, []), key=lambda item: (item.start, item.end))
        name = self.members[worker_id].first_name
        found: list[Problem] = []
        for index, item in enumerate(items):
            if not (self.since <= item.start < self.until):
                continue
            for earlier in items[:index]:
                if overlaps(earlier, item):
                    found.append(
                        _item_problem(
                            Rule.DOUBLE_BOOKED,
                            f"{name} is on {earlier.label} and {item.label} at the same time.",
                            item,
                        )
                    )
            previous = _latest_ending_before(items[:index], item)
            if previous is None:
                continue
            needed = travel_conflict(previous, item, self.speed_kmh)
            if needed is not None:
                found.append(
                    _item_problem(
                        Rule.TRAVEL,
                        f"{name} has {rest_text(item.start - previous.end)} to get from "
                        f"{previous.label} to {item.label}, which takes about "
                        f"{rest_text(needed)}.",
                        item,
                    )
                )
            rest = rest_conflict(previous, item)
            if rest is not None:
                found.append(
                    _item_problem(
                        Rule.REST,
                        f"{name} has only {rest_text(rest)} rest between {previous.label} and "
                        f"{item.label} (at least 11 hours between working days).",
                        item,
                    )
                )
        return found

    def week_hours(self, monday: date) -> dict[int, Decimal]:
        """Each member's planned hours in one week of the range, all work counted."""
        start, end = week_bounds(monday)
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for worker_id, items in self.items.items():
            for item in items:
                if start <= item.start < end:
                    totals[worker_id] += item.hours
        return dict(totals)

    def hours_problems(self) -> list[Problem]:
        found: list[Problem] = []
        monday = week_start(local_date(self.since))
        if _week_end(monday) < self.until:
            return found
        hours = self.week_hours(monday)
        for worker_id, member in self.members.items():
            planned = hours.get(worker_id, Decimal(0))
            contracted = member.contracted_hours
            if planned > contracted:
                found.append(
                    Problem(
                        Rule.OVER_HOURS,
                        f"{member.first_name} has {hours_text(planned)} planned, over their "
                        f"{hours_text(contracted)} contract.",
                        worker_id,
                    )
                )
            elif planned < contracted - UNDER_HOURS_TOLERANCE:
                found.append(
                    Problem(
                        Rule.UNDER_HOURS,
                        f"{member.first_name} has {hours_text(planned)} planned, under their "
                        f"{hours_text(contracted)} contract.",
                        worker_id,
                    )
                )
            average = self.reference_hours.get(worker_id, Decimal(0)) / REFERENCE_WEEKS
            if average > AVERAGE_WEEK_LIMIT:
                found.append(
                    Problem(
                        Rule.AVERAGE_48,
                        f"{member.first_name} averages {hours_text(average)} a week over "
                        f"{REFERENCE_WEEKS} weeks (the limit is 48).",
                        worker_id,
                    )
                )
        return found

    # --- helpers -----------------------------------------------------------------------

    def available(self, member: Member, start: datetime, end: datetime) -> bool:
        """Does the span fit inside one of the member's usual windows? Someone who has said
        nothing about their availability may be asked at any time."""
        if not member.windows:
            return True
        day = local_date(start)
        for offset in (0, -1):
            on = day + timedelta(days=offset)
            for weekday, starts, ends in member.windows:
                if weekday != on.isoweekday():
                    continue
                window_start, window_end = local_span(on, starts, ends)
                if window_start <= start and end <= window_end:
                    return True
        return False

    def _visit_skill_ids(self, visit: Visit) -> set[int]:
        return {skill.pk for skill in visit.skills.all()}

    def _in_reference(self, item: WorkItem) -> bool:
        return reference_start(self.reference_end) <= item.start < self.reference_end


def _week_end(monday: date) -> datetime:
    return week_bounds(monday)[1]


def _item_problem(rule: str, message: str, item: WorkItem) -> Problem:
    return Problem(
        rule,
        message,
        item.worker_id,
        item.pk if item.kind == "visit" else None,
        shift_id=item.pk if item.kind == "shift" else None,
        day=item.day,
    )


def _latest_ending_before(items: list[WorkItem], item: WorkItem) -> WorkItem | None:
    before = [other for other in items if other.end <= item.start]
    return max(before, key=lambda other: other.end, default=None)


def _consecutive(first: WorkItem, then: WorkItem, items: list[WorkItem]) -> bool:
    """Nothing else of the worker's sits between the two: rest and travel are between
    neighbours."""
    return not any(
        first.end <= other.start and other.end <= then.start
        for other in items
        if other is not first and other is not then
    )


def rota_state(
    *,
    team: Team,
    since: datetime,
    until: datetime,
    worker_ids: Iterable[int] | None = None,
) -> RotaState:
    """Read what the rules need, in a fixed number of queries.

    `worker_ids` narrows the workers read (a swap needs one); the team's visits in the range
    are read either way.
    """
    settings_row = RotaSettings.objects.filter(team=team).first()
    memberships = Membership.objects.current().filter(team=team).select_related("user")
    if worker_ids is not None:
        memberships = memberships.filter(user_id__in=list(worker_ids))
    memberships = list(
        memberships.prefetch_related(
            Prefetch("skills", queryset=Skill.objects.only("pk")),
            Prefetch("availability", queryset=Availability.objects.order_by("weekday")),
        )
    )
    members = {
        m.user_id: Member(
            user_id=m.user_id,
            name=m.user.display_name,
            contracted_hours=m.contracted_hours,
            skill_ids={skill.pk for skill in m.skills.all()},
            windows=[(a.weekday, a.starts_at, a.ends_at) for a in m.availability.all()],
        )
        for m in memberships
    }
    ids = list(members)
    visits = list(
        Visit.objects.filter(team=team)
        .between(since, until)
        .select_related("person")
        .prefetch_related(
            "skills",
            with_crew("assignments"),
        )
        .order_by("start", "pk")
    )
    shifts = list(
        Shift.objects.filter(team=team)
        .between(since, until)
        .select_related("worker")
        .order_by("start", "pk")
    )
    wide_since, wide_until = since - MARGIN, until + MARGIN
    items: dict[int, list[WorkItem]] = defaultdict(list)
    assignments = (
        VisitAssignment.objects.filter(
            worker_id__in=ids, start__gte=wide_since, start__lt=wide_until
        )
        .exclude(visit__status__in=[Visit.Status.CANCELLED, Visit.Status.MISSED])
        .select_related("visit__person")
    )
    for assignment in assignments:
        items[assignment.worker_id].append(visit_item(assignment.visit, assignment.worker_id))
    for shift in Shift.objects.filter(
        worker_id__in=ids, start__gte=wide_since, start__lt=wide_until
    ):
        items[shift.worker_id].append(shift_item(shift))
    time_off: dict[int, list[TimeOff]] = defaultdict(list)
    for leave in TimeOff.objects.filter(
        worker_id__in=ids,
        first_day__lte=local_date(wide_until),
        last_day__gte=local_date(wide_since),
    ):
        time_off[leave.worker_id].append(leave)
    preferences = {
        (p.person_id, p.worker_id): p.kind
        for p in PersonPreference.objects.filter(person__team=team).only(
            "person_id", "worker_id", "kind"
        )
    }
    reference_end = _week_end(week_start(local_date(until - timedelta(microseconds=1))))
    return RotaState(
        team=team,
        since=since,
        until=until,
        speed_kmh=settings_row.travel_speed_kmh if settings_row else 20,
        members=members,
        visits=visits,
        shifts=shifts,
        items=dict(items),
        time_off=dict(time_off),
        preferences=preferences,
        skill_names=dict(Skill.objects.values_list("pk", "name")),
        reference_hours=reference_hours(worker_ids=ids, end=reference_end),
        reference_end=reference_end,
    )


def reference_start(end: datetime) -> datetime:
    """The London midnight 17 weeks of days before `end` (a London midnight): in summer it
    is an hour earlier in UTC than 17 times 168 hours back from a winter `end`."""
    return local_midnight(local_date(end) - timedelta(weeks=REFERENCE_WEEKS))


def reference_hours(*, worker_ids: Iterable[int], end: datetime) -> dict[int, Decimal]:
    """Hours each worker worked (or is planned to) in the 17 weeks before `end`."""
    return worked_hours(worker_ids=worker_ids, since=reference_start(end), until=end)


def worked_hours(
    *, worker_ids: Iterable[int], since: datetime, until: datetime, team: Team | None = None
) -> dict[int, Decimal]:
    """Hours each worker is planned or recorded for between two instants: visits (actual
    times where recorded; missed and cancelled ones left out) and shifts. Two queries."""
    ids = list(worker_ids)
    if not ids:
        return {}
    visit_time = ExpressionWrapper(
        Coalesce(F("visit__actual_end"), F("end")) - Coalesce(F("visit__actual_start"), F("start")),
        output_field=DurationField(),
    )
    visits = VisitAssignment.objects.filter(worker_id__in=ids, start__gte=since, start__lt=until)
    shifts = Shift.objects.filter(worker_id__in=ids, start__gte=since, start__lt=until)
    if team is not None:
        visits, shifts = visits.filter(team=team), shifts.filter(team=team)
    rows = list(
        visits.exclude(visit__status__in=[Visit.Status.CANCELLED, Visit.Status.MISSED])
        .order_by()
        .values("worker_id")
        .annotate(total=Sum(visit_time))
    )
    rows += list(
        shifts.order_by()
        .values("worker_id")
        .annotate(total=Sum(ExpressionWrapper(F("end") - F("start"), output_field=DurationField())))
    )
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        totals[row["worker_id"]] += (
            Decimal(int(row["total"].total_seconds() // 60)) / 60
        ).quantize(Decimal("0.01"))
    return dict(totals)
