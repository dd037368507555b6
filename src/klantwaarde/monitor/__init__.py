"""The monitor workbook (SPEC 3.4) for the client, and the internal workbook (SPEC 3.6) beside it,
written from a ``MonitorReport``.

Where things are: ``build.py`` the entry points; ``registry.py`` the sheets in order
(``MONITOR_SHEETS``, ``INTERNAL_SHEETS``) and the machinery writing a workbook from such a list;
``sheet.py`` the streaming sheet; ``context.py`` what every builder reads (the published report,
texts, disclosure, styles); ``charts.py`` chart specs and their renderer; the builders by kind:
``overview.py`` (cover, respondents, KWIs, assignment), ``scores.py`` (KWI scores, trend, NPS),
``analysis.py``, ``lists.py`` (remarks, actions, answers), ``internal.py`` (the internal workbook).
Colours and styles: ``workbook/styles.py``.
"""

from klantwaarde.monitor.build import (
    SHEET_KEYS,
    build_monitor,
    discard,
    monitor_file_name,
    sheet_names,
    write_internal,
    write_monitor,
)
from klantwaarde.monitor.context import Intake

__all__ = [
    "SHEET_KEYS",
    "Intake",
    "build_monitor",
    "discard",
    "monitor_file_name",
    "sheet_names",
    "write_internal",
    "write_monitor",
]
