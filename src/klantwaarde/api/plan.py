"""``kwm plan``: the cycle's dates as a calendar file (``.ics``, SPEC 3.9) for Outlook and Google Calendar.

One all-day event each for the klantwaardesessie (``Sessiedatum``), sending the questionnaires
again two weeks before it (the book's advice), the questionnaires' ``Deadline``, and every open
action's deadline with its owner in the description. Every event has a stable UID (the client
code, the period, what it is; an action's by its number, across periods, as actions carry over), so
importing the file again updates the events instead of adding them twice; its SEQUENCE grows with
the clock, so a calendar takes the newer file's dates. Texts come from the templates in the base's
language. Never prints.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import icalendar

from klantwaarde.baseformat import STATUSES
from klantwaarde.layout import CycleLayout
from klantwaarde.mail import long_date
from klantwaarde.model import Action, Base, Location
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.reading.team import owners
from klantwaarde.results import envelope
from klantwaarde.texts import Texts
from klantwaarde.workbook.safe import atomic_write_bytes

RESEND_BEFORE = dt.timedelta(weeks=2)  # the book: send the questionnaires again two weeks before the session
_SEQUENCE_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
PRODID = "-//kwm//klantwaarde//NL"


@dataclass(frozen=True)
class PlanEvent:
    uid: str
    kind: str  # session | resend | deadline | action
    day: dt.date
    summary: str
    description: str
    action: str | None = None  # the action's number
    owners: tuple[str, ...] = ()  # the action's owners (initials)

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "kind": self.kind,
            "date": self.day.isoformat(),
            "summary": self.summary,
            "description": self.description,
            "action": self.action,
            "owners": list(self.owners),
        }


@dataclass
class PlanResult:
    base: Base
    texts: Texts
    path: Path
    events: tuple[PlanEvent, ...]
    problems: list[Problem] = field(default_factory=list)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {"output": str(self.path), "events": [event.to_json() for event in self.events]}
        return envelope(payload, self.problems, texts)


def plan(
    base_path: Path, out: Path | None = None, *, lang: str | None = None, now: dt.datetime | None = None
) -> PlanResult:
    """Write the cycle's calendar. Raises KwmError when the base has errors, ``out`` would replace
    an input, or there is nothing to plan (no dates at all). ``now`` pins the clock."""
    now = now or dt.datetime.now(dt.UTC)
    base, base_problems = load_base(Path(base_path))
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    target = out or layout.plan_path(texts)
    refuse_output(target, layout)
    events, problems = plan_events(base, texts)
    if not events:
        raise KwmError([*base_problems, *problems, problem("plan_nothing", base.settings.location)])
    atomic_write_bytes(target, calendar_bytes(base, texts, events, now))
    return PlanResult(base, texts, target, tuple(events), [*base_problems, *problems])


def plan_events(base: Base, texts: Texts) -> tuple[list[PlanEvent], list[Problem]]:
    """The events of the cycle, in date order, and what could not be planned (problems)."""
    settings = base.settings
    values = {"client": settings.client, "code": settings.client_code, "period": settings.period}
    cycle = f"{_slug(settings.client_code)}-{_slug(settings.period)}"
    events: list[PlanEvent] = []
    problems: list[Problem] = []

    def event(kind: str, day: dt.date, **extra: str) -> None:
        filled = {**values, "date": long_date(day, texts), **extra}
        events.append(
            PlanEvent(
                f"kwm-{cycle}-{kind}@klantwaarde",
                kind,
                day,
                texts(f"plan.events.{kind}.summary", **filled),
                texts(f"plan.events.{kind}.description", **filled),
            )
        )

    if settings.session_date is not None:
        event("session", settings.session_date)
        event(
            "resend", settings.session_date - RESEND_BEFORE, session=long_date(settings.session_date, texts)
        )
    else:
        problems.append(problem("plan_no_session", settings.location))
    if settings.deadline is not None:
        event("deadline", settings.deadline)
    else:
        problems.append(problem("plan_no_deadline", settings.location))

    open_actions = [a for a in base.actions if a.is_open]
    for action in open_actions:
        if action.deadline is not None:
            events.append(_action_event(base, texts, action, values))
    undated = [a.number or str(a.location.row or "") for a in open_actions if a.deadline is None]
    if undated:
        where = Location(settings.location.file, open_actions[0].location.sheet)
        problems.append(problem("plan_actions_no_deadline", where, numbers=undated))
    order = {"deadline": 0, "resend": 1, "session": 2, "action": 3}
    events.sort(key=lambda e: (e.day, order[e.kind], e.action or ""))
    return events, problems


def _action_event(base: Base, texts: Texts, action: Action, values: dict[str, str]) -> PlanEvent:
    assert action.deadline is not None
    initials = owners(action)
    people = [_owner_label(base, i) for i in initials] or [texts("plan.owner_none")]
    kwi = base.kwi(action.kwi_code)
    index = 1 if texts.lang == "en" else 0
    status = STATUSES[action.status][index] if action.status in STATUSES else action.status
    filled = {
        **values,
        "number": action.number,
        "description": " ".join(action.description.split()),
        "owner": ", ".join(people),
        "kwi": f"{kwi.code} {kwi.title}" if kwi else action.kwi_code,
        "status": status,
        "date": long_date(action.deadline, texts),
    }
    key = action.number or action.description
    digest = hashlib.sha256(f"{base.settings.client_code}\0{key}".encode()).hexdigest()[:8]
    uid = f"kwm-{_slug(base.settings.client_code)}-action-{_slug(key)[:40]}-{digest}@klantwaarde"
    return PlanEvent(
        uid,
        "action",
        action.deadline,
        texts("plan.events.action.summary", **filled),
        texts("plan.events.action.description", **filled),
        action.number,
        tuple(initials),
    )


def _owner_label(base: Base, initials: str) -> str:
    member = base.team_member(initials)
    return member.label if member is not None else initials


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "x"


def calendar_bytes(base: Base, texts: Texts, events: list[PlanEvent], now: dt.datetime) -> bytes:
    """The events as an iCalendar file: all-day events, published (not meeting requests)."""
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    settings = base.settings
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = texts(
        "plan.calendar_name", client=settings.client, code=settings.client_code, period=settings.period
    )
    calendar.add("x-wr-calname", name)
    # grows with every export, so a calendar importing a newer file takes its dates
    sequence = max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60))
    for item in events:
        entry = icalendar.Event()
        entry.add("uid", item.uid)
        entry.add("dtstamp", stamp)
        entry.add("last-modified", stamp)
        entry.add("sequence", sequence)
        entry.add("summary", item.summary)
        entry.add("description", item.description)
        entry.add("dtstart", item.day)
        entry.add("dtend", item.day + dt.timedelta(days=1))
        entry.add("transp", "OPAQUE" if item.kind == "session" else "TRANSPARENT")
        entry.add("categories", [texts("plan.category")])
        calendar.add_component(entry)
    data: bytes = calendar.to_ical()
    return data


__all__ = ["PlanEvent", "PlanResult", "calendar_bytes", "plan", "plan_events"]
