"""`kwm generate` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("generate", help=texts("cli.commands.generate.help"))
    def command() -> None:
        raise typer.Exit(2)
