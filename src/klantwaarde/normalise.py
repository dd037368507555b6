"""Cell values as kwm reads them: the one place that converts them, for the base, returned
questionnaires and a monitor's history alike (SPEC 3.3). Standard library only.

Cells come back from Excel, LibreOffice or a respondent's paste as anything: ``7``, ``7.0``,
``" 7 "``, ``"7,0"``, ``"zeven"``, ``True``, a date, ``#N/A``. Nothing here raises on odd input.
The rules, one per kind of value:

- **blank** (``is_blank``): nothing in the cell, or text of only white space.
- **text** (``text``): a cell as text: a whole number without ``.0`` (``7.0`` -> ``7``), a date as
  ``2011-06-17`` (a datetime keeps its time), NFC, stripped. TRUE reads as ``1`` and FALSE as
  nothing: a ticked and an unticked checkbox. The base and the history read names, codes and texts
  with it, and a cell whose text is empty (``is_empty``) is not filled in.
- **number** (``number``): a numeric cell, or text with a decimal comma or point (``7,5``,
  ``" 7.5 "``); spaces are ignored. Dates, TRUE and anything not finite are not numbers.
- **date** (``date``): a date cell, an Excel serial number that lost its date format, or text
  ``17-6-2011`` / ``2011-06-17``.
- **question number** (``question_number``): text stays text (cleaned); a number a spreadsheet
  made of ``1.10`` (1.1) reads back as ``1.10``, a whole number as ``2``.
- **answers** (``grade``, ``nps``, ``relevance``, ``anonymous``): what a respondent may type in a
  returned form. Every typed value counts there, so TRUE/FALSE are invalid grades (and yes/no for
  anonymity).
- **display** (``display``): a bad value as a message quotes it (one line, at most 60 characters).

Readers of answers get a ``Normalised``: valid (with the value), blank, or invalid (with the value
as the user would recognise it).
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


_NAME_NOISE = re.compile(r"[\s\-_.'’`]+")


def normalise_name(value: object) -> str:
    """A name as the base format compares names (sheets, headers, settings, statuses, marks):
    NFKC, case-folded, without white space, hyphens, dots, underscores and apostrophes, so
    ``"KWI's"``, ``"kwis"`` and ``"K.W.I.s"`` are one name."""
    return _NAME_NOISE.sub("", unicodedata.normalize("NFKC", str(value)).casefold())


def text(value: object) -> str:
    """A cell as text (the rules at the top): ``7.0`` -> ``7``, a date -> ``2011-06-17``, TRUE ->
    ``1``, FALSE and blank -> ``""``, other text NFC and stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def is_empty(value: object) -> bool:
    """Not filled in, as the base and the history read cells: blank, or FALSE (an unticked box)."""
    return text(value) == ""


# ---------------------------------------------------------------------------------------------
# Numbers and dates


def number(value: object) -> Normalised[float]:
    """A number (the rules at the top). Empty (``is_empty``) is blank."""
    if is_empty(value):
        return _blank()
    if isinstance(value, bool | dt.date | dt.time):
        return _invalid(value)
    if isinstance(value, int | float):
        try:
            found = float(value)
        except OverflowError:  # an integer beyond any float
            return _invalid(value)
    else:
        typed = text(value).replace(" ", "").replace("\u00a0", "")
        if typed.count(",") == 1 and "." not in typed:
            typed = typed.replace(",", ".")
        try:
            found = float(typed)
        except ValueError:
            return _invalid(value)
    return _valid(found, value) if math.isfinite(found) else _invalid(value)


def number_or_text(value: object) -> int | float | str | None:
    """A figure as typed: a number when it reads as one (a whole one as ``int``), else its text;
    None when empty."""
    if is_empty(value):
        return None
    found = number(value)
    if found.value is not None:
        return int(found.value) if found.value.is_integer() else found.value
    return text(value)


_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def date(value: object) -> Normalised[dt.date]:
    """A date: a date cell, an Excel serial number, or text ``17-6-2011`` / ``2011-06-17``."""
    if is_empty(value):
        return _blank()
    if isinstance(value, dt.datetime):
        return _valid(value.date(), value)
    if isinstance(value, dt.date):
        return _valid(value, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10_000 <= value <= 100_000:  # an Excel serial date (1927..2173) that lost its format
            return _valid(_EXCEL_EPOCH + dt.timedelta(days=int(value)), value)
        return _invalid(value)
    typed = text(value)
    try:
        if match := _DMY.match(typed):
            day, month, year = (int(g) for g in match.groups())
            return _valid(dt.date(year + 2000 if year < 100 else year, month, day), value)
        if match := _YMD.match(typed):
            year, month, day = (int(g) for g in match.groups())
            return _valid(dt.date(year, month, day), value)
    except ValueError:  # 31-2-2024
        pass
    return _invalid(value)


# ---------------------------------------------------------------------------------------------
# Answers: whole numbers


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
    """A question number as text: ``"1.02"`` stays ``1.02`` (NFKC, cleaned, at most 100
    characters); a number a spreadsheet made of it (1.1, 1.02) becomes ``1.10`` / ``1.02``
    (within a millionth of a hundredth, so float noise of a re-save does not count), a whole
    number ``2``. Booleans, dates, times and numbers beyond 10^9 are not question numbers.
    Collecting matches numbers numerically, so ``2`` still finds a base's ``2.00``."""
    if is_blank(value):
        return _blank()
    if isinstance(value, bool):
        return _invalid(value)
    if isinstance(value, int):
        return _valid(str(value), value)
    if isinstance(value, Real):
        found = float(value)
        if not math.isfinite(found) or abs(found) >= 1e9:
            return _invalid(value)
        if found.is_integer():
            return _valid(str(int(found)), value)
        cents = found * 100
        if abs(cents - round(cents)) < 1e-6:
            return _valid(f"{found:.2f}", value)
        return _valid(format(Decimal(repr(found)), "f"), value)
    if isinstance(value, str):
        cleaned = clean_text(unicodedata.normalize("NFKC", value), MAX_IDENTITY)
        return _valid(cleaned, value) if cleaned else _blank()
    return _invalid(value)


def action_number(value: object) -> str:
    """An action number as text. Excel turns ``2011-01`` typed into a General cell into 1 January
    2011: such a date gives back what was meant."""
    if isinstance(value, dt.date) and value.day == 1:
        return f"{value.year}-{value.month:02d}"
    return text(value)


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
