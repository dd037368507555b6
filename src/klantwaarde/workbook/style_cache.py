"""Styles (``workbook.styles``, plain data) made into openpyxl objects, and set on cells quickly.

The converters (``font``, ``fill``, ``side``, ``border``, ``alignment``, ``protection``) turn a
style of ``styles.py`` into the openpyxl object once: equal styles give the same object.

Setting ``cell.font = font`` makes openpyxl look the font up in the workbook's font list, which
hashes every attribute of the font (and of its colour) on every assignment; with a few styles per
cell this is most of the time it takes to build a questionnaire or a monitor. ``StyleCache``
remembers, per style object (a cell style of ``styles.py``, or one openpyxl object), the indexes
openpyxl gave it in *this* workbook and writes them straight into the cell's style array
(``compat.set_style_ids``), exactly as openpyxl's own setters do after their lookup. The result is
the same workbook, byte for byte (tests/test_speedups.py).

One cache per workbook: the indexes mean nothing in another workbook. Objects are keyed by
identity and kept alive by the cache, so an id cannot be reused for another object while the cache
lives; the styles of ``styles.py`` are module constants or cached, so every cell shares them.
"""

from __future__ import annotations

import functools
from typing import Any

from openpyxl import styles as xl

from klantwaarde.workbook import compat, styles

# cell attribute -> the field of the cell's style array that holds the index of its value
_FIELDS = {
    "font": "fontId",
    "fill": "fillId",
    "border": "borderId",
    "alignment": "alignmentId",
    "protection": "protectionId",
}


# ---------------------------------------------------------------------------------------------
# Converters: one openpyxl object per style value


@functools.cache
def font(spec: styles.Font) -> xl.Font:
    return xl.Font(
        name=spec.name,
        size=spec.size,
        bold=True if spec.bold else None,
        italic=True if spec.italic else None,
        color=spec.colour,
    )


@functools.cache
def fill(spec: styles.Fill) -> xl.PatternFill:
    return xl.PatternFill("solid", start_color=spec.colour, end_color=spec.colour)


@functools.cache
def side(spec: styles.Side) -> xl.Side:
    return xl.Side(style=spec.style, color=spec.colour)


@functools.cache
def border(spec: styles.Border) -> xl.Border:
    def one(part: styles.Side | None) -> xl.Side | None:
        return None if part is None else side(part)

    return xl.Border(left=one(spec.left), right=one(spec.right), top=one(spec.top), bottom=one(spec.bottom))


@functools.cache
def alignment(spec: styles.Align) -> xl.Alignment:
    return xl.Alignment(
        horizontal=spec.horizontal,
        vertical=spec.vertical,
        wrap_text=True if spec.wrap else None,
        indent=spec.indent,
    )


@functools.cache
def protection(locked: bool) -> xl.Protection:
    return xl.Protection(locked=locked)


@functools.cache
def parts(style: styles.Style) -> tuple[tuple[str, Any], ...]:
    """(cell attribute, openpyxl object) of each part of a cell style but its number format, in
    the order they are set."""
    parts: list[tuple[str, Any]] = []
    if style.font is not None:
        parts.append(("font", font(style.font)))
    if style.fill is not None:
        parts.append(("fill", fill(style.fill)))
    if style.align is not None:
        parts.append(("alignment", alignment(style.align)))
    if style.border is not None:
        parts.append(("border", border(style.border)))
    if style.locked is not None:
        parts.append(("protection", protection(style.locked)))
    return tuple(parts)


# ---------------------------------------------------------------------------------------------


class StyleCache:
    """Sets styles on cells of one workbook, registering each style object once."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[str, int], tuple[object, int]] = {}
        self._styles: dict[int, tuple[styles.Style, tuple[tuple[int, int], ...]]] = {}

    def apply(self, cell: Any, style: styles.Style) -> Any:
        """Give ``cell`` every part ``style`` names (the others stay as they are); returns the cell.

        The first cell of a style gets its parts through openpyxl's setters, which register them
        in the workbook; every later one gets the same indexes in one step."""
        known = self._styles.get(id(style))
        if known is not None:
            compat.set_style_ids(cell, known[1])
            return cell
        names = []
        for name, value in parts(style):
            self.set(cell, name, value)
            names.append(name)
        if style.number_format is not None:
            cell.number_format = style.number_format
            names.append("number_format")
        self._styles[id(style)] = (style, compat.style_ids(cell, names))
        return cell

    def add_sides(self, cell: Any, **sides: styles.Side) -> None:
        """Replace some sides of ``cell``'s border (``top=``, ``bottom=``...), keeping the others."""
        old = cell.border
        parts = {name: getattr(old, name) for name in ("left", "right", "top", "bottom")}
        parts.update({name: side(spec) for name, spec in sides.items()})
        cell.border = xl.Border(**parts)

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
    compat.merge_cells(ws, ref, lambda cell, value: cache.set(cell, "protection", value))
