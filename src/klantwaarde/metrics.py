"""Cell references and text metrics: the one place kwm measures text and names columns.

Standard library only, like XlsxWriter's ``utility.py``: the readers (which name the cell of every
problem), the workbook writers (column widths, row heights) and the deck (text that must fit a
box) all use the same helpers, so one estimate of "how many lines does this text need" serves them
all.

Widths are in Excel's unit, the width of the digit ``0`` of the body font; glyph widths relative
to it are about the same for Calibri, Carlito and DejaVu Sans, so one estimate serves Excel and
LibreOffice.
"""

from __future__ import annotations

import functools
import re

_LETTERS = re.compile(r"^[A-Za-z]{1,3}$")


def column_letter(index: int) -> str:
    """1 -> ``A``, 27 -> ``AA`` (1-based, as spreadsheets count)."""
    if index < 1:
        raise ValueError(f"column index {index} is not 1 or more")
    letters = ""
    while index > 0:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """``A`` -> 1, ``AA`` -> 27 (any case)."""
    if not _LETTERS.match(letters):
        raise ValueError(f"{letters!r} is not a column name")
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - 64
    return index


def cell_ref(row: int, column: int) -> str:
    """(12, 5) -> ``E12`` (both 1-based)."""
    return f"{column_letter(column)}{row}"


def range_ref(first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """(1, 1, 9, 3) -> ``A1:C9``."""
    return f"{cell_ref(first_row, first_column)}:{cell_ref(last_row, last_column)}"


# ---------------------------------------------------------------------------------------------
# Text metrics

_NARROW = frozenset("iIjl.,:;'!|` ")
_SMALL = frozenset('ftr()[]{}-/"*')
_WIDE = frozenset("mwMW@%")


def glyph_width(ch: str) -> float:
    """The width of one character relative to the digit ``0``."""
    if ch in _NARROW:
        return 0.48
    if ch in _SMALL:
        return 0.66
    if ch in _WIDE:
        return 1.55
    if ch.isupper():
        return 1.12
    return 0.97


def text_width(text: str, bold: bool = False) -> float:
    """The width of a one-line text in column-width units."""
    return sum(glyph_width(ch) for ch in text) * (1.08 if bold else 1.0)


@functools.lru_cache(maxsize=4096)  # long tables measure the same texts again and again
def text_lines(text: str, width: float, bold: bool = False, size: float = 11.0) -> int:
    """Lines a wrapped text needs in a column ``width`` units wide, set in ``size`` points (the
    column unit is the width of ``0`` at 11 pt): greedy word wrap, a word longer than the column
    broken over several lines, every line break honoured."""
    usable = max(width - 0.8, 2.0) * 11.0 / size
    scale = 1.08 if bold else 1.0
    space = glyph_width(" ") * scale
    total = 0
    for paragraph in (text or "").split("\n"):
        lines, current = 1, 0.0
        for word in paragraph.split(" "):
            length = sum(glyph_width(ch) for ch in word) * scale
            if current and current + space + length <= usable:
                current += space + length
                continue
            if current:
                lines += 1
            extra = int(length // usable) if length > usable else 0
            lines += extra
            current = length - extra * usable
        total += lines
    return max(total, 1)


def line_height(size: float = 11.0) -> float:
    """The height in points of one line of ``size``-point text, with room for fonts wider than
    Calibri (Excel's own default row is 15 pt for 11 pt text)."""
    return round(size * 15.0 / 11.0, 2)


def text_height(
    text: str, width: float, *, bold: bool = False, size: float = 11.0, padding: float = 3.0
) -> float:
    """Row height (points) that shows all of a wrapped text in a column ``width`` units wide."""
    return text_lines(text, width, bold, size) * line_height(size) + padding
