"""The internal A3 account plan (issue 8): layout, content, monitor scores, and that it never leaks."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import FIXED_NOW, build_workbook
from factories import example_base
from klantwaarde.model import A3Data, A3Figure, Action, Base, Kwi
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts
from klantwaarde.workbook.a3 import FIGURE_KEYS, write_a3

SECRET = "GEHEIM-A3-zq7x"  # a text that exists only in the base's A3 sheet

BLOCK_KEYS = {
    "Visie": "vision",
    "Missie": "mission",
    "Succesbepalende factoren": "success_factors",
    "Organisatie-indicatoren (KPI's)": "organisation_indicators",
    "Organisatie-acties": "organisation_actions",
    "Randvoorwaarden": "preconditions",
}
FIGURE_LABELS = {
    "#Contacten": "contacts",
    "#Klantafspraken": "appointments",
    "#Leads": "leads",
    "#Orders": "orders",
    "Omzet": "revenue",
    "Marge": "margin",
    "#Klantwaardesessies": "sessions",
    "NetPromotorScore": "nps",
}
BLOCK_NUMBERS = {
    "vision": 1,
    "mission": 2,
    "success_factors": 3,
    "kwis": 4,
    "kwi_actions": 5,
    "organisation_indicators": 6,
    "organisation_actions": 7,
    "preconditions": 8,
}
SCORES = {"KWI-01": 7.62, "KWI-02": 7.81, "KWI-03": 7.45, "KWI-04": 6.9, "KWI-05": None}
A3_PAPER, LANDSCAPE = 8, "landscape"


def example_a3() -> A3Data:
    return A3Data(
        blocks={BLOCK_KEYS[item]: text for item, text in nm.A3_BLOCKS},
        figures=tuple(A3Figure(FIGURE_LABELS[label], last, this) for label, last, this in nm.A3_FIGURES)
        + (A3Figure("nps", 5, 12),),
    )


def plan_base(a3: A3Data | None = None) -> Base:
    return dataclasses.replace(example_base(), a3=a3 if a3 is not None else example_a3())


def write(tmp_path: Path, base: Base | None = None, lang: str = "nl", **kwargs: Any) -> Path:
    options: dict[str, Any] = {"kwi_scores": None, "nps": None, "monitor_period": None, "now": FIXED_NOW}
    options.update(kwargs)
    target = tmp_path / f"plan-{lang}.xlsx"
    return write_a3(base or plan_base(), load_texts(lang), target, **options)


def only_sheet(path: Path) -> Any:
    workbook = openpyxl.load_workbook(path)
    assert len(workbook.worksheets) == 1
    return workbook.worksheets[0]


def strings(sheet: Any) -> list[str]:
    return [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]


def find(sheet: Any, text: str) -> Any:
    """The one cell whose value is exactly ``text``."""
    found = [c for row in sheet.iter_rows() for c in row if c.value == text]
    assert len(found) == 1, f"{text!r} found {len(found)} times"
    return found[0]


def row_values(sheet: Any, row: int, first: int = 3, last: int = 7) -> list[Any]:
    return [sheet.cell(row, column).value for column in range(first, last + 1)]


# ---------------------------------------------------------------------------------------------
# The page


def test_the_plan_is_one_a3_landscape_page(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    setup = sheet.page_setup
    assert int(setup.paperSize) == A3_PAPER
    assert setup.orientation == LANDSCAPE
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert (int(setup.fitToWidth), int(setup.fitToHeight)) == (1, 1)
    assert min(sheet.page_margins.left, sheet.page_margins.top) > 0
    area = sheet.print_area
    assert area is not None
    match = re.search(r"\$?A\$?1:\$?K\$?(\d+)", area)
    assert match, area
    last_used = max(c.row for row in sheet.iter_rows() for c in row if c.value is not None)
    assert int(match.group(1)) == last_used


def test_all_eight_numbered_blocks_and_the_figures_block_with_their_guiding_questions(tmp_path: Path) -> None:
    texts = load_texts("nl")
    values = strings(only_sheet(write(tmp_path)))
    for key, number in BLOCK_NUMBERS.items():
        assert f"{number}   {texts(f'a3.blocks.{key}.title')}" in values
        assert texts(f"a3.blocks.{key}.question") in values
    assert "Kwantitatief" in values
    assert texts("a3.blocks.figures.question") in values
    titles = ["Visie", "Missie", "Succesbepalende factoren", "Klantwaarde-indicatoren", "Klantwaarde-acties"]
    titles += ["Organisatie-indicatoren (KPI's)", "Organisatie-acties", "Randvoorwaarden"]
    numbered = sorted(v for v in values if re.match(r"^\d   ", v))
    assert numbered == [f"{n}   {t}" for n, t in enumerate(titles, start=1)]


def test_the_kwantitatief_table_has_every_row_with_last_and_this_year(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    head = find(sheet, "Kengetal")
    assert sheet.cell(head.row, 10).value == "Vorig jaar (2010)"
    assert sheet.cell(head.row, 11).value == "Dit jaar (2011)"
    labels = [sheet.cell(head.row + 1 + i, 9).value for i in range(len(FIGURE_KEYS))]
    assert labels == list(FIGURE_LABELS)
    by_label = {label: (last, this) for label, last, this in nm.A3_FIGURES}
    for offset, label in enumerate(labels[:-1]):
        row = head.row + 1 + offset
        assert (sheet.cell(row, 10).value, sheet.cell(row, 11).value) == by_label[label]
    nps_row = head.row + len(FIGURE_KEYS)
    assert (sheet.cell(nps_row, 10).value, sheet.cell(nps_row, 11).value) == (5, 12)


def test_the_base_a3_texts_fill_blocks_1_to_3_and_6_to_8(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    texts = load_texts("nl")
    for item, text in nm.A3_BLOCKS:
        key = BLOCK_KEYS[item]
        question = find(sheet, texts(f"a3.blocks.{key}.question"))
        below = question.row + 1
        while sheet.cell(below, question.column).value is None:  # the question may span rows
            below += 1
        content = sheet.cell(below, question.column).value
        for line in text.split("\n"):
            assert line in content
        assert content.count("\n") == text.count("\n")


def test_block_4_lists_every_kwi_with_target_and_latest_score_below_target_marked(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path, kwi_scores=SCORES, nps=20.0, monitor_period="2011H1"))
    header = find(sheet, "Score 2011H1")
    assert sheet.cell(header.row, 4).value == "KWI"
    expected_targets = {"KWI-01": 7.5, "KWI-02": 7.5, "KWI-03": 8.0, "KWI-04": 7.5, "KWI-05": 7.5}
    for code, title, *_ in nm.KWIS:
        row = find(sheet, code).row
        values = row_values(sheet, row)
        assert values[:3] == [code, title, expected_targets[code]]
        assert values[3] == SCORES[code]
    below = [find(sheet, c).row for c in ("KWI-03", "KWI-04")]  # 7.45 < 8.00 and 6.90 < 7.50
    for row in below:
        assert sheet.cell(row, 7).value == "! onder doel"  # ▼ means a fall, as in the monitor
        assert sheet.cell(row, 6).font.color.rgb.endswith("8B1A1A")  # the monitor's below-target red
        assert sheet.cell(row, 6).number_format == "0.00"
    for code in ("KWI-01", "KWI-02"):
        row = find(sheet, code).row
        assert sheet.cell(row, 7).value == "✓ op doel"
        assert not sheet.cell(row, 6).font.color.rgb.endswith("8B1A1A")
    assert sheet.cell(find(sheet, "KWI-05").row, 7).value == "geen score"
    assert "2 van de 5 KWI's op of boven het doel" in strings(sheet)
    assert "KWI-scores en NPS uit de monitor van 2011H1" in strings(sheet)


def test_without_scores_the_score_column_is_left_to_fill_in(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    assert find(sheet, "Score").column == 6
    for code, *_ in nm.KWIS:
        row = find(sheet, code).row
        assert sheet.cell(row, 6).value is None and sheet.cell(row, 7).value is None
    assert "Geen monitor gevonden: KWI-scores nog in te vullen" in strings(sheet)


def test_nps_from_the_monitor_replaces_this_year_and_keeps_last_year(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path, kwi_scores=SCORES, nps=20.0, monitor_period="2011H1"))
    row = find(sheet, "NetPromotorScore").row
    assert (sheet.cell(row, 10).value, sheet.cell(row, 11).value) == (5, 20)
    assert sheet.cell(row, 11).number_format == "+0;-0;0"
    assert "NPS dit jaar uit de monitor van 2011H1" in strings(sheet)


def test_block_5_lists_the_actions_under_their_kwi_with_owner_deadline_and_status(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    statuses = {"open": "open", "lopend": "lopend", "gereed": "gereed"}
    linked = {action[3] for action in nm.ACTIONS}
    headings = {code: find(sheet, f"{code} {title}").row for code, title, *_ in nm.KWIS if code in linked}
    for number, _date, description, kwi, owner, status, deadline in nm.ACTIONS:
        row = find(sheet, number).row
        values = row_values(sheet, row)
        assert values[1:4] == [description, owner, dt.datetime.combine(deadline, dt.time())]
        assert values[4] == statuses[status]
        above = [r for r in headings.values() if r < row]
        assert max(above) == headings[kwi], f"{number} is not under {kwi}"
    assert "KWI-02 Inspiratie   ·   nog geen acties" in strings(sheet)
    assert "KWI-05 Partnership   ·   nog geen acties" in strings(sheet)
    # 2011-02 (lopend, deadline 1-3-2011) is overdue on 1-6-2011; 2011-01 is done.
    assert sheet.cell(find(sheet, "2011-02").row, 6).font.color.rgb.endswith("C00000")
    assert not sheet.cell(find(sheet, "2011-01").row, 6).font.bold


def test_actions_of_unknown_kwis_are_still_shown(tmp_path: Path) -> None:
    base = plan_base()
    extra = Action("2011-09", None, "Losse actie zonder KWI", "", "JD", "open", None)
    sheet = only_sheet(write(tmp_path, dataclasses.replace(base, actions=(*base.actions, extra))))
    row = find(sheet, "2011-09").row
    assert row_values(sheet, row)[1] == "Losse actie zonder KWI"
    assert sheet.cell(row - 1, 3).value == "Zonder (bekende) KWI"


def test_empty_blocks_are_framed_spaces_to_write_in(tmp_path: Path) -> None:
    base = dataclasses.replace(example_base(), a3=None, actions=())
    sheet = only_sheet(write(tmp_path, base))
    texts = load_texts("nl")
    for key in ("vision", "mission", "success_factors"):
        question = find(sheet, texts(f"a3.blocks.{key}.question"))
        content = next(
            r
            for r in sheet.merged_cells.ranges
            if r.min_col == 1 and r.min_row > question.row and r.max_row > r.min_row
        )
        assert sheet.cell(content.min_row, 1).value is None
        assert content.max_row - content.min_row >= 2  # room to write
        assert sheet.cell(content.max_row, 1).border.bottom.style == "medium"
        assert sheet.cell(content.min_row, 1).border.left.style == "medium"
    head = find(sheet, "Kengetal")
    assert all(sheet.cell(head.row + 1 + i, c).value is None for i in range(8) for c in (10, 11))


def test_it_is_marked_internal_in_banner_header_and_footer(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path))
    assert "INTERN – NIET DELEN MET DE KLANT" in strings(sheet)
    assert "Intern – niet delen met de klant" in sheet.oddHeader.center.text
    assert "Intern – niet delen met de klant" in sheet.oddFooter.center.text
    assert sheet.oddHeader.left.text == "KLANT NV (KLANT)"
    assert sheet.oddHeader.right.text == "2011H1"


def test_english(tmp_path: Path) -> None:
    sheet = only_sheet(write(tmp_path, lang="en", kwi_scores=SCORES, nps=20.0, monitor_period="2011H1"))
    values = strings(sheet)
    assert sheet.title == "A3 account plan"
    for heading in ("1   Vision", "4   Customer value indicators", "8   Preconditions", "Quantitative"):
        assert heading in values
    assert "Internal – do not share with the client" in sheet.oddHeader.center.text
    assert [sheet.cell(find(sheet, "Figure").row + 1 + i, 9).value for i in range(8)] == [
        "#Contacts",
        "#Client meetings",
        "#Leads",
        "#Orders",
        "Revenue",
        "Margin",
        "#Customer value sessions",
        "Net Promoter Score",
    ]
    assert "! below target" in values and "in progress" in values
    assert not [v for v in values if "niet delen" in v or "Vorig jaar" in v]


def test_texts_from_workbooks_are_written_as_text_never_as_formulas(tmp_path: Path) -> None:
    base = plan_base(
        A3Data(
            blocks={"vision": '=HYPERLINK("http://x","klik")'}, figures=(A3Figure("revenue", "=1+1", None),)
        )
    )
    base = dataclasses.replace(
        base,
        kwis=(Kwi("KWI-01", "=SUM(A1:A9)"), *base.kwis[1:]),
        actions=(Action("=2", None, "=cmd|' /C calc'!A0", "KWI-01", "@x", "open", None),),
        settings=dataclasses.replace(base.settings, client="A&B =NV"),
    )
    path = write(tmp_path, base)
    sheet = only_sheet(path)
    for text in ('=HYPERLINK("http://x","klik")', "=1+1", "=SUM(A1:A9)", "=2", "=cmd|' /C calc'!A0"):
        assert find(sheet, text).data_type == "s"
    assert sheet.oddHeader.left.text == "A&&B =NV (KLANT)"
    with zipfile.ZipFile(path) as archive:
        assert not any(
            b"<f>" in archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=st.text(
        st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n"), min_size=1, max_size=400
    ).filter(str.strip),
    actions=st.integers(min_value=0, max_value=40),
)
def test_any_text_and_any_number_of_actions_still_make_one_page(
    tmp_path: Path, text: str, actions: int
) -> None:
    base = plan_base(A3Data(blocks={key: text for key in BLOCK_KEYS.values()}))
    one_line = " ".join(text.split())[:120] or "x"
    many = tuple(
        Action(f"A{i}", None, one_line, nm.KWIS[i % 5][0], "RM", "lopend", None) for i in range(actions)
    )
    sheet = only_sheet(write(tmp_path, dataclasses.replace(base, actions=many)))
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    values = strings(sheet)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    blocks = [v for v in values if all(line in v for line in lines)]
    assert len(blocks) >= 6  # the six A3 text blocks, whatever the text
    assert sum(1 for v in values if re.fullmatch(r"A\d+", v)) == actions
    assert sum(1 for v in values if v == one_line) >= actions


def test_a_plan_open_in_excel_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "plan-nl.xlsx"
    target.write_bytes(b"old plan")
    (tmp_path / "~$plan-nl.xlsx").write_bytes(b"lock")
    with pytest.raises(KwmError) as stopped:
        write(tmp_path)
    assert [p.code for p in stopped.value.problems] == ["output_locked"]
    assert target.read_bytes() == b"old plan"


def test_libreoffice_prints_it_as_one_a3_landscape_page(tmp_path: Path, soffice: str) -> None:
    crowded = plan_base()
    crowded = dataclasses.replace(
        crowded,
        actions=tuple(
            Action(
                f"2011-{i:02}",
                None,
                "Een flink lange actieomschrijving die over meer regels loopt " * 2,
                nm.KWIS[i % 5][0],
                "RM",
                "open",
                dt.date(2011, 9, 1),
            )
            for i in range(30)
        ),  # fmt: skip
    )
    for name, base in (("plain", plan_base()), ("crowded", crowded)):
        folder = tmp_path / name
        folder.mkdir()
        path = write(folder, base, kwi_scores=SCORES, nps=20.0, monitor_period="2011H1")
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        info = subprocess.run(
            ["pdfinfo", str(path.with_suffix(".pdf"))], check=True, capture_output=True, text=True
        ).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), info
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
        assert size, info
        width, height = float(size.group(1)), float(size.group(2))
        assert (round(width), round(height)) == (1191, 842)  # A3 landscape, in points


# ---------------------------------------------------------------------------------------------
# From the base workbook: kwm a3 and make_a3


def write_base(path: Path, a3_rows: list[list[Any]] | None = None, client_code: str = nm.CLIENT_CODE) -> Path:
    """The NewMedia base as typed in Excel, with an A3 sheet holding a unique text."""
    settings = [[key, client_code if key == "Klantcode" else value] for key, value in nm.SETTINGS]
    initials = [r[1] for r in nm.RESPONDENTS]
    questions = [["KWI", "Nr", "Vraag", *initials]]
    for kwi, number, text in nm.QUESTIONS:
        questions.append(
            [kwi, number, text, *("x" if number in nm.ASSIGNMENT[i] else None for i in initials)]
        )
    if a3_rows is None:
        a3_rows = [[item, text, None, None] for item, text in nm.A3_BLOCKS]
        a3_rows[0][1] = f"{a3_rows[0][1]} {SECRET}"
        a3_rows += [[label, None, last, this] for label, last, this in nm.A3_FIGURES]
        a3_rows += [["NetPromotorScore", None, 5, f"{SECRET}-nps"]]
    return build_workbook(
        path,
        {
            "Instellingen": [["Instelling", "Waarde"], *settings],
            "Respondenten": [
                ["Naam", "Initialen", "E-mail", "Functie", "Opmerking"],
                *map(list, nm.RESPONDENTS),
            ],
            "KWI's": [["Code", "Titel", "Omschrijving", "Doel", "Ingebracht door"], *map(list, nm.KWIS)],
            "Vragen": questions,
            "Acties": [
                ["Nr", "Datum", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
                *map(list, nm.ACTIONS),
            ],
            "A3": [["Onderdeel", "Inhoud", "Vorig jaar", "Dit jaar"], *a3_rows],
        },
    )


@pytest.fixture
def base_path(tmp_path: Path) -> Path:
    return write_base(tmp_path / "klant" / "basis.xlsx")


def run_cycle(base_path: Path, period: str = nm.PERIOD) -> Path:
    """Generate, fill as the example respondents would, and process: the period's monitor."""
    from klantwaarde.api.generate import generate
    from klantwaarde.api.process import process
    from klantwaarde.workbook.fill import fill_form

    generated = generate(base_path, now=FIXED_NOW)
    returned = base_path.parent / period / "ingevuld"
    returned.mkdir(parents=True, exist_ok=True)
    for form in generated.forms:
        fill_form(
            form.path,
            returned / form.path.name,
            nm.answers(form.initials, period),
            nps=nm.NPS[period][form.initials],
            anonymous="Ja" if form.initials in nm.ANONYMOUS[period] else "Nee",
        )
    result = process(base_path, now=FIXED_NOW)
    assert result.output is not None and result.report is not None
    return result.output


def all_text_of(path: Path) -> str:
    """Every byte of text in an xlsx package, all sheets (hidden ones too), properties, charts."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def test_make_a3_without_a_monitor_still_writes_the_plan(base_path: Path) -> None:
    from klantwaarde.api.a3 import make_a3

    result = make_a3(base_path, now=FIXED_NOW)
    assert result.path == base_path.parent / "2011H1" / "KLANT-2011H1 A3-accountplan.xlsx"
    assert result.monitor is None and result.monitor_tried is None and result.kwi_scores is None
    assert not [p for p in result.problems if p.code.startswith("a3_")]
    sheet = only_sheet(result.path)
    values = strings(sheet)
    assert any(SECRET in v for v in values)
    assert f"{SECRET}-nps" in values
    for code, title, *_ in nm.KWIS:
        assert code in values and title in values
    for _number, _date, description, *_ in nm.ACTIONS:
        assert description in values


def test_with_the_periods_monitor_the_scores_and_nps_appear_and_the_a3_text_never_leaks(
    base_path: Path,
) -> None:
    from klantwaarde.api.a3 import make_a3
    from klantwaarde.workbook.history import read_history

    monitor = run_cycle(base_path)
    assert SECRET not in all_text_of(monitor)

    result = make_a3(base_path, now=FIXED_NOW)
    assert result.monitor == monitor and result.monitor_period == nm.PERIOD
    history = read_history(monitor)
    expected = {h.code: h.value for h in history if h.kind == "kwi_score" and h.period == nm.PERIOD}
    nps = next(h.value for h in history if h.kind == "nps" and h.period == nm.PERIOD)
    assert result.kwi_scores == expected and result.nps == nps
    sheet = only_sheet(result.path)
    for code, score in expected.items():
        assert sheet.cell(find(sheet, code).row, 6).value == pytest.approx(score)
    assert sheet.cell(find(sheet, "NetPromotorScore").row, 11).value == pytest.approx(nps)
    assert any(SECRET in v for v in strings(sheet))
    assert SECRET not in all_text_of(monitor)  # still: making the plan did not touch the monitor


def test_after_kwm_next_the_previous_periods_monitor_is_used(base_path: Path) -> None:
    from klantwaarde.api.a3 import make_a3
    from klantwaarde.api.next import next_cycle

    monitor = run_cycle(base_path)
    next_cycle(base_path, "2011H2")
    result = make_a3(base_path, now=FIXED_NOW)
    assert result.monitor == monitor and result.monitor_period == nm.PERIOD
    assert result.path.parent.name == "2011H2"
    assert "Score 2011H1" in strings(only_sheet(result.path))


def test_an_unreadable_monitor_is_a_warning_and_the_plan_is_written(base_path: Path) -> None:
    from klantwaarde.api.a3 import make_a3

    broken = base_path.parent / "2011H1" / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    broken.parent.mkdir()
    build_workbook(broken, {"Voorblad": [["Geen kwm-monitor"]]})
    result = make_a3(base_path, now=FIXED_NOW)
    assert [p.code for p in result.problems if p.code.startswith("a3_")] == ["a3_monitor_unreadable"]
    assert result.monitor is None and result.monitor_tried == broken
    assert result.path.is_file()
    warning = next(p for p in result.problems if p.code == "a3_monitor_unreadable")
    assert not warning.is_error and warning.location.file == broken.name
    assert "kwm" in result.texts.message(warning)

    broken.write_bytes(b"not a workbook at all")
    result = make_a3(base_path, now=FIXED_NOW)
    assert [p.code for p in result.problems if p.code.startswith("a3_")] == ["a3_monitor_unreadable"]


def test_a_monitor_of_another_client_is_not_used(base_path: Path, tmp_path: Path) -> None:
    from klantwaarde.api.a3 import make_a3

    monitor = run_cycle(base_path)
    other = write_base(tmp_path / "ander" / "basis.xlsx", client_code="ANDER")
    result = make_a3(other, monitor=monitor, now=FIXED_NOW)
    assert result.monitor is None and result.kwi_scores is None and result.monitor_tried == monitor
    found = [p for p in result.problems if p.code.startswith("a3_")]
    assert [(p.code, p.context["found"], p.context["expected"]) for p in found] == [
        ("a3_monitor_other_client", "KLANT", "ANDER")
    ]
    assert not any(
        find_score for find_score in strings(only_sheet(result.path)) if find_score == "Score 2011H1"
    )


def test_an_explicit_monitor_that_does_not_exist_stops(base_path: Path) -> None:
    from klantwaarde.api.a3 import make_a3

    with pytest.raises(KwmError) as stopped:
        make_a3(base_path, monitor=base_path.parent / "weg.xlsx", now=FIXED_NOW)
    assert [p.code for p in stopped.value.problems] == ["file_missing"]


def test_kwm_a3_says_where_the_plan_is_and_that_it_is_internal(base_path: Path, tmp_path: Path) -> None:
    from klantwaarde.cli import build_app

    run_cycle(base_path)
    out = tmp_path / "eigen plan.xlsx"
    result = CliRunner().invoke(build_app("nl"), ["a3", str(base_path), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
    text = " ".join(result.stdout.split())
    assert f"A3-accountplan geschreven: {out}" in text
    assert "KWI-scores en NPS uit de monitor van 2011H1" in text
    assert "intern – niet delen met de klant" in text


def test_kwm_a3_lang_en_writes_and_speaks_english(base_path: Path) -> None:
    from klantwaarde.cli import build_app

    result = CliRunner().invoke(build_app("en"), ["a3", str(base_path), "--lang", "en"])
    assert result.exit_code == 0, result.output
    path = base_path.parent / "2011H1" / "KLANT-2011H1 A3 account plan.xlsx"
    assert f"A3 account plan written: {path}" in " ".join(result.stdout.split())
    assert "No monitor found" in result.stdout
    sheet = only_sheet(path)
    assert "4   Customer value indicators" in strings(sheet)


def test_kwm_a3_on_a_base_with_errors_exits_1(tmp_path: Path) -> None:
    from klantwaarde.cli import build_app

    path = build_workbook(tmp_path / "basis.xlsx", {"Instellingen": [["Instelling", "Waarde"]]})
    result = CliRunner().invoke(build_app("nl"), ["a3", str(path)])
    assert result.exit_code == 1
    assert not list(tmp_path.rglob("*A3*"))


def test_a_monitor_without_scores_is_a_warning_and_the_plan_is_written(base_path: Path) -> None:
    """A monitor whose history holds no KWI score and no NPS (e.g. emptied by hand): a warning."""
    import openpyxl

    from klantwaarde.api.a3 import make_a3

    monitor = run_cycle(base_path)
    workbook = openpyxl.load_workbook(monitor)
    data = workbook["_data"]
    for row in data.iter_rows():
        if row[1].value in ("kwi_score", "nps"):
            row[1].value = "removed"
    workbook.save(monitor)
    result = make_a3(base_path, now=FIXED_NOW)
    assert [p.code for p in result.problems if p.code.startswith("a3_")] == ["a3_monitor_empty"]
    assert result.kwi_scores is None and result.path.is_file()


def test_a_margin_as_a_fraction_is_a_percentage_and_an_amount_stays_an_amount(tmp_path: Path) -> None:
    figures = (A3Figure("margin", 0.15, 0.175), A3Figure("revenue", 850000, 920000))
    sheet = only_sheet(write(tmp_path, base=plan_base(A3Data(blocks={}, figures=figures))))
    row = find(sheet, "Marge").row
    assert (sheet.cell(row, 10).value, sheet.cell(row, 11).value) == (0.15, 0.175)
    assert (sheet.cell(row, 10).number_format, sheet.cell(row, 11).number_format) == ("0%", "0.0%")
    amounts = only_sheet(write(tmp_path, base=plan_base()))  # the example's margin is an amount
    row = find(amounts, "Marge").row
    assert amounts.cell(row, 10).number_format == "#,##0"


def test_last_years_nps_comes_from_the_trend_when_the_base_leaves_it_empty(tmp_path: Path) -> None:
    from klantwaarde.api.a3 import latest_scores
    from klantwaarde.report import HistoryRow

    def nps(period: str, value: float) -> HistoryRow:
        return HistoryRow(period=period, kind="nps", code="", title="NPS", value=value)

    history = [nps("2010H1", -10.0), nps("2010H2", 5.0), nps("2011H1", 20.0)]
    scores = latest_scores(history)
    assert scores is not None and (scores.nps, scores.nps_last_year) == (20.0, 5.0)
    assert latest_scores([nps("2011H1", 20.0)]).nps_last_year is None  # type: ignore[union-attr]
    empty = A3Data(blocks={}, figures=())
    sheet = only_sheet(
        write(tmp_path, base=plan_base(empty), nps=20.0, nps_last_year=5.0, monitor_period="2011H1")
    )
    row = find(sheet, "NetPromotorScore").row
    assert (sheet.cell(row, 10).value, sheet.cell(row, 11).value) == (5, 20)
    # a figure the account manager filled in is kept
    sheet = only_sheet(write(tmp_path, nps=20.0, nps_last_year=-30.0, monitor_period="2011H1"))
    assert sheet.cell(find(sheet, "NetPromotorScore").row, 10).value == 5
