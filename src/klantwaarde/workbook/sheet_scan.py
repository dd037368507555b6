"""What each sheet of an untrusted workbook spans, read *before* python-calamine parses it.

calamine stores a sheet as a dense grid from its first to its last used cell. Two filled cells far
apart (A1 and XFD1048576: a file of a few kB) make it allocate billions of cells, which aborts the
whole process; that cannot be caught. So every sheet is scanned first with a streaming, bounded
parser (defusedxml for .xlsx/.ods, a small compound-file and BIFF record walk for .xls), and a
sheet whose used area is too large is refused before calamine sees it.

The same pass records the cells holding an error value (``#N/A``) or a formula without a stored
result (calamine reads both as blank, which would make a broken grade look unanswered), formulas
that read another workbook or a DDE channel, and which rows and columns are hidden: facts
``workbook/rows.py`` passes on with the values (see ``sheetdata.py``).

A scan that cannot understand the file raises; the caller refuses the file, since a parser that
is more lenient than this scan might still read what the scan could not check.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.parsers import expat

import defusedxml.ElementTree as SafeET

from klantwaarde.metrics import column_index

MAX_ERRORS = 10_000  # error cells remembered per sheet (a form has a few dozen answer cells)
MAX_SPANS = 10_000  # hidden row and column spans remembered per sheet

Cell = tuple[int, int]
Span = tuple[int, int]

_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"


@dataclass
class SheetScan:
    """The used area of one sheet (cells holding a value), 1-based, and what the scan noticed."""

    first_row: int = 0
    last_row: int = 0
    first_column: int = 0
    last_column: int = 0
    # The text to show instead of blank: an error value ("#N/A") or a formula without a stored
    # result ("=NA()"); the cells of the latter are also in ``no_value``.
    errors: dict[Cell, str] = field(default_factory=dict)
    no_value: set[Cell] = field(default_factory=set)
    external: dict[Cell, str] = field(default_factory=dict)  # formulas reading another file / DDE
    hidden_rows: list[Span] = field(default_factory=list)
    hidden_columns: list[Span] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1 if self.last_row else 0

    @property
    def columns(self) -> int:
        return self.last_column - self.first_column + 1 if self.last_column else 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns

    def add(self, first_row: int, first_column: int, last_row: int = 0, last_column: int = 0) -> None:
        last_row, last_column = max(last_row, first_row), max(last_column, first_column)
        if not self.last_row:
            self.first_row, self.first_column = first_row, first_column
            self.last_row, self.last_column = last_row, last_column
            return
        self.first_row = min(self.first_row, first_row)
        self.first_column = min(self.first_column, first_column)
        self.last_row = max(self.last_row, last_row)
        self.last_column = max(self.last_column, last_column)

    def error(self, row: int, column: int, text: str, *, formula: bool = False) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors[(row, column)] = text
            if formula:
                self.no_value.add((row, column))

    def link(self, row: int, column: int, formula: str) -> None:
        if len(self.external) < MAX_ERRORS:
            self.external[(row, column)] = formula

    def hide_rows(self, first: int, last: int) -> None:
        _hide(self.hidden_rows, first, last)

    def hide_columns(self, first: int, last: int) -> None:
        _hide(self.hidden_columns, first, last)


def _hide(spans: list[Span], first: int, last: int) -> None:
    """Add the span, joined to the last one when it follows on (rows and columns come in order)."""
    if first < 1 or last < first:
        return
    if spans and spans[-1][0] <= first <= spans[-1][1] + 1:
        spans[-1] = (spans[-1][0], max(spans[-1][1], last))
    elif len(spans) < MAX_SPANS:
        spans.append((first, last))


# Strings in a formula are left out first: "[1]" or "|" inside quotes is text, not a link.
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_EXTERNAL = re.compile(
    r"\[\d+\]"  # Excel: another workbook by its index, [1]Blad1!A1
    r"|\[[^\[\]]+\.[A-Za-z]{3,4}\]"  # Excel: by its name, 'C:\map\[Boek.xlsx]Blad1'!A1
    r"|\|"  # Excel: DDE, cmd|' /c calc'!A0
    r"|'[^']*'#"  # OpenDocument: ['file:///map/boek.ods'#$Blad1.A1]
    r"|\bDDE\s*\(",  # OpenDocument: DDE("soffice";"boek.ods";"A1")
    re.IGNORECASE,
)


def is_external(formula: str) -> bool:
    """Whether the formula reads another workbook or a DDE channel."""
    return _EXTERNAL.search(_STRING_LITERAL.sub("", formula)) is not None


# ---------------------------------------------------------------------------------------------
# .xlsx / .xlsm


def scan_ooxml(
    archive: zipfile.ZipFile,
    sheet_targets: Sequence[tuple[str, str]],
    only: Collection[str] | None = None,
    extent_only: bool = False,
) -> dict[str, SheetScan]:
    """Every zip entry a reader could take for a worksheet: each name a relationship target of
    ``xl/workbook.xml`` (``(sheet, target)`` pairs, duplicates kept) may resolve to, however a
    reader resolves it, and every entry under ``xl/worksheets/``. Entries are scanned one by one,
    so a duplicated name cannot hide one.

    With ``only``, just the entries the targets of those sheets may resolve to: a reader that
    opens only those sheets (calamine parses a sheet when it is asked for) reads nothing else.

    With ``extent_only``, a sheet's used area may come from ``scan_extent`` (no errors, hidden rows
    or links recorded): for readers that want the values alone, such as kwm's own ``_data``."""
    by_part: dict[str, str] = {}
    for sheet, target in sheet_targets:
        if only is not None and sheet not in only:
            continue
        for part in part_names(target):
            by_part.setdefault(part, sheet)
    scans: dict[str, SheetScan] = {}
    for info in archive.infolist():
        name = info.filename
        if info.is_dir():
            continue
        if name not in by_part and (only is not None or not name.lower().startswith("xl/worksheets/")):
            continue
        scan = None
        if extent_only:
            scan = scan_extent(archive.read(info))
        if scan is None:
            with archive.open(info) as stream:
                scan = _scan_ooxml_sheet(stream)
        key = by_part.get(name, name)
        if key not in scans or scan.cells > scans[key].cells:
            scans[key] = scan
    return scans


# Every opening of a <c> element (any namespace prefix), and those whose own r attribute, in double
# quotes, comes before any '>' or single quote in the tag. The two counts agree only when every cell
# names its place plainly; then the largest and smallest references bound what calamine will
# allocate. Anything else (a cell without r, r in single quotes, a '>' or "'" inside an attribute
# value) makes the counts differ, and the full scan decides.
_CELL_OPEN = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_CELL_WITH_REF = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c\s[^>']*?(?<=\s)r=\"([A-Z]{1,3})([0-9]{1,7})\"")


def scan_extent(xml: bytes) -> SheetScan | None:
    """The used area of a worksheet's XML from its cell references alone, counting every cell (with
    a value or not, so never smaller than what the full scan finds), in one pass of two regular
    expressions; None when a cell does not name its place plainly (then use the full scan)."""
    opened = len(_CELL_OPEN.findall(xml))
    scan = SheetScan()
    if not opened:
        return scan
    rows: list[int] = []
    columns: dict[bytes, int] = {}
    for match in _CELL_WITH_REF.finditer(xml):
        rows.append(int(match.group(2)))
        letters = match.group(1)
        if letters not in columns:
            columns[letters] = column_index(letters.decode("ascii"))
    if len(rows) != opened:
        return None
    scan.add(min(rows), min(columns.values()), max(rows), max(columns.values()))
    return scan


def part_names(target: str) -> list[str]:
    """The zip entry names a relationship target of ``xl/workbook.xml`` may be read from."""
    candidates: list[str] = []
    for spelling in (target, target.replace("\\", "/")):
        stripped = spelling.lstrip("/")
        candidates += [f"xl/{spelling}", stripped, f"xl/{stripped}"]
    candidates += [posixpath.normpath(c) for c in candidates]
    return list(dict.fromkeys(candidates))


_CELL_REF = re.compile(r"([A-Za-z]{1,3})([0-9]+)")


def local(tag: str) -> str:
    """``{namespace}c`` -> ``c``: Transitional and Strict OOXML use different namespaces."""
    return tag.rsplit("}", 1)[-1]


class _Cell:
    """A ``<c>`` being parsed: its attributes and its first ``<v>``, ``<is>`` and ``<f>`` children."""

    __slots__ = ("formula", "inline", "kind", "ref", "value")

    def __init__(self, ref: str | None, kind: str | None):
        self.ref = ref
        self.kind = kind
        self.value: list[str] | None = None  # text of the first <v> child (up to its first child)
        self.inline = False
        self.formula: list[str] | None = None


_TRUE = ("1", "true")  # xsd:boolean


def _hide_columns(scan: SheetScan, attributes: dict[str, str]) -> None:
    """``<col min="2" max="4" hidden="1">``; a span that is no number is not a fact worth refusing
    the file for (readers ignore it too)."""
    try:
        first, last = int(attributes.get("min", "")), int(attributes.get("max", ""))
    except ValueError:
        return
    scan.hide_columns(first, last)


def _forbidden(*_: Any) -> Any:
    # As defusedxml: no entity declarations, no external references (guard_input refuses them
    # before; this keeps the scan safe on its own). Never returns.
    raise ValueError("entity declarations and external references are not allowed")


def _scan_ooxml_sheet(stream: Any) -> SheetScan:
    """One streaming pass with expat's callbacks (no element objects: a form is scanned in about a
    millisecond). Tags are matched by local name; a cell's value, inline string and formula are
    its first direct ``v``, ``is`` and ``f`` children, their text what precedes their own first
    child, exactly as ElementTree's ``text`` would give it."""
    scan = SheetScan()
    # Per open element: a _Cell for <c>, a [chunks, open] text collector for a cell's <v>/<f>,
    # else None. The None at the bottom stands for "no parent".
    stack: list[Any] = [None]
    position = [0, 0]  # row number, column number of the previous cell
    # The used area so far (first row, last row, first column, last column, any cell yet), kept
    # here as SheetScan.add keeps it rather than through it: this runs once per cell of the largest
    # sheets kwm reads.
    area = [0, 0, 0, 0, 0]
    local_names: dict[str, str] = {}
    columns: dict[str, int] = {}  # column letters seen -> index (a sheet uses a few columns)

    def start(tag: str, attributes: dict[str, str]) -> None:
        name = local_names.get(tag)
        if name is None:
            name = tag.rsplit("}", 1)[-1]
            if len(local_names) < 1000:
                local_names[tag] = name
        parent = stack[-1]
        frame: Any = None
        if type(parent) is list:
            parent[1] = False  # text after a child is its tail, not the parent's text
        elif type(parent) is _Cell:
            if name == "v" and parent.value is None:
                parent.value = []
                frame = [parent.value, True]
            elif name == "f" and parent.formula is None:
                parent.formula = []
                frame = [parent.formula, True]
            elif name == "is":
                parent.inline = True
        if name == "c":
            frame = _Cell(attributes.get("r"), attributes.get("t"))
        elif name == "row":
            position[0] = int(attributes.get("r") or position[0] + 1)
            position[1] = 0
            if attributes.get("hidden") in _TRUE:
                scan.hide_rows(position[0], position[0])
        elif name == "col" and attributes.get("hidden") in _TRUE:
            _hide_columns(scan, attributes)
        stack.append(frame)

    def end(tag: str) -> None:
        cell = stack.pop()
        if type(cell) is not _Cell:
            return
        if cell.ref is not None:
            match = _CELL_REF.fullmatch(cell.ref)
            if match is None:
                raise ValueError(f"cell reference {cell.ref!r}")
            letters = match.group(1)
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = column_index(letters)
            row = int(match.group(2))
        else:
            column, row = position[1] + 1, position[0]
        position[1] = column
        value = "".join(cell.value) if cell.value is not None else None
        if cell.value is not None or cell.inline:
            if not area[1]:
                area[:] = [row, row, column, column, 1]
            else:
                if row < area[0]:
                    area[0] = row
                if row > area[1]:
                    area[1] = row
                if column < area[2]:
                    area[2] = column
                if column > area[3]:
                    area[3] = column
        if cell.formula is not None:
            formula = "".join(cell.formula)
            if cell.kind != "e" and not value:
                scan.error(row, column, "=" + formula, formula=True)
            if is_external(formula):
                scan.link(row, column, "=" + formula)
        if cell.kind == "e":
            scan.error(row, column, value or "#ERROR")

    def text(data: str) -> None:
        top = stack[-1]
        if type(top) is list and top[1]:
            top[0].append(data)

    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    parser.EntityDeclHandler = _forbidden
    parser.UnparsedEntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.ParseFile(stream)
    if area[4]:
        scan.add(area[0], area[2], area[1], area[3])
    return scan


# ---------------------------------------------------------------------------------------------
# .ods


@dataclass
class _Table:
    name: str
    scan: SheetScan = field(default_factory=SheetScan)
    row: int = 0  # rows completed so far
    row_repeat: int = 1
    column: int = 0
    defined_columns: int = 0  # <table:table-column> elements (with their repeats) so far


_HIDDEN = ("collapse", "filter")  # table:visibility of a row or column hidden by hand or a filter


def scan_ods(stream: Any) -> dict[str, SheetScan]:
    """Every table of ``content.xml``, counting repeated rows and columns as calamine expands them.

    Formulas without a stored result are not recorded here: LibreOffice itself writes a formula
    whose result is empty text without a value type."""
    scans: dict[str, SheetScan] = {}
    tables: list[_Table] = []  # nested tables (a table inside a cell) are scanned on their own
    stack: list[Any] = []
    cells = (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell")
    for event, element in SafeET.iterparse(stream, events=("start", "end")):
        tag = element.tag
        if event == "start":
            stack.append(element)
            if tag == f"{_TABLE}table":
                tables.append(_Table(element.get(f"{_TABLE}name", "")))
            elif tag == f"{_TABLE}table-row" and tables:
                table = tables[-1]
                table.row_repeat = _repeat(element.get(f"{_TABLE}number-rows-repeated"))
                table.column = 0
                if element.get(f"{_TABLE}visibility") in _HIDDEN:
                    table.scan.hide_rows(table.row + 1, table.row + table.row_repeat)
            elif tag == f"{_TABLE}table-column" and tables:
                _ods_column(tables[-1], element)
            continue
        stack.pop()
        if tag == f"{_TABLE}table":
            done = tables.pop()
            scans.setdefault(done.name, done.scan)
        elif tag == f"{_TABLE}table-row" and tables:
            tables[-1].row += tables[-1].row_repeat
        elif tag in cells and tables:
            table = tables[-1]
            repeat = _repeat(element.get(f"{_TABLE}number-columns-repeated"))
            if element.get(f"{_OFFICE}value-type") is not None or len(element):
                table.scan.add(
                    table.row + 1, table.column + 1, table.row + table.row_repeat, table.column + repeat
                )
            if element.get(f"{_CALCEXT}value-type") == "error":
                table.scan.error(
                    table.row + 1, table.column + 1, "".join(element.itertext()).strip() or "#ERROR"
                )
            formula = element.get(f"{_TABLE}formula")
            if formula and is_external(formula):  # the first cell of a repeated block
                table.scan.link(table.row + 1, table.column + 1, formula.removeprefix("of:"))
            table.column += repeat
        if tag in (*cells, f"{_TABLE}table-row") and stack:
            stack[-1].remove(element)
    return scans


def _ods_column(table: _Table, element: Any) -> None:
    """A column definition; a repeat that is no number counts once (calamine does not read these)."""
    try:
        repeat = max(int(element.get(f"{_TABLE}number-columns-repeated") or 1), 1)
    except ValueError:
        repeat = 1
    if element.get(f"{_TABLE}visibility") in _HIDDEN:
        table.scan.hide_columns(table.defined_columns + 1, table.defined_columns + repeat)
    table.defined_columns += repeat


def _repeat(value: str | None) -> int:
    number = int(value or 1)
    if number < 1:
        raise ValueError(f"repeat {value!r}")
    return number


# ---------------------------------------------------------------------------------------------
# .xls (BIFF8 in an OLE2 compound file)

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LAST_SECTOR = 0xFFFFFFFA  # ids from here up are markers (end of chain, free, FAT sector...)
_BOF, _EOF, _BOUNDSHEET, _DIMENSIONS = 0x0809, 0x000A, 0x0085, 0x0200
# cell records start with row (u16), column (u16)
_CELLS = {0x0006, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6, 0x0406}
_MULTI_CELLS = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column (u16)


def scan_xls(source: Path | bytes) -> dict[str, SheetScan]:
    """Every worksheet of a legacy workbook (a file, or its content), found the way calamine finds
    them (BOUNDSHEET offsets)."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    stream = _compound_stream(data, ("Workbook", "Book"))
    scans: dict[str, SheetScan] = {}
    for name, offset in _boundsheets(stream):
        scans.setdefault(name, _scan_biff_sheet(stream, offset))
    return scans


def _records(stream: bytes, position: int) -> Iterable[tuple[int, bytes]]:
    while position + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, position)
        yield kind, stream[position + 4 : position + 4 + length]
        position += 4 + length


def _boundsheets(stream: bytes) -> list[tuple[str, int]]:
    sheets: list[tuple[str, int]] = []
    for kind, body in _records(stream, 0):
        if kind == _EOF:
            break
        if kind == _BOUNDSHEET and len(body) >= 8:
            offset = struct.unpack_from("<I", body)[0]
            count, flags = body[6], body[7] if len(body) > 7 else 0
            raw = body[8 : 8 + count * (2 if flags & 1 else 1)]
            name = raw.decode("utf-16-le" if flags & 1 else "latin-1", errors="replace")
            sheets.append((name, offset))
    return sheets


def _scan_biff_sheet(stream: bytes, offset: int) -> SheetScan:
    scan = SheetScan()
    for kind, body in _records(stream, offset):
        if kind == _EOF:
            break
        if kind in _CELLS and len(body) >= 4:
            row, column = struct.unpack_from("<HH", body)
            scan.add(row + 1, column + 1)
        elif kind in _MULTI_CELLS and len(body) >= 6:
            row, first = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0]
            scan.add(row + 1, first + 1, row + 1, last + 1)
        elif kind == _DIMENSIONS and len(body) >= 10:
            if len(body) >= 14:
                first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", body)
            else:
                first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", body)
            if end_row > first_row and end_col > first_col:
                scan.add(first_row + 1, first_col + 1, end_row, end_col)
    return scan


def _compound_stream(data: bytes, wanted: tuple[str, ...]) -> bytes:
    """The named stream of an OLE2 compound file (regular or mini stream), with every chain bounded."""
    if len(data) < 512 or not data.startswith(_OLE2_MAGIC):
        raise ValueError("not a compound file")
    sector_shift, mini_shift = struct.unpack_from("<HH", data, 0x1E)
    if sector_shift not in (9, 12) or mini_shift != 6:
        raise ValueError("unexpected sector size")
    size = 1 << sector_shift
    count = (len(data) - 1) // size  # sectors after the header, the last one possibly cut short
    _fat_sectors, first_dir, _, cutoff, first_mini_fat, _, first_difat, _ = struct.unpack_from(
        "<8I", data, 0x2C
    )

    def sector(index: int) -> bytes:
        if index >= count:
            raise ValueError("sector out of range")
        start = (index + 1) * size
        return data[start : start + size]

    difat = list(struct.unpack_from("<109I", data, 0x4C))
    next_difat, seen = first_difat, 0
    while next_difat < _LAST_SECTOR:
        seen += 1
        if seen > count:
            raise ValueError("DIFAT loop")
        block = struct.unpack(f"<{size // 4}I", sector(next_difat))
        difat += block[:-1]
        next_difat = block[-1]
    fat: list[int] = []
    for index in difat:
        if index < _LAST_SECTOR:
            fat += struct.unpack(f"<{size // 4}I", sector(index))

    def chain(start: int, table: list[int]) -> list[int]:
        found: list[int] = []
        while start < _LAST_SECTOR:
            if start >= len(table) or len(found) > len(table):
                raise ValueError("broken sector chain")
            found.append(start)
            start = table[start]
        return found

    directory = b"".join(sector(s) for s in chain(first_dir, fat))
    entries = [directory[i : i + 128] for i in range(0, len(directory) - 127, 128)]
    if not entries:
        raise ValueError("no directory")
    for entry in entries:
        name_length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        name = entry[: max(name_length - 2, 0)].decode("utf-16-le", errors="replace")
        if entry[66] != 2 or name not in wanted:
            continue
        start, length = struct.unpack_from("<II", entry, 116)
        if length > len(data):
            raise ValueError("stream larger than the file")
        if length >= cutoff:
            return b"".join(sector(s) for s in chain(start, fat))[:length]
        root_start = struct.unpack_from("<I", entries[0], 116)[0]
        mini_stream = b"".join(sector(s) for s in chain(root_start, fat))
        mini_fat_bytes = b"".join(sector(s) for s in chain(first_mini_fat, fat))
        mini_fat = list(struct.unpack(f"<{len(mini_fat_bytes) // 4}I", mini_fat_bytes))
        return b"".join(mini_stream[s * 64 : (s + 1) * 64] for s in chain(start, mini_fat))[:length]
    raise ValueError("no workbook stream")
