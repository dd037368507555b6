"""The command line as a whole: help in the user's language, version, the cycle overview, README."""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------------------------------------
# Values are converted without pydantic, exactly as typer converts them


def every_param(lang: str) -> list[tuple[object, object]]:
    """(command, parameter) for every parameter of every command and of the group, help included."""
    group = typer.main.get_command(build_app(lang))
    found = [(group, p) for p in group.params]
    ctx = typer.main.get_command(build_app(lang)).make_context("kwm", ["--lang", lang])
    for command in [group, *click_commands(lang).values()]:
        found += [(command, p) for p in command.params]
        found.append((command, command.get_help_option(ctx)))
    return found


SAMPLES = [None, "basis.xlsx", "", "C:\\Klanten\\basis.xlsx", "~/x", ("a.xlsx", "b"), (), True, False, 7]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_parameter_is_converted_as_typer_converts_it(lang):
    from typer._click import Context
    from typer._coercion import build_runtime_param

    from klantwaarde.cli.compat import PlainRuntimeParam

    plain = 0
    for command, param in every_param(lang):
        ours = param.get_runtime_param()
        plain += isinstance(ours, PlainRuntimeParam)
        theirs = build_runtime_param(param.type_descriptor)  # typer's own: a pydantic adapter
        ctx = Context(command)
        for value in SAMPLES:
            outcomes = []
            for runtime in (ours, theirs):
                try:
                    outcomes.append(("value", runtime.coerce(value, param=param, ctx=ctx)))
                except Exception as exc:  # the same kind of refusal on both sides
                    outcomes.append(("error", type(exc).__name__))
            assert outcomes[0] == outcomes[1], (command.name, param.name, value)
    assert plain > 20  # the direct conversion is what kwm's parameters actually use


def test_a_command_runs_without_importing_pydantic(tmp_path):
    base = Path(__file__).resolve().parents[1] / "examples" / "basis.xlsx"
    code = (
        "import sys\n"
        f"sys.argv = ['kwm', 'check', {str(base)!r}, '--lang', 'en', '--json']\n"
        "from klantwaarde.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('pydantic' in sys.modules, 'python_calamine' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    assert out.stdout.strip().splitlines()[-1] == "False True"  # the base was read, typer needed no pydantic


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_command_list_shows_every_description_whole(lang):
    from klantwaarde.texts import load_texts

    texts = load_texts(lang)
    result = CliRunner().invoke(build_app(lang), ["--help"], terminal_width=80)
    assert result.exit_code == 0
    assert "..." not in result.output.split("\n", 1)[1]  # the usage line ends in "ARGUMENTEN..."
    # Lines are wrapped at spaces and after hyphens ("klantwaardemonitor-\n rapport").
    flat = re.sub(r"-\s+", "-", " ".join(result.output.split()))
    for name in COMMANDS:
        assert re.sub(r"-\s+", "-", texts(f"cli.commands.{name}.help")) in flat, name


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_portfolios_csv_option_says_it_wants_a_folder(lang):
    from klantwaarde.texts import load_texts

    (csv,) = [p for p in click_commands(lang)["portfolio"].params if p.name == "csv"]
    assert csv.metavar == load_texts(lang)("frame.metavars.folder")  # MAP / FOLDER, not WAARDE
