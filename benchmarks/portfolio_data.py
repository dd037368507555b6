"""Client folders for the portfolio benchmark: N clients of four periods each, made fast.

    python benchmarks/portfolio_data.py FOLDER N

``VARIANTS`` clients go through the real cycle, period after period: a base written by kwm's own
base writer (five respondents, five KWIs whose titles come from the inspiration list and a few of
their own), the questionnaires generated and filled through the fill contract, ``kwm process``
(``api.process``) writing each period's monitor with the history of the periods before. Grades
and NPS differ per variant and period (some rise, some fall), and so do the actions.

Then N client folders are made from them, as a shared drive holds them::

    FOLDER/regio-<r>/klant-<i>/basis.xlsx
                              <period>/  the monitor, the internal workbook, the register,
                                         ingevuld/ and vragenlijsten/ (empty)

The latest period's monitor of every client is its own file: the variant's, with the client code,
name and account manager inside its ``_data`` changed to the client's (the inline strings of that
sheet's XML, so no spreadsheet library rewrites the rest of the file); the earlier periods'
monitors, the internal workbooks and the registers are hard links to the variant's (the portfolio
never reads them; they are there because a real client folder has them). Prints one JSON line:
the folder, the number of clients and the latest monitors.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

from klantwaarde.api.generate import generate
from klantwaarde.api.process import process
from klantwaarde.texts import load_texts
from klantwaarde.workbook.fill import fill_form
from klantwaarde.workbook.template import BaseContent, write_base

PERIODS = ("2010H1", "2010H2", "2011H1", "2011H2")
VARIANTS = 8
REGIONS = 10  # clients are spread over this many region folders (one level deeper)
RESPONDENTS = ("AA", "BB", "CC", "DD", "EE")
TITLES = (
    "Kennisborging", "Innovatie", "Kostenreductie", "Partnership", "Afspraken nakomen",
    "Continuïteit", "Kwaliteit", "proactiviteit", "Transparantie", "Vertrouwen", "Eigen KWI {v}",
)  # fmt: skip
MANAGERS = 20  # account managers over the clients
PROCESSED = {p: dt.datetime(2010 + i // 2, 6 if i % 2 == 0 else 12, 1, 9, 0) for i, p in enumerate(PERIODS)}


def variant_code(v: int) -> str:
    return f"VARIANTCODE{v}"


def variant_name(v: int) -> str:
    return f"Variantnaam {v} NV"


def variant_manager(v: int) -> str:
    return f"Variantmanager {v}"


def content(v: int, period: str) -> BaseContent:
    titles = [TITLES[(v + k * 3) % len(TITLES)].format(v=v) for k in range(5)]
    active = "{leverancier} gaf blijk actief aan deze KWI te werken"
    agreements = "{leverancier} kwam de afspraken inzake deze KWI na (zie actielijst)"
    questions = []
    for k, title in enumerate(titles, start=1):
        questions += [
            (f"KWI-0{k}", f"{k}.01", f"{{leverancier}} levert wat {title.lower()} vraagt"),
            (f"KWI-0{k}", f"{k}.02", f"{{leverancier}} denkt mee over {title.lower()}"),
            (f"KWI-0{k}", f"{k}.03", active),
            (f"KWI-0{k}", f"{k}.04", agreements),
        ]
    index = PERIODS.index(period)
    actions = [
        (f"{period}-{a}", PROCESSED[period].date(), f"Actie {a} voor {titles[a % 5]}", f"KWI-0{a % 5 + 1}", "AM",
         "gereed" if (a + v) % 3 == 0 else "open", (PROCESSED[period] + dt.timedelta(days=60 * a - 30)).date())
        for a in range(1, 4)
    ]  # fmt: skip
    return BaseContent(
        lang="nl",
        settings={
            "client": variant_name(v),
            "client_code": variant_code(v),
            "supplier": "BESTSELLER B.V.",
            "period": period,
            "account_manager": variant_manager(v),
            "deadline": (PROCESSED[period] + dt.timedelta(days=10)).date(),
            "session_date": (PROCESSED[period] + dt.timedelta(days=24 + index)).date(),
            "language": "nl",
            "default_target": 7.5,
        },
        respondents=[
            (f"Respondent {r}", r, f"{r.lower()}@klant.example", "Manager", "") for r in RESPONDENTS
        ],
        kwis=[
            (f"KWI-0{k}", t, f"Wat de klant verwacht van {t}.", None, None)
            for k, t in enumerate(titles, start=1)
        ],
        questions=questions,
        assignment={r: [q[1] for q in questions] for r in RESPONDENTS},
        actions=actions,
    )


def build_variant(folder: Path, v: int) -> dict[str, Path]:
    """The variant's client folder through four real cycles; period -> its monitor."""
    chance = random.Random(v)
    base = folder / "basis.xlsx"
    trend = chance.choice((-1, 0, 1))
    monitors = {}
    for index, period in enumerate(PERIODS):
        write_base(base, content(v, period), load_texts("nl"), overwrite=True)
        now = PROCESSED[period]
        with tempfile.TemporaryDirectory() as blank:
            forms = generate(base, out_dir=Path(blank), now=now - dt.timedelta(days=14)).forms
            returned = folder / period / "ingevuld"
            returned.mkdir(parents=True, exist_ok=True)
            for form in forms:
                level = 6 + (v % 3) + trend * index // 2
                answers = {
                    f"{k}.0{q}": (
                        max(1, min(10, level + chance.choice((-1, 0, 0, 1)))),
                        chance.choice(("", "<", ">")),
                    )
                    for k in range(1, 6)
                    for q in range(1, 5)
                }
                nps = max(0, min(10, level + chance.choice((-2, -1, 0, 1, 2))))
                fill_form(form.path, returned / form.path.name, answers, nps=nps, anonymous="Nee")
        result = process(base, now=now)
        assert result.output is not None
        monitors[period] = result.output
        (folder / period / "vragenlijsten").mkdir(exist_ok=True)
        for old in returned.iterdir():  # the client folders made from it hold no forms
            old.unlink()
    return monitors


def data_member(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.startswith("xl/worksheets/") and b"kwm-monitor-data" in archive.read(info):
                return info.filename
    raise SystemExit(f"{path}: no _data sheet")


def patched(source: Path, member: str, replacements: dict[bytes, bytes], target: Path) -> None:
    """``source`` with the inline strings of ``member`` replaced, written to ``target``."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == member:
                for old, new in replacements.items():
                    data = data.replace(old, new)
            out.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)


def link(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def build(folder: Path, n: int) -> dict[str, object]:
    folder.mkdir(parents=True, exist_ok=True)
    variants_dir = folder.parent / f"{folder.name}-variants"
    if variants_dir.exists():
        shutil.rmtree(variants_dir)
    variants = {v: build_variant(variants_dir / f"v{v}", v) for v in range(VARIANTS)}
    latest = PERIODS[-1]
    members = {v: data_member(monitors[latest]) for v, monitors in variants.items()}
    made = []
    for i in range(n):
        v = i % VARIANTS
        client = folder / f"regio-{i % REGIONS}" / f"klant-{i:04d}"
        source = variants_dir / f"v{v}"
        client.mkdir(parents=True)
        link(source / "basis.xlsx", client / "basis.xlsx")
        code = f"K{i:04d}"
        for period in PERIODS:
            own, theirs = client / period, source / period
            own.mkdir()
            for sub in ("ingevuld", "vragenlijsten"):
                (own / sub).mkdir()
            for item in theirs.iterdir():
                if item.is_dir():
                    continue
                name = item.name.replace(variant_code(v), code)
                if period == latest and item == variants[v][latest]:
                    replacements = {
                        f"<t>{variant_code(v)}</t>".encode(): f"<t>{code}</t>".encode(),
                        f"<t>{variant_name(v)}</t>".encode(): f"<t>Klant {i:04d} BV</t>".encode(),
                        f"<t>{variant_manager(v)}</t>".encode(): f"<t>Accountmanager {i % MANAGERS:02d}</t>".encode(),
                    }
                    patched(item, members[v], replacements, own / name)
                    made.append(str(own / name))
                else:
                    link(item, own / name)
    return {"folder": str(folder), "clients": n, "monitors": made, "variants": str(variants_dir)}


def main() -> None:
    folder, n = Path(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(build(folder, n)))


if __name__ == "__main__":
    main()
