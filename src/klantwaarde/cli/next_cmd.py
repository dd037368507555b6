"""``kwm next``: archive the base in its period folder and start the next cycle."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import (
    base_argument,
    base_file,
    chosen_lang,
    json_option,
    lang_option,
    pasteable,
    print_json,
    render_problems,
    run,
    stdout_console,
    texts_for,
)
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("next", help=texts("cli.commands.next.help"))
    def next_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        period: str = typer.Option(..., "--period", "-p", help=texts("cycle.cli.period"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.next import next_cycle

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: next_cycle(base, period))
        if lang is None and result.language != shown.lang:
            shown = texts_for(result.language, base)
        if as_json:
            print_json(result.to_json(shown))
            return
        console = stdout_console()
        render_problems(result.problems, shown)
        key = "cycle.next.archived" if result.archived else "cycle.next.archive_present"
        console.print(shown(key, period=result.old_period, path=str(result.archive_path)))
        console.print(shown("cycle.next.written", period=result.new_period, path=str(result.base_path)))
        none = shown("cycle.none")
        console.print(
            shown(
                "cycle.next.actions_kept",
                n=len(result.kept_actions),
                numbers=", ".join(result.kept_actions) or none,
            )
        )
        if result.dropped_actions:
            console.print(
                shown(
                    "cycle.next.actions_dropped",
                    n=len(result.dropped_actions),
                    numbers=", ".join(result.dropped_actions),
                )
            )
        console.print(shown("cycle.next.then", period=result.new_period, base=pasteable(result.base_path)))
