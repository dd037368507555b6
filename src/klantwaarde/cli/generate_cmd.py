"""`kwm generate BASE [--out DIR] [--mail] [--lang nl|en]`: the personal questionnaires."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
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
    stdout_console,
    texts_for,
    verdict,
)
from klantwaarde.texts import Texts

if TYPE_CHECKING:
    from klantwaarde.api.generate import GenerateResult


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("generate", help=texts("cli.commands.generate.help"))
    def command(
        ctx: typer.Context,
        base: Path = base_argument(texts, "generate.cli.base"),
        out: Path | None = typer.Option(None, "--out", help=texts("generate.cli.out"), show_default=False),
        mail: bool = typer.Option(False, "--mail", help=texts("generate.cli.mail")),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.generate import generate

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        say = texts_for(lang, base)
        result = run(say, as_json, lambda: generate(base, out_dir=out, mail=mail, lang=lang))
        say = texts_for(result.language, base)
        if as_json:
            print_json(result.to_json(say))
        else:
            show_summary(result, say, mail)
            problems = list(result.problems)
            render_problems(problems, say)
            if problems:
                stderr_console().print(verdict(problems, say))
        if not result.ok:
            raise typer.Exit(1)


def show_summary(result: GenerateResult, texts: Texts, mail: bool) -> None:
    """One line per respondent (questions, file, draft), then where the files are and what next."""
    console = stdout_console()
    if not result.forms:
        console.print(texts("generate.cli.none"))
        return
    table = Table(title=texts("generate.cli.title", code=result.client_code, period=result.period))
    table.add_column(texts("generate.cli.respondent"))
    table.add_column(texts("generate.cli.questions"), justify="right")
    table.add_column(texts("generate.cli.file"), overflow="fold")
    if mail:
        table.add_column(texts("generate.cli.draft"), overflow="fold")
    for form in result.forms:
        label = f"{form.name} ({form.initials})" if form.name else form.initials
        row = [label, str(form.questions), form.path.name]
        if mail:
            row.append(texts("generate.cli.has_draft") if form.eml else texts("generate.cli.no_draft"))
        table.add_row(*(Text(cell) for cell in row))  # names are data, never rich markup
    console.print(table)
    console.print(
        texts("generate.cli.written", count=len(result.forms), folder=result.out_dir),
        markup=False,
        soft_wrap=True,
    )
    drafts = sum(1 for f in result.forms if f.eml)
    if drafts:
        console.print(texts("generate.cli.drafts", count=drafts), markup=False, soft_wrap=True)
    console.print(
        texts("generate.cli.next", returned=result.returned_dir, base=pasteable(result.base_path)),
        markup=False,
        soft_wrap=True,
    )
