"""Writes about the team health pulse: opening it on the team's cadence, answering it once and
anonymously, reminding once, and closing it — the only moment results are worked out."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from wellbeing.accounts.models import User
from wellbeing.links import absolute_reverse
from wellbeing.notifications.services import email_queue_many, email_render

from ..models import Membership, Team
from ..permissions import can_hold_checkins
from ..services import TeamError
from .models import (
    Pulse,
    PulseAnswer,
    PulseParticipation,
    PulseResponse,
    PulseResult,
    PulseStatement,
)

logger = logging.getLogger(__name__)
COMMENT_MAX_LENGTH = 1000


def _current_members(team: Team, now: datetime):
    return Membership.objects.current(timezone.localdate(now)).filter(team=team)


def _email_context(pulse: Pulse) -> dict:
    return {
        "pulse": pulse,
        "team": pulse.team,
        "answer_url": absolute_reverse("teams:pulse_answer", args=[pulse.team_id, pulse.pk]),
        "statement_count": pulse.statements.count(),
        "min_responses": settings.PULSE_MIN_RESPONSES,
    }


@transaction.atomic
def pulse_open(*, team: Team, by: User | None = None, now: datetime | None = None) -> Pulse:
    """Open a pulse for the team and invite every current member by email.

    `by` is the coach or admin starting one now; the beat opens them on the team's cadence.
    """
    if by is not None and not can_hold_checkins(by, team):
        raise PermissionDenied("Only the team's coach or an admin starts a pulse.")
    now = now or timezone.now()
    team = Team.objects.select_for_update().get(pk=team.pk)
    if Pulse.objects.filter(team=team, closed_at__isnull=True).exists():
        raise TeamError(f"{team}'s pulse is already open.")
    members = list(_current_members(team, now).select_related("user"))
    if len(members) < settings.PULSE_MIN_RESPONSES:
        raise TeamError(
            f"A pulse needs at least {settings.PULSE_MIN_RESPONSES} members to answer, so that "
            "nobody's answers can be picked out."
        )
    statements = list(PulseStatement.objects.filter(active=True))
    if not statements:
        raise TeamError("There are no pulse statements to ask; an admin sets them up.")
    pulse = Pulse.objects.create(
        team=team,
        opened_at=now,
        closes_at=now + timedelta(days=settings.PULSE_OPEN_DAYS),
        invited_count=len(members),
        opened_by=by,
    )
    pulse.statements.set(statements)
    context = _email_context(pulse)
    email_queue_many(
        emails=(
            email_render(
                to=membership.user.email,
                template="teams/pulse_invitation",
                context={**context, "recipient": membership.user},
                idempotency_key=f"pulse-invite:{pulse.pk}:{membership.user_id}",
            )
            for membership in members
        )
    )
    return pulse


def pulse_teams_due(*, now: datetime) -> list[int]:
    """Teams whose next pulse is due: none open, big enough to answer anonymously, and the
    last one opened a cadence ago (or never)."""
    today = timezone.localdate(now)
    members = (
        Membership.objects.current(today)
        .filter(team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    last_opened = (
        Pulse.objects.filter(team=OuterRef("pk")).order_by("-opened_at").values("opened_at")[:1]
    )
    teams = (
        Team.objects.exclude(
            Exists(Pulse.objects.filter(team=OuterRef("pk"), closed_at__isnull=True))
        )
        .annotate(members=Subquery(members), last_opened=Subquery(last_opened))
        .filter(members__gte=settings.PULSE_MIN_RESPONSES)
        .values_list("pk", "pulse_every_weeks", "last_opened")
    )
    return [pk for pk, weeks, last in teams if last is None or last <= now - timedelta(weeks=weeks)]


def pulse_open_due(*, now: datetime | None = None) -> int:
    """Open every pulse that is due; a team too small to answer anonymously is skipped."""
    now = now or timezone.now()
    opened = 0
    for team_id in pulse_teams_due(now=now):
        team = Team.objects.get(pk=team_id)
        try:
            pulse_open(team=team, now=now)
        except TeamError as exc:
            logger.info("No pulse for team %s: %s", team_id, exc)
        except IntegrityError:
            # Another beat process opened it a moment ago.
            continue
        else:
            opened += 1
    return opened


def _clean_answers(
    pulse: Pulse, ratings: Mapping[int, int], comments: Mapping[int, str]
) -> list[tuple[int, int, str]]:
    statement_ids = list(pulse.statements.values_list("pk", flat=True))
    unknown = (set(ratings) | set(comments)) - set(statement_ids)
    if unknown:
        raise TeamError("That statement is not part of this pulse.")
    cleaned = []
    for statement_id in statement_ids:
        rating = ratings.get(statement_id)
        if rating is None:
            raise TeamError("Choose an answer for every statement.")
        if not isinstance(rating, int) or not 1 <= rating <= 5:
            raise TeamError("Answers go from 1 (strongly disagree) to 5 (strongly agree).")
        comment = (comments.get(statement_id) or "").strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise TeamError(f"Keep each comment to {COMMENT_MAX_LENGTH} characters.")
        cleaned.append((statement_id, rating, comment))
    return cleaned


@transaction.atomic
def pulse_answer(
    *,
    pulse: Pulse,
    user: User,
    ratings: Mapping[int, int],
    comments: Mapping[int, str] | None = None,
    now: datetime | None = None,
) -> None:
    """Store one member's answers, apart from who they are; once per member per pulse.

    The pulse row is locked, so two submissions at the same moment are taken one after the
    other and the second finds the first; the unique constraint on participation is the
    last word if anything slips past (SQLite has no row locks).
    """
    now = now or timezone.now()
    pulse = Pulse.objects.select_for_update().select_related("team").get(pk=pulse.pk)
    if not pulse.is_open_at(now):
        raise TeamError("This pulse has closed. Thank you all the same.")
    membership = _current_members(pulse.team, now).filter(user=user).first()
    if membership is None:
        raise PermissionDenied("Only the team's members answer its pulse.")
    if membership.joined > timezone.localdate(pulse.opened_at):
        # The pulse asks those who were in the team when it opened ("4 of 9 have answered").
        raise TeamError("You joined after this pulse opened: the next one is yours to answer.")
    already = TeamError("You have already answered this pulse. Thank you.")
    if PulseParticipation.objects.filter(pulse=pulse, user=user).exists():
        raise already
    cleaned = _clean_answers(pulse, ratings, comments or {})
    try:
        with transaction.atomic():
            PulseParticipation.objects.create(pulse=pulse, user=user)
    except IntegrityError as exc:
        raise already from exc
    response = PulseResponse.objects.create(pulse=pulse)
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, statement_id=sid, rating=rating, comment=comment)
        for sid, rating, comment in cleaned
    )


def _two_places(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _unlink_responses(pulse: Pulse) -> None:
    """Write the pulse's answers again as new rows, in a random order, and drop the originals.

    While a pulse is open each member's answers sit in rows written in the same transaction as
    the note that they answered, so the database itself (row order, PostgreSQL's transaction
    ids) could tie the two together. Once closed, every answer row is as new as every other
    and none was written beside anyone's participation.
    """
    answers: dict = defaultdict(list)
    for response_id, statement_id, rating, comment in PulseAnswer.objects.filter(
        response__pulse=pulse
    ).values_list("response_id", "statement_id", "rating", "comment"):
        answers[response_id].append((statement_id, rating, comment))
    responses = PulseResponse.objects.filter(pulse=pulse).values_list("pk", flat=True)
    groups = [answers[pk] for pk in responses]
    secrets.SystemRandom().shuffle(groups)
    PulseResponse.objects.filter(pulse=pulse).delete()
    fresh = PulseResponse.objects.bulk_create(PulseResponse(pulse=pulse) for _ in groups)
    PulseAnswer.objects.bulk_create(
        PulseAnswer(response=response, statement_id=sid, rating=rating, comment=comment)
        for response, group in zip(fresh, groups, strict=True)
        for sid, rating, comment in group
    )


@transaction.atomic
def pulse_close(*, pulse_id: int, now: datetime | None = None, early: bool = False) -> bool:
    """Close a pulse and publish its results, if enough members answered. Claimed with a
    conditional update, so it happens once. Results are fixed from here on."""
    now = now or timezone.now()
    claim = Pulse.objects.filter(pk=pulse_id, closed_at__isnull=True)
    if not early:
        claim = claim.filter(closes_at__lte=now)
    if claim.update(closed_at=now) != 1:
        return False
    pulse = Pulse.objects.get(pk=pulse_id)
    _unlink_responses(pulse)
    pulse.response_count = pulse.responses.count()
    if pulse.response_count >= settings.PULSE_MIN_RESPONSES:
        means = (
            PulseAnswer.objects.filter(response__pulse=pulse)
            .values("statement_id")
            .annotate(mean=Avg("rating"))
            .order_by()
        )
        results = [
            PulseResult(
                pulse=pulse, statement_id=row["statement_id"], mean=_two_places(row["mean"])
            )
            for row in means
        ]
        PulseResult.objects.bulk_create(results)
        if results:
            pulse.overall = _two_places(sum(r.mean for r in results) / len(results))
    pulse.save(update_fields=["response_count", "overall"])
    return True


@transaction.atomic
def pulse_close_now(*, pulse: Pulse, by: User) -> bool:
    """The coach closes the pulse before its date (everyone has answered, say)."""
    if not can_hold_checkins(by, pulse.team):
        raise PermissionDenied("Only the team's coach or an admin closes a pulse early.")
    return pulse_close(pulse_id=pulse.pk, early=True)


def pulse_close_due(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    due = Pulse.objects.filter(closed_at__isnull=True, closes_at__lte=now).values_list(
        "pk", flat=True
    )
    return sum(pulse_close(pulse_id=pk, now=now) for pk in list(due))


# --- The one reminder ----------------------------------------------------------------------------


def _reminder_due(now: datetime) -> Q:
    return Q(
        closed_at__isnull=True,
        reminder_sent_at__isnull=True,
        closes_at__gt=now,
        opened_at__lte=now - timedelta(days=settings.PULSE_REMINDER_AFTER_DAYS),
    )


def pulse_reminders_due(*, now: datetime) -> list[int]:
    return list(Pulse.objects.filter(_reminder_due(now)).values_list("pk", flat=True))


@transaction.atomic
def pulse_remind(*, pulse_id: int, now: datetime | None = None) -> bool:
    """Remind, once, everyone the pulse asked (still in the team), whether or not they answered.

    Reminding only those yet to answer would write, in the outbox every admin can read, exactly
    who had not answered: who has answered is known only as a count.
    """
    now = now or timezone.now()
    if Pulse.objects.filter(_reminder_due(now), pk=pulse_id).update(reminder_sent_at=now) != 1:
        return False
    pulse = Pulse.objects.select_related("team").get(pk=pulse_id)
    asked = _current_members(pulse.team, now).filter(
        joined__lte=timezone.localdate(pulse.opened_at)
    )
    context = _email_context(pulse)
    email_queue_many(
        emails=(
            email_render(
                to=membership.user.email,
                template="teams/pulse_reminder",
                context={**context, "recipient": membership.user},
                idempotency_key=f"pulse-reminder:{pulse.pk}:{membership.user_id}",
            )
            for membership in asked.select_related("user")
        )
    )
    return True


def pulse_send_reminders(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    return sum(pulse_remind(pulse_id=pk, now=now) for pk in pulse_reminders_due(now=now))
