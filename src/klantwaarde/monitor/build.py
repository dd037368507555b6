"""The monitor workbook (SPEC 3.4): the report that goes on the table at the klantwaardesessie.

``write_monitor(report, texts, target)`` builds the workbook from scratch from a ``MonitorReport``
and saves it atomically: the sheets of ``registry.MONITOR_SHEETS`` in SPEC order, names and labels
from the texts, numbers stored as numbers with display formats, native charts, every sheet
printable on A4, and the hidden ``_data`` sheet (``workbook.history``) last.

``write_internal`` writes the internal workbook of SPEC 3.6 beside it the same way (the sheets of
``registry.INTERNAL_SHEETS``, every page headed "Intern – niet delen met de klant").

Three rules shape everything here:

- **Client-facing**: the monitor holds nothing internal — no processing messages, no file names of
  returned forms, no ``Interne notitie``, no A3 data. Those are in the internal workbook only.
- **Disclosure**: what may be shown is decided once, by ``klantwaarde.disclosure.decide``; the
  sheets render the *published* report (``publish.published``), from which everything withheld
  has been taken out, and ask the decision only to say why a figure is empty. The hidden ``_data``
  sheet holds no more than the visible sheets.
- **Literal text**: every text goes through ``Sheet.put`` (``set_text``), so a remark like
  ``=HYPERLINK(..)`` stays text. The workbook holds no formulas at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from klantwaarde.disclosure import Disclosure, decide
from klantwaarde.model import Location
from klantwaarde.monitor.context import Context, Intake, clean
from klantwaarde.monitor.registry import INTERNAL_SHEETS, MONITOR_SHEETS, build_workbook, sheet_names_for
from klantwaarde.monitor_data import from_report
from klantwaarde.problems import KwmError, problem
from klantwaarde.publish import published
from klantwaarde.report import MonitorReport, anonymity_scrubber
from klantwaarde.texts import Texts
from klantwaarde.workbook import compat
from klantwaarde.workbook.history import DATA_SHEET, write_data_sheet
from klantwaarde.workbook.safe import atomic_save, collect_quietly, is_write_error, safe_filename

SHEET_KEYS = tuple(spec.key for spec in MONITOR_SHEETS)


def write_monitor(
    report: MonitorReport, texts: Texts, target: Path, disclosure: Disclosure | None = None
) -> Path:
    """Write the monitor for ``report`` to ``target`` (temporary file, then moved into place)."""
    return _save(target, lambda: build_monitor(report, texts, disclosure))


def _save(target: Path, build: Callable[[], Workbook]) -> Path:
    """Build a streamed workbook and save it atomically. The sheets stream to temporary files while
    they are built, so a full disk can stop the build as well as the save: either way the problem
    is ``output_failed`` naming ``target``, which is left as it was, and no stream file remains."""
    try:
        workbook = build()
    except Exception as exc:
        if not is_write_error(exc):
            raise
        collect_quietly()
        raise KwmError(
            [problem("output_failed", Location(file=target.name), path=str(target), reason=str(exc))]
        ) from None
    try:
        return atomic_save(workbook, target)
    finally:
        discard(workbook)


def discard(workbook: Workbook) -> None:
    """Close the streams of a write-only workbook that was not (fully) saved and remove their files."""
    compat.discard_streams(workbook)


def build_monitor(report: MonitorReport, texts: Texts, disclosure: Disclosure | None = None) -> Workbook:
    """The monitor as a write-only openpyxl workbook, not yet saved (it can be saved once).

    Write-only: every sheet is streamed to a temporary file as it is finished, and the answer
    sheet and ``_data`` every few hundred rows, so memory does not grow with the number of answers.
    """
    decision = disclosure or decide(report)
    shown = published(report, decision)
    scrub = anonymity_scrubber(report.respondents, texts("monitor.anonymous"))
    ctx = Context(shown, texts, sheet_names(texts), scrub, decision)
    workbook = build_workbook(MONITOR_SHEETS, ctx)
    try:
        write_data_sheet(workbook.create_sheet(DATA_SHEET), shown, from_report(shown, decision))
    except BaseException:
        discard(workbook)
        raise
    _properties(workbook, report, f"{texts('monitor.title')} {report.base.settings.client_code}")
    return workbook


def write_internal(
    report: MonitorReport, texts: Texts, target: Path, intake: Intake, disclosure: Disclosure | None = None
) -> Path:
    """Write the internal workbook (SPEC 3.6) for ``report`` to ``target``, atomically."""
    decision = disclosure or decide(report)
    scrub = anonymity_scrubber(report.respondents, texts("monitor.anonymous"))
    names = sheet_names_for(INTERNAL_SHEETS, texts, "internal.sheets")
    banner = texts("internal.banner")
    ctx = Context(
        published(report, decision), texts, names, scrub, decision, intake=intake, page_header=banner
    )

    def build() -> Workbook:
        workbook = build_workbook(INTERNAL_SHEETS, ctx)
        _properties(workbook, report, f"{texts('internal.title')} {report.base.settings.client_code}")
        return workbook

    return _save(target, build)


def _properties(workbook: Workbook, report: MonitorReport, title: str) -> None:
    workbook.active = 0
    props = workbook.properties
    props.creator = "kwm"
    props.lastModifiedBy = "kwm"
    props.title = clean(f"{title} {report.base.settings.period}")
    props.created = report.generated_at
    props.modified = report.generated_at


def sheet_names(texts: Texts) -> dict[str, str]:
    """Sheet key -> a valid, unique sheet name from the texts (an override may be careless)."""
    return sheet_names_for(MONITOR_SHEETS, texts, "monitor.sheets", reserved=(DATA_SHEET,))


def monitor_file_name(texts: Texts, client_code: str, period: str) -> str:
    """``KLANT-2011H1 Klantwaardemonitor.xlsx`` (or the English name), safe as a file name."""
    return safe_filename(texts("monitor.file_name", code=client_code, period=period))
