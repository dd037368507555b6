"""The floor for ``kwm portfolio``: python-calamine alone, no kwm code.

    python benchmarks/floor_portfolio.py MONITORS.json

Reads the ``_data`` sheet of every monitor listed in MONITORS.json (the latest monitors of the
benchmark's clients) with python-calamine, one after the other, and counts the rows: what any
program reading those monitors' data cannot avoid. It finds no folders, checks nothing and writes
nothing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from python_calamine import CalamineWorkbook


def main(argv: list[str]) -> None:
    monitors = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    rows = 0
    for path in monitors:
        workbook = CalamineWorkbook.from_path(path)
        rows += len(workbook.get_sheet_by_name("_data").to_python())
    print(json.dumps({"monitors": len(monitors), "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
