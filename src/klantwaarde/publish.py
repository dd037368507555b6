"""What a monitor report shows: the report as the disclosure rules allow it (SPEC 3.5).

``published(report, disclosure)`` is the report with every withheld figure and detail taken out:
withheld KWI, question, overall and NPS figures are empty, per-respondent scores and NPS values
only where they may be shown, answers only of shown questions with their respondent only where
allowed (in an order that never follows the respondent list), remarks with authors only where
allowed, the opaque respondent keys gone, and the history of this period recomputed from what is
shown. Every writer renders the published report, so no writer can show more than the decision
allows. ``report_payload`` is the ``--json`` object of SPEC 3.4 built the same way. Standard
library only.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from klantwaarde.disclosure import NPS, OVERALL, Disclosure
from klantwaarde.report import (
    AnswerRow,
    Change,
    MonitorReport,
    QuestionStats,
    Trend,
    TrendLine,
    current_history,
    merge_history,
)
from klantwaarde.scoring import KwiResult, NpsResult


def published(report: MonitorReport, disclosure: Disclosure) -> MonitorReport:
    """``report`` with nothing in it that ``disclosure`` withholds (see the module docstring)."""
    d = disclosure
    kwis = [
        replace(
            k,
            score=k.score if d.kwi_shown(k.code) else None,
            mean=k.mean if d.kwi_shown(k.code) else None,
            swing=k.swing if d.kwi_shown(k.code) else None,
            respondents={
                who: score
                for who, score in k.respondents.items()
                if d.kwi_shown(k.code) and d.detail_shown(who, k.code)
            },
        )
        for k in report.kwis
    ]
    questions = [
        q if d.question_shown(q.number) else replace(q, mean=None, score=None, less=0, neutral=0, more=0)
        for q in report.questions
    ]
    respondents = [
        replace(
            r,
            overall=r.overall if d.detail_shown(r.initials, OVERALL) else None,
            nps=r.nps if d.detail_shown(r.initials, NPS) else None,
        )
        for r in report.respondents
    ]
    answers: list[AnswerRow] = [replace(row, respondent=who, key="") for row, who in d.answer_rows(report)]
    remarks = [replace(r, key="") for r in d.remarks(report)]
    nps = report.nps if d.nps_shown else NpsResult(None, 0, 0, 0, 0)
    distribution = report.nps_distribution if d.nps_shown else (0,) * len(report.nps_distribution)
    shown = replace(
        report,
        kwis=kwis,
        overall=report.overall if d.overall_shown else None,
        overall_mean=report.overall_mean if d.overall_shown else None,
        overall_swing=report.overall_swing if d.overall_shown else None,
        nps=nps,
        respondents=respondents,
        answers=answers,
        questions=questions,
        remarks=remarks,
        nps_distribution=distribution,
        nps_keys=(),
    )
    period = report.base.settings.period
    earlier = [row for row in report.history if row.period != period]
    return replace(shown, history=merge_history(earlier, current_history(shown)))


def report_payload(
    report: MonitorReport, disclosure: Disclosure, output: str, internal: str | None = None
) -> dict[str, Any]:
    """The figures ``kwm process --json`` prints (SPEC 3.4), as ``disclosure`` allows: what the
    account manager sees, exactly like the workbooks. Anonymous respondents carry no initials; a
    withheld figure is null (with ``"shown": false``)."""
    settings = report.base.settings
    d = disclosure

    def kwi(k: KwiResult) -> dict[str, Any]:
        shown = d.kwi_shown(k.code)
        return {
            "code": k.code,
            "title": k.title,
            "shown": shown,
            "score": k.score if shown else None,
            "mean": k.mean if shown else None,
            "target": k.target,
            "n": k.n if shown else None,
            "n_respondents": k.n_respondents if shown else None,
            "swing": k.swing if shown else None,
            "respondents": {
                initials: score
                for initials, score in k.respondents.items()
                if shown and d.detail_shown(initials, k.code)
            },
        }

    def question(q: QuestionStats) -> dict[str, Any]:
        shown = d.question_shown(q.number)
        return {
            "number": q.number,
            "kwi": q.kwi_code,
            "shown": shown,
            "n": q.n if shown else None,
            "mean": q.mean if shown else None,
            "score": q.score if shown else None,
        }

    nps = report.nps
    nps_shown = d.nps_shown
    return {
        "client": settings.client,
        "client_code": settings.client_code,
        "period": settings.period,
        "output": output,
        "internal": internal,
        "overall": report.overall if d.overall_shown else None,
        "overall_swing": report.overall_swing if d.overall_shown else None,
        "returned": report.returned,
        "asked": report.asked,
        "threshold": d.threshold,
        "kwis": [kwi(k) for k in report.kwis],
        "questions": [question(q) for q in report.questions],
        "nps": {
            "shown": nps_shown,
            "nps": nps.nps if nps_shown else None,
            "promoters": nps.promoters if nps_shown else None,
            "passives": nps.passives if nps_shown else None,
            "detractors": nps.detractors if nps_shown else None,
            "n": nps.n if nps_shown else None,
            "swing": nps.swing if nps_shown else None,
        },
        **trend_payload(published(report, d).trend, settings.period),
        "respondents": [
            {
                "initials": None if r.anonymous else r.initials,
                "returned": r.returned,
                "anonymous": r.anonymous,
                "overall": r.overall if d.detail_shown(r.initials, OVERALL) and not r.anonymous else None,
            }
            # anonymous respondents last, so their position in the list names nobody
            for r in sorted(report.respondents, key=lambda r: r.anonymous)
        ],
        "remarks": [
            {"text": remark.text, "by": remark.key if remark.respondent is not None else None}
            for remark in d.remarks(report)
        ],
        "withheld": {
            "respondent_details": d.details_withheld,
            "questions": [q.number for q in report.questions if not d.question_shown(q.number)],
            "kwis": [k.code for k in report.kwis if not d.kwi_shown(k.code)],
            "overall": not d.overall_shown,
            "nps": not d.nps_shown,
            "remark_authors": not d.remark_authors_shown,
            "remarks": not d.remarks_shown,
            "reasons": sorted({w.reason.value for w in d.reasons}),
        },
    }


def trend_payload(trend: Trend, period: str) -> dict[str, Any]:
    """SPEC 3.4: ``trend`` holds the periods before ``period``, oldest first (a figure not measured
    is null); ``changes`` compares ``period`` with the latest of them (SPEC 2.1), each figure only
    where both periods have it, and is absent when there is no earlier period."""

    def change(line: TrendLine) -> dict[str, Any] | None:
        found: Change | None = line.change()
        return None if found is None else {"delta": found.delta, "within_noise": found.within_noise}

    earlier = [
        {
            "period": name,
            "overall": trend.overall.values[i],
            "nps": trend.nps.values[i],
            "kwis": {line.code: line.values[i] for line in trend.kwis if line.values[i] is not None},
        }
        for i, name in enumerate(trend.periods)
        if name < period
    ]
    payload: dict[str, Any] = {"trend": earlier}
    if earlier and trend.periods and trend.periods[-1] == period:
        changes: dict[str, Any] = {
            key: found
            for key, found in (("overall", change(trend.overall)), ("nps", change(trend.nps)))
            if found
        }
        changes["kwis"] = {line.code: found for line in trend.kwis if (found := change(line))}
        payload["changes"] = changes
    return payload


__all__ = ["published", "report_payload", "trend_payload"]
