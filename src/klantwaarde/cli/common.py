"""What every command shares: the problem table, the verdict line, JSON output, error handling."""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from klantwaarde.normalise import shown_name
from klantwaarde.problems import KwmError, Problem, Severity
from klantwaarde.results import envelope
from klantwaarde.texts import Texts, load_texts

T = TypeVar("T")

LANG_CHOICES = ("nl", "en")


def stderr_console() -> Console:
    # markup off: paths, names and values come from users and workbooks; style with Text/style=.
    return Console(stderr=True, highlight=False, markup=False, soft_wrap=True)


def stdout_console() -> Console:
    return Console(highlight=False, markup=False, soft_wrap=True)


def lang_option(texts: Texts, help_key: str = "cli.options.lang") -> Any:
    return typer.Option(None, "--lang", help=texts(help_key), show_default=False)


def base_argument(texts: Texts, help_key: str = "cli.options.base") -> Any:
    return typer.Argument(..., help=texts(help_key), show_default=False)


def chosen_lang(ctx: typer.Context, lang: str | None) -> str | None:
    """``--lang`` after the command, else before it (``kwm --lang en process …``): one rule for
    every command."""
    if lang is not None:
        return lang
    root = ctx.find_root()
    value = root.params.get("lang")
    return value if isinstance(value, str) else None


def base_file(path: Path) -> Path:
    """BASE as given, or the base workbook inside it when it is a folder (``kwm check klant-nv``)."""
    from klantwaarde.layout import base_in

    return base_in(path)


def pasteable(path: Path | str) -> str:
    """A path as a next command shows it: in double quotes, so it can be pasted as it is (spaces
    in folder names are common), in every shell users have (cmd, PowerShell, bash, zsh)."""
    return '"' + str(path).replace('"', '\\"') + '"'


def json_option(texts: Texts) -> Any:
    return typer.Option(False, "--json", help=texts("cli.options.json"))


def texts_for(lang: str | None, base: Path | None = None, fallback: str | None = None) -> Texts:
    """Texts in the chosen language (else ``KWM_LANG``, else Dutch) before the base is read; a
    ``templates/`` folder next to the base overrides them."""
    fallback = fallback or os.environ.get("KWM_LANG", "nl")
    if fallback not in LANG_CHOICES:
        fallback = "nl"
    if lang is not None and lang not in LANG_CHOICES:
        stderr_console().print(load_texts(fallback)("cli.bad_lang", lang=lang))
        raise typer.Exit(2)
    override = base.parent if base is not None else None
    with stop_on_kwm_error(load_texts(lang or fallback)):  # a broken override is said in kwm's own words
        return load_texts(lang or fallback, override)
    raise AssertionError("unreachable")  # pragma: no cover


def decimal(value: float | None, texts: Texts, digits: int = 2) -> str:
    """A number as the user reads it: ``7,60`` in Dutch, ``7.60`` in English; a dash for none."""
    if value is None:
        return "–"
    return f"{value:.{digits}f}".replace(".", texts("cli.decimal_separator"))


def render_problems(problems: Iterable[Problem], texts: Texts, console: Console | None = None) -> None:
    """A table (file, sheet, cell, message) on stderr; errors first, then warnings, in found order."""
    ordered = sorted(problems, key=lambda p: 0 if p.severity is Severity.ERROR else 1)
    if not ordered:
        return
    console = console or stderr_console()
    table = Table(show_lines=False, expand=False)
    table.add_column("", no_wrap=True)
    table.add_column(texts("cli.columns.file"), overflow="fold")
    table.add_column(texts("cli.columns.sheet"))
    table.add_column(texts("cli.columns.cell"), no_wrap=True)
    table.add_column(texts("cli.columns.message"), overflow="fold")
    for found in ordered:
        style = "bold red" if found.is_error else "yellow"
        # Names and values come from workbooks: never let rich read them as markup.
        table.add_row(
            Text(texts.severity(found), style=style),
            Text(shown_name(found.location.file)),
            Text(shown_name(found.location.sheet or "")),
            Text(_cell_text(found, texts)),
            Text(shown_name(texts.message(found))),
        )
    console.print(table)


def _cell_text(found: Problem, texts: Texts) -> str:
    loc = found.location
    if loc.column and loc.row:
        return f"{loc.column}{loc.row}"
    if loc.row:
        return texts("where.row", row=loc.row)
    if loc.column:
        return texts("where.column", column=loc.column)
    return ""


def verdict(problems: list[Problem], texts: Texts, ok_key: str = "cli.verdict_ok") -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    if errors:
        return texts("cli.verdict_errors", errors=errors, warnings=warnings)
    if warnings:
        return texts("cli.verdict_warnings", warnings=warnings)
    return texts(ok_key)


def print_json(data: Any) -> None:
    text = json.dumps(_finite(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _finite(data: Any) -> Any:
    """JSON has no NaN or Infinity: a figure that is not a finite number is printed as null."""
    if isinstance(data, float):
        return data if math.isfinite(data) else None
    if isinstance(data, dict):
        return {key: _finite(value) for key, value in data.items()}
    if isinstance(data, list | tuple):
        return [_finite(value) for value in data]
    return data


@contextmanager
def stop_on_kwm_error(texts: Texts, as_json: bool = False) -> Iterator[None]:
    """Turn a KwmError (files that cannot be read, lock files...) into its message and exit 1."""
    try:
        yield
    except KwmError as exc:
        if as_json:  # nothing but the JSON: the problems are in it
            print_json(envelope({}, exc.problems, texts))
            raise typer.Exit(1) from None
        if len(exc.problems) == 1 and not exc.problems[0].location.sheet:
            found = exc.problems[0]
            prefix = f"{shown_name(found.location.file)}: " if found.location.file else ""
            line = Text(texts.severity(found), style="bold red")
            line.append(f": {prefix}{shown_name(texts.message(found))}", style="")
            stderr_console().print(line, soft_wrap=True)
        else:
            render_problems(exc.problems, texts)
            stderr_console().print(verdict(exc.problems, texts))
        raise typer.Exit(1) from None


def run(texts: Texts, as_json: bool, work: Callable[[], T]) -> T:
    with stop_on_kwm_error(texts, as_json):
        return work()
    raise AssertionError("unreachable")  # pragma: no cover


PROGRESS_FROM = 8  # items (files, client folders); fewer finish before a bar would be seen


@contextmanager
def counted_progress(
    console: Console, label: str, as_json: bool, *, time_left: bool = False
) -> Iterator[Callable[[int, int], None]]:
    """A transient ``done/total`` bar on ``console`` (hidden with ``--json`` and for fewer than
    PROGRESS_FROM items); yields the ``progress(done, total)`` callback the api functions take."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn()]
    if time_left:
        columns.append(TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=as_json) as bar:
        task = bar.add_task(label, total=None, visible=False)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, visible=total >= PROGRESS_FROM)

        yield progress
