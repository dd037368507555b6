"""Every use of python-pptx internals (its lxml elements and private attributes) in one place.

python-pptx has no API for a slide master's shapes and text styles, a theme's colours, bullets in
a text box, a slide-number field, table cell borders, removing a template's slides or the
package's extended properties; these functions do it on the XML, as the OOXML standard
(ECMA-376, PresentationML/DrawingML) describes it. Tested with python-pptx 1.0.2 (the pin in
``pyproject.toml``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any
from xml.sax.saxutils import escape

from lxml import etree
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

THUMBNAIL = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"
NO_GRID_STYLE = "{2D5ABB26-0587-4C30-8999-92F81FD0307C}"  # "No Style, No Grid": our own fills
THEME_COLOURS = ("dk2", "lt2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6")


def emu(points: float) -> Emu:
    return Emu(int(round(Pt(points))))


# ---------------------------------------------------------------------------------------------
# The presentation


def remove_all_slides(prs: Any) -> None:
    """A template's own slides out (its master and layouts stay)."""
    ids = prs.slides._sldIdLst
    for slide_id in list(ids):
        prs.part.drop_rel(slide_id.rId)
        ids.remove(slide_id)


def drop_thumbnail(prs: Any) -> None:
    """The package's thumbnail picture shows the template, not this deck: out."""
    package = prs.part.package
    for rel_id, rel in list(package._rels.items()):
        if rel.reltype == THUMBNAIL:
            package.drop_rel(rel_id)


def set_app_properties(prs: Any, slides: int, notes: int, application: str) -> None:
    """``docProps/app.xml`` anew: the template's would name its own slides and program."""
    package = prs.part.package
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{escape(application)}</Application><Slides>{slides}</Slides><Notes>{notes}</Notes>"
        "<HiddenSlides>0</HiddenSlides><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )
    for rel in package._rels.values():
        if rel.reltype == EXTENDED and not rel.is_external:
            rel.target_part._blob = xml.encode("utf-8")


def has_notes_master(prs: Any) -> bool:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return any(rel.reltype == RT.NOTES_MASTER for rel in prs.part.rels.values())


def theme_part(prs: Any) -> Any:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    return prs.slide_master.part.part_related_by(RT.THEME)


def set_theme(prs: Any, name: str, colours: dict[str, str]) -> None:
    """The theme's name and colours (``dk2``, ``accent1``... as RRGGBB)."""
    part = theme_part(prs)
    root = etree.fromstring(part.blob)
    root.set("name", name)
    scheme = root.find(f"{qn('a:themeElements')}/{qn('a:clrScheme')}")
    if scheme is not None:
        scheme.set("name", name)
        for key, value in colours.items():
            slot = scheme.find(qn(f"a:{key}"))
            if slot is None:
                continue
            for child in list(slot):
                slot.remove(child)
            etree.SubElement(slot, qn("a:srgbClr")).set("val", value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ---------------------------------------------------------------------------------------------
# Masters and layouts


def set_name(layout: Any, name: str) -> None:
    layout._element.cSld.set("name", name)


def placeholder_elements(owner: Any) -> list[Any]:
    return [
        sp for sp in owner._element.cSld.spTree.iter(qn("p:sp")) if sp.find(f".//{qn('p:ph')}") is not None
    ]


def ph_type(sp: Any) -> str:
    ph = sp.find(f".//{qn('p:ph')}")
    return ph.get("type", "body") if ph is not None else ""


def set_position(sp: Any, left: float, top: float, width: float, height: float) -> None:
    """A shape's box (points), written into its own ``a:xfrm``."""
    sppr = sp.find(qn("p:spPr"))
    xfrm = sppr.find(qn("a:xfrm"))
    if xfrm is None:
        xfrm = etree.Element(qn("a:xfrm"))
        sppr.insert(0, xfrm)
    for child in list(xfrm):
        xfrm.remove(child)
    etree.SubElement(xfrm, qn("a:off"), x=str(emu(left)), y=str(emu(top)))
    etree.SubElement(xfrm, qn("a:ext"), cx=str(emu(width)), cy=str(emu(height)))


def inherit_position(sp: Any) -> None:
    """Leave the box to the master (a layout placeholder without its own ``a:xfrm``)."""
    sppr = sp.find(qn("p:spPr"))
    xfrm = sppr.find(qn("a:xfrm")) if sppr is not None else None
    if xfrm is not None:
        sppr.remove(xfrm)


def set_anchor(sp: Any, anchor: str) -> None:
    body = sp.find(f"{qn('p:txBody')}/{qn('a:bodyPr')}")
    if body is not None:
        body.set("anchor", anchor)


def clear_prompts(owner: Any) -> None:
    """The template's prompt texts ("Click to edit Master title style") out of every placeholder
    of a master or layout; fields (the slide number) stay."""
    for sp in placeholder_elements(owner):
        for run in sp.iter(qn("a:r")):
            text = run.find(qn("a:t"))
            if text is not None:
                text.text = ""


def _run_properties(size: float | None, colour: str | None, bold: bool | None, tag: str = "a:defRPr") -> Any:
    props = etree.Element(qn(tag))
    if size is not None:
        props.set("sz", str(int(round(size * 100))))
    if bold is not None:
        props.set("b", "1" if bold else "0")
    if colour is not None:
        fill = etree.SubElement(props, qn("a:solidFill"))
        etree.SubElement(fill, qn("a:srgbClr")).set("val", colour)
    return props


def set_level_style(
    level: Any, size: float | None, colour: str | None, bold: bool | None = None, align: str | None = None
) -> None:
    """One ``a:lvlNpPr`` of a text style: alignment and the default run's size, colour, weight
    (the typeface stays the theme's)."""
    if align is not None:
        level.set("algn", align)
    old = level.find(qn("a:defRPr"))
    new = _run_properties(size, colour, bold)
    if old is not None:
        for child in old:
            if child.tag in (qn("a:latin"), qn("a:ea"), qn("a:cs")):
                new.append(copy.deepcopy(child))
        for key in ("kern",):
            if old.get(key) is not None:
                new.set(key, old.get(key))
        level.replace(old, new)
    else:
        level.append(new)


def master_text_style(master: Any, kind: str) -> Any:
    """``titleStyle``, ``bodyStyle`` or ``otherStyle`` of the master's ``p:txStyles``."""
    return master._element.find(f"{qn('p:txStyles')}/{qn('p:' + kind)}")


def style_levels(style: Any) -> list[Any]:
    return [level for level in style if re.fullmatch(r"lvl\dpPr", etree.QName(level).localname)]


def set_placeholder_style(
    sp: Any, size: float | None, colour: str | None, bold: bool | None = None, align: str | None = None
) -> None:
    """The first level of a placeholder's own list style (``a:lstStyle``), e.g. a layout's title."""
    body = sp.find(qn("p:txBody"))
    lst = body.find(qn("a:lstStyle"))
    if lst is None:
        lst = etree.Element(qn("a:lstStyle"))
        body.insert(1, lst)
    level = lst.find(qn("a:lvl1pPr"))
    if level is None:
        level = etree.SubElement(lst, qn("a:lvl1pPr"))
    set_level_style(level, size, colour, bold, align)


def hide_master_shapes(layout: Any) -> None:
    layout._element.set("showMasterSp", "0")


def add_rectangle(
    owner: Any, name: str, left: float, top: float, width: float, height: float, colour: str
) -> Any:
    """A filled rectangle without outline behind everything else of a master or layout."""
    tree = owner._element.cSld.spTree
    ids = [int(e.get("id")) for e in tree.iter(qn("p:cNvPr")) if (e.get("id") or "").isdigit()]
    new_id = max(ids, default=1) + 1
    xml = (
        f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        f'<p:nvSpPr><p:cNvPr id="{new_id}" name="{escape(name)}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr><a:xfrm><a:off x="{emu(left)}" y="{emu(top)}"/><a:ext cx="{emu(width)}" cy="{emu(height)}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill><a:srgbClr val="{colour}"/></a:solidFill>'
        f"<a:ln><a:noFill/></a:ln></p:spPr>"
        f'<p:txBody><a:bodyPr/><a:lstStyle/><a:p><a:endParaRPr lang="nl-NL"/></a:p></p:txBody></p:sp>'
    )
    shape = etree.fromstring(xml)
    group = tree.find(qn("p:grpSpPr"))
    group.addnext(shape)
    # behind the placeholders: move every added shape right after the group properties
    return shape


def plain(shape: Any) -> None:
    """No theme style on an autoshape (python-pptx gives it one with a shadow and an outline)."""
    style = shape._element.find(qn("p:style"))
    if style is not None:
        shape._element.remove(style)


def remove_placeholder(slide_shape: Any) -> None:
    element = slide_shape._element
    element.getparent().remove(element)


# ---------------------------------------------------------------------------------------------
# Text


def bullet(paragraph: Any, indent: float, colour: str, char: str = "•") -> None:
    """A hanging bullet on a text box paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(emu(indent)))
    ppr.set("indent", str(-emu(indent)))
    for tag in ("a:buClr", "a:buSzPct", "a:buFont", "a:buChar", "a:buNone"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    clr = etree.SubElement(ppr, qn("a:buClr"))
    etree.SubElement(clr, qn("a:srgbClr")).set("val", colour)
    etree.SubElement(ppr, qn("a:buChar")).set("char", char)


def paragraph_size(paragraph: Any, size: float) -> None:
    """The paragraph's own size (its default and end-of-paragraph run properties): without it
    LibreOffice sets each line as high as the default 18 pt, whatever its text."""
    ppr = paragraph._p.get_or_add_pPr()
    default = ppr.find(qn("a:defRPr"))
    if default is None:
        default = etree.SubElement(ppr, qn("a:defRPr"))
    default.set("sz", str(int(round(size * 100))))
    end = paragraph._p.find(qn("a:endParaRPr"))
    if end is None:
        end = etree.SubElement(paragraph._p, qn("a:endParaRPr"))
    end.set("sz", str(int(round(size * 100))))


def theme_font(paragraph: Any) -> None:
    """Every run of the paragraph in the theme's body font (``+mn-lt``), said explicitly."""
    for tag in ("a:r", "a:fld"):
        for run in paragraph._p.iter(qn(tag)):
            props = run.find(qn("a:rPr"))
            if props is None:
                props = etree.Element(qn("a:rPr"))
                run.insert(0, props)
            if props.find(qn("a:latin")) is None:
                etree.SubElement(props, qn("a:latin"), typeface="+mn-lt")


def no_bullet(paragraph: Any) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", "0")
    ppr.set("indent", "0")
    etree.SubElement(ppr, qn("a:buNone"))


def slide_number(paragraph: Any, number: int) -> None:
    """A slide-number field (PowerPoint and LibreOffice fill in the slide's own number)."""
    field = etree.SubElement(paragraph._p, qn("a:fld"))
    field.set("id", "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}")
    field.set("type", "slidenum")
    etree.SubElement(field, qn("a:rPr")).set("lang", "nl-NL")
    etree.SubElement(field, qn("a:t")).text = str(number)


def field_properties(paragraph: Any, size: float, colour: str) -> None:
    for field in paragraph._p.iter(qn("a:fld")):
        old = field.find(qn("a:rPr"))
        new = _run_properties(size, colour, None, "a:rPr")
        if old is not None:
            field.replace(old, new)
        else:
            field.insert(0, new)


# ---------------------------------------------------------------------------------------------
# Tables


def table_style(table: Any, style_id: str = NO_GRID_STYLE) -> None:
    tbl_pr = table._tbl.tblPr
    found = tbl_pr.find(qn("a:tableStyleId"))
    if found is None:
        found = etree.SubElement(tbl_pr, qn("a:tableStyleId"))
    found.text = style_id


def cell_borders(cell: Any, colour: str, width: float, sides: Iterable[str] = ("B",)) -> None:
    """Thin lines on the given sides (``L``, ``R``, ``T``, ``B``) of a table cell."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for side in ("L", "R", "T", "B"):
        for old in tc_pr.findall(qn(f"a:ln{side}")):
            tc_pr.remove(old)
    wanted = set(sides)
    position = 0
    for side in ("L", "R", "T", "B"):
        line = etree.Element(qn(f"a:ln{side}"))
        if side in wanted:
            line.set("w", str(emu(width)))
            fill = etree.SubElement(line, qn("a:solidFill"))
            etree.SubElement(fill, qn("a:srgbClr")).set("val", colour)
        else:
            line.set("w", "0")
            etree.SubElement(line, qn("a:noFill"))
        tc_pr.insert(position, line)
        position += 1


# ---------------------------------------------------------------------------------------------
# Charts


def chart_data(
    categories: list[str], series: list[tuple[str, tuple[float | None, ...]]], number_format: str
) -> Any:
    """python-pptx's ``CategoryChartData`` (untyped): the chart's data, kept in its workbook."""
    from pptx.chart.data import CategoryChartData

    data: Any = CategoryChartData(number_format=number_format)  # type: ignore[no-untyped-call]
    data.categories = categories
    for name, values in series:
        data.add_series(name, values, number_format)
    return data


def no_rounded_corners(chart: Any) -> None:
    space = chart._chartSpace
    found = space.find(qn("c:roundedCorners"))
    if found is None:
        found = etree.Element(qn("c:roundedCorners"))
        space.insert(0, found)
    found.set("val", "0")
    date = space.find(qn("c:date1904"))
    if date is not None:  # the schema's order: date1904, lang, roundedCorners
        date.addnext(found)


def gap_for_missing(chart: Any) -> None:
    """A missing value is a gap in a line, not a drop to zero."""
    chart_el = chart._chartSpace.find(qn("c:chart"))
    found = chart_el.find(qn("c:dispBlanksAs"))
    if found is None:
        found = etree.SubElement(chart_el, qn("c:dispBlanksAs"))
        plot_vis = chart_el.find(qn("c:plotVisOnly"))
        if plot_vis is not None:
            plot_vis.addnext(found)
    found.set("val", "gap")


def placeholder_size(owner: Any, kind: str) -> float | None:
    """The font size (points) a layout's placeholder of ``kind`` (``title``, ``ctrTitle``...) shows,
    from its own list style or else the master's title style."""
    for sp in placeholder_elements(owner):
        if ph_type(sp) == kind:
            found = sp.find(f".//{qn('a:lstStyle')}/{qn('a:lvl1pPr')}/{qn('a:defRPr')}")
            if found is not None and found.get("sz"):
                return int(found.get("sz")) / 100
    return None


def title_style_size(master: Any) -> float | None:
    style = master_text_style(master, "titleStyle")
    found = style.find(f"{qn('a:lvl1pPr')}/{qn('a:defRPr')}") if style is not None else None
    if found is not None and found.get("sz"):
        return int(found.get("sz")) / 100
    return None
