"""The outcomes cast: the person supported who signs in, their daughter, and someone else's."""

from __future__ import annotations

import pytest

from outcomes.models import Relationship
from tests.factories import UserFactory
from tests.outcomes.factories import PersonAccessFactory


@pytest.fixture
def person_user(person):
    """Peggy herself, signed in to her own record."""
    user = UserFactory(display_name="Margaret Ellis", email="peggy@example.org")
    PersonAccessFactory(person=person, user=user, relationship=Relationship.SELF)
    return user


@pytest.fixture
def family_user(person):
    """Peggy's daughter, whom Peggy agreed may see her record."""
    user = UserFactory(display_name="Sarah Ellis", email="sarah@example.org")
    PersonAccessFactory(person=person, user=user, relationship=Relationship.FAMILY)
    return user


@pytest.fixture
def other_person_user(other_person):
    """Someone supported by another team, signed in to their own record."""
    user = UserFactory(display_name="Harold Price", email="harold@example.org")
    PersonAccessFactory(person=other_person, user=user, relationship=Relationship.SELF)
    return user


@pytest.fixture
def person_token(person_user):
    """An API token Peggy made for a program of hers (she turned on two-step sign-in first)."""
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.factories import TOTP_SECRET
    from wellbeing.accounts.services import api_token_create

    TOTP.activate(person_user, TOTP_SECRET)
    _, key = api_token_create(user=person_user, name="My tablet", passed_second_step=True)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}
