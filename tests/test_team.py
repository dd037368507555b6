"""The account team (the base's optional ``Team`` sheet, SPEC 3.1) and the action reminders
(``kwm remind BASE --actions``, SPEC 3.9)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm

from klantwaarde.api.check import check_base
from klantwaarde.api.init import init_base
from klantwaarde.baseformat import HEADERS, SHEETS
from klantwaarde.reading import read_base_rows
from klantwaarde.sheetdata import WorkbookRows
from klantwaarde.texts import load_texts

BASE: dict[str, list[list[Any]]] = {
    "Instellingen": [["Instelling", "Waarde"], ["Klant", "Acme"], ["Klantcode", "ACME"], ["Leverancier", "Lev"], ["Periode", "2024H1"]],
    "Respondenten": [["Naam", "Initialen"], ["Ann", "AA"], ["Bob", "BB"]],
    "KWI's": [["Code", "Titel"], ["KWI-01", "Kennis"]],
    "Vragen": [
        ["KWI", "Nr", "Vraag", "AA", "BB"],
        ["KWI-01", "1.01", "{leverancier} kent {klant}", "x", "x"],
        ["KWI-01", "1.02", "{leverancier} werkt actief aan deze KWI", "x", "x"],
        ["KWI-01", "1.03", "{leverancier} kwam de afspraken inzake deze KWI na", "x", "x"],
    ],
    "Acties": [
        ["Nr", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
        ["1", "Kennissessie", "KWI-01", "rm", "open", dt.date(2024, 3, 1)],
        ["2", "Documentatie", "KWI-01", "RM, js", "lopend", None],
        ["3", "Afgerond", "KWI-01", "XX", "gereed", None],
    ],
}  # fmt: skip
TEAM = [["Initialen", "Naam", "E-mail", "Rol"], ["RM", "Rob Martens", "rob@lev.nl", "Accountmanager"], ["js", "Jan Smit", "jan@lev.nl", "Servicemanager"]]  # fmt: skip


def statements(language: str) -> dict[str, str]:
    return {"active": "actief", "agreements": "afspraken"}


def read(sheets: dict[str, list[list[Any]]]) -> Any:
    return read_base_rows(WorkbookRows.of("basis.xlsx", sheets), Path("basis.xlsx"), statements)


def codes(problems: Any) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------------
# Reading and checking the Team sheet


def test_the_team_sheet_is_read_and_owners_match_its_initials_without_case():
    reading = read({**BASE, "Team": TEAM})
    assert reading.problems == []
    team = reading.base.team
    assert [(m.initials, m.name, m.email, m.role) for m in team] == [
        ("RM", "Rob Martens", "rob@lev.nl", "Accountmanager"),
        ("JS", "Jan Smit", "jan@lev.nl", "Servicemanager"),
    ]
    assert team[1].location.row == 3 and team[1].label == "Jan Smit (JS)"
    assert reading.base.team_member("js") is team[1]


def test_without_a_team_sheet_the_base_is_read_as_before():
    reading = read(BASE)
    assert reading.problems == [] and reading.base.team == ()


def test_the_english_sheet_and_headers_are_accepted():
    english = [["Initials", "Name", "E-mail", "Role"], ["RM", "Rob Martens", "rob@lev.nl", "Account manager"]]
    reading = read({**BASE, "Account team": english, "Acties": BASE["Acties"][:2]})
    assert reading.problems == [] and reading.base.team[0].role == "Account manager"


@pytest.mark.parametrize(
    ("row", "code", "cell"),
    [
        (["", "Zonder Initialen", "z@lev.nl", ""], "team_initials_missing", "A4"),
        (["RM", "Rob Tweede", "rob2@lev.nl", ""], "team_initials_duplicate", "A4"),
        (["KL", "Kim Lee", "kim@lev.nl, kim.lee@lev.nl", ""], "team_email_multiple", "C4"),
        (["KL", "Kim Lee", "kim at lev", ""], "email_invalid", "C4"),
    ],
)
def test_team_rows_that_cannot_get_a_reminder_are_warnings(row, code, cell):
    reading = read({**BASE, "Team": [*TEAM, row]})
    problems = [p for p in reading.problems if p.code != "action_owner_not_in_team"]
    assert codes(problems) == [code]
    assert problems[0].location.sheet == "Team" and problems[0].location.cell == cell
    assert not problems[0].is_error and reading.base is not None


def test_an_open_actions_owner_missing_from_the_team_is_a_warning_with_a_suggestion():
    sheets = {**BASE, "Team": TEAM}
    sheets["Acties"] = [*BASE["Acties"], ["4", "Nieuw", "KWI-01", "R M", "open", None]]
    reading = read(sheets)
    [found] = reading.problems
    assert (found.code, found.context["owner"], found.context["number"]) == (
        "action_owner_not_in_team",
        "R M",
        "4",
    )
    assert found.context["suggestion"] == "RM"
    assert (found.location.sheet, found.location.cell) == ("Acties", "D5")
    # action 3 is done: its owner XX is not asked for


def test_kwm_init_writes_the_team_sheet_with_the_example_team_and_explains_it(tmp_path):
    for lang, index in (("nl", 0), ("en", 1)):
        path = init_base(tmp_path / lang, lang, today=dt.date(2025, 2, 1))
        workbook = openpyxl.load_workbook(path)
        sheet = workbook[SHEETS["team"][index]]
        assert [c.value for c in sheet[1]] == [h.names[index] for h in HEADERS["team"]]
        texts = load_texts(lang)
        example = texts.raw("team.example")
        assert [c.value for c in sheet[2]] == list(example[0])
        explanation = [c.value for row in workbook[texts("base.sheets.explanation")].iter_rows() for c in row]
        assert SHEETS["team"][index] in explanation and texts("team.explanation") in explanation
        result = check_base(path)
        assert result.problems == []  # the example action is for the example team member
        assert result.base.actions[0].owner == example[0][0]
        assert result.base.team_member(example[0][0]) is not None


def test_the_bundled_example_has_its_account_team():
    from klantwaarde.pipeline.base import load_base

    base, problems = load_base(Path(nm.__file__).parent / "basis.xlsx")
    assert [(m.initials, m.name) for m in base.team] == [("RM", "Rob Martens")]
    assert {a.owner for a in base.actions} == {"RM"}
    assert "action_owner_not_in_team" not in codes(problems)
