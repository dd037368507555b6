"""build_report: scores from forms, anonymity, history merging, and the SPEC 3.4 JSON object."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from klantwaarde.examples import newmedia as nm

from conftest import FIXED_NOW
from factories import example_base
from klantwaarde.disclosure import decide
from klantwaarde.model import Answer, Form, FormIdentity, Relevance
from klantwaarde.publish import report_payload
from klantwaarde.report import HistoryRow, build_report, kwi_titles_newest, merge_history
from klantwaarde.results import envelope
from klantwaarde.texts import load_texts

MARK = {"<": Relevance.LESS, ">": Relevance.MORE, "": Relevance.NEUTRAL, "N": Relevance.NEUTRAL}
# As collecting leaves them: every answer carries its base question.
QUESTIONS = {q.number: q for q in example_base().questions}


def form(
    initials: str, period: str = nm.PERIOD, anonymous: bool = False, nps: int | None = None, remark: str = ""
):
    answers = tuple(
        Answer(number, grade, MARK[mark], question=QUESTIONS[number])
        for number, (grade, mark) in nm.answers(initials, period).items()
        if grade
    )
    return Form(
        path=Path(f"{initials}.xlsx"),
        identity=FormIdentity(nm.CLIENT_CODE, period, initials),
        answers=answers,
        nps=nps if nps is not None else nm.NPS[period][initials],
        anonymous=anonymous,
        remark=remark,
    )


def test_kees_klant_alone_matches_a_hand_computation():
    base = example_base()
    report = build_report(base, [form("KK")], now=FIXED_NOW)
    # 6,7,8 | 7,7,8(<),8 | 8,8,8,(blank) | 6,6 | 6,7,7,7 ; weights N=2, <=1
    grades = [(6, 2), (7, 2), (8, 2), (7, 2), (7, 2), (8, 1), (8, 2), (8, 2), (8, 2), (8, 2)]
    grades += [(6, 2), (6, 2), (6, 2), (7, 2), (7, 2), (7, 2)]
    expected = sum(g * w for g, w in grades) / sum(w for _, w in grades)
    assert report.overall == pytest.approx(expected)
    kwi2 = next(k for k in report.kwis if k.code == "KWI-02")
    assert kwi2.score == pytest.approx((14 + 14 + 8 + 16) / 7)
    assert kwi2.mean == pytest.approx(7.5)
    kwi3 = next(k for k in report.kwis if k.code == "KWI-03")
    assert kwi3.n == 3  # the blank one does not count
    assert kwi3.target == 8.0  # KWI-03 has its own target, the others the default
    assert next(k for k in report.kwis if k.code == "KWI-01").target == 7.5
    assert report.nps.promoters == 1 and report.nps.nps == pytest.approx(100.0)
    assert report.returned == 1 and report.asked == 5


def test_anonymous_respondent_counts_but_is_named_nowhere_in_figures():
    base = example_base()
    forms = [form(i, anonymous=(i == "DD"), remark=f"opmerking van {i}") for i in ("AA", "BB", "DD")]
    report = build_report(base, forms, now=FIXED_NOW)
    assert all("DD" not in k.respondents for k in report.kwis)
    assert any(k.n_respondents == 3 for k in report.kwis)
    assert all(row.respondent != "DD" for row in report.answers)
    assert sum(1 for row in report.answers if row.respondent is None) == len(forms[2].answers)
    dd = next(r for r in report.respondents if r.initials == "DD")
    assert dd.returned and dd.anonymous and dd.overall is None and dd.nps is None
    assert [r.respondent for r in report.remarks if "DD" in r.text] == [None]
    assert report.nps.n == 3  # the anonymous NPS still counts

    data = envelope(report_payload(report, decide(report), "out.xlsx"), [], load_texts("nl"))
    text = json.dumps(data)
    assert "D. Deeee" not in text and '"DD"' not in text
    anon = [r for r in data["respondents"] if r["anonymous"]]
    assert anon == [{"initials": None, "returned": True, "anonymous": True, "overall": None}]
    assert data["respondents"][-1]["anonymous"] is True


def test_json_has_exactly_the_fields_of_the_spec():
    report = build_report(example_base(), [form("AA"), form("KK")], now=FIXED_NOW)
    data = envelope(report_payload(report, decide(report), "x.xlsx"), [], load_texts("nl"))
    assert set(data) == {
        "client",
        "client_code",
        "period",
        "output",
        "internal",
        "overall",
        "overall_swing",
        "returned",
        "asked",
        "threshold",
        "kwis",
        "questions",
        "nps",
        "respondents",
        "remarks",
        "withheld",
        "trend",
        "problems",
    }  # no "changes": there is no earlier period
    assert data["trend"] == []
    assert set(data["kwis"][0]) == {
        "code", "title", "shown", "score", "mean", "target", "n", "n_respondents", "swing", "respondents",
    }  # fmt: skip
    assert set(data["questions"][0]) == {"number", "kwi", "shown", "n", "mean", "score"}
    assert set(data["nps"]) == {"shown", "nps", "promoters", "passives", "detractors", "n", "swing"}
    assert set(data["withheld"]) >= {"respondent_details", "questions", "reasons"}
    assert data["threshold"] == 3
    assert data["kwis"][0]["respondents"].keys() == {"AA", "KK"}
    assert data["client"] == "KLANT NV" and data["returned"] == 2 and data["asked"] == 5


def test_unknown_question_numbers_are_left_out_of_the_report():
    base = example_base()
    odd = replace(form("AA"), answers=(Answer("9.99", 1, Relevance.MORE), *form("AA").answers))
    assert build_report(base, [odd]).overall == build_report(base, [form("AA")]).overall


def test_history_is_merged_by_period_and_reprocessing_replaces():
    old = [
        HistoryRow("2010H2", "overall", "", "", 6.5, 10),
        HistoryRow("2011H1", "overall", "", "", 1.0, 3),  # an earlier run of this period
        HistoryRow("2010H2", "kwi_score", "KWI-01", "Oude titel", 6.0, 4),
    ]
    report = build_report(example_base(), [form("AA")], history=old, now=FIXED_NOW)
    overall = [(r.period, r.value) for r in report.history if r.kind == "overall"]
    assert overall == [("2010H2", 6.5), ("2011H1", report.overall)]
    assert report.periods == ["2010H2", "2011H1"]
    assert kwi_titles_newest(report.history)["KWI-01"] == "Kennisborging"
    again = merge_history(report.history, report.history)
    assert again == report.history


def test_outliers_are_named_respondents_more_than_one_point_away():
    base = example_base()
    low = replace(form("DD"), answers=tuple(replace(a, grade=5) for a in form("DD").answers))
    report = build_report(base, [form("AA"), form("BB"), form("CC"), low], now=FIXED_NOW)
    outliers = {r.initials for r in report.outliers()}
    assert "DD" in outliers
    for r in report.respondents:
        if r.overall is not None:
            assert (abs(r.overall - report.overall) > 1) == (r.initials in outliers)
    anonymous_low = replace(low, anonymous=True)
    report = build_report(base, [form("AA"), form("BB"), form("CC"), anonymous_low], now=FIXED_NOW)
    assert "DD" not in [r.initials for r in report.outliers()]
