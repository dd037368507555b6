"""The ``kwm`` command line: options, progress, rich tables and exit codes; nothing else.

Each command lives in its own module with a ``register(app, texts)`` function. Help texts come from
``templates/`` in the user's language (``--lang`` anywhere on the command line, else ``KWM_LANG``,
else Dutch). Heavy modules (openpyxl, the workbook writers) are imported inside the commands so that
``kwm --help`` stays quick; ``kwm --version`` is answered before the texts and the commands are
loaded.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

from klantwaarde import __version__

if TYPE_CHECKING:
    from klantwaarde.texts import Texts

# In the order of the cycle; `kwm` without arguments explains them in this order.
COMMANDS = (
    "init",
    "check",
    "plan",
    "generate",
    "status",
    "remind",
    "process",
    "sessie",
    "a3",
    "next",
    "portfolio",
    "demo",
)


def language_from_argv(argv: Sequence[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("KWM_LANG", "nl")


def build_app(lang: str = "nl") -> typer.Typer:
    from klantwaarde.texts import load_texts

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
    _localise_help_option(app, texts)
    return app


def _localise_help_option(app: typer.Typer, texts: Texts) -> None:
    """``--help``, the usage line and usage errors speak the user's language (see ``cli.frame``)."""
    from klantwaarde.cli.frame import command_classes

    command, group = command_classes(texts)
    app.info.cls = group
    for info in app.registered_commands:
        info.cls = command
        # The command list shows each command's one-line description whole, never cut off with "...".
        if info.short_help is None and info.name:
            info.short_help = texts(f"cli.commands.{info.name}.help")


def _overview(texts: Texts) -> str:
    lines = [texts("cli.overview_title"), ""]
    for name in COMMANDS:
        lines.append(f"  kwm {name:<9} {texts(f'cli.commands.{name}.help')}")
    lines += ["", texts("cli.overview_footer")]
    return "\n".join(lines)


def asks_version(argv: Sequence[str]) -> bool:
    """``kwm --version`` (also after ``--lang X``): what the app's eager ``--version`` would do
    before anything else on the command line is looked at. Anything else goes to the app."""
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg == "--version":
            return True
        if arg == "--lang":
            index += 2
        elif arg.startswith("--lang="):
            index += 1
        else:
            return False
    return False


def main() -> None:
    argv = sys.argv[1:]
    if asks_version(argv):
        sys.stdout.write(f"kwm {__version__}\n")
        return
    app = build_app(language_from_argv(argv))
    app()
