"""The house, one way down: no module imports a part of the house above it.

The rule is the table in wellbeing/architecture.py; these tests read every module's imports
against it, and show that a wrong import is caught.
"""

from __future__ import annotations

import pytest

from wellbeing.architecture import ALLOWED, house_violations, upward_imports


def test_no_module_imports_upwards():
    wrong = house_violations()
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        # The core deciding who sees the Recruitment link by asking recruitment itself.
        ("wellbeing.navigation", "from recruitment.models import Round"),
        # Teams asking recruitment, in a function, for its dashboard.
        ("teams.selectors", "def f():\n    from recruitment.selectors import pipeline"),
        # The outbox knowing about accounts.
        ("wellbeing.notifications.services", "from wellbeing.accounts.models import User"),
        # Accounts reaching into the rest of the project package.
        ("wellbeing.accounts.services", "from wellbeing import navigation"),
        # Values asking teams, the app built on it.
        ("values.selectors", "from teams.models import Team"),
        # Outcomes may use teams, but not values.
        ("outcomes.models", "import values.models"),
        # The blog builds on the core only.
        ("blog.views", "from teams.permissions import get_team_for"),
        # A chart module that imports a domain app (only type hints, still a dependency).
        ("wellbeing.charts", "if TYPE_CHECKING:\n    from values.models import Value"),
        # The composition root imports every app: an app importing it depends on all of them.
        ("teams.selectors", "from wellbeing.views import home"),
        ("values.views", "from wellbeing import urls"),
        ("wellbeing.navigation", "import wellbeing.urls"),
    ],
)
def test_an_upward_import_is_caught(module, source):
    assert upward_imports(module, source)


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("recruitment.services.rounds", "from teams.models import Membership"),
        ("recruitment.selectors.reports", "from ..models import Round"),
        ("teams.apps", "from values import registry"),
        ("values.permissions", "from wellbeing.accounts.models import User"),
        ("wellbeing.accounts.services", "from wellbeing.notifications.services import email_queue"),
        ("outcomes.views", "from teams.permissions import get_person_for"),
        # The composition root may import every app.
        ("wellbeing.urls", "from recruitment.api import RoundViewSet"),
        ("wellbeing.views", "from teams import selectors"),
    ],
)
def test_a_downward_import_is_allowed(module, source):
    assert upward_imports(module, source) == []


def test_every_part_allows_only_parts_in_the_table():
    known = set(ALLOWED)
    for part, allowed in ALLOWED.items():
        assert allowed <= known, part
        assert part not in allowed
