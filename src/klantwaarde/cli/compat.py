"""Every use of typer's internals, in one place (the openpyxl ones are in workbook/compat.py).

Tested with typer 0.29 (``TESTED_TYPER``; pinned in pyproject.toml, and tests/test_cli_compat.py
fails on another version, naming this file). When typer changes, review this module: everything
else in ``cli/`` uses typer's public API.

Converting values without pydantic: typer converts every value through a pydantic TypeAdapter
that it builds when a command runs; importing pydantic for that costs about a tenth of a second on
every command. kwm's parameters are text, paths, lists of paths and flags, whose conversion is
str, Path and a list of Paths: those get it directly. Any other value, or another typer, falls back
to typer's own conversion (tests/test_cli.py compares the two for every parameter of every
command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

TESTED_TYPER = ((0, 29), (0, 30))  # from (inclusive) .. to (exclusive), major and minor

_UNHANDLED = object()


def plain_value(annotation: Any, value: Any) -> Any:
    """``value`` converted as typer would for a str, Path or list[Path] parameter, else _UNHANDLED."""
    if annotation is str:
        return value if isinstance(value, str) else _UNHANDLED
    if annotation is bool:
        return value if isinstance(value, bool) else _UNHANDLED
    if annotation is Path:
        return Path(value) if isinstance(value, str | Path) else _UNHANDLED
    if get_origin(annotation) is list and get_args(annotation) == (Path,):
        if isinstance(value, tuple | list) and all(isinstance(v, str | Path) for v in value):
            return [Path(v) for v in value]
    return _UNHANDLED


try:
    from typer._coercion import RuntimeParam, build_runtime_param

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            converted = plain_value(self.annotation, value)
            if converted is _UNHANDLED:  # typer's own way (pydantic) for anything unexpected
                return build_runtime_param(param.type_descriptor)._coerce_value(value, param=param, ctx=ctx)
            return converted

except ImportError:  # a typer without this machinery converts values itself
    PlainRuntimeParam = None  # type: ignore[assignment,misc]


def plain_conversion(params: Sequence[Any]) -> None:
    """Give kwm's parameters the direct conversion above (where this typer has the hook for it)."""
    if PlainRuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", _UNHANDLED) is not None:
            continue
        annotation = descriptor.annotation
        handled = annotation in (str, bool, Path) or (
            get_origin(annotation) is list and get_args(annotation) == (Path,)
        )
        info = descriptor.parameter_info
        special = ("parser", "click_type", "path_type", "exists", "resolve_path", "writable", "allow_dash")
        if handled and not any(getattr(info, name, None) for name in special):
            param._runtime_param = PlainRuntimeParam(parameter_info=info, annotation=annotation)


def click_exception_names(exc: BaseException) -> set[str]:
    """The class names of a Click exception and its bases. Recognised by name, as typer itself
    does, because which Click typer uses (its own copy or the package) depends on its version."""
    return {cls.__name__ for cls in type(exc).__mro__}
