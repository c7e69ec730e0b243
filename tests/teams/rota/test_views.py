"""The rota's pages: who may open them, fixed queries, bad input, and what a member sees."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from teams.models import Offer, Shift, Skill, TimeOff, Visit, VisitAssignment
from teams.rota import swaps
from tests import factories
from tests.teams.rota.conftest import visit_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota(team, person, member, colleague, monday, published):
    """A published visit for the member, a shift, an open offer, a pattern, a suggestion."""
    visit = visit_at(person, monday, 8, assigned=[member], published_at=published)
    shift = factories.ShiftFactory(
        team=team, worker=member, start=visit.start + timedelta(hours=4), published_at=published
    )
    other = visit_at(
        person, monday + timedelta(days=1), 8, assigned=[member], published_at=published
    )
    offer = swaps.offer_make(by=member, visit=other)
    from datetime import time

    from teams.rota.services import pattern_create, suggestion_create

    pattern = pattern_create(
        person=person, weekdays="1", starts_at=time(7), ends_at=time(7, 30), care="x", by=member
    )
    leave = TimeOff.objects.create(
        team=team,
        worker=member,
        first_day=monday + timedelta(days=20),
        last_day=monday + timedelta(days=21),
    )
    suggestion = suggestion_create(team=team, monday=monday, by=member, seconds=1)
    return {
        "visit": visit,
        "shift": shift,
        "offer": offer,
        "pattern": pattern,
        "leave": leave,
        "suggestion": suggestion,
    }


def team_pages(team, person, rota):
    visit = rota["visit"]
    return [
        ("get", reverse("teams:rota:team", args=[team.pk])),
        ("get", reverse("teams:rota:visit_new", args=[team.pk])),
        ("get", reverse("teams:rota:shift_new", args=[team.pk])),
        ("get", reverse("teams:rota:patterns", args=[team.pk])),
        ("get", reverse("teams:rota:skills", args=[team.pk])),
        ("get", reverse("teams:rota:time", args=[team.pk])),
        ("get", reverse("teams:rota:swaps", args=[team.pk])),
        ("get", reverse("teams:rota:hours", args=[team.pk])),
        ("get", reverse("teams:rota:visit", args=[visit.pk])),
        ("get", reverse("teams:rota:visit_edit", args=[visit.pk])),
        ("get", reverse("teams:rota:person", args=[person.pk])),
        ("get", reverse("teams:rota:person_week", args=[person.pk])),
        ("get", reverse("teams:rota:pattern_edit", args=[rota["pattern"].pk])),
        ("get", reverse("teams:rota:suggestion", args=[rota["suggestion"].pk])),
        ("post", reverse("teams:rota:publish", args=[team.pk])),
        ("post", reverse("teams:rota:generate", args=[team.pk])),
        ("post", reverse("teams:rota:suggest", args=[team.pk])),
        ("post", reverse("teams:rota:visit_record", args=[visit.pk])),
        ("post", reverse("teams:rota:visit_assign", args=[visit.pk])),
        ("post", reverse("teams:rota:visit_unassign", args=[visit.pk])),
        ("post", reverse("teams:rota:visit_cancel", args=[visit.pk])),
        ("post", reverse("teams:rota:shift_delete", args=[rota["shift"].pk])),
        ("post", reverse("teams:rota:offer_accept", args=[rota["offer"].pk])),
        ("post", reverse("teams:rota:offer_withdraw", args=[rota["offer"].pk])),
        ("post", reverse("teams:rota:offer_decline", args=[rota["offer"].pk])),
        ("post", reverse("teams:rota:time_off_remove", args=[rota["leave"].pk])),
    ]


def test_a_member_of_another_team_finds_none_of_this_teams_rota(
    client_for, other_member, team, person, rota
):
    client = client_for(other_member)
    for method, url in team_pages(team, person, rota):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    # Nothing was changed on the way.
    assert Visit.objects.get(pk=rota["visit"].pk).status == Visit.Status.PLANNED
    assert Offer.objects.get(pk=rota["offer"].pk).is_open
    assert Shift.objects.filter(pk=rota["shift"].pk).exists()


def test_someone_signed_out_is_sent_to_sign_in(client, team, person, rota):
    for method, url in team_pages(team, person, rota):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login"))


def test_a_member_of_another_team_cannot_offer_this_teams_visit(client_for, other_member, rota):
    response = client_for(other_member).post(
        reverse("teams:rota:offer_create"), {"visit": rota["visit"].pk}
    )
    assert response.status_code == 404
    assert Offer.objects.count() == 1


def test_the_coach_of_the_team_sees_its_rota(client_for, coach, team, person, rota):
    client = client_for(coach)
    for method, url in team_pages(team, person, rota):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_every_rota_page_is_never_cached(client_for, member, team, person, rota):
    client = client_for(member)
    for method, url in team_pages(team, person, rota):
        if method == "get":
            assert "no-store" in client.get(url)["Cache-Control"], url
    assert "no-store" in client.get(reverse("teams:rota:my_week"))["Cache-Control"]


@pytest.mark.parametrize("week", ["garbage", "2026-13-01", "1066-10-14", "9999-12-31"])
def test_an_unreadable_week_is_a_clear_400(client_for, member, team, week):
    client = client_for(member)
    assert client.get(reverse("teams:rota:my_week"), {"week": week}).status_code == 400
    assert client.get(reverse("teams:rota:team", args=[team.pk]), {"week": week}).status_code == 400


def test_my_week_shows_todays_visits_first_with_who_else_is_on_them(
    client_for, member, colleague, person, published
):
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    person.address, person.postcode = "14 Elm Road\nLongbridge", "B31 2LT"
    person.save()
    visit = factories.VisitFactory(
        person=person,
        start=now + timedelta(minutes=30),
        end=now + timedelta(minutes=75),
        assigned=[member, colleague],
        published_at=published,
        workers_needed=2,
        care="Lunch and a chat",
    )
    factories.VisitFactory(person=person, start=now + timedelta(minutes=90), assigned=[member])
    response = client_for(member).get(reverse("teams:rota:my_week"))
    days = response.context["days"]
    assert days[0].day == today
    assert [item.visit for item in days[0].items] == [visit]
    body = response.content.decode()
    assert "Today, " in body
    assert "Longbridge B31" in body
    assert "14 Elm Road" not in body
    assert "With Cal Colleague" in body
    assert "Lunch and a chat" in body
    if monday != today:
        assert "Earlier this week" in body


def test_my_week_runs_fixed_queries_whatever_the_number_of_visits(
    client_for, member, colleague, team, person, monday, published, assert_fixed_queries
):
    client = client_for(member)
    url = reverse("teams:rota:my_week") + f"?week={monday}"

    def grow():
        people = [factories.PersonFactory(team=team) for _ in range(3)]
        for day in range(7):
            for hour, who in zip((7, 12, 17), people, strict=True):
                visit_at(
                    who,
                    monday + timedelta(days=day),
                    hour,
                    assigned=[member, colleague],
                    published_at=published,
                    workers_needed=2,
                )
        factories.ShiftFactory(
            team=team,
            worker=member,
            start=visit_at(person, monday, 20).start,
            published_at=published,
        )
        swaps.offer_make(by=colleague, visit=Visit.objects.filter(start__gt=timezone.now()).first())

    visit_at(person, monday, 9, assigned=[member], published_at=published)
    count = assert_fixed_queries(lambda: client.get(url), grow, most=20)
    assert count <= 20


def test_the_team_grid_runs_fixed_queries_whatever_the_number_of_visits(
    client_for, member, colleague, team, person, monday, published, assert_fixed_queries
):
    client = client_for(member)
    url = reverse("teams:rota:team", args=[team.pk]) + f"?week={monday}"
    hoist = Skill.objects.create(name="Hoist")

    def grow():
        others = [factories.MembershipFactory(team=team).user for _ in range(4)]
        people = [factories.PersonFactory(team=team) for _ in range(5)]
        for day in range(7):
            for hour, who in zip((7, 9, 12, 17, 20), people, strict=True):
                visit = visit_at(
                    who, monday + timedelta(days=day), hour, assigned=others[:2], workers_needed=2
                )
                visit.skills.add(hoist)
                visit_at(who, monday + timedelta(days=day), hour, minute=30)
        TimeOff.objects.create(team=team, worker=others[3], first_day=monday, last_day=monday)
        swaps.offer_make(by=member, visit=Visit.objects.filter(assignments__worker=member).first())

    visit_at(person, monday, 9, assigned=[member])
    assert_fixed_queries(lambda: client.get(url), grow, most=30)


def test_the_grid_shows_members_by_days_gaps_and_problems(client_for, member, team, person, monday):
    visit_at(person, monday, 8, assigned=[member])
    visit_at(person, monday, 8, minute=30, assigned=[member])
    visit_at(person, monday + timedelta(days=1), 9)
    body = (
        client_for(member)
        .get(reverse("teams:rota:team", args=[team.pk]) + f"?week={monday}")
        .content.decode()
    )
    assert "Needs a worker" in body
    assert "at the same time" in body
    assert "Mina Member" in body


def test_a_refused_swap_shows_the_reason(client_for, member, colleague, person, monday):
    visit = visit_at(person, monday, 8, assigned=[member], published_at=timezone.now())
    visit.skills.add(Skill.objects.create(name="Medication"))
    offer = swaps.offer_make(by=member, visit=visit)
    response = client_for(colleague).post(
        reverse("teams:rota:offer_accept", args=[offer.pk]), follow=True
    )
    assert "Cal does not have the skills this visit needs: Medication" in response.content.decode()
    assert VisitAssignment.objects.get(visit=visit).worker == member


def test_taking_an_offer_already_taken_says_so(client_for, member, colleague, team, person, monday):
    third = factories.MembershipFactory(team=team).user
    offer = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    swaps.offer_accept(offer=offer, by=third)
    response = client_for(colleague).post(
        reverse("teams:rota:offer_accept", args=[offer.pk]), follow=True
    )
    assert "Someone else has already taken this." in response.content.decode()


def test_marking_a_visit_done_from_my_week(client_for, member, person):
    start = timezone.now() - timedelta(hours=1)
    visit = factories.VisitFactory(
        person=person, start=start, assigned=[member], published_at=start
    )
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]),
        {"outcome": "done", "next": "/teams/rota/my-week/"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE


def test_marking_a_visit_missed_without_a_reason_is_a_400_that_keeps_the_visit(
    client_for, member, person
):
    start = timezone.now() - timedelta(hours=1)
    visit = factories.VisitFactory(
        person=person, start=start, assigned=[member], published_at=start
    )
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]), {"outcome": "missed"}
    )
    assert response.status_code == 400
    assert "Say why the visit was missed" in response.content.decode()
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


@pytest.mark.parametrize(
    "times", [{"actual_start": "25:00", "actual_end": "09:00"}, {"actual_start": "08:00"}]
)
def test_nonsense_times_are_a_400(client_for, member, person, times):
    start = timezone.now() - timedelta(hours=1)
    visit = factories.VisitFactory(person=person, start=start, assigned=[member])
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]), {"outcome": "done", **times}
    )
    assert response.status_code == 400


def test_a_visit_at_a_time_the_clocks_skip_is_refused_on_the_form(client_for, member, team, person):
    response = client_for(member).post(
        reverse("teams:rota:visit_new", args=[team.pk]),
        {
            "person": person.pk,
            "day": "2026-03-29",
            "starts": "01:30",
            "ends": "02:30",
            "care": "x",
            "workers_needed": 1,
        },
    )
    assert response.status_code == 400
    assert "does not exist on 29 March 2026" in response.content.decode()
    assert not Visit.objects.exists()


def test_adding_a_visit_through_the_form(client_for, member, team, person):
    response = client_for(member).post(
        reverse("teams:rota:visit_new", args=[team.pk]),
        {
            "person": person.pk,
            "day": "2026-10-24",
            "starts": "22:00",
            "ends": "07:00",
            "care": "Night sit",
            "workers_needed": 1,
        },
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.end - visit.start == timedelta(hours=10)


def test_a_next_address_off_the_site_is_ignored(client_for, member, person):
    start = timezone.now() - timedelta(hours=1)
    visit = factories.VisitFactory(person=person, start=start, assigned=[member])
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example/"]:
        response = client_for(member).post(
            reverse("teams:rota:visit_record", args=[visit.pk]), {"outcome": "done", "next": target}
        )
        assert response["Location"] == reverse("teams:rota:my_week")
        Visit.objects.filter(pk=visit.pk).update(status="planned")


def test_hours_export_as_csv(client_for, member, team, person, monday):
    visit_at(person, monday, 8, 90, assigned=[member])
    response = client_for(member).get(
        reverse("teams:rota:hours", args=[team.pk]), {"week": monday, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "Mina Member,30.0,1.50" in response.content.decode()


def test_the_rota_coordinator_sees_every_swap_in_the_team(
    client_for, member, colleague, team, person, monday, assert_fixed_queries
):
    from teams.models import RotaSettings

    coordinator = factories.MembershipFactory(team=team, user__display_name="Rae Rota").user
    RotaSettings.objects.create(team=team).coordinators.add(coordinator)
    third = factories.MembershipFactory(team=team, user__display_name="Tom Third").user
    taken = swaps.offer_make(by=member, visit=visit_at(person, monday, 8, assigned=[member]))
    swaps.offer_accept(offer=taken, by=colleague)
    declined = swaps.offer_make(
        by=colleague, visit=visit_at(person, monday, 12, assigned=[colleague]), to=third
    )
    swaps.offer_decline(offer=declined, by=third)
    swaps.offer_make(by=member, visit=visit_at(person, monday, 18, assigned=[member]), to=third)
    client = client_for(coordinator)
    url = reverse("teams:rota:swaps", args=[team.pk])
    body = client.get(url).content.decode()
    assert "Mina Member offered the visit to Peggy" in body
    assert "Cal Colleague took it" in body
    assert "Declined" in body
    assert body.count("to Tom Third") == 2

    def grow():
        for day in range(1, 6):
            offer = swaps.offer_make(
                by=member,
                visit=visit_at(person, monday + timedelta(days=day), 8, assigned=[member]),
            )
            swaps.offer_accept(offer=offer, by=colleague)

    assert_fixed_queries(lambda: client.get(url), grow, most=12)


@pytest.mark.parametrize(
    ("decision", "ticked", "taken"),
    [("all", [], [0, 1, 2]), ("some", [0, 2], [0, 2]), ("none", [0, 1, 2], [])],
)
def test_the_team_takes_all_some_or_none_of_a_suggestion_on_its_page(
    client_for, member, team, person, monday, settings, decision, ticked, taken
):
    from teams.models import SuggestedAssignment
    from teams.rota.services import suggestion_create

    settings.ROTA_SUGGEST_WORKERS = 1
    visits = [visit_at(person, monday + timedelta(days=day), 9) for day in range(3)]
    suggestion = suggestion_create(team=team, monday=monday, by=member, seconds=2)
    proposals = list(suggestion.proposals.order_by("visit__start"))
    client = client_for(member)
    url = reverse("teams:rota:suggestion", args=[suggestion.pk])
    page = client.get(url).content.decode()
    assert "Mina has not visited Peggy in the last 4 weeks" in page
    response = client.post(
        url, {"decision": decision, "proposal": [proposals[i].pk for i in ticked]}, follow=True
    )
    assert f"{len(taken)} taken into the rota." in response.content.decode()
    assert set(VisitAssignment.objects.values_list("visit_id", flat=True)) == {
        visits[i].pk for i in taken
    }
    decisions = dict(SuggestedAssignment.objects.values_list("pk", "decision"))
    for index, proposal in enumerate(proposals):
        assert decisions[proposal.pk] == ("accepted" if index in taken else "rejected")


def test_a_late_visit_recorded_as_begun_after_midnight_is_the_next_morning(
    client_for, member, person
):
    from teams.rota.clock import local_instant

    two_days_ago = timezone.localdate() - timedelta(days=2)
    start = local_instant(two_days_ago, time(23, 30))
    visit = factories.VisitFactory(
        person=person, start=start, end=start + timedelta(minutes=45), assigned=[member]
    )
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]),
        {"outcome": "done", "actual_start": "00:05", "actual_end": "00:50"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.actual_start == local_instant(two_days_ago + timedelta(days=1), time(0, 5))
    assert visit.actual_end - visit.actual_start == timedelta(minutes=45)


def test_hours_and_continuity_per_member_and_person_in_fixed_queries(
    client_for, member, colleague, team, person, monday, assert_fixed_queries
):
    other = factories.PersonFactory(team=team, name="Stan Jones", preferred_name="Stan")
    for day, worker in enumerate([member, colleague, member]):
        visit_at(person, monday + timedelta(days=day), 8, 60, assigned=[worker], status="done")
    visit_at(other, monday, 12, 90, assigned=[member], status="done")
    visit_at(other, monday + timedelta(days=1), 12, 90, assigned=[member], status="missed")
    client = client_for(member)
    url = reverse("teams:rota:hours", args=[team.pk]) + f"?week={monday}"
    response = client.get(url)
    people = {entry["person"].known_as: entry for entry in response.context["people"]}
    assert people["Peggy"]["workers"] == 2
    assert people["Stan"]["workers"] == 1
    assert response.context["team_continuity"] == Decimal("1.5")
    if monday.month == (monday + timedelta(days=2)).month:
        assert people["Peggy"]["delivered"] == Decimal(3)
        assert people["Stan"]["delivered"] == Decimal("1.5")
    assert "Across the team: <strong>1.5</strong> on average" in response.content.decode()
    csv = client.get(url + "&format=csv").content.decode()
    [peggy] = [row for row in csv.splitlines() if row.startswith("Peggy,")]
    assert peggy.endswith(",2")

    def grow():
        for index in range(4):
            someone = factories.PersonFactory(team=team)
            worker = factories.MembershipFactory(team=team).user
            for day in range(7):
                visit_at(someone, monday + timedelta(days=day), 7 + index, assigned=[worker])

    assert_fixed_queries(lambda: client.get(url), grow, most=20)


def test_my_week_puts_today_before_swaps_and_folds_the_days_gone_by(
    client_for, member, colleague, person, monday, published, monkeypatch
):
    from teams.rota.clock import local_instant

    wednesday = monday + timedelta(days=2)
    now = local_instant(wednesday, time(10))
    monkeypatch.setattr(timezone, "now", lambda: now)
    visit_at(person, monday, 8, assigned=[member], published_at=published, status="done")
    visit_at(person, monday + timedelta(days=1), 8, assigned=[member], published_at=published)
    visit_at(person, wednesday, 12, assigned=[member], published_at=published)
    offered = visit_at(person, wednesday + timedelta(days=1), 8, assigned=[colleague])
    swaps.offer_make(by=colleague, visit=offered, note="Dentist")
    body = client_for(member).get(reverse("teams:rota:my_week")).content.decode()
    today = body.index("Today, Wednesday")
    assert today < body.index("Swaps you could take") < body.index("Thursday")
    assert "1 swap you could take" in body
    # Monday's visit is recorded, Tuesday's is not: the days gone by are folded away, but
    # open, with a note at the top, while one still needs recording.
    assert body.index("1 visit earlier this week still to record") < today
    assert '<details class="nhsuk-details wb-earlier" id="earlier" open>' in body
    assert "Earlier this week: 2 visits, 1 still to record" in body


def test_the_grid_marks_today_and_says_how_far_each_member_is_from_their_contract(
    client_for, member, team, person
):
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    worker = factories.MembershipFactory(team=team, contracted_hours=2).user
    visit_at(person, monday, 9, 210, assigned=[worker])
    response = client_for(member).get(reverse("teams:rota:team", args=[team.pk]))
    body = response.content.decode()
    assert response.context["days"][response.context["today_index"]] == today
    assert f'class="wb-grid__today" id="today">{today:%a} {today.day} {today:%b} ' in body
    # A phone shows a few days at a time: a link at the top goes straight to today's column.
    assert f'<a href="#today">Go to today, {today:%A} {today.day} {today:%B}</a>' in body
    assert body.index('href="#today"') < body.index('id="today"')
    # Hours over or under say what they are against.
    assert "1.5 hours over contract" in body
    assert "30 hours under contract" in body
    assert "3.5 of 2 contracted hours this week" in body
    # Another week has no today to go to.
    other = client_for(member).get(
        reverse("teams:rota:team", args=[team.pk]), {"week": monday + timedelta(days=7)}
    )
    assert 'href="#today"' not in other.content.decode()


def test_hours_page_says_what_each_figure_is(client_for, member, team):
    page = client_for(member).get(reverse("teams:rota:hours", args=[team.pk])).content.decode()
    for heading in ["Hours this week", "Contracted hours a week", "Contracted hours in "]:
        assert heading in page
    assert ">Week<" not in page


def test_a_worker_puts_right_a_visit_marked_done_by_mistake(client_for, member, person):
    start = timezone.now() - timedelta(hours=3)
    visit = factories.VisitFactory(
        person=person, start=start, assigned=[member], published_at=start
    )
    client = client_for(member)
    url = reverse("teams:rota:visit_record", args=[visit.pk])
    week = reverse("teams:rota:my_week") + f"?week={timezone.localtime(start).date()}"
    client.post(url, {"outcome": "done"})
    page = client.get(week).content.decode()
    assert "Recorded as planned" in page
    assert "Not right? Change it" in page
    client.post(url, {"outcome": "missed", "reason": "Peggy was in hospital"})
    visit.refresh_from_db()
    assert (visit.status, visit.reason) == (Visit.Status.MISSED, "Peggy was in hospital")
    assert (
        "Missed: Peggy was in hospital"
        in client.get(reverse("teams:rota:my_week")).content.decode()
    )


def test_the_persons_week_and_a_visit_lead_back_to_what_the_worker_does_next(
    client_for, member, person, published
):
    start = timezone.now() + timedelta(hours=1)
    visit = factories.VisitFactory(
        person=person, start=start, assigned=[member], published_at=published
    )
    client = client_for(member)
    week = f"?week={timezone.localtime(start).date()}"
    page = client.get(reverse("teams:rota:person_week", args=[person.pk]) + week)
    today = timezone.localdate()
    if timezone.localtime(start).date() == today:
        assert f"Today, {today:%A} {today.day}" in page.content.decode()
    detail = client.get(reverse("teams:rota:visit", args=[visit.pk])).content.decode()
    assert f"#visit-{visit.pk}" in detail
    assert "record it, or offer it to a colleague, in my week" in detail


def test_a_visit_needing_no_skills_says_none_are_needed(client_for, member, person, monday):
    visit = visit_at(person, monday, 8, assigned=[member])
    page = client_for(member).get(reverse("teams:rota:visit", args=[visit.pk])).content.decode()
    assert (
        '<dt class="nhsuk-summary-list__key">Skills needed</dt>'
        '<dd class="nhsuk-summary-list__value">None needed</dd>'
    ) in page
