"""The collecting stage: the returned questionnaires of one period, checked against the base
(SPEC 3.3).

The one code path behind ``kwm process`` and ``kwm status``: every file is read on its own (one at
a time, only its answers kept), a file that cannot be used becomes problems naming it, and the run
goes on with the others. Every answer that counts carries its base ``Question``, so scoring never
looks a question up again under other rules. Never prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from klantwaarde import normalise
from klantwaarde.model import Answer, Base, Form, Location, Question
from klantwaarde.problems import Problem, problem
from klantwaarde.workbook.returned import read_form

IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


class FileStatus(StrEnum):
    VALID = "valid"  # its answers count
    IGNORED = "ignored"  # readable and of this period, but not used (an older duplicate, empty)
    REFUSED = "refused"  # a readable workbook that is not a usable form for this base
    UNREADABLE = "unreadable"  # not a workbook kwm can (or may) read


@dataclass(frozen=True)
class FileOutcome:
    """What became of one file: for ``kwm status`` and the monitor's list of files."""

    path: Path
    status: FileStatus
    initials: str | None = None  # the respondent the form belongs to, when known
    saved_at: dt.datetime | None = None
    problems: tuple[Problem, ...] = ()
    answered: int = 0  # answers that count (questions the base knows)
    asked: int = 0  # questions assigned to the respondent in the base


@dataclass
class Collection:
    forms: list[Form] = field(default_factory=list)  # valid, at most one per respondent, base order
    problems: list[Problem] = field(default_factory=list)  # every file's problems, in file order
    files: list[FileOutcome] = field(default_factory=list)  # one per file, in the order given

    def form_of(self, initials: str) -> Form | None:
        key = initials.strip().upper()
        return next((f for f in self.forms if f.identity.initials == key), None)

    @property
    def returned(self) -> set[str]:
        """Initials of the respondents with a valid form."""
        return {f.identity.initials for f in self.forms}


def _skipped(path: Path) -> bool:
    name = path.name
    return name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES


def answer_files(sources: Sequence[Path]) -> list[Path]:
    """The files to read: every regular file directly in a folder (sorted by name; hidden files,
    Excel lock files ``~$*``, ``Thumbs.db`` and ``desktop.ini`` skipped), files as given. A path
    that does not exist is kept, so reading it reports it. Each file once."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            entries = sorted(source.iterdir(), key=lambda p: p.name.lower())
            files += [p for p in entries if p.is_file() and not p.is_symlink() and not _skipped(p)]
        else:
            files.append(source)
    unique: dict[Path, Path] = {}
    for path in files:
        unique.setdefault(path.resolve(), path)
    return list(unique.values())


# ---------------------------------------------------------------------------------------------


@dataclass
class _Read:
    """One file while collecting: its outcome so far and its form when usable."""

    path: Path
    status: FileStatus
    form: Form | None = None
    problems: list[Problem] = field(default_factory=list)
    asked: int = 0


def collect_forms(
    base: Base,
    sources: Sequence[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Collection:
    """Read every returned form in ``sources`` (folders and/or files) and check it against ``base``.

    ``progress(done, total)`` is called after each file.
    """
    files = answer_files(sources)
    reads: list[_Read] = []
    for done, path in enumerate(files, start=1):
        form, problems = read_form(path)
        reads.append(_check(base, path, form, problems))
        if progress is not None:
            progress(done, len(files))
    _resolve_duplicates(reads)

    collection = Collection()
    order = {r.initials: i for i, r in enumerate(base.respondents)}
    valid = [r.form for r in reads if r.status is FileStatus.VALID and r.form is not None]
    collection.forms = sorted(valid, key=lambda f: order.get(f.identity.initials, len(order)))
    for read in reads:
        collection.problems += read.problems
        form = read.form
        # A form of another client names someone else's respondent: it belongs to nobody here.
        foreign = any(p.code == "form_other_client" for p in read.problems)
        collection.files.append(
            FileOutcome(
                path=read.path,
                status=read.status,
                initials=form.identity.initials if form and not foreign else None,
                saved_at=form.saved_at if form else None,
                problems=tuple(read.problems),
                answered=len(form.answers) if form and read.status is not FileStatus.REFUSED else 0,
                asked=read.asked,
            )
        )
    return collection


def _check(base: Base, path: Path, form: Form | None, problems: list[Problem]) -> _Read:
    if form is None:
        readable = any(p.code.startswith("form_") for p in problems)
        return _Read(path, FileStatus.REFUSED if readable else FileStatus.UNREADABLE, None, problems)
    where = Location(file=path.name, sheet=form.location.sheet)
    identity, settings = form.identity, base.settings
    refused: Problem | None = None
    if identity.client_code.strip().upper() != settings.client_code.strip().upper():
        refused = problem(
            "form_other_client", where, found=identity.client_code, expected=settings.client_code
        )
    elif identity.period.strip().upper() != settings.period.strip().upper():
        refused = problem("form_other_period", where, found=identity.period, expected=settings.period)
    elif base.respondent(identity.initials) is None:
        refused = problem("form_respondent_unknown", where, initials=identity.initials)
    if refused is not None:
        # Keep who it claims to be, so the status can say whose form was refused.
        return _Read(path, FileStatus.REFUSED, form, [*problems, refused])

    asked = len(base.questions_for(identity.initials))
    kept, answer_problems = _answers_for_base(base, form)
    form = dataclasses.replace(form, answers=tuple(kept))
    problems = [*problems, *answer_problems]
    if not form.answers and form.nps is None and not form.remark:
        problems.append(problem("form_empty", where, initials=identity.initials))
        return _Read(path, FileStatus.IGNORED, form, problems, asked)
    return _Read(path, FileStatus.VALID, form, problems, asked)


def _answers_for_base(base: Base, form: Form) -> tuple[list[Answer], list[Problem]]:
    lookup = _QuestionLookup(base.questions)
    initials = form.identity.initials
    kept: list[Answer] = []
    problems: list[Problem] = []
    for answer in form.answers:
        question = lookup.find(answer.question_number)
        if question is None:
            problems.append(problem("form_question_unknown", answer.location, number=answer.question_number))
            continue
        if initials not in question.assigned:
            problems.append(
                problem(
                    "form_question_unassigned", answer.location, number=question.number, initials=initials
                )
            )
        kept.append(dataclasses.replace(answer, question_number=question.number, question=question))
    return kept, problems


class _QuestionLookup:
    """Base questions by number: exactly, else numerically (``1.1`` is ``1.10``)."""

    def __init__(self, questions: Sequence[Question]):
        self.exact = {q.number: q for q in questions}
        self.numeric: dict[Decimal, Question] = {}
        for question in questions:
            key = normalise.number_key(question.number)
            if key is not None:
                self.numeric.setdefault(key, question)

    def find(self, number: str) -> Question | None:
        if number in self.exact:
            return self.exact[number]
        key = normalise.number_key(number)
        return self.numeric.get(key) if key is not None else None


_EARLIEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _resolve_duplicates(reads: list[_Read]) -> None:
    """Two valid forms of one respondent: the most recently saved one counts, the other is ignored
    and named. Ties go to the file modified last, then to the later file name."""
    by_respondent: dict[str, list[_Read]] = {}
    for read in reads:
        if read.status is FileStatus.VALID and read.form is not None:
            by_respondent.setdefault(read.form.identity.initials, []).append(read)
    for group in by_respondent.values():
        if len(group) < 2:
            continue
        ranked = sorted(group, key=_recency, reverse=True)
        kept = ranked[0]
        for other in ranked[1:]:
            assert other.form is not None and kept.form is not None
            other.status = FileStatus.IGNORED
            other.problems.append(
                problem(
                    "form_duplicate_ignored",
                    Location(file=other.path.name),
                    initials=other.form.identity.initials,
                    kept=kept.path.name,
                    kept_saved=_shown(kept.form.saved_at),
                    saved=_shown(other.form.saved_at),
                )
            )


def _recency(read: _Read) -> tuple[dt.datetime, float, str]:
    assert read.form is not None
    saved = read.form.saved_at or _EARLIEST
    if saved.tzinfo is None:
        saved = saved.replace(tzinfo=dt.UTC)
    try:
        mtime = read.path.stat().st_mtime
    except OSError:
        mtime = 0.0
    return saved, mtime, read.path.name


def _shown(moment: dt.datetime | None) -> str:
    if moment is None:
        return "?"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
