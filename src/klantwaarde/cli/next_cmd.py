"""``kwm next``: archive the base in its period folder and start the next cycle."""

from __future__ import annotations

from pathlib import Path

import typer

from klantwaarde.cli.common import lang_option, render_problems, stdout_console, stop_on_kwm_error, texts_for
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("next", help=texts("cli.commands.next.help"))
    def next_command(
        base: Path = typer.Argument(..., help=texts("cli.options.base"), show_default=False),
        period: str = typer.Option(..., "--period", "-p", help=texts("cycle.cli.period"), show_default=False),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.next import next_cycle

        shown = texts_for(lang, base)
        with stop_on_kwm_error(shown):
            result = next_cycle(base, period)
        if lang is None and result.language != shown.lang:
            shown = texts_for(result.language, base)
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
        console.print(shown("cycle.next.then", period=result.new_period, base=str(result.base_path)))
