"""The overview sheets of the monitor: 1 Voorblad, 2 Respondenten, 3 KWI's, 4 Toewijzing.

Respondents and assignment are the only sheets that name every respondent, anonymous ones too:
they say who took part and who was asked what, never what anyone answered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from klantwaarde import metrics
from klantwaarde.monitor.sheet import Sheet
from klantwaarde.report import RespondentResult
from klantwaarde.workbook import styles


def cover(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    settings = report.base.settings
    sheet.widths(34, 16, 14, 14, 14)
    row = sheet.title(ctx.t("title"), ctx.t("subtitle", client=settings.client, period=settings.period))

    def pair(key: str, value: Any, style: styles.Style = styles.VALUE_CELL) -> None:
        nonlocal row
        sheet.put(row, 1, ctx.t(f"cover.{key}"), styles.LABEL_CELL)
        if value is None or value == "":
            sheet.put(row, 2, ctx.t("none"), styles.VALUE_CELL)
        elif isinstance(value, date):
            sheet.date(row, 2, value, styles.VALUE_CELL)
        else:
            sheet.put(row, 2, value, style)
        row += 1

    pair("client", settings.client)
    pair("client_code", settings.client_code)
    pair("supplier", settings.supplier)
    pair("period", settings.period)
    pair("account_manager", settings.account_manager)
    pair("report_date", report.report_date)
    pair("session_date", settings.session_date)

    row = sheet.heading(row + 1, ctx.t("cover.results"))
    shown = ctx.disclosure
    overall_row = row
    pair("overall", ctx.value(report.overall, shown.overall_shown), styles.KEY_SCORE)
    sheet.ws.row_dimensions[overall_row].height = 24
    if shown.overall_shown and report.overall_swing is not None:
        # ± beside the figure: how far leaving out one respondent moves it (SPEC 2.1)
        sheet.put(overall_row, 3, report.overall_swing, styles.KEY_SWING)
        sheet.put(overall_row, 4, ctx.t("cover.swing_beside"), styles.KEY_NOTE)
    if report.overall is not None:
        sheet.below_target(
            f"B{overall_row}", f"AND(ISNUMBER(B{overall_row}),B{overall_row}<B{overall_row + 2})"
        )
    pair("overall_mean", ctx.value(report.overall_mean, shown.overall_shown), styles.VALUE_SCORE)
    pair("default_target", settings.default_target, styles.VALUE_SCORE)
    nps = report.nps
    pair("nps", ctx.value(nps.nps, shown.nps_shown), styles.KEY_NPS)
    sheet.ws.row_dimensions[row - 1].height = 24
    if shown.nps_shown and nps.swing is not None:
        sheet.put(row - 1, 3, nps.swing, styles.KEY_NPS_SWING)
    if shown.nps_shown:
        counts = ctx.t(
            "cover.nps_counts",
            promoters=nps.promoters,
            passives=nps.passives,
            detractors=nps.detractors,
            n=nps.n,
        )
        # with so few respondents the NPS means little without n and the counts beside it
        sheet.put(row - 1, 4, counts, styles.KEY_NOTE)
    pair("response", ctx.t("cover.response_value", returned=report.returned, asked=report.asked))
    rate = report.returned / report.asked if report.asked else None
    pair("response_rate", rate, styles.VALUE_PERCENT)

    row = sheet.heading(row + 1, ctx.t("cover.kwi_summary"))
    labels = [ctx.col("kwi"), ctx.col("score"), ctx.col("swing"), ctx.col("target"), ctx.col("n_answers")]
    row = sheet.header(row, labels, 1, 1)
    first = row
    for kwi in report.kwis:
        name = f"{kwi.code} · {kwi.title}" if kwi.title else kwi.code
        visible = shown.kwi_shown(kwi.code)
        sheet.put(row, 1, name, styles.WRAPPED)
        sheet.put(row, 2, ctx.value(kwi.score, visible), styles.SCORE_CELL)
        sheet.put(row, 3, ctx.value(kwi.swing, visible), styles.SWING_CELL)
        sheet.put(row, 4, kwi.target, styles.SCORE_CELL)
        sheet.put(row, 5, ctx.value(kwi.n, visible), styles.COUNT_CELL)
        sheet.fit_row(row, {1: name})
        row += 1
    if report.kwis:
        sheet.below_target(
            metrics.range_ref(first, 2, row - 1, 2), f"AND(ISNUMBER(B{first}),B{first}<D{first})"
        )

    row += 1
    if not (shown.overall_shown and shown.nps_shown and all(shown.kwi_shown(k.code) for k in report.kwis)):
        row = sheet.note(row, ctx.footnote, 5)
    row = sheet.note(row, ctx.t("cover.explanation"), 5)
    sheet.note(row, ctx.t("cover.swing_explanation"), 5)
    sheet.print_setup(landscape=False, one_page=True)


def respondents(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(24, 10, 30, 22, 36, 10, 14)
    row = sheet.title(ctx.t("respondents.title"))
    row = sheet.note(row - 1, ctx.t("respondents.note")) + 1
    header = row
    labels = ["name", "initials", "email", "function", "remark", "asked_questions", "returned"]
    sheet.header(header, [ctx.col(k) for k in labels], centered_from=5)

    # Deliberately no 'anonymous' flag and no answer count: this sheet only says who took part.
    def write(row: int, r: RespondentResult) -> None:
        values = (r.name, r.initials, r.email, r.function, r.remark)
        for col, value in enumerate(values, start=1):
            sheet.put(row, col, value, styles.WRAPPED if col == 5 else styles.PLAIN)
        sheet.put(row, 6, r.asked, styles.COUNT_CELL)
        sheet.put(row, 7, ctx.yes_no(r.returned), styles.CENTERED)
        sheet.fit_row(row, {5: r.remark, 3: r.email})

    sheet.streamed_table(header, report.respondents, 7, write)


def kwis(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    sheet.widths(11, 24, 70, 11, 11)
    row = sheet.title(ctx.t("kwis.title"))
    header = row
    labels = [
        ctx.col("code"),
        ctx.col("title"),
        ctx.col("description"),
        ctx.col("target"),
        ctx.col("questions"),
    ]
    row = sheet.header(row, labels, centered_from=3)
    for kwi in base.kwis:
        sheet.put(row, 1, kwi.code)
        sheet.put(row, 2, kwi.title, styles.WRAPPED)
        sheet.put(row, 3, kwi.description, styles.WRAPPED)
        sheet.put(row, 4, base.target_for(kwi), styles.SCORE_CELL)
        sheet.put(row, 5, sum(1 for q in base.questions if q.kwi_code == kwi.code), styles.COUNT_CELL)
        sheet.fit_row(row, {2: kwi.title, 3: kwi.description})
        row += 1
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")


def assignment(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    people = [r.initials for r in base.respondents]
    last = 3 + len(people) + 1
    sheet.widths(10, 7, 62, *([7] * len(people)), 10)
    row = sheet.title(ctx.t("assignment.title"))
    row = sheet.note(row - 1, ctx.t("assignment.note")) + 1
    header = row
    labels = [ctx.col("kwi"), ctx.col("number"), ctx.col("question"), *people, ctx.col("total")]
    row = sheet.header(row, labels, centered_from=3)
    # Written ahead of the rows; each row (a column per respondent) is streamed out when done.
    sheet.freeze(header + 1, 4)
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
    sheet.extent(header + len(base.questions) + 1, last)
    mark = ctx.t("assignment.mark")
    for question in base.questions:
        sheet.flush(row - 1)
        sheet.put(row, 1, question.kwi_code)
        sheet.put(row, 2, question.number)
        sheet.put(row, 3, question.text, styles.WRAPPED)
        for offset, initials in enumerate(people):
            sheet.put(row, 4 + offset, mark if initials in question.assigned else None, styles.CENTERED)
        sheet.put(row, last, len(question.assigned), styles.COUNT_CELL)
        sheet.fit_row(row, {3: question.text})
        row += 1
    for col in (1, 2):
        sheet.put(row, col, None, styles.TOTAL_CELL)
    sheet.put(row, 3, ctx.t("assignment.per_respondent"), styles.TOTAL_CELL)
    for offset, initials in enumerate(people):
        count = sum(1 for q in base.questions if initials in q.assigned)
        sheet.put(row, 4 + offset, count, styles.TOTAL_COUNT_CENTERED)
    sheet.put(row, last, None, styles.TOTAL_CELL)
    sheet.autofilter(header, row - 1, last)
