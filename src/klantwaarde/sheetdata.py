"""A workbook as plain rows: what ``workbook/rows.py`` makes of a file and ``reading/`` (the base),
``workbook/returned.py`` (forms) and ``workbook/history.py`` (a monitor's ``_data``) read.
Standard library only, so validation can be tested with rows typed inline, without any file.

Positions are implied: ``rows[0]`` is row 1 and ``rows[0][0]`` column A, so the value of cell
(row, column) is ``rows[row - 1][column - 1]``. Rows may be shorter than others (a missing value is
blank). A blank cell is ``None``; a cell showing an error value holds its text (``#N/A``), as the
spreadsheet shows it; a formula saved without its result holds ``None`` and is listed in
``formulas_without_value``. Which rows, columns and sheets are hidden, and which formulas read
another workbook or a DDE channel, are recorded as facts; judging them is up to the reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Cell = tuple[int, int]  # (row, column), both 1-based
Span = tuple[int, int]  # (first, last), both 1-based and inclusive


def _within(spans: Sequence[Span], index: int) -> bool:
    return any(first <= index <= last for first, last in spans)


@dataclass(frozen=True)
class SheetRows:
    """One sheet: its values from A1 and the facts about its cells."""

    name: str
    rows: tuple[tuple[object, ...], ...] = ()
    state: str = "visible"  # "visible", "hidden" or "veryHidden"
    kind: str = "worksheet"  # or "chartsheet", "dialogsheet", "macrosheet" (listed without rows)
    hidden_rows: tuple[Span, ...] = ()
    hidden_columns: tuple[Span, ...] = ()
    # Cells showing an error value ("#N/A"; ``rows`` holds the same text).
    errors: Mapping[Cell, str] = field(default_factory=dict)
    # Formulas saved without their result ("=A1*2"; ``rows`` holds None): a program that does not
    # calculate wrote them, and what Excel would show is unknown.
    formulas_without_value: Mapping[Cell, str] = field(default_factory=dict)
    # Formulas reading another workbook or a DDE channel ("=[1]Blad1!A1", "=cmd|'/c calc'!A0").
    external_links: Mapping[Cell, str] = field(default_factory=dict)

    def value(self, row: int, column: int) -> object:
        """The value of the cell (1-based); None outside the rows."""
        if row < 1 or column < 1 or row > len(self.rows):
            return None
        values = self.rows[row - 1]
        return values[column - 1] if column <= len(values) else None

    @property
    def hidden(self) -> bool:
        return self.state != "visible"

    def row_hidden(self, row: int) -> bool:
        return _within(self.hidden_rows, row)

    def column_hidden(self, column: int) -> bool:
        return _within(self.hidden_columns, column)


@dataclass(frozen=True)
class WorkbookRows:
    """Every sheet of one workbook, in workbook order; ``file`` is the name locations show."""

    file: str
    sheets: tuple[SheetRows, ...] = ()

    @property
    def names(self) -> list[str]:
        return [sheet.name for sheet in self.sheets]

    def sheet(self, name: str) -> SheetRows | None:
        """The first sheet of that exact name."""
        return next((sheet for sheet in self.sheets if sheet.name == name), None)

    @classmethod
    def of(cls, file: str, sheets: Mapping[str, Sequence[Sequence[object]]]) -> WorkbookRows:
        """Rows typed inline: ``WorkbookRows.of("basis.xlsx", {"Vragen": [["KWI", "Nr"], ...]})``."""
        return cls(
            file, tuple(SheetRows(name, tuple(tuple(row) for row in rows)) for name, rows in sheets.items())
        )
