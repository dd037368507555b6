"""The scoring algorithm of SPEC 2: the book's worked example and properties against a restatement."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from klantwaarde.model import Relevance, Weights
from klantwaarde.scoring import (
    ScoredAnswer,
    kwi_results,
    net_promoter_score,
    nps_category,
    overall_score,
    plain_mean,
    respondent_overall,
    weighted_score,
)

MARK = {"<": Relevance.LESS, "N": Relevance.NEUTRAL, ">": Relevance.MORE}
WORKED = {  # respondent -> relevance of Q1..Q4; everyone grades 6, 7, 8, 9
    "R1": "NNNN",
    "R2": "<<N>",
    "R3": ">>>>",
    "R4": "><N>",
    "R5": ">N>>",
}
EXPECTED = {"R1": 7.50, "R2": 8.00, "R3": 7.50, "R4": 7.56, "R5": 7.55}


def worked_answers() -> list[ScoredAnswer]:
    return [
        ScoredAnswer(who, "KWI-01", f"1.0{i + 1}", grade, MARK[mark])
        for who, marks in WORKED.items()
        for i, (grade, mark) in enumerate(zip((6, 7, 8, 9), marks, strict=True))
    ]


def test_worked_example_respondent_scores():
    answers = worked_answers()
    for who, expected in EXPECTED.items():
        assert round(respondent_overall(answers, who, Weights()), 2) == expected


def test_worked_example_pooled_score_is_not_the_mean_of_respondent_scores():
    answers = worked_answers()
    [kwi] = kwi_results(answers, [("KWI-01", "Kennisborging", 7.5)], Weights())
    assert kwi.score == pytest.approx(357 / 47)
    assert round(kwi.score, 2) == 7.60
    mean_of_scores = sum(kwi.respondents.values()) / len(kwi.respondents)
    assert round(mean_of_scores, 2) == 7.62
    assert kwi.mean == 7.5  # plain mean of the grades
    assert kwi.n == 20
    assert kwi.n_respondents == 5


def test_weights_come_from_the_base():
    answers = [
        ScoredAnswer("A", "K", "1", 10, Relevance.MORE),
        ScoredAnswer("A", "K", "2", 4, Relevance.LESS),
    ]
    assert weighted_score(answers, Weights(1, 2, 3)) == pytest.approx((30 + 4) / 4)
    assert weighted_score(answers, Weights(0, 1, 1)) == pytest.approx(10)


def test_nothing_to_score_gives_none():
    assert weighted_score([], Weights()) is None
    assert plain_mean([]) is None
    result = net_promoter_score([])
    assert result.nps is None and result.n == 0


def test_nps_categories_and_score():
    assert [nps_category(v) for v in (0, 6, 7, 8, 9, 10)] == [
        "detractor",
        "detractor",
        "passive",
        "passive",
        "promoter",
        "promoter",
    ]
    result = net_promoter_score([9, 10, 7, 8, 3])
    assert (result.promoters, result.passives, result.detractors, result.n) == (2, 2, 1, 5)
    assert result.nps == pytest.approx(20.0)


def test_anonymous_answers_pool_but_have_no_respondent_score():
    answers = [
        ScoredAnswer("AA", "K", "1", 8, Relevance.NEUTRAL),
        ScoredAnswer("anon-1", "K", "1", 4, Relevance.NEUTRAL, anonymous=True),
    ]
    [kwi] = kwi_results(answers, [("K", "t", 7.5)], Weights())
    assert kwi.score == pytest.approx(6.0)
    assert set(kwi.respondents) == {"AA"}


# -- properties against a straightforward restatement -------------------------------------------

answer_st = st.builds(
    ScoredAnswer,
    respondent=st.sampled_from(["AA", "BB", "CC", "DD"]),
    kwi_code=st.sampled_from(["KWI-01", "KWI-02"]),
    question_number=st.sampled_from(["1.01", "1.02", "2.01"]),
    grade=st.integers(1, 10),
    relevance=st.sampled_from(list(Relevance)),
    anonymous=st.booleans(),
)
weights_st = st.builds(Weights, st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))


def restated(answers: list[ScoredAnswer], weights: Weights) -> Fraction | None:
    weight = {Relevance.LESS: weights.less, Relevance.NEUTRAL: weights.neutral, Relevance.MORE: weights.more}
    total = sum(Fraction(weight[a.relevance]) for a in answers)
    if total == 0:
        return None
    return sum(Fraction(a.grade) * Fraction(weight[a.relevance]) for a in answers) / total


@given(st.lists(answer_st, max_size=40), weights_st)
def test_pooled_equals_weighted_mean_of_all_answers(answers, weights):
    expected = restated(answers, weights)
    got = overall_score(answers, weights)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(float(expected), rel=1e-12)


@given(st.lists(answer_st, min_size=1, max_size=40))
def test_all_neutral_equals_plain_mean(answers):
    neutral = [
        ScoredAnswer(a.respondent, a.kwi_code, a.question_number, a.grade, Relevance.NEUTRAL) for a in answers
    ]
    assert weighted_score(neutral, Weights()) == pytest.approx(sum(a.grade for a in answers) / len(answers))


@given(st.lists(answer_st, min_size=1, max_size=40), weights_st)
def test_scores_stay_within_one_and_ten(answers, weights):
    results = kwi_results(answers, [("KWI-01", "a", 7.5), ("KWI-02", "b", 7.5)], weights)
    for result in results:
        for value in [result.score, result.mean, *result.respondents.values()]:
            assert value is None or 1 - 1e-9 <= value <= 10 + 1e-9


@given(st.lists(answer_st, max_size=40), weights_st, st.randoms(use_true_random=False))
def test_order_of_answers_does_not_matter(answers, weights, random):
    shuffled = list(answers)
    random.shuffle(shuffled)
    kwis = [("KWI-01", "a", 7.5), ("KWI-02", "b", 7.5)]
    first, second = kwi_results(answers, kwis, weights), kwi_results(shuffled, kwis, weights)
    for one, two in zip(first, second, strict=True):
        assert (one.score is None) == (two.score is None)
        if one.score is not None:
            assert math.isclose(one.score, two.score, rel_tol=1e-12)
        assert one.respondents.keys() == two.respondents.keys()


@given(st.lists(st.tuples(answer_st, st.booleans()), min_size=1, max_size=30), weights_st)
def test_blanks_never_count(pairs, weights):
    """Blank answers are left out, never counted as 0: the score over a form with blanks equals the
    score over its answered questions alone, and never drops below 1."""
    answered = [a for a, blank in pairs if not blank]
    expected = restated(answered, weights)
    got = overall_score(answered, weights)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(float(expected))
        assert got >= 1
