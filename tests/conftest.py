"""Shared test helpers: build small workbooks inline, find LibreOffice, pin the clock."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

FIXED_NOW = dt.datetime(2011, 6, 1, 9, 30, 0)
DATA = Path(__file__).parent / "data"


def build_workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """Write a workbook with one sheet per entry, rows as given (row 1 first)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def libreoffice_or_skip() -> str:
    """The soffice binary. Without it: skip with the reason, or fail when KWM_REQUIRE_LIBREOFFICE=1."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    reason = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui python3-uno"
    if os.environ.get("KWM_REQUIRE_LIBREOFFICE") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def soffice() -> str:
    return libreoffice_or_skip()


@pytest.fixture
def fixed_now() -> dt.datetime:
    return FIXED_NOW
