"""``kwm init``: a new base workbook with every sheet, example rows and explanations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from klantwaarde.model import Location
from klantwaarde.problems import KwmError, problem
from klantwaarde.texts import load_texts


def init_base(folder: Path, lang: str = "nl", today: dt.date | None = None) -> Path:
    """Write ``folder/basis.xlsx``; refuses (``output_exists``) when a file is already there.

    A ``templates/`` folder inside ``folder`` overrides the texts, as it does for every command.
    """
    from klantwaarde.workbook.template import BASE_NAME, example_content, write_base

    folder = Path(folder)
    target = folder / BASE_NAME
    if target.exists():
        raise KwmError([problem("output_exists", Location(file=BASE_NAME), path=str(target))])
    texts = load_texts(lang, folder)
    return write_base(target, example_content(texts, today or dt.date.today()), texts)
