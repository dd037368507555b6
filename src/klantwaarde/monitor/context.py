"""What every sheet builder of a workbook reads: the report, the texts, the sheet names, the
disclosure decision and the workbook's style cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from klantwaarde.disclosure import Disclosure
from klantwaarde.report import MonitorReport, Remark, RespondentResult
from klantwaarde.texts import Texts
from klantwaarde.workbook.style_cache import StyleCache

MAX_CELL_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell


@dataclass
class Context:
    """One workbook being written. ``disclosure`` is the one answer to "may this respondent's own
    detail be shown here"; builders ask it, never a respondent's ``anonymous`` flag."""

    report: MonitorReport
    texts: Texts
    names: dict[str, str]  # sheet key -> sheet name
    scrub: Callable[[str], str]  # anonymous respondents' identities out of a text
    disclosure: Disclosure
    styles: StyleCache = field(default_factory=StyleCache)  # one per workbook

    @property
    def lang(self) -> str:
        return self.texts.lang

    def t(self, key: str, **values: Any) -> str:
        return self.texts(f"monitor.{key}", **values)

    def col(self, key: str) -> str:
        return self.texts(f"monitor.columns.{key}")

    def date_text(self, value: date) -> str:
        return value.strftime("%d-%m-%Y" if self.lang == "nl" else "%Y-%m-%d")

    def yes_no(self, value: bool) -> str:
        return self.t("yes" if value else "no")

    def shown(self, scope: str) -> list[RespondentResult]:
        """Respondents who returned a form and whose own details in ``scope`` may be shown, in base
        order."""
        return [
            r
            for r in self.report.respondents
            if r.returned and self.disclosure.detail_shown(r.initials, scope)
        ]

    def respondent_text(self, initials: str | None, scope: str) -> str:
        """The respondent column of a row holding one answer: their initials where their detail in
        ``scope`` may be shown, else the word for anonymous."""
        if initials is not None and self.disclosure.detail_shown(initials, scope):
            return initials
        return self.t("anonymous")

    def remark_author(self, remark: Remark) -> str:
        """Who wrote a remark, where that may be shown; else the word for anonymous."""
        if remark.respondent is not None and self.disclosure.remark_author_shown(
            self._initials(remark.respondent)
        ):
            return remark.respondent
        return self.t("anonymous")

    def _initials(self, label: str) -> str:
        """The initials behind a remark's author label (the report names authors by their label)."""
        for person in self.report.base.respondents:
            if person.label == label:
                return person.initials
        return label  # a respondent the base lacks is labelled by their initials


def clean(text: str) -> str:
    """Text a cell can hold: no XML-illegal control characters, not longer than Excel allows."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", text)
    return cleaned[:MAX_CELL_TEXT]


def label(name: str, initials: str) -> str:
    return f"{name} ({initials})" if name else initials
