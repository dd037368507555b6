"""The monitor workbook (SPEC 3.4): the report that goes on the table at the klantwaardesessie.

``write_monitor(report, texts, target)`` builds the workbook from scratch from a ``MonitorReport``
and saves it atomically. Sheets in SPEC order, names and labels from the texts; numbers stored as
numbers with display formats; native charts; every sheet printable on A4.

Two rules shape everything here:

- **Anonymity**: an anonymous respondent's name, initials and e-mail appear only on the
  respondents and assignment sheets. ``MonitorReport`` already carries no initials next to
  their answers; this module adds no per-respondent detail for them and scrubs their identity
  from problem messages and file names on the messages sheet.
- **Literal text**: every text goes through ``_put``, which uses ``set_text`` so that a remark
  like ``=HYPERLINK(..)`` stays text. The workbook holds no formulas at all; the internal A3
  data of the base is never read here.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from klantwaarde.problems import Problem, Severity
from klantwaarde.report import AnswerRow, MonitorReport, RespondentResult, anonymity_scrubber
from klantwaarde.scoring import nps_category
from klantwaarde.texts import Texts
from klantwaarde.workbook import compat, styles
from klantwaarde.workbook.history import DATA_SHEET, write_data_sheet
from klantwaarde.workbook.safe import atomic_save, set_text
from klantwaarde.workbook.style_cache import StyleCache

SHEET_KEYS = (
    "cover",
    "respondents",
    "kwis",
    "assignment",
    "scores",
    "trend",
    "nps",
    "analysis",
    "remarks",
    "actions",
    "answers",
    "problems",
)
MAX_CELL_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell
STREAM_ROWS = 500  # long tables are written out every this many rows
T = TypeVar("T")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# ---------------------------------------------------------------------------------------------
# Entry points


def write_monitor(report: MonitorReport, texts: Texts, target: Path) -> Path:
    """Write the monitor for ``report`` to ``target`` (temporary file, then moved into place)."""
    workbook = build_monitor(report, texts)
    try:
        return atomic_save(workbook, target)
    finally:
        discard(workbook)


def discard(workbook: Workbook) -> None:
    """Close the streams of a write-only workbook that was not (fully) saved and remove their files."""
    compat.discard_streams(workbook)


def build_monitor(report: MonitorReport, texts: Texts) -> Workbook:
    """The monitor as a write-only openpyxl workbook, not yet saved (it can be saved once).

    Write-only: every sheet is streamed to a temporary file as it is finished, and the answer
    sheet and ``_data`` every few hundred rows, so memory does not grow with the number of answers.
    """
    ctx = _Context(report, texts, sheet_names(texts), _anonymous_scrubber(report, texts))
    workbook = Workbook(write_only=True)
    builders: dict[str, Callable[[_Sheet], None]] = {
        "cover": _cover,
        "respondents": _respondents,
        "kwis": _kwis,
        "assignment": _assignment,
        "scores": _scores,
        "trend": _trend,
        "nps": _nps,
        "analysis": _analysis,
        "remarks": _remarks,
        "actions": _actions,
        "answers": _answers,
        "problems": _problems,
    }
    for key in SHEET_KEYS:
        sheet = _Sheet(workbook.create_sheet(ctx.names[key]), ctx)
        sheet.ws.sheet_view.showGridLines = False
        builders[key](sheet)
        sheet.flush()
    write_data_sheet(workbook.create_sheet(DATA_SHEET), report)
    workbook.active = 0

    settings = report.base.settings
    props = workbook.properties
    props.creator = "kwm"
    props.lastModifiedBy = "kwm"
    props.title = _clean(f"{texts('monitor.title')} {settings.client_code} {settings.period}")
    props.created = report.generated_at
    props.modified = report.generated_at
    return workbook


def sheet_names(texts: Texts) -> dict[str, str]:
    """Sheet key -> a valid, unique sheet name from the texts (an override may be careless)."""
    names: dict[str, str] = {}
    used = {DATA_SHEET.lower()}
    for key in SHEET_KEYS:
        name = _SHEET_NAME_FORBIDDEN.sub("", texts(f"monitor.sheets.{key}")).strip().strip("'")[:31]
        name = name or key
        base, counter = name, 2
        while name.lower() in used:
            suffix = f" {counter}"
            name, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        used.add(name.lower())
        names[key] = name
    return names


def monitor_file_name(texts: Texts, client_code: str, period: str) -> str:
    """``KLANT-2011H1 Klantwaardemonitor.xlsx`` (or the English name), safe as a file name."""
    from klantwaarde.workbook.safe import safe_filename

    return safe_filename(texts("monitor.file_name", code=client_code, period=period))


# ---------------------------------------------------------------------------------------------
# Shared machinery


@dataclass
class _Context:
    report: MonitorReport
    texts: Texts
    names: dict[str, str]
    scrub: Callable[[str], str]
    styles: StyleCache = field(default_factory=StyleCache)  # one per workbook

    @property
    def lang(self) -> str:
        return self.texts.lang

    def t(self, key: str, **values: Any) -> str:
        return self.texts(f"monitor.{key}", **values)

    def col(self, key: str) -> str:
        return self.texts(f"monitor.columns.{key}")

    def date_text(self, value: date) -> str:
        return value.strftime("%d-%m-%Y" if self.lang == "nl" else "%Y-%m-%d")

    def yes_no(self, value: bool) -> str:
        return self.t("yes" if value else "no")


def _clean(text: str) -> str:
    """Text a cell can hold: no XML-illegal control characters, not longer than Excel allows."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", text)
    return cleaned[:MAX_CELL_TEXT]


def _label(name: str, initials: str) -> str:
    return f"{name} ({initials})" if name else initials


def _anonymous_scrubber(report: MonitorReport, texts: Texts) -> Callable[[str], str]:
    """Anonymous respondents' names, e-mails, initials and file names become 'anoniem' (see report)."""
    return anonymity_scrubber(report.respondents, texts("monitor.anonymous"))


@dataclass(frozen=True)
class _Style:
    font: Font | None = None
    fill: PatternFill | None = None
    fmt: str | None = None
    align: Alignment | None = None
    border: Border | None = None


PLAIN = _Style(styles.BODY, align=styles.TOP, border=styles.CELL_BORDER)
WRAPPED = _Style(styles.BODY, align=styles.WRAP, border=styles.CELL_BORDER)
CENTERED = _Style(styles.BODY, align=styles.CENTER, border=styles.CELL_BORDER)
SCORE = _Style(styles.BODY, fmt=styles.SCORE, align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)
COUNT = _Style(styles.BODY, fmt=styles.COUNT, align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)
NPS = _Style(styles.BODY, fmt=styles.NPS, align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)
PERCENT = _Style(styles.BODY, fmt=styles.PERCENT, align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)
WEIGHT = _Style(styles.BODY, fmt=styles.WEIGHT, align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)
DIFF = _Style(styles.BODY, fmt="+0.00;-0.00;0.00", align=styles.NUMBER_ALIGN, border=styles.CELL_BORDER)


class _Sheet:
    """A write-only worksheet with the few writing moves every monitor sheet uses.

    Cells are kept per row until ``flush`` streams them to openpyxl's write-only sheet: at the end
    of each sheet, and along the way on the long tables (respondents, assignment, answers), which
    then declare their ``extent`` first. openpyxl writes the used range, the column widths, the
    frozen pane and the page set-up flags ahead of the first row: set them before the first
    ``flush`` (``freeze`` and ``print_setup`` refuse afterwards). Merged ranges, filters,
    conditional formats and charts may follow later.
    """

    def __init__(self, ws: Any, ctx: _Context):
        self.ws = ws
        self.ctx = ctx
        self._rows: dict[int, dict[int, Cell]] = {}
        self._written = 0  # rows 1.._written are streamed out and can no longer change
        self._page_set = False  # print_setup done: the sheet's head may be written
        self._extent: tuple[int, int] | None = None  # (last row, last column), declared or found
        self._reached = (0, 0)  # the last row and last column that held a cell, so far

    def cell(self, row: int, col: int) -> Cell:
        if row <= self._written:
            raise ValueError(f"{self.ws.title}: row {row} is already written")
        cells = self._rows.get(row)
        if cells is None:
            cells = self._rows[row] = {}
        cell = cells.get(col)
        if cell is None:
            cell = cells[col] = Cell(self.ws, row=row, column=col)
        return cell

    def extent(self, last_row: int, last_col: int) -> None:
        """Declare the used range of a sheet whose rows are streamed before it is complete.

        The range is written at the top of the sheet; readers such as openpyxl's read-only mode
        rely on it (without it they parse every sheet in full just to learn its size).
        """
        self._extent = (last_row, last_col)

    def flush(self, through: int | None = None) -> None:
        """Stream rows up to ``through`` (default: every row so far) to the sheet, in order."""
        if through is not None and not (self._page_set and self._extent):
            raise RuntimeError(f"{self.ws.title}: set up the page and the extent before streaming rows")
        heights = self.ws.row_dimensions
        if through is None:
            through = max(max(self._rows, default=0), max(heights, default=0))
        extent = self._extent
        if extent is None:  # not streamed: everything is here, the extent is what was written
            merged = self.ws.merged_cells.ranges
            last_row = max([*self._rows, *(m.max_row for m in merged)], default=1)
            widest = max(
                [*(max(c) for c in self._rows.values() if c), *(m.max_col for m in merged)], default=1
            )
            extent = self._extent = (last_row, widest)
        if not self._written:
            ref = f"A1:{get_column_letter(extent[1])}{extent[0]}"
            compat.declare_dimension(self.ws, ref)
        for row in range(self._written + 1, through + 1):
            cells = self._rows.pop(row, None)
            if cells:
                self._reached = (row, max(self._reached[1], max(cells)))
            self.ws.append([cells.get(c) for c in range(1, max(cells) + 1)] if cells else [])
            heights.pop(row, None)  # written with the row: no need to keep it
        self._written = max(self._written, through)
        if self._reached[0] > extent[0] or self._reached[1] > extent[1]:
            raise RuntimeError(f"{self.ws.title}: cells beyond the declared extent {extent}")

    def merge(self, row: int, first_col: int, last_col: int) -> None:
        compat.add_merged_range(self.ws, row, first_col, row, last_col)

    def put(self, row: int, col: int, value: Any, style: _Style = PLAIN) -> Any:
        cell = self.cell(row, col)
        if isinstance(value, str):
            set_text(cell, _clean(value))
        elif isinstance(value, float) and not math.isfinite(value):
            cell.value = None
        else:
            cell.value = value
        cache = self.ctx.styles
        if style.font is not None:
            cache.set(cell, "font", style.font)
        if style.fill is not None:
            cache.set(cell, "fill", style.fill)
        if style.fmt is not None:
            cell.number_format = style.fmt
        if style.align is not None:
            cache.set(cell, "alignment", style.align)
        if style.border is not None:
            cache.set(cell, "border", style.border)
        return cell

    def date(self, row: int, col: int, value: date | None) -> Any:
        cell = self.put(row, col, value, CENTERED)
        cell.number_format = styles.date_format(self.ctx.lang)
        return cell

    def title(self, text: str, subtitle: str | None = None) -> int:
        """Title in row 1 (and a subtitle in row 2); returns the first free row after a gap."""
        self.put(1, 1, text, _Style(styles.TITLE))
        self.ws.row_dimensions[1].height = 30
        if subtitle:
            self.put(2, 1, subtitle, _Style(styles.SUBTITLE))
            return 4
        return 3

    def heading(self, row: int, text: str) -> int:
        self.put(row, 1, text, _Style(styles.HEADING))
        self.ws.row_dimensions[row].height = 20
        return row + 1

    def note(self, row: int, text: str, last_col: int | None = None) -> int:
        """A muted sentence; spread over columns 1..last_col (wrapped) when given."""
        if last_col and last_col > 1:
            self.merge(row, 1, last_col)
            self.put(row, 1, text, _Style(styles.NOTE, align=Alignment(wrap_text=True, vertical="top")))
            self.ws.row_dimensions[row].height = _text_height(text, self._width(1, last_col), 13.5)
        else:
            self.put(row, 1, text, _Style(styles.NOTE))
        return row + 1

    def header(self, row: int, labels: Sequence[str], col: int = 1, centered_from: int = 99) -> int:
        for offset, label in enumerate(labels):
            align = styles.HEADER_ALIGN_CENTER if offset >= centered_from else styles.HEADER_ALIGN
            style = _Style(styles.HEADER, styles.HEADER_FILL, align=align, border=styles.HEADER_BORDER)
            self.put(row, col + offset, label, style)
        widths = [
            self.ws.column_dimensions[get_column_letter(col + i)].width or 10 for i in range(len(labels))
        ]
        lines = max((_lines(label, w, bold=True) for label, w in zip(labels, widths, strict=True)), default=1)
        self.ws.row_dimensions[row].height = 15 * lines + 4
        return row + 1

    def widths(self, *widths: float) -> None:
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = width

    def _width(self, first: int, last: int) -> float:
        return sum(
            self.ws.column_dimensions[get_column_letter(c)].width or 10 for c in range(first, last + 1)
        )

    def freeze(self, row: int, col: int = 1) -> None:
        """Keep everything above ``row`` (and left of ``col``) in view while scrolling."""
        if self._written:
            raise RuntimeError(f"{self.ws.title}: freeze panes before streaming rows")
        self.ws.freeze_panes = f"{get_column_letter(col)}{row}"

    def long_table(self, header_row: int, last_row: int, last_col: int) -> None:
        """A table that runs over pages: header frozen, filter on, header repeated on every page."""
        self.long_table_view(header_row)
        self.autofilter(header_row, last_row, last_col)

    def streamed_table(
        self, header_row: int, items: Sequence[T], last_col: int, write: Callable[[int, T], None]
    ) -> None:
        """A long table below ``header_row``: ``write(row, item)`` for each item, streamed out every
        ``STREAM_ROWS`` rows, so that however many items there are, few rows are held at a time."""
        self.long_table_view(header_row)
        self.extent(header_row + len(items), last_col)
        row = header_row + 1
        for item in items:
            if row % STREAM_ROWS == 0:
                self.flush(row - 1)
            write(row, item)
            row += 1
        self.autofilter(header_row, row - 1, last_col)

    def long_table_view(self, header_row: int) -> None:
        """The frozen header and page set-up of a long table (before its rows are streamed)."""
        self.freeze(header_row + 1)
        self.print_setup(landscape=True, title_rows=f"{header_row}:{header_row}")

    def autofilter(self, header_row: int, last_row: int, last_col: int) -> None:
        if last_row > header_row:
            self.ws.auto_filter.ref = f"A{header_row}:{get_column_letter(last_col)}{last_row}"

    def below_target(self, cells: str, formula: str) -> None:
        """Mark cells whose score is below target; ``formula`` is written for the top-left cell."""
        self.ws.conditional_formatting.add(
            cells, FormulaRule(formula=[formula], fill=styles.BELOW_FILL, font=styles.BELOW_FONT)
        )

    def print_setup(self, landscape: bool, title_rows: str | None = None, one_page: bool = False) -> None:
        """A4, fit to the page width (and height when ``one_page``: a chart is never cut in two)."""
        if self._written:
            raise RuntimeError(f"{self.ws.title}: set up the page before streaming rows")
        self._page_set = True
        ws, ctx = self.ws, self.ctx
        settings = ctx.report.base.settings
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape" if landscape else "portrait"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1 if one_page else 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = False
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = ws.page_margins.bottom = 0.75
        ws.page_margins.header = ws.page_margins.footer = 0.3
        if title_rows:
            ws.print_title_rows = title_rows
        font = '&"Calibri,Regular"&9'
        ws.oddHeader.left.text = font + _hf(settings.client)
        ws.oddHeader.center.text = font + _hf(ctx.t("header_center", period=settings.period))
        ws.oddHeader.right.text = font + _hf(ws.title)
        page = _hf(ctx.t("footer_page", page="\ue000", pages="\ue001"))
        page = page.replace("\ue000", "&P").replace("\ue001", "&N")
        ws.oddFooter.left.text = font + _hf(f"{settings.client_code} · {settings.period}")
        ws.oddFooter.center.text = font + page
        date_text = ctx.date_text(ctx.report.report_date)
        ws.oddFooter.right.text = font + _hf(ctx.t("footer_date", date=date_text))


def _hf(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled; kept short."""
    return _clean(text)[:80].replace("&", "&&")


# Glyph widths relative to the digit '0' (the unit of column widths); about the same for Calibri,
# Carlito and DejaVu Sans, so one estimate serves Excel and LibreOffice.
_NARROW = set("iIjl.,:;'!|` ")
_SMALL = set('ftr()[]{}-/"*')
_WIDE = set("mwMW@%")


def _glyph(ch: str) -> float:
    if ch in _NARROW:
        return 0.48
    if ch in _SMALL:
        return 0.66
    if ch in _WIDE:
        return 1.55
    if ch.isupper():
        return 1.12
    return 0.97


@functools.lru_cache(maxsize=4096)  # the answer sheet measures the same question texts again and again
def _lines(text: str, width: float, bold: bool = False) -> int:
    """Lines a wrapped text needs in a column ``width`` characters wide (greedy word wrap)."""
    usable = max(width - 0.8, 2.0)
    scale = 1.08 if bold else 1.0
    space = _glyph(" ") * scale
    total = 0
    for paragraph in (text or "").split("\n"):
        lines, current = 1, 0.0
        for word in paragraph.split(" "):
            size = sum(_glyph(ch) for ch in word) * scale
            if current and current + space + size <= usable:
                current += space + size
                continue
            if current:
                lines += 1
            # a word longer than the column is broken over several lines
            extra = int(size // usable) if size > usable else 0
            lines += extra
            current = size - extra * usable
        total += lines
    return max(total, 1)


def _text_height(text: str, width: float, line_height: float = 15.0) -> float:
    return max(line_height, _lines(text, width) * line_height + 2)


def _fit_row(sheet: _Sheet, row: int, texts_by_col: dict[int, str]) -> None:
    """Set the row height for wrapped texts, so nothing is cut off in Excel or LibreOffice."""
    lines = 1
    for col, text in texts_by_col.items():
        width = sheet.ws.column_dimensions[get_column_letter(col)].width or 10
        lines = max(lines, _lines(text, width))
    if lines > 1:
        sheet.ws.row_dimensions[row].height = 14.5 * lines + 3


def _rule_ref(first_col: int, first_row: int, last_col: int, last_row: int) -> str:
    return f"{get_column_letter(first_col)}{first_row}:{get_column_letter(last_col)}{last_row}"


# ---------------------------------------------------------------------------------------------
# Charts


def _rich(text: str, size: int, bold: bool = True) -> RichText:
    props = CharacterProperties(sz=size, b=bold, solidFill=styles.NAVY)
    paragraph = Paragraph(
        pPr=ParagraphProperties(defRPr=props), r=[RegularTextRun(rPr=props, t=_clean(text))]
    )
    return RichText(p=[paragraph])


def _title(text: str, size: int = 1200) -> Title:
    return Title(tx=Text(rich=_rich(text, size)), overlay=False)


def _show_axes(chart: Any, y_title: str | None = None, x_title: str | None = None) -> None:
    # openpyxl >= 3.1 writes axes as deleted unless told otherwise: the chart would have no scale.
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    if y_title:
        chart.y_axis.title = _title(y_title, 1000)
    if x_title:
        chart.x_axis.title = _title(x_title, 1000)
    chart.legend.position = "b"


def _grade_axis(chart: Any, minimum: float, maximum: float = 10) -> None:
    chart.y_axis.scaling.min = minimum
    chart.y_axis.scaling.max = maximum
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"


def _colour_bars(series: Any, colour: str) -> None:
    series.graphicalProperties.solidFill = colour
    series.graphicalProperties.line.solidFill = colour


def _value_labels(series: Any, number_format: str) -> None:
    series.dLbls = DataLabelList()
    series.dLbls.showVal = True
    for flag in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(series.dLbls, flag, False)
    series.dLbls.numFmt = number_format
    series.dLbls.position = "outEnd"


# ---------------------------------------------------------------------------------------------
# 1. Voorblad


def _cover(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    settings = report.base.settings
    sheet.widths(34, 16, 14, 14, 14)
    row = sheet.title(ctx.t("title"), ctx.t("subtitle", client=settings.client, period=settings.period))

    label = _Style(styles.BOLD, styles.SECTION_FILL, align=styles.TOP, border=styles.CELL_BORDER)
    value_style = _Style(styles.BODY, align=Alignment(horizontal="left", vertical="top"))

    def pair(key: str, value: Any, style: _Style = value_style) -> None:
        nonlocal row
        sheet.put(row, 1, ctx.t(f"cover.{key}"), label)
        if value is None or value == "":
            sheet.put(row, 2, ctx.t("none"), value_style)
        elif isinstance(value, date):
            cell = sheet.put(row, 2, value, value_style)
            cell.number_format = styles.date_format(ctx.lang)
        else:
            sheet.put(row, 2, value, style)
        row += 1

    pair("client", settings.client)
    pair("client_code", settings.client_code)
    pair("supplier", settings.supplier)
    pair("period", settings.period)
    pair("account_manager", settings.account_manager)
    pair("report_date", report.report_date)
    pair("session_date", settings.session_date)

    row = sheet.heading(row + 1, ctx.t("cover.results"))
    key_left = Alignment(horizontal="left", vertical="center")
    big_score = _Style(styles.KEY_FIGURE, fmt=styles.SCORE, align=key_left)
    overall_row = row
    pair("overall", report.overall, big_score)
    sheet.ws.row_dimensions[overall_row].height = 24
    if report.overall is not None:
        sheet.below_target(
            f"B{overall_row}", f"AND(ISNUMBER(B{overall_row}),B{overall_row}<B{overall_row + 2})"
        )
    left = Alignment(horizontal="left", vertical="top")
    pair("overall_mean", report.overall_mean, _Style(styles.BODY, fmt=styles.SCORE, align=left))
    pair("default_target", settings.default_target, _Style(styles.BODY, fmt=styles.SCORE, align=left))
    nps = report.nps
    pair("nps", nps.nps, _Style(styles.KEY_FIGURE, fmt=styles.NPS, align=key_left))
    sheet.ws.row_dimensions[row - 1].height = 24
    counts = ctx.t(
        "cover.nps_counts", promoters=nps.promoters, passives=nps.passives, detractors=nps.detractors, n=nps.n
    )
    # with so few respondents the NPS means little without n and the counts beside it
    sheet.put(row - 1, 3, counts, _Style(styles.BODY, align=key_left))
    pair("response", ctx.t("cover.response_value", returned=report.returned, asked=report.asked))
    rate = report.returned / report.asked if report.asked else None
    pair("response_rate", rate, _Style(styles.BODY, fmt=styles.PERCENT, align=Alignment(horizontal="left")))

    row = sheet.heading(row + 1, ctx.t("cover.kwi_summary"))
    row = sheet.header(row, [ctx.col("kwi"), ctx.col("score"), ctx.col("target"), ctx.col("n_answers")], 1, 1)
    first = row
    for kwi in report.kwis:
        name = f"{kwi.code} · {kwi.title}" if kwi.title else kwi.code
        sheet.put(row, 1, name, WRAPPED)
        sheet.put(row, 2, kwi.score, SCORE)
        sheet.put(row, 3, kwi.target, SCORE)
        sheet.put(row, 4, kwi.n, COUNT)
        _fit_row(sheet, row, {1: name})
        row += 1
    if report.kwis:
        sheet.below_target(_rule_ref(2, first, 2, row - 1), f"AND(ISNUMBER(B{first}),B{first}<C{first})")

    row += 1
    row = sheet.note(row, ctx.t("cover.explanation"), 5)
    if report.problems:
        sheet.note(row, ctx.t("cover.problems_note", n=len(report.problems), sheet=ctx.names["problems"]), 5)
    sheet.print_setup(landscape=False, one_page=True)


# ---------------------------------------------------------------------------------------------
# 2. Respondenten


def _respondents(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(24, 10, 30, 22, 36, 10, 14)
    row = sheet.title(ctx.t("respondents.title"))
    row = sheet.note(row - 1, ctx.t("respondents.note")) + 1
    header = row
    labels = ["name", "initials", "email", "function", "remark", "asked_questions", "returned"]
    sheet.header(header, [ctx.col(k) for k in labels], centered_from=5)

    # Deliberately no 'anonymous' flag and no answer count: this sheet only says who took part.
    def write(row: int, r: RespondentResult) -> None:
        values = (r.name, r.initials, r.email, r.function, r.remark)
        for col, value in enumerate(values, start=1):
            sheet.put(row, col, value, WRAPPED if col == 5 else PLAIN)
        sheet.put(row, 6, r.asked, COUNT)
        sheet.put(row, 7, ctx.yes_no(r.returned), CENTERED)
        _fit_row(sheet, row, {5: r.remark, 3: r.email})

    sheet.streamed_table(header, report.respondents, 7, write)


# ---------------------------------------------------------------------------------------------
# 3. KWI's


def _kwis(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    sheet.widths(11, 24, 70, 11, 11)
    row = sheet.title(ctx.t("kwis.title"))
    header = row
    labels = [
        ctx.col("code"),
        ctx.col("title"),
        ctx.col("description"),
        ctx.col("target"),
        ctx.col("questions"),
    ]
    row = sheet.header(row, labels, centered_from=3)
    for kwi in base.kwis:
        sheet.put(row, 1, kwi.code)
        sheet.put(row, 2, kwi.title, WRAPPED)
        sheet.put(row, 3, kwi.description, WRAPPED)
        sheet.put(row, 4, base.target_for(kwi), SCORE)
        sheet.put(row, 5, sum(1 for q in base.questions if q.kwi_code == kwi.code), COUNT)
        _fit_row(sheet, row, {2: kwi.title, 3: kwi.description})
        row += 1
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")


# ---------------------------------------------------------------------------------------------
# 4. Toewijzing


def _assignment(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    people = [r.initials for r in base.respondents]
    last = 3 + len(people) + 1
    sheet.widths(10, 7, 62, *([7] * len(people)), 10)
    row = sheet.title(ctx.t("assignment.title"))
    row = sheet.note(row - 1, ctx.t("assignment.note")) + 1
    header = row
    labels = [ctx.col("kwi"), ctx.col("number"), ctx.col("question"), *people, ctx.col("total")]
    row = sheet.header(row, labels, centered_from=3)
    # Written ahead of the rows; each row (a column per respondent) is streamed out when done.
    sheet.freeze(header + 1, 4)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
    sheet.extent(header + len(base.questions) + 1, last)
    mark = ctx.t("assignment.mark")
    for question in base.questions:
        sheet.flush(row - 1)
        sheet.put(row, 1, question.kwi_code)
        sheet.put(row, 2, question.number)
        sheet.put(row, 3, question.text, WRAPPED)
        for offset, initials in enumerate(people):
            sheet.put(row, 4 + offset, mark if initials in question.assigned else None, CENTERED)
        sheet.put(row, last, len(question.assigned), COUNT)
        _fit_row(sheet, row, {3: question.text})
        row += 1
    total = _Style(styles.BOLD, styles.SECTION_FILL, align=styles.TOP, border=styles.TOTAL_BORDER)
    total_count = _Style(styles.BOLD, styles.SECTION_FILL, styles.COUNT, styles.CENTER, styles.TOTAL_BORDER)
    for col in (1, 2):
        sheet.put(row, col, None, total)
    sheet.put(row, 3, ctx.t("assignment.per_respondent"), total)
    for offset, initials in enumerate(people):
        sheet.put(row, 4 + offset, sum(1 for q in base.questions if initials in q.assigned), total_count)
    sheet.put(row, last, None, total)
    sheet.autofilter(header, row - 1, last)


# ---------------------------------------------------------------------------------------------
# 5. KWI-scores


def _named(report: MonitorReport) -> list[RespondentResult]:
    """Respondents who returned a form and did not ask to stay anonymous, in base order."""
    return [r for r in report.respondents if r.returned and not r.anonymous]


def _scores(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    kwis = report.kwis
    sheet.widths(26, 22, 13, 13, 13, 13, 14, 14, *([12] * max(0, len(kwis) - 6)))
    row = sheet.title(ctx.t("scores.title"))
    header = row
    labels = ["code", "kwi", "mean", "score", "target", "difference", "n_answers", "n_respondents"]
    row = sheet.header(row, [ctx.col(k) for k in labels], centered_from=2)
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=True, one_page=True)
    first = row
    for kwi in kwis:
        diff = kwi.score - kwi.target if kwi.score is not None else None
        sheet.put(row, 1, kwi.code)
        sheet.put(row, 2, kwi.title or kwi.code, WRAPPED)
        sheet.put(row, 3, kwi.mean, SCORE)
        sheet.put(row, 4, kwi.score, SCORE)
        sheet.put(row, 5, kwi.target, SCORE)
        sheet.put(row, 6, diff, DIFF)
        sheet.put(row, 7, kwi.n, COUNT)
        sheet.put(row, 8, kwi.n_respondents, COUNT)
        _fit_row(sheet, row, {2: kwi.title})
        row += 1
    last_kwi = row - 1
    target = report.base.settings.default_target
    bold = _Style(styles.BOLD, styles.SECTION_FILL, align=styles.TOP, border=styles.TOTAL_BORDER)

    def total(fmt: str) -> _Style:
        return _Style(styles.BOLD, styles.SECTION_FILL, fmt, styles.NUMBER_ALIGN, styles.TOTAL_BORDER)

    overall_diff = report.overall - target if report.overall is not None else None
    sheet.put(row, 1, ctx.col("overall"), bold)
    sheet.put(row, 2, None, bold)
    sheet.put(row, 3, report.overall_mean, total(styles.SCORE))
    sheet.put(row, 4, report.overall, total(styles.SCORE))
    sheet.put(row, 5, target, total(styles.SCORE))
    sheet.put(row, 6, overall_diff, total("+0.00;-0.00;0.00"))
    sheet.put(row, 7, len(report.answers), total(styles.COUNT))
    sheet.put(row, 8, report.returned, total(styles.COUNT))
    sheet.below_target(f"D{first}:D{row}", f"AND(ISNUMBER(D{first}),D{first}<E{first})")
    row += 1
    row = sheet.note(row, ctx.t("scores.below_note")) + 1

    # Respondent x KWI: named respondents only.
    row = sheet.heading(row, ctx.t("scores.per_respondent"))
    named = [r for r in _named(report) if r.overall is not None]
    if named:
        row = sheet.header(row, [ctx.col("respondent"), *[k.code for k in kwis], ctx.col("overall")], 1, 1)
        top = row
        for r in named:
            sheet.put(row, 1, _label(r.name, r.initials))
            for offset, kwi in enumerate(kwis):
                sheet.put(row, 2 + offset, kwi.respondents.get(r.initials), SCORE)
            sheet.put(row, 2 + len(kwis), r.overall, SCORE)
            row += 1
        for offset, kwi in enumerate(kwis):
            letter = get_column_letter(2 + offset)
            sheet.below_target(
                f"{letter}{top}:{letter}{row - 1}", f"AND(ISNUMBER({letter}{top}),{letter}{top}<{kwi.target})"
            )
        row = sheet.note(row, ctx.t("scores.per_respondent_note")) + 1
    else:
        row = sheet.note(row, ctx.t("scores.no_named")) + 1

    if kwis:
        chart = BarChart()
        chart.type = "col"
        chart.grouping = "clustered"
        chart.title = _title(ctx.t("scores.chart_title"))
        data = Reference(sheet.ws, min_col=3, max_col=5, min_row=header, max_row=last_kwi)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=2, min_row=first, max_row=last_kwi))
        _show_axes(chart, ctx.t("scores.axis_grade"))
        _grade_axis(chart, 0)
        for series, colour in zip(
            chart.series, (styles.MEAN_COLOUR, styles.SCORE_COLOUR, styles.TARGET_COLOUR), strict=True
        ):
            _colour_bars(series, colour)
        _value_labels(chart.series[1], "0.0")
        chart.gapWidth = 80
        chart.overlap = -5
        chart.width = 24
        chart.height = 10
        sheet.ws.add_chart(chart, f"A{row}")


# ---------------------------------------------------------------------------------------------
# 6. Trend


def _trend(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    trend = report.trend
    periods = trend.periods
    sheet.widths(12, 26, *([11] * max(len(periods), 6)))
    row = sheet.title(ctx.t("trend.title"))
    header = row
    row = sheet.header(row, [ctx.col("code"), ctx.col("kwi"), *periods], centered_from=2)
    first = row
    for line in trend.kwis:
        sheet.put(row, 1, line.code)
        sheet.put(row, 2, line.title or line.code, WRAPPED)
        for offset, value in enumerate(line.values):
            sheet.put(row, 3 + offset, value, SCORE)
        _fit_row(sheet, row, {2: line.title})
        row += 1
    bold = _Style(styles.BOLD, styles.SECTION_FILL, align=styles.TOP, border=styles.TOTAL_BORDER)
    overall_row = row
    extra: list[tuple[str, list[float | None], _Style]] = [
        (ctx.col("overall"), trend.overall.values, SCORE),
        (ctx.t("trend.nps"), trend.nps.values, NPS),
        (ctx.t("trend.returned"), trend.returned.values, COUNT),
        (ctx.t("trend.asked"), trend.asked.values, COUNT),
    ]
    for index, (label, values, style) in enumerate(extra):
        first_style = bold if index == 0 else PLAIN
        sheet.put(row, 1, None, first_style)
        sheet.put(row, 2, label, first_style)
        for offset, value in enumerate(values):
            cell_style = style
            if index == 0:
                cell_style = _Style(
                    styles.BOLD, styles.SECTION_FILL, style.fmt, styles.NUMBER_ALIGN, styles.TOTAL_BORDER
                )
            sheet.put(row, 3 + offset, value, cell_style)
        row += 1
    row = sheet.note(row, ctx.t("trend.note"), max(2 + len(periods), 6)) + 1

    if len(periods) < 2:
        only = periods[0] if periods else report.base.settings.period
        sheet.put(row, 1, ctx.t("trend.single_period", period=only), _Style(styles.HEADING))
    else:
        chart = LineChart()
        chart.title = _title(ctx.t("trend.chart_title"))
        data = Reference(sheet.ws, min_col=2, max_col=2 + len(periods), min_row=first, max_row=overall_row)
        chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(Reference(sheet.ws, min_col=3, max_col=2 + len(periods), min_row=header))
        _show_axes(chart, ctx.t("scores.axis_grade"), ctx.t("trend.axis_period"))
        _grade_axis(chart, 1)
        for index, series in enumerate(chart.series):
            is_overall = index == len(chart.series) - 1
            colour = (
                styles.OVERALL_COLOUR if is_overall else styles.LINE_COLOURS[index % len(styles.LINE_COLOURS)]
            )
            series.smooth = False
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 38100 if is_overall else 22225
            if is_overall:
                series.graphicalProperties.line.dashStyle = "dash"
            series.marker.symbol = "circle"
            series.marker.size = 7
            series.marker.graphicalProperties.solidFill = colour
            series.marker.graphicalProperties.line.solidFill = colour
        chart.width = 24
        chart.height = 11
        sheet.ws.add_chart(chart, f"A{row}")
    sheet.freeze(header + 1, 3)
    sheet.print_setup(landscape=True, one_page=True)


# ---------------------------------------------------------------------------------------------
# 7. NPS


def _nps(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    nps = report.nps
    sheet.widths(30, 18, 14, 3)  # 18: "NPS answer (0–10)" fits on one line
    row = sheet.title(ctx.t("nps.title"))
    row = sheet.note(row - 1, ctx.t("nps.question")) + 1

    row = sheet.heading(row, ctx.t("nps.summary"))
    key = _Style(styles.KEY_FIGURE, fmt=styles.NPS, align=Alignment(horizontal="right", vertical="center"))
    label = _Style(styles.BOLD, styles.SECTION_FILL, align=styles.TOP, border=styles.CELL_BORDER)
    sheet.put(row, 1, ctx.t("nps.nps_label"), label)
    sheet.put(row, 2, nps.nps if nps.nps is not None else ctx.t("none"), key)
    sheet.ws.row_dimensions[row].height = 24
    row += 1
    sheet.put(row, 1, ctx.t("nps.n_label"), label)
    sheet.put(row, 2, nps.n, COUNT)
    row += 2

    category_header = row
    row = sheet.header(row, [ctx.col("category"), ctx.col("count"), ctx.col("share")], centered_from=1)
    category_first = row
    for name, count in (
        ("promoter", nps.promoters),
        ("passive", nps.passives),
        ("detractor", nps.detractors),
    ):
        sheet.put(row, 1, ctx.t(f"nps.{name}"))
        sheet.put(row, 2, count, COUNT)
        sheet.put(row, 3, count / nps.n if nps.n else None, PERCENT)
        row += 1
    if nps.n == 0:
        row = sheet.note(row, ctx.t("nps.no_answers"))
    elif nps.n < 10:
        step = f"{100 / nps.n:.1f}".rstrip("0").rstrip(".").replace(".", ctx.t("decimal_separator"))
        row = sheet.note(row, ctx.t("nps.small_n", n=nps.n, step=step))
    row += 1

    row = sheet.heading(row, ctx.t("nps.distribution"))
    row = sheet.header(row, [ctx.col("nps_value"), ctx.col("count"), ctx.col("category")], centered_from=1)
    for value in range(11):
        sheet.put(row, 1, value, CENTERED)
        sheet.put(
            row, 2, report.nps_distribution[value] if len(report.nps_distribution) > value else 0, COUNT
        )
        sheet.put(row, 3, ctx.t(f"nps.{nps_category(value)}_short"), CENTERED)
        row += 1
    row += 1

    row = sheet.heading(row, ctx.t("nps.per_respondent"))
    row = sheet.header(
        row, [ctx.col("respondent"), ctx.col("nps_value"), ctx.col("category")], centered_from=1
    )
    for r in _named(report):
        if r.nps is None:
            continue
        sheet.put(row, 1, _label(r.name, r.initials))
        sheet.put(row, 2, r.nps, CENTERED)
        sheet.put(row, 3, ctx.t(f"nps.{nps_category(r.nps)}_short"), CENTERED)
        row += 1
    sheet.note(row, ctx.t("nps.per_respondent_note"))

    chart = BarChart()
    chart.type = "col"
    chart.title = _title(ctx.t("nps.chart_title"))
    data = Reference(sheet.ws, min_col=2, min_row=category_header, max_row=category_first + 2)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=category_first, max_row=category_first + 2))
    _show_axes(chart, ctx.col("count"))
    chart.legend = None  # the categories name the bars; one series needs no legend
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = max(1, nps.promoters, nps.passives, nps.detractors) + 1
    chart.y_axis.majorUnit = 1
    chart.y_axis.number_format = "0"
    series = chart.series[0]
    for index, colour in enumerate((styles.PROMOTER_COLOUR, styles.PASSIVE_COLOUR, styles.DETRACTOR_COLOUR)):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = colour
        point.graphicalProperties.line.solidFill = colour
        series.dPt.append(point)
    _value_labels(series, "0")
    chart.gapWidth = 60
    chart.width = 14
    chart.height = 9
    sheet.ws.add_chart(chart, "E4")
    for letter in "EFGHIJKL":
        sheet.ws.column_dimensions[letter].width = 10
    sheet.print_setup(landscape=True, one_page=True)


# ---------------------------------------------------------------------------------------------
# 8. Analyse


def _analysis(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    targets = {k.code: k.target for k in report.kwis}
    sheet.widths(10, 7, 56, 8, 12, 12, 11, 11, 11, 11)
    row = sheet.title(ctx.t("analysis.title"))
    header = row
    labels = [
        ctx.col("kwi"),
        ctx.col("number"),
        ctx.col("question"),
        ctx.col("n"),
        ctx.col("q_mean"),
        ctx.col("q_score"),
        ctx.col("target"),
        ctx.col("less"),
        ctx.col("neutral"),
        ctx.col("more"),
    ]
    row = sheet.header(row, labels, centered_from=3)
    first = row
    for q in report.questions:
        sheet.put(row, 1, q.kwi_code)
        sheet.put(row, 2, q.number)
        sheet.put(row, 3, q.text, WRAPPED)
        sheet.put(row, 4, q.n, COUNT)
        sheet.put(row, 5, q.mean, SCORE)
        sheet.put(row, 6, q.score, SCORE)
        target = targets.get(q.kwi_code)
        if target is None:
            kwi = base.kwi(q.kwi_code)
            target = base.target_for(kwi) if kwi else base.settings.default_target
        sheet.put(row, 7, target, SCORE)
        sheet.put(row, 8, q.less, COUNT)
        sheet.put(row, 9, q.neutral, COUNT)
        sheet.put(row, 10, q.more, COUNT)
        _fit_row(sheet, row, {3: q.text})
        row += 1
    if report.questions:
        sheet.below_target(f"F{first}:F{row - 1}", f"AND(ISNUMBER(F{first}),F{first}<G{first})")
    sheet.autofilter(header, row - 1, 10)
    row = sheet.note(row, ctx.t("scores.below_note")) + 1

    # Respondents far from the overall score (named only: outliers() never returns anonymous ones).
    row = sheet.heading(row, ctx.t("analysis.outliers"))
    outliers = report.outliers()
    if outliers and report.overall is not None:
        row = sheet.header(
            row,
            [
                ctx.col("respondent"),
                "",
                "",
                ctx.col("own_score"),
                ctx.col("overall"),
                ctx.col("difference"),
                ctx.col("direction"),
            ],
            centered_from=3,
        )
        for r in sorted(outliers, key=lambda r: -(r.overall or 0)):
            assert r.overall is not None
            sheet.merge(row, 1, 3)
            sheet.put(row, 1, _label(r.name, r.initials))
            sheet.put(row, 4, r.overall, SCORE)
            sheet.put(row, 5, report.overall, SCORE)
            sheet.put(row, 6, r.overall - report.overall, DIFF)
            higher = r.overall > report.overall
            sheet.put(row, 7, ctx.t("analysis.higher" if higher else "analysis.lower"), CENTERED)
            row += 1
    else:
        row = sheet.note(row, ctx.t("analysis.outliers_none"))
    row = sheet.note(row, ctx.t("analysis.outliers_note")) + 1

    row = sheet.heading(row, ctx.t("analysis.least_relevant"))
    least = report.least_relevant()
    if least:
        row = sheet.header(
            row,
            [
                ctx.col("kwi"),
                ctx.col("number"),
                ctx.col("question"),
                ctx.col("n"),
                ctx.col("less"),
                ctx.col("share_less"),
            ],
            centered_from=3,
        )
        for q in least:
            sheet.put(row, 1, q.kwi_code)
            sheet.put(row, 2, q.number)
            sheet.put(row, 3, q.text, WRAPPED)
            sheet.put(row, 4, q.n, COUNT)
            sheet.put(row, 5, q.less, COUNT)
            sheet.put(row, 6, q.less / q.n if q.n else None, PERCENT)
            _fit_row(sheet, row, {3: q.text})
            row += 1
    else:
        sheet.note(row, ctx.t("analysis.least_relevant_none"))
    sheet.freeze(header + 1)
    # The question table often runs onto a second page: repeat its header row there.
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")


# ---------------------------------------------------------------------------------------------
# 9. Opmerkingen


def _remarks(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(5, 28, 80)
    row = sheet.title(ctx.t("remarks.title"))
    header = row
    row = sheet.header(row, ["#", ctx.col("respondent"), ctx.col("remark")])
    if not report.remarks:
        sheet.note(row, ctx.t("remarks.none"))
    for index, remark in enumerate(report.remarks, start=1):
        sheet.put(row, 1, index, CENTERED)  # right-aligned, it ran into the name beside it
        sheet.put(row, 2, remark.respondent if remark.respondent is not None else ctx.t("anonymous"))
        sheet.put(row, 3, remark.text, WRAPPED)
        _fit_row(sheet, row, {3: remark.text})
        row += 1
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=False, title_rows=f"{header}:{header}")


# ---------------------------------------------------------------------------------------------
# 10. Actielijst


def _actions(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    sheet.widths(10, 12, 52, 24, 10, 12, 12, 12)
    row = sheet.title(ctx.t("actions.title"))
    row = sheet.note(row - 1, ctx.t("actions.overdue_note", date=ctx.date_text(report.report_date))) + 1
    header = row
    keys = ["number", "date", "description_action", "kwi", "owner", "status", "deadline", "overdue"]
    row = sheet.header(row, [ctx.col(k) for k in keys], centered_from=5)
    if not base.actions:
        sheet.note(row, ctx.t("actions.none"))
    for action in base.actions:
        overdue = report.is_overdue(action)
        kwi = base.kwi(action.kwi_code)
        kwi_text = f"{action.kwi_code} · {kwi.title}" if kwi and kwi.title else action.kwi_code
        status_key = f"monitor.action_status.{action.status.strip().lower()}"
        status = ctx.texts(status_key) if ctx.texts.has(status_key) else action.status
        sheet.put(row, 1, action.number)
        sheet.date(row, 2, action.date)
        sheet.put(row, 3, action.description, WRAPPED)
        sheet.put(row, 4, kwi_text, WRAPPED)
        sheet.put(row, 5, action.owner, CENTERED)
        sheet.put(row, 6, status, CENTERED)
        sheet.date(row, 7, action.deadline)
        sheet.put(row, 8, ctx.t("yes") if overdue else None, CENTERED)
        if overdue:
            for col in range(1, 9):
                sheet.cell(row, col).fill = styles.OVERDUE_FILL
            for col in (7, 8):
                sheet.cell(row, col).font = styles.OVERDUE_FONT
        _fit_row(sheet, row, {3: action.description, 4: kwi_text})
        row += 1
    sheet.long_table(header, row - 1, 8)


# ---------------------------------------------------------------------------------------------
# 11. Antwoorden


def _answers(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(13, 10, 18, 7, 56, 9, 12, 9, 11)
    row = sheet.title(ctx.t("answers.title"))
    header = row
    keys = ["respondent", "kwi", "title", "number", "question", "grade", "relevance", "weight", "weighted"]
    sheet.header(header, [ctx.col(k) for k in keys], centered_from=5)
    anonymous = ctx.t("anonymous")

    def write(row: int, answer: AnswerRow) -> None:
        sheet.put(row, 1, answer.respondent if answer.respondent is not None else anonymous)
        sheet.put(row, 2, answer.kwi_code)
        sheet.put(row, 3, answer.kwi_title, WRAPPED)
        sheet.put(row, 4, answer.question_number)
        sheet.put(row, 5, answer.question_text, WRAPPED)
        sheet.put(row, 6, answer.grade, CENTERED)
        sheet.put(row, 7, ctx.t(f"relevance.{answer.relevance.value}"), CENTERED)
        sheet.put(row, 8, answer.weight, WEIGHT)
        sheet.put(row, 9, answer.grade * answer.weight, WEIGHT)
        _fit_row(sheet, row, {5: answer.question_text, 3: answer.kwi_title})

    sheet.streamed_table(header, report.answers, 9, write)


# ---------------------------------------------------------------------------------------------
# 12. Meldingen


def _problems(sheet: _Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    texts = ctx.texts
    sheet.widths(10, 34, 14, 9, 80)
    row = sheet.title(ctx.t("problems.title"))
    header = row
    keys = ["severity", "file", "sheet", "cell", "message"]
    row = sheet.header(row, [ctx.col(k) for k in keys])
    ordered: list[Problem] = sorted(report.problems, key=lambda p: 0 if p.severity is Severity.ERROR else 1)
    if not ordered:
        sheet.note(row, ctx.t("problems.none"))
    for found in ordered:
        loc = found.location
        message = ctx.scrub(_message(texts, found))
        severity_style = _Style(
            styles.BELOW_FONT if found.is_error else styles.BOLD, align=styles.TOP, border=styles.CELL_BORDER
        )
        sheet.put(row, 1, texts.severity(found), severity_style)
        sheet.put(row, 2, ctx.scrub(loc.file), WRAPPED)
        sheet.put(row, 3, loc.sheet or "", WRAPPED)
        sheet.put(row, 4, loc.cell, CENTERED)
        sheet.put(row, 5, message, WRAPPED)
        _fit_row(sheet, row, {5: message, 2: loc.file})
        row += 1
    sheet.long_table(header, row - 1, 5)


def _message(texts: Texts, found: Problem) -> str:
    """The problem's sentence; its code when a template is missing, so the report is still written."""
    try:
        return texts.message(found)
    except KeyError:
        return found.code


__all__ = ["SHEET_KEYS", "build_monitor", "discard", "monitor_file_name", "sheet_names", "write_monitor"]
