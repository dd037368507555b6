"""Real LibreOffice round trips (issue 6): a person fills a generated form in LibreOffice Calc and
stores it as .xlsx and .ods, a plain ``soffice --convert-to`` re-saves a filled form and a monitor;
kwm reads every one of them exactly.

The live tests use the ``soffice`` fixture (skipped without LibreOffice, failing under
``KWM_REQUIRE_LIBREOFFICE=1``) and share one headless LibreOffice per module. The files LibreOffice
saved are also kept under ``tests/data/`` (see ``tests/data/make_lo_files.py``); the tests at the
end read those without LibreOffice, so every machine checks them.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from klantwaarde.examples import newmedia as nm

import lo_kit
from conftest import libreoffice_or_skip
from factories import example_base
from klantwaarde.pipeline.collect import FileStatus, collect_forms
from klantwaarde.workbook.history import read_data, read_history
from klantwaarde.workbook.returned import read_form
from lo_files import (
    CC_PLAN,
    DD_PLAN,
    KEPT,
    MADE_AT,
    RESAVED_FORM,
    RESAVED_MONITOR,
    Plan,
    client_folder,
    contract_cells,
    example_expected,
    fill_example,
    generated_form,
    hand_nps,
    hand_score,
    kwi_of,
    monitor_with_history,
    sheet_rows,
    sheet_states,
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[lo_kit.Office]:
    """One headless LibreOffice for the module, always shut down afterwards."""
    soffice = libreoffice_or_skip()
    if lo_kit.uno_python() is None:
        reason = "LibreOffice's Python UNO bridge is missing: apt-get install python3-uno"
        if os.environ.get("KWM_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    with lo_kit.office(soffice, tmp_path_factory.mktemp("office")) as running:
        yield running


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled example base with its 2011H1 questionnaires generated (the base path)."""
    return client_folder(tmp_path_factory.mktemp("klant"))


def assert_reads_plan(path: Path, plan: Plan, bad_cells: dict[str, str]) -> None:
    """kwm reads exactly what ``plan`` typed: every answer, relevance, NPS, anonymity and remark;
    each bad grade one problem on its cell; and against the base the form counts."""
    form, problems = read_form(path)
    assert form is not None, problems
    identity = form.identity
    assert (identity.client_code, identity.period, identity.initials) == ("KLANT", "2011H1", plan.initials)
    read = {a.question_number: (a.grade, a.relevance.value) for a in form.answers}
    assert read == plan.expected()
    assert all(type(a.grade) is int for a in form.answers)
    assert form.nps == plan.nps
    assert form.anonymous is (plan.anonymous == "Ja")
    assert form.remark == plan.remark
    found = [
        (p.code, p.location.file, p.location.sheet, p.location.cell, p.context["value"]) for p in problems
    ]
    assert found == [
        ("form_grade_invalid", path.name, "Vragenlijst", bad_cells[number], typed)
        for number, typed in plan.bad.items()
    ]

    collection = collect_forms(example_base(), [path])
    assert [f.status for f in collection.files] == [FileStatus.VALID]
    assert [p.code for p in collection.problems] == ["form_grade_invalid"] * len(plan.bad)


# ---------------------------------------------------------------------------------------------
# Live: LibreOffice fills, stores and re-saves


@pytest.mark.parametrize("plan", [CC_PLAN, DD_PLAN], ids=["CC-anonymous-nee", "DD-anonymous-ja"])
def test_a_form_filled_in_libreoffice_reads_exactly_as_xlsx_and_as_ods(
    soffice: str, office: lo_kit.Office, client: Path, tmp_path: Path, plan: Plan
) -> None:
    source = generated_form(client, plan.initials)
    before = sha256(source)
    xlsx, ods = tmp_path / "ingevuld.xlsx", tmp_path / "ingevuld.ods"

    typed = office.fill(
        source, plan.typed(), {xlsx: lo_kit.XLSX_FILTER, ods: lo_kit.ODS_FILTER}, **plan.special()
    )

    assert sha256(source) == before  # LibreOffice stored copies; the generated form is untouched
    bad_cells = {number: typed["cells"][number]["grade"] for number in plan.bad}
    for path in (xlsx, ods):
        assert_reads_plan(path, plan, bad_cells)
        # LibreOffice kept text typed as text and numbers as numbers (kwm did not guess either way)
        cells = contract_cells(path)
        assert cells[next(iter(plan.bad))]["grade"][1] == "7,5"
        assert [cells[n]["grade"][1] for n in plan.as_text] == [t for t, _meant in plan.as_text.values()]


def test_a_plain_libreoffice_resave_of_a_filled_form_reads_back_identically(
    soffice: str, client: Path, tmp_path: Path
) -> None:
    filled = fill_example(client, "BB", tmp_path / "filled" / "BB.xlsx")
    before = sha256(filled)

    [resaved] = lo_kit.convert(soffice, [filled], tmp_path / "resaved")

    assert sha256(filled) == before
    original, original_problems = read_form(filled)
    again, problems = read_form(resaved)
    assert original is not None and again is not None
    assert original_problems == [] and problems == []
    assert again.identity == original.identity
    assert [(a.question_number, a.grade, a.relevance, a.location.cell) for a in again.answers] == [
        (a.question_number, a.grade, a.relevance, a.location.cell) for a in original.answers
    ]
    assert (again.nps, again.anonymous, again.remark) == (original.nps, original.anonymous, original.remark)
    assert {a.question_number: (a.grade, a.relevance.value) for a in again.answers} == example_expected("BB")

    # What LibreOffice changed, and kwm copes with: the identity sheet is only "hidden" now (still
    # there, still holding the identity), and whole numbers come back as floats (7.0 reads as 7).
    assert sheet_states(filled)["_kwm"] == "veryHidden"
    assert sheet_states(resaved)["_kwm"] == "hidden"
    assert ["initials", "BB"] in sheet_rows(resaved, "_kwm")
    raw = [cells["grade"][1] for number, cells in contract_cells(resaved).items() if number[0].isdigit()]
    assert raw and all(type(value) is float and value.is_integer() for value in raw)


def test_a_monitor_resaved_by_libreoffice_still_gives_its_history(soffice: str, tmp_path: Path) -> None:
    monitor = monitor_with_history(tmp_path / "klant")
    staged = tmp_path / "staged" / monitor.name
    staged.parent.mkdir()
    shutil.copyfile(monitor, staged)

    [resaved] = lo_kit.convert(soffice, [staged], tmp_path / "resaved")

    assert sheet_states(resaved)["_data"] == "hidden"
    history, original = read_history(resaved), read_history(monitor)
    # LibreOffice writes numbers with 15 significant digits (6.69444444444445): equal to within that.
    assert [(r.period, r.kind, r.code, r.title, r.n) for r in history] == [
        (r.period, r.kind, r.code, r.title, r.n) for r in original
    ]
    assert [r.value for r in history] == [pytest.approx(r.value, rel=1e-14) for r in original]
    assert {row.period for row in history} == {nm.EARLIER_PERIOD, nm.PERIOD}
    assert read_data(resaved, answers=True).answers == read_data(monitor, answers=True).answers

    # ...and the next run takes its trend from the re-saved monitor alone.
    from klantwaarde.api.process import process

    result = process(
        tmp_path / "klant" / "basis.xlsx",
        out=tmp_path / "again.xlsx",
        history=[resaved],
        use_history=False,
        now=MADE_AT,
    )
    assert result.report is not None and not result.problems
    assert result.report.periods == [nm.EARLIER_PERIOD, nm.PERIOD]


# ---------------------------------------------------------------------------------------------
# Kept files saved by LibreOffice (tests/data): read without LibreOffice


@pytest.mark.parametrize("path", list(KEPT), ids=[p.name for p in KEPT])
def test_a_kept_form_filled_in_libreoffice_reads_exactly(path: Path) -> None:
    plan = KEPT[path]
    cells = contract_cells(path)
    assert_reads_plan(path, plan, {number: cells[number]["grade"][0] for number in plan.bad})
    # What LibreOffice stored: typed numbers as numbers (floats to calamine), typed text as text.
    for number, entry in plan.typed().items():
        raw = cells[number]["grade"][1]
        if isinstance(entry["grade"], str):
            assert raw == entry["grade"]
        else:
            assert type(raw) is float and raw == entry["grade"]


def test_the_kept_libreoffice_ods_is_an_opendocument_spreadsheet() -> None:
    import zipfile

    ods = next(p for p in KEPT if p.suffix == ".ods")
    with zipfile.ZipFile(ods) as archive:
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
        assert b"LibreOffice" in archive.read("meta.xml")


def test_the_kept_resaved_form_has_floats_and_a_merely_hidden_identity_sheet() -> None:
    form, problems = read_form(RESAVED_FORM)
    assert form is not None and problems == []
    assert form.identity.initials == "BB" and form.identity.client_code == "KLANT"
    assert {a.question_number: (a.grade, a.relevance.value) for a in form.answers} == example_expected("BB")
    assert all(type(a.grade) is int for a in form.answers)
    assert form.nps == nm.NPS[nm.PERIOD]["BB"] and form.anonymous is False
    assert sheet_states(RESAVED_FORM)["_kwm"] == "hidden"
    raw = [cells["grade"][1] for number, cells in contract_cells(RESAVED_FORM).items() if number[0].isdigit()]
    assert raw and all(type(value) is float for value in raw)


def test_the_kept_resaved_monitor_gives_the_history_of_both_periods() -> None:
    rows = read_history(RESAVED_MONITOR)
    by_key = {(r.period, r.kind, r.code): r for r in rows}
    for period in (nm.EARLIER_PERIOD, nm.PERIOD):
        pooled: list[tuple[int, str]] = []
        per_kwi: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for _name, initials, *_rest in nm.RESPONDENTS:
            for number, answer in example_expected(initials, period).items():
                pooled.append(answer)
                per_kwi[kwi_of(number)].append(answer)
        overall = by_key[(period, "overall", "")]
        assert overall.value == pytest.approx(hand_score(pooled)) and overall.n == len(pooled)
        for code, answers in per_kwi.items():
            score = by_key[(period, "kwi_score", code)]
            assert score.value == pytest.approx(hand_score(answers)) and score.n == len(answers)
        assert by_key[(period, "nps", "")].value == pytest.approx(hand_nps(list(nm.NPS[period].values())))
        assert by_key[(period, "returned", "")].value == 5
        assert by_key[(period, "asked", "")].value == 5
