"""Read one returned questionnaire (SPEC 3.2 fill contract, SPEC 3.3), independent of the base.

Every returned file is untrusted: ``guard_input`` checks it before any parser sees it (size, what
it unpacks to, encryption, DTDs and entities). Cell values come as plain rows from
``workbook/rows.py`` (python-calamine after the bounded sheet scan: it only reads values and never
runs anything, so macros in an ``.xlsm`` stay inert). What the rows do not give (document
properties, the save time, macros) is read from the package with ``zipfile`` and defusedxml. Only
the answers are kept; no workbook object outlives ``read_form``.

``read_form_data`` reads a questionnaire held in memory (attached to a mail) by the very same
steps: the guards, the sheet scan and the reading work on an ``InputFile``, on disk or in memory,
and nothing is written to disk.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import defusedxml.ElementTree as SafeET

from klantwaarde import contract, normalise
from klantwaarde.metrics import column_letter
from klantwaarde.model import Answer, Form, FormIdentity, Location, Relevance
from klantwaarde.problems import Problem, WorkbookFileError, problem
from klantwaarde.sheetdata import SheetRows, WorkbookRows
from klantwaarde.workbook.rows import check_sizes, read_rows, scan_sheets
from klantwaarde.workbook.safe import InputFile, guard_input
from klantwaarde.workbook.sheet_scan import SheetScan, local

MAX_ROWS = 5_000  # a questionnaire has well under a hundred rows
MAX_CELLS = 500_000  # rows x columns of any sheet's used area
REQUIRED_COLUMNS = ("key", "grade", "relevance")


@dataclass
class _Grid:
    """The answer sheet: ``rows[i]`` is sheet row ``i + 1``, from column A."""

    name: str
    rows: Sequence[Sequence[Any]]
    # (row, col) -> the text to report instead of blank: an error value ("#N/A", which the rows
    # hold too) or a formula without a stored result ("=A1")
    errors: Mapping[tuple[int, int], str] = field(default_factory=dict)
    # (row, col) -> the formula of a cell that links to another file or program (DDE)
    external: Mapping[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def of(cls, sheet: SheetRows) -> _Grid:
        errors = {**sheet.errors, **sheet.formulas_without_value}
        return cls(sheet.name, sheet.rows, errors, dict(sheet.external_links))

    def value(self, index: int, column: int) -> Any:
        """The value at row ``index`` of ``rows`` and sheet column ``column`` (1-based); a formula
        without a stored result as its text, so it is reported instead of read as blank."""
        row = self.rows[index]
        value = row[column - 1] if column <= len(row) else None
        if normalise.is_blank(value):
            return self.errors.get((index + 1, column), value)
        return value

    def sheet_row(self, index: int) -> int:
        return index + 1

    def title_rows(self, header_index: int) -> list[Sequence[Any]]:
        """The rows above the header row, error cells blank."""
        return _without_errors(self.rows[:header_index], (c for c in self.errors if c[0] <= header_index))


def read_form(path: Path) -> tuple[Form | None, list[Problem]]:
    """Read one returned questionnaire. Returns the form (None when it cannot be used) and every
    problem found, each naming the file and, where there is one, the sheet and cell."""
    return _read_form(InputFile.of(path), path, None)


def read_form_data(
    name: str, data: bytes, *, path: Path | None = None, saved: dt.datetime | None = None
) -> tuple[Form | None, list[Problem]]:
    """``read_form`` for a questionnaire held in memory (an attachment of a mail), guarded and read
    exactly as a file. ``name`` names it in every problem; ``path`` is the form's path (default:
    ``name``); ``saved`` stands in for a file's modification time when the workbook records no save
    time of its own (the date of the mail)."""
    return _read_form(InputFile.in_memory(name, data), path or Path(name), saved)


def _read_form(file: InputFile, path: Path, saved: dt.datetime | None) -> tuple[Form | None, list[Problem]]:
    try:
        kind = guard_input(file, allow_xls=True)
    except WorkbookFileError as exc:
        return None, list(exc.problems)
    try:
        package = _read_package(file, kind, saved)
    except WorkbookFileError as exc:
        return None, list(exc.problems)
    try:
        workbook = read_rows(
            file, package.scans, max_cells=MAX_CELLS, max_rows=MAX_ROWS, too_large="form_too_large"
        )
    except WorkbookFileError as exc:
        return None, [*package.problems, *exc.problems]
    return _read_values(file.name, path, package, workbook)


# ---------------------------------------------------------------------------------------------
# The package: document properties, save time, macros, and the scan of every sheet


@dataclass
class _Package:
    kind: str
    properties: dict[str, str] = field(default_factory=dict)
    modified: dt.datetime | None = None
    problems: list[Problem] = field(default_factory=list)
    scans: dict[str, SheetScan] = field(default_factory=dict)  # sheet name -> used area, errors


_NS = {
    "dcterms": "http://purl.org/dc/terms/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def _read_package(file: InputFile, kind: str, saved: dt.datetime | None) -> _Package:
    """Properties, save time, macros and the scan of every sheet, before calamine parses anything.

    Damaged metadata is not fatal (the values decide); a sheet that cannot be scanned, or spans
    too many cells, refuses the file (WorkbookFileError). Without a save time of its own, the form
    was saved when the file was last modified (on disk) or at ``saved`` (in memory)."""
    package = _Package(kind)
    where = file.location
    try:
        if kind == "xls":
            data = file.read()
            package.scans = scan_sheets(file, kind)
            if _XLS_MACROS in data:
                package.problems.append(problem("form_macros_ignored", where))
        else:
            with file.open() as stream, zipfile.ZipFile(stream) as archive:
                names = archive.namelist()
                if kind == "xlsx" and "xl/workbook.xml" not in names:
                    # e.g. a binary .xlsb: its sheets cannot be checked before reading, so refused
                    raise WorkbookFileError(problem("file_not_workbook", where))
                if _has_macros(names):
                    package.problems.append(problem("form_macros_ignored", where))
                _read_metadata(archive, names, package)
                package.scans = scan_sheets(file, kind, archive)
    except WorkbookFileError:
        raise
    except Exception:  # a parser more lenient than the scan could still read what it could not check
        raise WorkbookFileError(problem("file_corrupt", where)) from None
    check_sizes(package.scans, file.name, max_cells=MAX_CELLS, too_large="form_too_large")
    if package.modified is None:
        if file.path is not None:
            package.modified = dt.datetime.fromtimestamp(file.path.stat().st_mtime, tz=dt.UTC)
        else:
            package.modified = saved
    return package


def _read_metadata(archive: zipfile.ZipFile, names: Sequence[str], package: _Package) -> None:
    try:
        if package.kind == "xlsx":
            _read_ooxml_package(archive, names, package)
        else:
            _read_ods_package(archive, names, package)
    except Exception:  # properties and save time are optional; a damaged part is skipped
        pass


_XLS_MACROS = "_VBA_PROJECT_CUR".encode("utf-16-le")  # the macro storage of a legacy workbook


def _has_macros(names: Sequence[str]) -> bool:
    for name in names:
        lower = name.lower()
        if lower.endswith("vbaproject.bin"):
            return True
        parts = PurePosixPath(lower).parts
        # LibreOffice Basic modules: Basic/<library>/<module>.xml next to the script-lb/lc lists
        if parts[:1] == ("basic",) and len(parts) == 3 and not parts[2].startswith("script-"):
            return True
    return False


def _read_ooxml_package(archive: zipfile.ZipFile, names: Sequence[str], package: _Package) -> None:
    if "docProps/custom.xml" in names:
        root = SafeET.fromstring(archive.read("docProps/custom.xml"))
        for prop in (e for e in root.iter() if local(e.tag) == "property"):
            name = prop.get("name", "")
            if name.startswith(contract.PROPERTY_PREFIX):
                package.properties[name[len(contract.PROPERTY_PREFIX) :]] = "".join(prop.itertext())
    if "docProps/core.xml" in names:
        root = SafeET.fromstring(archive.read("docProps/core.xml"))
        modified = root.find(_q("dcterms", "modified"))
        if modified is not None and modified.text:
            package.modified = parse_timestamp(modified.text)


def _read_ods_package(archive: zipfile.ZipFile, names: Sequence[str], package: _Package) -> None:
    if "meta.xml" not in names:
        return
    root = SafeET.fromstring(archive.read("meta.xml"))
    for prop in root.iter(_q("meta", "user-defined")):
        name = prop.get(_q("meta", "name"), "")
        if name.startswith(contract.PROPERTY_PREFIX):
            package.properties[name[len(contract.PROPERTY_PREFIX) :]] = "".join(prop.itertext())
    modified = root.find(f".//{_q('dc', 'date')}")
    if modified is not None and modified.text:
        package.modified = parse_timestamp(modified.text)


_TIMESTAMP = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?\s*(Z|[+-]\d\d:?\d\d)?$"
)


def parse_timestamp(text: str) -> dt.datetime | None:
    """An ISO 8601 save time (``2011-06-01T09:30:00Z``, LibreOffice's local time with nanoseconds)
    as an aware UTC datetime. A time without zone is the computer's local time."""
    match = _TIMESTAMP.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        micro = int((fraction or "0")[:6].ljust(6, "0"))
        stamp = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second or 0), micro)
        if zone is None:
            return stamp.astimezone(dt.UTC)
        if zone == "Z":
            return stamp.replace(tzinfo=dt.UTC)
        sign = 1 if zone[0] == "+" else -1
        digits = zone[1:].replace(":", "")
        offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return stamp.replace(tzinfo=dt.timezone(sign * offset)).astimezone(dt.UTC)
    except (ValueError, OverflowError, OSError):
        return None


# ---------------------------------------------------------------------------------------------
# Values


def _read_values(
    name: str, path: Path, package: _Package, workbook: WorkbookRows
) -> tuple[Form | None, list[Problem]]:
    problems = list(package.problems)
    found = _find_answer_sheet(workbook, Location(file=name))
    if isinstance(found, Problem):
        return None, [*problems, found]
    grid, header_index, columns = found
    sheet_where = Location(file=name, sheet=grid.name)

    identity, identity_problems = _identity(
        _identity_rows(workbook), package.properties, grid, header_index, sheet_where
    )
    problems += identity_problems
    if identity is None:
        return None, problems

    answers, nps, anonymous, remark, keys, answer_problems = _answers(
        grid, header_index, columns, sheet_where
    )
    problems += answer_problems
    form = Form(
        path=path,
        identity=identity,
        answers=tuple(answers),
        nps=nps,
        anonymous=anonymous,
        remark=remark,
        saved_at=package.modified,
        location=sheet_where,
        question_keys=frozenset(keys),
    )
    return form, problems


def _without_errors(rows: Sequence[Sequence[Any]], errors: Iterable[tuple[int, int]]) -> list[Sequence[Any]]:
    """The rows with the error cells blank: an identity or title value is never "#N/A"."""
    kept: list[Sequence[Any]] = list(rows)
    for row, column in errors:
        if row <= len(kept) and column <= len(kept[row - 1]):
            kept[row - 1] = [*kept[row - 1][: column - 1], None, *kept[row - 1][column:]]
    return kept


_Found = tuple[_Grid, int, dict[str, int]]  # the answer sheet, its header row index, sheet columns


def _find_answer_sheet(workbook: WorkbookRows, where: Location) -> _Found | Problem:
    """The answer sheet by its contract name (Dutch or English, any case), else any sheet with the
    contract header row; otherwise the problem to report."""
    names = workbook.names
    named = [n for n in names if normalise.same_label(n, *contract.QUESTIONNAIRE_SHEET.values())]
    others = [n for n in names if n not in named and n.strip().lower() != contract.IDENTITY_SHEET]
    for name in [*named, *others]:
        sheet = workbook.sheet(name)
        assert sheet is not None
        header = find_header(sheet.rows)
        if header is not None:
            index, columns = header
            return _Grid.of(sheet), index, {key: offset + 1 for key, offset in columns.items()}
    if named:
        first = workbook.sheet(named[0])
        assert first is not None
        missing = _missing_headers(first.rows)
        located = Location(file=where.file, sheet=named[0])
        return problem(
            "form_header_missing",
            located,
            headers=["/".join(contract.HEADERS[key]) for key in missing],  # Cijfer/Score: either form
        )
    return problem("form_structure", where, sheets=list(names))


def _header_columns(row: Sequence[Any]) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(row):
        if not cell or not isinstance(cell, str):  # never a label; most cells above the header are blank
            continue
        for logical, labels in contract.HEADERS.items():
            if logical not in columns and normalise.same_label(cell, *labels):
                columns[logical] = index
    return columns


def find_header(rows: Sequence[Sequence[Any]]) -> tuple[int, dict[str, int]] | None:
    """The first row holding the contract headers (any order, any case/spacing, Dutch or English):
    its index and the column index of each logical column found."""
    for index, row in enumerate(rows):
        columns = _header_columns(row)
        if all(key in columns for key in REQUIRED_COLUMNS):
            return index, columns
    return None


def _missing_headers(rows: Sequence[Sequence[Any]]) -> list[str]:
    best: dict[str, int] = {}
    for row in rows:
        columns = _header_columns(row)
        if len(columns) > len(best):
            best = columns
    return [key for key in REQUIRED_COLUMNS if key not in best]


# ---------------------------------------------------------------------------------------------
# Identity


def _identity_rows(workbook: WorkbookRows) -> dict[str, str]:
    """Key/value rows of the ``_kwm`` sheet, whatever its visibility (Excel and LibreOffice turn
    "very hidden" into "hidden" or even show it)."""
    sheet = next((s for s in workbook.sheets if s.name.strip().lower() == contract.IDENTITY_SHEET), None)
    if sheet is None:
        return {}
    values: dict[str, str] = {}
    for row in _without_errors(sheet.rows, sheet.errors):
        if len(row) < 2 or not isinstance(row[0], str):
            continue
        key = row[0].strip().lower()
        if key in contract.IDENTITY_KEYS and key not in values:
            values[key] = normalise.identity_text(row[1])
    return values


_REQUIRED_IDENTITY = ("client_code", "period", "initials")
_INITIALS_IN_PARENS = re.compile(r"\(\s*([^()]{1,20}?)\s*\)\s*$")
_TITLE = re.compile(r"^\s*(\S+)-([^\s·]+)\s*·")


def _identity(
    rows: dict[str, str],
    properties: dict[str, str],
    grid: _Grid,
    header_index: int,
    where: Location,
) -> tuple[FormIdentity | None, list[Problem]]:
    """``_kwm`` first, then the custom document properties, then (with a warning) the title block."""
    values = {key: value for key, value in rows.items() if value}
    for key in contract.IDENTITY_KEYS:
        if not values.get(key) and properties.get(key):
            values[key] = normalise.identity_text(properties[key])
    problems: list[Problem] = []
    if not all(values.get(key) for key in _REQUIRED_IDENTITY):
        title = _title_block(grid, header_index)
        if all(title.get(key) for key in _REQUIRED_IDENTITY):
            for key in _REQUIRED_IDENTITY:
                values[key] = values.get(key) or title[key]
            problems.append(
                problem(
                    "form_identity_fallback",
                    where,
                    initials=values["initials"].upper(),
                    client_code=values["client_code"],
                    period=values["period"],
                )
            )
        else:
            return None, [problem("form_no_identity", Location(file=where.file))]
    identity = FormIdentity(
        client_code=values["client_code"],
        period=values["period"],
        initials=values["initials"].strip().upper(),
        form_version=values.get("form_version", ""),
        fingerprint=values.get("fingerprint", ""),
        form_id=values.get("form_id", ""),
    )
    return identity, problems


def _title_block(grid: _Grid, header_index: int) -> dict[str, str]:
    """Identity from the rows above the header: ``Klantcode | KLANT``, ``Periode | 2011H1``,
    ``Respondent | Kees Klant (KK)`` (label, then the value in a cell to its right), or the title
    line ``KLANT-2011H1 · KlantwaardeMonitor · Vragenlijst``."""
    found: dict[str, str] = {}
    for row in grid.title_rows(header_index):
        for index, cell in enumerate(row):
            for key, labels in contract.TITLE_LABELS.items():
                if key in found or not normalise.same_label(cell, *labels):
                    continue
                value = next((v for v in row[index + 1 :] if not normalise.is_blank(v)), None)
                if value is not None:
                    found[key] = normalise.identity_text(value)
            if isinstance(cell, str) and "title" not in found:
                match = _TITLE.match(cell)
                if match:
                    found["title"] = cell
                    found.setdefault("title_code", match.group(1))
                    found.setdefault("title_period", match.group(2))
    result = {
        "client_code": found.get("client_code") or found.get("title_code", ""),
        "period": found.get("period") or found.get("title_period", ""),
        "initials": "",
    }
    respondent = found.get("respondent", "")
    match = _INITIALS_IN_PARENS.search(respondent)
    if match:
        result["initials"] = match.group(1).strip().upper()
    return result


# ---------------------------------------------------------------------------------------------
# Answers


def _answers(
    grid: _Grid, header_index: int, columns: dict[str, int], where: Location
) -> tuple[list[Answer], int | None, bool, str, set[str], list[Problem]]:
    """Every keyed row below the header, matched by its key (never by position): the answers,
    NPS, anonymity choice, remark, every question key on the form, and the problems."""
    answers: dict[str, Answer] = {}
    special: dict[str, tuple[Any, Location]] = {}
    problems: list[Problem] = []
    keys: set[str] = set()
    grade_column, relevance_column = columns["grade"], columns["relevance"]
    grade_letter, relevance_letter = column_letter(grade_column), column_letter(relevance_column)
    number_column = columns.get("number")

    for (row, column), formula in sorted(grid.external.items()):
        if row > header_index + 1 and column in (grade_column, relevance_column):
            cell = where.at(row=row, column=column_letter(column))
            problems.append(problem("form_external_link", cell, formula=normalise.display(formula)))

    for index in range(header_index + 1, len(grid.rows)):
        key_value = grid.value(index, columns["key"])
        if normalise.is_blank(key_value):
            continue
        row = grid.sheet_row(index)
        grade_cell = where.at(row=row, column=grade_letter)
        raw_grade = grid.value(index, grade_column)
        key = normalise.special_key(key_value)
        if key is not None:
            if normalise.is_blank(raw_grade):
                continue
            if key in special:
                first = special[key][1].cell
                problems.append(problem("form_question_duplicate", grade_cell, number=key, first=first))
                continue
            special[key] = (raw_grade, grade_cell)
            continue
        number = normalise.question_number(key_value)
        if not number.valid or number.value is None:
            continue
        keys.add(number.value)
        grade = normalise.grade(raw_grade)
        if grade.blank:
            continue
        if number_column is not None and _sorted_apart(grid.value(index, number_column), number.value):
            # the visible columns were sorted while the hidden key stayed: whose answer is this?
            shown = normalise.display(grid.value(index, number_column))
            cell = where.at(row=row, column=column_letter(number_column))
            problems.append(problem("form_number_mismatch", cell, number=number.value, shown=shown))
            continue
        mark = normalise.relevance(grid.value(index, relevance_column))
        if grade.invalid:
            problems.append(problem("form_grade_invalid", grade_cell, number=number.value, value=grade.shown))
            continue
        if mark.invalid:  # the grade still counts, as neutral (SPEC 3.3)
            relevance_cell = where.at(row=row, column=relevance_letter)
            problems.append(
                problem("form_relevance_invalid", relevance_cell, number=number.value, value=mark.shown)
            )
        if number.value in answers:
            first = answers[number.value].location.cell
            problems.append(problem("form_question_duplicate", grade_cell, number=number.value, first=first))
            continue
        assert grade.value is not None
        relevance = mark.value if mark.valid or mark.blank else Relevance.NEUTRAL
        answers[number.value] = Answer(number.value, grade.value, relevance or Relevance.NEUTRAL, grade_cell)

    nps_value, anonymous, remark = None, False, ""
    if contract.KEY_NPS in special:
        raw, cell = special[contract.KEY_NPS]
        score = normalise.nps(raw)
        if score.valid:
            nps_value = score.value
        else:
            problems.append(problem("form_nps_invalid", cell, value=score.shown))
    if contract.KEY_ANONYMOUS in special:
        raw, cell = special[contract.KEY_ANONYMOUS]
        choice = normalise.anonymous(raw)
        if choice.invalid:
            # Privacy first: an answer we cannot read as "Nee" keeps the respondent anonymous.
            problems.append(problem("form_anonymous_invalid", cell, value=choice.shown))
            anonymous = True
        else:
            anonymous = bool(choice.value)
    if contract.KEY_REMARK in special:
        raw, cell = special[contract.KEY_REMARK]
        if (cell.row, grade_column) not in grid.errors:  # an error value is no remark
            remark = normalise.remark(raw)
            if isinstance(raw, str) and len(raw.strip()) > normalise.MAX_TEXT:
                problems.append(
                    problem("form_remark_cut", cell, length=len(raw.strip()), limit=normalise.MAX_TEXT)
                )
    return list(answers.values()), nps_value, anonymous, remark, keys, problems


def _sorted_apart(visible: Any, key: str) -> bool:
    """The visible Nr names another question than the hidden key of the same row."""
    shown = normalise.question_number(visible)
    if not shown.valid or shown.value is None:
        return False
    if shown.value == key:
        return False
    mine, theirs = normalise.number_key(shown.value), normalise.number_key(key)
    return mine is None or theirs is None or mine != theirs
