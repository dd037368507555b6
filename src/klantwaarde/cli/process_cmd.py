"""``kwm process``: the returned questionnaires in, the monitor out."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table
from rich.text import Text

from klantwaarde.cli.common import (
    base_argument,
    base_file,
    chosen_lang,
    counted_progress,
    decimal,
    json_option,
    lang_option,
    print_json,
    render_problems,
    stderr_console,
    stop_on_kwm_error,
    texts_for,
    verdict,
)
from klantwaarde.texts import Texts

if TYPE_CHECKING:
    from klantwaarde.api.process import ProcessResult


def register(app: typer.Typer, texts: Texts) -> None:
    @app.command("process", help=texts("cli.commands.process.help"))
    def process_command(
        ctx: typer.Context,
        base: Path = base_argument(texts),
        answers: list[Path] | None = typer.Option(
            None, "--answers", "-a", help=texts("cli.process.answers"), show_default=False
        ),
        out: Path | None = typer.Option(
            None, "--out", "-o", help=texts("cli.process.out"), show_default=False
        ),
        history: list[Path] | None = typer.Option(
            None, "--history", help=texts("cli.process.history"), show_default=False
        ),
        no_history: bool = typer.Option(False, "--no-history", help=texts("cli.process.no_history")),
        strict: bool = typer.Option(False, "--strict", help=texts("cli.process.strict")),
        as_json: bool = json_option(texts),
        lang: str | None = lang_option(texts),
    ) -> None:
        from klantwaarde.api.process import process

        lang = chosen_lang(ctx, lang)
        base = base_file(base)
        shown = texts_for(lang, base)
        console = stderr_console()
        with (
            stop_on_kwm_error(shown, as_json),
            counted_progress(console, shown("cli.process.reading"), as_json) as progress,
        ):
            result = process(
                base,
                answers or None,
                out,
                strict=strict,
                lang=lang,
                history=history or (),
                use_history=not no_history,
                progress=progress,
            )
        shown = result.texts
        report = result.report
        assert report is not None
        if as_json:
            print_json(result.to_json(shown))
        else:
            _summary(result, shown)
        if not result.written:
            console.print(
                shown("cli.process.strict_refused", n=len(result.problems)), style="bold red", markup=False
            )
            raise typer.Exit(1)


def _summary(result: ProcessResult, texts: Texts) -> None:
    """The figures as the monitor shows them (the disclosure rules hold here too), then what was
    withheld and why, the problems and where the report is."""
    from klantwaarde.disclosure import explain
    from klantwaarde.publish import published
    from klantwaarde.report import Change

    assert result.report is not None
    report = result.report
    shown = result.disclosure
    dash = texts("disclosure.dash")
    console = stderr_console()
    table = Table(
        title=texts(
            "cli.process.table_title",
            code=report.base.settings.client_code,
            period=report.base.settings.period,
        )
    )
    trend = published(report, shown).trend  # the current period as the monitor publishes it
    compared = len(trend.periods) >= 2
    keys = ["kwi", "title", "score", "swing", "mean", "target", "n"] + (["change"] if compared else [])
    for key in keys:
        table.add_column(
            texts(f"cli.process.columns.{key}", previous=trend.periods[-2] if compared else ""),
            justify="right" if key not in ("kwi", "title") else "left",
            no_wrap=key not in ("title", "change"),
            min_width=12 if key == "title" else None,
            max_width=9 if key == "change" else None,
        )
    changes = {line.code: line.change() for line in trend.kwis}

    def change(found: Change | None, digits: int = 2) -> Text:
        if found is None:
            return Text(dash)
        sign = "+" if found.delta > 0 else ""
        style = "dim" if found.within_noise else ("green" if found.delta > 0 else "red")
        return Text(f"{found.mark} {sign}{decimal(found.delta, texts, digits)}", style=style)

    def swing(value: float | None, digits: int = 2) -> str:
        return dash if value is None else f"± {decimal(value, texts, digits)}"

    for kwi in report.kwis:
        extra = [change(changes.get(kwi.code))] if compared else []
        if not shown.kwi_shown(kwi.code):
            table.add_row(
                Text(kwi.code), Text(kwi.title), dash, dash, dash, decimal(kwi.target, texts), dash, *extra
            )
            continue
        score = Text(decimal(kwi.score, texts))
        if kwi.below_target:
            score = Text(f"{decimal(kwi.score, texts)} !", style="bold red")
        mean, target = decimal(kwi.mean, texts), decimal(kwi.target, texts)
        table.add_row(
            Text(kwi.code), Text(kwi.title), score, swing(kwi.swing), mean, target, str(kwi.n), *extra
        )
    table.add_section()
    overall_change = [change(trend.overall.change())] if compared else []
    if shown.overall_shown:
        overall = Text(decimal(report.overall, texts), style="bold")
        table.add_row(
            "",
            Text(texts("cli.process.overall"), style="bold"),
            overall,
            swing(report.overall_swing),
            decimal(report.overall_mean, texts),
            "",
            str(len(report.answers)),
            *overall_change,
        )
    else:
        table.add_row(
            "", Text(texts("cli.process.overall"), style="bold"), dash, dash, dash, "", dash, *overall_change
        )
    console.print(table)
    legend = texts("cli.process.legend")
    if compared:
        legend += " " + texts("cli.process.legend_change", previous=trend.periods[-2])
    console.print(legend, markup=False, soft_wrap=True, style="dim")
    nps = report.nps
    if shown.nps_shown:
        console.print(
            texts(
                "cli.process.nps_line",
                nps="–" if nps.nps is None else (f"{nps.nps:+.0f}" if round(nps.nps) else "0"),
                promoters=nps.promoters,
                passives=nps.passives,
                detractors=nps.detractors,
                n=nps.n,
                swing=swing(nps.swing, 1),
            )
            + ("  " + change(trend.nps.change(), 1).plain if compared else ""),
            markup=False,
        )
    console.print(texts("cli.process.response_line", returned=report.returned, asked=report.asked))
    lines = explain(shown, texts)
    if lines:
        anonymous = sum(1 for r in report.respondents if r.anonymous)
        console.print(texts("disclosure.title", k=shown.threshold, anonymous=anonymous), style="bold")
        for line in lines:
            console.print("  " + line, markup=False, soft_wrap=True)
    render_problems(result.problems, texts, console)
    errors = sum(1 for p in result.problems if p.is_error)
    if errors and result.output is not None:
        # The report was written all the same: only the faulty answers were left out.
        warnings = len(result.problems) - errors
        sheet = texts("internal.sheets.problems")
        console.print(texts("frame.process_verdict", errors=errors, warnings=warnings, sheet=sheet))
    elif result.problems:
        console.print(verdict(result.problems, texts))
    if result.output is not None:
        console.print(texts("cli.process.written", path=str(result.output)))
    if result.internal is not None:
        console.print(texts("cli.process.internal_written", path=str(result.internal)))
