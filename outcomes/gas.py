"""Goal Attainment Scaling: the person's T-score across their goals.

Kiresuk and Sherman's formula turns the levels reached on several goals (each −2 to +2, with
0 the expected outcome) into one figure centred on 50 with a standard deviation of 10, if goals
were set so that "as expected" is what happens on average:

    T = 50 + 10 · Σ(wᵢ·xᵢ) / √((1 − ρ)·Σwᵢ² + ρ·(Σwᵢ)²)

where xᵢ is the level on goal i, wᵢ its weight, and ρ the assumed correlation between goals,
conventionally 0.3. A T-score only means something beside the goals and the person's words,
which is why every page shows it with them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

RHO = 0.3


@dataclass(frozen=True)
class GoalLevel:
    level: int
    weight: int = 1


def t_score(goals: Iterable[GoalLevel], *, rho: float = RHO) -> float | None:
    """The T-score, or None without any goal to score."""
    goals = list(goals)
    if not goals:
        return None
    weighted = sum(goal.weight * goal.level for goal in goals)
    squares = sum(goal.weight**2 for goal in goals)
    total = sum(goal.weight for goal in goals)
    spread = math.sqrt((1 - rho) * squares + rho * total**2)
    return 50 + 10 * weighted / spread


# Bands for showing how a team's T-scores are spread, rather than one mean hiding the rest.
T_SCORE_BANDS: list[tuple[str, float, float]] = [
    ("under 40", -math.inf, 40),
    ("40–45", 40, 45),
    ("45–50", 45, 50),
    ("50–55", 50, 55),
    ("55–60", 55, 60),
    ("60 and over", 60, math.inf),
]


def t_score_band(score: float) -> str:
    for label, low, high in T_SCORE_BANDS:
        if low <= score < high:
            return label
    raise ValueError(score)
