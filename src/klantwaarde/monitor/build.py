"""The monitor workbook (SPEC 3.4): the report that goes on the table at the klantwaardesessie.

``write_monitor(report, texts, target)`` builds the workbook from scratch from a ``MonitorReport``
and saves it atomically: the sheets of ``registry.MONITOR_SHEETS`` in SPEC order, names and labels
from the texts, numbers stored as numbers with display formats, native charts, every sheet
printable on A4, and the hidden ``_data`` sheet (``workbook.history``) last.

Two rules shape everything here:

- **Disclosure**: what of a respondent may be shown is decided once, by
  ``klantwaarde.disclosure.decide(report)``; every sheet asks that decision (``ctx.disclosure``).
  Today it hides every individual detail of an anonymous respondent: their name, initials and
  e-mail appear only on the respondents and assignment sheets, and their identity is scrubbed from
  problem messages and file names on the messages sheet.
- **Literal text**: every text goes through ``Sheet.put`` (``set_text``), so a remark like
  ``=HYPERLINK(..)`` stays text. The workbook holds no formulas at all; the internal A3 data of the
  base is never read here.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from klantwaarde.disclosure import decide
from klantwaarde.monitor.context import Context, clean
from klantwaarde.monitor.registry import MONITOR_SHEETS, build_workbook, sheet_names_for
from klantwaarde.report import MonitorReport, anonymity_scrubber
from klantwaarde.texts import Texts
from klantwaarde.workbook import compat
from klantwaarde.workbook.history import DATA_SHEET, write_data_sheet
from klantwaarde.workbook.safe import atomic_save, safe_filename

SHEET_KEYS = tuple(spec.key for spec in MONITOR_SHEETS)


def write_monitor(report: MonitorReport, texts: Texts, target: Path) -> Path:
    """Write the monitor for ``report`` to ``target`` (temporary file, then moved into place)."""
    workbook = build_monitor(report, texts)
    try:
        return atomic_save(workbook, target)
    finally:
        discard(workbook)


def discard(workbook: Workbook) -> None:
    """Close the streams of a write-only workbook that was not (fully) saved and remove their files."""
    compat.discard_streams(workbook)


def build_monitor(report: MonitorReport, texts: Texts) -> Workbook:
    """The monitor as a write-only openpyxl workbook, not yet saved (it can be saved once).

    Write-only: every sheet is streamed to a temporary file as it is finished, and the answer
    sheet and ``_data`` every few hundred rows, so memory does not grow with the number of answers.
    """
    scrub = anonymity_scrubber(report.respondents, texts("monitor.anonymous"))
    ctx = Context(report, texts, sheet_names(texts), scrub, decide(report))
    workbook = build_workbook(MONITOR_SHEETS, ctx)
    write_data_sheet(workbook.create_sheet(DATA_SHEET), report)
    workbook.active = 0

    settings = report.base.settings
    props = workbook.properties
    props.creator = "kwm"
    props.lastModifiedBy = "kwm"
    props.title = clean(f"{texts('monitor.title')} {settings.client_code} {settings.period}")
    props.created = report.generated_at
    props.modified = report.generated_at
    return workbook


def sheet_names(texts: Texts) -> dict[str, str]:
    """Sheet key -> a valid, unique sheet name from the texts (an override may be careless)."""
    return sheet_names_for(MONITOR_SHEETS, texts, "monitor.sheets", reserved=(DATA_SHEET,))


def monitor_file_name(texts: Texts, client_code: str, period: str) -> str:
    """``KLANT-2011H1 Klantwaardemonitor.xlsx`` (or the English name), safe as a file name."""
    return safe_filename(texts("monitor.file_name", code=client_code, period=period))
