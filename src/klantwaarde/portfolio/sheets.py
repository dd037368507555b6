"""The portfolio workbook (SPEC 3.8): seven sheets written from a ``model.Portfolio``.

Written the way the monitor is (``monitor.sheet.TableSheet``: write-only and streamed, literal text,
the one palette of ``workbook/styles.py``, native charts through ``monitor.charts``), and internal
like the internal workbook: every sheet carries the banner "Intern – niet delen met de klant" under
its title and on every printed page. Numbers are stored as numbers (a change as its value, shown
with its mark ▲ ▼ ≈; "2 van 5" is the number 2), so filters, sorting and pivot tables work; a
figure a monitor withholds is the dash. No formulas: every value is computed here.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from klantwaarde import metrics
from klantwaarde.monitor import charts
from klantwaarde.monitor.registry import sheet_names_for
from klantwaarde.monitor.sheet import PageTexts, TableSheet
from klantwaarde.portfolio.csv_tables import attention_text
from klantwaarde.portfolio.model import (
    OLD_MONITOR_DAYS,
    Client,
    ManagerRow,
    OpenAction,
    Portfolio,
    ThemeRow,
)
from klantwaarde.problems import Problem
from klantwaarde.texts import Texts
from klantwaarde.workbook import compat, styles
from klantwaarde.workbook.safe import atomic_save
from klantwaarde.workbook.style_cache import StyleCache

CHART_THEMES = 12  # the themes named most, in the chart
HEAD_ROWS = 4  # title, banner, subtitle, a gap


@dataclass
class PortfolioContext:
    portfolio: Portfolio
    texts: Texts
    names: dict[str, str]  # sheet key -> sheet name
    styles: StyleCache = field(default_factory=StyleCache)

    @property
    def lang(self) -> str:
        return self.texts.lang

    def t(self, key: str, **values: Any) -> str:
        return self.texts(f"portfolio.{key}", **values)

    def date_text(self, value: dt.date) -> str:
        return value.strftime("%d-%m-%Y" if self.lang == "nl" else "%Y-%m-%d")

    @property
    def dash(self) -> str:
        return self.texts("disclosure.dash")

    def value(self, figure: float | int | None) -> object:
        """A figure as a cell shows it: the number, or the dash (withheld or not measured)."""
        if figure is None or (isinstance(figure, float) and not math.isfinite(figure)):
            return self.dash
        return figure


class PortfolioSheet(TableSheet[PortfolioContext]):
    def page_texts(self) -> PageTexts:
        ctx = self.ctx
        return PageTexts(
            header_left=ctx.t("title"),
            header_center=ctx.t("banner"),
            footer_left=ctx.portfolio.supplier,
            footer_center=ctx.t("footer_page", page=PageTexts.PAGE, pages=PageTexts.PAGES),
            footer_right=ctx.t("footer_date", date=ctx.date_text(ctx.portfolio.today)),
        )

    def head(self, title: str, subtitle: str, last_col: int) -> int:
        """Title, the internal banner and a line below them; returns the first free row."""
        self.put(1, 1, title, styles.TITLE_CELL)
        self.ws.row_dimensions[1].height = 30
        self.put(2, 1, self.ctx.t("banner"), styles.BANNER_CELL)
        self.note(3, subtitle, last_col)
        return HEAD_ROWS + 1

    def labels(self, row: int, prefix: str, keys: Sequence[str], centered_from: int = 99) -> int:
        return self.header(row, [self.ctx.t(f"{prefix}.{key}") for key in keys], centered_from=centered_from)


@dataclass(frozen=True)
class SheetSpec:
    key: str
    build: Callable[[PortfolioSheet], None]
    streamed: bool = False


def _subtitle(ctx: PortfolioContext) -> str:
    p = ctx.portfolio
    return ctx.t("subtitle", date=ctx.date_text(p.today), clients=len(p.clients), problems=len(p.problems))


# ---------------------------------------------------------------------------------------------
# 1 Overzicht


OVERVIEW_COLUMNS = (
    "client", "code", "account_manager", "period", "overall", "swing", "target", "change", "nps",
    "nps_n", "nps_change", "response", "kwis_below", "open_actions", "overdue_actions",
    "session_date", "age_days", "attention",
)  # fmt: skip
OVERVIEW_WIDTHS = (30, 10, 20, 9, 11, 8, 7, 13, 7, 5, 12, 9, 11, 8, 8, 11, 10, 34)


def overview(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    last_col = len(OVERVIEW_COLUMNS)
    sheet.widths(*OVERVIEW_WIDTHS)
    header = sheet.head(ctx.t("overview.title"), _subtitle(ctx), 12)
    sheet.labels(header, "overview.columns", OVERVIEW_COLUMNS, centered_from=3)
    sheet.freeze(header + 1, 3)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
    row = header + 1
    of = ctx.t("overview.of")
    for c in p.clients:
        _overview_row(sheet, row, c, of)
        row += 1
    last = row - 1
    if p.clients:
        first = header + 1

        def rule(col: int, condition: str, fill: styles.Fill, font: styles.Font) -> None:
            ref = f"{metrics.column_letter(col)}{first}"
            cells = f"{ref}:{metrics.column_letter(col)}{last}"
            sheet.mark_cells(cells, condition.format(ref=ref, target=f"G{first}"), fill, font)

        rule(
            5, "AND(ISNUMBER({ref}),ISNUMBER({target}),{ref}<{target})", styles.BELOW_FILL, styles.BELOW_FONT
        )
        rule(13, "AND(ISNUMBER({ref}),{ref}>0)", styles.BELOW_FILL, styles.BELOW_FONT)
        rule(15, "AND(ISNUMBER({ref}),{ref}>0)", styles.OVERDUE_FILL, styles.OVERDUE_MARK_FONT)
        overdue_age = f"AND(ISNUMBER({{ref}}),{{ref}}>{OLD_MONITOR_DAYS})"
        rule(17, overdue_age, styles.OVERDUE_FILL, styles.OVERDUE_MARK_FONT)
        sheet.autofilter(header, last, last_col)
    else:
        row = sheet.note(row, ctx.t("overview.none"), 12)
    row += 1
    notes = (
        ctx.t("overview.notes.order", date=ctx.date_text(p.today), days=OLD_MONITOR_DAYS),
        ctx.t("overview.notes.change"),
        ctx.t("overview.notes.figures"),
    )
    for text in notes:
        row = sheet.note(row, text, 12)


def _overview_row(sheet: PortfolioSheet, row: int, c: Client, of: str) -> None:
    ctx = sheet.ctx
    value = ctx.value
    sheet.put(row, 1, c.client, styles.WRAPPED)
    sheet.put(row, 2, c.code)
    sheet.put(row, 3, c.account_manager, styles.WRAPPED)
    sheet.put(row, 4, c.period, styles.CENTERED)
    sheet.put(row, 5, value(c.overall), styles.SCORE_CELL)
    sheet.put(row, 6, value(c.overall_swing), styles.SWING_CELL)
    sheet.put(row, 7, value(c.target), styles.SCORE_CELL)
    _change(sheet, row, 8, c.overall_change, 2)
    sheet.put(row, 9, value(c.nps), styles.NPS_CELL)
    sheet.put(row, 10, value(c.nps_n), styles.COUNT_CELL)
    _change(sheet, row, 11, c.nps_change, 0)
    sheet.put(row, 12, value(c.response), styles.PERCENT_CELL)
    if c.kwis_scored:
        sheet.put(row, 13, c.kwis_below, styles.count_of(c.kwis_scored, of))
    else:
        sheet.put(row, 13, ctx.dash, styles.COUNT_CELL)
    sheet.put(row, 14, c.open_actions, styles.COUNT_CELL)
    sheet.put(row, 15, c.overdue_actions, styles.COUNT_CELL)
    sheet.date(row, 16, c.session_date)
    sheet.put(row, 17, value(c.age_days), styles.COUNT_CELL)
    attention = attention_text(c, ctx.texts)
    sheet.put(row, 18, attention, styles.WRAPPED)
    sheet.fit_row(row, {1: c.client, 3: c.account_manager, 18: attention})


def _change(sheet: PortfolioSheet, row: int, col: int, change: Any, decimals: int) -> None:
    if change is None:
        sheet.put(row, col, sheet.ctx.dash, styles.NPS_CELL)
        return
    sheet.put(row, col, change.delta, styles.change_cell(change.mark, decimals))


# ---------------------------------------------------------------------------------------------
# 2 Trend


TREND_ROWS = ("clients", "mean_overall", "scored", "nps", "nps_n", "response", "returned", "asked")
TREND_STYLES = {
    "clients": styles.COUNT_CELL,
    "mean_overall": styles.SCORE_CELL,
    "scored": styles.COUNT_CELL,
    "nps": styles.NPS_CELL,
    "nps_n": styles.COUNT_CELL,
    "response": styles.PERCENT_CELL,
    "returned": styles.COUNT_CELL,
    "asked": styles.COUNT_CELL,
}


def trend(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    periods = p.trend
    sheet.widths(34, *([11] * max(len(periods), 6)))
    header = sheet.head(ctx.t("trend.title"), ctx.t("trend.note"), max(1 + len(periods), 7))
    sheet.header(header, [ctx.t("trend.label"), *[t.period for t in periods]], centered_from=1)
    row = header + 1
    rows: dict[str, int] = {}
    for key in TREND_ROWS:
        rows[key] = row
        sheet.put(
            row, 1, ctx.t(f"trend.rows.{key}"), styles.TOTAL_CELL if key == "mean_overall" else styles.PLAIN
        )
        for offset, period in enumerate(periods):
            figure: float | int | None = {
                "clients": period.clients,
                "mean_overall": period.mean_overall,
                "scored": period.scored,
                "nps": period.nps,
                "nps_n": period.nps_n,
                "response": period.response,
                "returned": period.returned,
                "asked": period.asked,
            }[key]
            style = styles.TOTAL_SCORE if key == "mean_overall" else TREND_STYLES[key]
            sheet.put(row, 2 + offset, ctx.value(figure), style)
        row += 1
    sheet.freeze(header + 1, 2)
    sheet.print_setup(landscape=True, one_page=True)
    row += 1
    if len(periods) < 2:
        only = periods[0].period if periods else ""
        sheet.put(row, 1, ctx.t("trend.single_period", period=only), styles.HEADING_CELL)
        return
    categories = charts.Cells(header, 2, header, 1 + len(periods))
    means = [t.mean_overall for t in periods if t.mean_overall is not None]
    charts.add_chart(
        sheet.ws,
        charts.Lines(
            title=ctx.t("trend.chart_overall"),
            data=charts.Cells(rows["mean_overall"], 1, rows["mean_overall"], 1 + len(periods)),
            categories=categories,
            anchor=f"A{row}",
            width=17,
            height=9,
            y_axis=charts.grade_axis(
                ctx.t("trend.axis_grade"), max(0, math.floor(min(means, default=6)) - 1)
            ),
            x_axis=charts.Axis(ctx.t("trend.axis_period")),
            lines=(charts.Line(styles.SCORE_COLOUR, width=2.5),),
        ),
    )
    charts.add_chart(
        sheet.ws,
        charts.Lines(
            title=ctx.t("trend.chart_nps"),
            data=charts.Cells(rows["nps"], 1, rows["nps"], 1 + len(periods)),
            categories=categories,
            anchor=f"A{row + 19}",
            width=17,
            height=9,
            y_axis=charts.Axis("NPS", -100, 100, 25, styles.NPS),
            x_axis=charts.Axis(ctx.t("trend.axis_period")),
            lines=(charts.Line(styles.PROMOTER_COLOUR, width=2.5),),
        ),
    )


# ---------------------------------------------------------------------------------------------
# 3 Thema's


THEME_COLUMNS = ("theme", "listed", "clients", "kwis", "mean", "below", "titles")


def themes(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    sheet.widths(28, 13, 9, 8, 11, 11, 40)
    header = sheet.head(ctx.t("themes.title"), ctx.t("themes.note"), 7)
    sheet.labels(header, "themes.columns", THEME_COLUMNS, centered_from=1)
    sheet.freeze(header + 1, 2)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
    row = header + 1
    for theme in p.themes:
        _theme_row(sheet, row, theme)
        row += 1
    last = row - 1
    if not p.themes:
        sheet.note(row, ctx.t("themes.none"), 7)
        return
    sheet.mark_cells(
        f"F{header + 1}:F{last}",
        f"AND(ISNUMBER(F{header + 1}),F{header + 1}>0)",
        styles.BELOW_FILL,
        styles.BELOW_FONT,
    )
    sheet.autofilter(header, last, len(THEME_COLUMNS))
    shown = min(CHART_THEMES, len(p.themes))
    charts.add_chart(
        sheet.ws,
        charts.ClusteredColumns(
            title=ctx.t("themes.chart_title", n=shown),
            data=charts.Cells(header, 5, header + shown, 5),
            categories=charts.Cells(header + 1, 1, header + shown, 1),
            anchor=f"H{header}",
            width=17,
            height=max(7.0, 1.0 + 0.75 * shown),
            y_axis=charts.grade_axis(ctx.t("themes.axis_grade"), 0),
            colours=(styles.SCORE_COLOUR,),
            labelled=(0,),
            gap_width=60,
            horizontal=True,
        ),
    )


def _theme_row(sheet: PortfolioSheet, row: int, theme: ThemeRow) -> None:
    ctx = sheet.ctx
    titles = ", ".join(theme.titles)
    sheet.put(row, 1, theme.name, styles.WRAPPED)
    sheet.put(row, 2, ctx.t("yes") if theme.theme.listed else ctx.dash, styles.CENTERED)
    sheet.put(row, 3, theme.clients, styles.COUNT_CELL)
    sheet.put(row, 4, theme.kwis, styles.COUNT_CELL)
    sheet.put(row, 5, ctx.value(theme.mean), styles.SCORE_CELL)
    sheet.put(row, 6, theme.below, styles.COUNT_CELL)
    sheet.put(row, 7, titles, styles.WRAPPED)
    sheet.fit_row(row, {1: theme.name, 7: titles})


# ---------------------------------------------------------------------------------------------
# 4 Standaardvragen


STANDARD_COLUMNS = ("client", "code", "period", "active", "n", "difference", "agreements", "n", "difference")


def standard(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    sheet.widths(30, 10, 9, 15, 6, 13, 15, 6, 13)
    row = sheet.head(ctx.t("standard.title"), ctx.t("standard.note"), 9)
    supplier = p.supplier or ctx.t("title")
    for number, kind in enumerate(("active", "agreements"), start=1):
        text = ctx.texts(f"standard.{kind}").format_map({"leverancier": supplier, "supplier": supplier})
        sheet.put(row, 1, f"{number}. {ctx.t(f'standard.columns.{kind}')}: {text}", styles.VALUE_CELL)
        row += 1
    row += 1
    benchmark = row
    sheet.put(benchmark, 1, ctx.t("standard.benchmark"), styles.TOTAL_CELL)
    for col in (2, 3, 5, 6, 8, 9):
        sheet.put(benchmark, col, None, styles.TOTAL_CELL)
    sheet.put(benchmark, 4, ctx.value(p.benchmark["active"]), styles.TOTAL_SCORE)
    sheet.put(benchmark, 7, ctx.value(p.benchmark["agreements"]), styles.TOTAL_SCORE)
    header = benchmark + 1
    sheet.labels(header, "standard.columns", STANDARD_COLUMNS, centered_from=3)
    sheet.freeze(header + 1, 2)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
    ordered = sorted(
        p.clients,
        key=lambda c: (
            c.standard["active"].mean is None,
            c.standard["active"].mean or 0.0,
            c.client.casefold(),
        ),
    )
    row = header + 1
    for c in ordered:
        sheet.put(row, 1, c.client, styles.WRAPPED)
        sheet.put(row, 2, c.code)
        sheet.put(row, 3, c.period, styles.CENTERED)
        for col, kind in ((4, "active"), (7, "agreements")):
            found = c.standard[kind]
            mark = p.benchmark[kind]
            difference = found.mean - mark if found.mean is not None and mark is not None else None
            sheet.put(row, col, ctx.value(found.mean), styles.SCORE_CELL)
            sheet.put(row, col + 1, found.n if found.mean is not None else ctx.dash, styles.COUNT_CELL)
            sheet.put(row, col + 2, ctx.value(difference), styles.DIFF_CELL)
        row += 1
    last = row - 1
    if ordered:
        for letter in ("F", "I"):
            ref = f"{letter}{header + 1}"
            sheet.mark_cells(
                f"{ref}:{letter}{last}", f"AND(ISNUMBER({ref}),{ref}<0)", styles.BELOW_FILL, styles.BELOW_FONT
            )
        sheet.autofilter(header, last, len(STANDARD_COLUMNS))


# ---------------------------------------------------------------------------------------------
# 5 Acties


ACTION_COLUMNS = (
    "deadline",
    "client",
    "code",
    "number",
    "kwi",
    "description",
    "owner",
    "status",
    "days_overdue",
)


def actions(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    sheet.widths(12, 26, 10, 9, 24, 50, 9, 11, 10)
    header = sheet.head(ctx.t("actions.title"), ctx.t("actions.note", date=ctx.date_text(p.today)), 9)
    sheet.labels(header, "actions.columns", ACTION_COLUMNS, centered_from=6)
    items: list[OpenAction | None] = list(p.actions) or [None]

    def write(row: int, item: OpenAction | None) -> None:
        if item is None:
            sheet.put(row, 1, ctx.t("actions.none"), styles.NOTE_CELL)
            return
        c, a = item.client, item.action
        kwi = f"{a.kwi} · {a.kwi_title}" if a.kwi_title else a.kwi
        status_key = f"portfolio.status.{a.status}"
        sheet.date(row, 1, a.deadline)
        sheet.put(row, 2, c.client, styles.WRAPPED)
        sheet.put(row, 3, c.code)
        sheet.put(row, 4, a.number)
        sheet.put(row, 5, kwi, styles.WRAPPED)
        sheet.put(row, 6, a.description, styles.WRAPPED)
        sheet.put(row, 7, a.owner, styles.CENTERED)
        sheet.put(row, 8, ctx.texts(status_key) if ctx.texts.has(status_key) else a.status, styles.CENTERED)
        sheet.put(row, 9, a.days_overdue, styles.COUNT_CELL)
        if a.overdue:
            for col in range(1, len(ACTION_COLUMNS) + 1):
                sheet.restyle(row, col, styles.OVERDUE_ROW)
            for col in (1, 9):
                sheet.restyle(row, col, styles.OVERDUE_DATE)
        sheet.fit_row(row, {2: c.client, 5: kwi, 6: a.description})

    sheet.streamed_table(header, items, len(ACTION_COLUMNS), write)


# ---------------------------------------------------------------------------------------------
# 6 Accountmanagers


MANAGER_COLUMNS = ("name", "clients", "mean_overall", "below_target", "open_actions", "overdue_actions")


def managers(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    sheet.widths(30, 10, 14, 13, 11, 12)
    header = sheet.head(ctx.t("managers.title"), _subtitle(ctx), 6)
    sheet.labels(header, "managers.columns", MANAGER_COLUMNS, centered_from=1)
    sheet.freeze(header + 1, 2)
    sheet.print_setup(landscape=False, title_rows=f"{header}:{header}")
    row = header + 1
    for manager in p.managers:
        _manager_row(sheet, row, manager)
        row += 1
    last = row - 1
    if p.managers:
        first = header + 1
        sheet.mark_cells(
            f"D{first}:D{last}", f"AND(ISNUMBER(D{first}),D{first}>0)", styles.BELOW_FILL, styles.BELOW_FONT
        )
        sheet.mark_cells(
            f"F{first}:F{last}",
            f"AND(ISNUMBER(F{first}),F{first}>0)",
            styles.OVERDUE_FILL,
            styles.OVERDUE_MARK_FONT,
        )
        sheet.autofilter(header, last, len(MANAGER_COLUMNS))


def _manager_row(sheet: PortfolioSheet, row: int, manager: ManagerRow) -> None:
    ctx = sheet.ctx
    sheet.put(row, 1, manager.name or ctx.t("no_manager"), styles.WRAPPED)
    sheet.put(row, 2, manager.clients, styles.COUNT_CELL)
    sheet.put(row, 3, ctx.value(manager.mean_overall), styles.SCORE_CELL)
    sheet.put(row, 4, manager.below_target, styles.COUNT_CELL)
    sheet.put(row, 5, manager.open_actions, styles.COUNT_CELL)
    sheet.put(row, 6, manager.overdue_actions, styles.COUNT_CELL)


# ---------------------------------------------------------------------------------------------
# 7 Meldingen


def problems(sheet: PortfolioSheet) -> None:
    ctx, p = sheet.ctx, sheet.ctx.portfolio
    texts = ctx.texts
    sheet.widths(34, 14, 90)
    header = sheet.head(ctx.t("problems.title"), _subtitle(ctx), 3)
    sheet.labels(header, "problems.columns", ("folder", "severity", "message"))
    ordered: list[Problem] = sorted(p.problems, key=lambda f: 0 if f.is_error else 1)
    items: list[Problem | None] = list(ordered) or [None]

    def write(row: int, found: Problem | None) -> None:
        if found is None:
            sheet.put(row, 1, ctx.t("problems.none"), styles.NOTE_CELL)
            return
        message = texts.message(found)
        sheet.put(row, 1, found.location.file, styles.WRAPPED)
        sheet.put(row, 2, texts.severity(found), styles.ERROR_CELL if found.is_error else styles.WARNING_CELL)
        sheet.put(row, 3, message, styles.WRAPPED)
        sheet.fit_row(row, {1: found.location.file, 3: message})

    sheet.streamed_table(header, items, 3, write)


SHEETS: tuple[SheetSpec, ...] = (  # SPEC 3.8, in this order
    SheetSpec("overview", overview),
    SheetSpec("trend", trend),
    SheetSpec("themes", themes),
    SheetSpec("standard", standard),
    SheetSpec("actions", actions, streamed=True),
    SheetSpec("managers", managers),
    SheetSpec("problems", problems, streamed=True),
)


def sheet_names(texts: Texts) -> dict[str, str]:
    return sheet_names_for(SHEETS, texts, "portfolio.sheets")


def build_portfolio_workbook(portfolio: Portfolio, texts: Texts, now: dt.datetime) -> Workbook:
    """The portfolio as a write-only workbook, not yet saved (it can be saved once)."""
    ctx = PortfolioContext(portfolio, texts, sheet_names(texts))
    workbook = Workbook(write_only=True)
    for spec in SHEETS:
        sheet = PortfolioSheet(workbook.create_sheet(ctx.names[spec.key]), ctx, streamed=spec.streamed)
        sheet.ws.sheet_view.showGridLines = False
        spec.build(sheet)
        sheet.flush()
    workbook.active = 0
    props = workbook.properties
    props.creator = props.lastModifiedBy = "kwm"
    props.title = f"{texts('portfolio.title')} {portfolio.today.isoformat()}"
    props.created = props.modified = now
    return workbook


def write_portfolio(portfolio: Portfolio, texts: Texts, target: Path, now: dt.datetime) -> Path:
    """Write the portfolio workbook to ``target`` (a temporary file first, then moved into place)."""
    workbook = build_portfolio_workbook(portfolio, texts, now)
    try:
        return atomic_save(workbook, target)
    finally:
        compat.discard_streams(workbook)


__all__ = ["SHEETS", "build_portfolio_workbook", "sheet_names", "write_portfolio"]
