"""The register of issued forms (SPEC 3.2): which form id was issued to whom, for which questions.

``kwm generate`` (and ``kwm remind``, which sends a form again) appends one line per form it
issues to ``<period>/kwm-register.jsonl``: the respondent, the form id (random, so nobody can make
up the id of someone else's form), the fingerprint of the question set and the questions as they
were worded then, and the time. The file is only ever appended to: a form made again adds a line
and never invalidates one already sent. Reading returned forms verifies every form against it
(``pipeline.collect``). Standard library only.

One JSON object per line, UTF-8; readers skip lines they cannot read (with a problem) and ignore
unknown keys, so the format can grow.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.model import Location, Question
from klantwaarde.problems import KwmError, Problem, problem

FORMAT_VERSION = 1
GENERATED = "generated"
REMINDED = "reminded"


def new_form_id() -> str:
    """An unguessable form id: 128 random bits, not derived from anything public."""
    return secrets.token_hex(16)


FormIds = Callable[[], str]  # tests pass a seeded generator; use is random


@dataclass(frozen=True)
class IssuedQuestion:
    number: str
    kwi: str
    text: str


@dataclass(frozen=True)
class Issued:
    """One form issued to one respondent."""

    form_id: str
    initials: str
    fingerprint: str
    questions: tuple[IssuedQuestion, ...]
    issued_at: dt.datetime
    event: str = GENERATED
    file: str = ""  # the name the form was written under

    @property
    def numbers(self) -> frozenset[str]:
        return frozenset(q.number for q in self.questions)

    def to_line(self) -> str:
        data = {
            "v": FORMAT_VERSION,
            "event": self.event,
            "form_id": self.form_id,
            "initials": self.initials,
            "fingerprint": self.fingerprint,
            "issued_at": self.issued_at.isoformat(),
            "file": self.file,
            "questions": [{"number": q.number, "kwi": q.kwi, "text": q.text} for q in self.questions],
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def issued(
    form_id: str,
    initials: str,
    fingerprint: str,
    questions: Iterable[Question],
    when: dt.datetime,
    **extra: Any,
) -> Issued:
    return Issued(
        form_id,
        initials.strip().upper(),
        fingerprint,
        tuple(IssuedQuestion(q.number, q.kwi_code, q.text) for q in questions),
        when,
        **extra,
    )


@dataclass
class Register:
    """Every form issued in one period, by form id (the first line of an id is the one that counts)."""

    path: Path
    forms: dict[str, Issued] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, form_id: str) -> Issued | None:
        return self.forms.get(form_id) if form_id else None

    def issued_to(self, initials: str) -> list[Issued]:
        key = initials.strip().upper()
        return [f for f in self.forms.values() if f.initials == key]


def append(path: Path, entries: Sequence[Issued]) -> None:
    """Add ``entries`` to the register at ``path`` (made when missing). Append-only: each line is
    written in one go and synced, so lines of two runs never mix and a crash loses no earlier line."""
    if not entries:
        return
    data = "".join(e.to_line() for e in entries).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        where = Location(file=path.name)
        raise KwmError(
            [problem("output_failed", where, path=str(path), reason=exc.strerror or str(exc))]
        ) from None


def read(path: Path) -> Register | None:
    """The register at ``path``; None when there is none (forms made before kwm kept one, or
    elsewhere). A line that cannot be read is a problem and is skipped."""
    if not path.is_file():
        return None
    register = Register(path)
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError as exc:
        register.problems.append(
            problem("register_unreadable", Location(file=path.name), reason=exc.strerror or str(exc))
        )
        return register
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = _entry(line)
        if entry is None:
            register.problems.append(problem("register_line_invalid", Location(file=path.name, row=number)))
            continue
        register.forms.setdefault(entry.form_id, entry)
    return register


def _entry(line: str) -> Issued | None:
    try:
        data = json.loads(line)
        questions = tuple(
            IssuedQuestion(str(q["number"]), str(q.get("kwi", "")), str(q.get("text", "")))
            for q in data.get("questions", [])
        )
        when = dt.datetime.fromisoformat(str(data["issued_at"]))
        entry = Issued(
            form_id=str(data["form_id"]),
            initials=str(data["initials"]).strip().upper(),
            fingerprint=str(data.get("fingerprint", "")),
            questions=questions,
            issued_at=when,
            event=str(data.get("event", GENERATED)),
            file=str(data.get("file", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return entry if entry.form_id and entry.initials else None
