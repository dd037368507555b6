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
from typing import Any

from klantwaarde.api.status import StatusResult, status_of
from klantwaarde.layout import CycleLayout
from klantwaarde.mail import address_problem, long_date, respondent_draft
from klantwaarde.model import Base, Respondent
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.results import envelope
from klantwaarde.texts import Texts
from klantwaarde.workbook.safe import atomic_write_bytes


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

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "folder": str(self.out_dir),
            "dry_run": self.dry_run,
            "missing": self.status.missing,
            "reminders": [
                {
                    "initials": r.initials,
                    "name": r.name,
                    "email": r.email,
                    "form": str(r.form),
                    "draft": str(r.eml),
                }
                for r in self.reminders
            ],
            "skipped": list(self.skipped),
        }
        return envelope(payload, self.problems, texts)


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
    now = now or dt.datetime.now().replace(microsecond=0)
    base, base_problems = load_base(Path(base_path))
    state = status_of(base, base_problems, answers, now.date())
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    out = out_dir if out_dir is not None else layout.reminders_dir
    refuse_output(out, layout, list(answers or ()))
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
        eml = layout.reminder_path(respondent, texts, folder=out)
        reminders.append(Reminder(respondent.initials, respondent.name, respondent.email, row.form, eml))

    if not dry_run:
        written: list[Reminder] = []
        for reminder in reminders:
            person = base.respondent(reminder.initials)
            assert person is not None
            try:
                data = reminder_draft(base, person, texts, reminder.form, now=now)
            except ValueError:  # not exactly one address: no draft, never a second recipient
                problems.append(address_problem(base, person))
                skipped.append(reminder.initials)
                continue
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
        language=texts.lang,
        dry_run=dry_run,
        reminders=tuple(reminders),
        skipped=tuple(skipped),
        status=state,
        problems=problems,
    )


def deadline_sentence(deadline: dt.date | None, today: dt.date, texts: Texts) -> str:
    """When to send it back: by the deadline, or — without one, or once it has passed — soon."""
    if deadline is None:
        return texts("cycle.remind.deadline_none")
    key = "cycle.remind.deadline_passed" if deadline < today else "cycle.remind.deadline_ahead"
    return texts(key, date=long_date(deadline, texts))


def reminder_draft(
    base: Base, respondent: Respondent, texts: Texts, form: Path, *, now: dt.datetime
) -> bytes:
    """The ``.eml`` reminder for one respondent, their own questionnaire attached."""
    settings = base.settings
    session = (
        texts("cycle.remind.session", date=long_date(settings.session_date, texts))
        if settings.session_date and settings.session_date >= now.date()
        else ""
    )
    values = {
        "deadline_sentence": deadline_sentence(settings.deadline, now.date(), texts),
        "session": session,
    }
    return respondent_draft(
        base, respondent, texts, form, now=now, section="cycle.remind.mail", values=values
    )
