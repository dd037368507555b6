"""Reading one returned questionnaire through the fill contract (SPEC 3.2, 3.3), base-independent."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm

from klantwaarde.metrics import column_index, column_letter
from klantwaarde.model import Relevance
from klantwaarde.workbook.returned import parse_timestamp, read_form
from returned_kit import add_member, make_form, rewrite_member, sha256, to_ods

SAVED = dt.datetime(2011, 6, 10, 14, 0, tzinfo=dt.UTC)


def codes(problems):
    return [p.code for p in problems]


def by_number(form):
    return {a.question_number: a for a in form.answers}


def test_reads_identity_answers_nps_anonymity_remark_and_save_time(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", remark="Goede samenwerking", anonymous="Ja", saved_at=SAVED)
    form, problems = read_form(made.path)
    assert problems == []
    assert form is not None
    assert (form.identity.client_code, form.identity.period, form.identity.initials) == (
        "KLANT",
        "2011H1",
        "KK",
    )
    assert form.identity.form_id == "id-KK-2011H1" and form.identity.form_version == "1"
    answers = by_number(form)
    # Kees Klant's answers of the book: 3.06 left blank is "not answered", not a problem.
    assert len(answers) == 16 and "3.06" not in answers
    assert answers["1.02"].grade == 6 and answers["2.03"].relevance is Relevance.LESS
    assert answers["1.02"].location.cell == made.grade_cells["1.02"]
    assert answers["1.02"].location.sheet == "Vragenlijst" and answers["1.02"].location.file == "kk.xlsx"
    assert form.nps == 9 and form.anonymous is True and form.remark == "Goede samenwerking"
    assert form.saved_at == SAVED
    assert form.location.sheet == "Vragenlijst"


def test_every_spelling_of_spec_3_3_is_read_right(tmp_path):
    answers = {
        "1.02": (7, "<"),
        "1.03": (7.0, "minder"),
        "1.04": (" 7 ", "<>"),
        "2.01": ("7,0", None),
        "2.02": ("7.0", "meer"),
        "2.03": (10, "N"),
        "2.04": (1, "n"),
        "3.02": ("8", ">"),
        "3.04": (" 9", " Neutraal "),
        "3.05": (6, "LESS"),
        "3.06": (5, "more"),
    }
    made = make_form(tmp_path / "kk.xlsx", "KK", answers=answers, nps="9,0", anonymous=" nee ")
    form, problems = read_form(made.path)
    assert problems == [] and form is not None
    got = {n: (a.grade, a.relevance) for n, a in by_number(form).items()}
    L, N, M = Relevance.LESS, Relevance.NEUTRAL, Relevance.MORE
    assert got == {
        "1.02": (7, L),
        "1.03": (7, L),
        "1.04": (7, N),
        "2.01": (7, N),
        "2.02": (7, M),
        "2.03": (10, N),
        "2.04": (1, N),
        "3.02": (8, M),
        "3.04": (9, N),
        "3.05": (6, L),
        "3.06": (5, M),
    }
    assert form.nps == 9 and form.anonymous is False


def test_every_bad_value_is_a_problem_with_its_cell_and_the_rest_counts(tmp_path):
    answers = {
        "1.02": (11, "N"),
        "1.03": (0, "N"),
        "1.04": ("zeven", "N"),
        "2.01": (7.5, "N"),
        "2.02": ("?", "N"),
        "2.03": (8, "?"),
        "2.04": (True, "N"),
        "3.02": (dt.date(2011, 6, 1), "N"),
        "3.04": (8, "<"),
        "3.05": (9, None),
    }
    made = make_form(tmp_path / "kk.xlsx", "KK", answers=answers, nps=12)
    form, problems = read_form(made.path)
    assert form is not None
    # an unknown relevance mark keeps its grade, counted as neutral (SPEC 3.3)
    assert set(by_number(form)) == {"2.03", "3.04", "3.05"}
    assert by_number(form)["2.03"].relevance is Relevance.NEUTRAL and by_number(form)["2.03"].grade == 8
    found = {(p.code, p.location.cell, str(p.context["value"])) for p in problems}
    cells, relevance = made.grade_cells, made.relevance_cells
    assert found == {
        ("form_grade_invalid", cells["1.02"], "11"),
        ("form_grade_invalid", cells["1.03"], "0"),
        ("form_grade_invalid", cells["1.04"], "zeven"),
        ("form_grade_invalid", cells["2.01"], "7.5"),
        ("form_grade_invalid", cells["2.02"], "?"),
        ("form_relevance_invalid", relevance["2.03"], "?"),
        ("form_grade_invalid", cells["2.04"], "TRUE"),
        ("form_grade_invalid", cells["3.02"], "2011-06-01"),
        ("form_nps_invalid", cells["nps"], "12"),
    }
    assert all(p.location.file == "kk.xlsx" and p.location.sheet == "Vragenlijst" for p in problems)
    assert form.nps is None
    assert next(p for p in problems if p.code == "form_grade_invalid").context["number"] == "1.02"


def test_formula_errors_and_formulas_without_a_result_are_problems_not_blanks(tmp_path):
    answers = {"1.02": ("=NA()", "N"), "1.03": ("#DIV/0!", "N"), "1.04": (7, "=NA()"), "2.01": (8, "N")}
    made = make_form(tmp_path / "kk.xlsx", "KK", answers=answers, nps="#N/A")
    form, problems = read_form(made.path)
    assert form is not None and set(by_number(form)) == {"1.04", "2.01"}  # 1.04: its grade, as neutral
    found = {(p.code, p.location.cell, p.context["value"]) for p in problems}
    assert found == {
        ("form_grade_invalid", made.grade_cells["1.02"], "=NA()"),
        ("form_grade_invalid", made.grade_cells["1.03"], "#DIV/0!"),
        ("form_relevance_invalid", made.relevance_cells["1.04"], "=NA()"),
        ("form_nps_invalid", made.grade_cells["nps"], "#N/A"),
    }


def test_a_formula_with_a_stored_result_counts_like_excel_shows_it(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", answers={"1.02": ("=3+4", "N")})
    cell = made.grade_cells["1.02"]
    rewrite_member(
        made.path,
        "xl/worksheets/sheet1.xml",
        # however the writer spells the empty cached value (<v />, <v></v> or none at all)
        lambda xml: re.sub(
            rf'<c r="{cell}"([^>]*)><f>3\+4</f>(?:<v\s*/>|<v></v>)?</c>'.encode(),
            rf'<c r="{cell}"\1><f>3+4</f><v>7</v></c>'.encode(),
            xml,
        ),
    )
    form, problems = read_form(made.path)
    assert problems == [] and form is not None and by_number(form)["1.02"].grade == 7


def test_header_row_in_any_row_and_column_order_in_english(tmp_path):
    made = make_form(
        tmp_path / "en.xlsx",
        "BB",
        lang="en",
        columns=("question", "relevance", "number", "grade", "key"),
        first_column=3,
        title_rows=11,
        anonymous="Yes",
    )
    form, problems = read_form(made.path)
    assert problems == [] and form is not None
    assert form.location.sheet == "Questionnaire"
    assert len(form.answers) == len(nm.ASSIGNMENT["BB"]) and form.anonymous is True and form.nps == 9
    assert by_number(form)["1.01"].location.column == "F"


def test_headers_match_case_and_space_insensitively(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    workbook = openpyxl.load_workbook(made.path)
    sheet = workbook["Vragenlijst"]
    for cell in sheet[6]:
        if isinstance(cell.value, str):
            cell.value = f"  {cell.value.upper()}  "
    sheet.title = "vragenlijst "
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert problems == [] and form is not None and len(form.answers) == 16


def test_rows_are_matched_by_key_never_by_position(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    workbook = openpyxl.load_workbook(made.path)
    sheet = workbook["Vragenlijst"]
    sheet.insert_rows(8, amount=3)  # someone added rows at the top of the questions
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=11, max_row=sheet.max_row)]
    for offset, values in enumerate(reversed(rows)):  # and reversed the order of all rows
        for column, value in enumerate(values, start=1):
            sheet.cell(11 + offset, column).value = value
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert problems == [] and form is not None
    answers = by_number(form)
    assert len(answers) == 16 and answers["1.02"].grade == 6 and answers["2.03"].relevance is Relevance.LESS
    assert form.nps == 9


def test_numeric_keys_from_a_resaved_file_become_text_numbers(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", answers={"1.02": (7, "N"), "1.10": (8, "N")})
    workbook = openpyxl.load_workbook(made.path)
    sheet = workbook["Vragenlijst"]
    for row in sheet.iter_rows():
        if row[0].value in ("1.02", "1.10"):
            row[0].value = float(row[0].value)  # what a spreadsheet makes of a number typed as text
    workbook.save(made.path)
    form, _ = read_form(made.path)
    assert form is not None and set(by_number(form)) == {"1.02", "1.10"}


def test_a_question_answered_twice_counts_once_with_a_warning(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", answers={"1.02": (7, "N"), "1.03": (8, "N")})
    workbook = openpyxl.load_workbook(made.path)
    sheet = workbook["Vragenlijst"]
    row = sheet.max_row + 2
    sheet.cell(row, 1, "1.02")
    sheet.cell(row, 4, 3)
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert form is not None and by_number(form)["1.02"].grade == 7
    assert codes(problems) == ["form_question_duplicate"]
    assert problems[0].location.cell == f"D{row}" and problems[0].context["first"] == made.grade_cells["1.02"]


@pytest.mark.parametrize("state", ["veryHidden", "hidden", "visible"])
def test_identity_sheet_in_any_visibility(tmp_path, state):
    made = make_form(tmp_path / "kk.xlsx", "KK", identity=("sheet",), identity_state=state)
    form, problems = read_form(made.path)
    assert problems == [] and form is not None and form.identity.initials == "KK"


def test_identity_from_custom_properties_when_the_sheet_is_gone(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "CC", identity=("properties",))
    form, problems = read_form(made.path)
    assert problems == [] and form is not None
    assert (form.identity.initials, form.identity.form_id) == ("CC", "id-CC-2011H1")


def test_identity_sheet_wins_over_properties(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", identity=("sheet",))
    workbook = openpyxl.load_workbook(made.path)
    from openpyxl.packaging.custom import StringProperty

    workbook.custom_doc_props.append(StringProperty(name="kwm_initials", value="AA"))
    workbook.save(made.path)
    form, _ = read_form(made.path)
    assert form is not None and form.identity.initials == "KK"


def test_identity_from_the_title_block_with_a_warning(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", identity=("title",))
    form, problems = read_form(made.path)
    assert form is not None and form.identity.initials == "KK" and form.identity.period == "2011H1"
    assert codes(problems) == ["form_identity_fallback"]
    assert problems[0].location.file == "kk.xlsx" and problems[0].context["initials"] == "KK"


def test_title_line_gives_client_and_period_when_their_labels_are_missing(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "DD", identity=("title",))
    workbook = openpyxl.load_workbook(made.path)
    sheet = workbook["Vragenlijst"]
    sheet["A2"], sheet["C2"], sheet["A3"], sheet["C3"] = None, None, None, None
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert form is not None and (form.identity.client_code, form.identity.period) == ("KLANT", "2011H1")
    assert codes(problems) == ["form_identity_fallback"]


def test_no_identity_at_all_is_one_problem(tmp_path):
    made = make_form(tmp_path / "x.xlsx", "KK", identity=())
    form, problems = read_form(made.path)
    assert form is None and codes(problems) == ["form_no_identity"]
    assert problems[0].location.file == "x.xlsx"


def test_no_answer_sheet_is_one_structure_problem(tmp_path):
    path = tmp_path / "other.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Blad1"
    workbook.active.append(["Omzet", 1000])
    workbook.save(path)
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["form_structure"]
    assert problems[0].context["sheets"] == ["Blad1"]


def test_missing_header_columns_are_named(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", columns=("key", "number", "question", "grade"))
    form, problems = read_form(made.path)
    assert form is None and codes(problems) == ["form_header_missing"]
    assert (
        problems[0].context["headers"] == ["Relevantie/Relevance"]
        and problems[0].location.sheet == "Vragenlijst"
    )


def test_a_renamed_answer_sheet_is_still_found_by_its_header(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    workbook = openpyxl.load_workbook(made.path)
    workbook["Vragenlijst"].title = "Blad1"
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert problems == [] and form is not None and len(form.answers) == 16


def test_invalid_anonymity_keeps_the_respondent_anonymous(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", anonymous="misschien")
    form, problems = read_form(made.path)
    assert form is not None and form.anonymous is True
    assert codes(problems) == ["form_anonymous_invalid"]
    assert problems[0].location.cell == made.grade_cells["anonymous"]


def test_remark_is_literal_clean_text(tmp_path):
    made = make_form(
        tmp_path / "kk.xlsx", "KK", remark='=HYPERLINK("http://x")\nregel_x0007_twee', literal=True
    )
    form, _ = read_form(made.path)
    assert form is not None and form.remark == '=HYPERLINK("http://x")\nregeltwee'


def test_save_time_falls_back_to_the_file_time(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    stripped = tmp_path / "stripped.xlsx"
    with zipfile.ZipFile(made.path) as source, zipfile.ZipFile(stripped, "w") as out:
        for info in source.infolist():
            if info.filename != "docProps/core.xml":
                out.writestr(info, source.read(info.filename))
    os.utime(stripped, (1_300_000_000, 1_300_000_000))
    form, _ = read_form(stripped)
    assert form is not None and form.saved_at == dt.datetime.fromtimestamp(1_300_000_000, tz=dt.UTC)


def test_damaged_document_properties_are_skipped_not_fatal(tmp_path):
    """The values decide: a broken docProps part loses only what it held (here the save time)."""
    made = make_form(tmp_path / "kk.xlsx", "KK")
    rewrite_member(made.path, "docProps/core.xml", lambda xml: xml[: len(xml) // 2])
    os.utime(made.path, (1_300_000_000, 1_300_000_000))
    form, problems = read_form(made.path)
    assert problems == [] and form is not None and len(form.answers) == 16
    assert form.saved_at == dt.datetime.fromtimestamp(1_300_000_000, tz=dt.UTC)


def test_xlsm_values_are_read_and_macros_never_run(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    xlsm = tmp_path / "kk.xlsm"
    shutil.copy(made.path, xlsm)
    add_member(xlsm, "xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Sub Auto_Open(): Shell "calc": End Sub')
    before = sha256(xlsm)
    form, problems = read_form(xlsm)
    assert form is not None and len(form.answers) == 16
    assert codes(problems) == ["form_macros_ignored"] and problems[0].location.file == "kk.xlsm"
    assert sha256(xlsm) == before


def test_ods_is_read_like_xlsx(tmp_path):
    made = make_form(
        tmp_path / "kk.xlsx", "KK", answers={"1.02": (7, "<"), "1.03": ("#N/A", "N"), "1.04": ("7,0", ">")}
    )
    ods = to_ods(made.path, tmp_path / "kk.ods", modified="2011-06-10T12:00:00.123456789")
    form, problems = read_form(ods)
    assert form is not None and form.identity.initials == "KK" and form.nps == 9
    assert {n: (a.grade, a.relevance) for n, a in by_number(form).items()} == {
        "1.02": (7, Relevance.LESS),
        "1.04": (7, Relevance.MORE),
    }
    assert [(p.code, p.location.cell, p.context["value"]) for p in problems] == [
        ("form_grade_invalid", made.grade_cells["1.03"], "#N/A")
    ]
    assert form.saved_at == parse_timestamp("2011-06-10T12:00:00.123456")


def test_ods_identity_from_document_properties(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "AA", identity=("properties",))
    form, problems = read_form(to_ods(made.path, tmp_path / "aa.ods"))
    assert problems == [] and form is not None and form.identity.initials == "AA"


def test_strict_open_xml_is_read(tmp_path):
    """Excel's "Strict Open XML" save uses other namespaces; the answers and identity still read."""
    made = make_form(tmp_path / "kk.xlsx", "KK", answers={"1.02": (7, "<"), "1.03": ("#N/A", "N")})
    strict = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    }
    target = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(made.path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            for old, new in strict.items():
                data = data.replace(old, new)
            out.writestr(info, data)
    form, problems = read_form(target)
    assert form is not None and form.identity.initials == "KK" and len(form.answers) == 1
    assert [(p.code, p.location.cell) for p in problems] == [("form_grade_invalid", made.grade_cells["1.03"])]


def test_file_name_does_not_matter(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    ods = to_ods(made.path, tmp_path / "kk.ods")
    for path, name in ((made.path, "antwoorden Kees.bin"), (ods, "opgeslagen in Calc.xlsx")):
        form, problems = read_form(path.rename(tmp_path / name))
        assert problems == [] and form is not None and form.identity.initials == "KK"
        assert len(form.answers) == 16


def test_reading_leaves_the_file_byte_identical(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    before, mtime = sha256(made.path), made.path.stat().st_mtime_ns
    read_form(made.path)
    assert sha256(made.path) == before and made.path.stat().st_mtime_ns == mtime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2011-06-01T09:30:00Z", dt.datetime(2011, 6, 1, 9, 30, tzinfo=dt.UTC)),
        ("2011-06-01T11:30:00+02:00", dt.datetime(2011, 6, 1, 9, 30, tzinfo=dt.UTC)),
        ("2011-06-01T09:30:00.5Z", dt.datetime(2011, 6, 1, 9, 30, 0, 500000, tzinfo=dt.UTC)),
        ("2011-06-01T09:30:00.123456789Z", dt.datetime(2011, 6, 1, 9, 30, 0, 123456, tzinfo=dt.UTC)),
        ("gisteren", None),
        ("2011-13-01T09:30:00Z", None),
    ],
)
def test_parse_timestamp(text, expected):
    assert parse_timestamp(text) == expected


def test_naive_timestamps_are_local_time():
    parsed = parse_timestamp("2011-06-01T09:30:00")
    assert parsed == dt.datetime(2011, 6, 1, 9, 30).astimezone(dt.UTC)


def test_column_letters_round_trip():
    for index in (1, 5, 26, 27, 52, 703, 16384):
        assert column_index(column_letter(index)) == index
    assert column_letter(27) == "AA"


# ---------------------------------------------------------------------------------------------
# Real LibreOffice: a plain re-save as .xlsx, .ods and .xls reads exactly the same answers.


def test_libreoffice_resave_as_xlsx_ods_and_xls_reads_the_same(tmp_path, soffice):
    made = make_form(
        tmp_path / "src" / "kk.xlsx",
        "KK",
        answers={"1.02": (7, "<"), "1.03": ("7,0", ">"), "1.04": (11, "N")},
    )
    original, original_problems = read_form(made.path)
    assert original is not None
    for fmt in ("ods", "xlsx", "xls"):
        out = tmp_path / fmt
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                str(made.path),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        # the file name does not matter: every format is read from its content
        form, problems = read_form((out / f"kk.{fmt}").rename(out / "kk-antwoorden.xlsx"))
        assert form is not None, problems
        assert form.identity == original.identity
        assert form.answers and [
            (a.question_number, a.grade, a.relevance, a.location.cell) for a in form.answers
        ] == [(a.question_number, a.grade, a.relevance, a.location.cell) for a in original.answers]
        assert (form.nps, form.anonymous) == (original.nps, original.anonymous)
        assert [(p.code, p.location.cell) for p in problems] == [
            (p.code, p.location.cell) for p in original_problems
        ]
