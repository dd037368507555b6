"""The portfolio's tables as CSV for BI tools and pivot tables (SPEC 3.8, ``--csv DIR``).

Long form (one row per client, per client and KWI, per client, period and figure, per action) so
Power BI and a pivot table take them as they are. Written so that Excel opens them correctly by a
double click in the user's language: UTF-8 with a byte-order mark (without it Excel reads the
accents wrong), in Dutch ``;`` between fields and a decimal comma (Dutch Excel reads ``7.5`` as a
date or text), in English ``,`` and a decimal point. Dates are ``yyyy-mm-dd``.

A figure the client's monitor withholds (anonymity) or does not have is an empty field, never a
number; ``getoond``/``shown`` columns say which. Text that came from a workbook and starts like a
formula (``=``, ``+``, ``-``, ``@``, a tab or a line break, also after spaces) gets an apostrophe
in front, so that a spreadsheet opening the file shows it as text and never runs it (CSV
injection). Standard library only.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from klantwaarde.portfolio.model import Client, Portfolio
from klantwaarde.report import Change

if TYPE_CHECKING:
    from klantwaarde.texts import Texts

FILES = ("clients", "kwis", "trend", "actions")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
DIGITS = 4  # decimals of a figure in the CSV (the workbooks show two)
TREND_KINDS = (
    "overall",
    "overall_swing",
    "nps",
    "nps_swing",
    "returned",
    "asked",
    "kwi_score",
    "kwi_mean",
    "kwi_target",
    "kwi_swing",
)


def harmless(text: str) -> str:
    """Text as a spreadsheet shows it, never as a formula it would run."""
    stripped = text.lstrip(" ")
    if text.startswith(FORMULA_STARTS) or stripped.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Format:
    def __init__(self, texts: Texts):
        self.texts = texts
        self.comma = texts.lang == "nl"

    def number(self, value: float | int | None, digits: int = DIGITS) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return ""
        if isinstance(value, int) or float(value).is_integer():
            return str(int(value))
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return text.replace(".", ",") if self.comma else text

    def text(self, value: str) -> str:
        return harmless(value)

    def flag(self, value: bool) -> str:
        return self.texts("portfolio.yes" if value else "portfolio.no")

    def day(self, value: object) -> str:
        return value.isoformat() if hasattr(value, "isoformat") else ""

    def mark(self, change: Change | None) -> str:
        return change.mark if change is not None else ""

    def delta(self, change: Change | None) -> str:
        return self.number(change.delta) if change is not None else ""

    def header(self, table: str, keys: Sequence[str]) -> list[str]:
        return [self.texts(f"portfolio.csv.{table}.{key}") for key in keys]


CLIENT_COLUMNS = (
    "code", "client", "folder", "account_manager", "period", "overall", "overall_swing", "target",
    "overall_change", "overall_mark", "nps", "nps_n", "nps_change", "nps_mark", "returned", "asked",
    "response", "kwis", "kwis_below", "open_actions", "overdue_actions", "session_date",
    "monitor_date", "age_days", "attention", "overall_shown", "nps_shown",
)  # fmt: skip
KWI_COLUMNS = (
    "code", "client", "period", "kwi", "title", "theme", "listed", "score", "mean", "target",
    "below_target", "swing", "respondents", "shown",
)  # fmt: skip
TREND_COLUMNS = ("code", "client", "period", "measure", "kwi", "title", "value", "n")
ACTION_COLUMNS = (
    "code", "client", "number", "kwi", "kwi_title", "description", "owner", "status", "deadline",
    "overdue", "days_overdue",
)  # fmt: skip


def attention_text(client: Client, texts: Texts) -> str:
    """Why a client needs attention, in words (``2 KWI's onder doel, 1 actie over tijd``)."""
    words = []
    for reason in client.reasons:
        if reason.kind == "below_target" and not reason.count:
            words.append(texts("portfolio.attention.overall_below"))
        else:
            words.append(texts(f"portfolio.attention.{reason.kind}", n=reason.count))
    return ", ".join(words)


def tables(portfolio: Portfolio, texts: Texts) -> dict[str, list[list[str]]]:
    """File key -> rows (the header first)."""
    f = _Format(texts)
    clients = [f.header("clients", CLIENT_COLUMNS)]
    kwis = [f.header("kwis", KWI_COLUMNS)]
    trend = [f.header("trend", TREND_COLUMNS)]
    actions = [f.header("actions", ACTION_COLUMNS)]
    for c in portfolio.clients:
        name = f.text(c.client)
        clients.append(
            [
                f.text(c.code), name, f.text(c.folder), f.text(c.account_manager), f.text(c.period),
                f.number(c.overall), f.number(c.overall_swing), f.number(c.target),
                f.delta(c.overall_change), f.mark(c.overall_change), f.number(c.nps), f.number(c.nps_n),
                f.delta(c.nps_change), f.mark(c.nps_change), f.number(c.returned), f.number(c.asked),
                f.number(c.response * 100 if c.response is not None else None, 1),
                f.number(c.kwis_scored), f.number(c.kwis_below), f.number(c.open_actions),
                f.number(c.overdue_actions), f.day(c.session_date), f.day(c.monitor_date),
                f.number(c.age_days), attention_text(c, texts), f.flag(c.overall is not None),
                f.flag(c.nps is not None),
            ]
        )  # fmt: skip
        for k in c.kwis:
            kwis.append(
                [
                    f.text(c.code), name, f.text(c.period), f.text(k.code), f.text(k.title),
                    f.text(k.theme.name or k.title), f.flag(k.theme.listed), f.number(k.score),
                    f.number(k.mean), f.number(k.target), f.flag(k.below_target), f.number(k.swing),
                    f.number(k.n_respondents), f.flag(k.shown),
                ]
            )  # fmt: skip
        order = {kind: i for i, kind in enumerate(TREND_KINDS)}
        for row in sorted(c.history, key=lambda r: (r.period, order.get(r.kind, 99), r.code)):
            if row.kind not in order:
                continue
            trend.append(
                [
                    f.text(c.code), name, f.text(row.period), texts(f"portfolio.csv.measures.{row.kind}"),
                    f.text(row.code), f.text(row.title), f.number(row.value), f.number(row.n),
                ]
            )  # fmt: skip
        for a in c.actions:
            actions.append(
                [
                    f.text(c.code), name, f.text(a.number), f.text(a.kwi), f.text(a.kwi_title),
                    f.text(a.description), f.text(a.owner), texts(f"portfolio.status.{a.status}"),
                    f.day(a.deadline), f.flag(a.overdue), f.number(a.days_overdue),
                ]
            )  # fmt: skip
    return {"clients": clients, "kwis": kwis, "trend": trend, "actions": actions}


def csv_bytes(rows: Sequence[Sequence[str]], lang: str) -> bytes:
    """The rows as a CSV file: UTF-8 with BOM; ``;`` in Dutch, ``,`` in English; CRLF lines."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";" if lang == "nl" else ",", lineterminator="\r\n")
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


__all__ = ["FILES", "attention_text", "csv_bytes", "harmless", "tables"]
