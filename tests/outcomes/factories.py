"""Factories for outcomes: an outcome with its five levels described, reviews, access."""

from __future__ import annotations

from datetime import date

import factory

from outcomes.models import (
    Consent,
    Outcome,
    PersonAccess,
    Relationship,
    Review,
    ServiceFund,
)
from tests.factories import PersonFactory, UserFactory


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    person = factory.SubFactory(PersonFactory)
    in_their_words = "I want to walk to the shop on my own by spring"
    life_area = Outcome.LifeArea.INDEPENDENCE
    measure = Outcome.Measure.GAS
    gas_minus_2 = "I do not leave the house"
    gas_minus_1 = "I walk to the gate with someone"
    gas_0 = "I walk to the shop with someone beside me"
    gas_plus_1 = "I walk to the shop with someone a few steps behind"
    gas_plus_2 = "I walk to the shop on my own"
    created_on = date(2025, 1, 6)
    review_due = date(2025, 4, 1)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    outcome = factory.SubFactory(OutcomeFactory)
    reviewed_on = date(2025, 3, 3)
    worker_level = 0
    level = factory.LazyAttribute(
        lambda review: (
            review.person_level if review.person_level is not None else review.worker_level
        )
    )
    person_level = None
    person_rated_by = ""
    recorded_by_name = "A worker"


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    person = factory.SubFactory(PersonFactory)
    scope = Consent.Scope.SIGN_IN
    with_whom = "Themselves"
    decided_by = Consent.DecidedBy.PERSON
    agreed_on = date(2025, 1, 6)


class PersonAccessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonAccess

    person = factory.SubFactory(PersonFactory)
    user = factory.SubFactory(UserFactory)
    relationship = Relationship.SELF
    consent = factory.SubFactory(ConsentFactory, person=factory.SelfAttribute("..person"))


class ServiceFundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceFund

    person = factory.SubFactory(PersonFactory)
    commissioner = "Northshire Council adult social care"
    starts = date(2025, 1, 1)
    hours_per_week = 7
    hourly_rate = 24
