"""The internal workbook beside the monitor (SPEC 3.6), and the client monitor holding nothing
internal (SPEC 3.4) — with the field trial's leaks of an anonymous respondent gone (issue 15)."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import FIXED_NOW
from klantwaarde.api.demo import demo
from klantwaarde.cli import build_app
from klantwaarde.workbook.fill import fill_form
from returned_kit import set_modified

INTERNAL = f"{nm.CLIENT_CODE}-{nm.PERIOD} Verwerking (intern).xlsx"
MONITOR = f"{nm.CLIENT_CODE}-{nm.PERIOD} Klantwaardemonitor.xlsx"
DD_WORDS = ("Deeee", "d.deeee@newmedia.nl")  # DD chose anonymity in 2011H1


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The example after `kwm demo`, with an older copy of DD's form that names DD only by part of
    the name ("Deeee oud.xlsx") and holds a bad answer, processed again."""
    folder = demo(tmp_path_factory.mktemp("internal") / "klant", now=FIXED_NOW).folder
    returned = folder / nm.PERIOD / "ingevuld"
    dd = next(p for p in returned.iterdir() if "(DD)" in p.name)
    old = returned / "Deeee oud.xlsx"
    shutil.copy2(dd, old)
    fill_form(old, old, {"1.02": (11, None)})  # a bad grade in the copy that does not count
    set_modified(old, dt.datetime(2011, 6, 5, 10, 0, tzinfo=dt.UTC))  # saved before DD's real form
    result = CliRunner().invoke(build_app("nl"), ["process", str(folder / "basis.xlsx"), "--json"])
    assert result.exit_code == 0, result.output
    terminal = CliRunner().invoke(build_app("nl"), ["process", str(folder / "basis.xlsx")])
    return {
        "folder": folder,
        "json": json.loads(result.stdout),
        "stdout": result.stdout,
        "terminal": terminal.stdout + terminal.stderr,
        "internal": openpyxl.load_workbook(folder / nm.PERIOD / INTERNAL),
        "monitor": openpyxl.load_workbook(folder / nm.PERIOD / MONITOR),
    }


def texts_of(workbook: Any) -> dict[str, list[str]]:
    return {
        ws.title: [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
        for ws in workbook.worksheets
    }


def test_the_internal_workbook_has_its_sheets_and_says_internal_on_every_page(processed) -> None:
    internal = processed["internal"]
    assert internal.sheetnames == [
        "Samenvatting",
        "Ontvangen",
        "Meldingen",
        "Per respondent",
        "Interne notities",
    ]
    for ws in internal.worksheets:
        assert ws.oddHeader.center.text.endswith("Intern – niet delen met de klant"), ws.title
        assert ws["A2"].value == "Intern – niet delen met de klant", ws.title
    assert Path(processed["json"]["internal"]) == processed["folder"] / nm.PERIOD / INTERNAL


def test_the_monitor_holds_nothing_internal(processed) -> None:
    monitor = processed["monitor"]
    assert "Meldingen" not in monitor.sheetnames
    everything = "\n".join(t for texts in texts_of(monitor).values() for t in texts)
    assert "Meldingen" not in everything and "ingevuld" not in everything
    assert "Deeee oud.xlsx" not in everything and ".xlsx" not in everything  # no file of a respondent
    for message in (p["message"] for p in processed["json"]["problems"]):
        assert message not in everything  # no processing message


def test_every_file_is_received_and_an_anonymous_respondents_files_are_never_named(processed) -> None:
    received = texts_of(processed["internal"])["Ontvangen"]
    assert sum(t == "vragenlijst van een anonieme respondent" for t in received) == 2  # DD's two files
    for initials in ("AA", "BB", "CC", "KK"):
        assert any(f"({initials}).xlsx" in t for t in received), initials
    for where, texts in {**texts_of(processed["internal"]), **texts_of(processed["monitor"])}.items():
        if where in (
            "Respondenten",
            "Toewijzing",
            "Interne notities",
        ):  # who took part; notes are the AM's own
            continue
        for text in texts:
            assert not any(word in text for word in DD_WORDS), (where, text)
            assert not re.search(r"(?<![A-Za-z])DD(?![A-Za-z])", text), (where, text)
    for shown in (processed["stdout"], processed["terminal"]):
        assert not any(word in shown for word in DD_WORDS)
        assert "Deeee oud" not in shown


def test_an_ignored_copy_is_one_line_and_is_not_analysed_further(processed) -> None:
    codes = [p["code"] for p in processed["json"]["problems"]]
    assert codes.count("form_duplicate_ignored") == 1
    assert "form_grade_invalid" not in codes  # the bad grade was in the copy that does not count
    (ignored,) = [p for p in processed["json"]["problems"] if p["code"] == "form_duplicate_ignored"]
    assert ignored["file"] == "vragenlijst van een anonieme respondent"


def test_the_summary_says_in_plain_words_what_was_withheld_and_where_the_trend_came_from(processed) -> None:
    summary = texts_of(processed["internal"])["Samenvatting"]
    assert any(t.startswith("Geen cijfers of scores per respondent") for t in summary)
    assert any("2010H2" in t for t in summary)  # the earlier period's monitor gave the trend
    assert any(t.startswith("Anonimiteit (drempel 3, 1 anonieme respondent") for t in summary)
    per_respondent = texts_of(processed["internal"])["Per respondent"]
    assert any(t.startswith("Geen cijfers of scores per respondent") for t in per_respondent)


def test_the_terminal_says_what_was_withheld(processed) -> None:
    assert "Anonimiteit (drempel 3" in processed["terminal"]
    assert "Geen cijfers of scores per respondent" in processed["terminal"]
    assert "Intern overzicht (niet voor de klant):" in processed["terminal"]
