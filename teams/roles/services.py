"""Writes about roles: adopting and adapting them, giving them to members, reviewing terms."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue_many, email_render

from ..dates import FIRST_DAY, LAST_DAY, OUT_OF_RANGE, DateOutOfRange, add_months
from ..models import Membership, Team
from ..permissions import can_change_team
from ..services import TeamError
from .models import Role, RoleAssignment, RoleTemplate


def _require_team_change(user: User, team: Team) -> None:
    if not can_change_team(user, team):
        raise PermissionDenied("Only the team, its coach and admins can change its roles.")


def _clean_role(*, team: Team, name: str, purpose: str, term_months: int, exclude: int | None):
    name, purpose = name.strip(), purpose.strip()
    if not name:
        raise TeamError("Give the role a name.")
    if not purpose:
        raise TeamError("Say in a sentence why the team needs this role.")
    if not 1 <= term_months <= 36:
        raise TeamError("A term is between 1 and 36 months.")
    clash = Role.objects.filter(team=team, name__iexact=name, retired_on__isnull=True)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    if clash.exists():
        raise TeamError(f"{team} already has a role called {name}.")
    return name, purpose


@transaction.atomic
def role_create(
    *,
    team: Team,
    name: str,
    purpose: str,
    accountabilities: str = "",
    term_months: int = 12,
    template: RoleTemplate | None = None,
    by: User,
) -> Role:
    """A new role for the team: its own, or one of the organisation's adapted to it."""
    _require_team_change(by, team)
    name, purpose = _clean_role(
        team=team, name=name, purpose=purpose, term_months=term_months, exclude=None
    )
    try:
        with transaction.atomic():
            return Role.objects.create(
                team=team,
                template=template,
                name=name,
                purpose=purpose,
                accountabilities=accountabilities.strip(),
                term_months=term_months,
            )
    except IntegrityError as exc:
        raise TeamError(f"{team} already has a role called {name}.") from exc


@transaction.atomic
def role_update(
    *, role: Role, name: str, purpose: str, accountabilities: str, term_months: int, by: User
) -> Role:
    _require_team_change(by, role.team)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.retired_on:
        raise TeamError("This role was retired; create a new one instead.")
    role.name, role.purpose = _clean_role(
        team=role.team, name=name, purpose=purpose, term_months=term_months, exclude=role.pk
    )
    role.accountabilities = accountabilities.strip()
    role.term_months = term_months
    role.save(update_fields=["name", "purpose", "accountabilities", "term_months"])
    return role


@transaction.atomic
def role_retire(*, role: Role, by: User, on: date | None = None) -> Role:
    """The team no longer needs the role: its holders hand it back, its history stays."""
    _require_team_change(by, role.team)
    on = on or timezone.localdate()
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.retired_on:
        return role
    for assignment in role.assignments.filter(ended__isnull=True):
        role_assignment_end(assignment=assignment, ended=max(on, assignment.started), by=by)
    role.retired_on = on
    role.save(update_fields=["retired_on"])
    return role


@transaction.atomic
def role_assign(
    *,
    role: Role,
    membership: Membership,
    chosen_how: str,
    by: User,
    started: date | None = None,
    review_on: date | None = None,
) -> RoleAssignment:
    """Give a role to a member for a term; the review date defaults to the end of the term."""
    _require_team_change(by, role.team)
    started = started or timezone.localdate()
    # Locked, so a role retired a moment ago is not handed out, nor one holder added twice.
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.retired_on:
        raise TeamError("This role was retired, so nobody can take it on.")
    if membership.team_id != role.team_id:
        raise TeamError("Only a member of the team can hold one of its roles.")
    if not membership.is_current:
        raise TeamError(f"{membership.user} is not a current member of {role.team}.")
    if chosen_how not in RoleAssignment.Chosen.values:
        raise TeamError("Say how the holder was chosen.")
    for day in (started, review_on):
        if day is not None and not FIRST_DAY <= day <= LAST_DAY:
            raise TeamError(OUT_OF_RANGE)
    try:
        review_on = review_on or add_months(started, role.term_months)
    except DateOutOfRange as exc:
        raise TeamError(OUT_OF_RANGE) from exc
    if review_on <= started:
        raise TeamError("The review date comes after the start of the term.")
    if role.assignments.filter(membership=membership, ended__isnull=True).exists():
        raise TeamError(f"{membership.user} already holds {role}.")
    try:
        with transaction.atomic():
            return RoleAssignment.objects.create(
                role=role,
                membership=membership,
                started=started,
                review_on=review_on,
                chosen_how=chosen_how,
            )
    except IntegrityError as exc:
        raise TeamError(f"{membership.user} already holds {role}.") from exc


@transaction.atomic
def role_assignment_end(
    *, assignment: RoleAssignment, by: User, ended: date | None = None
) -> RoleAssignment:
    """The holder hands the role back (or on); the term stays in the role's history."""
    _require_team_change(by, assignment.role.team)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended is not None:
        raise TeamError("This term has already ended.")
    ended = ended or timezone.localdate()
    if ended < assignment.started:
        raise TeamError("A term cannot end before it started.")
    assignment.ended = ended
    assignment.save(update_fields=["ended"])
    return assignment


@transaction.atomic
def role_assignment_review(
    *, assignment: RoleAssignment, review_on: date, by: User
) -> RoleAssignment:
    """The team reviewed the term and the holder carries on, until the next review."""
    _require_team_change(by, assignment.role.team)
    assignment = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended is not None:
        raise TeamError("This term has already ended.")
    if review_on <= timezone.localdate():
        raise TeamError("The next review date is in the future.")
    if review_on > LAST_DAY:
        raise TeamError(OUT_OF_RANGE)
    assignment.review_on = review_on
    assignment.review_reminder_sent_at = None
    assignment.save(update_fields=["review_on", "review_reminder_sent_at"])
    return assignment


# --- The one reminder when a term is due for review -------------------------------------------


def _reminder_due_filter(now: datetime) -> dict:
    today = timezone.localdate(now)
    return {
        "ended__isnull": True,
        "started__lte": today,
        "review_reminder_sent_at__isnull": True,
        "review_on__lte": today + timedelta(days=settings.ROLE_REVIEW_NOTICE_DAYS),
        "role__retired_on__isnull": True,
    }


def role_review_reminders_due(*, now: datetime) -> list[int]:
    return list(
        RoleAssignment.objects.filter(**_reminder_due_filter(now)).values_list("pk", flat=True)
    )


@transaction.atomic
def role_review_remind(*, assignment_id: int, now: datetime | None = None) -> bool:
    """Tell the team a term is due for review: once, claimed with a conditional update, so a
    task run twice (or two beat processes) sends nothing more."""
    now = now or timezone.now()
    claimed = RoleAssignment.objects.filter(pk=assignment_id, **_reminder_due_filter(now)).update(
        review_reminder_sent_at=now
    )
    if claimed != 1:
        return False
    assignment = RoleAssignment.objects.select_related("role__team", "membership__user").get(
        pk=assignment_id
    )
    team = assignment.role.team
    context = {
        "assignment": assignment,
        "role": assignment.role,
        "team": team,
        "holder": assignment.membership.user,
        "roles_url": absolute_reverse("teams:roles", args=[team.pk]),
    }
    members = Membership.objects.current(timezone.localdate(now)).filter(team=team)
    email_queue_many(
        emails=(
            email_render(
                to=membership.user.email,
                template="teams/role_review",
                context={**context, "recipient": membership.user},
                idempotency_key=(
                    f"role-review:{assignment.pk}:{assignment.review_on:%Y-%m-%d}:"
                    f"{membership.user_id}"
                ),
            )
            for membership in members.select_related("user")
        )
    )
    return True


def role_send_review_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(
        role_review_remind(assignment_id=pk, now=now) for pk in role_review_reminders_due(now=now)
    )
