"""Charts of a person's outcomes: drawn with the shared chart module, always with a table of the
same figures and the person's words beside them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from outcomes import charts
from outcomes.selectors.goals import ScorePoint
from tests.outcomes.factories import OutcomeFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def walk(person):
    outcome = OutcomeFactory(person=person, baseline_level=-1, created_on=date(2025, 1, 6))
    ReviewFactory(outcome=outcome, reviewed_on=date(2025, 2, 3), worker_level=-1)
    ReviewFactory(
        outcome=outcome,
        reviewed_on=date(2025, 3, 3),
        worker_level=0,
        person_level=1,
        person_rated_by="person",
        person_words="I went with Amara behind me",
    )
    return outcome


def test_an_outcomes_chart_has_the_persons_line_from_where_they_started_and_the_workers(walk):
    chart = charts.outcome_chart(walk, theirs_label="Peggy’s rating")
    theirs, workers = chart.series
    assert theirs.name == "Peggy’s rating"
    # Her line: where she was when it was set (−1), then her own rating (+1).
    assert [marker.value for marker in theirs.markers] == [-1, 1]
    set_on = "when it was set, 6 January 2025: -1: Less than expected"
    assert theirs.markers[0].description == set_on
    assert [marker.value for marker in workers.markers] == [-1, 0]
    # The five levels up the side, "as expected" marked.
    assert [tick.label for tick in chart.ticks] == ["-2", "-1", "0", "+1", "+2"]
    assert [tick.emphasis for tick in chart.ticks] == [False, False, True, False, False]


def test_an_outcome_without_reviews_has_no_chart(person):
    assert charts.outcome_chart(OutcomeFactory(person=person), theirs_label="x") is None


def test_the_outcome_page_shows_the_chart_with_a_table_of_its_figures(
    client_for, person_user, member, person, walk
):
    # The person reads the rating in words; the team, with the number they score it by.
    for user, url, rating in [
        (
            person_user,
            reverse("outcomes:own_outcome", args=[person.pk, walk.pk]),
            ">More than expected<",
        ),
        (member, reverse("outcomes:outcome", args=[person.pk, walk.pk]), "+1: More than expected"),
    ]:
        page = client_for(user).get(url).content.decode()
        assert 'role="img"' in page
        assert "Ratings of “I want to walk to the shop on my own by spring” over time" in page
        table = page.split("Ratings at each review")[1].split("</table>")[0]
        for row in ("6 Jan 2025 (set)", "3 Feb 2025", "3 Mar 2025", rating):
            assert row in table
        assert "I went with Amara behind me" in page


def test_t_score_chart_runs_from_20_to_80_with_50_marked():
    chart = charts.t_score_chart(
        [ScorePoint(date(2025, 2, 1), 30.0), ScorePoint(date(2025, 3, 1), 56.2017)], name="Peggy"
    )
    assert [marker.value for marker in chart.series[0].markers] == [30.0, 56.2]
    assert [tick.label for tick in chart.ticks if tick.emphasis] == ["50"]
    assert charts.t_score_chart([], name="Peggy") is None


def test_the_spread_counts_people_in_each_band_not_a_mean():
    chart, bands = charts.t_score_distribution([30, 49.9, 50, 52, 68.3], title="Spread")
    assert bands == [
        ("under 40", 1),
        ("40–45", 0),
        ("45–50", 1),
        ("50–55", 2),
        ("55–60", 0),
        ("60 and over", 1),
    ]
    assert [bar.count for bar in chart.bars] == [1, 0, 1, 2, 0, 1]
