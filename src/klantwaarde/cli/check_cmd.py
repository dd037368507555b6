"""``kwm check BASE``: validate the base workbook and show every problem at once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

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
    stderr_console,
    texts_for,
    verdict,
)
from klantwaarde.texts import Texts


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("check", help=texts("cli.commands.check.help"))
    def check_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.check import check_base

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        if lang is not None:
            texts_for(lang, base)  # an unknown language is a usage error (exit 2) before any work
        result = run(texts_for(lang), as_json, lambda: check_base(base))
        shown = texts_for(lang, base, fallback=result.language or "nl")
        if as_json:
            # nothing but the JSON, on stdout; the exit code says whether the base can be used
            print_json(result.to_json(shown, str(base)))
            raise typer.Exit(0 if result.ok else 1)
        errors = stderr_console()
        if result.base is None and len(result.problems) == 1 and not result.problems[0].location.sheet:
            # The file itself cannot be read (missing, not a workbook, encrypted): one clear line.
            found = result.problems[0]
            errors.print(
                Text.assemble((shown.severity(found), "bold red"), f": {base.name}: {shown.message(found)}"),
                soft_wrap=True,
            )
            raise typer.Exit(1)
        render_problems(result.problems, shown, errors)
        line = shown("check.verdict", file=base.name, verdict=verdict(result.problems, shown))
        if result.base is not None:
            settings, found_base = result.base.settings, result.base
            typer.echo(
                shown(
                    "check.summary",
                    file=base.name,
                    client=settings.client,
                    client_code=settings.client_code,
                    period=settings.period,
                    respondents=len(found_base.respondents),
                    kwis=len(found_base.kwis),
                    questions=len(found_base.questions),
                    actions=len(found_base.actions),
                )
            )
        typer.echo(line)
        if result.ok:
            typer.echo(shown("check.next", file=pasteable(base)))
        raise typer.Exit(0 if result.ok else 1)
