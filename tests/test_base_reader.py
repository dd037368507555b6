"""The base reader (SPEC 3.1): bases typed as rows become the expected model; every base problem
code is raised with the right sheet, row and column; a file reads exactly as its rows do."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm

import lo_kit
from conftest import DATA, build_workbook
from factories import example_base
from klantwaarde.model import A3Figure, Base, Location
from klantwaarde.problems import CATALOGUE, WorkbookFileError
from klantwaarde.reading import read_base_rows
from klantwaarde.reading.questions import question_number
from klantwaarde.sheetdata import WorkbookRows
from klantwaarde.texts import load_texts
from klantwaarde.workbook.base import read_base

EXAMPLES = Path(__file__).parents[1] / "examples"

ACTIVE = "{leverancier} gaf blijk actief aan deze KWI te werken"
AGREEMENTS = "{leverancier} kwam de afspraken inzake deze KWI na (zie actielijst)"


def small_base() -> dict[str, list[list[Any]]]:
    """A small base without any problem; tests change one thing in it."""
    return {
        "Instellingen": [
            ["Instelling", "Waarde"],
            ["Klant", "Acme NV"],
            ["Klantcode", "ACME"],
            ["Leverancier", "Lev BV"],
            ["Periode", "2024H1"],
            ["Anonimiteitsdrempel", 2],  # two respondents: k = 3 would withhold every figure
        ],
        "Respondenten": [
            ["Naam", "Initialen", "E-mail", "Functie", "Opmerking"],
            ["Ann Acme", "AA", "ann@acme.nl", "CEO", None],
            ["Bob Acme", "BB", "bob@acme.nl", "CFO", None],
        ],
        "KWI's": [
            ["Code", "Titel", "Omschrijving", "Doel", "Ingebracht door"],
            ["KWI-01", "Kennis", "Kennis is geborgd", None, "AA"],
        ],
        "Vragen": [
            ["KWI", "Nr", "Vraag", "AA", "BB"],
            ["KWI-01", "1.01", "{leverancier} kent {klant}", "x", "x"],
            ["KWI-01", "1.02", ACTIVE, "x", "x"],
            ["KWI-01", "1.03", AGREEMENTS, "x", "x"],
        ],
        "Acties": [
            ["Nr", "Datum", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
            ["2024-01", dt.date(2024, 1, 8), "Kennissessie", "KWI-01", "RM", "open", None],
        ],
    }


def standard(language: str) -> dict[str, str]:
    texts = load_texts(language)
    return {kind: texts(f"standard.{kind}") for kind in ("active", "agreements")}


def read(sheets: dict[str, list[list[Any]]], name: str = "basis.xlsx"):
    """Validate the base typed as rows (no file): what ``read_base`` does after reading a file."""
    reading = read_base_rows(WorkbookRows.of(name, sheets), Path(name), standard)
    return reading.base, reading.problems


def read_file(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str = "basis.xlsx"):
    """The same rows written to a workbook by openpyxl, and read back as a file."""
    return read_base(build_workbook(tmp_path / name, sheets))


def where(problems) -> set[tuple[str, str | None, int | None, str | None]]:
    return {(p.code, p.location.sheet, p.location.row, p.location.column) for p in problems}


# ---------------------------------------------------------------------------------------------
# The model


def test_the_example_reads_as_the_example_model():
    path = EXAMPLES / "basis.xlsx"
    base, problems = read_base(path)
    assert problems == []
    assert base is not None
    assert dataclasses.replace(base, a3=None) == example_base(path)


def test_the_example_a3_sheet_reads_into_a3_data():
    base, _ = read_base(EXAMPLES / "basis.xlsx")
    assert base is not None and base.a3 is not None
    keys = ["vision", "mission", "success_factors", "organisation_indicators", "organisation_actions"]
    keys.append("preconditions")
    assert dict(base.a3.blocks) == {key: text for key, (_, text) in zip(keys, nm.A3_BLOCKS, strict=True)}
    figure_keys = ["contacts", "appointments", "leads", "orders", "revenue", "margin", "sessions"]
    assert base.a3.figures == tuple(
        A3Figure(key, last, this) for key, (_, last, this) in zip(figure_keys, nm.A3_FIGURES, strict=True)
    )


def test_the_earlier_example_is_the_same_base_in_the_earlier_period():
    path = EXAMPLES / nm.EARLIER_PERIOD / "basis.xlsx"
    base, problems = read_base(path)
    assert problems == [] and base is not None
    expected = example_base(path)
    expected = dataclasses.replace(expected, settings=dataclasses.replace(expected.settings, period="2010H2"))
    assert dataclasses.replace(base, a3=None) == expected


def test_internal_notes_languages_and_the_threshold_are_read():
    sheets = small_base()
    sheets["Respondenten"][0] += ["Interne notitie", "Taal"]
    sheets["Respondenten"][1] += ["Beslist over de verlenging", "Engels"]
    sheets["Respondenten"][2] += [None, None]
    sheets["Instellingen"][5][1] = "4"  # text, as a user may type it
    sheets["Instellingen"].append(["Weging meer", 100])  # the largest weight allowed
    base, problems = read(sheets)
    assert [p.code for p in problems] == ["respondents_below_threshold"]  # 2 of them, k = 4
    assert base is not None and base.settings.anonymity_threshold == 4
    assert base.settings.weights.more == 100
    ann, bob = base.respondents
    assert (ann.internal_note, ann.language) == ("Beslist over de verlenging", "en")
    assert (bob.internal_note, bob.language) == ("", "")
    assert ann.remark == ""  # the internal note never becomes the remark shown to the client


def test_without_the_setting_the_threshold_is_three():
    sheets = small_base()
    del sheets["Instellingen"][5]
    base, problems = read(sheets)
    assert base is not None and base.settings.anonymity_threshold == 3
    assert [p.code for p in problems] == ["respondents_below_threshold"]


def test_a_small_base_reads_without_problems():
    base, problems = read(small_base())
    assert problems == []
    assert base is not None
    assert base.settings.client == "Acme NV"
    assert base.settings.language == "nl"
    assert base.settings.weights.neutral == 2
    assert base.questions[0].text == "Lev BV kent Acme NV"
    assert base.questions[0].assigned == ("AA", "BB")
    assert base.questions[0].location == Location("basis.xlsx", "Vragen", 2)
    assert base.actions[0].date == dt.date(2024, 1, 8)
    assert base.a3 is None


def test_english_names_odd_spacing_and_a_header_row_below_a_title():
    sheets = {
        "Settings": [
            ["Settings of the monitor"],
            [],
            ["  SETTING ", "value"],
            ["client", "Acme NV"],
            ["Client  code", "ACME"],
            ["Supplier", "Lev BV"],
            ["period", "2024H2"],
            ["Language", "EN"],
            ["KWI target", "7,5"],
            ["Weight less", "0,5"],
            ["Weight more", 4],
            ["Account manager e-mail", "rm@lev.nl"],
            ["Session date", "17-6-2024"],
            ["Anonymity threshold", 2],
        ],
        " respondents ": [
            ["name", "INITIALS", "E - mail", "role"],
            ["Ann", "aa", "ann@acme.nl", "CEO"],
            ["Bob", "bb ", None, None],
        ],
        "KWIs": [
            ["code", "Title", "Description", "Target", "Contributed by"],
            ["kwi-01", "Know", "", 8, "aa"],
        ],
        "Questions": [
            ["KWI", "No.", " Question ", "Notes", "aa", "BB"],
            ["KWI-01", None, "{Supplier} knows {client}", "some note", "X", "yes"],
            ["KWI-01", None, "{supplier} showed it was actively working on this KWI", None, 1, "✓"],
            ["KWI-01", None, "{supplier} kept the agreements on this KWI (see action list)", None, "Ja", "j"],
        ],
        "Actions": [
            ["No.", "Date", "Description", "KWI", "Owner", "Status", "Deadline"],
            [dt.datetime(2024, 1, 1), "8-1-2024", "Meet", "kwi-01", "RM", "In Progress", "2024-03-01"],
            ["2024-02", None, "Report", "KWI-01", "RM", "Done", None],
        ],
        "Notes": [["anything"]],
    }
    base, problems = read(sheets)
    assert problems == []
    assert base is not None
    s = base.settings
    assert (s.client, s.client_code, s.supplier, s.period, s.language) == (
        "Acme NV",
        "ACME",
        "Lev BV",
        "2024H2",
        "en",
    )
    assert s.default_target == 7.5
    assert (s.weights.less, s.weights.neutral, s.weights.more) == (0.5, 2.0, 4.0)
    assert s.session_date == dt.date(2024, 6, 17)
    assert [r.initials for r in base.respondents] == ["AA", "BB"]
    assert base.respondents[0].function == "CEO"
    assert base.kwis[0].code == "kwi-01" and base.kwis[0].target == 8 and base.kwis[0].contributed_by == "AA"
    assert [q.number for q in base.questions] == ["1.01", "1.02", "1.03"]
    assert [q.kwi_code for q in base.questions] == ["kwi-01"] * 3
    assert base.questions[0].text == "Lev BV knows Acme NV"
    assert all(q.assigned == ("AA", "BB") for q in base.questions)
    first, second = base.actions
    assert (first.number, first.date, first.status, first.deadline) == (
        "2024-01",
        dt.date(2024, 1, 8),
        "lopend",
        dt.date(2024, 3, 1),
    )
    assert first.kwi_code == "kwi-01"
    assert second.status == "gereed"


def test_numeric_numbers_come_back_as_text_and_blank_numbers_are_filled_in():
    sheets = small_base()
    sheets["KWI's"].append(["KWI-02", "Tweede", None, None, None])
    sheets["Vragen"] = [
        ["KWI", "Nr", "Vraag", "AA", "BB"],
        ["KWI-01", 1.1, "Vraag a", "x", "x"],  # Excel made a number of "1.10"
        ["KWI-01", None, "Vraag b", "x", "x"],
        ["KWI-01", 1.02, "Vraag c", "x", "x"],
        ["KWI-01", None, ACTIVE, "x", "x"],
        ["KWI-01", "1.01", AGREEMENTS, "x", "x"],
        ["KWI-02", None, ACTIVE, "x", "x"],
        ["KWI-02", 7, "Vraag d", "x", "x"],
    ]
    base, problems = read(sheets)
    assert problems == []
    assert base is not None
    assert [q.number for q in base.questions] == ["1.10", "1.03", "1.02", "1.04", "1.01", "2.01", "7"]


def test_marks_statuses_and_settings_defaults():
    sheets = small_base()
    sheets["Vragen"][1][3:5] = ["X", True]
    sheets["Vragen"][2][3:5] = [1.0, "JA "]
    sheets["Vragen"][3][3:5] = ["✓", "yes"]
    sheets["Acties"][1][5] = "gereed"
    base, problems = read(sheets)
    assert problems == []
    assert base is not None
    assert all(q.assigned == ("AA", "BB") for q in base.questions)
    assert base.settings.default_target == 7.5 and base.settings.weights.more == 3
    assert base.actions[0].status == "gereed"


def test_initials_are_upper_case_and_the_matrix_is_case_insensitive():
    sheets = small_base()
    sheets["Respondenten"][1][1] = " aa "
    sheets["Vragen"][0][3] = "Aa"
    base, problems = read(sheets)
    assert problems == []
    assert base is not None
    assert base.respondents[0].initials == "AA"
    assert base.questions[0].assigned == ("AA", "BB")


def test_an_a3_sheet_in_english_with_repeated_items():
    sheets = small_base()
    sheets["A3"] = [
        ["Item", "Content", "Last year", "This year"],
        ["Vision", "Grow", None, None],
        ["Preconditions", "Budget", None, None],
        ["Preconditions", "People", None, None],
        ["Revenue", None, "1.000,5", 2000],
        ["Net Promoter Score", None, None, "n/a"],
        ["#Leads", None, None, None],
    ]
    base, problems = read(sheets)
    assert problems == []
    assert base is not None and base.a3 is not None
    assert dict(base.a3.blocks) == {"vision": "Grow", "preconditions": "Budget\nPeople"}
    assert base.a3.figures == (A3Figure("revenue", "1.000,5", 2000), A3Figure("nps", None, "n/a"))


def test_the_reader_never_changes_the_base(tmp_path):
    path = build_workbook(tmp_path / "basis.xlsx", small_base())
    before = path.read_bytes()
    read_base(path)
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------------------------
# Every base problem code, with sheet, row and column


def set_cell(sheets, sheet: str, row: int, column: int, value: Any) -> None:
    rows = sheets[sheet]
    while len(rows) < row:
        rows.append([])
    while len(rows[row - 1]) < column:
        rows[row - 1].append(None)
    rows[row - 1][column - 1] = value


def change(*edits):
    def apply(sheets):
        for sheet, row, column, value in edits:
            set_cell(sheets, sheet, row, column, value)

    return apply


def add_respondents(count: int):
    def apply(sheets):
        for i in range(count):
            initials = f"R{i}"
            sheets["Respondenten"].append([f"Resp {i}", initials, None, None, None])
            sheets["Vragen"][0].append(initials)
            for row in sheets["Vragen"][1:]:
                row.append("x")

    return apply


def delete(sheet: str):
    return lambda sheets: sheets.pop(sheet)


def rename(sheet: str, new: str):
    return lambda sheets: sheets.update({new: sheets.pop(sheet)})


def drop_row(sheet: str, row: int):
    return lambda sheets: sheets[sheet].pop(row - 1)


CASES = [
    # code, edit, (sheet, row, column)
    ("sheet_missing", delete("Vragen"), ("Vragen", None, None)),
    ("sheet_ignored", rename("Acties", "Akties"), ("Akties", None, None)),
    ("sheet_empty", lambda s: s["KWI's"].__delitem__(slice(1, None)), ("KWI's", 2, "A")),
    ("header_missing", change(("Vragen", 1, 3, "Vrag")), ("Vragen", 1, "C")),
    ("column_ignored", change(("KWI's", 1, 3, "Omschijving")), ("KWI's", 1, "C")),
    ("setting_missing", drop_row("Instellingen", 2), ("Instellingen", 6, "A")),
    ("setting_missing", change(("Instellingen", 4, 2, "  ")), ("Instellingen", 4, "B")),
    ("setting_invalid", change(("Instellingen", 7, 1, "Taal"), ("Instellingen", 7, 2, "fr")), ("Instellingen", 7, "B")),
    ("setting_invalid", change(("Instellingen", 7, 1, "Weging meer"), ("Instellingen", 7, 2, "veel")), ("Instellingen", 7, "B")),
    ("setting_invalid", change(("Instellingen", 7, 1, "KWI-doel"), ("Instellingen", 7, 2, 11)), ("Instellingen", 7, "B")),
    ("setting_invalid", change(("Instellingen", 7, 1, "Weging meer"), ("Instellingen", 7, 2, 101)), ("Instellingen", 7, "B")),
    ("setting_invalid", change(("Instellingen", 6, 2, 1)), ("Instellingen", 6, "B")),  # k at least 2
    ("setting_invalid", change(("Instellingen", 6, 2, 2.5)), ("Instellingen", 6, "B")),  # a whole number
    ("setting_invalid", change(("Instellingen", 6, 2, "drie")), ("Instellingen", 6, "B")),
    ("period_invalid", change(("Instellingen", 3, 2, "ACME-NEDERLAND-HOLDING")), ("Instellingen", 3, "B")),  # 21
    ("period_invalid", change(("Instellingen", 3, 2, "ACME NV")), ("Instellingen", 3, "B")),
    ("period_invalid", change(("Instellingen", 5, 2, "-2024H1")), ("Instellingen", 5, "B")),
    ("setting_invalid", change(("Instellingen", 7, 1, "Deadline"), ("Instellingen", 7, 2, "volgende week")), ("Instellingen", 7, "B")),
    ("setting_unknown", change(("Instellingen", 7, 1, "Klantnaam"), ("Instellingen", 7, 2, "x")), ("Instellingen", 7, "A")),
    ("period_invalid", change(("Instellingen", 5, 2, "2024/H1")), ("Instellingen", 5, "B")),
    ("period_invalid", change(("Instellingen", 3, 2, "AC:ME")), ("Instellingen", 3, "B")),
    ("email_invalid", change(("Instellingen", 7, 1, "E-mail accountmanager"), ("Instellingen", 7, 2, "rm@")), ("Instellingen", 7, "B")),
    ("respondent_initials_missing", change(("Respondenten", 3, 2, None)), ("Respondenten", 3, "B")),
    ("respondent_name_missing", change(("Respondenten", 3, 1, None)), ("Respondenten", 3, "A")),
    ("initials_duplicate", change(("Respondenten", 3, 2, "aa")), ("Respondenten", 3, "B")),
    ("initials_duplicate", change(("Vragen", 1, 5, "AA")), ("Vragen", 1, "E")),
    ("email_invalid", change(("Respondenten", 2, 3, "ann at acme.nl")), ("Respondenten", 2, "C")),
    ("too_many_respondents", add_respondents(7), ("Respondenten", 10, "B")),
    ("kwi_code_missing", change(("KWI's", 2, 1, None)), ("KWI's", 2, "A")),
    ("kwi_duplicate", change(("KWI's", 3, 1, "kwi-01"), ("KWI's", 3, 2, "Dubbel")), ("KWI's", 3, "A")),
    ("kwi_title_missing", change(("KWI's", 2, 2, None)), ("KWI's", 2, "B")),
    ("kwi_target_invalid", change(("KWI's", 2, 4, "hoog")), ("KWI's", 2, "D")),
    ("kwi_target_invalid", change(("KWI's", 2, 4, 0)), ("KWI's", 2, "D")),
    ("kwi_contributor_unknown", change(("KWI's", 2, 5, "ZZ")), ("KWI's", 2, "E")),
    ("kwi_no_questions", change(("KWI's", 3, 1, "KWI-02"), ("KWI's", 3, 2, "Leeg")), ("KWI's", 3, "A")),
    ("kwi_standard_missing", drop_row("Vragen", 3), ("Vragen", 3, "C")),
    ("kwi_standard_missing", drop_row("Vragen", 4), ("Vragen", 3, "C")),
    ("question_kwi_missing", change(("Vragen", 2, 1, None)), ("Vragen", 2, "A")),
    ("question_kwi_unknown", change(("Vragen", 2, 1, "KWI-1")), ("Vragen", 2, "A")),
    ("question_number_duplicate", change(("Vragen", 3, 2, "1.01")), ("Vragen", 3, "B")),
    ("question_number_invalid", change(("Vragen", 3, 2, dt.datetime(2024, 2, 1))), ("Vragen", 3, "B")),
    ("question_number_invalid", change(("Vragen", 3, 2, "nps")), ("Vragen", 3, "B")),
    ("question_text_missing", change(("Vragen", 2, 3, None)), ("Vragen", 2, "C")),
    ("question_unassigned", change(("Vragen", 2, 4, None), ("Vragen", 2, 5, None)), ("Vragen", 2, "D")),
    ("question_few_respondents", change(("Vragen", 2, 4, None)), ("Vragen", 2, "E")),
    ("kwi_few_respondents", change(*(("Vragen", r, 4, None) for r in (2, 3, 4))), ("KWI's", 2, "A")),
    ("respondents_below_threshold", change(("Instellingen", 6, 2, 3)), ("Respondenten", 2, None)),
    ("email_several", change(("Respondenten", 2, 3, "ann@acme.nl; ceo@acme.nl")), ("Respondenten", 2, "C")),
    ("email_several", change(("Respondenten", 2, 3, "ann@acme.nl ann.acme@gmail.com")), ("Respondenten", 2, "C")),
    ("respondent_language_invalid", change(("Respondenten", 1, 7, "Taal"), ("Respondenten", 2, 7, "fr")), ("Respondenten", 2, "G")),
    ("placeholder_unknown", change(("Vragen", 2, 3, "{leverancir} kent {klant}")), ("Vragen", 2, "C")),
    ("matrix_column_unknown", change(("Vragen", 1, 6, "KX"), ("Vragen", 2, 6, "x")), ("Vragen", 1, "F")),
    ("matrix_mark_unknown", change(("Vragen", 2, 4, "misschien")), ("Vragen", 2, "D")),
    ("respondent_no_questions", change(("Vragen", 2, 5, None), ("Vragen", 3, 5, None), ("Vragen", 4, 5, None)), ("Vragen", 1, "E")),
    ("respondent_no_questions", change(("Respondenten", 4, 1, "Cees"), ("Respondenten", 4, 2, "CC")), ("Respondenten", 4, "B")),
    ("action_kwi_unknown", change(("Acties", 2, 4, "KWI-09")), ("Acties", 2, "D")),
    ("action_status_invalid", change(("Acties", 2, 6, "half af")), ("Acties", 2, "F")),
    ("action_date_invalid", change(("Acties", 2, 7, "ooit")), ("Acties", 2, "G")),
    ("action_date_invalid", change(("Acties", 2, 2, "31-2-2024")), ("Acties", 2, "B")),
    ("a3_item_unknown", lambda s: s.update({"A3": [["Onderdeel", "Inhoud"], ["Visei", "x"]]}), ("A3", 2, "A")),
]  # fmt: skip


@pytest.mark.parametrize(("code", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_every_base_problem_is_found_where_it_is(code, edit, expected):
    sheets = copy.deepcopy(small_base())
    edit(sheets)
    _, problems = read(sheets)
    assert (code, *expected) in where(problems)
    found = next(p for p in problems if p.code == code)
    assert found.location.file == "basis.xlsx"
    # every message renders in both languages without leftover context placeholders
    for lang in ("nl", "en"):
        message = load_texts(lang).message(found)
        for placeholder in (
            "{leverancier}",
            "{klant}",
            "{supplier}",
            "{client}",
            found.context.get("placeholder"),
        ):
            message = message.replace(placeholder or "{}", "")
        assert message and "{" not in message, message


def test_every_base_code_is_covered_by_a_case():
    start = list(CATALOGUE).index("sheet_missing")
    end = list(CATALOGUE).index("a3_item_unknown")
    base_codes = set(list(CATALOGUE)[start : end + 1]) - {
        "respondent_skipped_no_questions",
        "respondent_no_email",
        "base_open",  # a fact of the folder, not of the rows: tests/test_check.py
        "setting_date_past",  # needs today: tests/test_check.py
    }
    assert base_codes - {case[0] for case in CASES} == set()


@pytest.mark.parametrize(
    ("edit", "code", "suggestion"),
    [
        (rename("Vragen", "Vragenn"), "sheet_missing", "Vragenn"),
        (change(("Vragen", 1, 3, "Vrag")), "header_missing", "Vrag"),
        (change(("KWI's", 1, 3, "Omschijving")), "column_ignored", "Omschrijving"),
        (
            change(("Instellingen", 7, 1, "Leverancir"), ("Instellingen", 7, 2, "x")),
            "setting_unknown",
            "Leverancier",
        ),
        (change(("Vragen", 2, 1, "KWI-1")), "question_kwi_unknown", "KWI-01"),
        (change(("Vragen", 1, 6, "AX"), ("Vragen", 2, 6, "x")), "matrix_column_unknown", "AA"),
        (change(("Acties", 2, 4, "KWI01 ")), "action_kwi_unknown", "KWI-01"),
        (change(("Vragen", 2, 3, "{leverancir} kent {klant}")), "placeholder_unknown", "{leverancier}"),
    ],
)
def test_near_misses_get_a_did_you_mean(edit, code, suggestion):
    sheets = small_base()
    edit(sheets)
    _, problems = read(sheets)
    found = next(p for p in problems if p.code == code)
    assert found.context["suggestion"] == suggestion
    assert f"'{suggestion}'" in load_texts("nl").message(found)


def test_every_problem_is_collected_not_just_the_first():
    sheets = small_base()
    change(
        ("Respondenten", 3, 2, "AA"),
        ("Vragen", 2, 1, "KWI-7"),
        ("Vragen", 1, 6, "KX"),
        ("Vragen", 2, 6, "x"),
        ("Acties", 2, 4, "KWI-9"),
        ("Instellingen", 5, 2, None),
    )(sheets)
    base, problems = read(sheets)
    codes = {p.code for p in problems}
    assert {
        "initials_duplicate",
        "question_kwi_unknown",
        "matrix_column_unknown",
        "action_kwi_unknown",
        "setting_missing",
    } <= codes
    assert base is not None  # still the best base that could be built


def test_a_missing_required_sheet_or_column_gives_no_base_but_still_every_problem():
    sheets = small_base()
    del sheets["Respondenten"]
    sheets["Acties"][1][3] = "KWI-09"
    base, problems = read(sheets)
    assert base is None
    assert {"sheet_missing", "action_kwi_unknown"} <= {p.code for p in problems}


def test_problems_without_a_placeholder_supplier_keep_the_placeholder():
    sheets = small_base()
    sheets["Instellingen"].pop(3)  # no Leverancier
    base, problems = read(sheets)
    assert base is not None
    assert base.questions[0].text == "{leverancier} kent Acme NV"
    assert ("setting_missing", "Instellingen", 6, "A") in where(problems)


# ---------------------------------------------------------------------------------------------
# Files that are no workbook


def test_files_that_cannot_be_read(tmp_path):
    cases = {
        "missing.xlsx": None,
        "tekst.xlsx": b"Naam;Initialen\nAnn;AA\n",
        "versleuteld.xlsx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 600
        + "EncryptedPackage".encode("utf-16-le"),
        "kapot.xlsx": b"PK\x03\x04" + b"\0" * 40,
    }
    expected = {
        "missing.xlsx": "file_missing",
        "tekst.xlsx": "file_not_workbook",
        "versleuteld.xlsx": "file_encrypted",
        "kapot.xlsx": "file_corrupt",
    }
    for name, data in cases.items():
        path = tmp_path / name
        if data is not None:
            path.write_bytes(data)
        with pytest.raises(WorkbookFileError) as caught:
            read_base(path)
        assert caught.value.problem.code == expected[name], name
        assert caught.value.problem.location.file == name


def test_a_broken_ods_or_package_is_not_read_as_a_base(tmp_path):
    # An .ods base is read like an .xlsx (tests/test_reading.py); this one holds no spreadsheet.
    ods = tmp_path / "basis.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    with pytest.raises(WorkbookFileError) as caught:
        read_base(ods)
    assert caught.value.problem.code == "file_corrupt"

    broken = tmp_path / "basis.xlsx"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "not xml at all <<<")
    with pytest.raises(WorkbookFileError) as caught:
        read_base(broken)
    assert caught.value.problem.code == "file_corrupt"


# ---------------------------------------------------------------------------------------------
# Properties


@settings(max_examples=60, deadline=None)
@given(whole=st.integers(1, 99), part=st.integers(1, 99))
def test_a_question_number_excel_made_into_a_number_reads_back_as_typed(whole, part):
    typed = f"{whole}.{part:02d}"
    assert question_number(float(typed)) == (typed, True)
    assert question_number(typed) == (typed, True)


CELL = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12).filter(
        lambda s: not s.startswith("=")
    ),
    st.integers(-5, 50),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.lists(CELL, min_size=9, max_size=9))
def test_arbitrary_cell_values_give_problems_never_a_traceback(tmp_path, values):
    sheets = small_base()
    cells = [
        ("Instellingen", 5, 2),
        ("Respondenten", 2, 2),
        ("Respondenten", 3, 3),
        ("KWI's", 2, 4),
        ("Vragen", 2, 1),
        ("Vragen", 2, 2),
        ("Vragen", 3, 4),
        ("Acties", 2, 6),
        ("Acties", 2, 7),
    ]
    for (sheet, row, column), value in zip(cells, values, strict=True):
        set_cell(sheets, sheet, row, column, value)
    base, problems = read_file(tmp_path, sheets)
    for found in problems:
        assert found.code in CATALOGUE
        assert found.location.file == "basis.xlsx" and found.location.sheet
        assert load_texts("nl").message(found)


# ---------------------------------------------------------------------------------------------
# A file reads exactly as its rows: .xlsx written by openpyxl, .xlsm, .ods saved by LibreOffice


@pytest.mark.parametrize(("code", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_file_reads_exactly_as_its_rows(tmp_path, code, edit, expected):
    sheets = copy.deepcopy(small_base())
    edit(sheets)
    from_rows, from_file = read(sheets), read_file(tmp_path, sheets)
    assert from_file[1] == from_rows[1]
    assert repr(from_file[0]).replace(repr(tmp_path / "basis.xlsx"), repr(Path("basis.xlsx"))) == repr(
        from_rows[0]
    )


def same_base(one: Base | None, other: Base | None, one_file: str, other_file: str) -> bool:
    """Equal but for the path and the file name in every location."""
    assert one is not None and other is not None
    left = repr(dataclasses.replace(one, path=Path("x"))).replace(repr(one_file), "FILE")
    right = repr(dataclasses.replace(other, path=Path("x"))).replace(repr(other_file), "FILE")
    return left == right


def test_an_ods_base_saved_by_libreoffice_reads_as_the_xlsx():
    """``examples/basis.xlsx`` re-saved as OpenDocument by ``soffice --convert-to ods``: LibreOffice
    users keep their base that way (numbers come back as floats, dates as dates)."""
    ods = DATA / "lo-base-saved-as-ods.ods"
    base, problems = read_base(ods)
    original, _ = read_base(EXAMPLES / "basis.xlsx")
    assert problems == []
    assert same_base(base, original, ods.name, "basis.xlsx")
    assert base is not None and base.questions[0].location == Location(ods.name, "Vragen", 2)


def test_an_xlsm_base_is_read_and_its_macros_never_run(tmp_path):
    xlsm = tmp_path / "basis.xlsm"
    shutil.copy(EXAMPLES / "basis.xlsx", xlsm)
    with zipfile.ZipFile(xlsm, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Sub Auto_Open(): Shell "calc": End Sub')
    before = xlsm.read_bytes()
    base, problems = read_base(xlsm)
    original, _ = read_base(EXAMPLES / "basis.xlsx")
    assert problems == [] and same_base(base, original, "basis.xlsm", "basis.xlsx")
    assert xlsm.read_bytes() == before


def test_bases_with_problems_saved_by_libreoffice_as_ods_read_as_their_rows(tmp_path, soffice):
    """Every problem keeps its file, sheet, row and column letter in an .ods (one conversion for
    several bases: LibreOffice's start-up is the slow part)."""
    edits = {
        "small": lambda s: None,
        "mark": change(("Vragen", 2, 4, "misschien")),
        "header": change(("KWI's", 1, 3, "Omschijving")),
        "settings": change(("Instellingen", 7, 1, "Weging meer"), ("Instellingen", 7, 2, "veel")),
        "actions": change(("Acties", 2, 7, "ooit"), ("Acties", 2, 4, "KWI-09")),
    }
    typed: dict[str, dict[str, list[list[Any]]]] = {}
    for name, edit in edits.items():
        typed[name] = copy.deepcopy(small_base())
        edit(typed[name])
        build_workbook(tmp_path / "xlsx" / f"{name}.xlsx", typed[name])
    lo_kit.convert(soffice, sorted((tmp_path / "xlsx").iterdir()), tmp_path / "ods", "ods")
    for name, sheets in typed.items():
        from_rows = read(sheets, f"{name}.ods")
        base, problems = read_base(tmp_path / "ods" / f"{name}.ods")
        assert problems == from_rows[1], name
        assert same_base(base, from_rows[0], f"{name}.ods", f"{name}.ods"), name


def test_a_sheet_far_larger_than_a_base_is_refused_before_it_is_read(tmp_path):
    sheets = small_base()
    set_cell(sheets, "Acties", 2000, 300, "verdwaald")  # 2000 rows x 300 columns of used area
    with pytest.raises(WorkbookFileError) as caught:
        read_file(tmp_path, sheets)
    found = caught.value.problem
    assert (found.code, found.location.file, found.location.sheet) == (
        "sheet_too_large",
        "basis.xlsx",
        "Acties",
    )
    assert (found.context["rows"], found.context["columns"]) == (2000, 300)
    assert "{" not in load_texts("en").message(found)


# ---------------------------------------------------------------------------------------------
# What the file says about its cells


def test_a_formula_without_a_stored_result_is_an_error_naming_its_cell(tmp_path):
    import openpyxl

    path = build_workbook(tmp_path / "basis.xlsx", small_base())
    workbook = openpyxl.load_workbook(path)
    workbook["KWI's"]["D2"] = "=7+0.5"  # openpyxl stores the formula, never its result
    workbook["Instellingen"]["C2"] = "=A1"  # a note column kwm does not read: no matter
    workbook.save(path)
    base, problems = read_base(path)
    found = [p for p in problems if p.code == "base_formula_without_value"]
    assert [(p.location.sheet, p.location.row, p.location.column) for p in found] == [("KWI's", 2, "D")]
    assert found[0].is_error and found[0].context["formula"] == "=7+0.5"
    assert "Open het basisbestand in Excel of LibreOffice en sla het op" in load_texts("nl").message(found[0])


def test_a_formula_saved_by_a_spreadsheet_reads_as_its_value(tmp_path, soffice):
    import openpyxl

    path = build_workbook(tmp_path / "made" / "basis.xlsx", small_base())
    workbook = openpyxl.load_workbook(path)
    workbook["KWI's"]["D2"] = "=7+0.5"
    workbook.save(path)
    [resaved] = lo_kit.convert(soffice, [path], tmp_path / "saved", "xlsx")
    base, problems = read_base(resaved)
    assert problems == [] and base is not None and base.kwis[0].target == 7.5


def test_hidden_rows_and_columns_that_hold_data_are_a_warning(tmp_path):
    import openpyxl

    sheets = small_base()
    sheets["Respondenten"].append(["Cees Acme", "CC", "cees@acme.nl", None, None])
    path = build_workbook(tmp_path / "basis.xlsx", sheets)
    workbook = openpyxl.load_workbook(path)
    workbook["Respondenten"].row_dimensions[4].hidden = True  # Cees, out of sight
    workbook["Respondenten"].row_dimensions[9].hidden = True  # empty: no matter
    workbook["Vragen"].column_dimensions["E"].hidden = True  # BB's column of the matrix
    workbook.save(path)
    base, problems = read_base(path)
    found = {p.code: p for p in problems if p.code.startswith("base_hidden")}
    assert found["base_hidden_rows"].context == {"rows": "4"}
    assert found["base_hidden_rows"].location.sheet == "Respondenten"
    assert found["base_hidden_columns"].context == {"columns": "E"}
    assert (found["base_hidden_columns"].location.sheet, found["base_hidden_columns"].location.column) == (
        "Vragen",
        "E",
    )
    assert not any(p.is_error for p in found.values())
    assert base is not None and [r.initials for r in base.respondents] == ["AA", "BB", "CC"]  # still read
