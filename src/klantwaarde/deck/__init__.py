"""The klantwaardesessie deck (SPEC 3.7): a 16:9 PowerPoint from the monitor's own figures.

``write_deck(source, texts, target)`` plans the slides (``content``: what each says, from the
monitor's ``_data``), measures and splits them (``flow``), draws them with native shapes, tables
and editable charts on the organisation's template or kwm's default look (``look``, ``render``)
and saves the file atomically. ``pdf.convert`` turns it into a PDF through LibreOffice Impress.

The deck is for the client: it shows what the monitor shows and nothing more — the disclosure
rules of SPEC 3.5 were applied when the monitor was made, and ``_data`` holds no problems, no file
names, no internal notes and no A3 data. This package may use python-pptx, never a spreadsheet
library (``tests/test_layering.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from klantwaarde.deck import compat
from klantwaarde.deck.content import DeckInput, slides
from klantwaarde.deck.flow import paginate_all
from klantwaarde.deck.look import open_look
from klantwaarde.deck.render import Footer, render
from klantwaarde.problems import Problem
from klantwaarde.texts import Texts
from klantwaarde.workbook.safe import atomic_write, without_control

APPLICATION = "kwm"
LANGUAGE_TAGS = {"nl": "nl-NL", "en": "en-GB"}


@dataclass(frozen=True)
class DeckWritten:
    path: Path
    slides: int
    problems: list[Problem] = field(default_factory=list)


def write_deck(
    source: DeckInput,
    texts: Texts,
    target: Path,
    templates_dir: Path | None = None,
    now: dt.datetime | None = None,
) -> DeckWritten:
    """Write the deck of ``source`` to ``target``; ``templates_dir`` is where ``templates/sessie.pptx``
    may be (the client folder). Raises KwmError when the file cannot be written."""
    look = open_look(templates_dir, texts)
    prs = look.prs
    had_notes_master = compat.has_notes_master(prs)

    def continued(title: str) -> str:
        return texts("deck.continued", title=title)

    pages = paginate_all(slides(source, texts), look.area, continued)
    footer = Footer(texts("deck.footer", client=source.client, period=source.period))
    render(pages, look, footer)
    if not had_notes_master:
        compat.clear_prompts(prs.notes_master)  # python-pptx's own notes master says "Click to edit"
    _properties(prs, source, texts, now or dt.datetime.now().replace(microsecond=0), len(pages))
    atomic_write(target, lambda tmp: prs.save(str(tmp)))
    return DeckWritten(target, len(pages), list(look.problems))


def _properties(prs: object, source: DeckInput, texts: Texts, now: dt.datetime, count: int) -> None:
    props = prs.core_properties  # type: ignore[attr-defined]
    settings = source.figures.settings
    author = without_control(settings.get("account_manager") or settings.get("supplier") or "")
    props.title = without_control(texts("deck.properties.title", client=source.client, period=source.period))
    props.subject = without_control(
        texts("deck.properties.subject", client=source.client, period=source.period)
    )
    props.author = author
    props.last_modified_by = author
    for name in ("keywords", "comments", "category", "content_status", "identifier", "version"):
        setattr(props, name, "")
    props.language = LANGUAGE_TAGS.get(texts.lang, "nl-NL")
    props.created = now
    props.modified = now
    props.revision = 1
    compat.drop_thumbnail(prs)
    compat.set_app_properties(prs, count, count, APPLICATION)


__all__ = ["DeckInput", "DeckWritten", "write_deck"]
