"""Collecting the returned forms of a period and checking them against the base (SPEC 3.3)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re

import pytest
from klantwaarde.examples import newmedia as nm

from factories import example_base
from klantwaarde.layout import CycleLayout
from klantwaarde.model import Question
from klantwaarde.pipeline.collect import (
    Collection,
    FileStatus,
    answer_files,
    collect_forms,
)
from klantwaarde.problems import CATALOGUE
from klantwaarde.texts import load_texts
from returned_kit import make_form

EARLY = dt.datetime(2011, 6, 5, 10, 0, tzinfo=dt.UTC)
LATE = dt.datetime(2011, 6, 9, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
def base(tmp_path):
    return example_base(tmp_path / "basis.xlsx")


@pytest.fixture
def answers_dir(tmp_path):
    folder = tmp_path / "2011H1" / "ingevuld"
    folder.mkdir(parents=True)
    return folder


def outcome(collection: Collection, name: str):
    return next(f for f in collection.files if f.path.name == name)


def test_default_answers_dir_is_period_ingevuld_beside_the_base(base, tmp_path):
    assert CycleLayout.of(base).returned_dir == (tmp_path / "2011H1" / "ingevuld").resolve()


def test_a_period_from_the_workbook_never_steers_the_answers_path(base, tmp_path):
    for period in ("../../etc", "..", "/etc/passwd", "a\\..\\..\\b", "CON"):
        hostile = dataclasses.replace(base, settings=dataclasses.replace(base.settings, period=period))
        folder = CycleLayout.of(hostile).returned_dir
        assert folder.parent.parent == tmp_path.resolve(), period
        assert folder.name == "ingevuld"


def test_answer_files_skips_lock_hidden_and_system_files_and_subfolders(answers_dir, tmp_path):
    for name in ("b.xlsx", "a.ods", "~$b.xlsx", ".hidden.xlsx", "Thumbs.db", "desktop.ini", "notes.txt"):
        (answers_dir / name).write_bytes(b"x")
    (answers_dir / "sub").mkdir()
    (answers_dir / "sub" / "c.xlsx").write_bytes(b"x")
    loose = tmp_path / ".given.xlsx"
    loose.write_bytes(b"x")
    files = answer_files([answers_dir, loose, answers_dir / "b.xlsx"])
    assert [p.name for p in files] == ["a.ods", "b.xlsx", "notes.txt", ".given.xlsx"]


def test_five_example_forms_are_collected_in_base_order(base, answers_dir):
    for initials in ("KK", "DD", "AA", "CC", "BB"):
        make_form(answers_dir / f"{initials}.xlsx", initials)
    done = []
    collection = collect_forms(base, [answers_dir], progress=lambda n, total: done.append((n, total)))
    assert collection.problems == []
    assert [f.identity.initials for f in collection.forms] == ["AA", "BB", "CC", "DD", "KK"]
    assert all(f.status is FileStatus.VALID for f in collection.files)
    kk = outcome(collection, "KK.xlsx")
    assert (kk.initials, kk.answered, kk.asked) == ("KK", 16, 17)
    assert collection.returned == {"AA", "BB", "CC", "DD", "KK"}
    assert collection.form_of("kk") is collection.forms[-1]
    assert done == [(i, 5) for i in range(1, 6)]


def test_another_client_or_period_or_respondent_is_refused(base, answers_dir):
    make_form(answers_dir / "other-client.xlsx", "KK", client_code="ANDER")
    make_form(answers_dir / "other-period.xlsx", "KK", period="2010H2")
    make_form(answers_dir / "stranger.xlsx", "XY", answers={"1.02": (7, "N")})
    make_form(answers_dir / "aa.xlsx", "AA")
    collection = collect_forms(base, [answers_dir])
    assert [f.identity.initials for f in collection.forms] == ["AA"]
    refused = {f.path.name: f for f in collection.files if f.status is FileStatus.REFUSED}
    assert set(refused) == {"other-client.xlsx", "other-period.xlsx", "stranger.xlsx"}
    assert [p.code for p in refused["other-client.xlsx"].problems] == ["form_other_client"]
    assert refused["other-client.xlsx"].initials is None  # another client's KK is not ours
    assert refused["other-period.xlsx"].initials == "KK"
    assert dict(refused["other-client.xlsx"].problems[0].context) == {"found": "ANDER", "expected": "KLANT"}
    assert [p.code for p in refused["other-period.xlsx"].problems] == ["form_other_period"]
    assert [p.code for p in refused["stranger.xlsx"].problems] == ["form_respondent_unknown"]
    assert refused["stranger.xlsx"].initials == "XY" and refused["stranger.xlsx"].answered == 0
    assert [p.location.file for p in collection.problems] == [
        "other-client.xlsx",
        "other-period.xlsx",
        "stranger.xlsx",
    ]


def test_client_code_and_period_match_case_insensitively(base, answers_dir):
    answers = {"1.02": (7, "N")}
    make_form(answers_dir / "kk.xlsx", "kk", answers=answers, client_code="klant ", period="2011h1")
    collection = collect_forms(base, [answers_dir])
    assert collection.problems == [] and collection.forms[0].identity.initials == "KK"


def test_unknown_question_is_left_out_and_unassigned_question_counts_with_a_warning(base, answers_dir):
    # KK is not assigned 1.01; 9.99 is no question at all.
    made = make_form(
        answers_dir / "kk.xlsx", "KK", answers={"1.01": (7, "N"), "1.02": (8, "N"), "9.99": (9, "N")}
    )
    collection = collect_forms(base, [answers_dir])
    form = collection.forms[0]
    assert sorted(a.question_number for a in form.answers) == ["1.01", "1.02"]
    found = [(p.code, p.location.cell, p.context.get("number")) for p in collection.problems]
    assert found == [
        ("form_question_unassigned", made.grade_cells["1.01"], "1.01"),
        ("form_question_unknown", made.grade_cells["9.99"], "9.99"),
    ]
    assert outcome(collection, "kk.xlsx").answered == 2


def test_question_numbers_match_numerically_and_take_the_base_spelling(tmp_path, answers_dir):
    base = example_base(tmp_path / "basis.xlsx")
    extra = Question("KWI-01", "1.10", "Een tiende vraag", ("KK",))
    base = dataclasses.replace(base, questions=(*base.questions, extra))
    make_form(answers_dir / "kk.xlsx", "KK", answers={"1.020": (7, "N"), "1.1": (8, "N")})
    collection = collect_forms(base, [answers_dir])
    assert collection.problems == []
    assert sorted(a.question_number for a in collection.forms[0].answers) == ["1.02", "1.10"]


def test_two_forms_of_one_respondent_the_later_save_counts(base, answers_dir):
    make_form(answers_dir / "z-old.xlsx", "KK", answers={"1.02": (3, "N")}, saved_at=EARLY)
    make_form(answers_dir / "a-new.xlsx", "KK", answers={"1.02": (9, "N")}, saved_at=LATE)
    collection = collect_forms(base, [answers_dir])
    assert len(collection.forms) == 1 and collection.forms[0].answers[0].grade == 9
    old = outcome(collection, "z-old.xlsx")
    assert old.status is FileStatus.IGNORED and old.saved_at == EARLY
    assert [p.code for p in collection.problems] == ["form_duplicate_ignored"]
    duplicate = collection.problems[0]
    assert duplicate.location.file == "z-old.xlsx" and duplicate.context["kept"] == "a-new.xlsx"
    message = load_texts("nl").message(duplicate)
    assert "a-new.xlsx" in message and "KK" in message


def test_duplicates_with_the_same_save_time_go_to_the_file_modified_last(base, answers_dir):
    first = make_form(answers_dir / "b.xlsx", "KK", answers={"1.02": (3, "N")}, saved_at=EARLY).path
    second = make_form(answers_dir / "a.xlsx", "KK", answers={"1.02": (9, "N")}, saved_at=EARLY).path
    os.utime(first, (1_300_000_000, 1_300_000_000))
    os.utime(second, (1_300_000_100, 1_300_000_100))
    collection = collect_forms(base, [answers_dir])
    assert collection.forms[0].path.name == "a.xlsx"
    assert outcome(collection, "b.xlsx").status is FileStatus.IGNORED


def test_an_empty_form_is_ignored_and_does_not_hide_a_filled_one(base, answers_dir):
    make_form(answers_dir / "filled.xlsx", "KK", saved_at=EARLY)
    make_form(answers_dir / "empty.xlsx", "KK", answers={"1.02": (None, "N")}, nps="", saved_at=LATE)
    collection = collect_forms(base, [answers_dir])
    assert [f.path.name for f in collection.forms] == ["filled.xlsx"]
    assert outcome(collection, "empty.xlsx").status is FileStatus.IGNORED
    assert [p.code for p in collection.problems] == ["form_empty"]


def test_an_unreadable_file_is_one_problem_and_the_run_goes_on(base, answers_dir):
    (answers_dir / "kapot.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (answers_dir / "leeg.xlsx").write_bytes(b"")
    make_form(answers_dir / "kk.xlsx", "KK")
    collection = collect_forms(base, [answers_dir])
    assert [f.identity.initials for f in collection.forms] == ["KK"]
    assert sorted((p.location.file, p.code) for p in collection.problems) == [
        ("kapot.xlsx", "file_corrupt"),
        ("leeg.xlsx", "file_empty"),
    ]
    assert outcome(collection, "kapot.xlsx").status is FileStatus.UNREADABLE


def test_a_missing_source_is_reported_not_raised(base, tmp_path):
    collection = collect_forms(base, [tmp_path / "bestaat-niet.xlsx"])
    assert [p.code for p in collection.problems] == ["file_missing"] and collection.forms == []


def test_bad_answers_are_reported_and_the_rest_of_the_form_counts(base, answers_dir):
    answers = dict(nm.answers("KK"))
    answers.update({"1.02": (11, ""), "1.03": ("zeven", ""), "1.04": (7.5, ""), "2.01": (7, "?")})
    made = make_form(answers_dir / "kk.xlsx", "KK", answers=answers, nps=12)
    collection = collect_forms(base, [answers_dir])
    form = collection.forms[0]
    # three bad grades leave their answers out; the unknown mark keeps 2.01's grade, as neutral
    assert len(form.answers) == 16 - 3 and form.nps is None
    assert {(p.code, p.location.cell) for p in collection.problems} == {
        ("form_grade_invalid", made.grade_cells["1.02"]),
        ("form_grade_invalid", made.grade_cells["1.03"]),
        ("form_grade_invalid", made.grade_cells["1.04"]),
        ("form_relevance_invalid", made.relevance_cells["2.01"]),
        ("form_nps_invalid", made.grade_cells["nps"]),
    }


def test_every_returned_code_has_a_message_in_both_languages_with_its_declared_values():
    form_codes = [code for code in CATALOGUE if code.startswith("form_")] + ["file_unsafe_xml"]
    for lang in ("nl", "en"):
        texts = load_texts(lang)
        for code in form_codes:
            assert texts.has(f"problems.{code}"), code
            names = set(re.findall(r"{(\w+)}", texts.raw(f"problems.{code}")))
            # the fields each code is raised with are declared in the catalogue (problems.py)
            assert names <= CATALOGUE[code].allowed | {"file", "sheet", "cell"}, (lang, code, names)


def test_messages_name_the_value_and_what_to_do(base, answers_dir):
    make_form(answers_dir / "kk.xlsx", "KK", answers={"1.02": (11, "N")})
    problem = collect_forms(base, [answers_dir]).problems[0]
    nl = load_texts("nl").message(problem)
    en = load_texts("en").message(problem)
    assert "'11'" in nl and "1.02" in nl and "telt niet mee" in nl
    assert "'11'" in en and "does not count" in en
    assert "{" not in nl + en


def test_end_to_end_through_the_generator_and_the_fill_contract(base, answers_dir, tmp_path):
    """Forms written by the questionnaire generator, filled through the contract (no fixed cells)."""
    from openpyxl import load_workbook

    from conftest import FIXED_NOW
    from klantwaarde.workbook.fill import contract_columns, contract_sheet, fill_form, keyed_rows
    from klantwaarde.workbook.questionnaire import write_questionnaire

    texts = load_texts("nl")
    for respondent in base.respondents:
        blank = write_questionnaire(
            base, respondent, texts, tmp_path / "forms" / f"{respondent.initials}.xlsx", now=FIXED_NOW
        )
        answers = dict(nm.answers(respondent.initials))
        if respondent.initials == "CC":
            answers.update({"1.01": ("7,0", "minder"), "1.02": (11, None), "1.03": (8, "??")})
        fill_form(
            blank,
            answers_dir / blank.name,
            answers,
            nps=nm.NPS[nm.PERIOD][respondent.initials],
            anonymous="Nee",
        )
    collection = collect_forms(base, [answers_dir])
    assert [f.identity.initials for f in collection.forms] == ["AA", "BB", "CC", "DD", "KK"]

    sheet = contract_sheet(load_workbook(answers_dir / "CC.xlsx"))
    header, columns = contract_columns(sheet)
    rows = keyed_rows(sheet, header, columns["key"])
    letter = {key: sheet.cell(1, col).column_letter for key, col in columns.items()}
    assert [(p.code, p.location.cell) for p in collection.problems] == [
        ("form_grade_invalid", f"{letter['grade']}{rows['1.02']}"),
        ("form_relevance_invalid", f"{letter['relevance']}{rows['1.03']}"),
    ]
    cc = collection.form_of("CC")
    first = next(a for a in cc.answers if a.question_number == "1.01")
    assert (first.grade, first.relevance.value) == (7, "<")
    assert len(cc.answers) == len(nm.answers("CC")) - 1  # 1.02 (11) out; 1.03 ("??") counts as neutral
    assert all(f.nps == nm.NPS[nm.PERIOD][f.identity.initials] for f in collection.forms)
