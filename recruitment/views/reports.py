"""The survey reports for staff: the baseline, round over round, the CSV, and experiments.

Admins and a round's owners see everything, candidates' written answers included; coaches
see the numbers of any round; everyone else is told the page does not exist.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from ..charts import TrendInput, score_distribution_chart, trend_chart
from ..forms.reports import ExperimentForm
from ..models import TouchPoint
from ..permissions import (
    can_see_reports,
    get_experiment_for,
    get_round_for,
    get_round_for_report,
    rounds_managed_by,
)
from ..selectors import reports as selectors
from ..services import RecruitmentError
from ..services import experiments as services


def _report_url(round_id: int) -> str:
    return reverse("recruitment:round_report", args=[round_id])


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _charts(touch_point: selectors.TouchPointReport) -> dict:
    name = touch_point.touch_point.name
    scores = touch_point.scores
    summary = (
        f"{_plural(scores.n, 'score')}, mean {scores.mean:.1f}, median {scores.median:g}. "
        "The table beside the chart gives every count."
        if scores.n
        else "No scores yet."
    )
    shown = [point for point in touch_point.trend if point.mean is not None]
    trend_summary = (
        ", ".join(f"{p.title} {p.mean:.1f}" for p in shown)
        if shown
        else "No round has enough answers to show."
    )
    return {
        "distribution": score_distribution_chart(
            scores.counts, title=f"{name}: how many gave each score", summary=summary
        ),
        "trend": trend_chart(
            [
                TrendInput(
                    label=f"{point.opens_on:%b}",
                    sublabel=f"{point.opens_on:%Y}",
                    description=point.title,
                    mean=point.mean,
                    current=point.current,
                )
                for point in touch_point.trend
            ],
            title=f"{name}: mean score round by round",
            summary=f"Mean score out of 10. {trend_summary}. The table below gives each round.",
        ),
    }


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    if not can_see_reports(request.user):
        raise PermissionDenied("Survey reports are for admins, round owners and coaches.")
    return render(
        request,
        "recruitment/reports/report_list.html",
        {
            "rounds": selectors.report_list(user=request.user),
            "min_responses": selectors.min_responses(),
        },
    )


@login_required
def round_report(request: HttpRequest, pk: int) -> HttpResponse:
    round_, manages = get_round_for_report(request.user, pk)
    report = selectors.round_report(round_=round_, free_text=manages)
    return render(
        request,
        "recruitment/reports/round_report.html",
        {
            "report": report,
            "round": round_,
            "manages": manages,
            "sections": [(tp, _charts(tp)) for tp in report.touch_points],
            "round_page": reverse("recruitment:round_detail", args=[round_.pk])
            if manages
            else None,
            "few_to_read": selectors.FEW_TO_READ,
        },
    )


@login_required
def round_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    round_, manages = get_round_for_report(request.user, pk)
    if not manages:
        raise PermissionDenied("The answers are downloaded only by admins and the round’s owners.")
    disclosure = selectors.survey_disclosure(round_=round_)
    if not disclosure.enough:
        raise PermissionDenied(
            f"The answers can be downloaded once at least {selectors.min_responses()} people "
            "have answered, so that nobody’s answers can be picked out."
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{round_.slug}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    writer = csv.writer(response)
    writer.writerows(selectors.report_csv_rows(round_=round_, disclosure=disclosure))
    return response


def _experiment_form(request: HttpRequest, **kwargs) -> ExperimentForm:
    rounds = rounds_managed_by(request.user)
    return ExperimentForm(
        request.POST or None,
        rounds=rounds,
        touch_points=list(TouchPoint.objects.filter(round__in=rounds).order_by("order", "pk")),
        **kwargs,
    )


def _save_experiment(request: HttpRequest, form: ExperimentForm, experiment=None):
    data = form.cleaned_data
    fields = {
        "round_": data["round"],
        "touch_point_key": data["touch_point_key"],
        "idea": data["idea"],
        "change": data["change"],
        "hypothesis": data["hypothesis"],
        "by": request.user,
    }
    try:
        if experiment is None:
            return services.experiment_create(**fields)
        return services.experiment_update(experiment=experiment, **fields)
    except RecruitmentError as exc:
        form.add_error(None, str(exc))
        return None


@login_required
def experiment_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    form = _experiment_form(request, initial={"round": round_.pk})
    if request.method == "POST" and form.is_valid():
        experiment = _save_experiment(request, form)
        if experiment is not None:
            messages.success(request, f"The experiment is added to {experiment.round.title}.")
            return redirect(f"{_report_url(experiment.round_id)}#experiments")
    return render(
        request,
        "recruitment/reports/experiment_form.html",
        {"form": form, "round": round_, "experiment": None},
        status=400 if form.errors else 200,
    )


@login_required
def experiment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = get_experiment_for(request.user, pk)
    form = _experiment_form(
        request,
        initial={
            "round": experiment.round_id,
            "touch_point_key": experiment.touch_point_key,
            "idea": experiment.idea,
            "change": experiment.change,
            "hypothesis": experiment.hypothesis,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_experiment(request, form, experiment)
        if saved is not None:
            messages.success(request, "The experiment is updated.")
            return redirect(f"{_report_url(saved.round_id)}#experiments")
    return render(
        request,
        "recruitment/reports/experiment_form.html",
        {"form": form, "round": experiment.round, "experiment": experiment},
        status=400 if form.errors else 200,
    )


@login_required
def experiment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    experiment = get_experiment_for(request.user, pk)
    if request.method == "POST":
        services.experiment_delete(experiment=experiment, by=request.user)
        messages.success(request, "The experiment is removed.")
        return redirect(f"{_report_url(experiment.round_id)}#experiments")
    return render(request, "recruitment/reports/experiment_delete.html", {"experiment": experiment})


@login_required
def you_said_we_did(request: HttpRequest, pk: int) -> HttpResponse:
    """First the email and how many will get it; only a confirmed POST sends it."""
    round_ = get_round_for(request.user, pk)
    if request.method == "POST" and request.POST.get("confirm") == "send":
        try:
            queued = services.you_said_we_did_send(round_=round_, by=request.user)
        except RecruitmentError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                f"{_plural(queued, 'email')} on the way."
                if queued
                else "Everyone who can be written to has had this email already.",
            )
        return redirect(f"{_report_url(round_.pk)}#you-said-we-did")
    return render(
        request,
        "recruitment/reports/you_said_we_did.html",
        {"round": round_, **selectors.you_said_we_did_preview(round_=round_)},
    )


urlpatterns = [
    path("reports/", report_list, name="report_list"),
    path("rounds/<int:pk>/report/", round_report, name="round_report"),
    path("rounds/<int:pk>/report.csv", round_report_csv, name="round_report_csv"),
    path("rounds/<int:pk>/experiments/new/", experiment_new, name="experiment_new"),
    path("rounds/<int:pk>/you-said-we-did/", you_said_we_did, name="you_said_we_did"),
    path("experiments/<int:pk>/edit/", experiment_edit, name="experiment_edit"),
    path("experiments/<int:pk>/delete/", experiment_delete, name="experiment_delete"),
]
