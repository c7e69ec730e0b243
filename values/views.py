from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from wellbeing.charts import BarChart, monthly_bar_chart

from . import registry, selectors, services
from .forms import StoryForm
from .models import Story
from .permissions import can_view_insights, get_story_for, story_teams_for

STORIES_PER_PAGE = 20


@login_required
def values_index(request: HttpRequest) -> HttpResponse:
    stories = Paginator(selectors.story_list(user=request.user), STORIES_PER_PAGE)
    return render(
        request,
        "values/index.html",
        {
            "values": selectors.value_list(),
            "stories": stories.get_page(request.GET.get("page")),
            "can_view_insights": can_view_insights(request.user),
        },
    )


def _story_saved(request: HttpRequest, story: Story, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(f"{reverse('values:index')}#story-{story.pk}")


def _initial_team(request: HttpRequest, teams: QuerySet[Any]) -> int | None:
    """The team to offer first: one named in the link (from a team page), or the only one."""
    asked = request.GET.get("team", "")
    if asked.isascii() and asked.isdigit():
        return int(asked)
    choices = list(teams.values_list("pk", flat=True)[:2])
    return choices[0] if len(choices) == 1 else None


@login_required
def story_new(request: HttpRequest) -> HttpResponse:
    teams = story_teams_for(request.user)
    form = StoryForm(
        request.POST or None, teams=teams, initial={"team": _initial_team(request, teams)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(author=request.user, **form.cleaned_data)
        except services.ValuesError as exc:
            form.add_error(None, str(exc))
        else:
            return _story_saved(request, story, "Thank you. Your story is shared.")
    return render(
        request,
        "values/story_form.html",
        {"form": form, "story": None},
        status=400 if form.errors else 200,
    )


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for(request.user, pk)
    form = StoryForm(
        request.POST or None,
        teams=story_teams_for(request.user, including=story.team_id),
        initial={
            "title": story.title,
            "body": story.body,
            "values": list(story.values.all()),
            "team": story.team_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_update(story=story, by=request.user, **form.cleaned_data)
        except services.ValuesError as exc:
            form.add_error(None, str(exc))
        else:
            return _story_saved(request, story, "Your story is updated.")
    return render(
        request,
        "values/story_form.html",
        {"form": form, "story": story},
        status=400 if form.errors else 200,
    )


@login_required
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story_for(request.user, pk, withdraw=True)
    if request.method == "POST":
        services.story_withdraw(story=story, by=request.user)
        messages.success(request, f"“{story.title}” is withdrawn and no longer shown.")
        return redirect("values:index")
    return render(request, "values/story_withdraw.html", {"story": story})


def _trend_chart(trend: selectors.ValueTrend) -> BarChart:
    first, last, busiest = trend.months[0].month, trend.months[-1].month, trend.busiest
    stories = "story" if trend.total == 1 else "stories"
    summary = f"{trend.total} {stories} from {first:%B %Y} to {last:%B %Y}"
    if busiest:
        summary += f", most in {busiest.month:%B %Y} ({busiest.count})"
    return monthly_bar_chart(
        [(month.month, month.count) for month in trend.months],
        title=f"Stories showing {trend.value.name}, month by month",
        summary=f"{summary}. The table of figures below gives every month.",
    )


@login_required
def insights(request: HttpRequest) -> HttpResponse:
    if not can_view_insights(request.user):
        raise PermissionDenied("The values insights are for coaches and organisation admins.")
    values = selectors.value_list()
    trends = selectors.stories_per_value_by_month(values=values)
    charts = [_trend_chart(trend) for trend in trends]
    figures = [figure for build in registry.value_figures for figure in build(values)]
    return render(
        request,
        "values/insights.html",
        {
            "trends": list(zip(trends, charts, strict=True)),
            "months": [month.month for month in trends[0].months] if trends else [],
            "figures": figures,
        },
    )
