"""`kwm generate`: forms per respondent in the period folder, safe names, e-mail drafts, the CLI."""

from __future__ import annotations

import email
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import FIXED_NOW, build_workbook
from factories import example_base
from klantwaarde import contract
from klantwaarde.api.generate import GenerateResult, generate, generate_from_base
from klantwaarde.cli import build_app
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Respondent
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import fill_form
from klantwaarde.workbook.safe import lock_file_for
from test_questionnaire import SPECIAL, read_form, uneven_base

FORBIDDEN = set('/\\:*?"<>|')

# -------------------------------------------------------------------------------------------
# A base workbook on disk, as an account manager fills it in.


def base_rows(
    respondents: list[tuple[str, str, str, str, str]] | None = None,
    assignment: dict[str, list[str]] | None = None,
    settings: dict[str, object] | None = None,
) -> dict[str, list[list[Any]]]:
    respondents = respondents or list(nm.RESPONDENTS)
    assignment = assignment if assignment is not None else nm.ASSIGNMENT
    initials = [r[1] for r in respondents]
    values = dict(nm.SETTINGS) | (settings or {})
    return {
        "Instellingen": [["Instelling", "Waarde"], *[[k, v] for k, v in values.items()]],
        "Respondenten": [
            ["Naam", "Initialen", "E-mail", "Functie", "Opmerking"],
            *[list(r) for r in respondents],
        ],
        "KWI's": [["Code", "Titel", "Omschrijving", "Doel", "Ingebracht door"], *[list(k) for k in nm.KWIS]],
        "Vragen": [
            ["KWI", "Nr", "Vraag", *initials],
            *[
                [kwi, number, text, *["x" if number in assignment.get(i, []) else None for i in initials]]
                for kwi, number, text in nm.QUESTIONS
            ],
        ],
        "Acties": [
            ["Nr", "Datum", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
            *[list(a) for a in nm.ACTIONS],
        ],
    }


def write_base(folder: Path, **changes: Any) -> Path:
    return build_workbook(folder / "klant-nv" / "basis.xlsx", base_rows(**changes))


def parse(path: Path) -> EmailMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def body(message: EmailMessage) -> str:
    plain = message.get_body(("plain",))
    assert plain is not None
    return str(plain.get_content())


def codes(result: GenerateResult) -> list[str]:
    return [p.code for p in result.problems]


# -------------------------------------------------------------------------------------------
# From a base workbook


def test_one_form_per_respondent_in_the_period_folder_with_exactly_their_questions(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    result = generate(base, now=FIXED_NOW)
    folder = base.parent / "2011H1" / "vragenlijsten"
    assert result.out_dir == folder
    assert result.ok and result.language == "nl"
    assert [f.initials for f in result.forms] == [r[1] for r in nm.RESPONDENTS]
    kk = next(f for f in result.forms if f.initials == "KK")
    assert kk.path == folder / "KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx"
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.path.name for f in result.forms)
    for form in result.forms:
        rows = read_form(form.path)
        assert set(rows) == set(nm.ASSIGNMENT[form.initials]) | SPECIAL
        assert form.questions == len(nm.ASSIGNMENT[form.initials])
        assert form.eml is None
    assert result.returned_dir == base.parent / "2011H1" / "ingevuld"


def test_the_base_is_never_written(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    before = base.read_bytes()
    generate(base, mail=True, now=FIXED_NOW)
    assert base.read_bytes() == before


def test_a_base_with_errors_stops_before_writing_anything(tmp_path: Path) -> None:
    respondents = [*nm.RESPONDENTS, ("Kees Dubbel", "KK", "kd@newmedia.nl", "", "")]
    base = write_base(tmp_path, respondents=respondents)
    with pytest.raises(KwmError) as raised:
        generate(base, now=FIXED_NOW)
    assert "initials_duplicate" in [p.code for p in raised.value.problems]
    assert not (base.parent / "2011H1").exists()


def test_a_respondent_without_questions_gets_no_form_and_a_warning(tmp_path: Path) -> None:
    respondents = [*nm.RESPONDENTS, ("Niemand Nogwat", "NN", "nn@newmedia.nl", "", "")]
    base = write_base(tmp_path, respondents=respondents)
    result = generate(base, now=FIXED_NOW)
    assert "NN" not in [f.initials for f in result.forms]
    skipped = [p for p in result.problems if p.code == "respondent_skipped_no_questions"]
    assert len(skipped) == 1
    assert skipped[0].location.sheet == "Respondenten" and skipped[0].location.row == 7
    assert skipped[0].context["initials"] == "NN"
    assert not any("(NN)" in p.name for p in result.out_dir.iterdir())
    assert "respondent_no_questions" not in codes(result)  # replaced by the more telling warning


def test_base_language_and_lang_option_choose_the_form_language(tmp_path: Path) -> None:
    base = write_base(tmp_path, settings={"Taal": "en"})
    result = generate(base, now=FIXED_NOW)
    assert result.language == "en"
    kk = next(f for f in result.forms if f.initials == "KK")
    assert kk.path.name == "KLANT-2011H1 Questionnaire Kees Klant (KK).xlsx"
    assert openpyxl.load_workbook(kk.path).sheetnames[0] == "Questionnaire"
    result = generate(base, out_dir=tmp_path / "nl", lang="nl", now=FIXED_NOW)
    assert openpyxl.load_workbook(result.forms[0].path).sheetnames[0] == "Vragenlijst"


def test_out_overrides_the_folder(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    result = generate(base, out_dir=tmp_path / "elders", now=FIXED_NOW)
    assert result.out_dir == tmp_path / "elders"
    assert all(f.path.parent == (tmp_path / "elders").resolve() for f in result.forms)
    # only the register of issued forms stays in the period folder: it is the period's own record
    assert [p.name for p in (base.parent / "2011H1").iterdir()] == ["kwm-register.jsonl"]


def test_a_form_open_in_excel_is_reported_and_the_others_are_written(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    first = generate(base, now=FIXED_NOW)
    kk = next(f for f in first.forms if f.initials == "KK")
    old = kk.path.read_bytes()
    lock_file_for(kk.path).write_text("owner")
    result = generate(base, now=FIXED_NOW)
    assert "output_locked" in codes(result)
    assert not result.ok
    assert kk.path.read_bytes() == old
    assert {f.initials for f in result.forms} == {"AA", "BB", "CC", "DD"}


def test_a_filled_generated_form_reads_back_with_the_returned_form_reader(tmp_path: Path) -> None:
    from klantwaarde.workbook.returned import read_form as read_returned

    result = generate(write_base(tmp_path), now=FIXED_NOW)
    kk = next(f for f in result.forms if f.initials == "KK")
    filled = fill_form(
        kk.path, tmp_path / "ingevuld.xlsx", nm.answers("KK"), nps=9, anonymous="Ja", remark="Top"
    )
    form, problems = read_returned(filled)
    assert form is not None and problems == []
    assert (form.identity.client_code, form.identity.period, form.identity.initials) == (
        "KLANT",
        "2011H1",
        "KK",
    )
    answered = {a.question_number: a.grade for a in form.answers}
    assert answered == {n: g for n, (g, _) in nm.answers("KK").items() if g is not None}
    assert (form.nps, form.anonymous, form.remark) == (9, True, "Top")
    lost = fill_form(kk.path, tmp_path / "zonder-id.xlsx", {"1.02": (6, None)}, drop_identity=True)
    form, problems = read_returned(lost)
    assert form is not None and form.identity.initials == "KK"
    assert [p.code for p in problems] == ["form_identity_fallback"]


# -------------------------------------------------------------------------------------------
# File names


def test_a_hostile_name_gets_a_safe_file_name_inside_the_folder(tmp_path: Path) -> None:
    respondents = [*nm.RESPONDENTS, ("Jan/Piet: de <Vries>", "JP", "jp@newmedia.nl", "", "")]
    assignment = dict(nm.ASSIGNMENT) | {"JP": nm.ASSIGNMENT["AA"]}
    base = write_base(tmp_path, respondents=respondents, assignment=assignment)
    result = generate(base, mail=True, now=FIXED_NOW)
    form = next(f for f in result.forms if f.initials == "JP")
    folder = (base.parent / "2011H1" / "vragenlijsten").resolve()
    assert form.path.parent == folder and form.path.exists()
    assert not FORBIDDEN & set(form.path.name)
    assert form.path.name.startswith("KLANT-2011H1 Vragenlijst Jan Piet de Vries")
    assert form.path.name.endswith("(JP).xlsx")
    assert form.eml is not None and form.eml.parent == folder and form.eml.stem == form.path.stem
    assert sorted(p.name for p in folder.iterdir() if "(JP)" in p.name) == [form.eml.name, form.path.name]


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd", "..verborgen", "CON", "a" * 300, "Naam\nmet\tregels", " .. ", "\\\\server\\share"],
)
def test_any_name_stays_inside_the_folder_and_keeps_the_initials(tmp_path: Path, name: str) -> None:
    base = uneven_base(tmp_path / "basis.xlsx")
    base = replace(base, respondents=(Respondent(name, "AB", "ab@klant.example"), *base.respondents[1:]))
    result = generate_from_base(base, now=FIXED_NOW)
    form = next(f for f in result.forms if f.initials == "AB")
    assert form.path.parent == (tmp_path / "2011H1" / "vragenlijsten").resolve()
    assert not FORBIDDEN & set(form.path.name)
    assert not form.path.name.startswith(".")
    assert len(form.path.name) <= 120
    assert form.path.name.endswith("(AB).xlsx")


# -------------------------------------------------------------------------------------------
# E-mail drafts


def test_mail_writes_a_draft_beside_each_form(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    result = generate(base, mail=True, now=FIXED_NOW)
    assert result.ok
    for form in result.forms:
        assert form.eml is not None and form.eml == form.path.with_suffix(".eml")
        message = parse(form.eml)
        email_address = next(r[2] for r in nm.RESPONDENTS if r[1] == form.initials)
        assert message["To"].addresses[0].addr_spec == email_address
        assert message["From"].addresses[0].addr_spec == "rob.martens@bestseller.example"
        assert message["X-Unsent"] == "1"
        attachments = list(message.iter_attachments())
        assert [a.get_filename() for a in attachments] == [form.path.name]
        assert attachments[0].get_content() == form.path.read_bytes()
        assert (
            attachments[0].get_content_type()
            == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    kk = parse(next(f for f in result.forms if f.initials == "KK").eml)  # type: ignore[arg-type]
    text = body(kk)
    assert text.startswith("Beste Kees Klant,")
    for expected in ("KLANT NV", "uiterlijk vrijdag 17 juni 2011", "paar minuten", "anoniem", "Rob Martens"):
        assert expected in text
    assert kk["Subject"] == "Enkele vragen over de klantwaardemonitor van BESTSELLER B.V."
    assert kk.get_body(("html",)) is not None


def test_mail_in_english(tmp_path: Path) -> None:
    result = generate(write_base(tmp_path), mail=True, lang="en", now=FIXED_NOW)
    message = parse(result.forms[0].eml)  # type: ignore[arg-type]
    text = body(message)
    assert text.startswith("Dear A. Aaaa,")
    assert "by Friday 17 June 2011" in text and "anonymous" in text
    assert message["Subject"] == "A few questions about the customer value monitor of BESTSELLER B.V."
    assert list(message.iter_attachments())[0].get_filename().endswith("Questionnaire A. Aaaa (AA).xlsx")


def test_no_draft_without_an_e_mail_address(tmp_path: Path) -> None:
    respondents = [(n, i, "" if i == "BB" else e, f, r) for n, i, e, f, r in nm.RESPONDENTS]
    result = generate(write_base(tmp_path, respondents=respondents), mail=True, now=FIXED_NOW)
    bb = next(f for f in result.forms if f.initials == "BB")
    assert bb.eml is None and bb.path.exists()
    assert not bb.path.with_suffix(".eml").exists()
    missing = [p for p in result.problems if p.code == "respondent_no_email"]
    assert len(missing) == 1 and missing[0].context["respondent"] == "B. Beee (BB)"
    assert result.ok  # a warning, not an error


def test_without_mail_no_warning_about_missing_addresses(tmp_path: Path) -> None:
    result = generate_from_base(uneven_base(tmp_path / "basis.xlsx"), now=FIXED_NOW)
    assert "respondent_no_email" not in codes(result)
    assert codes(result) == ["respondent_skipped_no_questions"]


def test_the_identity_in_every_form_names_its_respondent(tmp_path: Path) -> None:
    result = generate_from_base(uneven_base(tmp_path / "basis.xlsx"), now=FIXED_NOW)
    ids = set()
    for form in result.forms:
        workbook = openpyxl.load_workbook(form.path)
        rows = {r[0].value: r[1].value for r in workbook[contract.IDENTITY_SHEET].iter_rows()}
        assert rows["initials"] == form.initials
        ids.add(rows["form_id"])
    assert len(ids) == len(result.forms)


# -------------------------------------------------------------------------------------------
# The command line


def run(*args: str) -> Any:
    lang = "en" if "en" in args else "nl"
    return CliRunner().invoke(build_app(lang), list(args))


def test_cli_summary_lists_each_respondent_and_where_the_files_are(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    outcome = run("generate", str(base), "--mail")
    assert outcome.exit_code == 0, outcome.output
    for name, initials, *_ in nm.RESPONDENTS:
        assert f"{name} ({initials})" in outcome.output
    assert "5 vragenlijst(en) gemaakt" in outcome.output
    assert "5 e-mailconcept(en)" in outcome.output
    assert "vragenlijsten" in outcome.output and "ingevuld" in outcome.output
    folder = base.parent / "2011H1" / "vragenlijsten"
    assert len(list(folder.glob("*.xlsx"))) == 5 and len(list(folder.glob("*.eml"))) == 5


def test_cli_base_errors_show_the_check_report_and_exit_1(tmp_path: Path) -> None:
    respondents = [*nm.RESPONDENTS, ("Kees Dubbel", "KK", "kd@newmedia.nl", "", "")]
    outcome = run("generate", str(write_base(tmp_path, respondents=respondents)))
    assert outcome.exit_code == 1
    assert "Respondenten" in outcome.output and "fout" in outcome.output
    assert not (tmp_path / "klant-nv" / "2011H1").exists()


def test_cli_missing_base_exits_1_with_one_line(tmp_path: Path) -> None:
    outcome = run("generate", str(tmp_path / "bestaat-niet.xlsx"))
    assert outcome.exit_code == 1
    assert "bestaat niet" in outcome.output
    assert "Traceback" not in outcome.output


def test_cli_warnings_are_shown_and_the_exit_code_stays_0(tmp_path: Path) -> None:
    respondents = [(n, i, "" if i == "BB" else e, f, r) for n, i, e, f, r in nm.RESPONDENTS]
    outcome = run("generate", str(write_base(tmp_path, respondents=respondents)), "--mail")
    assert outcome.exit_code == 0, outcome.output
    assert "e-mailadres" in outcome.output


def test_cli_in_english_with_out(tmp_path: Path) -> None:
    base = write_base(tmp_path)
    outcome = run("generate", str(base), "--lang", "en", "--out", str(tmp_path / "forms"))
    assert outcome.exit_code == 0, outcome.output
    assert "5 questionnaire(s) written" in outcome.output
    assert (tmp_path / "forms" / "KLANT-2011H1 Questionnaire Kees Klant (KK).xlsx").exists()
    outcome = run("--lang", "en", "generate", str(base), "--out", str(tmp_path / "forms2"))
    assert outcome.exit_code == 0, outcome.output
    assert (tmp_path / "forms2" / "KLANT-2011H1 Questionnaire Kees Klant (KK).xlsx").exists()


def test_cli_has_help() -> None:
    outcome = run("generate", "--help")
    assert outcome.exit_code == 0
    assert "--mail" in outcome.output and "--out" in outcome.output


@settings(max_examples=200, deadline=None)
@given(name=st.text(max_size=400), initials=st.text(min_size=1, max_size=12))
def test_any_name_and_initials_give_a_file_inside_the_folder(name: str, initials: str) -> None:
    base = uneven_base(Path("/tmp/kwm-never-written/basis.xlsx"))
    folder = Path("/tmp/kwm-never-written/out")
    path = CycleLayout.of(base).form_path(Respondent(name, initials), load_texts("nl"), folder=folder)
    assert path.parent == folder.resolve()
    assert not FORBIDDEN & set(path.name)
    assert not path.name.startswith(".") and path.name.endswith(".xlsx")
    assert len(path.name) <= 120


def test_a_cell_with_two_addresses_gives_no_draft_and_never_two_recipients(tmp_path: Path) -> None:
    """It passed check with a warning and the draft went to both addresses."""
    base = example_base(tmp_path / "basis.xlsx")
    two = replace(base.respondents[0], email="a.aaaa@newmedia.nl, spion@elders.example")
    base = replace(base, respondents=(two, *base.respondents[1:]))
    result = generate_from_base(base, mail=True, now=FIXED_NOW)
    assert result.forms[0].eml is None and result.forms[0].path.is_file()  # the form itself is made
    assert [p.code for p in result.problems] == ["mail_address_invalid"]
    for form in result.forms[1:]:
        assert form.eml is not None
        message = email.message_from_bytes(form.eml.read_bytes(), policy=policy.default)
        assert len(message["To"].addresses) == 1 and len(message["From"].addresses) == 1


def test_a_respondent_gets_form_and_mail_in_their_own_language_and_both_read_back(tmp_path: Path) -> None:
    from klantwaarde.api.process import process
    from klantwaarde.api.remind import remind

    rows = base_rows()
    people = rows["Respondenten"]
    people[0] = [*people[0], "Taal"]
    for row in people[1:]:
        row.append("en" if row[1] == "KK" else "")
    base = build_workbook(tmp_path / "klant-nv" / "basis.xlsx", rows)
    result = generate(base, mail=True, now=FIXED_NOW)
    assert result.language == "nl"  # kwm itself still speaks the base's language
    forms = {f.initials: f for f in result.forms}
    kk, aa = forms["KK"], forms["AA"]
    assert kk.path.name == "KLANT-2011H1 Questionnaire Kees Klant (KK).xlsx"
    assert openpyxl.load_workbook(kk.path).sheetnames[0] == "Questionnaire"
    assert openpyxl.load_workbook(aa.path).sheetnames[0] == "Vragenlijst"
    assert kk.eml is not None and aa.eml is not None
    supplier = dict(nm.SETTINGS)["Leverancier"]
    assert str(parse(kk.eml)["Subject"]) == load_texts("en")("generate.mail.subject", supplier=supplier)
    assert str(parse(aa.eml)["Subject"]) == load_texts("nl")("generate.mail.subject", supplier=supplier)
    assert body(parse(kk.eml)).startswith("Dear")
    # the reminder to KK is in English too, with KK's English form attached
    reminded = remind(base, now=FIXED_NOW)
    kk_reminder = next(r for r in reminded.reminders if r.initials == "KK")
    assert kk_reminder.form == kk.path and "Reminder" in kk_reminder.eml.name
    # forms in either language read back alike
    returned = base.parent / "2011H1" / "ingevuld"
    returned.mkdir()
    fill_form(kk.path, returned / "kk.xlsx", nm.answers("KK"), nps=9, anonymous="No")
    fill_form(aa.path, returned / "aa.xlsx", nm.answers("AA"), nps=8, anonymous="Nee")
    processed = process(base, now=FIXED_NOW)
    assert processed.report is not None and processed.report.returned == 2
    counted = {a.respondent for a in processed.report.answers}
    assert counted == {"KK", "AA"}
