"""The speed-ups change nothing but speed (issue 9).

Each fast path is compared with the straightforward way it replaced: the style cache and the merge
with openpyxl's own setters, the expat sheet scan with an ElementTree scan, the base's cell values
(read by calamine) with openpyxl's ``iter_rows``, the cached monitor read with a fresh one. No
timings here (see benchmarks/).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import FIXED_NOW, build_workbook
from factories import example_base
from klantwaarde import monitor
from klantwaarde.texts import load_texts
from klantwaarde.workbook import history, questionnaire, sheet_scan, style_cache, template
from klantwaarde.workbook.a3 import write_a3
from klantwaarde.workbook.rows import read_workbook
from klantwaarde.workbook.style_cache import StyleCache
from test_monitor import example_report

EXAMPLE_BASE = Path(__file__).resolve().parents[1] / "examples" / "basis.xlsx"


def parts(workbook: Any) -> dict[str, bytes]:
    """Every part of the saved workbook except docProps/core.xml (it holds the time of saving)."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def plain_apply(self: StyleCache, cell: Any, style: Any) -> Any:
    """A cell style set part by part through openpyxl's own setters."""
    for name, value in style_cache.parts(style):
        setattr(cell, name, value)
    if style.number_format is not None:
        cell.number_format = style.number_format
    return cell


def plain_styles(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's own way: every style set through the cell, merges through ``ws.merge_cells``."""
    monkeypatch.setattr(StyleCache, "set", lambda self, cell, name, value: setattr(cell, name, value))
    monkeypatch.setattr(StyleCache, "apply", plain_apply)
    monkeypatch.setattr(questionnaire, "merge_cells", lambda ws, ref, cache: ws.merge_cells(ref))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_questionnaires_are_the_same_as_with_openpyxls_own_setters(monkeypatch, lang):
    base, texts = example_base(), load_texts(lang)
    fast = {
        r.initials: parts(questionnaire.build_questionnaire(base, r, texts, now=FIXED_NOW, form_id="id"))
        for r in base.respondents
    }
    plain_styles(monkeypatch)
    for respondent in base.respondents:
        plain = parts(questionnaire.build_questionnaire(base, respondent, texts, now=FIXED_NOW, form_id="id"))
        assert fast[respondent.initials] == plain, respondent.initials


def test_the_fast_merge_keeps_borders_and_protection_of_every_merged_cell():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    writer = questionnaire._FormWriter(sheet, example_base(), example_base().respondents[0], load_texts("nl"))
    box = writer.input_cell(questionnaire.GRADE, rule=None)  # bordered, unlocked: like the remark box
    writer.merge(questionnaire.GRADE, questionnaire.LAST)
    last = sheet[f"{questionnaire.LAST}{writer.row}"]
    assert [str(r) for r in sheet.merged_cells.ranges] == [f"{box.coordinate}:{last.coordinate}"]
    assert last.border.right.style == "thin" and last.protection.locked is False


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_monitor_is_the_same_as_with_openpyxls_own_setters(monkeypatch, lang):
    report, texts = example_report(), load_texts(lang)
    fast = parts(monitor.build_monitor(report, texts))
    plain_styles(monkeypatch)
    assert parts(monitor.build_monitor(report, texts)) == fast


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_a3_plan_and_a_new_base_are_the_same_as_with_openpyxls_own_setters(monkeypatch, tmp_path, lang):
    texts = load_texts(lang)

    def plan(name: str) -> dict[str, bytes]:
        scores = {"KWI-01": 7.9, "KWI-02": 6.1}  # one on target, one below: both verdict styles
        path = write_a3(
            example_base(),
            texts,
            tmp_path / name,
            kwi_scores=scores,
            nps=20.0,
            monitor_period="2011H1",
            now=FIXED_NOW,
        )
        with zipfile.ZipFile(path) as archive:  # as saved, byte for byte (but the time of saving)
            return {n: archive.read(n) for n in archive.namelist() if n != "docProps/core.xml"}

    def new_base() -> dict[str, bytes]:
        return parts(template.build_base_workbook(template.example_content(texts, FIXED_NOW.date()), texts))

    fast_plan, fast_base = plan("fast.xlsx"), new_base()
    plain_styles(monkeypatch)
    assert plan("plain.xlsx") == fast_plan
    assert new_base() == fast_base


# ---------------------------------------------------------------------------------------------
# The sheet scan: expat callbacks against the ElementTree scan it replaced


def reference_scan(data: bytes) -> sheet_scan.SheetScan:
    """The former scan of a worksheet (ElementTree's iterparse, element by element)."""
    import defusedxml.ElementTree as SafeET

    def child(element: Any, name: str) -> Any:
        return next((c for c in element if sheet_scan.local(c.tag) == name), None)

    scan = sheet_scan.SheetScan()
    row_number = column_number = 0
    for event, element in SafeET.iterparse(io.BytesIO(data), events=("start", "end")):
        name = sheet_scan.local(element.tag)
        if event == "start":
            if name == "row":
                row_number = int(element.get("r") or row_number + 1)
                column_number = 0
            continue
        if name != "c":
            continue
        ref = element.get("r")
        if ref is not None:
            match = re.fullmatch(r"([A-Za-z]+)([0-9]+)", ref)
            if match is None:
                raise ValueError(ref)
            column_number, row = sheet_scan.column_index(match.group(1)), int(match.group(2))
        else:
            column_number, row = column_number + 1, row_number
        value, inline, formula = child(element, "v"), child(element, "is"), child(element, "f")
        if value is not None or inline is not None:
            scan.add(row, column_number)
        if element.get("t") == "e":
            scan.error(row, column_number, value.text if value is not None and value.text else "#ERROR")
        elif formula is not None and (value is None or not value.text):
            scan.error(row, column_number, "=" + (formula.text or ""))
    return scan


def outcome(scan: Any, data: bytes) -> tuple[Any, ...]:
    try:
        found = scan(data)
    except Exception:
        return ("refused",)
    return (found.first_row, found.last_row, found.first_column, found.last_column, found.errors)


def expat_scan(data: bytes) -> sheet_scan.SheetScan:
    return sheet_scan._scan_ooxml_sheet(io.BytesIO(data))


TEXTS = st.sampled_from(["", "7", " 12 ", "#N/A", "SUM(A1)", "a&amp;b", "<![CDATA[x<y]]>", "&#65;", "  "])
REFS = st.builds(
    "{}{}".format, st.sampled_from(["A", "B", "Z", "AA", "XFD", "a"]), st.sampled_from(["1", "2", "10", "0"])
)


@st.composite
def cell_xml(draw: st.DrawFn, prefix: str, depth: int = 0) -> str:
    attributes = []
    if draw(st.booleans()):
        attributes.append(f'r="{draw(st.one_of(REFS, st.just("A1B")))}"')
    if draw(st.booleans()):
        attributes.append(f't="{draw(st.sampled_from(["e", "s", "n", "str", "inlineStr"]))}"')
    children = []
    for kind in draw(st.lists(st.sampled_from(["v", "f", "is", "x", "c"]), max_size=3)):
        if kind == "c":
            if depth == 0:
                children.append(draw(cell_xml(prefix, 1)))
            continue
        inner = draw(TEXTS)
        if draw(st.booleans()):
            inner += f"<{prefix}t>{draw(TEXTS)}</{prefix}t>{draw(TEXTS)}"
        children.append(f"<{prefix}{kind}>{inner}</{prefix}{kind}>")
    return f"<{prefix}c {' '.join(attributes)}>{''.join(children)}</{prefix}c>"


NAMESPACES = [
    ("", 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'),
    ("x:", 'xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"'),  # Strict, with a prefix
    ("", ""),
]


@st.composite
def sheet_xml(draw: st.DrawFn) -> bytes:
    prefix, declaration = draw(st.sampled_from(NAMESPACES))
    rows = []
    for _ in range(draw(st.integers(0, 4))):
        number = draw(st.sampled_from(["", ' r="1"', ' r="3"', ' r=""', ' r="x"']))
        cells = "".join(draw(st.lists(cell_xml(prefix), max_size=4)))
        rows.append(f"<{prefix}row{number}>{cells}</{prefix}row>")
    body = f"<{prefix}worksheet {declaration}><{prefix}sheetData>{''.join(rows)}</{prefix}sheetData></{prefix}worksheet>"
    body = draw(st.sampled_from([body, body[:-3], '<!DOCTYPE w [<!ENTITY e "x">]>' + body]))
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode()


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheet_xml())
def test_the_expat_scan_finds_what_the_elementtree_scan_found(data):
    assert outcome(expat_scan, data) == outcome(reference_scan, data)


def test_the_expat_scan_reads_a_generated_form_like_the_elementtree_scan(tmp_path):
    from klantwaarde.workbook.questionnaire import write_questionnaire

    base = example_base()
    path = write_questionnaire(
        base, base.respondents[-1], load_texts("nl"), tmp_path / "f.xlsx", now=FIXED_NOW
    )
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        for name in sheets:
            data = archive.read(name)
            assert outcome(expat_scan, data) == outcome(reference_scan, data), name


def test_the_expat_scan_refuses_entity_declarations():
    data = b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "x">]><worksheet><sheetData/></worksheet>'
    assert outcome(expat_scan, data) == ("refused",)


# ---------------------------------------------------------------------------------------------
# The base's cell values, and the cached monitor read


def _trimmed(rows: Any) -> list[tuple[Any, ...]]:
    """Rows without the blank cells at their ends, and without blank rows at the end."""
    kept = [tuple(row)[: max((i + 1 for i, v in enumerate(row) if v is not None), default=0)] for row in rows]
    while kept and not kept[-1]:
        kept.pop()
    return kept


def _as_calamine_reads(value: Any) -> Any:
    """openpyxl's value as calamine gives it: numbers as floats, a date cell as a date."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def test_base_values_are_those_of_iter_rows(tmp_path):
    gappy = build_workbook(
        tmp_path / "gappy.xlsx",
        {"Vragen": [["KWI", "Nr", "Vraag", "AA"], [], ["KWI-01", None, "tekst", "x", None, 3]], "Leeg": []},
    )
    for path in (EXAMPLE_BASE, gappy):
        fast = {sheet.name: _trimmed(sheet.rows) for sheet in read_workbook(path).sheets}
        workbook = openpyxl.load_workbook(path, data_only=True)
        plain = {
            ws.title: _trimmed([_as_calamine_reads(v) for v in r] for r in ws.iter_rows(values_only=True))
            for ws in workbook.worksheets
        }
        assert fast == plain, path.name


def test_a_monitor_read_twice_is_read_from_disk_once_and_again_after_a_change(tmp_path, monkeypatch):
    from klantwaarde.monitor import write_monitor

    target = write_monitor(
        example_report(), load_texts("nl"), tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    )
    history._READ_CACHE.clear()
    reads: list[Path] = []
    original = history._rows
    monkeypatch.setattr(
        history, "_rows", lambda path, stop_at=None: reads.append(path) or original(path, stop_at)
    )

    first = history.read_data(target)
    relative = Path(target.name)
    monkeypatch.chdir(tmp_path)
    second = history.read_data(relative)
    assert len(reads) == 1
    assert second == history.MonitorData(**{**first.__dict__, "path": relative})
    second.history.clear()  # a caller changing its copy changes nothing for the next one
    assert history.read_data(target).history == first.history

    write_monitor(example_report(), load_texts("en"), target)  # replaced: read again
    assert history.read_data(target).history == first.history
    assert len(reads) == 2


def test_reading_the_history_stops_before_the_answers_and_reads_them_when_asked(tmp_path, monkeypatch):
    from klantwaarde.monitor import write_monitor

    report = example_report()
    target = write_monitor(report, load_texts("nl"), tmp_path / "KLANT-2011H1 Klantwaardemonitor.xlsx")
    history._READ_CACHE.clear()
    reads: list[int] = []
    original = history._rows

    def counted(path: Path, stop_at: str | None = None) -> list[Any]:
        rows = original(path, stop_at)
        reads.append(len(rows))
        return rows

    monkeypatch.setattr(history, "_rows", counted)
    short = history.read_data(target)
    assert short.answers == [] and short.history
    full = history.read_data(target, answers=True)  # the cached short read does not serve this
    assert len(reads) == 2 and reads[0] <= reads[1] - len(report.answers)  # stopped before the answers
    assert len(full.answers) == len(report.answers) and full.history == short.history
    assert history.read_data(target).answers == []  # the full read serves a short one, from cache
    assert history.read_data(target, answers=True).answers == full.answers
    assert len(reads) == 2
