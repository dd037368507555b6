"""The openpyxl versions kwm's private-API uses are tested on, and the pin that allows them."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from klantwaarde.workbook import compat

PYPROJECT = Path(__file__).parents[1] / "pyproject.toml"


def test_the_installed_openpyxl_is_one_kwm_was_tested_with():
    installed = compat.openpyxl_version()
    assert compat.is_tested(installed), (
        f"openpyxl {installed} is not among the tested versions {compat.TESTED_OPENPYXL}: review every "
        "function in src/klantwaarde/workbook/compat.py against its source, run the whole suite, then "
        "add the version to TESTED_OPENPYXL (and widen the pin in pyproject.toml if needed)"
    )


def test_the_pin_in_pyproject_starts_at_the_oldest_tested_version_and_stays_below_the_next_minor():
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    (pin,) = [d for d in dependencies if re.match(r"openpyxl\b", d)]
    assert pin == f"openpyxl>={compat.TESTED_OPENPYXL[0]},<3.2", pin
    assert all(v.startswith("3.1.") for v in compat.TESTED_OPENPYXL)


def test_only_compat_names_openpyxls_private_parts():
    """Private attributes and modules of openpyxl are named in compat.py only."""
    private = re.compile(
        r"\._cells\b|\._style\b|StyleArray|ALL_TEMP_FILES|calculate_dimension|_current_row|\._charts\b"
        r"|openpyxl(\.\w+)*\._\w+"
    )
    src = Path(compat.__file__).parents[1]
    tests = Path(__file__).parent
    owned = [*src.rglob("*.py"), *(p for p in tests.glob("*.py") if p.name != Path(__file__).name)]
    offenders = []
    for path in sorted(owned):
        if path.name == "compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if private.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []
