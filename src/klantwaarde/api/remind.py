"""``kwm remind``: e-mail drafts for the respondents who have not returned a questionnaire yet.

Who is missing comes from ``status`` (the same reading as ``kwm process``): a respondent with a
form that counts gets no reminder, also when single answers in it had problems. Each reminder is an
``.eml`` draft (``X-Unsent: 1``) with the respondent's own generated questionnaire attached, so
they can fill it in straight away. Never prints; writes nothing when nobody is missing or with
``dry_run``.

``remind_actions`` (``kwm remind --actions``) drafts one mail per member of the account team (the
base's ``Team`` sheet) listing the open actions they own, overdue first; owners who are not on the
sheet are listed, never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from klantwaarde.api.status import StatusResult, status_of
from klantwaarde.baseformat import STATUSES
from klantwaarde.layout import CycleLayout
from klantwaarde.mail import address_problem, build_draft, long_date, mailbox, respondent_draft, text_to_html
from klantwaarde.model import Action, Base, Location, Respondent, TeamMember
from klantwaarde.pipeline.base import base_texts, load_base, respondent_texts
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.reading.team import owners
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
        eml = layout.reminder_path(respondent, respondent_texts(base, respondent, texts), folder=out)
        reminders.append(Reminder(respondent.initials, respondent.name, respondent.email, row.form, eml))

    if not dry_run:

        def respondent_mail(reminder: Reminder) -> bytes:
            person = base.respondent(reminder.initials)
            assert person is not None
            try:
                return reminder_draft(
                    base, person, respondent_texts(base, person, texts), reminder.form, now=now
                )
            except ValueError:  # not exactly one address: no draft, never a second recipient
                raise KwmError([address_problem(base, person)]) from None

        reminders = _write_drafts(reminders, respondent_mail, problems, skipped)

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


# ---------------------------------------------------------------------------------------------
# kwm remind --actions: one draft per action owner of the account team (SPEC 3.9)


@dataclass(frozen=True)
class ActionReminder:
    initials: str
    name: str
    email: str
    actions: tuple[str, ...]  # the numbers of their open actions, overdue first
    overdue: tuple[str, ...]  # those past their deadline
    eml: Path  # where the draft is (or, with dry_run, would be) written


@dataclass(frozen=True)
class ActionRemindResult:
    base_path: Path
    out_dir: Path
    language: str
    dry_run: bool
    reminders: tuple[ActionReminder, ...]  # drafted (or, with dry_run, to be drafted)
    unknown_owners: tuple[str, ...]  # owners of open actions not on the Team sheet
    skipped: tuple[str, ...]  # team members with open actions but no draft (see problems)
    open_actions: int
    client_code: str = ""
    period: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def written(self) -> list[Path]:
        return [] if self.dry_run else [r.eml for r in self.reminders]

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "folder": str(self.out_dir),
            "dry_run": self.dry_run,
            "open_actions": self.open_actions,
            "reminders": [
                {
                    "initials": r.initials,
                    "name": r.name,
                    "email": r.email,
                    "actions": list(r.actions),
                    "overdue": list(r.overdue),
                    "draft": str(r.eml),
                }
                for r in self.reminders
            ],
            "unknown_owners": list(self.unknown_owners),
            "skipped": list(self.skipped),
        }
        return envelope(payload, self.problems, texts)


def remind_actions(
    base_path: Path,
    out_dir: Path | None = None,
    dry_run: bool = False,
    lang: str | None = None,
    now: dt.datetime | None = None,
) -> ActionRemindResult:
    """Write one draft per member of the account team with open actions (status open or lopend),
    listing them, overdue first. Owners of open actions who are not on the Team sheet (or a base
    without one) are problems and listed in the result. Raises KwmError when the base has errors."""
    now = now or dt.datetime.now().replace(microsecond=0)
    base, base_problems = load_base(Path(base_path))
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    out = out_dir if out_dir is not None else layout.reminders_dir
    refuse_output(out, layout)
    # The team's own warnings are repeated by what follows; the rest of the base's travel along.
    problems = [p for p in base_problems if p.code != "action_owner_not_in_team"]
    open_actions = [a for a in base.actions if a.is_open]
    by_owner: dict[str, list[Action]] = {}
    without_owner: list[Action] = []
    for action in open_actions:
        names = owners(action)
        if not names:
            without_owner.append(action)
        for initials in names:
            by_owner.setdefault(initials, []).append(action)
    where = base.settings.location
    if open_actions and not base.team:
        problems.append(problem("remind_team_missing", Location(where.file)))
    if without_owner:
        problems.append(
            problem("remind_action_no_owner", without_owner[0].location, numbers=_numbers(without_owner))
        )

    today = now.date()
    reminders: list[ActionReminder] = []
    unknown: list[str] = []
    skipped: list[str] = []
    for initials, actions in by_owner.items():
        member = base.team_member(initials)
        if member is None:
            unknown.append(initials)
            if base.team:
                problems.append(
                    problem(
                        "remind_owner_unknown", actions[0].location, owner=initials, numbers=_numbers(actions)
                    )
                )
            continue
        if not member.email.strip():
            problems.append(problem("remind_team_no_email", member.location, member=member.label))
            skipped.append(member.initials)
            continue
        ordered = sorted(actions, key=lambda a: _urgency(a, today))
        overdue = [a for a in ordered if a.deadline is not None and a.deadline < today]
        eml = layout.action_reminder_path(member, texts, folder=out)
        reminders.append(
            ActionReminder(
                member.initials, member.name, member.email, _numbers(ordered), _numbers(overdue), eml
            )
        )

    if not dry_run:

        def member_mail(reminder: ActionReminder) -> bytes:
            member = base.team_member(reminder.initials)
            assert member is not None
            ordered = sorted(by_owner[reminder.initials], key=lambda a: _urgency(a, today))
            try:
                return action_draft(base, member, ordered, texts, now=now)
            except ValueError:  # not exactly one address: no draft, never a second recipient
                raise KwmError([_team_address_problem(base, member)]) from None

        reminders = _write_drafts(reminders, member_mail, problems, skipped)

    return ActionRemindResult(
        base_path=base.path,
        out_dir=out,
        language=texts.lang,
        dry_run=dry_run,
        reminders=tuple(reminders),
        unknown_owners=tuple(unknown),
        skipped=tuple(skipped),
        open_actions=len(open_actions),
        client_code=base.settings.client_code,
        period=base.settings.period,
        problems=problems,
    )


def _numbers(actions: Sequence[Action]) -> tuple[str, ...]:
    return tuple(a.number or str(a.location.row or "") for a in actions)


def _urgency(action: Action, today: dt.date) -> tuple[int, dt.date, str]:
    """Overdue first (the longest overdue first), then by deadline, then those without one."""
    if action.deadline is None:
        return 2, dt.date.max, action.number
    return (0 if action.deadline < today else 1), action.deadline, action.number


def action_draft(
    base: Base, member: TeamMember, actions: Sequence[Action], texts: Texts, *, now: dt.datetime
) -> bytes:
    """The ``.eml`` draft to one team member listing their open actions (``actions`` in order),
    from the account manager when the base gives their address. Raises ValueError when an address
    is not exactly one address."""
    settings = base.settings
    today = now.date()
    index = 1 if texts.lang == "en" else 0
    lines = []
    for action in actions:
        kwi = base.kwi(action.kwi_code)
        overdue = action.deadline is not None and action.deadline < today
        values = {
            "number": action.number,
            "description": " ".join(action.description.split()).rstrip(" ."),
            "kwi": f"{kwi.code} {kwi.title}" if kwi else action.kwi_code,
            "status": STATUSES[action.status][index] if action.status in STATUSES else action.status,
            "deadline": long_date(action.deadline, texts)
            if action.deadline
            else texts("team.remind.no_deadline"),
            "days": (today - action.deadline).days if action.deadline else 0,
        }
        lines.append(texts("team.remind.line_overdue" if overdue else "team.remind.line", **values))
    session = (
        texts("team.remind.session", date=long_date(settings.session_date, texts))
        if settings.session_date and settings.session_date >= today
        else ""
    )
    filled = {
        "name": member.name or member.initials,
        "client": settings.client,
        "code": settings.client_code,
        "period": settings.period,
        "n": len(actions),
        "actions": "\n".join(lines),
        "session": session,
        "sender_name": settings.account_manager or settings.supplier,
        "supplier": settings.supplier,
    }
    text = texts("team.remind.body", **filled)
    return build_draft(
        to=mailbox(member.name, member.email),
        sender=mailbox(settings.account_manager, settings.account_manager_email)
        if settings.account_manager_email.strip()
        else None,
        subject=texts("team.remind.subject", **filled),
        text=text,
        html=text_to_html(text),
        date=now,
    )


def _team_address_problem(base: Base, member: TeamMember) -> Problem:
    """Which address of an action draft is not exactly one address: the member's or the sender's."""
    try:
        mailbox(member.name, member.email)
    except ValueError:
        return problem("mail_address_invalid", member.location, respondent=member.label, email=member.email)
    s = base.settings
    return problem(
        "mail_address_invalid",
        s.location,
        respondent=s.account_manager or s.supplier,
        email=s.account_manager_email,
    )


_Draft = TypeVar("_Draft", Reminder, ActionReminder)


def _write_drafts(
    reminders: list[_Draft], mail: Callable[[_Draft], bytes], problems: list[Problem], skipped: list[str]
) -> list[_Draft]:
    """Write each reminder's draft (``mail`` makes its bytes); the ones that could not be made or
    written are left out, their problems reported and their initials skipped; the others go on."""
    written: list[_Draft] = []
    for reminder in reminders:
        try:
            atomic_write_bytes(reminder.eml, mail(reminder))
        except KwmError as exc:  # no single address, or e.g. the folder is not writable
            problems.extend(exc.problems)
            skipped.append(reminder.initials)
            continue
        written.append(reminder)
    return written
