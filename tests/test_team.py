"""The account team (the base's optional ``Team`` sheet, SPEC 3.1) and the action reminders
(``kwm remind BASE --actions``, SPEC 3.9)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from cycle_kit import write_base
from klantwaarde.api.check import check_base
from klantwaarde.api.init import init_base
from klantwaarde.api.remind import remind_actions
from klantwaarde.baseformat import HEADERS, SHEETS
from klantwaarde.cli import build_app
from klantwaarde.reading import read_base_rows
from klantwaarde.sheetdata import WorkbookRows
from klantwaarde.texts import load_texts

BASE: dict[str, list[list[Any]]] = {
    "Instellingen": [["Instelling", "Waarde"], ["Klant", "Acme"], ["Klantcode", "ACME"], ["Leverancier", "Lev"], ["Periode", "2024H1"]],
    "Respondenten": [["Naam", "Initialen"], ["Ann", "AA"], ["Bob", "BB"], ["Cas", "CC"]],
    "KWI's": [["Code", "Titel"], ["KWI-01", "Kennis"]],
    "Vragen": [
        ["KWI", "Nr", "Vraag", "AA", "BB", "CC"],
        ["KWI-01", "1.01", "{leverancier} kent {klant}", "x", "x", "x"],
        ["KWI-01", "1.02", "{leverancier} werkt actief aan deze KWI", "x", "x", "x"],
        ["KWI-01", "1.03", "{leverancier} kwam de afspraken inzake deze KWI na", "x", "x", "x"],
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


# ---------------------------------------------------------------------------------------------
# kwm remind --actions

EXAMPLE = Path(nm.__file__).parent / "basis.xlsx"
NOW = dt.datetime(2011, 2, 15, 9, 0)  # 2011-03 is overdue; 2011-02 and 2011-04 are not yet


@pytest.fixture
def example(tmp_path) -> Path:
    target = tmp_path / "klant" / "basis.xlsx"
    target.parent.mkdir()
    shutil.copy(EXAMPLE, target)
    return target


def with_team(path: Path, team: list[list[object]] | None, actions: list[list[object]] | None = None) -> Path:
    """The base at ``path`` with this Team sheet (None: none) and, when given, these actions."""
    workbook = openpyxl.load_workbook(path)
    if "Team" in workbook.sheetnames:
        del workbook["Team"]
    if team is not None:
        sheet = workbook.create_sheet("Team")
        for row in [["Initialen", "Naam", "E-mail", "Rol"], *team]:
            sheet.append(row)
    if actions is not None:
        sheet = workbook["Acties"]
        sheet.delete_rows(2, sheet.max_row)
        for row in actions:
            sheet.append(row)
    workbook.save(path)
    return path


def parsed(path: Path) -> Any:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def body(message: Any) -> str:
    return str(message.get_body(preferencelist=("plain",)).get_content())


def test_each_owner_gets_one_draft_with_their_open_actions_overdue_first(example):
    result = remind_actions(example, now=NOW)
    [reminder] = result.reminders
    assert (reminder.initials, reminder.actions, reminder.overdue) == (
        "RM",
        ("2011-03", "2011-02", "2011-04"),
        ("2011-03",),
    )
    assert (
        reminder.eml
        == example.parent / "2011H1" / "herinneringen" / "KLANT-2011H1 Acties Rob Martens (RM).eml"
    )
    message = parsed(reminder.eml)
    assert message["X-Unsent"] == "1"
    assert [a.addr_spec for a in message["To"].addresses] == ["rob.martens@bestseller.example"]
    assert [a.addr_spec for a in message["From"].addresses] == ["rob.martens@bestseller.example"]
    assert message.get_content_type() == "multipart/alternative"  # no attachment
    assert not [part for part in message.walk() if part.get_filename()]
    text = body(message)
    positions = [text.index(number) for number in ("2011-03", "2011-02", "2011-04")]
    assert positions == sorted(positions) and "2011-01" not in text  # done: not listed
    assert "31 dag(en) verlopen" in text and "Kostenreductie" in text and "status lopend" in text
    assert message["Subject"] == "Openstaande acties KLANT NV: 3 op jouw naam"
    assert result.unknown_owners == () and result.problems == []


def test_the_draft_speaks_english_when_asked(example):
    [reminder] = remind_actions(example, lang="en", now=NOW).reminders
    message = parsed(reminder.eml)
    assert reminder.eml.name == "KLANT-2011H1 Actions Rob Martens (RM).eml"
    assert message["Subject"] == "Open actions KLANT NV: 3 in your name"
    assert "31 day(s) overdue" in body(message) and "status in progress" in body(message)


def test_owners_not_in_the_team_are_listed_and_get_no_draft(example):
    actions = [
        ["1", None, "Kennissessie", "KWI-01", "rm", "open", dt.date(2011, 3, 1)],
        ["2", None, "Rapport", "KWI-01", "JS", "lopend", None],
        ["3", None, "Samen", "KWI-01", "RM, kk", "open", dt.date(2011, 1, 1)],
        ["4", None, "Niemand", "KWI-01", None, "open", None],
        ["5", None, "Klaar", "KWI-01", "XX", "gereed", None],
    ]
    with_team(example, [["RM", "Rob Martens", "rob.martens@bestseller.example", ""]], actions)
    result = remind_actions(example, now=NOW)
    [reminder] = result.reminders
    assert reminder.actions == ("3", "1")  # overdue first
    assert result.unknown_owners == ("JS", "KK")
    assert [(p.code, dict(p.context)) for p in result.problems] == [
        ("remind_action_no_owner", {"numbers": ("4",)}),
        ("remind_owner_unknown", {"owner": "JS", "numbers": ("2",)}),
        ("remind_owner_unknown", {"owner": "KK", "numbers": ("3",)}),
    ]


def test_without_a_team_sheet_nobody_gets_a_draft_and_the_base_is_named(tmp_path):
    base = write_base(tmp_path / "klant" / "basis.xlsx")
    result = remind_actions(base, now=NOW)
    assert result.reminders == () and result.unknown_owners == ("RM",)
    assert [p.code for p in result.problems] == ["remind_team_missing"]
    assert not (base.parent / "2011H1" / "herinneringen").exists()


def test_a_member_without_one_address_gets_no_draft(example):
    team = [
        ["RM", "Rob Martens", "", ""],
        ["JS", "Jan Smit", "jan@lev.nl, jan.smit@lev.nl", ""],
    ]
    actions = [
        ["1", None, "Eén", "KWI-01", "RM", "open", None],
        ["2", None, "Twee", "KWI-01", "JS", "open", None],
    ]
    with_team(example, team, actions)
    result = remind_actions(example, now=NOW)
    assert result.reminders == () and result.skipped == ("RM", "JS")
    assert [p.code for p in result.problems] == [
        "team_email_multiple",
        "remind_team_no_email",
        "mail_address_invalid",
    ]
    assert not list((example.parent / "2011H1").rglob("*.eml"))


def test_a_name_with_a_comma_or_an_address_in_it_never_adds_a_recipient(example):
    with_team(example, [["RM", "Martens, Rob <boss@elders.example>", "rob.martens@bestseller.example", ""]])
    [reminder] = remind_actions(example, now=NOW).reminders
    message = parsed(reminder.eml)
    assert [a.addr_spec for a in message["To"].addresses] == ["rob.martens@bestseller.example"]


def test_dry_run_and_json_write_nothing_and_print_only_json(example):
    runner = CliRunner()
    result = runner.invoke(build_app("nl"), ["remind", str(example), "--actions", "--dry-run", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["dry_run"] is True and data["open_actions"] == 3
    every = ["2011-03", "2011-02", "2011-04"]  # by today's clock all three are overdue
    assert [(r["initials"], r["actions"], r["overdue"]) for r in data["reminders"]] == [("RM", every, every)]
    assert data["reminders"][0]["draft"].endswith("KLANT-2011H1 Acties Rob Martens (RM).eml")
    assert not (example.parent / "2011H1" / "herinneringen").exists()
    terminal = runner.invoke(build_app("nl"), ["remind", str(example), "--actions", "--dry-run"])
    assert "Proefrun: 1 actieherinnering(en)" in terminal.output and "Rob Martens (RM)" in terminal.output


def test_nothing_open_means_nothing_written(example):
    with_team(
        example,
        [["RM", "Rob Martens", "rob@lev.nl", ""]],
        [["1", None, "Klaar", "KWI-01", "RM", "gereed", None]],
    )
    result = CliRunner().invoke(build_app("nl"), ["remind", str(example), "--actions"])
    assert result.exit_code == 0, result.output
    assert "geen openstaande acties" in result.output
    assert not (example.parent / "2011H1" / "herinneringen").exists()


def test_action_drafts_are_reproducible(example, tmp_path):
    first = remind_actions(example, tmp_path / "een", now=NOW).reminders[0].eml.read_bytes()
    again = remind_actions(example, tmp_path / "twee", now=NOW).reminders[0].eml.read_bytes()
    assert first == again
