"""An independent attacker for the disclosure rules (SPEC 3.5): what can be worked out about an
anonymous respondent from everything kwm shows?

The checker knows nothing of ``klantwaarde.disclosure``. It reads what an output shows — the
``--json`` object, the monitor workbook — as *facts*: linear sums over answers (a figure: a
question's, a KWI's or the overall sums of grades, weights and weighted grades, each revealed
pessimistically in full), single values (a named respondent's grade, a KWI or overall score), NPS
category counts and values, and remark authors. Then it tries to recover each anonymous
respondent's answers, scores, NPS value and remark authorship:

- directly (their initials or name next to anything of theirs),
- by arithmetic: an unknown is recovered when it is a linear combination of the published facts
  (exact Gaussian elimination over fractions), which covers subtraction of published details
  from published pooled figures and figures resting on a single contributor,
- remark authorship by elimination (the only possible writer of an unattributed remark).

``Attack.leaks()`` lists every recovery; the tests require it to be empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Var = tuple[str, ...]  # ("g", respondent, question) / ("p", ...) / ("w", ...) / ("nps", r, category)
Vector = dict[Var, Fraction]

NPS_CATEGORIES = ("promoter", "passive", "detractor")


class Span:
    """The linear span of published facts, kept in reduced row echelon form."""

    def __init__(self) -> None:
        self.rows: dict[Var, Vector] = {}  # pivot variable -> row with coefficient 1 there

    def _reduce(self, vector: Vector) -> Vector:
        result = {k: v for k, v in vector.items() if v}
        for pivot, row in self.rows.items():
            factor = result.get(pivot)
            if factor:
                for key, value in row.items():
                    new = result.get(key, Fraction(0)) - factor * value
                    if new:
                        result[key] = new
                    else:
                        result.pop(key, None)
        return result

    def add(self, vector: Vector) -> None:
        reduced = self._reduce(vector)
        if not reduced:
            return
        pivot = min(reduced)
        scale = reduced[pivot]
        row = {k: v / scale for k, v in reduced.items()}
        for other in self.rows.values():  # keep every row reduced in the new pivot
            factor = other.get(pivot)
            if factor:
                for key, value in row.items():
                    new = other.get(key, Fraction(0)) - factor * value
                    if new:
                        other[key] = new
                    else:
                        other.pop(key, None)
        self.rows[pivot] = row

    def contains(self, vector: Vector) -> bool:
        return not self._reduce(vector)


def total(variables: Iterable[Var]) -> Vector:
    return {v: Fraction(1) for v in variables}


@dataclass
class Truth:
    """What the attacker tries to recover: the real answers (from the test's own fills)."""

    answers: Mapping[str, Mapping[str, tuple[int, int]]]  # respondent -> question -> (grade, weight)
    kwi_of: Mapping[str, str]  # question -> KWI code
    nps: Mapping[str, int | None]  # respondent -> NPS value
    remarks: Mapping[str, str]  # respondent -> remark text
    anonymous: frozenset[str]  # initials
    names: Mapping[str, str]  # initials -> name

    def cells(
        self, who: Iterable[str] | None = None, questions: Iterable[str] | None = None
    ) -> list[tuple[str, str]]:
        people = set(who) if who is not None else set(self.answers)
        wanted = set(questions) if questions is not None else None
        return [
            (r, q)
            for r in sorted(people)
            for q in sorted(self.answers.get(r, {}))
            if wanted is None or q in wanted
        ]


@dataclass
class Attack:
    truth: Truth
    span: Span = field(default_factory=Span)
    direct: list[str] = field(default_factory=list)  # what named an anonymous respondent directly
    remark_authors: dict[str, str | None] = field(default_factory=dict)  # text -> shown author
    remarks_seen: list[str] = field(default_factory=list)
    returned: set[str] = field(default_factory=set)

    # -- facts --------------------------------------------------------------------------------

    def figure(self, cells: Sequence[tuple[str, str]]) -> None:
        """A pooled figure over ``cells`` (respondent, question): its sums of grades, weights and
        weighted grades are taken as known."""
        if not cells:
            return
        for kind in ("g", "w", "p"):
            self.span.add(total((kind, r, q) for r, q in cells))

    def answer(self, respondent: str, question: str) -> None:
        """A named respondent's own answer shown: grade, relevance (weight) and weighted grade."""
        self.detail(respondent)
        for kind in ("g", "w", "p"):
            self.span.add({(kind, respondent, question): Fraction(1)})

    def score(self, respondent: str, questions: Iterable[str]) -> None:
        """A respondent's own score over ``questions`` (their KWI or overall score)."""
        self.detail(respondent)
        self.figure(self.truth.cells([respondent], questions))

    def nps_counts(self, contributors: Iterable[str]) -> None:
        people = [r for r in contributors if self.truth.nps.get(r) is not None]
        for category in NPS_CATEGORIES:
            self.span.add(total(("nps", r, category) for r in people))

    def nps_value(self, respondent: str) -> None:
        self.detail(respondent)
        for category in NPS_CATEGORIES:
            self.span.add({("nps", respondent, category): Fraction(1)})

    def detail(self, respondent: str) -> None:
        if respondent in self.truth.anonymous:
            self.direct.append(f"an individual detail shown beside {respondent}")

    def text(self, where: str, value: Any) -> None:
        """Any shown text: it must not name an anonymous respondent."""
        shown = str(value)
        for initials in self.truth.anonymous:
            name = self.truth.names.get(initials, "")
            if name and name in shown:
                self.direct.append(f"{where} names {name}")

    # -- the attack -----------------------------------------------------------------------------

    def leaks(self) -> list[str]:
        found = list(self.direct)
        for a in sorted(self.truth.anonymous):
            own = self.truth.cells([a])
            for r, q in own:
                for kind in ("g", "w", "p"):
                    if self.span.contains({(kind, r, q): Fraction(1)}):
                        found.append(f"{a}'s answer to {q} ({kind}) follows from what is shown")
            by_kwi: dict[str, list[tuple[str, str]]] = {}
            for cell in own:
                by_kwi.setdefault(self.truth.kwi_of[cell[1]], []).append(cell)
            for code, cells in [*by_kwi.items(), ("overall", own)]:
                if cells and all(self.span.contains(total((k, r, q) for r, q in cells)) for k in ("p", "w")):
                    found.append(f"{a}'s {code} score follows from what is shown")
            if self.truth.nps.get(a) is not None:
                for category in NPS_CATEGORIES:
                    if self.span.contains({("nps", a, category): Fraction(1)}):
                        found.append(f"{a}'s NPS category follows from what is shown")
            remark = self.truth.remarks.get(a)
            if remark and remark in self.remark_authors:
                author = self.remark_authors[remark]
                if author == a:
                    found.append(f"{a}'s remark is shown with their initials")
                elif author is None:
                    candidates = self.returned - {x for x in self.remark_authors.values() if x}
                    if len(candidates) <= 1:
                        found.append(f"{a}'s remark can only be theirs")
        return found


def attack_json(data: Mapping[str, Any], truth: Truth) -> Attack:
    """Everything ``kwm process --json`` shows, as facts."""
    attack = Attack(truth)
    attack.text("the JSON", data)
    named_returned = {r["initials"] for r in data["respondents"] if r["returned"] and r["initials"]}
    everyone = set(truth.answers)
    attack.returned = named_returned | {a for a in truth.anonymous if a in everyone}
    questions_of: dict[str, list[str]] = {}
    for q, code in truth.kwi_of.items():
        questions_of.setdefault(code, []).append(q)
    if data["overall"] is not None:
        attack.figure(truth.cells())
    for kwi in data["kwis"]:
        if kwi["score"] is not None or kwi["mean"] is not None:
            attack.figure(truth.cells(None, questions_of.get(kwi["code"], [])))
        for initials in kwi["respondents"]:
            attack.score(initials, questions_of.get(kwi["code"], []))
    for question in data["questions"]:
        if question["mean"] is not None or question["score"] is not None:
            attack.figure(truth.cells(None, [question["number"]]))
    for respondent in data["respondents"]:
        if respondent["overall"] is not None:
            attack.score(respondent["initials"], truth.kwi_of)
        if respondent["anonymous"] and respondent["initials"]:
            attack.direct.append(f"an anonymous respondent listed as {respondent['initials']}")
    if data["nps"]["n"] is not None:
        attack.nps_counts(everyone)
    for remark in data["remarks"]:
        attack.remark_authors[remark["text"]] = remark["by"]
    return attack
