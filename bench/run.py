"""Time the busiest pages against a realistically sized organisation.

Run with `make bench`. It builds its own throwaway database (SQLite unless DATABASE_URL is
set), fills it with 30 teams, 360 members, 300 people supported (each with three outcomes of six
reviews and an Individual Service Fund) and 20 recruitment rounds of
60 candidates, then requests each page repeatedly and prints the median and 95th percentile.
Speed is measured here, never asserted in tests.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wellbeing.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/wellbeing-bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

REPEATS = int(os.environ.get("BENCH_REPEATS", "30"))


def build() -> dict:
    from datetime import timedelta

    from django.utils import timezone
    from rota import seed_week  # bench/rota.py

    from tests import factories
    from tests.recruitment.factories import CandidateFactory, open_round

    call_command("migrate", verbosity=0)
    admin = factories.UserFactory(is_staff=True, is_superuser=True, with_mfa=True)
    teams = []
    for n in range(30):
        team = factories.TeamFactory(name=f"Bench team {n}")
        factories.MembershipFactory.create_batch(12, team=team)
        factories.PersonFactory.create_batch(10, team=team)
        teams.append(team)
    member = teams[0].memberships.first().user
    seed_week(teams[0])  # a full published week for the rota pages
    today = timezone.localdate()
    rounds = []
    for n in range(20):
        round_ = open_round(
            title=f"Bench round {n}",
            opens_on=today - timedelta(days=30 * n + 60),
            closes_on=today - timedelta(days=30 * n + 30),
        )
        CandidateFactory.create_batch(60, round=round_)
        rounds.append(round_)
    # One coach for all thirty teams, each with pulses, check-ins and actions: their dashboard.
    from teams.models import Team
    from tests.factories import ActionFactory, CheckInFactory
    from tests.teams.conftest import published_pulse

    coach = factories.UserFactory(with_mfa=True)
    Team.objects.filter(pk__in=[team.pk for team in teams]).update(coach=coach)
    now = timezone.now()
    for team in teams:
        for days, score in [(100, 4.1), (58, 3.7), (16, 3.4)]:
            published_pulse(team, score, opened=now - timedelta(days=days))
        checkin = CheckInFactory(team=team, held_on=today - timedelta(days=20))
        ActionFactory.create_batch(3, checkin=checkin, owner=member if team == teams[0] else None)
    cast = {"admin": admin, "coach": coach, "member": member, "team": teams[0], "round": rounds[0]}
    cast.update(build_outcomes(teams))
    return cast


def build_outcomes(teams) -> dict:
    """Three outcomes with six reviews each and a fund for every person supported."""
    from datetime import date, timedelta

    from outcomes.models import Outcome, Review
    from teams.models import Person
    from tests.factories import UserFactory
    from tests.outcomes.factories import OutcomeFactory, PersonAccessFactory, ServiceFundFactory

    reviews = []
    for person in Person.objects.filter(team__in=teams):
        ServiceFundFactory(person=person)
        for _ in range(3):
            outcome = OutcomeFactory(person=person)
            reviews += [
                Review(
                    outcome=outcome,
                    reviewed_on=date(2025, 1, 6) + timedelta(weeks=6 * n),
                    worker_level=n % 3 - 1,
                    level=n % 3 - 1,
                    recorded_by_name="Bench",
                )
                for n in range(6)
            ]
    Review.objects.bulk_create(reviews)
    person = Person.objects.filter(team=teams[0]).first()
    own = UserFactory()
    PersonAccessFactory(person=person, user=own)
    return {"own": own, "person": person, "outcome": Outcome.objects.filter(person=person).first()}


def measure(client: Client, url: str) -> tuple[float, float]:
    timings = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def main() -> None:
    setup_test_environment()
    cast = build()
    pages = [
        ("admin", "/"),
        ("coach", "/"),
        ("member", "/"),
        ("admin", "/teams/"),
        ("member", f"/teams/{cast['team'].pk}/"),
        ("member", f"/teams/{cast['team'].pk}/pulse/"),
        ("admin", "/api/v1/teams/"),
        ("admin", "/api/v1/pulses/"),
        ("admin", "/api/v1/candidates/"),
        ("admin", "/recruitment/measures/"),
        ("member", "/values/"),
        ("member", "/teams/rota/my-week/"),
        ("member", f"/teams/{cast['team'].pk}/rota/"),
        ("member", "/api/v1/rota/visits/"),
        ("member", "/outcomes/"),
        ("member", f"/outcomes/people/{cast['person'].pk}/"),
        ("member", f"/outcomes/people/{cast['person'].pk}/outcomes/{cast['outcome'].pk}/"),
        ("member", f"/outcomes/teams/{cast['team'].pk}/"),
        ("admin", "/api/v1/outcomes/"),
        ("own", f"/my/{cast['person'].pk}/"),
        ("own", f"/my/{cast['person'].pk}/statement/"),
    ]
    print(f"{'page':<48} {'median ms':>10} {'p95 ms':>10}")
    for who, url in pages:
        client = Client()
        client.force_login(cast[who])
        median, p95 = measure(client, url)
        print(f"{who + ' ' + url:<48} {median:>10.1f} {p95:>10.1f}")


if __name__ == "__main__":
    main()
