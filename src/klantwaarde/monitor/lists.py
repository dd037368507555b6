"""The list sheets of the monitor: 9 Opmerkingen, 10 Actielijst, 11 Antwoorden.

The report is the published one: remark authors and the respondent column of the answers are
there only where the disclosure decision allows (a dash otherwise), answers of withheld questions
are not there at all, and the order of remarks and answers never follows the respondent list.
"""

from __future__ import annotations

from klantwaarde.monitor.sheet import Sheet
from klantwaarde.report import AnswerRow
from klantwaarde.workbook import styles


def remarks(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(5, 28, 80)
    row = sheet.title(ctx.t("remarks.title"))
    shown = ctx.disclosure
    if not shown.remarks_shown:
        row = sheet.note(row - 1, ctx.texts("disclosure.remarks"), 3) + 1
    elif not shown.remark_authors_shown:
        row = sheet.note(row - 1, ctx.texts("disclosure.remark_authors"), 3) + 1
    header = row
    row = sheet.header(row, ["#", ctx.col("respondent"), ctx.col("remark")])
    if not report.remarks and shown.remarks_shown:
        sheet.note(row, ctx.t("remarks.none"))
    anonymous = ctx.t("anonymous") if shown.remark_authors_shown else ctx.dash
    for index, remark in enumerate(report.remarks, start=1):
        sheet.put(row, 1, index, styles.CENTERED)  # right-aligned, it ran into the name beside it
        sheet.put(row, 2, remark.respondent if remark.respondent is not None else anonymous)
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
    sheet.widths(22, 10, 18, 7, 56, 9, 12, 9, 11)
    row = sheet.title(ctx.t("answers.title"))
    withheld = [q.number for q in report.questions if not ctx.disclosure.question_shown(q.number)]
    if withheld:
        text = ctx.texts("disclosure.questions", numbers=", ".join(withheld))
        row = sheet.note(row - 1, text, 9) + 1
    header = row
    keys = ["respondent", "kwi", "title", "number", "question", "grade", "relevance", "weight", "weighted"]
    sheet.header(header, [ctx.col(k) for k in keys], centered_from=5)

    def write(row: int, answer: AnswerRow) -> None:
        sheet.put(row, 1, ctx.person(answer.respondent))
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
