"""What LibreOffice types into a questionnaire, what kwm must read back, and a hand computation.

Shared by ``test_libreoffice.py`` (live LibreOffice), ``test_one_run.py`` and
``tests/data/make_lo_files.py`` (which keeps files saved by LibreOffice under ``tests/data/``).
Nothing here uses kwm's reader or scoring: the expectations are written down from the plan, and
``contract_cells`` finds cells through the fill contract with python-calamine directly, so a test
comparing kwm against these is an independent check.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from klantwaarde.examples import newmedia as nm
from python_calamine import CalamineWorkbook

DATA = Path(__file__).parent / "data"
EXAMPLE_BASE = Path(__file__).resolve().parents[1] / "examples" / "basis.xlsx"
# When the forms were generated (the form id depends on it) and the monitor written.
MADE_AT = dt.datetime(2011, 6, 1, 9, 30, 0)

# Kept files saved by LibreOffice, named after what they prove.
FILLED_XLSX = DATA / "lo-filled-form-saved-as-xlsx.xlsx"  # CC, typed in LibreOffice, stored as .xlsx
FILLED_ODS = DATA / "lo-filled-form-saved-as-ods.ods"  # DD, typed in LibreOffice, stored as .ods
RESAVED_FORM = DATA / "lo-resaved-form-floats-and-hidden-sheet.xlsx"  # BB, kwm-filled, soffice --convert-to
RESAVED_MONITOR = DATA / "lo-resaved-monitor-keeps-history.xlsx"  # 2010H2 + 2011H1 monitor, re-saved

WEIGHTS = {"<": 1, "N": 2, ">": 3}


@dataclass(frozen=True)
class Plan:
    """How one respondent fills in their form in LibreOffice.

    Grades are the example's (``newmedia.answers``), typed as numbers, except: ``as_text`` typed as
    text (``"7,0"`` must read as 7), ``bad`` typed as text that is no whole grade (``"7,5"``: a
    problem on its cell), ``skipped`` left empty (not answered). Relevance marks ``<``/``>`` are
    typed (``marks`` overrides them, also with a word such as ``meer``); neutral ones keep the
    form's ``N``.
    """

    initials: str
    as_text: dict[str, tuple[str, int]] = field(default_factory=dict)  # number -> (typed, meant)
    bad: dict[str, str] = field(default_factory=dict)  # number -> typed text
    marks: dict[str, tuple[str, str]] = field(default_factory=dict)  # number -> (typed, meant)
    skipped: frozenset[str] = frozenset()
    nps: int = 8
    anonymous: str = "Nee"
    remark: str = ""

    def typed(self) -> dict[str, dict[str, Any]]:
        """key -> {"grade": value, "relevance": mark} as ``lo_fill.py`` types them."""
        typed: dict[str, dict[str, Any]] = {}
        for number, (grade, mark) in nm.answers(self.initials).items():
            if number in self.skipped or grade is None:
                continue
            entry: dict[str, Any] = {"grade": grade}
            if number in self.as_text:
                entry["grade"] = self.as_text[number][0]
            if number in self.bad:
                entry["grade"] = self.bad[number]
            if number in self.marks:
                entry["relevance"] = self.marks[number][0]
            elif mark in ("<", ">"):
                entry["relevance"] = mark
            typed[number] = entry
        return typed

    def special(self) -> dict[str, Any]:
        return {"nps": self.nps, "anonymous": self.anonymous, "remark": self.remark}

    def expected(self) -> dict[str, tuple[int, str]]:
        """number -> (grade, relevance mark) of every answer that must count."""
        expected: dict[str, tuple[int, str]] = {}
        for number, (grade, mark) in nm.answers(self.initials).items():
            if number in self.skipped or number in self.bad or grade is None:
                continue
            meant = self.as_text[number][1] if number in self.as_text else grade
            meant_mark = self.marks[number][1] if number in self.marks else mark or "N"
            expected[number] = (meant, meant_mark)
        return expected


# Typed by a person in LibreOffice for the live test and the kept files.
CC_PLAN = Plan(
    "CC",
    as_text={"2.01": ("7,0", 7)},
    bad={"1.03": "7,5"},
    skipped=frozenset({"4.01"}),
    nps=7,
    anonymous="Nee",
    remark="Prima samenwerking; één wens: vaker langskomen.",
)
DD_PLAN = Plan(
    "DD",
    as_text={"1.02": ("7,0", 7)},
    bad={"2.02": "7,5"},
    marks={"3.02": (">", ">"), "4.03": ("<", "<"), "5.02": ("meer", ">")},
    nps=6,
    anonymous="Ja",
    remark="Graag meer concrete besparingsvoorstellen.",
)
PLANS = {"CC": CC_PLAN, "DD": DD_PLAN}
KEPT = {FILLED_XLSX: CC_PLAN, FILLED_ODS: DD_PLAN}


def example_expected(initials: str, period: str = nm.PERIOD) -> dict[str, tuple[int, str]]:
    """The example answers of a respondent filled in as they are (``fill_form``)."""
    return {n: (g, m or "N") for n, (g, m) in nm.answers(initials, period).items() if g is not None}


def fill_answers(initials: str, period: str = nm.PERIOD) -> dict[str, tuple[object, object]]:
    """``fill_form`` answers for the example answers (a blank mark keeps the form's ``N``)."""
    return {n: (g, m or None) for n, (g, m) in nm.answers(initials, period).items()}


# ---------------------------------------------------------------------------------------------
# Reading a kept file through the fill contract, without kwm


def _letter(index: int) -> str:
    letters, index = "", index + 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def contract_cells(path: Path) -> dict[str, dict[str, tuple[str, Any]]]:
    """key -> {"grade": (cell, raw value), "relevance": (cell, raw value)} of the answer sheet, as
    python-calamine returns the raw values (LibreOffice's whole numbers come back as floats)."""
    with CalamineWorkbook.from_path(str(path)) as workbook:
        name = next(n for n in workbook.sheet_names if n in ("Vragenlijst", "Questionnaire"))
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    headers = {"Sleutel": "key", "Cijfer": "grade", "Relevantie": "relevance"}
    found = [
        (top, {headers[str(v).strip()]: i for i, v in enumerate(row) if str(v).strip() in headers})
        for top, row in enumerate(rows)
    ]
    top, columns = next(((t, c) for t, c in found if len(c) == len(headers)), (-1, {}))
    if top < 0:
        raise AssertionError(f"{path.name}: no contract header row")
    cells: dict[str, dict[str, tuple[str, Any]]] = {}
    for index in range(top + 1, len(rows)):
        row = rows[index]
        key = str(row[columns["key"]]).strip() if columns["key"] < len(row) else ""
        if not key:
            continue
        cells[key] = {
            part: (
                f"{_letter(columns[part])}{index + 1}",
                row[columns[part]] if columns[part] < len(row) else "",
            )
            for part in ("grade", "relevance")
        }
    return cells


def sheet_states(path: Path) -> dict[str, str]:
    """Sheet name -> visibility (``visible``, ``hidden``, ``veryHidden``) of an .xlsx."""
    import zipfile

    import defusedxml.ElementTree as SafeET

    with zipfile.ZipFile(path) as archive:
        root = SafeET.fromstring(archive.read("xl/workbook.xml"))
    return {
        sheet.get("name", ""): sheet.get("state", "visible")
        for sheet in root.iter()
        if sheet.tag.rsplit("}", 1)[-1] == "sheet"
    }


def sheet_rows(path: Path, name: str) -> list[list[Any]]:
    """The raw values of one sheet, as python-calamine reads them."""
    with CalamineWorkbook.from_path(str(path)) as workbook:
        rows: list[list[Any]] = workbook.get_sheet_by_name(name).to_python()
        return rows


# ---------------------------------------------------------------------------------------------
# The SPEC 2 formula, by hand


def hand_score(answers: list[tuple[int, str]]) -> float | None:
    """Σ grade × weight / Σ weight over (grade, mark) pairs, weights < 1, N 2, > 3."""
    total = sum(WEIGHTS[mark] for _grade, mark in answers)
    if not total:
        return None
    return sum(grade * WEIGHTS[mark] for grade, mark in answers) / total


def hand_nps(scores: list[int]) -> float | None:
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)


def kwi_of(number: str) -> str:
    """``1.02`` -> ``KWI-01`` (the example numbers its questions per KWI)."""
    return next(kwi for kwi, n, _text in nm.QUESTIONS if n == number)


# ---------------------------------------------------------------------------------------------
# Building the inputs LibreOffice gets (kwm's own generator, fill_form and process)


def client_folder(root: Path, period: str = nm.PERIOD) -> Path:
    """``root/basis.xlsx`` (the bundled example base; for the earlier period the one in its
    ``2010H2/`` folder) with its questionnaires generated; returns the base path."""
    import shutil

    from klantwaarde.api.generate import generate

    source = EXAMPLE_BASE if period == nm.PERIOD else EXAMPLE_BASE.parent / period / "basis.xlsx"
    root.mkdir(parents=True, exist_ok=True)
    base = shutil.copy(source, root / "basis.xlsx")
    result = generate(Path(base), now=MADE_AT)
    assert result.ok and len(result.forms) == len(nm.RESPONDENTS), result.problems
    return Path(base)


def generated_form(base: Path, initials: str, period: str = nm.PERIOD) -> Path:
    """The questionnaire ``client_folder`` generated for ``initials``."""
    from klantwaarde.layout import CycleLayout

    folder = CycleLayout(Path(base), nm.CLIENT_CODE, period).forms_dir
    found = [p for p in folder.glob("*.xlsx") if p.stem.endswith(f"({initials})")]
    assert len(found) == 1, (folder, initials, found)
    return found[0]


def fill_example(base: Path, initials: str, target: Path, period: str = nm.PERIOD) -> Path:
    """The generated form of ``initials`` filled with the example answers by ``fill_form``."""
    from klantwaarde.workbook.fill import fill_form

    return fill_form(
        generated_form(base, initials, period),
        target,
        fill_answers(initials, period),
        nps=nm.NPS[period][initials],
        anonymous="Ja" if initials in nm.ANONYMOUS[period] else "Nee",
        remark=nm.REMARKS[period].get(initials),
    )


def monitor_with_history(root: Path) -> Path:
    """A client folder whose 2011H1 monitor carries the 2010H2 history: both periods' forms filled
    with the example answers by ``fill_form``, processed in order. Returns the 2011H1 monitor."""
    from klantwaarde.api.process import process

    base = client_folder(root)
    earlier = client_folder(root / nm.EARLIER_PERIOD, nm.EARLIER_PERIOD)
    for folder, period in ((earlier, nm.EARLIER_PERIOD), (base, nm.PERIOD)):
        returned = folder.parent / period / "ingevuld"
        for _name, initials, *_rest in nm.RESPONDENTS:
            fill_example(folder, initials, returned / f"{initials}.xlsx", period)
    first = process(
        earlier,
        [earlier.parent / nm.EARLIER_PERIOD / "ingevuld"],
        earlier.parent / f"{nm.CLIENT_CODE}-{nm.EARLIER_PERIOD} Klantwaardemonitor.xlsx",
        now=MADE_AT,
    )
    assert first.written and not first.problems, first.problems
    result = process(base, now=MADE_AT)
    assert result.written and result.output is not None and not result.problems, result.problems
    return result.output


def issued_in_register(base: Path, *forms: Path) -> None:
    """Record ``forms`` in the period's register of issued forms, as ``kwm generate`` did when it
    made them: the kept LibreOffice files were made by kwm for this base in an earlier run, so
    their ids are not in a register that a fresh ``generate`` starts."""
    import datetime as dt

    from klantwaarde import register
    from klantwaarde.layout import CycleLayout
    from klantwaarde.pipeline.base import load_base
    from klantwaarde.workbook.returned import read_form

    loaded, _ = load_base(base)
    entries = []
    for path in forms:
        form, _problems = read_form(path)
        assert form is not None, path
        identity = form.identity
        questions = loaded.questions_for(identity.initials)
        entries.append(
            register.issued(
                identity.form_id, identity.initials, identity.fingerprint, questions, dt.datetime(2011, 5, 20)
            )
        )
    register.append(CycleLayout.of(loaded).register, entries)
