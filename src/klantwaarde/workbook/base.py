"""Read and validate the base workbook (``basis.xlsx``, SPEC 3.1).

The file (``.xlsx``, ``.xlsm`` or ``.ods``: LibreOffice users keep their base as ``.ods``) is
guarded and turned into plain rows (``workbook/rows.py``); ``reading/`` validates those rows and
builds the ``Base`` with *every* problem found, each pointing at the file, sheet, row and column
concerned. The names of the format are in ``baseformat.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from klantwaarde.model import Base
from klantwaarde.problems import Problem
from klantwaarde.reading import BaseReading, read_base_rows
from klantwaarde.texts import load_texts
from klantwaarde.workbook.rows import read_workbook


def read_base(path: Path) -> tuple[Base | None, list[Problem]]:
    """Read the base workbook and collect every problem.

    Raises ``WorkbookFileError`` when the file cannot be read as a workbook at all. Returns None as
    the base only when it cannot be built (a required sheet or column is missing).
    """
    reading = read_base_reading(path)
    return reading.base, reading.problems


def read_base_reading(path: Path, today: dt.date | None = None) -> BaseReading:
    """``read_base`` with the base's language, also when the base cannot be built; ``today``
    makes a Deadline or Sessiedatum before it a warning."""

    def standard(language: str) -> Mapping[str, str]:
        # The standard statements as this organisation's texts word them (SPEC 1).
        texts = load_texts(language, path.parent)
        return {kind: texts(f"standard.{kind}") for kind in ("active", "agreements")}

    return read_base_rows(read_workbook(path), path, standard, today=today)


__all__ = ["BaseReading", "read_base", "read_base_reading"]
