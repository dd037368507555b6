"""``kwm init``, the base template writer and the bundled example build."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from factories import example_base
from klantwaarde.api.check import check_base
from klantwaarde.api.init import init_base
from klantwaarde.baseformat import HEADERS, SETTINGS, SHEETS
from klantwaarde.cli import build_app
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts
from klantwaarde.workbook.base import read_base

TODAY = dt.date(2025, 3, 14)
EXAMPLES = Path(__file__).parents[1] / "examples"


def validations(sheet) -> list:
    return list(sheet.data_validations.dataValidation)


def validation_for(sheet, cell: str):
    return next(v for v in validations(sheet) if cell in v.sqref)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_new_base_passes_check_without_any_problem(tmp_path, lang):
    path = init_base(tmp_path / "klant", lang, today=TODAY)
    assert path == tmp_path / "klant" / "basis.xlsx"
    result = check_base(path)
    assert result.problems == []
    assert result.base is not None
    assert result.base.settings.period == "2025H1"
    assert result.base.settings.language == lang
    assert len(result.base.questions) == 3 and len(result.base.actions) == 1


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_sheet_and_header_in_the_chosen_language(tmp_path, lang):
    path = init_base(tmp_path, lang, today=TODAY)
    workbook = openpyxl.load_workbook(path)
    texts = load_texts(lang)
    index = 1 if lang == "en" else 0
    expected = [
        texts("base.sheets.explanation"),
        *(SHEETS[key][index] for key in ("settings", "respondents", "kwis", "questions", "actions", "team")),
        texts("base.sheets.inspiration"),
        "A3",
    ]
    assert workbook.sheetnames == expected
    assert workbook.active.title == expected[0]
    for key in ("settings", "respondents", "kwis", "questions", "actions", "a3"):
        sheet = workbook[SHEETS[key][index]]
        headers = [c.value for c in sheet[1]][: len(HEADERS[key])]
        assert headers == [h.names[index] for h in HEADERS[key]]
        assert sheet.freeze_panes in ("A2", "D2")
    settings = workbook[SHEETS["settings"][index]]
    assert [settings.cell(row=r, column=1).value for r in range(2, 2 + len(SETTINGS))] == [
        names[index] for names in SETTINGS.values()
    ]


def test_dropdowns_text_format_widths_and_help(tmp_path):
    workbook = openpyxl.load_workbook(init_base(tmp_path, "nl", today=TODAY))
    vragen = workbook["Vragen"]
    assert vragen.freeze_panes == "D2"
    assert vragen["B2"].number_format == "@" and vragen["B400"].number_format == "@"
    assert workbook["Acties"]["A2"].number_format == "@"
    assert vragen.column_dimensions["C"].width >= 60

    marks = validation_for(vragen, "D2")
    assert marks.type == "list" and "x" in marks.formula1 and "ja" in marks.formula1
    status = validation_for(workbook["Acties"], "F2")
    assert status.formula1 == '"open,lopend,gereed"'
    language = validation_for(workbook["Instellingen"], "B10")
    assert workbook["Instellingen"]["A10"].value == "Taal" and language.formula1 == '"nl,en"'
    kwi = validation_for(vragen, "A2")
    assert kwi.formula1 == "'KWI''s'!$A$2:$A$500"
    for sheet in workbook.worksheets:
        for check in validations(sheet):
            assert check.showErrorMessage and check.showInputMessage, (sheet.title, check.sqref)
            assert check.prompt and check.error
            assert len(check.promptTitle) <= 32 and len(check.prompt) <= 255

    english = openpyxl.load_workbook(init_base(tmp_path / "en", "en", today=TODAY))
    assert validation_for(english["Actions"], "F2").formula1 == '"open,in progress,done"'
    assert "yes" in validation_for(english["Questions"], "D2").formula1


def test_explanation_inspiration_and_a3_sheets(tmp_path):
    workbook = openpyxl.load_workbook(init_base(tmp_path, "nl", today=TODAY))
    toelichting = [c.value for row in workbook["Toelichting"].iter_rows() for c in row if c.value]
    text = "\n".join(str(v) for v in toelichting)
    for sheet in ("Instellingen", "Respondenten", "KWI's", "Vragen", "Acties", "A3", "Inspiratie"):
        assert sheet in toelichting
    assert "gaf blijk actief aan deze KWI te werken" in text
    assert "kwm check basis.xlsx" in text

    inspiratie = workbook["Inspiratie"]
    values = [inspiratie.cell(row=r, column=1).value for r in range(2, inspiratie.max_row + 1)]
    assert len(values) == 34 and "Afspraken nakomen" in values and "Vertrouwen" in values
    assert all(inspiratie.cell(row=r, column=2).value for r in range(2, inspiratie.max_row + 1))

    a3 = workbook["A3"]
    items = [a3.cell(row=r, column=1).value for r in range(2, a3.max_row + 1)]
    assert items[:6] == ["Visie", "Missie", "Succesbepalende factoren", "Organisatie-indicatoren (KPI's)",
                         "Organisatie-acties", "Randvoorwaarden"]  # fmt: skip
    assert items[6:] == ["#Contacten", "#Klantafspraken", "#Leads", "#Orders", "Omzet", "Marge",
                         "#Klantwaardesessies", "NetPromotorScore"]  # fmt: skip
    assert all(a3.cell(row=r, column=c).value is None for r in range(2, a3.max_row + 1) for c in (2, 3, 4))


def test_the_english_base_explains_itself_in_english(tmp_path):
    workbook = openpyxl.load_workbook(init_base(tmp_path, "en", today=TODAY))
    text = " ".join(str(c.value) for row in workbook["Explanation"].iter_rows() for c in row if c.value)
    assert "customer-value monitor" in text and "Vragen" not in text
    assert workbook["Inspiration"]["A2"].value == "Advice, asked and unasked"
    assert workbook["Settings"]["B10"].value == "en"


def test_init_refuses_to_overwrite(tmp_path):
    path = init_base(tmp_path, "nl", today=TODAY)
    path.write_bytes(b"mine")
    with pytest.raises(KwmError) as caught:
        init_base(tmp_path, "nl", today=TODAY)
    assert [p.code for p in caught.value.problems] == ["output_exists"]
    assert path.read_bytes() == b"mine"


def test_templates_next_to_the_base_override_the_example(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "nl.yaml").write_text(
        "base:\n  example:\n    supplier: 'Mijn Bedrijf B.V.'\n", encoding="utf-8"
    )
    base, problems = read_base(init_base(tmp_path, "nl", today=TODAY))
    assert problems == [] and base is not None
    assert base.settings.supplier == "Mijn Bedrijf B.V."


def run(*args: str, lang: str = "nl"):
    return CliRunner(env={"COLUMNS": "300"}).invoke(build_app(lang), list(args))


def test_kwm_init_writes_says_where_and_refuses_the_second_time(tmp_path):
    folder = tmp_path / "klant nv"
    result = run("init", str(folder))
    assert result.exit_code == 0, result.output
    assert str(folder / "basis.xlsx") in result.stdout and "kwm check" in result.stdout
    assert (folder / "basis.xlsx").is_file()
    before = (folder / "basis.xlsx").read_bytes()

    again = run("init", str(folder))
    assert again.exit_code == 1
    assert "overschrijft het niet" in again.stderr and "Traceback" not in again.output
    assert (folder / "basis.xlsx").read_bytes() == before

    english = run("init", str(tmp_path / "en"), "--lang", "en")
    assert english.exit_code == 0 and "New base workbook written" in english.stdout
    assert "Explanation" in openpyxl.load_workbook(tmp_path / "en" / "basis.xlsx").sheetnames
    assert run("init", str(tmp_path / "x"), "--lang", "fr").exit_code == 2


def test_init_refuses_while_excel_has_the_file_open(tmp_path):
    (tmp_path / "~$basis.xlsx").write_bytes(b"lock")
    with pytest.raises(KwmError) as caught:
        init_base(tmp_path, "nl", today=TODAY)
    assert caught.value.problems[0].code == "output_locked"
    assert not (tmp_path / "basis.xlsx").exists()


# ---------------------------------------------------------------------------------------------
# The bundled example


def load_build_script():
    spec = importlib.util.spec_from_file_location("build_examples", EXAMPLES / "build_examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_build_script_makes_the_example_base(tmp_path):
    build = load_build_script()
    path = build.build_base(tmp_path / "basis.xlsx", "2011H1")
    base, problems = read_base(path)
    assert problems == [] and base is not None
    assert dataclasses.replace(base, a3=None) == example_base(path)


def test_the_committed_examples_are_up_to_date(tmp_path):
    build = load_build_script()
    for relative, period in (("basis.xlsx", "2011H1"), ("2010H2/basis.xlsx", "2010H2")):
        fresh, _ = read_base(build.build_base(tmp_path / relative, period))
        committed, _ = read_base(EXAMPLES / relative)
        assert fresh is not None and committed is not None
        assert dataclasses.replace(committed, path=fresh.path) == fresh, (
            f"examples/{relative} is stale: run python examples/build_examples.py"
        )


# ---------------------------------------------------------------------------------------------
# Re-saved by LibreOffice, as users do


def resave_with_libreoffice(soffice: str, source: Path, folder: Path) -> Path:
    folder.mkdir()
    profile = folder / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "xlsx",
         "--outdir", str(folder), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.rmtree(profile, ignore_errors=True)
    return folder / source.name


def test_bases_resaved_by_libreoffice_read_the_same(tmp_path, soffice):
    for name, source in (
        ("init", init_base(tmp_path / "new", "nl", today=TODAY)),
        ("example", EXAMPLES / "basis.xlsx"),
    ):
        original, _ = read_base(source)
        resaved_path = resave_with_libreoffice(soffice, source, tmp_path / f"resaved-{name}")
        resaved, problems = read_base(resaved_path)
        assert problems == [], name
        assert original is not None and resaved is not None
        assert dataclasses.replace(resaved, path=original.path) == original, name


def test_init_given_the_base_files_own_name_writes_that_file(tmp_path):
    written = init_base(tmp_path / "klant-nv" / "basis.xlsx")
    assert written == tmp_path / "klant-nv" / "basis.xlsx" and written.is_file()  # not basis.xlsx/basis.xlsx
    with pytest.raises(KwmError):
        init_base(tmp_path / "klant-nv" / "basis.xlsx")  # and it still never overwrites
