"""Fill a generated questionnaire in LibreOffice Calc like a person would, through its UNO bridge.

Run with the *system* Python (the one that can ``import uno``), never imported by the tests:

    /usr/bin/python3 tests/lo_fill.py PLAN.json

``tests/lo_kit.py`` starts the headless LibreOffice this script connects to and writes the plan::

    {"port": 2002,                                   # the running soffice's UNO listener
     "source": "/abs/KLANT-2011H1 Vragenlijst ....xlsx",
     "answers": {"1.02": {"grade": 6, "relevance": "<"},   # a number is typed as a number,
                 "1.03": {"grade": "7,5"}},                 # a string is typed as text
     "nps": 9, "anonymous": "Ja", "remark": "Goed gedaan",
     "store": [{"path": "/abs/out.xlsx", "filter": "Calc MS Excel 2007 XML"},
               {"path": "/abs/out.ods", "filter": "calc8"}]}

or ``{"port": 2002, "terminate": true}`` to shut LibreOffice down. The answer rows are found the way
a person finds them: the sheet ``Vragenlijst``/``Questionnaire``, the header row holding the contract
headers (``Sleutel``, ``Nr``, ``Vraag``, ``Cijfer``, ``Relevantie``) and each row's ``Sleutel`` text;
never by fixed cell addresses. Prints one JSON object: the cell each value went into, per key.
"""

from __future__ import annotations

import json
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

SHEETS = ("Vragenlijst", "Questionnaire")
HEADERS = {
    "key": ("Sleutel", "Key"),
    "number": ("Nr", "No."),
    "question": ("Vraag", "Question"),
    "grade": ("Cijfer", "Score"),
    "relevance": ("Relevantie", "Relevance"),
}
SPECIAL = ("nps", "anonymous", "remark")


def prop(name, value):
    found = PropertyValue()
    found.Name = name
    found.Value = value
    return found


def connect(port, timeout=30.0):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            context = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def column_name(index):
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def address(column, row):
    return f"{column_name(column)}{row + 1}"


def answer_sheet(document):
    sheets = document.getSheets()
    for name in SHEETS:
        if sheets.hasByName(name):
            return sheets.getByName(name)
    raise SystemExit(f"no sheet {' or '.join(SHEETS)} in {list(sheets.getElementNames())}")


def used_area(sheet):
    cursor = sheet.createCursor()
    cursor.gotoEndOfUsedArea(False)
    end = cursor.getRangeAddress()
    return end.EndRow, end.EndColumn


def layout(sheet):
    """The header row and the column of each contract header, then key -> row below it."""
    last_row, last_column = used_area(sheet)
    grid = sheet.getCellRangeByPosition(0, 0, last_column, last_row).getDataArray()
    shown = [[str(value).strip() for value in row] for row in grid]
    names = {label.lower(): key for key, labels in HEADERS.items() for label in labels}
    for index, row in enumerate(shown):
        columns = {}
        for column, value in enumerate(row):
            key = names.get(value.lower())
            if key is not None:
                columns.setdefault(key, column)
        if len(columns) == len(HEADERS):
            keyed = {}
            for below in range(index + 1, len(shown)):
                value = shown[below][columns["key"]]
                if value:
                    keyed.setdefault(value, below)
            return columns, keyed
    raise SystemExit("no header row with " + ", ".join(labels[0] for labels in HEADERS.values()))


def type_into(cell, value):
    """A number as a typed number, anything else as typed (or pasted) text; None leaves the cell."""
    if value is None:
        return
    if isinstance(value, bool):
        raise SystemExit("booleans are not typed into a questionnaire")
    if isinstance(value, int | float):
        cell.setValue(value)
    else:
        cell.setString(str(value))


def fill(desktop, plan):
    url = uno.systemPathToFileUrl(plan["source"])
    document = desktop.loadComponentFromURL(url, "_blank", 0, (prop("Hidden", True),))
    if document is None:
        raise SystemExit(f"LibreOffice could not open {plan['source']}")
    try:
        sheet = answer_sheet(document)
        columns, rows = layout(sheet)
        written = {}
        for key, answer in plan.get("answers", {}).items():
            if key not in rows:
                raise SystemExit(f"no row with key {key!r}; keys: {', '.join(rows)}")
            row = rows[key]
            cells = {}
            for part in ("grade", "relevance"):
                if part in answer:
                    type_into(sheet.getCellByPosition(columns[part], row), answer[part])
                    cells[part] = address(columns[part], row)
            written[key] = cells
        for key in SPECIAL:
            if plan.get(key) is not None:
                row = rows[key]
                type_into(sheet.getCellByPosition(columns["grade"], row), plan[key])
                written[key] = {"grade": address(columns["grade"], row)}
        document.calculateAll()
        for target in plan.get("store", []):
            document.storeToURL(
                uno.systemPathToFileUrl(target["path"]),
                (prop("FilterName", target["filter"]), prop("Overwrite", True)),
            )
        return {"sheet": sheet.getName(), "cells": written}
    finally:
        document.close(True)


def main():
    with open(sys.argv[1], encoding="utf-8") as handle:
        plan = json.load(handle)
    desktop = connect(plan["port"], plan.get("timeout", 30.0))
    if plan.get("terminate"):
        try:
            desktop.terminate()
        except Exception:  # the bridge drops while LibreOffice exits: that is success
            pass
        print(json.dumps({"terminated": True}))
        return
    print(json.dumps(fill(desktop, plan)))


if __name__ == "__main__":
    main()
