"""``kwm init DIR``: write a new base workbook with explanations and example rows."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import chosen_lang, json_option, pasteable, print_json, run, texts_for
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("init", help=texts("cli.commands.init.help"))
    def init_command(
        ctx: typer.Context,
        folder: Path = typer.Argument(Path("."), help=texts("init.dir"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = typer.Option(None, "--lang", help=texts("init.lang"), show_default=False),
    ) -> None:
        from klantwaarde.api.init import init
        from klantwaarde.layout import BASE_NAME

        shown = texts_for(chosen_lang(ctx, lang), folder / BASE_NAME)
        result = run(shown, as_json, lambda: init(folder, shown.lang))
        if as_json:
            print_json(result.to_json(shown))
            return
        typer.echo(shown("init.written", path=str(result.path)))
        typer.echo(shown("init.next", path=pasteable(result.path)))
