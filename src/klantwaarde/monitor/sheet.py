"""The streaming sheet every monitor sheet is written through, with the few writing moves they use.

``TableSheet`` holds the moves (cells, streaming, titles, headers, notes, filters, frozen panes,
conditional formats, page set-up) for any workbook whose context gives a style cache and a
language; ``Sheet`` is the monitor's and the internal workbook's, whose page headers and footers
name the client and period. The portfolio (``klantwaarde.portfolio``) has its own subclass.

**Literal text**: every text goes through ``TableSheet.put``, which uses ``set_text`` so that a
remark like ``=HYPERLINK(..)`` stays text; the workbook holds no formulas at all.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, Protocol, TypeVar

from openpyxl.cell.cell import Cell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.worksheet.worksheet import Worksheet

from klantwaarde import metrics
from klantwaarde.monitor.context import Context, clean
from klantwaarde.workbook import compat, style_cache, styles
from klantwaarde.workbook.safe import set_text

STREAM_ROWS = 500  # long tables are written out every this many rows
# Points of row height per line of wrapped text, a little tighter than metrics.line_height: the
# long tables (analysis, answers) then print on as many pages as they always did. Lines are
# counted as 11-pt text, notes (10 pt, italic) included, which leaves them room to spare.
TABLE_LINE = 14.5
NOTE_LINE = 13.5
T = TypeVar("T")


class SheetContext(Protocol):
    """What a ``TableSheet`` needs of its workbook: the style cache and the language."""

    @property
    def styles(self) -> style_cache.StyleCache: ...

    @property
    def lang(self) -> str: ...


C = TypeVar("C", bound=SheetContext)


@dataclass(frozen=True)
class PageTexts:
    """The printed page's header and footer. In ``footer_center`` the characters ``PAGE`` and
    ``PAGES`` stand for the page number and the number of pages."""

    header_left: str
    header_center: str
    footer_left: str
    footer_center: str
    footer_right: str

    PAGE = "\ue000"
    PAGES = "\ue001"


class TableSheet(Generic[C]):
    """A write-only worksheet with the few writing moves every monitor sheet uses.

    Cells are kept per row until ``flush`` streams them to openpyxl's write-only sheet: at the end
    of each sheet, and along the way on the long tables of a ``streamed`` sheet (respondents,
    assignment, answers), which then declare their ``extent`` first. openpyxl writes the used
    range, the column widths, the frozen pane and the page set-up flags ahead of the first row: set
    them before the first ``flush`` (``freeze`` and ``print_setup`` refuse afterwards). Merged
    ranges, filters, conditional formats and charts may follow later.
    """

    def __init__(self, ws: Any, ctx: C, streamed: bool = False):
        self.ws = ws
        self.ctx = ctx
        self.streamed = streamed  # rows may be streamed out before the sheet is complete
        self._rows: dict[int, dict[int, Cell]] = {}
        self._written = 0  # rows 1.._written are streamed out and can no longer change
        self._page_set = False  # print_setup done: the sheet's head may be written
        self._extent: tuple[int, int] | None = None  # (last row, last column), declared or found
        self._reached = (0, 0)  # the last row and last column that held a cell, so far

    # -- cells and streaming ------------------------------------------------------------------

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
        if through is not None:
            if not self.streamed:
                raise RuntimeError(f"{self.ws.title}: not a streamed sheet; its rows go out when it is done")
            if not (self._page_set and self._extent):
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
            compat.declare_dimension(self.ws, metrics.range_ref(1, 1, extent[0], extent[1]))
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

    def put(self, row: int, col: int, value: Any, style: styles.Style = styles.PLAIN) -> Any:
        cell = self.cell(row, col)
        if isinstance(value, str):
            set_text(cell, clean(value))
        elif isinstance(value, float) and not math.isfinite(value):
            cell.value = None
        else:
            cell.value = value
        return self.ctx.styles.apply(cell, style)

    def restyle(self, row: int, col: int, style: styles.Style) -> None:
        """Add the parts ``style`` names to a cell already written (an overdue row, say)."""
        self.ctx.styles.apply(self.cell(row, col), style)

    def date(self, row: int, col: int, value: date | None, style: styles.Style = styles.CENTERED) -> Any:
        cell = self.put(row, col, value, style)
        cell.number_format = styles.date_format(self.ctx.lang)
        return cell

    # -- the parts of a sheet -----------------------------------------------------------------

    def title(self, text: str, subtitle: str | None = None) -> int:
        """Title in row 1 (and a subtitle in row 2); returns the first free row after a gap."""
        self.put(1, 1, text, styles.TITLE_CELL)
        self.ws.row_dimensions[1].height = 30
        if subtitle:
            self.put(2, 1, subtitle, styles.SUBTITLE_CELL)
            return 4
        return 3

    def heading(self, row: int, text: str) -> int:
        self.put(row, 1, text, styles.HEADING_CELL)
        self.ws.row_dimensions[row].height = 20
        return row + 1

    def note(self, row: int, text: str, last_col: int | None = None) -> int:
        """A muted sentence; spread over columns 1..last_col (wrapped) when given."""
        if last_col and last_col > 1:
            self.merge(row, 1, last_col)
            self.put(row, 1, text, styles.NOTE_WRAPPED)
            lines = metrics.text_lines(text, self._width(1, last_col))
            self.ws.row_dimensions[row].height = lines * NOTE_LINE + 2
        else:
            self.put(row, 1, text, styles.NOTE_CELL)
        return row + 1

    def header(self, row: int, labels: Sequence[str], col: int = 1, centered_from: int = 99) -> int:
        for offset, label in enumerate(labels):
            style = styles.HEADER_CENTERED if offset >= centered_from else styles.HEADER_CELL
            self.put(row, col + offset, label, style)
        widths = [self.column_width(col + i) for i in range(len(labels))]
        self.ws.row_dimensions[row].height = max(
            (
                metrics.text_height(label, w, bold=True, padding=4)
                for label, w in zip(labels, widths, strict=True)
            ),
            default=metrics.line_height() + 4,
        )
        return row + 1

    def fit_row(self, row: int, texts_by_col: dict[int, str]) -> None:
        """Set the row height for wrapped texts, so nothing is cut off in Excel or LibreOffice."""
        lines = max(metrics.text_lines(text, self.column_width(col)) for col, text in texts_by_col.items())
        if lines > 1:  # one line: Excel's own height will do
            self.ws.row_dimensions[row].height = lines * TABLE_LINE + 3

    def widths(self, *widths: float) -> None:
        for index, width in enumerate(widths, start=1):
            self.ws.column_dimensions[metrics.column_letter(index)].width = width

    def column_width(self, col: int) -> float:
        width: float = self.ws.column_dimensions[metrics.column_letter(col)].width or 10
        return width

    def _width(self, first: int, last: int) -> float:
        return sum(self.column_width(c) for c in range(first, last + 1))

    def freeze(self, row: int, col: int = 1) -> None:
        """Keep everything above ``row`` (and left of ``col``) in view while scrolling."""
        if self._written:
            raise RuntimeError(f"{self.ws.title}: freeze panes before streaming rows")
        self.ws.freeze_panes = metrics.cell_ref(row, col)

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
            self.ws.auto_filter.ref = metrics.range_ref(header_row, 1, last_row, last_col)

    def below_target(self, cells: str, formula: str) -> None:
        """Mark cells whose score is below target; ``formula`` is written for the top-left cell."""
        self.mark_cells(cells, formula, styles.BELOW_FILL, styles.BELOW_FONT)

    def mark_cells(self, cells: str, formula: str, fill: styles.Fill, font: styles.Font) -> None:
        """A conditional format: ``cells`` get ``fill`` and ``font`` where ``formula`` (written for
        the top-left cell) holds."""
        rule = FormulaRule(formula=[formula], fill=style_cache.fill(fill), font=style_cache.font(font))
        self.ws.conditional_formatting.add(cells, rule)

    def print_setup(self, landscape: bool, title_rows: str | None = None, one_page: bool = False) -> None:
        """A4, fit to the page width (and height when ``one_page``: a chart is never cut in two)."""
        if self._written:
            raise RuntimeError(f"{self.ws.title}: set up the page before streaming rows")
        self._page_set = True
        ws = self.ws
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
        texts = self.page_texts()
        font = f'&"{styles.FONT_NAME},Regular"&9'
        ws.oddHeader.left.text = font + header_footer(texts.header_left)
        ws.oddHeader.center.text = font + header_footer(texts.header_center)
        ws.oddHeader.right.text = font + header_footer(ws.title)
        page = header_footer(texts.footer_center)
        page = page.replace(PageTexts.PAGE, "&P").replace(PageTexts.PAGES, "&N")
        ws.oddFooter.left.text = font + header_footer(texts.footer_left)
        ws.oddFooter.center.text = font + page
        ws.oddFooter.right.text = font + header_footer(texts.footer_right)

    def page_texts(self) -> PageTexts:
        """The header and footer of every printed page of this sheet."""
        raise NotImplementedError


class Sheet(TableSheet[Context]):
    """A sheet of the monitor or the internal workbook: pages headed with the client and period."""

    def page_texts(self) -> PageTexts:
        ctx = self.ctx
        settings = ctx.report.base.settings
        # the internal workbook heads every page "Intern – niet delen met de klant"
        center = ctx.page_header or ctx.t("header_center", period=settings.period)
        return PageTexts(
            header_left=settings.client,
            header_center=center,
            footer_left=f"{settings.client_code} · {settings.period}",
            footer_center=ctx.t("footer_page", page=PageTexts.PAGE, pages=PageTexts.PAGES),
            footer_right=ctx.t("footer_date", date=ctx.date_text(ctx.report.report_date)),
        )


def header_footer(text: str) -> str:
    """Header/footer text: '&' starts a code there, so a literal one is doubled; kept short."""
    return clean(text)[:80].replace("&", "&&")
