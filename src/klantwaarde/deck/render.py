"""Drawing the deck's pages with python-pptx: native shapes, tables and editable charts.

Every block of ``deck.spec`` becomes PowerPoint's own object in the box ``deck.flow`` gave it: a
text box, a table, a rectangle per key figure, a chart (``CategoryChartData``: the chart's data sit
in its embedded workbook, so the account manager can edit them in PowerPoint). Text boxes never
grow or shrink by themselves (``MSO_AUTO_SIZE.NONE``): the boxes were measured to hold their text.
Colours are the palette of ``workbook/styles.py``, the same as the monitor's (red below target
means the same in both); the typeface is the look's theme font. Every slide carries its speaker
notes; content slides the footer and the slide number where the layout has them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu

from klantwaarde.deck import compat, flow
from klantwaarde.deck.flow import Box, Page
from klantwaarde.deck.look import Look, points
from klantwaarde.deck.spec import (
    BELOW,
    HEADING,
    MUTED,
    NOTE,
    OVERDUE,
    QUOTE,
    QUOTE_BY,
    STRONG,
    TILE_DETAIL,
    TILE_LABEL,
    TILE_VALUE,
    Block,
    Chart,
    Items,
    Quotes,
    Row,
    Table,
    Text,
    Tiles,
)
from klantwaarde.workbook import styles
from klantwaarde.workbook.safe import without_control

CHART_TEXT = 12.0
FOOTER_TEXT = 10.0
AXIS_TEXT = 11.0
MIN_TITLE = 18.0
TITLE_INSET_X, TITLE_INSET_Y = 7.2, 3.6  # a placeholder's default insets
ALIGN = {"l": PP_ALIGN.LEFT, "c": PP_ALIGN.CENTER, "r": PP_ALIGN.RIGHT}
STYLE_COLOURS = {"body": styles.INK, "lead": styles.INK, "note": styles.MUTED, "heading": styles.NAVY}


@dataclass(frozen=True)
class Footer:
    text: str


def rgb(colour: str) -> RGBColor:
    red, green, blue = bytes.fromhex(colour)
    return RGBColor(red, green, blue)  # type: ignore[no-untyped-call]


def clean(text: str) -> str:
    """Text a slide can hold: no control characters (an XML part cannot hold them)."""
    return without_control(text)


def render(pages: list[Page], look: Look, footer: Footer) -> None:
    for number, page in enumerate(pages, start=1):
        if page.slide.kind == "title":
            slide = look.prs.slides.add_slide(look.title_layout)
            _cover(slide, page, look)
        else:
            slide = look.prs.slides.add_slide(look.slide_layout)
            _title(slide, page.title, look.title_size)
            for placed in (*page.placed, *page.footnotes):
                draw(slide, placed.block, placed.box)
            _footer(slide, look, footer, number)
        _strip_empty_placeholders(slide)
        if page.slide.notes:
            slide.notes_slide.notes_text_frame.text = clean(page.slide.notes)


# ---------------------------------------------------------------------------------------------
# Titles, footer, notes


def _title(slide: Any, text: str, size: float) -> None:
    title = slide.shapes.title
    if title is None:
        return
    width = points(title.width) - 2 * TITLE_INSET_X
    height = points(title.height) - 2 * TITLE_INSET_Y
    fitted, chosen = fit_title(text, width, height, size)
    frame = title.text_frame
    frame.text = clean(fitted)
    if chosen != size:
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = compat.emu(chosen)


def fit_title(text: str, width: float, height: float, size: float) -> tuple[str, float]:
    """The title and the size it fits its placeholder in (smaller down to 18 pt, then cut)."""
    current = size
    while current >= MIN_TITLE:
        if flow.lines(text, width, current, True) * flow.line_height(current) <= height:
            return text, current
        current -= 1.0
    max_lines = max(1, int(height // flow.line_height(MIN_TITLE)))
    return flow.clamp(text, width, MIN_TITLE, max_lines, True), MIN_TITLE


def _cover(slide: Any, page: Page, look: Look) -> None:
    title = slide.shapes.title
    if title is not None:
        width = points(title.width) - 2 * TITLE_INSET_X
        height = points(title.height) - 2 * TITLE_INSET_Y
        fitted, chosen = fit_title(page.title, width, height, look.cover_title_size)
        title.text_frame.text = clean(fitted)
        if chosen != look.cover_title_size:
            for run in title.text_frame.paragraphs[0].runs:
                run.font.size = compat.emu(chosen)
    subtitle = next(
        (ph for ph in slide.placeholders if ph.placeholder_format.type == PP_PLACEHOLDER.SUBTITLE), None
    )
    lines = [clean(line) for line in page.slide.subtitle]
    if subtitle is not None:
        frame = subtitle.text_frame
        frame.text = lines[0] if lines else ""
        for line in lines[1:]:
            frame.add_paragraph().text = line
        for index, paragraph in enumerate(frame.paragraphs):
            if index and look.default:
                for run in paragraph.runs:
                    run.font.size = compat.emu(16)
                    run.font.color.rgb = rgb(styles.MUTED)
    elif title is not None and lines:
        box = Box(
            points(title.left),
            points(title.top) + points(title.height) + 12,
            points(title.width),
            flow.text_height("\n".join(lines), points(title.width), 20),
        )
        draw(slide, Text("\n".join(lines), 20), box)


def _footer(slide: Any, look: Look, footer: Footer, number: int) -> None:
    """The footer and the slide number: in kwm's look its own small grey line; in a template the
    layout's footer and slide-number placeholders, filled in (a template without them gets none)."""
    if look.footer is not None:
        box = look.footer
        frame = _frame(slide, Box(box.left, box.top, box.width - 60, box.height), inset_y=0)
        _run(frame.paragraphs[0], footer.text, FOOTER_TEXT, styles.MUTED)
        number_frame = _frame(slide, Box(box.left + box.width - 60, box.top, 60, box.height), inset_y=0)
        paragraph = number_frame.paragraphs[0]
        paragraph.alignment = PP_ALIGN.RIGHT
        compat.slide_number(paragraph, number)
        compat.field_properties(paragraph, FOOTER_TEXT, styles.MUTED)
        return
    for layout_ph in look.slide_layout.placeholders:
        kind = layout_ph.placeholder_format.type
        if kind not in (PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER):
            continue
        slide.shapes.clone_placeholder(layout_ph)
        placeholder = next(
            ph for ph in slide.placeholders if ph.placeholder_format.idx == layout_ph.placeholder_format.idx
        )
        paragraph = placeholder.text_frame.paragraphs[0]
        if kind == PP_PLACEHOLDER.FOOTER:
            paragraph.text = clean(footer.text)
        else:
            compat.slide_number(paragraph, number)
        compat.theme_font(paragraph)  # LibreOffice would set a footer in its own default font


def _strip_empty_placeholders(slide: Any) -> None:
    """Placeholders the deck did not fill ("Click to add text" in PowerPoint) are removed."""
    for placeholder in list(slide.placeholders):
        kind = placeholder.placeholder_format.type
        if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
            continue
        if placeholder.has_text_frame and not placeholder.text_frame.text.strip():
            compat.remove_placeholder(placeholder)


# ---------------------------------------------------------------------------------------------
# Blocks


def draw(slide: Any, block: Block, box: Box) -> None:
    if isinstance(block, Text):
        _text(slide, block, box)
    elif isinstance(block, Items):
        _items(slide, block, box)
    elif isinstance(block, Table):
        _table(slide, block, box)
    elif isinstance(block, Quotes):
        _quotes(slide, block, box)
    elif isinstance(block, Tiles):
        _tiles(slide, block, box)
    elif isinstance(block, Chart):
        _chart(slide, block, box)
    elif isinstance(block, Row):
        for placed in flow.row_layout(block, box):
            draw(slide, placed.block, placed.box)


def _frame(slide: Any, box: Box, inset_x: float = 0.0, inset_y: float = flow.TEXT_Y) -> Any:
    shape = slide.shapes.add_textbox(
        compat.emu(box.left), compat.emu(box.top), compat.emu(box.width), compat.emu(box.height)
    )
    frame = shape.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.margin_left = frame.margin_right = compat.emu(inset_x)
    frame.margin_top = frame.margin_bottom = compat.emu(inset_y)
    frame.vertical_anchor = MSO_ANCHOR.TOP
    return frame


def _run(
    paragraph: Any, text: str, size: float, colour: str, bold: bool = False, italic: bool = False
) -> Any:
    compat.paragraph_size(paragraph, size)
    if not text:
        return None  # an empty run would make LibreOffice set the line at the default 18 pt
    run = paragraph.add_run()
    run.text = clean(text)
    font = run.font
    font.size = compat.emu(size)
    font.bold = bold
    font.italic = italic
    font.color.rgb = rgb(colour)
    return run


def _text(slide: Any, block: Text, box: Box) -> None:
    frame = _frame(slide, box)
    colour = STYLE_COLOURS.get(block.style, styles.INK)
    bold = flow.bold_style(block.style)
    for index, line in enumerate(block.text.split("\n")):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _run(paragraph, line, block.size, colour, bold)


def _items(slide: Any, block: Items, box: Box) -> None:
    frame = _frame(slide, box)
    for index, item in enumerate(block.items):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        compat.bullet(paragraph, flow.ITEM_INDENT, styles.BLUE)
        paragraph.space_after = compat.emu(block.space)
        _run(paragraph, item, block.size, styles.INK)


def _quotes(slide: Any, block: Quotes, box: Box) -> None:
    frame = _frame(slide, box)
    first = True
    for quote in block.quotes:
        paragraph = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        _run(paragraph, quote.text, QUOTE, styles.INK, italic=True)
        paragraph.space_after = compat.emu(0 if quote.by else flow.QUOTE_SPACE + 2 * flow.TEXT_Y)
        if quote.by:
            by = frame.add_paragraph()
            _run(by, f"— {quote.by}", QUOTE_BY, styles.MUTED)
            by.space_after = compat.emu(flow.QUOTE_SPACE + 2 * flow.TEXT_Y)


def _table(slide: Any, block: Table, box: Box) -> None:
    widths = flow.column_widths(block, box.width)
    heights = [flow.header_height(block, box.width)] + [
        flow.row_height(block, r, box.width) for r in block.rows
    ]
    shape = slide.shapes.add_table(
        len(heights),
        len(block.columns),
        compat.emu(box.left),
        compat.emu(box.top),
        compat.emu(box.width),
        compat.emu(sum(heights)),
    )
    table = shape.table
    compat.table_style(table)
    table.first_row = True
    table.horz_banding = False
    emus = [compat.emu(w) for w in widths]
    emus[-1] = Emu(compat.emu(box.width) - sum(emus[:-1]))  # exactly the box
    for column, size in zip(table.columns, emus, strict=True):
        column.width = size
    for row, height in zip(table.rows, heights, strict=True):
        row.height = compat.emu(height)
    for col, column in enumerate(block.columns):
        _cell(
            table.cell(0, col), column.header, block.size, styles.NAVY, styles.HEADER_BG, True, column.align
        )
    for r, cells in enumerate(block.rows, start=1):
        band = styles.WHITE if r % 2 else styles.SECTION_BG
        for col, (cell, column, width) in enumerate(zip(cells, block.columns, widths, strict=True)):
            text = cell.text
            if column.one_line:
                text = flow.one_line(text, width - 2 * flow.CELL_X, block.size)
            ink, fill, bold = styles.INK, band, False
            if cell.mark == BELOW:
                ink, fill, bold = styles.BELOW_INK, styles.BELOW_BG, True
            elif cell.mark == OVERDUE:
                ink, fill = styles.OVERDUE_INK, styles.OVERDUE_BG
            elif cell.mark == STRONG:
                bold = True
            elif cell.mark == MUTED:
                ink = styles.MUTED
            _cell(table.cell(r, col), text, block.size, ink, fill, bold, column.align)


def _cell(cell: Any, text: str, size: float, ink: str, fill: str, bold: bool, align: str) -> None:
    cell.margin_left = cell.margin_right = compat.emu(flow.CELL_X)
    cell.margin_top = cell.margin_bottom = compat.emu(flow.CELL_Y)
    cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    cell.fill.solid()
    cell.fill.fore_color.rgb = rgb(fill)
    frame = cell.text_frame
    frame.word_wrap = True
    paragraph = frame.paragraphs[0]
    paragraph.alignment = ALIGN.get(align, PP_ALIGN.LEFT)
    _run(paragraph, text, size, ink, bold)
    compat.cell_borders(cell, styles.GRID, 0.75)


def _tiles(slide: Any, block: Tiles, box: Box) -> None:
    width = flow.tile_width(block, box.width)
    heights = [flow.tile_height(t.label, t.value, t.detail, width) for t in block.tiles]
    tallest = max(heights, default=0.0)
    left, top = box.left, box.top
    for tile, height in zip(block.tiles, heights, strict=True):
        height = tallest if block.across else height
        value_ink = {BELOW: styles.BELOW_INK, MUTED: styles.MUTED}.get(tile.mark, styles.NAVY)
        accent = {BELOW: styles.DETRACTOR_COLOUR, MUTED: styles.GRID}.get(tile.mark, styles.BLUE)
        background = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, compat.emu(left), compat.emu(top), compat.emu(width), compat.emu(height)
        )
        background.fill.solid()
        background.fill.fore_color.rgb = rgb(styles.SECTION_BG)
        background.line.fill.background()
        compat.plain(background)
        bar = slide.shapes.add_shape(
            MSO_SHAPE.RECTANGLE, compat.emu(left), compat.emu(top), compat.emu(4), compat.emu(height)
        )
        bar.fill.solid()
        bar.fill.fore_color.rgb = rgb(accent)
        bar.line.fill.background()
        compat.plain(bar)
        frame = _frame(slide, Box(left, top, width, height), flow.TILE_PAD, flow.TILE_PAD - flow.TEXT_Y)
        _run(frame.paragraphs[0], tile.label, TILE_LABEL, styles.MUTED)
        _run(frame.add_paragraph(), tile.value, TILE_VALUE, value_ink, bold=True)
        if tile.detail:
            for line in tile.detail.split("\n"):
                _run(frame.add_paragraph(), line, TILE_DETAIL, styles.INK)
        if block.across:
            left += width + flow.TILE_GAP
        else:
            top += height + flow.TILE_GAP


# ---------------------------------------------------------------------------------------------
# Charts


def _chart(slide: Any, block: Chart, box: Box) -> None:
    top, bottom = box.top, box.bottom
    if block.caption:
        height = flow.text_height(block.caption, box.width, HEADING * 0.8, True)
        _text(slide, Text(block.caption, HEADING * 0.8, "heading"), Box(box.left, top, box.width, height))
        top += height + 4
    if block.key:
        height = flow.text_height(block.key, box.width, NOTE)
        _key(slide, block, Box(box.left, bottom - height, box.width, height))
        bottom -= height + 4
    data = compat.chart_data(
        [clean(c) for c in block.categories],
        [(clean(s.name), s.values) for s in block.series],
        block.number_format,
    )
    kind = XL_CHART_TYPE.LINE_MARKERS if block.kind == "lines" else XL_CHART_TYPE.COLUMN_CLUSTERED
    frame = slide.shapes.add_chart(
        kind,
        compat.emu(box.left),
        compat.emu(top),
        compat.emu(box.width),
        compat.emu(max(bottom - top, 40)),
        data,
    )
    chart = frame.chart
    compat.no_rounded_corners(chart)
    chart.font.size = compat.emu(CHART_TEXT)
    chart.font.color.rgb = rgb(styles.INK)
    chart.has_title = False
    chart.has_legend = block.legend
    if block.legend:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
        chart.legend.font.size = compat.emu(CHART_TEXT)
    _axes(chart, block)
    plot = chart.plots[0]
    if block.kind == "lines":
        compat.gap_for_missing(chart)
        for series, spec in zip(plot.series, block.series, strict=True):
            series.smooth = False
            line = series.format.line
            line.color.rgb = rgb(spec.colour)
            line.width = compat.emu(spec.width)
            if spec.dashed:
                line.dash_style = MSO_LINE_DASH_STYLE.DASH
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.size = 8
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb(spec.colour)
            series.marker.format.line.color.rgb = rgb(spec.colour)
        return
    plot.gap_width = 60
    plot.overlap = -5
    for series, spec in zip(plot.series, block.series, strict=True):
        series.format.fill.solid()
        series.format.fill.fore_color.rgb = rgb(spec.colour)
        series.format.line.fill.background()
        series.invert_if_negative = False
        for index, colour in enumerate(spec.point_colours):
            if colour is not None:
                point = series.points[index]
                point.format.fill.solid()
                point.format.fill.fore_color.rgb = rgb(colour)
        if spec.labels:
            labels = series.data_labels
            labels.show_value = True
            labels.number_format = block.label_format
            labels.number_format_is_linked = False
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
            labels.font.size = compat.emu(AXIS_TEXT)
            labels.font.bold = True


def _axes(chart: Any, block: Chart) -> None:
    values = chart.value_axis
    if block.y_min is not None:
        values.minimum_scale = block.y_min
    if block.y_max is not None:
        values.maximum_scale = block.y_max
    if block.y_unit is not None:
        values.major_unit = block.y_unit
    values.has_major_gridlines = True
    values.major_gridlines.format.line.color.rgb = rgb(styles.GRID)
    values.major_gridlines.format.line.width = compat.emu(0.5)
    values.format.line.fill.background()
    values.tick_labels.number_format = block.y_format
    values.tick_labels.number_format_is_linked = False
    values.tick_labels.font.size = compat.emu(AXIS_TEXT)
    categories = chart.category_axis
    categories.format.line.color.rgb = rgb(styles.GRID)
    categories.tick_labels.font.size = compat.emu(CHART_TEXT)
    categories.has_major_gridlines = False


def _key(slide: Any, block: Chart, box: Box) -> None:
    """The line under a chart: each ``■`` in the colour of the series' points it stands for."""
    frame = _frame(slide, box)
    paragraph = frame.paragraphs[0]
    colours = _key_colours(block)
    parts = block.key.split("■")
    _run(paragraph, parts[0], NOTE, styles.MUTED)
    for index, part in enumerate(parts[1:]):
        colour = colours[index] if index < len(colours) else styles.MUTED
        _run(paragraph, "■", NOTE, colour)
        _run(paragraph, part, NOTE, styles.MUTED)


def _key_colours(block: Chart) -> list[str]:
    """The distinct point colours of the first series, in order (the NPS groups)."""
    seen: list[str] = []
    for colour in block.series[0].point_colours if block.series else ():
        if colour is not None and colour not in seen:
            seen.append(colour)
    return seen
