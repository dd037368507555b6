"""Checks across sheets: every question assigned (to more than one respondent, for anonymity),
every respondent with questions, every KWI with questions and the standard statements (SPEC 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from klantwaarde.baseformat import is_standard_active, is_standard_agreements
from klantwaarde.model import Action, Kwi, Location, Respondent
from klantwaarde.reading.questions import QuestionRow
from klantwaarde.reading.table import Reader, Table, letter


def cross_checks(
    reader: Reader,
    tables: Mapping[str, Table],
    respondents: Sequence[Respondent],
    kwis: Sequence[Kwi],
    questions: Sequence[QuestionRow],
    actions: Sequence[Action],
    standard: Mapping[str, str],
) -> None:
    """``standard`` holds the two standard statements ("active", "agreements") as the messages
    name them."""
    vragen = tables["questions"]
    matrix_letters = {
        initials: letter(index)
        for index, initials in ((i, h.strip().upper()) for i, h in vragen.others.items())
        if index > max(vragen.columns.values())
    }
    first_matrix = min(matrix_letters.values(), key=lambda s: (len(s), s), default=None)
    for row in questions:
        here = Location(reader.file, vragen.name, row.row)
        if not row.assigned:
            reader.add(
                "question_unassigned",
                here.at(column=first_matrix or vragen.letter("text")),
                number=row.number,
            )
        elif len(row.assigned) == 1:
            reader.add(
                "question_single_respondent",
                here.at(column=row.marked_columns[0]),
                number=row.number,
                initials=row.assigned[0],
            )
    answering = {initials for row in questions for initials in row.assigned}
    for respondent in respondents:
        if respondent.initials in answering:
            continue
        found = matrix_letters.get(respondent.initials)
        if found:
            where = Location(reader.file, vragen.name, vragen.header_row, found)
        else:
            where = respondent.location.at(column=tables["respondents"].letter("initials"))
        reader.add("respondent_no_questions", where, initials=respondent.initials)

    with_actions = {a.kwi_code for a in actions}
    for kwi in kwis:
        own = [q for q in questions if q.kwi_known and q.kwi_code == kwi.code]
        if not own:
            reader.add(
                "kwi_no_questions", kwi.location.at(column=tables["kwis"].letter("code")), kwi=kwi.code
            )
            continue
        where = Location(reader.file, vragen.name, own[-1].row, vragen.letter("text"))
        if not any(is_standard_active(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["active"])
        if kwi.code in with_actions and not any(is_standard_agreements(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["agreements"])
