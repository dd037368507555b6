"""`kwm check` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("check", help=texts("cli.commands.check.help"))
    def command() -> None:
        raise typer.Exit(2)
