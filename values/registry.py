"""Hooks that apps built on values fill in from their AppConfig.ready().

values imports none of the apps above it, yet a story may belong to a team (and only to a
team its author may see), insights are for coaches, and the values page shows how candidates
scored in recruitment. The apps that know register here instead:

- teams sets `story_team_choices` to its "teams this user may see" rule and `coaches` to its
  one coach check;
- recruitment appends to `value_figures`.

Read these through the module (`registry.story_team_choices`), never with `from … import`,
so that what an app registers later is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from wellbeing.accounts.models import User

    from .models import Value


@dataclass(frozen=True)
class FigureRow:
    label: str
    cells: list[str]


@dataclass(frozen=True)
class Figure:
    """A table of figures about the values, shown on the values insights page as it is."""

    title: str
    columns: list[str]
    rows: list[FigureRow] = field(default_factory=list)
    description: str = ""


# The teams a user may tag a story with and see stories of; None until teams registers it.
story_team_choices: Callable[[User], QuerySet[Any]] | None = None
# "Does this user coach a team?", answered by teams; coaches (and admins) see the insights.
coaches: Callable[[User], bool] | None = None
# Each returns figures about these values, e.g. how candidates scored on each, round by round.
value_figures: list[Callable[[QuerySet[Value]], list[Figure]]] = []
