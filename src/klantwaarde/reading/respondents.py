"""The ``Respondenten`` sheet: who answers, by initials (SPEC 3.1)."""

from __future__ import annotations

from klantwaarde import normalise
from klantwaarde.baseformat import EMAIL, MAX_RESPONDENTS
from klantwaarde.model import Location, Respondent
from klantwaarde.reading.table import Reader, Table


def read_respondents(reader: Reader, table: Table) -> list[Respondent]:
    respondents: list[Respondent] = []
    first_row: dict[str, int] = {}
    keys = ("name", "initials", "email", "function", "remark")
    rows = reader.data_rows(table, keys)
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("initials")))
    for number, row in rows:
        name = normalise.text(table.get(row, "name"))
        initials = normalise.text(table.get(row, "initials")).upper()
        email = normalise.text(table.get(row, "email"))
        if not initials:
            reader.add(
                "respondent_initials_missing",
                reader.at(table.name, number, table.letter("initials")),
                name=name,
            )
            continue
        if initials in first_row:
            reader.add(
                "initials_duplicate",
                reader.at(table.name, number, table.letter("initials")),
                initials=initials,
                first_row=first_row[initials],
            )
            continue
        first_row[initials] = number
        if not name:
            reader.add(
                "respondent_name_missing",
                reader.at(table.name, number, table.letter("name")),
                initials=initials,
            )
        if email and not EMAIL.match(email):
            reader.add("email_invalid", reader.at(table.name, number, table.letter("email")), email=email)
        respondents.append(
            Respondent(
                name=name,
                initials=initials,
                email=email,
                function=normalise.text(table.get(row, "function")),
                remark=normalise.text(table.get(row, "remark")),
                location=Location(reader.file, table.name, number),
            )
        )
    if len(respondents) > MAX_RESPONDENTS:
        first_extra = respondents[MAX_RESPONDENTS].location
        reader.add(
            "too_many_respondents",
            first_extra.at(column=table.letter("initials")),
            count=len(respondents),
            maximum=MAX_RESPONDENTS,
        )
    return respondents
