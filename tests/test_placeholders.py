"""No output of any command ever shows an unresolved placeholder such as ``{expected}`` (issue 17
item 12): the whole cycle's written files and terminal output in both languages, and the error paths
of every command, plain and ``--json``. The catalogue itself is checked message by message in
test_language (every message rendered with its declared fields)."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import openpyxl
import pytest
from pptx import Presentation
from typer.testing import CliRunner

from klantwaarde.cli import COMMANDS, build_app

PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_.]*\}")
INPUTS = {"basis.xlsx", "ingevuld"}  # what the demo copies in: the user's own files, not kwm's output


def texts_of(path: Path) -> list[str]:
    """Every text a reader of ``path`` sees."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        workbook = openpyxl.load_workbook(path)
        found = [str(v) for ws in workbook for row in ws.iter_rows(values_only=True) for v in row if v]
        for ws in workbook:
            found += [ws.title, str(ws.oddHeader.center.text or ""), str(ws.oddFooter.center.text or "")]
        return found
    if suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
        parts = [str(message["Subject"])]
        for part in message.walk():
            if part.get_content_type() in ("text/plain", "text/html"):
                parts.append(str(part.get_content()))  # type: ignore[attr-defined]
        return parts
    if suffix == ".pptx":
        deck = Presentation(str(path))
        found = []
        for slide in deck.slides:
            found += [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
            if slide.has_notes_slide:
                found.append(slide.notes_slide.notes_text_frame.text)
        return found
    if suffix in (".ics", ".jsonl"):
        return [path.read_text(encoding="utf-8")]
    raise AssertionError(f"an output kind this test does not read: {path.name}")


def outputs(folder: Path) -> list[Path]:
    """What kwm wrote in ``folder``, without the user's own files the demo copied in."""
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".") and not set(p.relative_to(folder).parts) & INPUTS
    ]


def leftovers(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_whole_cycle_writes_and_says_no_placeholder(tmp_path: Path, lang: str) -> None:
    runner = CliRunner()
    folder = tmp_path / "demo"
    said = runner.invoke(build_app(lang), ["demo", str(folder), "--lang", lang])
    assert said.exit_code == 0, said.output
    base = folder / "basis.xlsx"
    for command in (["status"], ["remind"], ["remind", "--actions"], ["plan"], ["check"]):
        result = runner.invoke(build_app(lang), [*command, str(base), "--lang", lang])
        assert result.exit_code in (0, 1), result.output
        assert not leftovers(result.output), (command, leftovers(result.output))
    assert not leftovers(said.output), leftovers(said.output)
    written = outputs(folder)
    kinds = {p.suffix for p in written}
    assert {".xlsx", ".eml", ".pptx", ".ics", ".jsonl"} <= kinds, kinds  # every kind was looked at
    for path in written:
        for text in texts_of(path):
            assert not leftovers(text), (path.name, leftovers(text), text[:200])


def _broken_bases(tmp_path: Path) -> dict[str, Path]:
    """A missing base, a file that is no workbook, and a workbook without the base's sheets."""
    missing = tmp_path / "missing" / "basis.xlsx"
    not_a_workbook = tmp_path / "garbage" / "basis.xlsx"
    not_a_workbook.parent.mkdir()
    not_a_workbook.write_bytes(b"PK\x03\x04 not really a zip")
    empty = tmp_path / "empty" / "basis.xlsx"
    empty.parent.mkdir()
    openpyxl.Workbook().save(empty)
    return {"missing": missing, "not_a_workbook": not_a_workbook, "empty": empty}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_error_paths_of_every_command_show_no_placeholder_and_no_traceback(
    tmp_path: Path, lang: str
) -> None:
    runner = CliRunner()
    extra = {"next": ["--period", "2030H1"]}
    tried = 0
    for kind, base in _broken_bases(tmp_path).items():
        for command in COMMANDS:
            if command == "demo":
                continue
            if command == "init" and not base.exists():
                continue  # init makes a missing base: that is its job, not an error path
            argument = str(base)
            for json_flag in ([], ["--json"]):
                args = [command, argument, *extra.get(command, []), "--lang", lang, *json_flag]
                result = runner.invoke(build_app(lang), args)
                tried += 1
                shown = result.output
                assert result.exit_code != 0 and shown.strip(), (kind, args)  # it said what is wrong
                assert "Traceback" not in shown, (kind, args, shown)
                assert result.exception is None or isinstance(result.exception, SystemExit), (kind, args)
                assert not leftovers(shown), (kind, args, leftovers(shown))
                if json_flag and result.exit_code != 2 and result.stdout.strip().startswith("{"):
                    payload = json.loads(result.stdout)
                    assert not leftovers(json.dumps(payload, ensure_ascii=False)), (kind, args)
    assert tried >= (3 * (len(COMMANDS) - 1) - 1) * 2


def test_the_scan_finds_a_placeholder() -> None:
    assert leftovers("Het basisbestand mist het blad {expected}.") == ["{expected}"]
    assert leftovers("{leverancier} kent {klant}") == ["{leverancier}", "{klant}"]
    assert not leftovers("Score 7,47 ± 0,30 {} en { spatie }")
