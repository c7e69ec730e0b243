"""The demo shows every part of outcomes, and is safe to run again."""

from __future__ import annotations

import pytest
from django.urls import reverse

from outcomes.models import (
    FlexibleHours,
    Outcome,
    PersonAccess,
    ProfileVersion,
    Review,
    Scale,
)
from outcomes.selectors.funds import bank_balance
from wellbeing.demo import seed_demo

pytestmark = pytest.mark.django_db


def test_demo_outcomes_run_twice_and_show_every_part(client):
    seed_demo()
    counts = [Outcome.objects.count(), Review.objects.count(), ProfileVersion.objects.count()]
    sign_ins = seed_demo()
    assert [
        Outcome.objects.count(),
        Review.objects.count(),
        ProfileVersion.objects.count(),
    ] == counts
    assert counts[0] >= 6
    assert Outcome.objects.filter(measure=Outcome.Measure.GAS).exclude(gas_0="").exists()
    assert Outcome.objects.filter(status=Outcome.Status.ACHIEVED).exists()
    # An organisation-defined scale, in the organisation's own words, with reviews on it.
    on_scale = Outcome.objects.get(measure=Outcome.Measure.SCALE)
    assert on_scale.scale.levels.count() == 4
    assert on_scale.reviews.count() == 2
    assert Scale.objects.count() == 1
    assert any(review.views_differ for review in Review.objects.all())
    assert Review.objects.values("outcome").distinct().count() >= 5
    # Team members have one-page profiles too.
    assert ProfileVersion.objects.filter(profile__member__isnull=False).count() >= 3
    # Peggy's fund has hours saved for later, some already used.
    peggy_access = PersonAccess.objects.select_related("person", "user").get()
    fund = peggy_access.person.service_funds.get()
    assert bank_balance(fund) == 7
    assert FlexibleHours.objects.filter(kind=FlexibleHours.Kind.USED).exists()
    # Peggy signs in as herself, and her sign-in is printed with the others.
    assert peggy_access.user.email in [sign_in.email for sign_in in sign_ins]
    client.force_login(peggy_access.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "outcomes:own_person", args=[peggy_access.person.pk]
    )


def test_every_month_of_the_demo_fund_has_hours_delivered():
    from datetime import timedelta

    from django.utils import timezone

    from outcomes.models import ServiceFund
    from outcomes.selectors.funds import fund_period, month_start, next_month

    seed_demo()
    this_month = month_start(timezone.localdate())
    for fund in ServiceFund.objects.all():
        month = month_start(fund.starts)
        assert month < this_month
        while month < this_month:
            period = fund_period(fund, month, next_month(month))
            # The rota delivers most of what is commissioned, never more.
            assert period.commissioned * 3 / 4 < period.delivered <= period.commissioned, (
                fund.person,
                month,
            )
            month = next_month(month + timedelta(days=1))
