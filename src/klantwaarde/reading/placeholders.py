"""``{leverancier}`` and ``{klant}`` (and their English names) in the base's texts."""

from __future__ import annotations

import re

from klantwaarde.baseformat import PLACEHOLDER, PLACEHOLDERS
from klantwaarde.model import Location
from klantwaarde.reading.table import Reader, suggest


class Replacer:
    """Replaces the placeholders by the supplier and client of the settings, and reports unknown
    placeholders. A placeholder without a value stays as typed."""

    def __init__(self, reader: Reader, supplier: str, client: str):
        self.reader = reader
        self.values = {"supplier": supplier, "client": client}

    def __call__(self, text: str, location: Location) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            kind = PLACEHOLDERS.get(name.casefold())
            if kind is None:
                self.reader.add(
                    "placeholder_unknown",
                    location,
                    placeholder=match.group(0),
                    suggestion=("{" + s + "}") if (s := suggest(name, ("leverancier", "klant"))) else "",
                )
                return match.group(0)
            value = self.values[kind]
            return value if value else match.group(0)

        return PLACEHOLDER.sub(replace, text)
