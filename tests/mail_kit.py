"""Build mails the way mail programs save them, for the mail intake tests (SPEC 3.9).

- ``eml``: an ``.eml`` with the standard library's ``email`` package: sender, date, subject, files
  attached, messages forwarded as ``message/rfc822`` parts.
- ``msg``: an Outlook ``.msg`` (MS-OXMSG) written by ``compound_file``, a minimal compound-file
  (MS-CFB, version 3) writer: 512-byte sectors, streams under 4096 bytes in the mini stream, a
  directory of storages and streams whose siblings form a binary search tree in the order MS-CFB
  prescribes (all nodes black: readers, olefile among them, do not require balance). olefile
  cannot write new files, and no permissively licensed ``.msg`` with a questionnaire attached
  exists, so the questionnaire-carrying ``.msg`` files of the tests are made here; the real
  Outlook files in ``tests/data`` prove the reader on what Outlook writes.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SENT = dt.datetime(2011, 6, 10, 14, 30, tzinfo=dt.UTC)


# ---------------------------------------------------------------------------------------------
# .eml


@dataclass
class Mail:
    """One message: who sent it, when, and what it carries."""

    sender: str = "Kees Klant <kees.klant@newmedia.nl>"
    subject: str = "RE: Enkele vragen over de klantwaardemonitor"
    sent: dt.datetime = SENT
    text: str = "Hierbij mijn antwoorden.\n\nMet vriendelijke groet,\nKees"
    files: Sequence[tuple[str, bytes]] = ()  # (file name, content)
    forwarded: Sequence[Mail] = ()
    mailer: str = "Mozilla Thunderbird"
    types: Mapping[str, str] = field(default_factory=dict)  # file name -> content type (else by name)


def eml_message(mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = mail.sender
    message["To"] = "Rob Martens <rob.martens@bestseller.example>"
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.sent)
    message["User-Agent"] = mail.mailer
    message["Message-ID"] = f"<{abs(hash((mail.subject, mail.sent)))}@newmedia.nl>"
    message.set_content(mail.text)
    for name, data in mail.files:
        kind = mail.types.get(name) or (
            XLSX if name.lower().endswith(".xlsx") else "application/octet-stream"
        )
        maintype, subtype = kind.split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    for inner in mail.forwarded:
        message.add_attachment(eml_message(inner))  # a message/rfc822 part, as "forward as attachment"
    return message


def eml(path: Path, mail: Mail) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(eml_message(mail)))
    return path


# ---------------------------------------------------------------------------------------------
# .msg

_FREE, _END, _FATSECT, _NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR, _MINI, _CUTOFF = 512, 64, 4096
_STORAGE, _STREAM, _ROOT = 1, 2, 5

Tree = Mapping[str, "bytes | Tree"]  # a storage: name -> stream content or a storage


def compound_file(path: Path, tree: Tree) -> Path:
    """Write ``tree`` (names to stream bytes or to nested storages) as a compound file."""
    entries: list[dict[str, object]] = [{"name": "Root Entry", "type": _ROOT, "children": []}]

    def add(storage: Tree, parent: int) -> None:
        for name, value in storage.items():
            index = len(entries)
            entry: dict[str, object] = {
                "name": name,
                "type": _STREAM if isinstance(value, bytes) else _STORAGE,
            }
            entries.append(entry)
            children = entries[parent]["children"]
            assert isinstance(children, list)
            children.append(index)
            if isinstance(value, bytes):
                entry["data"] = value
            else:
                entry["children"] = []
                add(value, index)

    add(tree, 0)

    # The mini stream (small streams), then the regular sectors of large streams.
    mini = bytearray()
    mini_fat: list[int] = []
    big: list[tuple[int, bytes]] = []
    for index, entry in enumerate(entries):
        data = entry.get("data")
        if not isinstance(data, bytes):
            continue
        if len(data) < _CUTOFF:
            first = len(mini) // _MINI
            count = max(1, -(-len(data) // _MINI)) if data else 0
            entry["start"] = first if data else _END
            mini += data.ljust(count * _MINI, b"\0")
            mini_fat += [first + i + 1 for i in range(count - 1)] + ([_END] if count else [])
        else:
            big.append((index, data))

    sectors: list[bytes] = []
    fat: list[int] = []

    def chain(data: bytes) -> int:
        if not data:
            return _END
        first = len(sectors)
        count = -(-len(data) // _SECTOR)
        for i in range(count):
            sectors.append(data[i * _SECTOR : (i + 1) * _SECTOR].ljust(_SECTOR, b"\0"))
            fat.append(first + i + 1 if i < count - 1 else _END)
        return first

    for index, data in big:
        entries[index]["start"] = chain(data)
    entries[0]["start"], entries[0]["size"] = chain(bytes(mini)), len(mini)
    mini_fat_bytes = b"".join(struct.pack("<I", n) for n in mini_fat)
    mini_fat_bytes = mini_fat_bytes.ljust(-(-len(mini_fat_bytes) // _SECTOR) * _SECTOR, b"\xff")
    first_mini_fat = chain(mini_fat_bytes)
    mini_fat_sectors = len(mini_fat_bytes) // _SECTOR

    _link_siblings(entries)
    directory = b"".join(_directory_entry(entry) for entry in entries)
    directory = directory.ljust(-(-len(directory) // _SECTOR) * _SECTOR, b"\0")
    first_directory = chain(directory)

    # The FAT covers every sector, its own included.
    fat_count = 1
    while (len(sectors) + fat_count) * 4 > fat_count * _SECTOR:
        fat_count += 1
    assert fat_count <= 109, "test files stay small: the header's DIFAT is enough"
    fat_sectors = list(range(len(sectors), len(sectors) + fat_count))
    fat += [_FATSECT] * fat_count
    fat_bytes = b"".join(struct.pack("<I", n) for n in fat).ljust(fat_count * _SECTOR, b"\xff")
    sectors += [fat_bytes[i * _SECTOR : (i + 1) * _SECTOR] for i in range(fat_count)]

    header = bytearray(_SECTOR)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into(
        "<IIIIIIII",
        header,
        0x28,
        0,  # directory sectors (0 in version 3)
        fat_count,
        first_directory,
        0,  # transaction signature
        _CUTOFF,
        first_mini_fat if mini_fat else _END,
        mini_fat_sectors,
        _END,  # first DIFAT sector: none
    )
    struct.pack_into("<I", header, 0x48, 0)  # DIFAT sectors
    difat = fat_sectors + [_FREE] * (109 - fat_count)
    struct.pack_into("<109I", header, 0x4C, *difat)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(header) + b"".join(sectors))
    return path


def _order(name: str) -> tuple[int, str]:
    """MS-CFB's order of siblings: shorter names first, then by upper-case name."""
    return len(name), name.upper()


def _link_siblings(entries: list[dict[str, object]]) -> None:
    """Each storage's children as a binary search tree: the middle one its child, the halves left
    and right of it."""

    def build(indexes: list[int]) -> int:
        if not indexes:
            return _NOSTREAM
        middle = len(indexes) // 2
        root = indexes[middle]
        entries[root]["left"] = build(indexes[:middle])
        entries[root]["right"] = build(indexes[middle + 1 :])
        return root

    for entry in entries:
        children = entry.get("children")
        if isinstance(children, list):
            ordered = sorted(children, key=lambda i: _order(str(entries[i]["name"])))
            entry["child"] = build(ordered)


def _directory_entry(entry: Mapping[str, object]) -> bytes:
    name = str(entry["name"]).encode("utf-16-le") + b"\0\0"
    assert len(name) <= 64, entry["name"]
    data = entry.get("data")
    size = len(data) if isinstance(data, bytes) else int(entry.get("size", 0))
    raw = bytearray(128)
    raw[0 : len(name)] = name
    struct.pack_into("<HBB", raw, 64, len(name), int(entry["type"]), 1)
    struct.pack_into(
        "<III",
        raw,
        68,
        int(entry.get("left", _NOSTREAM)),
        int(entry.get("right", _NOSTREAM)),
        int(entry.get("child", _NOSTREAM)),
    )
    start = int(entry.get("start", _END if entry["type"] != _STORAGE else 0))
    struct.pack_into("<IQ", raw, 116, start if entry["type"] != _STORAGE else 0, size)
    return bytes(raw)


# -- the message inside -------------------------------------------------------------------------


@dataclass
class Msg:
    """An Outlook message: the sender's address type is SMTP, or EX (Exchange, an X.500 name in the
    sender field and the SMTP address in its own property, as Outlook saves mail from Exchange)."""

    sender: str = "kees.klant@newmedia.nl"
    sender_name: str = "Kees Klant"
    subject: str = "RE: Enkele vragen over de klantwaardemonitor"
    sent: dt.datetime = SENT
    files: Sequence[tuple[str, bytes]] = ()
    forwarded: Sequence[Msg] = ()
    exchange: bool = False


def _unicode(prop: int, text: str) -> tuple[str, bytes]:
    return f"__substg1.0_{prop:04X}001F", text.encode("utf-16-le")


def _filetime(moment: dt.datetime) -> int:
    return int((moment - dt.datetime(1601, 1, 1, tzinfo=dt.UTC)).total_seconds() * 10_000_000)


def _properties(header: int, fixed: Sequence[tuple[int, int, bytes]]) -> bytes:
    """``__properties_version1.0``: a header, then (tag, flags, 8 value bytes) per property."""
    body = b"".join(
        struct.pack("<II", prop << 16 | kind, 6) + value.ljust(8, b"\0") for prop, kind, value in fixed
    )
    return bytes(header) + body


def _message_tree(msg: Msg, header: int) -> dict[str, object]:
    tree: dict[str, object] = dict(
        [
            _unicode(0x0037, msg.subject),
            _unicode(0x0C1A, msg.sender_name),
            _unicode(0x0042, msg.sender_name),
            _unicode(0x0C1E, "EX" if msg.exchange else "SMTP"),
        ]
    )
    if msg.exchange:
        x500 = f"/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP/CN=RECIPIENTS/CN={msg.sender_name.upper()}"
        tree.update([_unicode(0x0C1F, x500), _unicode(0x0065, x500), _unicode(0x5D01, msg.sender)])
    else:
        tree.update([_unicode(0x0C1F, msg.sender), _unicode(0x0065, msg.sender)])
    tree["__properties_version1.0"] = _properties(
        header,
        [
            (0x0039, 0x0040, struct.pack("<Q", _filetime(msg.sent))),
            (0x3FDE, 0x0003, struct.pack("<i", 65001)),
        ],
    )
    number = 0
    for name, data in msg.files:
        tree[f"__attach_version1.0_#{number:08X}"] = {
            "__properties_version1.0": _properties(8, [(0x3705, 0x0003, struct.pack("<i", 1))]),
            "__substg1.0_3707001F": name.encode("utf-16-le"),
            "__substg1.0_3704001F": name[:12].encode("utf-16-le"),
            "__substg1.0_37010102": data,
        }
        number += 1
    for inner in msg.forwarded:
        tree[f"__attach_version1.0_#{number:08X}"] = {
            "__properties_version1.0": _properties(8, [(0x3705, 0x0003, struct.pack("<i", 5))]),
            "__substg1.0_3001001F": inner.subject.encode("utf-16-le"),
            "__substg1.0_3701000D": _message_tree(inner, 24),
        }
        number += 1
    return tree


def msg(path: Path, message: Msg) -> Path:
    """Write ``message`` as an Outlook ``.msg``."""
    tree = _message_tree(message, 32)
    tree["__nameid_version1.0"] = {
        "__substg1.0_00020102": b"",
        "__substg1.0_00030102": b"",
        "__substg1.0_00040102": b"",
    }
    return compound_file(path, tree)
