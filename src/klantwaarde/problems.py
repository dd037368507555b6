"""The problem catalogue: every problem kwm can report, with its severity.

Messages live in ``templates/<lang>.yaml`` under ``problems.<code>``; a problem carries its code,
severity, location and the context values the message template needs. Checks *collect* problems
and never stop at the first; the command line only renders them. Standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from klantwaarde.model import Location


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


E, W = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Entry:
    """One kind of problem: its severity and the context fields it carries.

    ``fields`` must all be given when the problem is raised; ``optional`` may be. A message template
    (``problems.<code>`` in templates/<lang>.yaml) may use the fields plus ``file``, ``sheet`` and
    ``cell`` of the location; ``suggestion`` is never in a template, it becomes "Bedoelde u ...?".
    Declaring them here makes a problem raised with a missing or misspelt field fail at once
    (tests/test_catalogue.py checks the templates against the declarations).
    """

    severity: Severity
    fields: frozenset[str]
    optional: frozenset[str] = frozenset()

    @property
    def allowed(self) -> frozenset[str]:
        return self.fields | self.optional


def _entry(severity: Severity, fields: str = "", optional: str = "") -> Entry:
    return Entry(severity, frozenset(fields.split()), frozenset(optional.split()))


# Context always allowed: where the problem is shown ``location`` fills file/sheet/cell itself.
LOCATION_FIELDS = frozenset({"file", "sheet", "cell"})
_S = "suggestion"

# code -> entry. Every code has a message in each templates/<lang>.yaml under problems.<code>.
CATALOGUE: dict[str, Entry] = {
    # --- returns by e-mail, the cycle's calendar, the account team (SPEC 3.9) ---
    "mail_too_large": _entry(E, "size_mb limit_mb"),
    "mail_unreadable": _entry(E),
    "mail_no_form": _entry(E, "attachments"),
    "mail_no_attachment": _entry(E),
    "mail_form_too_deep": _entry(W, "names"),
    "mail_sender_other": _entry(W, "sender initials email"),
    "mail_form_copy": _entry(W, "kept"),
    "remind_team_missing": _entry(W),
    "remind_owner_unknown": _entry(W, "owner numbers"),
    "remind_team_no_email": _entry(W, "member"),
    "remind_action_no_owner": _entry(W, "numbers"),
    "deadline_after_session": _entry(W, "deadline session"),
    "session_near_missing": _entry(W, "session days initials"),
    "plan_no_session": _entry(W),
    "plan_no_deadline": _entry(W),
    "plan_actions_no_deadline": _entry(W, "numbers"),
    "plan_nothing": _entry(E),
    "team_initials_missing": _entry(W, "name"),
    "team_initials_duplicate": _entry(W, "initials first_row"),
    "team_email_multiple": _entry(W, "email"),
    "action_owner_not_in_team": _entry(W, "owner number", _S),
    # --- the session deck (kwm sessie, SPEC 3.7) ---
    "deck_no_monitor": _entry(E, "path period command"),
    "deck_monitor_unreadable": _entry(E, "path reason"),
    "deck_monitor_old": _entry(E, "path command"),
    "deck_monitor_other_client": _entry(E, "found expected"),
    "deck_template_unusable": _entry(W, "reason"),
    "deck_pdf_no_soffice": _entry(W, "command"),
    "deck_pdf_failed": _entry(W, "reason"),
    "deck_out_not_pptx": _entry(E, "path"),
    # --- portfolio (kwm portfolio, SPEC 3.8): one line per client folder that could not be used ---
    "portfolio_folder_missing": _entry(E, "path"),
    "portfolio_no_clients": _entry(E, "folder"),
    "portfolio_in_client_folder": _entry(E, "path folder"),
    "portfolio_output_client_name": _entry(E, "path"),
    "portfolio_no_monitor": _entry(W, "client"),
    "portfolio_monitor_unreadable": _entry(W, "monitor reason"),
    "portfolio_monitor_older": _entry(W, "monitor reason period"),
    "portfolio_monitor_incomplete": _entry(W, "monitor"),
    "portfolio_base_errors": _entry(W, "client errors"),
    "portfolio_base_unreadable": _entry(W, "reason"),
    "portfolio_duplicate": _entry(W, "code kept"),
    # --- files (any workbook kwm reads or writes) ---
    "file_missing": _entry(E, "path"),
    "file_not_workbook": _entry(E),
    "file_encrypted": _entry(E),
    "file_corrupt": _entry(E),
    "file_too_large": _entry(E, "size_mb limit_mb"),
    "file_unpacks_too_large": _entry(E, "limit_mb"),
    "file_unsafe_xml": _entry(E, optional="member"),
    "sheet_too_large": _entry(E, "rows columns"),
    "file_empty": _entry(E),
    "file_unreadable": _entry(E, "reason"),
    "output_locked": _entry(E, "path"),
    # --- an organisation's own texts (templates/<lang>.yaml beside the base) ---
    "template_unreadable": _entry(E, "reason"),
    "template_invalid": _entry(E),
    "template_wrong_type": _entry(E, "key expected"),
    "template_unknown_key": _entry(E, "key"),
    "template_placeholder": _entry(E, "key placeholder"),
    "output_exists": _entry(E, "path"),
    "output_failed": _entry(E, "path reason"),
    "output_is_base": _entry(E, "path"),
    "output_not_file": _entry(E, "path"),
    "output_in_answers": _entry(E, "path"),
    "output_client_name": _entry(E, "path"),
    # --- base workbook (SPEC 3.1) ---
    "sheet_missing": _entry(E, "expected", _S),
    "header_missing": _entry(E, "header", _S),
    "setting_missing": _entry(E, "setting"),
    "setting_invalid": _entry(E, "setting value example"),
    "setting_unknown": _entry(W, "setting", _S),
    "period_invalid": _entry(E, "setting value example"),
    "setting_date_past": _entry(W, "setting date"),
    "base_open": _entry(W, "path"),
    "respondent_initials_missing": _entry(E, "name"),
    "respondent_name_missing": _entry(W, "initials"),
    "initials_duplicate": _entry(E, "initials first_row"),
    "email_invalid": _entry(W, "email"),
    "email_several": _entry(E, "email initials"),
    "respondent_language_invalid": _entry(W, "value initials"),
    "too_many_respondents": _entry(W, "count maximum"),
    "kwi_code_missing": _entry(E, "title"),
    "kwi_duplicate": _entry(E, "kwi first_row"),
    "kwi_title_missing": _entry(W, "kwi"),
    "kwi_target_invalid": _entry(E, "kwi value"),
    "kwi_contributor_unknown": _entry(W, "kwi initials", _S),
    "kwi_no_questions": _entry(W, "kwi"),
    "kwi_standard_missing": _entry(W, "kwi statement"),
    "question_kwi_missing": _entry(E, "text"),
    "question_kwi_unknown": _entry(E, "kwi", _S),
    "question_number_duplicate": _entry(E, "number first_row"),
    "question_number_invalid": _entry(E, "value"),
    "question_text_missing": _entry(E, optional="kwi"),
    "question_unassigned": _entry(W, "number"),
    "question_few_respondents": _entry(W, "number initials count k"),
    "kwi_few_respondents": _entry(W, "kwi initials count k"),
    "respondents_below_threshold": _entry(W, "count k"),
    "placeholder_unknown": _entry(W, "placeholder", _S),
    "matrix_column_unknown": _entry(E, "initials", _S),
    "matrix_mark_unknown": _entry(W, "value initials"),
    "respondent_no_questions": _entry(W, "initials"),
    "action_kwi_unknown": _entry(E, "kwi", _S),
    "action_status_invalid": _entry(W, "value"),
    "action_date_invalid": _entry(W, "value"),
    "sheet_empty": _entry(E),
    "sheet_ignored": _entry(W, "name", f"expected {_S}"),
    "column_ignored": _entry(W, "header", f"expected {_S}"),
    "a3_item_unknown": _entry(W, "item", _S),
    "base_formula_without_value": _entry(E, "formula"),
    "base_hidden_rows": _entry(W, "rows"),
    "base_hidden_columns": _entry(W, "columns"),
    # --- generate ---
    "respondent_skipped_no_questions": _entry(W, "respondent initials"),
    "respondent_no_email": _entry(W, "respondent"),
    "mail_address_invalid": _entry(W, "respondent email"),
    # --- returned questionnaires (SPEC 3.3) ---
    "form_structure": _entry(E, "sheets"),
    "form_header_missing": _entry(E, "headers"),
    "form_too_large": _entry(E, "rows columns"),
    "form_no_identity": _entry(E),
    "form_identity_fallback": _entry(W, "initials client_code period"),
    "form_other_client": _entry(E, "found expected"),
    "form_other_period": _entry(E, "found expected"),
    "form_respondent_unknown": _entry(E, "initials"),
    "form_duplicate_ignored": _entry(W, "initials kept kept_saved saved"),
    "form_not_issued": _entry(E, "initials"),
    "form_questions_changed": _entry(W, "initials numbers"),
    "register_missing": _entry(W),
    "register_unreadable": _entry(W, "reason"),
    "register_line_invalid": _entry(W),
    "form_question_unknown": _entry(E, "number"),
    "form_question_unassigned": _entry(W, "number initials"),
    "form_question_duplicate": _entry(W, "number first"),
    "form_grade_invalid": _entry(E, "number value"),
    "form_relevance_invalid": _entry(W, "number value"),
    "form_number_mismatch": _entry(E, "number shown"),
    "form_remark_cut": _entry(W, "length limit"),
    "form_external_link": _entry(W, "formula"),
    "form_nps_invalid": _entry(E, "value"),
    "form_anonymous_invalid": _entry(W, "value"),
    "form_empty": _entry(W, "initials"),
    "form_macros_ignored": _entry(W),
    "form_saved_implausible": _entry(W, "saved"),
    "file_pdf": _entry(E),
    "entry_link": _entry(W),
    "entry_folder": _entry(W),
    "entry_special": _entry(W),
    "folder_unreadable": _entry(E, "reason"),
    "nothing_returned": _entry(E, "folder"),
    "history_unreadable": _entry(W, "path", "cause"),
    "history_not_period_folder": _entry(W, "path"),
    # --- a3 account plan ---
    "a3_monitor_unreadable": _entry(W, "reason", "path"),
    "a3_monitor_empty": _entry(W, "path"),
    "a3_monitor_other_client": _entry(W, "found expected"),
    # --- next cycle ---
    "period_not_later": _entry(E, "period current"),
    "period_has_returns": _entry(E, "period folder n"),
    "archive_copy_failed": _entry(E, "path"),
    "archive_differs": _entry(E, "path"),
    "next_period_invalid": _entry(E, "period"),
    "next_base_is_archive": _entry(E, "period", "path"),
    "next_base_changed": _entry(E, "path"),
    "remind_form_missing": _entry(W, "respondent folder", "initials"),
    "remind_no_email": _entry(W, "respondent"),
}


class ProblemFieldsError(TypeError):
    """A problem raised with context fields its catalogue entry does not declare, or without
    those it requires: a programming error, caught by the tests, never a user's mistake."""


@dataclass(frozen=True)
class Problem:
    code: str
    location: Location = field(default_factory=Location)
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        entry = CATALOGUE.get(self.code)
        if entry is None:
            raise KeyError(f"problem code {self.code!r} is not in the catalogue")
        given = set(self.context)
        missing, unknown = entry.fields - given, given - entry.allowed
        if missing or unknown:
            raise ProblemFieldsError(
                f"problem {self.code!r}: missing fields {sorted(missing)}, unknown fields {sorted(unknown)}"
            )

    def map_text(self, change: Callable[[str], str]) -> Problem:
        """The same problem with ``change`` applied to its file name and every text in its context."""
        location = replace(self.location, file=change(self.location.file))
        context = {k: change(v) if isinstance(v, str) else v for k, v in self.context.items()}
        return Problem(self.code, location, context)

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code].severity

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def problem(code: str, location: Location | None = None, /, **context: Any) -> Problem:
    return Problem(code, location or Location(), context)


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.is_error for p in problems)


class KwmError(Exception):
    """Work stopped by input problems. Carries the problems; the CLI renders them and exits 1."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = list(problems)
        super().__init__(", ".join(p.code for p in self.problems))


class WorkbookFileError(KwmError):
    """A file that cannot be read as a workbook at all (missing, encrypted, corrupt, too large...)."""

    def __init__(self, found: Problem):
        super().__init__([found])
        self.problem = found
