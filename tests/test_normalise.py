"""Every spelling and every bad value of SPEC 3.3 and issue 4, cell by cell."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klantwaarde import normalise
from klantwaarde.model import Relevance
from klantwaarde.normalise import Status


@pytest.mark.parametrize(
    "raw", [7, 7.0, " 7 ", "7,0", "7.0", "7,00", "07", "\u00a07\u00a0", "７", 7.000000000000001, "+7"]
)
def test_grade_spellings_of_seven(raw):
    result = normalise.grade(raw)
    assert result.valid and result.value == 7


@pytest.mark.parametrize("raw", [1, 10, "1", "10", 1.0, 10.0])
def test_grade_bounds_are_valid(raw):
    assert normalise.grade(raw).valid


@pytest.mark.parametrize(
    "raw",
    [
        7.5,
        "7,5",
        "7.5",
        11,
        0,
        -1,
        "0",
        "11",
        "zeven",
        "?",
        True,
        False,
        dt.date(2011, 6, 1),
        dt.datetime(2011, 6, 1, 7),
        dt.time(7, 0),
        dt.timedelta(days=7),
        "#N/A",
        "#DIV/0!",
        "=3+4",
        1e308,
        -1e308,
        float("inf"),
        float("nan"),
        10**30,
        "7 7",
        "7-8",
        "1e1",
        "",
        "x" * 10_000,
        "7\x00",
        Decimal("7.5"),
        object(),
    ],
)
def test_bad_grades_are_invalid_or_blank_never_a_value(raw):
    result = normalise.grade(raw)
    assert not result.valid
    assert result.value is None
    if raw == "":
        assert result.blank
    else:
        assert result.invalid
        assert len(result.shown) <= normalise.MAX_DISPLAY


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0"])
def test_blank_grade_is_not_answered(raw):
    assert normalise.grade(raw).status is Status.BLANK


def test_invalid_value_is_shown_as_the_user_typed_it():
    assert normalise.grade(11).shown == "11"
    assert normalise.grade(11.0).shown == "11"
    assert normalise.grade(7.5).shown == "7.5"
    assert normalise.grade("zeven").shown == "zeven"
    assert normalise.grade(True).shown == "TRUE"
    assert normalise.grade(dt.date(2011, 6, 1)).shown == "2011-06-01"
    assert normalise.grade("a\nb\x01").shown == "a b?"
    assert normalise.grade("x" * 500).shown.endswith("…")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<", Relevance.LESS),
        (" < ", Relevance.LESS),
        ("minder", Relevance.LESS),
        ("Minder", Relevance.LESS),
        ("LESS", Relevance.LESS),
        ("< minder", Relevance.LESS),
        ("< (minder)", Relevance.LESS),
        ("minder relevant", Relevance.LESS),
        ("N", Relevance.NEUTRAL),
        ("n", Relevance.NEUTRAL),
        (" n ", Relevance.NEUTRAL),
        ("<>", Relevance.NEUTRAL),
        ("neutraal", Relevance.NEUTRAL),
        ("Neutral", Relevance.NEUTRAL),
        (">", Relevance.MORE),
        ("meer", Relevance.MORE),
        ("MEER", Relevance.MORE),
        ("more", Relevance.MORE),
        ("> meer", Relevance.MORE),
        ("＞", Relevance.MORE),
    ],
)
def test_relevance_spellings(raw, expected):
    result = normalise.relevance(raw)
    assert result.valid and result.value is expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_relevance_is_neutral(raw):
    result = normalise.relevance(raw)
    assert result.blank and result.value is Relevance.NEUTRAL


@pytest.mark.parametrize(
    "raw", ["?", "x", "<<", "< >", "< meer", "relevant", "veel", 1, 2.0, True, dt.date(2011, 1, 1), "#N/A"]
)
def test_bad_relevance_is_invalid(raw):
    result = normalise.relevance(raw)
    assert result.invalid and result.value is None


@pytest.mark.parametrize(("raw", "expected"), [(0, 0), ("0", 0), (10, 10), (9.0, 9), (" 9 ", 9), ("9,0", 9)])
def test_nps_whole_numbers_zero_to_ten(raw, expected):
    result = normalise.nps(raw)
    assert result.valid and result.value == expected


@pytest.mark.parametrize("raw", [12, -1, 8.5, "negen", True, "#N/A", 1e20])
def test_bad_nps_is_invalid(raw):
    assert normalise.nps(raw).invalid


def test_blank_nps_is_not_answered():
    assert normalise.nps(None).blank and normalise.nps(" ").blank


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ja", True),
        ("ja", True),
        (" JA ", True),
        ("Yes", True),
        ("j", True),
        (True, True),
        (1, True),
        ("Nee", False),
        ("nee", False),
        ("No", False),
        ("NO", False),
        (False, False),
        (0, False),
        (0.0, False),
    ],
)
def test_anonymity_words(raw, expected):
    result = normalise.anonymous(raw)
    assert result.valid and result.value is expected


def test_blank_anonymity_is_no():
    result = normalise.anonymous(None)
    assert result.blank and result.value is False


@pytest.mark.parametrize("raw", ["misschien", "anoniem", 2, dt.date(2011, 1, 1), "#N/A"])
def test_bad_anonymity_is_invalid(raw):
    assert normalise.anonymous(raw).invalid


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.02", "1.02"),
        (" 1.02 ", "1.02"),
        (1.02, "1.02"),
        (1.1, "1.10"),
        (2.0, "2"),
        (3, "3"),
        (1.125, "1.125"),
        ("A-1", "A-1"),
    ],
)
def test_question_numbers(raw, expected):
    result = normalise.question_number(raw)
    assert result.valid and result.value == expected


@pytest.mark.parametrize("raw", [True, dt.date(2011, 1, 2), float("nan"), 1e300])
def test_bad_question_numbers(raw):
    assert normalise.question_number(raw).invalid


def test_number_key_matches_numbers_that_a_spreadsheet_changed():
    assert normalise.number_key("1.1") == normalise.number_key("1.10")
    assert normalise.number_key("1.02") != normalise.number_key("1.2")
    assert normalise.number_key("A-1") is None


def test_special_keys_any_case():
    assert normalise.special_key("NPS") == "nps"
    assert normalise.special_key(" Remark ") == "remark"
    assert normalise.special_key("anonymous") == "anonymous"
    assert normalise.special_key("1.02") is None
    assert normalise.special_key(9) is None


def test_remark_is_cleaned_text():
    assert normalise.remark("  Goed\x00 gedaan\x1b  ") == "Goed gedaan"
    assert normalise.remark("regel 1\r\nregel 2") == "regel 1\nregel 2"
    assert normalise.remark(7.0) == "7"
    assert normalise.remark(None) == ""
    assert len(normalise.remark("x" * 100_000)) == normalise.MAX_TEXT


def test_identity_text():
    assert normalise.identity_text(2011.0) == "2011"
    assert normalise.identity_text(" KLANT ") == "KLANT"
    assert normalise.identity_text(True) == ""
    assert normalise.identity_text(None) == ""


def test_same_label_ignores_case_space_and_colon():
    assert normalise.same_label(" sleutel ", "Sleutel", "Key")
    assert normalise.same_label("KEY", "Sleutel", "Key")
    assert normalise.same_label("Klantcode:", "Klantcode")
    assert not normalise.same_label("Sleutels", "Sleutel")
    assert not normalise.same_label(None, "Sleutel")


# ---------------------------------------------------------------------------------------------
# Property tests: arbitrary cell values never raise and are exactly one of valid/blank/invalid.

cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),
    st.text(alphabet=" 0123456789.,+-e<>Nn", max_size=8),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(["#N/A", "#DIV/0!", "#VALUE!", "#REF!", "=1+1", "=NA()", "x" * 40_000]),
)


@settings(max_examples=400, deadline=None)
@given(cell_values)
def test_arbitrary_values_never_raise(value):
    with_default = (normalise.relevance, normalise.anonymous)  # blank means neutral / Nee
    for read in (normalise.grade, normalise.nps, *with_default):
        result = read(value)
        assert result.status in set(Status)
        has_value = result.valid or (result.blank and read in with_default)
        assert (result.value is not None) == has_value
    grade = normalise.grade(value)
    if grade.valid:
        assert isinstance(grade.value, int) and 1 <= grade.value <= 10
        assert not isinstance(value, bool)
    nps = normalise.nps(value)
    if nps.valid:
        assert isinstance(nps.value, int) and 0 <= nps.value <= 10
    assert isinstance(normalise.display(value), str)
    assert isinstance(normalise.remark(value), str)
    normalise.question_number(value)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=10), st.sampled_from(["{}", " {} ", "{},0", "{}.0", "{}.00"]))
def test_every_whole_grade_in_any_spelling(number, spelling):
    assert normalise.grade(spelling.format(number)).value == number
    assert normalise.grade(float(number)).value == number


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6).filter(lambda x: not math.isclose(x, round(x))))
def test_fractions_are_never_grades(number):
    assert normalise.grade(number).invalid


# ---------------------------------------------------------------------------------------------
# The base's and the history's conversions (text, number, date, question number): the same rules
# for every reader, each value exactly one of valid, blank or invalid.


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        (True, "1"),
        (False, ""),
        (7.0, "7"),
        (7.5, "7.5"),
        (3, "3"),
        (dt.datetime(2011, 6, 17), "2011-06-17"),
        (dt.datetime(2011, 6, 17, 9, 30), "2011-06-17 09:30:00"),
        (dt.date(2011, 6, 17), "2011-06-17"),
        ("  Ann \n", "Ann"),
        ("e\u0301", "é"),  # NFC: one character, as typed on another keyboard
    ],
)
def test_text(raw, expected):
    assert normalise.text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (7, 7.0),
        (7.5, 7.5),
        ("7,5", 7.5),
        (" 7.5 ", 7.5),
        ("1 000", 1000.0),
        ("\u00a02\u00a0", 2.0),
        ("-0,5", -0.5),
    ],
)
def test_numbers_with_a_decimal_comma_or_point(raw, expected):
    found = normalise.number(raw)
    assert found.valid and found.value == expected


@pytest.mark.parametrize(
    "raw",
    [
        "veel",
        "1.000,5",
        "7,5,0",
        True,
        dt.date(2011, 1, 1),
        dt.time(7),
        float("nan"),
        float("inf"),
        "nan",
        10**400,
    ],
)
def test_not_numbers(raw):
    found = normalise.number(raw)
    assert found.invalid and found.value is None


@pytest.mark.parametrize("raw", [None, "", "  ", False])
def test_empty_numbers_and_dates_are_blank(raw):
    assert normalise.number(raw).blank and normalise.date(raw).blank and normalise.is_empty(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.datetime(2011, 6, 17, 13, 0), dt.date(2011, 6, 17)),
        (dt.date(2011, 6, 17), dt.date(2011, 6, 17)),
        (40711, dt.date(2011, 6, 17)),  # an Excel serial number that lost its date format
        (40711.5, dt.date(2011, 6, 17)),
        ("17-6-2011", dt.date(2011, 6, 17)),
        ("17/06/11", dt.date(2011, 6, 17)),
        ("17.6.2011", dt.date(2011, 6, 17)),
        ("2011-06-17", dt.date(2011, 6, 17)),
    ],
)
def test_dates(raw, expected):
    found = normalise.date(raw)
    assert found.valid and found.value == expected


@pytest.mark.parametrize(
    "raw", ["ooit", "31-2-2024", "2011-13-01", 17, 9_999, 100_001, True, dt.time(7), "17-6"]
)
def test_not_dates(raw):
    assert normalise.date(raw).invalid


def test_question_numbers_tolerate_float_noise_of_a_resave():
    assert normalise.question_number(1.0200000000000002).value == "1.02"
    assert normalise.question_number(1e-7).value == "0.0000001"
    assert normalise.question_number(dt.time(7)).invalid


def test_action_numbers_and_figures():
    assert normalise.action_number(dt.datetime(2011, 1, 1)) == "2011-01"  # Excel made a date of "2011-01"
    assert normalise.action_number(dt.date(2011, 1, 5)) == "2011-01-05"
    assert normalise.action_number(7.0) == "7"
    assert [normalise.number_or_text(v) for v in (2000.0, "1.000,5", "7,5", None, False, "n/a")] == [
        2000,
        "1.000,5",
        7.5,
        None,
        None,
        "n/a",
    ]


@settings(max_examples=400, deadline=None)
@given(st.one_of(cell_values, st.timedeltas(), st.integers(min_value=10**300)))
def test_the_base_conversions_never_raise_and_say_valid_blank_or_invalid(value):
    typed = normalise.text(value)
    assert isinstance(typed, str) and typed == typed.strip()
    assert normalise.is_empty(value) == (typed == "")
    number, day = normalise.number(value), normalise.date(value)
    for found in (number, day, normalise.question_number(value)):
        assert [found.valid, found.blank, found.invalid].count(True) == 1
        assert (found.value is not None) == found.valid
    if number.valid:
        assert isinstance(number.value, float) and math.isfinite(number.value)
    if day.valid:
        assert type(day.value) is dt.date
    assert number.blank == day.blank == normalise.is_empty(value)
    assert isinstance(normalise.action_number(value), str)
    figure = normalise.number_or_text(value)
    assert figure is None or isinstance(figure, int | float | str)
    assert isinstance(normalise.normalise_name(value), str)
