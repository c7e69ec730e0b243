"""Benchmark "Suggest a rota" against a simple greedy pass on one realistic week.

Run with `make bench` (after the page timings). It builds a throwaway SQLite database (or
BENCH_ROTA_DATABASE_URL) with a team of 12, 45 people and about 600 visits a week from their
regular patterns, four weeks of history for continuity, skills, availability, preferences and
a holiday; then fills the week's open places twice — greedily and with the CP-SAT solver — and
prints how long the solver took to a first and to its final suggestion, and the continuity and
hours figures of each. Speed is measured here, never asserted in tests.

`seed_week(team)` is also used by bench/run.py to give the busiest rota pages a full week.
"""

from __future__ import annotations

import os
import random
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if __name__ == "__main__":
    database = os.environ.get(
        "BENCH_ROTA_DATABASE_URL", "sqlite:////tmp/wellbeing-rota-bench.sqlite3"
    )
    if database.startswith("sqlite:////"):
        Path(database.removeprefix("sqlite:///")).unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")

    import django

    django.setup()

SOLVER_SECONDS = float(os.environ.get("BENCH_SOLVER_SECONDS", "30"))
SOLVER_WORKERS = int(os.environ.get("BENCH_SOLVER_WORKERS", "2"))
CONTRACTS = [37.5, 37.5, 37.5, 37.5, 37.5, 37.5, 37.5, 37.5, 30, 30, 24, 24]
# Each person's day, chosen from these visit shapes: (start, minutes, needs two, skill).
SHAPES = [
    (time(7, 30), 45, False, "Medication"),
    (time(8, 15), 30, False, ""),
    (time(9), 45, True, "Hoist"),
    (time(10, 30), 30, False, ""),
    (time(12), 30, False, "Medication"),
    (time(13), 30, False, ""),
    (time(16, 30), 30, False, ""),
    (time(17, 30), 45, False, "Medication"),
    (time(19), 30, False, ""),
    (time(20, 30), 30, False, ""),
    (time(21, 30), 30, False, "Medication"),
]


def seed_week(team, *, monday: date | None = None) -> date:
    """A full published week for one team: two visits a day for each person, with workers."""
    from django.utils import timezone

    from teams.models import Membership, Visit, VisitAssignment
    from teams.rota.clock import local_span, week_start

    monday = monday or week_start(timezone.localdate())
    workers = [
        m.user for m in Membership.objects.current().filter(team=team).select_related("user")
    ]
    visits, assignments = [], []
    now = timezone.now()
    for day in range(7):
        for index, person in enumerate(team.people.all()):
            for hour in (8, 17):
                start, end = local_span(
                    monday + timedelta(days=day), time(hour, index % 4 * 10), time(hour, 45)
                )
                visits.append(
                    Visit(
                        team=team,
                        person=person,
                        start=start,
                        end=end,
                        care="Bench visit",
                        published_at=now,
                    )
                )
    Visit.objects.bulk_create(visits)
    for number, visit in enumerate(visits):
        worker = workers[number % len(workers)]
        assignments.append(
            VisitAssignment(visit=visit, worker=worker, team=team, start=visit.start, end=visit.end)
        )
    VisitAssignment.objects.bulk_create(assignments)
    return monday


def build(rng: random.Random):
    from django.core.management import call_command
    from django.utils import timezone

    from teams.models import PersonPreference, Skill, TimeOff, VisitPattern
    from teams.rota import services
    from teams.rota.clock import week_start
    from tests import factories

    call_command("migrate", verbosity=0)
    team = factories.TeamFactory(name="Bench rota team")
    memberships = [
        factories.MembershipFactory(team=team, contracted_hours=Decimal(str(hours)))
        for hours in CONTRACTS
    ]
    skills = {name: Skill.objects.create(name=name) for name in ("Medication", "Hoist")}
    for index, membership in enumerate(memberships):
        if index % 4 != 3:
            skills["Medication"].holders.add(membership)
        if index % 2 == 0:
            skills["Hoist"].holders.add(membership)
        if index in (9, 10):
            # Two members work days only.
            for weekday in range(1, 8):
                membership.availability.create(weekday=weekday, starts_at=time(7), ends_at=time(15))
    this_monday = week_start(timezone.localdate())
    target = this_monday + timedelta(days=7)
    people = []
    for number in range(45):
        person = factories.PersonFactory(
            team=team,
            latitude=Decimal(str(round(52.40 + rng.uniform(-0.03, 0.03), 5))),
            longitude=Decimal(str(round(-1.97 + rng.uniform(-0.05, 0.05), 5))),
        )
        people.append(person)
        shapes = rng.sample(SHAPES, k=rng.choice([1, 2, 2, 3, 3]))
        for usual, minutes, two, skill in shapes:
            # Homes are visited at staggered times, as a real round is planned.
            begins = datetime.combine(target, usual) + timedelta(minutes=rng.randrange(-45, 50, 5))
            start, end = begins.time(), (begins + timedelta(minutes=minutes)).time()
            pattern = VisitPattern.objects.create(
                team=team,
                person=person,
                weekdays="1234567" if rng.random() < 0.8 else "135",
                starts_at=start,
                ends_at=end,
                care=f"Visit {number}",
                workers_needed=2 if two else 1,
                valid_from=target - timedelta(days=35),
            )
            if skill:
                pattern.skills.add(skills[skill])
        if number % 5 == 0:
            PersonPreference.objects.create(
                person=person, worker=rng.choice(memberships).user, kind="preferred"
            )
        if number % 9 == 0:
            PersonPreference.objects.create(
                person=person, worker=memberships[-1].user, kind="not_to_send"
            )
    TimeOff.objects.create(
        team=team,
        worker=memberships[0].user,
        first_day=target + timedelta(days=1),
        last_day=target + timedelta(days=2),
    )
    services.visits_generate(
        team=team,
        first_day=target - timedelta(days=28),
        last_day=target + timedelta(days=6),
        by=None,
    )
    return team, target


def fill_history(team, target):
    """Four weeks before the target week, filled greedily, as the team's past."""
    from teams.models import VisitAssignment
    from teams.rota.checks import rota_state
    from teams.rota.clock import week_bounds
    from teams.rota.services import familiarity
    from teams.rota.solver import greedy, prepare

    for weeks_back in range(4, 0, -1):
        monday = target - timedelta(weeks=weeks_back)
        since, until = week_bounds(monday)
        state = rota_state(team=team, since=since, until=until)
        problem = prepare(
            state, history=familiarity(team=team, until=since), now=since - timedelta(seconds=1)
        )
        chosen = greedy(problem)
        by_id = {visit.pk: visit for visit in problem.visits}
        VisitAssignment.objects.bulk_create(
            VisitAssignment(
                visit=by_id[v], worker_id=w, team=team, start=by_id[v].start, end=by_id[v].end
            )
            for v, workers in chosen.items()
            for w in workers
        )


def main() -> None:
    from teams.models import Visit
    from teams.rota.checks import rota_state
    from teams.rota.clock import week_bounds
    from teams.rota.services import familiarity
    from teams.rota.solver import greedy, measure, prepare, solve

    rng = random.Random(2026)  # noqa: S311 - made-up data, the same every run
    started = clock.perf_counter()
    team, target = build(rng)
    fill_history(team, target)
    since, until = week_bounds(target)
    visits = Visit.objects.filter(team=team).between(since, until).count()
    print(
        f"\nSuggest a rota: team of 12, 45 people, {visits} visits in the week of {target} "
        f"(built in {clock.perf_counter() - started:.0f} s)"
    )
    started = clock.perf_counter()
    state = rota_state(team=team, since=since, until=until)
    problem = prepare(
        state, history=familiarity(team=team, until=since), now=since - timedelta(seconds=1)
    )
    prepared = clock.perf_counter() - started
    places = sum(problem.slots_needed.values())
    print(
        f"  open places {places}; rules read and eligible pairs found in {prepared:.2f} s "
        f"({sum(len(w) for w in problem.eligible.values())} pairs, {len(problem.clashes)} clashes)"
    )
    started = clock.perf_counter()
    baseline = greedy(problem)
    greedy_seconds = clock.perf_counter() - started
    started = clock.perf_counter()
    chosen = solve(problem, seconds=SOLVER_SECONDS, workers=SOLVER_WORKERS)
    solver_seconds = clock.perf_counter() - started
    final = problem.solutions[-1] if problem.solutions else (0.0, 0.0)
    near = next(
        (t for t, value in problem.solutions if value >= final[1] - abs(final[1]) * 0.001),
        final[0],
    )
    first = problem.first_solution_seconds or 0.0
    status = problem.solver_status.lower()
    print(f"  solver ({SOLVER_WORKERS} threads, limit {SOLVER_SECONDS:.0f} s): {status}")
    print(f"    first feasible suggestion {first:.2f} s after the search began")
    print(f"    within 0.1% of its final objective at {near:.2f} s")
    print(f"    final suggestion {solver_seconds:.2f} s (model built and solved), ", end="")
    print(f"{len(problem.solutions)} improving solutions")
    print(f"  greedy baseline: {greedy_seconds:.2f} s")
    rows = [("greedy", measure(problem, baseline)), ("solver", measure(problem, chosen))]
    header = ("", "filled", "familiar", "workers/person", "hours off contract", "worst")
    print("  {:<8} {:>8} {:>9} {:>15} {:>19} {:>7}".format(*header))
    for name, figures in rows:
        print(
            f"  {name:<8} {figures['filled']:>4}/{places:<3} {figures['familiar_share']:>9.1%} "
            f"{figures['workers_per_person']:>15.2f} {figures['hours_off_contract_mean']:>17.2f} h "
            f"{figures['hours_off_contract_max']:>5.1f} h"
        )
    print("  familiar: share of places filled by a worker who visited the person in 4 weeks;")
    print("  workers/person: different workers each person sees this week (fewer is better);")
    print("  hours off contract: mean and worst distance of a member's week from their contract.")


if __name__ == "__main__":
    main()
