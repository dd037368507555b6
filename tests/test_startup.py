"""Start-up stays light: `kwm --version` and `kwm --help` never load the spreadsheet libraries.

Each check runs in a fresh interpreter, so what an earlier test imported cannot hide an import.
No timings here (they belong in benchmarks/); only which modules get imported.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from klantwaarde import __version__
from klantwaarde.cli import asks_version

HEAVY = ("openpyxl", "python_calamine", "defusedxml", "klantwaarde.workbook", "klantwaarde.api")


def loaded_after(code: str) -> dict[str, list[str]]:
    """Run ``code`` in a new interpreter; the heavy modules and the klantwaarde modules it loaded."""
    script = (
        f"{code}\nimport json, sys\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m.startswith({HEAVY!r}))\n"
        "ours = sorted(m for m in sys.modules if m.startswith('klantwaarde'))\n"
        "print(json.dumps({'heavy': heavy, 'ours': ours}))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    result: dict[str, list[str]] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_cli_loads_no_spreadsheet_library_nor_the_texts():
    loaded = loaded_after("import klantwaarde.cli")
    assert loaded["heavy"] == []
    assert "klantwaarde.texts" not in loaded["ours"]  # reading the YAML templates waits for the app


def test_building_the_app_for_help_loads_no_spreadsheet_library():
    loaded = loaded_after("from klantwaarde.cli import build_app; build_app('nl'); build_app('en')")
    assert loaded["heavy"] == []


@pytest.mark.parametrize("argv", [["--version"], ["--lang", "en", "--version"], ["--lang=en", "--version"]])
def test_version_is_answered_without_building_the_app(argv):
    code = f"import sys\nsys.argv = ['kwm', *{argv!r}]\nfrom klantwaarde.cli import main\nmain()"
    loaded = loaded_after(code)
    assert loaded["heavy"] == []
    assert not [m for m in loaded["ours"] if m.startswith("klantwaarde.cli.")]  # no command module


def test_version_output_is_the_same_as_the_apps():
    code = "import sys; sys.argv = ['kwm', '--version']; from klantwaarde.cli import main; main()"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == f"kwm {__version__}\n"
    assert out.stderr == ""


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--version"], True),
        (["--lang", "en", "--version"], True),
        (["--lang=nl", "--version"], True),
        (["--version", "process", "basis.xlsx"], True),  # the app's eager option wins there too
        ([], False),
        (["--help", "--version"], False),  # help comes first: the app decides
        (["--lang", "--version"], False),  # --version is the value of --lang here
        (["process", "--version"], False),  # a command's own options: the app decides
        (["--lang"], False),
        (["-h"], False),
    ],
)
def test_which_command_lines_ask_only_for_the_version(argv, expected):
    assert asks_version(argv) is expected
