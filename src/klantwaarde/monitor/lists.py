"""The list sheets of the monitor: 9 Opmerkingen, 10 Actielijst, 11 Antwoorden, 12 Meldingen.

Remark authors and the respondent column of the answers are shown only where the disclosure
decision allows; problem messages and file names are scrubbed of anonymous respondents.
"""

from __future__ import annotations

from klantwaarde.monitor.sheet import Sheet
from klantwaarde.problems import Problem, Severity
from klantwaarde.report import AnswerRow
from klantwaarde.texts import Texts
from klantwaarde.workbook import styles


def remarks(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(5, 28, 80)
    row = sheet.title(ctx.t("remarks.title"))
    header = row
    row = sheet.header(row, ["#", ctx.col("respondent"), ctx.col("remark")])
    if not report.remarks:
        sheet.note(row, ctx.t("remarks.none"))
    for index, remark in enumerate(report.remarks, start=1):
        sheet.put(row, 1, index, styles.CENTERED)  # right-aligned, it ran into the name beside it
        sheet.put(row, 2, ctx.remark_author(remark))
        sheet.put(row, 3, remark.text, styles.WRAPPED)
        sheet.fit_row(row, {3: remark.text})
        row += 1
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=False, title_rows=f"{header}:{header}")


def actions(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    sheet.widths(10, 12, 52, 24, 10, 12, 12, 12)
    row = sheet.title(ctx.t("actions.title"))
    row = sheet.note(row - 1, ctx.t("actions.overdue_note", date=ctx.date_text(report.report_date))) + 1
    header = row
    keys = ["number", "date", "description_action", "kwi", "owner", "status", "deadline", "overdue"]
    row = sheet.header(row, [ctx.col(k) for k in keys], centered_from=5)
    if not base.actions:
        sheet.note(row, ctx.t("actions.none"))
    for action in base.actions:
        overdue = report.is_overdue(action)
        kwi = base.kwi(action.kwi_code)
        kwi_text = f"{action.kwi_code} · {kwi.title}" if kwi and kwi.title else action.kwi_code
        status_key = f"monitor.action_status.{action.status.strip().lower()}"
        status = ctx.texts(status_key) if ctx.texts.has(status_key) else action.status
        sheet.put(row, 1, action.number)
        sheet.date(row, 2, action.date)
        sheet.put(row, 3, action.description, styles.WRAPPED)
        sheet.put(row, 4, kwi_text, styles.WRAPPED)
        sheet.put(row, 5, action.owner, styles.CENTERED)
        sheet.put(row, 6, status, styles.CENTERED)
        sheet.date(row, 7, action.deadline)
        sheet.put(row, 8, ctx.t("yes") if overdue else None, styles.CENTERED)
        if overdue:
            for col in range(1, 9):
                sheet.restyle(row, col, styles.OVERDUE_ROW)
            for col in (7, 8):
                sheet.restyle(row, col, styles.OVERDUE_DATE)
        sheet.fit_row(row, {3: action.description, 4: kwi_text})
        row += 1
    sheet.long_table(header, row - 1, 8)


def answers(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(13, 10, 18, 7, 56, 9, 12, 9, 11)
    row = sheet.title(ctx.t("answers.title"))
    header = row
    keys = ["respondent", "kwi", "title", "number", "question", "grade", "relevance", "weight", "weighted"]
    sheet.header(header, [ctx.col(k) for k in keys], centered_from=5)

    def write(row: int, answer: AnswerRow) -> None:
        sheet.put(row, 1, ctx.respondent_text(answer.respondent, answer.question_number))
        sheet.put(row, 2, answer.kwi_code)
        sheet.put(row, 3, answer.kwi_title, styles.WRAPPED)
        sheet.put(row, 4, answer.question_number)
        sheet.put(row, 5, answer.question_text, styles.WRAPPED)
        sheet.put(row, 6, answer.grade, styles.CENTERED)
        sheet.put(row, 7, ctx.t(f"relevance.{answer.relevance.value}"), styles.CENTERED)
        sheet.put(row, 8, answer.weight, styles.WEIGHT_CELL)
        sheet.put(row, 9, answer.grade * answer.weight, styles.WEIGHT_CELL)
        sheet.fit_row(row, {5: answer.question_text, 3: answer.kwi_title})

    sheet.streamed_table(header, report.answers, 9, write)


def problems(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    texts = ctx.texts
    sheet.widths(10, 34, 14, 9, 80)
    row = sheet.title(ctx.t("problems.title"))
    header = row
    keys = ["severity", "file", "sheet", "cell", "message"]
    row = sheet.header(row, [ctx.col(k) for k in keys])
    ordered: list[Problem] = sorted(report.problems, key=lambda p: 0 if p.severity is Severity.ERROR else 1)
    if not ordered:
        sheet.note(row, ctx.t("problems.none"))
    for found in ordered:
        loc = found.location
        message = ctx.scrub(_message(texts, found))
        sheet.put(row, 1, texts.severity(found), styles.ERROR_CELL if found.is_error else styles.WARNING_CELL)
        sheet.put(row, 2, ctx.scrub(loc.file), styles.WRAPPED)
        sheet.put(row, 3, loc.sheet or "", styles.WRAPPED)
        sheet.put(row, 4, loc.cell, styles.CENTERED)
        sheet.put(row, 5, message, styles.WRAPPED)
        sheet.fit_row(row, {5: message, 2: loc.file})
        row += 1
    sheet.long_table(header, row - 1, 5)


def _message(texts: Texts, found: Problem) -> str:
    """The problem's sentence; its code when a template is missing, so the report is still written."""
    try:
        return texts.message(found)
    except KeyError:
        return found.code
