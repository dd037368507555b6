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

from typing import Any

from klantwaarde.workbook import compat

# cell attribute -> the field of the cell's style array that holds the index of its value
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
            self._indexes[key] = (value, compat.style_id(cell, field))
            return
        compat.set_style_id(cell, field, known[1])


def merge_cells(ws: Any, ref: str, cache: StyleCache) -> None:
    """``ws.merge_cells(ref)``, with the merged cells' protection set through ``cache`` (see
    ``compat.merge_cells``; tests/test_speedups.py checks the workbook is the same)."""
    compat.merge_cells(ws, ref, lambda cell, protection: cache.set(cell, "protection", protection))
