"""Writes to the rota: visits and who is on them, shifts, patterns, publishing, people's time.

Every change to the rota goes through a function here, so the rules (checks.py) are asked in
one place and the people a published change affects are always told why.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from wellbeing.accounts.models import User
from wellbeing.errors import ConflictError, DomainError
from wellbeing.templatetags.times import time_of_day

from ..models import Membership, Person, Team
from . import notify, solver
from .checks import Problem, rota_state, visit_item
from .clock import day_bounds, local_date, local_span, week_bounds, week_start
from .models import (
    Availability,
    CalendarFeed,
    PersonPreference,
    RotaSettings,
    RotaWeek,
    Shift,
    Skill,
    SuggestedAssignment,
    Suggestion,
    TimeOff,
    Visit,
    VisitAssignment,
    VisitPattern,
)
from .permissions import can_plan, require_planner
from .rules import CONTINUITY_DAYS

# How far ahead a worker can be told of a visit before it happens at all.
LONGEST_VISIT = timedelta(hours=24)
# What a worker can record as really spent on one visit: longer is a mistyped time.
LONGEST_RECORDED_VISIT = timedelta(hours=12)
LONGEST_SHIFT = timedelta(hours=24)


class RotaError(DomainError):
    """A rota rule was broken; the message says which, for a person to read."""


class RotaConflict(RotaError, ConflictError):
    """Someone else changed it first (the offer was taken, the week was published)."""


def refuse(problems: Sequence[Problem]) -> None:
    if problems:
        raise RotaError(" ".join(problem.message for problem in problems))


# --- visits --------------------------------------------------------------------------------


def _validate_times(start: datetime, end: datetime, longest: timedelta) -> None:
    if end <= start:
        raise RotaError("The end must be after the start.")
    if end - start > longest:
        raise RotaError(f"It cannot be longer than {int(longest.total_seconds() // 3600)} hours.")


def _published_week(team: Team, instant: datetime) -> bool:
    return RotaWeek.objects.filter(
        team=team, starts_on=week_start(local_date(instant)), published_at__isnull=False
    ).exists()


@transaction.atomic
def visit_create(
    *,
    team: Team,
    person: Person,
    start: datetime,
    end: datetime,
    care: str,
    by: User,
    workers_needed: int = 1,
    skills: Iterable[Skill] = (),
) -> Visit:
    require_planner(by, team)
    if person.team_id != team.pk:
        raise RotaError("That person is not supported by this team.")
    if workers_needed not in (1, 2):
        raise RotaError("A visit needs one or two workers.")
    _validate_times(start, end, LONGEST_VISIT)
    visit = Visit.objects.create(
        team=team,
        person=person,
        start=start,
        end=end,
        care=care.strip(),
        workers_needed=workers_needed,
        # Added to a week already published, it is part of what the team has been told.
        published_at=timezone.now() if _published_week(team, start) else None,
    )
    visit.skills.set(skills)
    return visit


def _lock_visit(visit: Visit) -> Visit:
    return Visit.objects.select_for_update().select_related("person", "team").get(pk=visit.pk)


def _workers(visit: Visit) -> list[User]:
    return list(User.objects.filter(visit_assignments__visit=visit).order_by("display_name"))


@transaction.atomic
def visit_update(
    *,
    visit: Visit,
    by: User,
    reason: str = "",
    start: datetime | None = None,
    end: datetime | None = None,
    care: str | None = None,
    workers_needed: int | None = None,
    skills: Iterable[Skill] | None = None,
) -> Visit:
    """Change a visit. Once its week is published the people on it are told, so a reason is
    required."""
    visit = _lock_visit(visit)
    require_planner(by, visit.team)
    if visit.status != Visit.Status.PLANNED:
        raise RotaError("Only a planned visit can be changed.")
    reason = reason.strip()
    if visit.is_published and not reason:
        raise RotaError("Say why it changes: the people on this visit will be told.")
    before = (visit.start, visit.end)
    visit.start = start or visit.start
    visit.end = end or visit.end
    _validate_times(visit.start, visit.end, LONGEST_VISIT)
    if care is not None:
        visit.care = care.strip()
    if workers_needed is not None:
        if workers_needed not in (1, 2):
            raise RotaError("A visit needs one or two workers.")
        if workers_needed < visit.assignments.count():
            raise RotaError("Take a worker off the visit before it needs fewer.")
        visit.workers_needed = workers_needed
    visit.save(update_fields=["start", "end", "care", "workers_needed"])
    if skills is not None:
        visit.skills.set(skills)
    if (visit.start, visit.end) != before:
        visit.assignments.update(start=visit.start, end=visit.end)
        workers = _workers(visit)
        state = rota_state(
            team=visit.team,
            since=visit.start - LONGEST_VISIT,
            until=visit.end + LONGEST_VISIT,
            worker_ids=[w.pk for w in workers],
        )
        for worker in workers:
            refuse(
                state.timing_problems(
                    visit_item(visit, worker.pk), replacing=visit_item(visit, worker.pk)
                )
            )
    if visit.is_published:
        start_local = timezone.localtime(visit.start)
        notify.visit_changed(
            visit=visit,
            people=_workers(visit),
            what=f"It is now {start_local:%A %-d %B}, {time_of_day(start_local)} to "
            f"{time_of_day(timezone.localtime(visit.end))}.",
            reason=reason,
            by=by,
        )
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by: User, reason: str) -> Visit:
    visit = _lock_visit(visit)
    require_planner(by, visit.team)
    if visit.status != Visit.Status.PLANNED:
        raise RotaError("Only a planned visit can be cancelled.")
    if not reason.strip():
        raise RotaError("Say why the visit is cancelled.")
    visit.status = Visit.Status.CANCELLED
    visit.reason = reason.strip()[:200]
    visit.save(update_fields=["status", "reason"])
    visit.offers.filter(status="open").update(status="withdrawn", decided_at=timezone.now())
    if visit.is_published:
        notify.visit_changed(
            visit=visit, people=_workers(visit), what="It is cancelled.", reason=reason, by=by
        )
    return visit


@transaction.atomic
def visit_record(
    *,
    visit: Visit,
    by: User,
    done: bool,
    actual_start: datetime | None = None,
    actual_end: datetime | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Visit:
    """The worker says how the visit went: done (with the real times if they differed) or
    missed (with why). This is where the hours delivered to a person come from."""
    visit = _lock_visit(visit)
    on_it = visit.assignments.filter(worker=by).exists()
    if not on_it and not can_plan(by, visit.team):
        raise PermissionDenied("Only the workers on a visit can record how it went.")
    if visit.status == Visit.Status.CANCELLED:
        raise RotaError("This visit was cancelled.")
    now = now or timezone.now()
    if visit.start > now:
        raise RotaError("A visit can be recorded once it has started.")
    if done:
        if (actual_start is None) != (actual_end is None):
            raise RotaError("Give both the real start and end times, or neither.")
        if actual_start is not None and actual_end <= actual_start:
            raise RotaError("The real end must be after the real start.")
        if actual_start is not None and actual_end - actual_start > LONGEST_RECORDED_VISIT:
            raise RotaError("A visit cannot be recorded as longer than 12 hours.")
        if actual_end is not None and actual_end > now + timedelta(minutes=5):
            raise RotaError("The real end cannot be in the future.")
        visit.status = Visit.Status.DONE
        visit.actual_start, visit.actual_end = actual_start, actual_end
        visit.reason = ""
    else:
        if not reason.strip():
            raise RotaError("Say why the visit was missed.")
        visit.status = Visit.Status.MISSED
        visit.actual_start = visit.actual_end = None
        visit.reason = reason.strip()[:200]
    visit.save(update_fields=["status", "actual_start", "actual_end", "reason"])
    return visit


@transaction.atomic
def visit_assign(
    *, visit: Visit, worker: User, by: User, check_availability: bool = True
) -> VisitAssignment:
    """Put a worker on a visit, if every rule allows it; the refusal says which does not."""
    visit = _lock_visit(visit)
    require_planner(by, visit.team)
    if visit.status != Visit.Status.PLANNED:
        raise RotaError("Workers can be put only on a planned visit.")
    _assign_checked(visit, worker, check_availability=check_availability)
    assignment = VisitAssignment.objects.create(
        visit=visit, worker=worker, team=visit.team, start=visit.start, end=visit.end
    )
    if visit.reason and visit.assignments.count() >= visit.workers_needed:
        visit.reason = ""
        visit.save(update_fields=["reason"])
    if visit.is_published:
        notify.visit_changed(
            visit=visit,
            people=[worker],
            what="You are now on this visit.",
            reason="The team filled a gap in the rota.",
            by=by,
        )
    return assignment


def _assign_checked(visit: Visit, worker: User, *, check_availability: bool) -> None:
    taken = list(visit.assignments.values_list("worker_id", flat=True))
    if worker.pk in taken:
        raise RotaError(f"{worker.display_name} is already on this visit.")
    if len(taken) >= visit.workers_needed:
        raise RotaError("This visit already has all the workers it needs.")
    state = rota_state(
        team=visit.team,
        since=visit.start - LONGEST_VISIT,
        until=visit.end + LONGEST_VISIT,
        worker_ids=[worker.pk],
    )
    refuse(
        state.assignment_problems(
            visit, worker.pk, check_availability=check_availability, check_timing=True
        )
    )


@transaction.atomic
def visit_unassign(*, visit: Visit, worker: User, by: User, reason: str = "") -> None:
    visit = _lock_visit(visit)
    require_planner(by, visit.team)
    if visit.status != Visit.Status.PLANNED:
        raise RotaError("Workers can be taken only off a planned visit.")
    if visit.is_published and not reason.strip():
        raise RotaError(f"Say why: {worker.display_name} will be told.")
    deleted, _ = VisitAssignment.objects.filter(visit=visit, worker=worker).delete()
    if not deleted:
        raise RotaError(f"{worker.display_name} is not on this visit.")
    visit.offers.filter(status="open", offered_by=worker).update(
        status="withdrawn", decided_at=timezone.now()
    )
    if visit.is_published:
        notify.visit_changed(
            visit=visit,
            people=[worker],
            what="You are no longer on this visit.",
            reason=reason,
            by=by,
        )


# --- shifts --------------------------------------------------------------------------------


def _require_member(team: Team, worker: User) -> None:
    if not Membership.objects.current().filter(team=team, user=worker).exists():
        raise RotaError(f"{worker.display_name} is not a current member of {team}.")


@transaction.atomic
def shift_create(
    *,
    team: Team,
    worker: User,
    kind: str,
    start: datetime,
    end: datetime,
    by: User,
    note: str = "",
) -> Shift:
    require_planner(by, team)
    _require_member(team, worker)
    _validate_times(start, end, LONGEST_SHIFT)
    shift = Shift(team=team, worker=worker, kind=kind, start=start, end=end, note=note.strip())
    state = rota_state(
        team=team, since=start - LONGEST_SHIFT, until=end + LONGEST_SHIFT, worker_ids=[worker.pk]
    )
    refuse(state.shift_problems(shift, worker.pk))
    shift.published_at = timezone.now() if _published_week(team, start) else None
    shift.save()
    return shift


@transaction.atomic
def shift_delete(*, shift: Shift, by: User, reason: str = "") -> None:
    shift = Shift.objects.select_for_update().select_related("worker", "team").get(pk=shift.pk)
    require_planner(by, shift.team)
    if shift.published_at and not reason.strip():
        raise RotaError(f"Say why: {shift.worker.display_name} will be told.")
    if shift.published_at:
        notify.shift_removed(shift=shift, reason=reason, by=by)
    shift.delete()


# --- patterns and generating visits ----------------------------------------------------------


@transaction.atomic
def pattern_create(
    *,
    person: Person,
    weekdays: str,
    starts_at: time,
    ends_at: time,
    care: str,
    by: User,
    workers_needed: int = 1,
    skills: Iterable[Skill] = (),
    valid_from: date | None = None,
    valid_until: date | None = None,
) -> VisitPattern:
    require_planner(by, person.team)
    pattern = VisitPattern(
        team_id=person.team_id,
        person=person,
        weekdays="".join(sorted(set(weekdays))),
        starts_at=starts_at,
        ends_at=ends_at,
        care=care.strip(),
        workers_needed=workers_needed,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
    )
    _validate_pattern(pattern)
    pattern.save()
    pattern.skills.set(skills)
    return pattern


def _validate_pattern(pattern: VisitPattern) -> None:
    if not pattern.weekdays or any(digit not in "1234567" for digit in pattern.weekdays):
        raise RotaError("Choose at least one day of the week.")
    if pattern.workers_needed not in (1, 2):
        raise RotaError("A visit needs one or two workers.")
    if pattern.starts_at == pattern.ends_at:
        raise RotaError("The end must be after the start.")
    if pattern.valid_until and pattern.valid_until < pattern.valid_from:
        raise RotaError("The last day cannot be before the first.")


@transaction.atomic
def pattern_update(
    *,
    pattern: VisitPattern,
    by: User,
    reason: str = "The regular visit changed.",
    now: datetime | None = None,
    **changes,
) -> VisitPattern:
    """Change a regular visit. Visits already generated change from now on only: past ones
    are what happened. Future visits on days the pattern no longer covers are cancelled
    (or removed, if nobody has been told of them yet); days it newly covers get visits from
    tomorrow to the end of the last week made from it."""
    pattern = VisitPattern.objects.select_for_update().select_related("team").get(pk=pattern.pk)
    require_planner(by, pattern.team)
    skills = changes.pop("skills", None)
    days_before = set(pattern.weekday_numbers)
    for name, value in changes.items():
        if name not in {
            "weekdays",
            "starts_at",
            "ends_at",
            "care",
            "workers_needed",
            "valid_until",
        }:
            raise RotaError(f"A pattern has no {name} to change.")
        setattr(pattern, name, value)
    pattern.weekdays = "".join(sorted(set(pattern.weekdays)))
    _validate_pattern(pattern)
    pattern.save()
    if skills is not None:
        pattern.skills.set(skills)
    now = now or timezone.now()
    future = list(
        pattern.visits.filter(start__gte=now, status=Visit.Status.PLANNED)
        .select_related("person")
        .prefetch_related("assignments__worker")
    )
    skill_list = list(pattern.skills.all())
    for visit in future:
        day = local_date(visit.start)
        workers = [a.worker for a in visit.assignments.all()]
        if not pattern.applies_on(day):
            if visit.is_published:
                visit.status, visit.reason = Visit.Status.CANCELLED, reason[:200]
                visit.save(update_fields=["status", "reason"])
                notify.visit_changed(
                    visit=visit, people=workers, what="It is cancelled.", reason=reason, by=by
                )
            else:
                visit.delete()
            continue
        start, end = local_span(day, pattern.starts_at, pattern.ends_at)
        moved = (start, end) != (visit.start, visit.end)
        visit.start, visit.end = start, end
        visit.care, visit.workers_needed = pattern.care, pattern.workers_needed
        visit.save(update_fields=["start", "end", "care", "workers_needed"])
        visit.skills.set(skill_list)
        if moved:
            visit.assignments.update(start=start, end=end)
            if visit.is_published:
                notify.visit_changed(
                    visit=visit,
                    people=workers,
                    what=f"It is now {time_of_day(timezone.localtime(start))} to "
                    f"{time_of_day(timezone.localtime(end))}.",
                    reason=reason,
                    by=by,
                )
    _generate_added_days(pattern, days_before=days_before, now=now, by=by)
    return pattern


def _generate_added_days(
    pattern: VisitPattern, *, days_before: set[int], now: datetime, by: User
) -> None:
    """A day added to a regular visit appears in the weeks already made from it, as far
    ahead as its visits go; further weeks get it when they are made."""
    if not set(pattern.weekday_numbers) - days_before:
        return
    last = pattern.visits.filter(start__gte=now).order_by("-start").values_list("start", flat=True)
    if not last:
        return
    first_day = max(local_date(now) + timedelta(days=1), pattern.valid_from)
    # To the end of the last week made: the rota is planned a week at a time.
    last_day = week_start(local_date(last[0])) + timedelta(days=6)
    if pattern.valid_until:
        last_day = min(last_day, pattern.valid_until)
    last_day = min(last_day, first_day + timedelta(days=92))
    if first_day <= last_day:
        visits_generate(
            team=pattern.team, first_day=first_day, last_day=last_day, by=by, pattern=pattern
        )


@transaction.atomic
def visits_generate(
    *,
    team: Team,
    first_day: date,
    last_day: date,
    by: User | None,
    pattern: VisitPattern | None = None,
) -> list[Visit]:
    """Make the visits the team's patterns (or one `pattern`) call for between two days (both
    included).

    Safe to run again over the same days: a pattern's visit on a day it already has is not
    made twice. Inserts in bulk, whatever the number of visits.
    """
    if by is not None:
        require_planner(by, team)
    if last_day < first_day:
        raise RotaError("The last day cannot be before the first.")
    if (last_day - first_day).days > 92:
        raise RotaError("Generate at most three months at a time.")
    patterns = VisitPattern.objects.filter(team=team, valid_from__lte=last_day)
    if pattern is not None:
        patterns = patterns.filter(pk=pattern.pk)
    patterns = list(
        patterns.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=first_day))
        .select_related("person")
        .prefetch_related("skills")
    )
    since, until = day_bounds(first_day, last_day + timedelta(days=1))
    existing = {
        (pattern_id, local_date(start))
        for pattern_id, start in Visit.objects.filter(team=team, pattern__in=patterns)
        .between(since, until)
        .values_list("pattern_id", "start")
    }
    published_weeks = set(
        RotaWeek.objects.filter(
            team=team,
            starts_on__gte=week_start(first_day),
            starts_on__lte=last_day,
            published_at__isnull=False,
        ).values_list("starts_on", flat=True)
    )
    now = timezone.now()
    new: list[Visit] = []
    skills_for: list[list[Skill]] = []
    day = first_day
    while day <= last_day:
        for pattern in patterns:
            if not pattern.applies_on(day) or (pattern.pk, day) in existing:
                continue
            if pattern.person.status == Person.Status.ENDED:
                continue
            published_at = now if week_start(day) in published_weeks else None
            new.append(pattern.visit_on(day, published_at=published_at))
            skills_for.append(list(pattern.skills.all()))
        day += timedelta(days=1)
    created = bulk_create_with_history(new, Visit, batch_size=500, default_user=by)
    through = Visit.skills.through
    through.objects.bulk_create(
        [
            through(visit_id=visit.pk, skill_id=skill.pk)
            for visit, skills in zip(created, skills_for, strict=True)
            for skill in skills
        ],
        batch_size=1000,
    )
    return created


# --- publishing ------------------------------------------------------------------------------


@transaction.atomic
def week_publish(*, team: Team, monday: date, by: User) -> RotaWeek:
    """Publish a week: the team's visits and shifts in it become the rota, and each member is
    sent their week."""
    require_planner(by, team)
    if monday.weekday() != 0:
        raise RotaError("A rota week starts on a Monday.")
    week, _ = RotaWeek.objects.select_for_update().get_or_create(team=team, starts_on=monday)
    if week.is_published:
        raise RotaConflict("This week is already published.")
    now = timezone.now()
    week.published_at, week.published_by = now, by
    week.save(update_fields=["published_at", "published_by"])
    since, until = week_bounds(monday)
    Visit.objects.filter(team=team).between(since, until).update(published_at=now)
    Shift.objects.filter(team=team).between(since, until).update(published_at=now)
    members = [
        m.user for m in Membership.objects.current().filter(team=team).select_related("user")
    ]
    visits_by_worker: dict[int, list[Visit]] = defaultdict(list)
    for assignment in (
        VisitAssignment.objects.filter(team=team, start__gte=since, start__lt=until)
        .exclude(visit__status=Visit.Status.CANCELLED)
        .select_related("visit__person")
        .order_by("start")
    ):
        visits_by_worker[assignment.worker_id].append(assignment.visit)
    shifts_by_worker: dict[int, list[Shift]] = defaultdict(list)
    for shift in Shift.objects.filter(team=team).between(since, until).order_by("start"):
        shifts_by_worker[shift.worker_id].append(shift)
    notify.week_published(
        week=week,
        weeks={
            member: (visits_by_worker[member.pk], shifts_by_worker[member.pk]) for member in members
        },
    )
    return week


# --- people's time -----------------------------------------------------------------------------


@transaction.atomic
def time_off_add(
    *,
    team: Team,
    worker: User,
    kind: str,
    first_day: date,
    last_day: date,
    by: User,
    note: str = "",
) -> TimeOff:
    """Record time off. The worker's planned visits in it lose them and are flagged, so the
    team sees the gaps to fill; their shifts in it are flagged by the checks."""
    if by.pk != worker.pk:
        require_planner(by, team)
    _require_member(team, worker)
    if last_day < first_day:
        raise RotaError("The last day cannot be before the first.")
    leave = TimeOff.objects.create(
        team=team, worker=worker, kind=kind, first_day=first_day, last_day=last_day, note=note
    )
    since, until = leave.bounds()
    assignments = list(
        VisitAssignment.objects.filter(worker=worker, team=team, start__lt=until, end__gt=since)
        .filter(visit__status=Visit.Status.PLANNED)
        .select_related("visit__person")
    )
    reason = f"{worker.display_name.split(' ')[0]} is {leave.away}."
    visits = [assignment.visit for assignment in assignments]
    VisitAssignment.objects.filter(pk__in=[a.pk for a in assignments]).delete()
    Visit.objects.filter(pk__in=[v.pk for v in visits]).update(reason=reason)
    notify.time_off_unassigned(
        member=worker,
        team=team,
        visits=[visit for visit in visits if visit.is_published],
        reason=reason,
    )
    return leave


@transaction.atomic
def time_off_remove(*, leave: TimeOff, by: User) -> None:
    if by.pk != leave.worker_id:
        require_planner(by, leave.team)
    leave.delete()


@transaction.atomic
def availability_set(
    *, membership: Membership, windows: Iterable[tuple[int, time, time]], by: User
) -> list[Availability]:
    """Replace a member's usual weekly availability (no windows: available any time)."""
    if by.pk != membership.user_id:
        require_planner(by, membership.team)
    rows = []
    for weekday, starts_at, ends_at in windows:
        if not 1 <= weekday <= 7:
            raise RotaError("Days are Monday to Sunday.")
        if starts_at == ends_at:
            raise RotaError("A window needs a start and an end that differ.")
        rows.append(
            Availability(
                membership=membership, weekday=weekday, starts_at=starts_at, ends_at=ends_at
            )
        )
    membership.availability.all().delete()
    return bulk_create_with_history(rows, Availability, default_user=by)


@transaction.atomic
def preference_set(
    *, person: Person, worker: User, kind: str | None, by: User, note: str = ""
) -> PersonPreference | None:
    """Record who a person would like to see, or not to be sent; `kind` None forgets it."""
    require_planner(by, person.team)
    if kind is None:
        PersonPreference.objects.filter(person=person, worker=worker).delete()
        return None
    if kind not in PersonPreference.Kind.values:
        raise RotaError("A preference is preferred or not to send.")
    _require_member(person.team, worker)
    preference, _ = PersonPreference.objects.update_or_create(
        person=person, worker=worker, defaults={"kind": kind, "note": note.strip()[:200]}
    )
    return preference


@transaction.atomic
def person_set_home(
    *,
    person: Person,
    by: User,
    address: str,
    postcode: str,
    latitude: Decimal | None,
    longitude: Decimal | None,
) -> Person:
    """Where a person lives: the rota shows the area and checks travel between homes."""
    require_planner(by, person.team)
    if (latitude is None) != (longitude is None):
        raise RotaError("Give both coordinates, or neither.")
    person.address, person.postcode = address.strip(), postcode.strip().upper()
    person.latitude, person.longitude = latitude, longitude
    person.save(update_fields=["address", "postcode", "latitude", "longitude"])
    return person


@transaction.atomic
def skills_set(*, membership: Membership, skills: Iterable[Skill], by: User) -> None:
    require_planner(by, membership.team)
    membership.skills.set(skills)


@transaction.atomic
def skill_add(*, team: Team, name: str, by: User) -> Skill:
    """A skill every team can then choose, so only someone who may plan `team`'s rota (as for
    `skills_set`) adds one."""
    require_planner(by, team)
    name = name.strip()
    if not name:
        raise RotaError("Give the skill a name.")
    existing = Skill.objects.filter(name__iexact=name).first()
    return existing or Skill.objects.create(name=name[:60])


@transaction.atomic
def rota_settings_update(
    *, team: Team, by: User, travel_speed_kmh: int, coordinators: Iterable[User]
) -> RotaSettings:
    require_planner(by, team)
    if not 3 <= travel_speed_kmh <= 80:
        raise RotaError("Give a speed between 3 and 80 km/h.")
    row, _ = RotaSettings.objects.get_or_create(team=team)
    row.travel_speed_kmh = travel_speed_kmh
    row.save(update_fields=["travel_speed_kmh"])
    chosen = list(coordinators)
    members = set(Membership.objects.current().filter(team=team).values_list("user_id", flat=True))
    if any(user.pk not in members for user in chosen):
        raise RotaError("Coordinators must be current members of the team.")
    row.coordinators.set(chosen)
    return row


# --- calendar feeds ----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user: User) -> tuple[CalendarFeed, str]:
    """Give the user a new private calendar address, ending any old one; returns the secret,
    which is shown once and never stored."""
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.create(
        user=user, token_hash=hashlib.sha256(token.encode()).hexdigest()
    )
    return feed, token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- suggestions -------------------------------------------------------------------------------


def familiarity(*, team: Team, until: datetime) -> dict[tuple[int, int], int]:
    """How many times each worker visited each of the team's people in the 4 weeks before
    `until`: the continuity the solver keeps. One query."""
    rows = (
        VisitAssignment.objects.filter(
            team=team, start__gte=until - timedelta(days=CONTINUITY_DAYS), start__lt=until
        )
        .exclude(visit__status__in=[Visit.Status.CANCELLED, Visit.Status.MISSED])
        .order_by()
        .values_list("visit__person_id", "worker_id")
        .annotate(times=Count("pk"))
    )
    return {(person_id, worker_id): times for person_id, worker_id, times in rows}


@transaction.atomic
def suggestion_create(
    *, team: Team, monday: date, by: User, seconds: float | None = None
) -> Suggestion:
    """Ask the solver to fill the week's open places, and keep its proposals for the team."""
    require_planner(by, team)
    since, until = week_bounds(monday)
    state = rota_state(team=team, since=since, until=until)
    now = timezone.now()
    outcome = solver.suggest(
        state,
        history=familiarity(team=team, until=max(since, min(now, until))),
        now=now,
        seconds=seconds if seconds is not None else settings.ROTA_SUGGEST_SECONDS,
        workers=settings.ROTA_SUGGEST_WORKERS,
    )
    suggestion = Suggestion.objects.create(
        team=team, week_starts_on=monday, created_by=by, summary=outcome.summary()
    )
    SuggestedAssignment.objects.bulk_create(
        SuggestedAssignment(
            suggestion=suggestion,
            visit_id=proposal.visit_id,
            worker_id=proposal.worker_id,
            explanation=proposal.explanation,
        )
        for proposal in outcome.proposals
    )
    return suggestion


@transaction.atomic
def suggestion_decide(
    *, suggestion: Suggestion, accept_ids: Iterable[int], by: User
) -> tuple[int, int]:
    """The team takes the proposals it wants (all, some or none). Each is checked again as it
    is taken, since the rota may have moved on; one that no longer fits is refused with its
    reason and the rest still go ahead. Returns (taken, refused)."""
    suggestion = Suggestion.objects.select_for_update().select_related("team").get(pk=suggestion.pk)
    require_planner(by, suggestion.team)
    if suggestion.status != Suggestion.Status.PROPOSED:
        raise RotaConflict("This suggestion has already been decided.")
    wanted = set(accept_ids)
    taken = refused = 0
    proposals = list(suggestion.proposals.select_related("visit", "worker").order_by("pk"))
    if wanted - {proposal.pk for proposal in proposals}:
        # Most likely a stale page or a typing slip: deciding on what was not meant is worse.
        raise RotaError("Choose from this suggestion's proposals.")
    for proposal in proposals:
        if proposal.pk not in wanted:
            proposal.decision = SuggestedAssignment.Decision.REJECTED
            continue
        try:
            with transaction.atomic():
                visit_assign(visit=proposal.visit, worker=proposal.worker, by=by)
        except RotaError as exc:
            proposal.decision = SuggestedAssignment.Decision.REJECTED
            proposal.refusal = str(exc)[:300]
            refused += 1
        else:
            proposal.decision = SuggestedAssignment.Decision.ACCEPTED
            taken += 1
    SuggestedAssignment.objects.bulk_update(proposals, ["decision", "refusal"])
    suggestion.status = Suggestion.Status.DECIDED
    suggestion.save(update_fields=["status"])
    return taken, refused
