"""The history stage: the trend of earlier periods, from the ``_data`` of earlier monitors of this
client (SPEC 3.4). Unreadable monitors are warnings; every monitor used is listed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base
from klantwaarde.problems import Problem
from klantwaarde.report import HistoryRow
from klantwaarde.workbook.history import find_monitors, load_history


def earlier_history(
    base: Base, extra: Sequence[Path] = (), search: bool = True
) -> tuple[list[HistoryRow], list[Problem], list[Path]]:
    """Rows of earlier monitors: every monitor of this client in the client folder (``search``),
    plus ``extra`` (files, or folders searched the same way). Returns rows, problems, sources."""
    code = base.settings.client_code
    found: list[Path] = []
    if search:
        found = find_monitors(CycleLayout.of(base).client_dir, code)
    for path in extra:
        found += find_monitors(path, code) if path.is_dir() else [path]
    unique = list(dict.fromkeys(p.resolve() for p in found))
    # The monitor being replaced still carries the history of periods whose monitors may be gone.
    rows, problems = load_history(unique)
    return rows, problems, unique
