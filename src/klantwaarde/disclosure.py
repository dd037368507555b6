"""What may be shown of a monitor report: the disclosure rules of SPEC 3.5 as one decision.

Every writer — the monitor, the internal workbook, the deck, the portfolio, ``--json`` and the
terminal — asks the ``Disclosure`` made by ``decide(report)`` before it shows a figure or an
individual detail, and none of them decides anonymity on its own. Standard library only.

Scopes of individual details (``detail_shown(initials, scope)``): a question number, a KWI code,
``OVERALL`` (the respondent's own overall score) or ``NPS`` (their NPS value and category).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report is only read here
    from klantwaarde.report import MonitorReport

DEFAULT_THRESHOLD = 3  # SPEC 3.5: k, the base's Anonimiteitsdrempel
OVERALL = "overall"
NPS = "nps"


@dataclass(frozen=True)
class Disclosure:
    """The decision for one report. Initials are the base's (upper case); figures are named by
    question number, KWI code, ``OVERALL`` or ``NPS``."""

    threshold: int
    anonymous: frozenset[str]  # respondents who chose anonymity (their form counts)
    withheld_questions: frozenset[str] = frozenset()
    withheld_kwis: frozenset[str] = frozenset()
    withheld_overall: bool = False
    withheld_nps: bool = False
    # named respondents whose details are withheld, per scope: scope -> initials
    withheld_details: tuple[tuple[str, frozenset[str]], ...] = ()
    remark_authors_shown: bool = True

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
        key = initials.strip().upper()
        return not any(key in who for where, who in self.withheld_details if where == scope)

    def remark_author_shown(self, initials: str | None) -> bool:
        return self.remark_authors_shown and not self.is_anonymous(initials)

    @property
    def withholds_anything(self) -> bool:
        return bool(
            self.withheld_questions
            or self.withheld_kwis
            or self.withheld_overall
            or self.withheld_nps
            or any(who for _, who in self.withheld_details)
            or not self.remark_authors_shown
        )


def decide(report: MonitorReport, threshold: int | None = None) -> Disclosure:
    """The disclosure decision for ``report``: what of it may be shown, in every output."""
    k = threshold if threshold is not None else DEFAULT_THRESHOLD
    return Disclosure(
        threshold=k, anonymous=_anonymous(r.initials for r in report.respondents if r.anonymous)
    )


def _anonymous(initials: Iterable[str]) -> frozenset[str]:
    return frozenset(i.strip().upper() for i in initials)


__all__ = ["DEFAULT_THRESHOLD", "NPS", "OVERALL", "Disclosure", "decide"]
