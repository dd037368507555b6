"""Trend history: the ``_data`` sheet, reading it back, finding earlier monitors, merging periods."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import Counter
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm

from conftest import FIXED_NOW, build_workbook
from factories import example_base
from klantwaarde.monitor import write_monitor
from klantwaarde.problems import WorkbookFileError
from klantwaarde.report import HistoryRow, MonitorReport, build_report, current_history
from klantwaarde.texts import load_texts
from klantwaarde.workbook import compat
from klantwaarde.workbook.history import (
    find_monitors,
    is_monitor_name,
    load_history,
    read_data,
    read_history,
)
from test_monitor import base_for, example_forms, example_report

NL = load_texts("nl")
EN = load_texts("en")
P1, P2, P3 = nm.EARLIER_PERIOD, nm.PERIOD, "2011H2"
SHIFT = {P1: 0, P2: 0, P3: 1}  # 2011H2 is made up: the 2011H1 answers one point higher


def monitor_path(folder: Path, period: str, code: str = "KLANT") -> Path:
    return folder / period / f"{code}-{period} Klantwaardemonitor.xlsx"


def process(folder: Path, period: str, now: dt.datetime, shift: int | None = None) -> MonitorReport:
    """What `kwm process` does for the history: earlier monitors in, this period's monitor out."""
    history, problems = load_history(find_monitors(folder, "KLANT"))
    assert problems == []
    forms = example_forms(period, shift=SHIFT[period] if shift is None else shift)
    report = build_report(base_for(period), forms, history=history, now=now)
    write_monitor(report, NL, monitor_path(folder, period))
    return report


def keyed(rows: list[HistoryRow]) -> dict[tuple[str, str, str], HistoryRow]:
    return {(r.period, r.kind, r.code): r for r in rows}


def assert_same_rows(found: list[HistoryRow], expected: list[HistoryRow]) -> None:
    got, want = keyed(found), keyed(expected)
    assert got.keys() == want.keys()
    for key, row in want.items():
        other = got[key]
        assert (other.title, other.n) == (row.title, row.n), key
        assert other.value == pytest.approx(row.value), key


# ---------------------------------------------------------------------------------------------
# _data round trip


def test_data_sheet_round_trip(tmp_path):
    report = example_report()
    path = write_monitor(report, NL, tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    data = read_data(path, answers=True)
    assert (data.format_version, data.client_code, data.client, data.period) == ("1", "KLANT", "KLANT NV", P2)
    assert data.generated_at == "2011-06-01T09:30:00"
    assert_same_rows(data.history, report.history)  # numbers keep 16 significant digits
    assert [(r.period, r.kind, r.code) for r in data.history] == [
        (r.period, r.kind, r.code) for r in report.history
    ]
    assert {r.period for r in data.history} == {P1, P2}
    assert len(data.answers) == len(report.answers) == 101
    # the anonymous respondent's answers are there, and _data holds no more than the sheets show:
    # with one anonymous respondent of five no answer has a respondent beside it
    assert {a.respondent for a in data.answers} == {None}
    named = example_report(forms=example_forms(anonymous=set()))
    path = write_monitor(named, NL, tmp_path / "named.xlsx")
    assert {a.respondent for a in read_data(path, answers=True).answers} == {"AA", "BB", "CC", "DD", "KK"}
    first = data.answers[0]
    assert (first.period, first.kwi_code, first.question_number, first.relevance) == (
        P2,
        "KWI-01",
        "1.01",
        "N",
    )
    assert_same_rows(read_history(path), report.history)


def test_data_sheet_layout_is_documented_and_stable(tmp_path):
    path = write_monitor(example_report(), NL, tmp_path / "m.xlsx")
    ws = openpyxl.load_workbook(path)["_data"]
    assert ws.sheet_state == "hidden"
    assert [ws.cell(r, 1).value for r in range(1, 10)] == [
        "kwm-monitor-data",
        "client_code",
        "client",
        "period",
        "generated_at",
        "kwm_version",
        None,
        "[history]",
        "period",
    ]
    assert (
        ws["B1"].value == "1" and ws["B8"].value == 52
    )  # 26 figures per period (with their swings), 2 periods
    assert [c.value for c in ws[9]][:6] == ["period", "kind", "code", "title", "value", "n"]
    sections = [ws.cell(r, 1).value for r in range(1, ws.max_row + 1)]
    sections = [value for value in sections if isinstance(value, str) and value.startswith("[")]
    assert sections == [
        "[history]",
        "[settings]",
        "[figures]",
        "[kwis]",
        "[questions]",
        "[nps]",
        "[remarks]",
        "[actions]",
        "[answers]",
    ]
    answers_at = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "[answers]")
    assert [c.value for c in ws[answers_at + 1] if c.value is not None] == [
        "period",
        "respondent",
        "kwi",
        "question",
        "grade",
        "relevance",
        "weight",
    ]


def test_an_english_monitor_keeps_the_same_data_sheet(tmp_path):
    report = example_report()
    path = write_monitor(report, EN, tmp_path / "KLANT-2011H1 Customer value monitor.xlsx")
    assert_same_rows(read_history(path), report.history)


def test_history_survives_a_resave_by_libreoffice(tmp_path, soffice):
    report = example_report()
    path = write_monitor(report, NL, tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    out = tmp_path / "resaved"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=240,
    )
    resaved = out / path.name
    assert_same_rows(read_history(resaved), report.history)
    assert read_data(resaved).client_code == "KLANT"


# ---------------------------------------------------------------------------------------------
# Trend over three periods


def test_three_periods_delete_oldest_rebuild_newest_twice(tmp_path):
    folder = tmp_path / "klant-nv"
    expected: dict[str, list[HistoryRow]] = {}
    for day, period in enumerate((P1, P2, P3)):
        report = process(folder, period, FIXED_NOW + dt.timedelta(days=day))
        expected[period] = current_history(report)
        assert {r.period for r in report.history} == {P1, P2, P3}.intersection(expected)
    all_rows = [row for period in (P1, P2, P3) for row in expected[period]]
    assert_same_rows(read_history(monitor_path(folder, P3)), all_rows)

    monitor_path(folder, P1).unlink()
    for day in (10, 11):
        process(folder, P3, FIXED_NOW + dt.timedelta(days=day))
        rows = read_history(monitor_path(folder, P3))
        counts = Counter((r.period, r.kind, r.code) for r in rows)
        assert max(counts.values()) == 1  # no period, figure or KWI twice
        assert sorted({r.period for r in rows}) == [P1, P2, P3]
        assert_same_rows(rows, all_rows)

    workbook = openpyxl.load_workbook(monitor_path(folder, P3))
    trend = workbook["Trend"]
    assert [c.value for c in trend[3]][:5] == ["Code", "KWI", P1, P2, P3]
    assert [type(c).__name__ for c in compat.charts(trend)] == ["LineChart"]


def test_reprocessed_period_wins_over_the_copy_in_a_later_monitor(tmp_path):
    folder = tmp_path / "klant-nv"
    for day, period in enumerate((P1, P2, P3)):
        process(folder, period, FIXED_NOW + dt.timedelta(days=day))
    # 2011H1 processed again later, with other answers (a late questionnaire, a correction)
    corrected = process(folder, P2, FIXED_NOW + dt.timedelta(days=5), shift=-2)
    after = process(folder, P3, FIXED_NOW + dt.timedelta(days=6))
    overall = {r.period: r.value for r in after.history if r.kind == "overall"}
    assert overall[P2] == pytest.approx(corrected.overall)


def test_kwis_matched_by_code_titles_from_the_newest_period(tmp_path):
    folder = tmp_path / "klant-nv"
    process(folder, P1, FIXED_NOW)
    base = base_for(P2)
    renamed = tuple(replace(k, title="Innovatie") if k.code == "KWI-02" else k for k in base.kwis)
    base = replace(base, kwis=renamed)
    history, _ = load_history(find_monitors(folder, "KLANT"))
    report = build_report(base, example_forms(P2), history=history, now=FIXED_NOW)
    line = next(line for line in report.trend.kwis if line.code == "KWI-02")
    assert line.title == "Innovatie" and all(v is not None for v in line.values)
    assert len(report.trend.kwis) == 5


# ---------------------------------------------------------------------------------------------
# Finding monitors


def test_find_monitors_picks_this_clients_monitors_only(tmp_path):
    folder = tmp_path / "klant-nv"
    earlier = build_report(base_for(P1), example_forms(P1), now=FIXED_NOW)
    first = write_monitor(earlier, NL, monitor_path(folder, P1))
    later = build_report(base_for(P2), example_forms(P2), now=FIXED_NOW + dt.timedelta(days=1))
    english = write_monitor(
        later, EN, folder / "archief" / "2011" / "KLANT-2011H1 Customer value monitor.xlsx"
    )

    other_base = example_base()
    other_base = replace(other_base, settings=replace(other_base.settings, client_code="ANDER"))
    other = build_report(other_base, example_forms(P2), now=FIXED_NOW)
    write_monitor(other, NL, folder / "ANDER-2011H1 Klantwaardemonitor.xlsx")
    shutil.copy(first, folder / P1 / ("~$" + first.name))  # Excel's lock file
    build_workbook(folder / "Oude klantwaardemonitor 2009.xlsx", {"Rapport": [["macro-tijdperk"]]})
    build_workbook(folder / "basis.xlsx", {"Instellingen": [["Klant", "KLANT NV"]]})
    corrupt = folder / "KLANT-2009H2 Klantwaardemonitor.xlsx"
    corrupt.write_bytes(b"PK\x03\x04 this is not a zip at all")

    found = find_monitors(folder, "klant")
    assert found == [corrupt, first, english]

    rows, problems = load_history(found)
    assert [(p.code, p.location.file) for p in problems] == [("history_unreadable", corrupt.name)]
    assert problems[0].context["cause"] == "file_corrupt"
    assert sorted({r.period for r in rows}) == [P1, P2]
    assert find_monitors(tmp_path / "nowhere", "KLANT") == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("KLANT-2011H1 Klantwaardemonitor.xlsx", True),
        ("klant-2011h1 KLANTWAARDEMONITOR.XLSX", True),
        ("KLANT-2011H1 Klantwaarde-monitor.xlsx", True),
        ("KLANT-2011H1 Customer value monitor.xlsx", True),
        ("KLANT_2011H1_customer-value-monitor.xlsx", True),
        ("~$KLANT-2011H1 Klantwaardemonitor.xlsx", False),
        (".kwm-abc123 Klantwaardemonitor.xlsx", False),
        ("KLANT-2011H1 Klantwaardemonitor.pdf", False),
        ("basis.xlsx", False),
    ],
)
def test_monitor_names(name, expected):
    assert is_monitor_name(name) is expected


# ---------------------------------------------------------------------------------------------
# Unreadable monitors


def test_read_history_raises_for_files_that_are_no_workbook(tmp_path):
    with pytest.raises(WorkbookFileError) as caught:
        read_history(tmp_path / "missing Klantwaardemonitor.xlsx")
    assert caught.value.problem.code == "file_missing"
    text = tmp_path / "notes Klantwaardemonitor.xlsx"
    text.write_text("just text")
    with pytest.raises(WorkbookFileError) as caught:
        read_history(text)
    assert caught.value.problem.code == "file_not_workbook"


def _data_sheet(path: Path, rows: list[list[object]]) -> Path:
    return build_workbook(path, {"Voorblad": [["x"]], "_data": rows})


GOOD_TOP = [
    ["kwm-monitor-data", "1"],
    ["client_code", "KLANT"],
    ["period", "2011H1"],
    [],
    ["[history]", 1],
    ["period", "kind", "code", "title", "value", "n"],
]


@pytest.mark.parametrize(
    ("rows", "cause", "row"),
    [
        ([["something else"]], "no_marker", 1),
        ([["kwm-monitor-data", "2"], *GOOD_TOP[1:]], "version_newer:2", 1),
        ([["kwm-monitor-data", "één"], *GOOD_TOP[1:]], "version_invalid", 1),
        ([GOOD_TOP[0], ["client", "KLANT NV"]], "metadata_missing", 2),
        (GOOD_TOP[:4], "no_section:[history]", None),
        ([*GOOD_TOP[:5], ["period", "kind", "value"]], "columns_missing:code,title,n", 6),
        ([*GOOD_TOP, ["2011H1", "overall", "", "", "zeven", 3]], "value_invalid", 7),
        ([*GOOD_TOP, ["", "overall", "", "", 7.5, 3]], "row_incomplete", 7),
    ],
)
def test_read_history_names_what_is_wrong_with_data(tmp_path, rows, cause, row):
    path = _data_sheet(tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx", rows)
    with pytest.raises(WorkbookFileError) as caught:
        read_history(path)
    found = caught.value.problem
    assert (found.code, found.context["cause"]) == ("history_unreadable", cause)
    assert (found.location.file, found.location.sheet, found.location.row) == (path.name, "_data", row)
    assert not found.is_error  # a warning: processing goes on without that history


def test_a_workbook_without_data_sheet_is_unreadable_history(tmp_path):
    path = build_workbook(tmp_path / "KLANT Klantwaardemonitor.xlsx", {"Voorblad": [["oud"]]})
    with pytest.raises(WorkbookFileError) as caught:
        read_history(path)
    assert caught.value.problem.code == "history_unreadable"
    rows, problems = load_history([path, path])
    assert rows == [] and [p.code for p in problems] == ["history_unreadable"]  # read once


def test_numbers_saved_as_text_or_floats_still_read(tmp_path):
    rows = [
        *GOOD_TOP,
        ["2011H1", "overall", None, None, "7,25", "12"],
        [2011.0, "nps", None, None, 20, 5.0],
        [],
        ["[answers]", 0],
        ["period", "respondent", "kwi", "question", "grade", "relevance", "weight"],
    ]
    path = _data_sheet(tmp_path / "m.xlsx", rows)
    assert read_history(path) == [
        HistoryRow("2011H1", "overall", "", "", 7.25, 12),
        HistoryRow("2011", "nps", "", "", 20.0, 5),
    ]


def test_messages_exist_in_both_languages():
    for texts in (NL, EN):
        assert texts.has("problems.history_unreadable")
        assert texts("problems.history_unreadable")


def test_only_the_data_sheet_is_read_whatever_else_the_monitor_holds(tmp_path):
    """The history comes from ``_data`` alone: another sheet spanning the whole grid is never
    scanned nor parsed, while ``_data`` itself is held to the size a monitor can have."""
    from returned_kit import rewrite_member

    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    path = _data_sheet(
        tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx", [*GOOD_TOP, ["2011H1", "nps", "", "", 20, 5]]
    )
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far))
    assert read_history(path) == [HistoryRow("2011H1", "nps", "", "", 20.0, 5)]
    rewrite_member(path, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", far))
    with pytest.raises(WorkbookFileError) as caught:
        read_history(path)
    found = caught.value.problem
    assert (found.code, found.context["cause"]) == ("history_unreadable", "too_many_rows")


def test_a_value_cell_of_only_spaces_is_blank(tmp_path):
    rows = [*GOOD_TOP, ["2011H1", "overall", None, None, "  ", " "]]
    path = _data_sheet(tmp_path / "m.xlsx", rows)
    assert read_history(path) == [HistoryRow("2011H1", "overall", "", "", None, None)]


# The quick extent scan of _data (sheet_scan.scan_extent): the same used area as the full scan on
# kwm's own monitors, and on any cell that does not name its place plainly it steps aside, so a
# monitor crafted to hide a far cell from it is still refused.
_FAR_CELLS = {
    "plain": b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row>',
    "prefixed": b'<row r="1048576"><x:c xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    b' r="XFD1048576"><x:v>1</x:v></x:c></row>',
    "single_quoted_r": b"<row r='1048576'><c r='XFD1048576' t='n'><v>1</v></c></row>",
    "decoy_in_a_value": b'<row r="1048576"><c foo=\' r="A1"\' r="XFD1048576"><v>1</v></c></row>',
    "gt_in_a_value": b'<row r="1048576"><c foo=">" r="XFD1048576"><v>1</v></c></row>',
    "no_reference": b'<row r="1048576"><c r="A1048576"><v>1</v></c>' + b"<c><v>1</v></c>" * 3 + b"</row>",
}


@pytest.mark.parametrize("kind", sorted(_FAR_CELLS))
def test_a_far_cell_in_data_is_refused_however_it_is_written(tmp_path, kind):
    from returned_kit import rewrite_member

    path = _data_sheet(tmp_path / "m.xlsx", [*GOOD_TOP, ["2011H1", "nps", "", "", 20, 5]])
    far = _FAR_CELLS[kind] + b"</sheetData>"
    rewrite_member(path, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", far))
    with pytest.raises(WorkbookFileError) as caught:
        read_history(path)
    found = caught.value.problem
    assert (found.code, found.context["cause"]) == ("history_unreadable", "too_many_rows"), kind


def test_the_extent_scan_agrees_with_the_full_scan_on_kwms_monitors_and_steps_aside_otherwise(tmp_path):
    import io
    import zipfile

    from klantwaarde.workbook.sheet_scan import _scan_ooxml_sheet, scan_extent

    monitor = write_monitor(example_report(), NL, tmp_path / "m.xlsx")
    with zipfile.ZipFile(monitor) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert len(sheets) >= 10
    for xml in sheets:
        quick, full = scan_extent(xml), _scan_ooxml_sheet(io.BytesIO(xml))
        assert quick is not None
        area = (quick.first_row, quick.last_row, quick.first_column, quick.last_column)
        assert area == (full.first_row, full.last_row, full.first_column, full.last_column)
    for kind in ("single_quoted_r", "decoy_in_a_value", "gt_in_a_value", "no_reference"):
        assert scan_extent(b"<sheetData>" + _FAR_CELLS[kind] + b"</sheetData>") is None, kind
    prefixed = scan_extent(b"<sheetData>" + _FAR_CELLS["prefixed"] + b"</sheetData>")
    assert prefixed is not None and (prefixed.last_row, prefixed.last_column) == (1048576, 16384)
