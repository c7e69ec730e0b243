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
