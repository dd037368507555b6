"""The one palette and the named styles of every workbook kwm writes: the monitor, the
questionnaire, the A3 plan and the base workbook.

Styles are data, as in XlsxWriter's ``Format``: small frozen dataclasses naming a font, a fill, a
border, an alignment, a number format and a protection, defined here and nowhere else. Equal styles
are equal values; ``workbook.style_cache`` turns each into openpyxl objects once and registers it
once per workbook. This module imports only the standard library, so the deck writer
(python-pptx) takes the same colours and font without loading openpyxl.

The looks: dark blue titles, light blue-grey header rows, thin grey grid lines. Scores below their
target get a soft red fill with dark red text (the same red in the monitor and the A3 plan);
overdue actions a soft orange one. Chart colours stay apart in print and for the common forms of
colour blindness. The questionnaire keeps its own input colours (a yellow box to type in, green once
answered); the A3 plan its lanes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from typing import Any

FONT_NAME = "Calibri"

# --- colours (RRGGBB) ---------------------------------------------------------------------
WHITE = "FFFFFF"
BLACK = "000000"
INK = "1F2937"  # body text
NAVY = "1F4E79"  # titles, header text, header rows of the form and the base
BLUE = "2E75B6"  # the form's KWI bands and accents, the base's assignment-matrix header
MUTED = "6B7280"  # notes, explanations
GRID = "BFC7D1"  # thin borders
HEADER_BG = "DCE6F1"  # header rows
SECTION_BG = "F2F5F9"  # label column of the cover, total rows
BELOW_BG = "F8D7DA"  # a score below its target (monitor and A3 plan)
BELOW_INK = "8B1A1A"
ABOVE_BG = "DFF0D8"  # a score at or above its target (cover summary only)
ABOVE_INK = "1E5631"
OVERDUE_BG = "FCE4C4"  # an overdue open action
OVERDUE_INK = "8A4B08"

# the questionnaire
FORM_PALE = "DCE9F5"  # behind a KWI's description
FORM_LINE = "BFBFBF"  # its underlines and boxes (the A3 plan's light lines too)
FORM_GREY = "7F7F7F"  # question numbers, the 1-10 strip
FORM_DESCRIPTION = "404040"
INPUT_BG = "FFF4CC"  # a cell to type in
DONE_BG = "E2F0D9"  # a grade cell once it holds a grade
STRIP_BELOW_BG = "BDD7EE"  # the strip's grades below the chosen one

# the base workbook
HELP_INK = "595959"  # the help column of the settings sheet

# the A3 plan
PLAN_INK = "262626"
PLAN_GREY = "6B6B6B"
INTERNAL_RED = "C00000"  # "internal" banner and header, an overdue deadline
STRATEGY_DARK, STRATEGY_LIGHT = "1F3864", "DCE3F0"
CUSTOMER_DARK, CUSTOMER_LIGHT = "1B6F6A", "DDEFEC"
ORGANISATION_DARK, ORGANISATION_LIGHT = "8A5A00", "F6EBD9"
DONE_STATUS_BG, DONE_STATUS_INK = "E2EFDA", "375623"  # also "on target"
RUNNING_STATUS_BG, RUNNING_STATUS_INK = "FFF2CC", "7F6000"
OPEN_STATUS_BG, OPEN_STATUS_INK = "EDEDED", "404040"

# chart series
MEAN_COLOUR = "9DB9D5"  # KWI-gemiddelde: light, it is the unweighted companion
SCORE_COLOUR = "1F4E79"  # KWI-score: the figure that counts
TARGET_COLOUR = "E08A2E"  # KWI-doel
OVERALL_COLOUR = "111827"
PROMOTER_COLOUR = "3C8D40"
PASSIVE_COLOUR = "E3B23C"
DETRACTOR_COLOUR = "C0392B"
# one colour per KWI in the trend chart (Okabe-Ito based; readable in print and for colour blindness)
LINE_COLOURS = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "8C6D1F", "7F7F7F")

# --- number formats -----------------------------------------------------------------------
SCORE = "0.00"
SCORE_LABEL = "0.0"  # a score on a chart
COUNT = "0"
NPS = "+0;-0;0"
NPS_DECIMAL = "+0.0;-0.0;0.0"
DIFF = "+0.00;-0.00;0.00"
SWING = '"± "0.00'  # how far one respondent moves a score (SPEC 2.1)
NPS_SWING = '"± "0.0'  # ... and the NPS
PERCENT = "0%"
WEIGHT = "0.##"
THOUSANDS = "#,##0"
THOUSANDS_DECIMAL = "#,##0.00"
PERCENT = "0%"
PERCENT_DECIMAL = "0.0%"
TEXT = "@"
DATE = {"nl": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
DATETIME = {"nl": "dd-mm-yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}
BASE_DATE = {"nl": "d-m-yyyy", "en": "yyyy-mm-dd"}  # the base workbook, as users type dates


def date_format(lang: str) -> str:
    return DATE.get(lang, DATE["nl"])


def datetime_format(lang: str) -> str:
    return DATETIME.get(lang, DATETIME["nl"])


def base_date_format(lang: str) -> str:
    return BASE_DATE.get(lang, BASE_DATE["nl"])


# --- the kinds of style -------------------------------------------------------------------


@dataclass(frozen=True)
class Font:
    """``size`` None: the cell's own (in a conditional format: leave it as it is)."""

    size: float | None = 11
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    name: str | None = FONT_NAME


@dataclass(frozen=True)
class Fill:
    """A solid fill (foreground and background the same colour, so a conditional format shows it
    too)."""

    colour: str


@dataclass(frozen=True)
class Side:
    style: str  # "thin", "medium", "hair"
    colour: str


@dataclass(frozen=True)
class Border:
    left: Side | None = None
    right: Side | None = None
    top: Side | None = None
    bottom: Side | None = None


@dataclass(frozen=True)
class Align:
    horizontal: str | None = None
    vertical: str | None = None
    wrap: bool = False
    indent: int = 0


@dataclass(frozen=True)
class Style:
    """A named cell style: what a cell looks like. None leaves that part as the cell has it;
    ``locked`` False unlocks the cell on a protected sheet.

    Define styles once, as constants or through ``functools.cache`` functions: a workbook's
    ``StyleCache`` knows a style by its identity and sets a known one in a single step."""

    font: Font | None = None
    fill: Fill | None = None
    number_format: str | None = None
    align: Align | None = None
    border: Border | None = None
    locked: bool | None = None

    def but(self, **changes: Any) -> Style:
        """This style with some parts replaced (a new style: define it once, like the others)."""
        return replace(self, **changes)


def box(side: Side) -> Border:
    return Border(left=side, right=side, top=side, bottom=side)


# --- the monitor ------------------------------------------------------------------------------

BODY = Font(11, colour=INK)
BOLD = Font(11, bold=True, colour=INK)
TITLE = Font(20, bold=True, colour=NAVY)
SUBTITLE = Font(13, colour=NAVY)
HEADING = Font(13, bold=True, colour=NAVY)
HEADER = Font(11, bold=True, colour=NAVY)
NOTE = Font(10, italic=True, colour=MUTED)
KEY_FIGURE = Font(16, bold=True, colour=NAVY)
BELOW_FONT = Font(None, bold=True, colour=BELOW_INK)
ABOVE_FONT = Font(None, bold=True, colour=ABOVE_INK)
OVERDUE_FONT = Font(11, bold=True, colour=OVERDUE_INK)

HEADER_FILL = Fill(HEADER_BG)
SECTION_FILL = Fill(SECTION_BG)
BELOW_FILL = Fill(BELOW_BG)
ABOVE_FILL = Fill(ABOVE_BG)
OVERDUE_FILL = Fill(OVERDUE_BG)

THIN = Side("thin", GRID)
NAVY_LINE = Side("medium", NAVY)
CELL_BORDER = box(THIN)
HEADER_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=NAVY_LINE)
TOTAL_BORDER = Border(left=THIN, right=THIN, top=NAVY_LINE, bottom=THIN)
TITLE_BORDER = Border(bottom=NAVY_LINE)

WRAP = Align(vertical="top", wrap=True)
TOP = Align(vertical="top")
CENTER = Align(horizontal="center", vertical="top")
LEFT = Align(horizontal="left", vertical="top")
LEFT_ONLY = Align(horizontal="left")
KEY_LEFT = Align(horizontal="left", vertical="center")
KEY_RIGHT = Align(horizontal="right", vertical="center")
HEADER_ALIGN = Align(vertical="bottom", wrap=True)
HEADER_ALIGN_CENTER = Align(horizontal="center", vertical="bottom", wrap=True)
NUMBER_ALIGN = Align(horizontal="right", vertical="top")

PLAIN = Style(BODY, align=TOP, border=CELL_BORDER)
WRAPPED = Style(BODY, align=WRAP, border=CELL_BORDER)
CENTERED = Style(BODY, align=CENTER, border=CELL_BORDER)
SCORE_CELL = Style(BODY, number_format=SCORE, align=NUMBER_ALIGN, border=CELL_BORDER)
COUNT_CELL = Style(BODY, number_format=COUNT, align=NUMBER_ALIGN, border=CELL_BORDER)
NPS_CELL = Style(BODY, number_format=NPS, align=NUMBER_ALIGN, border=CELL_BORDER)
PERCENT_CELL = Style(BODY, number_format=PERCENT, align=NUMBER_ALIGN, border=CELL_BORDER)
WEIGHT_CELL = Style(BODY, number_format=WEIGHT, align=NUMBER_ALIGN, border=CELL_BORDER)
DIFF_CELL = Style(BODY, number_format=DIFF, align=NUMBER_ALIGN, border=CELL_BORDER)
SWING_CELL = Style(Font(11, colour=MUTED), number_format=SWING, align=NUMBER_ALIGN, border=CELL_BORDER)
NPS_SWING_CELL = SWING_CELL.but(number_format=NPS_SWING)
NPS_CHANGE_CELL = Style(BODY, number_format=NPS_DECIMAL, align=NUMBER_ALIGN, border=CELL_BORDER)
MARK_CELL = Style(BOLD, align=CENTER, border=CELL_BORDER)  # a change: ▲ ▼ ≈
ERROR_CELL = Style(BELOW_FONT, align=TOP, border=CELL_BORDER)  # the severity of an error
WARNING_CELL = Style(BOLD, align=TOP, border=CELL_BORDER)

TITLE_CELL = Style(TITLE)
SUBTITLE_CELL = Style(SUBTITLE)
HEADING_CELL = Style(HEADING)
NOTE_CELL = Style(NOTE)
NOTE_WRAPPED = Style(NOTE, align=WRAP)
HEADER_CELL = Style(HEADER, HEADER_FILL, align=HEADER_ALIGN, border=HEADER_BORDER)
HEADER_CENTERED = Style(HEADER, HEADER_FILL, align=HEADER_ALIGN_CENTER, border=HEADER_BORDER)

LABEL_CELL = Style(BOLD, SECTION_FILL, align=TOP, border=CELL_BORDER)  # a key's name on the cover
VALUE_CELL = Style(BODY, align=LEFT)  # its value
KEY_SCORE = Style(KEY_FIGURE, number_format=SCORE, align=KEY_LEFT)
KEY_NPS = Style(KEY_FIGURE, number_format=NPS, align=KEY_LEFT)
KEY_NPS_RIGHT = Style(KEY_FIGURE, number_format=NPS, align=KEY_RIGHT)
KEY_NOTE = Style(BODY, align=KEY_LEFT)  # text beside a key figure
KEY_SWING = Style(Font(12, colour=MUTED), number_format=SWING, align=KEY_LEFT)  # ± beside it
KEY_NPS_SWING = KEY_SWING.but(number_format=NPS_SWING)
VALUE_SCORE = Style(BODY, number_format=SCORE, align=LEFT)
VALUE_PERCENT = Style(BODY, number_format=PERCENT, align=LEFT_ONLY)

TOTAL_CELL = Style(BOLD, SECTION_FILL, align=TOP, border=TOTAL_BORDER)  # a total row
TOTAL_SCORE = Style(BOLD, SECTION_FILL, SCORE, NUMBER_ALIGN, TOTAL_BORDER)
TOTAL_COUNT = Style(BOLD, SECTION_FILL, COUNT, NUMBER_ALIGN, TOTAL_BORDER)
TOTAL_DIFF = Style(BOLD, SECTION_FILL, DIFF, NUMBER_ALIGN, TOTAL_BORDER)
TOTAL_SWING = Style(BOLD, SECTION_FILL, SWING, NUMBER_ALIGN, TOTAL_BORDER)
TOTAL_COUNT_CENTERED = Style(BOLD, SECTION_FILL, COUNT, CENTER, TOTAL_BORDER)
OVERDUE_ROW = Style(fill=OVERDUE_FILL)  # added to every cell of an overdue action's row
OVERDUE_DATE = Style(OVERDUE_FONT)  # and to its deadline and overdue cells
# the internal workbook: a banner under each title, and a respondent far from the overall score
BANNER_CELL = Style(Font(12, bold=True, colour=INTERNAL_RED))
DIFF_MARKED = Style(BELOW_FONT, BELOW_FILL, number_format=DIFF, align=NUMBER_ALIGN, border=CELL_BORDER)

# --- the questionnaire ------------------------------------------------------------------------


@functools.cache
def form_font(size: float = 10, bold: bool = False, italic: bool = False, colour: str = BLACK) -> Font:
    return Font(size, bold=bold, italic=italic, colour=colour)


FORM_THIN = Side("thin", FORM_LINE)
FORM_BOX = box(FORM_THIN)
UNDERLINE = Border(bottom=FORM_THIN)
FORM_NAVY = Fill(NAVY)
FORM_BLUE = Fill(BLUE)
FORM_PALE_FILL = Fill(FORM_PALE)
INPUT_FILL = Fill(INPUT_BG)
DONE_FILL = Fill(DONE_BG)
STRIP_BELOW_FILL = Fill(STRIP_BELOW_BG)
CENTRED = Align(horizontal="center", vertical="center")
CENTRED_WRAP = Align(horizontal="center", vertical="center", wrap=True)
MIDDLE_WRAP = Align(vertical="center", wrap=True)
TOP_WRAP = Align(vertical="top", wrap=True)

FORM_TITLE = Style(form_font(16, bold=True, colour=NAVY))
FORM_SUBTITLE = Style(form_font(11, italic=True, colour=FORM_GREY))
FORM_LABEL = Style(form_font(10, bold=True, colour=NAVY), border=UNDERLINE)
FORM_VALUE = Style(form_font(10), border=UNDERLINE)
FORM_BULLET = Style(form_font(10, colour=BLUE), align=Align(horizontal="right", vertical="top"))
FORM_TEXT = Style(form_font(10), align=TOP_WRAP)
FORM_HEADER = Style(form_font(10, bold=True, colour=WHITE), FORM_NAVY, align=CENTRED_WRAP)
FORM_HEADER_LEFT = Style(
    form_font(10, bold=True, colour=WHITE), FORM_NAVY, align=Align(horizontal="left", vertical="center")
)
FORM_STRIP_HEADER = Style(form_font(8, colour=WHITE), align=CENTRED_WRAP)
FORM_KWI_CODE = Style(form_font(10.5, bold=True, colour=WHITE), align=Align(indent=1))
FORM_KWI_TITLE = Style(form_font(11, bold=True, colour=WHITE))
FORM_KWI_DESCRIPTION = Style(form_font(9.5, italic=True, colour=FORM_DESCRIPTION), align=TOP_WRAP)
FORM_KEY = Style(form_font(8, colour=FORM_GREY))  # the hidden key column
FORM_NUMBER = Style(form_font(10, colour=FORM_GREY), align=CENTRED, border=UNDERLINE)
FORM_QUESTION = Style(form_font(10), align=MIDDLE_WRAP, border=UNDERLINE)
FORM_INPUT = Style(
    form_font(11, bold=True, colour=NAVY), INPUT_FILL, align=CENTRED, border=FORM_BOX, locked=False
)
FORM_REMARK_INPUT = FORM_INPUT.but(
    font=form_font(10), align=Align(horizontal="left", vertical="top", wrap=True, indent=1)
)
FORM_INPUT_SPAN = Style(fill=INPUT_FILL, border=FORM_BOX)  # the rest of the remark box
FORM_STRIP = Style(form_font(8, colour=FORM_GREY), align=CENTRED, border=FORM_BOX)
FORM_CLOSING = Style(form_font(11, bold=True, colour=WHITE))
FORM_THANKS = Style(form_font(11, bold=True, colour=NAVY))
FORM_COUNTER = Style(form_font(10, bold=True, colour=BLUE))
FORM_NAVY_BAND = Style(fill=FORM_NAVY)  # the header row, across the strip
FORM_BLUE_BAND = Style(fill=FORM_BLUE)  # a KWI's title row, the closing row
FORM_PALE_BAND = Style(fill=FORM_PALE_FILL)  # a KWI's description row
FORM_CHOSEN_FONT = Font(None, bold=True, colour=WHITE, name=None)  # the chosen grade in the strip

# --- the base workbook (kwm init, the example) ------------------------------------------------

BASE_HEADER = Style(Font(11, bold=True, colour=WHITE), Fill(NAVY), align=TOP)
BASE_MATRIX_HEADER = Style(fill=Fill(BLUE), align=Align(horizontal="center"))  # a respondent column
BASE_TITLE = Style(Font(16, bold=True, colour=NAVY))
BASE_HEADING = Style(Font(12, bold=True, colour=NAVY))
BASE_BOLD = Style(Font(11, bold=True))
BASE_LABEL = BASE_BOLD.but(align=TOP)
BASE_HELP = Style(Font(11, italic=True, colour=HELP_INK))
BASE_WRAP = Style(align=WRAP)
BASE_TOP = Style(align=TOP)
BASE_RIGHT = Style(align=Align(horizontal="right"))
BASE_MARK = Style(align=Align(horizontal="center"))

# --- the A3 plan ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lane:
    """The colours of one lane of the A3 plan: its frames and title bars, its table headers."""

    dark: str
    light: str


STRATEGY = Lane(STRATEGY_DARK, STRATEGY_LIGHT)
CUSTOMER = Lane(CUSTOMER_DARK, CUSTOMER_LIGHT)
ORGANISATION = Lane(ORGANISATION_DARK, ORGANISATION_LIGHT)


@functools.cache
def plan_font(size: float = 10, bold: bool = False, italic: bool = False, colour: str = PLAN_INK) -> Font:
    return Font(size, bold=bold, italic=italic, colour=colour)


@functools.cache
def plan_text(
    size: float = 10,
    bold: bool = False,
    italic: bool = False,
    colour: str = PLAN_INK,
    align: Align | None = None,
) -> Style:
    return Style(plan_font(size, bold, italic, colour), align=align)


@functools.cache
def lane_title(lane: Lane) -> Style:
    return Style(
        plan_font(11, bold=True, colour=WHITE), Fill(lane.dark), align=Align(vertical="center", indent=1)
    )


@functools.cache
def lane_band(lane: Lane) -> Style:
    return Style(fill=Fill(lane.dark))


@functools.cache
def lane_header(lane: Lane, horizontal: str) -> Style:
    return Style(
        plan_font(9, bold=True, colour=lane.dark),
        Fill(lane.light),
        align=Align(horizontal=horizontal, vertical="center"),
        border=Border(bottom=Side("thin", lane.dark)),
    )


@functools.cache
def lane_outline(lane: Lane) -> Side:
    return Side("medium", lane.dark)


@functools.cache
def lane_group(lane: Lane) -> Style:
    return Style(fill=Fill(lane.light))


PLAN_QUESTION = plan_text(
    8, italic=True, colour=PLAN_GREY, align=Align(vertical="center", wrap=True, indent=1)
)
PLAN_BLOCK_TEXT = plan_text(10, align=Align(vertical="top", wrap=True, indent=1))
PLAN_BANNER = Style(
    plan_font(12, bold=True, colour=WHITE),
    Fill(INTERNAL_RED),
    align=Align(horizontal="center", vertical="center", wrap=True),
)
PLAN_TITLE = plan_text(20, bold=True, colour=STRATEGY_DARK, align=Align(vertical="center"))
PLAN_SUBTITLE = plan_text(10, colour=PLAN_GREY, align=Align(vertical="center"))
PLAN_SOURCE = plan_text(9, italic=True, colour=PLAN_GREY, align=Align(horizontal="center", vertical="center"))
PLAN_NOTE = plan_text(8, italic=True, colour=PLAN_GREY, align=Align(vertical="center"))
PLAN_FIGURES_NOTE = plan_text(
    8, italic=True, colour=PLAN_GREY, align=Align(horizontal="right", vertical="center")
)
PLAN_HAIRLINE = Side("hair", FORM_LINE)  # under a table row
PLAN_TOP_LEFT = Align(vertical="top")
PLAN_MIDDLE = Align(vertical="center")  # a one-line text in a table row
PLAN_TOP_CENTRE = Align(horizontal="center", vertical="top")
PLAN_CODE = plan_text(10, bold=True, align=PLAN_TOP_LEFT)
PLAN_TOP = plan_text(10, align=PLAN_TOP_LEFT)
PLAN_WRAPPED = plan_text(10, align=Align(vertical="top", wrap=True))
PLAN_CENTRED = plan_text(10, align=PLAN_TOP_CENTRE)
PLAN_TARGET = PLAN_CENTRED.but(number_format=SCORE)
PLAN_NO_SCORE = Style(plan_font(9, italic=True, colour=PLAN_GREY))
PLAN_OVERDUE = Style(plan_font(10, bold=True, colour=INTERNAL_RED))  # a deadline passed
PLAN_FIGURE = plan_text(10, align=Align(indent=1))  # a row label of the Kwantitatief table
PLAN_FIGURE_NPS = plan_text(10, bold=True, align=Align(indent=1))
PLAN_NUMBER = plan_text(10, align=Align(horizontal="right", indent=1))
PLAN_NPS = Style(plan_font(10, bold=True), number_format=NPS)
PLAN_NPS_DECIMAL = Style(plan_font(10, bold=True), number_format=NPS_DECIMAL)
PLAN_STATUS = {  # status as typed in the base -> (fill, font colour)
    "gereed": (DONE_STATUS_BG, DONE_STATUS_INK),
    "lopend": (RUNNING_STATUS_BG, RUNNING_STATUS_INK),
    "open": (OPEN_STATUS_BG, OPEN_STATUS_INK),
}


@functools.cache
def plan_status(key: str) -> Style:
    """An action's status cell: coloured for the statuses the base knows, plain otherwise."""
    known = PLAN_STATUS.get(key)
    if known is None:
        return plan_text(10, align=PLAN_TOP_CENTRE)
    return Style(plan_font(10, colour=known[1]), Fill(known[0]), align=PLAN_TOP_CENTRE)


@functools.cache
def plan_verdict(below: bool, score: bool = False) -> Style:
    """A KWI's latest score (``score``) or verdict: the monitor's red below target, green on it."""
    background, ink = (BELOW_BG, BELOW_INK) if below else (DONE_STATUS_BG, DONE_STATUS_INK)
    return Style(
        plan_font(10, bold=below, colour=ink), Fill(background), number_format=SCORE if score else None
    )


# --- the portfolio ----------------------------------------------------------------------------

SWING_CELL = Style(BODY, number_format='"± "0.00', align=NUMBER_ALIGN, border=CELL_BORDER)
MARK_COLOURS = {"▲": ABOVE_INK, "▼": BELOW_INK}  # a change beyond the noise (SPEC 2.1); ≈ is muted


@functools.cache
def change_cell(mark: str, decimals: int = 2) -> Style:
    """A change between two periods, its mark (▲ ▼ ≈) shown before the number in green, red or
    grey; the cell holds the number, so filters and sorting work on it."""
    number = "0." + "0" * decimals if decimals else "0"
    formats = ";".join(f'"{mark} "{sign}{number}' for sign in ("+", "-", ""))
    font = Font(11, bold=mark in MARK_COLOURS, colour=MARK_COLOURS.get(mark, MUTED))
    return Style(font, number_format=formats, align=NUMBER_ALIGN, border=CELL_BORDER)


@functools.cache
def count_of(total: int, word: str) -> Style:
    """A count shown as ``2 van 5`` (``word`` is "van"/"of"); the cell holds the number."""
    plain = word.replace('"', "").replace("\\", "")
    return Style(BODY, number_format=f'0 "{plain} {total}"', align=NUMBER_ALIGN, border=CELL_BORDER)


OVERDUE_MARK_FONT = Font(None, bold=True, colour=OVERDUE_INK)  # a conditional format: overdue, old
