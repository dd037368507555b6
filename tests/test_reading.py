"""Reading the base from rows (reading/): no file anywhere here. The problem catalogue of the base,
case by case, is in test_base_reader.py (also fed rows); this module holds what belongs to the
reading package itself: the base's own rules for question numbers, the facts a table keeps for
later checks, the standard statements asked for once, and arbitrary cell values."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klantwaarde.problems import CATALOGUE
from klantwaarde.reading import read_base_rows
from klantwaarde.reading.questions import question_number
from klantwaarde.reading.table import Reader
from klantwaarde.sheetdata import SheetRows, WorkbookRows
from klantwaarde.texts import load_texts

SMALL: dict[str, list[list[Any]]] = {
    "Instellingen": [["Instelling", "Waarde"], ["Klant", "Acme"], ["Klantcode", "ACME"], ["Leverancier", "Lev"], ["Periode", "2024H1"], ["Anonimiteitsdrempel", 2]],
    "Respondenten": [["Naam", "Initialen"], ["Ann", "AA"], ["Bob", "BB"]],
    "KWI's": [["Code", "Titel"], ["KWI-01", "Kennis"]],
    "Vragen": [
        ["KWI", "Nr", "Vraag", "AA", "BB"],
        ["KWI-01", "1.01", "{leverancier} kent {klant}", "x", "x"],
        ["KWI-01", "1.02", "{leverancier} werkt actief aan deze KWI", "x", "x"],
    ],
}  # fmt: skip


def statements(language: str) -> dict[str, str]:
    return {"active": f"actief ({language})", "agreements": f"afspraken ({language})"}


def test_a_base_typed_as_rows_reads_without_any_file():
    reading = read_base_rows(WorkbookRows.of("basis.ods", SMALL), Path("map/basis.ods"), statements)
    assert reading.problems == [] and reading.language == "nl"
    assert reading.base is not None and reading.base.path == Path("map/basis.ods")
    assert reading.base.questions[0].text == "Lev kent Acme"
    assert reading.base.questions[1].location.file == "basis.ods"


def test_the_standard_statements_are_asked_once_in_the_language_of_the_base():
    asked: list[str] = []

    def recorded(language: str) -> dict[str, str]:
        asked.append(language)
        return statements(language)

    english = {**SMALL, "Instellingen": [*SMALL["Instellingen"], ["Taal", "English"]]}
    english["Vragen"] = [row[:] for row in SMALL["Vragen"][:2]]  # no standard statement left
    reading = read_base_rows(WorkbookRows.of("b.xlsx", english), Path("b.xlsx"), recorded)
    assert asked == ["en"]
    missing = next(p for p in reading.problems if p.code == "kwi_standard_missing")
    assert missing.context["statement"] == "actief (en)"
    without_questions = {k: v for k, v in SMALL.items() if k != "Vragen"}
    read_base_rows(WorkbookRows.of("b.xlsx", without_questions), Path("b.xlsx"), recorded)
    assert asked == ["en"]  # no questions sheet: nothing to check them against


def test_chart_sheets_are_no_sheets_of_the_base():
    workbook = WorkbookRows.of("b.xlsx", SMALL)
    chart = SheetRows("Vragen", kind="chartsheet")
    reading = read_base_rows(WorkbookRows("b.xlsx", (chart, *workbook.sheets)), Path("b.xlsx"), statements)
    assert reading.problems == [] and reading.base is not None and len(reading.base.questions) == 2


def test_a_table_keeps_the_facts_of_its_sheet_for_later_checks():
    sheet = SheetRows(
        "Respondenten",
        (("Naam", "Initialen"), ("Ann", "AA"), ("Bob", "BB")),
        hidden_rows=((3, 3),),
        errors={(2, 1): "#N/A"},
    )
    table = Reader("b.xlsx").table("respondents", sheet)
    assert table is not None and table.sheet is sheet
    hidden = [number for number, _ in table.rows if table.sheet.row_hidden(number)]
    assert hidden == [3]


def test_the_base_rules_for_question_numbers():
    assert question_number(None) == (None, True)
    assert question_number(False) == (None, True)  # an unticked box is nothing typed
    assert question_number(" 1.02 ") == ("1.02", True)
    assert question_number(1.1) == ("1.10", True)
    assert question_number("１.０２") == ("1.02", True)  # full-width digits, as typed on some keyboards
    for bad in (
        "nps",
        "N.P.S.",
        " Remark ",
        "anonymous",
        "1.\t02",
        "1\n2",
        "\x01",
        True,
        dt.time(7),
        dt.date(2024, 2, 1),
    ):
        assert question_number(bad) == (None, False), bad


# ---------------------------------------------------------------------------------------------
# Arbitrary cell values anywhere in a base: problems, never a traceback

ANY_VALUE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),  # NaN and infinity too: a damaged file can hold them
    st.text(max_size=20),
    st.sampled_from(["x", "ja", "nps", "1.02", "17-6-2011", "31-2-2024", "7,5", "#N/A", "{klant}", "{x}", "KWI-01", "AA"]),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
    st.decimals(allow_nan=False),
)  # fmt: skip
CELLS = st.tuples(st.sampled_from(sorted(SMALL)), st.integers(1, 6), st.integers(1, 7))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CELLS, ANY_VALUE), max_size=12))
def test_arbitrary_values_in_any_cell_give_problems_never_a_traceback(edits):
    sheets = {name: [list(row) for row in rows] for name, rows in SMALL.items()}
    for (name, row, column), value in edits:
        rows = sheets[name]
        while len(rows) < row:
            rows.append([])
        rows[row - 1] += [None] * (column - len(rows[row - 1]))
        rows[row - 1][column - 1] = value
    reading = read_base_rows(WorkbookRows.of("basis.xlsx", sheets), Path("basis.xlsx"), statements)
    texts = load_texts("nl")
    for found in reading.problems:
        assert found.code in CATALOGUE
        assert found.location.file == "basis.xlsx" and found.location.sheet
        assert texts.message(found)
    if reading.base is not None:  # whatever was typed, what was built is well-formed
        base = reading.base
        weights = base.settings.weights
        assert all(math.isfinite(w) and w > 0 for w in (weights.less, weights.neutral, weights.more))
        assert 1 <= base.settings.default_target <= 10
        assert all(k.target is None or 1 <= k.target <= 10 for k in base.kwis)
        assert all(q.number and isinstance(q.number, str) for q in base.questions)
        days = [base.settings.deadline, base.settings.session_date]
        days += [day for a in base.actions for day in (a.date, a.deadline)]
        assert all(day is None or type(day) is dt.date for day in days)
