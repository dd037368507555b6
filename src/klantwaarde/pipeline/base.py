"""The first stage of every command: read the base workbook and check it (SPEC 3.1).

``load_base`` is how every command gets its base: errors stop the work with the same report as
``kwm check``; warnings travel along with the base. ``base_texts`` gives the texts a command
writes and says in: ``--lang`` first, then the base's ``Taal``, then Dutch, with the client
folder's ``templates/`` overrides.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from klantwaarde.layout import CycleLayout
from klantwaarde.model import Base, Location, Respondent
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.texts import LANGUAGES, Texts, load_texts
from klantwaarde.workbook.base import BaseReading, read_base_reading
from klantwaarde.workbook.safe import is_locked


def read_base(path: Path, today: dt.date | None = None) -> BaseReading:
    """The base and every problem in it; raises WorkbookFileError when the file cannot be read
    as a workbook at all. A base open in Excel or LibreOffice is a warning (kwm reads what was
    last saved); with ``today``, a Deadline or Sessiedatum before it is one too."""
    path = Path(path)
    reading = read_base_reading(path, today)
    if is_locked(path):
        opened = problem("base_open", Location(file=path.name), path=str(path))
        reading = dataclasses.replace(reading, problems=[opened, *reading.problems])
    return reading


def load_base(path: Path, today: dt.date | None = None) -> tuple[Base, list[Problem]]:
    """The base and its warnings; raises ``KwmError`` with every problem when there are errors."""
    reading = read_base(path, today)
    if reading.base is None or any(p.is_error for p in reading.problems):
        raise KwmError(reading.problems)
    return reading.base, reading.problems


def choose_language(lang: str | None, base: Base) -> str:
    """``--lang`` first, then the base's ``Taal``, then Dutch."""
    for candidate in (lang, base.settings.language):
        if candidate and candidate.strip().lower() in LANGUAGES:
            return candidate.strip().lower()
    return "nl"


def base_texts(base: Base, lang: str | None = None) -> Texts:
    """The texts for what a command writes about ``base`` (see the module docstring)."""
    return load_texts(choose_language(lang, base), CycleLayout.of(base).templates_dir)


def respondent_texts(base: Base, respondent: Respondent, texts: Texts) -> Texts:
    """The texts for what ``respondent`` receives (questionnaire, invitation, reminder): their own
    ``Taal`` on Respondenten when it is a language kwm speaks, else ``texts`` (``--lang`` or the base's
    language). The respondent's own language wins: it is about them, ``--lang`` about the user."""
    own = respondent.language.strip().lower()
    if own not in LANGUAGES or own == texts.lang:
        return texts
    return load_texts(own, CycleLayout.of(base).templates_dir)
