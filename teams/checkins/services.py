"""Writes about check-ins: agreeing the cadence, planning, recording, and the actions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from values.models import Value
from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue_many, email_render

from ..models import Decision, Membership, Pulse, Team
from ..permissions import can_change_team, can_hold_checkins
from ..services import TeamError
from .models import Action, CheckIn


@dataclass(frozen=True)
class ActionDraft:
    text: str
    owner: User | None
    due_on: date


def _require_team_change(user: User, team: Team) -> None:
    if not can_change_team(user, team):
        raise PermissionDenied("Only the team, its coach and admins can change this.")


def _require_coach(user: User, team: Team) -> None:
    if not can_hold_checkins(user, team):
        raise PermissionDenied("Only the team's coach or an admin records check-ins.")


def _team_people_ids(team: Team, on: date) -> set[int]:
    """Who may attend a check-in or own an action: the team's members and its coach."""
    ids = set(Membership.objects.current(on).filter(team=team).values_list("user_id", flat=True))
    if team.coach_id:
        ids.add(team.coach_id)
    return ids


@transaction.atomic
def checkin_cadence_set(*, team: Team, weeks: int, by: User) -> Team:
    _require_team_change(by, team)
    if not 1 <= weeks <= 26:
        raise TeamError("Meet at least every 26 weeks, and at most every week.")
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.checkin_every_weeks = weeks
    team.save(update_fields=["checkin_every_weeks"])
    return team


@transaction.atomic
def checkin_plan(*, team: Team, on: date, by: User) -> CheckIn:
    """Agree the date of the next check-in (moving it, if one is planned already)."""
    _require_team_change(by, team)
    if on < timezone.localdate():
        raise TeamError("Plan the next check-in for today or a day to come.")
    Team.objects.select_for_update().filter(pk=team.pk).first()
    planned = CheckIn.objects.filter(team=team, held_on__isnull=True).first()
    if planned is None:
        return CheckIn.objects.create(team=team, planned_for=on)
    if planned.planned_for != on:
        planned.planned_for = on
        planned.reminder_sent_at = None
        planned.save(update_fields=["planned_for", "reminder_sent_at"])
    return planned


def _clean_actions(
    drafts: Sequence[ActionDraft], *, allowed: set[int], held_on: date
) -> list[ActionDraft]:
    cleaned = []
    for draft in drafts:
        text = draft.text.strip()
        if not text:
            continue
        if len(text) > 300:
            raise TeamError("Keep each action to 300 characters.")
        if draft.owner is not None and draft.owner.pk not in allowed:
            raise TeamError(f"{draft.owner} is not in the team, so cannot own an action.")
        if draft.due_on < held_on:
            raise TeamError(f"“{text}” is due before the check-in was held.")
        cleaned.append(ActionDraft(text, draft.owner, draft.due_on))
    return cleaned


@transaction.atomic
def checkin_record(
    *,
    team: Team,
    held_on: date,
    by: User,
    attendees: Iterable[User] = (),
    brought: str = "",
    notes: str = "",
    values_lived: Iterable[Value] = (),
    values_missing: Iterable[Value] = (),
    actions: Sequence[ActionDraft] = (),
    actions_done: Iterable[Action] = (),
    pulse: Pulse | None = None,
    decisions: Iterable[Decision] = (),
) -> CheckIn:
    """Record a check-in that was held, with what was agreed, then plan the next one.

    The planned check-in, if any, becomes this record; the next is planned on the team's
    cadence. Open actions marked done here are closed on the day of the check-in.
    """
    _require_coach(by, team)
    today = timezone.localdate()
    if held_on > today:
        raise TeamError("Record a check-in once it has been held: the date is in the future.")
    team = Team.objects.select_for_update().get(pk=team.pk)
    allowed = _team_people_ids(team, held_on) | _team_people_ids(team, today)
    attendees = list(attendees)
    strangers = [user for user in attendees if user.pk not in allowed]
    if strangers:
        raise TeamError(f"{strangers[0]} is not in the team or its coach.")
    lived, missing = list(values_lived), list(values_missing)
    both = {value.pk for value in lived} & {value.pk for value in missing}
    if both:
        raise TeamError("A value is either one the team lived or one it missed, not both.")
    if pulse is not None and pulse.team_id != team.pk:
        raise TeamError("That pulse belongs to another team.")
    decisions = list(decisions)
    if any(decision.team_id != team.pk for decision in decisions):
        raise TeamError("That decision belongs to another team.")
    actions_done = list(actions_done)
    if any(action.team_id != team.pk for action in actions_done):
        raise TeamError("That action belongs to another team.")
    drafts = _clean_actions(actions, allowed=allowed, held_on=held_on)

    checkin = CheckIn.objects.filter(team=team, held_on__isnull=True).first()
    if checkin is None:
        checkin = CheckIn(team=team, planned_for=held_on)
    checkin.held_on = held_on
    checkin.coach = by if by.pk == team.coach_id else team.coach
    checkin.brought = brought.strip()
    checkin.notes = notes.strip()
    checkin.pulse = pulse
    checkin.save()
    checkin.attendees.set(attendees)
    checkin.values_lived.set(lived)
    checkin.values_missing.set(missing)
    checkin.decisions.set(decisions)
    Action.objects.bulk_create(
        Action(team=team, checkin=checkin, text=d.text, owner=d.owner, due_on=d.due_on)
        for d in drafts
    )
    done_ids = [action.pk for action in actions_done]
    if done_ids:
        Action.objects.filter(team=team, pk__in=done_ids, status=Action.Status.OPEN).update(
            status=Action.Status.DONE, closed_on=held_on
        )
    next_on = max(held_on + timedelta(weeks=team.checkin_every_weeks), today)
    CheckIn.objects.create(team=team, planned_for=next_on)
    return checkin


@transaction.atomic
def action_set_status(*, action: Action, status: str, by: User) -> Action:
    """Anyone in the team (or its coach) marks an action done, dropped, or open again."""
    _require_team_change(by, action.team)
    if status not in Action.Status.values:
        raise TeamError("An action is open, done or no longer needed.")
    action = Action.objects.select_for_update().get(pk=action.pk)
    action.status = status
    action.closed_on = None if status == Action.Status.OPEN else timezone.localdate()
    action.save(update_fields=["status", "closed_on"])
    return action


# --- The reminder before a planned check-in -----------------------------------------------------


def _reminder_due_filter(now: datetime) -> dict:
    today = timezone.localdate(now)
    return {
        "held_on__isnull": True,
        "reminder_sent_at__isnull": True,
        "planned_for__gte": today,
        "planned_for__lte": today + timedelta(days=settings.CHECKIN_REMINDER_DAYS_BEFORE),
    }


def checkin_reminders_due(*, now: datetime) -> list[int]:
    return list(CheckIn.objects.filter(**_reminder_due_filter(now)).values_list("pk", flat=True))


@transaction.atomic
def checkin_remind(*, checkin_id: int, now: datetime | None = None) -> bool:
    """Remind the coach and the team of the coming check-in, once per planned date."""
    now = now or timezone.now()
    claimed = CheckIn.objects.filter(pk=checkin_id, **_reminder_due_filter(now)).update(
        reminder_sent_at=now
    )
    if claimed != 1:
        return False
    checkin = CheckIn.objects.select_related("team__coach").get(pk=checkin_id)
    team = checkin.team
    recipients = [
        membership.user
        for membership in Membership.objects.current(timezone.localdate(now))
        .filter(team=team)
        .select_related("user")
    ]
    if team.coach is not None:
        recipients.append(team.coach)
    context = {
        "checkin": checkin,
        "team": team,
        "checkins_url": absolute_reverse("teams:checkins", args=[team.pk]),
    }
    email_queue_many(
        emails=(
            email_render(
                to=user.email,
                template="teams/checkin_reminder",
                context={**context, "recipient": user, "is_coach": user.pk == team.coach_id},
                idempotency_key=(
                    f"checkin-reminder:{checkin.pk}:{checkin.planned_for:%Y-%m-%d}:{user.pk}"
                ),
            )
            for user in recipients
        )
    )
    return True


def checkin_send_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(checkin_remind(checkin_id=pk, now=now) for pk in checkin_reminders_due(now=now))
