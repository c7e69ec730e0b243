from __future__ import annotations

from datetime import date, timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from django.utils.text import slugify

from teams.models import (
    Action,
    Advice,
    CheckIn,
    Decision,
    Membership,
    Person,
    Role,
    RoleAssignment,
    Shift,
    Team,
    Visit,
    VisitAssignment,
)
from values.models import Behaviour, Story, Value
from wellbeing.accounts.models import Organisation, User

PASSWORD = "correct-horse-battery-staple"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["name"]

    name = "Test Wellbeing Teams"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name", locale="en_GB")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def with_mfa(obj, create, extracted, **kwargs):
        """Give the user an authenticator app, as coaches and admins must have."""
        if create and extracted:
            TOTP.activate(obj, TOTP_SECRET)
            RecoveryCodes.activate(obj)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    locality = factory.Faker("city", locale="en_GB")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    team = factory.SubFactory(TeamFactory)
    joined = date(2024, 1, 1)
    contracted_hours = 30


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    team = factory.SubFactory(TeamFactory)
    name = factory.Faker("name", locale="en_GB")
    started = date(2023, 6, 1)


class ValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Value
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Value {n}")
    slug = factory.LazyAttribute(lambda value: slugify(value.name))
    meaning = factory.Faker("sentence", locale="en_GB")
    order = factory.Sequence(lambda n: n)


class BehaviourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Behaviour

    value = factory.SubFactory(ValueFactory)
    kind = Behaviour.Kind.SHOWS
    text = factory.Faker("sentence", locale="en_GB")
    order = factory.Sequence(lambda n: n)


class StoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Story
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    team = None
    title = factory.Faker("sentence", nb_words=4, locale="en_GB")
    body = factory.Faker("paragraph", locale="en_GB")

    @factory.post_generation
    def values(obj, create, extracted, **kwargs):
        """Tag with the given values, or with one new value: every story shows at least one."""
        if create:
            obj.values.set(extracted if extracted is not None else [ValueFactory()])


# --- Teams that run themselves: roles, check-ins, the pulse, decisions -------------------------


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    team = factory.SubFactory(TeamFactory)
    name = factory.Sequence(lambda n: f"Role {n}")
    purpose = "Keeps something going for the team."
    accountabilities = "One thing\nAnother thing"
    term_months = 12


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    role = factory.SubFactory(RoleFactory)
    membership = factory.SubFactory(MembershipFactory, team=factory.SelfAttribute("..role.team"))
    started = date(2025, 1, 1)
    review_on = date(2026, 1, 1)
    chosen_how = RoleAssignment.Chosen.VOLUNTEERED


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    team = factory.SubFactory(TeamFactory)
    planned_for = date(2026, 3, 2)
    held_on = date(2026, 3, 2)
    brought = "How the new rota is going"


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    checkin = factory.SubFactory(CheckInFactory)
    team = factory.SelfAttribute("checkin.team")
    text = factory.Sequence(lambda n: f"Agreed action {n}")
    owner = None
    due_on = date(2026, 4, 1)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    team = factory.SubFactory(TeamFactory)
    proposer = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Decision {n}")
    proposal = "Try something new for a month."
    affected = "The whole team"
    advice_by = date(2026, 6, 1)


class AdviceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Advice

    decision = factory.SubFactory(DecisionFactory)
    given_by = factory.SubFactory(UserFactory)
    text = "Ask the families first."


# --- Rota ---------------------------------------------------------------------------------------


class VisitFactory(factory.django.DjangoModelFactory):
    """A planned visit tomorrow at 09:00 UTC for 45 minutes; pass `start` (aware) to move it."""

    class Meta:
        model = Visit
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    team = factory.SelfAttribute("person.team")
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda visit: visit.start + timedelta(minutes=45))
    care = "Breakfast and morning medication"

    @factory.post_generation
    def assigned(obj, create, extracted, **kwargs):
        """`assigned=[user, ...]` puts those workers on the visit."""
        if create and extracted:
            for worker in extracted:
                VisitAssignment.objects.create(
                    visit=obj, worker=worker, team=obj.team, start=obj.start, end=obj.end
                )


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    team = factory.SubFactory(TeamFactory)
    worker = factory.SubFactory(UserFactory)
    kind = Shift.Kind.ON_CALL
    start = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=1)).replace(
            hour=18, minute=0, second=0, microsecond=0
        )
    )
    end = factory.LazyAttribute(lambda shift: shift.start + timedelta(hours=4))
