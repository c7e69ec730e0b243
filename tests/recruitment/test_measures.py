"""Measures: a round's funnel, how long candidates waited, and whether its recruits stayed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import Candidate, Round
from recruitment.selectors.measures import add_months, round_measures
from tests.factories import MembershipFactory, UserFactory
from tests.recruitment.factories import CandidateFactory, open_round

pytestmark = pytest.mark.django_db


def test_funnel_counts_each_step_and_conversion():
    round_ = open_round()
    now = timezone.now()
    CandidateFactory.create_batch(4, round=round_)
    CandidateFactory(round=round_, stage="invited", invited_at=now)
    CandidateFactory(round=round_, stage="withdrawn", invited_at=now, attended_at=now)
    CandidateFactory(round=round_, stage="unsuccessful", invited_at=now, attended_at=now)
    hired = CandidateFactory(round=round_, stage="successful", invited_at=now, attended_at=now)
    hired.membership = MembershipFactory(joined=timezone.localdate())
    hired.save()

    (measures,) = round_measures(rounds=Round.objects.all())
    steps = {step.label: step for step in measures.funnel}
    assert steps["Applied"].count == 8
    assert steps["Invited to workshop"].count == 4
    assert steps["Invited to workshop"].conversion == 0.5
    assert steps["Attended workshop"].count == 3
    assert steps["Successful"].count == 1
    assert steps["Started in a team"].count == 1
    assert steps["Applied"].conversion is None


def test_days_to_decision_and_to_being_told_are_medians():
    round_ = open_round()
    applied = timezone.now() - timedelta(days=30)
    for decided_after, told_after in [(10, 12), (20, 21), (30, None)]:
        CandidateFactory(
            round=round_,
            stage="unsuccessful",
            applied_at=applied,
            decided_at=applied + timedelta(days=decided_after),
            communicated_at=applied + timedelta(days=told_after) if told_after else None,
        )
    (measures,) = round_measures(rounds=Round.objects.all())
    assert measures.days_to_decision == 20
    assert measures.days_to_told == 16.5


def test_retention_counts_only_those_who_started_long_enough_ago():
    round_ = open_round()
    today = date(2026, 11, 26)

    def started(joined, left=None):
        candidate = CandidateFactory(round=round_, stage=Candidate.Stage.SUCCESSFUL)
        candidate.membership = MembershipFactory(joined=joined, left=left)
        candidate.save()

    started(date(2025, 6, 1))  # stayed over a year
    started(date(2025, 6, 1), left=date(2025, 10, 1))  # left after four months
    started(date(2026, 9, 1))  # too recent for any milestone
    (measures,) = round_measures(rounds=Round.objects.all(), today=today)
    by_months = {r.months: r for r in measures.retention}
    assert (by_months[3].stayed, by_months[3].eligible) == (2, 2)
    assert (by_months[6].stayed, by_months[6].eligible) == (1, 2)
    assert (by_months[12].stayed, by_months[12].eligible) == (1, 2)


def test_successful_candidate_accepting_an_invitation_has_started(client, admin, team):
    from teams.services import team_invitation_send
    from wellbeing.accounts.models import Invitation, hash_token
    from wellbeing.accounts.services import invitation_accept

    candidate = CandidateFactory(stage=Candidate.Stage.SUCCESSFUL, email="sam@example.org")
    invitation = team_invitation_send(
        email="sam@example.org", display_name="Sam", invited_by=admin, team=team
    )
    token = "known-token-for-the-test"
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    invitation_accept(token=token, display_name="Sam", password="a-long-passphrase-here")
    candidate.refresh_from_db()
    assert candidate.membership.team == team


def test_measures_page_is_for_admins_and_round_owners(client_for, admin, member, coach):
    owner = UserFactory(with_mfa=True)
    open_round(owners=[owner])
    assert client_for(admin).get(reverse("recruitment:measures")).status_code == 200
    assert client_for(owner).get(reverse("recruitment:measures")).status_code == 200
    assert client_for(member).get(reverse("recruitment:measures")).status_code == 403
    assert client_for(coach).get(reverse("recruitment:measures")).status_code == 403


def test_round_owner_sees_only_their_rounds_measures(client_for):
    owner = UserFactory(with_mfa=True)
    open_round(title="Mine", owners=[owner])
    open_round(title="Someone else's")
    page = client_for(owner).get(reverse("recruitment:measures")).content.decode()
    assert "Mine" in page
    assert "Someone else" not in page


def test_measures_page_query_count_is_fixed(client_for, admin, assert_fixed_queries):
    client = client_for(admin)
    open_round(title="First")

    def grow():
        now = timezone.now()
        for n in range(3):
            round_ = open_round(title=f"Round {n}")
            CandidateFactory.create_batch(3, round=round_, stage="unsuccessful", decided_at=now)
            hired = CandidateFactory(round=round_, stage="successful", decided_at=now)
            hired.membership = MembershipFactory()
            hired.save()

    assert_fixed_queries(lambda: client.get(reverse("recruitment:measures")), grow, most=10)


def test_add_months_keeps_to_the_calendar():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)
