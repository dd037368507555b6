"""Fast style assignment for workbooks with many styled cells (questionnaires, the monitor).

Setting ``cell.font = font`` makes openpyxl look the font up in the workbook's font list, which
hashes every attribute of the font (and of its colour) on every assignment; with a few styles per
cell this is most of the time it takes to build a questionnaire or a monitor. ``StyleCache``
remembers, per style object, the index openpyxl gave it in *this* workbook and writes that index
straight into the cell's style array, exactly as openpyxl's own setter does after its lookup. The
result is the same workbook, byte for byte.

One cache per workbook: the indexes mean nothing in another workbook. Objects are keyed by
identity and kept alive by the cache, so an id cannot be reused for another object while the cache
lives; share style objects (module constants, ``functools.cache`` factories) to profit from it.
"""

from __future__ import annotations

import copy
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.styles.borders import Border
from openpyxl.styles.cell_style import StyleArray
from openpyxl.worksheet.merge import MergedCellRange

# cell attribute -> the field of openpyxl's StyleArray that holds the index of its value
_FIELDS = {
    "font": "fontId",
    "fill": "fillId",
    "border": "borderId",
    "alignment": "alignmentId",
    "protection": "protectionId",
}


class StyleCache:
    """Sets style attributes on cells of one workbook, registering each style object once."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[str, int], tuple[object, int]] = {}

    def set(self, cell: Any, name: str, value: Any) -> None:
        """``setattr(cell, name, value)``, quicker for the styles in ``_FIELDS``."""
        field = _FIELDS.get(name)
        if field is None or value is None:
            setattr(cell, name, value)
            return
        key = (name, id(value))
        known = self._indexes.get(key)
        if known is None:
            setattr(cell, name, value)  # openpyxl registers it in the workbook
            self._indexes[key] = (value, getattr(cell._style, field))
            return
        if not cell._style:
            cell._style = StyleArray()
        setattr(cell._style, field, known[1])


def merge_cells(ws: Any, ref: str, cache: StyleCache) -> None:
    """``ws.merge_cells(ref)``, with the merged cells' protection set through ``cache``.

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
        cache.set(_merged_cell(ws, row, column), "protection", protection)


def _merged_cell(ws: Any, row: int, column: int) -> Any:
    cell = ws._cells.get((row, column))
    if cell is None:
        cell = ws._cells[row, column] = MergedCell(ws, row=row, column=column)
    return cell
