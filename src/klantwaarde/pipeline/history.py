"""The history stage: the trend of earlier periods, from the ``_data`` of earlier monitors of this
client (SPEC 3.4).

Only monitors in a period folder of this client are history: ``<client>/<period>/…monitor.xlsx``,
never one in an answers folder, a questionnaire folder or anywhere deeper (a copy of a monitor
with edited figures dropped into ``ingevuld/`` once rewrote the trend). For a period that has its
own monitor in its own period folder, that monitor's figures are used; otherwise those of the most
recently made monitor that carries the period. Unreadable monitors are warnings; every source is
listed with the periods it gave.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from klantwaarde.layout import INPUT_FOLDERS, CycleLayout, is_inside, period_folder_name
from klantwaarde.model import Base, Location
from klantwaarde.problems import Problem, WorkbookFileError, problem
from klantwaarde.report import HistoryRow
from klantwaarde.workbook.history import MonitorData, is_monitor_name, read_data


@dataclass(frozen=True)
class HistorySource:
    """A monitor whose figures the trend uses, and for which periods."""

    path: Path
    periods: tuple[str, ...]


def period_monitors(client_dir: Path) -> list[Path]:
    """Every monitor directly in a period folder of ``client_dir`` (a folder right below it), by
    name; links are not followed, hidden folders and the input folders are not periods."""
    found: list[Path] = []
    try:
        folders = sorted(p for p in client_dir.iterdir() if p.is_dir() and not p.is_symlink())
    except OSError:
        return []
    for folder in folders:
        if folder.name.startswith(".") or folder.name.casefold() in INPUT_FOLDERS:
            continue
        try:
            found += sorted(
                p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and is_monitor_name(p.name)
            )
        except OSError:
            continue
    return found


def earlier_history(
    base: Base, extra: Sequence[Path] = (), search: bool = True
) -> tuple[list[HistoryRow], list[Problem], list[HistorySource]]:
    """The history rows of every earlier period, the problems met, and the sources used.

    ``search`` looks in this client's period folders; ``extra`` (``--history``) names further
    monitors, or client folders searched the same way. A named monitor inside an answers or
    questionnaire folder is refused with a warning, like any there."""
    layout = CycleLayout.of(base)
    code = base.settings.client_code.strip().upper()
    problems: list[Problem] = []
    paths = period_monitors(layout.client_dir) if search else []
    for path in extra:
        if path.is_dir():
            paths += period_monitors(path)
        elif _in_input_folder(path, layout):
            where = Location(file=path.name)
            problems.append(problem("history_not_period_folder", where, path=str(path)))
        else:
            paths.append(path)

    read: list[MonitorData] = []
    for path in dict.fromkeys(p.absolute() for p in paths):
        try:
            data = read_data(path)
        except WorkbookFileError as exc:
            found = exc.problem
            if found.code != "history_unreadable":
                where = Location(file=path.name)
                found = problem("history_unreadable", where, path=str(path), cause=found.code)
            elif found.context.get("cause") == "no_data_sheet":
                continue  # named like a monitor but not one of kwm's (a report of the old macros)
            problems.append(found)
            continue
        if data.client_code.strip().upper() == code:
            read.append(data)
    rows, sources = _choose(read)
    return rows, problems, sources


def _in_input_folder(path: Path, layout: CycleLayout) -> bool:
    folders = [layout.returned_dir, layout.forms_dir, layout.reminders_dir]
    return is_inside(path, folders) or any(part.casefold() in INPUT_FOLDERS for part in path.parent.parts)


def _own(data: MonitorData) -> bool:
    """The monitor of its own period, in that period's folder."""
    return data.path.parent.name.casefold() == period_folder_name(data.period).casefold()


def _choose(monitors: Sequence[MonitorData]) -> tuple[list[HistoryRow], list[HistorySource]]:
    periods = sorted({row.period for data in monitors for row in data.history})
    rows: list[HistoryRow] = []
    used: dict[Path, list[str]] = {}
    for period in periods:
        carrying = [d for d in monitors if any(r.period == period for r in d.history)]
        own = [d for d in carrying if d.period == period and _own(d)]
        source = max(own or carrying, key=lambda d: (d.generated_at, str(d.path)))
        rows += [r for r in source.history if r.period == period]
        used.setdefault(source.path, []).append(period)
    sources = [HistorySource(path, tuple(found)) for path, found in used.items()]
    return rows, sources
