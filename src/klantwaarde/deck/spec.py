"""What a slide says, as plain data: the blocks of the klantwaardesessie deck (SPEC 3.7).

As in python-pptx's ``CategoryChartData`` and XlsxWriter's chart specs, a slide is *described*
here — title, blocks of text, tables, tiles and charts, speaker notes — and drawn elsewhere:
``deck.content`` decides what each slide says, ``deck.flow`` measures the blocks and splits long
ones over slides, ``deck.render`` turns them into native PowerPoint shapes and charts. Sizes are in
points. Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

# Text sizes (points): large enough to read on a meeting-room screen.
BODY = 18.0
LEAD = 20.0
TABLE = 14.0
ROOMY_TABLE = 16.0  # a table that fits on one slide at this size gets it
SMALLEST_TABLE = 11.0  # a table with long words is set smaller, down to this
AGENDA = 26.0
NOTE = 12.0
QUOTE = 18.0
QUOTE_BY = 13.0
TILE_LABEL = 13.0
TILE_VALUE = 30.0
TILE_DETAIL = 12.0
HEADING = 18.0

# Marks: what a cell or tile says besides its text (drawn in the palette's colours).
BELOW = "below"  # a score below its target
OVERDUE = "overdue"  # an open action past its deadline
STRONG = "strong"  # a total, a key figure
MUTED = "muted"  # a figure that is not there (withheld, not measured)


@dataclass(frozen=True)
class Text:
    """A paragraph; ``style``: body, lead, note or heading. ``max_lines`` (0: no limit) keeps a
    very long text inside its slide, cut with an ellipsis."""

    text: str
    size: float = BODY
    style: str = "body"
    max_lines: int = 0


@dataclass(frozen=True)
class Items:
    """A bulleted list; split over slides when long."""

    items: tuple[str, ...]
    size: float = BODY
    space: float = 6.0  # after each item


@dataclass(frozen=True)
class Column:
    header: str
    share: float  # of the table's width
    align: str = "l"  # l, c or r
    one_line: bool = False  # cut to one line with an ellipsis (the full text is on another slide)


@dataclass(frozen=True)
class Cell:
    text: str
    mark: str = ""


@dataclass(frozen=True)
class Table:
    """A table with a header row; split over slides by rows, the header repeated."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    size: float = TABLE


@dataclass(frozen=True)
class Quote:
    text: str
    by: str = ""  # the author, only where the disclosure rules allow it


@dataclass(frozen=True)
class Quotes:
    """Remarks as quotes; split over slides by quote (a very long one over several)."""

    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class Tile:
    """A key figure: a small label, the value large, a detail line below."""

    label: str
    value: str
    detail: str = ""
    mark: str = ""


@dataclass(frozen=True)
class Tiles:
    tiles: tuple[Tile, ...]
    across: bool = True  # side by side, or one below the other


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]  # None: a gap (withheld or not measured)
    colour: str  # RRGGBB
    point_colours: tuple[str | None, ...] = ()  # per point (e.g. below target); None: the series'
    labels: bool = False  # values written on the bars
    width: float = 2.25  # line width (points), line charts
    dashed: bool = False


@dataclass(frozen=True)
class Chart:
    """A native, editable chart: ``columns`` (clustered) or ``lines`` (with markers)."""

    kind: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    number_format: str = "0.00"
    label_format: str = "0.00"  # the values written on the bars
    y_min: float | None = None
    y_max: float | None = None
    y_unit: float | None = None
    y_format: str = "0"
    legend: bool = True
    caption: str = ""  # a line above the chart
    key: str = ""  # a line below it: what the colours mean


@dataclass(frozen=True)
class Row:
    """Blocks side by side, each part ``(share of the width, blocks one below the other)``; the
    row takes the height left on the slide."""

    parts: tuple[tuple[float, tuple[Block, ...]], ...]


Block = Text | Items | Table | Quotes | Tiles | Chart | Row
SPLITTABLE = (Items, Table, Quotes)
FLEXIBLE = (Chart, Row)  # take the height that is left


@dataclass(frozen=True)
class Slide:
    """One slide as planned; ``deck.flow`` may make several of it (the later ones "(vervolg)").

    ``kind``: ``title`` (the title slide: ``subtitle`` lines under the title) or ``content``.
    ``footnotes`` stand at the bottom of every slide made of it; ``notes`` are the speaker notes."""

    key: str
    title: str
    blocks: tuple[Block, ...] = ()
    notes: str = ""
    kind: str = "content"
    subtitle: tuple[str, ...] = ()
    footnotes: tuple[str, ...] = ()
