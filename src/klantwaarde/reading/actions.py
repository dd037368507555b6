"""The ``Acties`` sheet: the action list of the previous session, per KWI."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from klantwaarde import normalise
from klantwaarde.baseformat import status_value
from klantwaarde.model import Action, ActionStatus, Kwi, Location
from klantwaarde.reading.table import Reader, Table, suggest


def read_actions(reader: Reader, table: Table, kwis: Sequence[Kwi]) -> list[Action]:
    codes = {k.code.upper(): k.code for k in kwis}
    actions: list[Action] = []
    keys = ("number", "date", "description", "kwi", "owner", "status", "deadline")
    for number, row in reader.data_rows(table, keys):
        here = Location(reader.file, table.name, number)
        kwi_text = normalise.text(table.get(row, "kwi"))
        if kwi_text and kwi_text.upper() in codes:
            kwi_text = codes[kwi_text.upper()]
        elif kwi_text:
            reader.add(
                "action_kwi_unknown",
                here.at(column=table.letter("kwi")),
                kwi=kwi_text,
                suggestion=suggest(kwi_text, codes.values()) or "",
            )
        status_text = normalise.text(table.get(row, "status"))
        status = status_value(status_text) if status_text else ActionStatus.OPEN.value
        if status is None:
            reader.add("action_status_invalid", here.at(column=table.letter("status")), value=status_text)
            status = status_text.casefold()
        dates: dict[str, dt.date | None] = {}
        for key in ("date", "deadline"):
            day = normalise.date(table.get(row, key))
            if day.invalid:
                reader.add(
                    "action_date_invalid",
                    here.at(column=table.letter(key)),
                    value=normalise.text(table.get(row, key)),
                )
            dates[key] = day.value
        actions.append(
            Action(
                number=normalise.action_number(table.get(row, "number")),
                date=dates["date"],
                description=normalise.text(table.get(row, "description")),
                kwi_code=kwi_text,
                owner=normalise.text(table.get(row, "owner")),
                status=status,
                deadline=dates["deadline"],
                location=here,
            )
        )
    return actions
