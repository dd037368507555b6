"""Everything the monitor shows, computed from the base and the valid returned forms.

``build_report`` turns forms into plain data with scoring applied; the workbook writer, the JSON
output and the summary table all read this one object. Anonymity is settled here: an anonymous
respondent's answers count in every pooled figure but carry no name or initials anywhere below
the ``respondents`` list. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from klantwaarde.model import Action, ActionStatus, Base, Form, Relevance
from klantwaarde.problems import Problem
from klantwaarde.scoring import (
    KwiResult,
    NpsResult,
    ScoredAnswer,
    kwi_results,
    net_promoter_score,
    nps_category,
    plain_mean,
    respondent_overall,
    weighted_score,
    weighted_swing,
)


@dataclass(frozen=True)
class AnswerRow:
    """One answer in long form. ``respondent`` is None for anonymous respondents."""

    respondent: str | None
    kwi_code: str
    kwi_title: str
    question_number: str
    question_text: str
    grade: int
    relevance: Relevance
    weight: float
    # The respondent's opaque key (initials, or "anon-1"... for anonymous respondents): which answers
    # belong together, for the disclosure decision; never shown.
    key: str = ""


@dataclass(frozen=True)
class RespondentResult:
    initials: str
    name: str
    email: str
    function: str
    remark: str  # the base's remark column (not the form's remark)
    asked: int  # number of assigned questions
    returned: bool
    anonymous: bool
    answered: int = 0
    overall: float | None = None  # None for anonymous respondents
    nps: int | None = None  # None for anonymous respondents
    file: str | None = None  # returned file name


@dataclass(frozen=True)
class QuestionStats:
    number: str
    kwi_code: str
    text: str
    n: int
    mean: float | None
    score: float | None
    less: int
    neutral: int
    more: int


@dataclass(frozen=True)
class Remark:
    respondent: str | None  # "Kees Klant (KK)", None when anonymous
    text: str
    key: str = ""  # the writer's opaque key (see AnswerRow.key); never shown


@dataclass(frozen=True)
class HistoryRow:
    """One figure of one period, as kept in ``_data`` so later monitors can draw the trend.

    kind: kwi_score | kwi_mean | kwi_target | kwi_swing | overall | overall_swing | nps |
    nps_swing | returned | asked (the swings: SPEC 2.1; monitors made before kwm kept them have none)
    """

    period: str
    kind: str
    code: str
    title: str
    value: float | None
    n: int | None = None


HISTORY_KINDS = (
    "kwi_score",
    "kwi_mean",
    "kwi_target",
    "kwi_swing",
    "overall",
    "overall_swing",
    "nps",
    "nps_swing",
    "returned",
    "asked",
)
UP, DOWN, NOISE = "▲", "▼", "≈"


@dataclass(frozen=True)
class Change:
    """A figure from one period to the next: ``within_noise`` when the change is no larger than
    the larger of the two periods' swings (SPEC 2.1; a period without a swing uses the other's)."""

    delta: float
    within_noise: bool

    @property
    def mark(self) -> str:
        if self.within_noise:
            return NOISE
        return UP if self.delta > 0 else DOWN


def change_between(
    before: float | None, before_swing: float | None, after: float | None, after_swing: float | None
) -> Change | None:
    """The change from ``before`` to ``after``; None when either is missing."""
    if before is None or after is None:
        return None
    delta = after - before
    swings = [s for s in (before_swing, after_swing) if s is not None]
    noise = max(swings, default=0.0)  # neither known: only no change at all is no change
    return Change(delta, abs(delta) <= noise + 1e-12)


@dataclass(frozen=True)
class TrendLine:
    """One figure over all periods: ``values[i]`` belongs to ``Trend.periods[i]`` (None: not
    measured), ``swings[i]`` its swing (None: unknown)."""

    code: str  # KWI code, or "" for overall / nps / returned / asked
    title: str
    values: list[float | None]
    swings: list[float | None] = field(default_factory=list)

    def change(self) -> Change | None:
        """The latest period against the latest earlier one with a value (None: no such pair)."""
        measured = [i for i, value in enumerate(self.values) if value is not None]
        if len(measured) < 2 or measured[-1] != len(self.values) - 1:
            return None
        before, after = measured[-2], measured[-1]
        swing = self.swings if self.swings else [None] * len(self.values)
        return change_between(self.values[before], swing[before], self.values[after], swing[after])


@dataclass(frozen=True)
class Trend:
    """The history pivoted for the Trend sheet: periods oldest to newest, one line per figure."""

    periods: list[str]
    kwis: list[TrendLine]  # KWI scores, matched across periods by code, titles from the newest period
    overall: TrendLine
    nps: TrendLine
    returned: TrendLine
    asked: TrendLine


def trend_of(history: Iterable[HistoryRow], kwi_order: Sequence[str] = ()) -> Trend:
    """Pivot history rows: KWIs in ``kwi_order`` first (the current base), then older codes by code."""
    rows = list(history)
    periods = sorted({row.period for row in rows})
    index = {period: i for i, period in enumerate(periods)}
    titles = kwi_titles_newest(r for r in rows if r.kind == "kwi_score")

    def line(kind: str, code: str = "", title: str = "", swing_kind: str | None = None) -> TrendLine:
        values: list[float | None] = [None] * len(periods)
        swings: list[float | None] = [None] * len(periods)
        for row in rows:
            if row.kind == kind and row.code == code:
                values[index[row.period]] = row.value
            elif swing_kind is not None and row.kind == swing_kind and row.code == code:
                swings[index[row.period]] = row.value
        return TrendLine(code, title, values, swings)

    codes = [c for c in kwi_order if any(r.kind == "kwi_score" and r.code == c for r in rows)]
    codes += sorted({r.code for r in rows if r.kind == "kwi_score" and r.code and r.code not in codes})
    return Trend(
        periods=periods,
        kwis=[line("kwi_score", code, titles.get(code, ""), "kwi_swing") for code in codes],
        overall=line("overall", swing_kind="overall_swing"),
        nps=line("nps", swing_kind="nps_swing"),
        returned=line("returned"),
        asked=line("asked"),
    )


@dataclass(frozen=True)
class MonitorReport:
    base: Base
    generated_at: dt.datetime
    kwis: list[KwiResult]
    overall: float | None
    overall_mean: float | None
    nps: NpsResult
    respondents: list[RespondentResult]
    answers: list[AnswerRow]
    questions: list[QuestionStats]
    remarks: list[Remark]
    problems: list[Problem]
    history: list[HistoryRow] = field(default_factory=list)  # every period, this one included
    # how many respondents (anonymous included) gave each NPS value 0..10; index = value
    nps_distribution: tuple[int, ...] = (0,) * 11
    nps_keys: tuple[str, ...] = ()  # opaque keys of the respondents who answered the NPS question
    overall_swing: float | None = None  # how far one respondent moves the overall score (SPEC 2.1)

    @property
    def report_date(self) -> dt.date:
        return self.generated_at.date()

    @property
    def trend(self) -> Trend:
        return trend_of(self.history, [k.code for k in self.kwis])

    def is_overdue(self, action: Action) -> bool:
        """Open or in-progress with a deadline before the report date."""
        status = action.status.strip().lower()
        return (
            status in (ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value)
            and action.deadline is not None
            and action.deadline < self.report_date
        )

    def overdue_actions(self) -> list[Action]:
        return [a for a in self.base.actions if self.is_overdue(a)]

    def least_relevant(self, limit: int = 5) -> list[QuestionStats]:
        """Questions most often marked less relevant (candidates to drop), most marks first."""
        marked = [q for q in self.questions if q.less > 0]
        order = {q.number: i for i, q in enumerate(self.questions)}
        marked.sort(key=lambda q: (-q.less, -(q.less / q.n if q.n else 0), order[q.number]))
        return marked[:limit]

    @property
    def returned(self) -> int:
        return sum(1 for r in self.respondents if r.returned)

    @property
    def asked(self) -> int:
        return len(self.respondents)

    @property
    def periods(self) -> list[str]:
        return sorted({row.period for row in self.history})

    def outliers(self, margin: float = 1.0) -> list[RespondentResult]:
        """Named respondents whose own overall score is more than ``margin`` above/below the overall."""
        if self.overall is None:
            return []
        return [
            r
            for r in self.respondents
            if not r.anonymous and r.overall is not None and abs(r.overall - self.overall) > margin
        ]


def _anonymous_keys(forms: Sequence[Form]) -> dict[str, str]:
    """Opaque scoring keys for anonymous respondents, so no initials travel with their answers."""
    keys = {}
    for index, form in enumerate(f for f in forms if f.anonymous):
        keys[form.identity.initials.upper()] = f"anon-{index + 1}"
    return keys


def build_report(
    base: Base,
    forms: Sequence[Form],
    problems: Iterable[Problem] = (),
    history: Iterable[HistoryRow] = (),
    now: dt.datetime | None = None,
) -> MonitorReport:
    """Score ``forms`` (valid, one per respondent) against ``base``; merge ``history`` of earlier periods."""
    weights = base.settings.weights
    by_initials = {f.identity.initials.upper(): f for f in forms}
    anon = _anonymous_keys(forms)
    kwi_titles = {k.code: k.title for k in base.kwis}

    scored: list[ScoredAnswer] = []
    rows: list[AnswerRow] = []
    for form in forms:
        initials = form.identity.initials.upper()
        key = anon.get(initials, initials)
        for answer in form.answers:
            question = answer.question  # set when the form was collected against this base
            if question is None:
                continue
            scored.append(
                ScoredAnswer(
                    key, question.kwi_code, question.number, answer.grade, answer.relevance, form.anonymous
                )
            )
            rows.append(
                AnswerRow(
                    respondent=None if form.anonymous else initials,
                    kwi_code=question.kwi_code,
                    kwi_title=kwi_titles.get(question.kwi_code, ""),
                    question_number=question.number,
                    question_text=question.text,
                    grade=answer.grade,
                    relevance=answer.relevance,
                    weight=weights.of(answer.relevance),
                    key=key,
                )
            )
    order = {q.number: i for i, q in enumerate(base.questions)}
    rows.sort(key=lambda r: (order.get(r.question_number, 0), r.respondent or "~"))

    kwis = kwi_results(scored, [(k.code, k.title, base.target_for(k)) for k in base.kwis], weights)

    respondents = []
    for respondent in base.respondents:
        returned = by_initials.get(respondent.initials)
        anonymous = bool(returned and returned.anonymous)
        own = [a for a in scored if a.respondent == respondent.initials] if returned and not anonymous else []
        respondents.append(
            RespondentResult(
                initials=respondent.initials,
                name=respondent.name,
                email=respondent.email,
                function=respondent.function,
                remark=respondent.remark,
                asked=len(base.questions_for(respondent.initials)),
                returned=returned is not None,
                anonymous=anonymous,
                answered=len(returned.answers) if returned else 0,
                overall=respondent_overall(own, respondent.initials, weights) if own else None,
                nps=returned.nps if returned and not anonymous else None,
                file=returned.path.name if returned else None,
            )
        )

    questions = []
    for question in base.questions:
        own = [a for a in scored if a.question_number == question.number]
        questions.append(
            QuestionStats(
                number=question.number,
                kwi_code=question.kwi_code,
                text=question.text,
                n=len(own),
                mean=plain_mean(a.grade for a in own),
                score=weighted_score(own, weights),
                less=sum(1 for a in own if a.relevance is Relevance.LESS),
                neutral=sum(1 for a in own if a.relevance is Relevance.NEUTRAL),
                more=sum(1 for a in own if a.relevance is Relevance.MORE),
            )
        )

    remarks = []
    for form in forms:
        if form.remark.strip():
            who = None
            if not form.anonymous:
                person = base.respondent(form.identity.initials)
                who = person.label if person else form.identity.initials
            initials = form.identity.initials.upper()
            remarks.append(Remark(who, form.remark.strip(), anon.get(initials, initials)))
    # Anonymous remarks go last and in a fixed order, so their position reveals nothing.
    remarks.sort(
        key=lambda r: (r.respondent is None, r.respondent or "", r.text if r.respondent is None else "")
    )

    nps_values = [f.nps for f in forms if f.nps is not None]
    nps_keys = tuple(
        anon.get(f.identity.initials.upper(), f.identity.initials.upper()) for f in forms if f.nps is not None
    )
    nps = net_promoter_score(nps_values)
    distribution = tuple(sum(1 for v in nps_values if v == value) for value in range(11))
    report = MonitorReport(
        base=base,
        generated_at=now or dt.datetime.now().replace(microsecond=0),
        kwis=kwis,
        overall=weighted_score(scored, weights),
        overall_mean=plain_mean(a.grade for a in scored),
        overall_swing=weighted_swing(scored, weights),
        nps=nps,
        respondents=respondents,
        answers=rows,
        questions=questions,
        remarks=remarks,
        problems=list(problems),
        nps_distribution=distribution,
        nps_keys=nps_keys,
    )
    merged = merge_history(history, current_history(report))
    return MonitorReport(**{**report.__dict__, "history": merged})


def current_history(report: MonitorReport) -> list[HistoryRow]:
    period = report.base.settings.period
    rows = []
    for kwi in report.kwis:
        rows.append(HistoryRow(period, "kwi_score", kwi.code, kwi.title, kwi.score, kwi.n))
        rows.append(HistoryRow(period, "kwi_mean", kwi.code, kwi.title, kwi.mean, kwi.n))
        rows.append(HistoryRow(period, "kwi_target", kwi.code, kwi.title, kwi.target, None))
        rows.append(HistoryRow(period, "kwi_swing", kwi.code, kwi.title, kwi.swing, None))
    rows.append(HistoryRow(period, "overall", "", "", report.overall, len(report.answers)))
    rows.append(HistoryRow(period, "overall_swing", "", "", report.overall_swing, None))
    rows.append(HistoryRow(period, "nps", "", "", report.nps.nps, report.nps.n))
    rows.append(HistoryRow(period, "nps_swing", "", "", report.nps.swing, None))
    rows.append(HistoryRow(period, "returned", "", "", float(report.returned), None))
    rows.append(HistoryRow(period, "asked", "", "", float(report.asked), None))
    return rows


def merge_history(older: Iterable[HistoryRow], newer: Iterable[HistoryRow]) -> list[HistoryRow]:
    """All rows of ``newer`` plus those of ``older`` for periods ``newer`` does not cover.

    Re-processing a period replaces it, never duplicates it. Within ``older`` a later row for the
    same (period, kind, code) wins too. Sorted by period, then kind, then code.
    """
    new_rows = list(newer)
    new_periods = {row.period for row in new_rows}
    kept: dict[tuple[str, str, str], HistoryRow] = {}
    for row in older:
        if row.period not in new_periods:
            kept[(row.period, row.kind, row.code)] = row
    for row in new_rows:
        kept[(row.period, row.kind, row.code)] = row
    kind_order = {kind: i for i, kind in enumerate(HISTORY_KINDS)}
    return sorted(kept.values(), key=lambda r: (r.period, kind_order.get(r.kind, 99), r.code))


def kwi_titles_newest(history: Iterable[HistoryRow]) -> dict[str, str]:
    """KWI code -> title from the newest period that names it (titles may change over time)."""
    titles: dict[str, tuple[str, str]] = {}
    for row in history:
        if row.code and row.title and (row.code not in titles or row.period >= titles[row.code][0]):
            titles[row.code] = (row.period, row.title)
    return {code: title for code, (_, title) in titles.items()}


def anonymity_scrubber(
    respondents: Iterable[RespondentResult],
    word: str,
    files: Iterable[str] = (),
    file_word: str | None = None,
) -> Callable[[str], str]:
    """A function replacing what names an anonymous respondent: every file of theirs (``files``:
    the names of their returned form, an ignored copy, a refused form — found by whose form it is,
    not by what the name says) by ``file_word``, and their names, e-mail addresses and initials by
    ``word``.

    Problem messages and file names may name a respondent (a returned form is usually named after
    its respondent); for anonymous respondents that would tie them to their answers.
    """
    patterns: list[tuple[re.Pattern[str], str]] = []
    for name in files:
        if name.strip():
            patterns.append((re.compile(re.escape(name), re.IGNORECASE), file_word or word))
    for r in respondents:
        if not r.anonymous:
            continue
        for literal in (r.file, r.email, r.name):
            if literal and len(literal.strip()) >= 2:
                patterns.append((re.compile(re.escape(literal.strip()), re.IGNORECASE), word))
        if len(r.initials) >= 2:
            patterns.append((re.compile(rf"(?<![A-Za-z0-9]){re.escape(r.initials)}(?![A-Za-z0-9])"), word))
    # longest first, so a whole file name goes before the name inside it, a name before its initials
    patterns.sort(key=lambda item: -len(item[0].pattern))

    def scrub(text: str) -> str:
        for pattern, replacement in patterns:
            text = pattern.sub(replacement, text)
        return text

    return scrub


def names_anonymous(found: Problem, scrub: Callable[[str], str]) -> bool:
    """Whether a problem says something about an anonymous respondent (``scrub`` would change it)."""
    texts = [found.location.file, *(v for v in found.context.values() if isinstance(v, str))]
    return any(scrub(text) != text for text in texts)


def without_anonymous_names(
    report: MonitorReport, word: str, files: Iterable[str] = (), file_word: str | None = None
) -> MonitorReport:
    """The report with every problem's file name and context scrubbed of anonymous respondents."""
    scrub = anonymity_scrubber(report.respondents, word, files, file_word)
    return replace(report, problems=[p.map_text(scrub) for p in report.problems])


__all__ = [
    "AnswerRow",
    "Change",
    "HistoryRow",
    "MonitorReport",
    "QuestionStats",
    "Remark",
    "RespondentResult",
    "Trend",
    "TrendLine",
    "build_report",
    "current_history",
    "kwi_titles_newest",
    "merge_history",
    "nps_category",
    "trend_of",
]
