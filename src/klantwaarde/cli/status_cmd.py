"""``kwm status``: who returned a questionnaire, who did not, how complete each one is."""

from __future__ import annotations

import datetime as dt
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
    stdout_console,
    texts_for,
)
from klantwaarde.normalise import shown_name
from klantwaarde.texts import Texts

if TYPE_CHECKING:
    from klantwaarde.api.status import RespondentStatus, StatusResult


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("status", help=texts("cli.commands.status.help"))
    def status_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        answers: list[Path] | None = typer.Option(
            None, "--answers", "-a", help=texts("cycle.cli.answers"), show_default=False
        ),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.status import status

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        result = run(shown, as_json, lambda: status(base, answers or None))
        if lang is None:
            shown = texts_for(result.base.settings.language, base)
        if as_json:
            print_json(result.to_json(shown))
            return
        show_status(result, shown)


def when(moment: dt.datetime | None, texts: Texts) -> str:
    if moment is None:
        return ""
    local = moment.astimezone() if moment.tzinfo else moment
    return local.strftime(texts("cycle.status.time_format"))


def deadline_line(result: StatusResult, texts: Texts) -> str:
    from klantwaarde.mail import long_date

    if result.deadline is None or result.days_left is None:
        return texts("cycle.status.deadline_none")
    date = long_date(result.deadline, texts)
    days = result.days_left
    if days > 1:
        return texts("cycle.status.deadline_days", date=date, days=days)
    if days == 1:
        return texts("cycle.status.deadline_tomorrow", date=date)
    if days == 0:
        return texts("cycle.status.deadline_today", date=date)
    return texts("cycle.status.deadline_passed", date=date, days=-days)


def _row(row: RespondentStatus, texts: Texts) -> list[str | Text]:
    yes, no = texts("cycle.status.yes_word"), texts("cycle.status.no_word")
    if not row.expected:
        returned = Text(texts("cycle.status.not_asked"), style="dim")
    elif row.returned and row.file is not None:
        returned = Text(shown_name(row.file.name), style="green")
    elif row.file is not None:
        returned = Text(texts("cycle.status.not_counted", file=shown_name(row.file.name)), style="red")
    else:
        returned = Text(texts("cycle.status.not_yet"), style="red")
    if row.valid:
        valid = Text(yes, style="green")
    elif row.returned:
        valid = Text(texts("cycle.status.with_problems"), style="yellow")
    else:
        valid = Text("–")
    return [
        Text(row.respondent.label),
        yes if row.generated else (Text(no, style="red") if row.expected else "–"),
        returned,
        when(row.saved_at, texts),
        texts("cycle.status.answered", answered=row.answered, asked=row.asked) if row.returned else "–",
        valid,
    ]


def show_status(result: StatusResult, texts: Texts) -> None:
    console = stdout_console()
    settings = result.base.settings
    table = Table(title=texts("cycle.status.title", code=settings.client_code, period=settings.period))
    table.add_column(texts("cycle.status.columns.respondent"), no_wrap=True)
    table.add_column(texts("cycle.status.columns.form"))
    table.add_column(texts("cycle.status.columns.returned"), overflow="fold")
    table.add_column(texts("cycle.status.columns.saved"))
    table.add_column(texts("cycle.status.columns.answered"), no_wrap=True)
    table.add_column(texts("cycle.status.columns.valid"))
    for row in result.respondents:
        table.add_row(*_row(row, texts))
    console.print(table)
    for other in result.other_files:
        console.print(texts("cycle.status.other_file", file=shown_name(other.path.name)), markup=False)
    render_problems(result.problems, texts)

    rate = result.response_rate
    console.print(
        texts(
            "cycle.status.totals",
            returned=len(result.returned),
            asked=result.asked,
            percent=f"{rate * 100:.0f}" if rate is not None else "–",
        )
    )
    console.print(deadline_line(result, texts))
    if result.missing:
        console.print(
            texts(
                "cycle.status.missing", initials=", ".join(result.missing), base=pasteable(result.base.path)
            )
        )
    else:
        console.print(texts("cycle.status.complete", base=pasteable(result.base.path)))
