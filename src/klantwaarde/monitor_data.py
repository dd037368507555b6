"""What a monitor publishes, as plain data: the figures its hidden ``_data`` sheet carries besides
the trend history, so the deck (``kwm sessie``) and the portfolio (``kwm portfolio``) say exactly
what the monitor says without reading the base or the returned forms again.

Built from the *published* report (``publish.published``): nothing the disclosure rules withhold
is in it, and a withheld figure is None with ``shown`` False (so a reader can put the footnote
beside the dash). Standard library only; ``workbook/history.py`` writes and reads it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from klantwaarde.baseformat import is_standard_active, is_standard_agreements
from klantwaarde.disclosure import Disclosure
from klantwaarde.model import ActionStatus
from klantwaarde.report import MonitorReport

ACTIVE, AGREEMENTS = "active", "agreements"  # the two standard statements (SPEC 1)


@dataclass(frozen=True)
class KwiFigures:
    code: str
    title: str
    description: str
    target: float
    score: float | None
    mean: float | None
    n: int | None
    n_respondents: int | None
    swing: float | None
    shown: bool

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < self.target


@dataclass(frozen=True)
class QuestionFigures:
    number: str
    kwi: str
    text: str
    n: int | None
    mean: float | None
    score: float | None
    less: int | None
    neutral: int | None
    more: int | None
    shown: bool
    standard: str = ""  # ACTIVE, AGREEMENTS or "" (not a standard statement)


@dataclass(frozen=True)
class RemarkFigures:
    text: str
    by: str  # "Name (XX)" where the author may be shown, else ""


# An action's status in ``_data``: codes, the same whatever the language of the base.
STATUS_CODES = {
    ActionStatus.OPEN.value: "open",
    ActionStatus.IN_PROGRESS.value: "in_progress",
    ActionStatus.DONE.value: "done",
}


@dataclass(frozen=True)
class ActionFigures:
    number: str
    date: dt.date | None
    description: str
    kwi: str
    owner: str
    status: str  # open | in_progress | done (language-neutral codes, STATUS_CODES)
    deadline: dt.date | None
    overdue: bool

    @property
    def open(self) -> bool:
        return self.status != STATUS_CODES[ActionStatus.DONE.value]


@dataclass(frozen=True)
class MonitorFigures:
    """Everything a monitor shows of its own period (the trend is in the history)."""

    settings: Mapping[str, str] = field(default_factory=dict)  # supplier, account_manager, dates...
    figures: Mapping[str, float | None] = field(default_factory=dict)  # overall, nps, swings, counts...
    kwis: tuple[KwiFigures, ...] = ()
    questions: tuple[QuestionFigures, ...] = ()
    remarks: tuple[RemarkFigures, ...] = ()
    actions: tuple[ActionFigures, ...] = ()
    nps_distribution: tuple[int, ...] = ()  # respondents per NPS value 0..10; () when withheld

    def figure(self, key: str) -> float | None:
        return self.figures.get(key)

    def shown(self, key: str) -> bool:
        """``overall``, ``nps``, ``remarks``, ``remark_authors``: whether the monitor shows it."""
        return bool(self.figures.get(f"{key}_shown", 1))


SETTING_KEYS = (
    "supplier",
    "account_manager",
    "language",
    "report_date",
    "session_date",
    "deadline",
    "default_target",
    "threshold",
)
FIGURE_KEYS = (
    "overall",
    "overall_mean",
    "overall_swing",
    "overall_shown",
    "nps",
    "nps_swing",
    "nps_shown",
    "promoters",
    "passives",
    "detractors",
    "nps_n",
    "returned",
    "asked",
    "answers",
    "details_withheld",
    "remarks_shown",
    "remark_authors_shown",
)


def standard_kind(text: str) -> str:
    if is_standard_active(text):
        return ACTIVE
    if is_standard_agreements(text):
        return AGREEMENTS
    return ""


def from_report(report: MonitorReport, disclosure: Disclosure) -> MonitorFigures:
    """The figures of a *published* report (``publish.published(report, disclosure)``)."""
    settings = report.base.settings
    d = disclosure
    descriptions = {k.code: k.description for k in report.base.kwis}
    nps = report.nps
    return MonitorFigures(
        settings={
            "supplier": settings.supplier,
            "account_manager": settings.account_manager,
            "language": settings.language,
            "report_date": report.report_date.isoformat(),
            "session_date": settings.session_date.isoformat() if settings.session_date else "",
            "deadline": settings.deadline.isoformat() if settings.deadline else "",
            "default_target": str(settings.default_target),
            "threshold": str(d.threshold),
        },
        figures={
            "overall": report.overall,
            "overall_mean": report.overall_mean,
            "overall_swing": report.overall_swing,
            "overall_shown": float(d.overall_shown),
            "nps": nps.nps if d.nps_shown else None,
            "nps_swing": nps.swing if d.nps_shown else None,
            "nps_shown": float(d.nps_shown),
            "promoters": float(nps.promoters) if d.nps_shown else None,
            "passives": float(nps.passives) if d.nps_shown else None,
            "detractors": float(nps.detractors) if d.nps_shown else None,
            "nps_n": float(nps.n) if d.nps_shown else None,
            "returned": float(report.returned),
            "asked": float(report.asked),
            "answers": float(len(report.answers)) if d.overall_shown else None,
            "details_withheld": float(d.details_withheld),
            "remarks_shown": float(d.remarks_shown),
            "remark_authors_shown": float(d.remark_authors_shown),
        },
        kwis=tuple(
            KwiFigures(
                code=k.code,
                title=k.title,
                description=descriptions.get(k.code, ""),
                target=k.target,
                score=k.score,
                mean=k.mean,
                n=k.n if d.kwi_shown(k.code) else None,
                n_respondents=k.n_respondents if d.kwi_shown(k.code) else None,
                swing=k.swing,
                shown=d.kwi_shown(k.code),
            )
            for k in report.kwis
        ),
        questions=tuple(
            QuestionFigures(
                number=q.number,
                kwi=q.kwi_code,
                text=q.text,
                n=q.n if d.question_shown(q.number) else None,
                mean=q.mean,
                score=q.score,
                less=q.less if d.question_shown(q.number) else None,
                neutral=q.neutral if d.question_shown(q.number) else None,
                more=q.more if d.question_shown(q.number) else None,
                shown=d.question_shown(q.number),
                standard=standard_kind(q.text),
            )
            for q in report.questions
        ),
        remarks=tuple(RemarkFigures(r.text, r.respondent or "") for r in report.remarks),
        actions=tuple(
            ActionFigures(
                number=a.number,
                date=a.date,
                description=a.description,
                kwi=a.kwi_code,
                owner=a.owner,
                status=STATUS_CODES.get(a.status.strip().lower(), "open"),
                deadline=a.deadline,
                overdue=report.is_overdue(a),
            )
            for a in report.base.actions
        ),
        nps_distribution=tuple(report.nps_distribution) if d.nps_shown else (),
    )
