"""The decision log: a member proposes, asks those affected and those who know for advice
(they are emailed), records the advice, then decides and sets a review date. Searchable."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from teams.checkins import services as checkin_services
from teams.decisions import selectors, services
from teams.models import Decision
from teams.services import TeamError
from tests.factories import AdviceFactory, DecisionFactory, MembershipFactory, UserFactory
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

SOON = timezone.localdate() + timedelta(days=7)


def _propose(team, proposer, advisors, **kwargs) -> Decision:
    return services.decision_propose(
        team=team,
        proposer=proposer,
        title=kwargs.pop("title", "Start visits at 7:30 on weekdays"),
        proposal=kwargs.pop("proposal", "Earlier starts so Peggy gets breakfast on time."),
        affected=kwargs.pop("affected", "Early shifts, Peggy and her daughter"),
        advisors=advisors,
        advice_by=kwargs.pop("advice_by", SOON),
    )


def test_a_member_proposes_and_those_asked_for_advice_are_emailed(crew, team, coach):
    proposer, ben, *_ = crew
    decision = _propose(team, proposer, [ben, coach, proposer])
    assert set(decision.advisors.all()) == {ben, coach}, "nobody advises themselves"
    emails = OutboxEmail.objects.filter(
        idempotency_key__startswith=f"advice-request:{decision.pk}:"
    )
    assert sorted(emails.values_list("to", flat=True)) == sorted([ben.email, coach.email])
    body = emails.first().body_text
    assert "Start visits at 7:30 on weekdays" in body
    assert f"/teams/{team.pk}/decisions/{decision.pk}/" in body


def test_advice_is_asked_only_of_the_team_and_its_coach(crew, team, other_member):
    with pytest.raises(TeamError, match="not in Northfield"):
        _propose(team, crew[0], [other_member])
    with pytest.raises(TeamError, match="at least one person"):
        _propose(team, crew[0], [])


def test_a_proposal_needs_its_words_and_a_date_to_come(crew, team):
    with pytest.raises(TeamError, match="what you propose"):
        _propose(team, crew[0], [crew[1]], proposal="  ")
    with pytest.raises(TeamError, match="today or a day to come"):
        _propose(team, crew[0], [crew[1]], advice_by=timezone.localdate() - timedelta(days=1))


def test_advice_is_recorded_against_the_decision_then_the_proposer_decides(client_for, crew, team):
    proposer, ben, *_ = crew
    decision = _propose(team, proposer, [ben])
    services.advice_give(decision=decision, by=ben, text="Check with the night shift first.")
    with pytest.raises(PermissionDenied):
        services.decision_record(decision=decision, by=ben, outcome="x", review_on=SOON)
    services.decision_record(
        decision=decision,
        by=proposer,
        outcome="Start at 7:30 from next month, night shift agreed.",
        review_on=timezone.localdate() + timedelta(days=90),
    )
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DECIDED
    assert decision.decided_on == timezone.localdate()
    with pytest.raises(TeamError, match="advice is closed"):
        services.advice_give(decision=decision, by=ben, text="Late thought")
    page = client_for(ben).get(reverse("teams:decision_detail", args=[team.pk, decision.pk]))
    text = page.content.decode()
    assert "Check with the night shift first." in text
    assert "night shift agreed" in text
    assert "Give your advice" not in text


def test_a_review_date_comes_after_the_decision(crew, team):
    decision = _propose(team, crew[0], [crew[1]])
    with pytest.raises(TeamError, match="after it was made"):
        services.decision_record(
            decision=decision, by=crew[0], outcome="Yes", review_on=timezone.localdate()
        )


def test_the_proposer_may_withdraw_a_proposal_still_seeking_advice(crew, team):
    decision = _propose(team, crew[0], [crew[1]])
    services.decision_withdraw(decision=decision, by=crew[0])
    decision.refresh_from_db()
    assert decision.status == Decision.Status.WITHDRAWN
    with pytest.raises(TeamError):
        services.decision_withdraw(decision=decision, by=crew[0])


def test_the_team_searches_its_decisions(client_for, crew, team, other_team):
    DecisionFactory(team=team, proposer=crew[0], title="New rota pattern for Tuesdays")
    DecisionFactory(team=team, proposer=crew[0], title="Buy a second car", outcome="Lease one")
    DecisionFactory(team=other_team, title="Tuesday football")
    client = client_for(crew[1])
    url = reverse("teams:decisions", args=[team.pk])
    page = client.get(url, {"q": "tuesdays"}).content.decode()
    assert "New rota pattern for Tuesdays" in page
    assert "Buy a second car" not in page
    assert "Tuesday football" not in page
    assert "Buy a second car" in client.get(url, {"q": "lease"}).content.decode()
    assert "No decision matches" in client.get(url, {"q": "zebra"}).content.decode()


def test_silly_search_input_is_handled(client_for, crew, team):
    client = client_for(crew[0])
    url = reverse("teams:decisions", args=[team.pk])
    for params in [{"q": "x" * 5000}, {"status": "exploded"}, {"page": "-1"}, {"page": "abc"}]:
        assert client.get(url, params).status_code == 200, params


def test_a_check_in_links_the_decisions_it_discussed(client_for, crew, team, coach):
    decision = _propose(team, crew[0], [crew[1]])
    checkin = checkin_services.checkin_record(
        team=team, held_on=timezone.localdate(), by=coach, decisions=[decision]
    )
    page = client_for(crew[1]).get(reverse("teams:decision_detail", args=[team.pk, decision.pk]))
    assert reverse("teams:checkin_detail", args=[team.pk, checkin.pk]) in page.content.decode()
    detail = client_for(coach).get(reverse("teams:checkin_detail", args=[team.pk, checkin.pk]))
    assert decision.title in detail.content.decode()


def test_a_check_in_cannot_link_another_teams_decision(coach, team, other_team):
    foreign = DecisionFactory(team=other_team)
    with pytest.raises(TeamError, match="another team"):
        checkin_services.checkin_record(
            team=team, held_on=timezone.localdate(), by=coach, decisions=[foreign]
        )


def test_proposing_through_the_page(client_for, crew, team):
    client = client_for(crew[0])
    response = client.post(
        reverse("teams:decision_new", args=[team.pk]),
        {
            "title": "Swap team meeting to Thursday",
            "proposal": "Thursdays are quieter.",
            "affected": "Everyone",
            "advisors": [crew[1].pk, crew[2].pk],
            "advice_by": SOON.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Decision.objects.get().advisors.count() == 2


def test_bad_decision_input_is_a_clear_400(client_for, crew, team, other_member):
    client = client_for(crew[0])
    response = client.post(
        reverse("teams:decision_new", args=[team.pk]),
        {"title": "", "advisors": [str(other_member.pk), "abc"], "advice_by": "tomorrow"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the decision a short title." in page
    assert "Choose people from the team." in page
    assert "Enter a real date." in page
    decision = _propose(team, crew[0], [crew[1]])
    response = client.post(
        reverse("teams:decision_decide", args=[team.pk, decision.pk]),
        {"outcome": "", "review_on": "2026-13-01"},
    )
    assert response.status_code == 400
    response = client.post(reverse("teams:advice_add", args=[team.pk, decision.pk]), {"text": ""})
    assert response.status_code == 400
    assert "Write your advice." in response.content.decode()


# --- Who sees the log ---------------------------------------------------------------------------


def test_only_the_team_its_coach_and_admins_see_its_decisions(
    client_for, crew, team, coach, admin, other_member, outsider, other_team
):
    decision = DecisionFactory(team=team, proposer=crew[0], title="Private to Northfield")
    other_coach = UserFactory(with_mfa=True)
    other_team.coach = other_coach
    other_team.save()
    for user in (crew[1], coach, admin):
        client = client_for(user)
        assert client.get(reverse("teams:decisions", args=[team.pk])).status_code == 200
        url = reverse("teams:decision_detail", args=[team.pk, decision.pk])
        assert client.get(url).status_code == 200
    for user in (other_member, outsider, other_coach):
        client = client_for(user)
        for name, args in [
            ("teams:decisions", [team.pk]),
            ("teams:decision_new", [team.pk]),
            ("teams:decision_detail", [team.pk, decision.pk]),
        ]:
            assert client.get(reverse(name, args=args)).status_code == 404, (user, name)
        for name in ("teams:advice_add", "teams:decision_decide", "teams:decision_withdraw"):
            url = reverse(name, args=[team.pk, decision.pk])
            assert client.post(url, {"text": "x"}).status_code == 404, (user, name)
    assert not decision.advice.exists()


def test_a_decision_of_another_team_is_not_found_through_this_teams_address(
    client_for, crew, team, other_team
):
    foreign = DecisionFactory(team=other_team)
    client = client_for(crew[0])
    assert (
        client.get(reverse("teams:decision_detail", args=[team.pk, foreign.pk])).status_code == 404
    )
    url = reverse("teams:advice_add", args=[team.pk, foreign.pk])
    assert client.post(url, {"text": "x"}).status_code == 404


def test_advice_waiting_for_someone_lists_only_what_they_still_owe(crew, team):
    proposer, ben, chloe, _ = crew
    owed = _propose(team, proposer, [ben, chloe], title="Owed")
    answered = _propose(team, proposer, [ben], title="Answered")
    services.advice_give(decision=answered, by=ben, text="Fine by me")
    withdrawn = _propose(team, proposer, [ben], title="Withdrawn")
    services.decision_withdraw(decision=withdrawn, by=proposer)
    assert selectors.advice_waiting_for(user=ben) == [owed]
    assert selectors.advice_waiting_for(user=proposer) == []


# --- Query counts --------------------------------------------------------------------------------


def test_decision_pages_run_a_fixed_number_of_queries(client_for, crew, team, assert_fixed_queries):
    decision = _propose(team, crew[0], [crew[1]])
    client = client_for(crew[0])

    def grow():
        for n in range(25):
            grown = DecisionFactory(team=team, proposer=MembershipFactory(team=team).user)
            AdviceFactory.create_batch(2, decision=grown)
            AdviceFactory(decision=decision, given_by=crew[n % 4])
        services.decision_propose(
            team=team,
            proposer=crew[0],
            title="More advisors",
            proposal="x",
            affected="y",
            advisors=crew[1:],
            advice_by=SOON,
        )

    for url in [
        reverse("teams:decisions", args=[team.pk]),
        reverse("teams:decisions", args=[team.pk]) + "?q=decision&page=2",
        reverse("teams:decision_detail", args=[team.pk, decision.pk]),
    ]:
        assert_fixed_queries(lambda url=url: client.get(url), grow, most=15)


def test_a_decision_without_advice_says_so_in_words(client_for, crew, team):
    DecisionFactory(team=team, proposer=crew[0], title="Buy a second car")
    advised = DecisionFactory(team=team, proposer=crew[0], title="Start at 7:30")
    AdviceFactory(decision=advised, given_by=crew[1])
    page = client_for(crew[1]).get(reverse("teams:decisions", args=[team.pk])).content.decode()
    assert "no advice given yet" in page
    assert "advice from 1 person" in page
    assert "advice from 0" not in page
