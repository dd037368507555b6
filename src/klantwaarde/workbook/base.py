"""Read and validate the base workbook (``basis.xlsx``, SPEC 3.1).

``read_base`` turns the workbook into a ``Base`` plus *every* problem found, each pointing at the
file, sheet, row and column concerned. Sheet, header and setting names are part of the file format
(Dutch defaults, English aliases) and therefore constants here, like the fill contract: an
organisation may reword instructions, but a base must stay readable whatever texts made it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.model import (
    DEFAULT_TARGET,
    A3Data,
    A3Figure,
    Action,
    ActionStatus,
    Base,
    Kwi,
    Location,
    Question,
    Respondent,
    Settings,
    Weights,
)
from klantwaarde.problems import Problem, WorkbookFileError, problem
from klantwaarde.workbook.safe import guard_input

# ---------------------------------------------------------------------------------------------
# The format: names are (Dutch, English, further aliases...). Matching ignores case, spaces,
# hyphens, dots, underscores and apostrophes.

SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("Instellingen", "Settings"),
    "respondents": ("Respondenten", "Respondents"),
    "kwis": ("KWI's", "KWIs"),
    "questions": ("Vragen", "Questions"),
    "actions": ("Acties", "Actions", "Actielijst", "Action list"),
    "a3": ("A3", "A3"),
}
REQUIRED_SHEETS = ("settings", "respondents", "kwis", "questions")


@dataclass(frozen=True)
class Header:
    key: str
    names: tuple[str, ...]  # (Dutch, English, aliases...)
    required: bool = False


HEADERS: dict[str, tuple[Header, ...]] = {
    "settings": (
        Header("setting", ("Instelling", "Setting"), True),
        Header("value", ("Waarde", "Value"), True),
    ),
    "respondents": (
        Header("name", ("Naam", "Name"), True),
        Header("initials", ("Initialen", "Initials"), True),
        Header("email", ("E-mail", "E-mail", "E-mailadres", "E-mail address", "Mail")),
        Header("function", ("Functie", "Function", "Role")),
        Header("remark", ("Opmerking", "Remark", "Opmerkingen", "Remarks")),
    ),
    "kwis": (
        Header("code", ("Code", "Code"), True),
        Header("title", ("Titel", "Title"), True),
        Header("description", ("Omschrijving", "Description")),
        Header("target", ("Doel", "Target")),
        Header("contributed_by", ("Ingebracht door", "Contributed by")),
    ),
    "questions": (
        Header("kwi", ("KWI", "KWI"), True),
        Header("number", ("Nr", "No.", "Nummer", "Number")),
        Header("text", ("Vraag", "Question", "Stelling", "Statement"), True),
    ),
    "actions": (
        Header("number", ("Nr", "No.", "Nummer", "Number")),
        Header("date", ("Datum", "Date")),
        Header("description", ("Omschrijving", "Description", "Actie", "Action"), True),
        Header("kwi", ("KWI", "KWI"), True),
        Header("owner", ("Voor", "Owner", "Eigenaar")),
        Header("status", ("Status", "Status")),
        Header("deadline", ("Deadline", "Deadline")),
    ),
    "a3": (
        Header("item", ("Onderdeel", "Item"), True),
        Header("content", ("Inhoud", "Content"), True),
        Header("last_year", ("Vorig jaar", "Last year")),
        Header("this_year", ("Dit jaar", "This year")),
    ),
}

SETTINGS: dict[str, tuple[str, ...]] = {
    "client": ("Klant", "Client"),
    "client_code": ("Klantcode", "Client code"),
    "supplier": ("Leverancier", "Supplier"),
    "period": ("Periode", "Period"),
    "account_manager": ("Accountmanager", "Account manager"),
    "account_manager_email": ("E-mail accountmanager", "Account manager e-mail"),
    "deadline": ("Deadline", "Deadline"),
    "session_date": ("Sessiedatum", "Session date"),
    "language": ("Taal", "Language"),
    "default_target": ("KWI-doel", "KWI target"),
    "weight_less": ("Weging minder", "Weight less"),
    "weight_neutral": ("Weging neutraal", "Weight neutral"),
    "weight_more": ("Weging meer", "Weight more"),
}
REQUIRED_SETTINGS = ("client", "client_code", "supplier", "period")

A3_BLOCKS: dict[str, tuple[str, ...]] = {
    "vision": ("Visie", "Vision"),
    "mission": ("Missie", "Mission"),
    "success_factors": ("Succesbepalende factoren", "Critical success factors"),
    "organisation_indicators": (
        "Organisatie-indicatoren (KPI's)",
        "Organisation indicators (KPIs)",
        "Organisatie-indicatoren",
        "Organisation indicators",
        "KPI's",
    ),
    "organisation_actions": ("Organisatie-acties", "Organisation actions"),
    "preconditions": ("Randvoorwaarden", "Preconditions"),
}
A3_FIGURES: dict[str, tuple[str, ...]] = {
    "contacts": ("#Contacten", "#Contacts", "Contacten", "Contacts"),
    "appointments": ("#Klantafspraken", "#Client meetings", "Klantafspraken", "Client meetings"),
    "leads": ("#Leads", "#Leads", "Leads"),
    "orders": ("#Orders", "#Orders", "Orders"),
    "revenue": ("Omzet", "Revenue"),
    "margin": ("Marge", "Margin"),
    "sessions": ("#Klantwaardesessies", "#Value sessions", "Klantwaardesessies", "Value sessions"),
    "nps": ("NetPromotorScore", "Net Promoter Score", "NPS", "Net Promotor Score"),
}

# Action status as typed (either language) -> the stored Dutch status.
STATUSES: dict[str, tuple[str, ...]] = {
    ActionStatus.OPEN.value: ("open", "open", "nieuw", "new", "todo"),
    ActionStatus.IN_PROGRESS.value: ("lopend", "in progress", "bezig", "ongoing", "busy"),
    ActionStatus.DONE.value: ("gereed", "done", "afgerond", "klaar", "finished", "completed"),
}

# An assignment mark means "this respondent answers this question".
MARKS = ("x", "1", "ja", "j", "yes", "y", "✓", "✔")
LANGUAGES = {"nl": "nl", "nederlands": "nl", "dutch": "nl", "en": "en", "engels": "en", "english": "en"}
PLACEHOLDERS = {"leverancier": "supplier", "supplier": "supplier", "klant": "client", "client": "client"}
MAX_RESPONDENTS = 8
HEADER_SCAN_ROWS = 10
SPECIAL_NUMBERS = ("nps", "anonymous", "remark")

_PLACEHOLDER = re.compile(r"\{\s*([^{}\s]+)\s*\}")
_EMAIL = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[A-Za-z]{2,}$")
_SAFE_PERIOD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_SAFE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]*(?<![ .])$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

# The standard statements (SPEC 1), recognised tolerantly in Dutch and English after the
# placeholders have been replaced: a question of the KWI that mentions "KWI" and one of the words.
_ACTIVE_WORDS = {"actief", "actieve", "active", "actively"}
_AGREEMENT_WORDS = {"afspraak", "afspraken", "agreement", "agreements", "commitments"}


def normalise_name(value: object) -> str:
    """The form names are compared in: case-, space-, hyphen-, dot- and apostrophe-insensitive."""
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"[\s\-_.'’`]+", "", text)


def _lookup(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_name(name): key for key, names in table.items() for name in names}


_SETTING_KEYS = _lookup(SETTINGS)
_A3_BLOCK_KEYS = _lookup(A3_BLOCKS)
_A3_FIGURE_KEYS = _lookup(A3_FIGURES)
_STATUS_KEYS = _lookup(STATUSES)
_MARKS = {normalise_name(m) for m in MARKS}


def setting_key(name: str) -> str | None:
    """``"Weging meer"`` / ``"weight more"`` -> ``"weight_more"``; None when not a setting."""
    return _SETTING_KEYS.get(normalise_name(name))


def a3_key(item: str) -> str | None:
    """An A3 item name (either language) -> its block or figure key."""
    key = normalise_name(item)
    return _A3_BLOCK_KEYS.get(key) or _A3_FIGURE_KEYS.get(key)


def status_value(text: str) -> str | None:
    """An action status as typed (``Done``, ``in progress``) -> ``gereed``/``lopend``/``open``."""
    return _STATUS_KEYS.get(normalise_name(text))


def is_mark(value: object) -> bool:
    return value is not None and value is not False and normalise_name(_text(value)) in _MARKS


def is_standard_active(text: str) -> bool:
    words = set(re.findall(r"\w+", text.casefold()))
    return "kwi" in words and bool(words & _ACTIVE_WORDS)


def is_standard_agreements(text: str) -> bool:
    words = set(re.findall(r"\w+", text.casefold()))
    return "kwi" in words and bool(words & _AGREEMENT_WORDS)


def suggest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``word`` (compared as names), or None."""
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(normalise_name(candidate), candidate)
    by_key.pop("", None)
    found = difflib.get_close_matches(normalise_name(word), list(by_key), n=1, cutoff=cutoff)
    return by_key[found[0]] if found else None


# ---------------------------------------------------------------------------------------------
# Cell values


def _text(value: Any) -> str:
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


def _blank(value: Any) -> bool:
    return _text(value) == ""


def _number(value: Any) -> tuple[float | None, bool]:
    """(number, ok). Blank -> (None, True). Text with a decimal comma or point is accepted."""
    if _blank(value):
        return None, True
    if isinstance(value, bool) or isinstance(value, dt.date):
        return None, False
    if isinstance(value, int | float):
        return float(value), True
    text = _text(value).replace(" ", "").replace("\u00a0", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None, False
    return (number, True) if number == number and abs(number) != float("inf") else (None, False)


def _date(value: Any) -> tuple[dt.date | None, bool]:
    """(date, ok). Excel dates, Excel serial numbers and text ``17-6-2011`` / ``2011-06-17``."""
    if _blank(value):
        return None, True
    if isinstance(value, dt.datetime):
        return value.date(), True
    if isinstance(value, dt.date):
        return value, True
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 10_000 <= value <= 100_000:  # an Excel serial date (1927..2173) that lost its format
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value)), True
        return None, False
    text = _text(value)
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            if year < 100:
                year += 2000
            return dt.date(year, month, day), True
        match = _YMD.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day), True
    except ValueError:
        return None, False
    return None, False


def _question_number(value: Any) -> tuple[str | None, bool]:
    """(number text, ok). A number Excel made of ``1.10`` (1.1) reads back as ``1.10``."""
    if _blank(value):
        return None, True
    if isinstance(value, bool) or isinstance(value, dt.date):
        return None, False
    if isinstance(value, int | float):
        if float(value).is_integer():
            return str(int(value)), True
        cents = value * 100
        if abs(cents - round(cents)) < 1e-6:
            return f"{value:.2f}", True
        return repr(float(value)), True
    text = _text(value)
    if normalise_name(text) in SPECIAL_NUMBERS or any(ord(c) < 32 for c in text):
        return None, False
    return text, True


def _action_number(value: Any) -> str:
    # Excel turns "2011-01" typed into a General cell into 1 January 2011: give back what was meant.
    if isinstance(value, dt.datetime | dt.date) and value.day == 1:
        return f"{value.year}-{value.month:02d}"
    return _text(value)


def _letter(index: int) -> str:
    """0-based column index -> column letter."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Sheets as tables


@dataclass
class _Table:
    key: str
    name: str  # the sheet name as found in the workbook
    header_row: int  # 1-based
    columns: dict[str, int]  # header key -> 0-based column index
    others: dict[int, str]  # unrecognised, non-empty header cells: index -> text
    rows: list[tuple[int, tuple[Any, ...]]] = field(default_factory=list)  # (row number, values)

    def get(self, values: Sequence[Any], key: str) -> Any:
        index = self.columns.get(key)
        if index is None or index >= len(values):
            return None
        return values[index]

    def letter(self, key: str) -> str | None:
        index = self.columns.get(key)
        return _letter(index) if index is not None else None


class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.file = path.name
        self.problems: list[Problem] = []
        self.english = False

    # -- helpers ---------------------------------------------------------------------------

    def at(self, sheet: str | None, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, sheet, row, column)

    def add(self, code: str, location: Location, /, **context: Any) -> None:
        self.problems.append(problem(code, location, **context))

    def display(self, names: tuple[str, ...]) -> str:
        """The name to show for something missing, in the language the workbook uses."""
        return names[1] if self.english and len(names) > 1 else names[0]

    # -- sheets ----------------------------------------------------------------------------

    def find_sheets(self, sheet_names: Sequence[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        lookup = _lookup(SHEETS)
        for name in sheet_names:
            key = lookup.get(normalise_name(name))
            if key and key not in found:
                found[key] = name
                if normalise_name(name) == normalise_name(SHEETS[key][1]) != normalise_name(SHEETS[key][0]):
                    self.english = True
        unmatched = [n for n in sheet_names if n not in found.values()]
        for key, names in SHEETS.items():
            if key in found:
                continue
            expected = self.display(names)
            near = suggest(expected, unmatched) or next(
                (s for s in (suggest(n, unmatched) for n in names) if s), None
            )
            if key in REQUIRED_SHEETS:
                self.add("sheet_missing", self.at(expected), expected=expected, suggestion=near or "")
            elif near:
                self.add("sheet_ignored", self.at(near), name=near, expected=expected, suggestion=expected)
        return found

    def table(self, key: str, sheet_name: str, rows: list[tuple[Any, ...]]) -> _Table | None:
        """Find the header row in the first rows and map the columns; None when required ones lack."""
        specs = HEADERS[key]
        lookup = {normalise_name(name): spec.key for spec in specs for name in spec.names}
        best_row, best_count = -1, 0
        for index, values in enumerate(rows[:HEADER_SCAN_ROWS]):
            count = len({lookup[k] for k in (normalise_name(_text(v)) for v in values) if k in lookup})
            if count > best_count:
                best_row, best_count = index, count
        if best_row < 0:
            best_row = next((i for i, values in enumerate(rows) if any(not _blank(v) for v in values)), 0)
        header = rows[best_row] if rows else ()
        columns: dict[str, int] = {}
        others: dict[int, str] = {}
        for index, value in enumerate(header):
            text = _text(value)
            if not text:
                continue
            spec_key = lookup.get(normalise_name(text))
            if spec_key and spec_key not in columns:
                columns[spec_key] = index
            else:
                others[index] = text
        header_row = best_row + 1
        complete = True
        for spec in specs:
            if spec.key in columns:
                continue
            expected = self.display(spec.names)
            near_index = self._near_header(spec, others, columns)
            if spec.required:
                complete = False
                self.add(
                    "header_missing",
                    self.at(sheet_name, header_row, _letter(near_index) if near_index is not None else None),
                    header=expected,
                    suggestion=others[near_index] if near_index is not None else "",
                )
            elif near_index is not None:
                self.add(
                    "column_ignored",
                    self.at(sheet_name, header_row, _letter(near_index)),
                    header=others[near_index],
                    expected=expected,
                    suggestion=expected,
                )
        if not complete:
            return None
        data = [(header_row + 1 + i, values) for i, values in enumerate(rows[best_row + 1 :])]
        return _Table(key, sheet_name, header_row, columns, others, data)

    @staticmethod
    def _near_header(spec: Header, others: Mapping[int, str], columns: Mapping[str, int]) -> int | None:
        # Only headers left of the matrix compete (initials in Vragen are not near-miss headers).
        last_fixed = max(columns.values(), default=-1)
        candidates = {i: t for i, t in others.items() if len(normalise_name(t)) > 2 or i < last_fixed}
        for name in spec.names:
            near = suggest(name, candidates.values(), cutoff=0.75)
            if near:
                return next(i for i, t in candidates.items() if t == near)
        return None

    def data_rows(self, table: _Table, keys: Iterable[str]) -> list[tuple[int, tuple[Any, ...]]]:
        """Rows with anything in the recognised columns; blank rows are skipped."""
        wanted = [table.columns[k] for k in keys if k in table.columns]
        return [
            (number, values)
            for number, values in table.rows
            if any(i < len(values) and not _blank(values[i]) for i in wanted)
        ]


# ---------------------------------------------------------------------------------------------
# Reading each sheet


def _read_settings(reader: _Reader, table: _Table) -> tuple[dict[str, Any], dict[str, Location]]:
    values: dict[str, Any] = {}
    where: dict[str, Location] = {}
    name_col, value_col = table.letter("setting"), table.letter("value")
    last_row = table.header_row
    known_names = [name for names in SETTINGS.values() for name in names]
    for number, row in reader.data_rows(table, ("setting", "value")):
        last_row = number
        name = _text(table.get(row, "setting"))
        if not name:
            continue
        key = setting_key(name)
        if key is None:
            reader.add(
                "setting_unknown",
                reader.at(table.name, number, name_col),
                setting=name,
                suggestion=suggest(name, known_names) or "",
            )
            continue
        if key in values:
            continue  # the first occurrence counts
        values[key] = table.get(row, "value")
        where[key] = reader.at(table.name, number, value_col)
        where[key + ":name"] = Location(reader.file, table.name, number, name_col)
    for key in REQUIRED_SETTINGS:
        if _blank(values.get(key)):
            location = where.get(key) or reader.at(table.name, last_row + 1, name_col)
            reader.add("setting_missing", location, setting=reader.display(SETTINGS[key]))
    return values, where


def _build_settings(
    reader: _Reader, table: _Table, values: Mapping[str, Any], where: Mapping[str, Location]
) -> Settings:
    def name(key: str) -> str:
        return reader.display(SETTINGS[key])

    # Examples in the messages follow the workbook's language (a code, a decimal comma, a date).
    english = reader.english

    def invalid(key: str, example: str) -> None:
        reader.add(
            "setting_invalid", where[key], setting=name(key), value=_text(values[key]), example=example
        )

    for key in ("client_code", "period"):
        text = _text(values.get(key))
        pattern = _SAFE_PERIOD if key == "period" else _SAFE_CODE
        if text and not pattern.match(text):
            example = "2011H1" if key == "period" else ("CLIENT" if english else "KLANT")
            reader.add("period_invalid", where[key], setting=name(key), value=text, example=example)

    language = "nl"
    if not _blank(values.get("language")):
        found = LANGUAGES.get(normalise_name(_text(values["language"])))
        if found is None:
            invalid("language", "nl")
        else:
            language = found

    target = DEFAULT_TARGET
    if not _blank(values.get("default_target")):
        number, ok = _number(values["default_target"])
        if number is None or not ok or not 1 <= number <= 10:
            invalid("default_target", "7.5" if english else "7,5")
        else:
            target = number

    weights: dict[str, float] = {}
    for key, default in (("weight_less", 1.0), ("weight_neutral", 2.0), ("weight_more", 3.0)):
        weights[key] = default
        if not _blank(values.get(key)):
            number, ok = _number(values[key])
            if number is None or not ok or number <= 0:
                invalid(key, str(int(default)))
            else:
                weights[key] = number

    dates: dict[str, dt.date | None] = {}
    for key in ("deadline", "session_date"):
        day, ok = _date(values.get(key))
        if not ok:
            invalid(key, "2011-06-17" if english else "17-6-2011")
        dates[key] = day

    email = _text(values.get("account_manager_email"))
    if email and not _EMAIL.match(email):
        reader.add("email_invalid", where["account_manager_email"], email=email)

    return Settings(
        client=_text(values.get("client")),
        client_code=_text(values.get("client_code")),
        supplier=_text(values.get("supplier")),
        period=_text(values.get("period")),
        account_manager=_text(values.get("account_manager")),
        account_manager_email=email,
        deadline=dates["deadline"],
        session_date=dates["session_date"],
        language=language,
        default_target=target,
        weights=Weights(weights["weight_less"], weights["weight_neutral"], weights["weight_more"]),
        location=Location(reader.file, table.name),
    )


def _read_respondents(reader: _Reader, table: _Table) -> list[Respondent]:
    respondents: list[Respondent] = []
    first_row: dict[str, int] = {}
    keys = ("name", "initials", "email", "function", "remark")
    rows = reader.data_rows(table, keys)
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("initials")))
    for number, row in rows:
        name = _text(table.get(row, "name"))
        initials = _text(table.get(row, "initials")).upper()
        email = _text(table.get(row, "email"))
        if not initials:
            reader.add(
                "respondent_initials_missing",
                reader.at(table.name, number, table.letter("initials")),
                name=name,
            )
            continue
        if initials in first_row:
            reader.add(
                "initials_duplicate",
                reader.at(table.name, number, table.letter("initials")),
                initials=initials,
                first_row=first_row[initials],
            )
            continue
        first_row[initials] = number
        if not name:
            reader.add(
                "respondent_name_missing",
                reader.at(table.name, number, table.letter("name")),
                initials=initials,
            )
        if email and not _EMAIL.match(email):
            reader.add("email_invalid", reader.at(table.name, number, table.letter("email")), email=email)
        respondents.append(
            Respondent(
                name=name,
                initials=initials,
                email=email,
                function=_text(table.get(row, "function")),
                remark=_text(table.get(row, "remark")),
                location=Location(reader.file, table.name, number),
            )
        )
    if len(respondents) > MAX_RESPONDENTS:
        first_extra = respondents[MAX_RESPONDENTS].location
        reader.add(
            "too_many_respondents",
            first_extra.at(column=table.letter("initials")),
            count=len(respondents),
            maximum=MAX_RESPONDENTS,
        )
    return respondents


class _Replacer:
    """Replaces ``{leverancier}``/``{klant}`` (and English names) and reports unknown placeholders."""

    def __init__(self, reader: _Reader, supplier: str, client: str):
        self.reader = reader
        self.values = {"supplier": supplier, "client": client}

    def __call__(self, text: str, location: Location) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            kind = PLACEHOLDERS.get(name.casefold())
            if kind is None:
                self.reader.add(
                    "placeholder_unknown",
                    location,
                    placeholder=match.group(0),
                    suggestion=("{" + s + "}") if (s := suggest(name, ("leverancier", "klant"))) else "",
                )
                return match.group(0)
            value = self.values[kind]
            return value if value else match.group(0)

        return _PLACEHOLDER.sub(replace, text)


def _read_kwis(
    reader: _Reader, table: _Table, respondents: Sequence[Respondent], replace: _Replacer
) -> list[Kwi]:
    kwis: list[Kwi] = []
    first_row: dict[str, int] = {}
    known = {r.initials for r in respondents}
    rows = reader.data_rows(table, ("code", "title", "description", "target", "contributed_by"))
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("code")))
    for number, row in rows:
        code = _text(table.get(row, "code"))
        title = _text(table.get(row, "title"))
        here = Location(reader.file, table.name, number)
        if not code:
            reader.add("kwi_code_missing", here.at(column=table.letter("code")), title=title)
            continue
        key = code.upper()
        if key in first_row:
            reader.add(
                "kwi_duplicate", here.at(column=table.letter("code")), kwi=code, first_row=first_row[key]
            )
            continue
        first_row[key] = number
        if not title:
            reader.add("kwi_title_missing", here.at(column=table.letter("title")), kwi=code)
        target, ok = _number(table.get(row, "target"))
        if not ok or (target is not None and not 1 <= target <= 10):
            reader.add(
                "kwi_target_invalid",
                here.at(column=table.letter("target")),
                kwi=code,
                value=_text(table.get(row, "target")),
            )
            target = None
        contributor = _text(table.get(row, "contributed_by")).upper()
        if contributor and contributor not in known:
            reader.add(
                "kwi_contributor_unknown",
                here.at(column=table.letter("contributed_by")),
                kwi=code,
                initials=contributor,
                suggestion=suggest(contributor, known, cutoff=0.5) or "",
            )
        kwis.append(
            Kwi(
                code=code,
                title=replace(title, here.at(column=table.letter("title"))),
                description=replace(
                    _text(table.get(row, "description")), here.at(column=table.letter("description"))
                ),
                target=target,
                contributed_by=contributor,
                location=here,
            )
        )
    return kwis


@dataclass
class _QuestionRow:
    row: int
    kwi_code: str  # canonical code when known, else as typed
    kwi_known: bool
    number: str | None
    text: str
    assigned: list[str]
    marked_columns: list[str]  # column letters of the marks, for locating problems


def _matrix_columns(
    reader: _Reader, table: _Table, respondents: Sequence[Respondent]
) -> list[tuple[int, str]]:
    """The respondent columns right of the question columns: (index, initials)."""
    known = {r.initials for r in respondents}
    last_fixed = max(table.columns.values())
    matrix: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, header in sorted(table.others.items()):
        if index <= last_fixed:
            continue
        initials = header.strip().upper()
        where = reader.at(table.name, table.header_row, _letter(index))
        if initials in known:
            if initials in seen:
                reader.add("initials_duplicate", where, initials=initials, first_row=table.header_row)
                continue
            seen.add(initials)
            matrix.append((index, initials))
            continue
        has_marks = any(index < len(values) and is_mark(values[index]) for _, values in table.rows)
        if has_marks or len(normalise_name(header)) <= 4:
            headed = {h.strip().upper() for h in table.others.values()}
            unused = sorted(known - headed) or sorted(known)
            reader.add(
                "matrix_column_unknown",
                where,
                initials=header,
                suggestion=suggest(header, unused, cutoff=0.5) or "",
            )
    return matrix


def _read_questions(
    reader: _Reader,
    table: _Table,
    respondents: Sequence[Respondent],
    kwis: Sequence[Kwi],
    replace: _Replacer,
) -> list[_QuestionRow]:
    matrix = _matrix_columns(reader, table, respondents)
    codes = {k.code.upper(): k.code for k in kwis}
    result: list[_QuestionRow] = []
    first_row: dict[str, int] = {}
    keys = ("kwi", "number", "text")
    rows = [
        (number, values)
        for number, values in table.rows
        if any(not _blank(table.get(values, k)) for k in keys)
        or any(i < len(values) and not _blank(values[i]) for i, _ in matrix)
    ]
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("text")))
    for number, row in rows:
        here = Location(reader.file, table.name, number)
        kwi_text = _text(table.get(row, "kwi"))
        raw_text = _text(table.get(row, "text"))
        raw_number = table.get(row, "number")
        if not raw_text:
            reader.add("question_text_missing", here.at(column=table.letter("text")), kwi=kwi_text)
            continue
        kwi_known = False
        if not kwi_text:
            reader.add("question_kwi_missing", here.at(column=table.letter("kwi")), text=raw_text)
        elif kwi_text.upper() in codes:
            kwi_text, kwi_known = codes[kwi_text.upper()], True
        else:
            reader.add(
                "question_kwi_unknown",
                here.at(column=table.letter("kwi")),
                kwi=kwi_text,
                suggestion=suggest(kwi_text, codes.values()) or "",
            )
        question_number, ok = _question_number(raw_number)
        if not ok:
            reader.add(
                "question_number_invalid", here.at(column=table.letter("number")), value=_text(raw_number)
            )
        elif question_number is not None:
            if question_number in first_row:
                reader.add(
                    "question_number_duplicate",
                    here.at(column=table.letter("number")),
                    number=question_number,
                    first_row=first_row[question_number],
                )
            else:
                first_row[question_number] = number
        assigned: list[str] = []
        marked: list[str] = []
        for index, initials in matrix:
            value = row[index] if index < len(row) else None
            if _blank(value) or value is False:
                continue
            if is_mark(value):
                assigned.append(initials)
                marked.append(_letter(index))
            else:
                reader.add(
                    "matrix_mark_unknown",
                    here.at(column=_letter(index)),
                    value=_text(value),
                    initials=initials,
                )
        text = replace(raw_text, here.at(column=table.letter("text")))
        result.append(_QuestionRow(number, kwi_text, kwi_known, question_number, text, assigned, marked))
    _number_blanks(result, kwis)
    return result


def _number_blanks(rows: Sequence[_QuestionRow], kwis: Sequence[Kwi]) -> None:
    """Blank numbers become ``<KWI position>.<two digits>``, skipping numbers already in use."""
    position = {k.code: i + 1 for i, k in enumerate(kwis)}
    used = {r.number for r in rows if r.number is not None}
    counters: dict[str, int] = {}
    for row in rows:
        if row.number is not None:
            continue
        prefix = str(position.get(row.kwi_code, 0)) if row.kwi_known else (row.kwi_code or "0")
        while True:
            counters[row.kwi_code] = counters.get(row.kwi_code, 0) + 1
            candidate = f"{prefix}.{counters[row.kwi_code]:02d}"
            if candidate not in used:
                break
        row.number = candidate
        used.add(candidate)


def _read_actions(reader: _Reader, table: _Table, kwis: Sequence[Kwi]) -> list[Action]:
    codes = {k.code.upper(): k.code for k in kwis}
    actions: list[Action] = []
    keys = ("number", "date", "description", "kwi", "owner", "status", "deadline")
    for number, row in reader.data_rows(table, keys):
        here = Location(reader.file, table.name, number)
        kwi_text = _text(table.get(row, "kwi"))
        if kwi_text and kwi_text.upper() in codes:
            kwi_text = codes[kwi_text.upper()]
        elif kwi_text:
            reader.add(
                "action_kwi_unknown",
                here.at(column=table.letter("kwi")),
                kwi=kwi_text,
                suggestion=suggest(kwi_text, codes.values()) or "",
            )
        status_text = _text(table.get(row, "status"))
        status = status_value(status_text) if status_text else ActionStatus.OPEN.value
        if status is None:
            reader.add("action_status_invalid", here.at(column=table.letter("status")), value=status_text)
            status = status_text.casefold()
        dates: dict[str, dt.date | None] = {}
        for key in ("date", "deadline"):
            day, ok = _date(table.get(row, key))
            if not ok:
                reader.add(
                    "action_date_invalid", here.at(column=table.letter(key)), value=_text(table.get(row, key))
                )
            dates[key] = day
        actions.append(
            Action(
                number=_action_number(table.get(row, "number")),
                date=dates["date"],
                description=_text(table.get(row, "description")),
                kwi_code=kwi_text,
                owner=_text(table.get(row, "owner")),
                status=status,
                deadline=dates["deadline"],
                location=here,
            )
        )
    return actions


def _a3_value(value: Any) -> float | str | None:
    if _blank(value):
        return None
    number, ok = _number(value)
    if ok and number is not None:
        return int(number) if number.is_integer() else number
    return _text(value)


def _read_a3(reader: _Reader, table: _Table) -> A3Data:
    blocks: dict[str, list[str]] = {}
    figures: list[A3Figure] = []
    names = [n for table_ in (A3_BLOCKS, A3_FIGURES) for ns in table_.values() for n in ns]
    for number, row in reader.data_rows(table, ("item", "content", "last_year", "this_year")):
        item = _text(table.get(row, "item"))
        if not item:
            continue
        key = normalise_name(item)
        if key in _A3_BLOCK_KEYS:
            content = _text(table.get(row, "content"))
            if content:
                blocks.setdefault(_A3_BLOCK_KEYS[key], []).append(content)
        elif key in _A3_FIGURE_KEYS:
            last = _a3_value(table.get(row, "last_year"))
            this = _a3_value(table.get(row, "this_year"))
            if last is not None or this is not None:
                figures.append(A3Figure(_A3_FIGURE_KEYS[key], last, this))
        else:
            reader.add(
                "a3_item_unknown",
                reader.at(table.name, number, table.letter("item")),
                item=item,
                suggestion=suggest(item, names) or "",
            )
    ordered = {key: "\n".join(blocks[key]) for key in A3_BLOCKS if key in blocks}
    return A3Data(blocks=ordered, figures=tuple(figures))


# ---------------------------------------------------------------------------------------------
# Checks across sheets


def _cross_checks(
    reader: _Reader,
    tables: Mapping[str, _Table],
    respondents: Sequence[Respondent],
    kwis: Sequence[Kwi],
    questions: Sequence[_QuestionRow],
    actions: Sequence[Action],
    standard: Mapping[str, str],
) -> None:
    vragen = tables["questions"]
    matrix_letters = {
        initials: _letter(index)
        for index, initials in ((i, h.strip().upper()) for i, h in vragen.others.items())
        if index > max(vragen.columns.values())
    }
    first_matrix = min(matrix_letters.values(), key=lambda s: (len(s), s), default=None)
    for row in questions:
        here = Location(reader.file, vragen.name, row.row)
        if not row.assigned:
            reader.add(
                "question_unassigned",
                here.at(column=first_matrix or vragen.letter("text")),
                number=row.number,
            )
        elif len(row.assigned) == 1:
            reader.add(
                "question_single_respondent",
                here.at(column=row.marked_columns[0]),
                number=row.number,
                initials=row.assigned[0],
            )
    answering = {initials for row in questions for initials in row.assigned}
    for respondent in respondents:
        if respondent.initials in answering:
            continue
        letter = matrix_letters.get(respondent.initials)
        if letter:
            where = Location(reader.file, vragen.name, vragen.header_row, letter)
        else:
            where = respondent.location.at(column=tables["respondents"].letter("initials"))
        reader.add("respondent_no_questions", where, initials=respondent.initials)

    with_actions = {a.kwi_code for a in actions}
    for kwi in kwis:
        own = [q for q in questions if q.kwi_known and q.kwi_code == kwi.code]
        if not own:
            reader.add(
                "kwi_no_questions", kwi.location.at(column=tables["kwis"].letter("code")), kwi=kwi.code
            )
            continue
        where = Location(reader.file, vragen.name, own[-1].row, vragen.letter("text"))
        if not any(is_standard_active(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["active"])
        if kwi.code in with_actions and not any(is_standard_agreements(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["agreements"])


# ---------------------------------------------------------------------------------------------


def _load(path: Path) -> Any:
    import openpyxl  # imported here: the first use of a workbook pays for it, not `kwm --version`

    where = Location(file=path.name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, data_only=True)
    except Exception as exc:  # any parser failure means a damaged file, never a traceback
        unsafe = type(exc).__module__.startswith("defusedxml")
        raise WorkbookFileError(problem("file_unsafe_xml" if unsafe else "file_corrupt", where)) from exc


def _sheet_values(ws: Any) -> list[tuple[Any, ...]]:
    """The values of ``ws.iter_rows(values_only=True)``, without creating an empty cell for every
    blank position of the used rectangle (most of a base's pre-formatted matrix is blank)."""
    if ws._current_row == 0:  # as iter_rows: a sheet without cells has no rows
        return []
    cells = ws._cells
    columns = range(1, ws.max_column + 1)
    rows: list[tuple[Any, ...]] = []
    for row in range(1, ws.max_row + 1):
        found = [cells.get((row, column)) for column in columns]
        rows.append(tuple(None if cell is None else cell.value for cell in found))
    return rows


@dataclass(frozen=True)
class BaseReading:
    """What reading a base gives: the base (None when it cannot be built), every problem, and the
    language of the base (from ``Taal``, else guessed from the sheet names) for the messages."""

    base: Base | None
    problems: list[Problem]
    language: str


def read_base(path: Path) -> tuple[Base | None, list[Problem]]:
    """Read the base workbook and collect every problem.

    Raises ``WorkbookFileError`` when the file cannot be read as a workbook at all. Returns None as
    the base only when it cannot be built (a required sheet or column is missing).
    """
    reading = read_base_reading(path)
    return reading.base, reading.problems


def read_base_reading(path: Path) -> BaseReading:
    """``read_base`` with the base's language, also when the base cannot be built."""
    from klantwaarde.texts import load_texts

    kind = guard_input(path)
    if kind != "xlsx":
        raise WorkbookFileError(problem("file_not_workbook", Location(file=path.name)))
    workbook = _load(path)
    reader = _Reader(path)
    try:
        sheets = {ws.title: _sheet_values(ws) for ws in workbook.worksheets}
    finally:
        workbook.close()
    found = reader.find_sheets(list(sheets))
    tables: dict[str, _Table] = {}
    complete = all(key in found for key in REQUIRED_SHEETS)
    for key, name in found.items():
        table = reader.table(key, name, sheets[name])
        if table is not None:
            tables[key] = table
        elif key in REQUIRED_SHEETS:
            complete = False

    settings: Settings | None = None
    if "settings" in tables:
        values, where = _read_settings(reader, tables["settings"])
        settings = _build_settings(reader, tables["settings"], values, where)
    language = settings.language if settings else ("en" if reader.english else "nl")
    replace = _Replacer(reader, settings.supplier if settings else "", settings.client if settings else "")
    respondents = _read_respondents(reader, tables["respondents"]) if "respondents" in tables else []
    kwis = _read_kwis(reader, tables["kwis"], respondents, replace) if "kwis" in tables else []
    rows = (
        _read_questions(reader, tables["questions"], respondents, kwis, replace)
        if "questions" in tables
        else []
    )
    actions = _read_actions(reader, tables["actions"], kwis) if "actions" in tables else []
    a3 = _read_a3(reader, tables["a3"]) if "a3" in tables else None
    if "questions" in tables:
        texts = load_texts(language, path.parent)
        standard = {kind: texts(f"standard.{kind}") for kind in ("active", "agreements")}
        _cross_checks(reader, tables, respondents, kwis, rows, actions, standard)

    if not complete or settings is None:
        return BaseReading(None, reader.problems, language)
    questions = tuple(
        Question(
            kwi_code=row.kwi_code,
            number=row.number or "",
            text=row.text,
            assigned=tuple(row.assigned),
            location=Location(reader.file, tables["questions"].name, row.row),
        )
        for row in rows
    )
    base = Base(
        path=path,
        settings=settings,
        respondents=tuple(respondents),
        kwis=tuple(kwis),
        questions=questions,
        actions=tuple(actions),
        a3=a3,
    )
    return BaseReading(base, reader.problems, language)
