"""Outlook ``.msg`` files (MS-OXMSG), read in memory: who sent it, when, and what is attached.

A ``.msg`` is a compound file (OLE2); olefile (BSD licence) reads the container, this module the few
message properties kwm needs. Each property is a stream ``__substg1.0_IIIITTTT`` (property id and
type in hex), fixed-size ones sit in ``__properties_version1.0``; every attachment is a storage
``__attach_version1.0_#N`` with its data (``3701`` binary) or, for a message attached to it (a
forwarded mail), a storage ``3701 000D`` holding that message's properties the same way.

Every ``.msg`` comes from outside: olefile runs with ``DEFECT_INCORRECT`` (a file whose structure is
wrong, not merely unusual, is refused), every property read is bounded by the file itself, one
damaged property is skipped, and a file that cannot be read at all raises ``MsgError``. Nothing
is written anywhere; attachments stay bytes in memory.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass, field
from email import policy
from email.parser import HeaderParser
from email.utils import parseaddr, parsedate_to_datetime

import olefile

# Property types (MS-OXCDATA 2.11.1)
PT_LONG = 0x0003
PT_OBJECT = 0x000D
PT_STRING8 = 0x001E
PT_UNICODE = 0x001F
PT_SYSTIME = 0x0040
PT_BINARY = 0x0102

# Property ids (MS-OXPROPS)
SUBJECT = 0x0037
CLIENT_SUBMIT_TIME = 0x0039  # when the sender sent it
SENT_REPRESENTING_NAME = 0x0042
SENT_REPRESENTING_EMAIL = 0x0065
TRANSPORT_HEADERS = 0x007D  # the Internet headers of a received mail
SENDER_NAME = 0x0C1A
SENDER_ADDRTYPE = 0x0C1E  # SMTP, or EX for an Exchange address (an X.500 name, no @)
SENDER_EMAIL = 0x0C1F
MESSAGE_DELIVERY_TIME = 0x0E06  # when it arrived
DISPLAY_NAME = 0x3001
ATTACH_DATA = 0x3701  # PT_BINARY: the file; PT_OBJECT: an attached message
ATTACH_FILENAME = 0x3704  # 8.3 name
ATTACH_METHOD = 0x3705
ATTACH_LONG_FILENAME = 0x3707
ATTACH_MIME_TAG = 0x370E
INTERNET_CPID = 0x3FDE  # the code page of PT_STRING8 properties
MESSAGE_CODEPAGE = 0x3FFD
SENDER_SMTP_ADDRESS = 0x5D01
SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02

ATTACH_BY_VALUE = 1
ATTACH_EMBEDDED_MSG = 5

# The header of __properties_version1.0 before its 16-byte entries (MS-OXMSG 2.4.1)
TOP_HEADER, EMBEDDED_HEADER, ATTACHMENT_HEADER = 32, 24, 8
MAX_ATTACHMENTS = 1000  # per message; Outlook allows far fewer
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
_HEADER_LINE = re.compile(r"^[!-9;-~]+:")
_ADDRESS = re.compile(r"^[^@\s/<>]+@[^@\s<>]+\.[^@\s<>]+$")


class MsgError(Exception):
    """The file is no readable Outlook message (not a compound file, or a damaged one)."""


@dataclass(frozen=True)
class MsgAttachment:
    """One attachment: a file (``data``), an attached message (``message``: read when ``deep``),
    or neither (a link to a file elsewhere, which Outlook does not store in the message)."""

    name: str
    mime: str = ""
    data: bytes | None = None
    message: MsgMessage | None = None


@dataclass(frozen=True)
class MsgMessage:
    subject: str = ""
    sender: str = ""  # the SMTP address, lower-case; "" when the file holds none
    sender_name: str = ""
    sent_at: dt.datetime | None = None
    attachments: tuple[MsgAttachment, ...] = field(default_factory=tuple)


def read_msg(data: bytes, *, depth: int = 1) -> MsgMessage:
    """The message in ``data`` (the bytes of a ``.msg`` file) with its attachments. Attached
    messages are read ``depth`` levels deep; deeper ones are listed with their attachments' names
    only (``data`` None). Raises ``MsgError`` when the file cannot be read."""
    try:
        # Always a stream: olefile takes short bytes for a file name.
        ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    except Exception as exc:  # olefile raises OSError, its own errors, struct and index errors
        raise MsgError(str(exc)) from None
    try:
        return _Reader(ole).message((), TOP_HEADER, depth)
    except MsgError:
        raise
    except Exception as exc:  # a structure olefile accepted but no message (a stray .doc, say)
        raise MsgError(str(exc)) from None
    finally:
        ole.close()


class _Reader:
    def __init__(self, ole: olefile.OleFileIO):
        self.ole = ole
        # storage path (lower-case) -> the names of its children, as the file spells them
        self.children: dict[tuple[str, ...], list[str]] = {}
        for entry in ole.listdir(streams=True, storages=True):
            self.children.setdefault(_key(entry[:-1]), []).append(entry[-1])

    # -- properties ---------------------------------------------------------------------------

    def _stream(self, prefix: Sequence[str], name: str) -> bytes | None:
        path = [*prefix, name]
        try:  # compound-file names compare without case, as olefile looks them up
            if self.ole.get_type(path) != olefile.STGTY_STREAM:
                return None
            return bytes(self.ole.openstream(path).read())
        except Exception:  # one damaged property is skipped, the rest of the message still counts
            return None

    def _is_storage(self, path: Sequence[str]) -> bool:
        try:
            return bool(self.ole.get_type(list(path)) == olefile.STGTY_STORAGE)
        except Exception:
            return False

    def fixed(self, prefix: Sequence[str], header: int) -> dict[int, tuple[int, bytes]]:
        """Property id -> (type, 8 value bytes) of the fixed-size properties."""
        raw = self._stream(prefix, "__properties_version1.0") or b""
        found: dict[int, tuple[int, bytes]] = {}
        for offset in range(header, len(raw) - 15, 16):
            tag = struct.unpack_from("<I", raw, offset)[0]
            found.setdefault(tag >> 16, (tag & 0xFFFF, raw[offset + 8 : offset + 16]))
        return found

    def text(self, prefix: Sequence[str], prop: int, codepage: str) -> str:
        unicode = self._stream(prefix, f"__substg1.0_{prop:04X}{PT_UNICODE:04X}")
        if unicode is not None:
            return unicode.decode("utf-16-le", errors="replace").split("\x00", 1)[0]
        eight_bit = self._stream(prefix, f"__substg1.0_{prop:04X}{PT_STRING8:04X}")
        if eight_bit is not None:
            return eight_bit.decode(codepage, errors="replace").split("\x00", 1)[0]
        return ""

    # -- the message --------------------------------------------------------------------------

    def message(self, prefix: tuple[str, ...], header: int, depth: int) -> MsgMessage:
        fixed = self.fixed(prefix, header)
        codepage = _codepage(fixed)
        headers = _Headers.parse(self.text(prefix, TRANSPORT_HEADERS, codepage))
        sender_name = (
            self.text(prefix, SENDER_NAME, codepage)
            or self.text(prefix, SENT_REPRESENTING_NAME, codepage)
            or headers.name
        )
        return MsgMessage(
            subject=self.text(prefix, SUBJECT, codepage),
            sender=self._sender(prefix, codepage, headers),
            sender_name=sender_name.strip(),
            sent_at=_time(fixed, CLIENT_SUBMIT_TIME) or _time(fixed, MESSAGE_DELIVERY_TIME) or headers.date,
            attachments=tuple(self._attachments(prefix, codepage, depth)),
        )

    def _sender(self, prefix: Sequence[str], codepage: str, headers: _Headers) -> str:
        """The sender's SMTP address. An Exchange sender (address type EX) has an X.500 name in
        the sender field; the SMTP address is in its own property or in the Internet headers."""
        candidates = [
            self.text(prefix, SENDER_SMTP_ADDRESS, codepage),
            self.text(prefix, SENDER_EMAIL, codepage),
            self.text(prefix, SENT_REPRESENTING_SMTP_ADDRESS, codepage),
            self.text(prefix, SENT_REPRESENTING_EMAIL, codepage),
            headers.address,
        ]
        return next((c.strip().lower() for c in candidates if _ADDRESS.match(c.strip())), "")

    def _attachments(self, prefix: tuple[str, ...], codepage: str, depth: int) -> list[MsgAttachment]:
        """Files (their data from ``depth`` 0 up), and attached messages: read while ``depth`` is
        above 0, at 0 with the names of their attachments only, below 0 not opened."""
        storages = sorted(
            c for c in self.children.get(_key(prefix), ()) if c.lower().startswith("__attach_version1.0_#")
        )
        found: list[MsgAttachment] = []
        for storage in storages[:MAX_ATTACHMENTS]:
            where = (*prefix, storage)
            fixed = self.fixed(where, ATTACHMENT_HEADER)
            name = (
                self.text(where, ATTACH_LONG_FILENAME, codepage)
                or self.text(where, ATTACH_FILENAME, codepage)
                or self.text(where, DISPLAY_NAME, codepage)
            ).strip()
            mime = self.text(where, ATTACH_MIME_TAG, codepage).strip().lower()
            inner = (*where, f"__substg1.0_{ATTACH_DATA:04X}{PT_OBJECT:04X}")
            if _long(fixed, ATTACH_METHOD) == ATTACH_EMBEDDED_MSG or self._is_storage(inner):
                message: MsgMessage | None = None
                if depth > 0:
                    message = self.message(inner, EMBEDDED_HEADER, depth - 1)
                elif depth == 0:
                    names_codepage = _codepage(self.fixed(inner, EMBEDDED_HEADER))
                    message = MsgMessage(
                        subject=self.text(inner, SUBJECT, names_codepage),
                        attachments=tuple(self._attachments(inner, names_codepage, -1)),
                    )
                found.append(MsgAttachment(name or (message.subject if message else ""), mime, None, message))
                continue
            data = (
                self._stream(where, f"__substg1.0_{ATTACH_DATA:04X}{PT_BINARY:04X}") if depth >= 0 else None
            )
            found.append(MsgAttachment(name, mime, data))
        return found


def _key(parts: Sequence[str]) -> tuple[str, ...]:
    return tuple(part.lower() for part in parts)


def _long(fixed: dict[int, tuple[int, bytes]], prop: int) -> int | None:
    found = fixed.get(prop)
    if found is None or found[0] != PT_LONG:
        return None
    value: int = struct.unpack_from("<i", found[1])[0]
    return value


def _time(fixed: dict[int, tuple[int, bytes]], prop: int) -> dt.datetime | None:
    found = fixed.get(prop)
    if found is None or found[0] != PT_SYSTIME:
        return None
    ticks = struct.unpack_from("<Q", found[1])[0]  # 100-nanosecond intervals since 1601
    if not ticks:
        return None
    try:
        return _FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
    except OverflowError:
        return None


def _codepage(fixed: dict[int, tuple[int, bytes]]) -> str:
    """The codec of the message's 8-bit strings (Windows code page), cp1252 when unknown."""
    for prop in (INTERNET_CPID, MESSAGE_CODEPAGE):
        number = _long(fixed, prop)
        if number is None:
            continue
        name = {65001: "utf-8", 20127: "ascii", 28591: "latin-1", 1200: "utf-16-le"}.get(
            number, f"cp{number}"
        )
        try:
            codecs.lookup(name)
        except LookupError:
            continue
        return name
    return "cp1252"


@dataclass(frozen=True)
class _Headers:
    """The sender's address and name, and the date, from a received mail's Internet headers."""

    address: str = ""
    name: str = ""
    date: dt.datetime | None = None

    @classmethod
    def parse(cls, text: str) -> _Headers:
        # Exchange puts a line "Microsoft Mail Internet Headers Version 2.0" above the headers
        lines = text.lstrip().splitlines()
        while lines and not _HEADER_LINE.match(lines[0]):
            lines.pop(0)
        if not lines:
            return cls()
        try:
            parsed = HeaderParser(policy=policy.compat32).parsestr("\r\n".join(lines))
            name, address = parseaddr(str(parsed.get("From", "")))
            date: dt.datetime | None = None
            if parsed.get("Date"):
                date = parsedate_to_datetime(str(parsed["Date"]))
                date = date if date.tzinfo else date.replace(tzinfo=dt.UTC)
            return cls(address, name, date)
        except Exception:  # headers are a fallback only; damaged ones add nothing
            return cls()


__all__ = ["MsgAttachment", "MsgError", "MsgMessage", "read_msg"]
