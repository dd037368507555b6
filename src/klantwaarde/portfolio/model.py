"""The portfolio as plain data (SPEC 3.8): one ``Client`` per client folder, from the latest
monitor's ``_data`` alone, and the tables of the seven sheets computed from them.

Every figure is taken as the client's monitor publishes it (``monitor_data.MonitorFigures``, the
published report): a figure the disclosure rules withhold is None there and stays None here, and
nothing is computed from a client's answers — only pooled figures the monitors show are combined
(means of clients' figures, the NPS pooled over the respondents of the NPS each monitor shows).
Changes between periods are those of SPEC 2.1 (``report.Change``: ``≈`` within the swing).
Open actions are judged against the day the portfolio is made: an action whose deadline has passed
since its monitor was made is overdue now. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from klantwaarde.monitor_data import ACTIVE, AGREEMENTS, STATUS_CODES, KwiFigures, MonitorFigures
from klantwaarde.portfolio.themes import Theme, ThemeMatcher
from klantwaarde.problems import Problem
from klantwaarde.report import Change, HistoryRow, trend_of

if TYPE_CHECKING:
    from klantwaarde.workbook.history import MonitorData

OLD_MONITOR_DAYS = 200  # a cycle takes half a year: a monitor older than this missed a cycle
STANDARD_KINDS = (ACTIVE, AGREEMENTS)
DONE = STATUS_CODES["gereed"]


@dataclass(frozen=True)
class ClientKwi:
    code: str
    title: str
    theme: Theme
    target: float
    score: float | None  # None: withheld (``shown`` False) or not answered
    mean: float | None
    swing: float | None
    n_respondents: int | None
    shown: bool

    @property
    def below_target(self) -> bool:
        return self.score is not None and self.score < self.target


@dataclass(frozen=True)
class ClientAction:
    number: str
    kwi: str
    kwi_title: str
    description: str
    owner: str
    status: str  # open | in_progress | done (the monitor's codes)
    deadline: dt.date | None
    days_overdue: int | None  # days past the deadline, for an open action; None when not overdue

    @property
    def open(self) -> bool:
        return self.status != DONE

    @property
    def overdue(self) -> bool:
        return self.days_overdue is not None


@dataclass(frozen=True)
class StandardMean:
    """The mean grade of one of the two standard statements at one client, pooled over the KWIs
    whose statement the monitor shows (each question's mean weighed by its n), and that n."""

    mean: float | None
    n: int


@dataclass(frozen=True)
class Reason:
    """Why a client needs attention: ``kind`` is below_target, overdue or old; ``count`` how many
    KWIs, actions or days."""

    kind: str
    count: int


@dataclass(frozen=True)
class Client:
    folder: str  # the client folder as the user named it (for messages)
    code: str
    client: str
    supplier: str
    account_manager: str
    period: str
    target: float | None  # the default target (KWI-doel) of the client
    overall: float | None
    overall_swing: float | None
    overall_change: Change | None
    nps: float | None
    nps_swing: float | None
    nps_n: int | None
    nps_change: Change | None
    returned: int | None
    asked: int | None
    session_date: dt.date | None
    monitor_date: dt.date | None
    age_days: int | None
    kwis: tuple[ClientKwi, ...] = ()
    actions: tuple[ClientAction, ...] = ()
    history: tuple[HistoryRow, ...] = ()
    standard: dict[str, StandardMean] = field(default_factory=dict)
    complete: bool = True  # False: a monitor made before kwm kept what it shows (history only)

    @property
    def response(self) -> float | None:
        if self.returned is None or not self.asked:
            return None
        return self.returned / self.asked

    @property
    def kwis_scored(self) -> int:
        """KWIs whose score the monitor shows."""
        return sum(1 for k in self.kwis if k.score is not None)

    @property
    def kwis_below(self) -> int:
        return sum(1 for k in self.kwis if k.below_target)

    @property
    def overall_below(self) -> bool:
        return self.overall is not None and self.target is not None and self.overall < self.target

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if a.open)

    @property
    def overdue_actions(self) -> int:
        return sum(1 for a in self.actions if a.overdue)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        found = []
        if self.overall_below or self.kwis_below:
            found.append(Reason("below_target", self.kwis_below))
        if self.overdue_actions:
            found.append(Reason("overdue", self.overdue_actions))
        if self.age_days is not None and self.age_days > OLD_MONITOR_DAYS:
            found.append(Reason("old", self.age_days))
        return tuple(found)

    def attention_key(self) -> tuple[object, ...]:
        """Clients needing attention first: more reasons, then more overdue actions, more KWIs
        below target, a lower overall score; then by name."""
        overall = self.overall if self.overall is not None else math.inf
        return (
            -len(self.reasons),
            -self.overdue_actions,
            -self.kwis_below,
            overall,
            self.client.casefold(),
            self.code,
        )


# ---------------------------------------------------------------------------------------------
# One client, from its monitor


def client_of(data: MonitorData, folder: str, today: dt.date, matcher: ThemeMatcher) -> Client:
    """The client as its latest monitor shows it (``data``: that monitor's ``_data``)."""
    figures = data.figures
    complete = bool(figures.figures)
    if not complete:
        figures = figures_from_history(data.history, data.period)
    fig = figures.figure
    settings = figures.settings
    trend = trend_of(data.history)
    titles = {k.code: k.title for k in figures.kwis}
    monitor_date = _day(data.generated_at[:10]) or _day(settings.get("report_date", ""))
    actions = tuple(
        ClientAction(
            number=a.number,
            kwi=a.kwi,
            kwi_title=titles.get(a.kwi, ""),
            description=a.description,
            owner=a.owner,
            status=a.status,
            deadline=a.deadline,
            days_overdue=(today - a.deadline).days
            if a.open and a.deadline is not None and a.deadline < today
            else None,
        )
        for a in figures.actions
    )
    return Client(
        folder=folder,
        code=data.client_code,
        client=data.client or data.client_code,
        supplier=settings.get("supplier", ""),
        account_manager=settings.get("account_manager", ""),
        period=data.period,
        target=_number(settings.get("default_target", "")),
        overall=fig("overall"),
        overall_swing=fig("overall_swing"),
        overall_change=trend.overall.change() if fig("overall") is not None else None,
        nps=fig("nps"),
        nps_swing=fig("nps_swing"),
        nps_n=_whole(fig("nps_n")),
        nps_change=trend.nps.change() if fig("nps") is not None else None,
        returned=_whole(fig("returned")),
        asked=_whole(fig("asked")),
        session_date=_day(settings.get("session_date", "")),
        monitor_date=monitor_date,
        age_days=(today - monitor_date).days if monitor_date is not None else None,
        kwis=tuple(_kwi(k, matcher) for k in figures.kwis),
        actions=actions,
        history=tuple(data.history),
        standard={kind: _standard(figures, kind) for kind in STANDARD_KINDS},
        complete=complete,
    )


def _kwi(k: KwiFigures, matcher: ThemeMatcher) -> ClientKwi:
    return ClientKwi(
        code=k.code,
        title=k.title,
        theme=matcher.theme(k.title or k.code),
        target=k.target,
        score=k.score if k.shown else None,
        mean=k.mean if k.shown else None,
        swing=k.swing if k.shown else None,
        n_respondents=k.n_respondents if k.shown else None,
        shown=k.shown,
    )


def _standard(figures: MonitorFigures, kind: str) -> StandardMean:
    total, n = 0.0, 0
    for q in figures.questions:
        if q.standard == kind and q.shown and q.mean is not None and q.n:
            total += q.mean * q.n
            n += q.n
    return StandardMean(total / n if n else None, n)


def figures_from_history(history: Sequence[HistoryRow], period: str) -> MonitorFigures:
    """What a monitor made before kwm kept its shown figures in ``_data`` says of its own period:
    the figures its history holds (no settings, questions or actions)."""
    rows = [r for r in history if r.period == period]
    plain = {r.kind: r for r in rows if not r.code}
    figures: dict[str, float | None] = {
        kind: plain[kind].value if kind in plain else None
        for kind in ("overall", "overall_swing", "nps", "nps_swing", "returned", "asked")
    }
    nps = plain.get("nps")
    figures["nps_n"] = float(nps.n) if nps is not None and nps.value is not None and nps.n else None
    by_kind = {(r.kind, r.code): r for r in rows if r.code}
    codes = list(dict.fromkeys(r.code for r in rows if r.kind == "kwi_score" and r.code))

    def value(kind: str, code: str) -> float | None:
        found = by_kind.get((kind, code))
        return found.value if found is not None else None

    kwis = tuple(
        KwiFigures(
            code=code,
            title=by_kind[("kwi_score", code)].title,
            description="",
            target=value("kwi_target", code) or 0.0,
            score=value("kwi_score", code),
            mean=value("kwi_mean", code),
            n=by_kind[("kwi_score", code)].n,
            n_respondents=None,
            swing=value("kwi_swing", code),
            shown=value("kwi_score", code) is not None,
        )
        for code in codes
    )
    return MonitorFigures(figures=figures, kwis=kwis)


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10]) if text.strip() else None
    except ValueError:
        return None


def _number(text: str) -> float | None:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _whole(value: float | None) -> int | None:
    return int(round(value)) if value is not None and math.isfinite(value) else None


# ---------------------------------------------------------------------------------------------
# The portfolio


@dataclass(frozen=True)
class TrendPeriod:
    """One period across the portfolio."""

    period: str
    clients: int  # clients measured in the period
    mean_overall: float | None  # mean of the overall scores the clients' monitors show
    scored: int  # clients whose overall score is shown
    nps: float | None  # pooled over every respondent of every NPS shown
    nps_n: int
    returned: int
    asked: int

    @property
    def response(self) -> float | None:
        return self.returned / self.asked if self.asked else None


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    name: str
    clients: int
    kwis: int
    mean: float | None  # mean of the KWI scores shown
    scored: int  # KWIs with a score shown
    below: int  # clients with a KWI of this theme below its target
    titles: tuple[str, ...]  # the titles as written, most frequent first


@dataclass(frozen=True)
class ManagerRow:
    name: str  # "" when the monitors name no account manager
    clients: int
    mean_overall: float | None
    scored: int
    below_target: int  # clients needing attention for their scores
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class OpenAction:
    client: Client
    action: ClientAction


@dataclass(frozen=True)
class Portfolio:
    today: dt.date
    clients: tuple[Client, ...]  # attention first
    trend: tuple[TrendPeriod, ...]
    themes: tuple[ThemeRow, ...]
    benchmark: dict[str, float | None]  # standard statement -> portfolio mean (of the clients' means)
    actions: tuple[OpenAction, ...]  # every open action, by deadline
    managers: tuple[ManagerRow, ...]
    supplier: str  # the supplier most monitors name
    problems: tuple[Problem, ...] = ()


def build_portfolio(clients: Iterable[Client], today: dt.date, problems: Iterable[Problem] = ()) -> Portfolio:
    ordered = tuple(sorted(clients, key=Client.attention_key))
    suppliers = Counter(c.supplier for c in ordered if c.supplier)
    return Portfolio(
        today=today,
        clients=ordered,
        trend=trend_periods(ordered),
        themes=theme_rows(ordered),
        benchmark={kind: _mean(c.standard[kind].mean for c in ordered) for kind in STANDARD_KINDS},
        actions=open_actions(ordered),
        managers=manager_rows(ordered),
        supplier=suppliers.most_common(1)[0][0] if suppliers else "",
        problems=tuple(problems),
    )


def _mean(values: Iterable[float | None]) -> float | None:
    found = [v for v in values if v is not None]
    return sum(found) / len(found) if found else None


def trend_periods(clients: Sequence[Client]) -> tuple[TrendPeriod, ...]:
    by_period: dict[str, dict[str, list[HistoryRow]]] = {}
    for client in clients:
        for row in client.history:
            if row.code:
                continue
            by_period.setdefault(row.period, {}).setdefault(row.kind, []).append(row)
    found = []
    for period in sorted(by_period):
        kinds = by_period[period]
        measured = len(kinds.get("returned", [])) or len(kinds.get("overall", []))
        overall = [r.value for r in kinds.get("overall", []) if r.value is not None]
        nps = [r for r in kinds.get("nps", []) if r.value is not None and r.n]
        nps_n = sum(r.n or 0 for r in nps)
        pooled = sum((r.value or 0.0) * (r.n or 0) for r in nps) / nps_n if nps_n else None
        found.append(
            TrendPeriod(
                period=period,
                clients=measured,
                mean_overall=sum(overall) / len(overall) if overall else None,
                scored=len(overall),
                nps=pooled,
                nps_n=nps_n,
                returned=int(sum(r.value or 0 for r in kinds.get("returned", []))),
                asked=int(sum(r.value or 0 for r in kinds.get("asked", []))),
            )
        )
    return tuple(found)


def theme_rows(clients: Sequence[Client]) -> tuple[ThemeRow, ...]:
    themes: dict[str, Theme] = {}
    members: dict[str, set[str]] = {}
    below: dict[str, set[str]] = {}
    scores: dict[str, list[float]] = {}
    counts: Counter[str] = Counter()
    titles: dict[str, Counter[str]] = {}
    for client in clients:
        for kwi in client.kwis:
            key = kwi.theme.key
            themes.setdefault(key, kwi.theme)
            members.setdefault(key, set()).add(client.folder)
            counts[key] += 1
            titles.setdefault(key, Counter())[" ".join(kwi.title.split()) or kwi.code] += 1
            if kwi.score is not None:
                scores.setdefault(key, []).append(kwi.score)
            if kwi.below_target:
                below.setdefault(key, set()).add(client.folder)
    rows = []
    for key, theme in themes.items():
        named = sorted(titles[key].items(), key=lambda item: _title_order(*item))
        found = scores.get(key, [])
        rows.append(
            ThemeRow(
                theme=theme,
                name=theme.name or named[0][0],
                clients=len(members[key]),
                kwis=counts[key],
                mean=sum(found) / len(found) if found else None,
                scored=len(found),
                below=len(below.get(key, ())),
                titles=tuple(title for title, _ in named),
            )
        )
    rows.sort(key=lambda r: (-r.clients, -r.kwis, r.name.casefold()))
    return tuple(rows)


def _title_order(title: str, count: int) -> tuple[object, ...]:
    """The title an own theme is named after: the most frequent, then the plainest (fewest signs
    that are no letters, a capital first), then alphabetical."""
    signs = sum(1 for ch in title if not (ch.isalnum() or ch == " "))
    return (-count, signs, not title[:1].isupper(), title.casefold(), title)


def open_actions(clients: Sequence[Client]) -> tuple[OpenAction, ...]:
    found = [OpenAction(c, a) for c in clients for a in c.actions if a.open]
    found.sort(
        key=lambda o: (
            o.action.deadline is None,
            o.action.deadline or dt.date.max,
            o.client.client.casefold(),
            o.action.number,
        )
    )
    return tuple(found)


def manager_rows(clients: Sequence[Client]) -> tuple[ManagerRow, ...]:
    by_name: dict[str, list[Client]] = {}
    for client in clients:
        by_name.setdefault(" ".join(client.account_manager.split()), []).append(client)
    rows = []
    for name, own in by_name.items():
        overall = [c.overall for c in own if c.overall is not None]
        rows.append(
            ManagerRow(
                name=name,
                clients=len(own),
                mean_overall=sum(overall) / len(overall) if overall else None,
                scored=len(overall),
                below_target=sum(1 for c in own if c.overall_below or c.kwis_below),
                open_actions=sum(c.open_actions for c in own),
                overdue_actions=sum(c.overdue_actions for c in own),
            )
        )
    rows.sort(key=lambda r: (r.name == "", r.name.casefold()))
    return tuple(rows)


__all__ = [
    "OLD_MONITOR_DAYS",
    "Client",
    "ClientAction",
    "ClientKwi",
    "ManagerRow",
    "OpenAction",
    "Portfolio",
    "Reason",
    "StandardMean",
    "ThemeRow",
    "TrendPeriod",
    "build_portfolio",
    "client_of",
    "figures_from_history",
]
