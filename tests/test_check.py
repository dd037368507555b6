"""``kwm check`` and the check API: every problem at once, exit codes, JSON equal to the library."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import build_workbook
from klantwaarde.api.check import CheckResult, check_base
from klantwaarde.cli import build_app
from klantwaarde.pipeline.base import load_base
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts
from test_base_reader import small_base

EXAMPLE = Path(__file__).parents[1] / "examples" / "basis.xlsx"


def run(*args: str, lang: str = "nl"):
    return CliRunner(env={"COLUMNS": "300"}).invoke(build_app(lang), list(args))


def broken_base(tmp_path: Path) -> Path:
    """Duplicate initials, an unknown KWI in Vragen, a matrix column that is no respondent and an
    action on an unknown KWI."""
    sheets = small_base()
    sheets["Respondenten"].append(["Anna Acme", "aa", "anna@acme.nl", None, None])  # row 4
    sheets["Vragen"][2][0] = "KWI-7"  # row 3
    sheets["Vragen"][0].append("KX")  # column F
    sheets["Vragen"][1].append("x")
    sheets["Acties"][1][3] = "KWI-9"  # row 2
    return build_workbook(tmp_path / "basis.xlsx", sheets)


EXPECTED = {
    ("initials_duplicate", "Respondenten", "B4"),
    ("question_kwi_unknown", "Vragen", "A3"),
    ("matrix_column_unknown", "Vragen", "F1"),
    ("action_kwi_unknown", "Acties", "D2"),
}


def test_check_stops_on_a_broken_base_and_names_every_problem(tmp_path):
    path = broken_base(tmp_path)
    result = run("check", str(path))
    assert result.exit_code == 1
    for _, sheet, cell in EXPECTED:
        assert sheet in result.stderr and cell in result.stderr
    assert "4 fout(en)" in result.stdout
    assert "Traceback" not in result.output


def test_check_json_names_every_problem_with_sheet_and_cell(tmp_path):
    path = broken_base(tmp_path)
    result = run("check", str(path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)  # nothing else on stdout
    assert data["ok"] is False and data["errors"] == 4
    assert {
        (p["code"], p["sheet"], p["cell"]) for p in data["problems"] if p["severity"] == "error"
    } == EXPECTED
    assert all(p["file"] == "basis.xlsx" for p in data["problems"])


def test_check_json_equals_what_the_library_returns(tmp_path):
    for path in (broken_base(tmp_path), EXAMPLE):
        result = run("check", str(path), "--json")
        expected = check_base(path).to_json(load_texts("nl"), str(path))
        assert json.loads(result.stdout) == json.loads(json.dumps(expected))


def test_the_example_passes():
    # The book's example is a cycle of 2011: checked today, only its dates are in the past.
    result = run("check", str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Geen fouten, wel 2 waarschuwing(en)" in result.stdout
    assert "5 respondent(en), 5 KWI('s), 24 vragen, 4 actie(s)" in result.stdout
    data = json.loads(run("check", str(EXAMPLE), "--json").stdout)
    assert {key: data[key] for key in ("file", "ok", "errors", "warnings")} == {
        "file": str(EXAMPLE), "ok": True, "errors": 0, "warnings": 2,
    }  # fmt: skip
    assert [p["code"] for p in data["problems"]] == ["setting_date_past", "setting_date_past"]
    import datetime as dt

    assert check_base(EXAMPLE, today=dt.date(2011, 6, 1)).problems == []  # as checked in its own time


def test_warnings_alone_exit_0(tmp_path):
    sheets = small_base()
    sheets["Vragen"][1][3] = None  # question 1.01 only for BB: a warning about anonymity
    path = build_workbook(tmp_path / "basis.xlsx", sheets)
    result = run("check", str(path))
    assert result.exit_code == 0
    assert "question_few_respondents" not in result.stderr  # messages, not codes
    assert "1 respondent(en) toegewezen (BB)" in " ".join(result.stderr.split())
    assert "1 waarschuwing" in result.stdout


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("weg.xlsx", None, "bestaat niet"),
        ("tekst.xlsx", b"Dit is gewoon tekst, geen werkmap.\n", "geen Excel-werkmap"),
        ("beveiligd.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024, "wachtwoord"),
    ],
)
def test_a_file_that_is_no_readable_workbook_gives_one_line(tmp_path, name, data, words):
    path = tmp_path / name
    if data is not None:
        path.write_bytes(data)
    result = run("check", str(path))
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0] and name in lines[0]
    assert "Traceback" not in result.output


def test_a_file_that_is_no_workbook_in_json(tmp_path):
    path = tmp_path / "weg.xlsx"
    result = run("check", str(path), "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 1
    assert data["problems"][0]["code"] == "file_missing"


def test_message_language_follows_lang_then_the_base(tmp_path):
    path = broken_base(tmp_path)
    english = run("check", str(path), "--lang", "en")
    assert "is not on the KWIs sheet" in english.stderr and "4 error(s)" in english.stdout
    assert "is not on the KWIs sheet" in run("--lang", "en", "check", str(path)).stderr

    sheets = small_base()
    sheets["Instellingen"].append(["Taal", "en"])
    sheets["Acties"][1][3] = "KWI-9"
    english_base = build_workbook(tmp_path / "en" / "basis.xlsx", sheets)
    result = run("check", str(english_base))
    assert result.exit_code == 1
    assert "but that KWI is not on the KWIs sheet" in result.stderr
    assert "maar die KWI" in run("check", str(english_base), "--lang", "nl").stderr


def test_an_unknown_language_is_a_usage_error(tmp_path):
    result = run("check", str(EXAMPLE), "--lang", "fr")
    assert result.exit_code == 2


def test_check_has_help_in_both_languages():
    assert "Controleer het basisbestand" in run("check", "--help").stdout
    assert "Check the base workbook" in run("check", "--help", lang="en").stdout


# ---------------------------------------------------------------------------------------------
# The API


def test_check_result_separates_errors_and_warnings(tmp_path):
    sheets = small_base()
    sheets["Vragen"][1][3] = None  # warning
    sheets["Acties"][1][3] = "KWI-9"  # error
    result = check_base(build_workbook(tmp_path / "basis.xlsx", sheets))
    assert isinstance(result, CheckResult)
    assert [p.code for p in result.errors] == ["action_kwi_unknown"]
    assert [p.code for p in result.warnings] == ["question_few_respondents"]
    assert not result.ok and result.base is not None and result.language == "nl"


def test_check_base_never_raises_for_a_bad_file(tmp_path):
    result = check_base(tmp_path / "weg.xlsx")
    assert result.base is None and not result.ok
    assert [p.code for p in result.problems] == ["file_missing"]


def test_load_base_stops_on_errors_and_passes_warnings_on(tmp_path):
    with pytest.raises(KwmError) as caught:
        load_base(broken_base(tmp_path))
    assert {p.code for p in caught.value.problems} >= {c for c, _, _ in EXPECTED}

    sheets = small_base()
    sheets["Vragen"][1][3] = None
    base, warnings = load_base(build_workbook(tmp_path / "ok" / "basis.xlsx", sheets))
    assert base.settings.client == "Acme NV"
    assert [p.code for p in warnings] == ["question_few_respondents"]

    with pytest.raises(KwmError) as caught:
        load_base(tmp_path / "weg.xlsx")
    assert caught.value.problems[0].code == "file_missing"


def test_dates_before_today_are_a_warning_as_after_kwm_next(tmp_path):
    import datetime as dt

    sheets = small_base()
    sheets["Instellingen"] += [["Deadline", dt.date(2026, 6, 19)], ["Sessiedatum", dt.date(2026, 12, 18)]]
    path = build_workbook(tmp_path / "basis.xlsx", sheets)
    result = check_base(path, today=dt.date(2026, 12, 1))
    found = [p for p in result.problems if p.code == "setting_date_past"]
    assert [(p.location.row, p.location.column, p.context["date"]) for p in found] == [(7, "B", "19-6-2026")]
    assert result.ok  # a warning: the user may mean it
    later = check_base(path, today=dt.date(2026, 12, 19))
    assert [p.context["setting"] for p in later.problems if p.code == "setting_date_past"] == [
        "Deadline",
        "Sessiedatum",
    ]
    # the dates of a running cycle (the bundled example is of 2011) are warned about by check only
    base, warnings = load_base(path)
    assert "setting_date_past" not in {p.code for p in warnings}


@pytest.mark.parametrize("lock", ["~$basis.xlsx", ".~lock.basis.xlsx#"])
def test_a_base_open_in_excel_or_libreoffice_is_a_warning(tmp_path, lock):
    path = build_workbook(tmp_path / "basis.xlsx", small_base())
    (tmp_path / lock).write_text("open", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 0
    assert "sla uw wijzigingen eerst op" in " ".join(result.stderr.split())
    _, warnings = load_base(path)  # every command reads the base this way: all of them warn
    assert [p.code for p in warnings] == ["base_open"]
