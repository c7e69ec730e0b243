"""The survey reports: numbers only where at least k people answered, candidates' words only
for admins and the round's owners, rounds compared by touch point, and an anonymised CSV."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from recruitment.models import (
    AssessmentSheet,
    Candidate,
    Experiment,
    Round,
    Score,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)
from recruitment.selectors.reports import candidate_value_scores_figure, median_from_counts
from recruitment.services.survey import survey_invite
from tests.factories import UserFactory
from tests.recruitment.factories import (
    CandidateFactory,
    PanelMemberFactory,
    open_round,
    values_for_tests,
)
from values.models import Value

pytestmark = pytest.mark.django_db

SUCCESSFUL = SurveyResponse.Group.SUCCESSFUL
UNSUCCESSFUL = SurveyResponse.Group.UNSUCCESSFUL


@pytest.fixture(autouse=True)
def _k_is_three(settings):
    settings.SURVEY_MIN_RESPONSES = 3


def respond(
    round_: Round,
    score: int | dict[str, int | None] | None = 7,
    *,
    group: str = SUCCESSFUL,
    worked_well: str = "",
    improve: str = "",
    on: date | None = None,
) -> SurveyResponse:
    """One submitted response, scoring every touch point (or those named by key)."""
    response = SurveyResponse.objects.create(
        round=round_, group=group, submitted_on=on or timezone.localdate(), published=True
    )
    scores = score if isinstance(score, dict) else None
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            response=response,
            touch_point=tp,
            score=scores.get(tp.key) if scores is not None else score,
            worked_well=worked_well,
            improve=improve,
        )
        for tp in round_.touch_points.all()
        if scores is None or tp.key in scores
    )
    return response


def invite(round_: Round, n: int) -> list[Candidate]:
    candidates = CandidateFactory.create_batch(
        n, round=round_, stage=Candidate.Stage.SUCCESSFUL, communicated_at=timezone.now()
    )
    for candidate in candidates:
        survey_invite(candidate=candidate)
    return candidates


def report_url(round_: Round) -> str:
    return reverse("recruitment:round_report", args=[round_.pk])


def csv_url(round_: Round) -> str:
    return reverse("recruitment:round_report_csv", args=[round_.pk])


def page_for(client_for, user, round_: Round) -> str:
    response = client_for(user).get(report_url(round_))
    assert response.status_code == 200
    return response.content.decode()


def earlier_round(**fields) -> Round:
    today = timezone.localdate()
    round_ = open_round(
        title=fields.pop("title", "Autumn 2025"),
        opens_on=today - timedelta(days=200),
        closes_on=today - timedelta(days=170),
    )
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.REVIEWED)
    return round_


# --- Who sees the report -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "round_owner", "coach"])
def test_admins_owners_and_coaches_see_a_rounds_report(request, client_for, round_, who):
    response = client_for(request.getfixturevalue(who)).get(report_url(round_))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_everyone_else_is_told_there_is_no_such_report(request, client_for, round_, who):
    user = request.getfixturevalue(who)
    assert client_for(user).get(report_url(round_)).status_code == 404
    assert client_for(user).get(csv_url(round_)).status_code == 404


def test_the_report_asks_visitors_to_sign_in(client, round_):
    response = client.get(report_url(round_))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_an_owner_of_another_round_cannot_see_this_one(client_for, round_):
    other_owner = UserFactory(with_mfa=True)
    open_round(title="Another round", owners=[other_owner])
    assert client_for(other_owner).get(report_url(round_)).status_code == 404


def test_the_list_of_reports_is_for_admins_owners_and_coaches(client_for, round_, coach, member):
    assert (
        "Northfield spring"
        in client_for(coach).get(reverse("recruitment:report_list")).content.decode()
    )
    assert client_for(member).get(reverse("recruitment:report_list")).status_code == 403


# --- k-anonymity ---------------------------------------------------------------------------------


def test_with_fewer_than_k_responses_the_report_shows_no_numbers(client_for, admin, round_):
    respond(round_, 9, improve="Clearer directions")
    respond(round_, 2, improve="Clearer directions")
    page = page_for(client_for, admin, round_)
    assert "Not enough responses yet" in page
    assert "at least 3 people" in page
    assert "Mean" not in page
    assert "Median" not in page
    assert "<svg" not in page
    assert "Clearer directions" not in page


def test_with_k_responses_the_report_shows_mean_median_and_distribution(client_for, admin, round_):
    for score in (6, 7, 10):
        respond(round_, score)
    page = page_for(client_for, admin, round_)
    assert "Not enough responses yet" not in page
    assert "7.7 out of 10" in page
    assert '<dd class="nhsuk-summary-list__value">7</dd>' in page
    assert "The workshop: how many gave each score" in page
    assert "<svg" in page
    assert "The workshop: people giving each score" in page


def test_k_follows_the_setting(client_for, admin, round_, settings):
    settings.SURVEY_MIN_RESPONSES = 5
    for score in (6, 7, 8, 9):
        respond(round_, score)
    page = page_for(client_for, admin, round_)
    assert "Not enough responses yet" in page
    assert "at least 5 people" in page


def test_a_touch_point_scored_by_fewer_than_k_is_held_back(client_for, admin, round_):
    respond(round_, {"workshop": 8, "feedback": 6})
    respond(round_, {"workshop": 7, "feedback": None})
    respond(round_, {"workshop": 9})
    page = page_for(client_for, admin, round_)
    assert "8.0 out of 10" in page  # the workshop
    assert "Fewer than 3 people scored this step" in page  # feedback, and the others


def test_response_rate_is_completed_invitations_over_invitations_sent(client_for, admin, round_):
    candidates = invite(round_, 4)
    SurveyInvitation.objects.filter(candidate__in=candidates[:3]).update(completed=True)
    for score in (5, 6, 7):
        respond(round_, score)
    page = page_for(client_for, admin, round_)
    assert "75%: 3 of 4 invitations answered" in page


def test_few_responses_carry_a_warning(client_for, admin, round_):
    for score in (5, 6, 7):
        respond(round_, score)
    assert "Few responses: read with care" in page_for(client_for, admin, round_)


def test_the_breakdown_by_outcome_is_hidden_unless_each_group_has_k(client_for, admin, round_):
    for score in (5, 6, 7):
        respond(round_, score, group=SUCCESSFUL)
    respond(round_, 2, group=UNSUCCESSFUL)
    respond(round_, 3, group=UNSUCCESSFUL)
    page = page_for(client_for, admin, round_)
    assert "compared only when each group has at least 3 answers" in page
    assert "Unsuccessful candidates" not in page

    respond(round_, 4, group=UNSUCCESSFUL)
    page = page_for(client_for, admin, round_)
    assert "Successful candidates" in page
    assert "Unsuccessful candidates" in page
    assert "compared only when each group" not in page


def test_median_comes_from_the_counts_of_each_score():
    assert median_from_counts({}) is None
    assert median_from_counts({7: 1}) == 7
    assert median_from_counts({2: 1, 9: 1}) == 5.5
    assert median_from_counts({1: 2, 5: 1, 10: 2}) == 5
    assert median_from_counts({3: 3, 8: 1}) == 3


# --- Candidates' own words -----------------------------------------------------------------------


def test_free_text_is_hidden_from_coaches(client_for, coach, round_):
    for score in (5, 6, 7):
        respond(round_, score, worked_well="Warm welcome", improve="Shorter day")
    page = page_for(client_for, coach, round_)
    assert "Warm welcome" not in page
    assert "Shorter day" not in page
    assert "6.0 out of 10" in page


@pytest.mark.parametrize("who", ["admin", "round_owner"])
def test_free_text_is_shown_to_admins_and_the_rounds_owners(request, client_for, round_, who):
    for score in (5, 6, 7):
        respond(round_, score, worked_well="Warm welcome", improve="Shorter day")
    page = page_for(client_for, request.getfixturevalue(who), round_)
    assert "Warm welcome" in page
    assert "Shorter day" in page


def test_response_dates_are_never_shown_on_the_report(client_for, admin, round_):
    for day in (3, 9, 17):
        respond(round_, 6, on=date(2026, 3, day))
    page = page_for(client_for, admin, round_)
    assert "17 March" not in page


# --- Round over round ----------------------------------------------------------------------------


def test_a_touch_point_is_compared_with_earlier_rounds_by_its_key(client_for, admin, round_):
    before = earlier_round()
    before.touch_points.filter(key="workshop").update(name="Assessment day")
    for score in (4, 5, 6):
        respond(before, {"workshop": score})
    for score in (7, 8, 9):
        respond(round_, {"workshop": score})
    page = page_for(client_for, admin, round_)
    assert "Autumn 2025" in page
    assert "The workshop: mean score round by round" in page
    assert "+3.0" in page


def test_an_earlier_round_with_fewer_than_k_answers_shows_no_mean(client_for, admin, round_):
    before = earlier_round()
    respond(before, {"workshop": 1})
    respond(before, {"workshop": 2})
    for score in (7, 8, 9):
        respond(round_, {"workshop": score})
    page = page_for(client_for, admin, round_)
    assert "too few" in page
    assert ">1.5<" not in page


def test_later_rounds_are_not_part_of_the_comparison(client_for, admin, round_):
    later = open_round(
        title="Winter 2027",
        opens_on=timezone.localdate() + timedelta(days=100),
        closes_on=timezone.localdate() + timedelta(days=130),
    )
    for score in (1, 1, 1):
        respond(later, score)
    for score in (7, 8, 9):
        respond(round_, score)
    assert "Winter 2027" not in page_for(client_for, admin, round_)


# --- Query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "coach"])
def test_report_runs_a_fixed_number_of_queries(
    request, client_for, round_, assert_fixed_queries, who
):
    client = client_for(request.getfixturevalue(who))
    invite(round_, 2)
    for score in (5, 6, 7):
        respond(round_, score, improve="Idea")

    def grow():
        before = earlier_round()
        invite(round_, 5)
        for score in range(1, 11):
            respond(before, score, group=UNSUCCESSFUL, worked_well="Kind")
            respond(round_, score, group=SUCCESSFUL, improve="More time")
            respond(round_, score, group=UNSUCCESSFUL, worked_well="Clear")
        Experiment.objects.create(
            round=round_, touch_point_key="workshop", idea="i", change="c", hypothesis="h"
        )

    assert_fixed_queries(lambda: client.get(report_url(round_)), grow, most=16)


# --- The CSV -------------------------------------------------------------------------------------


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("who", ["admin", "round_owner"])
def test_admins_and_owners_download_one_row_per_answer(request, client_for, round_, who):
    for score in (5, 6, 7):
        respond(round_, score, worked_well="Kind", improve="Quicker")
    response = client_for(request.getfixturevalue(who)).get(csv_url(round_))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'attachment; filename="survey-northfield-spring-' in response["Content-Disposition"]
    rows = rows_of(response)
    assert len(rows) == 3 * round_.touch_points.count()
    assert set(rows[0]) == {
        "round",
        "touch_point_key",
        "touch_point_name",
        "score",
        "worked_well",
        "improve",
        "group",
        "submitted_in",
    }
    assert {row["round"] for row in rows} == {"Northfield spring"}
    assert {row["worked_well"] for row in rows} == {"Kind"}


def test_the_csv_is_refused_to_coaches(client_for, coach, round_):
    for score in (5, 6, 7):
        respond(round_, score)
    assert client_for(coach).get(csv_url(round_)).status_code == 403


def test_the_csv_is_refused_until_k_people_answered(client_for, admin, round_):
    respond(round_, 5)
    respond(round_, 6)
    response = client_for(admin).get(csv_url(round_))
    assert response.status_code == 403
    assert "at least 3 people" in response.content.decode()


def test_csv_rows_are_sorted_by_touch_point_never_by_arrival(client_for, admin, round_):
    for day in range(1, 7):
        respond(round_, day, on=date(2026, 3, day))
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    order = {tp.key: tp.order for tp in round_.touch_points.all()}
    positions = [order[row["touch_point_key"]] for row in rows]
    assert positions == sorted(positions)
    responses = sorted(SurveyResponse.objects.values_list("pk", flat=True))
    # Each response scored its own number, so a score names its response here.
    by_id = {r.pk: str(r.answers.first().score) for r in SurveyResponse.objects.all()}
    first_touch_point = [
        row["score"] for row in rows if positions[0] == order[row["touch_point_key"]]
    ]
    assert first_touch_point == [by_id[pk] for pk in responses]


def test_csv_gives_only_the_month_of_each_response(client_for, admin, round_):
    # A day beside the day each candidate was told could name them; a month cannot.
    for score, day in ((5, 4), (6, 17), (7, 30)):
        respond(round_, score, on=date(2026, 3, day))
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    assert {row["submitted_in"] for row in rows} == {"2026-03"}


def test_csv_gives_the_outcome_group_only_when_each_group_has_k(client_for, admin, round_):
    for score in (5, 6, 7):
        respond(round_, score, group=SUCCESSFUL)
    respond(round_, 2, group=UNSUCCESSFUL)
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    assert {row["group"] for row in rows} == {""}
    respond(round_, 3, group=UNSUCCESSFUL)
    respond(round_, 4, group=UNSUCCESSFUL)
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    assert {row["group"] for row in rows} == {"successful", "unsuccessful"}


def test_csv_cells_that_look_like_formulas_are_made_harmless(client_for, admin, round_):
    for score in (5, 6, 7):
        respond(round_, score, improve='=HYPERLINK("http://x")')
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    assert {row["improve"] for row in rows} == {'\'=HYPERLINK("http://x")'}


# --- The values figure ---------------------------------------------------------------------------


def test_values_insights_show_how_candidates_scored_on_each_value_round_by_round(
    client_for, admin, round_, settings
):
    settings.SURVEY_MIN_RESPONSES = 2
    compassion, responsibility, _ = values_for_tests()
    panel = PanelMemberFactory(round=round_)
    for scores in ({compassion: 4, responsibility: 2}, {compassion: 3, responsibility: 3}):
        candidate = CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED)
        sheet = AssessmentSheet.objects.create(
            candidate=candidate, panel_member=panel, submitted_at=timezone.now()
        )
        for value, score in scores.items():
            Score.objects.create(sheet=sheet, value=value, score=score)
    draft = AssessmentSheet.objects.create(
        candidate=CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED),
        panel_member=panel,
    )
    Score.objects.create(sheet=draft, value=compassion, score=0)

    page = client_for(admin).get(reverse("values:insights")).content.decode()
    assert "How candidates scored on each value, round by round" in page
    assert "Northfield spring" in page
    # Compassion: 4 and 3; the unsubmitted sheet's 0 does not count. Responsibility: 2 and 3.
    assert '<td class="nhsuk-table__cell">3.5</td>' in page
    assert '<td class="nhsuk-table__cell">2.5</td>' in page


def test_values_figure_hides_rounds_with_fewer_than_k_candidates_scored(
    client_for, coach, round_, settings
):
    settings.SURVEY_MIN_RESPONSES = 3
    compassion, _, _ = values_for_tests()
    panel = PanelMemberFactory(round=round_)
    for score in (1, 5):
        sheet = AssessmentSheet.objects.create(
            candidate=CandidateFactory(round=round_, stage=Candidate.Stage.ATTENDED),
            panel_member=panel,
            submitted_at=timezone.now(),
        )
        Score.objects.create(sheet=sheet, value=compassion, score=score)
    page = client_for(coach).get(reverse("values:insights")).content.decode()
    assert "How candidates scored on each value" not in page
    assert '<td class="nhsuk-table__cell">3.0</td>' not in page


def test_the_values_figure_is_one_query(django_assert_num_queries, round_):
    values = list(Value.objects.all())
    with django_assert_num_queries(1):
        candidate_value_scores_figure(values)


# --- Protections that must not slip unnoticed -----------------------------------------------


def touch_point_section(page: str, key: str) -> str:
    start = page.index(f'id="touch-point-{key}"')
    end = page.find('id="touch-point-', start + 1)
    return page[start : end if end != -1 else page.index('id="experiments"')]


@pytest.mark.parametrize("scorers", [2, 1], ids=["k-1", "one"])
def test_a_touch_point_scored_by_fewer_than_k_shows_no_mean_and_no_counts(
    client_for, admin, round_, scorers
):
    """k responses in the round, but only k−1 (or 1) of them scored the workshop."""
    scores = [10, 9, 7][:scorers]
    for n in range(3):
        respond(round_, {"feedback": 5, "workshop": scores[n] if n < scorers else None})
    client = client_for(admin)
    section = touch_point_section(page_for(client_for, admin, round_), "workshop")
    mean = sum(scores) / len(scores)
    assert f"{mean:.1f}" not in section
    assert "Scores given" not in section
    assert "Mean" not in section
    assert "people giving each score" not in section
    assert f"{scorers} score" not in section
    assert "Fewer than 3 people scored this step" in section
    # The step everyone scored still shows, so the page is not simply empty.
    assert "5.0 out of 10" in touch_point_section(page_for(client_for, admin, round_), "feedback")
    api = client.get(f"/api/v1/rounds/{round_.pk}/survey-results/").json()
    (workshop,) = [tp for tp in api["touch_points"] if tp["key"] == "workshop"]
    assert workshop["mean"] is None
    assert workshop["median"] is None
    assert workshop["distribution"] is None
    assert workshop["n"] is None


DANGEROUS_STARTS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("start", DANGEROUS_STARTS, ids=repr)
def test_every_free_text_csv_column_is_made_harmless_for_every_dangerous_start(
    client_for, admin, round_, start
):
    Round.objects.filter(pk=round_.pk).update(title=f"{start}cmd|' /C calc'!A0")
    round_.touch_points.filter(key="workshop").update(name=f"{start}SUM(A1:A9)")
    for score in (5, 6, 7):
        respond(
            round_, {"workshop": score}, worked_well=f"{start}1+1", improve=f"{start}HYPERLINK(x)"
        )
    rows = rows_of(client_for(admin).get(csv_url(round_)))
    assert rows
    for row in rows:
        for column in ("round", "touch_point_name", "worked_well", "improve"):
            assert row[column].startswith(f"'{start}"), (column, row[column])


def test_the_report_opens_with_every_step_at_a_glance_and_where_to_improve_first(
    client_for, admin, round_
):
    previous = earlier_round()
    for _ in range(3):
        respond(previous, {"workshop": 6, "feedback": 5})
        respond(round_, {"workshop": 8, "feedback": 4, "recruitment-pack": 7})
    page = page_for(client_for, admin, round_)
    glance = page[page.index('id="at-a-glance"') : page.index('id="touch-point-')]
    for tp in round_.touch_points.all():
        assert f'href="#touch-point-{tp.key}"' in glance
    baseline = glance[glance.index('id="baseline"') :]
    workshop_row = baseline[baseline.index("#touch-point-workshop") :].split("</tr>")[0]
    assert ">Mean </span>8.0<" in workshop_row
    assert "+2.0" in workshop_row
    assert ">Scored by </span>3<" in workshop_row
    feedback_row = baseline[baseline.index("#touch-point-feedback") :].split("</tr>")[0]
    assert "Improve first" in feedback_row
    assert "\u22121.0" in feedback_row
    assert "Improve first" not in workshop_row
    assert 'Improve first: <a href="#touch-point-feedback">' in glance
    # A step too few scored shows no numbers here either.
    first_row = baseline[baseline.index("#touch-point-role-information") :].split("</tr>")[0]
    assert "too few" in first_row
