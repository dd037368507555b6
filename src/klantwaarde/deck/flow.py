"""Measuring the deck's blocks and splitting long ones over slides, so nothing overflows its box.

Text is measured with ``metrics`` (the one text-metrics module of kwm: the same greedy word wrap
as the workbooks' row heights), for Calibri/Carlito, the deck's font. A slide's blocks are placed
one below the other in the content area of the slide layout; what does not fit goes on a next
slide titled "… (vervolg)": a table by rows (its header repeated), a list by items, the remarks by
quote — a remark longer than a whole slide by lines. Charts and rows of blocks take the height
that is left. A text that cannot be split and does not fit even an empty slide is cut with an
ellipsis (the full text is in the monitor). Every height is in points; the boxes are what
``deck.render`` draws. Standard library only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from klantwaarde import metrics
from klantwaarde.deck.spec import (
    BELOW,
    FLEXIBLE,
    NOTE,
    QUOTE,
    QUOTE_BY,
    ROOMY_TABLE,
    SMALLEST_TABLE,
    STRONG,
    TILE_DETAIL,
    TILE_LABEL,
    TILE_VALUE,
    Block,
    Cell,
    Items,
    Quote,
    Quotes,
    Row,
    Slide,
    Table,
    Text,
    Tiles,
)

ZERO_WIDTH = 0.507  # the width of the digit 0 in Calibri/Carlito, in em (metrics' unit)
SAFETY = 0.93  # of a box's width measured as usable: kerning and font differences stay inside
GAP = 12.0  # between blocks
HEADING_GAP = 4.0  # under a heading: it belongs to what follows
PART_GAP = 24.0  # between the parts of a row
CELL_X, CELL_Y = 6.0, 4.0  # a table cell's inner margins
TEXT_Y = 2.0  # a text box's top and bottom inset
ITEM_INDENT = 20.0  # a bullet's hanging indent
QUOTE_SPACE = 14.0  # after each quote
TILE_PAD = 10.0
TILE_GAP = 12.0
MIN_FLEX = 160.0  # a chart gets at least this much height, else it goes to the next slide
ELLIPSIS = "…"
BOLD_MARKS = (BELOW, STRONG)  # cells render draws bold


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    width: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True)
class Placed:
    block: Block
    box: Box


@dataclass(frozen=True)
class Page:
    """One slide as drawn: its title, its blocks with their boxes, the footnotes at the bottom."""

    slide: Slide
    title: str
    placed: tuple[Placed, ...]
    footnotes: tuple[Placed, ...] = ()
    continued: bool = False


# ---------------------------------------------------------------------------------------------
# Measuring


LINE = 1.25  # a line of text on a slide: the font's own spacing (Calibri/Carlito 1.22 em) and a little


def line_height(size: float) -> float:
    """The height of one line at ``size`` points. Slides use the font's single spacing, not the
    roomier row height of the workbooks (``metrics.line_height``)."""
    return size * LINE


def lines(text: str, width: float, size: float, bold: bool = False) -> int:
    """Lines ``text`` needs in a box ``width`` points wide at ``size`` points."""
    units = width * SAFETY / (ZERO_WIDTH * 11.0) + 0.8  # metrics counts in widths of 0 at 11 pt
    return metrics.text_lines(text, units, bold, size)


def text_height(text: str, width: float, size: float, bold: bool = False) -> float:
    return lines(text, width, size, bold) * line_height(size) + 2 * TEXT_Y


def bold_style(style: str) -> bool:
    return style in ("heading", "lead_bold")


def block_height(block: Block, width: float) -> float:
    """The height ``block`` needs at ``width`` (flexible blocks: their minimum)."""
    if isinstance(block, Text):
        return text_height(block.text, width, block.size, bold_style(block.style))
    if isinstance(block, Items):
        return sum(item_height(item, width, block.size, block.space) for item in block.items) + 2 * TEXT_Y
    if isinstance(block, Table):
        return header_height(block, width) + sum(row_height(block, row, width) for row in block.rows)
    if isinstance(block, Quotes):
        return sum(quote_height(q, width) for q in block.quotes) + 2 * TEXT_Y
    if isinstance(block, Tiles):
        return tiles_height(block, width)
    if isinstance(block, Row):
        return max(
            (
                sum(
                    block_height(fit(b, part_width(block, share, width)), part_width(block, share, width))
                    + GAP
                    for b in blocks
                )
                - GAP
            )
            for share, blocks in block.parts
        )
    return MIN_FLEX


def item_height(item: str, width: float, size: float, space: float) -> float:
    return lines(item, width - ITEM_INDENT, size) * line_height(size) + space


def word_width(word: str, size: float, bold: bool = False) -> float:
    """The width (points) a box needs to hold ``word`` on one line at ``size`` points: the
    inverse of ``lines``."""
    return metrics.text_width(word, bold) * ZERO_WIDTH * size / SAFETY


def column_widths(table: Table, width: float) -> list[float]:
    """The columns' widths: their shares of ``width``, but wide enough for the longest word of
    each column (a date, a period, "Verandering" is never broken in two), taken from the columns
    with room to spare. When even that does not fit, the shares as they are."""
    return list(_column_widths(table, width))


@functools.lru_cache(maxsize=512)  # every row of a table is measured with the same widths
def _column_widths(table: Table, width: float) -> tuple[float, ...]:
    total = sum(c.share for c in table.columns) or 1.0
    widths = [width * c.share / total for c in table.columns]
    least = [_least_width(table, index) for index in range(len(table.columns))]
    if sum(least) > width:
        return tuple(widths)
    deficit = sum(max(need - have, 0.0) for need, have in zip(least, widths, strict=True))
    spare = sum(max(have - need, 0.0) for need, have in zip(least, widths, strict=True))
    if deficit <= 0 or spare <= 0:
        return tuple(widths)
    return tuple(
        need if have < need else have - deficit * (have - need) / spare
        for need, have in zip(least, widths, strict=True)
    )


def words_fit(table: Table, width: float) -> bool:
    """Whether every column can be wide enough for its longest word at ``width``."""
    return sum(_least_width(table, index) for index in range(len(table.columns))) <= width


def fit(block: Block, width: float) -> Block:
    """A table set smaller (down to ``SMALLEST_TABLE``) until its longest words fit its columns
    at ``width``; any other block as it is. Measuring and drawing both use the fitted table."""
    if not isinstance(block, Table):
        return block
    while block.size > SMALLEST_TABLE and not words_fit(block, width):
        block = replace(block, size=max(block.size - 1.0, SMALLEST_TABLE))
    return block


def _least_width(table: Table, index: int) -> float:
    """The width column ``index`` needs for its longest word (the header bold, a cell bold where
    ``render`` draws it so; a one-line column's cells are cut to fit, so only its header counts)."""
    column = table.columns[index]
    texts = [(column.header, True)]
    if not column.one_line:
        texts += [(row[index].text, row[index].mark in BOLD_MARKS) for row in table.rows if index < len(row)]
    longest = max(
        (word_width(word, table.size, bold) for text, bold in texts for word in text.split()), default=0.0
    )
    return longest + 2 * CELL_X


def cell_height(text: str, width: float, size: float, bold: bool = False, one_line: bool = False) -> float:
    count = 1 if one_line else lines(text, width - 2 * CELL_X, size, bold)
    return count * line_height(size) + 2 * CELL_Y


def header_height(table: Table, width: float) -> float:
    widths = column_widths(table, width)
    return max(cell_height(c.header, w, table.size, True) for c, w in zip(table.columns, widths, strict=True))


def row_height(table: Table, row: Sequence[Cell], width: float) -> float:
    widths = column_widths(table, width)
    heights = [
        cell_height(cell.text, w, table.size, one_line=column.one_line)
        for cell, column, w in zip(row, table.columns, widths, strict=True)
    ]
    return max(heights, default=cell_height("", width, table.size))


def quote_height(quote: Quote, width: float) -> float:
    height = lines(quote.text, width, QUOTE) * line_height(QUOTE)
    if quote.by:
        height += lines(quote.by, width, QUOTE_BY) * line_height(QUOTE_BY)
    return height + QUOTE_SPACE


def tile_width(tiles: Tiles, width: float) -> float:
    if not tiles.across:
        return width
    count = max(len(tiles.tiles), 1)
    return (width - TILE_GAP * (count - 1)) / count


def tile_height(label: str, value: str, detail: str, width: float) -> float:
    inner = width - 2 * TILE_PAD
    height = 2 * TILE_PAD + lines(label, inner, TILE_LABEL) * line_height(TILE_LABEL)
    height += lines(value, inner, TILE_VALUE, True) * line_height(TILE_VALUE)
    if detail:
        height += lines(detail, inner, TILE_DETAIL) * line_height(TILE_DETAIL)
    return height


def tiles_height(tiles: Tiles, width: float) -> float:
    w = tile_width(tiles, width)
    heights = [tile_height(t.label, t.value, t.detail, w) for t in tiles.tiles]
    if tiles.across:
        return max(heights, default=0.0)
    return sum(heights) + TILE_GAP * max(len(heights) - 1, 0)


def part_width(row: Row, share: float, width: float) -> float:
    total = sum(s for s, _ in row.parts) or 1.0
    usable = width - PART_GAP * (len(row.parts) - 1)
    return usable * share / total


# ---------------------------------------------------------------------------------------------
# Cutting and splitting


def clamp(text: str, width: float, size: float, max_lines: int, bold: bool = False) -> str:
    """``text``, or as much of it as fits ``max_lines`` lines with an ellipsis."""
    if max_lines < 1:
        max_lines = 1
    if lines(text, width, size, bold) <= max_lines:
        return text
    words = text.split()
    low, high = 0, len(words)
    while low < high:  # the most words that fit with the ellipsis
        middle = (low + high + 1) // 2
        if lines(" ".join(words[:middle]) + " " + ELLIPSIS, width, size, bold) <= max_lines:
            low = middle
        else:
            high = middle - 1
    head = " ".join(words[:low])
    if not head:  # one very long word: by characters
        chars = max(1, int(len(text) * max_lines / max(lines(text, width, size, bold), 1)) - 1)
        while chars > 1 and lines(text[:chars] + ELLIPSIS, width, size, bold) > max_lines:
            chars -= 1
        return text[:chars] + ELLIPSIS
    return head + " " + ELLIPSIS


def one_line(text: str, width: float, size: float, bold: bool = False) -> str:
    return clamp(" ".join(text.split()), width, size, 1, bold)


def split_words(text: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The longest head of ``text`` (whole words) for which ``fits(head)``, and the rest."""
    words = text.split()
    low, high = 0, len(words)
    while low < high:
        middle = (low + high + 1) // 2
        if fits(" ".join(words[:middle])):
            low = middle
        else:
            high = middle - 1
    low = max(low, 1)  # always progress
    return " ".join(words[:low]), " ".join(words[low:])


def split_block(block: Block, width: float, room: float, fresh: bool) -> tuple[Block | None, Block | None]:
    """What of a splittable ``block`` fits in ``room`` and what is left (None: nothing). On a
    ``fresh`` (empty) slide something always fits, cut if it must be."""
    if isinstance(block, Table):
        return _split_table(block, width, room, fresh)
    if isinstance(block, Items):
        return _split_items(block, width, room, fresh)
    if isinstance(block, Quotes):
        return _split_quotes(block, width, room, fresh)
    return None, block


def _split_table(table: Table, width: float, room: float, fresh: bool) -> tuple[Block | None, Block | None]:
    used = header_height(table, width)
    count = 0
    for row in table.rows:
        height = row_height(table, row, width)
        if used + height > room:
            break
        used += height
        count += 1
    if count == 0:
        if not fresh or not table.rows:
            return None, table
        # one row taller than a whole slide: its texts cut to what fits
        first = _clamped_row(table, table.rows[0], width, room - used)
        head = replace(table, rows=(first,))
        rest = replace(table, rows=table.rows[1:]) if len(table.rows) > 1 else None
        return head, rest
    head = replace(table, rows=table.rows[:count])
    rest = replace(table, rows=table.rows[count:]) if count < len(table.rows) else None
    return head, rest


def _clamped_row(table: Table, row: Sequence[Cell], width: float, room: float) -> tuple[Cell, ...]:
    max_lines = max(1, int((room - 2 * CELL_Y) // line_height(table.size)))
    return tuple(
        replace(cell, text=clamp(cell.text, w - 2 * CELL_X, table.size, max_lines))
        for cell, w in zip(row, column_widths(table, width), strict=True)
    )


def _split_items(items: Items, width: float, room: float, fresh: bool) -> tuple[Block | None, Block | None]:
    used, count = 2 * TEXT_Y, 0
    for item in items.items:
        height = item_height(item, width, items.size, items.space)
        if used + height > room:
            break
        used += height
        count += 1
    if count == 0:
        if not fresh:
            return None, items
        max_lines = max(1, int((room - items.space - 2 * TEXT_Y) // line_height(items.size)))
        first = clamp(items.items[0], width - ITEM_INDENT, items.size, max_lines)
        rest = items.items[1:]
        return replace(items, items=(first,)), replace(items, items=rest) if rest else None
    rest = items.items[count:]
    return replace(items, items=items.items[:count]), replace(items, items=rest) if rest else None


def _split_quotes(
    quotes: Quotes, width: float, room: float, fresh: bool
) -> tuple[Block | None, Block | None]:
    used, count = 2 * TEXT_Y, 0
    for quote in quotes.quotes:
        height = quote_height(quote, width)
        if used + height > room:
            break
        used += height
        count += 1
    if count:
        rest = quotes.quotes[count:]
        return replace(quotes, quotes=quotes.quotes[:count]), replace(quotes, quotes=rest) if rest else None
    if not fresh:
        return None, quotes
    # a remark longer than a whole slide: as much as fits here, the rest on the next slide
    first = quotes.quotes[0]

    def fits(head: str) -> bool:
        return quote_height(Quote(head + " " + ELLIPSIS), width) + 2 * TEXT_Y <= room

    head, tail = split_words(first.text, fits)
    if not tail:
        return replace(quotes, quotes=(first,)), _rest(quotes.quotes[1:])
    rest = (Quote(ELLIPSIS + " " + tail, first.by), *quotes.quotes[1:])
    return replace(quotes, quotes=(Quote(head + " " + ELLIPSIS),)), replace(quotes, quotes=rest)


def _rest(quotes: tuple[Quote, ...]) -> Quotes | None:
    return Quotes(quotes) if quotes else None


# ---------------------------------------------------------------------------------------------
# Paginating


def footnote_blocks(slide: Slide) -> list[Text]:
    return [Text(note, NOTE, "note") for note in slide.footnotes]


def paginate(slide: Slide, area: Box, continued: Callable[[str], str]) -> list[Page]:
    """The slides ``slide`` needs in ``area`` (its content box): blocks one below the other, what
    does not fit on a next slide titled ``continued(title)``, the footnotes at the bottom of each."""
    notes = footnote_blocks(slide)
    note_heights = [block_height(n, area.width) for n in notes]
    notes_height = sum(note_heights)
    body = Box(area.left, area.top, area.width, area.height - notes_height - (GAP if notes else 0))

    def footnotes() -> tuple[Placed, ...]:
        placed, top = [], area.bottom - notes_height
        for note, height in zip(notes, note_heights, strict=True):
            placed.append(Placed(note, Box(area.left, top, area.width, height)))
            top += height
        return tuple(placed)

    pages: list[list[Placed]] = [[]]
    top = body.top
    queue: list[Block] = list(slide.blocks)
    while queue:
        block = fit(queue.pop(0), body.width)
        room = body.bottom - top
        fresh = not pages[-1]
        if isinstance(block, Row) and block_height(block, body.width) > room - _after(queue, body.width):
            if not fresh:
                pages.append([])
                top = body.top
                queue.insert(0, block)
                continue
            queue[:0] = stacked(block)  # too tall side by side: one part below the other
            continue
        if isinstance(block, FLEXIBLE):
            after = _after(queue, body.width)
            height = room - after
            if height < max(MIN_FLEX, block_height(block, body.width)) and not fresh:
                pages.append([])
                top = body.top
                queue.insert(0, block)
                continue
            height = max(height, 0.0)
            pages[-1].append(Placed(block, Box(body.left, top, body.width, height)))
            top += height + GAP
            continue
        height = block_height(block, body.width)
        if height <= room:
            pages[-1].append(Placed(block, Box(body.left, top, body.width, height)))
            top += height + gap_after(block)
            continue
        if isinstance(block, Items | Table | Quotes):
            head, rest = split_block(block, body.width, room, fresh)
            if head is None and _ends_with_heading(pages[-1]) and len(pages[-1]) > 1:
                queue[:0] = [pages[-1].pop().block, block]  # a heading goes along to the next slide
                pages.append([])
                top = body.top
                continue
            if head is not None:
                height = block_height(head, body.width)
                pages[-1].append(Placed(head, Box(body.left, top, body.width, height)))
            if rest is not None:
                queue.insert(0, rest)
            if head is None or rest is not None:
                pages.append([])
                top = body.top
            else:
                top += height + gap_after(head)
            continue
        if not fresh:  # to the next slide, with the heading above it
            moved = [pages[-1].pop().block] if _ends_with_heading(pages[-1]) and len(pages[-1]) > 1 else []
            queue[:0] = [*moved, block]
            pages.append([])
            top = body.top
            continue
        cut = _cut_to(block, body.width, room)
        height = block_height(cut, body.width)
        pages[-1].append(Placed(cut, Box(body.left, top, body.width, height)))
        top += height + gap_after(cut)
    made = [page for page in pages if page] or [[]]
    return [
        Page(slide, continued(slide.title) if i else slide.title, tuple(page), footnotes(), bool(i))
        for i, page in enumerate(made)
    ]


def _after(queue: Sequence[Block], width: float) -> float:
    """The height the fixed blocks still to come on this slide need."""
    return sum(block_height(b, width) + GAP for b in queue if not isinstance(b, FLEXIBLE))


def stacked(row: Row) -> list[Block]:
    """A row's blocks one below the other, its key figures side by side."""
    blocks: list[Block] = []
    for _, part in row.parts:
        blocks += [replace(b, across=True) if isinstance(b, Tiles) else b for b in part]
    return blocks


def gap_after(block: Block) -> float:
    return HEADING_GAP if isinstance(block, Text) and block.style == "heading" else GAP


def _ends_with_heading(page: list[Placed]) -> bool:
    return bool(page) and isinstance(page[-1].block, Text) and page[-1].block.style == "heading"


def row_layout(row: Row, box: Box) -> list[Placed]:
    """The blocks of a row in their boxes: parts side by side, each part's blocks one below the
    other, a chart taking the height its part has left."""
    placed: list[Placed] = []
    left = box.left
    for share, blocks in row.parts:
        width = part_width(row, share, box.width)
        blocks = tuple(fit(b, width) for b in blocks)
        fixed = sum(block_height(b, width) + GAP for b in blocks if not isinstance(b, FLEXIBLE))
        top = box.top
        for block in blocks:
            if isinstance(block, FLEXIBLE):
                height = max(box.height - fixed, 0.0)
            else:
                height = block_height(block, width)
            placed.append(Placed(block, Box(left, top, width, height)))
            top += height + gap_after(block)
        left += width + PART_GAP
    return placed


def _cut_to(block: Block, width: float, room: float) -> Block:
    if isinstance(block, Text):
        bold = bold_style(block.style)
        max_lines = max(1, int((room - 2 * TEXT_Y) // line_height(block.size)))
        if block.max_lines:
            max_lines = min(max_lines, block.max_lines)
        return replace(block, text=clamp(block.text, width, block.size, max_lines, bold))
    return block


def prepare(block: Block, width: float) -> Block:
    """A text with ``max_lines`` cut to them before it is measured."""
    if isinstance(block, Text) and block.max_lines:
        return replace(
            block, text=clamp(block.text, width, block.size, block.max_lines, bold_style(block.style))
        )
    return block


def roomier(slide: Slide, width: float) -> Slide:
    """The slide with its tables set larger (they are read from across a meeting room), those
    whose words still fit their columns at the larger size."""
    blocks = tuple(
        replace(b, size=ROOMY_TABLE)
        if isinstance(b, Table) and b.size < ROOMY_TABLE and words_fit(replace(b, size=ROOMY_TABLE), width)
        else b
        for b in slide.blocks
    )
    return replace(slide, blocks=blocks)


def paginate_all(slides: Sequence[Slide], area: Box, continued: Callable[[str], str]) -> list[Page]:
    """Every slide's pages; a slide with tables gets them larger when it still fits one slide."""
    pages: list[Page] = []
    for slide in slides:
        ready = replace(slide, blocks=tuple(prepare(b, area.width) for b in slide.blocks))
        larger = roomier(ready, area.width)
        if larger != ready:
            tried = paginate(larger, area, continued)
            if len(tried) == 1:
                pages += tried
                continue
        pages += paginate(ready, area, continued)
    return pages


__all__ = ["Box", "Page", "Placed", "paginate", "paginate_all", "row_layout"]
