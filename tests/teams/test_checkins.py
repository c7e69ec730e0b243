"""Check-ins: the coach and the team meet on a cadence, record what they agreed, and the
actions carry over until done. Only the team, its coach and admins see them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from teams.checkins import services
from teams.checkins.services import ActionDraft
from teams.models import Action, CheckIn, Membership
from teams.services import TeamError
from tests.factories import (
    ActionFactory,
    CheckInFactory,
    MembershipFactory,
    UserFactory,
    ValueFactory,
)
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _record(team, coach, **kwargs) -> CheckIn:
    return services.checkin_record(
        team=team, held_on=kwargs.pop("held_on", TODAY()), by=coach, **kwargs
    )


# --- Planning and cadence ------------------------------------------------------------------------


def test_team_and_coach_agree_how_often_they_meet(member, team):
    services.checkin_cadence_set(team=team, weeks=4, by=member)
    team.refresh_from_db()
    assert team.checkin_every_weeks == 4
    with pytest.raises(TeamError):
        services.checkin_cadence_set(team=team, weeks=0, by=member)


def test_planning_again_moves_the_planned_date_rather_than_adding_one(member, team):
    first = services.checkin_plan(team=team, on=TODAY() + timedelta(days=10), by=member)
    second = services.checkin_plan(team=team, on=TODAY() + timedelta(days=12), by=member)
    assert first.pk == second.pk
    assert CheckIn.objects.filter(team=team).count() == 1
    assert second.planned_for == TODAY() + timedelta(days=12)


def test_with_nothing_planned_the_page_says_when_the_check_in_is_due(client_for, member, team):
    url = reverse("teams:checkins", args=[team.pk])
    page = client_for(member).get(url).content.decode()
    assert "has not had a check-in with its coach so far" in page
    CheckInFactory(team=team, held_on=date(2026, 1, 5), planned_for=date(2026, 1, 5))
    team.checkin_every_weeks = 4
    team.save()
    page = client_for(member).get(url).content.decode()
    assert "Due by Monday 2 February 2026, 4 weeks after the last one" in page
    assert ("Overdue" in page) == (TODAY() > date(2026, 2, 2))


def test_a_check_in_cannot_be_planned_in_the_past(member, team):
    with pytest.raises(TeamError, match="today or a day to come"):
        services.checkin_plan(team=team, on=TODAY() - timedelta(days=1), by=member)


# --- Recording -----------------------------------------------------------------------------------


def test_coach_records_a_check_in_with_everything_the_team_agreed(coach, member, team):
    planned = services.checkin_plan(team=team, on=TODAY(), by=coach)
    kindness, courage = ValueFactory(name="Kindness"), ValueFactory(name="Courage")
    checkin = _record(
        team,
        coach,
        attendees=[member, coach],
        brought="Too many late visits on Tuesdays",
        notes="Agreed to try a new Tuesday pattern",
        values_lived=[kindness],
        values_missing=[courage],
        actions=[
            ActionDraft("Try the new Tuesday pattern", member, TODAY() + timedelta(days=14)),
            ActionDraft("Ask HQ about a second car", None, TODAY() + timedelta(days=7)),
            ActionDraft("   ", None, TODAY()),
        ],
    )
    assert checkin.pk == planned.pk, "the planned check-in becomes the record"
    assert checkin.coach == coach
    assert set(checkin.attendees.all()) == {member, coach}
    assert list(checkin.values_lived.all()) == [kindness]
    assert list(checkin.values_missing.all()) == [courage]
    assert sorted(checkin.actions.values_list("text", flat=True)) == [
        "Ask HQ about a second car",
        "Try the new Tuesday pattern",
    ]
    next_one = CheckIn.objects.get(team=team, held_on__isnull=True)
    assert next_one.planned_for == TODAY() + timedelta(weeks=team.checkin_every_weeks)


def test_a_check_in_is_recorded_once_held_not_before(coach, team):
    with pytest.raises(TeamError, match="in the future"):
        _record(team, coach, held_on=TODAY() + timedelta(days=1))


def test_an_action_belongs_to_someone_in_the_team(coach, team, other_member):
    with pytest.raises(TeamError, match="not in the team"):
        _record(team, coach, actions=[ActionDraft("Something", other_member, TODAY())])


def test_an_action_is_not_due_before_the_check_in(coach, team):
    with pytest.raises(TeamError, match="due before"):
        _record(team, coach, actions=[ActionDraft("Late", None, TODAY() - timedelta(days=3))])


def test_a_value_is_lived_or_missed_not_both(coach, team):
    value = ValueFactory()
    with pytest.raises(TeamError, match="not both"):
        _record(team, coach, values_lived=[value], values_missing=[value])


def test_only_the_coach_or_an_admin_records_a_check_in(member, admin, team, coach):
    with pytest.raises(PermissionDenied):
        _record(team, member)
    assert _record(team, admin).coach == coach


def test_open_actions_carry_over_until_done(client_for, coach, member, team):
    first = _record(
        team,
        coach,
        held_on=TODAY() - timedelta(days=40),
        actions=[
            ActionDraft("Carried over", member, TODAY() - timedelta(days=20)),
            ActionDraft("Finished now", None, TODAY() - timedelta(days=20)),
        ],
    )
    finished = first.actions.get(text="Finished now")
    page = client_for(coach).get(reverse("teams:checkin_new", args=[team.pk])).content.decode()
    assert "Actions from earlier check-ins that are now done" in page
    assert "Carried over" in page
    second = _record(team, coach, actions_done=[finished])
    finished.refresh_from_db()
    assert finished.status == Action.Status.DONE
    assert finished.closed_on == second.held_on
    open_texts = list(
        Action.objects.filter(team=team, status="open").values_list("text", flat=True)
    )
    assert open_texts == ["Carried over"]


def test_an_open_action_past_its_date_is_overdue_and_a_closed_one_never():
    action = ActionFactory.build(due_on=TODAY() - timedelta(days=1))
    assert action.is_overdue
    action.status = Action.Status.DONE
    assert not action.is_overdue
    assert not ActionFactory.build(due_on=TODAY()).is_overdue


def test_overdue_actions_are_highlighted_on_the_teams_check_in_page(client_for, coach, team):
    ActionFactory(
        checkin=CheckInFactory(team=team), due_on=TODAY() - timedelta(days=2), text="Late one"
    )
    page = client_for(coach).get(reverse("teams:checkins", args=[team.pk])).content.decode()
    assert "wb-action--overdue" in page
    assert "Overdue" in page


def test_overdue_actions_are_highlighted_to_their_owner_on_their_page(client_for, member, team):
    membership = Membership.objects.get(user=member)
    ActionFactory(
        checkin=CheckInFactory(team=team), owner=member, due_on=TODAY() - timedelta(days=2)
    )
    url = reverse("teams:member", args=[team.pk, membership.pk])
    page = client_for(member).get(url).content.decode()
    assert "Overdue" in page


def test_anyone_in_the_team_marks_an_action_done(client_for, member, team):
    action = ActionFactory(checkin=CheckInFactory(team=team))
    response = client_for(member).post(
        reverse("teams:action_status", args=[team.pk, action.pk]), {"status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    assert action.closed_on == TODAY()


def test_marking_an_action_done_returns_to_our_own_page_only(client_for, member, team):
    action = ActionFactory(checkin=CheckInFactory(team=team))
    url = reverse("teams:action_status", args=[team.pk, action.pk])
    client = client_for(member)
    assert client.post(url, {"status": "done", "next": "/"}).url == "/"
    action.status = "open"
    action.save()
    evil = client.post(url, {"status": "done", "next": "https://evil.example/"})
    assert evil.url.startswith(reverse("teams:checkins", args=[team.pk]))


def test_the_coach_records_through_the_page_with_two_actions(client_for, coach, member, team):
    due = (TODAY() + timedelta(days=10)).isoformat()
    response = client_for(coach).post(
        reverse("teams:checkin_new", args=[team.pk]),
        {
            "held_on": TODAY().isoformat(),
            "attendees": [member.pk, coach.pk],
            "brought": "Workload",
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-text": "Swap Tuesday visits",
            "actions-0-owner": str(member.pk),
            "actions-0-due_on": due,
            "actions-1-text": "Book a team day",
            "actions-1-owner": "",
            "actions-1-due_on": due,
            "actions-2-text": "",
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(team=team, held_on=TODAY())
    assert checkin.actions.count() == 2
    assert checkin.actions.get(text="Swap Tuesday visits").owner == member


# --- Bad input -----------------------------------------------------------------------------------


def test_bad_check_in_input_is_a_clear_400_and_saves_nothing(client_for, coach, member, team):
    client = client_for(coach)
    url = reverse("teams:checkin_new", args=[team.pk])
    response = client.post(
        url,
        {
            "held_on": "2026-02-31",
            "attendees": ["not-a-number"],
            "actions-TOTAL_FORMS": "1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-text": "No date",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a real date." in page
    assert "Say by when the action is due." in page
    # Without the formset's bookkeeping fields (a hand-made request), still a 400.
    assert client.post(url, {"held_on": TODAY().isoformat()}).status_code == 400
    assert client.post(
        url,
        {
            "held_on": TODAY().isoformat(),
            "actions-TOTAL_FORMS": "99999",
            "actions-INITIAL_FORMS": "0",
        },
    ).status_code in {200, 302, 400}
    assert (
        not CheckIn.objects.filter(team=team, held_on__isnull=False)
        .exclude(held_on=TODAY())
        .exists()
    )


def test_an_action_row_with_who_and_when_but_no_what_is_an_error_not_dropped(
    client_for, coach, member, team
):
    due = (TODAY() + timedelta(days=10)).isoformat()
    response = client_for(coach).post(
        reverse("teams:checkin_new", args=[team.pk]),
        {
            "held_on": TODAY().isoformat(),
            "actions-TOTAL_FORMS": "3",
            "actions-INITIAL_FORMS": "0",
            "actions-0-text": "Book a team day",
            "actions-0-due_on": due,
            "actions-1-text": "",
            "actions-1-owner": str(member.pk),
            "actions-1-due_on": due,
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Check-in recorded" not in page
    # Told at the top of the page, naming the row and leading to its "What".
    assert '<a href="#id_actions-1-text">Action 2: Say what the action is.</a>' in page
    assert page.index("There is a problem") < page.index('name="held_on"')
    assert not CheckIn.objects.filter(team=team, held_on=TODAY()).exists()
    assert not Action.objects.filter(team=team).exists()


def test_a_negative_count_of_actions_is_refused_not_taken_as_none(client_for, coach, team):
    response = client_for(coach).post(
        reverse("teams:checkin_new", args=[team.pk]),
        {
            "held_on": TODAY().isoformat(),
            "actions-TOTAL_FORMS": "-1",
            "actions-INITIAL_FORMS": "0",
            "actions-0-text": "Book the first-aid refresher",
        },
    )
    assert response.status_code == 400
    assert "did not arrive whole" in response.content.decode()
    assert not CheckIn.objects.filter(team=team, held_on=TODAY()).exists()


def test_an_unknown_action_status_is_refused_kindly(client_for, member, team):
    action = ActionFactory(checkin=CheckInFactory(team=team))
    response = client_for(member).post(
        reverse("teams:action_status", args=[team.pk, action.pk]), {"status": "vanished"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "open"


def test_bad_plan_and_cadence_input_is_told_not_saved(client_for, member, team):
    client = client_for(member)
    page = client.post(
        reverse("teams:checkin_plan", args=[team.pk]), {"planned_for": "soon"}, follow=True
    ).content.decode()
    assert "Enter a real date." in page
    page = client.post(
        reverse("teams:checkin_cadence", args=[team.pk]), {"weeks": "-3"}, follow=True
    ).content.decode()
    assert "At most every week." in page
    team.refresh_from_db()
    assert team.checkin_every_weeks == 6


# --- Who sees check-ins ---------------------------------------------------------------------------


def test_only_the_team_its_coach_and_admins_see_its_check_ins(
    client_for, member, coach, admin, other_member, outsider, team, other_team
):
    checkin = CheckInFactory(team=team, notes="Private notes of Northfield")
    action = ActionFactory(checkin=checkin)
    other_coach = UserFactory(with_mfa=True)
    other_team.coach = other_coach
    other_team.save()
    urls = [
        reverse("teams:checkins", args=[team.pk]),
        reverse("teams:checkin_detail", args=[team.pk, checkin.pk]),
    ]
    for user in (member, coach, admin):
        for url in urls:
            assert client_for(user).get(url).status_code == 200, (user, url)
    for user in (other_member, outsider, other_coach):
        client = client_for(user)
        for url in [*urls, reverse("teams:checkin_new", args=[team.pk])]:
            assert client.get(url).status_code == 404, (user, url)
        for name, args in [
            ("teams:checkin_new", [team.pk]),
            ("teams:checkin_plan", [team.pk]),
            ("teams:checkin_cadence", [team.pk]),
            ("teams:action_status", [team.pk, action.pk]),
        ]:
            response = client.post(
                reverse(name, args=args), {"status": "done", "weeks": "2", "held_on": "2026-01-01"}
            )
            assert response.status_code == 404, (user, name)
    action.refresh_from_db()
    assert action.status == "open"


def test_a_check_in_of_another_team_is_not_found_through_this_teams_address(
    client_for, member, team, other_team
):
    foreign = CheckInFactory(team=other_team)
    foreign_action = ActionFactory(checkin=foreign)
    client = client_for(member)
    assert (
        client.get(reverse("teams:checkin_detail", args=[team.pk, foreign.pk])).status_code == 404
    )
    response = client.post(
        reverse("teams:action_status", args=[team.pk, foreign_action.pk]), {"status": "done"}
    )
    assert response.status_code == 404


def test_a_member_is_not_offered_recording_and_is_refused_it(client_for, member, team):
    client = client_for(member)
    page = client.get(reverse("teams:checkins", args=[team.pk])).content.decode()
    assert "Record a check-in" not in page
    assert client.get(reverse("teams:checkin_new", args=[team.pk])).status_code == 403


# --- The reminder --------------------------------------------------------------------------------


def test_coach_and_team_are_reminded_once_before_a_planned_check_in(settings, coach, member, team):
    settings.CHECKIN_REMINDER_DAYS_BEFORE = 2
    MembershipFactory(team=team, user__email="gone@example.org", left=date(2025, 1, 1))
    planned = services.checkin_plan(team=team, on=TODAY() + timedelta(days=2), by=coach)
    assert services.checkin_send_reminders() == 1
    assert services.checkin_send_reminders() == 0
    assert services.checkin_remind(checkin_id=planned.pk) is False
    assert sorted(OutboxEmail.objects.values_list("to", flat=True)) == sorted(
        [coach.email, member.email]
    )


def test_no_reminder_too_early_or_for_a_held_check_in(settings, coach, team):
    settings.CHECKIN_REMINDER_DAYS_BEFORE = 2
    services.checkin_plan(team=team, on=TODAY() + timedelta(days=5), by=coach)
    CheckInFactory(team=team, held_on=TODAY(), planned_for=TODAY() + timedelta(days=1))
    assert services.checkin_send_reminders() == 0


def test_moving_the_date_brings_a_reminder_for_the_new_date(settings, coach, team):
    settings.CHECKIN_REMINDER_DAYS_BEFORE = 2
    services.checkin_plan(team=team, on=TODAY() + timedelta(days=1), by=coach)
    services.checkin_send_reminders()
    services.checkin_plan(team=team, on=TODAY() + timedelta(days=2), by=coach)
    assert services.checkin_send_reminders() == 1
    assert OutboxEmail.objects.filter(to=coach.email).count() == 2


# --- Query counts --------------------------------------------------------------------------------


def _grow_checkins(team, member, count: int) -> None:
    values = [ValueFactory(), ValueFactory()]
    for n in range(count):
        checkin = CheckInFactory(team=team, held_on=date(2025, 1, 1) + timedelta(days=n))
        checkin.attendees.set([member, MembershipFactory(team=team).user])
        checkin.values_lived.set(values[:1])
        checkin.values_missing.set(values[1:])
        ActionFactory.create_batch(2, checkin=checkin, owner=member)
        ActionFactory(checkin=checkin, status="done", closed_on=date(2025, 2, 1))


def test_check_in_pages_run_a_fixed_number_of_queries(
    client_for, coach, member, team, assert_fixed_queries
):
    _grow_checkins(team, member, 1)
    checkin = CheckIn.objects.filter(team=team).first()
    client = client_for(coach)
    membership = Membership.objects.get(user=member)
    for url in [
        reverse("teams:checkins", args=[team.pk]),
        reverse("teams:checkin_detail", args=[team.pk, checkin.pk]),
        reverse("teams:checkin_new", args=[team.pk]),
        reverse("teams:member", args=[team.pk, membership.pk]),
    ]:
        assert_fixed_queries(
            lambda url=url: client.get(url), lambda: _grow_checkins(team, member, 12), most=20
        )


def test_the_pulse_discussed_is_offered_and_linked(client_for, coach, team, crew):
    from tests.teams.conftest import run_pulse

    pulse = run_pulse(team, crew, [4, 4, 3])
    client = client_for(coach)
    form = client.get(reverse("teams:checkin_new", args=[team.pk])).content.decode()
    assert f'<option value="{pulse.pk}" selected>' in form
    response = client.post(
        reverse("teams:checkin_new", args=[team.pk]),
        {
            "held_on": TODAY().isoformat(),
            "pulse": str(pulse.pk),
            "actions-TOTAL_FORMS": "0",
            "actions-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(team=team, held_on=TODAY())
    assert checkin.pulse == pulse
    detail = client.get(response.url).content.decode()
    assert reverse("teams:pulse_detail", args=[team.pk, pulse.pk]) in detail


def test_what_a_check_in_left_out_is_said_in_words_not_none(client_for, coach, team):
    client = client_for(coach)
    form = client.get(reverse("teams:checkin_new", args=[team.pk])).content.decode()
    assert '<option value="" selected>Not discussed</option>' in form
    assert ">None<" not in form
    checkin = _record(team, coach)
    detail = client.get(reverse("teams:checkin_detail", args=[team.pk, checkin.pk]))
    text = re.sub(r"<[^>]+>", " ", detail.content.decode())
    assert re.search(r"Pulse discussed\s+Not discussed", text)
    assert re.search(r"Decisions discussed\s+Not discussed", text)
    assert re.search(r"Notes\s+No notes", text)
    assert not re.search(r"\bNone\b(?! named)", text)
