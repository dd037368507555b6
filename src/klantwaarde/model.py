"""The domain model: plain, frozen data read from workbooks.

Every object that comes from a workbook remembers where it came from (``Location``) so that every
message can point at the file, sheet and cell. Standard library only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where something was read: file (display name), sheet, row (1-based) and column letter."""

    file: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    @property
    def cell(self) -> str:
        """``E12``, ``rij 12`` style parts are rendered by the texts; this is the A1 reference or ''."""
        if self.column and self.row:
            return f"{self.column}{self.row}"
        if self.row:
            return str(self.row)
        return self.column or ""

    def at(self, row: int | None = None, column: str | None = None) -> Location:
        return Location(self.file, self.sheet, row if row is not None else self.row, column or self.column)


class Relevance(StrEnum):
    LESS = "<"
    NEUTRAL = "N"
    MORE = ">"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "lopend"
    DONE = "gereed"


@dataclass(frozen=True)
class Weights:
    less: float = 1.0
    neutral: float = 2.0
    more: float = 3.0

    def of(self, relevance: Relevance) -> float:
        if relevance is Relevance.LESS:
            return self.less
        if relevance is Relevance.MORE:
            return self.more
        return self.neutral


DEFAULT_TARGET = 7.5
DEFAULT_THRESHOLD = 3  # k of the disclosure rules (SPEC 3.5), the base's Anonimiteitsdrempel


@dataclass(frozen=True)
class Settings:
    client: str
    client_code: str
    supplier: str
    period: str
    account_manager: str = ""
    account_manager_email: str = ""
    deadline: dt.date | None = None
    session_date: dt.date | None = None
    language: str = "nl"
    default_target: float = DEFAULT_TARGET
    weights: Weights = field(default_factory=Weights)
    location: Location = field(default_factory=Location)
    # k of the disclosure rules (SPEC 3.5): a figure resting on fewer respondents, one of them
    # anonymous, is not shown
    anonymity_threshold: int = DEFAULT_THRESHOLD


@dataclass(frozen=True)
class Respondent:
    name: str
    initials: str  # upper-case, stripped: the respondent's key
    email: str = ""
    function: str = ""
    remark: str = ""  # the base's Opmerking: shown to the client (it is on the monitor)
    location: Location = field(default_factory=Location)
    internal_note: str = ""  # the base's Interne notitie: the account manager's own, never for the client
    language: str = ""  # the respondent's Taal (nl/en): their form and mails; blank: the base's

    @property
    def label(self) -> str:
        """``Kees Klant (KK)``"""
        return f"{self.name} ({self.initials})" if self.name else self.initials


@dataclass(frozen=True)
class Kwi:
    code: str
    title: str
    description: str = ""
    target: float | None = None  # None: the default target of the settings applies
    contributed_by: str = ""  # initials, optional
    location: Location = field(default_factory=Location)


@dataclass(frozen=True)
class Question:
    kwi_code: str
    number: str  # text, e.g. "1.02"
    text: str  # placeholders {leverancier}/{klant} already replaced
    assigned: tuple[str, ...] = ()  # initials of the respondents who answer it, in matrix order
    location: Location = field(default_factory=Location)


@dataclass(frozen=True)
class Action:
    number: str
    date: dt.date | None
    description: str
    kwi_code: str
    owner: str = ""
    status: str = "open"  # open | lopend | gereed (as typed, lower-cased)
    deadline: dt.date | None = None
    location: Location = field(default_factory=Location)

    @property
    def is_open(self) -> bool:
        """Open until it is done (``lopend`` is open too, SPEC 3.1)."""
        return self.status.strip().lower() != ActionStatus.DONE.value


@dataclass(frozen=True)
class TeamMember:
    """One member of the supplier's account team (the base's optional ``Team`` sheet): whom an
    action is for (``Acties › Voor`` holds their initials) and where their reminder goes."""

    initials: str  # upper-case, stripped: the key the Voor column uses
    name: str = ""
    email: str = ""
    role: str = ""
    location: Location = field(default_factory=Location)

    @property
    def label(self) -> str:
        """``Rob Martens (RM)``"""
        return f"{self.name} ({self.initials})" if self.name else self.initials


@dataclass(frozen=True)
class A3Figure:
    """One row of the Kwantitatief table of the A3 plan."""

    key: str  # contacts | appointments | leads | orders | revenue | margin | sessions | nps
    last_year: float | str | None = None
    this_year: float | str | None = None


@dataclass(frozen=True)
class A3Data:
    """The optional, internal ``A3`` sheet of the base. Never shown to the client."""

    # keys: vision, mission, success_factors, organisation_indicators, organisation_actions, preconditions
    blocks: Mapping[str, str] = field(default_factory=dict)
    figures: tuple[A3Figure, ...] = ()


@dataclass(frozen=True)
class Base:
    path: Path
    settings: Settings
    respondents: tuple[Respondent, ...]
    kwis: tuple[Kwi, ...]
    questions: tuple[Question, ...]
    actions: tuple[Action, ...] = ()
    a3: A3Data | None = None
    team: tuple[TeamMember, ...] = ()  # the optional Team sheet; empty without one

    def team_member(self, initials: str) -> TeamMember | None:
        key = initials.strip().upper()
        return next((m for m in self.team if m.initials == key), None)

    def respondent(self, initials: str) -> Respondent | None:
        key = initials.strip().upper()
        return next((r for r in self.respondents if r.initials == key), None)

    def kwi(self, code: str) -> Kwi | None:
        key = code.strip().upper()
        return next((k for k in self.kwis if k.code.upper() == key), None)

    def question(self, number: str) -> Question | None:
        return next((q for q in self.questions if q.number == number), None)

    def questions_for(self, initials: str) -> tuple[Question, ...]:
        key = initials.strip().upper()
        return tuple(q for q in self.questions if key in q.assigned)

    def target_for(self, kwi: Kwi) -> float:
        return kwi.target if kwi.target is not None else self.settings.default_target


# ---------------------------------------------------------------------------------------------
# Returned questionnaires


@dataclass(frozen=True)
class FormIdentity:
    client_code: str
    period: str
    initials: str
    form_version: str = ""
    fingerprint: str = ""
    form_id: str = ""


@dataclass(frozen=True)
class Answer:
    question_number: str
    grade: int  # 1..10
    relevance: Relevance = Relevance.NEUTRAL
    location: Location = field(default_factory=Location)
    # The base's question, set once when the form is checked against the base (collecting);
    # None while the form is read on its own. Scoring never looks a question up again.
    question: Question | None = None


@dataclass(frozen=True)
class Form:
    """One returned questionnaire, reduced to what scoring needs."""

    path: Path
    identity: FormIdentity
    answers: tuple[Answer, ...] = ()
    nps: int | None = None
    anonymous: bool = False
    remark: str = ""
    saved_at: dt.datetime | None = None
    location: Location = field(default_factory=Location)
    # Every question key on the form (answered or not), to match it against what was issued;
    # None when the reader could not tell.
    question_keys: frozenset[str] | None = None
