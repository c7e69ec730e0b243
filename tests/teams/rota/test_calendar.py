"""A member's private calendar feed: valid iCalendar, secret, revocable, never cached."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from teams.models import CalendarFeed, Visit
from teams.rota import services
from tests import factories
from tests.teams.rota.conftest import visit_at

pytestmark = pytest.mark.django_db


def feed_path(token):
    return reverse("teams:rota:calendar_feed", kwargs={"token": token})


def test_the_feed_is_valid_icalendar_with_published_visits_and_shifts_only(
    client, member, colleague, team, person, monday, published
):
    person.address, person.postcode = "14 Elm Road\nLongbridge", "B31 2LT"
    person.save()
    visit = visit_at(person, monday, 8, assigned=[member, colleague], published_at=published)
    visit_at(person, monday, 12, assigned=[member])  # a draft
    factories.ShiftFactory(
        team=team, worker=member, start=visit.start + timedelta(hours=5), published_at=published
    )
    _, token = services.calendar_feed_renew(user=member)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    first = events[0]
    assert str(first["summary"]) == "Peggy: Breakfast and morning medication"
    assert str(first["location"]) == "Longbridge B31"
    assert "With Cal Colleague" in str(first["description"])
    assert first.decoded("dtstart") == visit.start
    assert first.decoded("dtend") - first.decoded("dtstart") == timedelta(minutes=45)
    assert "14 Elm Road" not in response.content.decode()


def test_a_cancelled_visit_stays_in_the_feed_marked_cancelled(
    client, member, person, monday, published
):
    visit_at(
        person, monday, 8, assigned=[member], published_at=published, status=Visit.Status.CANCELLED
    )
    _, token = services.calendar_feed_renew(user=member)
    [event] = Calendar.from_ical(client.get(feed_path(token)).content).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_the_feed_answers_without_a_session_and_is_never_cached(client, member):
    _, token = services.calendar_feed_renew(user=member)
    response = client.get(feed_path(token))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies


def test_only_a_hash_of_the_secret_is_kept(member):
    feed, token = services.calendar_feed_renew(user=member)
    assert token not in feed.token_hash
    assert len(token) >= 40


def test_a_revoked_or_renewed_feed_stops_working(client, member):
    _, old = services.calendar_feed_renew(user=member)
    _, new = services.calendar_feed_renew(user=member)
    assert client.get(feed_path(old)).status_code == 404
    assert client.get(feed_path(new)).status_code == 200
    services.calendar_feed_revoke(user=member)
    assert client.get(feed_path(new)).status_code == 404


@pytest.mark.parametrize("token", ["nope", "x" * 43, "%00", "a" * 500])
def test_a_forged_token_is_404(client, member, token):
    services.calendar_feed_renew(user=member)
    assert client.get(f"/teams/rota/calendar/{token}.ics").status_code == 404


def test_the_feed_of_someone_deactivated_stops(client, member):
    _, token = services.calendar_feed_renew(user=member)
    member.is_active = False
    member.save()
    assert client.get(feed_path(token)).status_code == 404


def test_the_feed_runs_fixed_queries(
    client, member, colleague, team, person, monday, published, django_assert_max_num_queries
):
    for day in range(7):
        visit_at(
            person,
            monday + timedelta(days=day),
            8,
            assigned=[member, colleague],
            published_at=published,
        )
    _, token = services.calendar_feed_renew(user=member)
    with django_assert_max_num_queries(5):
        client.get(feed_path(token))


def test_the_calendar_page_shows_the_address_once(client_for, member):
    client = client_for(member)
    client.post(reverse("teams:rota:calendar_renew"))
    first = client.get(reverse("teams:rota:calendar")).content.decode()
    assert "/teams/rota/calendar/" in first
    again = client.get(reverse("teams:rota:calendar")).content.decode()
    assert ".ics" not in again
    assert CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).count() == 1
    client.post(reverse("teams:rota:calendar_revoke"))
    assert not CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).exists()
    assert timezone.now()
