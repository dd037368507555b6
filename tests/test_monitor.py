"""The monitor workbook (SPEC 3.4): golden values, charts, print settings, anonymity, literal text."""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from conftest import FIXED_NOW
from factories import example_base
from klantwaarde.disclosure import decide
from klantwaarde.model import A3Data, A3Figure, Answer, Base, Form, FormIdentity, Location, Relevance
from klantwaarde.monitor import build_monitor, discard, monitor_file_name, write_monitor
from klantwaarde.problems import KwmError, problem
from klantwaarde.publish import published
from klantwaarde.report import MonitorReport, build_report, current_history
from klantwaarde.texts import load_texts
from klantwaarde.workbook import compat

NL = load_texts("nl")
EN = load_texts("en")
DUTCH_SHEETS = [
    "Voorblad",
    "Respondenten",
    "KWI's",
    "Toewijzing",
    "KWI-scores",
    "Trend",
    "NPS",
    "Analyse",
    "Opmerkingen",
    "Actielijst",
    "Antwoorden",
    "_data",
]
ENGLISH_SHEETS = [
    "Cover",
    "Respondents",
    "KWIs",
    "Assignment",
    "KWI scores",
    "Trend",
    "NPS",
    "Analysis",
    "Remarks",
    "Action list",
    "Answers",
    "_data",
]
HOSTILE = ['=HYPERLINK("http://evil.example/x","klik")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
ANONYMOUS = ("D. Deeee", "DD", "d.deeee@newmedia.nl")  # DD stays anonymous in 2011H1

_MARKS = {"": Relevance.NEUTRAL, "N": Relevance.NEUTRAL, "<": Relevance.LESS, ">": Relevance.MORE}


# ---------------------------------------------------------------------------------------------
# Helpers (test_history imports these too)


def example_forms(
    period: str = nm.PERIOD,
    *,
    anonymous: set[str] | None = None,
    remarks: dict[str, str] | None = None,
    shift: int = 0,
) -> list[Form]:
    """The example's returned forms of ``period``; ``shift`` moves every grade (a made-up period)."""
    source = period if period in nm.NPS else nm.PERIOD
    anonymous = nm.ANONYMOUS[source] if anonymous is None else anonymous
    remarks = nm.REMARKS[source] if remarks is None else remarks
    forms = []
    questions = {q.number: q for q in example_base().questions}  # as collecting leaves them
    for initials in nm.ASSIGNMENT:
        answers = tuple(
            Answer(number, max(1, min(10, grade + shift)), _MARKS[mark], question=questions[number])
            for number, (grade, mark) in nm.answers(initials, source).items()
            if grade is not None
        )
        forms.append(
            Form(
                path=Path(f"KLANT-{period} Vragenlijst {initials}.xlsx"),
                identity=FormIdentity(nm.CLIENT_CODE, period, initials),
                answers=answers,
                nps=max(0, min(10, nm.NPS[source][initials] + shift)),
                anonymous=initials in anonymous,
                remark=remarks.get(initials, ""),
            )
        )
    return forms


def base_for(period: str, base: Base | None = None) -> Base:
    base = base or example_base()
    return dataclasses.replace(base, settings=dataclasses.replace(base.settings, period=period))


def example_report(**overrides: Any) -> MonitorReport:
    """2011H1 with the earlier period as history, and one problem on the anonymous respondent's form."""
    earlier = build_report(base_for(nm.EARLIER_PERIOD), example_forms(nm.EARLIER_PERIOD), now=FIXED_NOW)
    found = problem(
        "history_unreadable",
        Location("KLANT-2011H1 Vragenlijst D. Deeee (DD).xlsx", "Vragenlijst", 12, "E"),
        path="KLANT-2011H1 Vragenlijst D. Deeee (DD).xlsx",
    )
    arguments: dict[str, Any] = {
        "base": example_base(),
        "forms": example_forms(),
        "problems": [found],
        "history": current_history(earlier),
        "now": FIXED_NOW,
    }
    arguments.update(overrides)
    return build_report(**arguments)


def cells(workbook: Any) -> dict[str, list[tuple[str, Any]]]:
    """sheet -> [(coordinate, value)] for every non-empty cell, hidden sheets included."""
    found: dict[str, list[tuple[str, Any]]] = {}
    for sheet in workbook.worksheets:
        found[sheet.title] = [
            (cell.coordinate, cell.value)
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
    return found


def find(sheet: Any, value: Any) -> tuple[int, int]:
    """(row, column) of the first cell holding ``value``."""
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value == value:
                return cell.row, cell.column
    raise AssertionError(f"{value!r} not on {sheet.title}")


def row_values(sheet: Any, row: int) -> list[Any]:
    return [c.value for c in sheet[row]]


def worksheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("xl/worksheets/") and name.endswith(".xml")
        }


@pytest.fixture
def written(tmp_path: Path) -> tuple[MonitorReport, Path, Any]:
    """The example's monitor: DD chose anonymity, one of five (threshold 3)."""
    report = example_report()
    path = write_monitor(report, NL, tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    return report, path, openpyxl.load_workbook(path)


@pytest.fixture
def named(tmp_path: Path) -> tuple[MonitorReport, Path, Any]:
    """The example's monitor had nobody chosen anonymity: every detail may be shown."""
    report = example_report(forms=example_forms(anonymous=set()))
    path = write_monitor(report, NL, tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    return report, path, openpyxl.load_workbook(path)


# ---------------------------------------------------------------------------------------------
# Golden: the example's monitor


def test_sheets_in_spec_order_and_only_data_hidden(written):
    _, _, workbook = written
    assert workbook.sheetnames == DUTCH_SHEETS
    states = {ws.title: ws.sheet_state for ws in workbook.worksheets}
    assert states.pop("_data") == "hidden"
    assert set(states.values()) == {"visible"}
    assert workbook.active.title == "Voorblad"


def test_cover_key_figures(written):
    report, _, workbook = written
    ws = workbook["Voorblad"]
    r, c = find(ws, "Eindcijfer (gewogen)")
    overall = ws.cell(r, c + 1)
    assert round(overall.value, 2) == 7.47
    assert overall.value == pytest.approx(report.overall)
    assert overall.number_format == "0.00"
    swing = ws.cell(r, c + 2)  # ± beside the figure, with what it means
    assert swing.value == pytest.approx(report.overall_swing) and 0 < swing.value < 1
    assert swing.number_format == '"± "0.00'
    assert ws.cell(r, c + 3).value == "zoveel kan één respondent dit cijfer verschuiven"
    r, c = find(ws, "Net Promoter Score (NPS)")
    assert ws.cell(r, c + 1).value == 20.0
    # 6, 7, 8, 9, 9: leaving out the detractor makes it 50, so one respondent moves it 30 points
    assert ws.cell(r, c + 2).value == 30.0
    assert ws.cell(r, c + 3).value == "promotors 2 · passief 2 · criticasters 1 (n = 5)"
    r, c = find(ws, "Respons")
    assert ws.cell(r, c + 1).value == "5 van 5 respondenten"
    r, c = find(ws, "Responspercentage")
    assert ws.cell(r, c + 1).value == 1.0
    r, c = find(ws, "Klant")
    assert ws.cell(r, c + 1).value == "KLANT NV"
    r, c = find(ws, "Rapportdatum")
    assert ws.cell(r, c + 1).value == dt.datetime(2011, 6, 1)


def test_kwi_scores_table_values_and_formats(written):
    report, _, workbook = written
    ws = workbook["KWI-scores"]
    header, _ = find(ws, "KWI-gemiddelde")
    assert row_values(ws, header)[:8] == [
        "Code",
        "KWI",
        "KWI-gemiddelde",
        "KWI-score",
        "KWI-doel",
        "Verschil met doel",
        "Aantal antwoorden",
        "Aantal respondenten",
    ]
    golden = {  # code: (mean, score, target, n) of the example, rounded as shown
        "KWI-01": (7.24, 7.23, 7.50, 17),
        "KWI-02": (7.52, 7.60, 7.50, 23),
        "KWI-03": (7.78, 7.79, 8.00, 23),
        "KWI-04": (7.18, 7.14, 7.50, 17),
        "KWI-05": (7.38, 7.43, 7.50, 21),
    }
    for offset, kwi in enumerate(report.kwis):
        row = ws[header + 1 + offset]
        assert row[0].value == kwi.code
        mean, score, target, n = (row[i].value for i in (2, 3, 4, 6))
        assert (round(mean, 2), round(score, 2), round(target, 2), n) == golden[kwi.code]
        assert score == pytest.approx(kwi.score) and mean == pytest.approx(kwi.mean)
        assert [row[i].number_format for i in (2, 3, 4)] == ["0.00"] * 3
        assert row[7].value == 5  # five respondents answered every KWI (one anonymously)
    total = ws[header + 1 + len(report.kwis)]
    assert total[0].value == "Eindcijfer"
    assert round(total[3].value, 2) == 7.47 and total[6].value == len(report.answers) == 101


def test_kwi_scores_per_respondent_when_nobody_chose_anonymity(named):
    report, _, workbook = named
    ws = workbook["KWI-scores"]
    header, _ = find(ws, "Eindcijfer per respondent per KWI")
    labels = [ws.cell(header + 2 + i, 1).value for i in range(5)]
    assert labels == ["A. Aaaa (AA)", "B. Beee (BB)", "C. Ceee (CC)", "D. Deeee (DD)", "Kees Klant (KK)"]
    kk = next(r for r in report.respondents if r.initials == "KK")
    kk_row = header + 6
    assert ws.cell(kk_row, 2).value == pytest.approx(report.kwis[0].respondents["KK"])
    assert ws.cell(kk_row, 7).value == pytest.approx(kk.overall)
    assert ws.cell(kk_row, 2).number_format == "0.00"


def test_one_anonymous_respondent_leaves_pooled_figures_only(written):
    """With DD anonymous, AA's, BB's, CC's and KK's own scores would give DD's away by subtraction
    (SPEC 3.5): the sheet says so in plain words instead of listing anyone."""
    report, _, workbook = written
    ws = workbook["KWI-scores"]
    header, _ = find(ws, "Eindcijfer per respondent per KWI")
    assert ws.cell(header + 1, 1).value.startswith("Geen cijfers of scores per respondent")
    row, _ = find(ws, "KWI-01")
    assert ws.cell(row, 4).value == pytest.approx(report.kwis[0].score)  # the pooled score stays


def test_below_target_is_conditionally_formatted(named):
    _, _, workbook = named
    rules = {
        str(rng.sqref): [r.formula[0] for r in rng.rules]
        for rng in workbook["KWI-scores"].conditional_formatting
    }
    assert rules["D4:D9"] == ["AND(ISNUMBER(D4),D4<E4)"]
    # the respondent table compares with each KWI's own target (KWI-03: 8.0)
    assert any("<8.0" in formula for formulas in rules.values() for formula in formulas)
    analysis = {str(rng.sqref) for rng in workbook["Analyse"].conditional_formatting}
    assert analysis == {"F4:F27"}
    assert workbook["Voorblad"].conditional_formatting


def test_charts_per_sheet(written):
    _, path, workbook = written
    charts = {ws.title: [type(c).__name__ for c in compat.charts(ws)] for ws in workbook.worksheets}
    assert charts == {
        **{name: [] for name in DUTCH_SHEETS},
        "KWI-scores": ["BarChart"],
        "Trend": ["LineChart"],
        "NPS": ["BarChart"],
    }
    scores = compat.charts(workbook["KWI-scores"])[0]
    assert scores.grouping == "clustered" and len(scores.series) == 3
    assert (scores.y_axis.scaling.min, scores.y_axis.scaling.max) == (0, 10)
    trend = compat.charts(workbook["Trend"])[0]
    assert len(trend.series) == 6  # five KWIs and the overall score
    with zipfile.ZipFile(path) as archive:
        charts_xml = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts_xml) == 3
    for xml in charts_xml:
        # openpyxl >= 3.1 hides axes unless told not to: both axes must be visible
        assert xml.count('<delete val="0"') == 2 and '<delete val="1"' not in xml
        assert "<title>" in xml
    legends = sorted("<legend>" in xml for xml in charts_xml)
    assert legends == [False, True, True]  # the NPS bars are named by their categories


def test_trend_sheet_holds_every_period_oldest_first(written):
    report, _, workbook = written
    ws = workbook["Trend"]
    header, _ = find(ws, "Code")
    assert row_values(ws, header)[:4] == ["Code", "KWI", "2010H2", "2011H1"]
    r, _ = find(ws, "KWI-01")
    assert round(ws.cell(r, 3).value, 2) == 6.69 and round(ws.cell(r, 4).value, 2) == 7.23
    r, c = find(ws, "Eindcijfer")
    assert round(ws.cell(r, 4).value, 2) == 7.47
    r, c = find(ws, "NPS")
    assert (ws.cell(r, 3).value, ws.cell(r, 4).value) == (-40.0, 20.0)


def test_kwi_scores_and_nps_sheets_show_the_swing(written):
    report, _, workbook = written
    ws = workbook["KWI-scores"]
    header, _ = find(ws, "KWI-gemiddelde")
    assert ws.cell(header, 9).value == "± één respondent"
    for offset, kwi in enumerate(report.kwis):
        cell = ws.cell(header + 1 + offset, 9)
        assert cell.value == pytest.approx(kwi.swing) and cell.number_format == '"± "0.00'
    assert ws.cell(header + 1 + len(report.kwis), 9).value == pytest.approx(report.overall_swing)
    ws = workbook["NPS"]
    r, c = find(ws, "± één respondent")
    assert ws.cell(r, c + 1).value == 30.0 and ws.cell(r, c + 1).number_format == '"± "0.0'


SWING_OF = {"kwi_score": "kwi_swing", "overall": "overall_swing", "nps": "nps_swing"}


def history_moved(
    report: MonitorReport, period: str, moves: dict[tuple[str, str], tuple[float, float | None]]
):
    """``report``'s history with the earlier ``period``'s figures set: (kind, code) -> (value
    relative to this period's, that period's swing or None as an old monitor has it)."""
    now = {(h.kind, h.code): h.value for h in current_history(report)}
    replaced = set(moves) | {(SWING_OF[kind], code) for kind, code in moves}
    kept = [h for h in report.history if h.period != period or (h.kind, h.code) not in replaced]
    template = {(h.kind, h.code): h for h in report.history if h.period == period}
    for (kind, code), (move, swing) in moves.items():
        kept.append(dataclasses.replace(template[(kind, code)], value=now[(kind, code)] + move))
        if swing is not None:
            kept.append(dataclasses.replace(template[(kind, code)], kind=SWING_OF[kind], value=swing))
    return kept


def test_a_change_within_one_respondents_reach_is_marked_as_noise(tmp_path):
    report = example_report()
    swing = {k.code: k.swing for k in report.kwis}
    assert swing["KWI-01"] > 0.2 and swing["KWI-02"] < 0.9 and swing["KWI-03"] < 0.5
    moves = {
        ("kwi_score", "KWI-01"): (-0.2, None),  # old monitor, no swing: this period's 0.33 covers it
        ("kwi_score", "KWI-02"): (-0.9, 0.3),  # larger than both swings: a real rise
        ("kwi_score", "KWI-03"): (+0.5, 0.6),  # the earlier period's larger swing covers the fall
        ("kwi_score", "KWI-04"): (+0.5, 0.1),  # a real fall
        ("overall", ""): (0.0, None),
    }
    report = dataclasses.replace(report, history=history_moved(report, nm.EARLIER_PERIOD, moves))
    ws = openpyxl.load_workbook(write_monitor(report, NL, tmp_path / "m.xlsx"))["Trend"]
    header, _ = find(ws, "Code")
    assert row_values(ws, header)[4:6] == ["Verandering", "▲ ▼ ≈"]
    marks = {
        ws.cell(r, 1).value or ws.cell(r, 2).value: ws.cell(r, 6).value for r in range(header + 1, header + 8)
    }
    assert marks == {"KWI-01": "≈", "KWI-02": "▲", "KWI-03": "≈", "KWI-04": "▼", "KWI-05": "▲",
                     "Eindcijfer": "≈", "NPS": "▲"}  # fmt: skip
    r, _ = find(ws, "KWI-01")
    assert ws.cell(r, 5).value == pytest.approx(0.2) and ws.cell(r, 5).number_format == "+0.00;-0.00;0.00"
    notes = [v for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(n.startswith("Verandering: de laatste periode tegen de vorige. ▲ of ▼ alleen") for n in notes)


def test_a_withheld_swing_is_a_dash(tmp_path):
    # Only two returned, one of them anonymous (threshold 3): every figure is withheld
    report = example_report(forms=example_forms(anonymous={"AA"})[:2])
    decision = decide(report)
    assert not decision.overall_shown
    ws = openpyxl.load_workbook(write_monitor(report, NL, tmp_path / "m.xlsx"))["Voorblad"]
    r, c = find(ws, "Eindcijfer (gewogen)")
    assert ws.cell(r, c + 1).value == "–" and ws.cell(r, c + 2).value is None
    header, _ = find(ws, "± één respondent")
    assert {ws.cell(header + 1 + i, 3).value for i in range(5)} == {"–"}


def test_one_period_trend_says_so_instead_of_drawing(tmp_path):
    report = build_report(example_base(), example_forms(), now=FIXED_NOW)
    workbook = openpyxl.load_workbook(write_monitor(report, NL, tmp_path / "m.xlsx"))
    ws = workbook["Trend"]
    assert compat.charts(ws) == []
    texts = [v for _, v in cells(workbook)["Trend"] if isinstance(v, str)]
    assert any(t.startswith("Er is nog maar één periode gemeten (2011H1)") for t in texts)


def test_nps_sheet(written, named):
    _, _, workbook = written
    ws = workbook["NPS"]
    r, _ = find(ws, "Promotors (9–10)")
    assert [ws.cell(r + i, 2).value for i in range(3)] == [2, 2, 1]
    assert ws.cell(r, 3).value == pytest.approx(0.4) and ws.cell(r, 3).number_format == "0%"
    r, _ = find(ws, "NPS-cijfer (0–10)")
    distribution = {ws.cell(r + 1 + v, 1).value: ws.cell(r + 1 + v, 2).value for v in range(11)}
    assert distribution == {**{v: 0 for v in range(11)}, 6: 1, 7: 1, 8: 1, 9: 2}
    r, _ = find(ws, "Per respondent")
    assert ws.cell(r + 1, 1).value.startswith("Geen cijfers of scores per respondent")  # DD is anonymous
    ws = named[2]["NPS"]
    r, _ = find(ws, "Per respondent")
    listed = [ws.cell(r + 2 + i, 1).value for i in range(5)]
    assert listed == ["A. Aaaa (AA)", "B. Beee (BB)", "C. Ceee (CC)", "D. Deeee (DD)", "Kees Klant (KK)"]


def test_analysis_sheet(written):
    report, _, workbook = written
    ws = workbook["Analyse"]
    r, _ = find(ws, "2.03")
    q = next(q for q in report.questions if q.number == "2.03")
    assert [ws.cell(r, c).value for c in (4, 8, 9, 10)] == [q.n, q.less, q.neutral, q.more]
    assert ws.cell(r, 6).value == pytest.approx(q.score) and ws.cell(r, 6).number_format == "0.00"
    assert ws.auto_filter.ref == "A3:J27"
    texts = [v for _, v in cells(workbook)["Analyse"] if isinstance(v, str)]
    assert any(t.startswith("Geen cijfers of scores per respondent") for t in texts)  # DD is anonymous
    r, _ = find(ws, "Vragen die het vaakst 'minder relevant' kregen (kandidaten om te schrappen)")
    assert ws.cell(r + 2, 2).value == report.least_relevant()[0].number == "2.04"


def test_outliers_are_named_and_never_anonymous(tmp_path):
    def analysis(anonymous: set[str]) -> tuple[dict[str, str], list[Any]]:
        forms = [
            dataclasses.replace(f, answers=tuple(dataclasses.replace(a, grade=2) for a in f.answers))
            if f.identity.initials in ("BB", "KK")
            else f
            for f in example_forms(anonymous=anonymous)
        ]
        report = build_report(example_base(), forms, now=FIXED_NOW)
        path = write_monitor(report, NL, tmp_path / f"m{len(anonymous)}.xlsx")
        ws = openpyxl.load_workbook(path)["Analyse"]
        r, _ = find(ws, "Respondenten die meer dan één punt afwijken van het eindcijfer")
        listed = {}
        if (
            ws.cell(r + 1, 4).value == "Eigen eindcijfer"
        ):  # the difference is with the eindcijfer, not a target
            assert ws.cell(r + 1, 6).value == "Verschil met eindcijfer"
            first = r + 2
            assert ws.cell(first, 6).value == pytest.approx(ws.cell(first, 4).value - ws.cell(first, 5).value)
        for row in range(r + 2, r + 9):
            if ws.cell(r + 1, 4).value != "Eigen eindcijfer" or ws.cell(row, 4).value is None:
                break
            listed[ws.cell(row, 1).value] = ws.cell(row, 7).value
        return listed, [v for _, v in cells(openpyxl.load_workbook(path))["Analyse"]]

    listed, _ = analysis(set())
    # BB and KK (all grades 2) are far below; the others are now far above
    assert listed == {
        "A. Aaaa (AA)": "positiever",
        "C. Ceee (CC)": "positiever",
        "D. Deeee (DD)": "positiever",
        "B. Beee (BB)": "negatiever",
        "Kees Klant (KK)": "negatiever",
    }
    listed, shown = analysis({"KK"})  # KK anonymous: nobody's own score, so never KK's by elimination
    assert listed == {}
    assert not any("Kees" in str(v) or v == "KK" for v in shown)


def test_remarks_actions_answers(written, named):
    report, _, workbook = written
    remarks = workbook["Opmerkingen"]
    # DD is anonymous and wrote a remark: no remark shows an author, and they are in text order
    header, _ = find(remarks, "#")
    assert [remarks.cell(header + 1 + i, 2).value for i in range(3)] == ["–", "–", "–"]
    written_texts = [remarks.cell(header + 1 + i, 3).value for i in range(3)]
    assert written_texts == sorted(written_texts, key=str.casefold)
    assert "Graag meer concrete besparingsvoorstellen." in written_texts
    named_remarks = named[2]["Opmerkingen"]
    header, _ = find(named_remarks, "#")
    assert [named_remarks.cell(header + 1 + i, 2).value for i in range(3)] == [
        "A. Aaaa (AA)", "D. Deeee (DD)", "Kees Klant (KK)",
    ]  # fmt: skip

    actions = workbook["Actielijst"]
    header, _ = find(actions, "Over de deadline")
    overdue = {actions.cell(r, 1).value: actions.cell(r, 8).value for r in range(header + 1, header + 5)}
    # deadlines 1-3-2011 (lopend) and 15-1-2011 (open) passed by the report date; 2011-01 is gereed
    assert overdue == {"2011-01": None, "2011-02": "ja", "2011-03": "ja", "2011-04": None}
    assert actions.cell(header + 2, 1).fill.start_color.rgb.endswith("FCE4C4")
    assert actions.cell(header + 1, 7).value == dt.datetime(2010, 10, 1)
    assert actions.cell(header + 1, 7).number_format == "dd-mm-yyyy"

    answers = workbook["Antwoorden"]
    assert answers.max_row == 3 + len(report.answers) == 104
    assert row_values(answers, 3) == [
        "Respondent",
        "KWI",
        "Titel",
        "Nr",
        "Vraag",
        "Cijfer",
        "Relevantie",
        "Weging",
        "Gewogen cijfer",
    ]
    assert answers.auto_filter.ref == "A3:I104" and answers.freeze_panes == "A4"
    assert {answers.cell(r, 1).value for r in range(4, 105)} == {"–"}  # no respondent beside an answer
    named_answers = named[2]["Antwoorden"]
    assert named_answers.cell(4, 1).value == "A. Aaaa (AA)"  # as on every other sheet: Name (XX)


def test_a_long_answer_sheet_is_streamed_in_pieces_and_comes_out_whole(tmp_path):
    from klantwaarde.monitor.sheet import STREAM_ROWS
    from klantwaarde.workbook.history import read_data

    base = example_report(forms=example_forms(anonymous=set()))  # named: the rows keep their order
    report = dataclasses.replace(base, answers=base.answers * 15)  # 1515 rows: four pieces of 500
    assert len(report.answers) > 3 * STREAM_ROWS
    path = write_monitor(report, NL, tmp_path / "m.xlsx")
    workbook = openpyxl.load_workbook(path)
    answers = workbook["Antwoorden"]
    assert answers.max_row == 3 + len(report.answers)
    assert answers.freeze_panes == "A4" and answers.print_title_rows == "$3:$3"
    assert answers.auto_filter.ref == f"A3:I{3 + len(report.answers)}"
    assert answers.sheet_properties.pageSetUpPr.fitToPage is True  # written ahead of the first piece
    rows = published(report, decide(report)).answers  # in the order the sheet lists them
    for index in (0, 499, 500, 1000, 1514):  # on both sides of every seam
        answer, row = rows[index], 4 + index
        assert [answers.cell(row, c).value for c in (2, 4, 6)] == [
            answer.kwi_code,
            answer.question_number,
            answer.grade,
        ]
    long_rows = [4 + i for i, a in enumerate(rows) if len(a.question_text) > 80]
    assert long_rows and all(answers.row_dimensions[r].height for r in long_rows)
    data = read_data(path, answers=True)
    assert [(a.kwi_code, a.question_number, a.grade) for a in data.answers] == [
        (a.kwi_code, a.question_number, a.grade) for a in rows
    ]


@pytest.mark.parametrize("copies", [1, 15])  # 15: the streamed sheets are written in pieces
def test_every_sheet_says_its_size_up_front(tmp_path, copies):
    """The <dimension> at the top of each sheet: without it openpyxl's read-only mode (which reads
    the history of earlier monitors) has to parse every sheet in full just to learn its size."""
    base = example_report()
    report = dataclasses.replace(base, answers=base.answers * copies)
    path = write_monitor(report, NL, tmp_path / "m.xlsx")
    full = openpyxl.load_workbook(path)
    with zipfile.ZipFile(path) as archive:
        declared = {}
        for ws in full.worksheets:
            xml = archive.read(f"xl/worksheets/sheet{full.worksheets.index(ws) + 1}.xml").decode()
            found = re.search(r'<dimension ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"', xml)
            assert found, ws.title
            declared[ws.title] = found.group(1)
    for ws in full.worksheets:
        assert declared[ws.title] == f"A1:{get_column_letter(ws.max_column)}{ws.max_row}", ws.title
    quick = openpyxl.load_workbook(path, read_only=True)
    assert quick["Antwoorden"].max_row == 3 + len(report.answers)
    assert quick["_data"].max_row == full["_data"].max_row


def test_print_settings_on_every_sheet(written):
    _, _, workbook = written
    portrait = {"Voorblad", "Opmerkingen"}
    one_page = {"Voorblad", "KWI-scores", "Trend", "NPS"}
    for ws in workbook.worksheets[:-1]:
        setup = ws.page_setup
        assert int(setup.paperSize) == 9, ws.title  # A4
        assert setup.orientation == ("portrait" if ws.title in portrait else "landscape"), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 1 if ws.title in one_page else 0)
        assert ws.oddHeader.left.text == "KLANT NV"
        assert "2011H1" in ws.oddHeader.center.text
        assert ws.oddFooter.center.text == "Pagina &P van &N"
        assert "2011H1" in ws.oddFooter.left.text
    for title in ("Respondenten", "Toewijzing", "Actielijst", "Antwoorden"):
        assert workbook[title].print_title_rows, title
        assert workbook[title].freeze_panes, title


def test_every_number_is_stored_as_a_number(written):
    report, _, workbook = written
    question_numbers = {q.number for q in report.base.questions}  # text by design: "1.10" stays "1.10"
    for title in ("KWI-scores", "Trend", "NPS", "Analyse", "Antwoorden"):
        for _, value in cells(workbook)[title]:
            if isinstance(value, str) and value not in question_numbers:
                assert not re.fullmatch(r"[+-]?\d+([.,]\d+)?", value), (title, value)


def test_the_workbook_holds_no_formulas(written):
    _, path, _ = written
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name


# ---------------------------------------------------------------------------------------------
# Anonymity, literal text, A3


def test_anonymous_respondent_only_on_respondents_and_assignment(written):
    report, _, workbook = written
    allowed = {"Respondenten", "Toewijzing"}
    seen_on: set[str] = set()
    for title, found in cells(workbook).items():
        for coordinate, value in found:
            text = str(value)
            for needle in ANONYMOUS:
                hit = needle in text if needle != "DD" else re.search(r"(?<![A-Za-z])DD(?![A-Za-z])", text)
                if hit:
                    seen_on.add(title)
                    assert title in allowed, f"{needle!r} on {title}!{coordinate}: {text!r}"
    assert seen_on == allowed  # they did take part: named where that is allowed
    # their remark is there, without their name
    remarks = cells(workbook)["Opmerkingen"]
    (coordinate,) = [c for c, v in remarks if v == "Graag meer concrete besparingsvoorstellen."]
    assert workbook["Opmerkingen"][f"B{coordinate[1:]}"].value == "–"
    # their answers count: 21 anonymous answers among the 101 of the long form and of _data
    anonymous_rows = [r for r in report.answers if r.respondent is None]
    assert len(anonymous_rows) == 21
    answers = workbook["Antwoorden"]
    assert answers.max_row - 3 == len(report.answers) == 101


def test_hostile_texts_stay_literal_text(tmp_path):
    base = example_base()
    respondents = list(base.respondents)
    respondents[0] = dataclasses.replace(respondents[0], name="=1+2", function="-2+3")
    kwis = list(base.kwis)
    kwis[0] = dataclasses.replace(kwis[0], title="=SUM(A1:A9)", description="@hostile")
    base = dataclasses.replace(
        base,
        settings=dataclasses.replace(base.settings, client="=CLIENT()&x"),
        respondents=tuple(respondents),
        kwis=tuple(kwis),
    )
    remarks = {"AA": HOSTILE[0], "BB": HOSTILE[1], "CC": HOSTILE[2]}
    report = build_report(base, example_forms(remarks=remarks, anonymous=set()), now=FIXED_NOW)
    path = write_monitor(report, NL, tmp_path / "m.xlsx")
    workbook = openpyxl.load_workbook(path)
    ws = workbook["Opmerkingen"]
    shown = {ws.cell(r, 3).value: ws.cell(r, 3).data_type for r in range(4, 7)}
    assert shown == {text: "s" for text in HOSTILE}
    everything = [v for found in cells(workbook).values() for _, v in found]
    for literal in ("=1+2", "-2+3", "=SUM(A1:A9)", "@hostile", "=CLIENT()&x"):
        assert literal in everything
    for name, xml in worksheet_xml(path).items():
        assert "<f>" not in xml and "<f " not in xml, name
    # the client name in the page header has its '&' doubled, so it is no header code
    assert workbook["Voorblad"].oddHeader.left.text == "=CLIENT()&&x"


def test_internal_a3_data_appears_nowhere(tmp_path):
    secret_block = "GEHEIM-A3-VISIE-7f3a"
    secret_figure = "GEHEIM-A3-OMZET-91c2"
    a3 = A3Data(
        blocks={"vision": secret_block, "mission": secret_block + "-missie"},
        figures=(A3Figure("revenue", secret_figure, 123456789.5),),
    )
    report = example_report(base=dataclasses.replace(example_base(), a3=a3))
    path = write_monitor(report, NL, tmp_path / "m.xlsx")
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            for secret in (secret_block, secret_figure, "123456789"):
                assert secret.encode() not in data, (name, secret)


def test_english_texts_give_english_sheets_and_labels(tmp_path):
    report = example_report()
    path = write_monitor(report, EN, tmp_path / monitor_file_name(EN, "KLANT", "2011H1"))
    assert path.name == "KLANT-2011H1 Customer value monitor.xlsx"
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ENGLISH_SHEETS
    assert find(workbook["Cover"], "Overall score (weighted)")
    assert find(workbook["KWI scores"], "KWI mean")
    assert find(
        workbook["Remarks"],
        "The remarks are shown without names, and not in the order of the respondent list.",
    )
    assert workbook["Cover"].oddFooter.center.text == "Page &P of &N"
    dutch = {"Eindcijfer", "Teruggestuurd", "anoniem", "Opmerking", "Verschil met doel", "Respons"}
    everything = {v for found in cells(workbook).values() for _, v in found if isinstance(v, str)}
    assert not dutch & everything
    assert monitor_file_name(NL, "KLANT", "2011H1") == "KLANT-2011H1 Klantwaardemonitor.xlsx"


def test_careless_sheet_name_override_is_made_valid():
    texts = load_texts("nl")
    texts.data["monitor"]["sheets"]["remarks"] = "Opmerkingen: [alle]/*?" + "x" * 40
    texts.data["monitor"]["sheets"]["answers"] = "voorblad"
    workbook = build_monitor(example_report(), texts)
    names = workbook.sheetnames
    discard(workbook)
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


# ---------------------------------------------------------------------------------------------
# Saving


def test_lock_file_refuses_and_keeps_the_old_monitor(tmp_path):
    target = tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    target.write_bytes(b"old monitor")
    (tmp_path / ("~$" + target.name)).write_bytes(b"lock")
    with pytest.raises(KwmError) as caught:
        write_monitor(example_report(), NL, target)
    assert [p.code for p in caught.value.problems] == ["output_locked"]
    assert target.read_bytes() == b"old monitor"
    assert not compat.open_stream_files()  # the unsaved sheets' streams are gone
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, "~$" + target.name])


# The sheets whose closing "failed" leave their row writers unfinished; Python says so when it
# collects them. That is the simulated full disk, not a leak.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_save_failing_halfway_keeps_the_old_monitor_and_leaves_nothing_behind(tmp_path, monkeypatch):
    from openpyxl.writer.excel import ExcelWriter

    target = tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    target.write_bytes(b"old monitor")
    real = ExcelWriter.write_worksheet
    written: list[str] = []

    def no_space(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    def full_disk(self: Any, ws: Any) -> None:
        if len(written) == 3:  # from here on the disk is full: closing the other sheets fails too
            monkeypatch.setattr(compat.WriteOnlyWorksheet, "close", no_space)
            no_space()
        written.append(ws.title)
        real(self, ws)

    monkeypatch.setattr(ExcelWriter, "write_worksheet", full_disk)
    with pytest.raises(KwmError) as caught:
        write_monitor(example_report(), NL, target)
    assert [p.code for p in caught.value.problems] == ["output_failed"]
    assert target.read_bytes() == b"old monitor"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert not compat.open_stream_files()
    gc.collect()  # the unfinished writers go now, under this test's warning filter


# Any text: formula-like, control characters (dropped: XML cannot hold them), very long (cut).
_REMARKS = (
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r_"),
        min_size=1,
        max_size=300,
    )
    | st.sampled_from(HOSTILE)
    | st.just("x" * 40_000)
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_REMARKS)
def test_any_remark_is_written_as_literal_text(remark):
    expected = ILLEGAL_CHARACTERS_RE.sub("", remark.strip())[:32_000]
    assume(expected.strip())
    report = build_report(
        example_base(), example_forms(remarks={"AA": remark}, anonymous=set()), now=FIXED_NOW
    )
    buffer = io.BytesIO()
    build_monitor(report, NL).save(buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cell = workbook["Opmerkingen"].cell(4, 3)
    assert cell.data_type == "s"
    assert cell.value == expected


# ---------------------------------------------------------------------------------------------
# LibreOffice: the printed report


def test_libreoffice_prints_every_sheet_and_chart(tmp_path, soffice):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = write_monitor(example_report(), NL, tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    out = tmp_path / "pdf"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = out / (path.stem + ".pdf")
    assert pdf.is_file()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    for title in (
        "KWI-gemiddelde, KWI-score en KWI-doel per KWI",
        "KWI-scores en eindcijfer per periode",
        "Promotors, passieven en criticasters",
        "Opmerkingen van respondenten",
        "Pagina 1 van",
    ):
        assert title in text.stdout, title
    assert "GEHEIM" not in text.stdout


def test_every_sheet_asks_the_disclosure_decision_about_a_respondents_own_details(tmp_path, monkeypatch):
    """The writers ask ``disclosure.decide`` (the rules of SPEC 3.5 live there), not ``anonymous``:
    withholding AA's details there takes their NPS value, scores, remark author and answers'
    initials off every sheet while their pooled figures stay."""
    from klantwaarde import disclosure
    from klantwaarde.monitor import build

    def withholding_aa(report: MonitorReport) -> disclosure.Disclosure:
        decided = disclosure.decide(report)
        every_scope = frozenset({"AA"})
        scopes = [disclosure.OVERALL, disclosure.NPS, *(k.code for k in report.kwis)]
        scopes += [q.number for q in report.questions]
        return dataclasses.replace(
            decided,
            withheld_details={scope: every_scope for scope in scopes},
            remark_authors_shown=False,
        )

    monkeypatch.setattr(build, "decide", withholding_aa)
    report = example_report()
    workbook = openpyxl.load_workbook(write_monitor(report, NL, tmp_path / "m.xlsx"))
    for title in ("KWI-scores", "NPS", "Opmerkingen", "Antwoorden", "Analyse"):
        shown = [str(v) for _, v in cells(workbook)[title]]
        assert not any("A. Aaaa" in v or v == "AA" for v in shown), title
    assert find(workbook["Respondenten"], "A. Aaaa")  # who took part may still be shown
    scores = workbook["KWI-scores"]
    row, _ = find(scores, "KWI-01")
    assert round(scores.cell(row, 4).value, 2) == 7.23  # the pooled score, AA's answers included
