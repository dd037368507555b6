"""The personal questionnaire (SPEC 3.2): one ``.xlsx`` per respondent with only their questions.

The layout serves two readers. People see a friendly A4 form: a title block, per KWI its title and
description with the respondent's statements, a Cijfer and Relevantie cell per statement and a
1-10 strip that lights up the chosen grade, then remarks, the NPS question and the anonymity
question. Programs see the **fill contract** (``klantwaarde.contract``): the sheet name, a header row
with the contract headers, the hidden ``Sleutel`` column keying every answerable row, and the
identity in the very hidden ``_kwm`` sheet and in custom document properties. The contract is what
must stay stable; the looks may change.

Columns: A Sleutel (hidden) · B Nr · C Vraag · D Cijfer · E Relevantie · F-O the 1-10 strip.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from klantwaarde import contract, metrics
from klantwaarde.mail import return_by_text
from klantwaarde.model import Base, Question, Respondent
from klantwaarde.register import new_form_id
from klantwaarde.texts import Texts
from klantwaarde.workbook import style_cache, styles
from klantwaarde.workbook.safe import atomic_save, set_text, without_control
from klantwaarde.workbook.style_cache import StyleCache, merge_cells

# Column letters of the layout (the contract only fixes the header names, not their places).
KEY, NUMBER, QUESTION, GRADE, RELEVANCE = "A", "B", "C", "D", "E"
STRIP = [metrics.column_letter(6 + i) for i in range(10)]  # F..O: grades 1..10
LAST = STRIP[-1]
# Hidden, right of the strip: the grade as text made plain, and 1 where kwm accepts the grade (the
# live counter adds these up, so it counts exactly what kwm will count; issue 17 item 8).
PLAIN, ACCEPTED = metrics.column_letter(16), metrics.column_letter(17)  # P, Q
WIDTHS = {KEY: 9.0, NUMBER: 11.5, QUESTION: 47.0, GRADE: 7.5, RELEVANCE: 10.5} | {c: 2.9 for c in STRIP}
# Row height per point of type and line: the form's rows are set a little tighter than
# metrics.line_height (its page breaks, ``page_breaks``, are estimated from these heights).
LEADING = 1.32


LANG_INDEX = {"nl": 0, "en": 1}


def headers(lang: str) -> dict[str, str]:
    """The contract header texts of ``lang``: logical column -> header."""
    index = LANG_INDEX.get(lang, 0)
    return {key: names[index] for key, names in contract.HEADERS.items()}


def title_label(key: str, lang: str) -> str:
    return contract.TITLE_LABELS[key][LANG_INDEX.get(lang, 0)]


def ordered_questions(base: Base, questions: Sequence[Question]) -> list[tuple[str, list[Question]]]:
    """Questions grouped per KWI: KWIs in the order of the KWI sheet, questions in base order."""
    codes = [k.code for k in base.kwis]
    for q in questions:  # a KWI the KWI sheet lacks (check reports it) still gets its group
        if q.kwi_code not in codes:
            codes.append(q.kwi_code)
    groups = [(code, [q for q in questions if q.kwi_code == code]) for code in codes]
    return [(code, qs) for code, qs in groups if qs]


def identity_values(base: Base, respondent: Respondent, *, form_id: str) -> dict[str, str]:
    """The identity stored in ``_kwm`` and the custom properties, keyed by ``IDENTITY_KEYS``.
    ``form_id`` is the form's own random id, as the register of issued forms records it."""
    settings = base.settings
    print_ = contract.fingerprint(q.number for q in base.questions_for(respondent.initials))
    return {
        "client_code": settings.client_code,
        "period": settings.period,
        "initials": respondent.initials,
        "form_version": contract.FORM_VERSION,
        "fingerprint": print_,
        "form_id": form_id,
    }


def write_questionnaire(
    base: Base,
    respondent: Respondent,
    texts: Texts,
    target: Path,
    *,
    now: datetime,
    form_id: str | None = None,
) -> Path:
    """Write the questionnaire of ``respondent`` to ``target`` (atomically) and return the path.
    Without ``form_id`` the form gets a new random one."""
    workbook = build_questionnaire(base, respondent, texts, now=now, form_id=form_id)
    return atomic_save(workbook, target)


def build_questionnaire(
    base: Base, respondent: Respondent, texts: Texts, *, now: datetime, form_id: str | None = None
) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = contract.QUESTIONNAIRE_SHEET.get(texts.lang, contract.QUESTIONNAIRE_SHEET["nl"])
    _FormWriter(sheet, base, respondent, texts).write()

    identity = identity_values(base, respondent, form_id=form_id or new_form_id())
    _write_identity(workbook, identity)
    props = workbook.properties
    props.creator = "kwm"
    props.title = clean_text(_title(base, texts))
    props.subject = clean_text(respondent.label)
    props.created = now
    props.lastModifiedBy = "kwm"
    # Sheets cannot be renamed, added or unhidden: the fill contract (sheet name, _kwm) stays intact.
    workbook.security = WorkbookProtection(lockStructure=True)
    workbook.active = 0
    return workbook


def _title(base: Base, texts: Texts) -> str:
    s = base.settings
    return texts("generate.form.title", code=s.client_code, period=s.period)


def _write_identity(workbook: Workbook, identity: dict[str, str]) -> None:
    hidden = workbook.create_sheet(contract.IDENTITY_SHEET)
    for row, key in enumerate(contract.IDENTITY_KEYS, start=1):
        set_text(hidden.cell(row=row, column=1), key)
        set_text(hidden.cell(row=row, column=2), clean_text(identity[key]))
    hidden.column_dimensions["A"].width = 16
    hidden.column_dimensions["B"].width = 40
    hidden.sheet_state = "veryHidden"
    for key in contract.IDENTITY_KEYS:
        workbook.custom_doc_props.append(
            StringProperty(name=contract.PROPERTY_PREFIX + key, value=clean_text(identity[key]))
        )


class _FormWriter:
    """Writes the answer sheet top to bottom; ``row`` is the next free row."""

    def __init__(self, sheet: Worksheet, base: Base, respondent: Respondent, texts: Texts):
        self.ws = sheet
        self.base = base
        self.respondent = respondent
        self.texts = texts
        self.row = 1
        self.last_row = 1
        self.blocks: list[tuple[int, int]] = []  # row ranges a page break should not split
        self.styles = StyleCache()
        s = base.settings
        self.values = {
            "code": s.client_code,
            "period": s.period,
            "client": s.client,
            "supplier": s.supplier,
            "respondent": respondent.label,
            "sender": s.account_manager or s.supplier,
            "return_by": return_by_text(s.deadline, texts),
        }
        v = "generate.form.validation."
        self.grade_rule = self._validation("whole", v + "grade", "1", "10")
        self.relevance_rule = self._validation("list", v + "relevance", '"<,N,>"')
        self.nps_rule = self._validation("whole", v + "nps", "0", "10")
        yes, no = texts("generate.form.yes_word"), texts("generate.form.no_word")
        self.anonymous_rule = self._validation("list", v + "anonymous", f'"{yes},{no}"')
        self.remark_rule = self._validation(None, v + "remark")

    # -- helpers ---------------------------------------------------------------------------

    def t(self, key: str) -> str:
        return self.texts(f"generate.form.{key}", **self.values)

    def cell(self, column: str, value: object = None, style: styles.Style | None = None) -> Any:
        cell = self.ws.cell(row=self.row, column=_index(column))
        if value is not None:
            set_text(cell, clean_text(value) if isinstance(value, str) else value)
        if style is not None:
            self.styles.apply(cell, style)
        return cell

    def band(self, first: str, last: str, fill: styles.Style) -> None:
        for index in range(_index(first), _index(last) + 1):
            self.styles.apply(self.ws.cell(row=self.row, column=index), fill)

    def merge(self, first: str, last: str) -> None:
        merge_cells(self.ws, f"{first}{self.row}:{last}{self.row}", self.styles)

    def height(self, points: float) -> None:
        self.ws.row_dimensions[self.row].height = points

    def _validation(self, kind: str | None, key: str, low: str | None = None, high: str | None = None) -> Any:
        texts = self.texts
        rule = DataValidation(
            type=kind,
            operator="between" if kind == "whole" else None,
            formula1=low,
            formula2=high,
            allow_blank=True,
            showErrorMessage=kind is not None,
            showInputMessage=True,
            promptTitle=texts(f"{key}_title")[:32],
            prompt=texts(f"{key}_prompt")[:255],
        )
        if kind is not None:
            rule.errorTitle = texts(f"{key}_error_title")[:32]
            rule.error = texts(f"{key}_error")[:255]
            rule.errorStyle = "stop"
        self.ws.add_data_validation(rule)
        return rule

    def input_cell(
        self, column: str, value: object = None, rule: Any = None, style: styles.Style = styles.FORM_INPUT
    ) -> Any:
        cell = self.cell(column, value, style)
        if rule is not None:
            rule.add(cell.coordinate)
        return cell

    # -- the sheet -------------------------------------------------------------------------

    def write(self) -> None:
        ws = self.ws
        for column, width in WIDTHS.items():
            ws.column_dimensions[column].width = width
        ws.column_dimensions[KEY].hidden = True
        ws.column_dimensions[PLAIN].hidden = True
        ws.column_dimensions[ACCEPTED].hidden = True
        ws.sheet_view.showGridLines = False
        ws.sheet_view.zoomScale = 100

        questions = self.base.questions_for(self.respondent.initials)
        self.title_block()
        counter_row = self.row - 2  # filled in once the question rows are known
        self.instructions()
        header_row = self.header_row()
        first, last = self.question_rows(questions)
        self.closing()
        self.counter(counter_row, first, last, len(questions))
        self.strip_highlight(first, last)
        self.page_setup(header_row)
        self.protect()
        start = f"{GRADE}{first}" if questions else f"{GRADE}{header_row + 1}"
        ws.sheet_view.selection[0].activeCell = start
        ws.sheet_view.selection[0].sqref = start

    def title_block(self) -> None:
        s = self.base.settings
        self.cell(NUMBER, self.t("title"), styles.FORM_TITLE)
        self.height(26)
        self.row += 1
        self.cell(NUMBER, self.t("subtitle"), styles.FORM_SUBTITLE)
        self.row += 1
        self.height(8)
        self.row += 1
        lang = self.texts.lang
        rows = [
            (self.t("labels.client"), s.client),
            (title_label("client_code", lang), s.client_code),
            (title_label("period", lang), s.period),
            (title_label("respondent", lang), self.respondent.label),
            (self.t("labels.deadline"), self.values["return_by"]),
            (self.t("labels.progress"), None),  # the live counter
        ]
        for label, value in rows:
            self.cell(NUMBER, label, styles.FORM_LABEL)
            self.cell(QUESTION, value, styles.FORM_VALUE)
            self.row += 1
        self.height(8)
        self.row += 1

    def instructions(self) -> None:
        lines = self.texts.raw("generate.form.instructions")
        for line in lines if isinstance(lines, list) else [lines]:
            text = str(line).format_map(_Keep(self.values))
            self.cell(NUMBER, "•", styles.FORM_BULLET)
            self.cell(QUESTION, text, styles.FORM_TEXT)
            self.merge(QUESTION, LAST)
            self.height(_rows_height(text, _span(QUESTION, LAST), padding=3))
            self.row += 1
        self.height(10)
        self.row += 1

    def header_row(self) -> int:
        names = headers(self.texts.lang)
        for column, key in zip((KEY, NUMBER, QUESTION, GRADE, RELEVANCE), contract.HEADERS, strict=True):
            style = styles.FORM_HEADER_LEFT if key == "question" else styles.FORM_HEADER
            self.cell(column, names[key], style)
        self.cell(STRIP[0], self.t("strip"), styles.FORM_STRIP_HEADER)
        self.band(STRIP[0], LAST, styles.FORM_NAVY_BAND)
        self.merge(STRIP[0], LAST)
        self.height(22)
        row = self.row
        self.row += 1
        return row

    def question_rows(self, questions: Sequence[Question]) -> tuple[int, int]:
        first = self.row
        for code, group in ordered_questions(self.base, questions):
            start = self.row
            self.kwi_header(code)
            for question in group:
                self.question(question)
            self.blocks.append((start, self.row - 1))
        return first, max(first, self.row - 1)

    def kwi_header(self, code: str) -> None:
        kwi = self.base.kwi(code)
        self.height(6)
        self.row += 1
        self.cell(NUMBER, code, styles.FORM_KWI_CODE)
        self.cell(QUESTION, kwi.title if kwi else "", styles.FORM_KWI_TITLE)
        self.band(NUMBER, LAST, styles.FORM_BLUE_BAND)
        self.height(19)
        self.row += 1
        if kwi and kwi.description:
            self.cell(QUESTION, kwi.description, styles.FORM_KWI_DESCRIPTION)
            self.merge(QUESTION, LAST)
            self.band(NUMBER, LAST, styles.FORM_PALE_BAND)
            self.height(_rows_height(kwi.description, _span(QUESTION, LAST), size=9.5, padding=4))
            self.row += 1

    def question(self, question: Question) -> None:
        self.cell(KEY, question.number, styles.FORM_KEY)
        self.cell(NUMBER, question.number, styles.FORM_NUMBER)
        self.cell(QUESTION, question.text, styles.FORM_QUESTION)
        self.input_cell(GRADE, rule=self.grade_rule)
        self.input_cell(RELEVANCE, "N", rule=self.relevance_rule)
        for grade, column in enumerate(STRIP, start=1):
            self.cell(column, grade, styles.FORM_STRIP)
        grade_cell = f"{GRADE}{self.row}"
        self.ws[f"{PLAIN}{self.row}"] = "=" + plain_grade_text(grade_cell)
        self.ws[f"{ACCEPTED}{self.row}"] = "=" + accepted_grade(grade_cell, f"{PLAIN}{self.row}")
        # An explicit height: rows must be roomy for the input cells, and estimated for a font
        # wider than Calibri so that nothing is cut off whatever font the reader has.
        self.height(_answer_row_height(question.text))
        self.row += 1

    def closing(self) -> None:
        start = self.row
        self.height(6)
        self.row += 1
        self.cell(NUMBER, self.t("closing"), styles.FORM_CLOSING)
        self.band(NUMBER, LAST, styles.FORM_BLUE_BAND)
        self.height(19)
        self.row += 1

        # remark: a large input box spanning Cijfer to the end of the strip
        self.cell(KEY, contract.KEY_REMARK, styles.FORM_KEY)
        text = self.t("remark")
        self.cell(QUESTION, text, styles.FORM_TEXT)
        self.input_cell(GRADE, rule=self.remark_rule, style=styles.FORM_REMARK_INPUT)
        for column in [RELEVANCE, *STRIP]:
            self.cell(column, style=styles.FORM_INPUT_SPAN)
        self.merge(GRADE, LAST)
        self.height(96)
        self.row += 1

        self.cell(KEY, contract.KEY_NPS, styles.FORM_KEY)
        text = self.t("nps")
        self.cell(QUESTION, text, styles.FORM_QUESTION)
        self.input_cell(GRADE, rule=self.nps_rule)
        self.height(_answer_row_height(text))
        self.row += 1

        self.cell(KEY, contract.KEY_ANONYMOUS, styles.FORM_KEY)
        text = self.t("anonymous")
        self.cell(QUESTION, text, styles.FORM_QUESTION)
        self.input_cell(GRADE, self.texts("generate.form.no_word"), rule=self.anonymous_rule)
        self.height(_answer_row_height(text))
        self.row += 1

        self.height(10)
        self.row += 1
        self.cell(NUMBER, self.t("thanks"), styles.FORM_THANKS)
        self.height(20)
        self.last_row = self.row
        self.blocks.append((start, self.row))
        self.row += 1

    def counter(self, row: int, first: int, last: int, total: int) -> None:
        """``x van y beantwoord``: a live formula counting valid grades in the question rows."""
        marker = "\x00"
        template = self.texts("generate.form.counter", answered=marker, total=total)
        before, _, after = template.partition(marker)
        count = f"SUM({ACCEPTED}{first}:{ACCEPTED}{last})"
        parts = [_quoted(before)] if before else []
        parts.append(count)
        if after:
            parts.append(_quoted(after))
        cell = self.ws[f"{QUESTION}{row}"]
        cell.value = "=" + "&".join(parts)
        self.styles.apply(cell, styles.FORM_COUNTER)

    def strip_highlight(self, first: int, last: int) -> None:
        """The chosen grade lights up in the 1-10 strip; the grades below it tint like a bar.
        The Cijfer cell turns green once it holds a grade, so open questions stand out."""
        anchor = f"{STRIP[0]}{first}"
        grade = f"${GRADE}{first}"
        area = f"{STRIP[0]}{first}:{LAST}{last}"
        rules = self.ws.conditional_formatting
        rules.add(
            area,
            FormulaRule(
                formula=[f"AND(ISNUMBER({grade}),{anchor}={grade})"],
                fill=style_cache.fill(styles.FORM_BLUE),
                font=style_cache.font(styles.FORM_CHOSEN_FONT),
                stopIfTrue=True,
            ),
        )
        rules.add(
            area,
            FormulaRule(
                formula=[f"AND(ISNUMBER({grade}),{anchor}<{grade})"],
                fill=style_cache.fill(styles.STRIP_BELOW_FILL),
            ),
        )
        rules.add(
            f"{GRADE}{first}:{GRADE}{last}",
            FormulaRule(
                formula=[f"AND(ISNUMBER({GRADE}{first}),{GRADE}{first}>=1,{GRADE}{first}<=10)"],
                fill=style_cache.fill(styles.DONE_FILL),
            ),
        )

    def page_setup(self, header_row: int) -> None:
        ws = self.ws
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = ws.ORIENTATION_PORTRAIT
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.horizontalCentered = True
        ws.page_margins.left = ws.page_margins.right = 0.5
        ws.page_margins.top = 0.6
        ws.page_margins.bottom = 0.75
        ws.page_margins.footer = 0.3
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.print_area = f"{NUMBER}1:{LAST}{self.last_row}"
        footer = _header_footer_text(self.t("footer"))
        ws.oddFooter.left.text = footer
        ws.oddFooter.left.size = 8
        ws.oddFooter.right.text = self.texts("generate.form.page", page="&P", pages="&N")
        ws.oddFooter.right.size = 8
        for row in page_breaks(ws, self.blocks, header_row):
            ws.row_breaks.append(Break(id=row))

    def protect(self) -> None:
        protection = self.ws.protection
        protection.sheet = True  # no password: protection guards against slips, not people
        protection.formatRows = False  # a respondent may make a row taller for a long remark
        protection.formatColumns = False
        # Tab jumps from input to input.
        protection.selectLockedCells = True
        protection.selectUnlockedCells = False


# Page geometry (points): A4 portrait minus the margins set in ``page_setup``.
A4_WIDTH, A4_HEIGHT = 595.3, 841.9
PRINTABLE_WIDTH = A4_WIDTH - 72 * (0.5 + 0.5)
PRINTABLE_HEIGHT = A4_HEIGHT - 72 * (0.6 + 0.75)
DEFAULT_ROW = 15.0


def print_scale() -> float:
    """The fit-to-width scale: printed width of the visible columns (B..O) against the paper."""
    pixels = sum(width * 7 + 5 for column, width in WIDTHS.items() if column != KEY)
    return float(min(1.0, PRINTABLE_WIDTH / (pixels * 0.75)))


def page_breaks(ws: Worksheet, blocks: Sequence[tuple[int, int]], header_row: int) -> list[int]:
    """Rows after which to break the page so that a KWI (and the closing questions) is not split
    over two pages, where it fits on one. Estimated from the row heights and the print scale,
    with room to spare for printers and fonts that differ."""

    def height(first: int, last: int) -> float:
        return sum(ws.row_dimensions[r].height or DEFAULT_ROW for r in range(first, last + 1))

    capacity = PRINTABLE_HEIGHT / print_scale() * 0.93
    repeated = height(header_row, header_row)
    used = height(1, blocks[0][0] - 1) if blocks else 0.0
    breaks = []
    for first, last in blocks:
        needed = height(first, last)
        if used + needed > capacity and used > repeated:
            breaks.append(first - 1)
            used = repeated
        used += needed
        while used > capacity:  # a block longer than a page simply runs on
            used -= capacity - repeated
    return breaks


class _Keep(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _index(column: str) -> int:
    return metrics.column_index(column)


def _span(first: str, last: str) -> float:
    return float(sum(WIDTHS[metrics.column_letter(i)] for i in range(_index(first), _index(last) + 1)))


def _rows_height(text: str, width: float, size: float = 10, padding: float = 6) -> float:
    """Row height (points) for a wrapped text of ``size`` points in a column ``width`` wide."""
    return round(metrics.text_lines(text, width, size=size) * size * LEADING + padding, 2)


def _answer_row_height(text: str) -> float:
    """A question's row (10 pt text beside the input cells): room for every line, at least 20 pt."""
    return max(20.0, _rows_height(text, WIDTHS[QUESTION]))


def clean_text(text: str) -> str:
    """Text without the control characters a workbook cannot hold (they would stop the save), with
    every line break as one ``\\n`` (a lone carriage return reads back differently per program)."""
    return without_control(text).replace("\r\n", "\n").replace("\r", "\n")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _header_footer_text(text: str) -> str:
    """Header/footer codes start with ``&``: a literal ampersand is doubled; Excel allows 255 chars."""
    return clean_text(text).replace("&", "&&")[:200]


# ---------------------------------------------------------------------------------------------
# The grade kwm accepts, as a spreadsheet formula (Excel and LibreOffice alike, no LET, no arrays)


def plain_grade_text(cell: str) -> str:
    """A formula (without ``=``): a text grade trimmed (tabs, line breaks and no-break spaces too),
    one leading ``+`` dropped and a decimal comma
    made a point (`` +7,0 `` -> ``7.0``); "" for anything that is not text."""
    spaced = cell
    for blank in (
        "CHAR(9)",
        "CHAR(10)",
        "CHAR(13)",
        "_xlfn.UNICHAR(160)",
    ):  # tab, line breaks, no-break space (Excel 2013+)
        spaced = f'SUBSTITUTE({spaced},{blank}," ")'
    trimmed = f"TRIM({spaced})"
    unsigned = f'IF(LEFT({trimmed},1)="+",MID({trimmed},2,99),{trimmed})'
    return f'IF(ISTEXT({cell}),SUBSTITUTE({unsigned},",","."),"")'


def accepted_grade(cell: str, plain: str) -> str:
    """A formula (without ``=``): 1 when ``cell`` holds a grade kwm accepts, else 0 - the rule of
    ``normalise.grade``: a whole number 1..10, as a number or as text such as `` 8 ``, ``7,0`` or
    ``7.00`` (``plain`` is the cell holding ``plain_grade_text(cell)``). Locale-free: VALUE only ever
    sees digits."""
    dot = f'FIND(".",{plain})'
    whole = f"IF(ISERROR({dot}),{plain},LEFT({plain},{dot}-1))"
    after = f'IF(ISERROR({dot}),"",MID({plain},{dot}+1,99))'
    no_digits = whole
    for digit in "0123456789":
        no_digits = f'SUBSTITUTE({no_digits},"{digit}","")'
    text_ok = (
        f'AND(LEN({whole})>=1,LEN({whole})<=9,{no_digits}="",SUBSTITUTE({after},"0","")="",'
        f"VALUE({whole})>=1,VALUE({whole})<=10)"
    )
    number_ok = (
        f"AND(ABS({cell}-ROUND({cell},0))<=0.000000001*MAX(1,ABS({cell})),"
        f"ROUND({cell},0)>=1,ROUND({cell},0)<=10)"
    )
    return f"IF(ISNUMBER({cell}),IF({number_ok},1,0),IF(ISTEXT({cell}),IF(IFERROR({text_ok},FALSE),1,0),0))"
