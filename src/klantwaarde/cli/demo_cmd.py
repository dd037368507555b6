"""`kwm demo` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("demo", help=texts("cli.commands.demo.help"))
    def command() -> None:
        raise typer.Exit(2)
