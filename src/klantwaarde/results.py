"""The one envelope of every command's ``--json`` output.

Every command result has ``to_json(texts)``: its own fields (SPEC 3.4 for ``kwm process``, 3.7 for
``kwm sessie``, ...) and, always last, ``problems``: every problem as data (severity, file, sheet,
cell, code, message). Work stopped by input problems prints the same envelope with only
``problems``. The command line prints it and nothing else on stdout.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from klantwaarde.problems import Problem
from klantwaarde.texts import Texts, problem_record


def envelope(payload: Mapping[str, Any], problems: Iterable[Problem], texts: Texts) -> dict[str, Any]:
    data = {key: value for key, value in payload.items() if key != "problems"}
    data["problems"] = [problem_record(p, texts) for p in problems]
    return data


def path_text(path: Path | None) -> str | None:
    """A path as JSON shows it: the text, or null."""
    return None if path is None else str(path)
