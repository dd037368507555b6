"""Reading each client folder for the portfolio: its latest monitor's ``_data``, nothing else.

The latest monitor is the one in the last period folder (period names sort, SPEC 3.1), and the
most recently saved one when a folder holds two (a Dutch and an English one). Only ``_data`` is
read (``workbook.history.read_data``, which stops before the answers): never a returned form, and
the base only for a client without a usable monitor, to name the client and say whether its base
has errors. A newer monitor that cannot be read makes way for the one before it; the caller says
so. Reading many folders uses a pool of processes (each monitor is read on its own, nothing is
shared), so a portfolio of hundreds of clients takes seconds.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from klantwaarde.pipeline.base import read_base
from klantwaarde.pipeline.history import period_monitors
from klantwaarde.portfolio.find import ClientFolder
from klantwaarde.problems import Problem, WorkbookFileError
from klantwaarde.workbook.history import MonitorData, read_data

POOL_FROM = 24  # client folders: fewer are read before a pool of processes would have started
CHUNKS_PER_WORKER = 6  # work handed out in pieces, so the workers finish at about the same time

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Failure:
    """A monitor that could not be read, and why."""

    path: Path
    problem: Problem


@dataclass(frozen=True)
class ClientRead:
    """What one client folder gave: the latest readable monitor's data, the newer monitors that
    could not be read, and — only when there is no usable monitor — what its base says."""

    folder: ClientFolder
    data: MonitorData | None = None
    failures: tuple[Failure, ...] = ()
    base_client: str = ""  # the client the base names (read only without a usable monitor)
    base_errors: int = 0  # the errors in that base
    base_failure: Problem | None = None  # the base cannot be read at all


def _saved(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def latest_first(monitors: Sequence[Path]) -> list[Path]:
    """The last period folder first; within a folder the most recently saved monitor first."""
    return sorted(monitors, key=lambda p: (p.parent.name.casefold(), _saved(p), p.name), reverse=True)


def read_client(folder: ClientFolder) -> ClientRead:
    failures: list[Failure] = []
    for path in latest_first(period_monitors(folder.path)):
        try:
            data = read_data(path)
        except WorkbookFileError as exc:
            found = exc.problem
            if found.code == "history_unreadable" and found.context.get("cause") == "no_data_sheet":
                continue  # named like a monitor, but not one of kwm's (a report of the old macros)
            failures.append(Failure(path, found))
            continue
        return ClientRead(folder, data, tuple(failures))
    if failures:
        return ClientRead(folder, None, tuple(failures))
    try:
        reading = read_base(folder.base)
    except WorkbookFileError as exc:
        return ClientRead(folder, base_failure=exc.problem)
    base = reading.base
    return ClientRead(
        folder,
        base_client=base.settings.client if base is not None else "",
        base_errors=sum(1 for p in reading.problems if p.is_error),
    )


def _read_chunk(folders: Sequence[ClientFolder]) -> list[ClientRead]:
    return [read_client(folder) for folder in folders]


def workers_available() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def read_clients(
    folders: Sequence[ClientFolder], progress: Progress | None = None, workers: int | None = None
) -> list[ClientRead]:
    """``read_client`` for every folder, in their order. ``workers`` processes read in parallel
    (default: one per processor for ``POOL_FROM`` folders or more, else none)."""
    total = len(folders)
    if workers is None:
        workers = workers_available() if total >= POOL_FROM else 1
    report = progress or (lambda done, total: None)
    report(0, total)
    if workers <= 1 or total <= 1:
        found = []
        for folder in folders:
            found.append(read_client(folder))
            report(len(found), total)
        return found
    return _in_pool(folders, report, min(workers, total))


def _in_pool(folders: Sequence[ClientFolder], report: Progress, workers: int) -> list[ClientRead]:
    size = max(1, len(folders) // (workers * CHUNKS_PER_WORKER))
    chunks = [list(folders[i : i + size]) for i in range(0, len(folders), size)]
    results: dict[int, list[ClientRead]] = {}
    done = 0
    # spawn: a fresh interpreter per worker, never a fork of a process with threads running (the
    # progress bar has one)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        futures: dict[Future[list[ClientRead]], int] = {
            executor.submit(_read_chunk, chunk): index for index, chunk in enumerate(chunks)
        }
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                index = futures[future]
                try:
                    results[index] = future.result()
                except BrokenProcessPool:
                    results[index] = _read_chunk(chunks[index])  # a worker died: read it here
                done += len(results[index])
                report(done, len(folders))
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return [read for index in range(len(chunks)) for read in results[index]]


__all__ = ["ClientRead", "Failure", "latest_first", "read_client", "read_clients", "workers_available"]
