"""The team health pulse: answered once, anonymously; results only when it closes and only
with at least PULSE_MIN_RESPONSES answers; comments without names, for the team and coach."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from teams.models import (
    Pulse,
    PulseAnswer,
    PulseParticipation,
    PulseResponse,
    PulseResult,
    PulseStatement,
)
from teams.pulse import selectors, services
from teams.services import TeamError
from tests.factories import MembershipFactory, UserFactory
from tests.teams.conftest import run_pulse
from wellbeing.charts import LinePoint, line_chart
from wellbeing.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db

needs_postgresql = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="Row locks between two connections need PostgreSQL (set DATABASE_URL)",
)


def _all(statement_rating: int) -> dict[int, int]:
    return {s.pk: statement_rating for s in PulseStatement.objects.filter(active=True)}


def _page(client, team) -> str:
    response = client.get(reverse("teams:pulse", args=[team.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- Statements and opening -------------------------------------------------------------------


def test_the_organisation_asks_eight_statements_by_default():
    keys = list(PulseStatement.objects.values_list("key", flat=True))
    assert keys == [
        "purpose",
        "workload",
        "deciding-together",
        "supporting-each-other",
        "own-wellbeing",
        "learning",
        "coach-support",
        "people-served",
    ]


def test_a_pulse_asks_the_statements_active_when_it_opened(team, crew):
    PulseStatement.objects.filter(key="learning").update(active=False)
    pulse = services.pulse_open(team=team)
    PulseStatement.objects.filter(key="learning").update(active=True)
    assert pulse.statements.count() == 7
    assert not pulse.statements.filter(key="learning").exists()


def test_opening_a_pulse_invites_every_current_member_once(team, crew):
    MembershipFactory(team=team, user__email="gone@example.org", left=timezone.localdate())
    pulse = services.pulse_open(team=team)
    invitations = OutboxEmail.objects.filter(
        idempotency_key__startswith=f"pulse-invite:{pulse.pk}:"
    )
    assert sorted(invitations.values_list("to", flat=True)) == sorted(u.email for u in crew)
    assert pulse.invited_count == 4
    assert f"/teams/{team.pk}/pulse/{pulse.pk}/answer/" in invitations.first().body_text
    with pytest.raises(TeamError, match="already open"):
        services.pulse_open(team=team)


def test_a_pulse_queues_the_whole_teams_invitations_in_one_insert(team, crew):
    """A team of twelve is asked in one statement, not twelve (the outbox takes them together)."""
    MembershipFactory.create_batch(8, team=team)
    with CaptureQueriesContext(connection) as queries:
        pulse = services.pulse_open(team=team)
    inserts = [q for q in queries if q["sql"].startswith('INSERT INTO "notifications_outboxemail"')]
    assert len(inserts) == 1
    assert (
        OutboxEmail.objects.filter(idempotency_key__startswith=f"pulse-invite:{pulse.pk}:").count()
        == 12
    )


def test_a_team_too_small_to_answer_anonymously_gets_no_pulse(team, member):
    MembershipFactory(team=team)
    with pytest.raises(TeamError, match="at least 3 members"):
        services.pulse_open(team=team)


def test_only_the_coach_or_an_admin_starts_a_pulse(team, crew, coach, admin):
    with pytest.raises(PermissionDenied):
        services.pulse_open(team=team, by=crew[0])
    assert services.pulse_open(team=team, by=coach).opened_by == coach


def test_pulses_open_on_each_teams_cadence(team, crew, other_team):
    MembershipFactory.create_batch(3, team=other_team)
    tiny = MembershipFactory(team__name="Tiny").team
    now = timezone.now()
    assert set(services.pulse_teams_due(now=now)) == {team.pk, other_team.pk}
    assert services.pulse_open_due(now=now) == 2
    assert services.pulse_open_due(now=now) == 0, "one open pulse per team"
    for pulse in Pulse.objects.all():
        services.pulse_close(pulse_id=pulse.pk, now=now, early=True)
    team.pulse_every_weeks = 4
    team.save()
    assert services.pulse_teams_due(now=now + timedelta(weeks=3)) == []
    assert services.pulse_teams_due(now=now + timedelta(weeks=4)) == [team.pk]
    assert tiny.pk not in services.pulse_teams_due(now=now + timedelta(weeks=52))


# --- Answering once ------------------------------------------------------------------------------


def test_each_member_answers_once_and_sees_that_they_did(client_for, team, crew):
    member = crew[0]
    pulse = services.pulse_open(team=team)
    client = client_for(member)
    answer_url = reverse("teams:pulse_answer", args=[team.pk, pulse.pk])
    form = {f"rating_{pk}": "4" for pk in _all(4)}
    assert client.post(answer_url, form).status_code == 302
    page = _page(client, team)
    assert "You have answered" in page
    assert "Answer the pulse" not in page
    assert "1 of 4 have answered so far" in page
    again = client.post(answer_url, form, follow=True)
    assert "You have already answered this pulse" in again.content.decode()
    assert PulseResponse.objects.filter(pulse=pulse).count() == 1
    with pytest.raises(TeamError, match="already answered"):
        services.pulse_answer(pulse=pulse, user=member, ratings=_all(2))


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_answers_at_the_same_moment_store_one(team, crew):
    pulse = services.pulse_open(team=team)
    member = crew[0]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(rating: int) -> None:
        try:
            start.wait()
            services.pulse_answer(pulse=pulse, user=member, ratings=_all(rating))
            outcomes.append("stored")
        except TeamError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(rating,)) for rating in (1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["refused", "stored"]
    assert PulseParticipation.objects.filter(pulse=pulse, user=member).count() == 1
    assert PulseResponse.objects.filter(pulse=pulse).count() == 1


def test_only_a_current_member_answers_and_only_while_open(team, crew, coach, other_member):
    pulse = services.pulse_open(team=team)
    for outsider in (coach, other_member):
        with pytest.raises(PermissionDenied):
            services.pulse_answer(pulse=pulse, user=outsider, ratings=_all(3))
    services.pulse_close(pulse_id=pulse.pk, early=True)
    with pytest.raises(TeamError, match="closed"):
        services.pulse_answer(pulse=pulse, user=crew[0], ratings=_all(3))


def test_every_statement_needs_an_answer_on_the_scale(team, crew):
    pulse = services.pulse_open(team=team)
    ratings = _all(3)
    with pytest.raises(TeamError, match="every statement"):
        services.pulse_answer(pulse=pulse, user=crew[0], ratings=dict(list(ratings.items())[1:]))
    with pytest.raises(TeamError, match="1 \\(strongly disagree\\) to 5"):
        services.pulse_answer(pulse=pulse, user=crew[0], ratings={**ratings, min(ratings): 6})
    with pytest.raises(TeamError, match="not part of this pulse"):
        services.pulse_answer(pulse=pulse, user=crew[0], ratings={**ratings, 999999: 3})
    assert not PulseParticipation.objects.exists()


def test_bad_answers_on_the_page_are_a_clear_400_and_nothing_is_stored(client_for, team, crew):
    pulse = services.pulse_open(team=team)
    client = client_for(crew[0])
    url = reverse("teams:pulse_answer", args=[team.pk, pulse.pk])
    first, *rest = _all(3)
    form = {f"rating_{pk}": "3" for pk in rest}
    form[f"rating_{first}"] = "7"
    form[f"comment_{first}"] = "x" * 1001
    response = client.post(url, form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose one of the five answers." in page
    assert "at most 1000 characters" in page
    response = client.post(url, {})
    assert "Choose how much you agree" in response.content.decode()
    assert not PulseParticipation.objects.exists()


# --- Anonymity -----------------------------------------------------------------------------------


def test_answers_are_stored_apart_from_who_answered():
    """No way back from an answer to a person: no link, no time, no ordered id."""
    for model in (PulseResponse, PulseAnswer):
        fields = model._meta.get_fields()
        assert not [
            f for f in fields if f.is_relation and f.related_model is settings.AUTH_USER_MODEL
        ]
        assert not [f for f in fields if getattr(f, "related_model", None) is PulseParticipation]
        assert not [f for f in fields if isinstance(f, models.DateField | models.DateTimeField)]
        assert isinstance(model._meta.pk, models.UUIDField)
    participation_fields = {f.name for f in PulseParticipation._meta.get_fields()}
    assert participation_fields == {"id", "pulse", "user"}
    assert isinstance(PulseParticipation._meta.pk, models.UUIDField)
    for model in (PulseResponse, PulseAnswer, PulseParticipation):
        assert not hasattr(model, "history"), "a change history would record who and when"


def test_closing_writes_the_answers_again_so_nothing_ties_them_to_who_answered(team, crew):
    pulse = run_pulse(team, crew, [[1, 2, 3, 4, 5, 4, 3, 2], 5, 3], close=False)
    before = set(PulseResponse.objects.filter(pulse=pulse).values_list("pk", flat=True))
    answers_before = _answers_by_response(pulse)
    services.pulse_close(pulse_id=pulse.pk, early=True)
    after = set(PulseResponse.objects.filter(pulse=pulse).values_list("pk", flat=True))
    assert len(after) == 3
    assert not before & after, "every response is a new row once the pulse closes"
    assert _answers_by_response(pulse) == answers_before, "each member's answers stay together"
    if connection.vendor == "postgresql":
        # All written in one transaction: not even PostgreSQL's transaction ids, which follow
        # the order things were written in, tell one member's answers from another's.
        assert len(_transaction_ids(PulseResponse, pulse)) == 1
        assert not _transaction_ids(PulseResponse, pulse) & _transaction_ids(
            PulseParticipation, pulse
        )


def _answers_by_response(pulse) -> list[tuple]:
    answers: dict = {}
    for response_id, statement_id, rating in PulseAnswer.objects.filter(
        response__pulse=pulse
    ).values_list("response_id", "statement_id", "rating"):
        answers.setdefault(response_id, []).append((statement_id, rating))
    return sorted(tuple(sorted(group)) for group in answers.values())


def _transaction_ids(model, pulse) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT xmin::text FROM {model._meta.db_table} WHERE pulse_id = %s",  # noqa: S608
            [pulse.pk],
        )
        return {int(row[0]) for row in cursor.fetchall()}


def test_results_wait_until_the_pulse_closes_never_answer_by_answer(client_for, team, crew, coach):
    pulse = run_pulse(team, crew, [4, 4, 4], close=False)
    page = _page(client_for(coach), team)
    assert "Latest results" not in page
    assert "3 of 4 have answered so far" in page
    assert not PulseResult.objects.exists()
    services.pulse_close(pulse_id=pulse.pk, early=True)
    page = _page(client_for(coach), team)
    assert "Latest results" in page
    assert "Agree" in page


def test_too_few_answers_are_never_shown(client_for, team, crew, coach, settings):
    settings.PULSE_MIN_RESPONSES = 3
    pulse = run_pulse(team, crew, [1, 5])
    assert pulse.response_count == 2
    assert pulse.overall is None
    assert not PulseResult.objects.filter(pulse=pulse).exists()
    page = _page(client_for(coach), team)
    assert "No pulse has had enough answers" in page
    detail = client_for(coach).get(reverse("teams:pulse_detail", args=[team.pk, pulse.pk]))
    assert "Too few people answered" in detail.content.decode()


def test_raising_the_threshold_hides_results_that_no_longer_meet_it(team, crew, settings):
    pulse = run_pulse(team, crew, [4, 4, 4])
    assert pulse.is_published
    settings.PULSE_MIN_RESPONSES = 4
    pulse.refresh_from_db()
    assert not pulse.is_published
    assert selectors.teams_pulse(team_ids=[team.pk])[team.pk].overall is None


def test_results_are_averages_in_words_with_colour_only_as_a_second_cue(client_for, team, crew):
    run_pulse(team, crew, [5, 4, 4, 2])
    page = _page(client_for(crew[0]), team)
    # (5 + 4 + 4 + 2) / 4 = 3.75: nearest "Agree", shown with its number.
    assert "Agree</strong> 3.8" in page
    assert "nhsuk-tag--green" in page


def test_comments_are_shown_without_names_in_random_order_to_team_and_coach_only(
    client_for, team, crew, coach, admin
):
    comments = ["We need a second car", "Great support this month", "Tuesdays are too full"]
    run_pulse(team, crew, [3, 3, 3], comments=comments)
    for user in (crew[0], coach):
        page = _page(client_for(user), team)
        for comment in comments:
            assert comment in page
        for person in crew:
            assert person.display_name not in page.split("What people added")[1]
    admin_page = _page(client_for(admin), team)
    assert "Latest results" in admin_page
    assert "We need a second car" not in admin_page
    orders = set()
    for _ in range(12):
        orders.add(tuple(selectors.pulse_comments(pulse=Pulse.objects.get(), user=coach)))
    assert len(orders) > 1, "comments come in a random order, not the order they arrived"


def test_comments_of_a_pulse_with_too_few_answers_are_never_shown(client_for, team, crew, coach):
    run_pulse(team, crew, [3, 3], comments=["Only two of us answered"])
    assert "Only two of us answered" not in _page(client_for(coach), team)


def test_who_answered_is_known_only_as_a_count(client_for, team, crew, coach):
    run_pulse(team, crew, [4, 4, 4])
    page = _page(client_for(coach), team)
    assert "3 of 4 answered" in page
    for person in crew:
        assert person.display_name not in page


# --- Trends --------------------------------------------------------------------------------------


def test_each_statement_shows_a_trend_against_the_previous_pulse(client_for, team, crew):
    now = timezone.now()
    run_pulse(team, crew, [4, 4, 4], opened=now - timedelta(days=60))
    run_pulse(team, crew, [[2, 4, 4, 4, 4, 4, 4, 5]] * 3, opened=now - timedelta(days=20))
    overview = selectors.team_pulse_overview(team=team, user=crew[0])
    directions = [item.score.trend.direction for item in overview.statements]
    assert directions == ["down", "same", "same", "same", "same", "same", "same", "up"]
    page = _page(client_for(crew[0]), team)
    assert "Down from 4.0" in page
    assert "Up from 4.0" in page
    assert 'id="pulse-trend-title"' in page
    assert "Each statement's average, pulse by pulse" in page


def test_declining_on_two_pulses_in_a_row_is_flagged(team, crew, other_team):
    now = timezone.now()
    for days, rating in [(100, 5), (60, 4), (20, 3)]:
        run_pulse(team, crew, [rating] * 3, opened=now - timedelta(days=days))
    others = [MembershipFactory(team=other_team).user for _ in range(3)]
    for days, rating in [(100, 5), (60, 3), (20, 4)]:
        run_pulse(other_team, others, [rating] * 3, opened=now - timedelta(days=days))
    figures = selectors.teams_pulse(team_ids=[team.pk, other_team.pk])
    assert figures[team.pk].declining_twice
    assert figures[team.pk].overall.trend.direction == "down"
    assert not figures[other_team.pk].declining_twice
    assert figures[other_team.pk].overall.trend.direction == "up"


def test_the_shared_trend_chart_draws_a_1_to_5_scale_with_gaps():
    chart = line_chart(
        [
            (
                "",
                [
                    LinePoint(label="Jan", value=4.0),
                    LinePoint(label="Feb", value=None),
                    LinePoint(label="Mar", value=3.0),
                    LinePoint(label="Apr", value=2.0),
                ],
            )
        ],
        title="Pulse",
        low=1,
        high=5,
        step=1,
    )
    assert [tick.label for tick in chart.ticks] == ["1", "2", "3", "4", "5"]
    assert chart.ticks[0].y > chart.ticks[-1].y
    (line,) = chart.series
    assert len(line.runs) == 1, "a hidden pulse breaks the line"
    assert line.runs[0].count(",") == 2
    assert [m.value_text for m in line.markers] == ["4.0", "", "3.0", "2.0"]


# --- The one reminder ----------------------------------------------------------------------------


def test_one_reminder_goes_to_everyone_asked_so_the_outbox_never_shows_who_answered(
    team, crew, settings
):
    settings.PULSE_REMINDER_AFTER_DAYS = 3
    opened = timezone.now() - timedelta(days=4)
    pulse = services.pulse_open(team=team, now=opened)
    services.pulse_answer(pulse=pulse, user=crew[0], ratings=_all(4))
    newcomer = MembershipFactory(team=team, joined=timezone.localdate()).user
    assert services.pulse_send_reminders() == 1
    assert services.pulse_send_reminders() == 0
    assert services.pulse_remind(pulse_id=pulse.pk) is False
    reminded = OutboxEmail.objects.filter(idempotency_key__startswith="pulse-reminder:")
    assert sorted(reminded.values_list("to", flat=True)) == sorted(u.email for u in crew)
    assert newcomer.email not in reminded.values_list("to", flat=True), "not asked, not reminded"
    assert "If you have answered already, thank you" in reminded.first().body_text


def test_no_reminder_too_early_or_after_the_pulse_closed(team, crew, settings):
    settings.PULSE_REMINDER_AFTER_DAYS = 3
    services.pulse_open(team=team, now=timezone.now() - timedelta(days=1))
    assert services.pulse_send_reminders() == 0
    pulse = Pulse.objects.get()
    services.pulse_close(pulse_id=pulse.pk, early=True)
    assert services.pulse_send_reminders(now=timezone.now() + timedelta(days=3)) == 0


def test_pulses_close_on_their_date_once(team, crew):
    pulse = run_pulse(team, crew, [4, 4, 4], close=False)
    assert services.pulse_close_due() == 0
    later = timezone.now() + timedelta(days=8)
    assert services.pulse_close_due(now=later) == 1
    assert services.pulse_close_due(now=later) == 0
    pulse.refresh_from_db()
    assert pulse.overall == Decimal("4.00")
    assert pulse.response_count == 3


# --- Who sees the pulse --------------------------------------------------------------------------


def test_only_the_team_its_coach_and_admins_see_its_pulse(
    client_for, team, crew, coach, admin, other_member, outsider, other_team
):
    pulse = run_pulse(team, crew, [4, 4, 4])
    other_coach = UserFactory(with_mfa=True)
    other_team.coach = other_coach
    other_team.save()
    for user in (crew[0], coach, admin):
        client = client_for(user)
        assert client.get(reverse("teams:pulse", args=[team.pk])).status_code == 200
        assert (
            client.get(reverse("teams:pulse_detail", args=[team.pk, pulse.pk])).status_code == 200
        )
    for user in (other_member, outsider, other_coach):
        client = client_for(user)
        for url in [
            reverse("teams:pulse", args=[team.pk]),
            reverse("teams:pulse_detail", args=[team.pk, pulse.pk]),
            reverse("teams:pulse_answer", args=[team.pk, pulse.pk]),
        ]:
            assert client.get(url).status_code == 404, (user, url)
        for url in [
            reverse("teams:pulse_start", args=[team.pk]),
            reverse("teams:pulse_close", args=[team.pk, pulse.pk]),
            reverse("teams:pulse_answer", args=[team.pk, pulse.pk]),
        ]:
            assert client.post(url).status_code == 404, (user, url)
    assert Pulse.objects.filter(team=team).count() == 1


def test_a_pulse_of_another_team_is_not_found_through_this_teams_address(
    client_for, team, crew, other_team
):
    others = [MembershipFactory(team=other_team).user for _ in range(3)]
    foreign = run_pulse(other_team, others, [2, 2, 2])
    client = client_for(crew[0])
    assert client.get(reverse("teams:pulse_detail", args=[team.pk, foreign.pk])).status_code == 404
    assert client.get(reverse("teams:pulse_answer", args=[team.pk, foreign.pk])).status_code == 404


def test_the_coach_does_not_answer_the_teams_pulse(client_for, team, crew, coach):
    pulse = services.pulse_open(team=team)
    response = client_for(coach).get(reverse("teams:pulse_answer", args=[team.pk, pulse.pk]))
    assert response.status_code == 403


def test_the_coach_starts_and_closes_a_pulse_from_the_page(client_for, team, crew, coach):
    client = client_for(coach)
    assert client.post(reverse("teams:pulse_start", args=[team.pk])).status_code == 302
    pulse = Pulse.objects.get(team=team)
    assert client.post(reverse("teams:pulse_close", args=[team.pk, pulse.pk])).status_code == 302
    pulse.refresh_from_db()
    assert pulse.closed_at is not None


def test_closing_early_says_whether_there_will_be_results(client_for, team, crew, coach):
    pulse = run_pulse(team, crew, [4, 4], close=False)
    page = _page(client_for(coach), team)
    assert "Only 2 have answered: closing now would show no results at all" in page
    services.pulse_answer(pulse=pulse, user=crew[2], ratings=_all(3))
    page = _page(client_for(coach), team)
    assert "Closing now publishes the results to the team" in page
    assert "Close the pulse now" not in _page(client_for(crew[3]), team)


def test_a_member_cannot_start_or_close_a_pulse(client_for, team, crew):
    client = client_for(crew[0])
    assert client.post(reverse("teams:pulse_start", args=[team.pk])).status_code == 403
    pulse = services.pulse_open(team=team)
    assert client.post(reverse("teams:pulse_close", args=[team.pk, pulse.pk])).status_code == 403


# --- Query counts --------------------------------------------------------------------------------


def test_pulse_pages_run_a_fixed_number_of_queries(
    client_for, team, crew, coach, assert_fixed_queries
):
    pulse = run_pulse(team, crew, [4, 3, 5], comments=["One", "Two"])
    client = client_for(coach)

    def grow():
        now = timezone.now()
        for weeks in range(2, 8):
            run_pulse(
                team,
                crew,
                [3, 4, 2, 5],
                opened=now - timedelta(weeks=weeks * 6),
                comments=["a", "b"],
            )
        services.pulse_open(team=team)

    for url in [
        reverse("teams:pulse", args=[team.pk]),
        reverse("teams:pulse_detail", args=[team.pk, pulse.pk]),
    ]:
        assert_fixed_queries(lambda url=url: client.get(url), grow, most=20)
        Pulse.objects.exclude(pk=pulse.pk).delete()


def test_someone_who_joined_after_the_pulse_opened_waits_for_the_next(team, crew):
    pulse = services.pulse_open(team=team, now=timezone.now() - timedelta(days=2))
    newcomer = MembershipFactory(team=team, joined=timezone.localdate()).user
    with pytest.raises(TeamError, match="joined after this pulse opened"):
        services.pulse_answer(pulse=pulse, user=newcomer, ratings=_all(4))
    assert not PulseParticipation.objects.filter(user=newcomer).exists()
    assert pulse not in selectors.pulses_waiting_for(user=newcomer)
    assert pulse in selectors.pulses_waiting_for(user=crew[0])
