"""``kwm demo``: the whole cycle on the bundled example."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import decimal, stderr_console, stop_on_kwm_error, texts_for
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("demo", help=texts("cli.commands.demo.help"))
    def demo_command(
        folder: Path | None = typer.Argument(None, help=texts("cli.demo.folder"), show_default=False),
        lang: str | None = typer.Option(None, "--lang", help=texts("cli.demo.lang"), show_default=False),
    ) -> None:
        from klantwaarde.api.demo import demo

        shown = texts_for(lang)
        console = stderr_console()
        with stop_on_kwm_error(shown):
            with console.status(shown("cli.demo.running")):
                result = demo(folder, lang=lang)
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
        console.print(shown("cli.demo.a3", path=str(result.a3)))
        console.print(shown("cli.demo.next"))
        typer.echo(str(result.monitor))
