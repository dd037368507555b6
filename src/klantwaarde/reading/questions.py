"""The ``Vragen`` sheet: the statements per KWI and, right of them, the assignment matrix (one
column per respondent's initials, a mark where that respondent answers the statement)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from klantwaarde import normalise
from klantwaarde.baseformat import SPECIAL_NUMBERS, is_mark
from klantwaarde.model import Kwi, Location, Respondent
from klantwaarde.normalise import normalise_name
from klantwaarde.reading.placeholders import Replacer
from klantwaarde.reading.table import Reader, Table, letter, suggest


@dataclass
class QuestionRow:
    row: int
    kwi_code: str  # canonical code when known, else as typed
    kwi_known: bool
    number: str | None
    text: str
    assigned: list[str]
    marked_columns: list[str]  # column letters of the marks, for locating problems


def question_number(value: object) -> tuple[str | None, bool]:
    """(number, ok): the number as ``normalise.question_number`` reads it (None when empty), with
    the base's own rules: it is not a key of the form's special rows (``nps``...) and holds no
    control character or line break, which the key cell of a form could not keep."""
    if normalise.is_empty(value):
        return None, True
    typed = normalise.text(value)
    if isinstance(value, str) and (
        normalise_name(typed) in SPECIAL_NUMBERS or any(ord(c) < 32 for c in typed)
    ):
        return None, False
    found = normalise.question_number(value)
    return (found.value, True) if found.valid else (None, False)


def matrix_columns(reader: Reader, table: Table, respondents: Sequence[Respondent]) -> list[tuple[int, str]]:
    """The respondent columns right of the question columns: (index, initials)."""
    known = {r.initials for r in respondents}
    last_fixed = max(table.columns.values())
    matrix: list[tuple[int, str]] = []
    seen: set[str] = set()
    for index, header in sorted(table.others.items()):
        if index <= last_fixed:
            continue
        initials = header.strip().upper()
        where = reader.at(table.name, table.header_row, letter(index))
        if initials in known:
            if initials in seen:
                reader.add("initials_duplicate", where, initials=initials, first_row=table.header_row)
                continue
            seen.add(initials)
            matrix.append((index, initials))
            continue
        has_marks = any(index < len(values) and is_mark(values[index]) for _, values in table.rows)
        if has_marks or len(normalise_name(header)) <= 4:
            headed = {h.strip().upper() for h in table.others.values()}
            unused = sorted(known - headed) or sorted(known)
            reader.add(
                "matrix_column_unknown",
                where,
                initials=header,
                suggestion=suggest(header, unused, cutoff=0.5) or "",
            )
    return matrix


def read_questions(
    reader: Reader,
    table: Table,
    respondents: Sequence[Respondent],
    kwis: Sequence[Kwi],
    replace: Replacer,
) -> list[QuestionRow]:
    matrix = matrix_columns(reader, table, respondents)
    codes = {k.code.upper(): k.code for k in kwis}
    result: list[QuestionRow] = []
    first_row: dict[str, int] = {}
    keys = ("kwi", "number", "text")
    rows = [
        (number, values)
        for number, values in table.rows
        if any(not normalise.is_empty(table.get(values, k)) for k in keys)
        or any(i < len(values) and not normalise.is_empty(values[i]) for i, _ in matrix)
    ]
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("text")))
    for number, row in rows:
        here = Location(reader.file, table.name, number)
        kwi_text = normalise.text(table.get(row, "kwi"))
        raw_text = normalise.text(table.get(row, "text"))
        raw_number = table.get(row, "number")
        if not raw_text:
            reader.add("question_text_missing", here.at(column=table.letter("text")), kwi=kwi_text)
            continue
        kwi_known = False
        if not kwi_text:
            reader.add("question_kwi_missing", here.at(column=table.letter("kwi")), text=raw_text)
        elif kwi_text.upper() in codes:
            kwi_text, kwi_known = codes[kwi_text.upper()], True
        else:
            reader.add(
                "question_kwi_unknown",
                here.at(column=table.letter("kwi")),
                kwi=kwi_text,
                suggestion=suggest(kwi_text, codes.values()) or "",
            )
        found, ok = question_number(raw_number)
        if not ok:
            reader.add(
                "question_number_invalid",
                here.at(column=table.letter("number")),
                value=normalise.text(raw_number),
            )
        elif found is not None:
            if found in first_row:
                reader.add(
                    "question_number_duplicate",
                    here.at(column=table.letter("number")),
                    number=found,
                    first_row=first_row[found],
                )
            else:
                first_row[found] = number
        assigned: list[str] = []
        marked: list[str] = []
        for index, initials in matrix:
            value = row[index] if index < len(row) else None
            if normalise.is_empty(value):
                continue
            if is_mark(value):
                assigned.append(initials)
                marked.append(letter(index))
            else:
                reader.add(
                    "matrix_mark_unknown",
                    here.at(column=letter(index)),
                    value=normalise.text(value),
                    initials=initials,
                )
        text = replace(raw_text, here.at(column=table.letter("text")))
        result.append(QuestionRow(number, kwi_text, kwi_known, found, text, assigned, marked))
    number_blanks(result, kwis)
    return result


def number_blanks(rows: Sequence[QuestionRow], kwis: Sequence[Kwi]) -> None:
    """Blank numbers become ``<KWI position>.<two digits>``, skipping numbers already in use."""
    position = {k.code: i + 1 for i, k in enumerate(kwis)}
    used = {r.number for r in rows if r.number is not None}
    counters: dict[str, int] = {}
    for row in rows:
        if row.number is not None:
            continue
        prefix = str(position.get(row.kwi_code, 0)) if row.kwi_known else (row.kwi_code or "0")
        while True:
            counters[row.kwi_code] = counters.get(row.kwi_code, 0) + 1
            candidate = f"{prefix}.{counters[row.kwi_code]:02d}"
            if candidate not in used:
                break
        row.number = candidate
        used.add(candidate)
