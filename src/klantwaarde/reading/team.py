"""The optional ``Team`` sheet: the supplier's account team, whom the actions are for (SPEC 3.1).

``Initialen | Naam | E-mail | Rol``. The initials are the key the ``Voor`` column of ``Acties``
uses (case-insensitive; one cell may name several, ``RM, JS``); a member's e-mail address is where
``kwm remind --actions`` sends their open actions, so it must be exactly one address.
"""

from __future__ import annotations

from collections.abc import Sequence

from klantwaarde import normalise
from klantwaarde.baseformat import EMAIL, OWNER_SEPARATORS, several_addresses
from klantwaarde.model import Action, Location, TeamMember
from klantwaarde.reading.table import Reader, Table, suggest


def read_team(reader: Reader, table: Table) -> list[TeamMember]:
    members: list[TeamMember] = []
    first_row: dict[str, int] = {}
    for number, row in reader.data_rows(table, ("initials", "name", "email", "role")):
        here = Location(reader.file, table.name, number)
        initials = normalise.text(table.get(row, "initials")).upper()
        name = normalise.text(table.get(row, "name"))
        email = normalise.text(table.get(row, "email"))
        if not initials:
            reader.add("team_initials_missing", here.at(column=table.letter("initials")), name=name or email)
            continue
        if initials in first_row:
            reader.add(
                "team_initials_duplicate",
                here.at(column=table.letter("initials")),
                initials=initials,
                first_row=first_row[initials],
            )
            continue
        first_row[initials] = number
        if email and several_addresses(email):
            reader.add("team_email_multiple", here.at(column=table.letter("email")), email=email)
        elif email and not EMAIL.match(email):
            reader.add("email_invalid", here.at(column=table.letter("email")), email=email)
        role = normalise.text(table.get(row, "role"))
        members.append(TeamMember(initials, name, email, role, here))
    return members


def owners(action: Action) -> list[str]:
    """The initials in an action's ``Voor`` cell, upper-case, in order, each once."""
    found = [part.strip().upper() for part in OWNER_SEPARATORS.split(action.owner) if part.strip()]
    return list(dict.fromkeys(found))


def check_owners(
    reader: Reader, team: Sequence[TeamMember], actions: Sequence[Action], table: Table | None
) -> None:
    """With a Team sheet, every owner of an open action is on it (else no reminder reaches them)."""
    known = {member.initials for member in team}
    column = table.letter("owner") if table is not None else None
    for action in actions:
        if not action.is_open:
            continue
        for owner in owners(action):
            if owner not in known:
                reader.add(
                    "action_owner_not_in_team",
                    action.location.at(column=column),
                    owner=owner,
                    number=action.number or str(action.location.row or ""),
                    suggestion=suggest(owner, known) or "",
                )


__all__ = ["check_owners", "owners", "read_team"]
