"""``kwm check``: validate the base workbook (SPEC 3.1) and report every problem at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.model import Base
from klantwaarde.pipeline.base import read_base
from klantwaarde.problems import Problem, WorkbookFileError
from klantwaarde.results import envelope
from klantwaarde.texts import Texts


@dataclass(frozen=True)
class CheckResult:
    base: Base | None
    problems: list[Problem] = field(default_factory=list)
    # The base's Taal (or the language of its sheet names); None when the file could not be read.
    language: str | None = None
    path: Path | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def ok(self) -> bool:
        return self.base is not None and not self.errors

    def to_json(self, texts: Texts, file: str | None = None) -> dict[str, Any]:
        """What ``kwm check --json`` prints."""
        payload = {
            "file": file if file is not None else str(self.path or ""),
            "ok": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }
        return envelope(payload, self.problems, texts)


def check_base(path: Path, today: dt.date | None = None) -> CheckResult:
    """Read and validate the base (a Deadline or Sessiedatum before ``today``, by default the
    current date, is a warning). Never raises for bad input: a file that cannot be read at all
    gives a result without a base and with that one problem."""
    try:
        reading = read_base(Path(path), today or dt.date.today())
    except WorkbookFileError as exc:
        return CheckResult(None, list(exc.problems), path=Path(path))
    return CheckResult(reading.base, reading.problems, reading.language, Path(path))
