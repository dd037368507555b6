"""Shared test helpers: build small workbooks inline, find LibreOffice, pin the clock."""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
from collections.abc import Callable
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


NOBODY = 65534


def as_nobody(work: Callable[[], Any]) -> Any:
    """Run ``work`` as an ordinary user, so file permissions apply (root reads everything): in a
    forked child that gives up root; its result comes back pickled. Without root, in place.

    ``work`` runs once as root first: the child may not read the Python installation (under
    /root), so every module the work imports must be loaded before it forks."""
    if os.geteuid() != 0:
        return work()
    work()
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child
        os.close(read)
        try:
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            data = pickle.dumps(("ok", work()))
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            data = pickle.dumps(("error", repr(exc)))
        os.write(write, data)
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.waitpid(child, 0)
    status, value = pickle.loads(b"".join(chunks))
    assert status == "ok", value
    return value


def open_to_all(folder: Path) -> None:
    """Every folder up to ``folder`` traversable and ``folder``'s files readable by anyone."""
    for parent in [folder, *folder.parents]:
        if parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o755)
    for path in folder.rglob("*"):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | (0o755 if path.is_dir() else 0o644))
