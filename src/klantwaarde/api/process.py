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
from typing import Any

from klantwaarde.disclosure import Disclosure, decide
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.collect import FileOutcome, collect_forms
from klantwaarde.pipeline.history import HistorySource, earlier_history
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.report import (
    HistoryRow,
    MonitorReport,
    build_report,
    report_payload,
    without_anonymous_names,
)
from klantwaarde.results import envelope
from klantwaarde.texts import Texts
from klantwaarde.workbook.monitor import write_monitor
from klantwaarde.workbook.safe import refuse_if_locked


@dataclass
class ProcessResult:
    base: Base
    texts: Texts
    report: MonitorReport | None
    output: Path | None  # None when nothing was written (--strict with problems)
    problems: list[Problem] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)  # what became of each file read
    history_sources: list[HistorySource] = field(default_factory=list)

    @property
    def written(self) -> bool:
        return self.output is not None

    @property
    def disclosure(self) -> Disclosure:
        assert self.report is not None
        return decide(self.report)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        """What ``kwm process --json`` prints (SPEC 3.4): what the account manager sees, under the
        disclosure rules like the workbooks."""
        assert self.report is not None
        payload = report_payload(self.report, self.disclosure, str(self.output or ""))
        return envelope(payload, self.problems, texts)


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
    base, base_problems = load_base(base_path)
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    target = out or layout.monitor_path(texts)
    sources = list(answers) if answers else [layout.returned_dir]
    refuse_output(target, layout, sources)
    refuse_if_locked(target)

    missing = [p for p in sources if not p.exists()]
    if missing:
        raise KwmError([problem("file_missing", Location(file=p.name), path=str(p)) for p in missing])
    collection = collect_forms(base, sources, progress=progress)
    # Problems on the internal A3 sheet quote its contents: they stay out of the client's monitor
    # (`kwm check` and `kwm a3` show them).
    problems = [
        *(p for p in base_problems if not _internal(p)),
        *collection.register_problems,
        *collection.problems,
    ]
    if not collection.forms:
        where = Location(file=sources[0].name if len(sources) == 1 else "")
        raise KwmError(
            [*problems, problem("nothing_returned", where, folder=", ".join(str(s) for s in sources))]
        )

    rows: list[HistoryRow] = []
    used: list[HistorySource] = []
    if use_history or history:
        rows, history_problems, used = earlier_history(base, history, use_history)
        problems += history_problems

    # Problems name files, and files name their respondent: keep anonymous ones out of every output.
    report = without_anonymous_names(
        build_report(base, collection.forms, problems, rows, now), texts("monitor.anonymous")
    )
    problems = report.problems
    result = ProcessResult(base, texts, report, None, problems, list(collection.files), used)
    if strict and problems:
        return result
    result.output = write_monitor(report, texts, target)
    return result


def _internal(found: Problem) -> bool:
    return (found.location.sheet or "").strip().upper() == "A3" or found.code.startswith("a3_")
