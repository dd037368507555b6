"""Returned files come from outside: everything in the answers folder accounted for, odd dates,
permissions, names and outputs that would overwrite inputs (SPEC 3.3, 3.4 Safety; issue 16)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import as_nobody, open_to_all
from cycle_kit import forms_of, two_of_four_returned
from klantwaarde.api.status import status
from klantwaarde.cli import build_app
from klantwaarde.pipeline.collect import EntryKind, FileStatus, answer_entries, collect_forms
from klantwaarde.workbook.fill import fill_form
from returned_kit import rewrite_member


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """Four respondents, AA and BB returned; the answers folder open to the ordinary user."""
    base = two_of_four_returned(tmp_path / "klant")
    open_to_all(tmp_path)
    return base


def returned_dir(base: Path) -> Path:
    return base.parent / nm.PERIOD / "ingevuld"


def outcome_of(collection: Any, name: str) -> Any:
    return next(f for f in collection.files if f.path.name == name)


# ---------------------------------------------------------------------------------------------
# Everything in the answers folder gets a line


def test_links_folders_pipes_pdfs_and_system_files_are_each_accounted_for(client: Path) -> None:
    folder = returned_dir(client)
    (folder / "oud").mkdir()
    (folder / "koppeling.xlsx").symlink_to(folder / "AA ingevuld.xlsx")
    os.mkfifo(folder / "pijp.xlsx")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (folder / "zonder-extensie").write_bytes(b"%PDF-1.4 ...")
    (folder / "Thumbs.db").write_bytes(b"x")
    (folder / "~$AA ingevuld.xlsx").write_bytes(b"lock")

    kinds = {e.path.name: e.kind for e in answer_entries([folder])}
    assert kinds["oud"] is EntryKind.FOLDER and kinds["koppeling.xlsx"] is EntryKind.LINK
    assert kinds["pijp.xlsx"] is EntryKind.SPECIAL and kinds["Thumbs.db"] is EntryKind.SYSTEM

    from klantwaarde.pipeline.base import load_base

    collection = collect_forms(load_base(client)[0], [folder])
    codes = {f.path.name: [p.code for p in f.problems] for f in collection.files}
    assert codes["oud"] == ["entry_folder"]
    assert codes["koppeling.xlsx"] == ["entry_link"]
    assert codes["pijp.xlsx"] == ["entry_special"]
    assert codes["scan.pdf"] == ["file_pdf"] and codes["zonder-extensie"] == ["file_pdf"]
    assert codes["Thumbs.db"] == [] and codes["~$AA ingevuld.xlsx"] == []  # listed, no noise
    assert outcome_of(collection, "Thumbs.db").status is FileStatus.SKIPPED
    assert sorted(f.identity.initials for f in collection.forms) == ["AA", "BB"]  # the rest still counts

    result = CliRunner().invoke(build_app("nl"), ["status", str(client)])
    assert result.exit_code == 0
    assert "Thumbs.db" not in result.stdout and "scan.pdf" in result.stdout


def test_a_pdf_says_to_ask_for_the_excel_form(client: Path) -> None:
    (returned_dir(client) / "Vragenlijst CC.pdf").write_bytes(b"%PDF-1.7\n")
    result = CliRunner().invoke(build_app("nl"), ["status", str(client), "--json"])
    (found,) = [p for p in json.loads(result.stdout)["problems"] if p["code"] == "file_pdf"]
    assert "Excel-bestand" in found["message"] and "sla" not in found["message"].lower()


# ---------------------------------------------------------------------------------------------
# Permissions: a problem, never a traceback, and one bad file never stops the others


def test_an_unreadable_file_is_a_problem_and_the_other_forms_count(client: Path, tmp_path: Path) -> None:
    out = tmp_path / "uit"
    out.mkdir(mode=0o777)
    out.chmod(0o777)
    out = out / "monitor.xlsx"
    folder = returned_dir(client)
    shutil.copy2(folder / "AA ingevuld.xlsx", folder / "geheim.xlsx")
    (folder / "geheim.xlsx").chmod(0)

    def process() -> tuple[int, dict[str, Any], str]:
        result = CliRunner().invoke(build_app("nl"), ["process", str(client), "--json", "--out", str(out)])
        return result.exit_code, json.loads(result.stdout), result.stderr

    code, data, stderr = as_nobody(process)
    assert "Traceback" not in stderr
    found = [p for p in data["problems"] if p["file"] == "geheim.xlsx"]
    assert [p["code"] for p in found] == ["file_unreadable"]
    assert data["returned"] == 2  # AA's own form and BB's count as before


def test_an_unreadable_answers_folder_is_a_problem(client: Path) -> None:
    returned_dir(client).chmod(0o700)

    def status() -> tuple[int, str]:
        result = CliRunner().invoke(build_app("nl"), ["status", str(client), "--json"])
        return result.exit_code, result.stdout

    code, out = as_nobody(status)
    assert code == 0 and "Traceback" not in out
    assert "folder_unreadable" in [p["code"] for p in json.loads(out)["problems"]]


def test_a_read_only_output_folder_is_a_problem(client: Path, tmp_path: Path) -> None:
    closed = tmp_path / "alleen-lezen"
    closed.mkdir(mode=0o555)
    closed.chmod(0o555)

    def process() -> tuple[int, str, str]:
        target = closed / "monitor.xlsx"
        result = CliRunner().invoke(build_app("nl"), ["process", str(client), "--out", str(target)])
        return result.exit_code, result.stdout, result.stderr

    code, out, err = as_nobody(process)
    assert code == 1 and "Traceback" not in out + err
    assert "monitor.xlsx" in err


# ---------------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize("saved", ["9999-12-31T23:59:59Z", "0001-01-01T00:00:00", "1970-01-01T00:00:00Z"])
@pytest.mark.parametrize("zone", ["UTC", "America/Los_Angeles", "Pacific/Kiritimati"])
def test_a_save_date_far_off_is_a_warning_never_a_crash(tmp_path: Path, saved: str, zone: str) -> None:
    """9999-12-31 gave an OverflowError in status and always won the duplicate rule; 0001-01-01
    (a local time, no zone) crashed west of UTC."""
    base = two_of_four_returned(tmp_path / "klant")
    folder = returned_dir(base)
    # a second copy of AA's own form, with an odd save time
    odd = fill_form(forms_of(base)["AA"], folder / "AA oud.xlsx", nm.answers("AA"), nps=8)
    rewrite_member(
        odd,
        "docProps/core.xml",
        lambda data: re.sub(
            rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + saved.encode() + rb"\g<2>", data
        ),
    )
    later = (folder / "AA ingevuld.xlsx").stat().st_mtime + 60
    os.utime(odd, (later, later))  # modified after AA's other copy: with its odd date unusable, it counts
    code = (
        "import sys; from klantwaarde.cli import main;"
        f"sys.argv = ['kwm', sys.argv[1], {str(base)!r}, '--json']; main()"
    )
    env = {**os.environ, "TZ": zone}
    for command in ("status", "process"):
        done = subprocess.run([sys.executable, "-c", code, command], capture_output=True, text=True, env=env)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        problems = json.loads(done.stdout)["problems"]
        if saved.endswith("Z"):  # a time without zone that cannot be placed is not used at all
            assert "form_saved_implausible" in [p["code"] for p in problems], command
    # the odd date decides nothing: the form modified last counts
    done = subprocess.run([sys.executable, "-c", code, "status"], capture_output=True, text=True, env=env)
    aa = next(r for r in json.loads(done.stdout)["respondents"] if r["initials"] == "AA")
    assert Path(aa["file"]).name == "AA oud.xlsx"


# ---------------------------------------------------------------------------------------------
# Names shown in the terminal


@pytest.mark.parametrize(
    "name", ["\x1b]0;gehackt\x07\x1b[2JAA.xlsx", "AA\u202exslx.exe.xlsx", "AA\x08\x08.xlsx"]
)
def test_names_from_outside_reach_the_terminal_without_control_characters(client: Path, name: str) -> None:
    folder = returned_dir(client)
    (folder / name).write_bytes(b"not a workbook at all")
    for args in (["status", str(client)], ["process", str(client), "--out", str(client.parent / "m.xlsx")]):
        result = CliRunner().invoke(build_app("nl"), args)
        shown = result.stdout + result.stderr
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown and "\x08" not in shown
        assert "xlsx" in shown


# ---------------------------------------------------------------------------------------------
# Outputs never overwrite inputs


def test_out_never_points_at_the_base_a_returned_form_or_the_answers_folder(client: Path) -> None:
    runner = CliRunner()
    folder = returned_dir(client)
    aa = folder / "AA ingevuld.xlsx"
    before = {p.name: p.read_bytes() for p in [client, aa]}
    cases = [
        (["process", str(client), "--out", str(client)], "output_is_base"),
        (["process", str(client), "--out", str(aa)], "output_in_answers"),
        (["process", str(client), "--out", str(folder / "nieuw.xlsx")], "output_in_answers"),
        (["generate", str(client), "--out", str(folder)], "output_in_answers"),
        (
            ["a3", str(client), "--out", str(client.parent / "KLANT-2011H1 Klantwaardemonitor.xlsx")],
            "output_client_name",
        ),
        (["a3", str(client), "--out", str(client.parent / "plan.pptx")], "output_client_name"),
        (["process", str(client), "--out", os.devnull], "output_not_file"),  # root would replace the device
    ]
    for args, code in cases:
        result = runner.invoke(build_app("nl"), [*args, "--json"])
        assert result.exit_code == 1, args
        assert [p["code"] for p in json.loads(result.stdout)["problems"]] == [code], args
    assert {p.name: p.read_bytes() for p in [client, aa]} == before
    assert not (folder / "nieuw.xlsx").exists()
    assert not (client.parent / "KLANT-2011H1 Klantwaardemonitor.xlsx").exists()


def test_a_libreoffice_lock_file_is_honoured_like_excels(client: Path) -> None:
    result = CliRunner().invoke(build_app("nl"), ["process", str(client)])
    assert result.exit_code == 0
    monitor = client.parent / nm.PERIOD / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    before = monitor.read_bytes()
    (monitor.parent / f".~lock.{monitor.name}#").write_text("Rob,rob-laptop,12.06.2011 10:00,")
    result = CliRunner().invoke(build_app("nl"), ["process", str(client), "--json"])
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["output_locked"]
    assert monitor.read_bytes() == before


# ---------------------------------------------------------------------------------------------
# Silent changes in returned forms (SPEC 3.3 further rules)


def _client_with_aa_form(tmp_path: Path) -> tuple[Path, Path]:
    base = two_of_four_returned(tmp_path / "klant")
    return base, returned_dir(base) / "AA ingevuld.xlsx"


def test_a_visible_number_sorted_away_from_its_key_refuses_that_answer(tmp_path: Path) -> None:
    """The visible columns were sorted while Sleutel stayed: answers went to the wrong questions."""
    base, aa = _client_with_aa_form(tmp_path)
    workbook = openpyxl.load_workbook(aa)
    sheet = workbook["Vragenlijst"]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    first, second = rows["1.01"], rows["1.02"]
    sheet.cell(first, 2).value, sheet.cell(second, 2).value = "1.02", "1.01"  # Nr swapped, Sleutel not
    workbook.save(aa)
    aa_row = next(r for r in status(base).respondents if r.initials == "AA")
    mismatches = [p for p in aa_row.problems if p.code == "form_number_mismatch"]
    assert sorted(p.context["number"] for p in mismatches) == ["1.01", "1.02"]
    assert {p.location.cell for p in mismatches} == {f"B{first}", f"B{second}"}


def test_a_remark_too_long_for_a_cell_is_cut_with_a_warning(tmp_path: Path) -> None:
    base, aa = _client_with_aa_form(tmp_path)
    fill_form(aa, aa, {}, remark="lang " * 7000)  # 35,000 characters
    aa_row = next(r for r in status(base).respondents if r.initials == "AA")
    (cut,) = [p for p in aa_row.problems if p.code == "form_remark_cut"]
    assert cut.context["length"] > 32_000 and cut.context["limit"] == 32_000


def test_an_external_link_or_dde_cell_is_a_warning_and_its_stored_value_counts(tmp_path: Path) -> None:
    base, aa = _client_with_aa_form(tmp_path)
    workbook = openpyxl.load_workbook(aa)
    sheet = workbook["Vragenlijst"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "1.01")
    workbook.save(aa)
    cell = f"D{row}"
    rewrite_member(
        aa,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(
            rf'<c r="{cell}"([^>]*)>(?:<v>[^<]*</v>)?</c>'.encode(),
            rf'<c r="{cell}"\1><f>cmd|\' /C calc\'!A0</f><v>7</v></c>'.encode(),
            xml,
        ),
    )
    aa_row = next(r for r in status(base).respondents if r.initials == "AA")
    assert aa_row.returned
    (link,) = [p for p in aa_row.problems if p.code == "form_external_link"]
    assert link.location.cell == cell and "calc" in link.context["formula"]
