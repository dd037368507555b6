"""Returns straight from mail (SPEC 3.9): questionnaires attached to ``.eml`` and ``.msg`` files in
the answers folder are read in memory, behind every guard of SPEC 3.3.

Real mails saved by Outlook, Thunderbird and Apple Mail are in ``tests/data`` (sources and licences
in tests/data/README.md: MIT and Apache-2.0); the mails carrying questionnaires are built by
``mail_kit`` (``.eml`` with the ``email`` package, ``.msg`` with a small compound-file writer).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import DATA
from cycle_kit import write_base
from klantwaarde.api.generate import generate
from klantwaarde.cli import build_app
from klantwaarde.pipeline.base import load_base
from klantwaarde.pipeline.collect import Collection, FileStatus, collect_forms
from klantwaarde.workbook.fill import fill_form
from klantwaarde.workbook.mail_intake import MAX_MAIL_BYTES, is_mail, read_mail
from klantwaarde.workbook.msg import read_msg
from klantwaarde.workbook.returned import read_form, read_form_data
from klantwaarde.workbook.safe import OLE2_MAGIC
from mail_kit import Mail, Msg, eml, msg
from returned_kit import rewrite_member, set_modified

NOW = dt.datetime(2011, 6, 20, 12, 0, tzinfo=dt.UTC)
SAVED = dt.datetime(2011, 6, 8, 10, 0, tzinfo=dt.UTC)  # when the respondents saved their forms


def codes(problems: Any) -> list[str]:
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------------
# Real mails saved by mail programs


def test_a_real_outlook_msg_gives_its_sender_date_and_the_xlsx_it_carries():
    """Outlook with an Exchange account: the sender field holds an X.500 name, the SMTP address is
    read from its own property; the .xlsx is found, the .docx is not a questionnaire."""
    reading = read_mail(DATA / "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg")
    assert reading.info is not None
    assert reading.info.sender == "kees.van.spelde@achmea.nl"
    assert reading.info.sender_name == "Spelde van, CMMA (Kees)"
    assert reading.info.sent_at == dt.datetime(2019, 12, 2, 8, 44, 20, tzinfo=dt.UTC)
    [form] = reading.forms
    assert (
        form.name
        == "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg › Installatiehandleiding S&I Agro.xlsx"
    )
    assert form.data.startswith(b"PK\x03\x04") and len(form.data) == 76951
    assert reading.problems == ()


def test_the_xlsx_in_a_real_outlook_msg_is_read_in_memory_and_refused_as_no_questionnaire():
    """The attachment goes through the guards and the reader like a file, and is named as part
    of the mail; it is an ordinary workbook, not one of kwm's questionnaires."""
    [attached] = read_mail(DATA / "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg").forms
    form, problems = read_form_data(attached.name, attached.data)
    assert form is None
    assert codes(problems) == ["form_structure"]
    assert problems[0].location.file == attached.name


def test_a_real_outlook_message_attached_to_a_message_is_opened_one_level_deep():
    reading = read_mail(DATA / "outlook-msg-forwarded-message-with-pdfs.msg")
    assert reading.info is not None and reading.info.subject == "Outer mail"
    assert reading.forms == ()
    [found] = reading.problems
    assert found.code == "mail_no_form"
    assert found.context["attachments"] == ["OUTER 1.pdf", "OUTER 2.pdf", "INNER 1.pdf", "INNER 2.pdf"]


def test_an_exchange_sender_whose_address_is_only_in_the_internet_headers():
    message = read_msg((DATA / "outlook-msg-exchange-sender-address-in-headers.msg").read_bytes())
    assert message.sender == "nick.cramer@pnl.gov"
    assert message.sender_name == "Cramer, Nick"
    assert message.sent_at == dt.datetime(2008, 9, 12, 14, 28, 29, 368000, tzinfo=dt.UTC)


def test_a_damaged_msg_is_one_problem_and_never_a_traceback():
    reading = read_mail(DATA / "outlook-msg-damaged-by-a-fuzzer.msg")
    assert reading.info is None
    assert codes(reading.problems) == ["mail_unreadable"]
    assert reading.problems[0].location.file == "outlook-msg-damaged-by-a-fuzzer.msg"


def test_a_message_forwarded_by_apple_mail_is_opened_and_its_attachment_found():
    reading = read_mail(DATA / "apple-mail-forwarded-message-with-pdf.eml")
    assert reading.info is not None
    assert reading.info.sender == "foo@example.com"
    assert reading.info.sent_at == dt.datetime(2005, 6, 6, 20, 21, 22, tzinfo=dt.UTC)
    assert [p.context["attachments"] for p in reading.problems] == [["broken.pdf"]]  # inside the forward


def test_encoded_attachment_names_and_subjects_are_decoded():
    reading = read_mail(DATA / "apple-mail-encoded-attachment-name.eml")
    assert reading.info is not None and reading.info.subject == "Eelanalüüsi päring"
    assert reading.problems[0].context["attachments"] == ["Eelanalüüsi päring.jpg"]


def test_an_outlook_eml_names_its_sender_and_lists_what_it_carries():
    reading = read_mail(DATA / "outlook-eml-inline-image-and-text-attachments.eml")
    assert reading.info is not None
    assert (reading.info.sender, reading.info.sender_name) == ("peter.mueller@domain.ch", "Müller Peter")
    assert "attachment1f.txt" in reading.problems[0].context["attachments"]


def test_a_thunderbird_mail_with_an_odd_from_header_still_gives_the_sender():
    reading = read_mail(DATA / "thunderbird-mail-without-attachment-odd-from.eml")
    assert reading.info is not None and reading.info.sender == "some@example.com"
    assert codes(reading.problems) == ["mail_no_attachment"]
    assert reading.problems[0].is_error


def test_mails_are_recognised_by_name_and_by_content(tmp_path):
    renamed_msg = tmp_path / "bericht"
    shutil.copy(DATA / "outlook-msg-exchange-sender-address-in-headers.msg", renamed_msg)
    renamed_eml = tmp_path / "antwoord.txt"
    shutil.copy(DATA / "thunderbird-mail-without-attachment-odd-from.eml", renamed_eml)
    legacy = tmp_path / "oud"
    legacy.write_bytes(OLE2_MAGIC + b"\0" * 600 + "Workbook".encode("utf-16-le"))
    text = tmp_path / "notities.txt"
    text.write_text("Boodschappen: melk\nbrood: ja\n", encoding="utf-8")
    assert is_mail(renamed_msg) and is_mail(renamed_eml)
    assert is_mail(tmp_path / "x.EML") and is_mail(tmp_path / "x.msg")
    assert not is_mail(legacy) and not is_mail(text)
    assert not is_mail(DATA / "lo-filled-form-saved-as-xlsx.xlsx")


# ---------------------------------------------------------------------------------------------
# A cycle whose answers come by mail


@pytest.fixture(scope="module")
def issued(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A client folder with the questionnaires issued (and registered), and each respondent's
    filled form as bytes."""
    folder = tmp_path_factory.mktemp("issued") / "klant"
    base = write_base(folder / "basis.xlsx")
    result = generate(base, now=dt.datetime(2011, 5, 20, 9, 0))
    filled = folder / "filled"
    forms: dict[str, bytes] = {}
    for generated in result.forms:
        anonymous = "Ja" if generated.initials == "DD" else "Nee"
        out = filled / f"{generated.initials}.xlsx"
        out.parent.mkdir(exist_ok=True)
        fill_form(generated.path, out, nm.answers(generated.initials), nps=8, anonymous=anonymous)
        set_modified(out, SAVED)
        forms[generated.initials] = out.read_bytes()
    shutil.rmtree(filled)
    return {"folder": folder, "forms": forms}


@pytest.fixture
def cycle(issued, tmp_path) -> dict[str, Any]:
    folder = tmp_path / "klant"
    shutil.copytree(issued["folder"], folder)
    returned = folder / nm.PERIOD / "ingevuld"
    returned.mkdir(parents=True)
    return {"folder": folder, "base": folder / "basis.xlsx", "returned": returned, "forms": issued["forms"]}


def collect(cycle: dict[str, Any]) -> Collection:
    base, _ = load_base(cycle["base"])
    return collect_forms(base, [cycle["returned"]], now=NOW)


def by_name(collection: Collection) -> dict[str, Any]:
    return {f.path.name: f for f in collection.files}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_real_mails_in_the_answers_folder_each_get_their_lines(cycle):
    """The Outlook .msg and the Apple Mail .eml as saved: one line per workbook attached (refused:
    not one of kwm's questionnaires), one for a mail without any, each knowing its mail."""
    for name in (
        "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg",
        "apple-mail-forwarded-message-with-pdf.eml",
    ):
        shutil.copy(DATA / name, cycle["returned"] / name)
    files = by_name(collect(cycle))
    assert sorted(files) == [
        "apple-mail-forwarded-message-with-pdf.eml",
        "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg › Installatiehandleiding S&I Agro.xlsx",
    ]
    xlsx = files[
        "outlook-msg-exchange-sender-xlsx-and-docx-attached.msg › Installatiehandleiding S&I Agro.xlsx"
    ]
    assert xlsx.status is FileStatus.REFUSED and codes(xlsx.problems) == ["form_structure"]
    assert xlsx.mail.sender == "kees.van.spelde@achmea.nl"
    apple = files["apple-mail-forwarded-message-with-pdf.eml"]
    assert apple.status is FileStatus.REFUSED and codes(apple.problems) == ["mail_no_form"]
    assert apple.mail.sender == "foo@example.com"


def test_a_questionnaire_attached_to_an_eml_counts_and_nothing_is_written(cycle):
    eml(
        cycle["returned"] / "RE vragenlijst.eml",
        Mail(files=[("KLANT vragenlijst (KK).xlsx", cycle["forms"]["KK"])]),
    )
    before = tree(cycle["folder"])
    collection = collect(cycle)
    assert tree(cycle["folder"]) == before  # read in memory: no file appears, none changes
    outcome = by_name(collection)["RE vragenlijst.eml › KLANT vragenlijst (KK).xlsx"]
    assert outcome.status is FileStatus.VALID and outcome.initials == "KK"
    assert outcome.path.parent == cycle["returned"]
    assert outcome.answered == len(nm.answers("KK")) - 1  # 3.06 left blank
    assert outcome.mail.sender == "kees.klant@newmedia.nl"
    assert outcome.mail.sent_at == dt.datetime(2011, 6, 10, 14, 30, tzinfo=dt.UTC)
    assert collection.form_of("KK") is not None
    assert [m.name for m in collection.mails] == ["RE vragenlijst.eml"]
    assert not [p for p in collection.problems if p.is_error]


def test_a_questionnaire_attached_to_an_outlook_msg_counts(cycle):
    msg(
        cycle["returned"] / "RE Enkele vragen.msg",
        Msg(files=[("vragenlijst.xlsx", cycle["forms"]["AA"])], sender="a.aaaa@newmedia.nl", exchange=True),
    )
    outcome = by_name(collect(cycle))["RE Enkele vragen.msg › vragenlijst.xlsx"]
    assert outcome.status is FileStatus.VALID and outcome.initials == "AA"
    assert outcome.mail.sender == "a.aaaa@newmedia.nl" and outcome.mail.sender_name == "Kees Klant"
    assert codes(outcome.problems) == []


def test_a_questionnaire_in_a_forwarded_message_counts_in_either_format(cycle):
    original = Mail(
        sender="B. Beee <b.beee@newmedia.nl>",
        subject="Mijn antwoorden",
        files=[("BB.xlsx", cycle["forms"]["BB"])],
    )
    eml(
        cycle["returned"] / "Fwd.eml",
        Mail(
            sender="Secretariaat <secretariaat@newmedia.nl>",
            subject="Fwd: Mijn antwoorden",
            forwarded=[original],
        ),
    )
    inner = Msg(
        sender="c.ceee@newmedia.nl", subject="Antwoorden CC", files=[("CC.xlsx", cycle["forms"]["CC"])]
    )
    msg(
        cycle["returned"] / "FW.msg",
        Msg(sender="secretariaat@newmedia.nl", subject="FW: Antwoorden CC", forwarded=[inner]),
    )
    files = by_name(collect(cycle))
    bb = files["Fwd.eml › Mijn antwoorden › BB.xlsx"]
    cc = files["FW.msg › Antwoorden CC › CC.xlsx"]
    assert (bb.status, bb.initials, cc.status, cc.initials) == (
        FileStatus.VALID,
        "BB",
        FileStatus.VALID,
        "CC",
    )
    # forwarded by an assistant, but the respondent's own message is inside: no warning
    assert "mail_sender_other" not in codes(bb.problems) + codes(cc.problems)
    assert bb.mail.sender == "secretariaat@newmedia.nl"


def test_a_questionnaire_two_forwards_deep_is_not_read_and_the_mail_says_so(cycle):
    deepest = Mail(files=[("KK.xlsx", cycle["forms"]["KK"])], subject="origineel")
    middle = Mail(subject="Fwd: origineel", forwarded=[deepest])
    eml(cycle["returned"] / "diep.eml", Mail(subject="Fwd: Fwd: origineel", forwarded=[middle]))
    [outcome] = collect(cycle).files
    assert outcome.status is FileStatus.REFUSED
    assert codes(outcome.problems) == ["mail_form_too_deep"]
    assert outcome.problems[0].context["names"] == ["KK.xlsx"]


def test_a_mail_from_another_address_than_the_respondents_is_a_warning(cycle):
    eml(
        cycle["returned"] / "van de assistent.eml",
        Mail(sender="Assistent <assistent@newmedia.nl>", files=[("KK.xlsx", cycle["forms"]["KK"])]),
    )
    eml(
        cycle["returned"] / "hoofdletters.eml",
        Mail(sender="Anna <A.AAAA@NewMedia.nl>", files=[("AA.xlsx", cycle["forms"]["AA"])]),
    )
    files = by_name(collect(cycle))
    kk = files["van de assistent.eml › KK.xlsx"]
    assert kk.status is FileStatus.VALID  # it counts: the register says it is KK's form
    [warning] = [p for p in kk.problems if p.code == "mail_sender_other"]
    assert dict(warning.context) == {
        "sender": "assistent@newmedia.nl",
        "initials": "KK",
        "email": "kees.klant@newmedia.nl",
    }
    assert not warning.is_error
    assert codes(files["hoofdletters.eml › AA.xlsx"].problems) == []  # addresses compare without case


def test_the_same_form_as_a_file_and_in_a_mail_counts_once(cycle):
    (cycle["returned"] / "KK opgeslagen.xlsx").write_bytes(cycle["forms"]["KK"])
    eml(cycle["returned"] / "RE.eml", Mail(files=[("KK.xlsx", cycle["forms"]["KK"])]))
    eml(cycle["returned"] / "RE nog eens.eml", Mail(files=[("KK.xlsx", cycle["forms"]["KK"])]))
    collection = collect(cycle)
    files = by_name(collection)
    assert files["KK opgeslagen.xlsx"].status is FileStatus.VALID  # the saved file counts
    for copy in ("RE.eml › KK.xlsx", "RE nog eens.eml › KK.xlsx"):
        assert files[copy].status is FileStatus.IGNORED
        assert [(p.code, p.context["kept"]) for p in files[copy].problems] == [
            ("mail_form_copy", "KK opgeslagen.xlsx")
        ]
    assert [f.identity.initials for f in collection.forms] == ["KK"]
    assert "form_duplicate_ignored" not in codes(collection.problems)


def test_a_form_saved_again_after_it_was_mailed_is_another_version_and_the_later_one_counts(cycle, tmp_path):
    mailed = tmp_path / "mailed.xlsx"
    mailed.write_bytes(cycle["forms"]["KK"])
    resaved = cycle["returned"] / "KK nagekeken.xlsx"
    fill_form(mailed, resaved, {"1.02": (9, None)})
    set_modified(resaved, dt.datetime(2011, 6, 15, 9, 0, tzinfo=dt.UTC))
    eml(cycle["returned"] / "RE.eml", Mail(files=[("KK.xlsx", cycle["forms"]["KK"])]))
    files = by_name(collect(cycle))
    assert files["KK nagekeken.xlsx"].status is FileStatus.VALID
    assert files["RE.eml › KK.xlsx"].status is FileStatus.IGNORED
    assert codes(files["RE.eml › KK.xlsx"].problems) == ["form_duplicate_ignored"]


def test_a_mail_without_a_questionnaire_is_a_problem_and_still_recorded(cycle):
    eml(
        cycle["returned"] / "Bedankt.eml",
        Mail(
            text="Ik stuur hem morgen.",
            files=[("handtekening.png", b"\x89PNG\r\n")],
            types={"handtekening.png": "image/png"},
        ),
    )
    [outcome] = collect(cycle).files
    assert outcome.status is FileStatus.REFUSED and outcome.initials is None
    [found] = outcome.problems
    assert (found.code, found.is_error, found.context["attachments"]) == (
        "mail_no_form",
        True,
        ["handtekening.png"],
    )
    assert outcome.mail.sender == "kees.klant@newmedia.nl"


def test_a_mail_over_50_mb_is_refused_unread(cycle):
    big = cycle["returned"] / "groot.eml"
    with big.open("wb") as handle:
        handle.truncate(MAX_MAIL_BYTES + 1)  # sparse: nothing is read
    [outcome] = collect(cycle).files
    assert outcome.status is FileStatus.UNREADABLE
    assert [(p.code, p.context["limit_mb"]) for p in outcome.problems] == [("mail_too_large", "52")]


def test_names_from_a_mail_never_steer_a_path_or_the_terminal(cycle):
    hostile = "..\\../\u202ekk\x1b[31m.xlsx"
    eml(cycle["returned"] / "vreemd.eml", Mail(files=[(hostile, cycle["forms"]["KK"])]))
    [outcome] = collect(cycle).files
    assert outcome.status is FileStatus.VALID
    assert outcome.path.parent == cycle["returned"]
    assert (
        "/" not in outcome.path.name and "\u202e" not in outcome.path.name and "\x1b" not in outcome.path.name
    )


# ---------------------------------------------------------------------------------------------
# Every guard of SPEC 3.3 applies to attachments, by the same code as to files


def _far_cells(valid: bytes, tmp: Path) -> bytes:
    source = tmp / "valid.xlsx"
    source.write_bytes(valid)
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    return rewrite_member(
        source, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far), tmp / "far.xlsx"
    ).read_bytes()


def _with_doctype(valid: bytes, tmp: Path) -> bytes:
    source = tmp / "valid.xlsx"
    source.write_bytes(valid)
    head = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return rewrite_member(
        source, "docProps/core.xml", lambda xml: head + xml.split(b"?>", 1)[-1], tmp / "dtd.xlsx"
    ).read_bytes()


def _zip_bomb(valid: bytes, tmp: Path) -> bytes:
    """The form with its answer sheet padded to over 1 MB that packs at a ratio no workbook has."""
    source = tmp / "valid.xlsx"
    source.write_bytes(valid)
    target = tmp / "bomb.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data += b" " * 5_000_000
            out.writestr(info.filename, data)
    return target.read_bytes()


HOSTILE = {
    "zip-bomb": (_zip_bomb, "file_unpacks_too_large"),
    "doctype": (_with_doctype, "file_unsafe_xml"),
    "whole-grid": (_far_cells, "form_too_large"),
    "encrypted": (
        lambda v, t: OLE2_MAGIC + b"\0" * 600 + "EncryptedPackage".encode("utf-16-le"),
        "file_encrypted",
    ),
    "not-a-workbook": (lambda v, t: b"Dit is geen werkmap maar tekst.\n", "file_not_workbook"),
    "empty": (lambda v, t: b"", "file_empty"),
    "truncated": (lambda v, t: v[: len(v) // 2], "file_corrupt"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_hostile_attachment_is_refused_exactly_as_the_same_file(cycle, tmp_path, kind):
    build, code = HOSTILE[kind]
    data = build(cycle["forms"]["KK"], tmp_path)
    as_file = tmp_path / "antwoord.xlsx"
    as_file.write_bytes(data)
    _form, file_problems = read_form(as_file)
    _form, memory_problems = read_form_data("antwoord.xlsx", data)
    assert codes(memory_problems) == codes(file_problems) == [code]
    assert [p.location for p in memory_problems] == [p.location for p in file_problems]

    eml(cycle["returned"] / "bijlage.eml", Mail(files=[("antwoord.xlsx", data)]))
    [outcome] = collect(cycle).files
    assert outcome.status in (FileStatus.UNREADABLE, FileStatus.REFUSED)
    assert [(p.code, p.location.file) for p in outcome.problems] == [(code, "bijlage.eml › antwoord.xlsx")]


def test_an_attachment_over_the_file_size_limit_is_refused_before_reading():
    _form, problems = read_form_data("groot.xlsx", b"PK\x03\x04" + b"\0" * (21 * 1024 * 1024))
    assert [(p.code, p.context["limit_mb"]) for p in problems] == [("file_too_large", "21")]


def test_an_xls_attachment_goes_through_the_legacy_checks_in_memory(tmp_path):
    """A legacy workbook is scanned from its bytes too (the compound-file walk of sheet_scan)."""
    data = OLE2_MAGIC + b"\0" * 600 + "Workbook".encode("utf-16-le")
    as_file = tmp_path / "oud.xls"
    as_file.write_bytes(data)
    assert codes(read_form_data("oud.xls", data)[1]) == codes(read_form(as_file)[1]) == ["file_corrupt"]


# ---------------------------------------------------------------------------------------------
# The internal workbook records each mail; an anonymous respondent's mail is theirs too


def process(cycle: dict[str, Any]) -> dict[str, Any]:
    runner = CliRunner()
    app = build_app("nl")
    result = runner.invoke(app, ["process", str(cycle["base"]), "--json", "--no-history"])
    assert result.exit_code == 0, result.output
    terminal = runner.invoke(app, ["process", str(cycle["base"]), "--no-history"])
    period = cycle["folder"] / nm.PERIOD
    internal = openpyxl.load_workbook(period / f"{nm.CLIENT_CODE}-{nm.PERIOD} Verwerking (intern).xlsx")
    return {"json": json.loads(result.stdout), "terminal": terminal.output, "internal": internal}


def cells(sheet: Any) -> list[list[Any]]:
    return [[c.value for c in row] for row in sheet.iter_rows()]


def test_the_internal_workbook_records_each_mails_sender_and_date(cycle):
    eml(
        cycle["returned"] / "RE vragenlijst AA.eml",
        Mail(sender="A. Aaaa <a.aaaa@newmedia.nl>", files=[("AA.xlsx", cycle["forms"]["AA"])]),
    )
    msg(cycle["returned"] / "RE vragenlijst KK.msg", Msg(files=[("KK.xlsx", cycle["forms"]["KK"])]))
    for initials in ("BB", "CC"):
        (cycle["returned"] / f"{initials}.xlsx").write_bytes(cycle["forms"][initials])
    eml(
        cycle["returned"] / "Vraagje.eml",
        Mail(sender="C. Ceee <c.ceee@newmedia.nl>", text="Wanneer is de sessie?"),
    )
    internal = process(cycle)["internal"]
    rows = {row[0]: row for row in cells(internal["Ontvangen"]) if row[0]}
    header = next(row for row in rows.values() if row[0] == "Bestand")
    assert header[5:7] == ["Afzender e-mail", "E-mail verstuurd op"]
    aa = rows["RE vragenlijst AA.eml › AA.xlsx"]
    assert aa[1] == "A. Aaaa (AA)" and aa[3] == "telt mee"
    assert aa[5] == "A. Aaaa <a.aaaa@newmedia.nl>"
    assert aa[6] == dt.datetime(2011, 6, 10, 14, 30, tzinfo=dt.UTC).astimezone().strftime("%d-%m-%Y %H:%M")
    assert rows["RE vragenlijst KK.msg › KK.xlsx"][5] == "Kees Klant <kees.klant@newmedia.nl>"
    assert rows["BB.xlsx"][5] is None  # saved by hand: no mail
    assert rows["Vraagje.eml"][3].startswith("geweigerd: Deze e-mail heeft geen bijlage")
    assert rows["Vraagje.eml"][5] == "C. Ceee <c.ceee@newmedia.nl>"
    summary = {row[0]: row[1] for row in cells(internal["Samenvatting"]) if row[0]}
    assert summary["E-mails in de map ingevuld"] == "3 e-mail(s), met samen 2 vragenlijst(en) als bijlage"


def test_a_mail_carrying_an_anonymous_respondents_form_never_names_them(cycle):
    """DD chose anonymity: the mail's name, its sender (an assistant who forwarded it) and the
    attachment's name appear in no output, neither does DD's address."""
    eml(
        cycle["returned"] / "Fwd antwoorden Deeee.eml",
        Mail(
            sender="Petra Assistent <p.assistent@newmedia.nl>",
            subject="Fwd: antwoorden Deeee",
            files=[("Deeee.xlsx", cycle["forms"]["DD"])],
        ),
    )
    for initials in ("AA", "BB", "CC", "KK"):
        (cycle["returned"] / f"{initials}.xlsx").write_bytes(cycle["forms"][initials])
    done = process(cycle)
    everything = "\n".join(
        [json.dumps(done["json"], ensure_ascii=False), done["terminal"]]
        + [str(c) for ws in done["internal"].worksheets for row in cells(ws) for c in row if c is not None]
    )
    for word in (
        "Deeee",
        "d.deeee@newmedia.nl",
        "Petra Assistent",
        "p.assistent@newmedia.nl",
        "Fwd antwoorden",
    ):
        assert word not in everything, word
    rows = cells(done["internal"]["Ontvangen"])
    masked = [row for row in rows if row[0] == "vragenlijst van een anonieme respondent"]
    assert masked and masked[0][5] == "anonieme respondent"
    assert "mail_sender_other" in {p["code"] for p in done["json"]["problems"]}  # said, without names


# ---------------------------------------------------------------------------------------------
# Damaged mails never cause a traceback

MUTATED = [
    DATA / "outlook-msg-forwarded-message-with-pdfs.msg",
    DATA / "apple-mail-forwarded-message-with-pdf.eml",
    DATA / "outlook-eml-inline-image-and-text-attachments.eml",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    source=st.sampled_from(MUTATED),
    changes=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=20
    ),
    cut=st.one_of(st.none(), st.floats(0.05, 1)),
)
def test_mutated_mail_bytes_never_raise(tmp_path, source, changes, cut):
    data = bytearray(source.read_bytes())
    for where, value in changes:
        data[int(where * len(data))] = value
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / source.name
    path.write_bytes(bytes(data))
    reading = read_mail(path)
    assert reading.info is not None or codes(reading.problems) == ["mail_unreadable"]
    for form in reading.forms:
        read_form_data(form.name, form.data)  # whatever came out is guarded, never a traceback
