"""The assessment panel's pages: each panel member scores alone and sees the panel's scores only
after submitting their own; staff sign in, everyone else uses their emailed link."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from recruitment.models import AssessmentSheet, Candidate, PanelMember, Round, Score
from recruitment.services.assessment import sheet_save
from recruitment.services.rounds import panel_member_add
from tests.factories import BehaviourFactory, UserFactory
from tests.recruitment.factories import (
    CandidateFactory,
    PanelMemberFactory,
    at_workshop,
    open_round,
    values_for_tests,
)
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


@pytest.fixture
def values(round_):
    return values_for_tests()


@pytest.fixture
def seat(round_, member):
    """A member of staff on the panel, who signs in."""
    return PanelMemberFactory(round=round_, user=member, email=member.email, name="Mina")


@pytest.fixture
def candidate(candidate):
    """The cast's candidate, at the workshop: in front of the panel."""
    return at_workshop(candidate)


def list_url(round_: Round) -> str:
    return reverse("recruitment:panel", args=[round_.pk])


def score_url(round_: Round, candidate: Candidate) -> str:
    return reverse("recruitment:panel_score", args=[round_.pk, candidate.pk])


def sheet(values, score=3, evidence="Spoke warmly about her neighbour.", action="save") -> dict:
    data = {"action": action}
    for value in values:
        if score is not None:
            data[f"score_{value.pk}"] = str(score)
        data[f"evidence_{value.pk}"] = evidence if score is not None else ""
    return data


def submitted(candidate, member, score, evidence="", values=None):
    return sheet_save(
        candidate=candidate,
        panel_member=member,
        scores={value.pk: (score, evidence) for value in values or values_for_tests()},
        submit=True,
    )


def invite_by_link(round_: Round, name="Pat Partner", email="pat@example.org") -> str:
    """Seat someone without an account the way staff do, and return the link's token."""
    member = panel_member_add(round_=round_, name=name, email=email, kind=PanelMember.Kind.PARTNER)
    body = OutboxEmail.objects.get(idempotency_key=f"panel-invite:{member.pk}").body_text
    return re.search(r"/recruitment/panel/([\w-]+)/", body).group(1)


# --- The list of candidates to score --------------------------------------------------------


def test_panel_member_sees_only_their_rounds_invited_and_attended_candidates(
    client_for, member, seat, round_, candidate
):
    CandidateFactory(round=round_, name="Ivy Invited", stage=Candidate.Stage.INVITED)
    CandidateFactory(round=round_, name="Ann Applied")
    CandidateFactory(round=round_, name="Wyn Withdrawn", stage=Candidate.Stage.WITHDRAWN)
    CandidateFactory(round=open_round(title="Other"), name="Otto Other", stage="attended")
    page = client_for(member).get(list_url(round_)).content.decode()
    assert "Sam Carter" in page
    assert "Ivy Invited" in page
    for hidden in ("Ann Applied", "Wyn Withdrawn", "Otto Other"):
        assert hidden not in page


def test_panel_list_shows_where_each_sheet_stands(
    client_for, member, seat, round_, candidate, values
):
    saved = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
    sheet_save(candidate=saved, panel_member=seat, scores={values[0].pk: (3, "")})
    submitted(candidate, seat, 4)
    CandidateFactory(round=round_, stage=Candidate.Stage.INVITED)
    page = client_for(member).get(list_url(round_)).content.decode()
    assert "Submitted" in page
    assert "Scored 1 of 3" in page
    assert "Not started" in page


def test_panel_member_does_not_see_candidates_own_words(
    client_for, member, seat, round_, candidate, values
):
    for client_page in (list_url(round_), score_url(round_, candidate)):
        page = client_for(member).get(client_page).content.decode()
        assert candidate.why not in page
        assert candidate.email not in page


@pytest.mark.parametrize("who", ["other_member", "coach", "outsider", "admin"])
def test_people_not_on_the_panel_get_404_for_its_pages(request, client_for, who, round_, candidate):
    client = client_for(request.getfixturevalue(who))
    assert client.get(list_url(round_)).status_code == 404
    assert client.get(score_url(round_, candidate)).status_code == 404


def test_panel_pages_need_signing_in_without_a_link(client, round_, candidate):
    response = client.get(list_url(round_))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_panel_list_runs_a_fixed_number_of_queries(
    client_for, member, seat, round_, candidate, values, assert_fixed_queries
):
    client = client_for(member)
    submitted(candidate, seat, 3)

    def grow():
        for n in range(4):
            other = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
            sheet_save(candidate=other, panel_member=seat, scores={values[0].pk: (n, "")})
            submitted(other, PanelMemberFactory(round=round_), 2)

    assert_fixed_queries(lambda: client.get(list_url(round_)), grow, most=8)


# --- Scoring --------------------------------------------------------------------------------


def test_scoring_page_has_a_0_to_5_radio_group_and_evidence_box_per_value(
    client_for, member, seat, round_, candidate, values
):
    BehaviourFactory(value=values[0], text="Notices when someone is lonely")
    page = client_for(member).get(score_url(round_, candidate)).content.decode()
    for value in values:
        for score in range(6):
            assert f'id="id_score_{value.pk}_{score}"' in page
        assert f'for="id_evidence_{value.pk}"' in page
        assert value.meaning in page
    assert "Notices when someone is lonely" in page
    assert "Save for later" in page
    assert "Submit my scores" in page


def test_saving_for_later_keeps_scores_private_and_unsubmitted(
    client_for, member, seat, round_, candidate, values
):
    data = sheet(values[:1])
    response = client_for(member).post(score_url(round_, candidate), data)
    assert response.status_code == 302
    own = AssessmentSheet.objects.get(panel_member=seat)
    assert own.submitted_at is None
    assert own.scores.get().score == 3


def test_submitting_needs_every_value_scored(client_for, member, seat, round_, candidate, values):
    data = sheet(values[:2], action="submit")
    response = client_for(member).post(score_url(round_, candidate), data)
    assert response.status_code == 400
    assert f"Choose a score for {values[2].name} before you submit" in response.content.decode()
    assert not AssessmentSheet.objects.filter(submitted_at__isnull=False).exists()


def test_submitted_scores_are_final(client_for, member, seat, round_, candidate, values):
    client = client_for(member)
    assert client.post(score_url(round_, candidate), sheet(values, 2, action="submit")).status_code
    response = client.post(score_url(round_, candidate), sheet(values, 5, action="submit"))
    assert response.status_code == 400
    assert "You have submitted your scores for this candidate already." in (
        response.content.decode()
    )
    assert set(Score.objects.values_list("score", flat=True)) == {2}


@pytest.mark.parametrize("bad", ["6", "-1", "2.5", "five", "99999999999999999999"])
def test_scores_outside_0_to_5_are_refused(
    client_for, member, seat, round_, candidate, values, bad
):
    data = sheet(values)
    data[f"score_{values[0].pk}"] = bad
    response = client_for(member).post(score_url(round_, candidate), data)
    assert response.status_code == 400
    assert "Choose a score from 0 to 5." in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("field", ["score_999999", "evidence_999999", "score_abc"])
def test_scores_for_values_the_round_does_not_assess_are_refused(
    client_for, member, seat, round_, candidate, values, field
):
    data = sheet(values)
    data[field] = "3"
    response = client_for(member).post(score_url(round_, candidate), data)
    assert response.status_code == 400
    assert "Score only the values this round assesses." in response.content.decode()
    assert not Score.objects.exists()


def test_a_note_without_a_score_is_not_silently_lost(
    client_for, member, seat, round_, candidate, values
):
    data = sheet(values[:1], score=None)
    data[f"evidence_{values[0].pk}"] = "Lovely with the residents."
    response = client_for(member).post(score_url(round_, candidate), data)
    assert response.status_code == 400
    assert f"Choose a score for {values[0].name} to keep your note" in response.content.decode()


def test_candidates_of_another_round_or_not_yet_invited_are_not_found(
    client_for, member, seat, round_, values
):
    client = client_for(member)
    theirs = CandidateFactory(round=open_round(title="Other"), stage=Candidate.Stage.ATTENDED)
    applied = CandidateFactory(round=round_)
    for candidate in (theirs, applied):
        assert client.get(score_url(round_, candidate)).status_code == 404
        response = client.post(score_url(round_, candidate), sheet(values, action="submit"))
        assert response.status_code == 404
    assert client.get(f"/recruitment/rounds/{round_.pk}/panel/score/abc/").status_code == 404
    assert not AssessmentSheet.objects.exists()


# --- Scoring independently, then comparing --------------------------------------------------


def test_panel_member_cannot_see_anothers_scores_before_submitting_and_can_after(
    client_for, member, seat, round_, candidate, values
):
    other = PanelMemberFactory(round=round_, name="Pat")
    submitted(candidate, other, 5, "Pat saw real warmth.")
    client = client_for(member)
    before = client.get(score_url(round_, candidate)).content.decode()
    assert "Pat saw real warmth." not in before
    assert "Pat" not in before
    client.post(score_url(round_, candidate), sheet(values, 2, "Mina saw shyness.", "submit"))
    after = client.get(score_url(round_, candidate)).content.decode()
    assert "Pat saw real warmth." in after
    assert "Mina saw shyness." in after


def test_comparison_shows_the_mean_and_flags_scores_two_or_more_apart(
    client_for, member, seat, round_, candidate, values
):
    compassion, responsibility, collaboration = values
    other = PanelMemberFactory(round=round_, name="Pat")
    sheet_save(
        candidate=candidate,
        panel_member=other,
        scores={compassion.pk: (5, ""), responsibility.pk: (3, ""), collaboration.pk: (4, "")},
        submit=True,
    )
    sheet_save(
        candidate=candidate,
        panel_member=seat,
        scores={compassion.pk: (3, ""), responsibility.pk: (2, ""), collaboration.pk: (4, "")},
        submit=True,
    )
    page = client_for(member).get(score_url(round_, candidate)).content.decode()
    assert page.count(">Discuss</strong>") == 2  # once in the table, once by Compassion's notes
    assert "scores 2 apart" in page
    assert ">4.0<" in page
    assert ">2.5<" in page
    assert f"on {compassion.name}." in page
    assert responsibility.name + "</th>" in page


def test_panel_member_does_not_see_anothers_draft_even_after_submitting(
    client_for, member, seat, round_, candidate, values
):
    draft = PanelMemberFactory(round=round_, name="Dee")
    sheet_save(candidate=candidate, panel_member=draft, scores={values[0].pk: (0, "Dee's draft")})
    submitted(candidate, seat, 3)
    page = client_for(member).get(score_url(round_, candidate)).content.decode()
    assert "Dee&#x27;s draft" not in page
    assert "Still to submit: Dee." in page


# --- Panel members without an account -------------------------------------------------------


def test_panel_member_with_a_link_scores_without_an_account(client, round_, candidate, values):
    token = invite_by_link(round_)
    opened = client.get(reverse("recruitment:panel_token", args=[token]))
    # The link's token is kept in the session; the pages' addresses carry none.
    assert opened.status_code == 302
    assert opened.url == reverse("recruitment:panel_link")
    listing = client.get(opened.url)
    assert listing.status_code == 200
    assert "Sam Carter" in listing.content.decode()
    assert token not in listing.content.decode()
    url = reverse("recruitment:panel_link_score", args=[candidate.pk])
    assert url in listing.content.decode()
    response = client.post(url, sheet(values, 4, "Good listener.", "submit"))
    assert response.status_code == 302
    assert response.url == url
    own = AssessmentSheet.objects.get(panel_member__email="pat@example.org")
    assert own.submitted_at is not None
    assert "Good listener." in client.get(url).content.decode()


def test_the_scoring_links_token_leaves_the_address(client, round_, candidate):
    token = invite_by_link(round_)
    response = client.get(reverse("recruitment:panel_token_score", args=[token, candidate.pk]))
    assert response.status_code == 302
    assert response.url == reverse("recruitment:panel_link_score", args=[candidate.pk])
    assert token not in client.get(response.url).content.decode()


def test_the_panel_pages_without_a_link_opened_first_are_not_found(client, round_, candidate):
    invite_by_link(round_)
    for url in (
        reverse("recruitment:panel_link"),
        reverse("recruitment:panel_link_score", args=[candidate.pk]),
    ):
        assert client.get(url).status_code == 404


def test_link_holder_sees_others_scores_only_after_submitting(client, round_, candidate, values):
    submitted(candidate, PanelMemberFactory(round=round_, name="Ravi"), 1, "Ravi's concern.")
    token = invite_by_link(round_)
    client.get(reverse("recruitment:panel_token", args=[token]))
    url = reverse("recruitment:panel_link_score", args=[candidate.pk])
    assert "Ravi" not in client.get(url).content.decode()
    client.post(url, sheet(values, 4, "", "submit"))
    assert "Ravi&#x27;s concern." in client.get(url).content.decode()


@pytest.mark.parametrize("token", ["forged", "x" * 43, "%00", "a" * 500])
def test_forged_panel_link_gets_a_kind_404_page(client, round_, candidate, token):
    invite_by_link(round_)
    for url in (
        f"/recruitment/panel/{token}/",
        f"/recruitment/panel/{token}/score/{candidate.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "This panel link does not work" in response.content.decode()


def test_panel_link_stops_working_once_the_round_is_reviewed(client, round_):
    token = invite_by_link(round_)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    assert client.get(reverse("recruitment:panel_token", args=[token])).status_code == 404


def test_link_holder_cannot_score_another_rounds_candidate(client, round_, values):
    token = invite_by_link(round_)
    theirs = CandidateFactory(round=open_round(title="Other"), stage=Candidate.Stage.ATTENDED)
    url = reverse("recruitment:panel_token_score", args=[token, theirs.pk])
    assert client.post(url, sheet(values, 3, "", "submit")).status_code == 404
    assert not AssessmentSheet.objects.exists()


def test_panel_member_with_an_account_gets_no_link_and_signs_in_instead(round_):
    user = UserFactory(email="staff@example.org")
    member = panel_member_add(
        round_=round_, name="Staff", email="staff@example.org", kind=PanelMember.Kind.STAFF
    )
    assert member.user == user
    assert member.token_hash == ""
    body = OutboxEmail.objects.get(idempotency_key=f"panel-invite:{member.pk}").body_text
    assert f"/recruitment/rounds/{round_.pk}/panel/" in body
