"""The floor for ``kwm generate``: plain openpyxl writing N comparable workbooks, no kwm code.

    python benchmarks/floor_generate.py OUT_DIR N ROWS COLUMNS

Each workbook has an answer sheet of ROWS x COLUMNS values (the size of a generated
questionnaire), one data validation over the grade column and a hidden key/value sheet, and is
saved as ``OUT_DIR/form-<i>.xlsx``. No styles, no conditional formatting, no protection: what any
program writing such files cannot avoid.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

IDENTITY_ROWS = 6


def write_one(target: Path, index: int, rows: int, columns: int) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Vragenlijst"
    for row in range(1, rows + 1):
        values: list[object] = [
            f"{row // 5 + 1}.{row % 5 + 1:02d}",
            f"{row // 5 + 1}.{row % 5 + 1:02d}",
            f"Stelling {row} van respondent {index}: de leverancier levert wat de klant verwacht",
        ]
        values += [(row + column) % 10 + 1 for column in range(4, columns + 1)]
        sheet.append(values[:columns])
    rule = DataValidation(type="whole", operator="between", formula1="1", formula2="10", allow_blank=True)
    rule.add(f"D1:D{rows}")
    sheet.add_data_validation(rule)
    hidden = workbook.create_sheet("_kwm")
    for row in range(1, IDENTITY_ROWS + 1):
        hidden.append([f"key_{row}", f"value {row} of form {index}"])
    hidden.sheet_state = "veryHidden"
    workbook.save(target)


def main(argv: list[str]) -> None:
    out, n, rows, columns = Path(argv[0]), int(argv[1]), int(argv[2]), int(argv[3])
    out.mkdir(parents=True, exist_ok=True)
    for index in range(n):
        write_one(out / f"form-{index:04d}.xlsx", index, rows, columns)


if __name__ == "__main__":
    main(sys.argv[1:])
