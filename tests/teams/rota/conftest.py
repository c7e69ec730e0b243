"""Helpers for the rota's tests: London times, a published week, a colleague."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from teams.rota.clock import local_instant, week_start
from tests import factories


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A London wall-clock time on a day, as the instant the database stores."""
    return local_instant(day, time(hour, minute))


def visit_at(person, day: date, hour: int, minutes: int = 45, *, minute: int = 0, **extra):
    start = at(day, hour, minute)
    return factories.VisitFactory(
        person=person, start=start, end=start + timedelta(minutes=minutes), **extra
    )


@pytest.fixture
def monday() -> date:
    """Next week's Monday: visits in it are still to come, so they can be offered."""
    return week_start(timezone.localdate()) + timedelta(days=7)


@pytest.fixture
def colleague(team):
    return factories.MembershipFactory(team=team, user__display_name="Cal Colleague").user


@pytest.fixture
def published():
    return timezone.now()
