"""Lists and dashboards run a fixed number of queries whatever the number of people, outcomes
and reviews: each is measured at two data sizes."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from outcomes.models import FlexibleHours, Suggestion
from outcomes.selectors import dashboards
from teams import registry
from teams.rota.models import Visit
from tests.factories import PersonFactory, TeamFactory, VisitFactory
from tests.outcomes.factories import OutcomeFactory, ReviewFactory, ServiceFundFactory

pytestmark = pytest.mark.django_db


def grow_person(person, *, outcomes=2, reviews=3, worker=None):
    """More outcomes, reviews, ledger lines and done visits for one person."""
    for _ in range(outcomes):
        outcome = OutcomeFactory(person=person)
        for day in range(reviews):
            ReviewFactory(
                outcome=outcome,
                reviewed_on=date(2025, 2, 1) + timedelta(days=day),
                worker_level=day % 3 - 1,
                person_level=0,
                person_rated_by="person",
                person_words="Going well",
            )
    fund = person.service_funds.first() or ServiceFundFactory(person=person)
    Suggestion.objects.create(person=person, about="new_outcome", text="Swim")
    FlexibleHours.objects.create(
        fund=fund,
        kind="banked",
        hours=Decimal(1),
        on=timezone.localdate().replace(day=1),
        purpose="Saved",
    )
    if worker is not None:
        VisitFactory(
            person=person,
            start=timezone.now() - timedelta(days=2),
            status=Visit.Status.DONE,
            assigned=[worker],
        )


@pytest.fixture
def full_person(person, member):
    grow_person(person, worker=member)
    return person


def test_people_list(client_for, member, team, full_person, assert_fixed_queries):
    client = client_for(member)

    def grow():
        for _ in range(4):
            grow_person(PersonFactory(team=team), worker=member)

    assert_fixed_queries(lambda: client.get(reverse("outcomes:index")), grow, most=7)


def test_coachs_page_across_several_teams(
    client_for, coach, team, other_team, full_person, assert_fixed_queries, member
):
    other_team.coach = coach
    other_team.save(update_fields=["coach"])
    grow_person(PersonFactory(team=other_team), worker=member)
    client = client_for(coach)

    def grow():
        for each in (team, other_team, TeamFactory(coach=coach)):
            for _ in range(3):
                grow_person(PersonFactory(team=each), worker=member)

    assert_fixed_queries(lambda: client.get(reverse("outcomes:index")), grow, most=10)


def test_admins_log_of_reads(client_for, admin, member, full_person, assert_fixed_queries):
    client_for(member).get(reverse("outcomes:person", args=[full_person.pk]))
    client = client_for(admin)
    url = reverse("outcomes:record_log", args=[full_person.pk])

    def grow():
        for _ in range(20):
            client_for(member).get(reverse("outcomes:person", args=[full_person.pk]))
        client_for(admin)

    assert_fixed_queries(lambda: client.get(url), grow, most=8)


def test_person_record_page(client_for, member, full_person, assert_fixed_queries):
    client = client_for(member)
    url = reverse("outcomes:person", args=[full_person.pk])
    assert_fixed_queries(
        lambda: client.get(url),
        lambda: grow_person(full_person, outcomes=4, reviews=5, worker=member),
        most=15,
    )


def test_outcome_page(client_for, member, full_person, assert_fixed_queries):
    client = client_for(member)
    outcome = full_person.outcomes.first()
    url = reverse("outcomes:outcome", args=[full_person.pk, outcome.pk])

    def grow():
        for day in range(10):
            ReviewFactory(outcome=outcome, reviewed_on=date(2025, 4, 1) + timedelta(days=day))

    assert_fixed_queries(lambda: client.get(url), grow, most=9)


def test_team_outcomes_page(client_for, coach, team, full_person, assert_fixed_queries, member):
    client = client_for(coach)
    url = reverse("outcomes:team", args=[team.pk])

    def grow():
        for _ in range(5):
            grow_person(PersonFactory(team=team), worker=member)

    assert_fixed_queries(lambda: client.get(url), grow, most=12)


def test_own_pages(client_for, person_user, full_person, assert_fixed_queries, member):
    client = client_for(person_user)
    outcome = full_person.outcomes.first()
    for url in [
        reverse("outcomes:own_person", args=[full_person.pk]),
        reverse("outcomes:own_outcome", args=[full_person.pk, outcome.pk]),
        reverse("outcomes:own_statement", args=[full_person.pk]),
        reverse("outcomes:own_profile", args=[full_person.pk]),
        reverse("outcomes:own_record_log", args=[full_person.pk]),
    ]:
        assert_fixed_queries(
            lambda url=url: client.get(url),
            lambda: grow_person(full_person, outcomes=3, reviews=4, worker=member),
            # Includes the months the person's funds cover, for the month-by-month links.
            most=11,
        )


def test_statement_page(client_for, member, full_person, assert_fixed_queries):
    client = client_for(member)
    url = reverse("outcomes:statement", args=[full_person.pk])
    assert_fixed_queries(
        lambda: client.get(url), lambda: grow_person(full_person, worker=member), most=13
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/people/",
        "/api/v1/outcomes/",
        "/api/v1/reviews/",
        "/api/v1/funds/",
        "/api/v1/suggestions/",
    ],
)
def test_api_lists(client_for, member, team, full_person, assert_fixed_queries, url):
    client = client_for(member)

    def grow():
        for _ in range(3):
            grow_person(PersonFactory(team=team), worker=member)

    assert_fixed_queries(lambda: client.get(url), grow, most=8)


def test_dashboard_figures_for_fifty_teams_take_a_fixed_number_of_queries(
    django_assert_num_queries, member
):
    teams = [TeamFactory() for _ in range(3)]
    for team in teams:
        grow_person(PersonFactory(team=team), worker=member)
    columns = [
        column
        for column in registry.dashboard_columns
        if column.key.startswith(("outcome", "fund"))
    ]
    assert [column.key for column in columns] == [
        "outcome_reviews_overdue",
        "outcomes",
        "fund_hours",
    ]

    def count_for(teams_on_page) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            for column in columns:
                column.figures(teams_on_page)
        return len(queries)

    few = count_for(teams)
    many_teams = teams + [TeamFactory() for _ in range(47)]
    for team in many_teams[3:]:
        grow_person(PersonFactory(team=team), outcomes=1, reviews=2, worker=member)
    assert count_for(many_teams) == few == 5


def test_team_panel_takes_a_fixed_number_of_queries(member, team, full_person):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        dashboards.team_panel(member, team)
    for _ in range(5):
        grow_person(PersonFactory(team=team), worker=member)
    with CaptureQueriesContext(connection) as large:
        panel = dashboards.team_panel(member, team)
    assert len(small) == len(large) == 2
    assert len(panel.context["outcome_lines"]) == 6


def test_api_ledger(client_for, member, full_person, assert_fixed_queries):
    client = client_for(member)
    fund = full_person.service_funds.get()
    assert_fixed_queries(
        lambda: client.get(f"/api/v1/funds/{fund.pk}/ledger/"),
        lambda: [grow_person(full_person) for _ in range(5)],
        most=8,
    )
