"""``kwm check BASE``: validate the base workbook and show every problem at once."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.text import Text

from klantwaarde.cli.common import (
    json_option,
    lang_option,
    print_json,
    render_problems,
    stderr_console,
    texts_for,
    verdict,
)
from klantwaarde.texts import Texts


def global_lang(ctx: typer.Context) -> str | None:
    """``kwm --lang en check …``: the language given before the command name."""
    parent = ctx.parent
    value = parent.params.get("lang") if parent is not None else None
    return value if isinstance(value, str) else None


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("check", help=texts("cli.commands.check.help"))
    def check_command(
        ctx: typer.Context,
        base: Path = typer.Argument(..., help=texts("cli.options.base"), show_default=False),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.check import check_base, check_json

        lang = lang or global_lang(ctx)
        if lang is not None:
            texts_for(lang, base)  # an unknown language is a usage error (exit 2) before any work
        result = check_base(base)
        shown = texts_for(lang, base, fallback=result.language or "nl")
        if as_json:
            print_json(check_json(result, shown, str(base)))
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
        if as_json:
            errors.print(line, markup=False)
        else:
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
                typer.echo(shown("check.next", file=str(base)))
        raise typer.Exit(0 if result.ok else 1)
