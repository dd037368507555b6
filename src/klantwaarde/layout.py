"""Where everything of one cycle lives (SPEC 3): the one rule every command uses for its folders
and file names. Standard library only.

::

    klant-nv/                                    client_dir
      basis.xlsx                                 the base
      2011H1/                                    period_dir
        vragenlijsten/                           forms_dir   (kwm generate)
        ingevuld/                                returned_dir (the returned questionnaires)
        herinneringen/                           reminders_dir (kwm remind)
        kwm-register.jsonl                       register (the forms issued, SPEC 3.2)
        KLANT-2011H1 Klantwaardemonitor.xlsx     monitor_path(texts)
        KLANT-2011H1 Verwerking (intern).xlsx    internal_path(texts)
        ...

A base inside its own period folder (``2011H1/basis.xlsx``, the copy ``kwm next`` keeps for a late
return) works in place: its period folder is the folder it is in, and the client folder the one
above. Folder names are part of the layout in both languages; file names come from the texts, so
they follow the language (``… Customer value monitor.xlsx``). Names from the base (period, client
code, respondent) never steer a path outside its folder (``safe_filename``/``inside``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from klantwaarde.workbook.safe import inside, safe_filename

if TYPE_CHECKING:  # only read
    from klantwaarde.model import Base, Respondent, TeamMember
    from klantwaarde.texts import Texts

BASE_NAME = "basis.xlsx"
FORMS_FOLDER = "vragenlijsten"
RETURNED_FOLDER = "ingevuld"
REMINDERS_FOLDER = "herinneringen"
TEMPLATES_FOLDER = "templates"
REGISTER_NAME = "kwm-register.jsonl"
MAX_STEM = 100  # characters of a numbered file name before its number and suffix
MAX_NAME_IN_FILE = 60  # characters of a respondent's name in a file name (the initials always fit)
# Folders of a period that hold files from outside or drafts, never a period's own outputs.
INPUT_FOLDERS = (FORMS_FOLDER, RETURNED_FOLDER, REMINDERS_FOLDER)


BASE_SUFFIXES = (".xlsx", ".xlsm", ".ods")


def base_in(path: Path) -> Path:
    """``path``, or the base workbook in it when it is a folder: ``basis.xlsx`` (or ``basis.xlsm``,
    ``basis.ods``, whichever is there; ``basis.xlsx`` when none is, so the message names it)."""
    if not path.is_dir():
        return path
    stem = Path(BASE_NAME).stem
    return next(
        (path / (stem + suffix) for suffix in BASE_SUFFIXES if (path / (stem + suffix)).is_file()),
        path / BASE_NAME,
    )


def period_folder_name(period: str) -> str:
    return safe_filename(period, fallback="periode")


@dataclass(frozen=True)
class CycleLayout:
    """The folders and output paths of one base's cycle."""

    base_path: Path
    client_code: str
    period: str

    @classmethod
    def of(cls, base: Base) -> CycleLayout:
        return cls(base.path, base.settings.client_code, base.settings.period)

    # -- folders ----------------------------------------------------------------------------

    @property
    def kept(self) -> bool:
        """The base sits in its own period folder (``2011H1/basis.xlsx``, kept by ``kwm next``)."""
        folder = self.base_path.absolute().parent.name
        return bool(folder) and folder.strip().casefold() == period_folder_name(self.period).casefold()

    @property
    def client_dir(self) -> Path:
        """The client folder: the folder of the base, or the one above a kept base."""
        return self.base_path.parent.parent if self.kept else self.base_path.parent

    @property
    def period_dir(self) -> Path:
        if self.kept:
            return self.base_path.parent
        return inside(self.base_path.parent, period_folder_name(self.period))

    @property
    def forms_dir(self) -> Path:
        return self.period_dir / FORMS_FOLDER

    @property
    def returned_dir(self) -> Path:
        return self.period_dir / RETURNED_FOLDER

    @property
    def reminders_dir(self) -> Path:
        return self.period_dir / REMINDERS_FOLDER

    @property
    def register(self) -> Path:
        """The register of issued forms (SPEC 3.2), in the period folder (not beside the forms, so
        removing old questionnaires never loses it)."""
        return self.period_dir / REGISTER_NAME

    @property
    def templates_dir(self) -> Path:
        """The folder whose ``templates/`` overrides kwm's texts: the client folder."""
        return self.client_dir

    # -- outputs ----------------------------------------------------------------------------

    def _output(self, texts: Texts, key: str) -> Path:
        name = safe_filename(texts(key, code=self.client_code, period=self.period))
        return self.period_dir / name

    def monitor_path(self, texts: Texts) -> Path:
        return self._output(texts, "monitor.file_name")

    def internal_path(self, texts: Texts) -> Path:
        return self._output(texts, "internal.file_name")

    def deck_path(self, texts: Texts) -> Path:
        return self._output(texts, "deck.file_name")

    def a3_path(self, texts: Texts) -> Path:
        return self._output(texts, "a3.file_name")

    def plan_path(self, texts: Texts) -> Path:
        return self._output(texts, "plan.file_name")

    def form_path(
        self, respondent: Respondent, texts: Texts, used: set[str] | None = None, folder: Path | None = None
    ) -> Path:
        """``KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx`` in the forms folder (or ``folder``).

        A very long name is shortened before the initials so that the initials (the key) stay in
        the name; names that still collide (``used``, case-insensitive) get a number.
        """
        stem = texts(
            "generate.file_name", code=self.client_code, period=self.period, respondent=_label(respondent)
        )
        return _numbered(folder or self.forms_dir, stem, ".xlsx", used)

    def reminder_path(self, respondent: Respondent, texts: Texts, folder: Path | None = None) -> Path:
        """``KLANT-2011H1 Herinnering Kees Klant (KK).eml`` in the reminders folder (or ``folder``)."""
        stem = texts(
            "cycle.remind.file_name", code=self.client_code, period=self.period, respondent=respondent.label
        )
        return inside(folder or self.reminders_dir, stem + ".eml")

    def action_reminder_path(self, member: TeamMember, texts: Texts, folder: Path | None = None) -> Path:
        """``KLANT-2011H1 Acties Rob Martens (RM).eml`` in the reminders folder (or ``folder``):
        one team member's open actions (``kwm remind --actions``)."""
        stem = texts("team.remind.file_name", code=self.client_code, period=self.period, member=member.label)
        return inside(folder or self.reminders_dir, stem + ".eml")


def _label(respondent: Respondent) -> str:
    name = " ".join(respondent.name.split())
    if len(name) > MAX_NAME_IN_FILE:
        name = name[:MAX_NAME_IN_FILE].rstrip()
    return f"{name} ({respondent.initials})" if name else respondent.initials


def _numbered(folder: Path, stem: str, suffix: str, used: set[str] | None) -> Path:
    # Short enough that " 2", " 3"... always fit: a name cut by the length limit would collide forever.
    stem = stem[:MAX_STEM]
    candidate = inside(folder, stem + suffix)
    counter = 2
    while used is not None and candidate.name.casefold() in used:
        candidate = inside(folder, f"{stem} {counter}{suffix}")
        counter += 1
    if used is not None:
        used.add(candidate.name.casefold())
    return candidate


def is_inside(path: Path, folders: Iterable[Path]) -> bool:
    """Whether ``path`` is one of ``folders`` or lies anywhere below one of them."""
    resolved = path.resolve()
    return any(resolved == f.resolve() or f.resolve() in resolved.parents for f in folders)
