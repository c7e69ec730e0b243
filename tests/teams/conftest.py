"""What the teams tests share: a team big enough to answer a pulse, and pulses run to the end."""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from datetime import datetime, timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone

from teams.models import Pulse, PulseStatement, Team
from teams.pulse import services as pulse_services
from tests.factories import MembershipFactory


def ensure_defaults() -> None:
    """The organisation's default pulse statements and suggested roles, as the migrations make
    them: a test that ran in a real transaction (a worker, a browser) flushed them away."""
    for migration, function in [
        ("0005_default_pulse_statements", "add_statements"),
        ("0004_default_role_templates", "add_templates"),
    ]:
        module = importlib.import_module(f"teams.migrations.{migration}")
        getattr(module, function)(django_apps, None)


@pytest.fixture
def crew(team, member) -> list:
    """The member and three colleagues: four people who can answer Northfield's pulse."""
    ensure_defaults()
    colleagues = [
        MembershipFactory(team=team, user__display_name=name).user
        for name in ("Ben Colleague", "Chloe Colleague", "Dev Colleague")
    ]
    return [member, *colleagues]


def run_pulse(
    team: Team,
    people: Sequence,
    ratings: Sequence[int | Sequence[int]],
    *,
    opened: datetime | None = None,
    comments: Sequence[str] = (),
    close: bool = True,
) -> Pulse:
    """Open a pulse, have each of `people` answer (one rating for every statement, or a list
    with one rating per statement), and close it."""
    opened = opened or timezone.now() - timedelta(days=1)
    pulse = pulse_services.pulse_open(team=team, now=opened)
    statements = list(PulseStatement.objects.filter(active=True))
    for index, (user, rating) in enumerate(zip(people, ratings, strict=False)):
        each = rating if isinstance(rating, Sequence) else [rating] * len(statements)
        pulse_services.pulse_answer(
            pulse=pulse,
            user=user,
            ratings={s.pk: r for s, r in zip(statements, each, strict=True)},
            comments={statements[0].pk: comments[index]} if index < len(comments) else {},
            now=opened + timedelta(minutes=index + 1),
        )
    if close:
        pulse_services.pulse_close(pulse_id=pulse.pk, now=opened + timedelta(days=8))
        pulse.refresh_from_db()
    return pulse


def published_pulse(
    team: Team, overall: float, *, opened: datetime, means: dict[str, float] | None = None
) -> Pulse:
    """A closed pulse with published results, written directly: quicker than answering it
    when a test needs history for many teams. Every statement gets `overall` unless `means`
    names it."""
    from decimal import Decimal

    from teams.models import PulseResult

    ensure_defaults()
    statements = list(PulseStatement.objects.filter(active=True))
    pulse = Pulse.objects.create(
        team=team,
        opened_at=opened,
        closes_at=opened + timedelta(days=7),
        closed_at=opened + timedelta(days=7),
        invited_count=5,
        response_count=4,
        overall=Decimal(str(overall)),
    )
    pulse.statements.set(statements)
    PulseResult.objects.bulk_create(
        PulseResult(
            pulse=pulse,
            statement=statement,
            mean=Decimal(str((means or {}).get(statement.key, overall))),
        )
        for statement in statements
    )
    return pulse
