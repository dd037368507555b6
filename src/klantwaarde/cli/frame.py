"""The frame of the command line in the user's language: help headings, the usage line, usage errors.

Typer and Click write ``Usage:``, ``Options:``, ``[required]``, ``<path>`` and their error messages
(``Missing argument 'base'``) in English. kwm's commands and its group use the classes made here,
so that a Dutch user reads Dutch there too, and an English user plain English (``BASE``, ``PATH``).
Texts: ``frame.*`` in the templates. Click's exceptions are recognised by class name, as typer
itself does, because which Click typer uses (its own copy or the package) depends on its version.
The same classes give kwm's simple parameters a conversion that needs no pydantic (see below).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup

from klantwaarde.cli.compat import click_exception_names, plain_conversion
from klantwaarde.texts import Texts

# Parameter name -> key under frame.metavars; other options show frame.metavars.value.
METAVARS = {
    "base": "base",
    "folder": "folder",
    "answers": "path",
    "out": "path",
    "history": "path",
    "monitor": "path",
    "csv": "folder",
    "lang": "lang",
    "period": "period",
}
EXAMPLE_BASE = "basis.xlsx"  # the base workbook's file name (SPEC 3), the same in both languages


class _BareArgument(TyperArgument):
    """An argument listed by its name alone (``BASIS``), without typer's English ``<path>``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


def localise_params(params: Sequence[Any], texts: Texts) -> None:
    for param in params:
        if param.param_type_name == "argument":
            param.metavar = texts(f"frame.metavars.{METAVARS.get(param.name, 'value')}")
            if isinstance(param, TyperArgument):
                param.__class__ = _BareArgument
        elif param.param_type_name == "option" and not getattr(param, "is_flag", False):
            param.metavar = texts(f"frame.metavars.{METAVARS.get(param.name, 'value')}")


def frame_text(text: str, texts: Texts) -> str:
    """Help or usage text with Click's English headings and markers in the user's language."""
    headings = {
        "Arguments": texts("frame.arguments"),
        "Options": texts("frame.options"),
        "Commands": texts("frame.commands"),
    }
    # Typer writes a required argument as {BASE}, which reads like a choice; write BASE.
    text = re.sub(
        r"^(Usage: .*)$", lambda m: re.sub(r"\{([^{}\s]+)\}", r"\1", m.group(1)), text, flags=re.MULTILINE
    )
    text = re.sub(r"^Usage: ", texts("frame.usage") + " ", text, flags=re.MULTILINE)
    text = re.sub(
        r"^(Arguments|Options|Commands):$", lambda m: headings[m.group(1)] + ":", text, flags=re.MULTILINE
    )
    return text.replace("[required]", texts("frame.required")).replace("[default: ", texts("frame.default"))


def usage_message(exc: BaseException, texts: Texts, command: Any = None) -> str:
    """What went wrong on the command line, in the user's language."""
    names = click_exception_names(exc)
    ctx = getattr(exc, "ctx", None)
    if command is None and ctx is not None:
        command = ctx.command
    param = getattr(exc, "param", None)
    if "MissingParameter" in names and param is not None:
        if param.param_type_name == "argument":
            command = ctx.command_path if ctx is not None else "kwm"
            example = f"{command} {EXAMPLE_BASE}" if param.name == "base" else f"{command} {param.metavar}"
            return texts("frame.errors.missing_argument", name=param.metavar or param.name, example=example)
        command = ctx.command_path if ctx is not None else "kwm"
        example = f"{command} {EXAMPLE_BASE} {param.opts[0]} {param.metavar or ''}".rstrip()
        return texts("frame.errors.missing_option", name=" / ".join(param.opts), example=example)
    if "NoSuchOption" in names:
        message = texts("frame.errors.no_such_option", name=getattr(exc, "option_name", ""))
        possibilities = getattr(exc, "possibilities", None)
        if possibilities:
            message += " " + texts("frame.errors.did_you_mean", suggestions=", ".join(sorted(possibilities)))
        return message
    if "BadOptionUsage" in names:
        option = getattr(exc, "option_name", "")
        metavar = ""
        for candidate in getattr(command, "params", ()):
            if option in getattr(candidate, "opts", ()):
                metavar = candidate.metavar or ""
        return texts("frame.errors.option_needs_value", name=option, metavar=metavar)
    message = str(getattr(exc, "message", exc))
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)$", message)
    if extra:
        return texts("frame.errors.extra_arguments", extra=extra.group(1))
    if "BadParameter" in names:
        hint = param.metavar or param.name if param is not None else getattr(exc, "param_hint", "")
        return texts("frame.errors.invalid_value", name=hint, detail=message)
    return message


def localise_usage_error(exc: BaseException, texts: Texts, command: Any = None) -> None:
    """Make a Click usage error show itself in the user's language (usage line, hint, message)."""
    names = click_exception_names(exc)
    if "UsageError" not in names or "NoArgsIsHelpError" in names or getattr(exc, "_kwm_localised", False):
        return
    message = usage_message(exc, texts, command)
    ctx = getattr(exc, "ctx", None)

    def show(file: Any = None) -> None:
        if ctx is not None:
            typer.echo(ctx.get_usage(), file=file, err=True)
            typer.echo(texts("frame.try_help", command=ctx.command_path) + "\n", file=file, err=True)
        typer.echo(texts("frame.error", message=message), file=file, err=True)

    setattr(exc, "show", show)  # noqa: B010 - an instance override of Click's English show()
    setattr(exc, "_kwm_localised", True)  # noqa: B010


def command_classes(texts: Texts) -> tuple[type[TyperCommand], type[TyperGroup]]:
    """The command and group classes of ``kwm``, speaking ``texts.lang``."""
    help_text = texts("cli.help_help")

    class Localised:
        """What commands and the group share: help, usage and usage errors in the user's language."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            setattr(self, "options_metavar", texts("frame.options_metavar"))  # noqa: B010 (a Click attribute)
            localise_params(getattr(self, "params"), texts)  # noqa: B009
            plain_conversion(getattr(self, "params"))  # noqa: B009

        def get_help_option(self, ctx: Any) -> Any:
            option = super().get_help_option(ctx)  # type: ignore[misc]
            if option is not None:
                option.help = help_text
                plain_conversion([option])
            return option

        def get_help(self, ctx: Any) -> str:
            return frame_text(super().get_help(ctx), texts)  # type: ignore[misc]

        def get_usage(self, ctx: Any) -> str:
            return frame_text(super().get_usage(ctx), texts)  # type: ignore[misc]

        def make_context(
            self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
        ) -> Any:
            try:
                return super().make_context(info_name, args, parent, **extra)  # type: ignore[misc]
            except Exception as exc:
                localise_usage_error(exc, texts, self)
                raise

    class Command(Localised, TyperCommand):
        pass

    class Group(Localised, TyperGroup):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.subcommand_metavar = texts("frame.command_metavar")

        def invoke(self, ctx: Any) -> Any:
            try:
                return super().invoke(ctx)
            except Exception as exc:
                localise_usage_error(exc, texts)
                raise

        def resolve_command(self, ctx: Any, args: list[str]) -> Any:
            name = args[0] if args else ""
            if name and not name.startswith("-") and self.get_command(ctx, name) is None:
                message = texts("frame.errors.no_such_command", name=name)
                matches = difflib.get_close_matches(name, self.list_commands(ctx))
                if matches:
                    suggestions = ", ".join(f"'{m}'" for m in matches)
                    message += " " + texts("frame.errors.did_you_mean", suggestions=suggestions)
                ctx.fail(message)
            return super().resolve_command(ctx, args)

    return Command, Group
