"""One cycle layout for every command (SPEC 3): folders, output names, a kept base working in place."""

from __future__ import annotations

import dataclasses
import json
import shlex
import shutil
from pathlib import Path

import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from cycle_kit import FOUR, forms_of, two_of_four_returned
from factories import example_base
from klantwaarde.cli import build_app
from klantwaarde.layout import CycleLayout, base_in
from klantwaarde.model import Respondent
from klantwaarde.texts import load_texts


def test_the_folders_of_a_base_in_its_client_folder(tmp_path):
    layout = CycleLayout.of(example_base(tmp_path / "klant" / "basis.xlsx"))
    period = (tmp_path / "klant" / "2011H1").resolve()
    assert not layout.kept
    assert layout.client_dir == tmp_path / "klant"
    assert (layout.period_dir, layout.forms_dir, layout.returned_dir, layout.reminders_dir) == (
        period,
        period / "vragenlijsten",
        period / "ingevuld",
        period / "herinneringen",
    )
    nl, en = load_texts("nl"), load_texts("en")
    assert layout.monitor_path(nl) == period / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    assert layout.monitor_path(en) == period / "KLANT-2011H1 Customer value monitor.xlsx"
    assert layout.internal_path(nl) == period / "KLANT-2011H1 Verwerking (intern).xlsx"
    assert layout.internal_path(en) == period / "KLANT-2011H1 Processing (internal).xlsx"
    assert layout.deck_path(nl).name == "KLANT-2011H1 Klantwaardesessie.pptx"
    assert layout.a3_path(nl).name == "KLANT-2011H1 A3-accountplan.xlsx"


def test_a_base_kept_in_its_period_folder_is_its_own_period_folder(tmp_path):
    layout = CycleLayout.of(example_base(tmp_path / "klant" / "2011H1" / "basis.xlsx"))
    assert layout.kept
    assert layout.client_dir == tmp_path / "klant"
    assert layout.period_dir == tmp_path / "klant" / "2011H1"
    assert layout.returned_dir == tmp_path / "klant" / "2011H1" / "ingevuld"
    assert layout.monitor_path(load_texts("nl")).parent == tmp_path / "klant" / "2011H1"


@pytest.mark.parametrize("period", ["../../etc", "..", "/etc/passwd", "a\\..\\..\\b", "CON", "."])
def test_a_period_never_steers_a_folder_outside_the_client_folder(tmp_path, period):
    base = example_base(tmp_path / "klant" / "basis.xlsx")
    base = dataclasses.replace(base, settings=dataclasses.replace(base.settings, period=period))
    layout = CycleLayout.of(base)
    assert layout.period_dir.parent == (tmp_path / "klant").resolve()
    assert layout.monitor_path(load_texts("nl")).parent == layout.period_dir


def test_numbered_names_always_fit_however_long_the_name(tmp_path):
    """A name cut by the length limit used to lose its " 2" and collide forever."""
    base = example_base(tmp_path / "basis.xlsx")
    layout = CycleLayout.of(base)
    used: set[str] = set()
    person = Respondent("N" * 300, "AB")
    names = {layout.form_path(person, load_texts("nl"), used).name for _ in range(5)}
    assert len(names) == 5 and all(len(n) <= 120 for n in names)


def test_base_in_a_folder_is_its_basis_workbook(tmp_path):
    assert base_in(tmp_path) == tmp_path / "basis.xlsx"
    (tmp_path / "basis.ods").write_bytes(b"")
    assert base_in(tmp_path) == tmp_path / "basis.ods"
    assert base_in(tmp_path / "basis.ods") == tmp_path / "basis.ods"


# ---------------------------------------------------------------------------------------------
# A kept base works in place, end to end (status, remind, process, a3)


@pytest.fixture(scope="module")
def kept_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A client folder after `kwm next`: 2011H1/basis.xlsx kept, with two late returns in
    2011H1/ingevuld and the questionnaires in 2011H1/vragenlijsten."""
    folder = tmp_path_factory.mktemp("kept") / "klant"
    base = two_of_four_returned(folder)
    kept = folder / nm.PERIOD / "basis.xlsx"
    shutil.copy2(base, kept)
    base.unlink()  # only the kept base: every path must come from it
    return kept


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app("nl"), list(args))
    return result.exit_code, result.stdout


def test_status_on_a_kept_base_reads_its_own_period_folder(kept_client):
    code, out = run("status", str(kept_client), "--json")
    data = json.loads(out)
    assert code == 0 and data["returned"] == ["AA", "BB"] and data["missing"] == ["CC", "DD"]
    assert all(Path(r["form"]).parent == kept_client.parent / "vragenlijsten" for r in data["respondents"])


def test_remind_process_and_a3_on_a_kept_base_write_into_its_period_folder(kept_client, tmp_path):
    period = kept_client.parent
    code, out = run("remind", str(kept_client), "--json")
    assert code == 0
    assert {Path(r["draft"]).parent for r in json.loads(out)["reminders"]} == {period / "herinneringen"}
    code, out = run("process", str(kept_client), "--json")
    assert code == 0
    assert Path(json.loads(out)["output"]) == period / "KLANT-2011H1 Klantwaardemonitor.xlsx"
    assert not (period / nm.PERIOD).exists()  # never 2011H1/2011H1
    code, out = run("a3", str(kept_client), "--json")
    data = json.loads(out)
    assert code == 0 and Path(data["output"]).parent == period
    assert Path(data["monitor"]) == period / "KLANT-2011H1 Klantwaardemonitor.xlsx"


# ---------------------------------------------------------------------------------------------
# One rule for --lang, BASE as a folder, hints ready to paste


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = two_of_four_returned(tmp_path_factory.mktemp("lang") / "Klant NV")
    assert sorted(forms_of(base)) == sorted(FOUR)
    return base


@pytest.mark.parametrize(
    ("command", "english"),
    [
        (["check", "{base}"], "Next step"),
        (["status", "{base}"], "Returned:"),
        (["remind", "{base}", "--dry-run"], "would be made"),
        (["process", "{base}", "--out", "{tmp}/m.xlsx"], "Report written"),
        (["a3", "{base}", "--out", "{tmp}/a3.xlsx"], "internal"),
        (["generate", "{base}", "--out", "{tmp}/forms"], "Next step"),
    ],
)
def test_lang_before_the_command_counts_for_every_command(client, tmp_path, command, english):
    args = [a.format(base=client, tmp=tmp_path) for a in command]
    result = CliRunner().invoke(build_app("nl"), ["--lang", "en", *args])
    assert result.exit_code == 0, result.output
    assert english in result.output, result.output


def test_lang_before_next_and_demo_counts_too(tmp_path):
    base = two_of_four_returned(tmp_path / "c")
    (base.parent / nm.PERIOD / "ingevuld").rename(tmp_path / "elsewhere")  # next refuses returns
    result = CliRunner().invoke(build_app("en"), ["--lang", "en", "next", str(base), "--period", "2011H2"])
    assert result.exit_code == 0 and "The base workbook is ready for 2011H2" in result.output, result.output
    result = CliRunner().invoke(build_app("en"), ["--lang", "en", "demo", str(tmp_path / "demo")])
    assert result.exit_code == 0 and "Done." in result.output, result.output


def test_a_client_folder_as_base_means_its_basis_workbook(client):
    code, out = run("check", str(client.parent))
    assert code == 0 and "KLANT NV" in out


def test_next_step_hints_can_be_pasted_as_they_are(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(build_app("nl"), ["init", "Hoogeveen Logistiek"])
    assert result.exit_code == 0
    hint = result.output.strip().splitlines()[-1].strip()
    assert hint == 'kwm check "Hoogeveen Logistiek/basis.xlsx"'
    pasted = shlex.split(hint)[1:]
    result = CliRunner().invoke(build_app("nl"), pasted)
    assert result.exit_code == 0, result.output
    hint = result.output.strip().splitlines()[-1]
    assert hint.endswith('kwm generate "Hoogeveen Logistiek/basis.xlsx"')
    result = CliRunner().invoke(build_app("nl"), shlex.split(hint.split(": ", 1)[1])[1:])
    assert result.exit_code == 0, result.output
    assert 'kwm process "Hoogeveen Logistiek/basis.xlsx"' in result.output


def test_check_json_prints_nothing_but_the_json(client):
    result = CliRunner().invoke(build_app("nl"), ["check", str(client), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] is True
    assert result.stderr == ""


def test_an_error_with_json_prints_only_the_json(tmp_path):
    result = CliRunner().invoke(build_app("nl"), ["process", str(tmp_path / "weg.xlsx"), "--json"])
    assert result.exit_code == 1 and result.stderr == ""
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == ["file_missing"]
