"""The layering of ARCHITECTURE.md: pure modules import no spreadsheet, CLI or YAML library."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).parents[1] / "src" / "klantwaarde"
PURE = [
    "model.py", "problems.py", "scoring.py", "contract.py", "report.py", "normalise.py", "metrics.py", "disclosure.py",
    "baseformat.py", "sheetdata.py", "monitor_data.py", "publish.py",
    "workbook/styles.py",  # the palette: the deck writer (no openpyxl) takes its colours and font
    "deck/spec.py", "deck/say.py", "deck/content.py", "deck/flow.py", "deck/pdf.py",  # the deck's plan, measures, PDF
    "portfolio/model.py", "portfolio/themes.py", "portfolio/csv_tables.py",
]  # fmt: skip
PURE_PACKAGES = ["reading"]  # every module of these too
WRITERS = {"workbook", "monitor", "portfolio"}  # the packages that read and write spreadsheets
SPREADSHEET = {"openpyxl", "python_calamine", "xlrd", "odf"}
PRESENTATION = {"typer", "rich", "click"}
SLIDES = {"pptx", "lxml"}  # python-pptx and its XML library: the deck package only


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


def test_only_the_workbook_and_monitor_packages_touch_spreadsheets():
    for path in all_modules():
        if path.relative_to(SRC).parts[0] in WRITERS:
            continue
        assert not imported_roots(path) & SPREADSHEET, (
            f"{path.relative_to(SRC)} imports a spreadsheet library"
        )


def test_only_the_cli_uses_typer_and_rich():
    for path in all_modules():
        if path.relative_to(SRC).parts[0] == "cli":
            continue
        assert not imported_roots(path) & PRESENTATION, f"{path.relative_to(SRC)} imports typer/rich"


def test_only_the_deck_package_uses_python_pptx():
    for path in all_modules():
        if path.relative_to(SRC).parts[0] == "deck":
            continue
        assert not imported_roots(path) & SLIDES, f"{path.relative_to(SRC)} imports python-pptx"


def test_the_deck_package_touches_no_spreadsheet_library():
    """The deck reads the monitor's figures as plain data (``monitor_data``), never a workbook."""
    deck = sorted((SRC / "deck").glob("*.py"))
    assert deck, "no deck package"
    for path in deck:
        found = imported_roots(path) & (SPREADSHEET | PRESENTATION | {"xlsxwriter"})
        assert not found, f"{path.relative_to(SRC)} imports {found}"
        users = {m for m in imported_modules(path) if m.startswith("klantwaarde.workbook")}
        assert users <= {
            "klantwaarde.workbook",
            "klantwaarde.workbook.styles",
            "klantwaarde.workbook.safe",
        }, users


def test_only_texts_reads_yaml():
    users = [p.relative_to(SRC).as_posix() for p in all_modules() if "yaml" in imported_roots(p)]
    assert users == ["texts.py"]


def test_the_palette_loads_without_a_spreadsheet_library():
    """A deck writer (python-pptx) takes kwm's colours and font from workbook/styles.py: importing
    it, in a fresh interpreter, loads no openpyxl and none of the writers."""
    script = (
        "import sys, klantwaarde.workbook.styles as s\n"
        "assert s.NAVY and s.FONT_NAME\n"
        "print(sorted(m for m in sys.modules if m.startswith(('openpyxl', 'python_calamine', 'klantwaarde'))))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert ast.literal_eval(out.stdout) == [
        "klantwaarde",
        "klantwaarde.workbook",
        "klantwaarde.workbook.styles",
    ]
