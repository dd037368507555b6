"""The internal workbook (SPEC 3.6): what the account manager needs and the client never sees.

Samenvatting (what counted, what was withheld and why, which monitors gave the trend), Ontvangen
(every entry of the answers folder and what became of it), Meldingen (every problem), Per
respondent (scores as far as the disclosure rules allow) and Interne notities (the base's own
notes). Every page is headed "Intern – niet delen met de klant". The disclosure rules hold here
too: an anonymous respondent's files are "vragenlijst van een anonieme respondent", and no score
of theirs, nor one that would give theirs away, is shown.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from klantwaarde.disclosure import explain
from klantwaarde.monitor.context import Context, label
from klantwaarde.monitor.sheet import Sheet
from klantwaarde.normalise import shown_name
from klantwaarde.problems import Problem, Severity
from klantwaarde.workbook import styles

OUTLIER_MARGIN = 1.0  # points from the overall score that are marked, as on the monitor's Analyse


def _t(ctx: Context, key: str, **values: Any) -> str:
    return ctx.texts(f"internal.{key}", **values)


def _banner(sheet: Sheet, title: str) -> int:
    """Title, then the internal banner; returns the first free row."""
    ctx = sheet.ctx
    sheet.put(1, 1, title, styles.TITLE_CELL)
    sheet.ws.row_dimensions[1].height = 30
    sheet.put(2, 1, _t(ctx, "banner"), styles.BANNER_CELL)
    return 4


def _file(ctx: Context, name: str) -> str:
    """A file name as the internal workbook shows it: an anonymous respondent's files unnamed."""
    assert ctx.intake is not None
    if name in ctx.intake.anonymous_files:
        return _t(ctx, "anonymous_file")
    return shown_name(name)


def summary(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    intake = ctx.intake
    assert intake is not None
    settings = report.base.settings
    sheet.widths(40, 60)
    row = _banner(sheet, _t(ctx, "summary_title", code=settings.client_code, period=settings.period))

    def pair(key: str, value: object) -> None:
        nonlocal row
        sheet.put(row, 1, _t(ctx, f"summary.{key}"), styles.LABEL_CELL)
        sheet.put(row, 2, value, styles.VALUE_CELL)
        row += 1

    statuses = Counter(f.status.value for f in intake.files)
    errors = sum(1 for p in report.problems if p.severity is Severity.ERROR)
    pair("client", f"{settings.client} ({settings.client_code})")
    pair("period", settings.period)
    pair("report_date", ctx.date_text(report.report_date))
    pair("returned", _t(ctx, "summary.returned_value", returned=report.returned, asked=report.asked))
    pair(
        "files",
        _t(
            ctx,
            "summary.files_value",
            total=len(intake.files),
            valid=statuses.get("valid", 0),
            ignored=statuses.get("ignored", 0),
            refused=statuses.get("refused", 0) + statuses.get("unreadable", 0),
            skipped=statuses.get("skipped", 0),
        ),
    )
    pair("problems", _t(ctx, "summary.problems_value", errors=errors, warnings=len(report.problems) - errors))
    if intake.mails:  # SPEC 3.9: questionnaires that came in mails
        forms = sum(1 for f in intake.files if f.mail is not None and f.path != f.mail.path)
        sheet.put(row, 1, ctx.texts("mail_intake.summary_label"), styles.LABEL_CELL)
        sheet.put(
            row,
            2,
            ctx.texts("mail_intake.summary_value", mails=len(intake.mails), forms=forms),
            styles.VALUE_CELL,
        )
        row += 1

    row = sheet.heading(
        row + 1, ctx.texts("disclosure.title", k=ctx.disclosure.threshold, anonymous=_anonymous(ctx))
    )
    lines = explain(ctx.disclosure, ctx.texts) or [ctx.texts("disclosure.nothing")]
    for line in lines:
        row = sheet.note(row, line, 2)
    row = sheet.heading(row + 1, _t(ctx, "summary.history"))
    if not intake.history:
        row = sheet.note(row, _t(ctx, "summary.history_none"), 2)
    for source in intake.history:
        sheet.put(row, 1, shown_name(source.path.name), styles.WRAPPED)
        sheet.put(row, 2, ", ".join(source.periods), styles.PLAIN)
        row += 1
    sheet.print_setup(landscape=False)


def _anonymous(ctx: Context) -> int:
    return sum(1 for r in ctx.report.respondents if r.anonymous)


def received(sheet: Sheet) -> None:
    ctx = sheet.ctx
    intake = ctx.intake
    assert intake is not None
    people = {r.initials: r for r in ctx.report.respondents}
    sheet.widths(48, 26, 18, 30, 12, 34, 18)
    row = _banner(sheet, _t(ctx, "received_title"))
    header = row
    # The last two: the mail a questionnaire came in (SPEC 3.9), blank for a file saved by hand.
    keys = ["file", "respondent", "saved", "status", "answers"]
    labels = [_t(ctx, f"columns.{k}") for k in keys]
    labels += [ctx.texts("mail_intake.columns.sender"), ctx.texts("mail_intake.columns.sent")]
    sheet.header(header, labels, centered_from=4)
    files = sorted(intake.files, key=lambda f: (_file(ctx, f.path.name).casefold(), f.path.name))

    def write(row: int, outcome: Any) -> None:
        mail = outcome.mail
        anonymous = outcome.path.name in intake.anonymous_files or (
            mail is not None and mail.name in intake.anonymous_files
        )
        who = people.get(outcome.initials or "")
        if anonymous:
            person = _t(ctx, "anonymous_respondent")
        elif who is not None:
            person = label(who.name, who.initials)
        else:
            person = ctx.dash
        sheet.put(row, 1, _file(ctx, outcome.path.name), styles.WRAPPED)
        sheet.put(row, 2, person, styles.WRAPPED)
        saved = outcome.saved_at
        sheet.put(row, 3, _when(saved, ctx) if saved is not None else None, styles.CENTERED)
        sheet.put(row, 4, _status(ctx, outcome), styles.WRAPPED)
        sheet.put(row, 5, outcome.answered if outcome.status.value == "valid" else None, styles.COUNT_CELL)
        if mail is not None:
            sender = _t(ctx, "anonymous_respondent") if anonymous else _sender(mail)
            sheet.put(row, 6, sender, styles.WRAPPED)
            sheet.put(row, 7, _when(mail.sent_at, ctx) if mail.sent_at else None, styles.CENTERED)

    sheet.streamed_table(header, files, len(labels), write)


def _sender(mail: Any) -> str:
    """``Naam <adres>`` of a mail's sender, as far as the mail says."""
    name, address = shown_name(mail.sender_name), shown_name(mail.sender)
    if name and address and name.casefold() != address.casefold():
        return f"{name} <{address}>"
    return address or name


def _when(moment: datetime, ctx: Context) -> str:
    try:
        local = moment.astimezone()
    except (OverflowError, ValueError, OSError):
        local = moment
    return local.strftime("%d-%m-%Y %H:%M" if ctx.lang == "nl" else "%Y-%m-%d %H:%M")


def _status(ctx: Context, outcome: Any) -> str:
    status = outcome.status.value
    if status in ("refused", "unreadable") and outcome.problems:
        first = next((p for p in outcome.problems if p.is_error), outcome.problems[0])
        return _t(ctx, "status.refused", reason=ctx.scrub(ctx.texts.message(first)))
    return _t(ctx, f"status.{status}")


def problems(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    texts = ctx.texts
    sheet.widths(10, 34, 14, 9, 80)
    header = _banner(sheet, _t(ctx, "problems_title"))
    keys = ["severity", "file", "sheet", "cell", "message"]
    ordered: list[Problem] = sorted(report.problems, key=lambda p: 0 if p.severity is Severity.ERROR else 1)
    sheet.header(header, [ctx.col(k) for k in keys])

    def write(row: int, found: Problem | None) -> None:
        if found is None:  # nothing to report: the one row says so
            sheet.put(row, 1, ctx.t("problems.none"), styles.NOTE_CELL)
            return
        loc = found.location
        message = ctx.scrub(texts.message(found))
        sheet.put(row, 1, texts.severity(found), styles.ERROR_CELL if found.is_error else styles.WARNING_CELL)
        sheet.put(row, 2, ctx.scrub(_file(ctx, loc.file)), styles.WRAPPED)
        sheet.put(row, 3, loc.sheet or "", styles.WRAPPED)
        sheet.put(row, 4, loc.cell, styles.CENTERED)
        sheet.put(row, 5, message, styles.WRAPPED)
        sheet.fit_row(row, {5: message, 2: loc.file})

    rows: list[Problem | None] = list(ordered) or [None]
    sheet.streamed_table(header, rows, 5, write)


def per_respondent(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    kwis = report.kwis
    sheet.widths(26, *([11] * len(kwis)), 11, 9, 12)
    row = _banner(sheet, _t(ctx, "per_respondent_title"))
    shown = [
        r
        for r in report.respondents
        if r.returned
        and (r.overall is not None or r.nps is not None or any(r.initials in k.respondents for k in kwis))
    ]
    if not shown:
        text = (
            ctx.texts("disclosure.details", k=ctx.disclosure.threshold)
            if ctx.disclosure.details_withheld
            else ctx.t("scores.no_named")
        )
        sheet.note(row, text, len(kwis) + 4)
        sheet.print_setup(landscape=True)
        return
    labels = [
        ctx.col("respondent"),
        *[k.code for k in kwis],
        ctx.col("overall"),
        "NPS",
        _t(ctx, "columns.difference"),
    ]
    row = sheet.header(row, labels, 1, 1)
    for r in shown:
        sheet.put(row, 1, label(r.name, r.initials))
        for offset, kwi in enumerate(kwis):
            sheet.put(row, 2 + offset, kwi.respondents.get(r.initials), styles.SCORE_CELL)
        col = 2 + len(kwis)
        sheet.put(row, col, r.overall, styles.SCORE_CELL)
        sheet.put(row, col + 1, r.nps, styles.CENTERED)
        difference = (
            r.overall - report.overall if r.overall is not None and report.overall is not None else None
        )
        style = styles.DIFF_CELL
        if difference is not None and abs(difference) > OUTLIER_MARGIN:
            style = styles.DIFF_MARKED
        sheet.put(row, col + 2, difference, style)
        row += 1
    sheet.note(row, _t(ctx, "per_respondent_note"), len(kwis) + 4)
    sheet.print_setup(landscape=True)


def notes(sheet: Sheet) -> None:
    ctx, report = sheet.ctx, sheet.ctx.report
    sheet.widths(26, 90)
    row = _banner(sheet, _t(ctx, "notes_title"))
    row = sheet.header(row, [ctx.col("respondent"), _t(ctx, "columns.note")])
    written = [r for r in report.base.respondents if r.internal_note.strip()]
    if not written:
        sheet.note(row, _t(ctx, "notes_none"), 2)
    for person in written:
        sheet.put(row, 1, label(person.name, person.initials))
        sheet.put(row, 2, person.internal_note, styles.WRAPPED)
        sheet.fit_row(row, {2: person.internal_note})
        row += 1
    sheet.print_setup(landscape=False)
