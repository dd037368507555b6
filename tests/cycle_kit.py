"""A base workbook for the cycle tests (status, remind, next), typed as an account manager would.

Built from the bundled NewMedia example with ``build_workbook``, optionally with fewer respondents,
plus a little formatting of the account manager's own that ``kwm next`` must keep.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl
from klantwaarde.examples import newmedia as nm
from openpyxl.styles import Font, PatternFill

from conftest import build_workbook

ALL = tuple(r[1] for r in nm.RESPONDENTS)


def write_base(
    path: Path,
    period: str = nm.PERIOD,
    respondents: Sequence[str] = ALL,
    *,
    emails: dict[str, str] | None = None,
) -> Path:
    """The NewMedia base for ``respondents`` (initials); ``emails`` overrides addresses."""
    settings = [("Periode", period) if key == "Periode" else (key, value) for key, value in nm.SETTINGS]
    people = [list(r) for r in nm.RESPONDENTS if r[1] in respondents]
    for person in people:
        if emails and person[1] in emails:
            person[2] = emails[person[1]]
    initials = [p[1] for p in people]
    kwis = [
        [code, title, desc, target, by if by in initials else None]
        for code, title, desc, target, by in nm.KWIS
    ]
    questions: list[list[object]] = [["KWI", "Nr", "Vraag", *initials]]
    for kwi, number, text in nm.QUESTIONS:
        questions.append(
            [kwi, number, text, *["x" if number in nm.ASSIGNMENT[i] else None for i in initials]]
        )
    build_workbook(
        path,
        {
            "Instellingen": [["Instelling", "Waarde"], *[list(s) for s in settings]],
            "Respondenten": [["Naam", "Initialen", "E-mail", "Functie", "Opmerking"], *people],
            "KWI's": [["Code", "Titel", "Omschrijving", "Doel", "Ingebracht door"], *kwis],
            "Vragen": questions,
            "Acties": [
                ["Nr", "Datum", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
                *map(list, nm.ACTIONS),
            ],
            "Notities": [["Eigen aantekeningen", "=1+1"]],
        },
    )
    workbook = openpyxl.load_workbook(path)
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    workbook["Vragen"].column_dimensions["C"].width = 70
    workbook["KWI's"]["B3"].fill = PatternFill("solid", fgColor="FFFF00")
    for row in workbook["Vragen"].iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "@"
    workbook.save(path)
    return path


FOUR = ("AA", "BB", "CC", "DD")


def two_of_four_returned(folder: Path) -> Path:
    """A client folder for 2011H1: four respondents, their questionnaires generated, AA's returned
    complete and BB's returned with one bad grade (11 for question 1.01); CC and DD missing."""
    from conftest import FIXED_NOW
    from klantwaarde.api.generate import generate
    from klantwaarde.workbook.fill import fill_form

    base = write_base(folder / "basis.xlsx", respondents=FOUR)
    generated = generate(base, now=FIXED_NOW)
    forms = {f.initials: f.path for f in generated.forms}
    returned = folder / nm.PERIOD / "ingevuld"
    returned.mkdir(parents=True)
    fill_form(forms["AA"], returned / "AA ingevuld.xlsx", nm.answers("AA"), nps=8, anonymous="Nee")
    answers_bb = {**nm.answers("BB"), "1.01": (11, "")}
    fill_form(forms["BB"], returned / "Vragenlijst BB terug.xlsx", answers_bb, nps=9, anonymous="Nee")
    return base


def forms_of(base: Path) -> dict[str, Path]:
    """The generated questionnaires by initials (their names end in ``(KK).xlsx``)."""
    folder = base.parent / nm.PERIOD / "vragenlijsten"
    return {p.stem.rsplit("(", 1)[1].rstrip(")"): p for p in folder.glob("*.xlsx")}
