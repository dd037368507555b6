"""kwm process end to end: generate, fill through the fill contract, process, read --json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import FIXED_NOW, build_workbook
from klantwaarde.api.generate import generate
from klantwaarde.api.process import process
from klantwaarde.cli import build_app
from klantwaarde.workbook.fill import fill_form

# The book's worked example (SPEC 2): one KWI, four questions, five respondents, grades 6, 7, 8, 9.
WORKED = {"R1": "NNNN", "R2": "<<N>", "R3": ">>>>", "R4": "><N>", "R5": ">N>>"}
EXPECTED = {"R1": 7.50, "R2": 8.00, "R3": 7.50, "R4": 7.56, "R5": 7.55}
NUMBERS = ["1.01", "1.02", "1.03", "1.04"]


def worked_base(folder: Path) -> Path:
    people = list(WORKED)
    return build_workbook(
        folder / "basis.xlsx",
        {
            "Instellingen": [
                ["Instelling", "Waarde"],
                ["Klant", "Voorbeeld BV"],
                ["Klantcode", "VB"],
                ["Leverancier", "Leverancier BV"],
                ["Periode", "2011H1"],
            ],
            "Respondenten": [["Naam", "Initialen", "E-mail"]]
            + [[f"Respondent {i}", i, f"{i.lower()}@voorbeeld.nl"] for i in people],
            "KWI's": [["Code", "Titel", "Omschrijving"], ["KWI-01", "Kennisborging", "Kennis is geborgd"]],
            "Vragen": [["KWI", "Nr", "Vraag", *people]]
            + [["KWI-01", "1.01", "Kennis is vastgelegd", *["x"] * 5]]
            + [["KWI-01", "1.02", "Medewerkers zijn op de hoogte", *["x"] * 5]]
            + [["KWI-01", "1.03", "Overdracht gaat goed", *["x"] * 5]]
            + [["KWI-01", "1.04", "{leverancier} gaf blijk actief aan deze KWI te werken", *["x"] * 5]],
        },
    )


def fill_worked(base: Path, anonymous: str | None = None) -> Path:
    generated = generate(base, now=FIXED_NOW)
    returned = base.parent / "2011H1" / "ingevuld"
    for index, form in enumerate(generated.forms, start=1):
        marks = WORKED[form.initials]
        answers = {n: (grade, mark) for n, grade, mark in zip(NUMBERS, (6, 7, 8, 9), marks, strict=True)}
        fill_form(
            form.path,
            returned / form.path.name,
            answers,
            nps=9 if form.initials in ("R1", "R2") else 7,
            anonymous="Ja" if form.initials == anonymous else "Nee",
            remark=f"Opmerking nummer {index}",  # a remark naming its writer would give them away
        )
    return returned


@pytest.mark.parametrize(("lang", "score", "mean"), [("nl", "7,60", "7,50"), ("en", "7.60", "7.50")])
def test_the_terminal_writes_scores_as_the_language_writes_numbers(tmp_path, lang, score, mean):
    base = worked_base(tmp_path)
    fill_worked(base)
    result = CliRunner().invoke(build_app(lang), ["process", str(base), "--lang", lang])
    assert result.exit_code == 0, result.output
    kwi_row = next(line for line in result.output.splitlines() if "KWI-01" in line)
    assert score in kwi_row and mean in kwi_row
    other = "." if lang == "nl" else ","
    assert score.replace(score[1], other) not in result.output


def test_worked_example_end_to_end_through_the_json(tmp_path):
    base = worked_base(tmp_path)
    fill_worked(base)
    result = CliRunner().invoke(build_app("nl"), ["process", str(base), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    [kwi] = data["kwis"]
    assert {who: round(score, 2) for who, score in kwi["respondents"].items()} == EXPECTED
    assert round(kwi["score"], 2) == 7.60  # pooled, not the mean of the five scores (7.62)
    assert kwi["score"] == pytest.approx(357 / 47)
    assert kwi["mean"] == pytest.approx(7.5) and kwi["n"] == 20
    assert data["overall"] == pytest.approx(357 / 47)
    assert (data["returned"], data["asked"]) == (5, 5)
    # two promoters, three passives: leaving out a promoter makes it 25, so one moves it 15 points
    assert data["nps"] == {
        "shown": True,
        "nps": 40.0,
        "promoters": 2,
        "passives": 3,
        "detractors": 0,
        "n": 5,
        "swing": 15.0,
    }
    # one KWI: its swing is the overall one, and never more than the respondents' scores spread
    assert kwi["swing"] == data["overall_swing"]
    assert 0 < kwi["swing"] <= max(EXPECTED.values()) - min(EXPECTED.values())
    # one period: no earlier period in the trend, and nothing to compare with
    assert data["trend"] == [] and "changes" not in data
    output = Path(data["output"])
    assert output == base.parent / "2011H1" / "VB-2011H1 Klantwaardemonitor.xlsx"
    assert output.is_file()


def test_json_equals_what_the_library_returns(tmp_path):
    base = worked_base(tmp_path)
    fill_worked(base)
    out = tmp_path / "monitor.xlsx"
    cli = CliRunner().invoke(build_app("nl"), ["process", str(base), "--json", "--out", str(out)])
    assert cli.exit_code == 0, cli.output
    result = process(base, out=out)
    assert result.report is not None
    expected = result.to_json(result.texts)
    assert json.loads(cli.stdout) == json.loads(json.dumps(expected))


def test_an_anonymous_respondent_is_in_no_per_respondent_figure_of_the_json(tmp_path):
    base = worked_base(tmp_path)
    fill_worked(base, anonymous="R3")
    result = CliRunner().invoke(build_app("nl"), ["process", str(base), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "R3" not in result.stdout and "Respondent R3" not in result.stdout
    assert "R3" not in data["kwis"][0]["respondents"]
    assert data["kwis"][0]["score"] == pytest.approx(357 / 47)  # still pooled
    anonymous = [r for r in data["respondents"] if r["anonymous"]]
    assert anonymous == [{"initials": None, "returned": True, "anonymous": True, "overall": None}]


def test_summary_table_and_exit_codes(tmp_path):
    base = worked_base(tmp_path)
    runner = CliRunner()
    nothing = runner.invoke(build_app("nl"), ["process", str(base)])
    assert nothing.exit_code == 1  # no folder with returned forms yet
    assert "Traceback" not in nothing.output
    (base.parent / "2011H1" / "ingevuld").mkdir(parents=True)
    empty = runner.invoke(build_app("nl"), ["process", str(base), "--json"])
    assert empty.exit_code == 1
    assert [p["code"] for p in json.loads(empty.stdout)["problems"]] == ["nothing_returned"]
    fill_worked(base)
    done = runner.invoke(build_app("nl"), ["process", str(base)])
    assert done.exit_code == 0, done.output
    assert "Kennisborging" in done.output and "7,60" in done.output and "5 van 5" in done.output
    english = runner.invoke(build_app("en"), ["process", str(base), "--lang", "en", "--no-history"])
    assert english.exit_code == 0 and "5 of 5" in english.output


def test_strict_refuses_to_write_when_there_is_any_problem(tmp_path):
    base = worked_base(tmp_path)
    returned = fill_worked(base)
    first = next(returned.glob("*R1*.xlsx"))
    fill_form(first, first, {"1.01": (11, None)})  # one bad grade
    out = tmp_path / "monitor.xlsx"
    strict = CliRunner().invoke(build_app("nl"), ["process", str(base), "--strict", "--out", str(out)])
    assert strict.exit_code == 1
    assert not out.exists()
    relaxed = CliRunner().invoke(build_app("nl"), ["process", str(base), "--out", str(out), "--json"])
    assert relaxed.exit_code == 0
    problems = json.loads(relaxed.stdout)["problems"]
    assert [p["code"] for p in problems if p["code"] == "form_grade_invalid"] == ["form_grade_invalid"]


def test_base_with_errors_stops_process(tmp_path):
    base = worked_base(tmp_path)
    broken = build_workbook(tmp_path / "kapot" / "basis.xlsx", {"Instellingen": [["Instelling", "Waarde"]]})
    result = CliRunner().invoke(build_app("nl"), ["process", str(broken)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert base.exists()
