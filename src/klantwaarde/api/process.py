"""``kwm process``: read the returned questionnaires, score them, write the monitor.

One pass: validate the base (errors stop), collect the returned forms (one at a time, only their
answers kept), load the trend history from earlier monitors, build the report, write the workbook
atomically. Never prints; the CLI renders the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klantwaarde.model import Base, Location
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.report import HistoryRow, MonitorReport, build_report, without_anonymous_names
from klantwaarde.texts import Texts, load_texts


def default_monitor_path(base: Base, texts: Texts) -> Path:
    """``<base folder>/<Periode>/<Klantcode>-<Periode> Klantwaardemonitor.xlsx`` (English name in English)."""
    from klantwaarde.monitor import monitor_file_name

    settings = base.settings
    return (
        base.path.parent / settings.period / monitor_file_name(texts, settings.client_code, settings.period)
    )


@dataclass
class ProcessResult:
    base: Base
    texts: Texts
    report: MonitorReport | None
    output: Path | None  # None when nothing was written (--strict with problems)
    problems: list[Problem] = field(default_factory=list)
    files: list[object] = field(default_factory=list)  # collect.FileOutcome per file read
    history_sources: list[Path] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.output is not None


def process(
    base_path: Path,
    answers: Sequence[Path] | None = None,
    out: Path | None = None,
    *,
    strict: bool = False,
    lang: str | None = None,
    history: Sequence[Path] = (),
    use_history: bool = True,
    now: dt.datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ProcessResult:
    """Process the returned forms of ``base_path``'s period into the monitor.

    Raises KwmError when the base has errors or no valid form came back. With ``strict`` any
    problem means nothing is written (``output`` is None). ``progress(done, total)`` is called
    after each file.
    """
    from klantwaarde.api.check import load_base
    from klantwaarde.api.collect import collect_forms, default_answers_dir
    from klantwaarde.workbook.safe import refuse_if_locked

    base, base_problems = load_base(base_path)
    texts = load_texts(lang or base.settings.language, base.path.parent)
    target = out or default_monitor_path(base, texts)
    refuse_if_locked(target)

    sources = list(answers) if answers else [default_answers_dir(base)]
    missing = [p for p in sources if not p.exists()]
    if missing:
        raise KwmError([problem("file_missing", Location(file=p.name), path=str(p)) for p in missing])
    collection = collect_forms(base, sources, progress=progress)
    # Problems on the internal A3 sheet quote its contents: they stay out of the client's monitor
    # (`kwm check` and `kwm a3` show them).
    problems = [*(p for p in base_problems if not _internal(p)), *collection.problems]
    if not collection.forms:
        where = Location(file=sources[0].name if len(sources) == 1 else "")
        raise KwmError(
            [*problems, problem("nothing_returned", where, folder=", ".join(str(s) for s in sources))]
        )

    rows: list[HistoryRow] = []
    used: list[Path] = []
    if use_history or history:
        rows, history_problems, used = _history(base, target, history, use_history)
        problems += history_problems

    # Problems name files, and files name their respondent: keep anonymous ones out of every output.
    report = without_anonymous_names(
        build_report(base, collection.forms, problems, rows, now), texts("monitor.anonymous")
    )
    problems = report.problems
    result = ProcessResult(base, texts, report, None, problems, list(collection.files), used)
    if strict and problems:
        return result
    from klantwaarde.monitor import write_monitor

    result.output = write_monitor(report, texts, target)
    return result


def _internal(found: Problem) -> bool:
    return (found.location.sheet or "").strip().upper() == "A3" or found.code.startswith("a3_")


def _history(
    base: Base, target: Path, extra: Sequence[Path], search: bool
) -> tuple[list[HistoryRow], list[Problem], list[Path]]:
    """Rows of earlier monitors: every monitor of this client under the client folder, plus ``extra``."""
    from klantwaarde.workbook.history import find_monitors, load_history

    found: list[Path] = []
    if search:
        found = find_monitors(base.path.parent, base.settings.client_code)
    for path in extra:
        found += find_monitors(path, base.settings.client_code) if path.is_dir() else [path]
    unique = list(dict.fromkeys(p.resolve() for p in found))
    # The monitor being replaced still carries the history of periods whose monitors may be gone.
    rows, problems = load_history(unique)
    return rows, problems, unique
