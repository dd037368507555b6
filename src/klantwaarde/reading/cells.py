"""What the file says about the cells of a base sheet (SPEC 3.1), beyond their values:

- a formula saved without its result (a program wrote it without calculating) is an error naming
  the cell: what Excel would show is unknown, and reading it as blank would lose an entry;
- hidden rows or columns that hold data are a warning: kwm reads them, the user may not see them.

Only the cells kwm reads count: the recognised columns, and on ``Vragen`` the assignment matrix.
"""

from __future__ import annotations

from klantwaarde import normalise
from klantwaarde.metrics import column_letter
from klantwaarde.reading.table import Reader, Table

MAX_REPORTED = 20  # formula cells named per sheet; a sheet full of them needs one fix anyway


def _read_columns(table: Table) -> set[int] | None:
    """1-based columns kwm reads on this sheet; None: every column (the matrix of ``Vragen``)."""
    if table.key == "questions":
        return None
    return {index + 1 for index in table.columns.values()}


def cell_checks(reader: Reader, table: Table) -> None:
    sheet = table.sheet
    if sheet is None:
        return
    columns = _read_columns(table)

    def read(column: int) -> bool:
        return columns is None or column in columns

    formulas = sorted(
        (cell, formula)
        for cell, formula in sheet.formulas_without_value.items()
        if cell[0] >= table.header_row and read(cell[1])
    )
    for (row, column), formula in formulas[:MAX_REPORTED]:
        where = reader.at(table.name, row, column_letter(column))
        reader.add("base_formula_without_value", where, formula=formula)

    def holds_data(row: int) -> bool:
        values = sheet.rows[row - 1] if row <= len(sheet.rows) else ()
        return any(read(i + 1) and not normalise.is_empty(v) for i, v in enumerate(values))

    for first, last in sheet.hidden_rows:
        used = [row for row in range(first, min(last, len(sheet.rows)) + 1) if holds_data(row)]
        if used:
            rows = str(used[0]) if len(used) == 1 else f"{used[0]}–{used[-1]}"
            reader.add("base_hidden_rows", reader.at(table.name, used[0]), rows=rows)
    width = max((len(values) for values in sheet.rows), default=0)
    for first, last in sheet.hidden_columns:
        used = [
            column
            for column in range(first, min(last, width) + 1)
            if read(column)
            and any(column <= len(v) and not normalise.is_empty(v[column - 1]) for v in sheet.rows)
        ]
        if used:
            letters = (
                column_letter(used[0])
                if len(used) == 1
                else f"{column_letter(used[0])}–{column_letter(used[-1])}"
            )
            where = reader.at(table.name, table.header_row, column_letter(used[0]))
            reader.add("base_hidden_columns", where, columns=letters)
