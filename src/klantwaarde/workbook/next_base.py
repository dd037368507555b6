"""The base workbook of the next cycle: a copy of the current one with a new ``Periode`` and without
the finished actions.

The workbook is edited, not rebuilt, so that everything the account manager made — formatting,
column widths, notes, extra sheets and columns, dropdowns — carries over. openpyxl cannot keep a few
Excel extras (pictures, some extended validations); the untouched original is archived by the caller
before this runs.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl

from klantwaarde.baseformat import HEADERS, SETTINGS, SHEETS, normalise_name, setting_key
from klantwaarde.model import Location
from klantwaarde.problems import KwmError, problem
from klantwaarde.workbook.safe import atomic_save, set_text

HEADER_SEARCH_ROWS = 10


def write_next_base(source: Path, target: Path, *, period: str, drop_rows: Iterable[Location]) -> Path:
    """Load ``source``, set its ``Periode`` to ``period``, delete the rows in ``drop_rows`` (sheet
    and row of each finished action) and save the result atomically to ``target``."""
    with warnings.catch_warnings():
        # openpyxl warns about Excel extras it cannot keep; the archived original keeps them.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    try:
        set_text(period_cell(workbook, source.name), period)
        by_sheet: dict[str, set[int]] = {}
        for where in drop_rows:
            if where.sheet and where.row:
                by_sheet.setdefault(where.sheet, set()).add(where.row)
        for sheet_name, rows in by_sheet.items():
            if sheet_name not in workbook.sheetnames:
                continue
            sheet = workbook[sheet_name]
            for row in sorted(rows, reverse=True):  # bottom up, so the other row numbers stay valid
                _delete_row(sheet, row)
        atomic_save(workbook, target)
    finally:
        workbook.close()
    return target


def period_cell(workbook: Any, file_name: str) -> Any:
    """The cell holding the ``Periode`` value, found by the same names the base reader accepts."""
    sheet_names = {normalise_name(n) for n in SHEETS["settings"]}
    sheet = next((workbook[n] for n in workbook.sheetnames if normalise_name(n) in sheet_names), None)
    if sheet is None:
        raise KwmError([problem("sheet_missing", Location(file=file_name), expected=SHEETS["settings"][0])])
    value_names = {normalise_name(n) for h in HEADERS["settings"] if h.key == "value" for n in h.names}
    value_column: int | None = None
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, HEADER_SEARCH_ROWS)):
        value_column = next((c.column for c in row if normalise_name(c.value or "") in value_names), None)
        if value_column is not None:
            break
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and setting_key(cell.value) == "period":
                after = value_column is not None and value_column > cell.column
                return sheet.cell(row=cell.row, column=value_column if after else cell.column + 1)
    raise KwmError(
        [
            problem(
                "setting_missing", Location(file=file_name, sheet=sheet.title), setting=SETTINGS["period"][0]
            )
        ]
    )


def _delete_row(sheet: Any, row: int) -> None:
    # openpyxl moves the cells below up (values, styles, comments, hyperlinks); validations and
    # conditional formats keep their ranges, which in a list sheet cover the whole column anyway.
    sheet.delete_rows(row)
