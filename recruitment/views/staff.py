"""Pages for the staff who run rounds: admins, and each round's owners.

Everyone else is told "not found" for a round or candidate, so nobody learns who applied.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from teams.models import Team
from wellbeing.links import absolute_reverse

from ..forms.staff import (
    CommunicatedForm,
    DecisionForm,
    MoveForm,
    PanelMemberForm,
    QuestionsForm,
    RoundEditForm,
    RoundForm,
    StatusForm,
    TeamInvitationForm,
    TouchPointForm,
    WorkshopForm,
)
from ..models import Candidate, Round, TouchPoint
from ..permissions import CandidateAccess, get_candidate_for, get_round_for
from ..selectors import assessment, pipeline
from ..services import RecruitmentError
from ..services.decisions import candidate_communicate, candidate_decide
from ..services.hiring import candidate_invite_to_team
from ..services.rounds import (
    candidate_move,
    panel_member_add,
    round_create,
    round_set_status,
    round_update,
    touch_point_remove,
    touch_point_save,
    value_question_update,
    workshop_add,
)

# --- Rounds ---------------------------------------------------------------------------------


def post_only(*, back_to: str):
    """These addresses take a form's POST; opening one (say, reloading after an error) goes
    back to the page the form is on instead of showing a bare "method not allowed"."""

    def decorate(view):
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
            if request.method != "POST":
                return redirect(back_to, pk=pk)
            return view(request, pk, *args, **kwargs)

        return wrapper

    return decorate


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = pipeline.round_list(user=request.user)
    seats = pipeline.panel_seat_list(user=request.user)
    if not (rounds or seats or request.user.is_org_admin):
        raise PermissionDenied(
            "Recruitment rounds are run by organisation admins and the staff they choose."
        )
    return render(
        request,
        "recruitment/staff/round_list.html",
        {"rounds": rounds, "seats": seats, "can_create": request.user.is_org_admin},
    )


@login_required
def round_new(request: HttpRequest) -> HttpResponse:
    if not request.user.is_org_admin:
        raise PermissionDenied("Only an organisation admin can start a recruitment round.")
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_create(**form.cleaned_data)
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"“{round_.title}” is set up as a draft. Open it when it is ready."
            )
            return redirect("recruitment:round_detail", pk=round_.pk)
    return render(
        request,
        "recruitment/staff/round_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _round_page(request: HttpRequest, round_: Round, *, status: int = 200, **forms) -> HttpResponse:
    context = pipeline.round_detail(round_=round_)
    round_ = context["round"]
    context.update(
        {
            "status_form": forms.get("status_form"),
            "workshop_form": forms.get("workshop_form") or WorkshopForm(prefix="workshop"),
            "panel_form": forms.get("panel_form") or PanelMemberForm(prefix="panel"),
            "touch_point_form": forms.get("touch_point_form") or TouchPointForm(prefix="tp"),
            "touch_point_error": forms.get("touch_point_error"),
            "apply_url": absolute_reverse("recruitment:apply", args=[round_.slug]),
        }
    )
    return render(request, "recruitment/staff/round_detail.html", context, status=status)


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _round_page(request, get_round_for(request.user, pk))


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    form = RoundEditForm(
        request.POST or None, round_=round_, can_change_owners=request.user.is_org_admin
    )
    if request.method == "POST" and form.is_valid():
        try:
            round_ = round_update(round_=round_, **form.round_changes())
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The details of “{round_.title}” are saved.")
            return redirect("recruitment:round_detail", pk=round_.pk)
    return render(
        request,
        "recruitment/staff/round_edit.html",
        {"round": round_, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@post_only(back_to="recruitment:round_detail")
def round_status(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    form = StatusForm(request.POST, allowed=round_.next_statuses)
    if form.is_valid():
        try:
            round_ = round_set_status(round_=round_, status=form.cleaned_data["status"])
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"“{round_.title}” is now {round_.get_status_display()}.")
            return redirect("recruitment:round_detail", pk=round_.pk)
    return _round_page(request, round_, status=400, status_form=form)


@login_required
@post_only(back_to="recruitment:round_detail")
def workshop_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    form = WorkshopForm(request.POST, prefix="workshop")
    if form.is_valid():
        try:
            workshop = workshop_add(round_=round_, **form.cleaned_data)
        except RecruitmentError as exc:
            form.add_error("starts_at", str(exc))
        else:
            messages.success(request, f"Workshop added: {workshop.place}.")
            return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#workshops")
    return _round_page(request, round_, status=400, workshop_form=form)


@login_required
@post_only(back_to="recruitment:round_detail")
def panel_member_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    form = PanelMemberForm(request.POST, prefix="panel")
    if form.is_valid():
        data = form.cleaned_data
        try:
            member = panel_member_add(
                round_=round_,
                name=data["name"],
                email=data["email"],
                kind=data["kind"],
                user=data["user"],
            )
        except RecruitmentError as exc:
            form.add_error("email", str(exc))
        else:
            messages.success(
                request, f"{member.name} is on the panel. We have emailed them their link."
            )
            return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#panel")
    return _round_page(request, round_, status=400, panel_form=form)


@login_required
def questions_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    questions = pipeline.question_list(round_=round_)
    form = QuestionsForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # all the changes, or none
                for question, text in form.changed_questions():
                    value_question_update(question=question, text=text)
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The application questions are saved.")
            return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#questions")
    return render(
        request,
        "recruitment/staff/questions_edit.html",
        {"round": round_, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@post_only(back_to="recruitment:round_detail")
def touch_point_new(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    taken = set(round_.touch_points.values_list("key", flat=True))
    form = TouchPointForm(request.POST, prefix="tp", taken_keys=taken)
    if form.is_valid():
        data = form.cleaned_data
        try:
            touch_point_save(
                round_=round_, key=data["key"], name=data["name"], description=data["description"]
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"The survey now asks about “{data['name']}”.")
            return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#touch-points")
    return _round_page(request, round_, status=400, touch_point_form=form)


@login_required
def touch_point_edit(request: HttpRequest, pk: int, touch_point_pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    touch_point = get_object_or_404(TouchPoint, pk=touch_point_pk, round=round_)
    form = TouchPointForm(
        request.POST or None,
        initial={"name": touch_point.name, "description": touch_point.description},
    )
    if request.method == "POST" and form.is_valid():
        try:
            touch_point_save(
                round_=round_,
                key=touch_point.key,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The touch point is renamed.")
            return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#touch-points")
    return render(
        request,
        "recruitment/staff/touch_point_edit.html",
        {"round": round_, "touch_point": touch_point, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@post_only(back_to="recruitment:round_detail")
def touch_point_delete(request: HttpRequest, pk: int, touch_point_pk: int) -> HttpResponse:
    round_ = get_round_for(request.user, pk)
    touch_point = get_object_or_404(TouchPoint, pk=touch_point_pk, round=round_)
    try:
        touch_point_remove(touch_point=touch_point)
    except RecruitmentError as exc:
        return _round_page(request, round_, status=400, touch_point_error=str(exc))
    messages.success(request, f"The survey no longer asks about “{touch_point.name}”.")
    return redirect(f"{reverse('recruitment:round_detail', args=[round_.pk])}#touch-points")


# --- Candidates -----------------------------------------------------------------------------


def _candidate_page(
    request: HttpRequest, access: CandidateAccess, *, status: int = 200, **forms
) -> HttpResponse:
    context = pipeline.candidate_detail(candidate=access.candidate)
    candidate = context["candidate"]
    # Staff running the round see the panel's submitted scores, unless they also sit on the
    # panel and have not submitted their own: then, like any panel member, only their own.
    seat = access.seat
    context.update(
        {
            "comparison": assessment.candidate_comparison(candidate=candidate, seat=seat),
            "seat": seat,
            "score_url": reverse("recruitment:panel_score", args=[candidate.round_id, candidate.pk])
            if access.scores
            else None,
            "move_form": forms.get("move_form")
            or MoveForm(
                candidate=candidate,
                moves=context["moves"],
                workshops=pipeline.invitation_workshops(candidate=candidate),
                prefix="move",
            ),
            "decision_form": forms.get("decision_form") or _decision_form(candidate),
            "communicated_form": forms.get("communicated_form") or CommunicatedForm(prefix="told"),
        }
    )
    # A form that was just refused stays on the page with its message, whatever the stage.
    told = candidate.communicated_at is not None
    context["show_decision_form"] = bool(context["decision_form"].errors) or (
        not told and (candidate.stage == Candidate.Stage.ATTENDED or candidate.is_decided)
    )
    context["show_communicated_form"] = bool(context["communicated_form"].errors) or (
        not told and candidate.is_decided
    )
    return render(request, "recruitment/staff/candidate_detail.html", context, status=status)


def _decision_form(candidate: Candidate) -> DecisionForm:
    """Changing a decision starts from the one recorded, with its reasons as typed."""
    if not candidate.is_decided:
        return DecisionForm(prefix="decision")
    reason, without_scores = candidate.decision_reason_parts
    return DecisionForm(
        prefix="decision",
        initial={"outcome": candidate.stage, "reason": reason, "without_scores": without_scores},
    )


def _back_to_candidate(candidate: Candidate, anchor: str = "") -> HttpResponse:
    url = reverse("recruitment:candidate_detail", args=[candidate.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
def candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _candidate_page(request, get_candidate_for(request.user, pk))


@login_required
@post_only(back_to="recruitment:candidate_detail")
def candidate_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_candidate_for(request.user, pk)
    candidate = access.candidate
    form = MoveForm(
        request.POST,
        candidate=candidate,
        moves=candidate.moves,
        workshops=pipeline.invitation_workshops(candidate=candidate),
        prefix="move",
    )
    if form.is_valid():
        try:
            stage = form.cleaned_data["stage"]
            candidate = candidate_move(
                candidate=candidate,
                stage=stage,
                # The workshop matters only to an invitation; other moves leave it as it is.
                workshop=form.cleaned_data.get("workshop")
                if stage == Candidate.Stage.INVITED
                else None,
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            note = (
                " We have emailed them the invitation."
                if candidate.workshop_id and (candidate.stage == Candidate.Stage.INVITED)
                else ""
            )
            messages.success(
                request, f"{candidate.name} is now: {candidate.get_stage_display().lower()}.{note}"
            )
            return _back_to_candidate(candidate)
    return _candidate_page(request, access, status=400, move_form=form)


@login_required
@post_only(back_to="recruitment:candidate_detail")
def candidate_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_candidate_for(request.user, pk)
    candidate = access.candidate
    form = DecisionForm(request.POST, prefix="decision")
    if form.is_valid():
        try:
            candidate = candidate_decide(
                candidate=candidate,
                outcome=form.cleaned_data["outcome"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                without_scores=form.cleaned_data["without_scores"],
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Decision recorded: {candidate.get_stage_display().lower()}. Next, tell "
                f"{candidate.name}, then record that you have.",
            )
            return _back_to_candidate(candidate, "communicated")
    return _candidate_page(request, access, status=400, decision_form=form)


@login_required
@post_only(back_to="recruitment:candidate_detail")
def candidate_communicate_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_candidate_for(request.user, pk)
    candidate = access.candidate
    form = CommunicatedForm(request.POST, prefix="told")
    if form.is_valid():
        try:
            candidate = candidate_communicate(
                candidate=candidate, how=form.cleaned_data["how"], by=request.user
            )
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            survey = " We have emailed them the feedback survey." if candidate.survey_wanted else ""
            messages.success(request, f"Recorded that {candidate.name} has been told.{survey}")
            return _back_to_candidate(candidate)
    return _candidate_page(request, access, status=400, communicated_form=form)


@login_required
def candidate_invite_to_team_view(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_candidate_for(request.user, pk)
    candidate = access.candidate
    if not request.user.is_org_admin:
        raise PermissionDenied("Only an organisation admin can invite people into a team.")
    teams = Team.objects.order_by("name")
    round_teams = list(candidate.round.teams.order_by("name").values_list("pk", flat=True))
    form = TeamInvitationForm(
        request.POST or None,
        teams=teams,
        initial={
            "team": round_teams[0] if round_teams else None,
            "display_name": candidate.name,
            "email": candidate.email,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate_invite_to_team(candidate=candidate, by=request.user, **data)
        except RecruitmentError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"We have emailed {data['display_name']} an invitation to {data['team']}."
            )
            return _back_to_candidate(candidate)
    return render(
        request,
        "recruitment/staff/invite_to_team.html",
        {"candidate": candidate, "round": candidate.round, "form": form},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("rounds/", round_list, name="round_list"),
    path("rounds/new/", round_new, name="round_new"),
    path("rounds/<int:pk>/", round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", round_edit, name="round_edit"),
    path("rounds/<int:pk>/status/", round_status, name="round_status"),
    path("rounds/<int:pk>/workshops/", workshop_new, name="workshop_new"),
    path("rounds/<int:pk>/panel-members/", panel_member_new, name="panel_member_new"),
    path("rounds/<int:pk>/questions/", questions_edit, name="questions_edit"),
    path("rounds/<int:pk>/touch-points/", touch_point_new, name="touch_point_new"),
    path(
        "rounds/<int:pk>/touch-points/<int:touch_point_pk>/",
        touch_point_edit,
        name="touch_point_edit",
    ),
    path(
        "rounds/<int:pk>/touch-points/<int:touch_point_pk>/remove/",
        touch_point_delete,
        name="touch_point_remove",
    ),
    path("candidates/<int:pk>/", candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/move/", candidate_move_view, name="candidate_move"),
    path("candidates/<int:pk>/decide/", candidate_decide_view, name="candidate_decide"),
    path(
        "candidates/<int:pk>/invite-to-team/",
        candidate_invite_to_team_view,
        name="candidate_invite_to_team",
    ),
    path(
        "candidates/<int:pk>/communicated/",
        candidate_communicate_view,
        name="candidate_communicate",
    ),
]
