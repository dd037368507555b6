"""Themes: the KWIs of many clients grouped by what they are about (SPEC 3.8, Thema's).

Account managers write KWI titles in their own words: ``Kostenreductie``, ``kostenreductie``,
``Kosten-reductie``, ``Continuïteit`` and ``Continuiteit`` are one theme. A title is normalised
(accents, case and punctuation dropped) and matched to the customer values of the inspiration list
that ``kwm init`` writes into every base (``base.inspiration.values`` in the templates, in Dutch and
English alike, so a client whose base is English lands in the same theme): first as written, then
allowing a typing error, then a longer title that names one of the values (``Innovatie en
vernieuwing``). A title that fits none is a theme of its own, shared by the titles that normalise
alike. Standard library only.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

FUZZY = 0.9  # how alike two normalised titles must be to count as a typing error (difflib ratio)
FUZZY_MIN_LENGTH = 6  # shorter titles only match as written: "Kosten" is not "Koster"
CONTAINED_MIN_LENGTH = 5  # a value found inside a longer title: at least this many letters


def normalised(title: str) -> str:
    """Lower case, without accents, punctuation as spaces, single spaces: ``Eén  aanspreek-punt!``
    is ``een aanspreek punt``."""
    plain = unicodedata.normalize("NFKD", title)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", plain).split())


def compact(title: str) -> str:
    """The normalised title without spaces: ``kosten reductie`` and ``kostenreductie`` are one."""
    return normalised(title).replace(" ", "")


@dataclass(frozen=True)
class Theme:
    """A theme: ``listed`` when it is a value of the inspiration list (``key`` its position there),
    otherwise ``key`` is the compact title. ``name`` is the list's value in the output language;
    empty for a theme of its own (it is named after its titles)."""

    key: str
    name: str
    listed: bool


class ThemeMatcher:
    """Finds the theme of a KWI title. ``lists`` are the inspiration list's values in each
    language, in the same order (the same value at the same position); ``names`` the values as
    shown, in the output language."""

    def __init__(self, lists: Sequence[Sequence[str]], names: Sequence[str]):
        self._names = list(names)
        self._exact: dict[str, int] = {}
        self._values: list[tuple[str, str, int]] = []  # (normalised, compact, position)
        for values in lists:
            for position, value in enumerate(values):
                plain = normalised(value)
                if not plain:
                    continue
                self._exact.setdefault(plain.replace(" ", ""), position)
                self._values.append((plain, plain.replace(" ", ""), position))
        self._known: dict[str, Theme] = {}

    def theme(self, title: str) -> Theme:
        key = compact(title)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = self._match(title, key)
        return found

    def _listed(self, position: int) -> Theme:
        name = self._names[position] if position < len(self._names) else ""
        return Theme(f"list:{position}", name, True)

    def _match(self, title: str, key: str) -> Theme:
        if not key:
            return Theme("own:", "", False)
        position = self._exact.get(key)
        if position is not None:
            return self._listed(position)
        if len(key) >= FUZZY_MIN_LENGTH:
            best: tuple[float, int] | None = None
            for _, value, where in self._values:
                if len(value) < FUZZY_MIN_LENGTH:
                    continue
                ratio = difflib.SequenceMatcher(None, key, value).ratio()
                if ratio >= FUZZY and (best is None or ratio > best[0]):
                    best = (ratio, where)
            if best is not None:
                return self._listed(best[1])
        words = f" {normalised(title)} "
        contained = [
            (len(plain), where)
            for plain, value, where in self._values
            if len(value) >= CONTAINED_MIN_LENGTH and f" {plain} " in words
        ]
        if contained:
            return self._listed(max(contained, key=lambda item: (item[0], -item[1]))[1])
        return Theme(f"own:{key}", "", False)


__all__ = ["Theme", "ThemeMatcher", "compact", "normalised"]
