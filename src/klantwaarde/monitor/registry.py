"""The sheets of a workbook, in order, and the machinery that writes a workbook from such a list.

A registry is an ordered tuple of ``SheetSpec``: the sheet's key (its name comes from the texts,
``<prefix>.<key>``), the builder that fills it, and whether its rows are streamed out while it is
written (the long tables). ``MONITOR_SHEETS`` is the monitor of SPEC 3.4 (for the client: nothing
internal); ``INTERNAL_SHEETS`` is the internal workbook of SPEC 3.6 beside it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from openpyxl import Workbook

from klantwaarde.monitor import analysis, internal, lists, overview, scores
from klantwaarde.monitor.context import Context
from klantwaarde.monitor.sheet import Sheet
from klantwaarde.texts import Texts
from klantwaarde.workbook import compat

_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class SheetSpec:
    key: str
    build: Callable[[Sheet], None]
    streamed: bool = False  # rows go out in pieces while the sheet is written (memory stays flat)


MONITOR_SHEETS: tuple[SheetSpec, ...] = (  # SPEC 3.4, in this order
    SheetSpec("cover", overview.cover),
    SheetSpec("respondents", overview.respondents, streamed=True),
    SheetSpec("kwis", overview.kwis),
    SheetSpec("assignment", overview.assignment, streamed=True),
    SheetSpec("scores", scores.scores),
    SheetSpec("trend", scores.trend),
    SheetSpec("nps", scores.nps),
    SheetSpec("analysis", analysis.analysis),
    SheetSpec("remarks", lists.remarks),
    SheetSpec("actions", lists.actions),
    SheetSpec("answers", lists.answers, streamed=True),
)


INTERNAL_SHEETS: tuple[SheetSpec, ...] = (  # SPEC 3.6, in this order
    SheetSpec("summary", internal.summary),
    SheetSpec("received", internal.received, streamed=True),
    SheetSpec("problems", internal.problems, streamed=True),
    SheetSpec("per_respondent", internal.per_respondent),
    SheetSpec("notes", internal.notes),
)


class Keyed(Protocol):
    """A sheet's entry in a registry: what its name is looked up by."""

    @property
    def key(self) -> str: ...


def sheet_names_for(
    registry: Sequence[Keyed], texts: Texts, prefix: str, reserved: Collection[str] = ()
) -> dict[str, str]:
    """Sheet key -> a valid, unique sheet name from the texts (an override may be careless);
    ``reserved`` names (a hidden data sheet) are never given out."""
    names: dict[str, str] = {}
    used = {name.lower() for name in reserved}
    for spec in registry:
        key = spec.key
        name = _SHEET_NAME_FORBIDDEN.sub("", texts(f"{prefix}.{key}")).strip().strip("'")[:31]
        name = name or key
        base, counter = name, 2
        while name.lower() in used:
            suffix = f" {counter}"
            name, counter = base[: 31 - len(suffix)] + suffix, counter + 1
        used.add(name.lower())
        names[key] = name
    return names


def build_workbook(registry: Sequence[SheetSpec], ctx: Context) -> Workbook:
    """A write-only workbook with the sheets of ``registry``, in order, each built and streamed
    out before the next begins (named by ``ctx.names``). More sheets may be added before saving."""
    workbook = Workbook(write_only=True)
    try:
        for spec in registry:
            sheet = Sheet(workbook.create_sheet(ctx.names[spec.key]), ctx, streamed=spec.streamed)
            sheet.ws.sheet_view.showGridLines = False
            spec.build(sheet)
            sheet.flush()
    except BaseException:  # e.g. a full disk while streaming: the sheets written so far go too
        compat.discard_streams(workbook)
        raise
    return workbook
