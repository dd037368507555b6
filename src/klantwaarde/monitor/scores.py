"""The score sheets of the monitor: 5 KWI-scores, 6 Trend, 7 NPS, each with its chart.

The report is the published one: figures the disclosure decision withholds are a dash with the
footnote, scores per respondent appear only where they may; pooled figures always include the
anonymous answers.
"""

from __future__ import annotations

from klantwaarde import metrics
from klantwaarde.monitor import charts
from klantwaarde.monitor.context import label
from klantwaarde.monitor.sheet import Sheet
from klantwaarde.report import TrendLine
from klantwaarde.scoring import nps_category
from klantwaarde.workbook import styles


def scores(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    kwis = report.kwis
    sheet.widths(26, 22, 13, 13, 13, 13, 14, 14, 14, *([12] * max(0, len(kwis) - 7)))
    row = sheet.title(ctx.t("scores.title"))
    header = row
    labels = ["code", "kwi", "mean", "score", "target", "difference", "n_answers", "n_respondents", "swing"]
    row = sheet.header(row, [ctx.col(k) for k in labels], centered_from=2)
    sheet.freeze(header + 1)
    sheet.print_setup(landscape=True, one_page=True)
    first = row
    shown = ctx.disclosure
    for kwi in kwis:
        visible = shown.kwi_shown(kwi.code)
        diff = kwi.score - kwi.target if kwi.score is not None else None
        sheet.put(row, 1, kwi.code)
        sheet.put(row, 2, kwi.title or kwi.code, styles.WRAPPED)
        sheet.put(row, 3, ctx.value(kwi.mean, visible), styles.SCORE_CELL)
        sheet.put(row, 4, ctx.value(kwi.score, visible), styles.SCORE_CELL)
        sheet.put(row, 5, kwi.target, styles.SCORE_CELL)
        sheet.put(row, 6, ctx.value(diff, visible), styles.DIFF_CELL)
        sheet.put(row, 7, ctx.value(kwi.n, visible), styles.COUNT_CELL)
        sheet.put(row, 8, ctx.value(kwi.n_respondents, visible), styles.COUNT_CELL)
        sheet.put(row, 9, ctx.value(kwi.swing, visible), styles.SWING_CELL)
        sheet.fit_row(row, {2: kwi.title})
        row += 1
    last_kwi = row - 1
    target = report.base.settings.default_target
    overall_diff = report.overall - target if report.overall is not None else None
    overall = shown.overall_shown
    sheet.put(row, 1, ctx.col("overall"), styles.TOTAL_CELL)
    sheet.put(row, 2, None, styles.TOTAL_CELL)
    sheet.put(row, 3, ctx.value(report.overall_mean, overall), styles.TOTAL_SCORE)
    sheet.put(row, 4, ctx.value(report.overall, overall), styles.TOTAL_SCORE)
    sheet.put(row, 5, target, styles.TOTAL_SCORE)
    sheet.put(row, 6, ctx.value(overall_diff, overall), styles.TOTAL_DIFF)
    sheet.put(row, 7, ctx.value(len(report.answers), overall), styles.TOTAL_COUNT)
    sheet.put(row, 8, report.returned, styles.TOTAL_COUNT)
    sheet.put(row, 9, ctx.value(report.overall_swing, overall), styles.TOTAL_SWING)
    sheet.below_target(f"D{first}:D{row}", f"AND(ISNUMBER(D{first}),D{first}<E{first})")
    row += 1
    if not overall or not all(shown.kwi_shown(k.code) for k in kwis):
        row = sheet.note(row, ctx.footnote)
    row = sheet.note(row, ctx.t("scores.below_note"))
    row = sheet.note(row, ctx.t("scores.swing_note")) + 1

    # Respondent x KWI: the published report holds only the scores that may be shown.
    row = sheet.heading(row, ctx.t("scores.per_respondent"))
    named = [
        r
        for r in report.respondents
        if r.returned and (r.overall is not None or any(r.initials in k.respondents for k in kwis))
    ]
    if named:
        row = sheet.header(row, [ctx.col("respondent"), *[k.code for k in kwis], ctx.col("overall")], 1, 1)
        top = row
        for r in named:
            sheet.put(row, 1, label(r.name, r.initials))
            for offset, kwi in enumerate(kwis):
                sheet.put(row, 2 + offset, kwi.respondents.get(r.initials), styles.SCORE_CELL)
            sheet.put(row, 2 + len(kwis), r.overall, styles.SCORE_CELL)
            row += 1
        for offset, kwi in enumerate(kwis):
            letter = metrics.column_letter(2 + offset)
            sheet.below_target(
                f"{letter}{top}:{letter}{row - 1}", f"AND(ISNUMBER({letter}{top}),{letter}{top}<{kwi.target})"
            )
        row = sheet.note(row, ctx.t("scores.per_respondent_note")) + 1
    elif shown.details_withheld:
        row = sheet.note(row, ctx.texts("disclosure.details", k=shown.threshold), 8) + 1
    else:
        row = sheet.note(row, ctx.t("scores.no_named")) + 1

    if kwis:
        charts.add_chart(
            sheet.ws,
            charts.ClusteredColumns(
                title=ctx.t("scores.chart_title"),
                data=charts.Cells(header, 3, last_kwi, 5),  # mean, score and target, named in the header
                categories=charts.Cells(first, 2, last_kwi, 2),
                anchor=f"A{row}",
                width=24,
                height=10,
                y_axis=charts.grade_axis(ctx.t("scores.axis_grade"), 0),
                colours=(styles.MEAN_COLOUR, styles.SCORE_COLOUR, styles.TARGET_COLOUR),
                labelled=(1,),
                label_format=styles.SCORE_LABEL,
                gap_width=80,
                overlap=-5,
            ),
        )


def trend(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    trend = report.trend
    periods = trend.periods
    compared = len(periods) >= 2  # the latest period against the one before: change and mark
    change_col = 3 + len(periods)
    sheet.widths(
        12, 26, *([11] * len(periods)), *((13, 8) if compared else ()), *([11] * max(0, 6 - len(periods)))
    )
    row = sheet.title(ctx.t("trend.title"))
    header = row
    labels = [ctx.col("code"), ctx.col("kwi"), *periods]
    if compared:
        labels += [ctx.col("change"), ctx.col("mark")]
    row = sheet.header(row, labels, centered_from=2)
    first = row

    def change(line: TrendLine, style: styles.Style) -> None:
        found = line.change() if compared else None
        if found is not None:
            sheet.put(row, change_col, found.delta, style)
            sheet.put(row, change_col + 1, found.mark, styles.MARK_CELL)
        elif compared:
            sheet.put(row, change_col, None, style)
            sheet.put(row, change_col + 1, None, styles.MARK_CELL)

    for line in trend.kwis:
        sheet.put(row, 1, line.code)
        sheet.put(row, 2, line.title or line.code, styles.WRAPPED)
        for offset, value in enumerate(line.values):
            sheet.put(row, 3 + offset, value, styles.SCORE_CELL)
        change(line, styles.DIFF_CELL)
        sheet.fit_row(row, {2: line.title})
        row += 1
    overall_row = row
    extra: list[tuple[str, TrendLine, styles.Style, styles.Style, styles.Style | None]] = [
        (ctx.col("overall"), trend.overall, styles.TOTAL_CELL, styles.TOTAL_SCORE, styles.TOTAL_DIFF),
        (ctx.t("trend.nps"), trend.nps, styles.PLAIN, styles.NPS_CELL, styles.NPS_CHANGE_CELL),
        (ctx.t("trend.returned"), trend.returned, styles.PLAIN, styles.COUNT_CELL, None),
        (ctx.t("trend.asked"), trend.asked, styles.PLAIN, styles.COUNT_CELL, None),
    ]  # label, line, label style, value style, change style (None: no change shown)
    for text, line, label_style, value_style, change_style in extra:
        sheet.put(row, 1, None, label_style)
        sheet.put(row, 2, text, label_style)
        for offset, value in enumerate(line.values):
            sheet.put(row, 3 + offset, value, value_style)
        if change_style is not None:
            change(line, change_style)
        row += 1
    width = max(2 + len(periods) + 2 * compared, 6)
    row = sheet.note(row, ctx.t("trend.note"), width)
    if compared:
        row = sheet.note(row, ctx.t("trend.noise_note"), width)
    row += 1

    if len(periods) < 2:
        only = periods[0] if periods else report.base.settings.period
        sheet.put(row, 1, ctx.t("trend.single_period", period=only), styles.HEADING_CELL)
    else:
        colours = styles.LINE_COLOURS
        lines = tuple(charts.Line(colours[index % len(colours)]) for index in range(len(trend.kwis)))
        charts.add_chart(
            sheet.ws,
            charts.Lines(
                title=ctx.t("trend.chart_title"),
                data=charts.Cells(first, 2, overall_row, 2 + len(periods)),  # a KWI per row, then overall
                categories=charts.Cells(header, 3, header, 2 + len(periods)),
                anchor=f"A{row}",
                width=24,
                height=11,
                y_axis=charts.grade_axis(ctx.t("scores.axis_grade"), 1),
                x_axis=charts.Axis(ctx.t("trend.axis_period")),
                lines=(*lines, charts.Line(styles.OVERALL_COLOUR, width=3, dashed=True)),
            ),
        )
    sheet.freeze(header + 1, 3)
    sheet.print_setup(landscape=True, one_page=True)


def nps(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    nps = report.nps
    sheet.widths(30, 18, 14, 3)  # 18: "NPS answer (0–10)" fits on one line
    row = sheet.title(ctx.t("nps.title"))
    row = sheet.note(row - 1, ctx.t("nps.question")) + 1

    row = sheet.heading(row, ctx.t("nps.summary"))
    visible = ctx.disclosure.nps_shown
    sheet.put(row, 1, ctx.t("nps.nps_label"), styles.LABEL_CELL)
    shown_nps = nps.nps if nps.nps is not None else ctx.t("none")
    sheet.put(row, 2, ctx.value(shown_nps, visible), styles.KEY_NPS_RIGHT)
    sheet.ws.row_dimensions[row].height = 24
    row += 1
    sheet.put(row, 1, ctx.t("nps.n_label"), styles.LABEL_CELL)
    sheet.put(row, 2, ctx.value(nps.n, visible), styles.COUNT_CELL)
    row += 1
    sheet.put(row, 1, ctx.t("nps.swing_label"), styles.LABEL_CELL)
    sheet.put(
        row,
        2,
        ctx.value(nps.swing, visible) if nps.swing is not None else ctx.t("none"),
        styles.NPS_SWING_CELL,
    )
    row += 2

    category_header = row
    row = sheet.header(row, [ctx.col("category"), ctx.col("count"), ctx.col("share")], centered_from=1)
    category_first = row
    for name, count in (
        ("promoter", nps.promoters),
        ("passive", nps.passives),
        ("detractor", nps.detractors),
    ):
        sheet.put(row, 1, ctx.t(f"nps.{name}"))
        sheet.put(row, 2, ctx.value(count, visible), styles.COUNT_CELL)
        sheet.put(row, 3, ctx.value(count / nps.n if nps.n else None, visible), styles.PERCENT_CELL)
        row += 1
    if not visible:
        row = sheet.note(row, ctx.footnote)
    elif nps.n == 0:
        row = sheet.note(row, ctx.t("nps.no_answers"))
    elif nps.n < 10:
        step = f"{100 / nps.n:.1f}".rstrip("0").rstrip(".").replace(".", ctx.t("decimal_separator"))
        row = sheet.note(row, ctx.t("nps.small_n", n=nps.n, step=step))
    row += 1

    row = sheet.heading(row, ctx.t("nps.distribution"))
    row = sheet.header(row, [ctx.col("nps_value"), ctx.col("count"), ctx.col("category")], centered_from=1)
    for value in range(11):
        sheet.put(row, 1, value, styles.CENTERED)
        count = report.nps_distribution[value] if len(report.nps_distribution) > value else 0
        sheet.put(row, 2, ctx.value(count, visible), styles.COUNT_CELL)
        sheet.put(row, 3, ctx.t(f"nps.{nps_category(value)}_short"), styles.CENTERED)
        row += 1
    row += 1

    row = sheet.heading(row, ctx.t("nps.per_respondent"))
    listed = [r for r in report.respondents if r.returned and r.nps is not None]
    if listed:
        row = sheet.header(
            row, [ctx.col("respondent"), ctx.col("nps_value"), ctx.col("category")], centered_from=1
        )
        for r in listed:
            assert r.nps is not None
            sheet.put(row, 1, label(r.name, r.initials))
            sheet.put(row, 2, r.nps, styles.CENTERED)
            sheet.put(row, 3, ctx.t(f"nps.{nps_category(r.nps)}_short"), styles.CENTERED)
            row += 1
        sheet.note(row, ctx.t("nps.per_respondent_note"))
    elif ctx.disclosure.details_withheld:
        sheet.note(row, ctx.texts("disclosure.details", k=ctx.disclosure.threshold), 3)
    else:
        sheet.note(row, ctx.t("scores.no_named"))

    charts.add_chart(
        sheet.ws,
        charts.ColouredColumns(
            title=ctx.t("nps.chart_title"),
            data=charts.Cells(category_header, 2, category_first + 2, 2),
            categories=charts.Cells(category_first, 1, category_first + 2, 1),
            anchor="E4",
            width=14,
            height=9,
            y_axis=charts.Axis(
                ctx.col("count"),
                minimum=0,
                maximum=max(1, nps.promoters, nps.passives, nps.detractors) + 1,
                major_unit=1,
                number_format=styles.COUNT,
            ),
            colours=(styles.PROMOTER_COLOUR, styles.PASSIVE_COLOUR, styles.DETRACTOR_COLOUR),
            label_format=styles.COUNT,
            gap_width=60,
        ),
    )
    for letter in "EFGHIJKL":
        sheet.ws.column_dimensions[letter].width = 10
    sheet.print_setup(landscape=True, one_page=True)
