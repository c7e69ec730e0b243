"""Visits are the product's largest table: every rota page reads them (and their assignments
and shifts) by an indexed range — team and time, worker and time, person and time — never by
scanning. PostgreSQL's own plans of the queries the pages run say which index answers each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from teams.rota import selectors
from teams.rota.clock import week_bounds
from tests import factories
from tests.services import require
from tests.teams.rota.conftest import visit_at

pytestmark = pytest.mark.django_db

BIG_TABLES = ("teams_visit", "teams_visitassignment", "teams_shift")
# "Index Scan using x", "Index Only Scan using x", "Bitmap Index Scan on x".
INDEX_IN_PLAN = re.compile(r"Index (?:Only )?Scan (?:using|on) (\w+)")


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        require("Query plans are PostgreSQL's: this needs DATABASE_URL to point at it")


@pytest.fixture
def week(team, person, member, colleague, monday, published):
    """A few weeks of visits and shifts around the week read, so the tables are not empty."""
    for day in range(-14, 21):
        visit_at(
            person,
            monday + timedelta(days=day),
            8,
            assigned=[member, colleague],
            published_at=published,
            workers_needed=2,
        )
        factories.ShiftFactory(
            team=team,
            worker=member,
            start=visit_at(person, monday + timedelta(days=day), 20).start,
            published_at=published,
        )
    with connection.cursor() as cursor:
        for table in BIG_TABLES:
            cursor.execute(f"ANALYZE {table}")  # noqa: S608 - our own table names
    return monday


def plans_of(run) -> list[tuple[str, str]]:
    """(query, plan) for each query `run` sends that reads a big table, planned as PostgreSQL
    would with a table of millions of rows: a sequential scan only if no index could serve."""
    with CaptureQueriesContext(connection) as captured:
        run()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.startswith("SELECT") or not any(
                    f'FROM "{table}"' in sql for table in BIG_TABLES
                ):
                    continue
                cursor.execute("EXPLAIN " + sql)
                found.append((sql, "\n".join(row[0] for row in cursor.fetchall())))
        finally:
            cursor.execute("SET enable_seqscan = on")
    return found


def indexes_used(plans) -> set[str]:
    return {name for _, plan in plans for name in INDEX_IN_PLAN.findall(plan)}


def assert_no_scans(plans) -> None:
    for sql, plan in plans:
        for table in BIG_TABLES:
            assert f"Seq Scan on {table} " not in plan, f"{sql}\n{plan}"


def test_my_week_reads_the_workers_visits_and_shifts_by_worker_and_time(member, week):
    plans = plans_of(lambda: selectors.my_week(user=member, monday=week))
    assert_no_scans(plans)
    assert {"rota_assignment_worker_start", "rota_shift_worker_start"} <= indexes_used(plans)


def test_the_team_grid_reads_visits_by_team_and_time(team, week):
    plans = plans_of(lambda: selectors.team_week(team=team, monday=week))
    assert_no_scans(plans)
    assert {
        "rota_visit_team_start",
        "rota_shift_team_start",
        "rota_assignment_worker_start",
    } <= indexes_used(plans)


def test_a_persons_week_reads_their_visits_by_person_and_time(person, week):
    plans = plans_of(lambda: selectors.person_week(person=person, week_start=week))
    assert_no_scans(plans)
    assert "rota_visit_person_start" in indexes_used(plans)


def test_the_dashboard_figures_read_by_team_and_time(team, week):
    ids = [team.pk, factories.TeamFactory().pk]

    def figures():
        selectors.unfilled_by_team(team_ids=ids, now=timezone.now())
        selectors.hours_against_contracts(team_ids=ids, monday=week)
        selectors.continuity_by_team(team_ids=ids, until=week_bounds(week)[1])

    plans = plans_of(figures)
    assert_no_scans(plans)
    assert {"rota_visit_team_start", "rota_assignment_team_start"} <= indexes_used(plans)
