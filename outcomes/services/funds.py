"""Writes about Individual Service Funds: setting one up, and banking or using hours as the
person and the team agree."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from teams.models import Person
from wellbeing.accounts.models import User

from ..models import FlexibleHours, ServiceFund
from ..selectors.funds import bankable_hours, month_start
from . import EARLIEST_DATE, OutcomesError

LATEST_FUND_END = date(2100, 1, 1)

FUND_FIELDS = {
    "commissioner",
    "starts",
    "ends",
    "hours_per_week",
    "weekly_budget",
    "hourly_rate",
    "notes",
}


def _check_fund(fund: ServiceFund) -> None:
    if fund.starts < EARLIEST_DATE:
        raise OutcomesError(f"Give a start date from {EARLIEST_DATE.year} onwards.")
    if fund.ends is not None and fund.ends > LATEST_FUND_END:
        raise OutcomesError(f"Give an end date before {LATEST_FUND_END.year}.")
    if fund.hours_per_week is None and fund.weekly_budget is None:
        raise OutcomesError("Give the hours a week, the budget a week, or both.")
    if fund.ends is not None and fund.ends < fund.starts:
        raise OutcomesError("The fund cannot end before it starts.")
    overlapping = ServiceFund.objects.filter(person_id=fund.person_id).exclude(pk=fund.pk)
    overlapping = overlapping.filter(Q(ends__isnull=True) | Q(ends__gte=fund.starts))
    if fund.ends is not None:
        overlapping = overlapping.filter(starts__lte=fund.ends)
    if overlapping.exists():
        raise OutcomesError(
            "Another fund covers some of these dates. End that one first: hours delivered "
            "would otherwise count twice."
        )


@transaction.atomic
def fund_create(*, person: Person, by: User, **fields: Any) -> ServiceFund:
    unknown = set(fields) - FUND_FIELDS
    if unknown:
        raise TypeError(f"Unknown fund fields: {sorted(unknown)}")
    # Two people setting up a fund at once must not both pass the overlap check.
    Person.objects.select_for_update().filter(pk=person.pk).first()
    fund = ServiceFund(person=person, created_by=by, **fields)
    _check_fund(fund)
    fund.save()
    return fund


@transaction.atomic
def fund_update(*, fund: ServiceFund, **fields: Any) -> ServiceFund:
    unknown = set(fields) - FUND_FIELDS
    if unknown:
        raise TypeError(f"Unknown fund fields: {sorted(unknown)}")
    Person.objects.select_for_update().filter(pk=fund.person_id).first()
    fund = ServiceFund.objects.get(pk=fund.pk)
    for name, value in fields.items():
        setattr(fund, name, value)
    _check_fund(fund)
    fund.save()
    return fund


# Using banked hours may be planned ahead (a trip booked for the summer), but not for ever.
LEDGER_AHEAD = timedelta(days=366)


def _balances_stay_positive(entries: list[tuple[date, int, str, Decimal]]) -> bool:
    balance = Decimal(0)
    for _, _, kind, hours in sorted(entries):
        balance += hours if kind == FlexibleHours.Kind.BANKED else -hours
        if balance < 0:
            return False
    return True


@transaction.atomic
def ledger_add(
    *, fund: ServiceFund, by: User, kind: str, hours: Decimal, on: date, purpose: str
) -> FlexibleHours:
    """Bank unused hours, or use banked ones, for a purpose the person agreed.

    Banking takes only hours the month left unused; using takes only hours in the bank on
    that day — and never so many that a later use would have had nothing to draw on.
    """
    fund = ServiceFund.objects.select_for_update().get(pk=fund.pk)
    if kind not in FlexibleHours.Kind.values:
        raise OutcomesError("Say whether the hours are banked or used.")
    if hours is None or hours <= 0:
        raise OutcomesError("Give a number of hours above nothing.")
    if not purpose.strip():
        raise OutcomesError("Say what the hours are for, as the person put it.")
    if on is None or not fund.covers(on):
        raise OutcomesError("That date is outside the fund's period.")
    today = timezone.localdate()
    if on > today + LEDGER_AHEAD:
        raise OutcomesError("Give a date no more than a year from today.")
    if kind == FlexibleHours.Kind.BANKED and on >= month_start(today):
        raise OutcomesError(
            "Only hours of a month that is over can be banked: until then no one knows how "
            "many it leaves unused."
        )
    if kind == FlexibleHours.Kind.BANKED:
        available = bankable_hours(fund, on)
        if hours > available:
            raise OutcomesError(
                f"Only {available:.2f} hours of that month are unused and not banked yet."
            )
    else:
        entries = [(line.on, line.pk, line.kind, line.hours) for line in fund.ledger.all()] + [
            (on, 2**62, kind, hours)
        ]
        if not _balances_stay_positive(entries):
            raise OutcomesError("There are not that many banked hours to use on that date.")
    return FlexibleHours.objects.create(
        fund=fund, kind=kind, hours=hours, on=on, purpose=purpose.strip(), recorded_by=by
    )
