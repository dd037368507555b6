"""The internal A3 account plan: one sheet that prints as a single A3 landscape page.

Three lanes, read from left to right: strategy (1 Visie, 2 Missie, 3 Succesbepalende factoren),
customer value (4 KWI's with target and latest score, 5 the actions per KWI) and our own
organisation (6 KPI's, 7 Organisatie-acties, 8 Randvoorwaarden, and the Kwantitatief table).
Every block is a numbered, framed area with its guiding question in small print; blocks without
content stay empty frames to write in. The plan is internal: banner, header and footer say so.

Layout works on a grid of equal body rows shared by the three lanes; every block spans whole rows,
and a long text spans more rows rather than making one row taller, so the lanes never disturb
each other. Fit-to-page scales whatever the content needs onto the one sheet of paper.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from klantwaarde import metrics
from klantwaarde.model import Action, Base, Kwi
from klantwaarde.texts import Texts
from klantwaarde.workbook import styles
from klantwaarde.workbook.safe import atomic_save, set_text
from klantwaarde.workbook.style_cache import StyleCache
from klantwaarde.workbook.styles import Lane, plan_text

# Keys of the text blocks in base.a3.blocks, with their number on the plan.
TEXT_BLOCKS_LEFT = (("vision", 1), ("mission", 2), ("success_factors", 3))
TEXT_BLOCKS_RIGHT = (("organisation_indicators", 6), ("organisation_actions", 7), ("preconditions", 8))
FIGURE_KEYS = ("contacts", "appointments", "leads", "orders", "revenue", "margin", "sessions", "nps")

# Columns: left lane A, gap B, middle lane C..G, gap H, right lane I..K.
LEFT = (1, 1)
MIDDLE = (3, 7)
RIGHT = (9, 11)
LAST_COLUMN = 11
WIDTHS = {1: 44, 2: 2, 3: 9, 4: 42, 5: 8, 6: 11, 7: 14, 8: 2, 9: 25, 10: 14, 11: 14}

TITLE_ROW, SUBTITLE_ROW, SPACER_ROW = 1, 2, 3
BODY_TOP = 4
BODY_ROW_HEIGHT = 16.0
MIN_BODY_ROWS = 42  # keeps the page close to A3 proportions when there is little content

# Font sizes of the wrapped texts whose lines decide how many body rows a block needs.
QUESTION_SIZE = 8  # the guiding questions, in italics
TEXT_SIZE = 10  # the content
INDENT = 2  # column-width units the indent of a block's texts takes from the lane


def write_a3(
    base: Base,
    texts: Texts,
    target: Path,
    *,
    kwi_scores: Mapping[str, float | None] | None,
    nps: float | None,
    monitor_period: str | None,
    now: dt.datetime,
    nps_last_year: float | None = None,
) -> Path:
    """Write the A3 account plan of ``base`` to ``target`` (atomically) and return ``target``.

    ``kwi_scores`` (KWI code -> latest score, None: no monitor) fills the score column of block 4;
    ``nps`` replaces "this year" of the NetPromotorScore row; ``monitor_period`` names where they
    came from; ``nps_last_year`` (the monitor's trend) fills "last year" of that row when the base
    leaves it empty.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(texts("a3.sheet"))
    scores = None if kwi_scores is None else {k.strip().upper(): v for k, v in kwi_scores.items()}
    _Plan(sheet, base, texts, scores, nps, monitor_period, now, nps_last_year).draw()
    settings = base.settings
    workbook.properties.title = texts("a3.title", client=settings.client)
    workbook.properties.subject = texts("a3.internal")
    workbook.properties.creator = "kwm"
    workbook.properties.created = now
    workbook.properties.modified = now
    return atomic_save(workbook, target)


def _sheet_title(name: str) -> str:
    cleaned = re.sub(r"[\[\]:*?/\\]", " ", name).strip("' ")
    return (cleaned or "A3")[:31]


# ---------------------------------------------------------------------------------------------
# Layout


@dataclass
class _Block:
    """A framed block in a lane: ``rows`` is its height in body rows, grown to fill the lane."""

    key: str
    number: int | None
    lane: tuple[int, int]
    palette: Lane
    question_rows: int
    fixed_rows: int  # title + question + table rows that must be there
    min_free_rows: int  # writing space at least
    draw: Callable[[_Block, int, int], None]
    free_rows: int = 0
    grows: bool = True

    @property
    def rows(self) -> int:
        return self.fixed_rows + self.free_rows


def _lines(text: str, width_units: float, size: float) -> int:
    """Body rows a wrapped text needs (one line a row; none for no text)."""
    return metrics.text_lines(text, width_units, size=size) if text else 0


def _lane_width(lane: tuple[int, int]) -> float:
    return float(sum(WIDTHS[c] for c in range(lane[0], lane[1] + 1)))


def _as_bullets(text: str) -> str:
    """Several lines become a bulleted list (unless the user already wrote bullets)."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) < 2:
        return "\n".join(lines)
    return "\n".join(line if line[0] in "-•*–·" else f"• {line}" for line in lines)


def _header_escape(text: str) -> str:
    """Header/footer codes start with '&': a literal ampersand must be doubled."""
    return text.replace("&", "&&")


class _Plan:
    def __init__(
        self,
        sheet: Worksheet,
        base: Base,
        texts: Texts,
        scores: Mapping[str, float | None] | None,
        nps: float | None,
        monitor_period: str | None,
        now: dt.datetime,
        nps_last_year: float | None = None,
    ):
        self.ws = sheet
        self.base = base
        self.t = texts
        self.scores = scores
        self.nps = nps
        self.nps_last_year = nps_last_year
        self.monitor_period = monitor_period
        self.now = now
        self.a3_blocks: Mapping[str, str] = base.a3.blocks if base.a3 else {}
        self.figures = {f.key: f for f in base.a3.figures} if base.a3 else {}
        self.styles = StyleCache()

    def put(self, row: int, column: int, value: object, style: styles.Style) -> Any:
        """Write ``value`` as literal text (or a number) in a styled cell; returns the cell."""
        cell = self.ws.cell(row, column)
        if isinstance(value, str) or value is None:
            set_text(cell, value)
        else:
            cell.value = value
        return self.styles.apply(cell, style)

    def restyle(self, cell: Any, style: styles.Style) -> None:
        self.styles.apply(cell, style)

    # -- whole page -------------------------------------------------------------------------

    def draw(self) -> None:
        lanes = {
            LEFT: [self._text_block(key, number, LEFT, styles.STRATEGY) for key, number in TEXT_BLOCKS_LEFT],
            MIDDLE: [self._kwi_block(), self._actions_block()],
            RIGHT: [
                self._text_block(key, number, RIGHT, styles.ORGANISATION) for key, number in TEXT_BLOCKS_RIGHT
            ]
            + [self._figures_block()],
        }
        body_rows = max(
            MIN_BODY_ROWS, *(sum(b.rows for b in blocks) + len(blocks) - 1 for blocks in lanes.values())
        )
        for blocks in lanes.values():
            self._share_out(blocks, body_rows)
        self._columns_and_rows(body_rows)
        self._title()
        for blocks in lanes.values():
            row = BODY_TOP
            for block in blocks:
                bottom = row + block.rows - 1
                block.draw(block, row, bottom)
                self._outline(row, block.lane[0], bottom, block.lane[1], block.palette)
                row = bottom + 2  # one empty row between blocks
        last = self._note(BODY_TOP + body_rows + 1)
        self._print_setup(last)

    @staticmethod
    def _share_out(blocks: Sequence[_Block], body_rows: int) -> None:
        """Give each block its minimum writing space, then share the rest of the lane out."""
        for block in blocks:
            block.free_rows = block.min_free_rows
        spare = body_rows - (sum(b.rows for b in blocks) + len(blocks) - 1)
        growing = [b for b in blocks if b.grows] or list(blocks)
        for index in range(spare):
            growing[index % len(growing)].free_rows += 1

    def _columns_and_rows(self, body_rows: int) -> None:
        ws = self.ws
        for column, width in WIDTHS.items():
            ws.column_dimensions[metrics.column_letter(column)].width = width
        ws.row_dimensions[TITLE_ROW].height = 30
        ws.row_dimensions[SUBTITLE_ROW].height = 18
        ws.row_dimensions[SPACER_ROW].height = 8
        for row in range(BODY_TOP, BODY_TOP + body_rows):
            ws.row_dimensions[row].height = BODY_ROW_HEIGHT
        ws.sheet_view.showGridLines = False
        ws.sheet_view.zoomScale = 85

    def _title(self) -> None:
        ws, t, settings = self.ws, self.t, self.base.settings
        ws.merge_cells(start_row=TITLE_ROW, start_column=1, end_row=TITLE_ROW, end_column=MIDDLE[1])
        self.put(TITLE_ROW, 1, t("a3.title", client=settings.client), styles.PLAN_TITLE)

        ws.merge_cells(start_row=TITLE_ROW, start_column=RIGHT[0], end_row=TITLE_ROW, end_column=RIGHT[1])
        self.put(TITLE_ROW, RIGHT[0], t("a3.internal_banner"), styles.PLAN_BANNER)

        parts = [
            t(
                "a3.subtitle",
                supplier=settings.supplier,
                client=settings.client,
                client_code=settings.client_code,
                period=settings.period,
            )
        ]
        if settings.account_manager:
            parts.append(t("a3.account_manager", name=settings.account_manager))
        if settings.session_date:
            parts.append(t("a3.session_date", date=self._date_text(settings.session_date)))
        ws.merge_cells(start_row=SUBTITLE_ROW, start_column=1, end_row=SUBTITLE_ROW, end_column=MIDDLE[1])
        self.put(SUBTITLE_ROW, 1, "   ·   ".join(parts), styles.PLAN_SUBTITLE)

        ws.merge_cells(
            start_row=SUBTITLE_ROW, start_column=RIGHT[0], end_row=SUBTITLE_ROW, end_column=RIGHT[1]
        )
        if self.scores is not None and self.monitor_period:
            source = t("a3.scores_from", period=self.monitor_period)
        else:
            source = t("a3.scores_none")
        self.put(SUBTITLE_ROW, RIGHT[0], source, styles.PLAN_SOURCE)

    def _note(self, row: int) -> int:
        ws = self.ws
        ws.row_dimensions[row - 1].height = 8
        ws.row_dimensions[row].height = 14
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=LAST_COLUMN)
        note = self.t("a3.made", date=self._date_text(self.now.date()), file=self.base.path.name)
        self.put(row, 1, note, styles.PLAN_NOTE)
        return row

    def _print_setup(self, last_row: int) -> None:
        ws, t, settings = self.ws, self.t, self.base.settings
        ws.page_setup.paperSize = ws.PAPERSIZE_A3
        ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 1
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.55
        ws.page_margins.header = ws.page_margins.footer = 0.25
        ws.print_options.horizontalCentered = True
        ws.print_options.verticalCentered = True
        ws.print_area = metrics.range_ref(1, 1, last_row, LAST_COLUMN)

        internal = _header_escape(t("a3.internal"))
        ws.oddHeader.left.text = _header_escape(f"{settings.client} ({settings.client_code})")
        ws.oddHeader.center.text = "&B" + internal
        ws.oddHeader.center.color = styles.INTERNAL_RED
        ws.oddHeader.right.text = _header_escape(settings.period)
        ws.oddFooter.left.text = _header_escape(
            t("a3.footer_file", client_code=settings.client_code, period=settings.period)
        )
        ws.oddFooter.center.text = internal
        ws.oddFooter.right.text = _header_escape(t("a3.footer_made", date=self._date_text(self.now.date())))

    # -- the blocks -------------------------------------------------------------------------

    def _question_rows(self, key: str, lane: tuple[int, int]) -> int:
        question = self.t(f"a3.blocks.{key}.question")
        return max(1, _lines(question, _lane_width(lane) - INDENT, QUESTION_SIZE))

    def _text_block(self, key: str, number: int, lane: tuple[int, int], palette: Lane) -> _Block:
        text = _as_bullets(str(self.a3_blocks.get(key) or ""))
        needed = _lines(text, _lane_width(lane) - INDENT, TEXT_SIZE)
        question_rows = self._question_rows(key, lane)

        def draw(block: _Block, top: int, bottom: int) -> None:
            content = self._frame(block, top, bottom, lane)
            self.ws.merge_cells(start_row=content, start_column=lane[0], end_row=bottom, end_column=lane[1])
            self.put(content, lane[0], text or None, styles.PLAN_BLOCK_TEXT)

        return _Block(key, number, lane, palette, question_rows, 1 + question_rows, max(3, needed), draw)

    def _kwi_block(self) -> _Block:
        t, base = self.t, self.base
        kwis = base.kwis
        title_width = WIDTHS[4]
        heights = [max(1, _lines(k.title, title_width, TEXT_SIZE)) for k in kwis]
        question_rows = self._question_rows("kwis", MIDDLE)
        fixed = 1 + question_rows + 1 + (sum(heights) if kwis else 1) + 1

        def draw(block: _Block, top: int, bottom: int) -> None:
            row = self._frame(block, top, bottom, MIDDLE)
            score_head = (
                t("a3.kwis.score_period", period=self.monitor_period)
                if self.monitor_period and self.scores is not None
                else t("a3.kwis.score")
            )
            self._table_header(
                row,
                [
                    t("a3.kwis.code"),
                    t("a3.kwis.title"),
                    t("a3.kwis.target"),
                    score_head,
                    t("a3.kwis.verdict"),
                ],
                block.palette,
                centred=(5, 6, 7),
            )
            row += 1
            if not kwis:
                self._merged_text(row, t("a3.kwis.none"), italic=True, colour=styles.PLAN_GREY)
                row += 1
            met = 0
            for kwi, height in zip(kwis, heights, strict=True):
                verdict = self._kwi_row(kwi, row, height)
                met += verdict is True
                row += height
            if self.scores is not None and kwis:
                self._merged_text(
                    row, t("a3.kwis.summary", met=met, total=len(kwis)), italic=True, colour=styles.PLAN_GREY
                )
            self._writing_lines(row, bottom, MIDDLE)

        return _Block("kwis", 4, MIDDLE, styles.CUSTOMER, question_rows, fixed, 1, draw, grows=False)

    def _kwi_row(self, kwi: Kwi, row: int, height: int) -> bool | None:
        """One KWI line; returns True (on target), False (below) or None (no score)."""
        ws, t = self.ws, self.t
        bottom = row + height - 1
        for column in range(MIDDLE[0], MIDDLE[1] + 1):
            if height > 1:
                ws.merge_cells(start_row=row, start_column=column, end_row=bottom, end_column=column)
        self.put(row, 3, kwi.code, styles.PLAN_CODE)
        self.put(row, 4, kwi.title, styles.PLAN_WRAPPED)
        self.put(row, 5, self.base.target_for(kwi), styles.PLAN_TARGET)
        self.put(row, 6, None, styles.PLAN_CENTRED)
        verdict_cell = self.put(row, 7, None, styles.PLAN_CENTRED)
        self._row_lines(bottom, MIDDLE)
        if self.scores is None:
            return None
        score = self.scores.get(kwi.code.strip().upper())
        if score is None:
            set_text(verdict_cell, t("a3.kwis.no_score"))
            self.restyle(verdict_cell, styles.PLAN_NO_SCORE)
            return None
        below = round(score, 2) < round(self.base.target_for(kwi), 2)
        self.put(row, 6, score, styles.plan_verdict(below, score=True))
        self.put(row, 7, t("a3.kwis.below") if below else t("a3.kwis.on_target"), styles.plan_verdict(below))
        return not below

    def _action_groups(self) -> list[tuple[str, list[Action]]]:
        """(group heading, actions) per KWI in base order, then actions without a known KWI."""
        groups: list[tuple[str, list[Action]]] = []
        known = set()
        for kwi in self.base.kwis:
            key = kwi.code.strip().upper()
            known.add(key)
            linked = [a for a in self.base.actions if a.kwi_code.strip().upper() == key]
            groups.append((f"{kwi.code} {kwi.title}".strip(), linked))
        rest = [a for a in self.base.actions if a.kwi_code.strip().upper() not in known]
        if rest:
            groups.append((self.t("a3.actions.other"), rest))
        return groups

    def _actions_block(self) -> _Block:
        t = self.t
        groups = self._action_groups()
        width = WIDTHS[4]
        heights = {id(a): max(1, _lines(a.description, width, TEXT_SIZE)) for _, acts in groups for a in acts}
        question_rows = self._question_rows("kwi_actions", MIDDLE)
        fixed = 1 + question_rows + 1 + len(groups) + sum(heights.values())

        def draw(block: _Block, top: int, bottom: int) -> None:
            row = self._frame(block, top, bottom, MIDDLE)
            self._table_header(
                row,
                [
                    t("a3.actions.number"),
                    t("a3.actions.description"),
                    t("a3.actions.owner"),
                    t("a3.actions.deadline"),
                    t("a3.actions.status"),
                ],
                block.palette,
                centred=(5, 6, 7),
            )
            row += 1
            for heading, actions in groups:
                text = heading if actions else f"{heading}   ·   {t('a3.actions.no_actions')}"
                colour = styles.PLAN_INK if actions else styles.PLAN_GREY
                cell = self._merged_text(row, text, bold=bool(actions), italic=not actions, colour=colour)
                self.restyle(cell, styles.lane_group(block.palette))
                row += 1
                for action in actions:
                    self._action_row(action, row, heights[id(action)])
                    row += heights[id(action)]
            self._writing_lines(row, bottom, MIDDLE)

        return _Block("kwi_actions", 5, MIDDLE, styles.CUSTOMER, question_rows, fixed, 2, draw)

    def _action_row(self, action: Action, row: int, height: int) -> None:
        ws, t = self.ws, self.t
        bottom = row + height - 1
        if height > 1:
            for column in range(MIDDLE[0], MIDDLE[1] + 1):
                ws.merge_cells(start_row=row, start_column=column, end_row=bottom, end_column=column)
        self.put(row, 3, action.number, styles.PLAN_TOP)
        self.put(row, 4, action.description, styles.PLAN_WRAPPED)
        self.put(row, 5, action.owner, styles.PLAN_CENTRED)
        deadline = self.put(row, 6, None, styles.PLAN_CENTRED)
        status_key = action.status.strip().lower()
        if action.deadline is not None:
            deadline.value = action.deadline
            deadline.number_format = t("a3.date_format")
            if action.deadline < self.now.date() and status_key != "gereed":
                self.restyle(deadline, styles.PLAN_OVERDUE)
        known = status_key in styles.PLAN_STATUS
        status_text = t(f"a3.actions.statuses.{status_key}") if known else action.status
        self.put(row, 7, status_text or None, styles.plan_status(status_key))
        self._row_lines(bottom, MIDDLE)

    def _figures_block(self) -> _Block:
        t = self.t
        question_rows = self._question_rows("figures", RIGHT)
        from_monitor = self.nps is not None
        fixed = 1 + question_rows + 1 + len(FIGURE_KEYS) + (1 if from_monitor else 0)

        def draw(block: _Block, top: int, bottom: int) -> None:
            row = self._frame(block, top, bottom, RIGHT)
            year = self._period_year()
            if year is not None:
                last_head = t("a3.figures.last_year_in", year=year - 1)
                this_head = t("a3.figures.this_year_in", year=year)
            else:
                last_head, this_head = t("a3.figures.last_year"), t("a3.figures.this_year")
            self._table_header(
                row,
                [t("a3.figures.item"), last_head, this_head],
                block.palette,
                first=RIGHT[0],
                centred=(10, 11),
            )
            row += 1
            for key in FIGURE_KEYS:
                figure = self.figures.get(key)
                self.put(
                    row,
                    RIGHT[0],
                    t(f"a3.figures.labels.{key}"),
                    styles.PLAN_FIGURE_NPS if key == "nps" else styles.PLAN_FIGURE,
                )
                last = figure.last_year if figure else None
                this = figure.this_year if figure else None
                if key == "nps" and self.nps is not None:
                    this = self.nps
                if key == "nps" and last in (None, "") and self.nps_last_year is not None:
                    last = self.nps_last_year
                self._figure_value(self.ws.cell(row, RIGHT[0] + 1), last, key)
                self._figure_value(self.ws.cell(row, RIGHT[0] + 2), this, key)
                self._row_lines(row, RIGHT)
                row += 1
            if from_monitor:
                self.ws.merge_cells(start_row=row, start_column=RIGHT[0], end_row=row, end_column=RIGHT[1])
                note = t("a3.figures.from_monitor", period=self.monitor_period or self.base.settings.period)
                self.put(row, RIGHT[0], note, styles.PLAN_FIGURES_NOTE)

        return _Block("figures", None, RIGHT, styles.ORGANISATION, question_rows, fixed, 0, draw, grows=False)

    def _figure_value(self, cell: Any, value: float | str | None, key: str) -> None:
        self.restyle(cell, styles.PLAN_NUMBER)
        if value is None or value == "":
            return
        if isinstance(value, str):
            set_text(cell, value)
            return
        number = float(value)
        whole = number.is_integer()
        cell.value = int(number) if whole else number
        if key == "nps":
            self.restyle(cell, styles.PLAN_NPS if whole else styles.PLAN_NPS_DECIMAL)
        elif key == "margin" and abs(number) < 1:
            # a margin as a fraction is a percentage (17 % typed in Excel is stored as 0.17); a larger
            # number is an amount, shown like the revenue
            whole_percent = round(number * 100, 6).is_integer()
            cell.number_format = styles.PERCENT if whole_percent else styles.PERCENT_DECIMAL
        else:
            cell.number_format = styles.THOUSANDS if whole else styles.THOUSANDS_DECIMAL

    def _period_year(self) -> int | None:
        match = re.match(r"(\d{4})", self.base.settings.period.strip())
        return int(match.group(1)) if match else None

    # -- drawing helpers --------------------------------------------------------------------

    def _frame(self, block: _Block, top: int, bottom: int, lane: tuple[int, int]) -> int:
        """Title bar, guiding question and outline; returns the first row below the question."""
        ws, t = self.ws, self.t
        first, last = lane
        ws.merge_cells(start_row=top, start_column=first, end_row=top, end_column=last)
        title_text = t(f"a3.blocks.{block.key}.title")
        heading = f"{block.number}   {title_text}" if block.number is not None else title_text
        self.put(top, first, heading, styles.lane_title(block.palette))
        for column in range(first + 1, last + 1):
            self.restyle(ws.cell(top, column), styles.lane_band(block.palette))

        q_top, q_bottom = top + 1, top + block.question_rows
        ws.merge_cells(start_row=q_top, start_column=first, end_row=q_bottom, end_column=last)
        self.put(q_top, first, t(f"a3.blocks.{block.key}.question"), styles.PLAN_QUESTION)
        return q_bottom + 1

    def _table_header(
        self,
        row: int,
        labels: Sequence[str],
        palette: Lane,
        first: int = MIDDLE[0],
        centred: Sequence[int] = (),
    ) -> None:
        for offset, label in enumerate(labels):
            column = first + offset
            horizontal = "center" if column in centred else "left"
            self.put(row, column, label, styles.lane_header(palette, horizontal))

    def _merged_text(
        self, row: int, text: str, *, bold: bool = False, italic: bool = False, colour: str = styles.PLAN_INK
    ) -> Any:
        ws = self.ws
        ws.merge_cells(start_row=row, start_column=MIDDLE[0], end_row=row, end_column=MIDDLE[1])
        style = plan_text(10 if not italic else 9, bold, italic, colour, styles.PLAN_MIDDLE)
        cell = self.put(row, MIDDLE[0], text, style)
        self._row_lines(row, MIDDLE)
        return cell

    def _row_lines(self, bottom: int, lane: tuple[int, int]) -> None:
        """A light line under a table row (on every cell of a row group's last row)."""
        for column in range(lane[0], lane[1] + 1):
            self.styles.add_sides(self.ws.cell(bottom, column), bottom=styles.PLAN_HAIRLINE)

    def _writing_lines(self, start: int, bottom: int, lane: tuple[int, int]) -> None:
        for row in range(start, bottom + 1):
            self._row_lines(row, lane)

    def _outline(self, top: int, first: int, bottom: int, last: int, lane: Lane) -> None:
        side = styles.lane_outline(lane)
        for row in range(top, bottom + 1):
            for column in range(first, last + 1):
                if row not in (top, bottom) and column not in (first, last):
                    continue
                edges = {
                    "left": column == first,
                    "right": column == last,
                    "top": row == top,
                    "bottom": row == bottom,
                }
                self.styles.add_sides(self.ws.cell(row, column), **{k: side for k, on in edges.items() if on})

    def _date_text(self, day: dt.date) -> str:
        return self.t("a3.date_text", day=day.day, month=day.month, year=day.year)
