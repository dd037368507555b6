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

# code -> severity. Every code has a message in each templates/<lang>.yaml under problems.<code>.
CATALOGUE: dict[str, Severity] = {
    # --- files (any workbook kwm reads or writes) ---
    "file_missing": E,
    "file_not_workbook": E,
    "file_encrypted": E,
    "file_corrupt": E,
    "file_too_large": E,
    "file_unpacks_too_large": E,
    "file_unsafe_xml": E,
    "file_empty": E,
    "output_locked": E,
    "output_exists": E,
    "output_failed": E,
    # --- base workbook (SPEC 3.1) ---
    "sheet_missing": E,
    "header_missing": E,
    "setting_missing": E,
    "setting_invalid": E,
    "setting_unknown": W,
    "period_invalid": E,
    "respondent_initials_missing": E,
    "respondent_name_missing": W,
    "initials_duplicate": E,
    "email_invalid": W,
    "too_many_respondents": W,
    "kwi_code_missing": E,
    "kwi_duplicate": E,
    "kwi_title_missing": W,
    "kwi_target_invalid": E,
    "kwi_contributor_unknown": W,
    "kwi_no_questions": W,
    "kwi_standard_missing": W,
    "question_kwi_missing": E,
    "question_kwi_unknown": E,
    "question_number_duplicate": E,
    "question_number_invalid": E,
    "question_text_missing": E,
    "question_unassigned": W,
    "question_single_respondent": W,
    "placeholder_unknown": W,
    "matrix_column_unknown": E,
    "matrix_mark_unknown": W,
    "respondent_no_questions": W,
    "action_kwi_unknown": E,
    "action_status_invalid": W,
    "action_date_invalid": W,
    "sheet_empty": E,
    "sheet_ignored": W,
    "column_ignored": W,
    "a3_item_unknown": W,
    # --- generate ---
    "respondent_skipped_no_questions": W,
    "respondent_no_email": W,
    # --- returned questionnaires (SPEC 3.3) ---
    "form_structure": E,
    "form_header_missing": E,
    "form_too_large": E,
    "form_no_identity": E,
    "form_identity_fallback": W,
    "form_other_client": E,
    "form_other_period": E,
    "form_respondent_unknown": E,
    "form_duplicate_ignored": W,
    "form_question_unknown": E,
    "form_question_unassigned": W,
    "form_question_duplicate": W,
    "form_grade_invalid": E,
    "form_relevance_invalid": E,
    "form_nps_invalid": E,
    "form_anonymous_invalid": W,
    "form_empty": W,
    "form_macros_ignored": W,
    "nothing_returned": E,
    "history_unreadable": W,
    # --- a3 account plan ---
    "a3_monitor_unreadable": W,
    "a3_monitor_empty": W,
    "a3_monitor_other_client": W,
    # --- next cycle ---
    "period_not_later": E,
    "period_has_returns": E,
    "archive_copy_failed": E,
    "archive_differs": E,
    "next_period_invalid": E,
    "next_base_is_archive": E,
    "next_base_changed": E,
    "remind_form_missing": W,
    "remind_no_email": W,
}


@dataclass(frozen=True)
class Problem:
    code: str
    location: Location = field(default_factory=Location)
    context: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:
            raise KeyError(f"problem code {self.code!r} is not in the catalogue")

    def map_text(self, change: Callable[[str], str]) -> Problem:
        """The same problem with ``change`` applied to its file name and every text in its context."""
        location = replace(self.location, file=change(self.location.file))
        context = {k: change(v) if isinstance(v, str) else v for k, v in self.context.items()}
        return Problem(self.code, location, context)

    @property
    def severity(self) -> Severity:
        return CATALOGUE[self.code]

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
