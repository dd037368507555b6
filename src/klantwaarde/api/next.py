"""``kwm next``: start the next cycle.

The old base is archived byte for byte in its period folder (``<Periode>/basis.xlsx``) and verified
before the base is replaced, so nothing of it can be lost: the new base is written only after the
archived copy is known to be identical, and the replacement itself is atomic. Everything is checked
before anything is written, so a refusal changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.layout import CycleLayout
from klantwaarde.model import Action, ActionStatus, Base, Location
from klantwaarde.pipeline.base import load_base
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.results import envelope
from klantwaarde.texts import Texts
from klantwaarde.workbook.next_base import write_next_base
from klantwaarde.workbook.safe import guard_input, inside, refuse_if_locked

ARCHIVE_STEM = "basis"
# Files a file manager or Excel leaves in a folder; they are not returned questionnaires.
_NOT_RETURNS = {"thumbs.db", "desktop.ini"}

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-_ ]?\s*([HhQqKk])\s*([1-4]))?\s*$")
# Part -> (number of parts in a year). K is the Dutch "kwartaal".
_PARTS = {"H": 2, "Q": 4, "K": 4}


@dataclass(frozen=True, order=True)
class PeriodSpan:
    """A period as the months it covers (``2011H2`` = months 7..12 of 2011), for comparisons."""

    first: int  # year * 12 + month index (0-based) of the first month
    last: int
    text: str = field(compare=False)


def parse_period(text: str) -> PeriodSpan | None:
    """``2011``, ``2011H1``/``2011H2``, ``2011Q1``..``2011Q4`` (also ``2011-h2``, ``2011 K3``).

    Returns None for anything else. The text is the canonical form (``2011H2``, ``2011Q3``), the
    part letter of a quarter kept as typed (Q or K) so a base in Dutch style stays in Dutch style.
    """
    found = _PERIOD.match(text or "")
    if not found:
        return None
    year = int(found.group(1))
    if not 1900 <= year <= 2999:
        return None
    letter = (found.group(2) or "").upper()
    if not letter:
        return PeriodSpan(year * 12, year * 12 + 11, str(year))
    parts = _PARTS[letter]
    index = int(found.group(3))
    if index > parts:
        return None
    months = 12 // parts
    first = year * 12 + (index - 1) * months
    return PeriodSpan(first, first + months - 1, f"{year}{letter}{index}")


def is_later(new: str, current: str) -> bool:
    """Whether period ``new`` starts after ``current`` has ended (``2011H1`` < ``2011Q3`` < ``2012``).

    An unparseable current period (a base from before kwm checked it) falls back to text order,
    which is what the method asks of period names (sortable).
    """
    new_span = parse_period(new)
    if new_span is None:
        return False
    current_span = parse_period(current)
    if current_span is None:
        return new_span.text > current.strip()
    return new_span.first > current_span.last


@dataclass(frozen=True)
class NextResult:
    base_path: Path
    archive_path: Path
    old_period: str
    new_period: str
    archived: bool  # False: an identical archive was already there
    kept_actions: tuple[str, ...]  # numbers of the open/lopend actions carried over
    dropped_actions: tuple[str, ...]  # numbers of the finished actions, now only in the archive
    sha256_old: str
    language: str = "nl"  # the base's Taal, for what the command says
    problems: list[Problem] = field(default_factory=list)  # the base's warnings

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "base": str(self.base_path),
            "archive": str(self.archive_path),
            "archived": self.archived,
            "old_period": self.old_period,
            "new_period": self.new_period,
            "kept_actions": list(self.kept_actions),
            "dropped_actions": list(self.dropped_actions),
        }
        return envelope(payload, self.problems, texts)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def archive_path_for(base_path: Path, period: str) -> Path:
    """``<period folder>/basis.xlsx`` (the base's own suffix), where the base of ``period`` is kept."""
    folder = CycleLayout(base_path, "", period).period_dir  # a period name never steers the path elsewhere
    return inside(folder, ARCHIVE_STEM + (base_path.suffix.lower() or ".xlsx"))


def returned_files(folder: Path) -> list[Path]:
    """What a user dropped into ``<P>/ingevuld`` (recursively; hidden and lock files do not count)."""
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.rglob("*")):
        name = path.name
        if not path.is_file() or name.startswith((".", "~$")) or name.lower() in _NOT_RETURNS:
            continue
        found.append(path)
    return found


def next_cycle(base_path: Path, period: str) -> NextResult:
    """Archive the base in its period folder and write the base for ``period`` in its place."""
    base_path = Path(base_path)
    where = Location(file=base_path.name)
    if guard_input(base_path) != "xlsx":  # the next base is edited with openpyxl: an .ods is read only
        raise KwmError([problem("file_not_workbook", where)])
    refuse_if_locked(base_path)
    original_hash = sha256_of(base_path)
    base, warnings = load_base(base_path)
    old_period = base.settings.period.strip()
    if CycleLayout.of(base).kept:
        # The copy kwm keeps in <Periode>/: starting from it would bury the archive one level down.
        raise KwmError([problem("next_base_is_archive", where, period=old_period, path=str(base_path))])

    new_span = parse_period(period)
    if new_span is None:
        raise KwmError([problem("next_period_invalid", where, period=period.strip())])
    new_period = new_span.text
    if not is_later(new_period, old_period):
        raise KwmError([problem("period_not_later", where, period=new_period, current=old_period)])

    returns_dir = CycleLayout(base_path, base.settings.client_code, new_period).returned_dir
    returns = returned_files(returns_dir)
    if returns:
        raise KwmError(
            [
                problem(
                    "period_has_returns",
                    Location(file=f"{returns_dir.parent.name}/{returns_dir.name}"),
                    period=new_period,
                    folder=str(returns_dir),
                    n=len(returns),
                )
            ]
        )

    archive = archive_path_for(base_path, old_period)
    archived = _archive(base_path, archive, original_hash)

    # The archive is verified; the base must still be the file that was archived (not saved again
    # in the meantime), else the new base would not be built from what was kept.
    if sha256_of(archive) != original_hash:
        raise KwmError([problem("archive_differs", Location(file=archive.name), path=str(archive))])
    if sha256_of(base_path) != original_hash:
        raise KwmError([problem("next_base_changed", where, path=str(base_path))])

    kept, dropped = split_actions(base)
    write_next_base(
        base_path,
        base_path,
        period=new_period,
        drop_rows=[a.location for a in dropped],
    )
    return NextResult(
        base_path=base_path,
        archive_path=archive,
        old_period=old_period,
        new_period=new_period,
        archived=archived,
        kept_actions=tuple(a.number for a in kept),
        dropped_actions=tuple(a.number for a in dropped),
        sha256_old=original_hash,
        language=base.settings.language,
        problems=list(warnings),
    )


def split_actions(base: Base) -> tuple[list[Action], list[Action]]:
    """(carried over, left behind): finished (``gereed``) actions stay in the archive only."""
    kept: list[Action] = []
    dropped: list[Action] = []
    for action in base.actions:
        (dropped if action.status.strip().lower() == ActionStatus.DONE.value else kept).append(action)
    return kept, dropped


def _archive(base_path: Path, archive: Path, original_hash: str) -> bool:
    """Copy the base to ``archive`` unchanged; True when written, False when already identical."""
    if archive.exists():
        if archive.is_file() and sha256_of(archive) == original_hash:
            return False
        raise KwmError([problem("archive_differs", Location(file=archive.name), path=str(archive))])
    refuse_if_locked(archive)
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".kwm-", suffix=archive.suffix, dir=archive.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            shutil.copy2(base_path, tmp)
            if sha256_of(tmp) != original_hash:
                where = Location(file=archive.name)
                raise KwmError([problem("archive_copy_failed", where, path=str(archive))])
            _place_new(tmp, archive)
        finally:
            if tmp.exists():
                tmp.unlink()
    except FileExistsError:
        raise KwmError([problem("archive_differs", Location(file=archive.name), path=str(archive))]) from None
    except OSError as exc:
        raise KwmError(
            [problem("output_failed", Location(file=archive.name), path=str(archive), reason=str(exc))]
        ) from exc
    return True


def _place_new(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target`` without ever replacing a file that appeared meanwhile."""
    try:
        os.link(tmp, target)  # fails with FileExistsError when the name is taken
    except FileExistsError:
        raise
    except OSError:
        # File systems without hard links (some network shares): check, then move.
        if target.exists():
            raise FileExistsError(str(target)) from None
        os.replace(tmp, target)
