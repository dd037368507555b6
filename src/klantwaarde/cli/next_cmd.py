"""`kwm next` (placeholder until implemented)."""

from __future__ import annotations

import typer

from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("next", help=texts("cli.commands.next.help"))
    def command() -> None:
        raise typer.Exit(2)
