"""``kwm a3``: the internal A3 account plan, with the latest KWI scores and NPS from a monitor.

The monitor is optional. Without one (or with one that cannot be used) the plan is still written,
with an empty score column to fill in; an unusable monitor is a warning, never a stop. Never prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, WorkbookFileError, problem
from klantwaarde.report import HistoryRow
from klantwaarde.results import envelope, path_text
from klantwaarde.texts import Texts
from klantwaarde.workbook.a3 import write_a3
from klantwaarde.workbook.history import find_monitors, read_data
from klantwaarde.workbook.safe import refuse_if_locked


@dataclass
class MonitorScores:
    """What the plan takes from a monitor: the latest period's KWI scores and NPS."""

    period: str
    kwi_scores: dict[str, float | None]  # KWI code (upper-case) -> score
    nps: float | None
    nps_last_year: float | None = None  # the latest NPS of the year before, from the trend


@dataclass
class A3Result:
    path: Path
    monitor: Path | None  # the monitor whose scores were used; None without usable scores
    texts: Texts
    monitor_period: str | None = None
    kwi_scores: dict[str, float | None] | None = None
    nps: float | None = None
    monitor_tried: Path | None = None  # the monitor that was looked at, used or not
    problems: list[Problem] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.texts.lang

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "output": str(self.path),
            "monitor": path_text(self.monitor),
            "monitor_period": self.monitor_period,
            "kwi_scores": self.kwi_scores,
            "nps": self.nps,
            "internal": True,
        }
        return envelope(payload, self.problems, texts)


def make_a3(
    base_path: Path,
    monitor: Path | None = None,
    out: Path | None = None,
    lang: str | None = None,
    now: dt.datetime | None = None,
) -> A3Result:
    """Write the A3 plan of ``base_path``. Raises KwmError when the base has errors, when an
    explicitly named monitor does not exist, or when the output cannot be written."""
    base, problems = load_base(base_path)
    texts = base_texts(base, lang)
    target = out or CycleLayout.of(base).a3_path(texts)
    refuse_output(target, CycleLayout.of(base), internal=True)
    refuse_if_locked(target)
    if monitor is not None and not monitor.is_file():
        raise KwmError([problem("file_missing", Location(file=monitor.name), path=str(monitor))])
    chosen = monitor if monitor is not None else default_monitor(base, texts)

    scores: MonitorScores | None = None
    if chosen is not None:
        scores, found = read_monitor_scores(base, chosen, texts)
        problems = [*problems, *found]
    path = write_a3(
        base,
        texts,
        target,
        kwi_scores=scores.kwi_scores if scores else None,
        nps=scores.nps if scores else None,
        monitor_period=scores.period if scores else None,
        now=now or dt.datetime.now(),
        nps_last_year=scores.nps_last_year if scores else None,
    )
    return A3Result(
        path=path,
        monitor=chosen if scores else None,
        texts=texts,
        monitor_period=scores.period if scores else None,
        kwi_scores=scores.kwi_scores if scores else None,
        nps=scores.nps if scores else None,
        monitor_tried=chosen,
        problems=problems,
    )


def default_monitor(base: Base, texts: Texts) -> Path | None:
    """The period's monitor when it exists, else the monitor of this client with the latest
    period up to this one (e.g. the previous period's, right after ``kwm next``), else None."""
    settings = base.settings
    layout = CycleLayout.of(base)
    own = layout.monitor_path(texts)
    if own.is_file():
        return own
    latest: tuple[str, Path] | None = None
    for path in find_monitors(layout.client_dir, settings.client_code):
        try:
            found = read_data(path).period
        except WorkbookFileError:
            continue
        if found <= settings.period and (latest is None or found >= latest[0]):
            latest = (found, path)
    return latest[1] if latest else None


def read_monitor_scores(base: Base, path: Path, texts: Texts) -> tuple[MonitorScores | None, list[Problem]]:
    """The latest period's KWI scores and NPS of a monitor, or None with a warning why not."""
    where = Location(file=path.name)
    try:
        data = read_data(path)
    except WorkbookFileError as exc:
        found = exc.problem
        reason = texts("a3.not_monitor") if found.code == "history_unreadable" else texts.message(found)
        return None, [problem("a3_monitor_unreadable", found.location, path=str(path), reason=reason)]
    expected = base.settings.client_code.strip().upper()
    if data.client_code.strip().upper() != expected:
        return None, [
            problem(
                "a3_monitor_other_client", where, found=data.client_code, expected=base.settings.client_code
            )
        ]
    scores = latest_scores(data.history)
    if scores is None:
        return None, [problem("a3_monitor_empty", where, path=str(path))]
    return scores, []


def latest_scores(history: list[HistoryRow]) -> MonitorScores | None:
    """``kwi_score`` per code and ``nps`` of the latest period that has either; None when none."""
    useful = [row for row in history if row.kind in ("kwi_score", "nps")]
    if not useful:
        return None
    period = max(row.period for row in useful)
    rows = [row for row in useful if row.period == period]
    kwi_scores = {row.code.strip().upper(): row.value for row in rows if row.kind == "kwi_score"}
    nps = next((row.value for row in rows if row.kind == "nps"), None)
    if not kwi_scores and nps is None:
        return None
    return MonitorScores(period, kwi_scores, nps, _nps_of_the_year_before(history, period))


def _nps_of_the_year_before(history: list[HistoryRow], period: str) -> float | None:
    """The NPS of the latest period of the year before ``period`` (2010H2 for 2011H1), or None."""
    year = period[:4]
    if not year.isdigit():
        return None
    before = str(int(year) - 1)
    rows = [row for row in history if row.kind == "nps" and row.period.startswith(before)]
    return max(rows, key=lambda row: row.period).value if rows else None
