"""``kwm init DIR``: write a new base workbook with explanations and example rows."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.check_cmd import global_lang
from klantwaarde.cli.common import stop_on_kwm_error, texts_for
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("init", help=texts("cli.commands.init.help"))
    def init_command(
        ctx: typer.Context,
        folder: Path = typer.Argument(Path("."), help=texts("init.dir"), show_default=False),
        lang: str | None = typer.Option(None, "--lang", help=texts("init.lang"), show_default=False),
    ) -> None:
        from klantwaarde.api.init import init_base
        from klantwaarde.workbook.template import BASE_NAME

        shown = texts_for(lang or global_lang(ctx), folder / BASE_NAME)
        with stop_on_kwm_error(shown):
            path = init_base(folder, shown.lang)
        typer.echo(shown("init.written", path=str(path)))
        typer.echo(shown("init.next", path=str(path)))
