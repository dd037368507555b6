"""``kwm plan``: write the cycle's calendar file and list its events."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from klantwaarde.cli.common import (
    base_argument,
    base_file,
    chosen_lang,
    json_option,
    lang_option,
    print_json,
    render_problems,
    run,
    stdout_console,
    texts_for,
)
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("plan", help=texts("plan.cli.help"), short_help=texts("cli.commands.plan.help"))
    def plan_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        out: Path | None = typer.Option(None, "--out", "-o", help=texts("plan.cli.out"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.plan import plan
        from klantwaarde.mail import long_date

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: plan(base, out, lang=lang))
        shown = result.texts
        if as_json:
            print_json(result.to_json(shown))
            return
        render_problems(result.problems, shown)
        settings = result.base.settings
        table = Table(title=shown("plan.cli.title", code=settings.client_code, period=settings.period))
        table.add_column(shown("plan.cli.columns.date"), no_wrap=True)
        table.add_column(shown("plan.cli.columns.event"), overflow="fold")
        for event in result.events:
            table.add_row(Text(long_date(event.day, shown)), Text(event.summary))
        console = stdout_console()
        console.print(table)
        console.print(shown("plan.cli.written", path=str(result.path)), markup=False, soft_wrap=True)
        console.print(shown("plan.cli.import"), markup=False, soft_wrap=True)
