"""The coach's dashboard (their home page) and the admin's view of every team."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..permissions import coaches
from . import selectors

OWN_COLUMNS = [
    ("team", "Team"),
    ("pulse", "Pulse"),
    ("next_checkin", "Check-ins"),
    ("actions", "Actions"),
    ("gaps", "Roles"),
    ("size", "Size"),
]
# The table's own columns, related figures folded together so that the table fits a laptop.
OWN_GROUPS = [
    ("Team", ["team"]),
    ("Pulse", ["pulse"]),
    ("Check-ins and actions", ["next_checkin", "actions"]),
    ("Roles and size", ["gaps", "size"]),
]
ROWS_PER_PAGE = 100


class DashboardForm(forms.Form):
    show = forms.ChoiceField(label="Show", required=False)
    weeks = forms.IntegerField(
        label="No check-in for (weeks)",
        help_text="A number here shows the teams you have not met for that long.",
        min_value=1,
        max_value=104,
        required=False,
        error_messages={"invalid": "Enter a number of weeks, like 8."},
    )
    q = forms.CharField(label="Team name", max_length=120, required=False)
    coach = forms.ChoiceField(label="Coach", required=False)
    sort = forms.CharField(required=False, widget=forms.HiddenInput)
    dir = forms.ChoiceField(
        choices=[("asc", "asc"), ("desc", "desc")], required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, coach_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show"].choices = [
            (value, label.replace("12", str(settings.TEAM_SIZE_LIMIT)))
            for value, label in selectors.SHOW_CHOICES
        ]
        if coach_choices is None:
            del self.fields["coach"]
        else:
            self.fields["coach"].choices = coach_choices


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    href: str
    aria_sort: str


@dataclass(frozen=True)
class Heading:
    """A column of the table, sorted by any of the figures it holds."""

    label: str
    sorts: list[SortLink]

    @property
    def aria_sort(self) -> str:
        return next((s.aria_sort for s in self.sorts if s.aria_sort != "none"), "none")


def _sort_keys() -> set[str]:
    return (
        {key for key, _ in OWN_COLUMNS}
        | {"attention"}
        | {c.key for c in selectors.registry_columns()}
    )


def _query(form: DashboardForm) -> selectors.DashboardQuery:
    data = form.cleaned_data if form.is_valid() else {}
    sort = data.get("sort") or "attention"
    if sort not in _sort_keys():
        sort = "attention"
    descending = data.get("dir", "") != "asc" if data.get("dir") else sort != "team"
    return selectors.DashboardQuery(
        show=data.get("show") or "",
        weeks=data.get("weeks") or 8,
        search=data.get("q") or "",
        sort=sort,
        descending=descending,
        coach=data.get("coach") or "",
    )


def _headings(query: selectors.DashboardQuery, params: dict) -> list[Heading]:
    labels = dict(OWN_COLUMNS)
    groups = [(label, [(key, labels[key]) for key in keys]) for label, keys in OWN_GROUPS] + [
        (group.label, [(column.key, column.label) for column in group.columns])
        for group in selectors.column_groups()
    ]
    headings = []
    for group_label, columns in groups:
        sorts = []
        for key, label in columns:
            current = query.sort == key
            # A second click on the sorted column turns it round; names sort A to Z first,
            # figures the most pressing first.
            descending = (not query.descending) if current else key != "team"
            href = "?" + urlencode({**params, "sort": key, "dir": "desc" if descending else "asc"})
            aria = ("descending" if query.descending else "ascending") if current else "none"
            sorts.append(SortLink(key, label, href, aria))
        headings.append(Heading(group_label, sorts))
    return headings


def render_dashboard(request: HttpRequest) -> HttpResponse:
    """The dashboard for a coach (their teams) or an admin (every team)."""
    user = request.user
    loads = selectors.coach_loads() if user.is_org_admin else None
    wanted = request.GET.copy()
    if wanted.get("weeks") and not wanted.get("show"):
        # A coach who types "8" under "No check-in for (weeks)" means that filter.
        wanted["show"] = "no_checkin"
    form = DashboardForm(
        wanted or None,
        coach_choices=selectors.coach_choices(loads) if loads is not None else None,
    )
    query = _query(form) if request.GET else selectors.DashboardQuery()
    rows = selectors.dashboard_rows(teams=selectors.teams_for_dashboard(user), query=query)
    page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    params = {
        key: value
        for key, value in wanted.items()
        if key in {"show", "weeks", "q", "coach"} and value
    }
    return render(
        request,
        "teams/dashboard.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "rows": page.object_list,
            "row_count": len(rows),
            "needing_attention": sum(1 for row in rows if row.attention),
            "headings": _headings(query, params),
            "columns": selectors.registry_columns(),
            "coach_loads": loads,
            "teams_without_coach": selectors.teams_without_coach() if loads is not None else 0,
            "querystring": urlencode(
                {**params, "sort": query.sort, "dir": "desc" if query.descending else "asc"}
            ),
            "is_filtered": bool(params),
            "size_limit": settings.TEAM_SIZE_LIMIT,
        },
        status=400 if request.GET and form.errors else 200,
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    if not (request.user.is_org_admin or coaches(request.user)):
        raise PermissionDenied("The dashboard is for coaches and admins.")
    return render_dashboard(request)
