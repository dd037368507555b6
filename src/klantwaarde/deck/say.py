"""How the deck writes numbers, dates and changes in its language: ``7,47`` and ``± 0,42`` in Dutch.

``Say`` is the deck's one way to turn figures into text (the dash of SPEC 3.5 for a figure that is
not shown, the monitor's own footnote beside it); the small helpers join detail lines and read the
settings' dates. Standard library only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from klantwaarde.report import Change, Trend, TrendLine

if TYPE_CHECKING:  # only read
    from klantwaarde.texts import Texts


class Say:
    """Texts and numbers as the deck's language writes them: ``7,47`` and ``± 0,42`` in Dutch."""

    def __init__(self, texts: Texts):
        self.texts = texts
        self.separator = texts("deck.decimal_separator")
        self.dash = texts("disclosure.dash")

    def __call__(self, key: str, **values: object) -> str:
        return self.texts(f"deck.{key}", **values)

    def number(self, value: float | None, digits: int = 2) -> str:
        if value is None:
            return self.dash
        return f"{value:.{digits}f}".replace(".", self.separator)

    def signed(self, value: float, digits: int = 2) -> str:
        """``+0,82``, ``-0,10``; ``0,00`` for no change."""
        rounded = round(value, digits)
        if rounded == 0:
            return self.number(0.0, digits)
        return ("+" if rounded > 0 else "-") + self.number(abs(value), digits)

    def nps(self, value: float | None) -> str:
        if value is None:
            return self.dash
        whole = round(value)
        return f"+{whole}" if whole > 0 else str(whole)

    def swing(self, value: float | None, digits: int = 2) -> str:
        """``± 0,42``; empty when there is no swing (fewer than two contributors)."""
        return self("swing", swing=self.number(value, digits)) if value is not None else ""

    def date(self, value: dt.date) -> str:
        months = self.texts.raw("deck.months")
        return self("date", day=value.day, month=months[value.month - 1], year=value.year)

    def short_date(self, value: dt.date | None) -> str:
        if value is None:
            return ""
        return value.strftime("%d-%m-%Y" if self.texts.lang == "nl" else "%Y-%m-%d")

    def change(self, change: Change | None, before: str, digits: int = 2, nps: bool = False) -> str:
        """``▲ +0,82 t.o.v. 2010H2`` (``≈`` within the noise, SPEC 2.1); empty without a change."""
        if change is None:
            return ""
        delta = self.nps(change.delta) if nps else self.signed(change.delta, digits)
        return self("change", mark=change.mark, delta=delta, period=before)

    @property
    def footnote(self) -> str:
        """The monitor's own footnote beside a dash (SPEC 3.5)."""
        return f"{self.dash} {self.texts('disclosure.footnote')}"


def iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def whole(value: float | None) -> int:
    return int(value) if value is not None else 0


def joined(parts: Sequence[str]) -> str:
    return " · ".join(p for p in parts if p)


def one_line(text: str) -> str:
    return " ".join(text.split())


def measured_from(trend: Trend, line: TrendLine) -> str:
    """The period a change is measured from: the latest earlier one with a value."""
    measured = [i for i, value in enumerate(line.values) if value is not None]
    return trend.periods[measured[-2]] if len(measured) >= 2 else ""
