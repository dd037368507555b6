"""The deck's look: an organisation's own template, or kwm's built-in default.

``templates/sessie.pptx`` beside the base (in the client folder's ``templates/``, where the
organisation's texts are) supplies the slide master and layouts: its own slides are removed, and
its layouts are chosen by what their placeholders are, never by name or position — the title
slide is the layout with a centred title (and a subtitle), every other slide the layout with a
title and nothing else ("Title Only"), their content placed in the box the template's content
layout ("Title and Content") gives its body. The template's slide size is kept.

Without one the default is built from python-pptx's own template: 16:9, a navy title bar on the
master, a navy title slide, the palette of ``workbook/styles.py`` as theme colours, Calibri (the
theme font; LibreOffice shows it as the metric-compatible Carlito), and layout names in the deck's
language. A template that cannot be used is a warning and the default is used.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.util import Emu

from klantwaarde.deck import compat
from klantwaarde.deck.flow import Box
from klantwaarde.model import Location
from klantwaarde.problems import Problem, problem
from klantwaarde.texts import Texts
from klantwaarde.workbook import styles

TEMPLATE_NAME = "sessie.pptx"
MAX_TEMPLATE_BYTES = 50 * 1024 * 1024  # a template with the organisation's pictures
MAX_UNPACKED = 200 * 1024 * 1024
MAX_MEMBERS = 2000
EMU_PER_POINT = 12700

# The default look (points; the slide is 960 x 540, 16:9).
WIDE = (960.0, 540.0)
MARGIN = 40.0
BAR = 66.0  # the title bar
ACCENT = 4.0  # the thin line under it
FOOTER_TOP = 508.0
FOOTER_HEIGHT = 22.0
CONTENT_TOP = BAR + ACCENT + 18.0
CONTENT_BOTTOM = FOOTER_TOP - 10.0
TITLE_SIZE = 28.0
COVER = 300.0  # the navy block of the title slide

BODY_TYPES = {PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT}
CONTENT_TYPES = BODY_TYPES | {
    PP_PLACEHOLDER.CHART,
    PP_PLACEHOLDER.TABLE,
    PP_PLACEHOLDER.PICTURE,
    PP_PLACEHOLDER.MEDIA_CLIP,
    PP_PLACEHOLDER.ORG_CHART,
    PP_PLACEHOLDER.BITMAP,
    PP_PLACEHOLDER.SUBTITLE,
    PP_PLACEHOLDER.VERTICAL_BODY,
    PP_PLACEHOLDER.VERTICAL_OBJECT,
}
TITLE_TYPES = {PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE}


@dataclass
class Look:
    """A presentation to add the deck's slides to, with the layouts to use and where content goes."""

    prs: Any
    title_layout: Any
    slide_layout: Any
    area: Box  # the content box of a slide (points)
    default: bool  # kwm's own look (its colours for the footer)
    title_size: float  # the size a slide title is set in (for measuring it)
    cover_title_size: float
    footer: Box | None = None  # kwm's look draws its own footer line here
    problems: list[Problem] = field(default_factory=list)


def points(value: int | None) -> float:
    return (value or 0) / EMU_PER_POINT


def template_path(templates_dir: Path) -> Path:
    return templates_dir / "templates" / TEMPLATE_NAME


def open_look(templates_dir: Path | None, texts: Texts) -> Look:
    """The organisation's template when there is one (and it can be used), else the default."""
    path = template_path(templates_dir) if templates_dir is not None else None
    if path is None or not path.is_file():
        return default_look(texts)
    where = Location(file=f"templates/{TEMPLATE_NAME}")
    try:
        if not safe_package(path):
            raise ValueError("not a presentation kwm opens")
        prs = Presentation(str(path))
    except Exception:  # noqa: BLE001 - python-pptx raises many kinds for a broken package
        look = default_look(texts)
        look.problems.append(problem("deck_template_unusable", where, reason=texts("deck.template.not_pptx")))
        return look
    found = template_look(prs)
    if found is None:
        look = default_look(texts)
        look.problems.append(problem("deck_template_unusable", where, reason=texts("deck.template.no_title")))
        return look
    return found


def safe_package(path: Path) -> bool:
    """Whether ``path`` is a PowerPoint package kwm may open: not too large, not a zip bomb, not
    encrypted, a presentation part, and no DTD or entity declaration in any part (as
    ``workbook.safe.guard_input`` checks a workbook before any parser sees it)."""
    try:
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            return False
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED:
                return False
            if any(i.flag_bits & 0x1 for i in infos):
                return False
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or "ppt/presentation.xml" not in names:
                return False
            for info in infos:
                if info.filename.endswith((".xml", ".rels")) and _declares(archive.read(info)):
                    return False
    except (OSError, zipfile.BadZipFile, ValueError):
        return False
    return True


def _declares(data: bytes) -> bool:
    upper = data.upper()
    return b"<!DOCTYPE" in upper or b"<!ENTITY" in upper


def _kinds(layout: Any) -> set[Any]:
    return {ph.placeholder_format.type for ph in layout.placeholders}


def _has_title(layout: Any) -> bool:
    return bool(_kinds(layout) & TITLE_TYPES)


def template_look(prs: Any) -> Look | None:
    """The layouts of an organisation's template, chosen by their placeholders; None when it has
    no layout with a title."""
    compat.remove_all_slides(prs)
    layouts = list(prs.slide_layouts)
    titled = [layout for layout in layouts if _has_title(layout)]
    if not titled:
        return None
    cover = next(
        (la for la in layouts if {PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.SUBTITLE} <= _kinds(la)), None
    )
    cover = (
        cover or next((la for la in layouts if PP_PLACEHOLDER.CENTER_TITLE in _kinds(la)), None) or titled[0]
    )
    title_only = [
        la for la in titled if PP_PLACEHOLDER.TITLE in _kinds(la) and not (_kinds(la) & CONTENT_TYPES)
    ]
    content = [la for la in titled if PP_PLACEHOLDER.TITLE in _kinds(la) and _kinds(la) & BODY_TYPES]
    slide_layout = title_only[0] if title_only else content[0] if content else titled[0]
    width, height = points(prs.slide_width), points(prs.slide_height)
    area = _body_box(content) or _below_title(slide_layout, width, height)
    master = prs.slide_master
    size = compat.placeholder_size(slide_layout, "title") or compat.title_style_size(master) or 32.0
    cover_size = compat.placeholder_size(cover, "ctrTitle") or size
    return Look(prs, cover, slide_layout, area, False, size, cover_size)


def _body_box(content: list[Any]) -> Box | None:
    """The largest body placeholder of the content layouts (inherited boxes included)."""
    boxes = []
    for layout in content:
        for ph in layout.placeholders:
            if ph.placeholder_format.type in BODY_TYPES and ph.width and ph.height:
                boxes.append(Box(points(ph.left), points(ph.top), points(ph.width), points(ph.height)))
    return max(boxes, key=lambda b: b.width * b.height, default=None)


def _below_title(layout: Any, width: float, height: float) -> Box:
    title = next(ph for ph in layout.placeholders if ph.placeholder_format.type in TITLE_TYPES)
    top = points(title.top) + points(title.height) + 12.0
    left = points(title.left) or MARGIN
    usable = points(title.width) or width - 2 * MARGIN
    return Box(left, top, usable, max(height - top - 48.0, 120.0))


# ---------------------------------------------------------------------------------------------
# The default look


def default_look(texts: Texts) -> Look:
    prs = Presentation()
    width, height = WIDE
    prs.slide_width, prs.slide_height = Emu(int(width * EMU_PER_POINT)), Emu(int(height * EMU_PER_POINT))
    compat.set_theme(
        prs,
        "kwm",
        {
            "dk2": styles.NAVY,
            "lt2": styles.SECTION_BG,
            "accent1": styles.NAVY,
            "accent2": styles.TARGET_COLOUR,
            "accent3": styles.MEAN_COLOUR,
            "accent4": styles.PROMOTER_COLOUR,
            "accent5": styles.BLUE,
            "accent6": styles.DETRACTOR_COLOUR,
        },
    )
    master = prs.slide_master
    _style_master(master, width)
    keep = {0: "title", 1: "content", 5: "title_only", 6: "blank"}
    layouts = list(prs.slide_layouts)
    for index, layout in enumerate(layouts):
        if index not in keep:
            prs.slide_layouts.remove(layout)
            continue
        compat.set_name(layout, texts(f"deck.layouts.{keep[index]}"))
        compat.clear_prompts(layout)
        for sp in compat.placeholder_elements(layout):
            compat.inherit_position(sp)
    cover, slide_layout = layouts[0], layouts[5]
    _style_cover(cover, width)
    area = Box(MARGIN, CONTENT_TOP, width - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP)
    footer = Box(MARGIN, FOOTER_TOP, width - 2 * MARGIN, FOOTER_HEIGHT)
    return Look(prs, cover, slide_layout, area, True, TITLE_SIZE, 40.0, footer)


def _style_master(master: Any, width: float) -> None:
    compat.clear_prompts(master)
    for sp in compat.placeholder_elements(master):
        kind = compat.ph_type(sp)
        if kind == "title":
            compat.set_position(sp, MARGIN, 0, width - 2 * MARGIN, BAR)
            compat.set_anchor(sp, "ctr")
        elif kind == "body":
            compat.set_position(sp, MARGIN, CONTENT_TOP, width - 2 * MARGIN, CONTENT_BOTTOM - CONTENT_TOP)
        elif kind == "dt":
            compat.set_position(sp, width - MARGIN - 260, FOOTER_TOP, 120, FOOTER_HEIGHT)
        elif kind == "ftr":
            compat.set_position(sp, MARGIN, FOOTER_TOP, width - 2 * MARGIN - 120, FOOTER_HEIGHT)
            compat.set_placeholder_style(sp, 10, styles.MUTED, align="l")
        elif kind == "sldNum":
            compat.set_position(sp, width - MARGIN - 100, FOOTER_TOP, 100, FOOTER_HEIGHT)
            compat.set_placeholder_style(sp, 10, styles.MUTED, align="r")
    title_style = compat.master_text_style(master, "titleStyle")
    for level in compat.style_levels(title_style):
        compat.set_level_style(level, TITLE_SIZE, styles.WHITE, True, "l")
    body_style = compat.master_text_style(master, "bodyStyle")
    for number, level in enumerate(compat.style_levels(body_style)):
        compat.set_level_style(level, max(24.0 - 2 * number, 14.0), styles.INK)
    # drawn behind the placeholders: the line under the bar, the bar, a thin line above the footer
    compat.add_rectangle(
        master, "kwm footer line", MARGIN, FOOTER_TOP - 4, width - 2 * MARGIN, 0.75, styles.GRID
    )
    compat.add_rectangle(master, "kwm accent", 0, BAR, width, ACCENT, styles.BLUE)
    compat.add_rectangle(master, "kwm title bar", 0, 0, width, BAR, styles.NAVY)


def _style_cover(layout: Any, width: float) -> None:
    compat.hide_master_shapes(layout)
    for sp in compat.placeholder_elements(layout):
        kind = compat.ph_type(sp)
        if kind == "ctrTitle":
            compat.set_position(sp, MARGIN + 16, 120, width - 2 * MARGIN - 32, 150)
            compat.set_anchor(sp, "b")
            compat.set_placeholder_style(sp, 40, styles.WHITE, True, "l")
        elif kind == "subTitle":
            compat.set_position(sp, MARGIN + 16, COVER + 30, width - 2 * MARGIN - 32, 150)
            compat.set_anchor(sp, "t")
            compat.set_placeholder_style(sp, 20, styles.NAVY, False, "l")
    compat.add_rectangle(layout, "kwm cover accent", 0, COVER, width, ACCENT * 2, styles.BLUE)
    compat.add_rectangle(layout, "kwm cover", 0, 0, width, COVER, styles.NAVY)
