"""The ``KWI's`` sheet: the client's value indicators, each with its code (SPEC 3.1)."""

from __future__ import annotations

from collections.abc import Sequence

from klantwaarde import normalise
from klantwaarde.model import Kwi, Location, Respondent
from klantwaarde.reading.placeholders import Replacer
from klantwaarde.reading.table import Reader, Table, suggest


def read_kwis(
    reader: Reader, table: Table, respondents: Sequence[Respondent], replace: Replacer
) -> list[Kwi]:
    kwis: list[Kwi] = []
    first_row: dict[str, int] = {}
    known = {r.initials for r in respondents}
    rows = reader.data_rows(table, ("code", "title", "description", "target", "contributed_by"))
    if not rows:
        reader.add("sheet_empty", reader.at(table.name, table.header_row + 1, table.letter("code")))
    for number, row in rows:
        code = normalise.text(table.get(row, "code"))
        title = normalise.text(table.get(row, "title"))
        here = Location(reader.file, table.name, number)
        if not code:
            reader.add("kwi_code_missing", here.at(column=table.letter("code")), title=title)
            continue
        key = code.upper()
        if key in first_row:
            reader.add(
                "kwi_duplicate", here.at(column=table.letter("code")), kwi=code, first_row=first_row[key]
            )
            continue
        first_row[key] = number
        if not title:
            reader.add("kwi_title_missing", here.at(column=table.letter("title")), kwi=code)
        typed = normalise.number(table.get(row, "target"))
        target = typed.value
        if typed.invalid or (target is not None and not 1 <= target <= 10):
            reader.add(
                "kwi_target_invalid",
                here.at(column=table.letter("target")),
                kwi=code,
                value=normalise.text(table.get(row, "target")),
            )
            target = None
        contributor = normalise.text(table.get(row, "contributed_by")).upper()
        if contributor and contributor not in known:
            reader.add(
                "kwi_contributor_unknown",
                here.at(column=table.letter("contributed_by")),
                kwi=code,
                initials=contributor,
                suggestion=suggest(contributor, known, cutoff=0.5) or "",
            )
        description = normalise.text(table.get(row, "description"))
        kwis.append(
            Kwi(
                code=code,
                title=replace(title, here.at(column=table.letter("title"))),
                description=replace(description, here.at(column=table.letter("description"))),
                target=target,
                contributed_by=contributor,
                location=here,
            )
        )
    return kwis
