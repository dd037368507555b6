"""``kwm demo``: the whole cycle on the bundled NewMedia example, in a folder of the user's.

The example ships inside the package (``klantwaarde.examples``): the base, the base as it was in the
earlier period (``2010H2/basis.xlsx``, as ``kwm next`` leaves it) and filled questionnaires of both
periods. The demo copies them, then runs check, generate (with e-mail drafts), process for the earlier
period, status, process for the current period (so the monitor shows a trend of two periods), the
internal overview, the A3 plan, the deck for the klantwaardesessie and the planning (.ics) — the same functions the commands use.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

from klantwaarde.api.a3 import make_a3
from klantwaarde.api.generate import generate
from klantwaarde.api.plan import plan as make_plan
from klantwaarde.api.portfolio import make_portfolio
from klantwaarde.api.process import process
from klantwaarde.api.sessie import make_deck
from klantwaarde.layout import BASE_NAME, RETURNED_FOLDER, CycleLayout
from klantwaarde.model import Location
from klantwaarde.pipeline.base import base_texts, load_base
from klantwaarde.problems import KwmError, Problem, problem
from klantwaarde.results import envelope
from klantwaarde.texts import Texts

MARKER = ".kwm-demo"
DEFAULT_FOLDER = Path("kwm-demo")


@dataclass
class DemoResult:
    folder: Path
    base: Path
    questionnaires: Path
    monitor: Path
    earlier_monitor: Path
    internal: Path | None
    a3: Path
    deck: Path
    planning: Path
    periods: list[str]
    overall: float | None
    returned: int
    asked: int
    problems: list[Problem] = field(default_factory=list)
    portfolio: Path | None = None  # the portfolio over the example clients (issue 20)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "folder": str(self.folder),
            "base": str(self.base),
            "questionnaires": str(self.questionnaires),
            "monitor": str(self.monitor),
            "earlier_monitor": str(self.earlier_monitor),
            "internal": str(self.internal) if self.internal else None,
            "a3": str(self.a3),
            "deck": str(self.deck),
            "planning": str(self.planning),
            "periods": self.periods,
            "overall": self.overall,
            "returned": self.returned,
            "asked": self.asked,
            "portfolio": str(self.portfolio) if self.portfolio else None,
        }
        return envelope(payload, self.problems, texts)


def _copy_tree(source: Traversable, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.name.startswith(("__", ".")) or item.name.endswith((".py", ".pyc")):
            continue
        if item.is_dir():
            _copy_tree(item, target / item.name)
        elif item.name.endswith((".xlsx", ".jsonl")):  # workbooks and the registers of issued forms
            (target / item.name).write_bytes(item.read_bytes())


def prepare_folder(folder: Path) -> None:
    """An empty or new folder, or one an earlier demo made (then it is made anew)."""
    if folder.exists() and not folder.is_dir():
        raise KwmError([problem("output_exists", Location(file=folder.name), path=str(folder))])
    if folder.is_dir() and any(folder.iterdir()):
        if not (folder / MARKER).exists():
            raise KwmError([problem("output_exists", Location(file=folder.name), path=str(folder))])
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MARKER).write_text("kwm demo\n", encoding="utf-8")


def demo(folder: Path | None = None, lang: str | None = None, now: dt.datetime | None = None) -> DemoResult:
    folder = (folder or DEFAULT_FOLDER).absolute()
    prepare_folder(folder)
    _copy_tree(resources.files("klantwaarde.examples"), folder)

    base_path = folder / BASE_NAME
    base, problems = load_base(base_path)
    texts = base_texts(base, lang)
    generated = generate(base_path, mail=True, lang=lang, now=now)

    # Earlier periods: their base kept in the period folder (as `kwm next` leaves it), processed in
    # place, as a late return would be.
    earlier_monitor = base_path
    for earlier in sorted(
        p for p in folder.iterdir() if (p / BASE_NAME).is_file() and (p / RETURNED_FOLDER).is_dir()
    ):
        earlier_base, _ = load_base(earlier / BASE_NAME)
        earlier_monitor = CycleLayout.of(earlier_base).monitor_path(texts)
        process(earlier / BASE_NAME, out=earlier_monitor, lang=lang, now=now)

    result = process(base_path, lang=lang, now=now)
    assert result.output is not None and result.report is not None
    plan = make_a3(base_path, monitor=result.output, lang=lang, now=now)
    deck = make_deck(base_path, monitor=result.output, lang=lang, now=now)
    planning = make_plan(base_path, lang=lang, now=now)
    portfolio = _portfolio(folder, texts, lang, now)
    return DemoResult(
        folder=folder,
        base=base_path,
        questionnaires=generated.out_dir,
        monitor=result.output,
        earlier_monitor=earlier_monitor,
        internal=result.internal,
        a3=plan.path,
        deck=deck.path,
        planning=planning.path,
        periods=result.report.periods,
        overall=result.report.overall,
        returned=result.report.returned,
        asked=result.report.asked,
        problems=[*problems, *result.problems],
        portfolio=portfolio,
    )


# --- the portfolio over the example clients (issue 20) ---


def _portfolio(folder: Path, texts: Texts, lang: str | None, now: dt.datetime | None) -> Path:
    """The other example clients (a folder of their own below the demo folder) processed, then
    ``kwm portfolio`` over the demo folder, written beside the example's base (named explicitly:
    the portfolio never goes into a client folder by default)."""
    for other in sorted(p for p in folder.iterdir() if (p / BASE_NAME).is_file()):
        if not (other / RETURNED_FOLDER).is_dir():  # a client of its own, not an earlier period
            process(other / BASE_NAME, lang=lang, now=now)
    day = (now or dt.datetime.now()).date().isoformat()
    out = folder / texts("portfolio.file_name", date=day)
    return make_portfolio([folder], out=out, lang=lang, now=now, cwd=folder).output
