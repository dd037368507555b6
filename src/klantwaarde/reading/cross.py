"""Checks across sheets: every question assigned (to at least k respondents, for anonymity: SPEC
3.5 rule 7), every respondent with questions, every KWI with questions (answered by at least k) and
the standard statements (SPEC 1)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from klantwaarde.baseformat import is_standard_active, is_standard_agreements
from klantwaarde.model import DEFAULT_THRESHOLD, Action, Kwi, Location, Respondent
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
    threshold: int = DEFAULT_THRESHOLD,
) -> None:
    """``standard`` holds the two standard statements ("active", "agreements") as the messages
    name them; ``threshold`` is k of the disclosure rules."""
    vragen = tables["questions"]
    matrix_letters = {
        initials: letter(index)
        for index, initials in ((i, h.strip().upper()) for i, h in vragen.others.items())
        if index > max(vragen.columns.values())
    }
    first_matrix = min(matrix_letters.values(), key=lambda s: (len(s), s), default=None)
    # Fewer respondents than k: one warning for the whole base rather than one per question
    few = 0 < len(respondents) < threshold
    if few:
        where = Location(reader.file, tables["respondents"].name, tables["respondents"].header_row + 1)
        reader.add("respondents_below_threshold", where, count=len(respondents), k=threshold)
    for row in questions:
        here = Location(reader.file, vragen.name, row.row)
        if not row.assigned:
            reader.add(
                "question_unassigned",
                here.at(column=first_matrix or vragen.letter("text")),
                number=row.number,
            )
        elif len(row.assigned) < threshold and not few:
            # should one of them choose anonymity, the question's figures cannot be shown
            reader.add(
                "question_few_respondents",
                here.at(column=row.marked_columns[0]),
                number=row.number,
                initials=", ".join(row.assigned),
                count=len(row.assigned),
                k=threshold,
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
        answering_kwi = sorted({initials for q in own for initials in q.assigned})
        if 0 < len(answering_kwi) < threshold and not few:
            reader.add(
                "kwi_few_respondents",
                kwi.location.at(column=tables["kwis"].letter("code")),
                kwi=kwi.code,
                initials=", ".join(answering_kwi),
                count=len(answering_kwi),
                k=threshold,
            )
        where = Location(reader.file, vragen.name, own[-1].row, vragen.letter("text"))
        if not any(is_standard_active(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["active"])
        if kwi.code in with_actions and not any(is_standard_agreements(q.text) for q in own):
            reader.add("kwi_standard_missing", where, kwi=kwi.code, statement=standard["agreements"])
