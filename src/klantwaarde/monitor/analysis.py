"""8 Analyse: every question's figures against its KWI's target, respondents far from the overall
score, and the questions most often marked less relevant."""

from __future__ import annotations

from klantwaarde.monitor.context import label
from klantwaarde.monitor.sheet import Sheet
from klantwaarde.workbook import styles


def analysis(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    base = report.base
    targets = {k.code: k.target for k in report.kwis}
    sheet.widths(10, 7, 56, 8, 12, 12, 11, 11, 11, 11)
    row = sheet.title(ctx.t("analysis.title"))
    header = row
    labels = [
        ctx.col("kwi"),
        ctx.col("number"),
        ctx.col("question"),
        ctx.col("n"),
        ctx.col("q_mean"),
        ctx.col("q_score"),
        ctx.col("target"),
        ctx.col("less"),
        ctx.col("neutral"),
        ctx.col("more"),
    ]
    row = sheet.header(row, labels, centered_from=3)
    first = row
    shown = ctx.disclosure
    for q in report.questions:
        visible = shown.question_shown(q.number)
        sheet.put(row, 1, q.kwi_code)
        sheet.put(row, 2, q.number)
        sheet.put(row, 3, q.text, styles.WRAPPED)
        sheet.put(row, 4, ctx.value(q.n, visible), styles.COUNT_CELL)
        sheet.put(row, 5, ctx.value(q.mean, visible), styles.SCORE_CELL)
        sheet.put(row, 6, ctx.value(q.score, visible), styles.SCORE_CELL)
        target = targets.get(q.kwi_code)
        if target is None:
            kwi = base.kwi(q.kwi_code)
            target = base.target_for(kwi) if kwi else base.settings.default_target
        sheet.put(row, 7, target, styles.SCORE_CELL)
        sheet.put(row, 8, ctx.value(q.less, visible), styles.COUNT_CELL)
        sheet.put(row, 9, ctx.value(q.neutral, visible), styles.COUNT_CELL)
        sheet.put(row, 10, ctx.value(q.more, visible), styles.COUNT_CELL)
        sheet.fit_row(row, {3: q.text})
        row += 1
    if report.questions:
        sheet.below_target(f"F{first}:F{row - 1}", f"AND(ISNUMBER(F{first}),F{first}<G{first})")
    sheet.autofilter(header, row - 1, 10)
    if shown.withheld_questions:
        row = sheet.note(row, ctx.footnote)
    row = sheet.note(row, ctx.t("scores.below_note")) + 1

    # Respondents far from the overall score: the published report keeps only the overall scores
    # that may be shown.
    row = sheet.heading(row, ctx.t("analysis.outliers"))
    outliers = report.outliers()
    if outliers and report.overall is not None:
        row = sheet.header(
            row,
            [
                ctx.col("respondent"),
                "",
                "",
                ctx.col("own_score"),
                ctx.col("overall"),
                ctx.col("difference_overall"),
                ctx.col("direction"),
            ],
            centered_from=3,
        )
        for r in sorted(outliers, key=lambda r: -(r.overall or 0)):
            assert r.overall is not None
            sheet.merge(row, 1, 3)
            sheet.put(row, 1, label(r.name, r.initials))
            sheet.put(row, 4, r.overall, styles.SCORE_CELL)
            sheet.put(row, 5, report.overall, styles.SCORE_CELL)
            sheet.put(row, 6, r.overall - report.overall, styles.DIFF_CELL)
            higher = r.overall > report.overall
            sheet.put(row, 7, ctx.t("analysis.higher" if higher else "analysis.lower"), styles.CENTERED)
            row += 1
    elif shown.details_withheld:
        row = sheet.note(row, ctx.texts("disclosure.details", k=shown.threshold), 10)
    else:
        row = sheet.note(row, ctx.t("analysis.outliers_none"))
    row = sheet.note(row, ctx.t("analysis.outliers_note")) + 1

    row = sheet.heading(row, ctx.t("analysis.least_relevant"))
    least = report.least_relevant()
    if least:
        row = sheet.header(
            row,
            [
                ctx.col("kwi"),
                ctx.col("number"),
                ctx.col("question"),
                ctx.col("n"),
                ctx.col("less"),
                ctx.col("share_less"),
            ],
            centered_from=3,
        )
        for q in least:
            sheet.put(row, 1, q.kwi_code)
            sheet.put(row, 2, q.number)
            sheet.put(row, 3, q.text, styles.WRAPPED)
            sheet.put(row, 4, q.n, styles.COUNT_CELL)
            sheet.put(row, 5, q.less, styles.COUNT_CELL)
            sheet.put(row, 6, q.less / q.n if q.n else None, styles.PERCENT_CELL)
            sheet.fit_row(row, {3: q.text})
            row += 1
    else:
        sheet.note(row, ctx.t("analysis.least_relevant_none"))
    sheet.freeze(header + 1)
    # The question table often runs onto a second page: repeat its header row there.
    sheet.print_setup(landscape=True, title_rows=f"{header}:{header}")
