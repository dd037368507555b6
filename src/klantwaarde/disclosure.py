"""What may be shown of a monitor report: the disclosure rules of SPEC 3.5 as one decision.

Every writer — the monitor, the internal workbook, the deck, the portfolio, ``--json`` and the
terminal — asks the ``Disclosure`` made by ``decide(report)`` before it shows a figure or an
individual detail, and none of them decides anonymity on its own. Standard library only.

Terms (SPEC 3.5). A *figure* combines answers: a question's n/mean/score/relevance counts, a KWI's
score and mean, the overall score, the NPS and its distribution (and a swing of any of them). Its
*contributors* are the respondents whose answers it combines. An *individual detail* shows one
respondent's own answers: a grade, relevance mark, NPS value, their score on a question, a KWI or
overall, or a remark attributed to them. A = the respondents who chose anonymity; k = the base's
``Anonimiteitsdrempel``.

The decision, in order:

1. A figure with an anonymous contributor that rests on fewer than k respondents is withheld.
2. No recovery by subtraction. Published sums nest (questions in a KWI, KWIs in the overall
   score): a shown KWI minus its shown questions gives the sum of its withheld questions, and the
   shown overall minus what is shown below it gives the sum of the rest. Each such remainder that
   holds an anonymous answer must rest on at least k respondents; until it does, further questions
   are withheld (for a KWI: its own questions; for the overall: questions of withheld KWIs, then
   KWIs that have a remainder of their own), and when nothing is left to withhold, the figure
   itself. Withholding every question of a shown KWI always suffices (the KWI then rests on k).
3. Individual details of named respondents are withheld within the scope of every figure with an
   anonymous contributor that is withheld or rests on fewer than k anonymous respondents (scope: the
   question; a KWI's questions and KWI score; for the overall score everything; for the NPS the NPS
   values), and a respondent's details withheld on a question or KWI withhold their KWI and overall
   score too. Details are never shown of a figure that is not shown.
4. Remarks: an anonymous respondent's remark never has an author; when 1 <= |A among the writers|
   < k, or the overall score withholds details, no remark has an author, and they are listed in an
   order that does not follow the respondent list. When fewer than k respondents returned a form
   and an anonymous one wrote a remark, the remarks are not shown at all (their author would be
   plain).
5. Pooled figures always include the anonymous answers (the report computes them so).

Scopes of individual details (``detail_shown(initials, scope)``): a question number (their answer),
a KWI code (their KWI score), ``OVERALL`` (their overall score) or ``NPS`` (their NPS value).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from klantwaarde.model import DEFAULT_THRESHOLD

if TYPE_CHECKING:  # only read here
    from klantwaarde.report import AnswerRow, MonitorReport, Remark
    from klantwaarde.texts import Texts

OVERALL = "overall"
NPS = "nps"


class Reason(StrEnum):
    """Why something is withheld (the texts say it in plain words, under ``disclosure.reasons``)."""

    FEW_RESPONDENTS = "few_respondents"  # rests on fewer than k respondents, one of them anonymous
    SUBTRACTION = "subtraction"  # shown, it would give away a withheld figure by subtraction
    FEW_ANONYMOUS = "few_anonymous"  # named details beside fewer than k anonymous respondents
    REMARK_AUTHORS = "remark_authors"  # remark authors not shown
    REMARKS = "remarks"  # remarks not shown


@dataclass(frozen=True)
class Withholding:
    """One thing withheld: ``scope`` is a question number, a KWI code, OVERALL, NPS, ``details``
    (per-respondent details) or ``remarks``; ``reason`` why."""

    scope: str
    reason: Reason


@dataclass(frozen=True)
class Disclosure:
    """The decision for one report. Initials are the base's (upper case); figures are named by
    question number, KWI code, ``OVERALL`` or ``NPS``."""

    threshold: int
    anonymous: frozenset[str]  # initials of the respondents who chose anonymity (their form counts)
    withheld_questions: frozenset[str] = frozenset()
    withheld_kwis: frozenset[str] = frozenset()
    withheld_overall: bool = False
    withheld_nps: bool = False
    # named respondents whose details are withheld, per scope: scope -> initials
    withheld_details: Mapping[str, frozenset[str]] = field(default_factory=dict)
    remark_authors_shown: bool = True
    remarks_shown: bool = True
    reasons: tuple[Withholding, ...] = ()

    def is_anonymous(self, initials: str | None) -> bool:
        return initials is None or initials.strip().upper() in self.anonymous

    def question_shown(self, number: str) -> bool:
        return number not in self.withheld_questions

    def kwi_shown(self, code: str) -> bool:
        return code not in self.withheld_kwis

    @property
    def overall_shown(self) -> bool:
        return not self.withheld_overall

    @property
    def nps_shown(self) -> bool:
        return not self.withheld_nps

    def figure_shown(self, scope: str) -> bool:
        """A question, KWI, the overall score or the NPS, by its name."""
        if scope == OVERALL:
            return self.overall_shown
        if scope == NPS:
            return self.nps_shown
        return self.question_shown(scope) and self.kwi_shown(scope)

    def detail_shown(self, initials: str | None, scope: str) -> bool:
        """Whether respondent ``initials``'s own answer, score or NPS value in ``scope`` may be
        shown beside their name. Never for an anonymous respondent (rule 2)."""
        if self.is_anonymous(initials):
            return False
        assert initials is not None
        return initials.strip().upper() not in self.withheld_details.get(scope, frozenset())

    def remark_author_shown(self, initials: str | None) -> bool:
        return self.remarks_shown and self.remark_authors_shown and not self.is_anonymous(initials)

    @property
    def details_withheld(self) -> bool:
        """Some named respondent's details are withheld somewhere."""
        return any(self.withheld_details.values())

    @property
    def withholds_anything(self) -> bool:
        return bool(
            self.withheld_questions
            or self.withheld_kwis
            or self.withheld_overall
            or self.withheld_nps
            or self.details_withheld
            or not self.remark_authors_shown
            or not self.remarks_shown
        )

    # -- views every writer shares -----------------------------------------------------------

    def answer_rows(self, report: MonitorReport) -> list[tuple[AnswerRow, str | None]]:
        """The answers that may be listed, each with the respondent to show beside it (None: not
        shown). Answers of withheld questions are left out; within a question, answers without a
        respondent come after the named ones, ordered by grade and relevance, never by respondent."""
        order = {q.number: i for i, q in enumerate(report.questions)}
        shown: list[tuple[AnswerRow, str | None]] = []
        for row in report.answers:
            if not self.question_shown(row.question_number):
                continue
            who = row.respondent if self.detail_shown(row.respondent, row.question_number) else None
            shown.append((row, who))
        shown.sort(
            key=lambda item: (
                order.get(item[0].question_number, len(order)),
                item[1] is None,
                item[1] or "",
                item[0].grade,
                item[0].relevance.value,
            )
        )
        return shown

    def remarks(self, report: MonitorReport) -> list[Remark]:
        """The remarks that may be shown, authors only where allowed, in an order that follows the
        respondent list only when every author is shown."""
        if not self.remarks_shown:
            return []
        result = [
            r if r.respondent is not None and self.remark_author_shown(r.key) else replace(r, respondent=None)
            for r in report.remarks
        ]
        # named first (by name), then the rest by text: position never names a writer
        result.sort(key=lambda r: (r.respondent is None, r.respondent or "", r.text.casefold(), r.text))
        return result


# ---------------------------------------------------------------------------------------------
# The decision


@dataclass
class _Figures:
    """Contributor sets (opaque respondent keys) of every figure of a report."""

    questions: dict[str, set[str]]  # question number -> keys, in base order
    kwi_of: dict[str, str]  # question number -> KWI code
    kwis: dict[str, list[str]]  # KWI code -> its question numbers, in base order
    nps: set[str]
    anonymous: set[str]  # keys of anonymous respondents
    returned: int

    def kwi(self, code: str) -> set[str]:
        return _union(self.questions[q] for q in self.kwis[code])

    def everyone(self) -> set[str]:
        return _union(self.questions.values())


def _union(sets: Iterable[set[str]]) -> set[str]:
    result: set[str] = set()
    for s in sets:
        result |= s
    return result


def _figures(report: MonitorReport) -> _Figures:
    named = {r.initials for r in report.respondents if r.returned and not r.anonymous}
    questions: dict[str, set[str]] = {q.number: set() for q in report.questions}
    kwi_of = {q.number: q.kwi_code for q in report.questions}
    for row in report.answers:
        questions.setdefault(row.question_number, set()).add(row.key or (row.respondent or ""))
        kwi_of.setdefault(row.question_number, row.kwi_code)
    kwis: dict[str, list[str]] = {k.code: [] for k in report.kwis}
    for number in questions:
        kwis.setdefault(kwi_of[number], []).append(number)
    keys = _union(questions.values()) | set(report.nps_keys) | {r.key for r in report.remarks}
    return _Figures(
        questions=questions,
        kwi_of=kwi_of,
        kwis=kwis,
        nps=set(report.nps_keys),
        anonymous={key for key in keys if key and key not in named},
        returned=report.returned,
    )


def decide(report: MonitorReport, threshold: int | None = None) -> Disclosure:
    """The disclosure decision for ``report``: what of it may be shown, in every output."""
    k = threshold if threshold is not None else report.base.settings.anonymity_threshold
    k = max(int(k), 1)
    figures = _figures(report)
    anonymous = figures.anonymous
    reasons: list[Withholding] = []

    def sensitive(keys: set[str]) -> bool:
        """Holds an anonymous answer and rests on fewer than k respondents."""
        return bool(keys & anonymous) and len(keys) < k

    # 1. too few respondents
    withheld_q = {q for q, keys in figures.questions.items() if sensitive(keys)}
    withheld_c = {c for c in figures.kwis if figures.kwis[c] and sensitive(figures.kwi(c))}
    withheld_o = sensitive(figures.everyone())
    withheld_n = sensitive(figures.nps)
    reasons += [Withholding(q, Reason.FEW_RESPONDENTS) for q in figures.questions if q in withheld_q]
    reasons += [Withholding(c, Reason.FEW_RESPONDENTS) for c in figures.kwis if c in withheld_c]
    if withheld_o:
        reasons.append(Withholding(OVERALL, Reason.FEW_RESPONDENTS))
    if withheld_n:
        reasons.append(Withholding(NPS, Reason.FEW_RESPONDENTS))

    # 2. no recovery by subtraction
    def remainder(numbers: Sequence[str]) -> set[str]:
        return _union(figures.questions[q] for q in numbers if q in withheld_q)

    def widen(candidates: Sequence[str], target: set[str]) -> str | None:
        """The shown question that adds most new respondents to ``target`` (fewest answers on a tie)."""
        open_ = [q for q in candidates if q not in withheld_q]
        if not open_:
            return None
        return max(open_, key=lambda q: (len(figures.questions[q] - target), -len(figures.questions[q])))

    changed = True
    while changed:
        changed = False
        for code, numbers in figures.kwis.items():
            if code in withheld_c:
                continue
            rest = remainder(numbers)
            while sensitive(rest):
                extra = widen(numbers, rest)
                if extra is None:  # cannot happen for a shown KWI: it rests on k itself
                    withheld_c.add(code)
                    reasons.append(Withholding(code, Reason.SUBTRACTION))
                    break
                withheld_q.add(extra)
                reasons.append(Withholding(extra, Reason.SUBTRACTION))
                rest = remainder(numbers)
                changed = True
        if withheld_o:
            continue
        # what the overall score gives away: everything not covered by a shown KWI or question
        below = [q for code in figures.kwis if code in withheld_c for q in figures.kwis[code]]
        rest = remainder(below)
        if sensitive(rest):
            extra = widen(below, rest)
            if extra is not None:
                withheld_q.add(extra)
                reasons.append(Withholding(extra, Reason.SUBTRACTION))
            else:
                # A shown KWI with a remainder of its own adds that remainder; any other shown KWI
                # opens its questions to the next round. The overall score goes only when no KWI is left.
                shown = [c for c in figures.kwis if c not in withheld_c and figures.kwis[c]]
                if shown:
                    code = max(
                        shown,
                        key=lambda c: (len(remainder(figures.kwis[c]) - rest), len(figures.kwi(c) - rest)),
                    )
                    withheld_c.add(code)
                    reasons.append(Withholding(code, Reason.SUBTRACTION))
                else:
                    withheld_o = True
                    reasons.append(Withholding(OVERALL, Reason.SUBTRACTION))
            changed = True

    # 3. individual details of named respondents
    details: dict[str, set[str]] = {}

    def withhold(scope: str, keys: Iterable[str]) -> None:
        named = {key for key in keys if key not in anonymous}
        if named:
            details.setdefault(scope, set()).update(named)

    def restricts(keys: set[str], withheld: bool) -> bool:
        return bool(keys & anonymous) and (withheld or len(keys & anonymous) < k)

    everyone = figures.everyone()
    all_scopes = [*figures.questions, *figures.kwis, OVERALL, NPS]
    for number, keys in figures.questions.items():
        if number in withheld_q or restricts(keys, False):
            for scope in (number, figures.kwi_of[number], OVERALL):
                withhold(scope, keys)
    for code in figures.kwis:
        keys = figures.kwi(code)
        if restricts(keys, code in withheld_c):
            for scope in (*figures.kwis[code], code, OVERALL):
                withhold(scope, keys)
    if restricts(everyone, withheld_o):
        for scope in all_scopes:
            withhold(scope, everyone | figures.nps)
    if restricts(figures.nps, withheld_n):
        withhold(NPS, figures.nps)
    if details:
        reasons.append(Withholding("details", Reason.FEW_ANONYMOUS))

    # 4. remarks
    writers = {r.key for r in report.remarks}
    anonymous_writers = writers & anonymous
    overall_restricts = restricts(everyone | figures.nps, withheld_o)
    authors_shown = not (1 <= len(anonymous_writers) < k) and not overall_restricts
    remarks_shown = not (anonymous_writers and figures.returned < k)
    if not remarks_shown:
        reasons.append(Withholding("remarks", Reason.REMARKS))
    elif not authors_shown and writers - anonymous_writers:
        reasons.append(Withholding("remarks", Reason.REMARK_AUTHORS))

    return Disclosure(
        threshold=k,
        anonymous=frozenset(r.initials.strip().upper() for r in report.respondents if r.anonymous),
        withheld_questions=frozenset(withheld_q),
        withheld_kwis=frozenset(withheld_c),
        withheld_overall=withheld_o,
        withheld_nps=withheld_n,
        withheld_details={scope: frozenset(who) for scope, who in details.items()},
        remark_authors_shown=authors_shown,
        remarks_shown=remarks_shown,
        reasons=tuple(reasons),
    )


def explain(disclosure: Disclosure, texts: Texts) -> list[str]:
    """What was withheld and why, in plain words (SPEC 3.5 rule 6): for the terminal summary and the
    internal workbook. Names no respondent."""
    d = disclosure
    t = texts

    def numbers(reason: Reason, kinds: frozenset[str]) -> list[str]:
        return [w.scope for w in d.reasons if w.reason is reason and w.scope in kinds]

    lines: list[str] = []
    for key, reason in (("questions", Reason.FEW_RESPONDENTS), ("questions_subtraction", Reason.SUBTRACTION)):
        found = numbers(reason, d.withheld_questions)
        if found:
            lines.append(t(f"disclosure.{key}", numbers=", ".join(found)))
    for key, reason in (("kwis", Reason.FEW_RESPONDENTS), ("kwis_subtraction", Reason.SUBTRACTION)):
        found = numbers(reason, d.withheld_kwis)
        if found:
            lines.append(t(f"disclosure.{key}", codes=", ".join(found)))
    if d.withheld_overall:
        lines.append(t("disclosure.overall"))
    if d.withheld_nps:
        lines.append(t("disclosure.nps"))
    if d.details_withheld:
        lines.append(t("disclosure.details", k=d.threshold))
    if not d.remarks_shown:
        lines.append(t("disclosure.remarks"))
    elif not d.remark_authors_shown:
        lines.append(t("disclosure.remark_authors"))
    return lines


__all__ = ["DEFAULT_THRESHOLD", "NPS", "OVERALL", "Disclosure", "Reason", "Withholding", "decide", "explain"]
