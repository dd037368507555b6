"""The questionnaire workbook (SPEC 3.2), read back with openpyxl through the fill contract."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from openpyxl.cell.cell import MergedCell

from conftest import FIXED_NOW
from factories import example_base
from klantwaarde import contract
from klantwaarde.model import Base, Kwi, Location, Question, Respondent, Settings
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import FillContractError, fill_form
from klantwaarde.workbook.questionnaire import (
    accepted_grade,
    clean_text,
    plain_grade_text,
    write_questionnaire,
)

SPECIAL = {contract.KEY_NPS, contract.KEY_ANONYMOUS, contract.KEY_REMARK}

# -------------------------------------------------------------------------------------------
# Helpers: an uneven base built in code, and a reader that knows only the fill contract.


def uneven_base(path: Path | None = None, language: str = "nl") -> Base:
    """Three KWIs, four respondents, an uneven matrix; ZZ has no questions at all."""
    path = path or Path("basis.xlsx")
    loc = Location(path.name)
    matrix = {  # number -> initials
        "1.01": ("AB", "CD"),
        "1.02": ("AB",),
        "1.03": ("AB", "CD", "EF"),
        "2.01": ("EF",),
        "2.02": ("CD", "EF"),
        "3.01": ("AB", "EF"),
        "3.02": ("CD",),
    }
    texts = {
        "1.01": "Leverancier kent onze organisatie",
        "1.02": '=HYPERLINK("http://evil.example","klik")',
        "1.03": "Leverancier gaf blijk actief aan deze KWI te werken",
        "2.01": "Een lange stelling " + "die maar doorgaat " * 12,
        "2.02": "Leverancier kwam de afspraken inzake deze KWI na (zie actielijst)",
        "3.01": "@SUM(1,2) begint met een apenstaartje",
        "3.02": "+31 20 123 4567 is ons nummer",
    }
    return Base(
        path=path,
        settings=Settings(
            client="=KLANT NV",
            client_code="KLANT",
            supplier="LEVERANCIER & ZONEN",
            period="2011H1",
            account_manager="Rob Martens",
            account_manager_email="rob@leverancier.example",
            deadline=dt.date(2011, 6, 17),
            language=language,
            location=Location(path.name, "Instellingen"),
        ),
        respondents=(
            Respondent("Anna Bakker", "AB", "anna@klant.example", location=loc.at(2)),
            Respondent("Jan/Piet: de <Vries>", "CD", "jan@klant.example", location=loc.at(3)),
            Respondent("Eva Fransen", "EF", "", location=loc.at(4)),
            Respondent("Zonder Vragen", "ZZ", "zz@klant.example", location=loc.at(5)),
        ),
        kwis=(
            Kwi("KWI-01", "Kennisborging", "Kennis is vastgelegd en overdraagbaar."),
            Kwi("KWI-02", "=Inspiratie", "Advies over nieuwe technologie. " * 6),
            Kwi("KWI-03", "Strategie", ""),
        ),
        questions=tuple(
            Question(f"KWI-0{number[0]}", number, texts[number], assigned, loc.at(10 + i))
            for i, (number, assigned) in enumerate(matrix.items())
        ),
    )


def contract_sheet(workbook: Any) -> Any:
    names = [n for n in contract.QUESTIONNAIRE_SHEET.values() if n in workbook.sheetnames]
    assert len(names) == 1, workbook.sheetnames
    return workbook[names[0]]


def header_row(sheet: Any) -> tuple[int, dict[str, str]]:
    """(row, logical column -> letter) of the row holding all contract headers."""
    wanted = {name: key for key, pair in contract.HEADERS.items() for name in pair}
    for row in sheet.iter_rows(min_row=1, max_row=60):
        found = {
            wanted[c.value]: c.column_letter for c in row if isinstance(c.value, str) and c.value in wanted
        }
        if len(found) == len(contract.HEADERS):
            return row[0].row, found
    raise AssertionError("no contract header row")


def read_form(path: Path) -> dict[str, dict[str, Any]]:
    """key -> {row, number, question, grade, relevance} through the fill contract only."""
    workbook = openpyxl.load_workbook(path)
    sheet = contract_sheet(workbook)
    top, columns = header_row(sheet)
    rows: dict[str, dict[str, Any]] = {}
    for row in range(top + 1, sheet.max_row + 1):
        key = sheet[f"{columns['key']}{row}"].value
        if key is None:
            continue
        assert str(key) not in rows, f"key {key} twice"
        rows[str(key)] = {
            "row": row,
            **{name: sheet[f"{letter}{row}"].value for name, letter in columns.items() if name != "key"},
        }
    return rows


def identity_rows(workbook: Any) -> dict[str, Any]:
    hidden = workbook[contract.IDENTITY_SHEET]
    return {row[0].value: row[1].value for row in hidden.iter_rows(min_row=1, max_col=2)}


def write(tmp_path: Path, base: Base, initials: str, lang: str = "nl", now: dt.datetime = FIXED_NOW) -> Path:
    respondent = base.respondent(initials)
    assert respondent is not None
    target = tmp_path / f"{initials}-{lang}.xlsx"
    # a seeded id, as tests pin every random token; in use it is random
    return write_questionnaire(base, respondent, load_texts(lang), target, now=now, form_id=f"id-{initials}")


# -------------------------------------------------------------------------------------------
# Content: exactly the assigned questions, in base order, plus the three special rows.


@pytest.mark.parametrize("initials", ["AB", "CD", "EF"])
def test_each_form_holds_exactly_the_assigned_questions_in_base_order(tmp_path: Path, initials: str) -> None:
    base = uneven_base()
    rows = read_form(write(tmp_path, base, initials))
    assigned = [q.number for q in base.questions_for(initials)]
    assert set(rows) == set(assigned) | SPECIAL
    question_keys = [k for k in sorted(rows, key=lambda k: rows[k]["row"]) if k not in SPECIAL]
    assert question_keys == assigned
    for number in assigned:
        question = base.question(number)
        assert question is not None
        assert rows[number]["number"] == number
        assert rows[number]["question"] == question.text
        assert rows[number]["grade"] is None
        assert rows[number]["relevance"] == "N"
    last_question = max(rows[n]["row"] for n in assigned)
    assert min(rows[k]["row"] for k in SPECIAL) > last_question


@pytest.mark.parametrize("initials", [r[1] for r in nm.RESPONDENTS])
def test_the_example_forms_hold_the_example_assignment(tmp_path: Path, initials: str) -> None:
    rows = read_form(write(tmp_path, example_base(), initials))
    assert [k for k in sorted(rows, key=lambda k: rows[k]["row"]) if k not in SPECIAL] == nm.ASSIGNMENT[
        initials
    ]


def test_every_kwi_with_questions_gets_a_header_row_with_code_title_and_description(tmp_path: Path) -> None:
    base = uneven_base()
    sheet = contract_sheet(openpyxl.load_workbook(write(tmp_path, base, "EF")))
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    codes = [row[1] for row in values if isinstance(row[1], str) and row[1].startswith("KWI-")]
    assert codes == ["KWI-01", "KWI-02", "KWI-03"]  # EF answers 1.03, 2.01, 2.02 and 3.01
    flat = [v for row in values for v in row if isinstance(v, str)]
    assert "=Inspiratie" in flat
    assert base.kwis[1].description in flat
    rows = read_form(write(tmp_path, base, "CD"))
    assert "2.01" not in rows  # CD answers 2.02 only in KWI-02


def test_special_rows_have_their_defaults(tmp_path: Path) -> None:
    rows = read_form(write(tmp_path, uneven_base(), "AB"))
    assert rows[contract.KEY_ANONYMOUS]["grade"] == "Nee"
    assert rows[contract.KEY_NPS]["grade"] is None
    assert rows[contract.KEY_REMARK]["grade"] is None
    rows = read_form(write(tmp_path, uneven_base(), "AB", lang="en"))
    assert rows[contract.KEY_ANONYMOUS]["grade"] == "No"


@pytest.mark.parametrize(("lang", "index"), [("nl", 0), ("en", 1)])
def test_sheet_name_and_headers_follow_the_contract(tmp_path: Path, lang: str, index: int) -> None:
    workbook = openpyxl.load_workbook(write(tmp_path, uneven_base(), "AB", lang=lang))
    assert workbook.sheetnames[0] == contract.QUESTIONNAIRE_SHEET[lang]
    sheet = workbook.worksheets[0]
    top, columns = header_row(sheet)
    for key, letter in columns.items():
        assert sheet[f"{letter}{top}"].value == contract.HEADERS[key][index]
    assert sheet.column_dimensions[columns["key"]].hidden is True
    assert workbook.active.title == contract.QUESTIONNAIRE_SHEET[lang]


def test_texts_from_the_base_are_never_formulas(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "AB")
    rows = read_form(path)
    assert rows["1.02"]["question"].startswith("=HYPERLINK")
    assert rows["3.01"]["question"].startswith("@SUM")
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    formulas = re.findall(r"<f>(.*?)</f>", xml)
    counters = [f for f in formulas if f.startswith("SUM(Q")]
    helpers = [f for f in formulas if f.startswith(("IF(ISTEXT(D", "IF(ISNUMBER(D"))]
    assert len(counters) == 1 and len(helpers) == len(formulas) - 1  # the counter and its helpers only
    sheet = contract_sheet(openpyxl.load_workbook(path))
    client = next(c for row in sheet.iter_rows() for c in row if c.value == "=KLANT NV")
    assert client.data_type == "s"


# -------------------------------------------------------------------------------------------
# Excel conveniences: validation, unlocked inputs, protection, counter, strip, print.


def validations_by_cell(sheet: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for rule in sheet.data_validations.dataValidation:
        for cells in rule.sqref.ranges:
            for row in cells.cells:
                found[f"{openpyxl.utils.get_column_letter(row[1])}{row[0]}"] = rule
    return found


def test_inputs_have_validation_with_prompts_and_error_messages_on(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "CD")
    rows = read_form(path)
    sheet = contract_sheet(openpyxl.load_workbook(path))
    _, columns = header_row(sheet)
    rules = validations_by_cell(sheet)
    grade, relevance = columns["grade"], columns["relevance"]
    for number in ("1.01", "1.03", "2.02", "3.02"):
        row = rows[number]["row"]
        rule = rules[f"{grade}{row}"]
        assert (rule.type, rule.operator, rule.formula1, rule.formula2) == ("whole", "between", "1", "10")
        assert rule.showErrorMessage and rule.showInputMessage and rule.allow_blank
        assert rule.error and rule.prompt and rule.errorStyle == "stop"
        rule = rules[f"{relevance}{row}"]
        assert (rule.type, rule.formula1) == ("list", '"<,N,>"')
        assert rule.showErrorMessage and rule.showInputMessage
    nps = rules[f"{grade}{rows['nps']['row']}"]
    assert (nps.type, nps.formula1, nps.formula2) == ("whole", "0", "10")
    assert nps.showErrorMessage and nps.showInputMessage
    anonymous = rules[f"{grade}{rows['anonymous']['row']}"]
    assert (anonymous.type, anonymous.formula1) == ("list", '"Ja,Nee"')
    assert anonymous.showErrorMessage and anonymous.showInputMessage
    remark = rules[f"{grade}{rows['remark']['row']}"]
    assert remark.showInputMessage and remark.prompt
    for rule in sheet.data_validations.dataValidation:  # Excel's limits, or it refuses the file
        assert len(rule.promptTitle or "") <= 32 and len(rule.errorTitle or "") <= 32
        assert len(rule.prompt or "") <= 255 and len(rule.error or "") <= 255


def test_english_form_lists_yes_and_no(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "CD", lang="en")
    rows = read_form(path)
    sheet = contract_sheet(openpyxl.load_workbook(path))
    _, columns = header_row(sheet)
    rule = validations_by_cell(sheet)[f"{columns['grade']}{rows['anonymous']['row']}"]
    assert rule.formula1 == '"Yes,No"'


def test_only_the_input_cells_are_unlocked_and_the_sheet_is_protected_without_password(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, uneven_base(), "AB")
    rows = read_form(path)
    sheet = contract_sheet(openpyxl.load_workbook(path))
    _, columns = header_row(sheet)
    expected = set()
    for key, row in rows.items():
        expected.add(f"{columns['grade']}{row['row']}")
        if key not in SPECIAL:
            expected.add(f"{columns['relevance']}{row['row']}")
    unlocked = {
        c.coordinate
        for row in sheet.iter_rows()
        for c in row
        if not isinstance(c, MergedCell) and c.has_style and not c.protection.locked
    }
    assert unlocked == expected
    assert sheet.protection.sheet is True
    assert not sheet.protection.password and not sheet.protection.hashValue


def test_the_counter_counts_valid_grades_over_all_question_rows(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "AB")
    rows = read_form(path)
    sheet = contract_sheet(openpyxl.load_workbook(path))
    counters = [c for row in sheet.iter_rows() for c in row if c.data_type == "f" and "beantwoord" in c.value]
    assert len(counters) == 1
    formula = counters[0].value
    numbers = [k for k in rows if k not in SPECIAL]
    found = re.fullmatch(r'=SUM\(Q(\d+):Q(\d+)\)&" van (\d+) beantwoord"', formula)
    assert found, formula
    first, last, total = (int(v) for v in found.groups())
    for number in numbers:  # every question row has its hidden "accepted?" cell, about its own grade
        row = rows[number]["row"]
        assert sheet[f"Q{row}"].value == "=" + accepted_grade(f"D{row}", f"P{row}")
        assert sheet[f"P{row}"].value == "=" + plain_grade_text(f"D{row}")
    assert sheet.column_dimensions["P"].hidden and sheet.column_dimensions["Q"].hidden
    assert first <= min(rows[n]["row"] for n in numbers) and last >= max(rows[n]["row"] for n in numbers)
    assert last < min(rows[k]["row"] for k in SPECIAL)  # nps is not a question
    assert total == len(numbers)
    assert counters[0].row < min(r["row"] for r in rows.values())  # in the title block


def test_the_strip_lights_up_the_chosen_grade(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "AB")
    rows = read_form(path)
    sheet = contract_sheet(openpyxl.load_workbook(path))
    row = rows["1.01"]["row"]
    strip = [sheet.cell(row=row, column=6 + i).value for i in range(10)]
    assert strip == list(range(1, 11))
    formulas = {
        str(rng.sqref): [rule.formula[0] for rule in rules]
        for rng, rules in sheet.conditional_formatting._cf_rules.items()
    }
    strip_range = next(r for r in formulas if r.startswith("F"))
    first, last = (int(n) for n in re.findall(r"\d+", strip_range))
    assert first <= min(r["row"] for k, r in rows.items() if k not in SPECIAL)
    assert last >= max(r["row"] for k, r in rows.items() if k not in SPECIAL)
    assert any("=$D" in f and "ISNUMBER" in f for f in formulas[strip_range])


def test_print_settings_a4_portrait_fit_to_width_titles_and_footer(tmp_path: Path) -> None:
    path = write(tmp_path, uneven_base(), "CD")
    sheet = contract_sheet(openpyxl.load_workbook(path))
    top, _ = header_row(sheet)
    setup = sheet.page_setup
    assert int(setup.paperSize) == 9 and setup.orientation == "portrait"
    assert int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.print_title_rows.replace("$", "") == f"{top}:{top}"
    footer = sheet.oddFooter.left.text
    assert "Jan/Piet: de <Vries> (CD)" in footer and "2011H1" in footer
    assert "&P" in sheet.oddFooter.right.text
    assert sheet.print_area


def test_ampersands_in_the_footer_are_literal(tmp_path: Path) -> None:
    base = uneven_base()
    base = replace(
        base, respondents=(replace(base.respondents[0], name="Bakker & Zn"), *base.respondents[1:])
    )
    sheet = contract_sheet(openpyxl.load_workbook(write(tmp_path, base, "AB")))
    assert "Bakker && Zn (AB)" in sheet.oddFooter.left.text


def test_page_breaks_never_split_a_kwi(tmp_path: Path) -> None:
    loc = Location("basis.xlsx")
    kwis = tuple(Kwi(f"KWI-{k:02d}", f"KWI {k}", "Omschrijving " * 10) for k in range(1, 9))
    questions = tuple(
        Question(kwi.code, f"{k}.{n:02d}", "Een stelling die twee regels nodig heeft " * 2, ("AB",), loc)
        for k, kwi in enumerate(kwis, start=1)
        for n in range(1, 7)
    )
    base = replace(uneven_base(), kwis=kwis, questions=questions)
    sheet = contract_sheet(openpyxl.load_workbook(write(tmp_path, base, "AB")))
    breaks = [b.id for b in sheet.row_breaks.brk]
    assert breaks, "48 questions do not fit on one page"
    for after in breaks:
        below = [sheet.cell(row=after + i, column=2).value for i in (1, 2)]
        starts_kwi = isinstance(below[1], str) and below[1].startswith("KWI-")
        starts_closing = below[1] == load_texts("nl")("generate.form.closing")
        assert starts_kwi or starts_closing, (after, below)


# -------------------------------------------------------------------------------------------
# Identity: hidden sheet, custom properties, title block.


def test_identity_sheet_is_very_hidden_text_and_matches_the_custom_properties(tmp_path: Path) -> None:
    base = uneven_base()
    path = write(tmp_path, base, "AB")
    workbook = openpyxl.load_workbook(path)
    hidden = workbook[contract.IDENTITY_SHEET]
    assert hidden.sheet_state == "veryHidden"
    identity = identity_rows(workbook)
    assert list(identity) == list(contract.IDENTITY_KEYS)
    assert all(isinstance(v, str) for v in identity.values())
    assert all(c.data_type == "s" for row in hidden.iter_rows() for c in row)
    numbers = [q.number for q in base.questions_for("AB")]
    assert identity == {
        "client_code": "KLANT",
        "period": "2011H1",
        "initials": "AB",
        "form_version": contract.FORM_VERSION,
        "fingerprint": contract.fingerprint(numbers),
        "form_id": "id-AB",
    }
    props = {p.name: p for p in workbook.custom_doc_props}
    for key, value in identity.items():
        prop = props[contract.PROPERTY_PREFIX + key]
        assert type(prop).__name__ == "StringProperty" and prop.value == value


def test_form_ids_are_random_and_unguessable(tmp_path: Path) -> None:
    """Not derived from anything public (client, period, initials, the time): nobody can make up
    the id of another respondent's form. 128 random bits."""
    base = uneven_base()
    ab = base.respondent("AB")
    assert ab
    texts = load_texts("nl")
    made = [write_questionnaire(base, ab, texts, tmp_path / f"{i}.xlsx", now=FIXED_NOW) for i in range(3)]
    ids = {identity_rows(openpyxl.load_workbook(path))["form_id"] for path in made}
    assert len(ids) == 3  # the same inputs and clock, three different ids
    assert all(re.fullmatch(r"[0-9a-f]{32}", found) for found in ids)


@pytest.mark.parametrize(("lang", "index"), [("nl", 0), ("en", 1)])
def test_title_block_carries_the_identity_for_the_fallback(tmp_path: Path, lang: str, index: int) -> None:
    sheet = contract_sheet(openpyxl.load_workbook(write(tmp_path, uneven_base(), "CD", lang=lang)))
    top, _ = header_row(sheet)
    found = {}
    for row in sheet.iter_rows(max_row=top - 1):
        for cell in row:
            for key, labels in contract.TITLE_LABELS.items():
                if cell.value == labels[index]:
                    found[key] = sheet.cell(row=cell.row, column=cell.column + 1).value
    assert found == {"client_code": "KLANT", "period": "2011H1", "respondent": "Jan/Piet: de <Vries> (CD)"}
    title = sheet["B1"].value
    expected = "KLANT-2011H1 · KlantwaardeMonitor · Vragenlijst" if lang == "nl" else "Questionnaire"
    assert expected in title


def test_the_structure_is_locked_so_sheets_keep_their_names(tmp_path: Path) -> None:
    workbook = openpyxl.load_workbook(write(tmp_path, uneven_base(), "AB"))
    assert workbook.security is not None and workbook.security.lockStructure


# -------------------------------------------------------------------------------------------
# fill_form: a filled and saved form reads back.


def test_a_filled_form_reads_back_through_the_contract(tmp_path: Path) -> None:
    base = example_base()
    blank = write(tmp_path, base, "KK")
    answers = {n: (g, r) for n, (g, r) in nm.answers("KK").items()}
    filled = fill_form(
        blank, tmp_path / "filled.xlsx", answers, nps=9, anonymous="Ja", remark="Prima\nsamenwerking"
    )
    rows = read_form(filled)
    for number, (grade, relevance) in nm.answers("KK").items():
        assert rows[number]["grade"] == grade
        assert rows[number]["relevance"] == (relevance or None)
    assert rows["nps"]["grade"] == 9
    assert rows["anonymous"]["grade"] == "Ja"
    assert rows["remark"]["grade"] == "Prima\nsamenwerking"
    workbook = openpyxl.load_workbook(filled)
    assert identity_rows(workbook)["initials"] == "KK"
    assert workbook[contract.IDENTITY_SHEET].sheet_state == "veryHidden"
    assert read_form(blank)["1.02"]["grade"] is None  # the blank form is untouched


def test_fill_writes_values_exactly_as_given(tmp_path: Path) -> None:
    blank = write(tmp_path, uneven_base(), "AB")
    answers: dict[str, tuple[object, object]] = {
        "1.01": ("7,0", ">"),
        "1.02": (11, "meer"),
        "1.03": ("zeven", None),
        "3.01": (7.0, "="),
    }
    rows = read_form(fill_form(blank, tmp_path / "odd.xlsx", answers, nps="tien", anonymous="misschien"))
    assert [rows[n]["grade"] for n in answers] == ["7,0", 11, "zeven", 7.0]
    assert [rows[n]["relevance"] for n in answers] == [">", "meer", "N", "="]
    assert rows["nps"]["grade"] == "tien"
    assert rows["anonymous"]["grade"] == "misschien"
    sheet = contract_sheet(openpyxl.load_workbook(tmp_path / "odd.xlsx"))
    assert sheet.cell(row=rows["3.01"]["row"], column=5).data_type == "s"  # "=" is text


def test_fill_clears_relevance_with_an_empty_string(tmp_path: Path) -> None:
    blank = write(tmp_path, uneven_base(), "AB")
    rows = read_form(fill_form(blank, tmp_path / "f.xlsx", {"1.01": (6, "")}))
    assert rows["1.01"]["relevance"] is None
    assert rows["1.02"]["relevance"] == "N"


def test_fill_can_drop_the_identity_and_keep_the_title_block(tmp_path: Path) -> None:
    blank = write(tmp_path, uneven_base(), "AB")
    filled = fill_form(blank, tmp_path / "lost.xlsx", {"1.01": (8, None)}, drop_identity=True)
    workbook = openpyxl.load_workbook(filled)
    assert contract.IDENTITY_SHEET not in workbook.sheetnames
    assert not [p for p in workbook.custom_doc_props if p.name.startswith(contract.PROPERTY_PREFIX)]
    assert read_form(filled)["1.01"]["grade"] == 8
    values = [c.value for row in contract_sheet(workbook).iter_rows(max_row=12) for c in row]
    assert "Anna Bakker (AB)" in values


def test_fill_refuses_a_key_the_form_does_not_have(tmp_path: Path) -> None:
    blank = write(tmp_path, uneven_base(), "AB")
    with pytest.raises(FillContractError, match="2.01"):
        fill_form(blank, tmp_path / "x.xlsx", {"2.01": (7, None)})
    assert not (tmp_path / "x.xlsx").exists()


# -------------------------------------------------------------------------------------------
# What people see: LibreOffice prints it as a readable A4 page with nothing cut off.


def test_libreoffice_prints_an_a4_portrait_form_with_every_question(tmp_path: Path, soffice: str) -> None:
    base = example_base()
    path = write(tmp_path, base, "AA")
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = path.with_suffix(".pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore[union-attr]
    assert (round(width), round(height)) == (595, 842)  # A4 portrait
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 3
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    for number in nm.ASSIGNMENT["AA"]:
        assert number in flat
    assert "A. Aaaa (AA)" in flat
    assert "1 van 2" in flat or "1 van 3" in flat  # footer page numbers
    assert f"0 van {len(nm.ASSIGNMENT['AA'])} beantwoord" in flat  # LibreOffice computed the live counter
    assert "Hartelijk dank" in flat  # the last row made it onto paper
    words = set(flat.split())
    for question in (q for q in base.questions if q.number in nm.ASSIGNMENT["AA"]):
        assert set(question.text.split()) <= words  # every line of every wrapped question


# -------------------------------------------------------------------------------------------
# Any text a base can hold makes a valid form.

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(client=TEXT, name=TEXT, question=TEXT, title=TEXT)
def test_any_base_text_gives_a_form_that_reads_back(
    tmp_path: Path, client: str, name: str, question: str, title: str
) -> None:
    base = uneven_base()
    base = replace(
        base,
        settings=replace(base.settings, client=client, supplier=name),
        respondents=(replace(base.respondents[0], name=name), *base.respondents[1:]),
        kwis=(replace(base.kwis[0], title=title, description=question), *base.kwis[1:]),
        questions=(replace(base.questions[0], text=question), *base.questions[1:]),
    )
    rows = read_form(write(tmp_path, base, "AB"))
    assert set(rows) == {q.number for q in base.questions_for("AB")} | SPECIAL
    expected = clean_text(question).replace("\r\n", "\n").replace("\r", "\n")
    assert (rows["1.01"]["question"] or "") == expected


# Values a respondent or a program can leave in a grade cell: what kwm accepts must be exactly what
# the live counter counts, as LibreOffice computes it (issue 17 item 8: " 8 " and "7,0" counted for
# kwm but not for the counter).
_GRADE_EDGES: list[object] = [
    1, 7, 10, 0, 11, -3, 7.0, 7.5, 6.9999999999, 10.0000000001, 1e12,
    "7", " 8 ", "7,0", "7.00", "7.", "7,", "+7", "++7", "-7", "07", "010", "000000007", "0000000007",
    "7,5", "7.05", "7,0,0", "7..0", "zeven", "7 0", "1e1", "", "   ", "+", ".", ",0", "10,000", "1O",
    "\t9", "8\t", "\n6", "\u00a07\u00a0",
]  # fmt: skip


def _random_grade_texts(count: int) -> list[str]:
    import random

    pick = random.Random(17)
    alphabet = " +-.,0123456789e"
    return ["".join(pick.choice(alphabet) for _ in range(pick.randint(1, 5))) for _ in range(count)]


def test_the_live_counter_counts_exactly_the_grades_kwm_accepts(tmp_path: Path, soffice: str) -> None:
    from klantwaarde import normalise
    from lo_kit import convert

    values = [*_GRADE_EDGES, *_random_grade_texts(300)]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row, value in enumerate(values, start=1):
        cell = sheet[f"D{row}"]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # as typed text, never a formula or a number
        sheet[f"P{row}"] = "=" + plain_grade_text(f"D{row}")
        sheet[f"Q{row}"] = "=" + accepted_grade(f"D{row}", f"P{row}")
    sheet["S1"] = f"=SUM(Q1:Q{len(values)})"
    source = tmp_path / "grades.xlsx"
    workbook.save(source)
    (computed,) = convert(soffice, [source], tmp_path / "lo")
    result = openpyxl.load_workbook(computed, data_only=True).active
    differ, compared = [], 0
    for row, value in enumerate(values, start=1):
        if not isinstance(result[f"D{row}"].value, type(value)) and not (
            isinstance(value, str) and value.strip() == ""
        ):
            continue  # LibreOffice stored the cell another way; what it holds is compared below
        compared += 1
        kwm_counts = normalise.grade(result[f"D{row}"].value).valid
        if bool(result[f"Q{row}"].value) != kwm_counts:
            differ.append((value, result[f"Q{row}"].value, kwm_counts))
    assert not differ, differ
    assert compared >= len(values) - 5, compared  # LibreOffice kept (nearly) every value as it was
    accepted = sum(normalise.grade(v).valid for v in values)
    assert accepted >= 8 and result["S1"].value == accepted  # the counter adds up the same
