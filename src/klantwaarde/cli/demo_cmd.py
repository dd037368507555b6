"""``kwm demo``: the whole cycle on the bundled example."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import (
    chosen_lang,
    decimal,
    json_option,
    print_json,
    run,
    stderr_console,
    texts_for,
)
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("demo", help=texts("cli.commands.demo.help"))
    def demo_command(
        ctx: typer.Context,
        folder: Path | None = typer.Argument(None, help=texts("cli.demo.folder"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = typer.Option(None, "--lang", help=texts("cli.demo.lang"), show_default=False),
    ) -> None:
        from klantwaarde.api.demo import demo

        lang = chosen_lang(ctx, lang)
        shown = texts_for(lang)
        console = stderr_console()
        if as_json:
            result = run(shown, as_json, lambda: demo(folder, lang=lang))
            print_json(result.to_json(shown))
            return
        with console.status(shown("cli.demo.running")):
            result = run(shown, as_json, lambda: demo(folder, lang=lang))
        overall = decimal(result.overall, shown)
        console.print(shown("cli.demo.done", folder=str(result.folder)))
        console.print(shown("cli.demo.questionnaires", path=str(result.questionnaires)))
        console.print(
            shown(
                "cli.demo.monitor",
                path=str(result.monitor),
                overall=overall,
                returned=result.returned,
                asked=result.asked,
                periods=", ".join(result.periods),
            )
        )
        if result.internal:
            console.print(shown("cli.demo.internal", path=str(result.internal)))
        console.print(shown("cli.demo.a3", path=str(result.a3)))
        console.print(shown("deck.cli.demo", path=str(result.deck)))
        console.print(shown("cli.demo.plan", path=str(result.planning)))
        if result.portfolio is not None:  # issue 20
            console.print(shown("portfolio.demo", path=str(result.portfolio)), markup=False, soft_wrap=True)
        console.print(shown("cli.demo.next"))
        typer.echo(str(result.monitor))
