"""The iCalendar text of a member's published visits and shifts (RFC 5545, via `icalendar`)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse

from .models import Shift, Visit, VisitAssignment, with_crew
from .selectors import person_area

# What a calendar app keeps in step: the recent past and the next three months.
PAST = timedelta(days=30)
AHEAD = timedelta(days=92)


def member_calendar(*, user: User) -> bytes:
    """Four queries, whatever the number of visits."""
    now = timezone.now()
    since, until = now - PAST, now + AHEAD
    host = urlsplit(settings.SITE_URL).hostname or "wellbeing"
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.ORGANISATION_NAME}//Rota//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"My rota – {settings.ORGANISATION_NAME}")
    assignments = (
        VisitAssignment.objects.filter(
            worker=user, start__gte=since, start__lt=until, visit__published_at__isnull=False
        )
        .select_related("visit__person")
        .prefetch_related(with_crew("visit__assignments"))
        .order_by("start")
    )
    for assignment in assignments:
        visit = assignment.visit
        others = [a.worker.display_name for a in visit.assignments.all() if a.worker_id != user.pk]
        event = Event()
        event.add("uid", f"visit-{visit.pk}-{user.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", visit.start)
        event.add("dtend", visit.end)
        event.add("summary", f"{visit.person.known_as}: {visit.care}")
        area = person_area(visit.person)
        if area:
            event.add("location", area)
        event.add(
            "description",
            (f"With {' and '.join(others)}" if others else "On your own")
            + (f". {visit.get_status_display()}" if visit.status != Visit.Status.PLANNED else ""),
        )
        event.add("url", absolute_reverse("teams:rota:visit", kwargs={"pk": visit.pk}))
        event.add("status", "CANCELLED" if visit.status == Visit.Status.CANCELLED else "CONFIRMED")
        calendar.add_component(event)
    for shift in Shift.objects.filter(
        worker=user, start__gte=since, start__lt=until, published_at__isnull=False
    ).order_by("start"):
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", shift.start)
        event.add("dtend", shift.end)
        event.add("summary", shift.get_kind_display() + (f": {shift.note}" if shift.note else ""))
        event.add("status", "CONFIRMED")
        calendar.add_component(event)
    return calendar.to_ical()
