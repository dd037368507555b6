"""The ``A3`` sheet (optional): the account plan's text blocks and figures, by item name."""

from __future__ import annotations

from klantwaarde import normalise
from klantwaarde.baseformat import A3_BLOCK_KEYS, A3_BLOCKS, A3_FIGURE_KEYS, A3_FIGURES
from klantwaarde.model import A3Data, A3Figure
from klantwaarde.normalise import normalise_name
from klantwaarde.reading.table import Reader, Table, suggest


def read_a3(reader: Reader, table: Table) -> A3Data:
    blocks: dict[str, list[str]] = {}
    figures: list[A3Figure] = []
    names = [n for table_ in (A3_BLOCKS, A3_FIGURES) for ns in table_.values() for n in ns]
    for number, row in reader.data_rows(table, ("item", "content", "last_year", "this_year")):
        item = normalise.text(table.get(row, "item"))
        if not item:
            continue
        key = normalise_name(item)
        if key in A3_BLOCK_KEYS:
            content = normalise.text(table.get(row, "content"))
            if content:
                blocks.setdefault(A3_BLOCK_KEYS[key], []).append(content)
        elif key in A3_FIGURE_KEYS:
            last = normalise.number_or_text(table.get(row, "last_year"))
            this = normalise.number_or_text(table.get(row, "this_year"))
            if last is not None or this is not None:
                figures.append(A3Figure(A3_FIGURE_KEYS[key], last, this))
        else:
            reader.add(
                "a3_item_unknown",
                reader.at(table.name, number, table.letter("item")),
                item=item,
                suggestion=suggest(item, names) or "",
            )
    ordered = {key: "\n".join(blocks[key]) for key in A3_BLOCKS if key in blocks}
    return A3Data(blocks=ordered, figures=tuple(figures))
