"""Reading the base (SPEC 3.1) from plain rows: ``WorkbookRows`` in, ``Base`` and every problem
out. Standard library only: ``workbook/base.py`` turns the file into rows, everything after that
happens here, so the validation is tested with rows typed inline (tests/test_reading.py).

One module per sheet (``settings``, ``respondents``, ``kwis``, ``questions``, ``actions``,
``a3``, ``team``), ``table`` for finding sheets, header rows and columns, ``cross`` for the checks
across sheets, ``cells`` for what the file says about its cells (formulas saved without a result,
hidden rows and columns that hold data). The names of the format are in ``klantwaarde.baseformat``; values are converted by
``klantwaarde.normalise``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from klantwaarde.baseformat import REQUIRED_SHEETS
from klantwaarde.model import DEFAULT_THRESHOLD, Base, Location, Question, Settings
from klantwaarde.problems import Problem
from klantwaarde.reading.a3 import read_a3
from klantwaarde.reading.actions import read_actions
from klantwaarde.reading.cells import cell_checks
from klantwaarde.reading.cross import cross_checks
from klantwaarde.reading.kwis import read_kwis
from klantwaarde.reading.placeholders import Replacer
from klantwaarde.reading.questions import read_questions
from klantwaarde.reading.respondents import read_respondents
from klantwaarde.reading.settings import read_settings
from klantwaarde.reading.table import Reader, Table
from klantwaarde.reading.team import check_owners, read_team
from klantwaarde.sheetdata import WorkbookRows

# The language of the base -> its two standard statements ("active", "agreements"), as the
# messages about a missing one name them. Asked only when the base has a questions sheet.
StandardStatements = Callable[[str], Mapping[str, str]]


@dataclass(frozen=True)
class BaseReading:
    """What reading a base gives: the base (None when it cannot be built), every problem, and the
    language of the base (from ``Taal``, else guessed from the sheet names) for the messages."""

    base: Base | None
    problems: list[Problem]
    language: str


def read_base_rows(
    workbook: WorkbookRows, path: Path, standard: StandardStatements, *, today: dt.date | None = None
) -> BaseReading:
    """Validate the base in ``workbook`` (the rows of the file at ``path``) and build it. With
    ``today``, a Deadline or Sessiedatum before it is a warning (the old dates after ``kwm next``).

    The base is None only when it cannot be built (a required sheet or column is missing); the
    problems are all there are, each with the file, sheet, row and column concerned."""
    reader = Reader(workbook.file)
    sheets = [sheet for sheet in workbook.sheets if sheet.kind == "worksheet"]
    found = reader.find_sheets([sheet.name for sheet in sheets])
    by_name = {sheet.name: sheet for sheet in reversed(sheets)}  # the first of a name counts
    tables: dict[str, Table] = {}
    complete = all(key in found for key in REQUIRED_SHEETS)
    for key, name in found.items():
        table = reader.table(key, by_name[name])
        if table is not None:
            tables[key] = table
        elif key in REQUIRED_SHEETS:
            complete = False

    settings: Settings | None = (
        read_settings(reader, tables["settings"], today) if "settings" in tables else None
    )
    language = settings.language if settings else ("en" if reader.english else "nl")
    replace = Replacer(reader, settings.supplier if settings else "", settings.client if settings else "")
    respondents = read_respondents(reader, tables["respondents"]) if "respondents" in tables else []
    kwis = read_kwis(reader, tables["kwis"], respondents, replace) if "kwis" in tables else []
    rows = (
        read_questions(reader, tables["questions"], respondents, kwis, replace)
        if "questions" in tables
        else []
    )
    actions = read_actions(reader, tables["actions"], kwis) if "actions" in tables else []
    a3 = read_a3(reader, tables["a3"]) if "a3" in tables else None
    team = read_team(reader, tables["team"]) if "team" in tables else []
    if "team" in tables:
        check_owners(reader, team, actions, tables.get("actions"))
    if "questions" in tables:
        threshold = settings.anonymity_threshold if settings else DEFAULT_THRESHOLD
        cross_checks(reader, tables, respondents, kwis, rows, actions, standard(language), threshold)
    for table in tables.values():
        cell_checks(reader, table)

    if not complete or settings is None:
        return BaseReading(None, reader.problems, language)
    questions = tuple(
        Question(
            kwi_code=row.kwi_code,
            number=row.number or "",
            text=row.text,
            assigned=tuple(row.assigned),
            location=Location(reader.file, tables["questions"].name, row.row),
        )
        for row in rows
    )
    base = Base(
        path=path,
        settings=settings,
        respondents=tuple(respondents),
        kwis=tuple(kwis),
        questions=questions,
        actions=tuple(actions),
        a3=a3,
        team=tuple(team),
    )
    return BaseReading(base, reader.problems, language)


__all__ = ["BaseReading", "StandardStatements", "read_base_rows"]
