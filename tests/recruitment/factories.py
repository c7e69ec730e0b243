"""Recruitment test data: a round with its values, a candidate at any stage, a panel."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from recruitment.models import Candidate, PanelMember, Round
from recruitment.services.rounds import round_create
from values.models import Value

VALUE_NAMES = ["Compassion", "Responsibility", "Collaboration"]


def values_for_tests() -> list[Value]:
    return [
        Value.objects.get_or_create(
            slug=name.lower(), defaults={"name": name, "meaning": f"{name} in everyday care."}
        )[0]
        for name in VALUE_NAMES
    ]


def open_round(*, title: str = "Spring wellbeing workers", owners=(), **overrides) -> Round:
    """An open round (default touch points and one question per value), taking applications."""
    today = timezone.localdate()
    round_ = round_create(
        title=title,
        opens_on=overrides.pop("opens_on", today - timedelta(days=7)),
        closes_on=overrides.pop("closes_on", today + timedelta(days=21)),
        values=values_for_tests(),
        owners=owners,
    )
    Round.objects.filter(pk=round_.pk).update(status=overrides.pop("status", Round.Status.OPEN))
    round_.refresh_from_db()
    return round_


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    round = factory.LazyFunction(open_round)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"candidate{n}@example.org")
    phone = "07700 900123"
    why = "I looked after my grandmother and want to do this well."
    consent_contact = True
    consent_privacy = True
    stage = Candidate.Stage.APPLIED


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    round = factory.LazyFunction(open_round)
    name = factory.Faker("name", locale="en_GB")
    email = factory.Sequence(lambda n: f"panel{n}@example.org")
    kind = PanelMember.Kind.STAFF


def at_workshop(candidate: Candidate) -> Candidate:
    """A candidate moved on to having attended the workshop, as the panel's tests need."""
    Candidate.objects.filter(pk=candidate.pk).update(
        stage=Candidate.Stage.ATTENDED, invited_at=timezone.now(), attended_at=timezone.now()
    )
    candidate.refresh_from_db()
    return candidate
