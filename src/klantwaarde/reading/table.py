"""Sheets as tables: the base's sheets found by name, the header row of each, its columns and its
data rows, with a near-miss suggestion for every name that is almost right. Standard library only.

``Reader`` collects the problems of one reading, each with the file, sheet, row and column letter
users rely on; the sheet modules beside this one add theirs to it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from klantwaarde import normalise
from klantwaarde.baseformat import HEADER_SCAN_ROWS, HEADERS, REQUIRED_SHEETS, SHEETS, Header, sheet_key
from klantwaarde.metrics import column_letter
from klantwaarde.model import Location
from klantwaarde.normalise import normalise_name
from klantwaarde.problems import Problem, problem
from klantwaarde.sheetdata import SheetRows

Row = tuple[object, ...]


def letter(index: int) -> str:
    """0-based column index (a position in a row) -> column letter."""
    return column_letter(index + 1)


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``word`` (compared as names), or None."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(normalise_name(candidate), candidate)
    by_key.pop("", None)
    found = difflib.get_close_matches(normalise_name(word), list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


@dataclass
class Table:
    """One sheet read as a table below its header row."""

    key: str  # the sheet's key in the format ("questions")
    name: str  # the sheet name as found in the workbook
    header_row: int  # 1-based
    columns: dict[str, int]  # header key -> 0-based column index
    others: dict[int, str]  # unrecognised, non-empty header cells: index -> text
    rows: list[tuple[int, Row]] = field(default_factory=list)  # (row number, values) below the header
    sheet: SheetRows | None = None  # the facts about its cells (hidden rows, errors, links)

    def get(self, values: Sequence[object], key: str) -> object:
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def letter(self, key: str) -> str | None:
        index = self.columns.get(key)
        return letter(index) if index is not None else None


class Reader:
    """The problems of reading one base, and the language its names are in."""

    def __init__(self, file: str):
        self.file = file
        self.problems: list[Problem] = []
        self.english = False

    def at(self, sheet: str | None, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, sheet, row, column)

    def add(self, code: str, location: Location, /, **context: object) -> None:
        self.problems.append(problem(code, location, **context))

    def display(self, names: tuple[str, ...]) -> str:
        """The name to show for something missing, in the language the workbook uses."""
        return names[1] if self.english and len(names) > 1 else names[0]

    # -- sheets ----------------------------------------------------------------------------

    def find_sheets(self, sheet_names: Sequence[str]) -> dict[str, str]:
        """Sheet key -> the first sheet of that name; a missing required sheet (or a near miss of
        an optional one) is a problem."""
        found: dict[str, str] = {}
        for name in sheet_names:
            key = sheet_key(name)
            if key and key not in found:
                found[key] = name
                if normalise_name(name) == normalise_name(SHEETS[key][1]) != normalise_name(SHEETS[key][0]):
                    self.english = True
        unmatched = [n for n in sheet_names if n not in found.values()]
        for key, names in SHEETS.items():
            if key in found:
                continue
            expected = self.display(names)
            near = suggest(expected, unmatched) or next(
                (s for s in (suggest(n, unmatched) for n in names) if s), None
            )
            if key in REQUIRED_SHEETS:
                self.add("sheet_missing", self.at(expected), expected=expected, suggestion=near or "")
            elif near:
                self.add("sheet_ignored", self.at(near), name=near, expected=expected, suggestion=expected)
        return found

    def table(self, key: str, sheet: SheetRows) -> Table | None:
        """Find the header row in the first rows and map the columns; None when required ones lack."""
        rows = sheet.rows
        specs = HEADERS[key]
        lookup = {normalise_name(name): spec.key for spec in specs for name in spec.names}
        best_row, best_count = -1, 0
        for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
            count = len(
                {lookup[k] for k in (normalise_name(normalise.text(v)) for v in values) if k in lookup}
            )
            if count > best_count:
                best_row, best_count = index, count
        if best_row < 0:
            best_row = next(
                (i for i, values in enumerate(rows) if not all(map(normalise.is_empty, values))), 0
            )
        header = rows[best_row] if rows else ()
        columns: dict[str, int] = {}
        others: dict[int, str] = {}
        for index, value in enumerate(header):
            text = normalise.text(value)
            if not text:
                continue
            spec_key = lookup.get(normalise_name(text))
            if spec_key and spec_key not in columns:
                columns[spec_key] = index
            else:
                others[index] = text
        header_row = best_row + 1
        complete = True
        for spec in specs:
            if spec.key in columns:
                continue
            expected = self.display(spec.names)
            near_index = _near_header(spec, others, columns)
            if spec.required:
                complete = False
                self.add(
                    "header_missing",
                    self.at(sheet.name, header_row, letter(near_index) if near_index is not None else None),
                    header=expected,
                    suggestion=others[near_index] if near_index is not None else "",
                )
            elif near_index is not None:
                self.add(
                    "column_ignored",
                    self.at(sheet.name, header_row, letter(near_index)),
                    header=others[near_index],
                    expected=expected,
                    suggestion=expected,
                )
        if not complete:
            return None
        data = [(header_row + 1 + i, values) for i, values in enumerate(rows[best_row + 1 :])]
        return Table(key, sheet.name, header_row, columns, others, data, sheet)

    def data_rows(self, table: Table, keys: Iterable[str]) -> list[tuple[int, Row]]:
        """Rows with anything in the recognised columns; blank rows are skipped."""
        wanted = [table.columns[k] for k in keys if k in table.columns]
        return [
            (number, values)
            for number, values in table.rows
            if any(i < len(values) and not normalise.is_empty(values[i]) for i in wanted)
        ]


def _near_header(spec: Header, others: Mapping[int, str], columns: Mapping[str, int]) -> int | None:
    # Only headers left of the matrix compete (initials in Vragen are not near-miss headers).
    last_fixed = max(columns.values(), default=-1)
    candidates = {i: t for i, t in others.items() if len(normalise_name(t)) > 2 or i < last_fixed}
    for name in spec.names:
        near = suggest(name, candidates.values(), cutoff=0.75)
        if near:
            return next(i for i, t in candidates.items() if t == near)
    return None
