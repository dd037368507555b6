"""`kwm init` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("init", help=texts("cli.commands.init.help"))
    def command() -> None:
        raise typer.Exit(2)
