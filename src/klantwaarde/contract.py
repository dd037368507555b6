"""The questionnaire fill contract (SPEC 3.2): the names other programs and our reader rely on.

These are deliberately constants, not templates: an organisation may reword instructions, but a
returned form must stay readable whatever texts it was made with. Standard library only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

FORM_VERSION = "1"

# The answer sheet, by language. The reader accepts either name.
QUESTIONNAIRE_SHEET = {"nl": "Vragenlijst", "en": "Questionnaire"}

# Header row of the answer sheet: logical column -> (Dutch, English) header text.
HEADERS = {
    "key": ("Sleutel", "Key"),
    "number": ("Nr", "No."),
    "question": ("Vraag", "Question"),
    "grade": ("Cijfer", "Score"),
    "relevance": ("Relevantie", "Relevance"),
}

# Keys of the non-question rows; question rows carry their number ("1.02") as key.
KEY_NPS = "nps"
KEY_ANONYMOUS = "anonymous"
KEY_REMARK = "remark"
SPECIAL_KEYS = (KEY_NPS, KEY_ANONYMOUS, KEY_REMARK)

# Hidden identity sheet: rows of (key, value) as text in columns A and B, from row 1, no header.
IDENTITY_SHEET = "_kwm"
IDENTITY_KEYS = ("client_code", "period", "initials", "form_version", "fingerprint", "form_id")
# The same values as string custom document properties, named "kwm_" + key.
PROPERTY_PREFIX = "kwm_"

# Title block (rows above the header row): a label cell followed, in a cell to its right, by the
# value. Used only as a fallback when the identity sheet is gone. The respondent value ends in the
# initials in parentheses: "Kees Klant (KK)".
TITLE_LABELS = {
    "client_code": ("Klantcode", "Client code"),
    "period": ("Periode", "Period"),
    "respondent": ("Respondent", "Respondent"),
}

# Anonymity answer values.
YES_WORDS = ("ja", "yes", "j", "y", "true", "1")
NO_WORDS = ("nee", "no", "n", "false", "0")


def fingerprint(question_numbers: Iterable[str]) -> str:
    """A short, stable fingerprint of a respondent's question set (order-independent)."""
    joined = "\n".join(sorted(question_numbers))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
