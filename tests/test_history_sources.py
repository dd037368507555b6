"""History only from this client's period folders (SPEC 3.4): a poisoned copy of a monitor dropped
into the answers folder (or any subfolder) never rewrites the trend, and every source is listed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import FIXED_NOW
from klantwaarde.api.demo import demo
from klantwaarde.api.process import process
from klantwaarde.cli import build_app

EARLIER = "2010H2"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo(tmp_path_factory.mktemp("hist") / "demo", now=FIXED_NOW).folder


@pytest.fixture
def client(demo_folder: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "klant"
    shutil.copytree(demo_folder, folder)
    return folder


def earlier_monitor(client: Path) -> Path:
    return client / EARLIER / f"KLANT-{EARLIER} Klantwaardemonitor.xlsx"


def poisoned_copy(source: Path, target: Path, value: float = 1.0) -> Path:
    """A copy of a monitor whose hidden figures for 2010H2 say ``value`` everywhere."""
    workbook = openpyxl.load_workbook(source)
    data = workbook["_data"]
    header = 1 + next(r for r in range(1, data.max_row + 1) if data.cell(r, 1).value == "[history]")
    columns = {data.cell(header, c).value: c for c in range(1, 8)}
    for row in range(header + 1, data.max_row + 1):
        if data.cell(row, columns["period"]).value == EARLIER and data.cell(row, columns["kind"]).value in (
            "overall",
            "kwi_score",
        ):
            data.cell(row, columns["value"]).value = value
    data.cell(5, 2).value = "2099-01-01T00:00:00"  # generated_at: "newer than anything"
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target


def overall_of(result, period: str) -> float:
    return next(r.value for r in result.report.history if r.period == period and r.kind == "overall")


@pytest.mark.parametrize(
    "where", ["2011H1/ingevuld", "2011H1/ingevuld/oud", "2011H1/vragenlijsten", "2011H1/oud", "."]
)
def test_a_poisoned_copy_outside_a_period_folder_never_counts(client: Path, where: str) -> None:
    base = client / "basis.xlsx"
    honest = overall_of(process(base, now=FIXED_NOW), EARLIER)
    copy = poisoned_copy(earlier_monitor(client), client / where / f"KLANT-{EARLIER} Klantwaardemonitor.xlsx")

    result = process(base, now=FIXED_NOW)
    assert overall_of(result, EARLIER) == pytest.approx(honest)
    assert copy not in {s.path for s in result.history_sources}
    assert {s.path for s in result.history_sources} <= {earlier_monitor(client), result.output}

    # ... and nothing of it is carried forward once it is gone
    copy.unlink()
    earlier_monitor(client).unlink()  # now only the current monitor carries 2010H2
    again = process(base, now=FIXED_NOW)
    assert overall_of(again, EARLIER) == pytest.approx(honest)


def test_a_periods_own_monitor_wins_over_a_newer_copy_in_another_period_folder(client: Path) -> None:
    base = client / "basis.xlsx"
    honest = overall_of(process(base, now=FIXED_NOW), EARLIER)
    poisoned_copy(earlier_monitor(client), client / "2011H1" / "KLANT-2011H1 Klantwaardemonitor (kopie).xlsx")
    result = process(base, now=FIXED_NOW)
    assert overall_of(result, EARLIER) == pytest.approx(honest)
    sources = {s.path.name: s.periods for s in result.history_sources}
    assert sources[earlier_monitor(client).name] == (EARLIER,)


def test_a_monitor_named_with_history_in_an_answers_folder_is_refused(client: Path) -> None:
    copy = poisoned_copy(earlier_monitor(client), client / "2011H1" / "ingevuld" / "oud.xlsx")
    runner = CliRunner()
    result = runner.invoke(
        build_app("nl"), ["process", str(client / "basis.xlsx"), "--history", str(copy), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "history_not_period_folder" in [p["code"] for p in data["problems"]]
