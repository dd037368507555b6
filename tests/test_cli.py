"""The command line as a whole: help in the user's language, version, the cycle overview, README."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from klantwaarde import __version__
from klantwaarde.cli import COMMANDS, build_app, language_from_argv

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def click_commands(lang: str) -> dict:
    group = typer.main.get_command(build_app(lang))
    return dict(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_command_and_option_has_a_one_line_help(lang):
    commands = click_commands(lang)
    assert sorted(commands) == sorted(COMMANDS)
    for name, command in commands.items():
        assert command.help and "\n" not in command.help.strip(), name
        for param in command.params:
            if param.param_type_name == "option" and param.name != "help":
                assert param.help and "\n" not in param.help, f"{name} {param.opts}"


def test_help_follows_the_language():
    nl = click_commands("nl")["process"].help
    en = click_commands("en")["process"].help
    assert nl != en and "Verwerk" in nl and "Process" in en
    assert language_from_argv(["process", "x", "--lang", "en"]) == "en"
    assert language_from_argv(["--lang=en"]) == "en"


def test_every_command_is_in_the_readme():
    for name in COMMANDS:
        assert f"kwm {name}" in README, name


def test_kwm_without_arguments_shows_the_cycle_in_order():
    result = CliRunner().invoke(build_app("nl"), [])
    assert result.exit_code == 0
    positions = [result.output.index(f"kwm {name} ") for name in COMMANDS]
    assert positions == sorted(positions)


def test_version_and_help():
    runner = CliRunner()
    assert runner.invoke(build_app("nl"), ["--version"]).output.strip() == f"kwm {__version__}"
    for name in COMMANDS:
        result = runner.invoke(build_app("nl"), [name, "--help"])
        assert result.exit_code == 0 and f"kwm {name}" in result.output, name


def test_unknown_options_are_usage_errors():
    result = CliRunner().invoke(build_app("nl"), ["check", "--no-such-option"])
    assert result.exit_code == 2


def test_the_installed_command_starts_without_loading_spreadsheet_libraries():
    code = (
        "import sys; from klantwaarde.cli import build_app; build_app('nl');"
        "print(sorted(m for m in ('openpyxl', 'python_calamine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(("lang", "expected"), [("nl", "Toon deze uitleg"), ("en", "Show this help")])
def test_the_help_option_itself_speaks_the_language(lang, expected):
    for args in ([], ["process"]):
        result = CliRunner().invoke(build_app(lang), [*args, "--help"])
        assert expected in result.output
