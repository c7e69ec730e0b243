"""What the rota adds to other pages: the coach's dashboard columns, My week on the home page,
the team page's panel, the menu entry, and the demo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams import registry
from teams.models import Offer, RotaWeek, TimeOff, Visit, VisitAssignment
from teams.rota import swaps
from teams.rota.clock import week_start
from teams.rota.registration import my_week_section, rota_panel
from tests import factories
from tests.teams.rota.conftest import at
from wellbeing.demo import seed_demo

pytestmark = pytest.mark.django_db


def column(key):
    return next(c for c in registry.dashboard_columns if c.key == key)


def make_teams(count):
    teams = []
    soon = timezone.now() + timedelta(days=2)
    for _ in range(count):
        membership = factories.MembershipFactory(contracted_hours=20)
        person = factories.PersonFactory(team=membership.team)
        factories.VisitFactory(person=person, start=soon, assigned=[membership.user])
        factories.VisitFactory(person=person, start=soon + timedelta(hours=3))
        factories.VisitFactory(
            person=person, start=timezone.now() - timedelta(days=3), assigned=[membership.user]
        )
        teams.append(membership.team)
    return teams


@pytest.mark.parametrize("key", ["rota_unfilled", "rota_hours", "rota_continuity"])
def test_each_dashboard_column_runs_the_same_queries_for_5_and_50_teams(
    key, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    few, many = make_teams(5), None
    with CaptureQueriesContext(connection) as small:
        figures = column(key).figures(few)
    assert set(figures) == {team.pk for team in few}
    many = few + make_teams(45)
    with django_assert_num_queries(len(small)):
        assert len(column(key).figures(many)) == 50
    assert len(small) <= 3


def test_the_unfilled_column_counts_visits_short_of_workers_in_the_next_14_days(
    team, person, member
):
    now = timezone.now()
    factories.VisitFactory(person=person, start=now + timedelta(days=1))
    factories.VisitFactory(
        person=person, start=now + timedelta(days=2), workers_needed=2, assigned=[member]
    )
    factories.VisitFactory(person=person, start=now + timedelta(days=3), assigned=[member])
    factories.VisitFactory(person=person, start=now + timedelta(days=20))
    factories.VisitFactory(
        person=person, start=now + timedelta(days=1), status=Visit.Status.CANCELLED
    )
    figure = column("rota_unfilled").figures([team])[team.pk]
    assert (figure.text, figure.attention) == ("2 unfilled", True)


def test_the_hours_column_sets_planned_against_contracted(team, person, member):
    monday = week_start(timezone.localdate())
    start = timezone.now().replace(microsecond=0)
    VisitAssignment.objects.create(
        visit=factories.VisitFactory(person=person, start=start, end=start + timedelta(hours=24)),
        worker=member,
        team=team,
        start=max(start, start),
        end=start + timedelta(hours=24),
    )
    figure = column("rota_hours").figures([team])[team.pk]
    assert figure.text.endswith("of 30 h")
    assert monday <= timezone.localdate()


@pytest.mark.parametrize(
    ("hours", "text", "attention"),
    [
        (0, "Nothing planned", False),
        (20, "20 of 30 h", True),  # far under: someone goes without their hours
        (30, "30 of 30 h", False),
        (34, "34 of 30 h", True),  # over: overwork
    ],
)
def test_the_hours_column_asks_for_attention_only_far_from_the_contracts(
    team, person, member, hours, text, attention
):
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    start -= timedelta(days=start.weekday())
    for day in range(hours // 5):
        visit_start = start + timedelta(days=day % 7, hours=7 + day // 7 * 6)
        factories.VisitFactory(
            person=person,
            start=visit_start,
            end=visit_start + timedelta(hours=5),
            assigned=[member],
        )
    if hours % 5:
        visit_start = start + timedelta(days=6, hours=20)
        factories.VisitFactory(
            person=person,
            start=visit_start,
            end=visit_start + timedelta(hours=hours % 5),
            assigned=[member],
        )
    figure = column("rota_hours").figures([team])[team.pk]
    assert (figure.text, figure.attention) == (text, attention)


def test_the_continuity_column_averages_different_workers_per_person(
    team, person, member, colleague
):
    other = factories.PersonFactory(team=team)
    past = timezone.now() - timedelta(days=8)
    factories.VisitFactory(person=person, start=past, assigned=[member])
    factories.VisitFactory(person=person, start=past + timedelta(days=1), assigned=[colleague])
    factories.VisitFactory(person=other, start=past, assigned=[member])
    figure = column("rota_continuity").figures([team])[team.pk]
    assert figure.text == "1.5 workers per person"


def test_the_dashboard_and_the_hours_page_give_one_continuity_figure(
    client_for, team, person, member, colleague
):
    """Counted over the same 4 weeks, to the end of this week, by the same selector: the
    dashboard once said 2.2 while the page it links to said 2.5."""
    this_week = at(week_start(timezone.localdate()) + timedelta(days=6), 9)
    third = factories.MembershipFactory(team=team).user
    factories.VisitFactory(person=person, start=this_week - timedelta(days=14), assigned=[member])
    factories.VisitFactory(
        person=person, start=this_week - timedelta(days=12), assigned=[colleague]
    )
    # Later this week, on the hours page's count and now on the dashboard's too.
    factories.VisitFactory(person=person, start=this_week, assigned=[third])
    figure = column("rota_continuity").figures([team])[team.pk]
    assert figure.text == "3.0 workers per person"
    page = client_for(member).get(figure.url).content.decode()
    assert "Across the team: <strong>3.0</strong> on average" in page


def test_my_week_is_a_home_section_for_members_only(member, coach, outsider):
    assert my_week_section(member).title == "My week"
    assert my_week_section(coach) is None
    assert my_week_section(outsider) is None
    assert my_week_section in registry.member_home_sections


def test_the_team_page_gets_a_rota_panel(team, member):
    panel = rota_panel(member, team)
    assert panel.title == "Rota"
    assert panel.context["contracted"] == 30


def test_the_demo_has_a_published_rota_with_an_offer_a_swap_a_gap_and_a_holiday():
    seed_demo()
    counts = (
        Visit.objects.count(),
        VisitAssignment.objects.count(),
        Offer.objects.count(),
        RotaWeek.objects.count(),
    )
    seed_demo()
    assert (
        Visit.objects.count(),
        VisitAssignment.objects.count(),
        Offer.objects.count(),
        RotaWeek.objects.count(),
    ) == counts
    this_monday = week_start(timezone.localdate())
    for monday in (this_monday, this_monday + timedelta(days=7)):
        assert RotaWeek.objects.filter(starts_on=monday, published_at__isnull=False).count() == 3
    assert Offer.objects.filter(status=Offer.Status.OPEN).count() == 3
    assert Offer.objects.filter(status=Offer.Status.ACCEPTED).count() == 3
    assert TimeOff.objects.filter(kind=TimeOff.Kind.HOLIDAY).count() == 3
    gaps = [
        visit
        for visit in Visit.objects.filter(
            start__gt=timezone.now(), status=Visit.Status.PLANNED
        ).prefetch_related("assignments")
        if visit.assignments.count() < visit.workers_needed
    ]
    assert len(gaps) >= 3


def half_hour_visit(person, start, worker, published, **extra):
    return factories.VisitFactory(
        person=person,
        start=start,
        end=start + timedelta(minutes=30),
        assigned=[worker],
        published_at=published,
        **extra,
    )


def test_a_visit_to_record_on_the_home_page_leads_to_it_on_my_week(
    client_for, member, person, published
):
    start = timezone.now() - timedelta(hours=2)
    if timezone.localtime(start).date() != timezone.localdate():
        start = timezone.now() + timedelta(minutes=1)
    visit = half_hour_visit(person, start, member, published)
    page = client_for(member).get("/").content.decode()
    assert f'href="{reverse("teams:rota:my_week")}#visit-{visit.pk}"' in page


def test_offering_a_visit_on_my_week_returns_to_that_visit(client_for, member, person, published):
    start = timezone.now() + timedelta(days=1)
    visit = half_hour_visit(person, start, member, published)
    client = client_for(member)
    my_week = reverse("teams:rota:my_week") + f"?week={week_start(timezone.localdate(start))}"
    page = client.get(my_week).content.decode()
    assert f'name="next" value="{my_week}#visit-{visit.pk}"' in page
    response = client.post(
        reverse("teams:rota:offer_create"),
        {"visit": visit.pk, "to": "", "next": f"{my_week}#visit-{visit.pk}"},
    )
    assert response.url == f"{my_week}#visit-{visit.pk}"


def test_a_swap_asked_of_you_by_name_for_today_or_tomorrow_waits_on_your_home_page(
    client_for, member, colleague, person, published
):
    def offered(days: int, *, by_name: bool) -> Offer:
        noon = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
        start = noon + timedelta(days=days)
        care = f"Care in {days} days, {'by name' if by_name else 'to the team'}"
        visit = half_hour_visit(person, start, colleague, published, care=care)
        return swaps.offer_make(by=colleague, visit=visit, to=member if by_name else None)

    soon = offered(1, by_name=True)
    offered(1, by_name=False)
    offered(5, by_name=True)
    page = client_for(member).get("/").content.decode()
    asked = page.split("Asked of you", 1)[1].split("Open my week", 1)[0]
    assert "Care in 1 days, by name" in asked
    assert reverse("teams:rota:offer_accept", args=[soon.pk]) in asked
    assert "I can't" in asked
    assert "to the team" not in asked
    assert "Care in 5 days" not in asked
