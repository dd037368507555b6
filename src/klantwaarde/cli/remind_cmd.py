"""``kwm remind``: reminder e-mail drafts for those who have not returned a questionnaire."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

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
    @app.command("remind", help=texts("cli.commands.remind.help"))
    def remind_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        answers: list[Path] | None = typer.Option(
            None, "--answers", "-a", help=texts("cycle.cli.answers"), show_default=False
        ),
        out: Path | None = typer.Option(None, "--out", "-o", help=texts("cycle.cli.out"), show_default=False),
        dry_run: bool = typer.Option(False, "--dry-run", help=texts("cycle.cli.dry_run")),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.remind import remind

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: remind(base, answers or None, out, dry_run=dry_run, lang=lang))
        shown = texts_for(result.language, base)
        if as_json:
            print_json(result.to_json(shown))
            return
        console = stdout_console()
        render_problems(result.problems, shown)
        if result.nobody_missing:
            console.print(shown("cycle.remind.nobody"))
            return
        if result.reminders:
            settings = result.status.base.settings
            table = Table(
                title=shown("cycle.remind.title", code=settings.client_code, period=settings.period)
            )
            table.add_column(shown("cycle.remind.columns.respondent"), no_wrap=True)
            table.add_column(shown("cycle.remind.columns.email"), overflow="fold")
            table.add_column(shown("cycle.remind.columns.draft"), overflow="fold")
            for reminder in result.reminders:
                label = f"{reminder.name} ({reminder.initials})" if reminder.name else reminder.initials
                table.add_row(Text(label), Text(reminder.email), Text(reminder.eml.name))
            console.print(table)
        folder = str(result.out_dir)
        if result.dry_run:
            console.print(shown("cycle.remind.dry_run", n=len(result.reminders), folder=folder))
        elif result.reminders:
            console.print(shown("cycle.remind.written", n=len(result.reminders), folder=folder))
        else:
            console.print(shown("cycle.remind.none_written"))
