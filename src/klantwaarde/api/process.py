"""``kwm process``: read the returned questionnaires, score them, write the monitor.

One pass: validate the base (errors stop), collect the returned forms (one at a time, only their
answers kept), load the trend history from earlier monitors, build the report, write the workbook
atomically. Never prints; the CLI renders the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from klantwaarde.disclosure import Disclosure, decide
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location
from klantwaarde.monitor import Intake, write_internal, write_monitor
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.collect import FileOutcome, collect_forms
from klantwaarde.pipeline.history import HistorySource, earlier_history
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.publish import report_payload
from klantwaarde.report import (
    HistoryRow,
    MonitorReport,
    anonymity_scrubber,
    build_report,
    names_anonymous,
    without_anonymous_names,
)
from klantwaarde.results import envelope
from klantwaarde.texts import Texts
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
    internal: Path | None = None  # the internal workbook beside the monitor

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
        internal = str(self.internal) if self.internal else None
        payload = report_payload(self.report, self.disclosure, str(self.output or ""), internal)
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
    internal_target = target.with_name(layout.internal_path(texts).name)
    sources = list(answers) if answers else [layout.returned_dir]
    for path in (target, internal_target):
        refuse_output(path, layout, sources)
        refuse_if_locked(path)

    missing = [p for p in sources if not p.exists()]
    if missing:
        raise KwmError([problem("file_missing", Location(file=p.name), path=str(p)) for p in missing])
    collection = collect_forms(base, sources, progress=progress)
    # Problems on the internal A3 sheet quote its contents: they stay out of every output of
    # process (`kwm check` and `kwm a3` show them).
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

    report = build_report(base, collection.forms, problems, rows, now)
    # Rule 1 of SPEC 3.5: nothing names an anonymous respondent next to anything of their form.
    # Their files are found by whose form they are (not by what their names say); a base warning
    # about them ("2.03 is assigned to DD alone") would say which respondent a question concerns.
    anonymous = {f.identity.initials for f in collection.forms if f.anonymous}
    theirs = [f for f in collection.files if f.initials in anonymous]
    # A mail that carried their form is theirs too (its name often says who sent it, SPEC 3.9).
    their_files = frozenset({f.path.name for f in theirs} | {f.mail.name for f in theirs if f.mail})
    word, file_word = texts("monitor.anonymous"), texts("internal.anonymous_file")
    scrub = anonymity_scrubber(report.respondents, word, their_files, file_word)
    kept = [p for p in report.problems if p in collection.problems or not names_anonymous(p, scrub)]
    report = without_anonymous_names(replace(report, problems=kept), word, their_files, file_word)
    report = _without_senders(report, theirs, word)
    problems = report.problems
    result = ProcessResult(base, texts, report, None, problems, list(collection.files), used)
    if strict and problems:
        return result
    decision = decide(report)
    result.output = write_monitor(report, texts, target, decision)
    intake = Intake(
        files=tuple(collection.files),
        history=tuple(used),
        anonymous_files=their_files,
        mails=tuple(collection.mails),
    )
    result.internal = write_internal(report, texts, internal_target, intake, decision)
    return result


def _internal(found: Problem) -> bool:
    return (found.location.sheet or "").strip().upper() == "A3" or found.code.startswith("a3_")


def _without_senders(report: MonitorReport, theirs: Sequence[FileOutcome], word: str) -> MonitorReport:
    """The report with the senders of an anonymous respondent's mails (their address, or an
    assistant's who forwarded it, and the names) replaced by ``word`` in every problem."""
    senders = {
        text
        for f in theirs
        if f.mail
        for text in (f.mail.sender, f.mail.sender_name)
        if len(text.strip()) >= 2
    }
    if not senders:
        return report
    hide = anonymity_scrubber((), word, senders, word)
    return replace(report, problems=[p.map_text(hide) for p in report.problems])
