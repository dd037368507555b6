"""The base format (SPEC 3.1): the names a base workbook is read by, the counterpart of
``contract.py`` for returned forms. Standard library only.

Sheet, header and setting names are part of the file format (Dutch defaults, English aliases), so
they are constants here and not templates: an organisation may reword instructions, but a base must
stay readable whatever texts made it. Names are (Dutch, English, further aliases...) and compare
as ``normalise_name`` does: ignoring case, spaces, hyphens, dots, underscores and apostrophes.
The base writer (``workbook/template.py``), the reader (``reading/``) and the next base
(``workbook/next_base.py``) all use these names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from klantwaarde.contract import SPECIAL_KEYS
from klantwaarde.model import ActionStatus
from klantwaarde.normalise import normalise_name, text

SHEETS: dict[str, tuple[str, ...]] = {
    "settings": ("Instellingen", "Settings"),
    "respondents": ("Respondenten", "Respondents"),
    "kwis": ("KWI's", "KWIs"),
    "questions": ("Vragen", "Questions"),
    "actions": ("Acties", "Actions", "Actielijst", "Action list"),
    "a3": ("A3", "A3"),
    "team": ("Team", "Team", "Accountteam", "Account team"),  # optional: the supplier's account team
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
        Header("internal_note", ("Interne notitie", "Internal note", "Interne notities", "Internal notes")),
        Header("language", ("Taal", "Language")),
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
    "team": (
        Header("initials", ("Initialen", "Initials"), True),
        Header("name", ("Naam", "Name")),
        Header("email", ("E-mail", "E-mail", "E-mailadres", "E-mail address", "Mail")),
        Header("role", ("Rol", "Role", "Functie", "Function")),
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
    "anonymity_threshold": ("Anonimiteitsdrempel", "Anonymity threshold"),
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
HEADER_SCAN_ROWS = 10  # the header row of a sheet is one of its first rows (a title may come first)
SPECIAL_NUMBERS = SPECIAL_KEYS  # a question number may not be a key of the form's special rows

# Several owners in one Voor cell: "RM, JS", "RM/JS", "RM & JS", "RM en JS".
OWNER_SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\s(?:en|and)\s)\s*", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{\s*([^{}\s]+)\s*\}")
EMAIL = re.compile(r"^[^@\s<>,;\"']+@[^@\s<>,;\"']+\.[A-Za-z]{2,}$")
# Klantcode and Periode name folders and files: at most 20 letters, digits, '-' and '_' (SPEC 3.1),
# beginning with a letter or digit (a leading '-' would read as an option on a command line).
MAX_CODE_LENGTH = 20
SAFE_PERIOD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
SAFE_CODE = SAFE_PERIOD
MAX_WEIGHT = 100.0  # a relevance weight is > 0 and at most this
MIN_THRESHOLD = 2  # the Anonimiteitsdrempel k is a whole number of at least 2

# The standard statements (SPEC 1), recognised tolerantly in Dutch and English after the
# placeholders have been replaced: a question of the KWI that mentions "KWI" and one of the words.
_ACTIVE_WORDS = {"actief", "actieve", "active", "actively"}
_AGREEMENT_WORDS = {"afspraak", "afspraken", "agreement", "agreements", "commitments"}


def lookup(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    """Every name of ``table`` (as ``normalise_name`` gives it) -> its key."""
    return {normalise_name(name): key for key, names in table.items() for name in names}


_SHEET_KEYS = lookup(SHEETS)
SETTING_KEYS = lookup(SETTINGS)
A3_BLOCK_KEYS = lookup(A3_BLOCKS)
A3_FIGURE_KEYS = lookup(A3_FIGURES)
_STATUS_KEYS = lookup(STATUSES)
_MARKS = {normalise_name(m) for m in MARKS}


def sheet_key(name: str) -> str | None:
    """``"KWI's"`` / ``"kwis"`` -> ``"kwis"``; None when not a sheet of the format."""
    return _SHEET_KEYS.get(normalise_name(name))


def setting_key(name: str) -> str | None:
    """``"Weging meer"`` / ``"weight more"`` -> ``"weight_more"``; None when not a setting."""
    return SETTING_KEYS.get(normalise_name(name))


def a3_key(item: str) -> str | None:
    """An A3 item name (either language) -> its block or figure key."""
    key = normalise_name(item)
    return A3_BLOCK_KEYS.get(key) or A3_FIGURE_KEYS.get(key)


def status_value(typed: str) -> str | None:
    """An action status as typed (``Done``, ``in progress``) -> ``gereed``/``lopend``/``open``."""
    return _STATUS_KEYS.get(normalise_name(typed))


def language_value(typed: str) -> str | None:
    """``Engels`` / ``EN`` -> ``en``; None when not a language kwm speaks."""
    return LANGUAGES.get(normalise_name(typed))


_ADDRESS = re.compile(r"[^@\s<>,;\"']+@[^@\s<>,;\"']+")  # something@something


def several_addresses(typed: str) -> bool:
    """Whether an e-mail cell holds more than one address (``a@x.nl; b@y.nl``): one person each."""
    return len(_ADDRESS.findall(typed)) > 1


def is_mark(value: object) -> bool:
    """An assignment mark (``x``, ``ja``, ``✓``, TRUE...): this respondent answers this question."""
    return value is not None and value is not False and normalise_name(text(value)) in _MARKS


def is_standard_active(statement: str) -> bool:
    words = set(re.findall(r"\w+", statement.casefold()))
    return "kwi" in words and bool(words & _ACTIVE_WORDS)


def is_standard_agreements(statement: str) -> bool:
    words = set(re.findall(r"\w+", statement.casefold()))
    return "kwi" in words and bool(words & _AGREEMENT_WORDS)


__all__ = [
    "A3_BLOCKS",
    "A3_BLOCK_KEYS",
    "A3_FIGURES",
    "A3_FIGURE_KEYS",
    "EMAIL",
    "HEADERS",
    "HEADER_SCAN_ROWS",
    "LANGUAGES",
    "MARKS",
    "MAX_CODE_LENGTH",
    "MAX_RESPONDENTS",
    "MAX_WEIGHT",
    "MIN_THRESHOLD",
    "OWNER_SEPARATORS",
    "PLACEHOLDER",
    "PLACEHOLDERS",
    "REQUIRED_SETTINGS",
    "REQUIRED_SHEETS",
    "SAFE_CODE",
    "SAFE_PERIOD",
    "SETTINGS",
    "SETTING_KEYS",
    "SHEETS",
    "SPECIAL_NUMBERS",
    "STATUSES",
    "Header",
    "a3_key",
    "is_mark",
    "is_standard_active",
    "is_standard_agreements",
    "language_value",
    "lookup",
    "normalise_name",
    "setting_key",
    "several_addresses",
    "sheet_key",
    "status_value",
]
