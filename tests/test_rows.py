"""A workbook file as plain rows (workbook/rows.py): values from A1, and the facts the bounded
scan records beside them (error values, formulas without a result, links to other workbooks,
hidden rows, columns and sheets), for .xlsx and .ods alike."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

import lo_kit
from conftest import build_workbook
from klantwaarde.problems import WorkbookFileError
from klantwaarde.sheetdata import SheetRows, WorkbookRows
from klantwaarde.workbook.rows import read_workbook
from returned_kit import _ODS_NS, rewrite_member


def sheet_of(workbook: WorkbookRows, name: str) -> SheetRows:
    found = workbook.sheet(name)
    assert found is not None, workbook.names
    return found


def test_values_are_rows_from_a1_with_blanks_as_none(tmp_path):
    path = build_workbook(
        tmp_path / "b.xlsx",
        {"Blad": [[], [None, None, "tekst", 7, 7.5], [None, dt.date(2024, 1, 8), True, " "]], "Leeg": []},
    )
    workbook = read_workbook(path)
    assert workbook.file == "b.xlsx" and workbook.names == ["Blad", "Leeg"]
    sheet = sheet_of(workbook, "Blad")
    assert sheet.rows == ((), (None, None, "tekst", 7.0, 7.5), (None, dt.date(2024, 1, 8), True, " ", None))
    assert (sheet.value(2, 3), sheet.value(3, 2), sheet.value(9, 9), sheet.value(1, 1)) == (
        "tekst",
        dt.date(2024, 1, 8),
        None,
        None,
    )
    assert sheet_of(workbook, "Leeg").rows == ()
    assert sheet.state == "visible" and sheet.kind == "worksheet" and not sheet.hidden


def test_error_values_show_as_text_and_formulas_without_a_result_are_listed(tmp_path):
    path = build_workbook(
        tmp_path / "f.xlsx",
        {"Blad": [["=1+1", "=[1]Blad1!A1", "=cmd|' /C calc'!A0", '="a|b [1]"', "fout"]]},
    )
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="E1" t="inlineStr"><is><t>fout</t></is></c>', b'<c r="E1" t="e"><v>#DIV/0!</v></c>'
        ),
    )
    sheet = sheet_of(read_workbook(path), "Blad")
    assert sheet.rows == ((None, None, None, None, "#DIV/0!"),)
    assert sheet.errors == {(1, 5): "#DIV/0!"}
    assert sheet.formulas_without_value == {
        (1, 1): "=1+1",
        (1, 2): "=[1]Blad1!A1",
        (1, 3): "=cmd|' /C calc'!A0",
        (1, 4): '="a|b [1]"',
    }
    # a string literal is text, not a link
    assert sheet.external_links == {(1, 2): "=[1]Blad1!A1", (1, 3): "=cmd|' /C calc'!A0"}


def test_hidden_rows_columns_and_sheets_are_recorded(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blad"
    for row in range(1, 8):
        sheet.append([row * 10 + column for column in range(1, 6)])
    for row in (3, 4, 6):
        sheet.row_dimensions[row].hidden = True
    sheet.column_dimensions.group("B", "C", hidden=True)
    workbook.create_sheet("Verborgen").sheet_state = "hidden"
    workbook.create_sheet("_kwm").sheet_state = "veryHidden"
    workbook.create_chartsheet("Grafiek").add_chart(_chart(sheet))
    workbook.save(tmp_path / "h.xlsx")
    read = read_workbook(tmp_path / "h.xlsx")
    blad = sheet_of(read, "Blad")
    assert blad.hidden_rows == ((3, 4), (6, 6)) and blad.hidden_columns == ((2, 3),)
    assert [blad.row_hidden(r) for r in range(1, 8)] == [False, False, True, True, False, True, False]
    assert blad.column_hidden(3) and not blad.column_hidden(4)
    assert blad.rows[6] == (71.0, 72.0, 73.0, 74.0, 75.0)  # hidden rows are read like any other
    states = {s.name: (s.state, s.kind) for s in read.sheets}
    assert states == {
        "Blad": ("visible", "worksheet"),
        "Verborgen": ("hidden", "worksheet"),
        "_kwm": ("veryHidden", "worksheet"),
        "Grafiek": ("visible", "chartsheet"),
    }
    assert sheet_of(read, "Grafiek").rows == ()


def _chart(sheet):
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=3))
    return chart


def ods(path: Path, tables: str) -> Path:
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="/" '
            'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>',
        )
    return path


def test_ods_hidden_rows_and_columns_count_their_repeats(tmp_path):
    one = '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell>'
    link = (
        "<table:table-cell table:formula=\"of:=['file:///elders.ods'#$Blad1.A1]\" "
        'office:value-type="float" office:value="5"><text:p>5</text:p></table:table-cell>'
    )
    error = (
        '<table:table-cell table:formula="of:=NA()" office:value-type="string" office:string-value="" '
        'calcext:value-type="error"><text:p>#N/A</text:p></table:table-cell>'
    )
    table = (
        '<table:table table:name="Blad">'
        '<table:table-column table:number-columns-repeated="2"/>'
        '<table:table-column table:visibility="collapse" table:number-columns-repeated="3"/>'
        "<table:table-column/>"
        f"<table:table-row>{one}{link}{error}</table:table-row>"
        f'<table:table-row table:visibility="collapse" table:number-rows-repeated="3">{one}</table:table-row>'
        f'<table:table-row table:visibility="filter">{one}</table:table-row>'
        f"<table:table-row>{one}</table:table-row>"
        '<table:table-row table:visibility="collapse" table:number-rows-repeated="1048570">'
        '<table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        "</table:table>"
    )
    sheet = sheet_of(read_workbook(ods(tmp_path / "h.ods", table)), "Blad")
    assert sheet.hidden_rows == ((2, 5), (7, 1048576))  # joined where they follow on
    assert sheet.hidden_columns == ((3, 5),)
    assert sheet.rows == ((1.0, 5.0, "#N/A"), *[(1.0, None, None)] * 5)
    assert sheet.errors == {(1, 3): "#N/A"} and sheet.formulas_without_value == {}
    assert sheet.external_links == {(1, 2): "=['file:///elders.ods'#$Blad1.A1]"}


def test_libreoffice_keeps_the_facts_in_an_ods(tmp_path, soffice):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Blad"
    for row in range(1, 6):
        sheet.append([row * 10 + column for column in range(1, 4)])
    sheet["D1"], sheet["D2"] = "=NA()", "='[elders.xlsx]Blad1'!A1"
    sheet.row_dimensions[3].hidden = True
    sheet.column_dimensions["B"].hidden = True
    workbook.create_sheet("Verborgen").sheet_state = "hidden"
    workbook.save(tmp_path / "feiten.xlsx")
    converted = lo_kit.convert(soffice, [tmp_path / "feiten.xlsx"], tmp_path / "ods", "ods")[0]
    read = read_workbook(converted)
    blad = sheet_of(read, "Blad")
    assert blad.hidden_rows == ((3, 3),) and blad.hidden_columns == ((2, 2),)
    assert blad.errors[(1, 4)] == "#N/A" and blad.rows[0][3] == "#N/A"
    assert list(blad.external_links) == [(2, 4)]
    assert sheet_of(read, "Verborgen").state == "hidden"
    assert blad.rows[4][:3] == (51.0, 52.0, 53.0)


def test_only_the_named_sheets_are_scanned_and_read(tmp_path):
    path = build_workbook(tmp_path / "m.xlsx", {"Voorblad": [["x"]], "_data": [["kwm-monitor-data", "1"]]})
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far))
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook(path)
    assert (
        caught.value.problem.code == "sheet_too_large" and caught.value.problem.location.sheet == "Voorblad"
    )
    only = read_workbook(path, only=("_data",))
    assert only.names == ["_data"] and sheet_of(only, "_data").rows == (("kwm-monitor-data", "1"),)


def test_a_sheet_listed_twice_cannot_hide_its_far_cells_from_a_scan_of_that_sheet(tmp_path):
    path = build_workbook(tmp_path / "d.xlsx", {"_data": [["benign"]], "Ander": [["x"]]})
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    rewrite_member(path, "xl/worksheets/sheet2.xml", lambda xml: xml.replace(b"</sheetData>", far))
    # both sheets named _data: a reader may take either
    rewrite_member(path, "xl/workbook.xml", lambda xml: xml.replace(b'name="Ander"', b'name="_data"'))
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook(path, only=("_data",))
    assert caught.value.problem.code == "sheet_too_large"


def test_a_sheet_is_read_up_to_max_rows_of_its_used_area(tmp_path):
    path = build_workbook(tmp_path / "r.xlsx", {"Blad": [[], [1], [2], [3], [4]]})
    assert sheet_of(read_workbook(path, max_rows=2), "Blad").rows == ((), (1.0,), (2.0,))


def test_the_size_limit_counts_the_used_area_and_names_the_code_asked_for(tmp_path):
    path = build_workbook(tmp_path / "g.xlsx", {"Blad": [[1]]})
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>", b'<row r="40"><c r="Z40" t="n"><v>1</v></c></row></sheetData>'
        ),
    )
    assert sheet_of(read_workbook(path, max_cells=40 * 26), "Blad").value(40, 26) == 1.0
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook(path, max_cells=40 * 26 - 1, too_large="form_too_large")
    found = caught.value.problem
    assert (found.code, found.context["rows"], found.context["columns"]) == ("form_too_large", 40, 26)


@pytest.mark.parametrize(("ref", "row", "column"), [("A1048576", 1048576, 1), ("XFD3", 3, 16384)])
def test_rows_from_a1_are_bounded_however_far_down_or_right_the_used_area_starts(tmp_path, ref, row, column):
    """One cell far away is a used area of one cell (the scan lets it pass), but rows from A1 would
    hold a million empty rows or thousands of blank cells: counted against the same limit."""
    path = build_workbook(tmp_path / "far.xlsx", {"Blad": [["x"]]})
    alone = f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row></sheetData>'.encode()
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        # the far cell alone: its used area is that one cell
        lambda xml: xml.replace(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>', b""
        ).replace(b"</sheetData>", alone),
    )
    with pytest.raises(WorkbookFileError) as caught:
        read_workbook(path, max_cells=10_000)
    assert caught.value.problem.code == "sheet_too_large"
    assert sheet_of(read_workbook(path, max_cells=2_000_000), "Blad").value(row, column) == 1.0
