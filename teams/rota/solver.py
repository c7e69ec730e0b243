"""Suggest who could fill a week's open visits, with OR-Tools' CP-SAT constraint solver.

The hard rules are the checks the team sees (checks.py, rules.py): skills, time off, "not to
send", usual availability, no double booking, travel time between homes, 11 hours' rest between
working days, the 48-hour average, and two workers on a two-worker visit. Within them the
solver fills as many places as it can and then prefers, in this order: workers the person
knows and prefers (continuity of care), hours close to each member's contract, and short hops
between homes. Each proposal says in plain words why that worker.

The software suggests; the team decides (services.suggestion_decide).

A simple greedy pass (`greedy`) is both the solver's starting point and the baseline the
benchmark compares it with.
"""

from __future__ import annotations

import os
import time as clock
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from ortools.sat.python import cp_model

from .checks import Member, RotaState, visit_item
from .models import PersonPreference, Visit
from .rules import (
    AVERAGE_WEEK_LIMIT,
    REFERENCE_WEEKS,
    REST_BETWEEN_DAYS,
    WorkItem,
    distance_km,
    hours_text,
    overlaps,
    rest_conflict,
    travel_conflict,
)

# Weights of the objective, largest first: a filled place outweighs everything else, then a
# familiar face, then fair hours, then travel.
FILL = 100_000
# Every different worker a person sees this week costs; one they have not seen in 4 weeks
# costs twice.
FACE = 1_500
NEW_FACE = 1_500
PREFERRED = 600
FAMILIAR_PER_VISIT = 50
FAMILIAR_CAP = 10
HOURS_OVER_PER_MINUTE = 2
HOURS_UNDER_PER_MINUTE = 1
TRAVEL_PER_KM = 10
# Hops between visits this close together count towards travel.
HOP_WINDOW = timedelta(minutes=20)
HOP_SHORTEST_KM = 0.5


@dataclass(frozen=True)
class Slot:
    """One open place on a visit (a two-worker visit with nobody has two)."""

    visit: Visit
    index: int


@dataclass
class Proposal:
    visit_id: int
    worker_id: int
    explanation: str


@dataclass
class Outcome:
    proposals: list[Proposal]
    unfilled_visit_ids: list[int]
    status: str
    seconds: float
    first_solution_seconds: float | None
    places: int
    filled: int
    metrics: dict = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "status": self.status,
            "seconds": round(self.seconds, 2),
            "first_solution_seconds": (
                round(self.first_solution_seconds, 2)
                if self.first_solution_seconds is not None
                else None
            ),
            "places": self.places,
            "filled": self.filled,
            "unfilled_visit_ids": self.unfilled_visit_ids,
            **self.metrics,
        }


@dataclass
class Problem:
    """The week as the solver sees it: open places, who may fill each, and what clashes."""

    state: RotaState
    history: dict[tuple[int, int], int]
    now: datetime
    visits: list[Visit] = field(default_factory=list)
    slots_needed: dict[int, int] = field(default_factory=dict)
    # (visit id, worker id) pairs that break no rule against the fixed rota.
    eligible: dict[int, list[int]] = field(default_factory=dict)
    # Minutes each worker already has this week, and their room under the 48-hour average.
    fixed_minutes: dict[int, int] = field(default_factory=dict)
    room_minutes: dict[int, int] = field(default_factory=dict)
    # Pairs of open visits one worker cannot both do: (visit a, visit b, worker ids).
    clashes: list[tuple[int, int, list[int]]] = field(default_factory=list)
    # Pairs close in time at different homes: (visit a, visit b, km, worker ids).
    hops: list[tuple[int, int, float, list[int]]] = field(default_factory=list)
    solver_status: str = "NOTHING_TO_DO"
    first_solution_seconds: float | None = None
    # (seconds since the search began, objective) of each better solution found.
    solutions: list[tuple[float, float]] = field(default_factory=list)

    @property
    def members(self) -> dict[int, Member]:
        return self.state.members

    def familiarity(self, person_id: int, worker_id: int) -> int:
        return self.history.get((person_id, worker_id), 0)

    def preferred(self, person_id: int, worker_id: int) -> bool:
        return self.state.preferences.get((person_id, worker_id)) == PersonPreference.Kind.PREFERRED


def minutes(visit: Visit) -> int:
    return int((visit.end - visit.start).total_seconds() // 60)


def prepare(state: RotaState, *, history: dict[tuple[int, int], int], now: datetime) -> Problem:
    """Work out the open places and every (visit, worker) pair the rules allow."""
    problem = Problem(state=state, history=history, now=now)
    for visit in state.visits:
        if visit.status != Visit.Status.PLANNED or visit.start <= now:
            continue
        open_places = visit.workers_needed - len(visit.assignments.all())
        if open_places <= 0:
            continue
        problem.visits.append(visit)
        problem.slots_needed[visit.pk] = open_places
        on_it = {a.worker_id for a in visit.assignments.all()}
        problem.eligible[visit.pk] = [
            worker_id
            for worker_id in state.members
            if worker_id not in on_it
            and not state.assignment_problems(visit, worker_id, check_timing=True)
        ]
    monday_items = _week_items(state)
    for worker_id in state.members:
        problem.fixed_minutes[worker_id] = sum(
            int((item.end - item.start).total_seconds() // 60) for item in monday_items[worker_id]
        )
        used = int(state.reference_hours.get(worker_id, Decimal(0)) * 60)
        problem.room_minutes[worker_id] = max(
            int(AVERAGE_WEEK_LIMIT * REFERENCE_WEEKS * 60) - used, 0
        )
    _find_clashes(problem)
    return problem


def _week_items(state: RotaState) -> dict[int, list[WorkItem]]:
    found: dict[int, list[WorkItem]] = defaultdict(list)
    for worker_id, items in state.items.items():
        found[worker_id] = [item for item in items if state.since <= item.start < state.until]
    return found


def _find_clashes(problem: Problem) -> None:
    visits = sorted(problem.visits, key=lambda visit: visit.start)
    speed = problem.state.speed_kmh
    horizon = REST_BETWEEN_DAYS + timedelta(hours=1)
    for index, first in enumerate(visits):
        first_workers = set(problem.eligible[first.pk])
        if not first_workers:
            continue
        for then in visits[index + 1 :]:
            if then.start >= first.end + horizon:
                break
            both = sorted(first_workers.intersection(problem.eligible[then.pk]))
            if not both:
                continue
            a, b = visit_item(first, 0), visit_item(then, 0)
            later = (a, b) if a.start <= b.start else (b, a)
            clash = (
                overlaps(a, b)
                or travel_conflict(*later, speed) is not None
                or rest_conflict(*later) is not None
            )
            if clash:
                problem.clashes.append((first.pk, then.pk, both))
            elif (
                a.place
                and b.place
                and timedelta(0) <= then.start - first.end <= HOP_WINDOW
                and distance_km(a.place, b.place) >= HOP_SHORTEST_KM
            ):
                problem.hops.append((first.pk, then.pk, distance_km(a.place, b.place), both))


def greedy(problem: Problem) -> dict[int, list[int]]:
    """Fill places one at a time in time order, each with an eligible worker the person
    prefers, else one they know, choosing whoever is furthest under their contract.

    What a careful person would do with a pencil; it never undoes a choice to make room for a
    better one, which is where the solver does better."""
    chosen: dict[int, list[int]] = defaultdict(list)
    minutes_of = dict(problem.fixed_minutes)
    taken: dict[int, set[int]] = defaultdict(set)
    clash_with: dict[tuple[int, int], set[int]] = defaultdict(set)
    for a, b, workers in problem.clashes:
        for worker_id in workers:
            clash_with[(worker_id, a)].add(b)
            clash_with[(worker_id, b)].add(a)
    for visit in sorted(problem.visits, key=lambda v: v.start):
        for _ in range(problem.slots_needed[visit.pk]):
            best, best_key = None, None
            for worker_id in problem.eligible[visit.pk]:
                if worker_id in chosen[visit.pk]:
                    continue
                if clash_with[(worker_id, visit.pk)] & taken[worker_id]:
                    continue
                if minutes_of[worker_id] + minutes(visit) > problem.room_minutes[worker_id]:
                    continue
                contract = float(problem.members[worker_id].contracted_hours) * 60 or 1.0
                key = (
                    problem.preferred(visit.person_id, worker_id),
                    problem.familiarity(visit.person_id, worker_id) > 0,
                    -minutes_of[worker_id] / contract,
                )
                if best_key is None or key > best_key:
                    best, best_key = worker_id, key
            if best is None:
                break
            chosen[visit.pk].append(best)
            taken[best].add(visit.pk)
            minutes_of[best] += minutes(visit)
    return dict(chosen)


def consolidate(problem: Problem, chosen: dict[int, list[int]]) -> dict[int, list[int]]:
    """Improve a choice's continuity without filling fewer places: move each person's visits
    to the workers who already have most of them this week, wherever the rules allow.

    Gives the solver a starting point that is already both full and familiar; the solver
    then looks for what moves one at a time cannot find."""
    chosen = {visit_id: list(workers) for visit_id, workers in chosen.items()}
    visit_by_id = {visit.pk: visit for visit in problem.visits}
    clash_with: dict[tuple[int, int], set[int]] = defaultdict(set)
    for a, b, workers in problem.clashes:
        for worker_id in workers:
            clash_with[(worker_id, a)].add(b)
            clash_with[(worker_id, b)].add(a)
    taken: dict[int, set[int]] = defaultdict(set)
    minutes_of = dict(problem.fixed_minutes)
    for visit_id, workers in chosen.items():
        for worker_id in workers:
            taken[worker_id].add(visit_id)
            minutes_of[worker_id] += minutes(visit_by_id[visit_id])
    by_person: dict[int, list[int]] = defaultdict(list)
    for visit in problem.visits:
        by_person[visit.person_id].append(visit.pk)
    for _ in range(3):
        moved = False
        for visit_ids in by_person.values():
            counts: dict[int, int] = defaultdict(int)
            for visit_id in visit_ids:
                for worker_id in chosen.get(visit_id, []):
                    counts[worker_id] += 1
            ranked = sorted(counts, key=lambda w: (-counts[w], w))
            for visit_id in visit_ids:
                for index, worker_id in enumerate(list(chosen.get(visit_id, []))):
                    for better in ranked:
                        if counts[better] <= counts[worker_id]:
                            break
                        length = minutes(visit_by_id[visit_id])
                        if (
                            better in chosen[visit_id]
                            or better not in problem.eligible[visit_id]
                            or clash_with[(better, visit_id)] & taken[better]
                            or minutes_of[better] + length > problem.room_minutes[better]
                        ):
                            continue
                        chosen[visit_id][index] = better
                        taken[worker_id].discard(visit_id)
                        taken[better].add(visit_id)
                        minutes_of[worker_id] -= length
                        minutes_of[better] += length
                        counts[worker_id] -= 1
                        counts[better] += 1
                        moved = True
                        break
        if not moved:
            break
    return chosen


class _SolutionLog(cp_model.CpSolverSolutionCallback):
    """Notes when each better solution arrives: how fast a first one, and the best, come."""

    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.solutions: list[tuple[float, float]] = []

    def on_solution_callback(self) -> None:
        self.solutions.append((clock.perf_counter() - self.started, self.ObjectiveValue()))


def solve(
    problem: Problem, *, seconds: float = 10.0, workers: int = 2, hint: bool = True
) -> dict[int, list[int]]:
    """The solver's choice of workers for each open visit. Never worse than the greedy pass
    it starts from (given as a complete hint, so a first solution is there at once); stops
    at the time limit with the best found so far."""
    start = consolidate(problem, greedy(problem)) if hint else {}
    picked = {(v, w) for v, workers_on in start.items() for w in workers_on}
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}

    def boolean(name: str, value: bool) -> cp_model.IntVar:
        var = model.NewBoolVar(name)
        if hint:
            model.AddHint(var, value)
        return var

    for visit in problem.visits:
        for worker_id in problem.eligible[visit.pk]:
            x[(visit.pk, worker_id)] = boolean(
                f"x_{visit.pk}_{worker_id}", (visit.pk, worker_id) in picked
            )
        choices = [x[(visit.pk, w)] for w in problem.eligible[visit.pk]]
        if choices:
            model.Add(sum(choices) <= problem.slots_needed[visit.pk])
    for a, b, workers_both in problem.clashes:
        for worker_id in workers_both:
            model.AddBoolOr([x[(a, worker_id)].Not(), x[(b, worker_id)].Not()])
    visit_by_id = {visit.pk: visit for visit in problem.visits}
    objective = []
    for worker_id, member in problem.members.items():
        terms = [(minutes(visit_by_id[v]), var) for (v, w), var in x.items() if w == worker_id]
        planned = sum(weight * var for weight, var in terms) if terms else 0
        model.Add(planned <= problem.room_minutes[worker_id])
        contract = int(member.contracted_hours * 60)
        fixed = problem.fixed_minutes[worker_id]
        hinted = fixed + sum(minutes(visit_by_id[v]) for v, w in picked if w == worker_id)
        over = model.NewIntVar(0, 7 * 24 * 60, f"over_{worker_id}")
        under = model.NewIntVar(0, 7 * 24 * 60, f"under_{worker_id}")
        if hint:
            model.AddHint(over, max(hinted - contract, 0))
            model.AddHint(under, max(contract - hinted, 0))
        model.Add(fixed + planned - contract <= over)
        model.Add(contract - fixed - planned <= under)
        objective += [-HOURS_OVER_PER_MINUTE * over, -HOURS_UNDER_PER_MINUTE * under]
    # Continuity: each face the person sees costs, a new one more; visits by someone they
    # know well or prefer earn a little.
    faces: dict[tuple[int, int], list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for (visit_id, worker_id), var in x.items():
        person_id = visit_by_id[visit_id].person_id
        faces[(person_id, worker_id)].append((visit_id, var))
        known = min(problem.familiarity(person_id, worker_id), FAMILIAR_CAP)
        preferred = PREFERRED if problem.preferred(person_id, worker_id) else 0
        objective.append((FILL + FAMILIAR_PER_VISIT * known + preferred) * var)
    for (person_id, worker_id), entries in faces.items():
        face = boolean(
            f"face_{person_id}_{worker_id}", any((v, worker_id) in picked for v, _ in entries)
        )
        model.AddMaxEquality(face, [var for _, var in entries])
        known = problem.familiarity(person_id, worker_id) > 0
        objective.append(-(FACE if known else FACE + NEW_FACE) * face)
    for a, b, km, workers_both in problem.hops:
        for worker_id in workers_both:
            hop = boolean(
                f"hop_{a}_{b}_{worker_id}", (a, worker_id) in picked and (b, worker_id) in picked
            )
            model.AddBoolOr([x[(a, worker_id)].Not(), x[(b, worker_id)].Not(), hop])
            objective.append(-int(TRAVEL_PER_KM * km) * hop)
    model.Maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 7
    solver.parameters.log_search_progress = bool(os.environ.get("ROTA_SOLVER_LOG"))
    started = clock.perf_counter()
    callback = _SolutionLog(started)
    status = solver.Solve(model, callback)
    problem.solver_status = solver.StatusName(status)
    problem.solutions = callback.solutions
    problem.first_solution_seconds = callback.solutions[0][0] if callback.solutions else None
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return start
    chosen: dict[int, list[int]] = defaultdict(list)
    for (visit_id, worker_id), var in x.items():
        if solver.Value(var):
            chosen[visit_id].append(worker_id)
    return dict(chosen)


def explain(problem: Problem, chosen: dict[int, list[int]]) -> list[Proposal]:
    """Why each worker, in words a team member would use."""
    minutes_of = dict(problem.fixed_minutes)
    visit_by_id = {visit.pk: visit for visit in problem.visits}
    for visit_id, workers in chosen.items():
        for worker_id in workers:
            minutes_of[worker_id] += minutes(visit_by_id[visit_id])
    proposals = []
    for visit in sorted(problem.visits, key=lambda v: v.start):
        for worker_id in chosen.get(visit.pk, []):
            member = problem.members[worker_id]
            name, person = member.first_name, visit.person.known_as
            times = problem.familiarity(visit.person_id, worker_id)
            if times:
                why = [
                    f"{name} has visited {person} {times} time{'s' if times != 1 else ''} "
                    "in the last 4 weeks"
                ]
            else:
                known_free = [
                    w
                    for w in problem.eligible[visit.pk]
                    if problem.familiarity(visit.person_id, w) and w != worker_id
                ]
                why = [
                    f"{name} has not visited {person} in the last 4 weeks"
                    + (
                        ", and those who have are needed elsewhere then"
                        if known_free
                        else "; nobody who has is free then"
                    )
                ]
            if problem.preferred(visit.person_id, worker_id):
                why.append(f"is on {person}'s list of preferred workers")
            others = [problem.members[w].first_name for w in chosen[visit.pk] if w != worker_id]
            others += [
                problem.members[a.worker_id].first_name
                for a in visit.assignments.all()
                if a.worker_id in problem.members
            ]
            sentence = " and ".join(why) + "."
            if others:
                sentence += f" Goes with {' and '.join(others)}."
            contract = member.contracted_hours
            planned = Decimal(minutes_of[worker_id]) / 60
            sentence += (
                f" This week {name} would have {hours_text(planned)} of a "
                f"{hours_text(contract)} contract."
            )
            proposals.append(Proposal(visit.pk, worker_id, sentence))
    return proposals


def measure(problem: Problem, chosen: dict[int, list[int]]) -> dict:
    """Continuity and hours figures for a week's choice, to compare the solver and greedy."""
    visit_by_id = {visit.pk: visit for visit in problem.visits}
    faces: dict[int, set[int]] = defaultdict(set)
    familiar = filled = 0
    for visit in problem.state.visits:
        if visit.status == Visit.Status.CANCELLED:
            continue
        for assignment in visit.assignments.all():
            faces[visit.person_id].add(assignment.worker_id)
    minutes_of = dict(problem.fixed_minutes)
    for visit_id, workers in chosen.items():
        visit = visit_by_id[visit_id]
        for worker_id in workers:
            filled += 1
            faces[visit.person_id].add(worker_id)
            minutes_of[worker_id] += minutes(visit)
            if problem.familiarity(visit.person_id, worker_id):
                familiar += 1
    deviations = [
        abs(minutes_of[w] / 60 - float(m.contracted_hours)) for w, m in problem.members.items()
    ]
    return {
        "filled": filled,
        "familiar_share": round(familiar / filled, 3) if filled else 0.0,
        "workers_per_person": round(sum(len(f) for f in faces.values()) / len(faces), 2)
        if faces
        else 0.0,
        "hours_off_contract_mean": round(sum(deviations) / len(deviations), 2)
        if deviations
        else 0.0,
        "hours_off_contract_max": round(max(deviations), 2) if deviations else 0.0,
    }


def suggest(
    state: RotaState,
    *,
    history: dict[tuple[int, int], int],
    now: datetime,
    seconds: float = 10.0,
    workers: int = 2,
) -> Outcome:
    started = clock.perf_counter()
    problem = prepare(state, history=history, now=now)
    places = sum(problem.slots_needed.values())
    chosen = solve(problem, seconds=seconds, workers=workers) if problem.visits else {}
    filled_ids = {v for v, ws in chosen.items() if len(ws) >= problem.slots_needed[v]}
    return Outcome(
        proposals=explain(problem, chosen),
        unfilled_visit_ids=[v.pk for v in problem.visits if v.pk not in filled_ids],
        status=problem.solver_status,
        seconds=clock.perf_counter() - started,
        first_solution_seconds=problem.first_solution_seconds,
        places=places,
        filled=sum(len(ws) for ws in chosen.values()),
        metrics=measure(problem, chosen),
    )
