"""Value normalisation for returned questionnaires and the base (SPEC 3.3). Standard library only.

Cells come back from Excel, LibreOffice or a respondent's paste as anything: ``7``, ``7.0``,
``" 7 "``, ``"7,0"``, ``"zeven"``, ``True``, a date, ``#N/A``. Every function here takes such a raw
cell value and returns a ``Normalised``: valid (with the value), blank, or invalid (with the
value as the user would recognise it). Nothing here raises on odd input.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from numbers import Real
from typing import Generic, TypeVar

from klantwaarde.contract import NO_WORDS, SPECIAL_KEYS, YES_WORDS
from klantwaarde.model import Relevance

T = TypeVar("T")

GRADE_MIN, GRADE_MAX = 1, 10
NPS_MIN, NPS_MAX = 0, 10
MAX_TEXT = 32_000  # below Excel's 32,767 characters per cell, so a remark survives the monitor
MAX_DISPLAY = 60  # characters of a bad value quoted in a message
MAX_IDENTITY = 100
_WHOLE_TOLERANCE = 1e-9  # 0.7 * 10 is 7.000000000000001: still a whole 7


class Status(StrEnum):
    VALID = "valid"
    BLANK = "blank"
    INVALID = "invalid"


@dataclass(frozen=True)
class Normalised(Generic[T]):
    """The outcome of reading one cell: ``value`` is set when valid (and for blanks with a default)."""

    status: Status
    value: T | None = None
    shown: str = ""  # the raw value as a user would recognise it, for messages

    @property
    def valid(self) -> bool:
        return self.status is Status.VALID

    @property
    def blank(self) -> bool:
        return self.status is Status.BLANK

    @property
    def invalid(self) -> bool:
        return self.status is Status.INVALID


def _valid(value: T, raw: object) -> Normalised[T]:
    return Normalised(Status.VALID, value, display(raw))


def _blank(default: T | None = None) -> Normalised[T]:
    return Normalised(Status.BLANK, default, "")


def _invalid(raw: object) -> Normalised[T]:
    return Normalised(Status.INVALID, None, display(raw))


# ---------------------------------------------------------------------------------------------
# Text helpers

_SPACES = re.compile(r"\s+")
# Control characters are illegal in the XML of a workbook; keep tab and line breaks.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean_text(value: str, max_length: int = MAX_TEXT) -> str:
    """Text safe to write back into a workbook: no control characters, stripped, not too long."""
    cleaned = _SURROGATES.sub("", _CONTROL.sub("", value)).replace("\r\n", "\n").strip()
    return cleaned[:max_length].rstrip()


def squash(value: str) -> str:
    """Lower-case, NFKC, non-breaking spaces as spaces, runs of white space as one, stripped."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value)).strip().lower()


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def display(value: object) -> str:
    """A cell value as the user would recognise it in a message (short, one line)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    text = str(value)
    text = _CONTROL.sub("?", _SURROGATES.sub("?", text)).replace("\n", " ").replace("\t", " ")
    if len(text) > MAX_DISPLAY:
        text = text[: MAX_DISPLAY - 1] + "…"
    return text


# ---------------------------------------------------------------------------------------------
# Numbers


def _whole_number(value: object) -> int | None:
    """A whole number from a cell: 7, 7.0, " 7 ", "7,0", "7.00"; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Real):
        number = float(value)
        if not math.isfinite(number) or abs(number) > 1e9:
            return None
        nearest = round(number)
        return int(nearest) if abs(number - nearest) <= _WHOLE_TOLERANCE * max(1.0, abs(number)) else None
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        match = re.fullmatch(r"\+?(\d{1,9})(?:[.,]0*)?", text)
        return int(match.group(1)) if match else None
    return None


def _whole_in_range(value: object, low: int, high: int) -> Normalised[int]:
    if is_blank(value):
        return _blank()
    number = _whole_number(value)
    if number is None or not low <= number <= high:
        return _invalid(value)
    return _valid(number, value)


def grade(value: object) -> Normalised[int]:
    """A grade: a whole number 1..10. Blank means not answered."""
    return _whole_in_range(value, GRADE_MIN, GRADE_MAX)


def nps(value: object) -> Normalised[int]:
    """The recommendation question: a whole number 0..10. Blank means not answered."""
    return _whole_in_range(value, NPS_MIN, NPS_MAX)


# ---------------------------------------------------------------------------------------------
# Relevance

_RELEVANCE_WORDS: dict[str, Relevance] = {
    "<": Relevance.LESS,
    "minder": Relevance.LESS,
    "less": Relevance.LESS,
    "n": Relevance.NEUTRAL,
    "<>": Relevance.NEUTRAL,
    "neutraal": Relevance.NEUTRAL,
    "neutral": Relevance.NEUTRAL,
    ">": Relevance.MORE,
    "meer": Relevance.MORE,
    "more": Relevance.MORE,
}
_RELEVANCE_NOISE = {"relevant", "belangrijk", "important"}


def relevance(value: object) -> Normalised[Relevance]:
    """``<``, ``N``, ``<>``, ``>`` or the words minder/neutraal/meer/less/neutral/more, in any case
    and spacing; also a mark with its word (``< minder``, ``> (meer)``). Blank is neutral."""
    if is_blank(value):
        return _blank(Relevance.NEUTRAL)
    if not isinstance(value, str):
        return _invalid(value)
    text = squash(value).replace("(", " ").replace(")", " ")
    tokens = [t for t in text.split() if t not in _RELEVANCE_NOISE]
    found = {_RELEVANCE_WORDS.get(t) for t in tokens}
    if not tokens or None in found or len(found) != 1:
        return _invalid(value)
    mark = found.pop()
    assert mark is not None
    return _valid(mark, value)


# ---------------------------------------------------------------------------------------------
# Yes / no


def anonymous(value: object) -> Normalised[bool]:
    """Ja/Nee/Yes/No (and J/N/Y/true/false/1/0, any case). Blank means Nee."""
    if is_blank(value):
        return _blank(False)
    if isinstance(value, bool):
        return _valid(value, value)
    if isinstance(value, Real):
        number = _whole_number(value)
        if number in (0, 1):
            return _valid(number == 1, value)
        return _invalid(value)
    if isinstance(value, str):
        word = squash(value).rstrip(".!")
        if word in YES_WORDS:
            return _valid(True, value)
        if word in NO_WORDS:
            return _valid(False, value)
    return _invalid(value)


# ---------------------------------------------------------------------------------------------
# Question numbers and keys


def question_number(value: object) -> Normalised[str]:
    """A question number as text: ``"1.02"`` stays ``1.02``; a number a spreadsheet made of it
    (1.1, 1.02) becomes ``1.10`` / ``1.02``, a whole number ``2``. Booleans and dates are not
    numbers. Collecting matches numbers numerically, so ``2`` still finds a base's ``2.00``."""
    if is_blank(value):
        return _blank()
    if isinstance(value, bool):
        return _invalid(value)
    if isinstance(value, int):
        return _valid(str(value), value)
    if isinstance(value, Real):
        number = float(value)
        if not math.isfinite(number) or abs(number) >= 1e9:
            return _invalid(value)
        if number.is_integer():  # as the base reader does: 2.0 -> "2" (matched numerically anyway)
            return _valid(str(int(number)), value)
        text = f"{number:.2f}"
        if float(text) != number:
            text = format(Decimal(repr(number)), "f")
        return _valid(text, value)
    if isinstance(value, str):
        text = clean_text(unicodedata.normalize("NFKC", value), MAX_IDENTITY)
        return _valid(text, value) if text else _blank()
    return _invalid(value)


def number_key(number: str) -> Decimal | None:
    """The numeric value of a question number, so ``1.1`` matches ``1.10``; None when not numeric."""
    text = number.strip().replace(",", ".")
    if not re.fullmatch(r"\d{1,9}(?:\.\d{1,9})?", text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern already guarantees a number
        return None


def special_key(value: object) -> str | None:
    """``nps``, ``anonymous`` or ``remark`` when the key cell holds one of them (any case)."""
    if not isinstance(value, str):
        return None
    word = squash(value)
    return word if word in SPECIAL_KEYS else None


# ---------------------------------------------------------------------------------------------
# Free text


def remark(value: object) -> str:
    """The remarks field: any value as text, cleaned (no control characters, not too long)."""
    if is_blank(value):
        return ""
    if isinstance(value, str):
        return clean_text(value)
    return clean_text(display(value))


def identity_text(value: object) -> str:
    """An identity value (client code, period, initials...): text, cleaned, a number without '.0'."""
    if is_blank(value) or isinstance(value, bool):
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return clean_text(str(value), MAX_IDENTITY)


def same_label(cell: object, *labels: str) -> bool:
    """A header or label cell equals one of ``labels``, ignoring case, spacing and a trailing ':'."""
    if not isinstance(cell, str):
        return False
    text = squash(cell).rstrip(":").strip()
    return any(text == _squashed_label(label) for label in labels)


@functools.lru_cache(maxsize=256)
def _squashed_label(label: str) -> str:
    # The labels are the contract's few constants, compared with every cell of a header search.
    return squash(label)


# ---------------------------------------------------------------------------------------------
# Names from outside (file names of returned forms, mails)

# Control characters (C0, DEL, C1) and the bidirectional controls that make text display in
# another order than it is stored (U+202E "right-to-left override" turns "mroF.xlsx" around).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown_name(name: str) -> str:
    """A name from outside as kwm shows it, in the terminal and in workbooks: without control
    characters, escape sequences and bidi overrides (a file called ``\\x1b]0;…`` or with U+202E
    cannot rewrite the terminal or disguise itself)."""
    return _UNSHOWABLE.sub("", name)
