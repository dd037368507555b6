"""``kwm plan``: the cycle's dates as an iCalendar file (SPEC 3.9), read back with the icalendar
package; and the date warnings of ``kwm check`` and ``kwm status``."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import icalendar
import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from klantwaarde.api.check import check_base
from klantwaarde.api.plan import plan
from klantwaarde.api.status import status
from klantwaarde.cli import build_app
from klantwaarde.problems import KwmError

EXAMPLE = Path(nm.__file__).parent / "basis.xlsx"
NOW = dt.datetime(2011, 6, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def base(tmp_path) -> Path:
    target = tmp_path / "klant" / "basis.xlsx"
    target.parent.mkdir()
    shutil.copy(EXAMPLE, target)
    return target


def set_settings(path: Path, **values: object) -> Path:
    """Change settings of a base by their Dutch names (``Sessiedatum=None`` empties one)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Instellingen"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values[str(row[0].value)]
    workbook.save(path)
    return path


def set_actions(path: Path, rows: list[list[object]]) -> Path:
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Acties"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def events(path: Path) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def codes(problems: Any) -> list[str]:
    return [p.code for p in problems]


def test_the_plan_holds_the_session_the_resend_the_deadline_and_every_open_actions_deadline(base):
    result = plan(base, now=NOW)
    assert result.path == base.parent / "2011H1" / "KLANT-2011H1 Planning.ics"
    calendar = icalendar.Calendar.from_ical(result.path.read_bytes())
    assert str(calendar["prodid"]) == "-//kwm//klantwaarde//NL" and str(calendar["method"]) == "PUBLISH"
    found = {(str(e["summary"]), e["dtstart"].dt) for e in events(result.path)}
    assert found == {
        ("Deadline vragenlijsten KLANT NV", dt.date(2011, 6, 17)),
        ("Vragenlijsten opnieuw versturen (KLANT NV)", dt.date(2011, 6, 17)),  # two weeks before
        ("Klantwaardesessie KLANT NV", dt.date(2011, 7, 1)),
        ("Actie 2011-02 KLANT NV: Deelnemen aan de jaarplansessie van NewMedia", dt.date(2011, 3, 1)),
        ("Actie 2011-03 KLANT NV: Voorstel besparingen op beheerkosten uitwerken", dt.date(2011, 1, 15)),
        (
            "Actie 2011-04 KLANT NV: Halfjaarlijkse strategiesessie met het MT van NewMedia",
            dt.date(2011, 9, 1),
        ),
    }  # 2011-01 is done: not in the plan
    assert result.problems == []


def test_events_are_all_day_and_an_actions_owner_is_in_its_description(base):
    result = plan(base, now=NOW)
    for event in events(result.path):
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert type(start) is dt.date and end == start + dt.timedelta(days=1)
        assert event["dtstamp"].dt == NOW
    action = next(e for e in events(result.path) if "2011-03" in str(e["summary"]))
    description = str(action["description"])
    assert "Voor: Rob Martens (RM)" in description  # the name from the Team sheet
    assert "KWI: KWI-04 Kostenreductie" in description and "Status: open" in description
    session = next(e for e in events(result.path) if str(e["summary"]).startswith("Klantwaardesessie"))
    assert str(session["transp"]) == "OPAQUE" and "kwm process" in str(session["description"])


def test_importing_again_updates_the_events_instead_of_adding_them(base):
    first = {str(e["uid"]): int(e["sequence"]) for e in events(plan(base, now=NOW).path)}
    set_settings(base, Sessiedatum=dt.date(2011, 7, 8))
    later = events(plan(base, now=NOW + dt.timedelta(days=3)).path)
    again = {str(e["uid"]): int(e["sequence"]) for e in later}
    assert set(again) == set(first) and len(first) == 6  # the same events, each once
    assert all(again[uid] > first[uid] for uid in first)  # newer: calendars take these dates
    session = next(e for e in later if str(e["uid"]).endswith("-session@klantwaarde"))
    assert session["dtstart"].dt == dt.date(2011, 7, 8)
    action = next(e for e in later if "2011-03" in str(e["summary"]))
    assert "-2011H1-" not in str(action["uid"])  # an action keeps its event when it carries over


def test_the_plan_speaks_the_language_asked_for(base):
    result = plan(base, lang="en", now=NOW)
    assert result.path.name == "KLANT-2011H1 Schedule.ics"
    summaries = {str(e["summary"]) for e in events(result.path)}
    assert "Customer value session KLANT NV" in summaries
    assert "Send the questionnaires again (KLANT NV)" in summaries
    action = next(e for e in events(result.path) if "2011-02" in str(e["summary"]))
    assert "Owner: Rob Martens (RM)" in str(action["description"]) and "Status: in progress" in str(
        action["description"]
    )


def test_json_lists_the_events_and_nothing_else_is_printed(base):
    result = CliRunner().invoke(build_app("nl"), ["plan", str(base), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["output"].endswith("KLANT-2011H1 Planning.ics") and data["problems"] == []
    kinds = [(e["kind"], e["date"]) for e in data["events"]]
    assert kinds[:3] == [("action", "2011-01-15"), ("action", "2011-03-01"), ("deadline", "2011-06-17")]
    assert ("session", "2011-07-01") in kinds and ("resend", "2011-06-17") in kinds
    action = next(e for e in data["events"] if e["action"] == "2011-04")
    assert action["owners"] == ["RM"] and action["uid"].endswith("@klantwaarde")


def test_the_terminal_lists_the_events_and_says_where_the_file_is(base):
    result = CliRunner().invoke(build_app("nl"), ["plan", str(base)])
    assert result.exit_code == 0, result.output
    assert "Klantwaardesessie KLANT NV" in result.output and "vrijdag 1 juli 2011" in result.output
    assert "Planning.ics" in result.output


@pytest.mark.parametrize("where", ["base", "answers"])
def test_out_never_replaces_an_input(base, where):
    answers = base.parent / "2011H1" / "ingevuld"
    answers.mkdir(parents=True)
    target = base if where == "base" else answers / "agenda.ics"
    with pytest.raises(KwmError) as caught:
        plan(base, target, now=NOW)
    assert codes(caught.value.problems) == ["output_is_base" if where == "base" else "output_in_answers"]
    assert not (answers / "agenda.ics").exists()


def test_out_writes_where_asked(base, tmp_path):
    result = plan(base, tmp_path / "elders" / "cyclus.ics", now=NOW)
    assert result.path == tmp_path / "elders" / "cyclus.ics" and len(events(result.path)) == 6


def test_what_cannot_be_planned_is_said(base):
    set_settings(base, Sessiedatum=None)
    set_actions(base, [["1", dt.date(2011, 1, 1), "Zonder datum", "KWI-01", "RM", "open", None]])
    result = plan(base, now=NOW)
    assert codes(result.problems) == ["plan_no_session", "plan_actions_no_deadline"]
    assert result.problems[1].context["numbers"] == ["1"]
    assert [e.kind for e in result.events] == ["deadline"]
    set_settings(base, Deadline=None)
    with pytest.raises(KwmError) as caught:
        plan(base, now=NOW)
    assert codes(caught.value.problems) == [
        "plan_no_session",
        "plan_no_deadline",
        "plan_actions_no_deadline",
        "plan_nothing",
    ]
    assert caught.value.problems[-1].is_error


def test_an_action_without_owner_is_planned_with_nobody_named(base):
    set_actions(base, [["7", None, "Iemand moet dit doen", "KWI-01", None, "open", dt.date(2011, 8, 1)]])
    result = plan(base, now=NOW)
    action = next(e for e in result.events if e.kind == "action")
    assert "Voor: nog niemand" in action.description and action.owners == ()


# ---------------------------------------------------------------------------------------------
# kwm check and kwm status


def test_check_warns_when_the_deadline_is_not_before_the_session(base):
    set_settings(base, Deadline=dt.date(2011, 7, 1))
    found = [p for p in check_base(base).problems if p.code == "deadline_after_session"]
    assert [(p.context["deadline"], p.context["session"], p.location.cell) for p in found] == [
        ("1-7-2011", "1-7-2011", "B8")
    ]
    assert not found[0].is_error
    set_settings(base, Deadline=dt.date(2011, 6, 30))
    assert "deadline_after_session" not in codes(check_base(base).problems)


@pytest.mark.parametrize(
    ("today", "warned"),
    [
        (dt.date(2011, 6, 16), False),  # 15 days before the session
        (dt.date(2011, 6, 17), True),  # two weeks
        (dt.date(2011, 7, 1), True),  # the day itself
        (dt.date(2011, 7, 2), False),  # after it
    ],
)
def test_status_warns_when_the_session_is_two_weeks_away_and_forms_are_missing(base, today, warned):
    result = status(base, now=today)
    found = [p for p in result.problems if p.code == "session_near_missing"]
    assert bool(found) is warned
    if warned:
        assert found[0].context["initials"] == ["AA", "BB", "CC", "DD", "KK"]
        assert found[0].context["days"] == (dt.date(2011, 7, 1) - today).days


def test_status_says_nothing_of_the_session_once_everyone_has_answered(base):
    shutil.copytree(EXAMPLE.parent / "2011H1", base.parent / "2011H1")
    result = status(base, now=dt.date(2011, 6, 25))
    assert result.missing == [] and "session_near_missing" not in codes(result.problems)
