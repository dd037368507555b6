"""Build filled questionnaires that follow the fill contract (SPEC 3.2), without the generator.

Used by test_returned.py, test_collect.py and test_hostile.py. A form is an openpyxl workbook with
a ``Vragenlijst`` sheet (title block, header row in any column order and any row, KWI header rows
without key, keyed question rows, remark/NPS/anonymity rows), a ``_kwm`` identity sheet and the
identity as custom document properties, each part optional.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
from klantwaarde.examples import newmedia as nm
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils import get_column_letter

from klantwaarde import contract

COLUMNS = ("key", "number", "question", "grade", "relevance")
RESPONDENT_NAMES = {ini: name for name, ini, *_ in nm.RESPONDENTS}
QUESTION_TEXT = {number: text for _kwi, number, text in nm.QUESTIONS}


@dataclass
class FormFile:
    path: Path
    grade_cells: dict[str, str] = field(default_factory=dict)  # key -> "D12"
    relevance_cells: dict[str, str] = field(default_factory=dict)


def example_answers(initials: str, period: str = nm.PERIOD) -> dict[str, tuple[Any, Any]]:
    return {k: (g, r) for k, (g, r) in nm.answers(initials, period).items()}


def make_form(
    path: Path,
    initials: str = "KK",
    *,
    answers: Mapping[str, tuple[Any, Any]] | None = None,
    client_code: str = nm.CLIENT_CODE,
    period: str = nm.PERIOD,
    nps: Any = None,
    anonymous: Any = "Nee",
    remark: Any = "",
    lang: str = "nl",
    columns: Sequence[str] = COLUMNS,
    first_column: int = 1,
    title_rows: int = 5,
    identity: Sequence[str] = ("sheet", "properties", "title"),
    identity_state: str = "veryHidden",
    saved_at: dt.datetime | None = None,
    literal: bool = False,
    extra_identity: Mapping[str, str] | None = None,
) -> FormFile:
    """A filled questionnaire for ``initials``; ``answers`` maps key -> (grade, relevance) raw values
    (default: the example's answers). ``literal`` writes text as text even when it starts with '='
    or is an error code (otherwise openpyxl makes formulas and error cells of them)."""
    if answers is None:
        answers = example_answers(initials, period) if (initials, period) in _known() else {}
    if nps is None:
        nps = nm.NPS.get(period, {}).get(initials)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = contract.QUESTIONNAIRE_SHEET[lang]
    lang_index = 0 if lang == "nl" else 1
    col = {name: first_column + i for i, name in enumerate(columns)}
    for name in ("key", "grade"):  # still written (without a header) when left out of ``columns``
        col.setdefault(name, first_column + len(col))
    result = FormFile(path)

    if "title" in identity:
        labels = contract.TITLE_LABELS
        sheet.cell(1, first_column, f"{client_code}-{period} · KlantwaardeMonitor · Vragenlijst")
        sheet.cell(2, first_column, labels["client_code"][lang_index])
        sheet.cell(2, first_column + 2, client_code)
        sheet.cell(3, first_column, labels["period"][lang_index])
        sheet.cell(3, first_column + 2, period)
        sheet.cell(4, first_column, labels["respondent"][lang_index])
        sheet.cell(4, first_column + 2, f"{RESPONDENT_NAMES.get(initials, 'Iemand')} ({initials})")
    header = title_rows + 1
    for name, index in col.items():
        if name in contract.HEADERS and name in columns:
            sheet.cell(header, index, contract.HEADERS[name][lang_index])

    row = header + 1
    current_kwi = None
    for key, (grade, relevance) in answers.items():
        kwi = f"KWI-{key.split('.')[0].zfill(2)}" if re.match(r"\d+\.", key) else None
        if kwi and kwi != current_kwi and "question" in col:
            sheet.cell(row, col["question"], f"{kwi} · een KWI-kop zonder sleutel")
            row += 1
            current_kwi = kwi
        _put(sheet, row, col["key"], key, literal=True)
        if "number" in col:
            _put(sheet, row, col["number"], key, literal=True)
        if "question" in col:
            sheet.cell(row, col["question"], QUESTION_TEXT.get(key, "Een vraag"))
        _put(sheet, row, col["grade"], grade, literal)
        if "relevance" in col:
            _put(sheet, row, col["relevance"], relevance, literal)
            result.relevance_cells[key] = f"{get_column_letter(col['relevance'])}{row}"
        result.grade_cells[key] = f"{get_column_letter(col['grade'])}{row}"
        row += 1
    row += 1
    for key, value in (
        (contract.KEY_REMARK, remark),
        (contract.KEY_NPS, nps),
        (contract.KEY_ANONYMOUS, anonymous),
    ):
        _put(sheet, row, col["key"], key, literal=True)
        _put(sheet, row, col["grade"], value, literal)
        result.grade_cells[key] = f"{get_column_letter(col['grade'])}{row}"
        row += 1

    values = {
        "client_code": client_code,
        "period": period,
        "initials": initials,
        "form_version": contract.FORM_VERSION,
        "fingerprint": contract.fingerprint(answers.keys()),
        "form_id": f"id-{initials}-{period}",
        **(extra_identity or {}),
    }
    if "sheet" in identity:
        hidden = workbook.create_sheet(contract.IDENTITY_SHEET)
        for key, value in values.items():
            hidden.append([key, value])
        hidden.sheet_state = identity_state
    if "properties" in identity:
        for key, value in values.items():
            workbook.custom_doc_props.append(StringProperty(name=contract.PROPERTY_PREFIX + key, value=value))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    if saved_at is not None:
        set_modified(path, saved_at)
    return result


def _known() -> set[tuple[str, str]]:
    return {(ini, nm.PERIOD) for ini in nm.ASSIGNMENT} | {(ini, nm.EARLIER_PERIOD) for ini in nm.ASSIGNMENT}


def _put(sheet: Any, row: int, column: int, value: Any, literal: bool) -> None:
    cell = sheet.cell(row, column)
    cell.value = value
    if literal and isinstance(value, str):
        cell.data_type = "s"


def set_modified(path: Path, when: dt.datetime) -> None:
    """Set the document's save time (``dcterms:modified`` in docProps/core.xml) like Excel would."""
    stamp = when.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rewrite_member(
        path,
        "docProps/core.xml",
        lambda data: re.sub(
            rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
            rb"\g<1>" + stamp.encode() + rb"\g<2>",
            data,
        ),
    )


def rewrite_member(path: Path, member: str, change: Any, target: Path | None = None) -> Path:
    """Copy the zip at ``path`` to ``target`` (default: in place) with one member changed."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    target = target or path
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if info.filename == member else data)
    return target


def add_member(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return path


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def checksums(folder: Path) -> dict[str, str]:
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


# ---------------------------------------------------------------------------------------------
# A hand-made OpenDocument spreadsheet (no LibreOffice needed): the same form as .ods

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0"'
)


def _ods_cell(value: Any, data_type: str) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if value is None:
        return "<table:table-cell/>"
    if data_type == "e":
        return (
            '<table:table-cell table:formula="of:=NA()" office:value-type="string" '
            f'office:string-value="" calcext:value-type="error"><text:p>{escape(str(value))}</text:p>'
            "</table:table-cell>"
        )
    if isinstance(value, bool):
        word = "true" if value else "false"
        return f'<table:table-cell office:value-type="boolean" office:boolean-value="{word}"/>'
    if isinstance(value, int | float):
        return f'<table:table-cell office:value-type="float" office:value={quoteattr(repr(value))}/>'
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def to_ods(xlsx: Path, target: Path, modified: str = "2011-06-10T12:00:00") -> Path:
    """The workbook at ``xlsx`` as a minimal .ods: values, error cells, hidden sheets, custom props."""
    from xml.sax.saxutils import escape, quoteattr

    workbook = openpyxl.load_workbook(xlsx)
    tables = []
    for sheet in workbook.worksheets:
        style = ' table:style-name="hidden"' if sheet.sheet_state != "visible" else ""
        rows = []
        for row in sheet.iter_rows(min_row=1, max_row=sheet.max_row, max_col=sheet.max_column):
            cells = "".join(_ods_cell(c.value, c.data_type) for c in row)
            rows.append(f"<table:table-row>{cells}</table:table-row>")
        tables.append(
            f"<table:table table:name={quoteattr(sheet.title)}{style}>{''.join(rows)}</table:table>"
        )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.3">'
        '<office:automatic-styles><style:style style:name="hidden" style:family="table">'
        '<style:table-properties table:display="false"/></style:style></office:automatic-styles>'
        f"<office:body><office:spreadsheet>{''.join(tables)}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    props = "".join(
        f"<meta:user-defined meta:name={quoteattr(p.name)}>{escape(str(p.value))}</meta:user-defined>"
        for p in workbook.custom_doc_props
    )
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-meta {_ODS_NS} office:version="1.3">'
        f"<office:meta><dc:date>{modified}</dc:date>{props}</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.3"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("meta.xml", meta, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return target
