"""Issue 6, "nothing lost": kwm never writes to the base or a returned file, writes its outputs
atomically, and leaves the previous monitor intact when a write is interrupted, when ``--strict``
finds problems, or when the monitor is open in Excel. Through the command line, as users run it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner, Result

from klantwaarde.cli import build_app
from klantwaarde.workbook import safe
from lo_files import fill_answers, generated_form, monitor_with_history

MONITOR = f"{nm.CLIENT_CODE}-{nm.PERIOD} Klantwaardemonitor.xlsx"
EARLIER_MONITOR = f"{nm.CLIENT_CODE}-{nm.EARLIER_PERIOD} Klantwaardemonitor.xlsx"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path -> sha256 of every file under ``folder``."""
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(".kwm-")]


def kwm(*args: object) -> Result:
    """``kwm ARGS`` in this process; a wide terminal so that messages are not wrapped."""
    return CliRunner().invoke(build_app("nl"), [str(a) for a in args], env={"COLUMNS": "400"})


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A client folder mid-cycle: the example base, 2011H1 questionnaires generated and returned,
    the 2011H1 monitor written (with the 2010H2 history from the earlier monitor beside it)."""
    root = tmp_path_factory.mktemp("template") / "klant"
    monitor = monitor_with_history(root)
    assert monitor == root / nm.PERIOD / MONITOR
    return root


@pytest.fixture
def client(template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the template client folder; returns the base path."""
    root = shutil.copytree(template, tmp_path / "klant")
    return Path(root) / "basis.xlsx"


def inputs(base: Path) -> list[Path]:
    """What kwm reads and must never change: the bases, every returned form, the earlier monitor."""
    root = base.parent
    returned = sorted(root.rglob("ingevuld/*"))
    assert len(returned) == 10  # five per period
    return [
        base,
        root / nm.EARLIER_PERIOD / "basis.xlsx",
        *returned,
        root / nm.EARLIER_PERIOD / EARLIER_MONITOR,
    ]


# ---------------------------------------------------------------------------------------------
# No command writes to its inputs


# command -> (arguments after the base, the files it may write: relative paths / folder prefixes)
COMMANDS = {
    "check": ((), ()),
    "generate": (("--mail",), (f"{nm.PERIOD}/vragenlijsten/", f"{nm.PERIOD}/kwm-register.jsonl")),
    "status": ((), ()),
    "remind": ((), (f"{nm.PERIOD}/herinneringen/",)),
    "process": (
        (),
        (f"{nm.PERIOD}/{MONITOR}", f"{nm.PERIOD}/{nm.CLIENT_CODE}-{nm.PERIOD} Verwerking (intern).xlsx"),
    ),
    "a3": ((), (f"{nm.PERIOD}/{nm.CLIENT_CODE}-{nm.PERIOD} A3-accountplan.xlsx",)),
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_command_changes_the_base_or_a_returned_file(client: Path, command: str) -> None:
    root = client.parent
    watched = {p: sha256(p) for p in inputs(client)}
    before = snapshot(root)
    extra, may_write = COMMANDS[command]

    result = kwm(command, client, *extra)

    assert result.exit_code == 0, result.output
    assert {p: sha256(p) for p in watched} == watched
    after = snapshot(root)
    changed = {name for name in before if after.get(name) != before[name]}
    assert all(name.startswith(may_write) for name in changed), changed  # nothing else touched
    assert not temp_files(root)


def test_the_previous_monitor_is_an_input_of_a3_and_stays_as_it_was(client: Path) -> None:
    monitor = client.parent / nm.PERIOD / MONITOR
    before = sha256(monitor)
    assert kwm("a3", client).exit_code == 0
    assert sha256(monitor) == before


# ---------------------------------------------------------------------------------------------
# Atomic outputs


def test_a_failing_final_move_leaves_the_previous_monitor_intact_and_no_temp_file(
    client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monitor = client.parent / nm.PERIOD / MONITOR
    before = sha256(monitor)
    moves: list[Path] = []

    def interrupted(tmp: Path, target: Path) -> None:
        moves.append(tmp)
        assert tmp.stat().st_size > 0  # the new monitor was complete, only the move failed
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(safe, "_replace", interrupted)
    result = kwm("process", client, "--json")

    assert result.exit_code == 1
    assert moves and moves[0].parent == monitor.parent
    assert sha256(monitor) == before
    assert not temp_files(client.parent)
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["output_failed"]


def test_a_disk_full_while_writing_leaves_the_previous_monitor_intact(
    client: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl.workbook.workbook import Workbook

    monitor = client.parent / nm.PERIOD / MONITOR
    before = sha256(monitor)

    def half_written(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Workbook, "save", half_written)
    result = kwm("process", client)

    assert result.exit_code == 1
    assert sha256(monitor) == before
    assert not temp_files(client.parent)
    assert "No space left on device" in result.stderr


def test_any_failure_inside_an_atomic_write_removes_the_temp_file(tmp_path: Path) -> None:
    target = tmp_path / "uitvoer.xlsx"
    target.write_bytes(b"the previous file")

    def crash(tmp: Path) -> None:
        tmp.write_bytes(b"partial")
        raise RuntimeError("a bug halfway through writing")

    with pytest.raises(RuntimeError):
        safe.atomic_write(target, crash)
    assert target.read_bytes() == b"the previous file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["uitvoer.xlsx"]


def test_strict_with_problems_exits_1_and_leaves_the_previous_monitor_untouched(client: Path) -> None:
    from klantwaarde.workbook.fill import fill_form

    root = client.parent
    monitor = root / nm.PERIOD / MONITOR
    returned = root / nm.PERIOD / "ingevuld" / "KK.xlsx"
    fill_form(generated_form(client, "KK"), returned, {**fill_answers("KK"), "1.02": (11, None)}, nps=9)
    before = sha256(monitor)

    strict = kwm("process", client, "--strict", "--json")

    assert strict.exit_code == 1
    assert sha256(monitor) == before
    assert [p["code"] for p in json.loads(strict.stdout)["problems"]] == ["form_grade_invalid"]
    assert not temp_files(root)
    # Without --strict the same run writes the monitor: --strict alone held it back.
    assert kwm("process", client).exit_code == 0
    assert sha256(monitor) != before


@pytest.mark.parametrize(
    "lock_name",
    ["~$" + MONITOR, "~$" + MONITOR[2:]],  # Excel shortens the owner file's name of long names
    ids=["lock-file", "shortened-lock-file"],
)
def test_a_monitor_open_in_excel_is_refused_clearly_and_left_untouched(client: Path, lock_name: str) -> None:
    monitor = client.parent / nm.PERIOD / MONITOR
    (monitor.parent / lock_name).write_bytes(b"\x00" * 165)  # Excel's owner file
    before = sha256(monitor)

    as_json = kwm("process", client, "--json")
    shown = kwm("process", client)

    for result in (as_json, shown):
        assert result.exit_code == 1
    found = json.loads(as_json.stdout)["problems"]
    assert [(p["code"], p["file"]) for p in found] == [("output_locked", MONITOR)]
    assert MONITOR in shown.stderr and "Excel" in shown.stderr  # the message names the file and why
    assert "Traceback" not in shown.output
    assert sha256(monitor) == before
    assert not temp_files(client.parent)


def test_an_a3_plan_open_in_excel_is_refused_and_left_untouched(client: Path) -> None:
    assert kwm("a3", client).exit_code == 0
    plan = client.parent / nm.PERIOD / f"{nm.CLIENT_CODE}-{nm.PERIOD} A3-accountplan.xlsx"
    (plan.parent / ("~$" + plan.name)).write_bytes(b"\x00" * 165)
    before = sha256(plan)

    result = kwm("a3", client)

    assert result.exit_code == 1
    assert plan.name in result.stderr
    assert sha256(plan) == before


def test_a_questionnaire_open_in_excel_is_left_untouched_and_the_others_are_written(client: Path) -> None:
    forms = client.parent / nm.PERIOD / "vragenlijsten"
    locked = generated_form(client, "KK")
    (forms / ("~$" + locked.name)).write_bytes(b"\x00" * 165)
    others = {p: p.stat().st_ino for p in forms.glob("*.xlsx") if p != locked and not p.name.startswith("~$")}
    assert len(others) == len(nm.RESPONDENTS) - 1
    before = sha256(locked)

    result = kwm("generate", client)

    assert result.exit_code == 1  # the locked form is an error the user must see
    assert locked.name in result.stderr
    assert sha256(locked) == before
    assert all(p.stat().st_ino != inode for p, inode in others.items())  # replaced by new files


def test_outputs_get_ordinary_file_permissions_and_keep_those_of_a_replaced_file(tmp_path):
    import os
    import stat

    from klantwaarde.workbook.safe import atomic_write_bytes

    umask = os.umask(0o022)
    try:
        fresh = atomic_write_bytes(tmp_path / "nieuw.xlsx", b"x")
        assert stat.S_IMODE(fresh.stat().st_mode) == 0o644
        shared = tmp_path / "gedeeld.xlsx"
        shared.write_bytes(b"oud")
        shared.chmod(0o664)
        atomic_write_bytes(shared, b"nieuw")
        assert stat.S_IMODE(shared.stat().st_mode) == 0o664
    finally:
        os.umask(umask)


FULL_DISK_OUTPUTS = {
    "process": [f"{nm.PERIOD}/{MONITOR}"],
    "sessie": [f"{nm.PERIOD}/{nm.CLIENT_CODE}-{nm.PERIOD} Klantwaardesessie.pptx"],
    "a3": [f"{nm.PERIOD}/{nm.CLIENT_CODE}-{nm.PERIOD} A3-accountplan.xlsx"],
    "generate": [f"{nm.PERIOD}/vragenlijsten"],
}


@pytest.mark.parametrize("command", sorted(FULL_DISK_OUTPUTS))
def test_a_real_full_disk_leaves_every_earlier_output_intact_with_a_clear_message(
    client: Path, command: str
) -> None:
    """Not a simulated error: the command runs with a file-size limit (RLIMIT_FSIZE) of 4 kB, so the
    operating system itself refuses the writes (EFBIG) as a full disk would."""
    import resource
    import signal
    import subprocess
    import sys

    root = client.parent
    assert kwm(command, client).exit_code == 0  # an earlier output to keep
    before = snapshot(root)
    limit = 4096

    def small_disk() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failing write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    done = subprocess.run(
        [sys.executable, "-c", "from klantwaarde.cli import main; main()", command, str(client), "--json"],
        capture_output=True,
        text=True,
        preexec_fn=small_disk,
        timeout=300,
    )
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    problems = json.loads(done.stdout)["problems"]
    assert "output_failed" in [p["code"] for p in problems], problems
    after = snapshot(root)
    changed = {name for name in before if after.get(name) != before[name]}
    # only the period's register may have grown (a form written before the disk filled is recorded)
    assert changed <= {f"{nm.PERIOD}/kwm-register.jsonl"}, changed
    assert all((root / name).exists() for name in FULL_DISK_OUTPUTS[command])
    assert not temp_files(root)
