"""The floor for ``kwm process``: plain openpyxl, no kwm code.

    python benchmarks/floor_process.py FOLDER OUT.xlsx ANSWER_ROWS

Reads every ``.xlsx`` in FOLDER with ``load_workbook(read_only=True)``, touching every cell of the
answer sheet (``Vragenlijst``), then writes one workbook with ANSWER_ROWS rows of answers in long
form (respondent, KWI, number, question, grade, relevance, weight, weighted): the size of the
monitor's answer sheet. What any program turning those files into such a report cannot avoid.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook, load_workbook

COLUMNS = ("Respondent", "KWI", "Nr", "Vraag", "Cijfer", "Relevantie", "Weging", "Gewogen")


def read_all(folder: Path) -> int:
    cells = 0
    for path in sorted(folder.glob("*.xlsx")):
        workbook = load_workbook(path, read_only=True)
        try:
            sheet = workbook["Vragenlijst"]
            for row in sheet.iter_rows(values_only=True):
                for _value in row:
                    cells += 1
        finally:
            workbook.close()
    return cells


def write_long(target: Path, rows: int) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Antwoorden"
    sheet.append(list(COLUMNS))
    for row in range(rows):
        grade, weight = row % 7 + 4, row % 3 + 1
        sheet.append(
            [
                f"R{row // 25:04d}",
                f"KWI-{row % 10 + 1:02d}",
                f"{row % 10 + 1}.{row % 5 + 1:02d}",
                f"Stelling {row % 5 + 1} van indicator {row % 10 + 1}",
                grade,
                "<N>"[weight - 1],
                weight,
                grade * weight,
            ]
        )
    workbook.save(target)


def main(argv: list[str]) -> None:
    folder, target, rows = Path(argv[0]), Path(argv[1]), int(argv[2])
    read_all(folder)
    write_long(target, rows)


if __name__ == "__main__":
    main(sys.argv[1:])
