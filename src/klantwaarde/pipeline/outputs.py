"""Where a command may write: never onto what it reads (SPEC 3.4, Safety).

``--out`` never points at the base workbook, a returned questionnaire, anything in an answers
folder, or — for the internal A3 plan — a file named as the client's monitor or deck. Checked
before any work, so a refusal changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from klantwaarde.layout import CycleLayout, is_inside
from klantwaarde.model import Location
from klantwaarde.problems import KwmError, problem
from klantwaarde.workbook.history import is_monitor_name

DECK_SUFFIXES = (".pptx", ".ppt", ".odp")


def refuse_output(
    target: Path, layout: CycleLayout, answers: Sequence[Path] = (), *, internal: bool = False
) -> None:
    """Raise KwmError when ``target`` (a file, or a folder of files) is something kwm reads:
    the base, a returned form or anything in an answers folder; with ``internal`` (an internal
    file such as the A3 plan) also a name that says "client monitor" or "deck"."""
    where = Location(file=target.name)
    if target.exists() and not (target.is_file() or target.is_dir()) or target.is_symlink():
        # a device, pipe or link: replacing it would replace what it stands for (/dev/null)
        raise KwmError([problem("output_not_file", where, path=str(target))])
    if target.exists() and target.resolve() == layout.base_path.resolve():
        raise KwmError([problem("output_is_base", where, path=str(target))])
    answer_folders = [layout.returned_dir, *(a for a in answers if a.is_dir())]
    answer_files = [a for a in answers if not a.is_dir()]
    if is_inside(target, answer_folders) or any(target.resolve() == a.resolve() for a in answer_files):
        raise KwmError([problem("output_in_answers", where, path=str(target))])
    if internal and (is_monitor_name(target.name) or target.suffix.lower() in DECK_SUFFIXES):
        raise KwmError([problem("output_client_name", where, path=str(target))])
