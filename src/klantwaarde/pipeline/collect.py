"""The collecting stage: the returned questionnaires of one period, checked against the base
(SPEC 3.3).

The one code path behind ``kwm process`` and ``kwm status``: every file is read on its own (one at
a time, only its answers kept), a file that cannot be used becomes problems naming it, and the run
goes on with the others. Every answer that counts carries its base ``Question``, so scoring never
looks a question up again under other rules. Never prints.

A mail in the answers folder (``.eml``, ``.msg``; SPEC 3.9) becomes one outcome per questionnaire
attached, named ``mail.eml › form.xlsx`` and read in memory like a file, or one outcome for the
mail itself when it carries none. Every outcome of a mail knows the mail (``FileOutcome.mail``:
sender and date, for the internal workbook). The same form arriving as a file and in a mail
counts once: "the same" is the same bytes (so the same form id and the same answers); the saved
file counts and the attachment is one line saying so. A form saved again (other bytes) is another
version, and the most recently saved one counts, as for two files.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from klantwaarde import normalise, register
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Answer, Base, Form, Location, Question
from klantwaarde.normalise import shown_name
from klantwaarde.problems import Problem, problem
from klantwaarde.workbook.mail_intake import MailForm, MailInfo, is_mail, read_mail
from klantwaarde.workbook.returned import read_form, read_form_data
from klantwaarde.workbook.safe import safe_filename

IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}


class FileStatus(StrEnum):
    VALID = "valid"  # its answers count
    IGNORED = "ignored"  # readable and of this period, but not used (an older duplicate, empty)
    REFUSED = "refused"  # a readable workbook that is not a usable form for this base
    UNREADABLE = "unreadable"  # not a workbook kwm can (or may) read
    SKIPPED = "skipped"  # not a file to read: a folder, a link, a lock or system file


class EntryKind(StrEnum):
    FILE = "file"  # a regular file: read as a returned form
    SYSTEM = "system"  # hidden, Excel/LibreOffice lock file, Thumbs.db...: skipped without a word
    LINK = "link"  # a symbolic link: never followed
    FOLDER = "folder"  # a sub-folder: not searched
    SPECIAL = "special"  # a pipe, socket or device
    UNREADABLE = "unreadable"  # a folder kwm may not list


@dataclass(frozen=True)
class Entry:
    """One entry of an answers folder (or a path given), and what kind it is."""

    path: Path
    kind: EntryKind
    reason: str = ""  # why an unreadable folder could not be listed


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
    mail: MailInfo | None = None  # the mail it came in (or the mail itself, without a form)


@dataclass
class Collection:
    forms: list[Form] = field(default_factory=list)  # valid, at most one per respondent, base order
    problems: list[Problem] = field(default_factory=list)  # every file's problems, in file order
    files: list[FileOutcome] = field(default_factory=list)  # one per file, in the order given
    # about the period's register of issued forms, not about a file (the commands show them)
    register_problems: list[Problem] = field(default_factory=list)
    mails: list[MailInfo] = field(default_factory=list)  # every mail read, once, in file order

    def form_of(self, initials: str) -> Form | None:
        key = initials.strip().upper()
        return next((f for f in self.forms if f.identity.initials == key), None)

    @property
    def returned(self) -> set[str]:
        """Initials of the respondents with a valid form."""
        return {f.identity.initials for f in self.forms}


def _system(path: Path) -> bool:
    name = path.name
    return name.startswith((".", "~$")) or name.lower() in IGNORED_NAMES


def _kind(path: Path) -> EntryKind:
    """What an entry of an answers folder is, without following a link or opening anything."""
    if _system(path):
        return EntryKind.SYSTEM
    try:
        mode = path.lstat().st_mode
    except OSError:
        return EntryKind.FILE  # gone meanwhile: reading it says so
    if stat.S_ISLNK(mode):
        return EntryKind.LINK
    if stat.S_ISDIR(mode):
        return EntryKind.FOLDER
    if not stat.S_ISREG(mode):
        return EntryKind.SPECIAL
    return EntryKind.FILE


def answer_entries(sources: Sequence[Path]) -> list[Entry]:
    """Everything to account for (SPEC 3.3): every entry directly in a folder, sorted by name, and
    every path given (a path that does not exist is kept, so reading it reports it). Each entry
    once; a folder that cannot be listed is one entry of its own."""
    entries: list[Entry] = []
    for source in sources:
        if source.is_dir() and not source.is_symlink():
            try:
                found = sorted(source.iterdir(), key=lambda p: p.name.lower())
            except OSError as exc:
                entries.append(Entry(source, EntryKind.UNREADABLE, exc.strerror or str(exc)))
                continue
            entries += [Entry(p, _kind(p)) for p in found]
        else:
            entries.append(
                Entry(source, EntryKind.FILE if source.is_file() or not source.exists() else _kind(source))
            )
    unique: dict[Path, Entry] = {}
    for entry in entries:
        unique.setdefault(entry.path.absolute(), entry)
    return list(unique.values())


def answer_files(sources: Sequence[Path]) -> list[Path]:
    """The files among ``answer_entries`` that are read as returned forms."""
    return [e.path for e in answer_entries(sources) if e.kind is EntryKind.FILE]


_ENTRY_PROBLEMS = {
    EntryKind.LINK: "entry_link",
    EntryKind.FOLDER: "entry_folder",
    EntryKind.SPECIAL: "entry_special",
    EntryKind.UNREADABLE: "folder_unreadable",
}


def _not_read(entry: Entry) -> _Read:
    """The outcome of an entry that is not read as a form: a line in every list, a problem where
    the user should act."""
    where = Location(file=shown_name(entry.path.name))
    code = _ENTRY_PROBLEMS.get(entry.kind)
    if code is None:
        return _Read(entry.path, FileStatus.SKIPPED)
    context = {"reason": entry.reason} if entry.kind is EntryKind.UNREADABLE else {}
    status = FileStatus.UNREADABLE if entry.kind is EntryKind.UNREADABLE else FileStatus.SKIPPED
    return _Read(entry.path, status, None, [problem(code, where, **context)])


def _is_pdf(path: Path) -> bool:
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------


@dataclass
class _Read:
    """One file while collecting: its outcome so far and its form when usable."""

    path: Path
    status: FileStatus
    form: Form | None = None
    problems: list[Problem] = field(default_factory=list)
    asked: int = 0
    mail: MailInfo | None = None
    digest: str | None = None  # of an attachment's bytes (a file's when compared with one)


def collect_forms(
    base: Base,
    sources: Sequence[Path],
    *,
    progress: Callable[[int, int], None] | None = None,
    now: dt.datetime | None = None,
) -> Collection:
    """Read every returned form in ``sources`` (folders and/or files) and check it against ``base``
    and the period's register of issued forms.

    ``progress(done, total)`` is called after each entry. ``now`` pins the clock (which save
    times are plausible).
    """
    now = now or dt.datetime.now(dt.UTC)
    entries = answer_entries(sources)
    issued = register.read(CycleLayout.of(base).register)
    reads: list[_Read] = []
    for done, entry in enumerate(entries, start=1):
        if entry.kind is not EntryKind.FILE:
            reads.append(_not_read(entry))
        elif _is_pdf(entry.path):
            where = Location(file=shown_name(entry.path.name))
            reads.append(_Read(entry.path, FileStatus.UNREADABLE, None, [problem("file_pdf", where)]))
        elif is_mail(entry.path):
            reads += _read_mail(base, entry.path, now, issued)
        else:
            form, problems = read_form(entry.path)
            reads.append(_check(base, entry.path, form, problems, now, issued))
        if progress is not None:
            progress(done, len(entries))
    _count_copies_once(reads)
    _resolve_duplicates(reads)

    collection = Collection()
    if issued is None:
        if any(r.form is not None for r in reads):  # once, and only when there was a form to verify
            folder = CycleLayout.of(base).period_dir
            collection.register_problems.append(problem("register_missing", Location(file=folder.name)))
    else:
        collection.register_problems += issued.problems
    order = {r.initials: i for i, r in enumerate(base.respondents)}
    valid = [r.form for r in reads if r.status is FileStatus.VALID and r.form is not None]
    collection.forms = sorted(valid, key=lambda f: order.get(f.identity.initials, len(order)))
    for read in reads:
        collection.problems += read.problems
        form = read.form
        # A form of another client names someone else's respondent: it belongs to nobody here. (One
        # of another period is shown with its respondent, but never counts against their own.)
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
                mail=read.mail,
            )
        )
    collection.mails = list({id(r.mail): r.mail for r in reads if r.mail is not None}.values())
    return collection


def _check(
    base: Base,
    path: Path,
    form: Form | None,
    problems: list[Problem],
    now: dt.datetime,
    issued: register.Register | None,
    modified: dt.datetime | None = None,
) -> _Read:
    """``modified``: when the file was last changed, if not the path's own (a mail's date)."""
    if form is None:
        readable = any(p.code.startswith("form_") for p in problems)
        return _Read(path, FileStatus.REFUSED if readable else FileStatus.UNREADABLE, None, problems)
    where = Location(file=shown_name(path.name), sheet=form.location.sheet)
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
    entry: register.Issued | None = None
    if refused is None and issued is not None:
        entry, refused = _verified(form, issued, where)
    if refused is not None:
        # Keep who it claims to be, so the status can say whose form was refused.
        return _Read(path, FileStatus.REFUSED, form, [*problems, refused])
    form, when = _plausible_save_time(form, path, now, where, entry.issued_at if entry else None, modified)
    problems = [*problems, *when]
    if entry is not None:
        problems += _changed_since(base, entry, where)

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
# kwm made no questionnaires before this; a save time before it is a wrong clock or a forged file
_FIRST_FORM = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_SLACK = dt.timedelta(days=1)  # clocks differ; a time zone written wrongly shifts by hours


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _plausible_save_time(
    form: Form,
    path: Path,
    now: dt.datetime,
    where: Location,
    issued: dt.datetime | None = None,
    modified: dt.datetime | None = None,
) -> tuple[Form, list[Problem]]:
    """The form's own save time when it is plausible (not before the form was issued or kwm made
    forms at all, not after now + 1 day), else the file's modification time, with a warning
    (SPEC 3.3). A date far off never crashes: it is only compared, never converted."""
    lowest = _aware(issued) - _SLACK if issued is not None else _FIRST_FORM
    highest = _aware(now) + _SLACK

    def plausible(moment: dt.datetime | None) -> bool:
        return moment is not None and lowest <= _aware(moment) <= highest

    if plausible(form.saved_at):
        return form, []
    if modified is None:
        try:
            modified = dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC)
        except (OSError, OverflowError, ValueError):
            modified = None
    fallback = modified if plausible(modified) else None
    problems = []
    if form.saved_at is not None:
        problems.append(problem("form_saved_implausible", where, saved=_iso(form.saved_at)))
    return dataclasses.replace(form, saved_at=fallback), problems


def _iso(moment: dt.datetime) -> str:
    """A date as it was found, however far off (no time-zone conversion that could overflow)."""
    return f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d} {moment.hour:02d}:{moment.minute:02d}"


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
            # not analysed further: one line says it was ignored (its own answer problems would
            # only repeat what the copy that counts says, or tell about a form that does not count)
            other.problems = []
            other.problems.append(
                problem(
                    "form_duplicate_ignored",
                    Location(file=shown_name(other.path.name)),
                    initials=other.form.identity.initials,
                    kept=shown_name(kept.path.name),
                    kept_saved=_shown(kept.form.saved_at),
                    saved=_shown(other.form.saved_at),
                )
            )


def _recency(read: _Read) -> tuple[dt.datetime, float, str]:
    assert read.form is not None
    saved = _aware(read.form.saved_at or _EARLIEST)
    try:
        mtime = (read.mail.path if read.mail is not None else read.path).stat().st_mtime
    except OSError:
        mtime = 0.0
    return saved, mtime, read.path.name


def _shown(moment: dt.datetime | None) -> str:
    if moment is None:
        return "?"
    try:
        return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (OverflowError, ValueError, OSError):
        return _iso(moment)


# ---------------------------------------------------------------------------------------------
# Identity, verified against the register of issued forms (SPEC 3.3)


def _verified(
    form: Form, issued: register.Register, where: Location
) -> tuple[register.Issued | None, Problem | None]:
    """The register entry a form was issued under, or why it is not the form issued to the
    respondent it names: an unknown id, an id issued to someone else, another question set.
    A form without an id (its identity sheet gone) is matched by its question keys alone."""
    identity = form.identity
    initials = identity.initials
    refused = problem("form_not_issued", where, initials=initials)
    if not identity.form_id:
        keys = form.question_keys
        candidates = [e for e in issued.issued_to(initials) if keys is not None and e.numbers == keys]
        if not candidates:
            return None, refused
        return max(candidates, key=lambda e: e.issued_at), None
    entry = issued.get(identity.form_id)
    if entry is None or entry.initials != initials:
        return None, refused
    if form.question_keys is not None and form.question_keys != entry.numbers:
        return None, refused
    if identity.fingerprint and entry.fingerprint and identity.fingerprint != entry.fingerprint:
        return None, refused
    return entry, None


def _changed_since(base: Base, entry: register.Issued, where: Location) -> list[Problem]:
    """A form issued for an older question set counts; the questions whose wording or KWI changed
    since it was issued are named."""
    changed = []
    for question in entry.questions:
        now = base.question(question.number)
        if now is None or now.kwi_code != question.kwi or now.text != question.text:
            changed.append(question.number)
    if not changed:
        return []
    return [problem("form_questions_changed", where, initials=entry.initials, numbers=changed)]


# ---------------------------------------------------------------------------------------------
# Mails in the answers folder (SPEC 3.9)


def _read_mail(base: Base, path: Path, now: dt.datetime, issued: register.Register | None) -> list[_Read]:
    """One read per questionnaire the mail carries, each checked like a file; the mail's own
    problems (unreadable, no questionnaire, one too deep) on the first, or on the mail itself."""
    reading = read_mail(path)
    info = reading.info
    if info is None:
        return [_Read(path, FileStatus.UNREADABLE, None, list(reading.problems))]
    if not reading.forms:
        return [_Read(path, FileStatus.REFUSED, None, list(reading.problems), mail=info)]
    reads: list[_Read] = []
    for attached in reading.forms:
        virtual = _attachment_path(path, attached.name)
        form, problems = read_form_data(attached.name, attached.data, path=virtual, saved=info.sent_at)
        read = _check(base, virtual, form, problems, now, issued, info.sent_at)
        read.mail = info
        read.digest = hashlib.sha256(attached.data).hexdigest()
        if read.status is FileStatus.VALID:
            read.problems += _sender_problems(base, read, attached)
        reads.append(read)
    reads[0].problems[:0] = reading.problems
    return reads


def _attachment_path(mail: Path, name: str) -> Path:
    """Where an attachment is said to be: beside its mail, named ``mail.eml › form.xlsx`` (never a
    file on disk: nothing of a mail is written)."""
    try:
        return mail.with_name(name)
    except ValueError:
        return mail.with_name(safe_filename(name))


def _sender_problems(base: Base, read: _Read, attached: MailForm) -> list[Problem]:
    """A warning when neither the mail nor the forwarded message carrying the form comes from the
    respondent's address in the base (an assistant may have sent it on)."""
    assert read.form is not None
    respondent = base.respondent(read.form.identity.initials)
    expected = respondent.email.strip().lower() if respondent is not None else ""
    senders = [s for s in attached.senders if s]
    if respondent is None or not expected or not senders or expected in senders:
        return []
    where = Location(file=shown_name(read.path.name))
    return [
        problem(
            "mail_sender_other",
            where,
            sender=senders[0],
            initials=respondent.initials,
            email=respondent.email,
        )
    ]


def _count_copies_once(reads: list[_Read]) -> None:
    """The same form (the same bytes) as a file and in a mail, or in two mails, counts once: the
    file when there is one, else the first mail's copy; every other copy is one line."""
    mailed = {r.form.identity.initials for r in reads if r.mail is not None and _counts(r) and r.form}
    if not mailed:
        return
    groups: dict[str, list[_Read]] = {}
    for read in reads:
        if not _counts(read) or read.form is None or read.form.identity.initials not in mailed:
            continue
        if read.digest is None:
            read.digest = _file_digest(read.path)
        if read.digest is not None:
            groups.setdefault(read.digest, []).append(read)
    for group in groups.values():
        if len(group) < 2 or all(r.mail is None for r in group):
            continue  # two copies of a file: the rule for two files decides (_resolve_duplicates)
        kept = next((r for r in group if r.mail is None), group[0])
        for other in group:
            if other is kept:
                continue
            other.status = FileStatus.IGNORED
            other.problems = [
                problem(
                    "mail_form_copy",
                    Location(file=shown_name(other.path.name)),
                    kept=shown_name(kept.path.name),
                )
            ]


def _counts(read: _Read) -> bool:
    return read.status is FileStatus.VALID


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
