"""``kwm check``: validate the base workbook (SPEC 3.1) and report every problem at once.

``load_base`` is how every other command gets its base: validate first; errors stop the work with
the same report as ``kwm check``, warnings travel along with the base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.model import Base
from klantwaarde.problems import KwmError, Problem, WorkbookFileError
from klantwaarde.texts import Texts, problem_record


@dataclass(frozen=True)
class CheckResult:
    base: Base | None
    problems: list[Problem] = field(default_factory=list)
    # The base's Taal (or the language of its sheet names); None when the file could not be read.
    language: str | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.base is not None and not self.errors


def check_base(path: Path) -> CheckResult:
    """Read and validate the base. Never raises for bad input: a file that cannot be read at all
    gives a result without a base and with that one problem."""
    from klantwaarde.workbook.base import read_base_reading

    try:
        reading = read_base_reading(Path(path))
    except WorkbookFileError as exc:
        return CheckResult(None, list(exc.problems))
    return CheckResult(reading.base, reading.problems, reading.language)


def load_base(path: Path) -> tuple[Base, list[Problem]]:
    """The base and its warnings; raises ``KwmError`` with every problem when there are errors."""
    from klantwaarde.workbook.base import read_base

    base, problems = read_base(Path(path))
    if base is None or any(p.is_error for p in problems):
        raise KwmError(problems)
    return base, problems


def check_json(result: CheckResult, texts: Texts, file: str) -> dict[str, Any]:
    """What ``kwm check --json`` prints."""
    return {
        "file": file,
        "ok": result.ok,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [problem_record(p, texts) for p in result.problems],
    }
