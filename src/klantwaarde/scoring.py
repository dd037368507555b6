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
    swing: float | None = None  # how far one respondent moves the score (SPEC 2.1)

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
    swing: float | None = None  # how far one respondent moves the NPS (SPEC 2.1)


def nps_category(value: int) -> str:
    """``promoter`` (9-10), ``passive`` (7-8) or ``detractor`` (0-6)."""
    if value >= 9:
        return "promoter"
    if value >= 7:
        return "passive"
    return "detractor"


def _nps(promoters: int, detractors: int, n: int) -> float | None:
    return (promoters - detractors) * 100.0 / n if n else None


def net_promoter_score(values: Iterable[int]) -> NpsResult:
    """The NPS of one value per respondent, with its swing (leaving out each respondent in turn)."""
    counts = {"promoter": 0, "passive": 0, "detractor": 0}
    for value in values:
        counts[nps_category(value)] += 1
    n = sum(counts.values())
    promoters, detractors = counts["promoter"], counts["detractor"]
    nps = _nps(promoters, detractors, n)
    swing: float | None = None
    if nps is not None and n >= 2:
        # leaving out a respondent of a category only depends on the category
        others = [
            _nps(promoters - (kind == "promoter"), detractors - (kind == "detractor"), n - 1)
            for kind, count in counts.items()
            if count
        ]
        swing = max(abs(nps - other) for other in others if other is not None)
    return NpsResult(nps, promoters, counts["passive"], detractors, n, swing)


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
                swing=weighted_swing(own, weights),
            )
        )
    return results


def overall_score(answers: Iterable[ScoredAnswer], weights: Weights) -> float | None:
    return weighted_score(answers, weights)


def respondent_overall(answers: Sequence[ScoredAnswer], respondent: str, weights: Weights) -> float | None:
    return weighted_score((a for a in answers if a.respondent == respondent), weights)


def weighted_swing(answers: Iterable[ScoredAnswer], weights: Weights) -> float | None:
    """How far one respondent moves a weighted score (SPEC 2.1): the largest absolute difference
    between the score of all ``answers`` and the score without one contributing respondent's
    answers, leaving out each in turn. None with fewer than two contributors (there is nothing to
    leave out) or nothing to score. Exact: computed from the sums, no rounding."""
    sums: dict[str, tuple[float, float]] = {}
    for answer in answers:
        w = weights.of(answer.relevance)
        weight, weighted = sums.get(answer.respondent, (0.0, 0.0))
        sums[answer.respondent] = (weight + w, weighted + answer.grade * w)
    total_weight = sum(w for w, _ in sums.values())
    total = sum(p for _, p in sums.values())
    if len(sums) < 2 or total_weight == 0:
        return None
    score = total / total_weight
    left = [(total - p) / (total_weight - w) for w, p in sums.values() if total_weight - w > 0]
    return max((abs(score - other) for other in left), default=None)
