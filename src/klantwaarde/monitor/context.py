"""What every sheet builder of a workbook reads: the report, the texts, the sheet names, the
disclosure decision and the workbook's style cache."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from klantwaarde.disclosure import Disclosure
from klantwaarde.report import MonitorReport
from klantwaarde.texts import Texts
from klantwaarde.workbook.safe import cell_text
from klantwaarde.workbook.style_cache import StyleCache


@dataclass
class Context:
    """One workbook being written. ``report`` is the *published* report (``publish.published``):
    everything the disclosure decision withholds is already out of it. ``disclosure`` says why a
    figure is empty (withheld, with the footnote, or simply not there); builders never look at a
    respondent's ``anonymous`` flag."""

    report: MonitorReport
    texts: Texts
    names: dict[str, str]  # sheet key -> sheet name
    scrub: Callable[[str], str]  # anonymous respondents' identities out of a text
    disclosure: Disclosure
    styles: StyleCache = field(default_factory=StyleCache)  # one per workbook
    intake: Intake | None = None  # the internal workbook's inputs (files read, history used)
    page_header: str | None = None  # the centre of every page header, when not the monitor's own

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

    @property
    def dash(self) -> str:
        """What a withheld figure shows (with ``footnote`` below its table)."""
        return self.texts("disclosure.dash")

    @property
    def footnote(self) -> str:
        return f"{self.dash} {self.texts('disclosure.footnote')}"

    def value(self, figure: object, shown: bool) -> object:
        """A figure as a cell shows it: the value, or the dash when it is withheld."""
        return figure if shown else self.dash

    def person(self, initials: str | None) -> str:
        """``Name (XX)`` of a respondent the published report names, else the dash."""
        if initials is None:
            return self.dash
        found = next((r for r in self.report.respondents if r.initials == initials), None)
        return label(found.name, found.initials) if found else initials


@dataclass(frozen=True)
class Intake:
    """What the internal workbook lists besides the report: every entry read, the history used."""

    files: Sequence[Any] = ()  # pipeline.collect.FileOutcome, anonymous respondents' ones masked
    history: Sequence[Any] = ()  # pipeline.history.HistorySource
    anonymous_files: frozenset[str] = frozenset()  # names of files that belong to an anonymous respondent
    mails: Sequence[Any] = ()  # mails read (sender, date), when mails were in the answers folder


clean = cell_text  # text a cell can hold (workbook/safe.py)


def label(name: str, initials: str) -> str:
    return f"{name} ({initials})" if name else initials
