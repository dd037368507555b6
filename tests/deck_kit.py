"""Helpers for the deck tests: real cycles to make decks from, reading a written deck back, an
organisation's template built in code, and checking a LibreOffice rendering against the boxes.

Decks are made the way a user makes them: the bundled example through ``kwm demo`` (DD chose
anonymity in 2011H1), changed where a test needs it (a respondent who no longer chooses
anonymity, forms taken out so that figures rest on too few respondents), processed by the real
``process`` and read back by python-pptx.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantwaarde.examples import newmedia as nm
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from conftest import FIXED_NOW
from klantwaarde.api.demo import demo
from klantwaarde.api.process import process
from klantwaarde.api.sessie import SessieResult, make_deck
from klantwaarde.deck.content import DeckInput
from klantwaarde.monitor_data import (
    ActionFigures,
    KwiFigures,
    MonitorFigures,
    QuestionFigures,
    RemarkFigures,
)
from klantwaarde.report import HistoryRow
from klantwaarde.workbook.fill import fill_form
from klantwaarde.workbook.history import MonitorData, read_data

PERIOD = nm.PERIOD
EMU_PER_POINT = 12700


# ---------------------------------------------------------------------------------------------
# Cycles to make decks from


def demo_folder(root: Path, lang: str = "nl") -> Path:
    folder = root / "demo"
    demo(folder, lang=lang, now=FIXED_NOW)
    return folder


def base_of(folder: Path) -> Path:
    return folder / "basis.xlsx"


def returned_dir(folder: Path) -> Path:
    return folder / PERIOD / "ingevuld"


def monitor_of(folder: Path) -> Path:
    return next(p for p in (folder / PERIOD).glob("*.xlsx") if "monitor" in p.name.lower())


def refill(folder: Path, initials: str, *, anonymous: bool) -> None:
    """``initials`` returns the example's answers again, choosing anonymity or not."""
    forms = folder / PERIOD / "vragenlijsten"
    form = next(forms.glob(f"*({initials}).xlsx"))
    target = next(returned_dir(folder).glob(f"*({initials}).xlsx"))
    answers: dict[str, tuple[object, object]] = dict(nm.answers(initials, PERIOD))
    fill_form(
        form,
        target,
        answers,
        nps=nm.NPS[PERIOD][initials],
        anonymous="Ja" if anonymous else "Nee",
        remark=nm.REMARKS[PERIOD].get(initials),
    )


def keep_returned(folder: Path, initials: set[str]) -> None:
    """Only these respondents' forms stay in the answers folder."""
    for path in returned_dir(folder).glob("*.xlsx"):
        if path.stem.rsplit("(", 1)[1].rstrip(")") not in initials:
            path.unlink()


def reprocess(folder: Path) -> Path:
    result = process(base_of(folder), now=FIXED_NOW)
    assert result.output is not None
    return result.output


def deck_of(folder: Path, **options: Any) -> SessieResult:
    return make_deck(base_of(folder), now=FIXED_NOW, **options)


def data_of(folder: Path) -> MonitorData:
    return read_data(monitor_of(folder))


# ---------------------------------------------------------------------------------------------
# Reading a deck back


def titles(path: Path) -> list[str]:
    prs = Presentation(str(path))
    return [s.shapes.title.text if s.shapes.title is not None else "" for s in prs.slides]


def slide_texts(slide: Any) -> list[str]:
    """Every text of a slide's shapes (tables cell by cell, charts' categories and series)."""
    found: list[str] = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            found.append(shape.text_frame.text)
        if shape.has_table:
            found += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            plot = shape.chart.plots[0]
            found += [str(c) for c in plot.categories]
            found += [s.name for s in plot.series]
    return found


def charts(slide: Any) -> list[Any]:
    return [shape.chart for shape in slide.shapes if shape.has_chart]


_XML_TEXT = re.compile(r">([^<>]+)<")


def every_text(path: Path) -> str:
    """All text in the package: every XML part (slides, notes, charts, masters, properties) and
    the workbooks embedded in the charts, unpacked."""
    parts: list[str] = []
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            data = archive.read(member)
            if member.endswith((".xml", ".rels")):
                parts += _XML_TEXT.findall(data.decode("utf-8"))
            elif member.endswith(".xlsx"):
                embedded = path.parent / f".embedded-{Path(member).name}"
                embedded.write_bytes(data)
                parts.append(every_text(embedded))
                embedded.unlink()
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Figures built in code (for decks whose content a test controls)


def kwi(code: str, title: str, score: float | None, target: float = 7.5, shown: bool = True) -> KwiFigures:
    return KwiFigures(code, title, f"Omschrijving van {title}.", target, score, score, 12, 4, 0.3, shown)


def figures(
    *,
    kwis: tuple[KwiFigures, ...] = (),
    remarks: tuple[RemarkFigures, ...] = (),
    actions: tuple[ActionFigures, ...] = (),
    authors: bool = True,
) -> MonitorFigures:
    kwis = kwis or (kwi("KWI-01", "Kennisborging", 7.2), kwi("KWI-02", "Inspiratie", 7.8))
    questions = tuple(
        QuestionFigures(
            f"{i + 1}.01",
            k.code,
            "BESTSELLER B.V. gaf blijk actief aan deze KWI te werken",
            4,
            7.0,
            7.1,
            1,
            2,
            1,
            True,
            "active",
        )
        for i, k in enumerate(kwis)
    )
    return MonitorFigures(
        settings={"supplier": "BESTSELLER B.V.", "account_manager": "Rob Martens", "session_date": "2011-07-01", "default_target": "7.5", "threshold": "3"},
        figures={
            "overall": 7.4, "overall_swing": 0.3, "overall_shown": 1.0, "nps": 20.0, "nps_swing": 25.0,
            "nps_shown": 1.0, "promoters": 2.0, "passives": 2.0, "detractors": 1.0, "nps_n": 5.0,
            "returned": 5.0, "asked": 5.0, "answers": 60.0, "remarks_shown": 1.0,
            "remark_authors_shown": float(authors),
        },
        kwis=kwis,
        questions=questions,
        remarks=remarks,
        actions=actions,
        nps_distribution=(0, 0, 0, 0, 0, 0, 1, 1, 1, 2, 0),
    )  # fmt: skip


def action(number: int, description: str, *, overdue: bool = False) -> ActionFigures:
    return ActionFigures(
        f"2011-{number:02d}",
        dt.date(2010, 7, 6),
        description,
        "KWI-01",
        "RM",
        "open",
        dt.date(2011, 3, 1),
        overdue,
    )


def history(rows: list[tuple[str, str, str, float | None]]) -> tuple[HistoryRow, ...]:
    """(period, kind, code, value) rows."""
    return tuple(HistoryRow(period, kind, code, "", value) for period, kind, code, value in rows)


def deck_input(source: MonitorFigures, rows: tuple[HistoryRow, ...] = ()) -> DeckInput:
    return DeckInput("KLANT NV", "KLANT", PERIOD, source, rows)


# ---------------------------------------------------------------------------------------------
# An organisation's own template


@dataclass(frozen=True)
class OrgTemplate:
    path: Path
    title_colour: str
    marker: str  # the name of a shape on its master
    layout_names: tuple[str, ...]
    width: int
    height: int


def org_template(folder: Path) -> OrgTemplate:
    """``templates/sessie.pptx`` as an organisation saves it: 4:3, its own layout names, a
    coloured title style, a logo shape on the master, and a slide of its own (which the deck must
    not carry)."""
    prs = Presentation()
    names = ("Huisstijl titel", "Huisstijl inhoud", "Huisstijl alleen titel")
    for layout, name in zip(
        (prs.slide_layouts[0], prs.slide_layouts[1], prs.slide_layouts[5]), names, strict=True
    ):
        layout._element.cSld.set("name", name)
    colour = "7030A0"
    props = prs.slide_master._element.find(
        f"{qn('p:txStyles')}/{qn('p:titleStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}"
    )
    props.set("sz", "3200")
    fill = props.find(qn("a:solidFill"))
    for child in list(fill):
        fill.remove(child)
    etree.SubElement(fill, qn("a:srgbClr"), val=colour)
    # a logo on the master: drawn on a slide, moved to the master's shape tree
    own = prs.slides.add_slide(prs.slide_layouts[6])
    logo = own.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(Pt(620)), Emu(Pt(500)), Emu(Pt(80)), Emu(Pt(30)))
    logo.name = "Huisstijl logo"
    prs.slide_master.shapes._spTree.append(copy.deepcopy(logo._element))
    slide = prs.slides.add_slide(prs.slide_layouts[1])
    slide.shapes.title.text = "Voorbeelddia van het sjabloon"
    target = folder / "templates" / "sessie.pptx"
    target.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(target))
    return OrgTemplate(target, colour, "Huisstijl logo", names, prs.slide_width, prs.slide_height)


# ---------------------------------------------------------------------------------------------
# LibreOffice: what the rendered slides show, and whether it stays in its boxes


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float


_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.DOTALL)


def rendered(pdf: Path) -> list[tuple[float, float, list[Word]]]:
    """Per PDF page: its width, height (points) and every word with its box (``pdftotext``)."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    )
    pages = []
    for width, height, body in _PAGE.findall(out.stdout):
        words = [
            Word(_unescape(text), float(x0), float(y0), float(x1), float(y1))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        ]
        pages.append((float(width), float(height), words))
    return pages


def _unescape(text: str) -> str:
    return (
        text.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&#39;", "'")
    )


@dataclass(frozen=True)
class Frame:
    words: frozenset[str]
    left: float
    top: float
    right: float
    bottom: float
    chart: bool = False
    table: bool = False

    def holds(self, word: Word) -> bool:
        """The word's glyph box inside this box: a glyph box is a little taller than the line it
        sits on (the font's whole height), so it may stand out by a fifth of its own height; a
        line that runs out of its box stands out by a whole line."""
        tolerance = max(2.0, 0.2 * (word.bottom - word.top))
        return (
            word.left >= self.left - 2.0
            and word.right <= self.right + 2.0
            and word.top >= self.top - tolerance
            and word.bottom <= self.bottom + tolerance
        )


def _words(text: str) -> set[str]:
    return set(text.split())


def frames(pptx: Path) -> list[list[Frame]]:
    """Per slide: the box of every shape that shows text (the slide's own, and the layout's and
    master's placeholders it inherits), with the words it holds."""
    prs = Presentation(str(pptx))
    found = []
    for slide in prs.slides:
        boxes: list[Frame] = []
        for shape in slide.shapes:
            if shape.width is None or shape.height is None:
                continue
            box = (
                shape.left / EMU_PER_POINT,
                shape.top / EMU_PER_POINT,
                (shape.left + shape.width) / EMU_PER_POINT,
                (shape.top + shape.height) / EMU_PER_POINT,
            )
            words: set[str] = set()
            if shape.has_text_frame:
                words = _words(shape.text_frame.text)
            if shape.has_table:
                words = {w for row in shape.table.rows for cell in row.cells for w in _words(cell.text)}
            boxes.append(Frame(frozenset(words), *box, chart=shape.has_chart, table=shape.has_table))
        found.append(boxes)
    return found


def misplaced(pptx: Path, pdf: Path) -> list[str]:
    """Every rendered word outside its page, or outside the box of the shape whose text it is
    (a chart's labels: outside the chart; a word no shape's text holds: outside every box)."""
    problems = []
    pages = rendered(pdf)
    for number, ((width, height, words), boxes) in enumerate(zip(pages, frames(pptx), strict=True), start=1):
        for word in words:
            if word.left < 0 or word.top < 0 or word.right > width + 0.5 or word.bottom > height + 0.5:
                problems.append(f"slide {number}: {word.text!r} off the page")
                continue
            if any(b.chart and b.holds(word) for b in boxes):
                continue  # a chart lays out its own labels, inside its frame
            owners = [b for b in boxes if word.text in b.words]
            if not any(b.holds(word) for b in owners or boxes):
                problems.append(
                    f"slide {number}: {word.text!r} at {word.top:.0f}-{word.bottom:.0f} outside its box"
                )
    return problems


def broken_words(pptx: Path, pdf: Path) -> list[str]:
    """Every word of a table that the rendering broke in two (over two lines of a too narrow
    column, or at its hyphen: ``2011-`` over ``01``): a rendered word inside a table that is none
    of the table's words but a part of one. (Running text may break at a hyphen, as any text does.)"""
    problems = []
    pages = rendered(pdf)
    for number, ((_, _, words), boxes) in enumerate(zip(pages, frames(pptx), strict=True), start=1):
        for table in (b for b in boxes if b.table):
            for word in words:
                if (
                    table.holds(word)
                    and word.text not in table.words
                    and any(word.text in w for w in table.words)
                ):
                    problems.append(f"slide {number}: {word.text!r} is part of a word broken in two")
    return problems


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", out.stdout, re.MULTILINE).group(1))  # type: ignore[union-attr]


def page_texts(pdf: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout.split("\f")[:-1] if out.stdout.endswith("\f") else out.stdout.split("\f")


def copy_folder(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    return target
