"""User-facing texts from ``templates/<lang>.yaml``: the only module that reads YAML.

Texts ship inside the package. A ``templates/`` folder next to the base workbook overrides single
keys per organisation (deep merge), so an organisation can change a mail text without touching kwm.
"""

from __future__ import annotations

import copy
import functools
import re
import string
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from klantwaarde.model import Location
from klantwaarde.problems import KwmError, Problem, problem

LANGUAGES = ("nl", "en")
# libyaml's loader reads the packaged templates about ten times faster than the pure-Python one
# (which every `kwm --help` would pay for); both give the same data for them.
_PACKAGED_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_LANGUAGE = "nl"


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _deep_merge(into: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _deep_merge(into[key], value)
        else:
            into[key] = value
    return into


@functools.lru_cache(maxsize=8)
def _packaged(lang: str) -> dict[str, Any]:
    folder = resources.files("klantwaarde") / "templates"
    text = (folder / f"{lang}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.load(text, Loader=_PACKAGED_LOADER) or {}
    return data


def available_keys(data: Mapping[str, Any], prefix: str = "") -> set[str]:
    keys: set[str] = set()
    for key, value in data.items():
        full = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, Mapping):
            keys |= available_keys(value, full)
        else:
            keys.add(full)
    return keys


class Texts:
    """``texts("check.verdict_ok", n=3)`` formats a template; ``texts.raw(key)`` gives lists/maps."""

    def __init__(self, lang: str, data: Mapping[str, Any]):
        self.lang = lang
        self.data = data

    def raw(self, key: str) -> Any:
        node: Any = self.data
        for part in key.split("."):
            if not isinstance(node, Mapping) or part not in node:
                raise KeyError(f"no text '{key}' in templates/{self.lang}.yaml")
            node = node[part]
        return node

    def has(self, key: str) -> bool:
        try:
            self.raw(key)
        except KeyError:
            return False
        return True

    def __call__(self, key: str, **values: Any) -> str:
        template = self.raw(key)
        if not isinstance(template, str):
            raise KeyError(f"text '{key}' in templates/{self.lang}.yaml is not a single text")
        return template.format_map(_Missing(values)) if values else template

    # -- problems ---------------------------------------------------------------------------

    def where(self, location: Location) -> str:
        """``basis.xlsx › Vragen rij 14, kolom KK`` style location text."""
        parts = [location.file] if location.file else []
        if location.sheet:
            parts.append(location.sheet)
        where = " › ".join(parts)
        detail = []
        if location.row:
            detail.append(self("where.row", row=location.row))
        if location.column:
            detail.append(self("where.column", column=location.column))
        if detail:
            where = f"{where} {', '.join(detail)}".strip()
        return where

    def message(self, found: Problem) -> str:
        """The sentence for a problem: what is wrong and what to do (without the location)."""
        values = dict(found.context)
        values.setdefault("file", found.location.file)
        values.setdefault("sheet", found.location.sheet or "")
        values.setdefault("cell", found.location.cell)
        for key, value in list(values.items()):
            if isinstance(value, list | tuple):
                values[key] = ", ".join(str(v) for v in value)
        template = self.raw(f"problems.{found.code}")
        if not isinstance(template, str):
            raise KeyError(f"text 'problems.{found.code}' in templates/{self.lang}.yaml is not a single text")
        # Strict: every placeholder must be a declared field (problems.CATALOGUE), never left as "{x}".
        text = template.format(**values)
        suggestion = found.context.get("suggestion")
        if suggestion:
            text += " " + self("where.did_you_mean", suggestion=suggestion)
        return text

    def severity(self, found: Problem) -> str:
        return self(f"severity.{found.severity.value}")


def load_texts(lang: str | None = None, override_dir: Path | None = None) -> Texts:
    """Texts for ``lang`` (nl/en), optionally overridden by ``override_dir/templates/<lang>.yaml``.

    Raises ``KwmError`` when the override cannot be used (unreadable, not YAML, a key with the
    wrong kind of value or a placeholder kwm does not fill in): every problem at once, each naming
    the file and key. An organisation's texts are never silently replaced by kwm's own.
    """
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    data: dict[str, Any] = copy.deepcopy(_packaged(lang))
    if override_dir is not None:
        override = override_dir / "templates" / f"{lang}.yaml"
        if override.is_file():
            extra = _override(override, lang)
            _deep_merge(data, extra)
    return Texts(lang, data)


def _override(path: Path, lang: str) -> Mapping[str, Any]:
    """The override file's texts, checked against the packaged ones (see ``load_texts``)."""
    where = Location(file=f"templates/{path.name}")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise KwmError([problem("template_unreadable", where, reason=exc.strerror or str(exc))]) from None
    except UnicodeDecodeError:
        raise KwmError([problem("template_unreadable", where, reason="UTF-8")]) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        extra = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise KwmError([problem("template_invalid", Location(where.file, row=line))]) from None
    if extra is None:
        return {}
    lines = _key_lines(node)
    if not isinstance(extra, Mapping):
        raise KwmError([problem("template_wrong_type", where, key="", expected=_kind_word("mapping", lang))])
    found: list[Problem] = []
    _check_override(extra, _packaged(lang), "", lines, where, found, lang)
    if any(p.is_error for p in found):
        raise KwmError(found)
    return extra


def _key_lines(node: Any, prefix: str = "") -> dict[str, int]:
    """Dotted key -> the line (1-based) where it stands in the override file."""
    lines: dict[str, int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines[key] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, key))
    return lines


def _kind_word(kind: str, lang: str) -> str:
    return str(_packaged(lang)["where"]["kinds"][kind])


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return "text"


def _check_override(
    extra: Mapping[str, Any],
    packaged: Mapping[str, Any],
    prefix: str,
    lines: Mapping[str, int],
    where: Location,
    found: list[Problem],
    lang: str,
) -> None:
    for key, value in extra.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        at = Location(where.file, row=lines.get(dotted))
        if not isinstance(key, str) or key not in packaged:
            found.append(problem("template_unknown_key", at, key=dotted))
            continue
        expected, given = _kind(packaged[key]), _kind(value)
        if expected != given or (given == "text" and not isinstance(value, str)):
            found.append(problem("template_wrong_type", at, key=dotted, expected=_kind_word(expected, lang)))
            continue
        if given == "mapping":
            _check_override(value, packaged[key], dotted, lines, where, found, lang)
            continue
        texts = [value] if given == "text" else [str(v) for v in value]
        originals = [packaged[key]] if given == "text" else [str(v) for v in packaged[key]]
        allowed = set().union(*(_placeholders(t) or set() for t in originals))
        for text in texts:
            names = _placeholders(text)
            if names is None:  # "{0", "{}", "{0}": not a template kwm can fill in
                found.append(problem("template_placeholder", at, key=dotted, placeholder=_odd_braces(text)))
                continue
            for name in sorted(names - allowed - _BASE_PLACEHOLDERS):
                found.append(problem("template_placeholder", at, key=dotted, placeholder="{" + name + "}"))


# Placeholders a text may hold for the base's own texts ("{leverancier} gaf blijk ..."), left as they are.
_BASE_PLACEHOLDERS = frozenset({"leverancier", "klant", "supplier", "client"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _placeholders(text: str) -> set[str] | None:
    """The names a template fills in; None when it is no valid template for kwm (positional or
    empty fields, attribute or index access, unbalanced braces)."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names: set[str] = set()
    for _, field_name, _, _ in parsed:
        if field_name is None:
            continue
        if not _NAME.fullmatch(field_name):
            return None
        names.add(field_name)
    return names


def _odd_braces(text: str) -> str:
    match = re.search(r"\{[^{}]*\}?", text)
    return match.group(0)[:20] if match else "{"


def problem_record(found: Problem, texts: Texts) -> dict[str, Any]:
    """A problem as data, as ``--json`` prints it: severity, file, sheet, cell, code, message."""
    return {
        "severity": found.severity.value,
        "file": found.location.file,
        "sheet": found.location.sheet or "",
        "cell": found.location.cell,
        "code": found.code,
        "message": texts.message(found),
    }
