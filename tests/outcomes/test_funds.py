"""Individual Service Funds: hours commissioned by the week, delivered from the rota's done
visits, banked and used flexibly as the person agreed, month by month."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from outcomes.models import FlexibleHours
from outcomes.selectors.funds import month_start, monthly_statement
from outcomes.services import OutcomesError
from outcomes.services.funds import fund_create, ledger_add
from teams.rota.models import Visit
from tests.factories import MembershipFactory, VisitFactory
from tests.outcomes.factories import ServiceFundFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
BANKED, USED = FlexibleHours.Kind.BANKED, FlexibleHours.Kind.USED


def london(*args) -> datetime:
    return datetime(*args, tzinfo=LONDON)


@pytest.fixture
def worker(team):
    return MembershipFactory(team=team).user


@pytest.fixture
def colleague(team):
    return MembershipFactory(team=team).user


def visit(person, worker, start, minutes, *, status=Visit.Status.DONE, workers=None, **fields):
    return VisitFactory(
        person=person,
        start=start,
        end=start + timedelta(minutes=minutes),
        status=status,
        assigned=workers or [worker],
        **fields,
    )


@pytest.fixture
def fund(person, member):
    # 7 hours a week at £24 an hour, with £200 a week of budget, from 1 January 2025.
    return ServiceFundFactory(
        person=person, starts=date(2025, 1, 1), hours_per_week=7, hourly_rate=24, weekly_budget=200
    )


@pytest.fixture
def january(person, worker, colleague):
    """17 hours delivered in January 2025, and visits that must not count."""
    for day in range(6, 16):  # ten 90-minute visits: 15 hours
        visit(person, worker, london(2025, 1, day, 10, 0), 90)
    # One hour with two workers is two hours of care.
    visit(person, worker, london(2025, 1, 20, 9, 0), 60, workers=[worker, colleague])
    # Planned, missed and cancelled visits deliver nothing.
    visit(person, worker, london(2025, 1, 21, 9, 0), 60, status=Visit.Status.PLANNED)
    visit(person, worker, london(2025, 1, 22, 9, 0), 60, status=Visit.Status.MISSED)
    visit(person, worker, london(2025, 1, 23, 9, 0), 60, status=Visit.Status.CANCELLED)


def test_a_month_is_commissioned_day_by_day_and_delivered_from_done_visits(
    person, fund, january, worker
):
    # Starts on 31 January at 23:30 and runs past midnight: it belongs to January.
    visit(person, worker, london(2025, 1, 31, 23, 30), 60)
    statement = monthly_statement(person=person, month=date(2025, 1, 1))
    month = statement.funds[0]
    # 7 hours a week × 31 days / 7 = 31 hours; 15 + 2 + 1 = 18 delivered.
    assert month.commissioned == Decimal("31.00")
    assert month.delivered == Decimal("18.00")
    assert month.not_used == Decimal("13.00")
    # £24 × 18 = £432 spent of a budget of £200 × 31 / 7 = £885.71.
    assert month.spend == Decimal("432.00")
    assert month.budget == Decimal("885.71")
    february = monthly_statement(person=person, month=date(2025, 2, 1)).funds[0]
    assert february.delivered == Decimal("0.00")
    assert february.commissioned == Decimal("28.00")


def test_actual_times_count_where_the_worker_recorded_them(person, fund, worker):
    planned = visit(person, worker, london(2025, 1, 6, 10, 0), 60)
    Visit.objects.filter(pk=planned.pk).update(
        actual_start=london(2025, 1, 6, 10, 0), actual_end=london(2025, 1, 6, 11, 30)
    )
    assert monthly_statement(person=person, month=date(2025, 1, 1)).funds[0].delivered == Decimal(
        "1.50"
    )


def test_a_fund_starting_mid_month_is_commissioned_for_its_days_only(person, member):
    fund = ServiceFundFactory(person=person, starts=date(2025, 1, 10), hours_per_week=7)
    # 10 to 31 January is 22 days: 7 × 22 / 7 = 22 hours.
    month = monthly_statement(person=person, month=date(2025, 1, 1)).funds[0]
    assert (month.fund, month.first, month.commissioned) == (
        fund,
        date(2025, 1, 10),
        Decimal("22.00"),
    )


def test_banked_hours_carry_over_the_month_boundary_and_are_used_later(
    person, fund, january, worker, member
):
    ledger_add(
        fund=fund,
        by=member,
        kind=BANKED,
        hours=Decimal(6),
        on=date(2025, 1, 24),
        purpose="Saved for a trip to the coast",
    )
    # The trip: six hours on a Saturday in February, done on the rota, paid from the bank.
    visit(person, worker, london(2025, 2, 15, 9, 0), 360)
    ledger_add(
        fund=fund,
        by=member,
        kind=USED,
        hours=Decimal(6),
        on=date(2025, 2, 15),
        purpose="Trip to the coast at Whitby",
    )

    jan = monthly_statement(person=person, month=date(2025, 1, 1)).funds[0]
    # 31 commissioned − 17 delivered − 6 banked = 8 neither used nor banked.
    assert (jan.brought_forward, jan.banked, jan.used, jan.balance) == (0, 6, 0, 6)
    assert jan.not_used == Decimal("8.00")
    assert [line.purpose for line in jan.lines] == ["Saved for a trip to the coast"]

    feb = monthly_statement(person=person, month=date(2025, 2, 1)).funds[0]
    # February: 6 brought forward, 6 used, nothing left; the 6 delivered hours came from the
    # bank, so all 28 commissioned hours are still unused.
    assert (feb.brought_forward, feb.banked, feb.used, feb.balance) == (6, 0, 6, 0)
    assert feb.delivered == Decimal("6.00")
    assert feb.from_commission == Decimal("0.00")
    assert feb.not_used == Decimal("28.00")


def test_only_unused_hours_of_the_month_can_be_banked(person, fund, january, member):
    # January leaves 31 − 17 = 14 hours unused.
    with pytest.raises(OutcomesError, match="Only 14.00 hours"):
        ledger_add(
            fund=fund,
            by=member,
            kind=BANKED,
            hours=Decimal("14.5"),
            on=date(2025, 1, 31),
            purpose="Holiday",
        )
    ledger_add(
        fund=fund,
        by=member,
        kind=BANKED,
        hours=Decimal(10),
        on=date(2025, 1, 31),
        purpose="Holiday",
    )
    with pytest.raises(OutcomesError, match="Only 4.00 hours"):
        ledger_add(
            fund=fund, by=member, kind=BANKED, hours=Decimal(5), on=date(2025, 1, 2), purpose="More"
        )


def test_hours_cannot_be_used_before_they_are_banked_or_beyond_the_bank(
    person, fund, january, member
):
    with pytest.raises(OutcomesError, match="not that many banked hours"):
        ledger_add(
            fund=fund,
            by=member,
            kind=USED,
            hours=Decimal(1),
            on=date(2025, 1, 20),
            purpose="Cinema",
        )
    ledger_add(
        fund=fund, by=member, kind=BANKED, hours=Decimal(6), on=date(2025, 1, 24), purpose="Saved"
    )
    ledger_add(
        fund=fund, by=member, kind=USED, hours=Decimal(6), on=date(2025, 2, 15), purpose="Coast"
    )
    # Backdating a use to 1 February would leave the coast trip nothing to draw on.
    with pytest.raises(OutcomesError, match="not that many banked hours"):
        ledger_add(
            fund=fund, by=member, kind=USED, hours=Decimal(1), on=date(2025, 2, 1), purpose="Cinema"
        )


def test_ledger_dates_stay_inside_the_fund(person, member):
    fund = ServiceFundFactory(person=person, starts=date(2025, 1, 1), ends=date(2025, 3, 31))
    with pytest.raises(OutcomesError, match="outside the fund"):
        ledger_add(
            fund=fund,
            by=member,
            kind=BANKED,
            hours=Decimal(1),
            on=date(2025, 4, 1),
            purpose="Later",
        )


def test_visits_count_in_the_month_of_their_london_start_across_the_clock_change(
    person, member, worker
):
    ServiceFundFactory(person=person, starts=date(2025, 3, 1), hours_per_week=7)
    # 00:30 on 1 April in London (summer time) is 23:30 on 31 March in UTC: it is April's.
    visit(person, worker, london(2025, 4, 1, 0, 30), 60)
    assert monthly_statement(person=person, month=date(2025, 3, 1)).funds[0].delivered == 0
    assert monthly_statement(person=person, month=date(2025, 4, 1)).funds[0].delivered == 1


def test_funds_for_one_person_cannot_overlap(person, member):
    fund_create(
        person=person,
        by=member,
        commissioner="Council",
        starts=date(2025, 1, 1),
        ends=date(2025, 6, 30),
        hours_per_week=Decimal(7),
        hourly_rate=Decimal(24),
    )
    with pytest.raises(OutcomesError, match="Another fund"):
        fund_create(
            person=person,
            by=member,
            commissioner="Council",
            starts=date(2025, 6, 1),
            hours_per_week=Decimal(7),
            hourly_rate=Decimal(24),
        )
    fund_create(
        person=person,
        by=member,
        commissioner="Council",
        starts=date(2025, 7, 1),
        hours_per_week=Decimal(9),
        hourly_rate=Decimal(25),
    )


def test_a_fund_needs_hours_or_a_budget(person, member):
    with pytest.raises(OutcomesError, match="hours a week, the budget a week"):
        fund_create(
            person=person,
            by=member,
            commissioner="Council",
            starts=date(2025, 1, 1),
            hourly_rate=Decimal(24),
        )


def test_the_coach_sees_hours_delivered_against_commissioned(team, person, member, worker):
    from django.utils import timezone

    from outcomes.selectors.dashboards import funds_column

    ServiceFundFactory(person=person, starts=date(2025, 1, 1), hours_per_week=7)
    # The last four weeks: 7 × 28 / 7 = 28 hours commissioned; one visit of 21 hours delivered.
    visit(person, worker, timezone.now() - timedelta(days=3), 21 * 60)
    figure = funds_column([team])[team.pk]
    assert figure.text == "21 of 28 hours (75%)"
    assert figure.attention
    visit(person, worker, timezone.now() - timedelta(days=2), 6 * 60)
    figure = funds_column([team])[team.pk]
    assert (figure.text, figure.attention) == ("27 of 28 hours (96%)", False)


def test_a_past_months_statement_quotes_the_record_as_it_stood_that_month(person, fund, member):
    from tests.outcomes.factories import OutcomeFactory, ReviewFactory

    walk = OutcomeFactory(person=person, created_on=date(2025, 1, 6))
    ReviewFactory(outcome=walk, reviewed_on=date(2025, 1, 20), person_words="To the gate")
    ReviewFactory(outcome=walk, reviewed_on=date(2025, 3, 3), person_words="To the shop!")
    walk.status, walk.status_changed_on = "achieved", date(2025, 3, 3)
    walk.save()
    # Set in February: not part of January's story.
    OutcomeFactory(person=person, created_on=date(2025, 2, 10), in_their_words="Swim again")

    january = monthly_statement(person=person, month=date(2025, 1, 1), today=date(2025, 4, 1))
    assert [outcome.in_their_words for outcome in january.outcomes] == [walk.in_their_words]
    assert [r.person_words for r in january.outcomes[0].reviews.all()] == ["To the gate"]
    assert not january.outcomes[0].achieved_by_then

    march = monthly_statement(person=person, month=date(2025, 3, 1), today=date(2025, 4, 1))
    words = {o.in_their_words: o for o in march.outcomes}
    assert set(words) == {walk.in_their_words, "Swim again"}
    assert next(iter(words[walk.in_their_words].reviews.all())).person_words == "To the shop!"
    assert words[walk.in_their_words].achieved_by_then
    # An outcome achieved before the month began is not part of April's.
    april = monthly_statement(person=person, month=date(2025, 4, 1), today=date(2025, 4, 1))
    assert [outcome.in_their_words for outcome in april.outcomes] == ["Swim again"]


def test_this_months_statement_says_it_is_not_over_and_offers_no_month_to_come(
    client_for, person, fund, person_user
):
    from django.urls import reverse
    from django.utils import timezone

    page = client_for(person_user).get(reverse("outcomes:own_statement", args=[person.pk]))
    text = page.content.decode()
    today = timezone.localdate()
    assert f"{today:%B} is not over yet" in text
    assert "Not delivered or saved yet" in text
    assert "Previous" in text
    assert ">Next<" not in text
    last = month_start(today) - timedelta(days=1)
    url = reverse("outcomes:own_statement_month", args=[person.pk, last.year, last.month])
    text = client_for(person_user).get(url).content.decode()
    assert "is not over yet" not in text
    assert "Not used or saved" in text
    assert ">Next<" in text


def test_money_reads_with_thousands_separated(client_for, person, member):
    from django.urls import reverse

    ServiceFundFactory(
        person=person, starts=date(2025, 1, 1), hours_per_week=7, hourly_rate=24, weekly_budget=300
    )
    url = reverse("outcomes:statement_month", args=[person.pk, 2025, 1])
    # £300 × 31 / 7 = £1,328.57 of budget in January.
    assert "£1,328.57" in client_for(member).get(url).content.decode()


@pytest.mark.parametrize("months_ahead", [0, 1, 18])
def test_hours_of_a_month_not_over_cannot_be_banked(fund, member, months_ahead):
    today = timezone.localdate()
    on = month_start(today) + timedelta(days=31 * months_ahead)
    with pytest.raises(OutcomesError, match="a year from today|month that is over"):
        ledger_add(fund=fund, by=member, kind=BANKED, hours=Decimal(1), on=on, purpose="Coast")
    assert not FlexibleHours.objects.exists()


def test_ledger_dates_have_an_upper_bound(fund, member):
    with pytest.raises(OutcomesError, match="a year from today"):
        ledger_add(
            fund=fund, by=member, kind=USED, hours=Decimal(1), on=date(9999, 12, 31), purpose="X"
        )


def test_the_ledger_form_refuses_banking_a_month_not_over(client_for, member, person, fund):
    from django.urls import reverse

    on = timezone.localdate() + timedelta(days=40)
    response = client_for(member).post(
        reverse("outcomes:fund", args=[person.pk]),
        {"kind": "banked", "hours": "1", "on": on.isoformat(), "purpose": "C", "agreed": "on"},
    )
    assert response.status_code == 400
    assert "month that is over" in response.content.decode()
    assert not FlexibleHours.objects.exists()


@pytest.mark.parametrize(
    ("starts", "ends"),
    [(date(1, 1, 1), None), (date(1899, 12, 31), None), (date(2025, 1, 1), date(9999, 12, 31))],
)
def test_fund_dates_are_kept_to_a_sane_range(person, member, starts, ends):
    with pytest.raises(OutcomesError, match="onwards|before 2100"):
        fund_create(person=person, by=member, starts=starts, ends=ends, hours_per_week=7)


def test_the_statement_gives_hours_as_people_say_them_and_money_in_pounds(
    client_for, person, person_user, worker
):
    from django.urls import reverse

    # 10 hours a week over the 31 days of January: 44.29 hours, 44 hours and 17 minutes.
    ServiceFundFactory(
        person=person, starts=date(2025, 1, 1), hours_per_week=10, hourly_rate=24, weekly_budget=300
    )
    visit(person, worker, london(2025, 1, 6, 10, 0), 165)
    url = reverse("outcomes:own_statement_month", args=[person.pk, 2025, 1])
    page = client_for(person_user).get(url).content.decode()
    assert "44 hours 17 minutes</td>" in page
    assert "2 hours 45 minutes</td>" in page  # delivered
    assert "41 hours 32 minutes</td>" in page  # not used or saved
    assert "£66.00 <span" in page
    assert "(2 hours 45 minutes at £24.00 an hour)" in page
    for figure in ("44.29", "41.54", "2.75"):
        assert figure not in page


def test_hours_over_the_commission_are_said_plainly(client_for, person, person_user, worker):
    from django.urls import reverse

    ServiceFundFactory(person=person, starts=date(2025, 1, 1), hours_per_week=1)
    visit(person, worker, london(2025, 1, 6, 10, 0), 6 * 60)
    url = reverse("outcomes:own_statement_month", args=[person.pk, 2025, 1])
    page = client_for(person_user).get(url).content.decode()
    # 4 hours 26 minutes commissioned, 6 hours delivered.
    assert "None: 1 hour 34 minutes more than commissioned" in page


def test_month_navigation_stays_within_the_months_a_fund_covers(
    client_for, person, person_user, member
):
    from django.urls import reverse

    today = timezone.localdate()
    first = month_start(today - timedelta(days=40))
    ServiceFundFactory(person=person, starts=first + timedelta(days=9))
    client = client_for(person_user)
    page = client.get(
        reverse("outcomes:own_statement_month", args=[person.pk, first.year, first.month])
    ).content.decode()
    assert ">Previous<" not in page
    assert ">Next<" in page
    this_month = client.get(reverse("outcomes:own_statement", args=[person.pk])).content.decode()
    assert ">Previous<" in this_month
    assert ">Next<" not in this_month
    for staff, url_name in ((False, "own_statement_month"), (True, "statement_month")):
        client = client_for(member if staff else person_user)
        for month in (first - timedelta(days=1), month_start(today) + timedelta(days=40)):
            response = client.get(
                reverse(f"outcomes:{url_name}", args=[person.pk, month.year, month.month])
            )
            text = response.content.decode()
            assert response.status_code == 404
            assert f"No statement for {month:%B %Y}" in text
            assert f"statements go from {first:%B %Y} to {today:%B %Y}" in text
            assert f"Statement for {first:%B %Y}, the first" in text


def test_statements_end_with_the_last_fund(client_for, person, person_user):
    from django.urls import reverse

    ServiceFundFactory(person=person, starts=date(2025, 1, 1), ends=date(2025, 2, 14))
    client = client_for(person_user)
    latest = client.get(reverse("outcomes:own_statement", args=[person.pk])).content.decode()
    assert "February 2025</h1>" in latest
    assert ">Next<" not in latest
    response = client.get(reverse("outcomes:own_statement_month", args=[person.pk, 2025, 3]))
    assert response.status_code == 404
    assert "statements go from January 2025 to February 2025" in response.content.decode()
