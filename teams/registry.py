"""Hooks that apps built on teams fill in from their AppConfig.ready().

teams imports none of the apps above it, yet the coach's dashboard and the team page show what
those apps know about a team: open recruitment, unfilled visits, outcome reviews overdue. Each
app registers here instead, and the pages show whatever is registered.

Every hook is handed all the teams on the page at once and must answer in a fixed number of
queries however many teams there are (the dashboard is built for a coach of fifty teams).
Read the lists through the module (`registry.dashboard_columns`), never `from … import`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from wellbeing.accounts.models import User

    from .models import Team


@dataclass(frozen=True)
class TeamFigure:
    """One team's figure in one dashboard column, e.g. "3 unfilled" for the next 14 days."""

    text: str
    # Highlighted on the dashboard: this is where the team needs its coach.
    attention: bool = False
    # What the column sorts by (a number; larger means more in need), and an optional link.
    sort_value: float = 0
    url: str = ""


@dataclass(frozen=True)
class DashboardColumn:
    """A column of the coach's dashboard, one figure per team."""

    key: str
    label: str
    # Given the teams on the page, each team's figure by team id (missing: see `when_missing`).
    figures: Callable[[Sequence[Team]], dict[int, TeamFigure]]
    # What the figure counts, e.g. "in the next 14 days", said once below the table.
    description: str = ""
    order: int = 50
    # Columns with the same group share one column of the table, each figure under its own
    # label (the rota's three figures under "Rota"): a laptop screen holds a few, not a dozen.
    group: str = ""
    # What a team without a figure shows: by default that there is nothing to count yet;
    # a column where no figure means all is well says so (e.g. "Nothing to act on").
    when_missing: str = "No data yet"
    # How pressing a highlighted figure is among the reasons a team needs its coach (lower
    # first): the team's own reasons run from 10 (people going without care) to 70.
    urgency: int = 50


@dataclass(frozen=True)
class TeamPanel:
    """A section of the team page contributed by another app, rendered from its own template."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class HomeSection:
    """A section at the top of a member's home page ("My week", "Waiting for you")."""

    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


dashboard_columns: list[DashboardColumn] = []
# Each returns the app's panel for this team as this user sees it, or None.
team_panels: list[Callable[[User, Team], TeamPanel | None]] = []
# Each returns the app's section of this member's home page, or None.
member_home_sections: list[Callable[[User], HomeSection | None]] = []
