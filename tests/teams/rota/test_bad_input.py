"""Input an attacker (or a slip of the keyboard) sends: a clear refusal, never a 500, and
nothing saved."""

from __future__ import annotations

import html
from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from teams.models import RotaSettings, Skill, Suggestion, Visit
from teams.rota import services
from teams.rota.clock import local_instant
from teams.rota.forms import PatternForm, PeriodForm, VisitForm
from teams.rota.services import RotaError
from teams.rota.views.reports import _cell
from tests import factories

pytestmark = pytest.mark.django_db

SUPERSCRIPT_TWO = "\u00b2"  # '²'.isdigit() is True, yet int('²') raises


def _visit_two_days_ago(person, member, hour: int, minute: int = 0) -> Visit:
    start = local_instant(timezone.localdate() - timedelta(days=2), time(hour, minute))
    return factories.VisitFactory(
        person=person, start=start, end=start + timedelta(minutes=45), assigned=[member]
    )


# --- 1. Recording a visit's real times ------------------------------------------------------

PAST_MIDNIGHT = (
    "The end must be after the start. For a visit that went past midnight, the end can be "
    "earlier than the start, as long as the visit lasted 12 hours or less."
)


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        ("07:30", "07:30", "The end must be after the start."),
        ("07:30", "07:29", PAST_MIDNIGHT),
        ("07:30", "06:00", PAST_MIDNIGHT),
    ],
)
def test_an_end_at_or_just_before_the_start_is_refused_not_a_day_long_visit(
    client_for, member, person, starts, ends, message
):
    visit = _visit_two_days_ago(person, member, 7, 30)
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]),
        {"outcome": "done", "actual_start": starts, "actual_end": ends},
    )
    assert response.status_code == 400
    assert message in html.unescape(response.content.decode())
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED
    assert visit.actual_start is None
    assert visit.actual_end is None


def test_an_end_before_the_start_is_the_next_day_for_a_plausible_visit(client_for, member, person):
    visit = _visit_two_days_ago(person, member, 22)
    response = client_for(member).post(
        reverse("teams:rota:visit_record", args=[visit.pk]),
        {"outcome": "done", "actual_start": "22:00", "actual_end": "06:00"},
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.actual_end - visit.actual_start == timedelta(hours=8)


def test_the_service_refuses_a_recorded_visit_longer_than_12_hours(member, person):
    visit = _visit_two_days_ago(person, member, 7)
    with pytest.raises(RotaError, match="12 hours"):
        services.visit_record(
            visit=visit,
            by=member,
            done=True,
            actual_start=visit.start,
            actual_end=visit.start + timedelta(hours=12, minutes=1),
        )
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


# --- 2. Digits Python reads as digits and int() does not ------------------------------------


def test_an_offer_of_a_visit_whose_id_is_not_a_number_is_refused(client_for, member):
    response = client_for(member).post(
        reverse("teams:rota:offer_create"), {"visit": SUPERSCRIPT_TWO}, follow=True
    )
    assert response.status_code == 200
    assert "Choose a visit or shift to offer." in response.content.decode()


def test_a_proposal_id_that_is_not_a_number_is_ignored(client_for, member, team, monday):
    suggestion = Suggestion.objects.create(team=team, week_starts_on=monday, created_by=member)
    response = client_for(member).post(
        reverse("teams:rota:suggestion", args=[suggestion.pk]),
        {"decision": "some", "proposal": [SUPERSCRIPT_TWO]},
    )
    assert response.status_code == 302


@pytest.mark.parametrize("raw", [SUPERSCRIPT_TWO, "1" * 20, "-1"])
def test_the_visits_api_answers_a_team_that_is_not_a_number_with_400(
    client_for, member, monday, raw
):
    response = client_for(member).get("/api/v1/rota/visits/", {"week": monday, "team": raw})
    assert response.status_code == 400
    assert "team" in response.json()


def test_skills_for_many_members_are_all_refused_when_one_value_is_bad(client_for, member, team):
    hoist = Skill.objects.create(name="Hoist")
    members = [factories.MembershipFactory(team=team) for _ in range(4)]
    data = {"action": "skills"}
    for membership in members[:3]:
        data[f"skills_{membership.pk}"] = [str(hoist.pk)]
    data[f"skills_{members[3].pk}"] = [SUPERSCRIPT_TWO]
    response = client_for(member).post(
        reverse("teams:rota:skills", args=[team.pk]), data, follow=True
    )
    assert response.status_code == 200
    assert "Choose skills from the list." in response.content.decode()
    for membership in members:
        assert not membership.skills.exists()


# --- 3. Adding a skill every team sees --------------------------------------------------------


def test_only_a_planner_adds_a_skill(client_for, member, colleague, team):
    RotaSettings.objects.create(team=team).coordinators.add(colleague)
    with pytest.raises(PermissionDenied):
        services.skill_add(team=team, name="Hoist", by=member)
    response = client_for(member).post(
        reverse("teams:rota:skills", args=[team.pk]), {"action": "add_skill", "name": "Hoist"}
    )
    assert response.status_code == 403
    assert not Skill.objects.filter(name="Hoist").exists()
    assert services.skill_add(team=team, name="Hoist", by=colleague).name == "Hoist"


# --- 4. Dates the rota's pages could not show -------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1900-01-01", "2101-01-01"])
def test_a_visit_on_an_absurd_day_is_a_clear_form_error(client_for, member, team, person, day):
    response = client_for(member).post(
        reverse("teams:rota:visit_new", args=[team.pk]),
        {
            "person": person.pk,
            "day": day,
            "starts": "08:00",
            "ends": "09:00",
            "care": "x",
            "workers_needed": 1,
        },
    )
    assert response.status_code == 400
    assert "Choose a date between 2000 and 2100." in response.content.decode()
    assert not Visit.objects.exists()


def test_every_rota_date_field_keeps_to_the_range(team, person):
    far = {"first_day": "9999-12-30", "last_day": "9999-12-31"}
    assert set(PeriodForm(far).errors) == {"first_day", "last_day"}
    pattern = PatternForm({"valid_from": "1900-01-01", "valid_until": "9999-12-31"}, team=team)
    assert {"valid_from", "valid_until"} <= set(pattern.errors)
    assert "day" not in VisitForm({"day": "2000-01-01"}, team=team).errors
    assert "day" not in VisitForm({"day": "2100-12-31"}, team=team).errors


# --- 6. The hours spreadsheet -----------------------------------------------------------------


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_name_a_spreadsheet_would_run_is_written_as_text(start):
    assert _cell(f"{start}HYPERLINK()") == f"'{start}HYPERLINK()"
    assert _cell("Peggy") == "Peggy"
