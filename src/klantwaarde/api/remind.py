"""``kwm remind``: e-mail drafts for the respondents who have not returned a questionnaire yet.

Who is missing comes from ``status`` (the same reading as ``kwm process``): a respondent with a
form that counts gets no reminder, also when single answers in it had problems. Each reminder is an
``.eml`` draft (``X-Unsent: 1``) with the respondent's own generated questionnaire attached, so
they can fill it in straight away. Never prints; writes nothing when nobody is missing or with
``dry_run``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klantwaarde.api.status import StatusResult, status_of
from klantwaarde.model import Base, Respondent
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.texts import Texts, load_texts

REMINDERS_FOLDER = "herinneringen"  # SPEC 3 folder layout: part of the contract, not a text


@dataclass(frozen=True)
class Reminder:
    initials: str
    name: str
    email: str
    form: Path  # the attached questionnaire
    eml: Path  # where the draft is (or, with dry_run, would be) written


@dataclass(frozen=True)
class RemindResult:
    base_path: Path
    out_dir: Path
    language: str
    dry_run: bool
    reminders: tuple[Reminder, ...]  # drafted (or, with dry_run, to be drafted)
    skipped: tuple[str, ...]  # initials of missing respondents without a draft (see problems)
    status: StatusResult
    problems: list[Problem] = field(default_factory=list)

    @property
    def nobody_missing(self) -> bool:
        return not self.status.missing

    @property
    def written(self) -> list[Path]:
        return [] if self.dry_run else [r.eml for r in self.reminders]


def default_out_dir(base: Base) -> Path:
    """``<base folder>/<Periode>/herinneringen``"""
    from klantwaarde.api.generate import period_dir

    return period_dir(base.path, base.settings.period) / REMINDERS_FOLDER


def remind(
    base_path: Path,
    answers: Sequence[Path] | None = None,
    out_dir: Path | None = None,
    dry_run: bool = False,
    lang: str | None = None,
    now: dt.datetime | None = None,
) -> RemindResult:
    """Write a reminder draft for every respondent without a returned form that counts.

    Raises KwmError when the base has errors or a given answers path does not exist. ``now`` pins
    the clock (mail date, days to the deadline) for reproducible drafts.
    """
    from klantwaarde.api.check import load_base
    from klantwaarde.api.generate import choose_language
    from klantwaarde.workbook.safe import atomic_write_bytes

    now = now or dt.datetime.now().replace(microsecond=0)
    base, base_problems = load_base(Path(base_path))
    state = status_of(base, base_problems, answers, now.date())
    language = choose_language(lang, base)
    texts = load_texts(language, base.path.parent)
    out = out_dir if out_dir is not None else default_out_dir(base)
    # The base's warnings, and why a file sent by someone who is reminded does not count; the
    # problems inside forms that do count are for `kwm status` and `kwm process`.
    problems = [*base_problems, *(p for r in state.respondents if not r.returned for p in r.problems)]

    reminders: list[Reminder] = []
    skipped: list[str] = []
    for row in state.respondents:
        if not row.expected or row.returned:
            continue
        respondent = row.respondent
        if row.form is None:
            problems.append(
                problem(
                    "remind_form_missing",
                    respondent.location,
                    respondent=respondent.label,
                    initials=respondent.initials,
                    folder=str(state.forms_dir),
                )
            )
            skipped.append(respondent.initials)
            continue
        if not respondent.email.strip():
            problems.append(problem("remind_no_email", respondent.location, respondent=respondent.label))
            skipped.append(respondent.initials)
            continue
        reminders.append(
            Reminder(
                respondent.initials,
                respondent.name,
                respondent.email,
                row.form,
                reminder_path(out, base, respondent, texts),
            )
        )

    if not dry_run:
        written: list[Reminder] = []
        for reminder in reminders:
            person = base.respondent(reminder.initials)
            assert person is not None
            data = reminder_draft(base, person, texts, reminder.form, now=now)
            try:
                atomic_write_bytes(reminder.eml, data)
            except KwmError as exc:  # e.g. the folder is not writable: report it, do the others
                problems.extend(exc.problems)
                skipped.append(reminder.initials)
                continue
            written.append(reminder)
        reminders = written

    return RemindResult(
        base_path=base.path,
        out_dir=out,
        language=language,
        dry_run=dry_run,
        reminders=tuple(reminders),
        skipped=tuple(skipped),
        status=state,
        problems=problems,
    )


def reminder_path(out: Path, base: Base, respondent: Respondent, texts: Texts) -> Path:
    """``KLANT-2011H1 Herinnering Kees Klant (KK).eml`` inside ``out``, safe on every system."""
    from klantwaarde.workbook.safe import inside

    settings = base.settings
    stem = texts(
        "cycle.remind.file_name",
        code=settings.client_code,
        period=settings.period,
        respondent=respondent.label,
    )
    return inside(out, stem + ".eml")


def deadline_sentence(deadline: dt.date | None, today: dt.date, texts: Texts) -> str:
    """When to send it back: by the deadline, or — without one, or once it has passed — soon."""
    from klantwaarde.mail import long_date

    if deadline is None:
        return texts("cycle.remind.deadline_none")
    key = "cycle.remind.deadline_passed" if deadline < today else "cycle.remind.deadline_ahead"
    return texts(key, date=long_date(deadline, texts))


def reminder_draft(
    base: Base, respondent: Respondent, texts: Texts, form: Path, *, now: dt.datetime
) -> bytes:
    """The ``.eml`` reminder for one respondent, their own questionnaire attached."""
    from klantwaarde.api.generate import mail_values
    from klantwaarde.mail import address, build_draft, long_date, text_to_html

    settings = base.settings
    values = mail_values(base, respondent, texts)
    values["deadline_sentence"] = deadline_sentence(settings.deadline, now.date(), texts)
    values["session"] = (
        texts("cycle.remind.session", date=long_date(settings.session_date, texts))
        if settings.session_date and settings.session_date >= now.date()
        else ""
    )
    text = texts("cycle.remind.mail.body", **values)
    return build_draft(
        to=address(respondent.name, respondent.email),
        sender=address(settings.account_manager, settings.account_manager_email)
        if settings.account_manager_email
        else "",
        subject=texts("cycle.remind.mail.subject", **values),
        text=text,
        html=text_to_html(text),
        attachment=form,
        date=now,
    )
