"""Fonts, fills, borders, number formats and colours of the workbooks kwm writes, in one place.

A calm palette: dark blue titles, light blue-grey header rows, thin grey grid lines. Scores below
their target get a soft red fill with dark red text; overdue actions a soft orange one. Chart
colours are chosen to stay apart in print and for the common forms of colour blindness.
"""

from __future__ import annotations

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

FONT_NAME = "Calibri"

# --- colours (RRGGBB) ---------------------------------------------------------------------
INK = "1F2937"  # body text
NAVY = "1F4E79"  # titles, header text
MUTED = "6B7280"  # notes, explanations
GRID = "BFC7D1"  # thin borders
HEADER_BG = "DCE6F1"  # header rows
SECTION_BG = "F2F5F9"  # label column of the cover, total rows
BELOW_BG = "F8D7DA"  # a score below its target
BELOW_INK = "8B1A1A"
ABOVE_BG = "DFF0D8"  # a score at or above its target (cover summary only)
ABOVE_INK = "1E5631"
OVERDUE_BG = "FCE4C4"  # an overdue open action
OVERDUE_INK = "8A4B08"

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
COUNT = "0"
NPS = "+0;-0;0"
PERCENT = "0%"
WEIGHT = "0.##"
DATE = {"nl": "dd-mm-yyyy", "en": "yyyy-mm-dd"}
DATETIME = {"nl": "dd-mm-yyyy hh:mm", "en": "yyyy-mm-dd hh:mm"}


def date_format(lang: str) -> str:
    return DATE.get(lang, DATE["nl"])


def datetime_format(lang: str) -> str:
    return DATETIME.get(lang, DATETIME["nl"])


# --- fonts ----------------------------------------------------------------------------------
BODY = Font(name=FONT_NAME, size=11, color=INK)
BOLD = Font(name=FONT_NAME, size=11, color=INK, bold=True)
TITLE = Font(name=FONT_NAME, size=20, color=NAVY, bold=True)
SUBTITLE = Font(name=FONT_NAME, size=13, color=NAVY)
HEADING = Font(name=FONT_NAME, size=13, color=NAVY, bold=True)
HEADER = Font(name=FONT_NAME, size=11, color=NAVY, bold=True)
NOTE = Font(name=FONT_NAME, size=10, color=MUTED, italic=True)
KEY_FIGURE = Font(name=FONT_NAME, size=16, color=NAVY, bold=True)
BELOW_FONT = Font(name=FONT_NAME, color=BELOW_INK, bold=True)
ABOVE_FONT = Font(name=FONT_NAME, color=ABOVE_INK, bold=True)
OVERDUE_FONT = Font(name=FONT_NAME, size=11, color=OVERDUE_INK, bold=True)

# --- fills ----------------------------------------------------------------------------------
HEADER_FILL = PatternFill("solid", start_color=HEADER_BG, end_color=HEADER_BG)
SECTION_FILL = PatternFill("solid", start_color=SECTION_BG, end_color=SECTION_BG)
BELOW_FILL = PatternFill("solid", start_color=BELOW_BG, end_color=BELOW_BG, bgColor=BELOW_BG)
ABOVE_FILL = PatternFill("solid", start_color=ABOVE_BG, end_color=ABOVE_BG, bgColor=ABOVE_BG)
OVERDUE_FILL = PatternFill("solid", start_color=OVERDUE_BG, end_color=OVERDUE_BG)

# --- borders --------------------------------------------------------------------------------
_THIN = Side(style="thin", color=GRID)
_NAVY_LINE = Side(style="medium", color=NAVY)
CELL_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_NAVY_LINE)
TOTAL_BORDER = Border(left=_THIN, right=_THIN, top=_NAVY_LINE, bottom=_THIN)
TITLE_BORDER = Border(bottom=_NAVY_LINE)

# --- alignment ------------------------------------------------------------------------------
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTER = Alignment(horizontal="center", vertical="top")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="bottom")
HEADER_ALIGN_CENTER = Alignment(wrap_text=True, vertical="bottom", horizontal="center")
NUMBER_ALIGN = Alignment(horizontal="right", vertical="top")
