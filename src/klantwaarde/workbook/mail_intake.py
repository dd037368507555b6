"""Mails in the answers folder (SPEC 3.9): ``.eml`` files (saved from Outlook, Thunderbird, Apple
Mail, a web mail) and Outlook ``.msg`` files, opened to find the questionnaires attached.

A mail is read in memory and nothing of it is written to disk: ``read_mail`` gives who sent it and
when, and every attachment that is a questionnaire (``.xlsx``, ``.xlsm``, ``.ods``, ``.xls``, by name
or by type) as bytes, named ``mail.eml › form.xlsx``; ``collect`` reads those with
``returned.read_form_data``, behind the same guards as a file. A forwarded message is opened one
level deep: ``message/rfc822`` parts and attached ``.eml`` files of an ``.eml``, attached messages
and ``.eml`` files of a ``.msg``. A questionnaire in a message forwarded inside a forwarded message
is not read; the mail then says so (``mail_form_too_deep``).

A mail over ``MAX_MAIL_BYTES`` is refused unread; one that cannot be parsed is one problem, never
a traceback; a mail without a questionnaire is a problem naming what it did carry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path, PurePath

from klantwaarde.model import Location
from klantwaarde.normalise import shown_name
from klantwaarde.problems import Problem, problem
from klantwaarde.workbook.msg import MsgAttachment, MsgError, MsgMessage, read_msg
from klantwaarde.workbook.safe import OLE2_MAGIC

MAX_MAIL_BYTES = 50 * 1024 * 1024
MAIL_SUFFIXES = (".eml", ".msg")
FORM_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
FORM_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel.sheet.macroenabled.12",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-excel",
}
MESSAGE_TYPES = {"message/rfc822"}
MAX_PARTS = 5_000  # MIME parts looked at in one mail; a real mail has a few dozen
MAX_NESTING = 50  # multiparts inside multiparts
SEPARATOR = " › "  # between a mail and what it carries, as in "basis.xlsx › Vragen"
MAX_NAME = 80  # characters of one part of a shown name


@dataclass(frozen=True)
class MailInfo:
    """What the internal workbook records of a mail: the file, its sender, when it was sent."""

    path: Path
    sender: str = ""  # the address, lower-case; "" when the mail gives none
    sender_name: str = ""
    sent_at: dt.datetime | None = None
    subject: str = ""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True)
class MailForm:
    """A questionnaire attached to a mail: its bytes and how it is named (``mail.eml › form.xlsx``,
    ``mail.msg › RE: vragenlijst › form.xlsx`` inside a forwarded message)."""

    name: str
    data: bytes
    senders: tuple[str, ...]  # the addresses of the mail and of the forwarded message carrying it


@dataclass(frozen=True)
class MailReading:
    """A mail read: ``info`` None when it could not be read at all (see ``problems``)."""

    info: MailInfo | None
    forms: tuple[MailForm, ...] = ()
    problems: tuple[Problem, ...] = ()


# ---------------------------------------------------------------------------------------------
# Is it a mail?

_HEADER = re.compile(rb"[!-9;-~]{1,76}:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*")
_MAIL_HEADERS = {
    b"from",
    b"to",
    b"subject",
    b"date",
    b"received",
    b"message-id",
    b"mime-version",
    b"return-path",
}
_MSG_STREAM = "__substg1.0_".encode("utf-16-le")


def is_mail(path: Path) -> bool:
    """An ``.eml`` or ``.msg`` by its name, or a file that is one whatever its name: an Outlook
    message (a compound file holding message properties) or text that starts with mail headers."""
    if path.suffix.lower() in MAIL_SUFFIXES:
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
            if head.startswith(OLE2_MAGIC):
                return _MSG_STREAM in head + handle.read(2_000_000)
            return _looks_like_headers(head + handle.read(4_096))
    except OSError:
        return False


def _looks_like_headers(data: bytes) -> bool:
    """At least two header lines before the first blank line, one of them a mail header."""
    names: list[bytes] = []
    position = 0
    while len(names) < 30:
        match = _HEADER.match(data, position)
        if match is None:
            break
        names.append(match.group().split(b":", 1)[0].strip().lower())
        position = match.end()
    rest = data[position:]
    # the blank line after the headers, or the end of what was read (a mail of headers only)
    ends_headers = rest.startswith((b"\r\n", b"\n")) or not rest.strip() or len(names) >= 30
    return len(names) >= 2 and bool(_MAIL_HEADERS & set(names)) and ends_headers


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass
class _Message:
    """One message of either format, as far as kwm needs it."""

    subject: str = ""
    sender: str = ""
    sender_name: str = ""
    sent_at: dt.datetime | None = None
    files: list[tuple[str, str, bytes | None]] = field(default_factory=list)  # name, type, data
    forwarded: list[tuple[str, _Message]] = field(default_factory=list)  # label, message


def read_mail(path: Path) -> MailReading:
    """Open the mail at ``path`` and take out its questionnaires (see the module docstring)."""
    where = Location(file=shown_name(path.name))
    try:
        size = path.stat().st_size
        if size > MAX_MAIL_BYTES:
            limit = f"{MAX_MAIL_BYTES / 1e6:.0f}"
            return MailReading(
                None, (), (problem("mail_too_large", where, size_mb=f"{size / 1e6:.1f}", limit_mb=limit),)
            )
        data = path.read_bytes()
    except OSError as exc:
        return MailReading(None, (), (problem("file_unreadable", where, reason=exc.strerror or str(exc)),))
    try:
        message = _read_msg(data, depth=1) if data.startswith(OLE2_MAGIC) else _read_eml(data, depth=1)
    except Exception:  # a damaged or hostile mail is one problem, never a traceback
        return MailReading(None, (), (problem("mail_unreadable", where),))
    info = MailInfo(
        path, message.sender, shown_name(message.sender_name), message.sent_at, shown_name(message.subject)
    )
    return _forms_of(path, message, info, where)


def _forms_of(path: Path, message: _Message, info: MailInfo, where: Location) -> MailReading:
    forms: list[MailForm] = []
    others: list[str] = []
    too_deep: list[str] = []
    names: set[str] = set()
    mail_name = _part(path.name)

    def take(prefix: str, files: list[tuple[str, str, bytes | None]], senders: tuple[str, ...]) -> None:
        for index, (name, kind, data) in enumerate(files, start=1):
            shown = _part(name) or f"#{index}"
            if not _is_form(name, kind):
                others.append(shown)
                continue
            full = _unique(f"{prefix}{SEPARATOR}{shown}", names)
            forms.append(MailForm(full, data or b"", senders))

    take(mail_name, message.files, (message.sender,))
    for index, (label, inner) in enumerate(message.forwarded, start=1):
        prefix = f"{mail_name}{SEPARATOR}{_part(label) or f'#{index}'}"
        take(prefix, inner.files, (message.sender, inner.sender))
        for _deeper_label, deeper in inner.forwarded:
            too_deep += [_part(name) for name, kind, _data in deeper.files if _is_form(name, kind)]
    problems: list[Problem] = []
    if too_deep:
        problems.append(problem("mail_form_too_deep", where, names=too_deep))
    if not forms and not too_deep:
        if others:
            problems.append(problem("mail_no_form", where, attachments=others))
        else:
            problems.append(problem("mail_no_attachment", where))
    return MailReading(info, tuple(forms), tuple(problems))


def _is_form(name: str, kind: str) -> bool:
    return PurePath(name.strip().lower()).suffix in FORM_SUFFIXES or kind.lower() in FORM_TYPES


def _part(text: str) -> str:
    """A name from a mail as kwm shows it: nothing that could steer a path or the terminal."""
    cleaned = " ".join(shown_name(text).replace("/", "_").replace("\\", "_").split())
    return cleaned[:MAX_NAME].strip()


def _unique(name: str, used: set[str]) -> str:
    candidate, number = name, 2
    while candidate.casefold() in used:
        candidate = f"{name} ({number})"
        number += 1
    used.add(candidate.casefold())
    return candidate


# -- .msg -------------------------------------------------------------------------------------


def _read_msg(data: bytes, depth: int) -> _Message:
    return _from_msg(read_msg(data, depth=depth), depth)


def _from_msg(message: MsgMessage, depth: int) -> _Message:
    found = _Message(message.subject, message.sender, message.sender_name, message.sent_at)
    for attachment in message.attachments:
        if attachment.message is not None:
            found.forwarded.append((attachment.name, _from_msg(attachment.message, depth - 1)))
        elif _is_eml(attachment) and depth > 0 and attachment.data:
            found.forwarded.append((attachment.name, _read_eml(attachment.data, depth - 1)))
        else:
            found.files.append((attachment.name, attachment.mime, attachment.data))
    return found


def _is_eml(attachment: MsgAttachment) -> bool:
    return attachment.name.lower().endswith(".eml") or attachment.mime in MESSAGE_TYPES


# -- .eml -------------------------------------------------------------------------------------


def _read_eml(data: bytes, depth: int) -> _Message:
    message = BytesParser(policy=policy.default).parsebytes(data)
    return _from_eml(message, depth)


def _from_eml(message: Message, depth: int) -> _Message:
    sender, sender_name = _eml_sender(message)
    found = _Message(_header_text(message, "Subject"), sender, sender_name, _eml_date(message))
    for part in _leaves(message):
        kind = part.get_content_type()
        name = _filename(part)
        if kind in MESSAGE_TYPES or name.lower().endswith((".eml", ".msg")):
            if depth < 0:
                continue  # a message three levels deep: not even its names are looked at
            inner = _attached_message(part, name, depth)
            if inner is not None:
                found.forwarded.append((name or inner.subject, inner))
                continue
        if not name and part.get_content_disposition() != "attachment" and kind not in FORM_TYPES:
            continue  # the text of the mail, an inline picture without a name
        data = part.get_payload(decode=True) if depth >= 0 else None
        found.files.append((name, kind, data if isinstance(data, bytes) else None))
    return found


def _leaves(message: Message) -> Iterator[Message]:
    """Every part that is not a multipart, in order, bounded; a forwarded message is one leaf."""
    count = 0
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack and count < MAX_PARTS:
        part, level = stack.pop()
        count += 1
        if part.get_content_maintype() == "multipart":
            payload = part.get_payload()
            if isinstance(payload, list) and level < MAX_NESTING:
                stack += [(sub, level + 1) for sub in reversed(payload) if isinstance(sub, Message)]
            continue
        yield part


def _attached_message(part: Message, name: str, depth: int) -> _Message | None:
    """A forwarded message: parsed already (``message/rfc822``), or a file to parse (an attached
    ``.eml``, or a ``.msg`` attached to an ``.eml``). Deeper than one level: names only."""
    if part.get_content_type() in MESSAGE_TYPES:
        payload = part.get_payload()
        if isinstance(payload, list) and payload and isinstance(payload[0], Message):
            return _from_eml(payload[0], depth - 1)
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes) or not data:
        return None
    if data.startswith(OLE2_MAGIC):
        if not name.lower().endswith(".msg"):
            return None
        try:
            return _read_msg(data, max(depth - 1, 0))
        except MsgError:
            return None
    return _read_eml(data, depth - 1)


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # a parameter the email package cannot decode
        name = ""
    return str(name)


def _header_text(message: Message, header: str) -> str:
    try:
        return " ".join(str(message.get(header, "") or "").split())
    except Exception:
        return ""


def _eml_sender(message: Message) -> tuple[str, str]:
    """The address (lower-case) and display name of From: the first mailbox there."""
    try:
        addresses = getattr(message.get("From"), "addresses", None)
        if addresses:
            first = addresses[0]
            if "@" in str(first.addr_spec):
                return str(first.addr_spec).strip().lower(), str(first.display_name).strip()
    except Exception:  # the email package's strict parse failed: the lenient one below decides
        pass
    for name, address in getaddresses([_header_text(message, "From")]):
        if "@" in address:
            return address.strip().lower(), name.strip()
    return "", ""


def _eml_date(message: Message) -> dt.datetime | None:
    try:
        header = message.get("Date")
        moment = getattr(header, "datetime", None)
        if moment is None and header:
            moment = parsedate_to_datetime(str(header))
    except Exception:
        return None
    if not isinstance(moment, dt.datetime):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


__all__ = ["MAX_MAIL_BYTES", "MailForm", "MailInfo", "MailReading", "is_mail", "read_mail"]
