"""An organisation's own texts (templates/<lang>.yaml beside the base): used when right, a clear
problem naming the file and key when broken — never a traceback, never silently ignored (SPEC 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cycle_kit import write_base
from klantwaarde.cli import build_app
from klantwaarde.problems import KwmError
from klantwaarde.texts import load_texts


@pytest.fixture
def client(tmp_path: Path) -> Path:
    return write_base(tmp_path / "klant" / "basis.xlsx")


def override(client: Path, text: str | bytes, lang: str = "nl") -> Path:
    folder = client.parent / "templates"
    folder.mkdir(exist_ok=True)
    path = folder / f"{lang}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def codes_of(client: Path) -> list[tuple[str, int | None]]:
    with pytest.raises(KwmError) as caught:
        load_texts("nl", client.parent)
    return [(p.code, p.location.row) for p in caught.value.problems]


def test_a_correct_override_changes_only_its_keys(client: Path) -> None:
    override(client, 'generate:\n  mail:\n    subject: "Uw mening over {supplier}"\n')
    texts = load_texts("nl", client.parent)
    assert texts("generate.mail.subject", supplier="BESTSELLER") == "Uw mening over BESTSELLER"
    assert texts("check.next", file="x") == load_texts("nl")("check.next", file="x")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("generate:\n  mail:\n    subject: [een, lijst]\n", [("template_wrong_type", 3)]),
        ("generate:\n  mail:\n    subject: 'Vragen {0}'\n", [("template_placeholder", 3)]),
        ("generate:\n  mail:\n    subject: 'Vragen {nergens}'\n", [("template_placeholder", 3)]),
        ("generate:\n  mail:\n    subject: 'Vragen {'\n", [("template_placeholder", 3)]),
        ("generate: 7\n", [("template_wrong_type", 1)]),
        ("generate:\n  mail:\n    subject: x\n  - kapot\n", [("template_invalid", 4)]),
        ("- alleen\n- een lijst\n", [("template_wrong_type", None)]),
    ],
)
def test_a_broken_override_is_a_problem_naming_the_key(client: Path, text: str, expected) -> None:
    override(client, text)
    assert codes_of(client) == expected


def test_bad_bytes_are_a_problem_too(client: Path) -> None:
    override(client, b"generate:\n  mail:\n    subject: \xff\xfe kapot\n")
    assert codes_of(client) == [("template_unreadable", None)]


def test_a_misspelt_key_is_a_problem_too_since_its_text_would_never_be_used(client: Path) -> None:
    override(client, 'generate:\n  mail:\n    subjcet: "tikfout"\n    subject: "Eigen onderwerp"\n')
    assert codes_of(client) == [("template_unknown_key", 3)]


@pytest.mark.parametrize("command", [["check"], ["status"], ["process"], ["generate"]])
def test_every_command_says_so_in_kwms_own_words_and_stops(client: Path, command: list[str]) -> None:
    override(client, "generate:\n  mail:\n    subject: [een, lijst]\n")
    result = CliRunner().invoke(build_app("nl"), [*command, str(client)])
    assert result.exit_code == 1
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert "templates/nl.yaml" in result.stderr and "generate.mail.subject" in result.stderr


def test_the_json_of_a_broken_override_names_file_and_key(client: Path) -> None:
    override(client, "generate:\n  mail:\n    subject: [een, lijst]\n")
    result = CliRunner().invoke(build_app("nl"), ["check", str(client), "--json"])
    assert result.exit_code == 1
    (found,) = json.loads(result.stdout)["problems"]
    assert (found["file"], found["cell"], found["code"]) == ("templates/nl.yaml", "3", "template_wrong_type")
    assert "generate.mail.subject" in found["message"]
