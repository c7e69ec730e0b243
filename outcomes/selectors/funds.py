"""Individual Service Fund figures: hours commissioned, delivered (from the rota's done
visits), banked and used flexibly, and the money beside them.

Hours are commissioned by the week; a month (or any period) gets its share day by day, so
that a fund starting on the 10th is commissioned for 22 days of a 31-day month, not all of it.
Flexibly used hours are delivered like any others (a worker goes to the coast with the person,
and the visit is done on the rota): they come out of the bank rather than out of the month's
commissioned hours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone

from teams.models import Person
from teams.rota.selectors import hours_delivered

from ..models import FlexibleHours, ServiceFund

ZERO = Decimal(0)
CENT = Decimal("0.01")
WEEK = Decimal(7)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1)


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _days_covered(fund: ServiceFund, start: date, end: date) -> tuple[date, date, int]:
    """The part of [start, end) the fund covers, and its length in days."""
    first = max(start, fund.starts)
    last_exclusive = min(end, fund.ends + timedelta(days=1)) if fund.ends else end
    return first, last_exclusive, max((last_exclusive - first).days, 0)


def commissioned_hours(fund: ServiceFund, start: date, end: date) -> Decimal:
    _, _, days = _days_covered(fund, start, end)
    if fund.hours_per_week is None:
        return ZERO
    return _round(fund.hours_per_week * days / WEEK)


def funds_covering(person_ids: Iterable[int], start: date, end: date) -> list[ServiceFund]:
    """Funds that cover any day of [start, end). One query."""
    return list(
        ServiceFund.objects.filter(person_id__in=list(person_ids), starts__lt=end)
        .filter(Q(ends__isnull=True) | Q(ends__gte=start))
        .order_by("starts", "pk")
    )


@dataclass(frozen=True)
class FundMonth:
    """One fund's part of a month's statement."""

    fund: ServiceFund
    first: date
    last: date
    commissioned: Decimal
    delivered: Decimal
    banked: Decimal
    used: Decimal
    brought_forward: Decimal
    budget: Decimal | None
    lines: list[FlexibleHours] = field(default_factory=list)

    @property
    def balance(self) -> Decimal:
        """Banked hours left at the end of the month."""
        return self.brought_forward + self.banked - self.used

    @property
    def from_commission(self) -> Decimal:
        """Delivered hours that came out of this month's commission (not the bank)."""
        return self.delivered - self.used

    @property
    def not_used(self) -> Decimal:
        """Commissioned this month, neither delivered nor banked (negative: over)."""
        return self.commissioned - self.from_commission - self.banked

    @property
    def over_commission(self) -> Decimal:
        """Delivered from the commission and banked beyond what was commissioned."""
        return max(-self.not_used, ZERO)

    @property
    def spend(self) -> Decimal:
        return _round(self.delivered * self.fund.hourly_rate)

    @property
    def budget_left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.spend

    @property
    def overspend(self) -> Decimal:
        return max(-(self.budget_left or ZERO), ZERO)


def _ledger_sums(fund_ids: Sequence[int], start: date, end: date) -> dict:
    """Per fund: banked and used before `start` and within [start, end). One query."""
    sums = {
        name: Sum("hours", filter=Q(kind=kind) & when, default=ZERO)
        for name, kind, when in [
            ("banked_before", FlexibleHours.Kind.BANKED, Q(on__lt=start)),
            ("used_before", FlexibleHours.Kind.USED, Q(on__lt=start)),
            ("banked", FlexibleHours.Kind.BANKED, Q(on__gte=start, on__lt=end)),
            ("used", FlexibleHours.Kind.USED, Q(on__gte=start, on__lt=end)),
        ]
    }
    rows = (
        FlexibleHours.objects.filter(fund_id__in=fund_ids)
        .values("fund_id")
        .annotate(**sums)
        .order_by()
    )
    return {row.pop("fund_id"): row for row in rows}


def fund_period(fund: ServiceFund, start: date, end: date, *, lines: bool = False) -> FundMonth:
    """One fund over [start, end): three queries, or four with the ledger lines."""
    first, last_exclusive, days = _days_covered(fund, start, end)
    delivered = hours_delivered(person_ids=[fund.person_id], start=first, end=last_exclusive)
    sums = _ledger_sums([fund.pk], start, end).get(fund.pk, {})
    return FundMonth(
        fund=fund,
        first=first,
        last=last_exclusive - timedelta(days=1),
        commissioned=commissioned_hours(fund, start, end),
        delivered=delivered.get(fund.person_id, ZERO) if days else ZERO,
        banked=sums.get("banked", ZERO),
        used=sums.get("used", ZERO),
        brought_forward=sums.get("banked_before", ZERO) - sums.get("used_before", ZERO),
        budget=_round(fund.weekly_budget * days / WEEK) if fund.weekly_budget is not None else None,
        lines=list(fund.ledger.filter(on__gte=start, on__lt=end).order_by("on", "pk"))
        if lines
        else [],
    )


def bankable_hours(fund: ServiceFund, on: date) -> Decimal:
    """Hours of the month of `on` that may still be banked: commissioned, not delivered from
    the commission, not banked already."""
    start = month_start(on)
    return max(fund_period(fund, start, next_month(start)).not_used, ZERO)


def bank_balance(fund: ServiceFund, *, on: date | None = None) -> Decimal:
    ledger = fund.ledger.all() if on is None else fund.ledger.filter(on__lte=on)
    sums = ledger.aggregate(
        banked=Sum("hours", filter=Q(kind=FlexibleHours.Kind.BANKED), default=ZERO),
        used=Sum("hours", filter=Q(kind=FlexibleHours.Kind.USED), default=ZERO),
    )
    return sums["banked"] - sums["used"]


@dataclass(frozen=True)
class TeamHours:
    commissioned: Decimal = ZERO
    delivered: Decimal = ZERO

    @property
    def share(self) -> int | None:
        if not self.commissioned:
            return None
        return int((self.delivered / self.commissioned * 100).quantize(Decimal(1)))


def hours_by_person(person_ids: Sequence[int], start: date, end: date) -> dict[int, TeamHours]:
    """Hours commissioned and delivered over [start, end) per person with a fund. Two queries
    whatever the number of people."""
    funds = funds_covering(person_ids, start, end)
    delivered = hours_delivered(person_ids={fund.person_id for fund in funds}, start=start, end=end)
    commissioned: dict[int, Decimal] = defaultdict(Decimal)
    for fund in funds:
        commissioned[fund.person_id] += commissioned_hours(fund, start, end)
    return {
        person_id: TeamHours(commissioned=hours, delivered=delivered.get(person_id, ZERO))
        for person_id, hours in commissioned.items()
    }


def hours_by_team(people: Iterable[Person], start: date, end: date) -> dict[int, TeamHours]:
    """Per team: hours commissioned and delivered over [start, end), for people with a fund."""
    team_of = {person.pk: person.team_id for person in people}
    totals: dict[int, TeamHours] = {}
    for person_id, hours in hours_by_person(list(team_of), start, end).items():
        team_id = team_of[person_id]
        so_far = totals.get(team_id, TeamHours())
        totals[team_id] = TeamHours(
            commissioned=so_far.commissioned + hours.commissioned,
            delivered=so_far.delivered + hours.delivered,
        )
    return totals


def statement_months(*, person: Person, today: date) -> tuple[date, date]:
    """The first and the last month a statement can be read for: from the month the first
    fund started to this month, or to the month the last fund ended if every fund has. With
    no fund, this month alone. One query."""
    this_month = month_start(today)
    spans = list(person.service_funds.values_list("starts", "ends"))
    if not spans:
        return this_month, this_month
    ends = [ends for _, ends in spans]
    last = this_month
    if None not in ends and max(ends) < this_month:
        last = month_start(max(ends))
    return min(month_start(min(starts for starts, _ in spans)), last), last


@dataclass(frozen=True)
class Statement:
    """A person's month: the hours and the money, and beside them what it achieved, in their
    words — as the record stood at the end of that month."""

    person: Person
    month: date
    today: date
    funds: list[FundMonth]
    outcomes: list
    # The months a statement can be read for (see `statement_months`).
    first_month: date
    last_month: date

    @property
    def next_month(self) -> date:
        return next_month(self.month)

    @property
    def previous_month(self) -> date:
        return month_start(self.month - timedelta(days=1))

    @property
    def is_current(self) -> bool:
        """The month is not over: its figures are so far, and hours not yet delivered may
        still be."""
        return self.month <= self.today < self.next_month

    @property
    def has_previous(self) -> bool:
        return self.previous_month >= self.first_month

    @property
    def has_next(self) -> bool:
        """A month that has not started, or after every fund ended, has nothing to show."""
        return self.next_month <= self.last_month

    def achieved_by_then(self, outcome) -> bool:
        return (
            outcome.status == outcome.Status.ACHIEVED
            and outcome.status_changed_on is not None
            and outcome.status_changed_on < self.next_month
        )


def monthly_statement(
    *, person: Person, month: date, today: date | None = None, months: tuple[date, date] = ()
) -> Statement:
    """`months`, the first and last month a statement can be read for, when the caller has
    them already."""
    from .goals import outcome_list_for

    start = month_start(month)
    end = next_month(start)
    today = today or timezone.localdate()
    first_month, last_month = months or statement_months(person=person, today=today)
    outcomes = [
        outcome
        # Outcomes being worked on at some point of the month, with the reviews held by its end.
        for outcome in outcome_list_for(person, before=end)
        if outcome.status == outcome.Status.ACTIVE
        or (outcome.status_changed_on and outcome.status_changed_on >= start)
    ]
    statement = Statement(
        person=person,
        month=start,
        today=today,
        funds=[
            fund_period(fund, start, end, lines=True)
            for fund in funds_covering([person.pk], start, end)
        ],
        outcomes=outcomes,
        first_month=first_month,
        last_month=last_month,
    )
    for outcome in outcomes:
        # What the template shows beside the outcome: the month's view of it.
        outcome.achieved_by_then = statement.achieved_by_then(outcome)
    return statement
