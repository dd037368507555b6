"""The hidden ``_data`` sheet of a monitor: writing it, reading it back, and finding earlier monitors.

Every monitor carries the trend history of all periods so far in ``_data``, so deleting an old
monitor loses nothing. This module owns that format in both directions.

Layout of ``_data`` (format version 1; every cell text unless said otherwise)::

    row 1   A: "kwm-monitor-data"   B: "1"             marker and format version
    row 2   A: "client_code"        B: "KLANT"         metadata, one key/value per row, in
    row 3   A: "client"             B: "KLANT NV"        this order; readers look keys up by
    row 4   A: "period"             B: "2011H1"          name and ignore unknown ones
    row 5   A: "generated_at"       B: "2011-06-01T09:30:00"
    row 6   A: "kwm_version"        B: "0.1.0"
    row 7   (blank)
    row 8   A: "[history]"          B: row count (number)
    row 9   header: period | kind | code | title | value | n
    ...     one row per ``report.HistoryRow`` of every period (value and n are numbers or blank)
    (blank)
    then, each a marker row (B: row count), a header row and its rows, then a blank row — what
    the monitor shows of its own period (``monitor_data.MonitorFigures``, for the deck and the
    portfolio; monitors made before these sections have none of them):
            [settings]   key | value              supplier, account_manager, dates, threshold...
            [figures]    key | value              overall, swings, NPS counts, shown flags (1/0)
            [kwis]       code | title | description | target | score | mean | n |
                         n_respondents | swing | shown
            [questions]  number | kwi | text | n | mean | score | less | neutral | more | shown |
                         standard
            [nps]        value | count            the distribution (none when it is withheld)
            [remarks]    text | by
            [actions]    number | date | description | kwi | owner | status | deadline | overdue
    next    A: "[answers]"          B: row count (number)
    next    header: period | respondent | kwi | question | grade | relevance | weight
    ...     one row per answer of this period; respondent is blank for anonymous respondents;
            relevance is the mark ``<``, ``N`` or ``>``; grade and weight are numbers

Readers find sections by their marker in column A and columns by their header name, so columns
may be added later without breaking older readers; the format version only changes when the
meaning of an existing column changes. A reader refuses a higher major version.

Reading is strict: ``read_history``/``read_data`` raise ``WorkbookFileError`` for a file that is
not a readable workbook (``file_*`` codes) or has no valid ``_data`` (``history_unreadable``).
``load_history`` turns every such failure into a ``history_unreadable`` warning and goes on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde import __version__, normalise
from klantwaarde.model import Location
from klantwaarde.monitor_data import (
    ActionFigures,
    KwiFigures,
    MonitorFigures,
    QuestionFigures,
    RemarkFigures,
)
from klantwaarde.problems import Problem, WorkbookFileError, problem
from klantwaarde.report import HistoryRow, MonitorReport, merge_history
from klantwaarde.workbook.rows import check_sizes, read_rows, scan_sheets
from klantwaarde.workbook.safe import cell_text, guard_input, set_text

DATA_SHEET = "_data"
MARKER = "kwm-monitor-data"
FORMAT_VERSION = "1"
META_KEYS = ("client_code", "client", "period", "generated_at", "kwm_version")
HISTORY_SECTION = "[history]"
ANSWERS_SECTION = "[answers]"
HISTORY_COLUMNS = ("period", "kind", "code", "title", "value", "n")
ANSWER_COLUMNS = ("period", "respondent", "kwi", "question", "grade", "relevance", "weight")
# What the monitor shows of its own period: section -> columns (see the layout above).
FIGURE_SECTIONS: dict[str, tuple[str, ...]] = {
    "[settings]": ("key", "value"),
    "[figures]": ("key", "value"),
    "[kwis]": ("code", "title", "description", "target", "score", "mean", "n", "n_respondents", "swing", "shown"),
    "[questions]": (
        "number", "kwi", "text", "n", "mean", "score", "less", "neutral", "more", "shown", "standard",
    ),
    "[nps]": ("value", "count"),
    "[remarks]": ("text", "by"),
    "[actions]": ("number", "date", "description", "kwi", "owner", "status", "deadline", "overdue"),
}  # fmt: skip
WIDEST = max(len(c) for c in (HISTORY_COLUMNS, ANSWER_COLUMNS, *FIGURE_SECTIONS.values()))

# File names (lower-cased, letters and digits only) that mark a monitor, in either language.
MONITOR_NAME_MARKERS = ("klantwaardemonitor", "customervaluemonitor")
_MAX_ROWS = 200_000  # a monitor holds a few hundred rows; more means this is not our sheet
_MAX_CELLS = _MAX_ROWS * WIDEST  # the widest section, at most that many rows


@dataclass(frozen=True)
class DataAnswer:
    period: str
    respondent: str | None  # None for anonymous respondents
    kwi_code: str
    question_number: str
    grade: float | None
    relevance: str
    weight: float | None


@dataclass(frozen=True)
class MonitorData:
    """What ``_data`` of one monitor holds."""

    path: Path
    format_version: str
    client_code: str
    client: str
    period: str
    generated_at: str
    history: list[HistoryRow] = field(default_factory=list)
    answers: list[DataAnswer] = field(default_factory=list)
    figures: MonitorFigures = field(default_factory=MonitorFigures)  # empty for older monitors


# ---------------------------------------------------------------------------------------------
# Writing


def write_data_sheet(sheet: Any, report: MonitorReport, figures: MonitorFigures | None = None) -> None:
    """Fill an empty worksheet with the ``_data`` layout above and hide it. ``report`` is the
    published report; ``figures`` what the monitor shows of it (``monitor_data.from_report``).

    Rows are appended one by one, so a write-only sheet streams them out (memory stays flat however
    many answers the period has); an ordinary worksheet works the same way.
    """
    from openpyxl.cell.cell import Cell  # openpyxl is imported only when a monitor is written

    from klantwaarde.workbook import compat

    def literal(value: Any) -> Any:
        # Every text here may come from a workbook: literal text, never a formula.
        if value is None or value == "":
            return None
        if isinstance(value, str):
            return set_text(Cell(sheet, row=1, column=1), cell_text(value))
        return value

    sections = _figure_rows(figures) if figures is not None else {}
    sheet.sheet_state = "hidden"
    for letter, width in zip("ABCDEFGHIJK", (16, 22, 12, 30, 12, 12, 10, 10, 10, 10, 10), strict=True):
        sheet.column_dimensions[letter].width = width  # before the first row: written ahead of it
    last = 1 + len(META_KEYS) + 3 + len(report.history) + 3 + len(report.answers)
    last += sum(3 + len(rows) for rows in sections.values())
    compat.declare_dimension(
        sheet, f"A1:{chr(64 + WIDEST)}{last}"
    )  # write-only sheets say their size up front
    for values in _data_rows(report, sections):
        sheet.append([literal(value) for value in values])


def _figure_rows(figures: MonitorFigures) -> dict[str, list[Sequence[Any]]]:
    def day(value: Any) -> str:
        return value.isoformat() if value is not None else ""

    return {
        "[settings]": [[key, figures.settings.get(key, "")] for key in figures.settings],
        "[figures]": [[key, value] for key, value in figures.figures.items()],
        "[kwis]": [
            [
                k.code,
                k.title,
                k.description,
                k.target,
                k.score,
                k.mean,
                k.n,
                k.n_respondents,
                k.swing,
                int(k.shown),
            ]
            for k in figures.kwis
        ],
        "[questions]": [
            [
                q.number,
                q.kwi,
                q.text,
                q.n,
                q.mean,
                q.score,
                q.less,
                q.neutral,
                q.more,
                int(q.shown),
                q.standard,
            ]
            for q in figures.questions
        ],
        "[nps]": [[value, count] for value, count in enumerate(figures.nps_distribution)],
        "[remarks]": [[r.text, r.by] for r in figures.remarks],
        "[actions]": [
            [a.number, day(a.date), a.description, a.kwi, a.owner, a.status, day(a.deadline), int(a.overdue)]
            for a in figures.actions
        ],
    }


def _data_rows(report: MonitorReport, sections: dict[str, list[Sequence[Any]]]) -> Iterator[Sequence[Any]]:
    settings = report.base.settings
    meta = {
        "client_code": settings.client_code,
        "client": settings.client,
        "period": settings.period,
        "generated_at": report.generated_at.isoformat(),
        "kwm_version": __version__,
    }
    yield [MARKER, FORMAT_VERSION]
    yield from ([key, meta[key]] for key in META_KEYS)
    yield []
    yield [HISTORY_SECTION, len(report.history)]
    yield HISTORY_COLUMNS
    yield from ([h.period, h.kind, h.code, h.title, h.value, h.n] for h in report.history)
    yield []
    for marker, rows in sections.items():
        yield [marker, len(rows)]
        yield FIGURE_SECTIONS[marker]
        yield from rows
        yield []
    yield [ANSWERS_SECTION, len(report.answers)]
    yield ANSWER_COLUMNS
    for answer in report.answers:
        yield (
            settings.period,
            answer.respondent,
            answer.kwi_code,
            answer.question_number,
            answer.grade,
            answer.relevance.value,
            answer.weight,
        )


# ---------------------------------------------------------------------------------------------
# Reading


def _unreadable(path: Path, reason: str, row: int | None = None) -> WorkbookFileError:
    where = Location(file=path.name, sheet=DATA_SHEET, row=row)
    return WorkbookFileError(problem("history_unreadable", where, path=str(path), cause=reason))


def _text(value: Any) -> str:
    """A cell as text (``normalise.text``): ``7.0`` from a re-saved file reads back as ``7``."""
    if type(value) is str and value.isascii():  # most cells: NFC leaves ASCII as it is
        return value.strip()
    return normalise.text(value)


def _number(value: Any) -> float | None:
    """A number (``normalise.number``, a decimal comma allowed); ValueError when it is none."""
    if type(value) is float and math.isfinite(value):  # most cells: as normalise.number reads them
        return value
    if value is None:
        return None
    found = normalise.number(value)
    if found.invalid:
        raise ValueError(f"not a number: {found.shown}")
    return found.value


def _rows(path: Path, stop_at: str | None = None) -> list[tuple[Any, ...]]:
    """The values of ``_data`` (formulas as their stored values), or WorkbookFileError.

    Only ``_data`` is scanned and read (``workbook/rows.py``), whatever else the monitor holds.
    With ``stop_at``, the rows end before the row whose first cell is that section marker.
    """
    kind = guard_input(path)
    if kind != "xlsx":
        raise _unreadable(path, "not_xlsx")
    try:
        # the used area is all a monitor's _data needs checked: its values are read, nothing else
        scans = scan_sheets(path, kind, only=(DATA_SHEET,), extent_only=True)
        check_sizes(scans, path.name, max_cells=_MAX_CELLS)
        workbook = read_rows(path, scans, only=(DATA_SHEET,), max_cells=_MAX_CELLS)
    except WorkbookFileError as exc:
        if exc.problem.code == "sheet_too_large":
            raise _unreadable(path, "too_many_rows") from None
        raise
    sheet = workbook.sheet(DATA_SHEET)
    if sheet is None:
        raise _unreadable(path, "no_data_sheet")
    rows: list[tuple[Any, ...]] = []
    for values in sheet.rows:
        if stop_at is not None and values and values[0] == stop_at:
            break
        rows.append(values)
        if len(rows) > _MAX_ROWS:
            raise _unreadable(path, "too_many_rows")
    return rows


def _markers(rows: list[tuple[Any, ...]]) -> dict[str, int]:
    """Section marker ("[history]", ...) -> the index of its first row in ``rows``: found in one
    pass, so each section is looked up without scanning the rows again."""
    found: dict[str, int] = {}
    for index, values in enumerate(rows):
        if values and isinstance(values[0], str) and values[0].lstrip().startswith("["):
            found.setdefault(_text(values[0]), index)
    return found


def _section(
    path: Path,
    rows: list[tuple[Any, ...]],
    marker: str,
    columns: Sequence[str],
    required: bool = True,
    markers: dict[str, int] | None = None,
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, {column: value}) for every data row of the section headed by ``marker``
    (``markers``: ``_markers(rows)``, when the caller looks up several sections)."""
    start = (markers if markers is not None else _markers(rows)).get(marker)
    if start is None or start + 1 >= len(rows):
        if not required:
            return
        raise _unreadable(path, f"no_section:{marker}")
    header = [_text(v).lower() for v in rows[start + 1]]
    missing = [c for c in columns if c not in header]
    if missing:
        raise _unreadable(path, f"columns_missing:{','.join(missing)}", start + 2)
    index = {name: header.index(name) for name in columns}
    for offset, values in enumerate(rows[start + 2 :]):
        if not any(v not in (None, "") for v in values):
            return
        yield (
            start + 3 + offset,
            {name: values[i] if i < len(values) else None for name, i in index.items()},
        )


# The last monitors read, by file identity: `kwm process` and `kwm a3` first find the monitors
# (reading each) and then read them again for their history; a monitor is read from disk once.
# The value says whether the answers were read too.
_READ_CACHE: dict[tuple[object, ...], tuple[MonitorData, bool]] = {}
_READ_CACHE_SIZE = 8


def _file_identity(path: Path) -> tuple[object, ...] | None:
    """Changes whenever the file does (a save replaces it: new inode, size or times)."""
    try:
        stat = path.stat()
        return (
            str(path.resolve()),
            stat.st_dev,
            stat.st_ino,
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ctime_ns,
        )
    except OSError:
        return None


def read_data(path: Path, *, answers: bool = False) -> MonitorData:
    """Read ``_data`` of a monitor written by ``write_monitor``. Raises WorkbookFileError.

    The answers section (one row per answer: informative, no later monitor needs it) is read only
    when ``answers`` is set; without it reading stops after the history, however large the monitor.
    """
    identity = _file_identity(path)
    known = _READ_CACHE.get(identity) if identity is not None else None
    if known is not None and (known[1] or not answers):
        data = known[0]
        kept = list(data.answers) if answers else []
        return dataclasses.replace(data, path=path, history=list(data.history), answers=kept)
    data = _read_data(path, answers)
    if identity is not None:
        _READ_CACHE.pop(identity, None)
        if len(_READ_CACHE) >= _READ_CACHE_SIZE:
            del _READ_CACHE[next(iter(_READ_CACHE))]
        copy = dataclasses.replace(data, history=list(data.history), answers=list(data.answers))
        _READ_CACHE[identity] = (copy, answers)
    return data


def _read_data(path: Path, with_answers: bool) -> MonitorData:
    rows = _rows(path, stop_at=None if with_answers else ANSWERS_SECTION)
    if not rows or not rows[0] or _text(rows[0][0]) != MARKER:
        raise _unreadable(path, "no_marker", 1)
    version = _text(rows[0][1] if len(rows[0]) > 1 else None)
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise _unreadable(path, "version_invalid", 1) from None
    if major > int(FORMAT_VERSION):
        raise _unreadable(path, f"version_newer:{version}", 1)

    meta: dict[str, str] = {}
    for values in rows[1:]:
        key = _text(values[0]) if values else ""
        if not key or key.startswith("["):
            break
        meta[key] = _text(values[1] if len(values) > 1 else None)
    if not meta.get("client_code") or not meta.get("period"):
        raise _unreadable(path, "metadata_missing", 2)

    history = []
    markers = _markers(rows)
    for number, cells in _section(path, rows, HISTORY_SECTION, HISTORY_COLUMNS, markers=markers):
        try:
            value = _number(cells["value"])
            n = _number(cells["n"])
        except ValueError:
            raise _unreadable(path, "value_invalid", number) from None
        period, kind = _text(cells["period"]), _text(cells["kind"])
        if not period or not kind:
            raise _unreadable(path, "row_incomplete", number)
        history.append(
            HistoryRow(
                period=period,
                kind=kind,
                code=_text(cells["code"]),
                title=_text(cells["title"]),
                value=value,
                n=int(n) if n is not None else None,
            )
        )

    answers = []
    # answers are informative only; the history is what later monitors need
    for number, cells in _section(path, rows, ANSWERS_SECTION, ANSWER_COLUMNS, False, markers):
        try:
            grade, weight = _number(cells["grade"]), _number(cells["weight"])
        except ValueError:
            raise _unreadable(path, "value_invalid", number) from None
        answers.append(
            DataAnswer(
                period=_text(cells["period"]),
                respondent=_text(cells["respondent"]) or None,
                kwi_code=_text(cells["kwi"]),
                question_number=_text(cells["question"]),
                grade=grade,
                relevance=_text(cells["relevance"]),
                weight=weight,
            )
        )

    return MonitorData(
        path=path,
        format_version=version,
        client_code=meta["client_code"],
        client=meta.get("client", ""),
        period=meta["period"],
        generated_at=meta.get("generated_at", ""),
        history=history,
        answers=answers,
        figures=_read_figures(path, rows, markers),
    )


def _read_figures(path: Path, rows: list[tuple[Any, ...]], markers: dict[str, int]) -> MonitorFigures:
    """The sections of what the monitor shows (empty for monitors made before they existed)."""

    def section(marker: str) -> list[tuple[int, dict[str, Any]]]:
        return list(_section(path, rows, marker, FIGURE_SECTIONS[marker], False, markers))

    def number(value: Any, row: int) -> float | None:
        try:
            return _number(value)
        except ValueError:
            raise _unreadable(path, "value_invalid", row) from None

    def whole(value: Any, row: int) -> int | None:
        found = number(value, row)
        return int(found) if found is not None else None

    def day(value: Any) -> dt.date | None:
        found = normalise.date(value)
        return found.value if found.valid else None

    settings = {_text(c["key"]): _text(c["value"]) for _, c in section("[settings]") if _text(c["key"])}
    figures = {_text(c["key"]): number(c["value"], r) for r, c in section("[figures]") if _text(c["key"])}
    kwis = tuple(
        KwiFigures(
            code=_text(c["code"]),
            title=_text(c["title"]),
            description=_text(c["description"]),
            target=number(c["target"], r) or 0.0,
            score=number(c["score"], r),
            mean=number(c["mean"], r),
            n=whole(c["n"], r),
            n_respondents=whole(c["n_respondents"], r),
            swing=number(c["swing"], r),
            shown=bool(whole(c["shown"], r)),
        )
        for r, c in section("[kwis]")
    )
    questions = tuple(
        QuestionFigures(
            number=_text(c["number"]),
            kwi=_text(c["kwi"]),
            text=_text(c["text"]),
            n=whole(c["n"], r),
            mean=number(c["mean"], r),
            score=number(c["score"], r),
            less=whole(c["less"], r),
            neutral=whole(c["neutral"], r),
            more=whole(c["more"], r),
            shown=bool(whole(c["shown"], r)),
            standard=_text(c["standard"]),
        )
        for r, c in section("[questions]")
    )
    distribution = tuple(whole(c["count"], r) or 0 for r, c in section("[nps]"))
    remarks = tuple(RemarkFigures(_text(c["text"]), _text(c["by"])) for _, c in section("[remarks]"))
    actions = tuple(
        ActionFigures(
            number=_text(c["number"]),
            date=day(c["date"]),
            description=_text(c["description"]),
            kwi=_text(c["kwi"]),
            owner=_text(c["owner"]),
            status=_text(c["status"]).lower(),
            deadline=day(c["deadline"]),
            overdue=bool(whole(c["overdue"], r)),
        )
        for r, c in section("[actions]")
    )
    return MonitorFigures(settings, figures, kwis, questions, remarks, actions, distribution)


def read_history(path: Path) -> list[HistoryRow]:
    """The trend history (all periods) kept in a monitor. Raises WorkbookFileError when unreadable:
    a ``file_*`` problem for a file that is no readable workbook, ``history_unreadable`` otherwise."""
    return read_data(path).history


# ---------------------------------------------------------------------------------------------
# Finding and merging


def is_monitor_name(name: str) -> bool:
    """``KLANT-2011H1 Klantwaardemonitor.xlsx`` or the English name; never an Excel lock file."""
    if name.startswith(("~$", ".")) or not name.lower().endswith(".xlsx"):
        return False
    plain = "".join(ch for ch in name.lower() if ch.isalnum())
    return any(marker in plain for marker in MONITOR_NAME_MARKERS)


def _candidates(folder: Path) -> list[Path]:
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / name for name in files if is_monitor_name(name)]
    return sorted(found)


def find_monitors(folder: Path, client_code: str) -> list[Path]:
    """Every monitor of ``client_code`` under ``folder`` (recursively), oldest first.

    A file counts when its name says it is a monitor (``*Klantwaardemonitor*.xlsx`` or
    ``*Customer value monitor*.xlsx``, any case or spacing) and its ``_data`` names the same client
    code. Readable workbooks without kwm's ``_data`` (e.g. reports from the old Excel macros) are
    skipped silently; files that cannot be opened at all are kept, first, so that ``load_history``
    warns about them. Order: by when each monitor was generated, then its period, then its path,
    so that in ``load_history`` the most recently generated monitor wins for a period.
    """
    if not folder.is_dir():
        return []
    wanted = client_code.strip().upper()
    keyed: list[tuple[tuple[str, str, str], Path]] = []
    for path in _candidates(folder):
        try:
            data = read_data(path)
        except WorkbookFileError as exc:
            if exc.problem.code != "history_unreadable":
                keyed.append((("", "", str(path)), path))
            continue
        if data.client_code.strip().upper() == wanted:
            keyed.append(((data.generated_at, data.period, str(path)), path))
    return [path for _, path in sorted(keyed)]


def load_history(paths: Sequence[Path]) -> tuple[list[HistoryRow], list[Problem]]:
    """The merged history of ``paths``; a later path wins for a period both hold.

    Unreadable files give a ``history_unreadable`` warning each (the file in the location) and are
    otherwise ignored. A path given twice is read once.
    """
    merged: list[HistoryRow] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for path in paths:
        key = path.resolve()
        if key in seen:
            continue
        seen.add(key)
        try:
            rows = read_history(path)
        except WorkbookFileError as exc:
            found = exc.problem
            if found.code == "history_unreadable":
                problems.append(found)
            else:
                where = Location(file=path.name)
                problems.append(problem("history_unreadable", where, path=str(path), cause=found.code))
            continue
        merged = merge_history(merged, rows)
    return merged, problems


__all__ = [
    "DATA_SHEET",
    "FORMAT_VERSION",
    "MARKER",
    "DataAnswer",
    "MonitorData",
    "find_monitors",
    "is_monitor_name",
    "load_history",
    "read_data",
    "read_history",
    "write_data_sheet",
]
