"""Rebuild the pictures of the user guides (``docs/img/nl/*.png``, ``docs/img/en/*.png``).

    pip install pillow            # once: Pillow trims the white margins (not a kwm dependency)
    python docs/make_pictures.py  # from the repository, with kwm installed

Needs LibreOffice (``soffice``) and poppler (``pdftoppm``), e.g. ``apt-get install
libreoffice-calc-nogui poppler-utils``; with ``fonts-crosextra-carlito`` (metric-compatible with
Calibri, the workbooks' font) line breaks come out as in Excel, without it LibreOffice substitutes a
wider font. Run it again whenever the layout of a workbook changes; the guides
(``docs/handleiding.md``, ``docs/guide.md``) show whatever it writes. Two runs give identical files.

What it does, per language (nl, en):

1. Runs the real command ``kwm demo DIR --lang LANG`` in a temporary folder. The clock is pinned to
   ``NOW`` (a week before the example's klantwaardesessie), so that report dates and overdue
   actions look as they would have then and a rebuild gives the same pictures: the command runs in
   a child Python that first gives ``klantwaarde.api.demo.demo`` that ``now``.
2. Fills Kees Klant's freshly generated questionnaire with his example answers, through the fill
   contract (``klantwaarde.workbook.fill``), as ``examples/build_examples.py`` does; in English the
   remark is English too.
3. Converts with LibreOffice (``soffice --headless --convert-to pdf``, private profile) and turns
   PDF pages into PNG with ``pdftoppm -png -r DPI``, then trims the white margins and reduces the
   colours (Pillow):

   - the questionnaire as printed on A4: the first page of the generated one, the last page of the
     filled one;
   - each monitor sheet pictured (Voorblad, KWI-scores, Trend, NPS, Analyse, Opmerkingen,
     Actielijst) from its own copy of the monitor in which every other sheet is hidden, so that
     LibreOffice prints only that sheet with its own print settings; a sheet that prints on more
     than one page (Analyse) becomes one picture of its pages one below the other. Sheet names come
     from the templates, so the script follows a renamed sheet;
   - the A3 plan as printed (one A3 landscape page, with its "Intern" header and footer);
   - two slides of the klantwaardesessie deck side by side (``sessie.png``: "wat is bereikt" and
     the KWI scores), converted from the PPTX ``kwm demo`` writes (needs LibreOffice Impress,
     ``libreoffice-impress-nogui``);
   - the sheet ``Vragen`` of a base workbook, the same way as a monitor sheet: in Dutch the
     example's base, in English the base ``kwm init --lang en`` writes (the example's base is Dutch).

   The copies print without header and footer (page numbers say nothing in a picture), except the
   A3 plan. The copies are edited inside the zip (``xl/workbook.xml``, the sheets' XML): openpyxl
   would drop the charts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

try:
    from PIL import Image, ImageChops, ImageDraw
except ImportError:  # pragma: no cover - explained to the user
    sys.exit("make_pictures.py needs Pillow: pip install pillow")

from klantwaarde.texts import load_texts

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "img"
LANGS = ("nl", "en")
NOW = dt.datetime(2011, 6, 24, 10, 0)
DPI = 100
MAX_BYTES = 300_000
PERIOD = "2011H1"
RESPONDENT = "KK"

# Monitor sheets pictured, by their key in templates (monitor.sheets); the picture is monitor-<key>.png.
MONITOR_SHEETS = ("cover", "scores", "trend", "nps", "analysis", "remarks", "actions")
ENGLISH_REMARK = "Good cooperation; keep challenging us with new ideas."

# Runs the kwm command line with api.demo.demo's clock pinned: argv[1] is the ISO time.
PINNED_KWM = """
import datetime as dt, sys
import klantwaarde.api.demo as demo_api
pinned_now = dt.datetime.fromisoformat(sys.argv.pop(1))
real_demo = demo_api.demo
def pinned_demo(folder=None, lang=None, now=None):
    return real_demo(folder, lang=lang, now=pinned_now)
demo_api.demo = pinned_demo
from klantwaarde.cli import main
main()
"""


def kwm(*args: str, pinned: bool = False) -> None:
    if pinned:
        command = [sys.executable, "-c", PINNED_KWM, NOW.isoformat(), *args]
    else:
        command = [sys.executable, "-c", "from klantwaarde.cli import main; main()", *args]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"kwm {' '.join(args)} failed ({done.returncode}):\n{done.stderr}")


# -- LibreOffice and poppler ---------------------------------------------------------------------


def to_pdf(workbook: Path, work: Path) -> Path:
    """``workbook`` as PDF in ``work``; a private LibreOffice profile so a running office is left alone."""
    profile = (work / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(work), str(workbook)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    pdf = work / (workbook.stem + ".pdf")
    if not pdf.is_file():
        sys.exit(f"LibreOffice did not convert {workbook.name}")
    return pdf


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
    assert match, info
    return int(match.group(1))


def page_png(pdf: Path, page: int, work: Path, dpi: int = DPI) -> Image.Image:
    """Page ``page`` (1-based) of ``pdf`` as an image."""
    stem = work / f"{pdf.stem}-p{page}"
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )  # fmt: skip
    with Image.open(f"{stem}.png") as image:
        return image.convert("RGB")


def sheet_names(workbook: Path) -> list[str]:
    """Sheet names in workbook order (hidden ones too), read from xl/workbook.xml."""
    with zipfile.ZipFile(workbook) as archive:
        xml = archive.read("xl/workbook.xml").decode("utf-8")
    return [_unescape(name) for name in re.findall(r"<(?:\w+:)?sheet\b[^>]*?\bname=\"([^\"]*)\"", xml)]


def _unescape(text: str) -> str:
    return (
        text.replace("&apos;", "'")
        .replace("&quot;", '"')
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
    )


HEADER_FOOTER = re.compile(
    r"<(\w+:)?headerFooter\b[^>]*/>|<(\w+:)?headerFooter\b.*?</(\w+:)?headerFooter>", re.DOTALL
)
SHEET_TAG = re.compile(r"<(?:\w+:)?sheet\b[^>]*?/>")


def print_copy(workbook: Path, target: Path, only_sheet: str | None = None) -> Path:
    """A copy of ``workbook`` that prints without header and footer and, with ``only_sheet``, shows
    only that sheet (the others hidden, it the active one).

    Edited in the zip (xl/workbook.xml and the sheets' XML) rather than with openpyxl, which would
    drop the charts.
    """
    names = sheet_names(workbook)
    if only_sheet is not None and only_sheet not in names:
        sys.exit(f"{workbook.name}: no sheet {only_sheet!r} (sheets: {', '.join(names)})")

    def show_only(match: re.Match[str]) -> str:
        tag = match.group(0)
        name = _unescape(re.search(r'\bname="([^"]*)"', tag).group(1))  # type: ignore[union-attr]
        state = "visible" if name == only_sheet else "hidden"
        tag = re.sub(r'\sstate="[^"]*"', "", tag)
        return tag[: -len("/>")].rstrip() + f' state="{state}" />'

    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item)
            if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", item.filename):
                data = HEADER_FOOTER.sub("", data.decode("utf-8")).encode("utf-8")
            elif item.filename == "xl/workbook.xml" and only_sheet is not None:
                xml = SHEET_TAG.sub(show_only, data.decode("utf-8"))
                xml = re.sub(r'\b(activeTab|firstSheet)="\d+"', rf'\1="{names.index(only_sheet)}"', xml)
                data = xml.encode("utf-8")
            copy.writestr(item, data)
    return target


# -- pictures ------------------------------------------------------------------------------------


def trim(image: Image.Image, margin: int = 8) -> Image.Image:
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = (
        ImageChops.difference(image, background).convert("L").point(lambda v: 255 if v > 12 else 0).getbbox()
    )
    if box is None:
        return image
    left, top, right, bottom = box
    return image.crop(
        (
            max(0, left - margin),
            max(0, top - margin),
            min(image.width, right + margin),
            min(image.height, bottom + margin),
        )
    )


def save(image: Image.Image, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    small = trim(image).quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(target, optimize=True)
    size = target.stat().st_size
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    print(f"{shown}  {small.width}x{small.height}  {size // 1024} kB")
    if size > MAX_BYTES:
        print(f"  warning: larger than {MAX_BYTES // 1000} kB", file=sys.stderr)
    return target


def stacked(pages: list[Image.Image], gap: int = 24) -> Image.Image:
    """Trimmed pages one below the other (a sheet that prints on more than one page), with a thin
    grey line where the page breaks."""
    trimmed = [trim(page) for page in pages]
    width = max(page.width for page in trimmed)
    height = sum(page.height for page in trimmed) + gap * (len(trimmed) - 1)
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    top = 0
    for index, page in enumerate(trimmed):
        if index:
            draw.line([(0, top - gap // 2), (width, top - gap // 2)], fill=(200, 200, 200), width=1)
        canvas.paste(page, (0, top))
        top += page.height + gap
    return canvas


def sheet_picture(workbook: Path, sheet: str, work: Path, target: Path, max_pages: int = 3) -> Path:
    """One sheet of ``workbook`` as printed (its own print settings), all its pages stacked."""
    copy = print_copy(workbook, work / f"{target.stem}.xlsx", only_sheet=sheet)
    pdf = to_pdf(copy, work)
    pages = page_count(pdf)
    if pages > max_pages:
        print(f"  note: {sheet} prints on {pages} pages; showing the first {max_pages}", file=sys.stderr)
    return save(stacked([page_png(pdf, n, work) for n in range(1, min(pages, max_pages) + 1)]), target)


def questionnaire_pictures(demo: Path, lang: str, work: Path, out: Path) -> None:
    from klantwaarde.examples import newmedia as nm

    from klantwaarde.workbook.fill import fill_form

    generated = only(demo / PERIOD / "vragenlijsten", f"*({RESPONDENT}).xlsx")
    answers = {
        number: (grade, relevance or None)  # a blank mark: the prefilled N stays
        for number, (grade, relevance) in nm.answers(RESPONDENT, PERIOD).items()
        if grade is not None
    }
    remark = ENGLISH_REMARK if lang == "en" else nm.REMARKS[PERIOD][RESPONDENT]
    filled = fill_form(
        generated, work / "filled.xlsx", answers, nps=nm.NPS[PERIOD][RESPONDENT], remark=remark
    )

    blank_pdf = to_pdf(print_copy(generated, work / "questionnaire.xlsx"), work)
    save(page_png(blank_pdf, 1, work), out / "questionnaire.png")
    filled_pdf = to_pdf(print_copy(filled, work / "questionnaire-filled.xlsx"), work)
    save(page_png(filled_pdf, page_count(filled_pdf), work), out / "questionnaire-filled.png")


def monitor_pictures(demo: Path, lang: str, work: Path, out: Path) -> None:
    monitor = only(demo / PERIOD, "*onitor.xlsx")  # Klantwaardemonitor / Customer value monitor
    names = load_texts(lang).raw("monitor.sheets")
    for key in MONITOR_SHEETS:
        sheet_picture(monitor, names[key], work, out / f"monitor-{key}.png")


def a3_picture(demo: Path, work: Path, out: Path) -> None:
    plan = only(demo / PERIOD, "*A3*.xlsx")
    pdf = to_pdf(Path(shutil.copy(plan, work / "a3.xlsx")), work)
    save(page_png(pdf, 1, work), out / "a3-plan.png")


def base_picture(base: Path, lang: str, work: Path, out: Path) -> None:
    from klantwaarde.baseformat import SHEETS

    sheet_picture(base, SHEETS["questions"][LANGS.index(lang)], work, out / "base-questions.png")


def deck_picture(
    demo: Path, lang: str, work: Path, out: Path, slides: tuple[int, int] = (5, 6), dpi: int = 60
) -> Path:
    """Two slides of the klantwaardesessie deck side by side (``sessie.png``): "wat is bereikt" and
    the KWI scores, each with a thin grey edge so it reads as a slide. Converted as ``kwm sessie
    --pdf`` converts (the deck's locale, so a Dutch chart reads 7,47)."""
    from klantwaarde.deck.pdf import convert

    deck = only(demo / PERIOD, "*.pptx")
    pdf = convert(deck, work / "sessie.pdf", lang, "soffice")
    pages = [page_png(pdf, number, work, dpi) for number in slides]
    gap = 24
    width = sum(page.width + 2 for page in pages) + gap * (len(pages) - 1)
    height = max(page.height for page in pages) + 2
    canvas = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(canvas)
    left = 0
    for page in pages:
        draw.rectangle([left, 0, left + page.width + 1, page.height + 1], outline=(190, 190, 190))
        canvas.paste(page, (left + 1, 1))
        left += page.width + 2 + gap
    return save(canvas, out / "sessie.png")


def portfolio_picture(demo: Path, lang: str, work: Path, out: Path) -> Path:
    """The portfolio's Overzicht over the demo's two example clients (``portfolio-overview.png``)."""
    portfolio = only(demo, "Port*.xlsx")  # Portefeuille <date>.xlsx / Portfolio <date>.xlsx
    name = load_texts(lang).raw("portfolio.sheets")["overview"]
    return sheet_picture(portfolio, name, work, out / "portfolio-overview.png", max_pages=1)


def only(folder: Path, pattern: str, exclude: str | None = None) -> Path:
    found = [p for p in sorted(folder.glob(pattern)) if not (exclude and exclude in p.name)]
    if len(found) != 1:
        sys.exit(f"expected one {pattern} in {folder}, found {[p.name for p in found]}")
    return found[0]


def main() -> None:
    parser = argparse.ArgumentParser(description="Rebuild docs/img/ from the bundled example.")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the pictures (default docs/img)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and print where it is")
    args = parser.parse_args()
    for tool in ("soffice", "pdftoppm", "pdfinfo"):
        if shutil.which(tool) is None:
            sys.exit(f"make_pictures.py needs {tool} (LibreOffice / poppler-utils)")

    temp = Path(tempfile.mkdtemp(prefix="kwm-pictures-"))
    try:
        for lang in LANGS:
            out = args.out / lang
            for old in out.glob("*.png"):
                old.unlink()
            demo = temp / lang / "kwm-demo"
            kwm("demo", str(demo), "--lang", lang, pinned=True)
            work = temp / lang / "work"
            work.mkdir()
            if lang == "nl":
                base = demo / "basis.xlsx"
            else:
                kwm("init", str(temp / lang / "init"), "--lang", lang)
                base = temp / lang / "init" / "basis.xlsx"
            base_picture(base, lang, work, out)
            questionnaire_pictures(demo, lang, work, out)
            monitor_pictures(demo, lang, work, out)
            a3_picture(demo, work, out)
            deck_picture(demo, lang, work, out)
            portfolio_picture(demo, lang, work, out)
    finally:
        if args.keep:
            print(f"kept: {temp}")
        else:
            shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    main()
