"""The ``kwm`` command line: options, progress, rich tables and exit codes; nothing else.

Each command lives in its own module with a ``register(app, texts)`` function. Help texts come from
``templates/`` in the user's language (``--lang`` anywhere on the command line, else ``KWM_LANG``,
else Dutch). Heavy modules (openpyxl, the workbook writers) are imported inside the commands so that
``kwm --help`` and ``kwm --version`` stay quick.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any

import typer

from klantwaarde import __version__
from klantwaarde.texts import Texts, load_texts

# In the order of the cycle; `kwm` without arguments explains them in this order.
COMMANDS = ("init", "check", "generate", "status", "remind", "process", "a3", "next", "demo")


def language_from_argv(argv: Sequence[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("KWM_LANG", "nl")


def build_app(lang: str = "nl") -> typer.Typer:
    texts = load_texts(lang)
    app = typer.Typer(
        name="kwm",
        help=texts("cli.app_help"),
        add_completion=False,
        no_args_is_help=False,
        invoke_without_command=True,
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    def version_callback(value: bool) -> None:
        if value:
            typer.echo(f"kwm {__version__}")
            raise typer.Exit()

    @app.callback()
    def main_callback(
        ctx: typer.Context,
        version: bool = typer.Option(
            False, "--version", help=texts("cli.version_help"), callback=version_callback, is_eager=True
        ),
        lang: str | None = typer.Option(None, "--lang", help=texts("cli.options.lang"), show_default=False),
    ) -> None:
        # --lang is read from the command line before the app is built (help texts); accepted here too.
        if ctx.invoked_subcommand is None:
            typer.echo(_overview(texts))
            raise typer.Exit()

    for name in COMMANDS:
        module = importlib.import_module(f"klantwaarde.cli.{name}_cmd")
        module.register(app, texts)
    _localise_help_option(app, texts("cli.help_help"))
    return app


def _localise_help_option(app: typer.Typer, help_text: str) -> None:
    """``--help`` itself says what it does in the user's language, on every command."""
    from typer.core import TyperCommand, TyperGroup

    class Command(TyperCommand):
        def get_help_option(self, ctx: Any) -> Any:
            option = super().get_help_option(ctx)
            if option is not None:
                option.help = help_text
            return option

    class Group(TyperGroup):
        def get_help_option(self, ctx: Any) -> Any:
            option = super().get_help_option(ctx)
            if option is not None:
                option.help = help_text
            return option

    app.info.cls = Group
    for info in app.registered_commands:
        info.cls = Command


def _overview(texts: Texts) -> str:
    lines = [texts("cli.overview_title"), ""]
    for name in COMMANDS:
        lines.append(f"  kwm {name:<9} {texts(f'cli.commands.{name}.help')}")
    lines += ["", texts("cli.overview_footer")]
    return "\n".join(lines)


def main() -> None:
    app = build_app(language_from_argv(sys.argv[1:]))
    app()
