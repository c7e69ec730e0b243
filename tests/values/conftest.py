from __future__ import annotations

import pytest

from tests.factories import BehaviourFactory, ValueFactory
from values.models import Behaviour


@pytest.fixture
def compassion(db):
    value = ValueFactory(name="Compassion", meaning="We act with kindness.", order=1)
    BehaviourFactory(value=value, text="Sitting with someone on a hard day")
    BehaviourFactory(
        value=value, kind=Behaviour.Kind.CONTRADICTS, text="Rushing a visit while they are upset"
    )
    return value


@pytest.fixture
def curiosity(db):
    return ValueFactory(name="Curiosity", meaning="We keep asking and learning.", order=2)
