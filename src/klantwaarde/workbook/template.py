"""Write a base workbook: the one ``kwm init`` makes (example rows) and the bundled example.

Every sheet and header of SPEC 3.1 in the chosen language, with dropdowns (data validation with
prompts and error messages on), the ``Nr`` columns formatted as text, frozen header rows, widths,
a ``Toelichting`` sheet first, the optional ``Team`` sheet (the account team, whom the actions are
for) and an ``Inspiratie`` sheet. Sheet, header and setting names come from
``workbook.base`` (the file format); every other text from the templates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from klantwaarde import metrics
from klantwaarde.baseformat import A3_BLOCKS, A3_FIGURES, HEADERS, SETTINGS, SHEETS, STATUSES
from klantwaarde.model import Location
from klantwaarde.problems import KwmError, problem
from klantwaarde.texts import Texts
from klantwaarde.workbook import styles
from klantwaarde.workbook.safe import atomic_save, set_text
from klantwaarde.workbook.style_cache import StyleCache

INPUT_ROWS = 500  # rows prepared (text format, dropdowns) below the header for the user's own data
SPARE_RESPONDENT_COLUMNS = 10


def fit_rows(sheet: Worksheet) -> None:
    """Give rows with wrapped text room for all their lines: LibreOffice does not grow rows itself.
    Rows that fit on one line keep Excel's automatic height."""
    for row in sheet.iter_rows():
        height = 0.0
        for cell in row:
            if not isinstance(cell.value, str) or not cell.alignment.wrap_text:
                continue
            width = sheet.column_dimensions[cell.column_letter].width or 13
            if metrics.text_lines(cell.value, width) > 1:
                height = max(height, metrics.text_height(cell.value, width, padding=0))
        if height:
            sheet.row_dimensions[row[0].row].height = height


Respondent = tuple[str, ...]  # name, initials, e-mail, function, remark[, internal note[, language]]
KwiRow = tuple[str, str, str, float | None, str]  # code, title, description, target, contributed by
QuestionRow = tuple[str, str, str]  # kwi, number, text
ActionRow = tuple[str, dt.date | None, str, str, str, str, dt.date | None]
TeamRow = tuple[str, str, str, str]  # initials, name, e-mail, role


@dataclass(frozen=True)
class BaseContent:
    """What goes into a base workbook. Settings by key (see ``workbook.base.SETTINGS``), action
    status in Dutch (``open``/``lopend``/``gereed``), A3 blocks and figures by key."""

    lang: str
    settings: Mapping[str, object]
    respondents: Sequence[Respondent]
    kwis: Sequence[KwiRow]
    questions: Sequence[QuestionRow]
    assignment: Mapping[str, Collection[str]]  # initials -> question numbers
    actions: Sequence[ActionRow] = ()
    a3_blocks: Mapping[str, str] = field(default_factory=dict)
    a3_figures: Mapping[str, tuple[object, object]] = field(default_factory=dict)
    team: Sequence[TeamRow] = ()  # the account team (the Team sheet; written with its headers when empty)


def current_period(today: dt.date) -> str:
    return f"{today.year}H{1 if today.month <= 6 else 2}"


def example_content(texts: Texts, today: dt.date) -> BaseContent:
    """The example rows of a new base (``kwm init``): they pass ``kwm check`` without warnings."""
    example = texts.raw("base.example")
    respondents: list[Respondent] = [tuple(str(v) for v in r) for r in example["respondents"]]
    code, title, description = (str(v) for v in example["kwi"])
    initials = [r[1] for r in respondents]
    team: list[TeamRow] = [(str(m[0]), str(m[1]), str(m[2]), str(m[3])) for m in texts.raw("team.example")]
    questions: list[QuestionRow] = [
        (code, "1.01", str(example["question"])),
        (code, "1.02", texts("standard.active")),
        (code, "1.03", texts("standard.agreements")),
    ]
    return BaseContent(
        lang=texts.lang,
        settings={
            "client": example["client"],
            "client_code": example["client_code"],
            "supplier": example["supplier"],
            "period": current_period(today),
            "account_manager": example["account_manager"],
            "account_manager_email": example["account_manager_email"],
            "deadline": None,
            "session_date": None,
            "language": texts.lang,
            "default_target": 7.5,
            "weight_less": 1,
            "weight_neutral": 2,
            "weight_more": 3,
            "anonymity_threshold": 3,
        },
        respondents=respondents,
        kwis=[(code, title, description, None, initials[0])],
        questions=questions,
        assignment={ini: [q[1] for q in questions] for ini in initials},
        actions=[(f"{today.year}-01", today, str(example["action"]), code, team[0][0], "open", None)],
        team=team,
    )


# ---------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, content: BaseContent, texts: Texts):
        self.content = content
        self.texts = texts
        self.english = content.lang == "en"
        self.workbook = Workbook()
        self.workbook.remove(self.workbook.active)
        self.styles = StyleCache()

    def styled(self, cell: Any, style: styles.Style) -> Any:
        return self.styles.apply(cell, style)

    def text(self, sheet: Worksheet, row: int, column: int, value: object, style: styles.Style) -> Any:
        """``value`` as literal text in a styled cell."""
        return self.styled(set_text(sheet.cell(row=row, column=column), value), style)

    def name(self, names: tuple[str, ...]) -> str:
        return names[1] if self.english else names[0]

    def sheet_name(self, key: str) -> str:
        return self.name(SHEETS[key])

    def headers(self, key: str) -> list[str]:
        return [self.name(h.names) for h in HEADERS[key]]

    def validation(self, sheet: Worksheet, ref: str, key: str, **options: Any) -> None:
        v = self.texts.raw("base.validation")
        check = DataValidation(
            allow_blank=True,
            showErrorMessage=True,
            showInputMessage=True,
            promptTitle=v[f"{key}_title"][:32],
            prompt=v[f"{key}_prompt"][:255],
            errorTitle=v["error_title"][:32],
            error=v.get(f"{key}_error", v[f"{key}_prompt"])[:255],
            **options,
        )
        check.add(ref)
        sheet.add_data_validation(check)

    def new_sheet(self, title: str, headers: Sequence[str], widths: Sequence[float]) -> Worksheet:
        sheet = self.workbook.create_sheet(title)
        for column, (header, width) in enumerate(zip(headers, widths, strict=False), start=1):
            self.text(sheet, 1, column, header, styles.BASE_HEADER)
            sheet.column_dimensions[metrics.column_letter(column)].width = width
        sheet.freeze_panes = "A2"
        return sheet

    def put(
        self, sheet: Worksheet, row: int, column: int, value: object, number_format: str | None = None
    ) -> None:
        cell = sheet.cell(row=row, column=column)
        if isinstance(value, str):
            set_text(cell, value)
        elif value is not None:
            cell.value = value
        if number_format:
            cell.number_format = number_format
        self.styled(cell, styles.BASE_WRAP if isinstance(value, str) and len(value) > 30 else styles.BASE_TOP)

    @property
    def date_format(self) -> str:
        return styles.base_date_format("en" if self.english else "nl")

    # -- sheets ----------------------------------------------------------------------------

    def explanation(self) -> None:
        texts = self.texts
        sheet = self.workbook.create_sheet(texts("base.sheets.explanation"))
        sheet.column_dimensions["A"].width = 20
        sheet.column_dimensions["B"].width = 100
        self.text(sheet, 1, 1, texts("base.explanation.title"), styles.BASE_TITLE)
        row = 3
        for paragraph in texts.raw("base.explanation.intro"):
            self.text(sheet, row, 2, paragraph, styles.BASE_WRAP)
            row += 1
        row += 1
        self.text(sheet, row, 1, texts("base.explanation.sheets_heading"), styles.BASE_HEADING)
        row += 1
        statements = {"active": texts("standard.active"), "agreements": texts("standard.agreements")}
        names = {key: self.sheet_name(key) for key in SHEETS}
        names["inspiration"] = texts("base.sheets.inspiration")
        for key in ("settings", "respondents", "kwis", "questions", "actions", "team", "inspiration", "a3"):
            self.text(sheet, row, 1, names[key], styles.BASE_LABEL)
            if key == "team":
                text = texts("team.explanation")
            else:
                text = texts(f"base.explanation.sheets.{key}", **statements)
            self.text(sheet, row, 2, text, styles.BASE_WRAP)
            row += 1
        row += 1
        self.text(sheet, row, 1, texts("base.explanation.steps_heading"), styles.BASE_HEADING)
        row += 1
        for number, step in enumerate(texts.raw("base.explanation.steps"), start=1):
            self.text(sheet, row, 1, f"{number}.", styles.BASE_RIGHT)
            self.text(sheet, row, 2, step, styles.BASE_WRAP)
            row += 1

    def settings(self) -> None:
        headers = [*self.headers("settings"), self.texts("base.settings_help_header")]
        sheet = self.new_sheet(self.sheet_name("settings"), headers, (26, 40, 80))
        for row, key in enumerate(SETTINGS, start=2):
            self.text(sheet, row, 1, self.name(SETTINGS[key]), styles.BASE_BOLD)
            value = self.content.settings.get(key)
            number_format = None
            if isinstance(value, dt.date):
                number_format = self.date_format
            elif key in ("client_code", "period"):
                number_format = styles.TEXT
            self.put(sheet, row, 2, value, number_format)
            self.text(sheet, row, 3, self.texts(f"base.settings_help.{key}"), styles.BASE_HELP)
            if key == "language":
                self.validation(sheet, f"B{row}", "language", type="list", formula1='"nl,en"')
            elif key == "default_target":
                self.validation(
                    sheet,
                    f"B{row}",
                    "target",
                    type="decimal",
                    operator="between",
                    formula1="1",
                    formula2="10",
                )
            elif key.startswith("weight_"):
                self.validation(
                    sheet,
                    f"B{row}",
                    "weight",
                    type="decimal",
                    operator="between",
                    formula1="0.01",
                    formula2="100",
                )
            elif key == "anonymity_threshold":
                self.validation(
                    sheet, f"B{row}", "threshold", type="whole", operator="greaterThanOrEqual", formula1="2"
                )
            elif key in ("deadline", "session_date"):
                sheet.cell(row=row, column=2).number_format = self.date_format
                self.validation(sheet, f"B{row}", "date", type="date", operator="greaterThan", formula1="1")

    def respondents(self) -> None:
        sheet = self.new_sheet(
            self.sheet_name("respondents"), self.headers("respondents"), (24, 10, 34, 26, 40, 40, 8)
        )
        for row, values in enumerate(self.content.respondents, start=2):
            for column, value in enumerate(values, start=1):
                self.put(sheet, row, column, value or None)
        language = 1 + next(i for i, h in enumerate(HEADERS["respondents"]) if h.key == "language")
        letter = metrics.column_letter(language)
        self.validation(
            sheet, f"{letter}2:{letter}{INPUT_ROWS}", "respondent_language", type="list", formula1='"nl,en"'
        )

    def kwis(self) -> None:
        sheet = self.new_sheet(self.sheet_name("kwis"), self.headers("kwis"), (10, 24, 70, 8, 16))
        for row, values in enumerate(self.content.kwis, start=2):
            for column, value in enumerate(values, start=1):
                self.put(sheet, row, column, value if value != "" else None)
        self.validation(
            sheet,
            f"D2:D{INPUT_ROWS}",
            "target",
            type="decimal",
            operator="between",
            formula1="1",
            formula2="10",
        )

    def kwi_list(self) -> str:
        """The KWI codes of the KWI sheet, for the KWI dropdowns."""
        return f"{quote_sheetname(self.sheet_name('kwis'))}!$A$2:$A${INPUT_ROWS}"

    def questions(self) -> None:
        initials = [r[1] for r in self.content.respondents]
        headers = [*self.headers("questions"), *initials]
        sheet = self.new_sheet(self.sheet_name("questions"), headers, (10, 7, 70, *(6 for _ in initials)))
        for column in range(4, 4 + len(initials)):
            self.styled(sheet.cell(row=1, column=column), styles.BASE_MATRIX_HEADER)
        for row in range(2, INPUT_ROWS + 1):
            sheet.cell(row=row, column=2).number_format = styles.TEXT
        mark = "x"
        for row, (kwi, number, text) in enumerate(self.content.questions, start=2):
            self.put(sheet, row, 1, kwi)
            self.put(sheet, row, 2, number, styles.TEXT)
            self.put(sheet, row, 3, text)
            self.styled(sheet.cell(row=row, column=3), styles.BASE_WRAP)
            for column, ini in enumerate(initials, start=4):
                if number in self.content.assignment.get(ini, ()):
                    self.text(sheet, row, column, mark, styles.BASE_MARK)
        last = metrics.column_letter(3 + len(initials) + SPARE_RESPONDENT_COLUMNS)
        for column in range(4 + len(initials), 4 + len(initials) + SPARE_RESPONDENT_COLUMNS):
            sheet.column_dimensions[metrics.column_letter(column)].width = 6
        marks = '"x,yes,✓"' if self.english else '"x,ja,✓"'
        self.validation(
            sheet, f"D2:{last}{INPUT_ROWS}", "mark", type="list", formula1=marks, errorStyle="warning"
        )
        self.validation(
            sheet, f"A2:A{INPUT_ROWS}", "kwi", type="list", formula1=self.kwi_list(), errorStyle="warning"
        )
        self.validation(
            sheet, f"B2:B{INPUT_ROWS}", "number", type="textLength", operator="lessThan", formula1="20"
        )
        sheet.freeze_panes = "D2"

    def actions(self) -> None:
        sheet = self.new_sheet(
            self.sheet_name("actions"), self.headers("actions"), (10, 12, 60, 10, 10, 13, 12)
        )
        for row in range(2, INPUT_ROWS + 1):
            sheet.cell(row=row, column=1).number_format = styles.TEXT
            sheet.cell(row=row, column=2).number_format = self.date_format
            sheet.cell(row=row, column=7).number_format = self.date_format
        for row, (number, date, description, kwi, owner, status, deadline) in enumerate(
            self.content.actions, start=2
        ):
            self.put(sheet, row, 1, number, styles.TEXT)
            self.put(sheet, row, 2, date, self.date_format)
            self.put(sheet, row, 3, description)
            self.put(sheet, row, 4, kwi)
            self.put(sheet, row, 5, owner or None)
            self.put(sheet, row, 6, self.name(STATUSES[status]) if status in STATUSES else status)
            self.put(sheet, row, 7, deadline, self.date_format)
        words = ",".join(self.name(names) for names in STATUSES.values())
        self.validation(sheet, f"F2:F{INPUT_ROWS}", "status", type="list", formula1=f'"{words}"')
        self.validation(
            sheet, f"D2:D{INPUT_ROWS}", "kwi", type="list", formula1=self.kwi_list(), errorStyle="warning"
        )
        for column in ("B", "G"):
            self.validation(
                sheet,
                f"{column}2:{column}{INPUT_ROWS}",
                "date",
                type="date",
                operator="greaterThan",
                formula1="1",
            )

    def team(self) -> None:
        sheet = self.new_sheet(self.sheet_name("team"), self.headers("team"), (10, 26, 34, 26))
        for row, values in enumerate(self.content.team, start=2):
            for column, value in enumerate(values, start=1):
                self.put(sheet, row, column, value or None)

    def inspiration(self) -> None:
        header = [str(h) for h in self.texts.raw("base.inspiration.header")]
        sheet = self.new_sheet(self.texts("base.sheets.inspiration"), header, (42, 90))
        for row, (value, explanation) in enumerate(self.texts.raw("base.inspiration.values"), start=2):
            self.text(sheet, row, 1, str(value), styles.BASE_BOLD)
            self.text(sheet, row, 2, str(explanation), styles.BASE_WRAP)

    def a3(self) -> None:
        sheet = self.new_sheet(self.sheet_name("a3"), self.headers("a3"), (32, 80, 14, 14))
        row = 2
        for key, names in A3_BLOCKS.items():
            self.text(sheet, row, 1, self.name(names), styles.BASE_LABEL)
            self.put(sheet, row, 2, self.content.a3_blocks.get(key) or None)
            self.styled(sheet.cell(row=row, column=2), styles.BASE_WRAP)
            row += 1
        for key, names in A3_FIGURES.items():
            self.text(sheet, row, 1, self.name(names), styles.BASE_BOLD)
            last, this = self.content.a3_figures.get(key, (None, None))
            self.put(sheet, row, 3, last, styles.THOUSANDS)
            self.put(sheet, row, 4, this, styles.THOUSANDS)
            row += 1

    def build(self) -> Workbook:
        self.explanation()
        self.settings()
        self.respondents()
        self.kwis()
        self.questions()
        self.actions()
        self.team()
        self.inspiration()
        self.a3()
        for sheet in self.workbook.worksheets:
            fit_rows(sheet)
            # Printed, every sheet fits the width of an A4 page.
            sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
            sheet.page_setup.orientation = "landscape"
            sheet.page_setup.fitToWidth = 1
            sheet.page_setup.fitToHeight = 0
            sheet.sheet_properties.pageSetUpPr.fitToPage = True
        self.workbook.active = 0
        self.workbook.properties.creator = "kwm"
        return self.workbook


def build_base_workbook(content: BaseContent, texts: Texts) -> Workbook:
    return _Writer(content, texts).build()


def write_base(target: Path, content: BaseContent, texts: Texts, *, overwrite: bool = False) -> Path:
    """Write a base workbook atomically; refuses to overwrite an existing file unless asked."""
    if target.exists() and not overwrite:
        raise KwmError([problem("output_exists", Location(file=target.name), path=str(target))])
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise KwmError(
            [problem("output_failed", Location(file=target.name), path=str(target), reason=str(exc))]
        ) from exc
    return atomic_save(build_base_workbook(content, texts), target)
