"""Finding the client folders below the folders a portfolio covers (SPEC 3.8).

A client folder is a folder holding a base workbook (``basis.xlsx``, ``.xlsm`` or ``.ods``), found
at most ``MAX_DEPTH`` levels below a folder the user names. Links are never followed (a link to a
folder elsewhere would bring in what the user did not name, or the same client twice), hidden
folders and the folders of returned forms, questionnaires, reminders and templates are never
entered, and a period folder (``klant/2011H1/``: it holds a monitor, the register of issued forms
or one of those input folders) is not a client of its own: the base ``kwm next`` keeps there is a
copy of the client's, so each client counts once. A period folder named itself (``kwm portfolio
klant/2011H1``) stands for its client folder, the folder above it (SPEC 4). Standard library and
the monitor's file-name rule only.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klantwaarde.layout import (
    BASE_NAME,
    BASE_SUFFIXES,
    INPUT_FOLDERS,
    REGISTER_NAME,
    TEMPLATES_FOLDER,
)
from klantwaarde.model import Location
from klantwaarde.problems import Problem, problem
from klantwaarde.workbook.history import is_monitor_name

MAX_DEPTH = 3  # levels below a named folder (SPEC 3.8)
BASE_NAMES = frozenset(Path(BASE_NAME).stem + suffix for suffix in BASE_SUFFIXES)
SKIPPED = frozenset({*INPUT_FOLDERS, TEMPLATES_FOLDER, "__pycache__"})


@dataclass(frozen=True)
class ClientFolder:
    path: Path  # absolute
    base: Path  # its base workbook (or the kept copy standing for it)
    shown: str  # the folder as the user would write it: relative to the folder they named


@dataclass
class Found:
    clients: list[ClientFolder] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Entries:
    folders: list[Path]
    files: list[str]


def _entries(folder: Path) -> _Entries:
    """The sub-folders (no links, not hidden) and file names (no links) of ``folder``."""
    folders: list[Path] = []
    files: list[str] = []
    with os.scandir(folder) as listing:
        for entry in listing:
            if entry.is_symlink() or entry.name.startswith((".", "~$")):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                files.append(entry.name)
    return _Entries(sorted(folders), sorted(files))


def _base(folder: Path, files: Sequence[str]) -> Path | None:
    """The base workbook among ``files`` (``basis.xlsx`` first, as ``layout.base_in`` chooses)."""
    lowered = {name.casefold(): name for name in files}
    for suffix in BASE_SUFFIXES:
        name = lowered.get((Path(BASE_NAME).stem + suffix).casefold())
        if name is not None:
            return folder / name
    return None


def _is_period_folder(entries: _Entries) -> bool:
    """A period's own things: a monitor, the register of issued forms, an input folder."""
    if any(is_monitor_name(name) or name == REGISTER_NAME for name in entries.files):
        return True
    return any(f.name.casefold() in INPUT_FOLDERS for f in entries.folders)


def find_clients(roots: Sequence[Path]) -> Found:
    """Every client folder below ``roots`` (each folder at most once, in the order found)."""
    found = Found()
    seen: set[Path] = set()
    for root in roots:
        top = root.absolute()
        for client in _walk(top, found.problems):
            key = client.path.resolve()
            if key not in seen:
                seen.add(key)
                found.clients.append(client)
    return found


def _shown(root: Path, path: Path) -> str:
    try:
        relative = path.relative_to(root)
    except ValueError:
        return str(path)
    return str(relative) if str(relative) != "." else (root.name or str(root))


def _walk(root: Path, problems: list[Problem]) -> Iterator[ClientFolder]:
    # (folder, depth, whether the folder above it is a client folder)
    stack: list[tuple[Path, int, bool]] = [(root, 0, False)]
    while stack:
        folder, depth, in_client = stack.pop()
        try:
            entries = _entries(folder)
        except OSError as exc:
            where = Location(file=_shown(root, folder))
            problems.append(problem("folder_unreadable", where, reason=exc.strerror or str(exc)))
            continue
        base = _base(folder, entries.files)
        period = _is_period_folder(entries)
        if period and (in_client or (depth == 0 and base is not None)):
            if not in_client and base is not None:
                # a period folder named itself (``kwm portfolio klant/2011H1``): its client
                parent = folder.parent
                yield ClientFolder(parent, _base(parent, _files(parent)) or base, _shown(root, parent))
            continue  # a period folder: its base is a kept copy, nothing below it is a client
        if base is not None:
            yield ClientFolder(folder, base, _shown(root, folder))
        if depth >= MAX_DEPTH:
            continue
        for sub in reversed(entries.folders):
            if sub.name.casefold() not in SKIPPED:
                stack.append((sub, depth + 1, base is not None))


def _files(folder: Path) -> list[str]:
    try:
        return _entries(folder).files
    except OSError:
        return []


__all__ = ["MAX_DEPTH", "ClientFolder", "Found", "find_clients"]
