"""Roles: the team shares out its running as roles, held for a term, reviewed, passed on."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from teams.models import Membership, RoleAssignment, RoleTemplate
from teams.roles import services
from teams.services import TeamError
from tests.factories import MembershipFactory, RoleAssignmentFactory, RoleFactory
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def membership(member, team):
    return Membership.objects.get(user=member, team=team)


@pytest.fixture
def rota_role(team):
    return RoleFactory(team=team, name="Rota coordinator", term_months=6)


# --- Adopting and adapting -----------------------------------------------------------------------


def test_the_organisation_suggests_roles_for_teams_to_adopt():
    assert RoleTemplate.objects.filter(name="Rota coordinator").exists()
    assert RoleTemplate.objects.count() >= 5


def test_team_adopts_a_suggested_role_and_adapts_it(member, team):
    template = RoleTemplate.objects.get(name="Informer")
    role = services.role_create(
        team=team,
        template=template,
        name="Informer and minute taker",
        purpose=template.purpose,
        accountabilities="Keeps the minutes",
        term_months=4,
        by=member,
    )
    assert role.template == template
    assert role.name == "Informer and minute taker"
    assert role.accountability_list == ["Keeps the minutes"]
    page = reverse("teams:roles", args=[team.pk])
    assert "Informer and minute taker" in _page(member, page)


def test_a_team_cannot_have_two_roles_with_the_same_name(member, team, rota_role):
    with pytest.raises(TeamError, match="already has a role called"):
        services.role_create(team=team, name="rota Coordinator", purpose="x", by=member)


def test_another_team_may_use_the_same_role_name(other_member, other_team, rota_role):
    role = services.role_create(
        team=other_team, name="Rota coordinator", purpose="Plans", by=other_member
    )
    assert role.team == other_team


def test_only_someone_who_sees_the_team_can_create_its_roles(other_member, team):
    with pytest.raises(PermissionDenied):
        services.role_create(team=team, name="Planner", purpose="Plans", by=other_member)


# --- Holding a role ------------------------------------------------------------------------------


def test_a_term_is_reviewed_at_its_end_unless_the_team_says_otherwise(
    member, membership, rota_role
):
    term = services.role_assign(
        role=rota_role,
        membership=membership,
        chosen_how="consent",
        started=date(2026, 1, 31),
        by=member,
    )
    assert term.review_on == date(2026, 7, 31)
    assert term.get_chosen_how_display() == "Agreed by consent at a team meeting"


def test_only_a_current_member_of_the_team_can_hold_its_role(member, rota_role, other_team):
    outsider_membership = MembershipFactory(team=other_team)
    with pytest.raises(TeamError, match="Only a member of the team"):
        services.role_assign(
            role=rota_role, membership=outsider_membership, chosen_how="rotated", by=member
        )
    left = MembershipFactory(team=rota_role.team, left=date(2025, 6, 1))
    with pytest.raises(TeamError, match="not a current member"):
        services.role_assign(role=rota_role, membership=left, chosen_how="rotated", by=member)


def test_nobody_holds_the_same_role_twice_at_once(member, membership, rota_role):
    services.role_assign(role=rota_role, membership=membership, chosen_how="rotated", by=member)
    with pytest.raises(TeamError, match="already holds"):
        services.role_assign(role=rota_role, membership=membership, chosen_how="rotated", by=member)


def test_a_role_can_have_two_holders(member, membership, rota_role, team):
    second = MembershipFactory(team=team)
    services.role_assign(role=rota_role, membership=membership, chosen_how="rotated", by=member)
    services.role_assign(role=rota_role, membership=second, chosen_how="rotated", by=member)
    assert rota_role.assignments.current().count() == 2


def test_a_term_cannot_end_before_it_started(member, membership, rota_role):
    term = services.role_assign(
        role=rota_role,
        membership=membership,
        chosen_how="volunteered",
        started=date(2026, 5, 1),
        by=member,
    )
    with pytest.raises(TeamError, match="before it started"):
        services.role_assignment_end(assignment=term, ended=date(2026, 4, 1), by=member)


def test_handing_a_role_back_keeps_the_term_in_its_history(
    client_for, member, membership, rota_role
):
    term = RoleAssignmentFactory(role=rota_role, membership=membership, started=date(2025, 1, 1))
    client = client_for(member)
    response = client.post(reverse("teams:assignment_end", args=[rota_role.team_id, term.pk]))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.ended == timezone.localdate()
    page = _page(member, reverse("teams:role_detail", args=[rota_role.team_id, rota_role.pk]))
    assert "Nobody holds it" in page
    assert "Who held it before" in page
    assert "Mina Member: 1 Jan 2025 to" in page


def test_a_retired_role_keeps_its_history_and_cannot_be_taken_on(member, membership, rota_role):
    term = RoleAssignmentFactory(role=rota_role, membership=membership)
    services.role_retire(role=rota_role, by=member)
    term.refresh_from_db()
    assert term.ended == timezone.localdate()
    with pytest.raises(TeamError, match="retired"):
        services.role_assign(role=rota_role, membership=membership, chosen_how="rotated", by=member)


def test_a_role_nobody_holds_is_shown_as_a_gap_on_the_team_page(
    client_for, member, team, rota_role
):
    held = RoleFactory(team=team, name="Informer")
    RoleAssignmentFactory(role=held, membership=Membership.objects.get(user=member))
    page = _page(member, reverse("teams:detail", args=[team.pk]))
    assert "Rota coordinator" in page
    assert "Nobody holds it" in page
    assert "Informer" in page


def test_member_page_shows_the_roles_they_hold_and_have_held(client_for, member, membership, team):
    now_role = RoleFactory(team=team, name="Wellbeing lead")
    old_role = RoleFactory(team=team, name="Buddy")
    RoleAssignmentFactory(role=now_role, membership=membership, started=date(2025, 9, 1))
    RoleAssignmentFactory(
        role=old_role, membership=membership, started=date(2024, 2, 1), ended=date(2024, 5, 1)
    )
    page = _page(member, reverse("teams:member", args=[team.pk, membership.pk]))
    held_now, held_before = page.split("Roles held before")
    assert "Wellbeing lead" in held_now
    assert "Buddy" not in held_now
    assert "Buddy: 1 Feb 2024 to 1 May 2024" in held_before


def test_review_keeps_the_holder_and_moves_the_review_date(member, membership, rota_role):
    term = RoleAssignmentFactory(
        role=rota_role, membership=membership, review_reminder_sent_at=timezone.now()
    )
    later = timezone.localdate() + timedelta(days=180)
    services.role_assignment_review(assignment=term, review_on=later, by=member)
    term.refresh_from_db()
    assert term.review_on == later
    assert term.review_reminder_sent_at is None
    with pytest.raises(TeamError, match="in the future"):
        services.role_assignment_review(assignment=term, review_on=date(2020, 1, 1), by=member)


# --- The one reminder when a term is due for review ----------------------------------------------


def _due_term(team, membership, *, days: int = 3) -> RoleAssignment:
    role = RoleFactory(team=team, name=f"Role due in {days}")
    return RoleAssignmentFactory(
        role=role,
        membership=membership,
        started=date(2025, 1, 1),
        review_on=timezone.localdate() + timedelta(days=days),
    )


def test_the_whole_team_hears_once_that_a_term_is_due_for_review(member, membership, team):
    colleague = MembershipFactory(team=team, user__email="colleague@example.org")
    MembershipFactory(team=team, user__email="gone@example.org", left=date(2025, 1, 1))
    term = _due_term(team, membership)
    assert services.role_send_review_reminders() == 1
    assert services.role_send_review_reminders() == 0
    assert services.role_review_remind(assignment_id=term.pk) is False
    emails = OutboxEmail.objects.filter(idempotency_key__startswith="role-review:")
    assert sorted(emails.values_list("to", flat=True)) == sorted(
        [member.email, colleague.user.email]
    )
    assert "time to review who holds Role due in 3" in emails.first().subject


def test_no_review_reminder_before_the_notice_period_or_for_an_ended_term(
    settings, membership, team
):
    settings.ROLE_REVIEW_NOTICE_DAYS = 14
    _due_term(team, membership, days=30)
    ended = _due_term(team, membership, days=2)
    ended.ended = timezone.localdate()
    ended.save()
    assert services.role_send_review_reminders() == 0


def test_after_a_review_the_next_review_gets_its_own_reminder(member, membership, team):
    term = _due_term(team, membership)
    services.role_send_review_reminders()
    services.role_assignment_review(
        assignment=term, review_on=timezone.localdate() + timedelta(days=5), by=member
    )
    assert services.role_send_review_reminders() == 1
    assert OutboxEmail.objects.filter(to=member.email).count() == 2


# --- Who may see and change a team's roles -------------------------------------------------------


def test_member_of_another_team_cannot_see_or_change_this_teams_roles(
    client_for, other_member, team, membership, rota_role
):
    term = RoleAssignmentFactory(role=rota_role, membership=membership)
    client = client_for(other_member)
    for name, args in [
        ("teams:roles", [team.pk]),
        ("teams:role_new", [team.pk]),
        ("teams:role_detail", [team.pk, rota_role.pk]),
        ("teams:role_edit", [team.pk, rota_role.pk]),
        ("teams:member", [team.pk, membership.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args in [
        ("teams:role_new", [team.pk]),
        ("teams:role_edit", [team.pk, rota_role.pk]),
        ("teams:role_assign", [team.pk, rota_role.pk]),
        ("teams:role_retire", [team.pk, rota_role.pk]),
        ("teams:assignment_end", [team.pk, term.pk]),
        ("teams:assignment_review", [team.pk, term.pk]),
    ]:
        assert client.post(reverse(name, args=args), {"name": "x"}).status_code == 404, name
    term.refresh_from_db()
    rota_role.refresh_from_db()
    assert term.ended is None
    assert rota_role.retired_on is None


def test_a_role_of_another_team_is_not_found_through_this_teams_address(
    client_for, member, team, other_team
):
    foreign = RoleFactory(team=other_team)
    response = client_for(member).get(reverse("teams:role_detail", args=[team.pk, foreign.pk]))
    assert response.status_code == 404


def test_coach_and_admin_may_change_the_teams_roles(client_for, coach, admin, team, membership):
    for user, name in [(coach, "Planner"), (admin, "Informer")]:
        response = client_for(user).post(
            reverse("teams:role_new", args=[team.pk]),
            {"name": name, "purpose": "Keeps us going", "term_months": "6"},
        )
        assert response.status_code == 302, user
    assert set(team.roles.values_list("name", flat=True)) == {"Planner", "Informer"}


# --- Bad input -----------------------------------------------------------------------------------


def test_bad_input_on_role_forms_is_a_clear_400(client_for, member, team, rota_role):
    client = client_for(member)
    response = client.post(
        reverse("teams:role_new", args=[team.pk]), {"name": "", "term_months": "forever"}
    )
    assert response.status_code == 400
    assert "Give the role a name." in response.content.decode()
    assert "Enter the term as a number of months" in response.content.decode()
    response = client.post(
        reverse("teams:role_assign", args=[team.pk, rota_role.pk]),
        {"membership": "999999999999", "chosen_how": "drafted", "started": "31/31/2026"},
    )
    assert response.status_code == 400
    assert "Choose one of the team&#x27;s current members." in response.content.decode()
    assert (
        client.get(reverse("teams:role_new", args=[team.pk]) + "?template=abc").status_code == 200
    )
    assert (
        client.get(
            reverse("teams:role_new", args=[team.pk]) + "?template=99999999999999999999"
        ).status_code
        == 200
    )


def test_a_review_date_in_the_past_is_refused_with_a_message(
    client_for, member, membership, rota_role
):
    term = RoleAssignmentFactory(role=rota_role, membership=membership)
    client = client_for(member)
    response = client.post(
        reverse("teams:assignment_review", args=[rota_role.team_id, term.pk]),
        {"review_on": "2020-01-01"},
        follow=True,
    )
    assert "The next review date is in the future." in response.content.decode()


def test_a_duplicate_role_name_is_shown_on_the_form(client_for, member, team, rota_role):
    response = client_for(member).post(
        reverse("teams:role_new", args=[team.pk]),
        {"name": "Rota coordinator", "purpose": "Again", "term_months": "6"},
    )
    assert response.status_code == 400
    assert "already has a role called Rota coordinator" in response.content.decode()


# --- Query counts --------------------------------------------------------------------------------


def _grow_roles(team, count: int) -> None:
    for _ in range(count):
        membership = MembershipFactory(team=team)
        role = RoleFactory(team=team)
        RoleAssignmentFactory(role=role, membership=membership)
        RoleAssignmentFactory(
            role=role, membership=membership, started=date(2024, 1, 1), ended=date(2024, 6, 1)
        )


def test_roles_pages_run_a_fixed_number_of_queries(
    client_for, member, team, membership, rota_role, assert_fixed_queries
):
    client = client_for(member)
    RoleAssignmentFactory(role=rota_role, membership=membership)
    for url in [
        reverse("teams:roles", args=[team.pk]),
        reverse("teams:role_detail", args=[team.pk, rota_role.pk]),
        reverse("teams:member", args=[team.pk, membership.pk]),
    ]:

        def grow(url=url):
            _grow_roles(team, 6)
            for n in range(4):
                RoleAssignmentFactory(
                    role=rota_role,
                    membership=MembershipFactory(team=team),
                    started=date(2023, 1, 1),
                    ended=date(2023, 2, 1),
                )
                RoleAssignmentFactory(
                    role=RoleFactory(team=team, name=f"{url} {n}"),
                    membership=membership,
                    started=date(2023, 1, 1),
                    ended=date(2023, 2, 1),
                )

        assert_fixed_queries(lambda url=url: client.get(url), grow, most=15)


def _page(user, url: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# --- Dates beyond what the team plans for: a clear refusal, never a crash ----------------------


@pytest.mark.parametrize("started", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_a_term_starting_on_an_absurd_day_is_a_form_error(
    client_for, member, membership, team, rota_role, started
):
    response = client_for(member).post(
        reverse("teams:role_assign", args=[team.pk, rota_role.pk]),
        {"membership": membership.pk, "chosen_how": "rotated", "started": started},
    )
    assert response.status_code == 400
    assert "Choose a date between 2000 and 2100." in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_role_assign_refuses_a_term_beyond_the_calendar(member, membership, rota_role):
    with pytest.raises(TeamError, match="between 2000 and 2100"):
        services.role_assign(
            role=rota_role,
            membership=membership,
            chosen_how="rotated",
            started=date(9999, 12, 31),
            by=member,
        )
    assert not RoleAssignment.objects.exists()


def test_add_months_refuses_to_run_off_the_calendar():
    from teams.dates import DateOutOfRange, add_months

    assert add_months(date(2100, 12, 31), 1) == date(2101, 1, 31)
    with pytest.raises(DateOutOfRange):
        add_months(date(9999, 12, 31), 1)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1900-01-01"])
def test_team_date_fields_keep_to_the_range_the_team_plans_for(day):
    from teams.checkins.forms import PlanForm
    from teams.decisions.forms import DecideForm
    from teams.roles.forms import ReviewForm

    for form in (
        PlanForm({"planned_for": day}),
        DecideForm({"outcome": "x", "review_on": day}),
        ReviewForm({"review_on": day}),
    ):
        assert not form.is_valid()
        assert "Choose a date between 2000 and 2100." in str(form.errors)
    assert PlanForm({"planned_for": "2026-03-02"}).is_valid()
