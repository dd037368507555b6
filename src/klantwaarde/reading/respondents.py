"""The ``Respondenten`` sheet: who answers, by initials (SPEC 3.1)."""

from __future__ import annotations

from klantwaarde import normalise
from klantwaarde.baseformat import EMAIL, MAX_RESPONDENTS, language_value, several_addresses
from klantwaarde.model import Location, Respondent
from klantwaarde.reading.table import Reader, Table


def read_respondents(reader: Reader, table: Table) -> list[Respondent]:
    respondents: list[Respondent] = []
    first_row: dict[str, int] = {}
    keys = ("name", "initials", "email", "function", "remark", "internal_note", "language")
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
        email_at = reader.at(table.name, number, table.letter("email"))
        if email and several_addresses(email):
            # one address per respondent: a questionnaire goes to one person (SPEC 3.1)
            reader.add("email_several", email_at, email=email, initials=initials)
            email = ""
        elif email and not EMAIL.match(email):
            reader.add("email_invalid", email_at, email=email)
        language = ""
        typed = normalise.text(table.get(row, "language"))
        if typed:
            found = language_value(typed)
            if found is None:
                where = reader.at(table.name, number, table.letter("language"))
                reader.add("respondent_language_invalid", where, value=typed, initials=initials)
            else:
                language = found
        respondents.append(
            Respondent(
                name=name,
                initials=initials,
                email=email,
                function=normalise.text(table.get(row, "function")),
                remark=normalise.text(table.get(row, "remark")),
                location=Location(reader.file, table.name, number),
                internal_note=normalise.text(table.get(row, "internal_note")),
                language=language,
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
