"""`kwm a3` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("a3", help=texts("cli.commands.a3.help"))
    def command() -> None:
        raise typer.Exit(2)
