"""The problem catalogue and the templates: complete, in both languages, and every code tested."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from klantwaarde.model import Location
from klantwaarde.problems import CATALOGUE, LOCATION_FIELDS, Problem, ProblemFieldsError, problem
from klantwaarde.texts import _packaged, available_keys, load_texts

TESTS = Path(__file__).parent
# Placeholders users type in question texts of the base, shown literally in each language's example.
BASE_PLACEHOLDERS = {"klant", "leverancier", "client", "supplier"}


def test_dutch_and_english_templates_have_the_same_keys():
    nl, en = available_keys(_packaged("nl")), available_keys(_packaged("en"))
    assert sorted(nl - en) == [] and sorted(en - nl) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_problem_code_has_a_message(lang):
    texts = load_texts(lang)
    missing = [code for code in CATALOGUE if not texts.has(f"problems.{code}")]
    assert missing == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_templates_use_the_same_placeholders_in_both_languages(lang):
    other = "en" if lang == "nl" else "nl"
    one, two = load_texts(lang), load_texts(other)
    for key in sorted(available_keys(_packaged(lang))):
        first, second = one.raw(key), two.raw(key)
        if isinstance(first, str) and isinstance(second, str):
            names = {f for _, f, _, _ in string.Formatter().parse(first) if f} - BASE_PLACEHOLDERS
            others = {f for _, f, _, _ in string.Formatter().parse(second) if f} - BASE_PLACEHOLDERS
            assert names == others, key


def test_every_problem_code_is_triggered_by_some_test():
    source = "\n".join(
        p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py") if p.name != Path(__file__).name
    )
    untested = [code for code in CATALOGUE if not re.search(rf"['\"]{re.escape(code)}['\"]", source)]
    assert untested == []


def test_unknown_codes_are_refused():
    with pytest.raises(KeyError):
        Problem("no_such_problem")


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_templates_use_only_the_declared_fields(lang):
    """A message may use what its entry declares and the location; nothing else (so no literal
    "{expected}" can ever reach a user)."""
    texts = load_texts(lang)
    for code, entry in CATALOGUE.items():
        names = {f for _, f, _, _ in string.Formatter().parse(texts.raw(f"problems.{code}")) if f}
        assert names <= entry.allowed | LOCATION_FIELDS, (code, sorted(names - entry.allowed))
        assert "suggestion" not in names, code  # appended as "Bedoelde u ...?" instead


def test_a_problem_without_a_declared_field_fails_at_once():
    with pytest.raises(ProblemFieldsError, match="missing fields \\['expected'\\]"):
        problem("sheet_missing", Location("basis.xlsx"))
    with pytest.raises(ProblemFieldsError, match="unknown fields \\['sheet'\\]"):
        problem("sheet_missing", Location("basis.xlsx"), expected="Instellingen", sheet="Instellingen")
    found = problem("sheet_missing", Location("basis.xlsx"), expected="Instellingen", suggestion="Instelling")
    assert found.context["expected"] == "Instellingen"


def test_the_next_base_names_the_missing_settings_sheet(tmp_path):
    """It once passed ``sheet=`` where the message needs ``{expected}``: users read a literal
    "{expected}". Now the field is declared and the message is whole."""
    import openpyxl

    from conftest import build_workbook
    from klantwaarde.problems import KwmError
    from klantwaarde.workbook.next_base import period_cell

    path = build_workbook(tmp_path / "basis.xlsx", {"Respondenten": [["Naam"]]})
    with pytest.raises(KwmError) as caught:
        period_cell(openpyxl.load_workbook(path), path.name)
    message = load_texts("nl").message(caught.value.problems[0])
    assert "Instellingen" in message and "{" not in message
