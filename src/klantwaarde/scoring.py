"""The scoring algorithm of the klantwaardemonitor (SPEC 2), as pure functions with full precision.

weighted = grade x weight(relevance); a score is sum(weighted) / sum(weight) over the answers it
covers. The KWI score pools every answer to the KWI (it is *not* the mean of respondent scores);
the overall score pools every answer. Unanswered questions are simply absent. Standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from klantwaarde.model import Relevance, Weights


@dataclass(frozen=True)
class ScoredAnswer:
    """An answer with everything scoring needs. ``respondent`` is a stable key, never shown for
    anonymous respondents (those carry ``anonymous=True``)."""

    respondent: str
    kwi_code: str
    question_number: str
    grade: int
    relevance: Relevance
    anonymous: bool = False


def weighted_score(answers: Iterable[ScoredAnswer], weights: Weights) -> float | None:
    """sum(grade x weight) / sum(weight); None when there is nothing to score."""
    total_weight = 0.0
    total_weighted = 0.0
    for answer in answers:
        w = weights.of(answer.relevance)
        total_weight += w
        total_weighted += answer.grade * w
    if total_weight == 0:
        return None
    return total_weighted / total_weight


def plain_mean(grades: Iterable[int]) -> float | None:
    values = list(grades)
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class KwiResult:
    code: str
    title: str
    score: float | None  # pooled, relevance-weighted
    mean: float | None  # KWI-gemiddelde: plain mean of the grades
    target: float
    n: int  # number of answers
    respondents: dict[str, float] = field(default_factory=dict)  # non-anonymous only
    n_respondents: int = 0  # respondents (anonymous included) who answered this KWI

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < self.target


@dataclass(frozen=True)
class NpsResult:
    nps: float | None
    promoters: int
    passives: int
    detractors: int
    n: int


def nps_category(value: int) -> str:
    """``promoter`` (9-10), ``passive`` (7-8) or ``detractor`` (0-6)."""
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


def net_promoter_score(values: Iterable[int]) -> NpsResult:
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for value in values:
        counts[nps_category(value)] += 1
    n = sum(counts.values())
    nps = (counts["promoter"] - counts["detractor"]) * 100.0 / n if n else None
    return NpsResult(nps, counts["promoter"], counts["passive"], counts["detractor"], n)


def kwi_results(
    answers: Sequence[ScoredAnswer],
    kwis: Sequence[tuple[str, str, float]],
    weights: Weights,
) -> list[KwiResult]:
    """One result per KWI (code, title, target), in the given order, from all answers pooled."""
    results = []
    for code, title, target in kwis:
        own = [a for a in answers if a.kwi_code == code]
        per_respondent: dict[str, float] = {}
        who = {a.respondent for a in own}
        for respondent in sorted({a.respondent for a in own if not a.anonymous}):
            score = weighted_score((a for a in own if a.respondent == respondent), weights)
            if score is not None:
                per_respondent[respondent] = score
        results.append(
            KwiResult(
                code=code,
                title=title,
                score=weighted_score(own, weights),
                mean=plain_mean(a.grade for a in own),
                target=target,
                n=len(own),
                respondents=per_respondent,
                n_respondents=len(who),
            )
        )
    return results


def overall_score(answers: Iterable[ScoredAnswer], weights: Weights) -> float | None:
    return weighted_score(answers, weights)


def respondent_overall(answers: Sequence[ScoredAnswer], respondent: str, weights: Weights) -> float | None:
    return weighted_score((a for a in answers if a.respondent == respondent), weights)
