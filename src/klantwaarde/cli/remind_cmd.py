"""``kwm remind``: reminder e-mail drafts for those who have not returned a questionnaire, or with
``--actions`` for the account team's open actions."""

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
    print_json,
    render_problems,
    run,
    stdout_console,
    texts_for,
)
from klantwaarde.texts import Texts

if TYPE_CHECKING:
    from klantwaarde.api.remind import ActionRemindResult


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
        actions: bool = typer.Option(False, "--actions", help=texts("cycle.cli.actions")),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.remind import remind, remind_actions

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        if actions:
            done = run(shown, as_json, lambda: remind_actions(base, out, dry_run=dry_run, lang=lang))
            shown = texts_for(done.language, base)
            if as_json:
                print_json(done.to_json(shown))
                return
            show_action_reminders(done, shown)
            return
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


def show_action_reminders(result: ActionRemindResult, texts: Texts) -> None:
    console = stdout_console()
    render_problems(result.problems, texts)
    if not result.open_actions:
        console.print(texts("team.remind.nothing_open"))
        return
    if result.reminders:
        table = Table(title=texts("team.remind.title", code=result.client_code, period=result.period))
        table.add_column(texts("team.remind.columns.member"), no_wrap=True)
        table.add_column(texts("team.remind.columns.email"), overflow="fold")
        table.add_column(texts("team.remind.columns.actions"), overflow="fold")
        table.add_column(texts("team.remind.columns.draft"), overflow="fold")
        for reminder in result.reminders:
            label = f"{reminder.name} ({reminder.initials})" if reminder.name else reminder.initials
            numbers = ", ".join(reminder.actions)
            table.add_row(Text(label), Text(reminder.email), Text(numbers), Text(reminder.eml.name))
        console.print(table)
    if result.unknown_owners:
        console.print(texts("team.remind.unknown", owners=", ".join(result.unknown_owners)), markup=False)
    folder = str(result.out_dir)
    if result.dry_run:
        console.print(texts("team.remind.dry_run", n=len(result.reminders), folder=folder))
    elif result.reminders:
        console.print(texts("team.remind.written", n=len(result.reminders), folder=folder))
    else:
        console.print(texts("team.remind.none_written"))
