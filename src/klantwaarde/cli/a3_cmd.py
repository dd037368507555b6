"""``kwm a3``: write the internal A3 account plan and say where it is."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import lang_option, render_problems, stdout_console, stop_on_kwm_error, texts_for
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("a3", help=texts("a3.cli.help"), short_help=texts("cli.commands.a3.help"))
    def a3_command(
        base: Path = typer.Argument(..., help=texts("cli.options.base"), show_default=False),
        monitor: Path | None = typer.Option(
            None, "--monitor", "-m", help=texts("a3.cli.monitor"), show_default=False
        ),
        out: Path | None = typer.Option(None, "--out", "-o", help=texts("a3.cli.out"), show_default=False),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.a3 import make_a3

        shown = texts_for(lang, base)
        with stop_on_kwm_error(shown):
            result = make_a3(base, monitor=monitor, out=out, lang=lang)
        shown = result.texts
        render_problems(result.problems, shown)
        console = stdout_console()
        console.print(shown("a3.cli.written", path=str(result.path)), markup=False, soft_wrap=True)
        if result.monitor is not None:
            line = shown("a3.cli.with_monitor", period=result.monitor_period, path=str(result.monitor))
        elif result.monitor_tried is not None:
            line = shown("a3.cli.monitor_not_used", path=str(result.monitor_tried))
        else:
            line = shown("a3.cli.without_monitor")
        console.print(line, markup=False, soft_wrap=True)
        console.print(shown("a3.cli.internal"), style="bold red", markup=False, soft_wrap=True)
