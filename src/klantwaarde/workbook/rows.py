"""A workbook file as plain rows (``sheetdata.WorkbookRows``): how kwm reads every cell value.

``.xlsx``, ``.xlsm`` and ``.ods`` alike (and legacy ``.xls`` for returned forms). Every file is
untrusted: ``guard_input`` checks it before any parser sees it (size, what it unpacks to,
encryption, DTDs and entities). Then every sheet that will be read is scanned (``sheet_scan``) and
refused when its used area is too large, because python-calamine allocates a sheet as a dense grid
and a few kB can span the whole grid. Only then does calamine, which reads values and never runs
anything (macros stay inert), parse the sheets. The scan also gives what calamine does not: which
cells hold an error value or a formula without a stored result, which formulas read another
workbook, and which rows and columns are hidden. Nothing of the file outlives the call.

A file is a path or an ``InputFile`` (``workbook/safe.py``): one on disk or one held in memory, such
as a questionnaire attached to a mail; both take the same steps, nothing is written to disk.

What the rows mean (positions, blanks, errors) is described in ``sheetdata.py``; what the values
mean is for ``reading/`` (the base), ``returned.py`` (forms) and ``history.py`` (``_data``).
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

from klantwaarde.model import Location
from klantwaarde.problems import WorkbookFileError, problem
from klantwaarde.sheetdata import SheetRows, WorkbookRows
from klantwaarde.workbook.safe import InputFile, guard_input
from klantwaarde.workbook.sheet_scan import SheetScan, local, scan_ods, scan_ooxml, scan_xls

MAX_CELLS = 500_000  # rows x columns of one sheet (a form has about 500, a base a few thousand)

# calamine's enums are not hashable: looked up by equality.
_STATES = (
    (SheetVisibleEnum.Visible, "visible"),
    (SheetVisibleEnum.Hidden, "hidden"),
    (SheetVisibleEnum.VeryHidden, "veryHidden"),
)
_KINDS = (
    (SheetTypeEnum.WorkSheet, "worksheet"),
    (SheetTypeEnum.ChartSheet, "chartsheet"),
    (SheetTypeEnum.DialogSheet, "dialogsheet"),
    (SheetTypeEnum.MacroSheet, "macrosheet"),
)


def _named(value: object, names: tuple[tuple[object, str], ...], default: str) -> str:
    return next((name for member, name in names if member == value), default)


def read_workbook(
    path: Path | InputFile,
    *,
    allow_xls: bool = False,
    only: Collection[str] | None = None,
    max_cells: int = MAX_CELLS,
    max_rows: int | None = None,
    too_large: str = "sheet_too_large",
) -> WorkbookRows:
    """Guard, scan and read ``path``: every sheet, or the sheets named in ``only``.

    Raises ``WorkbookFileError`` with one problem naming the file: a ``file_*`` problem when it
    cannot be read as a workbook, ``too_large`` (a code with ``rows`` and ``columns``) naming the
    sheet whose area exceeds ``max_cells``. At most ``max_rows`` rows of the used area are read."""
    file = InputFile.of(path)
    kind = guard_input(file, allow_xls=allow_xls)
    scans = scan_sheets(file, kind, only=only)
    check_sizes(scans, file.name, max_cells=max_cells, too_large=too_large)
    return read_rows(file, scans, only=only, max_cells=max_cells, max_rows=max_rows, too_large=too_large)


# ---------------------------------------------------------------------------------------------
# Before calamine: the sheet list and the scan of every sheet


def sheet_targets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, relationship target) of every sheet ``xl/workbook.xml`` lists, in order and
    duplicates kept. Matched by local name: Excel's "Strict Open XML" uses other namespaces."""
    rels = SafeET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter() if local(r.tag) == "Relationship"}
    workbook = SafeET.fromstring(archive.read("xl/workbook.xml"))
    found: list[tuple[str, str]] = []
    for sheet in (e for e in workbook.iter() if local(e.tag) == "sheet"):
        rel_id = next((v for k, v in sheet.attrib.items() if local(k) == "id" and k.startswith("{")), None)
        target = targets.get(rel_id, "")
        if target:
            found.append((sheet.get("name", ""), target))
    return found


def scan_sheets(
    path: Path | InputFile,
    kind: str,
    archive: zipfile.ZipFile | None = None,
    *,
    only: Collection[str] | None = None,
    extent_only: bool = False,
) -> dict[str, SheetScan]:
    """The scan of every sheet (with ``only``: of those sheets) of a guarded file of ``kind``
    (what ``guard_input`` said), by sheet name. ``archive`` is the open package when the caller
    reads more of it.

    Raises ``WorkbookFileError``: ``file_not_workbook`` for an OOXML package without
    ``xl/workbook.xml`` (a binary ``.xlsb``: its sheets cannot be checked before reading),
    ``file_corrupt`` when the sheet list or a sheet cannot be scanned, since a parser more
    lenient than the scan could still read what the scan could not check."""
    file = InputFile.of(path)
    where = file.location
    try:
        if kind == "xls":
            return scan_xls(file.read())
        if archive is None:
            with file.open() as stream, zipfile.ZipFile(stream) as opened:
                return _scan_package(opened, kind, where, only, extent_only)
        return _scan_package(archive, kind, where, only, extent_only)
    except WorkbookFileError:
        raise
    except Exception:
        raise WorkbookFileError(problem("file_corrupt", where)) from None


def _scan_package(
    archive: zipfile.ZipFile,
    kind: str,
    where: Location,
    only: Collection[str] | None,
    extent_only: bool = False,
) -> dict[str, SheetScan]:
    names = set(archive.namelist())
    if kind == "ods":
        if "content.xml" not in names:
            return {}
        with archive.open("content.xml") as stream:
            return scan_ods(stream)
    if "xl/workbook.xml" not in names:
        raise WorkbookFileError(problem("file_not_workbook", where))
    targets = sheet_targets(archive)
    if not targets:
        raise ValueError("no readable xl/workbook.xml sheet list")
    return scan_ooxml(archive, targets, only, extent_only)


def check_sizes(
    scans: Mapping[str, SheetScan],
    file: str,
    *,
    max_cells: int = MAX_CELLS,
    too_large: str = "sheet_too_large",
) -> None:
    """Refuse the file when a sheet's used area exceeds ``max_cells`` (WorkbookFileError)."""
    for sheet, scan in scans.items():
        if scan.cells > max_cells:
            located = Location(file=file, sheet=sheet)
            raise WorkbookFileError(problem(too_large, located, rows=scan.rows, columns=scan.columns))


# ---------------------------------------------------------------------------------------------
# calamine


def read_rows(
    path: Path | InputFile,
    scans: Mapping[str, SheetScan],
    *,
    only: Collection[str] | None = None,
    max_cells: int = MAX_CELLS,
    max_rows: int | None = None,
    too_large: str = "sheet_too_large",
) -> WorkbookRows:
    """The rows of a scanned file (``scan_sheets`` and ``check_sizes`` first, with the same
    ``only``). Chart and dialog sheets are listed without rows. Raises ``WorkbookFileError``
    (``file_encrypted``, ``file_corrupt``, ``too_large``)."""
    file = InputFile.of(path)
    where = file.location
    try:
        # from_filelike detects the format from the content, so the file name does not matter
        with file.open() as handle, CalamineWorkbook.from_filelike(handle) as workbook:
            sheets: list[SheetRows] = []
            for meta in workbook.sheets_metadata:
                if only is not None and meta.name not in only:
                    continue
                kind = _named(meta.typ, _KINDS, "worksheet")
                state = _named(meta.visible, _STATES, "visible")
                if kind != "worksheet":
                    sheets.append(SheetRows(meta.name, state=state, kind=kind))
                    continue
                if only is not None and meta.name not in scans:
                    # only those sheets were scanned: one the scan did not find is never parsed
                    raise WorkbookFileError(problem("file_corrupt", where))
                values = _values(workbook, meta.name, where, max_cells, max_rows, too_large)
                sheets.append(_sheet_rows(meta.name, state, values, scans.get(meta.name)))
    except WorkbookFileError:
        raise
    except PasswordError:
        raise WorkbookFileError(problem("file_encrypted", where)) from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # calamine errors and Rust panics on a damaged file alike
        raise WorkbookFileError(problem("file_corrupt", where)) from None
    return WorkbookRows(file.name, tuple(sheets))


def _values(
    workbook: Any, name: str, where: Location, max_cells: int, max_rows: int | None, too_large: str
) -> list[tuple[Any, ...]]:
    """The sheet's values from A1, blanks as None. calamine gives the used area and where it
    starts; the rows above it are empty and the columns left of it are filled with None."""
    sheet = workbook.get_sheet_by_name(name)
    start = sheet.start
    if start is None or sheet.height == 0:
        return []
    top, left = start
    height = sheet.height if max_rows is None else min(sheet.height, max_rows)
    # A second line behind the scan, counting what the rows from A1 hold: the cells from column A
    # and one empty row for each row above the used area.
    if top + height * (left + max(sheet.width, 1)) > max_cells:
        located = Location(file=where.file, sheet=name)
        raise WorkbookFileError(
            problem(too_large, located, rows=top + sheet.height, columns=left + sheet.width)
        )
    used = sheet.to_python(skip_empty_area=True, nrows=height)
    padding = (None,) * left
    rows: list[tuple[Any, ...]] = [()] * top
    rows += [(*padding, *[None if value == "" else value for value in row]) for row in used]
    return rows


def _sheet_rows(name: str, state: str, values: list[tuple[Any, ...]], scan: SheetScan | None) -> SheetRows:
    """The values with what the scan found: an error value shows as its text, as in the program."""
    if scan is None:
        return SheetRows(name, tuple(values), state)
    errors = {cell: text for cell, text in scan.errors.items() if cell not in scan.no_value}
    for (row, column), text in errors.items():
        if row > len(values):
            continue  # below the rows read (a form reads its first rows only)
        cells = list(values[row - 1])
        cells += [None] * (column - len(cells))
        cells[column - 1] = text
        values[row - 1] = tuple(cells)
    return SheetRows(
        name,
        tuple(values),
        state,
        hidden_rows=tuple(scan.hidden_rows),
        hidden_columns=tuple(scan.hidden_columns),
        errors=errors,
        formulas_without_value={cell: scan.errors[cell] for cell in scan.no_value},
        external_links=dict(scan.external),
    )
