"""A member's home page: what needs them (the pulse waiting, their actions, role reviews,
advice asked of them), then the team's news; other apps' sections first."""

from __future__ import annotations

from copy import deepcopy
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from teams import registry
from teams.decisions import services as decision_services
from teams.models import Decision
from teams.pulse import services as pulse_services
from tests.factories import (
    ActionFactory,
    CheckInFactory,
    DecisionFactory,
    MembershipFactory,
    RoleAssignmentFactory,
    RoleFactory,
)
from tests.teams.conftest import published_pulse, run_pulse

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_pulse_waiting_for_an_answer_comes_first_until_answered(client_for, team, crew):
    pulse = pulse_services.pulse_open(team=team)
    client = client_for(crew[0])
    page = _home(client)
    assert "How is Northfield doing?" in page
    assert reverse("teams:pulse_answer", args=[team.pk, pulse.pk]) in page
    pulse_services.pulse_answer(
        pulse=pulse, user=crew[0], ratings={s.pk: 4 for s in pulse.statements.all()}
    )
    assert "How is Northfield doing?" not in _home(client)


def test_their_own_and_whole_team_actions_with_overdue_highlighted(
    client_for, team, member, other_team
):
    checkin = CheckInFactory(team=team)
    ActionFactory(
        checkin=checkin,
        owner=member,
        text="Call Peggy's daughter",
        due_on=TODAY() - timedelta(days=2),
    )
    ActionFactory(checkin=checkin, owner=None, text="Tidy the office")
    colleague = MembershipFactory(team=team).user
    ActionFactory(checkin=checkin, owner=colleague, text="Colleague's own job")
    ActionFactory(checkin=CheckInFactory(team=other_team), text="Riverside job")
    ActionFactory(checkin=checkin, owner=member, text="Finished job", status="done")
    page = _home(client_for(member))
    assert "Call Peggy&#x27;s daughter" in page
    assert "Tidy the office" in page
    assert "The whole team" in page
    assert "Overdue" in page
    assert "wb-action--overdue" in page
    for absent in ("Colleague&#x27;s own job", "Riverside job", "Finished job"):
        assert absent not in page
    assert page.index("Call Peggy") < page.index("Tidy the office"), "their own first"


def test_marking_an_action_done_from_home_returns_home(client_for, team, member):
    action = ActionFactory(checkin=CheckInFactory(team=team), owner=member)
    client = client_for(member)
    response = client.post(
        reverse("teams:action_status", args=[team.pk, action.pk]), {"status": "done", "next": "/"}
    )
    assert response.url == "/"
    page = _home(client)
    assert f"“{action.text}”: done." in page, "the message says so"
    assert "Your actions" not in page


def test_role_reviews_due_and_advice_asked_of_them(client_for, team, crew, settings):
    settings.ROLE_REVIEW_NOTICE_DAYS = 14
    member = crew[0]
    membership = member.memberships.get()
    RoleAssignmentFactory(
        role=RoleFactory(team=team, name="Rota coordinator"),
        membership=membership,
        review_on=TODAY() + timedelta(days=5),
    )
    RoleAssignmentFactory(
        role=RoleFactory(team=team, name="Far-off role"),
        membership=membership,
        review_on=TODAY() + timedelta(days=60),
    )
    decision_services.decision_propose(
        team=team,
        proposer=crew[1],
        title="Team day in March",
        proposal="A day together",
        affected="All of us",
        advisors=[member],
        advice_by=TODAY() + timedelta(days=3),
    )
    page = _home(client_for(member))
    assert "Roles due for review" in page
    assert "Rota coordinator" in page
    assert "Far-off role" not in page
    assert "Your advice is asked for" in page
    assert "Team day in March" in page


def test_a_proposal_whose_time_for_advice_is_over_waits_for_its_proposer(client_for, team, crew):
    proposer, ben, *_ = crew
    decision = DecisionFactory(
        team=team, proposer=proposer, title="Team day in March", advice_by=TODAY()
    )
    DecisionFactory(
        team=team, proposer=proposer, title="Still asking", advice_by=TODAY() + timedelta(days=4)
    )
    assert "ready to decide" not in _home(client_for(proposer)), "advice is wanted until then"
    Decision.objects.filter(pk=decision.pk).update(advice_by=TODAY() - timedelta(days=1))
    page = _home(client_for(proposer))
    waiting = page[page.index("Your proposals, ready to decide") : page.index("Team news")]
    assert "Team day in March" in waiting
    assert "Still asking" not in waiting
    assert "ready to decide" not in _home(client_for(ben)), "only the proposer decides"
    decision_services.decision_record(
        decision=decision, by=proposer, outcome="Yes", review_on=TODAY() + timedelta(days=90)
    )
    assert "Your proposals, ready to decide" not in _home(client_for(proposer))


def test_team_news_after_what_needs_them(client_for, team, crew, coach):
    run_pulse(team, crew, [4, 4, 4], opened=timezone.now() - timedelta(days=9))
    CheckInFactory(team=team, held_on=TODAY() - timedelta(days=2))
    DecisionFactory(team=team, proposer=crew[1], title="Buy a kettle")
    RoleAssignmentFactory(
        role=RoleFactory(team=team, name="Informer"),
        membership=crew[2].memberships.get(),
        started=TODAY() - timedelta(days=1),
    )
    page = _home(client_for(crew[0]))
    news = page[page.index("Team news") :]
    assert "The pulse results are in" in news
    assert "Check-in with the coach" in news
    assert "proposed: Buy a kettle" in news
    assert "Chloe Colleague took on Informer" in news
    assert page.index("Waiting for you") < page.index("Team news")


def test_nothing_from_another_team_reaches_a_members_home(client_for, member, other_team):
    others = [MembershipFactory(team=other_team).user for _ in range(3)]
    pulse_services.pulse_open(team=other_team)
    DecisionFactory(team=other_team, proposer=others[0], title="Riverside secret")
    published_pulse(other_team, 3.0, opened=timezone.now() - timedelta(days=10))
    page = _home(client_for(member))
    assert "Riverside" not in page
    assert "Nothing is waiting for you" in page


def test_other_apps_sections_come_at_the_top(client_for, member, settings, monkeypatch):
    templates = deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"my_week.html": "<p>Visits: {{ visits }}</p>"}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates
    monkeypatch.setattr(
        registry,
        "member_home_sections",
        [
            lambda user: registry.HomeSection("My week", "my_week.html", {"visits": 7}, order=1),
            lambda user: None,
        ],
    )
    page = _home(client_for(member))
    assert "<p>Visits: 7</p>" in page
    assert page.index("My week") < page.index("Waiting for you")


def test_home_routes_each_user_to_their_work(client_for, member, coach, admin, outsider, team):
    assert "Waiting for you" in _home(client_for(member))
    assert "Teams you coach" in _home(client_for(coach))
    assert "All teams" in _home(client_for(admin))
    assert "not in a team yet" in _home(client_for(outsider))


def test_member_home_runs_a_fixed_number_of_queries(client_for, team, crew, assert_fixed_queries):
    member = crew[0]
    membership = member.memberships.get()
    client = client_for(member)

    def grow():
        now = timezone.now()
        for n in range(6):
            published_pulse(team, 3.5, opened=now - timedelta(days=20 + n))
            checkin = CheckInFactory(team=team, held_on=TODAY() - timedelta(days=n))
            ActionFactory.create_batch(2, checkin=checkin, owner=member)
            ActionFactory(checkin=checkin)
            DecisionFactory(team=team, proposer=crew[1])
            RoleAssignmentFactory(
                role=RoleFactory(team=team),
                membership=membership,
                started=TODAY() - timedelta(days=n),
                review_on=TODAY() + timedelta(days=3),
            )
            second = MembershipFactory(user=member).team
            MembershipFactory.create_batch(2, team=second)
            pulse_services.pulse_open(team=second)
        pulse_services.pulse_open(team=team)
        decision_services.decision_propose(
            team=team,
            proposer=crew[1],
            title="Ask",
            proposal="x",
            affected="y",
            advisors=[member],
            advice_by=TODAY(),
        )

    count = assert_fixed_queries(lambda: client.get("/"), grow, most=30)
    print(f"member home queries: {count}")  # noqa: T201
