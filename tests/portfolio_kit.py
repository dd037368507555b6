"""Client folders for the portfolio tests, made by the real pipeline: a base written by kwm's own
base writer, the questionnaires generated, filled through the fill contract as respondents
would, and processed into real monitors (``kwm process``), one period after another, as a client's
cycles go (the next period's base replaces the client folder's base, the monitors stay).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from klantwaarde.api.generate import generate
from klantwaarde.api.process import process
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import fill_form
from klantwaarde.workbook.template import BaseContent, write_base

PROCESSED = dt.datetime(2011, 6, 1, 9, 30)  # when the latest period's monitors are made
EARLIER = dt.datetime(2010, 12, 1, 9, 30)
TODAY = dt.datetime(2011, 6, 20, 10, 0)  # when the portfolio is made
NAMES = {
    "AA": "Anna Aalders",
    "BB": "Bart Bos",
    "CC": "Cor Claassen",
    "DD": "Dirk Dekker",
    "EE": "Eva Evers",
}
STANDARD = {
    "nl": (
        "{leverancier} gaf blijk actief aan deze KWI te werken",
        "{leverancier} kwam de afspraken inzake deze KWI na (zie actielijst)",
    ),
    "en": (
        "{leverancier} showed it worked actively on this KWI",
        "{leverancier} kept the agreements on this KWI (see the action list)",
    ),
}


@dataclass(frozen=True)
class Spec:
    """One client: its KWIs (code, title, target or None), respondents and actions.

    ``only`` limits who answers a KWI's questions (KWI code -> initials); everybody else answers
    every question."""

    code: str
    client: str
    account_manager: str = "Rob Martens"
    kwis: tuple[tuple[str, str, float | None], ...] = (
        ("KWI-01", "Kennisborging", None),
        ("KWI-02", "Kostenreductie", None),
        ("KWI-03", "Partnership", 8.0),
    )
    respondents: tuple[str, ...] = ("AA", "BB", "CC", "DD")
    actions: tuple[tuple[str, dt.date, str, str, str, str, dt.date], ...] = ()
    only: Mapping[str, Sequence[str]] = field(default_factory=dict)
    lang: str = "nl"
    supplier: str = "BESTSELLER B.V."
    target: float = 7.5


def questions(spec: Spec) -> list[tuple[str, str, str]]:
    active, agreements = STANDARD[spec.lang]
    rows = []
    for index, (code, title, _) in enumerate(spec.kwis, start=1):
        rows.append((code, f"{index}.01", f"{{leverancier}} doet wat nodig is voor {title}"))
        rows.append((code, f"{index}.02", active))
        rows.append((code, f"{index}.03", agreements))
    return rows


def content(spec: Spec, period: str, session: dt.date) -> BaseContent:
    rows = questions(spec)
    assignment = {
        ini: [number for code, number, _ in rows if ini in spec.only.get(code, spec.respondents)]
        for ini in spec.respondents
    }
    return BaseContent(
        lang=spec.lang,
        settings={
            "client": spec.client,
            "client_code": spec.code,
            "supplier": spec.supplier,
            "period": period,
            "account_manager": spec.account_manager,
            "account_manager_email": "am@bestseller.example",
            "deadline": session - dt.timedelta(days=14),
            "session_date": session,
            "language": spec.lang,
            "default_target": spec.target,
            "weight_less": 1,
            "weight_neutral": 2,
            "weight_more": 3,
        },
        respondents=[
            (NAMES[ini], ini, f"{ini.lower()}@{spec.code.lower()}.example", "Manager", "")
            for ini in spec.respondents
        ],
        kwis=[
            (code, title, f"Wat {spec.client} verwacht: {title}.", target, None)
            for code, title, target in spec.kwis
        ],
        questions=rows,
        assignment=assignment,
        actions=list(spec.actions),
    )


def run_period(
    folder: Path,
    spec: Spec,
    period: str,
    grades: Mapping[str, int],
    nps: Mapping[str, int],
    *,
    anonymous: Sequence[str] = (),
    now: dt.datetime = PROCESSED,
    session: dt.date | None = None,
) -> Path:
    """One cycle of ``spec`` in ``folder``: the base for ``period``, the questionnaires of those in
    ``grades`` filled (every assigned question the respondent's grade, one point more on the first
    question of each KWI) and returned, then processed. Returns the monitor."""
    base = folder / "basis.xlsx"
    texts = load_texts(spec.lang)
    write_base(
        base, content(spec, period, session or (now + dt.timedelta(days=30)).date()), texts, overwrite=True
    )
    forms = generate(base, now=now - dt.timedelta(days=20)).forms
    returned = folder / period / "ingevuld"
    returned.mkdir(parents=True, exist_ok=True)
    yes, no = ("Ja", "Nee") if spec.lang == "nl" else ("Yes", "No")
    for form in forms:
        if form.initials not in grades:
            continue
        grade = grades[form.initials]
        answers = {
            number: (min(10, grade + (number.endswith(".01"))), "")
            for _, number, _ in questions(spec)
            if form.initials in spec.only.get(_kwi(spec, number), spec.respondents)
        }
        fill_form(
            form.path,
            returned / form.path.name,
            answers,
            nps=nps.get(form.initials),
            anonymous=yes if form.initials in anonymous else no,
        )
    result = process(base, now=now)
    assert result.output is not None, result.problems
    return result.output


def _kwi(spec: Spec, number: str) -> str:
    return spec.kwis[int(number.split(".")[0]) - 1][0]


ACTIONS = (
    ("A-1", dt.date(2010, 12, 10), "Kennissessie organiseren", "KWI-01", "RM", "open", dt.date(2011, 3, 1)),
    ("A-2", dt.date(2010, 12, 10), "Besparingsvoorstel maken", "KWI-02", "RM", "lopend", dt.date(2011, 9, 1)),
    ("A-3", dt.date(2010, 12, 10), '=HYPERLINK("http://x")', "KWI-03", "RM", "gereed", dt.date(2011, 2, 1)),
)
