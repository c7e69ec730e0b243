"""Hours per member against contracts, hours delivered per person, continuity; as CSV too."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ...permissions import get_team_for
from .. import selectors
from ..forms import week_from
from . import rota_page


@rota_page
def hours(request: HttpRequest, team_pk: int) -> HttpResponse:
    team = get_team_for(request.user, team_pk)
    monday = week_from(request)
    context = selectors.team_hours(team=team, monday=monday)
    if request.GET.get("format") == "csv":
        return _csv(context)
    return render(request, "teams/rota/hours.html", context)


def _csv(context: dict) -> HttpResponse:
    """One file a coordinator can open in a spreadsheet: members' hours, then people's."""
    team, monday, month = context["team"], context["monday"], context["month"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="rota-hours-{team.pk}-{monday.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "member",
            "contracted a week",
            f"week of {monday.isoformat()}",
            f"{month:%B %Y}",
            f"{month:%B %Y} contracted",
        ]
    )
    for row in context["rows"]:
        writer.writerow(
            [_cell(row.name), row.contracted, row.week, row.month, row.month_contracted]
        )
    writer.writerow([])
    writer.writerow(["person", f"hours delivered {month:%B %Y}", "different workers, 4 weeks"])
    for entry in context["people"]:
        writer.writerow([_cell(entry["person"].known_as), entry["delivered"], entry["workers"]])
    return response


def _cell(text: str) -> str:
    """A name a spreadsheet would read as a formula is written as text."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
