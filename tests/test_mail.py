"""E-mail drafts: parseable by the email package, reproducible, safe headers, dates in words."""

from __future__ import annotations

import datetime as dt
import email
import email.header
import email.utils
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from klantwaarde.mail import XLSX_TYPE, build_draft, long_date, mailbox, return_by_text, text_to_html
from klantwaarde.texts import load_texts

WHEN = dt.datetime(2011, 6, 1, 9, 30, tzinfo=dt.UTC)


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture
def attachment(tmp_path: Path) -> Path:
    path = tmp_path / "KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook \x00\xff")
    return path


def draft(attachment: Path, **changes: object) -> bytes:
    values: dict[str, object] = {
        "to": mailbox("Kees Klant", "kees.klant@newmedia.nl"),
        "sender": mailbox("Rob Martens", "rob.martens@bestseller.example"),
        "subject": "Enkele vragen over de klantwaardemonitor",
        "text": "Beste Kees,\n\nIn de bijlage vindt u enkele vragen.\n\nMet vriendelijke groet,\nRob",
        "html": "<p>Beste Kees,</p>",
        "attachment": attachment,
        "date": WHEN,
    }
    values.update(changes)
    return build_draft(**values)  # type: ignore[arg-type]


def test_a_draft_parses_with_recipient_sender_unsent_flag_and_both_bodies(attachment: Path) -> None:
    message = parse(draft(attachment))
    assert message["X-Unsent"] == "1"
    assert message["To"].addresses[0].addr_spec == "kees.klant@newmedia.nl"
    assert message["To"].addresses[0].display_name == "Kees Klant"
    assert message["From"].addresses[0].addr_spec == "rob.martens@bestseller.example"
    assert message["Subject"] == "Enkele vragen over de klantwaardemonitor"
    assert email.utils.parsedate_to_datetime(message["Date"]) == WHEN
    assert message["Message-ID"].endswith("@bestseller.example>")
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert plain.get_content().replace("\r\n", "\n").strip().startswith("Beste Kees,")
    assert "<p>Beste Kees,</p>" in html.get_content()


def test_the_workbook_is_attached_byte_for_byte_with_the_xlsx_type(attachment: Path) -> None:
    message = parse(draft(attachment))
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    part = attachments[0]
    assert part.get_filename() == attachment.name
    assert (part.get_content_maintype(), part.get_content_subtype()) == XLSX_TYPE
    assert part.get_content() == attachment.read_bytes()


def test_same_inputs_give_the_same_bytes_and_other_inputs_another_message_id(attachment: Path) -> None:
    first, second = draft(attachment), draft(attachment)
    assert first == second
    other = draft(attachment, to=mailbox("A. Aaaa", "a.aaaa@newmedia.nl"))
    assert parse(other)["Message-ID"] != parse(first)["Message-ID"]


def test_line_breaks_in_header_values_cannot_add_headers(attachment: Path) -> None:
    message = parse(draft(attachment, subject="Vragen\r\nBcc: spy@evil.example"))
    assert message["Bcc"] is None
    assert message["Cc"] is None
    assert "Bcc" in message["Subject"]  # kept as harmless text on the one line
    with pytest.raises(ValueError):  # an address cannot smuggle in a header either
        mailbox("Kees", "kees@newmedia.nl\nCc: x@y.z")


def test_names_with_special_characters_are_quoted_and_survive(attachment: Path) -> None:
    to = mailbox("Jan/Piet: de <Vries>", "jan@klant.example")
    message = parse(draft(attachment, to=to, sender=mailbox("Jörg Müller", "jorg@bestseller.example")))
    assert message["To"].addresses[0].display_name == "Jan/Piet: de <Vries>"
    assert message["To"].addresses[0].addr_spec == "jan@klant.example"
    assert message["From"].addresses[0].display_name == "Jörg Müller"


def test_without_a_sender_the_draft_has_no_from(attachment: Path) -> None:
    message = parse(draft(attachment, sender=None))
    assert message["From"] is None
    assert message["Message-ID"].endswith("@kwm.invalid>")


def test_text_to_html_escapes_and_keeps_paragraphs() -> None:
    html = text_to_html("Beste <b>Kees</b> & co,\n\nRegel een\nregel twee")
    assert "&lt;b&gt;Kees&lt;/b&gt; &amp; co" in html
    assert "<p>Regel een<br>\nregel twee</p>" in html
    assert "<b>" not in html


def test_dates_are_written_in_words_in_the_language_of_the_texts() -> None:
    deadline = dt.date(2011, 6, 17)
    assert long_date(deadline, load_texts("nl")) == "vrijdag 17 juni 2011"
    assert long_date(deadline, load_texts("en")) == "Friday 17 June 2011"
    assert return_by_text(deadline, load_texts("nl")) == "uiterlijk vrijdag 17 juni 2011"
    assert return_by_text(None, load_texts("nl")) == "zo snel mogelijk"
    assert return_by_text(None, load_texts("en")) == "as soon as possible"


@pytest.mark.parametrize(
    "name",
    [
        "Jansen, Renée",  # a comma in a non-ASCII name once added a recipient "Jansen"
        "Renée <evil@attacker.example>",  # ... and this one replaced the real address
        "a@b.example",
        '"Quoted", <x>; y@z',
    ],
)
def test_a_name_never_adds_or_replaces_an_address(attachment: Path, name: str) -> None:
    message = parse(
        draft(attachment, to=mailbox(name, "real@newmedia.nl"), sender=mailbox(name, "am@bestseller.example"))
    )
    assert [a.addr_spec for a in message["To"].addresses] == ["real@newmedia.nl"]
    assert [a.addr_spec for a in message["From"].addresses] == ["am@bestseller.example"]
    assert message["To"].addresses[0].display_name == name
    # a reader that decodes the header first and splits it afterwards finds one address too
    decoded = str(email.header.make_header(email.header.decode_header(str(message["To"]))))
    assert len(email.utils.getaddresses([decoded])) == 1 or "," not in name


@pytest.mark.parametrize("cell", ["a@b.nl, c@d.nl", "a@b.nl; c@d.nl", "Naam <a@b.nl>", "", "geen adres"])
def test_a_cell_that_is_not_exactly_one_address_gives_no_mailbox(cell: str) -> None:
    with pytest.raises(ValueError):
        mailbox("Kees", cell)
