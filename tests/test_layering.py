"""The layering of ARCHITECTURE.md: pure modules import no spreadsheet, CLI or YAML library."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "klantwaarde"
PURE = [
    "model.py", "problems.py", "scoring.py", "contract.py", "report.py", "normalise.py", "metrics.py", "disclosure.py",
    "baseformat.py", "sheetdata.py",
]  # fmt: skip
PURE_PACKAGES = ["reading"]  # every module of these too
SPREADSHEET = {"openpyxl", "python_calamine", "xlrd", "odf"}
PRESENTATION = {"typer", "rich", "click"}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def all_modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_pure_modules_use_only_the_standard_library_and_each_other():
    for name in PURE:
        path = SRC / name
        if not path.exists():
            continue
        roots = imported_roots(path)
        assert not roots & (SPREADSHEET | PRESENTATION | {"yaml"}), f"{name} imports {roots}"


def test_pure_packages_use_only_the_standard_library_and_no_reader_or_writer():
    """reading/ turns rows into a base: it never opens a file format, nor asks workbook/ for one."""
    for package in PURE_PACKAGES:
        modules = sorted((SRC / package).rglob("*.py"))
        assert modules, package
        for path in modules:
            roots = imported_roots(path)
            assert not roots & (SPREADSHEET | PRESENTATION | {"yaml", "defusedxml"}), (
                f"{path.name} imports {roots}"
            )
            inner = {
                m
                for m in imported_modules(path)
                if m.startswith(
                    ("klantwaarde.workbook", "klantwaarde.api", "klantwaarde.cli", "klantwaarde.texts")
                )
            }
            assert not inner, f"{path.relative_to(SRC)} imports {inner}"


def test_only_the_workbook_package_touches_spreadsheets():
    for path in all_modules():
        if "workbook" in path.relative_to(SRC).parts:
            continue
        assert not imported_roots(path) & SPREADSHEET, (
            f"{path.relative_to(SRC)} imports a spreadsheet library"
        )


def test_only_the_cli_uses_typer_and_rich():
    for path in all_modules():
        if path.relative_to(SRC).parts[0] == "cli":
            continue
        assert not imported_roots(path) & PRESENTATION, f"{path.relative_to(SRC)} imports typer/rich"


def test_only_texts_reads_yaml():
    users = [p.relative_to(SRC).as_posix() for p in all_modules() if "yaml" in imported_roots(p)]
    assert users == ["texts.py"]
