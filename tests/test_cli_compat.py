"""typer's internals are used in one module (cli/compat.py), tested with the versions it names."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from klantwaarde.cli.compat import TESTED_TYPER

ROOT = Path(__file__).parents[1]


def _major_minor(text: str) -> tuple[int, int]:
    found = re.match(r"(\d+)\.(\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def test_the_installed_typer_is_one_the_compatibility_module_was_tested_with():
    low, high = TESTED_TYPER
    installed = _major_minor(version("typer"))
    assert low <= installed < high, (
        f"typer {version('typer')} is not the tested {low}..{high}: review src/klantwaarde/cli/compat.py"
    )


def test_pyproject_pins_typer_to_the_tested_range():
    dependencies = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "dependencies"
    ]
    (pin,) = [d for d in dependencies if d.startswith("typer")]
    low, high = TESTED_TYPER
    assert pin == f"typer>={low[0]}.{low[1]},<{high[0]}.{high[1]}"


def test_no_other_module_touches_typers_internals():
    for path in (ROOT / "src" / "klantwaarde").rglob("*.py"):
        if path.name == "compat.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "typer._" not in text and "_runtime_param" not in text, path
