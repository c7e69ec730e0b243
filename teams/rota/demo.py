"""The demo's rota: last week done, this week and next published, with the things a team meets
every week — a visit on offer, a swap done, a visit nobody can take yet, someone on holiday.

Run again, it changes nothing: every record is looked up before it is made, and generating
visits from the regular patterns skips days already made.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from wellbeing.demo import DemoContext, email_for

from ..demo import MEMBERS, PEOPLE
from ..models import Membership, Person, Team
from . import services, swaps
from .checks import rota_state
from .clock import local_date, local_span, week_bounds, week_start
from .models import (
    Offer,
    PersonPreference,
    RotaWeek,
    Shift,
    Skill,
    TimeOff,
    Visit,
    VisitAssignment,
    VisitPattern,
)
from .services import RotaError
from .solver import greedy, prepare

# Made-up homes around each team's patch: (address, postcode, latitude, longitude).
HOMES = [
    ("14 Elm Road\n{area}", "B31 2LT", 52.4120, -1.9710),
    ("3 Orchard Close\n{area}", "B31 4QP", 52.4046, -1.9655),
    ("Flat 2, 61 Bristol Road\n{area}", "B31 2UA", 52.4168, -1.9782),
    ("27 Mill Lane\n{area}", "B31 5RS", 52.3988, -1.9830),
]
# Each person's regular visits: (weekdays, starts, ends, what for, workers, skills).
PATTERNS = [
    [
        ("1234567", time(8), time(8, 45), "Breakfast and morning medication", 1, ["Medication"]),
        ("1234567", time(12, 30), time(13), "Lunch and a chat", 1, []),
        ("1234567", time(18), time(18, 45), "Tea and evening medication", 1, ["Medication"]),
    ],
    [
        ("135", time(9, 30), time(10, 30), "Getting up, wash and dress", 2, ["Hoist"]),
        ("135", time(19, 30), time(20, 15), "Getting ready for bed", 2, ["Hoist"]),
    ],
    [
        ("1234567", time(7, 30), time(8, 15), "Breakfast, prompt to take tablets", 1, []),
        ("1234567", time(20), time(20, 30), "Evening visit: supper and settle", 1, []),
    ],
    [
        ("24", time(14), time(15), "Shopping and a walk to the park", 1, []),
        ("6", time(10), time(11), "Coffee morning at the community centre", 1, []),
    ],
]
SKILLS = ["Medication", "Hoist", "Dementia care"]


def first_day_planned(today: date) -> date:
    """The first day of the demo's rota: the Monday of last week."""
    return week_start(today) - timedelta(days=7)


def seed_rota(context: DemoContext) -> None:
    today = timezone.localdate()
    this_monday = week_start(today)
    skills = {name: Skill.objects.get_or_create(name=name)[0] for name in SKILLS}
    for team in Team.objects.filter(
        organisation=context.organisation, name__in=list(MEMBERS)
    ).order_by("name"):
        _seed_team(team, context, skills, this_monday, today)


def _seed_team(team: Team, context: DemoContext, skills, this_monday: date, today: date) -> None:
    planner = team.coach or context.admin
    memberships = list(
        Membership.objects.current()
        .filter(team=team, user__email__in=[email_for(n) for n in MEMBERS[team.name]])
        .select_related("user")
        .order_by("joined")
    )
    if len(memberships) < 4:
        return
    workers = [m.user for m in memberships]
    for index, membership in enumerate(memberships):
        held = [skills["Medication"]] + ([skills["Hoist"]] if index % 2 == 0 else [])
        membership.skills.add(*held)
    people = list(
        Person.objects.filter(team=team, name__in=[n for n, _ in PEOPLE[team.name]]).order_by(
            "started"
        )
    )
    area = team.locality.split(" and ")[0]
    for person, (address, postcode, lat, lon) in zip(people, HOMES, strict=False):
        if not person.address:
            person.address = address.format(area=area)
            person.postcode, person.latitude, person.longitude = (
                postcode,
                Decimal(str(lat)),
                Decimal(str(lon)),
            )
            person.save(update_fields=["address", "postcode", "latitude", "longitude"])
    for person, rows in zip(people, PATTERNS, strict=False):
        for weekdays, starts, ends, care, needed, needs in rows:
            pattern, created = VisitPattern.objects.get_or_create(
                team=team,
                person=person,
                starts_at=starts,
                defaults={
                    "weekdays": weekdays,
                    "ends_at": ends,
                    "care": care,
                    "workers_needed": needed,
                    "valid_from": this_monday - timedelta(days=28),
                },
            )
            if created:
                pattern.skills.set([skills[name] for name in needs])
    PersonPreference.objects.get_or_create(
        person=people[0],
        worker=workers[0],
        defaults={"kind": PersonPreference.Kind.PREFERRED, "note": "Knows her family well"},
    )
    PersonPreference.objects.get_or_create(
        person=people[1],
        worker=workers[3],
        defaults={"kind": PersonPreference.Kind.NOT_TO_SEND, "note": "Asked for someone else"},
    )
    last_monday = first_day_planned(today)
    next_monday = this_monday + timedelta(days=7)
    # Someone on holiday next week (before any assigning, so nobody books them).
    TimeOff.objects.get_or_create(
        team=team,
        worker=workers[3],
        kind=TimeOff.Kind.HOLIDAY,
        first_day=next_monday + timedelta(days=2),
        defaults={"last_day": next_monday + timedelta(days=4), "note": "Family wedding"},
    )
    services.visits_generate(
        team=team, first_day=last_monday, last_day=next_monday + timedelta(days=6), by=None
    )
    _team_meeting(team, workers, this_monday)
    # One visit nobody is booked on yet: a Saturday coffee morning next week.
    gap = (
        Visit.objects.filter(team=team, person=people[3])
        .between(*week_bounds(next_monday))
        .filter(start__gte=local_span(next_monday + timedelta(days=5), time(), time(1))[0])
        .first()
    )
    for monday in (last_monday, this_monday, next_monday):
        _fill_week(team, monday, skip={gap.pk} if gap else set())
    _mark_done(team, last_monday, today)
    for monday in (this_monday, next_monday):
        if not RotaWeek.objects.filter(team=team, starts_on=monday, published_at__isnull=False):
            services.week_publish(team=team, monday=monday, by=planner)
    _offer_and_swap(team, workers, next_monday)


def _team_meeting(team: Team, workers, monday: date) -> None:
    start, end = local_span(monday + timedelta(days=2), time(15), time(16))
    for worker in workers:
        Shift.objects.get_or_create(
            team=team,
            worker=worker,
            start=start,
            defaults={"end": end, "kind": Shift.Kind.MEETING, "note": "Weekly team meeting"},
        )


def _fill_week(team: Team, monday: date, skip: set[int]) -> None:
    """Book workers as a careful team would (the solver's greedy pass), rules and all."""
    since, until = week_bounds(monday)
    state = rota_state(team=team, since=since, until=until)
    state.visits = [visit for visit in state.visits if visit.pk not in skip]
    history = services.familiarity(team=team, until=since)
    problem = prepare(state, history=history, now=since - timedelta(seconds=1))
    chosen = greedy(problem)
    by_id = {visit.pk: visit for visit in problem.visits}
    VisitAssignment.objects.bulk_create(
        VisitAssignment(
            visit=by_id[visit_id],
            worker_id=worker_id,
            team=team,
            start=by_id[visit_id].start,
            end=by_id[visit_id].end,
        )
        for visit_id, worker_ids in chosen.items()
        for worker_id in worker_ids
    )


def _mark_done(team: Team, since_monday: date, today: date) -> None:
    """Visits before today went ahead; today's wait for their workers to say so."""
    start = week_bounds(since_monday)[0]
    end = local_span(today, time(), time(1))[0]
    Visit.objects.filter(
        team=team, start__gte=start, start__lt=end, status=Visit.Status.PLANNED
    ).update(status=Visit.Status.DONE)


@transaction.atomic
def visits_done_before_the_rota(*, person: Person, since: date, today: date) -> None:
    """The person's regular visits from `since` up to the rota's first day, done by the
    workers they know best: history for pages that look back further than last week (an
    Individual Service Fund's statements). Days that have visits already are left alone."""
    until = first_day_planned(today)
    if since >= until:
        return
    preferred = set(
        PersonPreference.objects.filter(
            person=person, kind=PersonPreference.Kind.PREFERRED
        ).values_list("worker_id", flat=True)
    )
    workers = sorted(
        Membership.objects.current().filter(team=person.team).values_list("user_id", "joined"),
        key=lambda row: (row[0] not in preferred, row[1]),
    )
    start, end = (local_span(day, time(), time(1))[0] for day in (since, until))
    starts = person.visits.between(start, end).values_list("start", flat=True)
    had = {local_date(at) for at in starts}
    patterns = list(
        VisitPattern.objects.filter(person=person).select_related("person").order_by("starts_at")
    )
    made = []
    day = since
    while day < until:
        if day not in had:
            for pattern in patterns:
                # Before the pattern's first day too: the demo's history is older than its rota.
                if day.isoweekday() in pattern.weekday_numbers:
                    made.append(pattern.visit_on(day, status=Visit.Status.DONE))
        day += timedelta(days=1)
    Visit.objects.bulk_create(made)
    VisitAssignment.objects.bulk_create(
        VisitAssignment(
            visit=visit, worker_id=worker_id, team=visit.team, start=visit.start, end=visit.end
        )
        for visit in made
        for worker_id, _ in workers[: visit.workers_needed]
    )


def _offer_and_swap(team: Team, workers, next_monday: date) -> None:
    now = timezone.now()
    upcoming = (
        VisitAssignment.objects.filter(team=team, start__gt=now + timedelta(hours=2))
        .select_related("visit__person", "visit__team", "worker")
        .order_by("start")
    )
    if not Offer.objects.filter(team=team, status=Offer.Status.ACCEPTED).exists():
        _swap(upcoming.filter(worker=workers[2], start__gte=week_bounds(next_monday)[0]), workers)
    if not Offer.objects.filter(team=team, status=Offer.Status.OPEN).exists():
        for assignment in upcoming.filter(worker=workers[1])[:20]:
            try:
                swaps.offer_make(
                    by=workers[1],
                    visit=assignment.visit,
                    note="Dentist appointment — can anyone take this?",
                )
            except RotaError:
                continue
            break


def _swap(assignments, workers) -> None:
    """A member offers a visit to a colleague, who takes it (the first pair the rules allow)."""
    for assignment in assignments[:30]:
        for taker in (workers[0], workers[1]):
            try:
                with transaction.atomic():
                    offer = swaps.offer_make(by=assignment.worker, visit=assignment.visit, to=taker)
                    swaps.offer_accept(offer=offer, by=taker)
            except RotaError:
                continue
            return
