"""``kwm next``: archive the base unchanged, write the base of the next period, refuse safely."""

from __future__ import annotations

import hashlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from cycle_kit import write_base
from klantwaarde.api import next as next_api
from klantwaarde.api.next import is_later, next_cycle, parse_period
from klantwaarde.cli import build_app
from klantwaarde.problems import KwmError
from klantwaarde.workbook import safe


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def folder_state(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def values(path: Path, sheet: str) -> list[tuple[object, ...]]:
    workbook = openpyxl.load_workbook(path)
    try:
        return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return write_base(tmp_path / "klant" / "basis.xlsx")


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("2011H1", "2011H1"), ("2011h2", "2011H2"), ("2011-H2", "2011H2"), ("2011Q3", "2011Q3"),
     ("2011 q4", "2011Q4"), ("2012", "2012"), (" 2012 ", "2012"), ("2011K2", "2011K2")],
)  # fmt: skip
def test_periods_are_read_in_their_usual_spellings(text: str, canonical: str) -> None:
    found = parse_period(text)
    assert found is not None and found.text == canonical


@pytest.mark.parametrize(
    "text", ["", "volgende", "2011H3", "2011Q5", "2011Q0", "11H1", "2011H1x", "../2011", "H1"]
)
def test_nonsense_periods_are_not_periods(text: str) -> None:
    assert parse_period(text) is None


@pytest.mark.parametrize(
    ("new", "current", "later"),
    [("2011H2", "2011H1", True), ("2012H1", "2011H2", True), ("2011H1", "2011H1", False),
     ("2011H1", "2011H2", False), ("2011Q3", "2011H1", True), ("2011Q2", "2011H1", False),
     ("2012", "2011H2", True), ("2011H2", "2011", False), ("2012", "2011", True), ("2011H2", "2011Q2", True),
     ("2011h2", "2011H1", True), ("nonsense", "2011H1", False), ("2011H2", "voorjaar", False)],
)  # fmt: skip
def test_later_means_after_the_current_period_has_ended(new: str, current: str, later: bool) -> None:
    assert is_later(new, current) is later


_periods = st.builds(
    lambda year, kind, part: (
        f"{year}" if kind == "" else f"{year}{kind}{part % (2 if kind == 'H' else 4) + 1}"
    ),
    st.integers(2000, 2030),
    st.sampled_from(["", "H", "Q"]),
    st.integers(0, 3),
)


@given(_periods, _periods)
def test_later_is_a_strict_order(a: str, b: str) -> None:
    assert not (is_later(a, b) and is_later(b, a))
    assert not is_later(a, a)
    span_a, span_b = parse_period(a), parse_period(b)
    assert span_a is not None and span_b is not None
    assert is_later(a, b) == (span_a.first > span_b.last)


# --- the next cycle --------------------------------------------------------------------------


def test_next_archives_the_old_base_byte_for_byte_and_writes_the_new_period(base: Path) -> None:
    before = sha(base)
    old_bytes = base.read_bytes()

    result = next_cycle(base, "2011H2")

    archive = base.parent / "2011H1" / "basis.xlsx"
    assert result.archive_path == archive.resolve()
    assert archive.read_bytes() == old_bytes and sha(archive) == before
    assert result.archived and result.old_period == "2011H1" and result.new_period == "2011H2"
    assert sha(base) != before

    settings = dict((row[0], row[1]) for row in values(base, "Instellingen")[1:])
    old_settings = dict((row[0], row[1]) for row in values(archive, "Instellingen")[1:])
    assert settings["Periode"] == "2011H2"
    assert {k: v for k, v in settings.items() if k != "Periode"} == {
        k: v for k, v in old_settings.items() if k != "Periode"
    }
    for sheet in ("Respondenten", "KWI's", "Vragen", "Notities"):
        assert values(base, sheet) == values(archive, sheet), sheet


def test_next_carries_open_actions_over_and_leaves_finished_ones_in_the_archive(base: Path) -> None:
    result = next_cycle(base, "2011H2")

    numbers = [row[0] for row in values(base, "Acties")[1:] if row[0]]
    assert numbers == ["2011-02", "2011-03", "2011-04"]
    assert [row[0] for row in values(result.archive_path, "Acties")[1:]] == [a[0] for a in nm.ACTIONS]
    assert result.kept_actions == ("2011-02", "2011-03", "2011-04")
    assert result.dropped_actions == ("2011-01",)
    # the rows moved up whole: description, KWI and status still belong together
    rows = {row[0]: row for row in values(base, "Acties")[1:]}
    assert rows["2011-02"][3:6] == ("KWI-03", "RM", "lopend")
    assert rows["2011-03"][2] == "Voorstel besparingen op beheerkosten uitwerken"


def test_the_new_base_keeps_the_account_managers_formatting(base: Path) -> None:
    next_cycle(base, "2011H2")
    workbook = openpyxl.load_workbook(base)
    assert workbook.sheetnames == ["Instellingen", "Respondenten", "KWI's", "Vragen", "Acties", "Notities"]
    assert workbook["Vragen"].column_dimensions["C"].width == 70
    assert workbook["Vragen"]["A1"].font.bold
    assert workbook["KWI's"]["B3"].fill.fgColor.rgb.endswith("FFFF00")
    assert workbook["Vragen"]["B2"].number_format == "@"
    assert workbook["Notities"]["B1"].value == "=1+1"  # formulas stay formulas


def test_the_new_base_reads_back_with_the_same_kwis_and_matrix(base: Path) -> None:
    from klantwaarde.pipeline.base import load_base

    old, _ = load_base(base)
    next_cycle(base, "2011H2")
    new, problems = load_base(base)

    assert not [p for p in problems if p.is_error]
    assert new.settings.period == "2011H2"
    assert [(k.code, k.title, k.description, k.target) for k in new.kwis] == [
        (k.code, k.title, k.description, k.target) for k in old.kwis
    ]
    assert [(q.number, q.text, q.assigned) for q in new.questions] == [
        (q.number, q.text, q.assigned) for q in old.questions
    ]
    assert [r.initials for r in new.respondents] == [r.initials for r in old.respondents]
    assert [a.number for a in new.actions] == ["2011-02", "2011-03", "2011-04"]
    assert new.settings.deadline == old.settings.deadline


def test_running_next_again_for_the_same_period_refuses_and_changes_nothing(base: Path) -> None:
    next_cycle(base, "2011H2")
    state = folder_state(base.parent)

    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")

    assert [p.code for p in refused.value.problems] == ["period_not_later"]
    assert folder_state(base.parent) == state


@pytest.mark.parametrize(("period", "code"), [("2011H1", "period_not_later"), ("2010H2", "period_not_later"),
                                               ("2011Q2", "period_not_later"), ("volgende", "next_period_invalid"),
                                               ("2011H3", "next_period_invalid")])  # fmt: skip
def test_a_period_that_is_not_later_or_not_a_period_is_refused(base: Path, period: str, code: str) -> None:
    state = folder_state(base.parent)
    with pytest.raises(KwmError) as refused:
        next_cycle(base, period)
    assert [p.code for p in refused.value.problems] == [code]
    assert folder_state(base.parent) == state
    assert not (base.parent / "2011H1").exists()


def test_a_next_period_that_already_has_returned_forms_is_refused(base: Path) -> None:
    returned = base.parent / "2011H2" / "ingevuld" / "antwoord.xlsx"
    returned.parent.mkdir(parents=True)
    returned.write_bytes(b"PK")
    state = folder_state(base.parent)

    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")

    assert [p.code for p in refused.value.problems] == ["period_has_returns"]
    assert refused.value.problems[0].context["n"] == 1
    assert folder_state(base.parent) == state


def test_lock_files_and_hidden_files_are_not_returned_forms(base: Path) -> None:
    folder = base.parent / "2011H2" / "ingevuld"
    folder.mkdir(parents=True)
    (folder / "~$antwoord.xlsx").write_bytes(b"x")
    (folder / ".DS_Store").write_bytes(b"x")
    (folder / "Thumbs.db").write_bytes(b"x")
    assert next_cycle(base, "2011H2").new_period == "2011H2"


def test_a_different_file_in_the_archive_place_is_refused(base: Path) -> None:
    other = base.parent / "2011H1" / "basis.xlsx"
    other.parent.mkdir()
    other.write_bytes(b"an older base")
    state = folder_state(base.parent)

    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")

    assert [p.code for p in refused.value.problems] == ["archive_differs"]
    assert folder_state(base.parent) == state


def test_an_identical_archive_is_fine(base: Path) -> None:
    archive = base.parent / "2011H1" / "basis.xlsx"
    archive.parent.mkdir()
    archive.write_bytes(base.read_bytes())

    result = next_cycle(base, "2011H2")

    assert not result.archived
    assert values(base, "Instellingen")[4][1] == "2011H2"


def test_a_base_open_in_excel_is_refused(base: Path) -> None:
    (base.parent / "~$basis.xlsx").write_bytes(b"owner")
    state = folder_state(base.parent)
    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")
    assert [p.code for p in refused.value.problems] == ["output_locked"]
    assert folder_state(base.parent) == state


def test_a_base_with_errors_is_refused(tmp_path: Path) -> None:
    base = write_base(tmp_path / "basis.xlsx")
    workbook = openpyxl.load_workbook(base)
    workbook["Instellingen"]["B2"] = None  # no client name: an error in the base
    workbook.save(base)
    state = folder_state(tmp_path)

    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")

    assert any(p.is_error for p in refused.value.problems)
    assert folder_state(tmp_path) == state


def test_an_ods_base_is_read_but_not_carried_over_and_nothing_changes(tmp_path: Path) -> None:
    """kwm reads an .ods base (check, generate, process), but the next base is written by editing
    the workbook, which only an .xlsx allows: refused before anything is archived."""
    base = tmp_path / "basis.ods"
    base.write_bytes((Path(__file__).parent / "data" / "lo-base-saved-as-ods.ods").read_bytes())
    state = folder_state(tmp_path)
    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")
    assert [p.code for p in refused.value.problems] == ["file_not_workbook"]
    assert folder_state(tmp_path) == state


def test_the_archived_copy_itself_is_refused_as_base(base: Path) -> None:
    result = next_cycle(base, "2011H2")
    state = folder_state(base.parent)
    # The archive says 2011H1 and lives in the 2011H1 folder: its own archive place is itself.
    with pytest.raises(KwmError) as refused:
        next_cycle(result.archive_path, "2011H2")
    assert [p.code for p in refused.value.problems] == ["next_base_is_archive"]
    assert folder_state(base.parent) == state


def test_when_writing_the_new_base_fails_the_old_base_is_intact(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(base)

    def fail(tmp: Path, target: Path) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(safe, "_replace", fail)
    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")
    assert [p.code for p in refused.value.problems] == ["output_failed"]
    assert sha(base) == before
    assert sha(base.parent / "2011H1" / "basis.xlsx") == before
    assert [p.name for p in base.parent.iterdir() if p.name.startswith(".kwm-")] == []

    monkeypatch.undo()
    assert next_cycle(base, "2011H2").archived is False  # the identical archive is accepted


def test_the_archive_is_verified_before_the_base_is_replaced(
    base: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(base)
    real_copy = next_api.shutil.copy2

    def bad_copy(source: Path, target: Path) -> None:
        real_copy(source, target)
        with open(target, "ab") as handle:
            handle.write(b"!")

    monkeypatch.setattr(next_api.shutil, "copy2", bad_copy)
    with pytest.raises(KwmError) as refused:
        next_cycle(base, "2011H2")
    assert [p.code for p in refused.value.problems] == ["archive_copy_failed"]
    assert sha(base) == before
    assert not (base.parent / "2011H1" / "basis.xlsx").exists()
    assert not list((base.parent / "2011H1").glob(".kwm-*"))  # the bad copy is gone too


# --- the command -----------------------------------------------------------------------------


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(build_app("nl"), ["next", *args])


def test_kwm_next_says_where_the_old_base_went_and_what_to_do_next(base: Path) -> None:
    result = run(str(base), "--period", "2011H2")
    assert result.exit_code == 0, result.output
    assert "2011H1" in result.output and "2011H2" in result.output
    assert "2011-01" in result.output  # the finished action that stays behind is named
    assert "kwm check" in result.output


def test_kwm_next_refusal_is_a_message_and_exit_1(base: Path) -> None:
    result = run(str(base), "--period", "2010H2")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "2010H2" in result.output and "ligt niet na" in result.output


@pytest.mark.parametrize("content", [None, b"dit is geen werkmap"])
def test_kwm_next_on_a_missing_or_broken_base_is_a_clear_message(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "basis.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = run(str(path), "--period", "2011H2")
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "basis.xlsx" in result.output
    assert list(tmp_path.iterdir()) == ([path] if content is not None else [])


def test_kwm_next_speaks_english_when_asked(base: Path) -> None:
    result = CliRunner().invoke(build_app("en"), ["next", str(base), "--period", "2011H2", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "ready for 2011H2" in result.output


# --- texts -----------------------------------------------------------------------------------

CYCLE_CODES = {
    "period_not_later": {"period": "2011H1", "current": "2011H1"},
    "period_has_returns": {"period": "2011H2", "folder": "x/2011H2/ingevuld", "n": 2},
    "archive_differs": {"path": "x/2011H1/basis.xlsx"},
    "archive_copy_failed": {"path": "x/2011H1/basis.xlsx"},
    "next_period_invalid": {"period": "morgen"},
    "next_base_is_archive": {"period": "2011H1", "path": "x"},
    "next_base_changed": {"path": "x"},
    "remind_form_missing": {"respondent": "Kees Klant (KK)", "initials": "KK", "folder": "x"},
    "remind_no_email": {"respondent": "Kees Klant (KK)"},
}


def test_cycle_texts_have_the_same_keys_in_dutch_and_english() -> None:
    import yaml

    folder = Path(next_api.__file__).parents[1] / "templates"
    from klantwaarde.texts import available_keys

    dutch = available_keys(yaml.safe_load((folder / "nl.yaml").read_text(encoding="utf-8"))["cycle"])
    english = available_keys(yaml.safe_load((folder / "en.yaml").read_text(encoding="utf-8"))["cycle"])
    assert dutch and dutch == english


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_cycle_problem_has_a_complete_message(lang: str) -> None:
    from klantwaarde.problems import CATALOGUE, problem
    from klantwaarde.texts import load_texts

    texts = load_texts(lang)
    for code, context in CYCLE_CODES.items():
        assert code in CATALOGUE
        message = texts.message(problem(code, None, **context))
        assert "{" not in message and len(message) > 40, (code, message)


def test_the_bundled_example_base_carries_over_whole(tmp_path: Path) -> None:
    import dataclasses
    import shutil

    from klantwaarde.pipeline.base import load_base

    example = Path(nm.__file__).parent / "basis.xlsx"
    if not example.exists():
        pytest.skip("examples/basis.xlsx has not been built")
    base = tmp_path / "basis.xlsx"
    shutil.copy2(example, base)
    old, _ = load_base(base)

    next_cycle(base, "2011H2")
    new, problems = load_base(base)

    def bare(items):  # type: ignore[no-untyped-def]
        return [dataclasses.replace(item, location=None) for item in items]

    assert not [p for p in problems if p.is_error]
    assert dataclasses.replace(new.settings, period="", location=None) == dataclasses.replace(
        old.settings, period="", location=None
    )
    assert new.settings.period == "2011H2"
    assert bare(new.respondents) == bare(old.respondents)
    assert bare(new.kwis) == bare(old.kwis)
    assert bare(new.questions) == bare(old.questions)
    assert new.a3 == old.a3
    assert bare(new.actions) == [a for a in bare(old.actions) if a.status != "gereed"]
