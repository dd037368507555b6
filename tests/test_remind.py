"""``kwm remind``: reminder drafts only for those without a returned form that counts."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import hashlib
import shutil
from email import policy
from email.message import EmailMessage
from pathlib import Path

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from cycle_kit import FOUR, forms_of, two_of_four_returned, write_base
from factories import example_base
from klantwaarde.api.remind import remind
from klantwaarde.cli import build_app
from klantwaarde.layout import CycleLayout
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import fill_form
from returned_kit import make_form

NOW = dt.datetime(2011, 6, 1, 9, 30)  # the example's deadline is Friday 17 June 2011
EMAIL = {r[1]: r[2] for r in nm.RESPONDENTS}


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_of_four_returned(tmp_path_factory.mktemp("prepared") / "klant")


@pytest.fixture
def base(prepared: Path, tmp_path: Path) -> Path:
    """A fresh copy of the prepared client folder: AA and BB returned (BB with a bad grade)."""
    shutil.copytree(prepared.parent, tmp_path / "klant")
    return tmp_path / "klant" / "basis.xlsx"


def reminders_dir(base: Path) -> Path:
    return base.parent / nm.PERIOD / "herinneringen"


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def folder_state(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- the library -----------------------------------------------------------------------------


def test_the_two_missing_respondents_get_a_reminder_with_their_own_form(base: Path) -> None:
    result = remind(base, now=NOW)

    assert [r.initials for r in result.reminders] == ["CC", "DD"]
    assert sorted(p.name for p in reminders_dir(base).iterdir()) == [
        "KLANT-2011H1 Herinnering C. Ceee (CC).eml",
        "KLANT-2011H1 Herinnering D. Deeee (DD).eml",
    ]
    forms = forms_of(base)
    for reminder in result.reminders:
        message = parse(reminder.eml)
        assert message["X-Unsent"] == "1"
        assert EMAIL[reminder.initials] in message["To"]
        assert "rob.martens@bestseller.example" in message["From"]
        attachments = list(message.iter_attachments())
        assert len(attachments) == 1
        assert attachments[0].get_filename() == forms[reminder.initials].name
        assert attachments[0].get_content() == forms[reminder.initials].read_bytes()
        text = body(message)
        assert "uiterlijk vrijdag 17 juni 2011" in text
        assert nm.RESPONDENTS[[r[1] for r in nm.RESPONDENTS].index(reminder.initials)][0] in text
        assert "Herinnering" in message["Subject"]


def test_those_who_returned_get_no_reminder_also_with_problems_in_their_form(base: Path) -> None:
    result = remind(base, now=NOW)
    assert not {"AA", "BB"} & {r.initials for r in result.reminders}
    # BB's bad grade is for status and process to show, not a reason to remind
    assert "form_grade_invalid" not in [p.code for p in result.problems]


def test_dry_run_lists_who_would_get_one_and_writes_nothing(base: Path) -> None:
    before = folder_state(base.parent)
    result = remind(base, dry_run=True, now=NOW)
    assert [r.initials for r in result.reminders] == ["CC", "DD"]
    assert result.written == []
    assert not reminders_dir(base).exists()
    assert folder_state(base.parent) == before


def test_nobody_missing_writes_nothing(base: Path) -> None:
    forms = forms_of(base)
    folder = base.parent / nm.PERIOD / "ingevuld"
    for initials in ("CC", "DD"):
        fill_form(forms[initials], folder / f"{initials}.xlsx", nm.answers(initials), nps=7)

    result = remind(base, now=NOW)

    assert result.nobody_missing and result.reminders == ()
    assert not reminders_dir(base).exists()


def test_a_refused_form_does_not_stop_a_reminder(base: Path) -> None:
    folder = base.parent / nm.PERIOD / "ingevuld"
    make_form(folder / "CC oud.xlsx", "CC", period=nm.EARLIER_PERIOD, answers={"1.01": (7, "")})

    result = remind(base, now=NOW)

    assert [r.initials for r in result.reminders] == ["CC", "DD"]
    assert "form_other_period" in [p.code for p in result.problems]  # why CC is reminded anyway


def test_a_missing_respondent_without_a_generated_form_gets_a_warning_and_no_draft(base: Path) -> None:
    forms_of(base)["DD"].unlink()

    result = remind(base, now=NOW)

    assert [r.initials for r in result.reminders] == ["CC"]
    assert result.skipped == ("DD",)
    found = [p for p in result.problems if p.code == "remind_form_missing"]
    assert len(found) == 1 and found[0].location.sheet == "Respondenten" and found[0].location.row == 5
    assert not found[0].is_error
    assert "kwm generate" in load_texts("nl").message(found[0])
    assert [p.name for p in reminders_dir(base).iterdir()] == ["KLANT-2011H1 Herinnering C. Ceee (CC).eml"]


def test_a_missing_respondent_without_an_email_address_gets_a_warning(tmp_path: Path, prepared: Path) -> None:
    shutil.copytree(prepared.parent, tmp_path / "klant")
    base = tmp_path / "klant" / "basis.xlsx"
    workbook = openpyxl.load_workbook(base)
    workbook["Respondenten"]["C4"] = None  # CC's address
    workbook.save(base)

    result = remind(base, now=NOW)

    assert [r.initials for r in result.reminders] == ["DD"]
    assert [(p.code, p.location.row) for p in result.problems if p.code.startswith("remind_")] == [
        ("remind_no_email", 4)
    ]


def test_after_the_deadline_the_reminder_asks_for_it_as_soon_as_possible(base: Path) -> None:
    result = remind(base, now=dt.datetime(2011, 6, 20, 9, 0))
    text = body(parse(result.reminders[0].eml))
    assert "vrijdag 17 juni 2011" in text and "voorbij" in text and "zo snel mogelijk" in text
    assert "uiterlijk" not in text


def test_without_a_deadline_the_reminder_asks_for_it_as_soon_as_possible(tmp_path: Path) -> None:
    base = write_base(tmp_path / "basis.xlsx", respondents=FOUR)
    workbook = openpyxl.load_workbook(base)
    sheet = workbook["Instellingen"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Deadline":
            row[1].value = None
    workbook.save(base)
    from klantwaarde.api.generate import generate

    generate(base, now=NOW)
    result = remind(base, now=NOW)
    text = body(parse(result.reminders[0].eml))
    assert "zo snel mogelijk" in text and "uiterlijk" not in text


def test_the_session_date_is_named_while_it_is_ahead(base: Path) -> None:
    text = body(parse(remind(base, now=NOW).reminders[0].eml))
    assert "klantwaardesessie op vrijdag 1 juli 2011" in text


def test_reminders_in_english(base: Path) -> None:
    result = remind(base, lang="en", now=NOW)
    names = sorted(p.name for p in reminders_dir(base).iterdir())
    assert names == ["KLANT-2011H1 Reminder C. Ceee (CC).eml", "KLANT-2011H1 Reminder D. Deeee (DD).eml"]
    message = parse(result.reminders[0].eml)
    assert str(message["Subject"]).strip().startswith("Reminder")
    assert "by Friday 17 June 2011" in body(message)


def test_another_folder_and_reproducible_drafts(base: Path, tmp_path: Path) -> None:
    first = remind(base, out_dir=tmp_path / "uit", now=NOW)
    data = [r.eml.read_bytes() for r in first.reminders]
    second = remind(base, out_dir=tmp_path / "uit", now=NOW)
    assert [r.eml.parent for r in second.reminders] == [tmp_path / "uit"] * 2
    assert [r.eml.read_bytes() for r in second.reminders] == data
    assert not reminders_dir(base).exists()


def test_reminder_file_names_are_safe_and_stay_in_the_folder(tmp_path: Path) -> None:
    base = example_base(tmp_path / "basis.xlsx")
    person = dataclasses.replace(base.respondents[0], name="Jan/Piet: de <Vries>", initials="JP")
    path = CycleLayout.of(base).reminder_path(person, load_texts("nl"), folder=tmp_path / "herinneringen")
    assert path.parent == (tmp_path / "herinneringen").resolve()
    assert path.suffix == ".eml" and path.name.endswith("(JP).eml")
    assert not set('/\\:*?"<>|') & set(path.name)


# --- the command -----------------------------------------------------------------------------


def run(*args: str, lang: str = "nl"):  # type: ignore[no-untyped-def]
    return CliRunner(env={"COLUMNS": "200"}).invoke(build_app(lang), ["remind", *args])


def test_kwm_remind_writes_the_drafts_and_says_where(base: Path) -> None:
    result = run(str(base))
    assert result.exit_code == 0, result.output
    assert "C. Ceee (CC)" in result.output and "D. Deeee (DD)" in result.output
    assert "A. Aaaa" not in result.output
    assert str(reminders_dir(base).resolve()) in result.output or "herinneringen" in result.output
    assert len(list(reminders_dir(base).iterdir())) == 2


def test_kwm_remind_dry_run_writes_nothing(base: Path) -> None:
    result = run(str(base), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "C. Ceee (CC)" in result.output and "niets geschreven" in result.output
    assert not reminders_dir(base).exists()


def test_kwm_remind_says_when_nobody_is_missing(base: Path) -> None:
    forms = forms_of(base)
    folder = base.parent / nm.PERIOD / "ingevuld"
    for initials in ("CC", "DD"):
        fill_form(forms[initials], folder / f"{initials}.xlsx", nm.answers(initials), nps=7)
    result = run(str(base))
    assert result.exit_code == 0, result.output
    assert "geen herinnering nodig" in result.output
    assert not reminders_dir(base).exists()


@pytest.mark.parametrize("content", [None, b"dit is geen werkmap"])
def test_kwm_remind_on_a_missing_or_broken_base_is_a_clear_message(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "basis.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = run(str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "basis.xlsx" in result.output
    assert [p.name for p in tmp_path.iterdir()] == (["basis.xlsx"] if content is not None else [])
