"""``kwm sessie``: the deck for the klantwaardesessie (SPEC 3.7), from the period's monitor.

The deck is made from the monitor's hidden ``_data`` (``--monitor`` names another monitor), never
from the returned forms, so it says exactly what the monitor says. Without a monitor there is no
deck: the problem says to run ``kwm process`` first. ``--pdf`` also writes a PDF through
LibreOffice; without LibreOffice (or when it fails) that is a warning and the PowerPoint is still
written. Never prints.

The base's own warnings are not repeated here (``kwm check`` shows them): a base warning may name
a respondent beside a question, and the deck command cannot tell whether that respondent chose
anonymity — ``_data`` never says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.deck import DeckInput, write_deck
from klantwaarde.deck.pdf import PdfError, convert, find_soffice
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, WorkbookFileError, problem
from klantwaarde.results import envelope, path_text
from klantwaarde.texts import LANGUAGES, Texts, load_texts
from klantwaarde.workbook.history import MonitorData, is_monitor_name, read_data
from klantwaarde.workbook.safe import inside, refuse_if_locked, safe_filename


@dataclass
class SessieResult:
    path: Path
    slides: int
    monitor: Path
    period: str
    texts: Texts
    pdf: Path | None = None
    problems: list[Problem] = field(default_factory=list)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {"output": str(self.path), "slides": self.slides, "pdf": path_text(self.pdf)}
        return envelope(payload, self.problems, texts)


def quoted(path: Path) -> str:
    """A path as a command to paste shows it (as ``cli.common.pasteable``)."""
    return '"' + str(path).replace('"', '\\"') + '"'


def make_deck(
    base_path: Path,
    monitor: Path | None = None,
    out: Path | None = None,
    lang: str | None = None,
    pdf: bool = False,
    now: dt.datetime | None = None,
) -> SessieResult:
    """Write the deck of ``base_path``'s period (or of ``monitor``). Raises KwmError when there is
    no usable monitor, or the deck cannot be written."""
    base, _ = load_base(base_path)
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    chosen = monitor if monitor is not None else default_monitor(layout, texts)
    data = read_monitor(base, chosen, texts, explicit=monitor is not None)
    target = out or deck_target(layout, data, texts)
    pdf_target = target.with_suffix(".pdf")
    for path in (target, pdf_target) if pdf else (target,):
        refuse_output(path, layout)
        refuse_if_locked(path)
    if target.suffix.lower() != ".pptx":  # never onto the monitor it reads, nor any workbook
        raise KwmError([problem("deck_out_not_pptx", Location(file=target.name), path=str(target))])

    source = DeckInput(data.client, data.client_code, data.period, data.figures, tuple(data.history))
    written = write_deck(source, texts, target, layout.templates_dir, now)
    result = SessieResult(
        written.path, written.slides, chosen, data.period, texts, problems=list(written.problems)
    )
    if pdf:
        result.pdf, found = make_pdf(written.path, pdf_target, texts, base_path)
        result.problems += found
    return result


def default_monitor(layout: CycleLayout, texts: Texts) -> Path:
    """The period's monitor: named in this language, else in the other (a monitor made in Dutch
    for an English deck), else any monitor in the period folder; the name in this language when
    there is none, so the problem names it."""
    own = layout.monitor_path(texts)
    others = [layout.monitor_path(load_texts(lang)) for lang in LANGUAGES if lang != texts.lang]
    try:
        found = sorted(p for p in layout.period_dir.iterdir() if p.is_file() and is_monitor_name(p.name))
    except OSError:
        found = []
    return next((p for p in (own, *others, *found) if p.is_file()), own)


def read_monitor(base: Base, path: Path, texts: Texts, *, explicit: bool) -> MonitorData:
    """The monitor's ``_data``, or KwmError with the problem that says what to do."""
    where = Location(file=path.name)
    settings = base.settings
    if not path.is_file():
        if explicit:
            raise KwmError([problem("file_missing", where, path=str(path))])
        command = f"kwm process {quoted(base.path)}"
        raise KwmError(
            [problem("deck_no_monitor", where, path=str(path), period=settings.period, command=command)]
        )
    try:
        data = read_data(path)
    except WorkbookFileError as exc:
        found = exc.problem
        reason = texts("a3.not_monitor") if found.code == "history_unreadable" else texts.message(found)
        raise KwmError(
            [problem("deck_monitor_unreadable", found.location, path=str(path), reason=reason)]
        ) from None
    if data.client_code.strip().upper() != settings.client_code.strip().upper():
        raise KwmError(
            [
                problem(
                    "deck_monitor_other_client", where, found=data.client_code, expected=settings.client_code
                )
            ]
        )
    if not data.figures.kwis and not data.figures.figures:
        # made before _data carried what the monitor shows: made again, it does
        command = f"kwm process {quoted(base.path)}"
        raise KwmError([problem("deck_monitor_old", where, path=str(path), command=command)])
    return data


def deck_target(layout: CycleLayout, data: MonitorData, texts: Texts) -> Path:
    """The period folder's deck; a deck of another period's monitor goes beside that monitor."""
    if data.period == layout.period:
        return layout.deck_path(texts)
    name = safe_filename(texts("deck.file_name", code=layout.client_code, period=data.period))
    return inside(data.path.parent, name)


def make_pdf(deck: Path, target: Path, texts: Texts, base_path: Path) -> tuple[Path | None, list[Problem]]:
    where = Location(file=target.name)
    soffice = find_soffice()
    if soffice is None:
        command = f"kwm sessie {quoted(base_path)} --pdf"
        return None, [problem("deck_pdf_no_soffice", where, command=command)]
    try:
        return convert(deck, target, texts.lang, soffice), []
    except PdfError as exc:
        return None, [problem("deck_pdf_failed", where, reason=str(exc))]
