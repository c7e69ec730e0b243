"""Reads about a person's record as a whole: lists of people, the record page, profiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from teams.models import Membership, Person, Team
from teams.rota.models import Visit
from teams.rota.selectors import person_week
from wellbeing.accounts.models import User

from ..models import (
    Consent,
    OnePageProfile,
    PersonAccess,
    PersonDetails,
    ProfileVersion,
    RecordRead,
    Suggestion,
)
from ..permissions import staff_people
from .goals import Figures, figures_by, outcome_list_for, outcome_rows, t_score_history


@dataclass(frozen=True)
class PersonLine:
    person: Person
    figures: Figures

    @property
    def t_score(self) -> float | None:
        return self.figures.t_scores[0] if self.figures.t_scores else None


@dataclass(frozen=True)
class Overview:
    """The people a member of staff supports, each with their figures, and each team's."""

    lines: list[PersonLine]
    teams: dict[int, Figures]

    @property
    def t_scores(self) -> list[float]:
        return [score for figures in self.teams.values() for score in figures.t_scores]


def people_overview(*, user: User, include_ended: bool = False) -> Overview:
    """The people this member of staff supports, with each one's outcome figures and their
    teams' totals. Two queries."""
    people = staff_people(user).select_related("team")
    if not include_ended:
        people = people.exclude(status=Person.Status.ENDED)
    people = list(people.order_by("team__name", "name", "pk"))
    rows = outcome_rows(people=[person.pk for person in people])
    figures = figures_by(rows, "person_id")
    return Overview(
        lines=[PersonLine(person, figures.get(person.pk, Figures())) for person in people],
        teams=figures_by(rows, "team_id"),
    )


def current_profile(profile: OnePageProfile | None) -> ProfileVersion | None:
    """The newest version, from a profile whose versions were prefetched newest first."""
    if profile is None:
        return None
    versions = list(profile.versions.all())
    return versions[0] if versions else None


def profile_of(person: Person) -> OnePageProfile | None:
    return (
        OnePageProfile.objects.filter(person=person)
        .prefetch_related(Prefetch("versions", queryset=ProfileVersion.objects.order_by("-number")))
        .first()
    )


def profile_versions(
    *, person: Person | None = None, member: User | None = None
) -> list[ProfileVersion]:
    query = {"profile__person": person} if person is not None else {"profile__member": member}
    return list(ProfileVersion.objects.filter(**query).order_by("-number"))


def person_record(*, person: Person, today: date | None = None) -> dict:
    """Everything on a person's record page, in a fixed number of queries."""
    today = today or timezone.localdate()
    outcomes = outcome_list_for(person)
    rows = outcome_rows(people=[person.pk], today=today)
    figures = figures_by(rows, "person_id", today=today).get(person.pk, Figures())
    profile = profile_of(person)
    return {
        "person": person,
        "details": PersonDetails.objects.filter(person=person).first(),
        "contacts": list(person.key_contacts.all()),
        "consents": list(Consent.objects.filter(person=person).select_related("recorded_by")),
        "profile": current_profile(profile),
        "profile_version_count": len(profile.versions.all()) if profile else 0,
        "outcomes": outcomes,
        "figures": figures,
        "t_score": figures.t_scores[0] if figures.t_scores else None,
        "score_history": t_score_history(outcomes),
        "suggestions": list(
            Suggestion.objects.filter(person=person)
            .select_related("outcome", "responded_by")
            .order_by("status", "-created_at")[:20]
        ),
        "access": list(
            PersonAccess.objects.filter(person=person, revoked_at__isnull=True).select_related(
                "user", "consent"
            )
        ),
        "today": today,
    }


def own_record(*, person: Person, today: date | None = None) -> dict:
    """What the person (or family) sees on their own page. Fixed queries."""
    today = today or timezone.localdate()
    outcomes = outcome_list_for(person)
    rows = outcome_rows(people=[person.pk], today=today)
    figures = figures_by(rows, "person_id", today=today).get(person.pk, Figures())
    return {
        "profile": current_profile(profile_of(person)),
        "outcomes": outcomes,
        "figures": figures,
        "open_suggestions": list(
            Suggestion.objects.filter(person=person)
            .select_related("outcome")
            .order_by("-created_at")[:5]
        ),
        "today": today,
    }


def team_member_profiles(*, person: Person) -> list[tuple[User, ProfileVersion | None]]:
    """The team members who support this person, each with their own one-page profile."""
    members = list(
        Membership.objects.current()
        .filter(team_id=person.team_id)
        .select_related("user")
        .order_by("user__display_name")
    )
    users = [membership.user for membership in members]
    profiles = {
        profile.member_id: profile
        for profile in OnePageProfile.objects.filter(member__in=users).prefetch_related(
            Prefetch("versions", queryset=ProfileVersion.objects.order_by("-number"))
        )
    }
    return [(user, current_profile(profiles.get(user.pk))) for user in users]


def member_profile(*, user: User) -> ProfileVersion | None:
    return ProfileVersion.objects.filter(profile__member=user).order_by("-number").first()


def access_log(*, person: Person) -> QuerySet[RecordRead]:
    """Who read the record, newest first, each reader with who they are to the person now (a
    name alone means little to someone who never met the coach or the admin). One query."""
    return (
        RecordRead.objects.filter(person=person)
        .annotate(
            reader_in_team=Exists(
                Membership.objects.current().filter(
                    user_id=OuterRef("reader_id"), team_id=person.team_id
                )
            ),
            reader_coaches=Exists(
                Team.objects.filter(pk=person.team_id, coach_id=OuterRef("reader_id"))
            ),
            reader_is_admin=Coalesce(F("reader__is_staff"), False),
        )
        .order_by("-at", "-pk")
    )


def coming_this_week(*, person: Person, today: date) -> list[tuple[date, list[Visit]]]:
    """Who is coming to the person from today to the end of the week, day by day (London
    days), from the published rota. Two queries."""
    week = person_week(person=person, week_start=today - timedelta(days=today.weekday()))
    days: dict[date, list[Visit]] = {}
    for visit in week:
        day = timezone.localtime(visit.start).date()
        if day >= today:
            days.setdefault(day, []).append(visit)
    return list(days.items())
