"""What each slide of the klantwaardesessie deck says (SPEC 3.7), from what the monitor shows.

The input is the monitor's own ``_data`` (``DeckInput``: ``monitor_data.MonitorFigures`` and the
trend history), never the returned forms: the deck says exactly what the monitor says. Those
figures are already published (SPEC 3.5): a withheld figure is None with ``shown`` False, and is
shown here as the dash with the monitor's footnote; a remark's author is there only where it may
be shown. Nothing internal reaches a slide — no problems, no file names, no internal notes, no A3
data: ``_data`` holds none of them.

Slides, after the book's agenda: title, agenda, terugblik (the KWIs, the actions), wat is bereikt
(overall, NPS, response), KWI scores, trend, one slide per KWI, opmerkingen, hoe verder,
afsluiting. Every slide has speaker notes of one or two sentences from the templates. Standard
library only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from klantwaarde.deck.say import Say, iso_date, joined, measured_from, one_line, whole
from klantwaarde.deck.spec import (
    AGENDA,
    BELOW,
    HEADING,
    LEAD,
    MUTED,
    NOTE,
    OVERDUE,
    STRONG,
    Block,
    Cell,
    Chart,
    Column,
    Items,
    Quote,
    Quotes,
    Row,
    Series,
    Slide,
    Table,
    Text,
    Tile,
    Tiles,
)
from klantwaarde.monitor_data import (
    ACTIVE,
    AGREEMENTS,
    KwiFigures,
    MonitorFigures,
    QuestionFigures,
)
from klantwaarde.report import HistoryRow, Trend, TrendLine, trend_of
from klantwaarde.workbook import styles

if TYPE_CHECKING:  # only read
    from klantwaarde.texts import Texts

AHEAD = 16.0  # the lists of "hoe verder": three of them on one slide
LEAST_RELEVANT = 5  # questions listed under "most often marked less relevant", as in the monitor


@dataclass(frozen=True)
class DeckInput:
    """What the deck is made of: one monitor's ``_data``."""

    client: str
    client_code: str
    period: str
    figures: MonitorFigures
    history: tuple[HistoryRow, ...] = ()


def slides(source: DeckInput, texts: Texts) -> list[Slide]:
    """Every slide of the deck, in the order of SPEC 3.7 (before long ones are split)."""
    say = Say(texts)
    figures = source.figures
    trend = trend_of(source.history, [k.code for k in figures.kwis])
    made = [
        title_slide(source, say),
        agenda_slide(say),
        review_kwis_slide(source, say),
        review_actions_slide(source, say),
        achieved_slide(source, trend, say),
        scores_slide(figures, say),
        trend_slide(source, trend, say),
    ]
    made += [kwi_slide(kwi, source, trend, say) for kwi in figures.kwis]
    made += [remarks_slide(figures, texts, say), ahead_slide(figures, say), closing_slide(figures, say)]
    return made


# ---------------------------------------------------------------------------------------------
# 1-3: title, agenda, terugblik


def title_slide(source: DeckInput, say: Say) -> Slide:
    settings = source.figures.settings
    supplier = settings.get("supplier", "")
    lines = [say("title.subtitle", client=source.client, period=source.period)]
    session = iso_date(settings.get("session_date", ""))
    if supplier or session:
        when = say.date(session) if session else ""
        lines.append(say("title.session", supplier=supplier, date=when).strip(" ·"))
    if settings.get("account_manager"):
        lines.append(say("title.account_manager", name=settings["account_manager"]))
    notes = say("title.notes", period=source.period, client=source.client, supplier=supplier)
    return Slide("title", say("title.title"), notes=notes, kind="title", subtitle=tuple(lines))


def agenda_slide(say: Say) -> Slide:
    items = tuple(str(item) for item in say.texts.raw("deck.agenda.items"))
    return Slide("agenda", say("agenda.title"), (Items(items, AGENDA, space=16.0),), say("agenda.notes"))


def review_kwis_slide(source: DeckInput, say: Say) -> Slide:
    columns = (
        Column(say("review.code"), 0.12),
        Column(say("review.kwi"), 0.22),
        Column(say("review.description"), 0.56, one_line=True),
        Column(say("review.target"), 0.10, "r"),
    )
    rows = tuple(
        (
            Cell(k.code),
            Cell(k.title or k.code, STRONG),
            Cell(one_line(k.description)),
            Cell(say.number(k.target)),
        )
        for k in source.figures.kwis
    )
    notes = say("review.kwis_notes", client=source.client)
    return Slide("review_kwis", say("review.kwis_title"), (Table(columns, rows),), notes)


def review_actions_slide(source: DeckInput, say: Say) -> Slide:
    figures = source.figures
    actions = figures.actions
    done = sum(1 for a in actions if not a.open)
    notes = say("review.actions_notes", done=done, total=len(actions))
    if not actions:
        return Slide("review_actions", say("review.actions_title"), (Text(say("review.no_actions")),), notes)
    return Slide(
        "review_actions",
        say("review.actions_title"),
        (_actions_table(figures, say, with_status=True),),
        notes,
        footnotes=(say("review.overdue_note"),) if any(a.overdue for a in actions) else (),
    )


def _actions_table(figures: MonitorFigures, say: Say, *, with_status: bool, only_open: bool = False) -> Table:
    titles = {k.code: k.title for k in figures.kwis}
    columns = [
        Column(say("review.number"), 0.10),
        Column(say("review.action"), 0.44 if with_status else 0.52),
        Column(say("review.kwi"), 0.18),
        Column(say("review.owner"), 0.08, "c"),
    ]
    if with_status:
        columns.append(Column(say("review.status"), 0.10, "c"))
    columns.append(Column(say("review.deadline"), 0.10, "c"))
    rows = []
    for action in figures.actions:
        if only_open and not action.open:
            continue
        mark = OVERDUE if action.overdue else ""
        cells = [
            Cell(action.number, mark),
            Cell(action.description, mark),
            Cell(titles.get(action.kwi) or action.kwi, mark),
            Cell(action.owner, mark),
        ]
        if with_status:
            cells.append(
                Cell(
                    say(f"status.{action.status}") if _known_status(say, action.status) else action.status,
                    mark,
                )
            )
        cells.append(Cell(say.short_date(action.deadline), mark))
        rows.append(tuple(cells))
    return Table(tuple(columns), tuple(rows))


def _known_status(say: Say, status: str) -> bool:
    return say.texts.has(f"deck.status.{status}")


# ---------------------------------------------------------------------------------------------
# 4-6: wat is bereikt, KWI scores, trend


def achieved_slide(source: DeckInput, trend: Trend, say: Say) -> Slide:
    figures = source.figures
    target = _default_target(figures)
    withheld = False

    overall = figures.figure("overall") if figures.shown("overall") else None
    detail = [say("achieved.target", target=say.number(target))]
    if overall is None:
        withheld = True
    else:
        detail.insert(0, say.swing(figures.figure("overall_swing")))
        detail.append(say.change(trend.overall.change(), measured_from(trend, trend.overall)))
    below = overall is not None and target is not None and overall < target
    if below:
        detail.append(say("achieved.below"))
    tiles = [Tile(say("achieved.overall"), say.number(overall), joined(detail), BELOW if below else STRONG)]

    nps = figures.figure("nps") if figures.shown("nps") else None
    if nps is None:
        withheld = withheld or not figures.shown("nps")
        tiles.append(Tile(say("achieved.nps"), say.dash, "", MUTED))
    else:
        counts = say(
            "achieved.nps_detail",
            n=whole(figures.figure("nps_n")),
            promoters=whole(figures.figure("promoters")),
            passives=whole(figures.figure("passives")),
            detractors=whole(figures.figure("detractors")),
        )
        change = say.change(trend.nps.change(), measured_from(trend, trend.nps), nps=True)
        swing = say.swing(figures.figure("nps_swing"), 0)
        tiles.append(Tile(say("achieved.nps"), say.nps(nps), joined([swing, change]) + "\n" + counts))

    returned, asked = whole(figures.figure("returned")), whole(figures.figure("asked"))
    rate = f"{round(100 * returned / asked)}%" if asked else say.dash
    tiles.append(
        Tile(
            say("achieved.response"),
            say("achieved.response_value", returned=returned, asked=asked),
            say("achieved.response_detail", rate=rate),
        )
    )

    left: tuple[Block, ...] = (Tiles(tuple(tiles), across=False),)
    distribution = figures.nps_distribution
    right: tuple[Block, ...]
    if nps is not None and distribution and sum(distribution):
        right = (nps_chart(distribution, say),)
    else:
        right = (
            Text(say("achieved.distribution"), HEADING, "heading"),
            Text(say("achieved.distribution_withheld"), NOTE, "note"),
        )
    notes = [say.footnote] if withheld else []
    return Slide(
        "achieved",
        say("achieved.title"),
        (Row(((0.42, left), (0.58, right))),),
        say("achieved.notes"),
        footnotes=(*notes, say("swing_note"), say("change_note")),
    )


def nps_chart(distribution: Sequence[int], say: Say) -> Chart:
    colours = tuple(
        styles.DETRACTOR_COLOUR
        if value <= 6
        else styles.PASSIVE_COLOUR
        if value <= 8
        else styles.PROMOTER_COLOUR
        for value in range(len(distribution))
    )
    series = Series(
        say("achieved.nps"), tuple(float(c) for c in distribution), styles.SCORE_COLOUR, colours, labels=True
    )
    top = max(distribution)
    return Chart(
        "columns",
        tuple(str(value) for value in range(len(distribution))),
        (series,),
        number_format="0",
        label_format="0;-0;;",  # no label on a value nobody gave
        y_min=0,
        y_max=float(top + 1),
        y_unit=1.0,
        legend=False,
        caption=say("achieved.distribution"),
        key=say("achieved.groups"),
    )


def scores_slide(figures: MonitorFigures, say: Say) -> Slide:
    kwis = figures.kwis
    categories = tuple(_category(k, say) for k in kwis)
    scores = tuple(k.score if k.shown else None for k in kwis)
    means = tuple(k.mean if k.shown else None for k in kwis)
    targets = tuple(k.target for k in kwis)
    below = tuple(styles.DETRACTOR_COLOUR if k.below_target else None for k in kwis)
    lowest = min((v for v in (*scores, *means, *targets) if v is not None), default=5.0)
    chart = Chart(
        "columns",
        categories,
        (
            Series(say("scores.mean"), means, styles.MEAN_COLOUR),
            Series(say("scores.score"), scores, styles.SCORE_COLOUR, below, labels=True),
            Series(say("scores.target"), targets, styles.TARGET_COLOUR),
        ),
        y_min=float(max(0, int(lowest) - 1)),
        y_max=10.0,
        y_unit=1.0,
    )
    count_below = sum(1 for k in kwis if k.below_target)
    footnotes = [say("below_note")]
    if any(not k.shown for k in kwis):
        footnotes.insert(0, say.footnote)
    notes = say("scores.notes", below=count_below, count=len(kwis))
    return Slide("scores", say("scores.title"), (chart,), notes, footnotes=tuple(footnotes))


def trend_slide(source: DeckInput, trend: Trend, say: Say) -> Slide:
    if len(trend.periods) < 2:
        text = say("trend.single", period=source.period)
        return Slide("trend", say("trend.title"), (Text(text),), say("trend.single_notes"))
    kwis = {k.code: k for k in source.figures.kwis}
    lines = [line for line in trend.kwis if any(v is not None for v in line.values)]
    series = [
        Series(kwis[line.code].title if line.code in kwis else line.title or line.code, _values(line), colour)
        for line, colour in zip(lines, _cycle(styles.LINE_COLOURS, len(lines)), strict=True)
    ]
    series.append(
        Series(say("trend.overall"), _values(trend.overall), styles.OVERALL_COLOUR, width=3.5, dashed=True)
    )
    measured = [v for s in series for v in s.values if v is not None]
    chart = Chart(
        "lines",
        tuple(trend.periods),
        tuple(series),
        y_min=float(max(0, int(min(measured, default=5.0)) - 1)),
        y_max=10.0,
        y_unit=1.0,
    )
    table = _changes_table(source, trend, say)
    figures = source.figures
    withheld = not (figures.shown("overall") and figures.shown("nps") and all(k.shown for k in figures.kwis))
    footnotes = ([say.footnote] if withheld else []) + [say("change_note")]
    return Slide(
        "trend",
        say("trend.title"),
        (Row(((0.56, (chart,)), (0.44, (table,)))),),
        say("trend.notes"),
        footnotes=tuple(footnotes),
    )


def _changes_table(source: DeckInput, trend: Trend, say: Say) -> Table:
    before, now = trend.periods[-2], trend.periods[-1]
    columns = (
        Column(say("trend.figure"), 0.40),
        Column(before, 0.18, "r"),
        Column(now, 0.18, "r"),
        Column(say("trend.change"), 0.24, "c"),
    )
    titles = {k.code: k.title or k.code for k in source.figures.kwis}
    rows = []
    for line in trend.kwis:
        if line.code in titles:
            rows.append(_change_row(titles[line.code], line, say))
    rows.append(_change_row(say("trend.overall"), trend.overall, say, STRONG))
    rows.append(_change_row(say("trend.nps"), trend.nps, say, STRONG, nps=True))
    return Table(columns, tuple(rows))


def _change_row(name: str, line: TrendLine, say: Say, mark: str = "", nps: bool = False) -> tuple[Cell, ...]:
    values = line.values
    show = say.nps if nps else say.number
    change = line.change() if len(values) >= 2 and values[-2] is not None else None
    delta = ""
    if change is not None:
        delta = f"{change.mark} {say.nps(change.delta) if nps else say.signed(change.delta)}"
    return (
        Cell(name, mark),
        Cell(show(values[-2]) if len(values) >= 2 else say.dash),
        Cell(show(values[-1]), mark),
        Cell(delta, BELOW if change is not None and change.mark == "▼" else ""),
    )


# ---------------------------------------------------------------------------------------------
# 7: one slide per KWI


def kwi_slide(kwi: KwiFigures, source: DeckInput, trend: Trend, say: Say) -> Slide:
    figures = source.figures
    supplier = figures.settings.get("supplier", "")
    title = say("kwi.title", code=kwi.code, title=kwi.title or kwi.code)
    blocks: list[Block] = []
    if kwi.description:
        blocks.append(Text(kwi.description, LEAD, "lead", max_lines=5))
    line = next((line for line in trend.kwis if line.code == kwi.code), None)
    if kwi.shown and kwi.score is not None:
        change = say.change(line.change(), measured_from(trend, line)) if line else ""
        verdict = say("kwi.below") if kwi.below_target else say("kwi.on_target")
        score = Tile(
            say("kwi.score"),
            say.number(kwi.score),
            joined([say.swing(kwi.swing), change, verdict]),
            BELOW if kwi.below_target else STRONG,
        )
        mean = Tile(say("kwi.mean"), say.number(kwi.mean))
        answers = say("kwi.answers", answers=kwi.n) if kwi.n is not None else ""
        people = Tile(
            say("kwi.respondents"),
            str(kwi.n_respondents) if kwi.n_respondents is not None else say.dash,
            answers,
        )
    else:
        score = Tile(say("kwi.score"), say.dash, "", MUTED)
        mean = Tile(say("kwi.mean"), say.dash, "", MUTED)
        people = Tile(say("kwi.respondents"), say.dash, "", MUTED)
    blocks.append(Tiles((score, mean, Tile(say("kwi.target"), say.number(kwi.target)), people)))

    standard = [q for q in figures.questions if q.kwi == kwi.code and q.standard in (ACTIVE, AGREEMENTS)]
    standard.sort(key=lambda q: (q.standard != ACTIVE, q.number))
    withheld = not kwi.shown or any(not q.shown for q in standard)
    if standard:
        blocks.append(Text(say("kwi.standard"), HEADING, "heading"))
        blocks.append(_standard_table(standard, say))
    if kwi.shown and kwi.score is not None:
        notes = say(
            "kwi.notes",
            title=kwi.title or kwi.code,
            score=say.number(kwi.score),
            target=say.number(kwi.target),
            supplier=supplier,
        )
    else:
        notes = say("kwi.withheld_notes")
    footnotes = [say.footnote] if withheld else []
    if kwi.shown and kwi.swing is not None:
        footnotes.append(say("swing_note"))
    return Slide(f"kwi:{kwi.code}", title, tuple(blocks), notes, footnotes=tuple(footnotes))


def _standard_table(questions: Sequence[QuestionFigures], say: Say) -> Table:
    columns = (
        Column(say("kwi.question"), 0.76),
        Column(say("kwi.question_score"), 0.14, "r"),
        Column(say("kwi.n"), 0.10, "r"),
    )
    rows = tuple(
        (
            Cell(q.text),
            Cell(say.number(q.score) if q.shown else say.dash, STRONG if q.shown else MUTED),
            Cell(str(q.n) if q.shown and q.n is not None else say.dash),
        )
        for q in questions
    )
    return Table(columns, rows)


# ---------------------------------------------------------------------------------------------
# 8-10: opmerkingen, hoe verder, afsluiting


def remarks_slide(figures: MonitorFigures, texts: Texts, say: Say) -> Slide:
    title, notes = say("remarks.title"), say("remarks.notes")
    if not figures.shown("remarks"):
        return Slide("remarks", title, (Text(texts("disclosure.remarks")),), notes)
    if not figures.remarks:
        return Slide("remarks", title, (Text(say("remarks.none")),), notes)
    authors = figures.shown("remark_authors")
    quotes = tuple(Quote(say("quote", text=r.text), r.by if authors else "") for r in figures.remarks)
    footnotes = () if authors else (texts("disclosure.remark_authors"),)
    return Slide("remarks", title, (Quotes(quotes),), notes, footnotes=footnotes)


def ahead_slide(figures: MonitorFigures, say: Say) -> Slide:
    below = [
        say("ahead.below_item", kwi=k.title or k.code, score=say.number(k.score), target=say.number(k.target))
        for k in figures.kwis
        if k.below_target
    ]
    less = [
        say("ahead.less_item", number=q.number, text=q.text, less=q.less, n=q.n)
        for q in least_relevant(figures.questions)
    ]
    actions = figures.actions
    open_ = [a for a in actions if a.open]
    if open_:
        summary = say(
            "ahead.open_summary",
            open=len(open_),
            total=len(actions),
            overdue=sum(1 for a in open_ if a.overdue),
        )
    else:
        summary = say("ahead.open_none")
    blocks: list[Block] = [Text(say("ahead.below"), HEADING, "heading")]
    blocks.append(Items(tuple(below), AHEAD) if below else Text(say("ahead.below_none"), AHEAD, "note"))
    blocks.append(Text(say("ahead.less"), HEADING, "heading"))
    blocks.append(Items(tuple(less), AHEAD) if less else Text(say("ahead.less_none"), AHEAD, "note"))
    blocks.append(Text(say("ahead.open"), HEADING, "heading"))
    blocks.append(Items((summary,), AHEAD))
    return Slide("ahead", say("ahead.title"), tuple(blocks), say("ahead.notes"))


def least_relevant(
    questions: Sequence[QuestionFigures], limit: int = LEAST_RELEVANT
) -> list[QuestionFigures]:
    """Shown questions most often marked less relevant, most marks first (as the monitor's
    ``MonitorReport.least_relevant``); a withheld question's counts are not there."""
    order = {q.number: i for i, q in enumerate(questions)}
    marked = [q for q in questions if q.shown and q.less and q.n]
    marked.sort(key=lambda q: (-(q.less or 0), -((q.less or 0) / (q.n or 1)), order[q.number]))
    return marked[:limit]


def closing_slide(figures: MonitorFigures, say: Say) -> Slide:
    open_ = [a for a in figures.actions if a.open]
    blocks: list[Block] = [Text(say("closing.lead"), HEADING, "heading")]
    if open_:
        blocks.append(_actions_table(figures, say, with_status=False, only_open=True))
    else:
        blocks.append(Text(say("closing.none")))
    blocks.append(Text(say("closing.next"), LEAD, "lead"))
    footnotes = (say("review.overdue_note"),) if any(a.overdue for a in open_) else ()
    return Slide("closing", say("closing.title"), tuple(blocks), say("closing.notes"), footnotes=footnotes)


# ---------------------------------------------------------------------------------------------
# Helpers


def _default_target(figures: MonitorFigures) -> float | None:
    try:
        return float(figures.settings.get("default_target", ""))
    except ValueError:
        return None


def _values(line: TrendLine) -> tuple[float | None, ...]:
    return tuple(line.values)


def _cycle(colours: Sequence[str], count: int) -> list[str]:
    return [colours[i % len(colours)] for i in range(count)]


def _category(kwi: KwiFigures, say: Say) -> str:
    name = kwi.title or kwi.code
    return name if kwi.shown else f"{name} {say.dash}"
