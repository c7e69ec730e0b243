"""Individual Service Fund pages: the team sets the fund up and keeps its ledger; the monthly
statement is read by the team and by the person (printable, and as CSV)."""

from __future__ import annotations

import csv
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.cache import never_cache

from teams.models import Person

from ..forms import FundForm, LedgerForm
from ..models import ServiceFund
from ..permissions import get_own_person_for, get_person_for_staff
from ..selectors.funds import (
    Statement,
    fund_period,
    month_start,
    monthly_statement,
    next_month,
    statement_months,
)
from ..services import OutcomesError
from ..services import funds as fund_services
from ..services.privacy import record_read


def _month(year: int, month: int) -> date:
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404("No such month")
    return date(year, month, 1)


@login_required
@never_cache
def fund_page(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    funds = list(person.service_funds.order_by("-starts", "-pk"))
    today = timezone.localdate()
    current = next((fund for fund in funds if fund.covers(today)), None)
    form = LedgerForm(request.POST or None, initial={"on": today})
    if request.method == "POST":
        if current is None:
            raise Http404("No fund covers today")
        if form.is_valid():
            data = form.cleaned_data
            try:
                fund_services.ledger_add(
                    fund=current,
                    by=request.user,
                    kind=data["kind"],
                    hours=data["hours"],
                    on=data["on"],
                    purpose=data["purpose"],
                )
            except OutcomesError as exc:
                form.add_error("hours", str(exc))
            else:
                messages.success(request, "Added to the ledger.")
                return redirect("outcomes:fund", pk)
    this_month = month_start(today)
    record_read(
        people=[person], reader=request.user, what="The Individual Service Fund and its ledger"
    )
    return render(
        request,
        "outcomes/staff/fund.html",
        {
            "person": person,
            "funds": funds,
            "current": current,
            "month": fund_period(current, this_month, next_month(this_month), lines=False)
            if current
            else None,
            "ledger": list(current.ledger.select_related("recorded_by")[:50]) if current else [],
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
def fund_edit(request: HttpRequest, pk: int, fund_pk: int | None = None) -> HttpResponse:
    person = get_person_for_staff(request.user, pk)
    fund = None
    if fund_pk is not None:
        fund = ServiceFund.objects.filter(person=person, pk=fund_pk).first()
        if fund is None:
            raise Http404("No such fund")
    form = FundForm(request.POST or None, instance=fund)
    if request.method == "POST" and form.is_valid():
        try:
            if fund is None:
                fund_services.fund_create(person=person, by=request.user, **form.cleaned_data)
            else:
                fund_services.fund_update(fund=fund, **form.cleaned_data)
        except OutcomesError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Fund saved.")
            return redirect("outcomes:fund", pk)
    if fund is not None and request.method == "GET":
        record_read(
            people=[person], reader=request.user, what="The Individual Service Fund, to change it"
        )
    return render(
        request,
        "outcomes/staff/simple_form.html",
        {
            "person": person,
            "form": form,
            "title": "Change the fund" if fund else "Set up an Individual Service Fund",
            "button": "Save fund",
        },
        status=400 if form.errors else 200,
    )


def _cell(value) -> object:
    """Words typed by people go into a spreadsheet: one starting like a formula is kept as
    text, so opening the file never runs anything."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _statement_csv(statement: Statement, *, words_only: bool) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="statement-{statement.month:%Y-%m}.csv"'
    )
    response["Cache-Control"] = "no-store"
    rows: list[list] = [["Section", "Item", "Value"]]
    for part in statement.funds:
        section = f"Fund from {part.fund.starts:%d %b %Y} ({part.fund.commissioner})"
        for item, value in [
            ("Hours commissioned", part.commissioned),
            ("Hours delivered", part.delivered),
            ("Hours banked", part.banked),
            ("Hours used flexibly", part.used),
            ("Banked hours brought forward", part.brought_forward),
            ("Banked hours at the end of the month", part.balance),
            ("Hours neither delivered nor banked", part.not_used),
            ("Spent (£)", part.spend),
            ("Budget (£)", part.budget if part.budget is not None else ""),
        ]:
            rows.append([section, item, value])
        for line in part.lines:
            rows.append(
                [
                    section,
                    f"{line.get_kind_display()} on {line.on:%d %b %Y}: {line.purpose}",
                    line.hours,
                ]
            )
    for outcome in statement.outcomes:
        latest = next(iter(outcome.reviews.all()), None)
        rating = outcome.level_words if words_only else outcome.level_label
        rows.append(
            [
                "Outcome",
                outcome.in_their_words,
                (
                    f"{latest.reviewed_on:%d %b %Y}: {rating(latest.level)}"
                    + (f": {latest.person_words}" if latest.person_words else "")
                )
                if latest
                else "Not reviewed yet",
            ]
        )
    csv.writer(response).writerows([[_cell(value) for value in row] for row in rows])
    return response


def _statement(
    request: HttpRequest,
    person: Person,
    year: int | None,
    month: int | None,
    template: str,
    context: dict,
    *,
    reader_is_staff: bool,
) -> HttpResponse:
    """The month asked for, or without one the latest month a statement covers. A month before
    the first fund or after the last gets a page saying which months there are."""
    today = timezone.localdate()
    first, last = statement_months(person=person, today=today)
    when = _month(year, month) if year is not None else last
    context = {**context, "person": person, "first_month": first, "last_month": last}
    if not first <= when <= last:
        if request.GET.get("format") == "csv":
            raise Http404("No statement for that month")
        return render(request, template, {**context, "asked": when}, status=404)
    if reader_is_staff:
        record_read(people=[person], reader=request.user, what=f"The statement for {when:%B %Y}")
    statement = monthly_statement(person=person, month=when, today=today, months=(first, last))
    if request.GET.get("format") == "csv":
        return _statement_csv(statement, words_only=not reader_is_staff)
    return render(request, template, {**context, "statement": statement})


@login_required
@never_cache
def statement(request: HttpRequest, pk: int, year: int | None = None, month: int | None = None):
    person = get_person_for_staff(request.user, pk)
    return _statement(
        request, person, year, month, "outcomes/staff/statement.html", {}, reader_is_staff=True
    )


@login_required
@never_cache
def own_statement(request: HttpRequest, pk: int, year: int | None = None, month: int | None = None):
    person, access = get_own_person_for(request.user, pk)
    return _statement(
        request,
        person,
        year,
        month,
        "outcomes/own/statement.html",
        {"access": access, "is_self": access.is_self},
        reader_is_staff=False,
    )


urlpatterns = [
    path("outcomes/people/<int:pk>/fund/", fund_page, name="fund"),
    path("outcomes/people/<int:pk>/fund/new/", fund_edit, name="fund_new"),
    path("outcomes/people/<int:pk>/fund/<int:fund_pk>/edit/", fund_edit, name="fund_edit"),
    path("outcomes/people/<int:pk>/statement/", statement, name="statement"),
    path(
        "outcomes/people/<int:pk>/statement/<int:year>/<int:month>/",
        statement,
        name="statement_month",
    ),
    path("my/<int:pk>/statement/", own_statement, name="own_statement"),
    path(
        "my/<int:pk>/statement/<int:year>/<int:month>/",
        own_statement,
        name="own_statement_month",
    ),
]
