"""``kwm portfolio``: all client folders at a glance, in an internal workbook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from klantwaarde.cli.common import (
    chosen_lang,
    counted_progress,
    decimal,
    json_option,
    lang_option,
    print_json,
    render_problems,
    stderr_console,
    stop_on_kwm_error,
    texts_for,
)
from klantwaarde.texts import Texts

if TYPE_CHECKING:
    from klantwaarde.api.portfolio import PortfolioResult

SHOWN_CLIENTS = 10  # the terminal lists the clients needing attention most; the workbook all


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command(
        "portfolio", help=texts("portfolio.cli.help"), short_help=texts("cli.commands.portfolio.help")
    )
    def portfolio_command(
        ctx: typer.Context,
        folder: list[Path] | None = typer.Argument(
            None, help=texts("portfolio.cli.folder"), show_default=False
        ),
        out: Path | None = typer.Option(
            None, "--out", "-o", help=texts("portfolio.cli.out"), show_default=False
        ),
        csv: Path | None = typer.Option(None, "--csv", help=texts("portfolio.cli.csv"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.portfolio import make_portfolio

        shown = texts_for(chosen_lang(ctx, lang))
        console = stderr_console()
        with (
            stop_on_kwm_error(shown, as_json),
            counted_progress(console, shown("portfolio.cli.reading"), as_json, time_left=True) as progress,
        ):
            result = make_portfolio(folder or (), out=out, csv_dir=csv, lang=shown.lang, progress=progress)
        if as_json:
            print_json(result.to_json(result.texts))
            return
        _summary(result, result.texts)


def _summary(result: PortfolioResult, texts: Texts) -> None:
    """The clients needing attention most (as the Overzicht orders them), the client folders that
    could not be used, where the portfolio is; and that it is internal."""
    from klantwaarde.portfolio.csv_tables import attention_text

    console = stderr_console()
    clients = result.clients
    if clients:
        table = Table(title=texts("portfolio.cli.table_title"))
        keys = ("code", "client", "period", "overall", "change", "nps", "overdue_actions", "attention")
        for key in keys:
            right = key in ("overall", "change", "nps", "overdue_actions")
            table.add_column(texts(f"portfolio.overview.columns.{key}"), justify="right" if right else "left")
        for c in clients[:SHOWN_CLIENTS]:
            change = c.overall_change
            mark = Text(f"{change.mark} {decimal(change.delta, texts)}" if change else "–")
            if change is not None and not change.within_noise:
                mark.stylize("green" if change.delta > 0 else "red")
            nps = "–" if c.nps is None else f"{c.nps:+.0f}" if round(c.nps) else "0"
            table.add_row(
                Text(c.code),
                Text(c.client),
                Text(c.period),
                decimal(c.overall, texts),
                mark,
                nps,
                str(c.overdue_actions),
                Text(attention_text(c, texts)),
            )
        console.print(table)
        if len(clients) > SHOWN_CLIENTS:
            console.print(texts("portfolio.cli.more", n=len(clients) - SHOWN_CLIENTS), markup=False)
    render_problems(result.problems, texts, console)
    console.print(texts("portfolio.cli.counted", clients=len(clients), problems=len(result.problems)))
    console.print(texts("portfolio.cli.written", path=str(result.output)), markup=False, soft_wrap=True)
    if result.csv_files:
        folder = result.csv_files[0].parent
        console.print(texts("portfolio.cli.csv_written", path=str(folder)), markup=False, soft_wrap=True)
    console.print(texts("portfolio.cli.internal"), style="bold red", markup=False)
