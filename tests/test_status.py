"""``kwm status``: who returned, who did not, how complete — read exactly as ``kwm process`` reads."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from cycle_kit import FOUR, forms_of, two_of_four_returned, write_base
from klantwaarde.api.status import generated_form, status
from klantwaarde.cli import build_app
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import fill_form
from returned_kit import make_form, set_modified

BEFORE_DEADLINE = dt.date(2011, 6, 1)  # the example's deadline is Friday 17 June 2011


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return two_of_four_returned(tmp_path_factory.mktemp("prepared") / "klant")


@pytest.fixture
def base(prepared: Path, tmp_path: Path) -> Path:
    """A fresh copy of the prepared client folder: AA and BB returned (BB with a bad grade)."""
    shutil.copytree(prepared.parent, tmp_path / "klant")
    return tmp_path / "klant" / "basis.xlsx"


def folder_state(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def row(result, initials: str):  # type: ignore[no-untyped-def]
    return next(r for r in result.respondents if r.initials == initials)


# --- the library -----------------------------------------------------------------------------


def test_two_of_four_returned(base: Path) -> None:
    result = status(base, now=BEFORE_DEADLINE)

    assert result.returned == ["AA", "BB"]
    assert result.missing == ["CC", "DD"]
    assert result.asked == 4 and result.response_rate == 0.5
    assert result.days_left == 16
    aa = row(result, "AA")
    assert aa.generated and aa.returned and aa.valid
    assert aa.file is not None and aa.file.name == "AA ingevuld.xlsx"
    assert aa.saved_at is not None
    assert (aa.answered, aa.asked) == (len(nm.ASSIGNMENT["AA"]), len(nm.ASSIGNMENT["AA"]))
    cc = row(result, "CC")
    assert cc.generated and not cc.returned and not cc.valid and cc.file is None and cc.answered == 0


def test_a_form_with_problems_counts_as_returned_but_shows_its_problems(base: Path) -> None:
    result = status(base, now=BEFORE_DEADLINE)

    bb = row(result, "BB")
    assert bb.returned and "BB" in result.returned
    assert not bb.valid
    assert [p.code for p in bb.problems] == ["form_grade_invalid"]
    found = bb.problems[0]
    assert found.location.file == "Vragenlijst BB terug.xlsx" and found.location.sheet == "Vragenlijst"
    assert found.location.column and found.location.row
    assert bb.answered == len(nm.ASSIGNMENT["BB"]) - 1  # the bad answer is left out, the rest counts
    assert found in result.problems


def test_status_changes_nothing(base: Path) -> None:
    before = folder_state(base.parent)
    status(base, now=BEFORE_DEADLINE)
    assert folder_state(base.parent) == before


def test_before_anything_came_back_everyone_is_missing(tmp_path: Path) -> None:
    base = write_base(tmp_path / "basis.xlsx", respondents=FOUR)
    result = status(base, now=BEFORE_DEADLINE)
    assert result.returned == [] and result.missing == list(FOUR)
    assert not any(r.generated for r in result.respondents)
    assert result.response_rate == 0.0
    assert not (tmp_path / nm.PERIOD).exists()


def test_a_form_of_another_period_does_not_count_but_is_shown(base: Path) -> None:
    folder = base.parent / nm.PERIOD / "ingevuld"
    make_form(folder / "CC oud.xlsx", "CC", period=nm.EARLIER_PERIOD, answers={"1.01": (7, "")})

    result = status(base, now=BEFORE_DEADLINE)

    cc = row(result, "CC")
    assert not cc.returned and "CC" in result.missing
    assert cc.file is not None and cc.file.name == "CC oud.xlsx"
    assert [p.code for p in cc.problems] == ["form_other_period"]


def test_an_old_form_of_another_period_never_makes_the_counted_one_invalid(base: Path) -> None:
    """Status said "met meldingen" for AA because AA's form of 2010H2 lay in the folder too."""
    folder = base.parent / nm.PERIOD / "ingevuld"
    make_form(folder / "AA vorig half jaar.xlsx", "AA", period=nm.EARLIER_PERIOD)

    aa = row(status(base, now=BEFORE_DEADLINE), "AA")
    assert aa.returned and aa.valid
    assert aa.file is not None and aa.file.name == "AA ingevuld.xlsx"
    assert "form_other_period" in [p.code for p in aa.problems]  # shown, but not held against it


def test_a_file_of_nobody_is_listed_apart_with_its_problem(base: Path) -> None:
    folder = base.parent / nm.PERIOD / "ingevuld"
    (folder / "scan.xlsx").write_bytes(b"%PDF-1.4 not a workbook")

    result = status(base, now=BEFORE_DEADLINE)

    assert [f.path.name for f in result.other_files] == ["scan.xlsx"]
    assert [p.code for p in result.other_files[0].problems] == ["file_pdf"]
    assert result.returned == ["AA", "BB"]


def test_an_older_duplicate_is_named_and_the_newest_counts(base: Path) -> None:
    folder = base.parent / nm.PERIOD / "ingevuld"
    earlier = fill_form(forms_of(base)["AA"], folder / "AA eerder.xlsx", {"1.01": (5, "")})  # AA's own form
    set_modified(earlier, dt.datetime(2011, 6, 2, tzinfo=dt.UTC))  # after it was issued, before the other

    result = status(base, now=BEFORE_DEADLINE)

    aa = row(result, "AA")
    assert aa.returned and aa.file is not None and aa.file.name == "AA ingevuld.xlsx"
    assert [p.code for p in aa.problems] == ["form_duplicate_ignored"]
    assert len(aa.files) == 2


def test_answers_given_explicitly_are_read_instead_of_the_default_folder(base: Path, tmp_path: Path) -> None:
    only_aa = tmp_path / "elders"
    only_aa.mkdir()
    shutil.copy2(base.parent / nm.PERIOD / "ingevuld" / "AA ingevuld.xlsx", only_aa)
    assert status(base, [only_aa], now=BEFORE_DEADLINE).returned == ["AA"]


def test_an_answers_path_that_does_not_exist_is_a_problem(base: Path, tmp_path: Path) -> None:
    with pytest.raises(KwmError) as refused:
        status(base, [tmp_path / "nergens"])
    assert [p.code for p in refused.value.problems] == ["file_missing"]


def test_a_form_that_was_never_generated_shows(base: Path) -> None:
    forms_of(base)["DD"].unlink()
    result = status(base, now=BEFORE_DEADLINE)
    assert not row(result, "DD").generated and row(result, "CC").generated


def test_a_respondent_without_questions_is_not_expected(tmp_path: Path) -> None:
    base = write_base(tmp_path / "basis.xlsx", respondents=FOUR)
    workbook = openpyxl.load_workbook(base)
    workbook["Respondenten"].append(["E. Eeee", "EE", "e.eeee@newmedia.nl", "Manager E", None])
    workbook.save(base)

    result = status(base, now=BEFORE_DEADLINE)

    assert row(result, "EE").asked == 0 and not row(result, "EE").expected
    assert result.missing == list(FOUR) and result.asked == 4


@pytest.mark.parametrize(
    ("today", "days"), [(dt.date(2011, 6, 1), 16), (dt.date(2011, 6, 17), 0), (dt.date(2011, 6, 20), -3)]
)
def test_days_left_until_the_deadline(base: Path, today: dt.date, days: int) -> None:
    assert status(base, now=today).days_left == days


def test_generated_forms_are_found_in_either_language_and_when_renamed(base: Path) -> None:
    from klantwaarde.pipeline.base import load_base

    loaded, _ = load_base(base)
    folder = base.parent / nm.PERIOD / "vragenlijsten"
    forms = forms_of(base)
    english = folder / "KLANT-2011H1 Questionnaire C. Ceee (CC).xlsx"
    forms["CC"].rename(english)
    renamed = folder / "oude naam (dd) 2.xlsx"
    forms["DD"].rename(renamed)

    people = {r.initials: r for r in loaded.respondents}
    assert generated_form(loaded, people["CC"], folder) == english
    assert generated_form(loaded, people["DD"], folder) == renamed
    assert generated_form(loaded, people["AA"], folder) == forms["AA"]
    assert generated_form(loaded, people["AA"], folder / "nergens") is None


# --- the command -----------------------------------------------------------------------------


def run(*args: str, lang: str = "nl"):  # type: ignore[no-untyped-def]
    return CliRunner(env={"COLUMNS": "200"}).invoke(build_app(lang), ["status", *args])


def test_kwm_status_shows_a_table_totals_and_the_deadline(base: Path) -> None:
    result = run(str(base))
    assert result.exit_code == 0, result.output
    for text in (
        "A. Aaaa (AA)",
        "D. Deeee (DD)",
        "nog niet",
        "met meldingen",
        "2 van 4",
        "Deadline",
        "CC, DD",
    ):
        assert text in result.output, text
    assert "kwm remind" in result.output


def test_kwm_status_json_lists_both_groups_as_the_library_does(base: Path) -> None:
    result = run(str(base), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["returned"] == ["AA", "BB"]
    assert data["missing"] == ["CC", "DD"]
    by_initials = {r["initials"]: r for r in data["respondents"]}
    assert by_initials["BB"]["returned"] is True and by_initials["BB"]["valid"] is False
    assert [p["code"] for p in by_initials["BB"]["problems"]] == ["form_grade_invalid"]
    assert by_initials["CC"]["returned"] is False and by_initials["CC"]["generated"] is True
    assert data == json.loads(json.dumps(status(base).to_json(load_texts("nl")), default=str))


def test_kwm_status_json_prints_nothing_else_on_stdout(base: Path) -> None:
    result = run(str(base), "--json")
    json.loads(result.stdout)  # the whole of stdout is one JSON object


def test_kwm_status_in_english(base: Path) -> None:
    result = run(str(base), "--lang", "en", lang="en")
    assert result.exit_code == 0, result.output
    assert "not yet" in result.output and "2 of 4" in result.output


@pytest.mark.parametrize("content", [None, b"dit is geen werkmap"])
def test_kwm_status_on_a_missing_or_broken_base_is_a_clear_message(
    tmp_path: Path, content: bytes | None
) -> None:
    path = tmp_path / "basis.xlsx"
    if content is not None:
        path.write_bytes(content)
    result = run(str(path))
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output and "basis.xlsx" in result.output

    as_json = run(str(path), "--json")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["problems"][0]["code"] in {"file_missing", "file_not_workbook"}
