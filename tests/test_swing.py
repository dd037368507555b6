"""Swing (SPEC 2.1): how far one respondent moves the overall score, a KWI score and the NPS, and
which changes between periods are within the noise. Property-tested against a slow, exact model."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantwaarde.model import Relevance, Weights
from klantwaarde.report import DOWN, NOISE, UP, change_between
from klantwaarde.scoring import (
    ScoredAnswer,
    kwi_results,
    net_promoter_score,
    weighted_score,
    weighted_swing,
)
from klantwaarde.workbook.history import read_data

WEIGHTS = Weights()
RELEVANCES = st.sampled_from([Relevance.LESS, Relevance.NEUTRAL, Relevance.MORE])


def answers_of(respondents: list[list[tuple[int, Relevance]]]) -> list[ScoredAnswer]:
    return [
        ScoredAnswer(f"R{r}", "KWI-01", f"1.{q:02d}", grade, relevance)
        for r, rows in enumerate(respondents)
        for q, (grade, relevance) in enumerate(rows)
    ]


def exact_swing(answers: list[ScoredAnswer]) -> Fraction | None:
    """Leave-one-out by definition, in fractions: the score without each respondent in turn."""

    def score(kept: list[ScoredAnswer]) -> Fraction | None:
        weight = sum(Fraction(WEIGHTS.of(a.relevance)) for a in kept)
        if weight == 0:
            return None
        return sum(Fraction(WEIGHTS.of(a.relevance)) * a.grade for a in kept) / weight

    who = sorted({a.respondent for a in answers})
    full = score(answers)
    if len(who) < 2 or full is None:
        return None
    others = [score([a for a in answers if a.respondent != r]) for r in who]
    return max(abs(full - other) for other in others if other is not None)


PANELS = st.lists(
    st.lists(st.tuples(st.integers(1, 10), RELEVANCES), min_size=1, max_size=6), min_size=1, max_size=8
)


@given(PANELS)
def test_the_swing_is_the_largest_leave_one_out_change(panel):
    answers = answers_of(panel)
    expected = exact_swing(answers)
    found = weighted_swing(answers, WEIGHTS)
    if expected is None:
        assert found is None
    else:
        assert found == pytest.approx(float(expected), abs=1e-12)


@given(st.integers(1, 10), st.lists(st.lists(RELEVANCES, min_size=1, max_size=5), min_size=2, max_size=8))
def test_the_swing_is_zero_when_everyone_answers_alike(grade, relevances):
    answers = answers_of([[(grade, relevance) for relevance in rows] for rows in relevances])
    assert weighted_swing(answers, WEIGHTS) == 0


@given(PANELS)
def test_the_swing_never_exceeds_the_range_of_the_respondents_own_scores(panel):
    answers = answers_of(panel)
    swing = weighted_swing(answers, WEIGHTS)
    own = [
        weighted_score([a for a in answers if a.respondent == f"R{r}"], WEIGHTS) for r in range(len(panel))
    ]
    if swing is not None:
        assert swing <= max(own) - min(own) + 1e-12  # type: ignore[type-var,operator]


def test_one_respondent_has_no_swing():
    answers = answers_of([[(7, Relevance.NEUTRAL), (8, Relevance.MORE)]])
    assert weighted_swing(answers, WEIGHTS) is None
    assert net_promoter_score([9]).swing is None


def test_a_kwi_result_carries_its_swing():
    answers = answers_of([[(6, Relevance.NEUTRAL)], [(8, Relevance.NEUTRAL)], [(10, Relevance.NEUTRAL)]])
    (result,) = kwi_results(answers, [("KWI-01", "Kennisborging", 7.0)], WEIGHTS)
    assert result.score == 8 and result.swing == 1  # leaving out the 6 or the 10: 9 or 7


@given(st.lists(st.integers(0, 10), min_size=8, max_size=8))
def test_the_nps_swing_of_eight_is_large_whenever_categories_differ(values):
    # Leaving out one of eight: with a promoter and a detractor among them the NPS moves by at
    # least 100/7 (more than the 12.5 points one changed answer moves it); with two categories
    # only, by at least 100/14 (four promoters and four passives: 50 becomes 42.9 or 57.1).
    result = net_promoter_score(values)
    categories = {("promoter" if v >= 9 else "passive" if v >= 7 else "detractor") for v in values}
    assert result.swing is not None
    if {"promoter", "detractor"} <= categories:
        assert result.swing >= 100 / 7 - 1e-9 > 12.5
    elif len(categories) > 1:
        assert result.swing >= 100 / 14 - 1e-9
    else:
        assert result.swing == 0


def test_the_smallest_nps_swing_of_eight_with_two_categories():
    assert net_promoter_score([9, 9, 9, 9, 7, 7, 7, 7]).swing == pytest.approx(100 / 14)
    assert net_promoter_score([0, 0, 0, 0, 0, 0, 7, 7]).swing == pytest.approx(75 / 7)


@given(st.lists(st.integers(0, 10), min_size=2, max_size=8))
def test_the_nps_swing_is_the_largest_leave_one_out_change(values):
    def nps(kept: list[int]) -> Fraction:
        return Fraction(100 * (sum(v >= 9 for v in kept) - sum(v <= 6 for v in kept)), len(kept))

    full = nps(values)
    expected = max(abs(full - nps(values[:i] + values[i + 1 :])) for i in range(len(values)))
    assert net_promoter_score(values).swing == pytest.approx(float(expected), abs=1e-9)


def test_a_change_within_the_larger_swing_is_noise():
    assert change_between(7.41, 0.10, 7.23, 0.30).mark == NOISE  # |−0.18| ≤ 0.30
    assert change_between(7.41, 0.30, 7.23, 0.10).mark == NOISE  # the larger of the two
    assert change_between(7.41, 0.05, 7.23, 0.10).mark == DOWN
    assert change_between(7.0, 0.2, 7.5, None).mark == UP  # unknown swing: the other one
    assert change_between(7.0, None, 7.1, 0.2).mark == NOISE
    assert change_between(None, 0.2, 7.1, 0.2) is None


def test_without_any_swing_every_change_is_marked():
    assert change_between(7.0, None, 7.1, None).mark == UP
    assert change_between(7.1, None, 7.1, None).mark == NOISE  # no change at all


# ---------------------------------------------------------------------------------------------
# Where users see it: the terminal and --json of kwm process, on the bundled example's two periods


def two_periods(tmp_path):
    import json

    from typer.testing import CliRunner

    from klantwaarde.api.demo import demo
    from klantwaarde.cli import build_app

    demo(tmp_path / "demo")
    base = str(tmp_path / "demo" / "basis.xlsx")
    runner = CliRunner()
    data = json.loads(runner.invoke(build_app("nl"), ["process", base, "--json"]).stdout)
    terminal = runner.invoke(build_app("nl"), ["process", base], env={"COLUMNS": "100"}).output
    return data, terminal


def test_process_json_and_terminal_show_swings_and_changes(tmp_path):
    data, terminal = two_periods(tmp_path)
    [before] = data["trend"]  # the earlier periods only, oldest first
    assert before["period"] == "2010H2" and before["nps"] == -40.0
    assert before["overall"] == pytest.approx(6.645161, abs=1e-6)
    assert data["nps"]["swing"] == 30.0
    earlier = read_data(tmp_path / "demo" / "2010H2" / "KLANT-2010H2 Klantwaardemonitor.xlsx").figures
    swing_before = {k.code: k.swing for k in earlier.kwis}
    for kwi in data["kwis"]:
        change = data["changes"]["kwis"][kwi["code"]]
        delta = kwi["score"] - before["kwis"][kwi["code"]]
        noise = max(kwi["swing"], swing_before[kwi["code"]])
        assert change == {"delta": pytest.approx(delta), "within_noise": abs(delta) <= noise}
    assert data["changes"]["nps"] == {"delta": 60.0, "within_noise": False}  # −40 → +20
    assert data["changes"]["overall"]["delta"] == pytest.approx(data["overall"] - before["overall"])
    assert "± 0,30" in terminal and "t.o.v." in terminal and "▲ +0,82" in terminal
    assert "NPS +20 ± 30,0" in terminal and "▲ +60,0" in terminal
    assert "! onder het KWI-doel" in terminal and "≈ binnen de ruis" in terminal
