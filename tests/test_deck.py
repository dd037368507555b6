"""The klantwaardesessie deck (SPEC 3.7): `kwm sessie` writes what the monitor says, as slides.

Decks are made from real monitors (the bundled example through `kwm demo`, changed where a test
needs it, processed by `process`) and read back with python-pptx: the slides of the book's agenda
in order, native charts whose series hold the monitor's own figures, notes on every slide, the
disclosure rules as in the monitor, nothing internal. LibreOffice renders them to PDF: as many
pages as slides, and every word inside the box meant for it.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from typer.testing import CliRunner

from conftest import FIXED_NOW, build_workbook
from deck_kit import (
    action,
    broken_words,
    charts,
    copy_folder,
    data_of,
    deck_input,
    deck_of,
    demo_folder,
    every_text,
    figures,
    history,
    keep_returned,
    kwi,
    misplaced,
    monitor_of,
    org_template,
    page_texts,
    pdf_pages,
    refill,
    reprocess,
    returned_dir,
    slide_texts,
    titles,
)
from klantwaarde.cli import build_app
from klantwaarde.deck import write_deck
from klantwaarde.deck.content import slides as planned
from klantwaarde.deck.pdf import convert
from klantwaarde.monitor_data import RemarkFigures
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts

NL, EN = load_texts("nl"), load_texts("en")
WIDE = (12192000, 6858000)  # 16:9 in EMU
FOOTNOTE = "– niet getoond: te weinig respondenten om anonimiteit te waarborgen"
NAMES = [name for name, *_ in nm.RESPONDENTS]
INITIALS = [initials for _, initials, *_ in nm.RESPONDENTS]
EMAILS = [email for _, _, email, *_ in nm.RESPONDENTS]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example as `kwm demo` leaves it (its deck written too): DD chose anonymity."""
    return demo_folder(tmp_path_factory.mktemp("example"))


@pytest.fixture(scope="module")
def named(tmp_path_factory: pytest.TempPathFactory, example: Path) -> Path:
    """The example had DD not chosen anonymity: every author may be shown."""
    folder = copy_folder(example, tmp_path_factory.mktemp("named") / "demo")
    refill(folder, "DD", anonymous=False)
    reprocess(folder)
    deck_of(folder)
    return folder


@pytest.fixture(scope="module")
def withheld(tmp_path_factory: pytest.TempPathFactory, example: Path) -> Path:
    """Only AA and the anonymous DD returned their forms: every figure rests on two respondents,
    fewer than the threshold of three, so the monitor withholds them all."""
    folder = copy_folder(example, tmp_path_factory.mktemp("withheld") / "demo")
    keep_returned(folder, {"AA", "DD"})
    reprocess(folder)
    deck_of(folder)
    return folder


def deck_path(folder: Path) -> Path:
    return folder / nm.PERIOD / "KLANT-2011H1 Klantwaardesessie.pptx"


def slide_titled(prs: object, title: str) -> object:
    return next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == title)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------------------------
# The slides of SPEC 3.7


def test_the_slides_follow_the_books_agenda_in_16_9(example: Path) -> None:
    path = deck_path(example)
    prs = Presentation(str(path))
    assert (prs.slide_width, prs.slide_height) == WIDE
    kwis = [f"{code} · {title}" for code, title, *_ in nm.KWIS]
    assert titles(path) == [
        "Klantwaardesessie",
        "Agenda",
        "Terugblik: de KWI's die we afspraken",
        "Terugblik: de acties",
        "Wat is bereikt",
        "KWI-scores",
        "Trend",
        *kwis,
        "Opmerkingen",
        "Hoe verder",
        "Afsluiting",
    ]
    cover = " ".join(slide_texts(prs.slides[0]))
    assert "KLANT NV · 2011H1" in cover and "BESTSELLER B.V. · 1 juli 2011" in cover
    agenda = " ".join(slide_texts(prs.slides[1]))
    for item in ("Welkom", "Terugblik", "Wat is bereikt", "Hoe verder", "Afsluiting"):
        assert item in agenda


def test_every_slide_has_speaker_notes_of_a_sentence_or_two(example: Path) -> None:
    prs = Presentation(str(deck_path(example)))
    for number, slide in enumerate(prs.slides, start=1):
        assert slide.has_notes_slide, number
        notes = slide.notes_slide.notes_text_frame.text
        sentences = re.findall(r"[.?!](?=\s+[A-Z]|\s*$)", notes)  # "B.V. daarvan" is no end
        assert notes.strip() and 1 <= len(sentences) <= 2, (number, notes)


def test_the_kwi_chart_is_a_native_clustered_chart_of_the_monitors_figures(example: Path) -> None:
    data = data_of(example)
    prs = Presentation(str(deck_path(example)))
    (chart,) = charts(slide_titled(prs, "KWI-scores"))
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert chart.part.chart_workbook.xlsx_part is not None  # its data can be edited in PowerPoint
    mean, score, target = chart.plots[0].series
    assert [mean.name, score.name, target.name] == ["KWI-gemiddelde", "KWI-score", "KWI-doel"]
    assert list(chart.plots[0].categories) == [k.title for k in data.figures.kwis]
    assert score.values == tuple(k.score for k in data.figures.kwis)
    assert mean.values == tuple(k.mean for k in data.figures.kwis)
    assert target.values == tuple(k.target for k in data.figures.kwis)
    # below target marked: those bars red, the others in the series' colour
    for index, figure in enumerate(data.figures.kwis):
        xml = score.points[index].format.fill._xPr.xml if figure.below_target else ""
        assert ("C0392B" in xml) == figure.below_target


def test_the_trend_is_a_line_chart_with_changes_marked(example: Path) -> None:
    data = data_of(example)
    prs = Presentation(str(deck_path(example)))
    slide = slide_titled(prs, "Trend")
    (chart,) = charts(slide)
    assert chart.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert list(chart.plots[0].categories) == ["2010H2", "2011H1"]
    by_name = {s.name: s.values for s in chart.plots[0].series}
    for code, title, *_ in nm.KWIS:
        expected = tuple(
            next(r.value for r in data.history if r.kind == "kwi_score" and r.code == code and r.period == p)
            for p in ("2010H2", "2011H1")
        )
        assert by_name[title] == expected
    overall = tuple(
        next(r.value for r in data.history if r.kind == "overall" and r.period == p)
        for p in ("2010H2", "2011H1")
    )
    assert by_name["Eindcijfer"] == overall
    texts = slide_texts(slide)
    assert "▲ +0,82" in texts  # 6,65 -> 7,47, more than either period's swing
    assert any("▲ ▼ = een verandering groter" in t for t in texts)


def test_a_change_within_one_respondents_swing_is_marked_as_noise() -> None:
    rows = history(
        [
            ("2010H2", "kwi_score", "KWI-01", 7.0), ("2010H2", "kwi_swing", "KWI-01", 0.4),
            ("2011H1", "kwi_score", "KWI-01", 7.2), ("2011H1", "kwi_swing", "KWI-01", 0.1),
            ("2010H2", "kwi_score", "KWI-02", 7.0), ("2011H1", "kwi_score", "KWI-02", 7.8),
            ("2010H2", "overall", "", 7.3), ("2011H1", "overall", "", 7.4), ("2011H1", "overall_swing", "", 0.3),
            ("2010H2", "nps", "", 40.0), ("2011H1", "nps", "", 20.0), ("2011H1", "nps_swing", "", 25.0),
        ]
    )  # fmt: skip
    trend = next(s for s in planned(deck_input(figures(), rows), NL) if s.key == "trend")
    table = trend.blocks[0].parts[1][1][0]  # the changes beside the chart
    changes = {row[0].text: row[3].text for row in table.rows}
    assert changes == {
        "Kennisborging": "≈ +0,20",
        "Inspiratie": "▲ +0,80",
        "Eindcijfer": "≈ +0,10",
        "NPS": "≈ -20",
    }


def test_key_figures_with_their_swing_the_dutch_way(example: Path) -> None:
    data = data_of(example).figures
    prs = Presentation(str(deck_path(example)))
    texts = " ".join(slide_texts(slide_titled(prs, "Wat is bereikt")))
    overall = f"{data.figure('overall'):.2f}".replace(".", ",")
    swing = f"± {data.figure('overall_swing'):.2f}".replace(".", ",")
    assert overall in texts and swing in texts and "doel 7,50" in texts
    assert "n = 5: promotors 2 · passief 2 · criticasters 1" in texts and "+20" in texts and "± 30" in texts
    assert "5 van 5" in texts
    assert "± = zoveel kan één respondent dit cijfer verschuiven." in texts
    (chart,) = charts(slide_titled(prs, "Wat is bereikt"))
    assert chart.plots[0].series[0].values == tuple(float(c) for c in data.nps_distribution)


def test_one_slide_per_kwi_with_its_figures_and_the_standard_statements(example: Path) -> None:
    data = data_of(example).figures
    prs = Presentation(str(deck_path(example)))
    for figure in data.kwis:
        texts = slide_texts(slide_titled(prs, f"{figure.code} · {figure.title}"))
        joined = " ".join(texts)
        assert figure.description in joined
        assert (
            f"{figure.score:.2f}".replace(".", ",") in joined
            and f"{figure.target:.2f}".replace(".", ",") in joined
        )
        assert f"{figure.n} antwoorden" in joined
        for question in (q for q in data.questions if q.kwi == figure.code and q.standard):
            row = texts.index(question.text)
            assert texts[row + 1] == f"{question.score:.2f}".replace(".", ",")


def test_hoe_verder_and_afsluiting_say_what_is_open(example: Path) -> None:
    data = data_of(example).figures
    prs = Presentation(str(deck_path(example)))
    ahead = " ".join(slide_texts(slide_titled(prs, "Hoe verder")))
    for figure in data.kwis:
        assert (f"{figure.title}: " in ahead) == figure.below_target
    assert "2.04 BESTSELLER B.V. gaf blijk actief aan deze KWI te werken: 2 van 5 respondenten" in ahead
    closing = slide_texts(slide_titled(prs, "Afsluiting"))
    open_numbers = [a.number for a in data.actions if a.open]
    assert [t for t in closing if re.fullmatch(r"2011-\d\d", t)] == open_numbers


# ---------------------------------------------------------------------------------------------
# Disclosure (SPEC 3.5) and nothing internal


def test_remark_authors_are_withheld_as_in_the_monitor_and_no_respondent_is_named(example: Path) -> None:
    data = data_of(example).figures
    assert not data.shown("remark_authors")  # DD chose anonymity and wrote a remark
    path = deck_path(example)
    everything = every_text(path)
    for name in NAMES + EMAILS:
        assert name not in everything, name
    for initials in INITIALS:
        assert not re.search(rf"\({initials}\)|\b{initials}\b", everything), initials
    remarks = " ".join(slide_texts(slide_titled(Presentation(str(path)), "Opmerkingen")))
    for remark in data.remarks:
        assert f"“{remark.text}”" in remarks
    assert "De opmerkingen staan zonder naam" in remarks


def test_authors_are_shown_where_the_monitor_shows_them(named: Path) -> None:
    data = data_of(named).figures
    assert data.shown("remark_authors")
    remarks = slide_texts(slide_titled(Presentation(str(deck_path(named))), "Opmerkingen"))
    joined = "\n".join(remarks)
    for remark in data.remarks:
        assert remark.by and f"“{remark.text}”\n— {remark.by}" in joined


def test_withheld_figures_are_a_dash_with_the_monitors_footnote(withheld: Path) -> None:
    data = data_of(withheld).figures
    assert not data.shown("overall") and not data.shown("nps") and not any(k.shown for k in data.kwis)
    path = deck_path(withheld)
    prs = Presentation(str(path))
    achieved = slide_texts(slide_titled(prs, "Wat is bereikt"))
    assert "Eindcijfer\n–\ndoel 7,50" in achieved and "Net Promoter Score\n–" in achieved
    assert FOOTNOTE in achieved
    assert not charts(slide_titled(prs, "Wat is bereikt"))  # no NPS distribution
    (chart,) = charts(slide_titled(prs, "KWI-scores"))
    mean, score, target = chart.plots[0].series
    assert score.values == (None,) * 5 and mean.values == (None,) * 5
    assert target.values == tuple(k.target for k in data.kwis)  # a target is no figure
    assert FOOTNOTE in slide_texts(slide_titled(prs, "KWI-scores"))
    kwi_slide = slide_texts(slide_titled(prs, "KWI-01 · Kennisborging"))
    assert "KWI-score\n–" in kwi_slide and FOOTNOTE in kwi_slide
    for text in kwi_slide:
        assert not re.search(r"\b\d,\d\d\b", text) or text.startswith("KWI-doel"), text  # only the target
    notes = " ".join(s.notes_slide.notes_text_frame.text for s in prs.slides)
    assert "niet getoond" in notes and not re.search(r"\b\d,\d\d\b", notes)  # no figure in the notes


def test_the_deck_holds_nothing_internal(example: Path) -> None:
    everything = every_text(deck_path(example))
    for internal in ("Interne notitie", "Intern", "A3", "Verwerking", "Meldingen", "ingevuld", ".xlsx"):
        assert internal not in everything, internal
    for name in (p.name for p in returned_dir(example).iterdir()):
        assert name not in everything
    for _, text in nm.A3_BLOCKS:
        for line in str(text).splitlines():
            assert line.strip() not in everything, line


# ---------------------------------------------------------------------------------------------
# Long lists, long texts, the organisation's template


def test_long_lists_go_on_to_slides_marked_vervolg_and_lose_nothing(tmp_path: Path) -> None:
    remarks = tuple(
        RemarkFigures(f"Opmerking {i}: " + "heel veel woorden " * (i % 7 + 1), "") for i in range(24)
    )
    giant = RemarkFigures("Een lange opmerking " + "met heel veel woorden erin " * 400 + "einde.", "")
    actions = tuple(
        action(i, f"Actie {i} " + "uitgebreid omschreven " * (i % 4), overdue=i % 3 == 0)
        for i in range(1, 31)
    )
    kwis = tuple(kwi(f"KWI-{i:02d}", f"Titel {i}", 7.0 + i / 10) for i in range(1, 9))
    source = deck_input(figures(kwis=kwis, remarks=(*remarks, giant), actions=actions, authors=False))
    written = write_deck(source, NL, tmp_path / "lang.pptx", now=FIXED_NOW)
    names = titles(written.path)
    assert names.count("Opmerkingen (vervolg)") >= 4 and names.count("Terugblik: de acties (vervolg)") >= 1
    assert written.slides == len(names)
    prs = Presentation(str(written.path))
    remark_text = "\n".join(
        t for s in prs.slides if s.shapes.title.text.startswith("Opmerkingen") for t in slide_texts(s)
    )
    for remark in remarks:
        assert f"“{remark.text}”" in remark_text
    assert len(re.findall(r"\berin\b", remark_text)) == 400  # split over slides, every word kept
    action_rows = [
        t
        for s in prs.slides
        if s.shapes.title.text.startswith("Terugblik: de acties")
        for t in slide_texts(s)
    ]
    assert [t for t in action_rows if re.fullmatch(r"2011-\d\d", t)] == [a.number for a in actions]
    assert action_rows.count("Nr") == names.count("Terugblik: de acties") + names.count(
        "Terugblik: de acties (vervolg)"
    )


def test_the_organisations_template_gives_the_master_and_layouts(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    template = org_template(folder)
    result = deck_of(folder)
    assert result.problems == []
    prs = Presentation(str(result.path))
    assert (prs.slide_width, prs.slide_height) == (template.width, template.height)  # their size kept
    used = [slide.slide_layout.name for slide in prs.slides]
    assert used[0] == "Huisstijl titel" and set(used[1:]) == {"Huisstijl alleen titel"}
    assert any(shape.name == template.marker for shape in prs.slide_master.shapes)
    assert template.title_colour in prs.slide_master._element.xml
    everything = every_text(result.path)
    assert "Voorbeelddia van het sjabloon" not in everything  # the template's own slide is gone
    with zipfile.ZipFile(result.path) as archive:
        assert not [n for n in archive.namelist() if "thumbnail" in n]  # nor its picture of it

    def planned_titles(path: Path) -> list[str]:
        return [t for t in titles(path) if not t.endswith("(vervolg)")]

    assert planned_titles(result.path) == planned_titles(deck_path(example))  # the same slides, in its size
    body = next(
        ph
        for ph in prs.slide_layouts.get_by_name("Huisstijl inhoud").placeholders
        if ph.placeholder_format.idx == 1
    )
    for slide in list(prs.slides)[1:]:
        for shape in slide.shapes:
            if not shape.is_placeholder:  # what kwm drew sits in the template's content box
                assert (
                    body.left - 1 <= shape.left and shape.left + shape.width <= body.left + body.width + 1
                ), shape.name


def test_a_template_that_cannot_be_used_is_a_warning_and_the_default_look(
    tmp_path: Path, example: Path
) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    broken = folder / "templates" / "sessie.pptx"
    broken.parent.mkdir()
    broken.write_bytes(b"PK\x03\x04 not really a presentation")
    result = deck_of(folder)
    assert [p.code for p in result.problems] == ["deck_template_unusable"]
    assert "templates/sessie.pptx" in result.problems[0].location.file
    prs = Presentation(str(result.path))
    assert (prs.slide_width, prs.slide_height) == WIDE and len(prs.slides) == result.slides


def test_a_template_without_a_titled_layout_is_not_used(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if any(ph.placeholder_format.type in (1, 3) for ph in layout.placeholders):  # TITLE, CENTER_TITLE
            prs.slide_layouts.remove(layout)
    (folder / "templates").mkdir()
    prs.save(str(folder / "templates" / "sessie.pptx"))
    result = deck_of(folder)
    assert [p.code for p in result.problems] == ["deck_template_unusable"]
    assert "titel" in NL.message(result.problems[0])


# ---------------------------------------------------------------------------------------------
# The command


def kwm(*args: str, env: dict[str, str] | None = None):
    return CliRunner(env={"COLUMNS": "300", **(env or {})}).invoke(build_app("nl"), list(args))


def test_json_prints_only_the_deck_its_slides_and_the_pdf(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    result = kwm("sessie", str(folder / "basis.xlsx"), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"output", "slides", "pdf", "problems"}
    assert data["output"] == str(deck_path(folder)) and data["pdf"] is None and data["problems"] == []
    assert data["slides"] == len(Presentation(data["output"]).slides)


def test_without_a_monitor_the_problem_says_to_process_first(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    monitor_of(folder).unlink()
    deck_path(folder).unlink()  # the demo's
    base = folder / "basis.xlsx"
    result = kwm("sessie", str(base), "--json")
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["problems"]
    assert found["code"] == "deck_no_monitor"
    assert f'kwm process "{base}"' in found["message"]
    plain = kwm("sessie", str(base))
    assert plain.exit_code == 1 and "kwm process" in plain.output and "Traceback" not in plain.output
    assert not deck_path(folder).exists()


def test_a_monitor_that_is_not_one_or_of_another_client_or_too_old_is_refused(
    tmp_path: Path, example: Path
) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    base = folder / "basis.xlsx"
    found = json.loads(kwm("sessie", str(base), "--monitor", str(base), "--json").stdout)["problems"]
    assert [p["code"] for p in found] == ["deck_monitor_unreadable"]

    other = folder / "ander.xlsx"
    workbook = openpyxl.load_workbook(base)
    sheet = workbook["Instellingen"]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "Klantcode":
            row[1].value = "ANDER"
    workbook.save(other)
    found = json.loads(kwm("sessie", str(other), "--monitor", str(monitor_of(folder)), "--json").stdout)[
        "problems"
    ]
    assert [p["code"] for p in found] == ["deck_monitor_other_client"]

    old = folder / nm.PERIOD / "oud Klantwaardemonitor.xlsx"
    build_workbook(
        old,
        {
            "_data": [
                ["kwm-monitor-data", "1"], ["client_code", "KLANT"], ["client", "KLANT NV"], ["period", "2011H1"],
                ["generated_at", "2011-06-01T09:30:00"], ["kwm_version", "0.1.0"], [],
                ["[history]", 1], ["period", "kind", "code", "title", "value", "n"], ["2011H1", "overall", "", "", 7.2, 90],
            ]
        },
    )  # fmt: skip
    result = kwm("sessie", str(base), "--monitor", str(old), "--json")
    (problem,) = json.loads(result.stdout)["problems"]
    assert (
        result.exit_code == 1
        and problem["code"] == "deck_monitor_old"
        and "kwm process" in problem["message"]
    )


def test_out_never_onto_the_base_or_into_the_answers_folder(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    base = folder / "basis.xlsx"
    for target, code in ((base, "output_is_base"), (returned_dir(folder) / "deck.pptx", "output_in_answers")):
        with pytest.raises(KwmError) as caught:
            deck_of(folder, out=target)
        assert [p.code for p in caught.value.problems] == [code]
    assert openpyxl.load_workbook(base)["Instellingen"]["A2"].value  # the base is whole


def test_out_is_a_pptx_so_the_monitor_it_reads_is_never_overwritten(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    monitor = monitor_of(folder)
    before = monitor.read_bytes()
    with pytest.raises(KwmError) as caught:
        deck_of(folder, out=monitor)
    assert [p.code for p in caught.value.problems] == ["deck_out_not_pptx"]
    assert monitor.read_bytes() == before
    assert deck_of(folder, out=tmp_path / "Sessie.PPTX").path.is_file()  # any .pptx name will do


def test_without_libreoffice_the_deck_is_written_and_the_message_says_how_to_install_it(
    tmp_path: Path, example: Path
) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    result = kwm("sessie", str(folder / "basis.xlsx"), "--pdf", "--json", env={"KWM_SOFFICE": ""})
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["pdf"] is None and Path(data["output"]).is_file()
    (found,) = data["problems"]
    assert (
        found["code"] == "deck_pdf_no_soffice" and "apt-get install libreoffice-impress" in found["message"]
    )
    assert "--pdf" in found["message"]


def test_libreoffice_failing_is_a_warning_and_the_deck_stays(tmp_path: Path, example: Path) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    failing = tmp_path / "soffice"
    failing.write_text("#!/bin/sh\necho 'Error: source file could not be loaded' >&2\nexit 1\n")
    failing.chmod(0o755)
    result = kwm("sessie", str(folder / "basis.xlsx"), "--pdf", "--json", env={"KWM_SOFFICE": str(failing)})
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["pdf"] is None and Path(data["output"]).is_file()
    (found,) = data["problems"]
    assert found["code"] == "deck_pdf_failed" and "could not be loaded" in found["message"]


# ---------------------------------------------------------------------------------------------
# LibreOffice renders it: every slide a page, every word in its box


def test_pdf_through_libreoffice_has_a_page_per_slide(tmp_path: Path, example: Path, soffice: str) -> None:
    folder = copy_folder(example, tmp_path / "demo")
    result = kwm("sessie", str(folder / "basis.xlsx"), "--pdf", "--json", env={"KWM_SOFFICE": soffice})
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["problems"] == [], data
    pdf = Path(data["pdf"])
    assert pdf == deck_path(folder).with_suffix(".pdf") and pdf_pages(pdf) == data["slides"]
    pages = page_texts(pdf)
    assert "Klantwaardesessie" in pages[0] and "KWI-scores" in pages[5]
    assert re.search(r"\b7,\d\d\b", pages[5])  # the chart's numbers the Dutch way, whatever the machine


@pytest.mark.parametrize("case", ["example", "withheld", "named", "long", "template", "english"])
def test_every_word_stays_inside_its_box(
    case: str, tmp_path: Path, example: Path, withheld: Path, named: Path, soffice: str
) -> None:
    if case == "long":
        remarks = tuple(
            RemarkFigures("Een opmerking " + "met woorden " * (i * 9), "A. Aaaa (AA)") for i in range(1, 12)
        )
        actions = tuple(
            action(i, "Een actie " + "met een lange omschrijving " * (i % 5), overdue=i % 2 == 0)
            for i in range(1, 25)
        )
        kwis = tuple(
            kwi(f"KWI-{i:02d}", f"Een heel lange titel van KWI nummer {i}", 6.5 + i / 5) for i in range(1, 9)
        )
        source = deck_input(figures(kwis=kwis, remarks=remarks, actions=actions))
        deck = write_deck(source, NL, tmp_path / "lang.pptx", now=FIXED_NOW).path
        lang = "nl"
    elif case == "template":
        folder = copy_folder(example, tmp_path / "demo")
        org_template(folder)
        deck, lang = deck_of(folder).path, "nl"
    elif case == "english":
        folder = copy_folder(example, tmp_path / "demo")
        deck, lang = deck_of(folder, lang="en").path, "en"
    else:
        deck, lang = deck_path({"example": example, "withheld": withheld, "named": named}[case]), "nl"
    pdf = convert(deck, tmp_path / "deck.pdf", lang, soffice)
    assert pdf_pages(pdf) == len(Presentation(str(deck)).slides)
    assert misplaced(deck, pdf) == []
    assert broken_words(deck, pdf) == []  # no "Deadlin/e" or "2011-/01" in a narrow column


def test_the_check_sees_text_that_runs_out_of_its_box(tmp_path: Path, soffice: str) -> None:
    """The fit check can fail: a text box too small for its text is caught."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, 914400 * 2, 914400 // 4)
    box.text_frame.word_wrap = True
    box.text_frame.text = (
        "Deze tekst past nooit in een zo klein vak, want hij is veel te lang voor twee duim."
    )
    path = tmp_path / "te-klein.pptx"
    prs.save(str(path))
    pdf = convert(path, tmp_path / "te-klein.pdf", "nl", soffice)
    assert misplaced(path, pdf) != []


def test_the_check_sees_a_word_broken_in_a_narrow_column(tmp_path: Path, soffice: str) -> None:
    """The broken-word check can fail: a table column too narrow for its words is caught."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    table = slide.shapes.add_table(2, 2, 914400, 914400, 914400 * 2, 914400).table
    table.columns[0].width, table.columns[1].width = 914400 * 3 // 2, 914400 // 2
    for col, (header, value) in enumerate((("Actie", "Een actie"), ("Deadline", "01-10-2010"))):
        table.cell(0, col).text, table.cell(1, col).text = header, value
    path = tmp_path / "te-smal.pptx"
    prs.save(str(path))
    pdf = convert(path, tmp_path / "te-smal.pdf", "nl", soffice)
    assert broken_words(path, pdf) != []


def test_a_column_gets_the_width_of_its_longest_word_and_a_table_too_wide_is_set_smaller() -> None:
    from klantwaarde.deck import flow
    from klantwaarde.deck.spec import SMALLEST_TABLE, TABLE, Cell, Column, Table

    columns = (Column("Actie", 0.9), Column("Deadline", 0.1))
    table = Table(columns, ((Cell("Een actie"), Cell("01-10-2010")),))
    widths = flow.column_widths(table, 600.0)
    assert widths[1] > 60.0  # its share alone (a tenth of 600) would break "01-10-2010"
    assert widths[1] >= flow.word_width("Deadline", TABLE, bold=True) + 2 * flow.CELL_X
    assert sum(widths) == pytest.approx(600.0)  # taken from the column with room to spare
    assert flow.fit(table, 600.0) == table  # fits as it is
    assert not flow.words_fit(table, 120.0)
    narrow = flow.fit(table, 120.0)
    assert isinstance(narrow, Table) and SMALLEST_TABLE <= narrow.size < TABLE
    assert flow.words_fit(narrow, 120.0)
    assert flow.fit(table, 40.0).size == SMALLEST_TABLE  # never smaller than that
