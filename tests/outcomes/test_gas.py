"""The GAS T-score, checked against examples worked out by hand.

T = 50 + 10·Σ(wᵢxᵢ) / √((1−ρ)·Σwᵢ² + ρ·(Σwᵢ)²), with ρ = 0.3.
"""

from __future__ import annotations

import pytest

from outcomes.gas import GoalLevel, t_score, t_score_band


def goals(*pairs: tuple[int, int]) -> list[GoalLevel]:
    return [GoalLevel(level=level, weight=weight) for level, weight in pairs]


def test_every_goal_as_expected_scores_exactly_fifty():
    # Σwx = 0, so T = 50 whatever the denominator.
    assert t_score(goals((0, 1), (0, 1), (0, 1))) == 50


def test_three_equal_goals_above_expected():
    # Levels +1, +1 and +2, each with weight 1:
    # Σwx = 4;  Σw² = 3;  (Σw)² = 9
    # denominator = √(0.7·3 + 0.3·9) = √(2.1 + 2.7) = √4.8 = 2.19089
    # T = 50 + 10·4 / 2.19089 = 50 + 18.2574 = 68.2574
    assert t_score(goals((1, 1), (1, 1), (2, 1))) == pytest.approx(68.2574, abs=1e-4)


def test_weights_change_the_score():
    # x = −1, +1, +2; w = 3, 2, 1
    # Σwx = −3 + 2 + 2 = 1;  Σw² = 9 + 4 + 1 = 14;  (Σw)² = 6² = 36
    # denominator = √(0.7·14 + 0.3·36) = √(9.8 + 10.8) = √20.6 = 4.53872
    # T = 50 + 10·1 / 4.53872 = 50 + 2.2033 = 52.2033
    assert t_score(goals((-1, 3), (1, 2), (2, 1))) == pytest.approx(52.2033, abs=1e-4)


def test_one_goal_much_less_than_expected():
    # x = −2, w = 1: denominator = √(0.7·1 + 0.3·1) = √1 = 1
    # T = 50 + 10·(−2) / 1 = 30
    assert t_score(goals((-2, 1))) == pytest.approx(30)


def test_two_goals_much_less_than_expected():
    # x = −2, −2; w = 1, 1: Σwx = −4;  Σw² = 2;  (Σw)² = 4
    # denominator = √(0.7·2 + 0.3·4) = √(1.4 + 1.2) = √2.6 = 1.61245
    # T = 50 − 40 / 1.61245 = 50 − 24.8069 = 25.1931
    assert t_score(goals((-2, 1), (-2, 1))) == pytest.approx(25.1931, abs=1e-4)


def test_four_goals_mixed():
    # x = +1, 0, −1, +2; w = 1 each: Σwx = 2;  Σw² = 4;  (Σw)² = 16
    # denominator = √(0.7·4 + 0.3·16) = √(2.8 + 4.8) = √7.6 = 2.75681
    # T = 50 + 20 / 2.75681 = 50 + 7.2548 = 57.2548
    assert t_score(goals((1, 1), (0, 1), (-1, 1), (2, 1))) == pytest.approx(57.2548, abs=1e-4)


def test_no_goals_have_no_score():
    assert t_score([]) is None


def test_bands_put_fifty_with_the_scores_above_it():
    assert t_score_band(49.99) == "45–50"
    assert t_score_band(50) == "50–55"
    assert t_score_band(25.19) == "under 40"
    assert t_score_band(68.26) == "60 and over"


def test_a_weight_changes_nothing_when_there_is_one_goal():
    # x = +2, w = 3: Σwx = 6;  Σw² = 9;  (Σw)² = 9
    # denominator = √(0.7·9 + 0.3·9) = √9 = 3
    # T = 50 + 10·6 / 3 = 70, the same as +2 with weight 1: 50 + 10·2 / √1 = 70
    assert t_score(goals((2, 3))) == pytest.approx(70)
    assert t_score(goals((2, 1))) == pytest.approx(70)


def test_a_heavier_goal_below_expected_pulls_the_score_under_fifty():
    # x = −2, +1; w = 4, 1: Σwx = −8 + 1 = −7;  Σw² = 16 + 1 = 17;  (Σw)² = 25
    # denominator = √(0.7·17 + 0.3·25) = √(11.9 + 7.5) = √19.4 = 4.40454
    # T = 50 − 70 / 4.40454 = 50 − 15.8927 = 34.1073
    assert t_score(goals((-2, 4), (1, 1))) == pytest.approx(34.1073, abs=1e-4)
