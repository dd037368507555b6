"""User-facing texts from ``templates/<lang>.yaml``: the only module that reads YAML.

Texts ship inside the package. A ``templates/`` folder next to the base workbook overrides single
keys per organisation (deep merge), so an organisation can change a mail text without touching kwm.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from klantwaarde.model import Location
from klantwaarde.problems import Problem

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
    """Texts for ``lang`` (nl/en), optionally overridden by ``override_dir/templates/<lang>.yaml``."""
    lang = (lang or DEFAULT_LANGUAGE).strip().lower()
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    data: dict[str, Any] = copy.deepcopy(_packaged(lang))
    if override_dir is not None:
        override = override_dir / "templates" / f"{lang}.yaml"
        if override.is_file():
            try:
                extra = yaml.safe_load(override.read_text(encoding="utf-8")) or {}
            except (OSError, yaml.YAMLError):
                extra = {}
            if isinstance(extra, Mapping):
                _deep_merge(data, extra)
    return Texts(lang, data)


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
