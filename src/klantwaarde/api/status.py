"""``kwm status``: who has returned a questionnaire, who has not, and how complete each one is.

Reads the returned forms through ``collect_forms`` — the same reading as ``kwm process`` — so
status never disagrees with the monitor about what counts. Changes nothing.

A respondent has *returned* when one of their files counts (a valid form, possibly with problems
in single answers: those are shown, the rest of the form counts). A refused file (another period,
another client) or an older duplicate is shown with its problems but does not count.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location, Respondent
from klantwaarde.pipeline.base import load_base
from klantwaarde.pipeline.collect import FileOutcome, FileStatus, collect_forms
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.results import envelope, path_text
from klantwaarde.texts import LANGUAGES, Texts, load_texts, problem_record


@dataclass(frozen=True)
class RespondentStatus:
    respondent: Respondent
    asked: int  # questions assigned to them in the base
    form: Path | None  # their generated questionnaire, when there is one
    file: Path | None  # the returned file that counts, else the latest file of theirs that does not
    saved_at: dt.datetime | None
    returned: bool  # a file of theirs counts
    answered: int  # answers that count
    problems: tuple[Problem, ...] = ()  # of every file of theirs
    files: tuple[Path, ...] = ()  # every file of theirs that was read
    counted_problems: tuple[Problem, ...] = ()  # of the file that counts

    @property
    def initials(self) -> str:
        return self.respondent.initials

    @property
    def generated(self) -> bool:
        return self.form is not None

    @property
    def expected(self) -> bool:
        """Whether a questionnaire is expected at all: a respondent without questions gets none."""
        return self.asked > 0

    @property
    def valid(self) -> bool:
        """Returned, and not one answer of the form that counts had to be left out (an older copy
        or a form of theirs that does not count says nothing about the one that does)."""
        return self.returned and not any(p.is_error for p in self.counted_problems)


@dataclass(frozen=True)
class StatusResult:
    base: Base
    today: dt.date
    forms_dir: Path
    sources: tuple[Path, ...]
    respondents: tuple[RespondentStatus, ...]
    other_files: tuple[FileOutcome, ...]  # files that belong to no respondent of the base
    problems: tuple[Problem, ...]  # the base's warnings, then every file's problems

    @property
    def period(self) -> str:
        return self.base.settings.period

    @property
    def deadline(self) -> dt.date | None:
        return self.base.settings.deadline

    @property
    def days_left(self) -> int | None:
        """Days until the deadline (0: today; negative: passed); None without a deadline."""
        return (self.deadline - self.today).days if self.deadline else None

    @property
    def returned(self) -> list[str]:
        return [r.initials for r in self.respondents if r.returned]

    @property
    def missing(self) -> list[str]:
        return [r.initials for r in self.respondents if r.expected and not r.returned]

    @property
    def asked(self) -> int:
        """Respondents who were asked (who have questions): the denominator of the response."""
        return sum(1 for r in self.respondents if r.expected)

    @property
    def response_rate(self) -> float | None:
        return len(self.returned) / self.asked if self.asked else None

    def to_json(self, texts: Texts) -> dict[str, Any]:
        return envelope(_status_payload(self, texts), self.problems, texts)


def status(
    base_path: Path,
    answers: Sequence[Path] | None = None,
    now: dt.date | None = None,
) -> StatusResult:
    """The state of the period's questionnaires. Raises KwmError when the base has errors or a
    given answers path does not exist; problems in returned files are part of the result."""
    base, base_problems = load_base(Path(base_path))
    return status_of(base, base_problems, answers, now)


def status_of(
    base: Base,
    base_problems: Sequence[Problem] = (),
    answers: Sequence[Path] | None = None,
    now: dt.date | None = None,
) -> StatusResult:
    """``status`` for a base that is already read and checked (``kwm remind`` uses it too)."""
    layout = CycleLayout.of(base)
    today = now.date() if isinstance(now, dt.datetime) else (now or dt.date.today())
    if answers:
        sources = [Path(p) for p in answers]
        missing = [p for p in sources if not p.exists()]
        if missing:
            raise KwmError([problem("file_missing", Location(file=p.name), path=str(p)) for p in missing])
    else:
        # Before anyone answers the default folder may not exist yet: then nothing came back.
        default = layout.returned_dir
        sources = [default] if default.is_dir() else []
    collection = collect_forms(base, sources)
    forms_dir = layout.forms_dir

    known = {r.initials for r in base.respondents}
    rows = []
    for respondent in base.respondents:
        outcomes = [f for f in collection.files if f.initials == respondent.initials]
        counted = next((f for f in outcomes if f.status is FileStatus.VALID), None)
        shown = counted or _latest(outcomes)
        rows.append(
            RespondentStatus(
                respondent=respondent,
                asked=len(base.questions_for(respondent.initials)),
                form=generated_form(base, respondent, forms_dir),
                file=shown.path if shown else None,
                saved_at=shown.saved_at if shown else None,
                returned=counted is not None,
                answered=counted.answered if counted else 0,
                problems=tuple(p for f in outcomes for p in f.problems),
                files=tuple(f.path for f in outcomes),
                counted_problems=counted.problems if counted else (),
            )
        )
    # files of nobody here; system files (Thumbs.db, lock files) only when something is wrong with them
    others = tuple(
        f
        for f in collection.files
        if f.initials not in known and (f.status is not FileStatus.SKIPPED or f.problems)
    )
    return StatusResult(
        base=base,
        today=today,
        forms_dir=forms_dir,
        sources=tuple(sources),
        respondents=tuple(rows),
        other_files=others,
        problems=(
            *base_problems,
            *_session_near(base, rows, today),
            *collection.register_problems,
            *collection.problems,
        ),
    )


SESSION_NEAR_DAYS = 14  # the book: send the questionnaires again about two weeks before the session


def _session_near(base: Base, rows: Sequence[RespondentStatus], today: dt.date) -> list[Problem]:
    """A warning when the session is two weeks away or closer and forms are still missing (SPEC 3.9)."""
    session = base.settings.session_date
    missing = [r.initials for r in rows if r.expected and not r.returned]
    if session is None or not missing or not 0 <= (session - today).days <= SESSION_NEAR_DAYS:
        return []
    shown = (
        session.isoformat()
        if base.settings.language == "en"
        else f"{session.day}-{session.month}-{session.year}"
    )
    return [
        problem(
            "session_near_missing",
            base.settings.location,
            session=shown,
            days=(session - today).days,
            initials=missing,
        )
    ]


def _latest(outcomes: Sequence[FileOutcome]) -> FileOutcome | None:
    if not outcomes:
        return None
    return max(outcomes, key=lambda f: (f.saved_at is not None, _naive(f.saved_at), f.path.name))


def _naive(moment: dt.datetime | None) -> dt.datetime:
    if moment is None:
        return dt.datetime.min
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


def generated_form(base: Base, respondent: Respondent, folder: Path) -> Path | None:
    """The respondent's questionnaire as ``kwm generate`` named it (in either language), else a
    workbook in the folder whose name ends in their initials, ``… (KK).xlsx`` (renamed, numbered)."""
    if not folder.is_dir():
        return None
    layout = CycleLayout.of(base)
    for lang in dict.fromkeys((base.settings.language, *LANGUAGES)):
        expected = layout.form_path(respondent, load_texts(lang, layout.templates_dir), folder=folder)
        if expected.is_file():
            return expected
    ending = re.compile(r"\(" + re.escape(respondent.initials) + r"\)(?: \d+)?$", re.IGNORECASE)
    found = [
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() == ".xlsx"
        and not p.name.startswith(("~$", "."))
        and ending.search(p.stem)
    ]
    return max(found, key=lambda p: (p.stat().st_mtime, p.name)) if found else None


def _status_payload(result: StatusResult, texts: Texts) -> dict[str, Any]:
    """What ``kwm status --json`` prints besides the problems (for the account manager: initials
    are fine here)."""
    settings = result.base.settings
    return {
        "client": settings.client,
        "client_code": settings.client_code,
        "period": settings.period,
        "deadline": settings.deadline.isoformat() if settings.deadline else None,
        "days_left": result.days_left,
        "returned": result.returned,
        "missing": result.missing,
        "asked": result.asked,
        "response_rate": result.response_rate,
        "respondents": [
            {
                "initials": r.initials,
                "name": r.respondent.name,
                "email": r.respondent.email,
                "asked": r.asked,
                "generated": r.generated,
                "form": path_text(r.form),
                "returned": r.returned,
                "valid": r.valid,
                "file": path_text(r.file),
                "saved_at": r.saved_at.isoformat() if r.saved_at else None,
                "answered": r.answered,
                "problems": [problem_record(p, texts) for p in r.problems],
            }
            for r in result.respondents
        ],
        "other_files": [
            {
                "file": str(f.path),
                "status": f.status.value,
                "problems": [problem_record(p, texts) for p in f.problems],
            }
            for f in result.other_files
        ],
    }
