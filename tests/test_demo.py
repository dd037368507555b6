"""kwm demo: the whole cycle on the bundled example, with a trend of two periods."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from klantwaarde.cli import build_app
from klantwaarde.workbook import compat
from klantwaarde.workbook.history import read_history


def run_demo(folder: Path, *extra: str):
    return CliRunner().invoke(build_app("nl"), ["demo", str(folder), *extra])


def test_the_demo_runs_the_cycle_and_shows_a_trend_of_two_periods(tmp_path):
    folder = tmp_path / "kwm-demo"
    result = run_demo(folder)
    assert result.exit_code == 0, result.output
    monitor = folder / "2011H1" / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    assert str(monitor) in result.stdout
    assert {row.period for row in read_history(monitor)} == {"2010H2", "2011H1"}
    workbook = openpyxl.load_workbook(monitor)
    assert len(compat.charts(workbook["Trend"])) == 1
    assert (folder / "2011H1" / "KLANT-2011H1 A3-accountplan.xlsx").is_file()
    deck = folder / "2011H1" / "KLANT-2011H1 Klantwaardesessie.pptx"
    assert deck.is_file() and str(deck) in result.output  # the deck for the klantwaardesessie too
    internal = folder / "2011H1" / "KLANT-2011H1 Verwerking (intern).xlsx"
    assert internal.is_file() and str(internal) in result.output  # named, so the user knows it is internal
    planning = folder / "2011H1" / "KLANT-2011H1 Planning.ics"
    assert planning.is_file() and str(planning) in result.output
    assert b"BEGIN:VEVENT" in planning.read_bytes()
    forms = sorted((folder / "2011H1" / "vragenlijsten").iterdir())
    assert len([f for f in forms if f.suffix == ".xlsx"]) == 5
    assert len([f for f in forms if f.suffix == ".eml"]) == 5
    assert "2010H2, 2011H1" in result.output
    assert re.search(r"\b\d,\d\d\b", result.output)  # the overall score, written the Dutch way


def test_kees_klant_answers_as_in_the_book(tmp_path):
    from klantwaarde.pipeline.base import load_base
    from klantwaarde.pipeline.collect import collect_forms

    assert run_demo(tmp_path / "d").exit_code == 0
    base, _ = load_base(tmp_path / "d" / "basis.xlsx")
    collection = collect_forms(base, [tmp_path / "d" / "2011H1" / "ingevuld"])
    kk = collection.form_of("KK")
    assert kk is not None and kk.nps == 9
    grades = {a.question_number: a.grade for a in kk.answers}
    assert [grades.get(n) for n in ("1.02", "1.03", "1.04", "2.01", "2.02", "2.03", "2.04")] == [
        6,
        7,
        8,
        7,
        7,
        8,
        8,
    ]
    assert "3.06" not in grades  # left blank in the book
    assert next(a for a in kk.answers if a.question_number == "2.03").relevance.value == "<"


def test_running_the_demo_again_replaces_the_earlier_demo(tmp_path):
    folder = tmp_path / "demo"
    assert run_demo(folder).exit_code == 0
    (folder / "2011H1" / "extra.txt").write_text("van een eerdere demo")
    assert run_demo(folder).exit_code == 0
    assert not (folder / "2011H1" / "extra.txt").exists()


def test_the_demo_never_touches_a_folder_of_the_users(tmp_path):
    folder = tmp_path / "mijn-klant"
    folder.mkdir()
    (folder / "basis.xlsx").write_bytes(b"mijn eigen basis")
    result = run_demo(folder)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert [p.name for p in folder.iterdir()] == ["basis.xlsx"]
    assert (folder / "basis.xlsx").read_bytes() == b"mijn eigen basis"


def test_the_demo_in_english(tmp_path):
    result = CliRunner().invoke(build_app("en"), ["demo", str(tmp_path / "en"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    monitor = tmp_path / "en" / "2011H1" / "KLANT-2011H1 Customer value monitor.xlsx"
    assert openpyxl.load_workbook(monitor).sheetnames[:3] == ["Cover", "Respondents", "KWIs"]
    assert {row.period for row in read_history(monitor)} == {"2010H2", "2011H1"}
    assert re.search(r"\b\d\.\d\d\b", result.output) and not re.search(r"\b\d,\d\d\b", result.output)


def test_the_demo_leaves_a_portfolio_over_two_clients(tmp_path):
    """Issue 20: the demo folder holds a second, small client, and the portfolio the demo writes
    (and ``kwm portfolio`` on the demo folder) compares both, each from its own monitor."""
    folder = tmp_path / "demo"
    result = run_demo(folder)
    assert result.exit_code == 0, result.output
    small = folder / "kleine-klant" / "2011H1" / "KLEIN-2011H1 Klantwaardemonitor.xlsx"
    assert small.is_file()
    written = sorted(folder.glob("Portefeuille *.xlsx"))
    assert len(written) == 1 and str(written[0]) in result.output
    overview = openpyxl.load_workbook(written[0], read_only=True)["Overzicht"]
    cells = {str(v) for row in overview.iter_rows(values_only=True) for v in row if v is not None}
    assert {"KLANT", "KLEIN", "KLANT NV", "Kleine Klant BV"} <= cells

    again = CliRunner().invoke(
        build_app("nl"), ["portfolio", str(folder), "--out", str(tmp_path / "p.xlsx"), "--json"]
    )
    assert again.exit_code == 0, again.output
    found = json.loads(again.stdout)
    assert sorted(c["code"] for c in found["clients"]) == ["KLANT", "KLEIN"]
    assert found["problems"] == []
    small_client = next(c for c in found["clients"] if c["code"] == "KLEIN")
    assert small_client["overall"] < 7.5 and small_client["overdue_actions"] == 1
