"""Every use of openpyxl's private API, in one place (ARCHITECTURE.md, point 2).

kwm's writers lean on a few openpyxl internals for speed and for streaming. They work on the
versions in ``TESTED_OPENPYXL`` (the pin in ``pyproject.toml`` allows exactly these);
tests/test_compat.py fails when another version is installed, and names this file: review each
function below against that version's source, run the whole suite, then add the version here and
widen the pin.

What is used, and why:

- the style array of a cell (``cell._style``, ``StyleArray``): ``StyleCache`` writes the index of
  a known style straight into it, as openpyxl's own setters do after hashing the style object;
- merging (``ws._cells``, ``MergedCell``, ``MergedCellRange``): ``merge_cells`` repeats
  ``Worksheet.merge_cells`` step by step, registering the merged cells' styles once per range
  instead of once per cell;
- write-only sheets: the used range is announced through a ``calculate_dimension`` attribute
  (which openpyxl's sheet writer asks for before the first row), merged ranges are added to
  ``merged_cells`` (a write-only sheet has no ``merge_cells``), and the temporary file of each
  sheet stream (``ws._writer``, ``openpyxl.worksheet._writer.ALL_TEMP_FILES``) is removed when a
  workbook is not saved;
- the charts of a worksheet (``ws._charts``), which openpyxl offers no public way to list.

Two behaviours are relied on without naming a private attribute: a write-only sheet writes a
row's height (``row_dimensions``) when the row is appended, and its column widths, frozen pane and
page set-up ahead of the first row.
"""

from __future__ import annotations

import contextlib
import copy
from collections.abc import Callable, Iterable
from importlib.metadata import version
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet import _writer as sheet_writer
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange

# 3.1.2 writes the same workbooks but reads a data validation's allowBlank back as False (fixed in
# 3.1.3), so the suite, which reads what kwm writes with openpyxl, cannot vouch for it.
TESTED_OPENPYXL = ("3.1.3", "3.1.4", "3.1.5")


def openpyxl_version() -> str:
    return version("openpyxl")


def is_tested(installed: str | None = None) -> bool:
    return (installed or openpyxl_version()) in TESTED_OPENPYXL


# ---------------------------------------------------------------------------------------------
# The style array of a cell

# cell attribute -> its place in the cell's style array (StyleArray: fontId, fillId, borderId,
# numFmtId, protectionId, alignmentId, ...)
STYLE_POSITIONS = {"font": 0, "fill": 1, "border": 2, "number_format": 3, "protection": 4, "alignment": 5}


def style_ids(cell: Any, names: Iterable[str]) -> tuple[tuple[int, int], ...]:
    """(place, index) of each style attribute in ``names`` as ``cell``'s style array holds them."""
    style = cell._style
    return tuple((STYLE_POSITIONS[name], style[STYLE_POSITIONS[name]]) for name in names)


def set_style_ids(cell: Any, ids: tuple[tuple[int, int], ...]) -> None:
    """Write indexes the workbook already registered (from ``style_ids``) into ``cell``'s style
    array, in one step."""
    style = cell._style
    if not style:
        style = cell._style = StyleArray()
    for place, index in ids:
        style[place] = index


def style_id(cell: Any, field: str) -> int:
    """The index ``field`` (``fontId``, ``fillId``, ...) of ``cell``'s style array holds."""
    index: int = getattr(cell._style, field)
    return index


def set_style_id(cell: Any, field: str, index: int) -> None:
    """Point ``field`` of ``cell``'s style array at an index the workbook already registered."""
    if not cell._style:
        cell._style = StyleArray()
    setattr(cell._style, field, index)


# ---------------------------------------------------------------------------------------------
# Merging (ordinary worksheets)


def merge_cells(ws: Any, ref: str, protect: Callable[[Any, Any], None]) -> None:
    """``ws.merge_cells(ref)``, with the merged cells' protection set through ``protect(cell,
    protection)`` (a ``StyleCache``) and each border combination registered once per range.

    openpyxl gives every cell of a merged range a copy of the first cell's protection, registering
    the copy once per cell; a form has a dozen merged rows, which made merging a third of the time
    it takes to build one. The steps are openpyxl's own (``Worksheet.merge_cells``,
    ``MergedCellRange.format``), so the workbook is the same (tests/test_speedups.py checks it).
    """
    merged = MergedCellRange(ws, ref)  # takes over the last cell's right and bottom border
    ws.merged_cells.add(merged)
    cells = merged.cells
    next(cells)  # the first cell keeps its value and style
    for row, column in cells:
        ws._cells[row, column] = MergedCell(ws, row, column)
    start = merged.start_cell
    for name in ("top", "left", "right", "bottom"):
        side = getattr(start.border, name)
        if side and side.style is None:
            continue
        border = Border(**{name: side})
        combined: dict[int, int] = {}  # the cell's border index -> that border plus this side's
        for row, column in getattr(merged, name):
            cell = _merged_cell(ws, row, column)
            if not cell._style:
                cell._style = StyleArray()
            known = combined.get(cell._style.borderId)
            if known is None:
                before = cell._style.borderId
                cell.border += border
                combined[before] = cell._style.borderId
            else:
                cell._style.borderId = known
    protection = copy.copy(start.protection)
    for row, column in merged.cells:
        protect(_merged_cell(ws, row, column), protection)


def _merged_cell(ws: Any, row: int, column: int) -> Any:
    cell = ws._cells.get((row, column))
    if cell is None:
        cell = ws._cells[row, column] = MergedCell(ws, row=row, column=column)
    return cell


# ---------------------------------------------------------------------------------------------
# Write-only worksheets


def declare_dimension(ws: Any, ref: str) -> None:
    """Have openpyxl write ``ref`` as the used range at the top of a write-only sheet (without it,
    openpyxl's read-only mode parses the whole sheet to learn its size)."""
    ws.calculate_dimension = lambda: ref


def add_merged_range(ws: Any, min_row: int, min_col: int, max_row: int, max_col: int) -> None:
    """Merge a range of a write-only sheet (written after its rows, so it may come at any time)."""
    ws.merged_cells.add(CellRange(min_row=min_row, max_row=max_row, min_col=min_col, max_col=max_col))


def discard_streams(workbook: Any) -> None:
    """Close the streams of a write-only workbook that was not (fully) saved and remove their files.

    Saving does this itself; when saving is refused (the file is open in Excel) or fails, the
    sheets' temporary files would otherwise stay behind until the program ends.
    """
    for ws in workbook.worksheets:
        writer = getattr(ws, "_writer", None)
        if writer is None:
            continue
        # Best effort after a failure (a full disk fails here too): the file goes either way, and
        # the problem the user sees is the one that stopped the save.
        with contextlib.suppress(Exception):
            if not ws.closed:
                ws.close()
        if writer.out in sheet_writer.ALL_TEMP_FILES:
            sheet_writer.ALL_TEMP_FILES.remove(writer.out)
            Path(writer.out).unlink(missing_ok=True)


def open_stream_files() -> list[str]:
    """The temporary files of write-only sheet streams that still exist (tests: nothing is left)."""
    return [name for name in sheet_writer.ALL_TEMP_FILES if Path(name).exists()]


# ---------------------------------------------------------------------------------------------
# Reading back (tests)


def charts(ws: Any) -> list[Any]:
    """The charts of a worksheet, in the order they were added."""
    return list(ws._charts)


__all__ = [
    "STYLE_POSITIONS",
    "TESTED_OPENPYXL",
    "WriteOnlyWorksheet",
    "add_merged_range",
    "charts",
    "declare_dimension",
    "discard_streams",
    "is_tested",
    "merge_cells",
    "open_stream_files",
    "openpyxl_version",
    "set_style_id",
    "set_style_ids",
    "style_id",
    "style_ids",
]
