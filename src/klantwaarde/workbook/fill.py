"""Fill a generated questionnaire the way a respondent would, through the fill contract only.

For tests, the demo example and the benchmarks: the sheet is found by its contract name, the
columns by the contract headers and the rows by their ``Sleutel`` key, never by fixed cell
addresses, so whatever the layout of the form becomes, a filled form stays a faithful stand-in for
one that came back from a respondent. Values are written exactly as given (``7``, ``"7,0"``,
``11``, ``"zeven"``), so tests can also fill in what a careless respondent might.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.packaging.custom import CustomPropertyList

from klantwaarde import contract
from klantwaarde.workbook.safe import atomic_save, set_text

HEADER_SEARCH_ROWS = 100


class FillContractError(ValueError):
    """The workbook does not follow the fill contract (no sheet, header row or key)."""


def fill_form(
    path: Path,
    out: Path,
    answers: Mapping[str, tuple[object, object]],
    *,
    nps: object = None,
    anonymous: object = None,
    remark: object = None,
    drop_identity: bool = False,
) -> Path:
    """Copy the form at ``path`` to ``out`` with answers filled in, and return ``out``.

    ``answers`` maps a question number to ``(grade, relevance)``. A grade of None leaves the
    Cijfer cell as it is; a relevance of None leaves Relevantie as it is, ``""`` clears it.
    ``nps``, ``anonymous`` and ``remark`` of None leave their cells as they are. With
    ``drop_identity`` the ``_kwm`` sheet and the ``kwm_`` document properties are removed, as if
    a program had lost them, so that the title-block fallback can be tested.
    """
    workbook = load_workbook(path)
    sheet = contract_sheet(workbook)
    header_row, columns = contract_columns(sheet)
    rows = keyed_rows(sheet, header_row, columns["key"])

    def row_of(key: str) -> int:
        if key not in rows:
            raise FillContractError(f"{path.name}: no row with key {key!r} (keys: {', '.join(rows)})")
        return rows[key]

    for number, (grade, relevance) in answers.items():
        row = row_of(number)
        if grade is not None:
            _write(sheet.cell(row=row, column=columns["grade"]), grade)
        if relevance is not None:
            _write(sheet.cell(row=row, column=columns["relevance"]), None if relevance == "" else relevance)
    for key, value in (
        (contract.KEY_NPS, nps),
        (contract.KEY_ANONYMOUS, anonymous),
        (contract.KEY_REMARK, remark),
    ):
        if value is not None:
            _write(sheet.cell(row=row_of(key), column=columns["grade"]), value)

    if drop_identity:
        if contract.IDENTITY_SHEET in workbook.sheetnames:
            del workbook[contract.IDENTITY_SHEET]
        kept = [p for p in workbook.custom_doc_props if not p.name.startswith(contract.PROPERTY_PREFIX)]
        workbook.custom_doc_props = CustomPropertyList()
        for prop in kept:
            workbook.custom_doc_props.append(prop)
    return atomic_save(workbook, out)


def contract_sheet(workbook: Any) -> Any:
    for name in contract.QUESTIONNAIRE_SHEET.values():
        if name in workbook.sheetnames:
            return workbook[name]
    raise FillContractError(f"no sheet named {' or '.join(contract.QUESTIONNAIRE_SHEET.values())}")


def contract_columns(sheet: Any) -> tuple[int, dict[str, int]]:
    """The header row and, per logical column (``key``, ``number``, ...), its column index."""
    names = {name: key for key, both in contract.HEADERS.items() for name in both}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, HEADER_SEARCH_ROWS)):
        found: dict[str, int] = {}
        for cell in row:
            if isinstance(cell.value, str) and cell.value.strip() in names:
                found.setdefault(names[cell.value.strip()], cell.column)
        if len(found) == len(contract.HEADERS):
            return row[0].row, found
    raise FillContractError(f"no header row with {', '.join(h[0] for h in contract.HEADERS.values())}")


def keyed_rows(sheet: Any, header_row: int, key_column: int) -> dict[str, int]:
    """Key (``1.02``, ``nps``, ...) -> row, for every row below the header with a key."""
    rows: dict[str, int] = {}
    for (cell,) in sheet.iter_rows(min_row=header_row + 1, min_col=key_column, max_col=key_column):
        if cell.value is not None and str(cell.value).strip():
            rows.setdefault(str(cell.value).strip(), cell.row)
    return rows


def _write(cell: Any, value: object) -> None:
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value
