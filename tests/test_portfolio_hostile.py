"""kwm portfolio on a shared drive as it is found: odd and hostile client folders (issue 20)."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

import portfolio_kit as kit
from klantwaarde.cli import build_app


def test_hostile_client_folders_give_one_clear_line_each_never_a_traceback(tmp_path):
    """Odd things on a shared drive: an empty and a garbage monitor, a folder where a monitor
    should be, a folder name with control characters, a link looping back to the top. Each
    unusable folder is one named line; the good client is still in the portfolio."""
    top = tmp_path / "schijf"
    alfa = kit.Spec("ALFA", "Alfa Verzekeringen", actions=kit.ACTIONS)
    kit.run_period(top / "alfa", alfa, "2011H1", dict(AA=8, BB=8, CC=9, DD=8), dict(AA=9, BB=9, CC=10, DD=8))
    good_base = top / "alfa" / "basis.xlsx"
    for name, monitor in (
        ("leeg", b""),
        ("rommel", b"PK\x03\x04 dit is geen werkmap"),
        ("map", None),
    ):
        folder = top / name
        (folder / "2011H1").mkdir(parents=True)
        shutil.copyfile(good_base, folder / "basis.xlsx")
        target = folder / "2011H1" / f"{name.upper()}-2011H1 Klantwaardemonitor.xlsx"
        if monitor is None:
            target.mkdir()
        else:
            target.write_bytes(monitor)
    odd = top / "rare\x1b[31mnaam\x07"
    odd.mkdir()
    shutil.copyfile(good_base, odd / "basis.xlsx")
    (top / "lus").symlink_to(top, target_is_directory=True)

    result = CliRunner().invoke(build_app("nl"), ["portfolio", str(top), "--out", str(tmp_path / "p.xlsx")])
    assert result.exit_code == 0, result.output
    assert (
        "Traceback" not in result.output and "\x1b[31m" not in result.output and "\x07" not in result.output
    )
    found = CliRunner().invoke(
        build_app("nl"), ["portfolio", str(top), "--out", str(tmp_path / "p.xlsx"), "--json"]
    )
    payload = json.loads(found.stdout)
    assert [c["code"] for c in payload["clients"]] == ["ALFA"]  # the link is not followed: once
    by_folder: dict[str, list[str]] = {}
    for line in payload["problems"]:
        by_folder.setdefault(line["file"], []).append(line["code"])
    assert by_folder.pop("leeg") == ["portfolio_monitor_unreadable"]
    assert by_folder.pop("rommel") == ["portfolio_monitor_unreadable"]
    (odd_line,) = by_folder.pop(next(k for k in by_folder if k.startswith("rare")))
    assert odd_line == "portfolio_no_monitor"
    # the folder where a monitor should be is not a monitor: the client simply has none yet
    assert by_folder.pop("map") == ["portfolio_no_monitor"]
    assert by_folder == {}
    for line in payload["problems"]:
        assert line["message"] and "\x1b" not in line["message"] + line["file"]
