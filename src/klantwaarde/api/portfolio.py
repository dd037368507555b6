"""``kwm portfolio``: every client folder below the named folders in one internal workbook.

Finds the client folders, reads each client's latest monitor (its ``_data``; never a returned
form), writes ``Portefeuille <yyyy-mm-dd>.xlsx`` and, with ``csv_dir``, the tables as CSV. A client
folder that cannot be used (no monitor yet, an unreadable monitor, a base with errors) is one
problem each, in the workbook's Meldingen and the result; none stops the others. The portfolio is
internal to the supplier: by default it is never written into a client folder. Checks everything it
can before reading, so a refusal changes nothing. Never prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.layout import INPUT_FOLDERS
from klantwaarde.model import Location
from klantwaarde.normalise import shown_name
from klantwaarde.pipeline.outputs import DECK_SUFFIXES
from klantwaarde.portfolio.csv_tables import FILES, csv_bytes, tables
from klantwaarde.portfolio.find import BASE_NAMES, ClientFolder, find_clients
from klantwaarde.portfolio.gather import ClientRead, read_clients
from klantwaarde.portfolio.model import Client, Portfolio, build_portfolio, client_of
from klantwaarde.portfolio.sheets import write_portfolio
from klantwaarde.portfolio.themes import ThemeMatcher
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.results import envelope
from klantwaarde.texts import LANGUAGES, Texts, load_texts
from klantwaarde.workbook.history import is_monitor_name
from klantwaarde.workbook.safe import atomic_write_bytes, refuse_if_locked, safe_filename

INSPIRATION = "base.inspiration.values"


@dataclass
class PortfolioResult:
    output: Path
    portfolio: Portfolio
    texts: Texts
    csv_files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def clients(self) -> tuple[Client, ...]:
        return self.portfolio.clients

    def to_json(self, texts: Texts) -> dict[str, Any]:
        """SPEC 3.8: the output and one entry per client (attention first); a withheld figure is
        null, as in the client's monitor."""
        payload = {
            "output": str(self.output),
            "clients": [
                {
                    "code": c.code,
                    "client": c.client,
                    "period": c.period,
                    "overall": c.overall,
                    "nps": c.nps,
                    "response": c.response,
                    "below_target": c.kwis_below,
                    "open_actions": c.open_actions,
                    "overdue_actions": c.overdue_actions,
                }
                for c in self.portfolio.clients
            ],
        }
        return envelope(payload, self.problems, texts)


def make_portfolio(
    folders: Sequence[Path] = (),
    out: Path | None = None,
    csv_dir: Path | None = None,
    lang: str | None = None,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    workers: int | None = None,
    cwd: Path | None = None,
) -> PortfolioResult:
    """Write the portfolio of the client folders below ``folders`` (default: the current folder).

    Raises KwmError when a named folder does not exist, when no client folder is found, or when
    the output may not be written where it would go."""
    now = now or dt.datetime.now().replace(microsecond=0)
    today = now.date()
    here = (cwd or Path.cwd()).absolute()
    roots = [Path(f) if Path(f).is_absolute() else here / f for f in folders] or [here]
    missing = [r for r in roots if not r.is_dir()]
    if missing:
        raise KwmError(
            [problem("portfolio_folder_missing", Location(file=r.name), path=str(r)) for r in missing]
        )
    texts = load_texts(lang if lang in LANGUAGES else None, roots[0])

    found = find_clients(roots)
    if not found.clients:
        where = Location(file=roots[0].name or str(roots[0]))
        shown = ", ".join(str(r) for r in roots)
        raise KwmError([problem("portfolio_no_clients", where, folder=shown), *found.problems])
    target = (
        out if out is not None else here / safe_filename(texts("portfolio.file_name", date=today.isoformat()))
    )
    target = target if target.is_absolute() else here / target
    _refuse(target, found.clients, explicit=out is not None)
    csv_targets = _csv_targets(csv_dir, here) if csv_dir is not None else []

    reads = read_clients(found.clients, progress, workers)
    clients, problems = _clients(reads, texts, today)
    portfolio = build_portfolio(clients, today, [*found.problems, *problems])
    path = write_portfolio(portfolio, texts, target, now)
    written = []
    if csv_targets:
        rows = tables(portfolio, texts)
        for key, csv_path in zip(FILES, csv_targets, strict=True):
            written.append(atomic_write_bytes(csv_path, csv_bytes(rows[key], texts.lang)))
    return PortfolioResult(path, portfolio, texts, written, list(portfolio.problems))


# ---------------------------------------------------------------------------------------------
# Where the portfolio may go


def _refuse(target: Path, clients: Sequence[ClientFolder], explicit: bool) -> None:
    """KwmError when ``target`` may not be written (see the module docstring)."""
    where = Location(file=target.name)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise KwmError([problem("output_not_file", where, path=str(target))])
    if target.name.casefold() in {name.casefold() for name in BASE_NAMES}:
        raise KwmError([problem("output_is_base", where, path=str(target))])
    if is_monitor_name(target.name) or target.suffix.lower() in DECK_SUFFIXES:
        raise KwmError([problem("portfolio_output_client_name", where, path=str(target))])
    if _in_input_folder(target):
        raise KwmError([problem("output_in_answers", where, path=str(target))])
    if not explicit:
        client = _client_folder_of(target, clients)
        if client is not None:
            raise KwmError(
                [problem("portfolio_in_client_folder", where, path=str(target), folder=str(client))]
            )
    refuse_if_locked(target)


def _in_input_folder(path: Path) -> bool:
    return any(part.casefold() in INPUT_FOLDERS for part in path.absolute().parent.parts)


def _client_folder_of(target: Path, clients: Sequence[ClientFolder]) -> Path | None:
    """The client folder ``target`` would be written into (a found one, or a folder holding a
    base), else None."""
    folder = target.absolute().parent.resolve()
    for client in clients:
        root = client.path.resolve()
        if folder == root or root in folder.parents:
            return client.path
    for candidate in (folder, *list(folder.parents)[:3]):
        try:
            names = {p.name.casefold() for p in candidate.iterdir() if p.is_file()}
        except OSError:
            continue
        if names & {name.casefold() for name in BASE_NAMES}:
            return candidate
    return None


def _csv_targets(folder: Path, here: Path) -> list[Path]:
    folder = folder if folder.is_absolute() else here / folder
    where = Location(file=folder.name)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise KwmError([problem("output_not_file", where, path=str(folder))])
    if any(part.casefold() in INPUT_FOLDERS for part in folder.absolute().parts):
        raise KwmError([problem("output_in_answers", where, path=str(folder))])
    targets = [folder / f"{key}.csv" for key in FILES]
    for target in targets:
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise KwmError([problem("output_not_file", Location(file=target.name), path=str(target))])
        refuse_if_locked(target)
    return targets


# ---------------------------------------------------------------------------------------------
# From what each folder gave to clients and problems


def theme_matcher(texts: Texts) -> ThemeMatcher:
    """The inspiration list in both languages (a client's base may be in either), shown in
    ``texts``' language (an organisation's own list included)."""
    lists = [[str(v[0]) for v in load_texts(lang).raw(INSPIRATION)] for lang in LANGUAGES]
    names = [str(v[0]) for v in texts.raw(INSPIRATION)]
    return ThemeMatcher([names, *lists], names)


def _relative(path: Path, folder: ClientFolder) -> str:
    try:
        return shown_name(str(path.relative_to(folder.path)))
    except ValueError:
        return shown_name(path.name)


def _reason(found: Problem, texts: Texts) -> str:
    if found.code == "history_unreadable":
        return texts("portfolio.not_monitor")
    return texts.message(found)


def _clients(reads: Sequence[ClientRead], texts: Texts, today: dt.date) -> tuple[list[Client], list[Problem]]:
    matcher = theme_matcher(texts)
    clients: list[Client] = []
    problems: list[Problem] = []
    for read in reads:
        folder = read.folder
        where = Location(file=shown_name(folder.shown))
        name = shown_name(read.base_client or folder.path.name)
        if read.data is not None:
            if read.failures:
                failure = read.failures[0]
                problems.append(
                    problem(
                        "portfolio_monitor_older",
                        where,
                        monitor=_relative(failure.path, folder),
                        reason=_reason(failure.problem, texts),
                        period=shown_name(read.data.period),
                    )
                )
            client = client_of(read.data, folder.shown, today, matcher)
            if not client.complete:
                problems.append(
                    problem("portfolio_monitor_incomplete", where, monitor=_relative(read.data.path, folder))
                )
            clients.append(client)
        elif read.failures:
            failure = read.failures[0]
            problems.append(
                problem(
                    "portfolio_monitor_unreadable",
                    where,
                    monitor=_relative(failure.path, folder),
                    reason=_reason(failure.problem, texts),
                )
            )
        elif read.base_failure is not None:
            problems.append(
                problem("portfolio_base_unreadable", where, reason=texts.message(read.base_failure))
            )
        elif read.base_errors:
            problems.append(problem("portfolio_base_errors", where, client=name, errors=read.base_errors))
        else:
            problems.append(problem("portfolio_no_monitor", where, client=name))
    return _once(clients, problems)


def _once(clients: list[Client], problems: list[Problem]) -> tuple[list[Client], list[Problem]]:
    """Each client code once: a copy of a client folder would count the client twice. The folder
    with the latest monitor stays; each other one is a problem."""
    by_code: dict[str, list[Client]] = {}
    for client in clients:
        by_code.setdefault(client.code.strip().upper(), []).append(client)
    kept: list[Client] = []
    for same in by_code.values():
        same.sort(key=lambda c: (c.period, c.monitor_date or dt.date.min, c.folder), reverse=True)
        kept.append(same[0])
        for other in same[1:]:
            where = Location(file=shown_name(other.folder))
            problems.append(
                problem(
                    "portfolio_duplicate", where, code=shown_name(other.code), kept=shown_name(same[0].folder)
                )
            )
    order = {id(c): i for i, c in enumerate(clients)}
    kept.sort(key=lambda c: order[id(c)])
    return kept, problems
