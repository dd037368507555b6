"""``kwm init``: a new base workbook with every sheet, example rows and explanations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from klantwaarde.layout import BASE_NAME
from klantwaarde.model import Location
from klantwaarde.problems import KwmError, problem
from klantwaarde.results import envelope
from klantwaarde.texts import Texts, load_texts
from klantwaarde.workbook.template import example_content, write_base


@dataclass(frozen=True)
class InitResult:
    path: Path
    language: str

    def to_json(self, texts: Texts) -> dict[str, Any]:
        return envelope({"output": str(self.path), "language": self.language}, (), texts)


def init_base(folder: Path, lang: str = "nl", today: dt.date | None = None) -> Path:
    """Write ``folder/basis.xlsx``; refuses (``output_exists``) when a file is already there.

    A ``templates/`` folder inside ``folder`` overrides the texts, as it does for every command.
    """
    return init(folder, lang, today).path


def init(folder: Path, lang: str = "nl", today: dt.date | None = None) -> InitResult:
    """``init_base`` as a command result."""
    folder = Path(folder)
    if folder.name.lower() == BASE_NAME:  # `kwm init klant-nv/basis.xlsx` means the file, not a folder
        folder = folder.parent
    target = folder / BASE_NAME
    if target.exists():
        raise KwmError([problem("output_exists", Location(file=BASE_NAME), path=str(target))])
    texts = load_texts(lang, folder)
    path = write_base(target, example_content(texts, today or dt.date.today()), texts)
    return InitResult(path, texts.lang)
