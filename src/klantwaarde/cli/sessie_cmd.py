"""``kwm sessie``: write the deck for the klantwaardesessie and say where it is."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import (
    base_argument,
    base_file,
    chosen_lang,
    json_option,
    lang_option,
    print_json,
    render_problems,
    run,
    stdout_console,
    texts_for,
)
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("sessie", help=texts("deck.cli.help"), short_help=texts("cli.commands.sessie.help"))
    def sessie_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        monitor: Path | None = typer.Option(
            None, "--monitor", "-m", help=texts("deck.cli.monitor"), show_default=False
        ),
        out: Path | None = typer.Option(None, "--out", "-o", help=texts("deck.cli.out"), show_default=False),
        pdf: bool = typer.Option(False, "--pdf", help=texts("deck.cli.pdf")),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.sessie import make_deck

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: make_deck(base, monitor=monitor, out=out, lang=lang, pdf=pdf))
        shown = result.texts
        if as_json:
            print_json(result.to_json(shown))
            return
        render_problems(result.problems, shown)
        console = stdout_console()
        console.print(shown("deck.cli.written", path=str(result.path), slides=result.slides), markup=False)
        console.print(
            shown("deck.cli.from_monitor", path=str(result.monitor), period=result.period), markup=False
        )
        if result.pdf is not None:
            console.print(shown("deck.cli.pdf_written", path=str(result.pdf)), markup=False)
        elif not pdf:
            console.print(shown("deck.cli.pdf_hint"), markup=False)
