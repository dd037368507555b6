"""``kwm a3``: write the internal A3 account plan and say where it is."""

from __future__ import annotations

from pathlib import Path

import typer

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
    @app.command("a3", help=texts("a3.cli.help"), short_help=texts("cli.commands.a3.help"))
    def a3_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        monitor: Path | None = typer.Option(
            None, "--monitor", "-m", help=texts("a3.cli.monitor"), show_default=False
        ),
        out: Path | None = typer.Option(None, "--out", "-o", help=texts("a3.cli.out"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.a3 import make_a3

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: make_a3(base, monitor=monitor, out=out, lang=lang))
        shown = result.texts
        if as_json:
            print_json(result.to_json(shown))
            return
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
