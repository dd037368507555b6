"""kwm portfolio on client folders made by the real pipeline: the seven sheets, figures exactly as
each monitor publishes them, withheld figures staying withheld, one Meldingen line per unusable
client folder, themes, CSV in both languages, JSON, where it may be written, LibreOffice."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import portfolio_kit as kit
from conftest import build_workbook
from klantwaarde.api.portfolio import make_portfolio
from klantwaarde.cli import build_app
from klantwaarde.report import trend_of
from klantwaarde.workbook import compat
from klantwaarde.workbook.history import read_data
from lo_kit import convert

SHEETS = {
    "nl": ["Overzicht", "Trend", "Thema's", "Standaardvragen", "Acties", "Accountmanagers", "Meldingen"],
    "en": ["Overview", "Trend", "Themes", "Standard questions", "Actions", "Account managers", "Messages"],
}
BANNER = {"nl": "Intern – niet delen met de klant", "en": "Internal – do not share with the client"}
USED = {"ALFA", "BETA", "GAMMA", "DELTA", "OUDER", "EPS"}


# ---------------------------------------------------------------------------------------------
# The client folders (built once: about ten seconds of real cycles)


def _broken_monitor(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PK\x03\x04 not really a workbook")


def _old_style_monitor(path: Path) -> None:
    """A monitor as kwm made them before ``_data`` carried what the monitor shows: the history."""
    rows: list[list[Any]] = [
        ["kwm-monitor-data", "1"],
        ["client_code", "EPS"],
        ["client", "Epsilon"],
        ["period", "2011H1"],
        ["generated_at", "2011-05-30T10:00:00"],
        [],
        ["[history]", 6],
        ["period", "kind", "code", "title", "value", "n"],
        ["2011H1", "kwi_score", "KWI-01", "Kwaliteit", 6.5, 8],
        ["2011H1", "kwi_target", "KWI-01", "Kwaliteit", 7.5, None],
        ["2011H1", "overall", "", "", 6.5, 8],
        ["2011H1", "nps", "", "", -25.0, 4],
        ["2011H1", "returned", "", "", 4, None],
        ["2011H1", "asked", "", "", 4, None],
    ]
    build_workbook(path, {"Voorblad": [["Klantwaardemonitor"]], "_data": rows})


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("portfolio") / "klanten"
    alfa = kit.Spec("ALFA", "Alfa Verzekeringen", actions=kit.ACTIONS)
    kit.run_period(
        top / "noord" / "alfa",
        alfa,
        "2010H2",
        dict(AA=6, BB=6, CC=7, DD=6),
        dict(AA=6, BB=7, CC=8, DD=5),
        now=kit.EARLIER,
    )
    kit.run_period(
        top / "noord" / "alfa", alfa, "2011H1", dict(AA=8, BB=8, CC=9, DD=8), dict(AA=9, BB=9, CC=10, DD=8)
    )
    beta = kit.Spec(
        "BETA",
        "Beta Bouw",
        account_manager="Sanne de Vries",
        kwis=(
            ("KWI-01", "kennis-borging!", None),
            ("KWI-02", "KOSTENREDUCTIE", 7.0),
            ("KWI-03", "Continuiteit", None),
        ),
        actions=(
            ("B-1", dt.date(2011, 1, 5), "Offerte herzien", "KWI-02", "SV", "open", dt.date(2011, 4, 1)),
        ),
    )
    kit.run_period(
        top / "noord" / "beta",
        beta,
        "2010H2",
        dict(AA=8, BB=8, CC=8, DD=8),
        dict(AA=9, BB=9, CC=9, DD=9),
        now=kit.EARLIER,
    )
    kit.run_period(
        top / "noord" / "beta", beta, "2011H1", dict(AA=5, BB=6, CC=5, DD=6), dict(AA=5, BB=6, CC=4, DD=6)
    )
    gamma = kit.Spec(
        "GAMMA",
        "Gamma Logistics",
        account_manager="Sanne de Vries",
        kwis=(("KWI-01", "Cost reduction", None), ("KWI-02", "Innovation", None)),
        respondents=("AA", "BB", "CC"),
        lang="en",
    )
    # two of three return, one of them anonymous: every figure rests on too few respondents
    kit.run_period(
        top / "zuid" / "gamma",
        gamma,
        "2010H2",
        dict(AA=7, CC=8),
        dict(AA=8, CC=9),
        anonymous=("CC",),
        now=kit.EARLIER,
    )
    delta = kit.Spec(
        "DELTA",
        "Delta Zorg",
        account_manager="",
        kwis=(
            ("KWI-01", "Kwaliteit", None),
            ("KWI-02", "Inspiratie", None),
            ("KWI-03", "Partnerschap", None),
        ),
        only={"KWI-02": ("AA", "DD")},
    )
    # KWI-02 rests on AA and the anonymous DD alone: the monitor withholds it
    kit.run_period(
        top / "zuid" / "delta",
        delta,
        "2011H1",
        dict(AA=7, BB=8, CC=7, DD=6),
        dict(AA=7, BB=8, CC=9, DD=6),
        anonymous=("DD",),
    )
    ouder = kit.Spec(
        "OUDER", "Ouder & Co", kwis=(("KWI-01", "Empathie", None),), respondents=("AA", "BB", "CC")
    )
    kit.run_period(top / "ouder", ouder, "2011H1", dict(AA=7, BB=7, CC=8), dict(AA=8, BB=8, CC=8))
    _broken_monitor(top / "ouder" / "2011H2" / "OUDER-2011H2 Klantwaardemonitor.xlsx")
    # unusable client folders
    kit.write_base(
        top / "leeg" / "basis.xlsx",
        kit.content(kit.Spec("LEEG", "Leeg BV"), "2011H1", dt.date(2011, 7, 1)),
        kit.load_texts("nl"),
    )
    kit.write_base(
        top / "kapot" / "basis.xlsx",
        kit.content(kit.Spec("KAPOT", "Kapot BV"), "2011H1", dt.date(2011, 7, 1)),
        kit.load_texts("nl"),
    )
    _broken_monitor(top / "kapot" / "2011H1" / "KAPOT-2011H1 Klantwaardemonitor.xlsx")
    build_workbook(
        top / "fout" / "basis.xlsx", {"Instellingen": [["Instelling", "Waarde"], ["Klant", "Fout BV"]]}
    )
    (top / "onleesbaar").mkdir()
    (top / "onleesbaar" / "basis.xlsx").write_bytes(b"dit is geen werkmap")
    kit.write_base(
        top / "eps" / "basis.xlsx",
        kit.content(kit.Spec("EPS", "Epsilon"), "2011H1", dt.date(2011, 7, 1)),
        kit.load_texts("nl"),
    )
    _old_style_monitor(top / "eps" / "2011H1" / "EPS-2011H1 Klantwaardemonitor.xlsx")
    # a copy of a client folder, a client too deep, and a link to a client elsewhere
    shutil.copytree(top / "noord" / "alfa", top / "kopie van alfa")
    os.utime(top / "kopie van alfa" / "2011H1" / "ALFA-2011H1 Klantwaardemonitor.xlsx", (1, 1))
    deep = top / "a" / "b" / "c" / "diep"
    kit.write_base(
        deep / "basis.xlsx",
        kit.content(kit.Spec("DIEP", "Diep BV"), "2011H1", dt.date(2011, 7, 1)),
        kit.load_texts("nl"),
    )
    elsewhere = top.parent / "elders" / "zeta"
    kit.write_base(
        elsewhere / "basis.xlsx",
        kit.content(kit.Spec("ZETA", "Zeta BV"), "2011H1", dt.date(2011, 7, 1)),
        kit.load_texts("nl"),
    )
    (top / "link naar zeta").symlink_to(elsewhere, target_is_directory=True)
    return top


@pytest.fixture(scope="module")
def made(root: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out")
    return make_portfolio(
        [root], out=out / "portefeuille.xlsx", csv_dir=out / "csv", now=kit.TODAY, lang="nl"
    )


@pytest.fixture(scope="module")
def book(made):
    return openpyxl.load_workbook(made.output)


def table(sheet: Any, first: str) -> tuple[int, list[str], list[list[Any]]]:
    """The header row (found by its first label), the labels and the rows below it up to a blank."""
    header = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == first)
    labels = [c.value for c in sheet[header] if c.value is not None]
    rows = []
    for r in range(header + 1, sheet.max_row + 1):
        values = [sheet.cell(r, c).value for c in range(1, len(labels) + 1)]
        if all(v is None for v in values):
            break
        rows.append(values)
    return header, labels, rows


def overview(book: Any) -> dict[str, dict[str, Any]]:
    _, labels, rows = table(book["Overzicht"], "Klant")
    return {row[1]: dict(zip(labels, row, strict=True)) for row in rows}


def monitor_of(root: Path, folder: str) -> Path:
    found = sorted((root / folder).glob("*/*Klantwaardemonitor.xlsx")) + sorted(
        (root / folder).glob("*/*Customer value monitor.xlsx")
    )
    return [p for p in found if p.stat().st_size > 100][-1]


def published(monitor: Path) -> dict[str, Any]:
    """What the monitor's own sheets show (not its _data): the overall score and KWI scores of
    KWI-scores, the NPS and its n of the NPS sheet."""
    wb = openpyxl.load_workbook(monitor)
    scores = wb[wb.sheetnames[4]]
    kwis, overall = {}, None
    for row in scores.iter_rows(min_row=1, max_col=4, values_only=True):
        if isinstance(row[0], str) and row[0].startswith("KWI-"):
            kwis.setdefault(row[0], row[3])
        elif row[0] in ("Eindcijfer", "Overall score") and overall is None:
            overall = row[3]
    nps_sheet = wb[wb.sheetnames[6]]
    labels = {row[0]: row[1] for row in nps_sheet.iter_rows(max_col=2, values_only=True) if row[0]}
    nps, n = labels["NPS"], labels["Aantal antwoorden (n)"]
    return {"overall": overall, "kwis": kwis, "nps": nps, "nps_n": n}


# ---------------------------------------------------------------------------------------------
# The workbook


def test_seven_sheets_in_order_each_headed_internal(made, book):
    assert book.sheetnames == SHEETS["nl"]
    for sheet in book.worksheets:
        assert sheet["A2"].value == BANNER["nl"], sheet.title
        assert BANNER["nl"] in sheet.oddHeader.center.text, sheet.title
        assert sheet.sheet_state == "visible"


def test_every_client_once_attention_first_with_filters_and_a_frozen_header(made, book):
    rows = overview(book)
    assert set(rows) == USED  # not the copy, not too deep, not behind a link, not the unusable ones
    sheet = book["Overzicht"]
    header, labels, _ = table(sheet, "Klant")
    assert sheet.freeze_panes == f"C{header + 1}"
    assert (
        sheet.auto_filter.ref
        == f"A{header}:{openpyxl.utils.get_column_letter(len(labels))}{header + len(rows)}"
    )
    reasons = [len(c.reasons) for c in made.clients]
    assert reasons == sorted(reasons, reverse=True) and reasons[0] >= 2 and reasons[-1] == 0
    assert [c.code for c in made.clients] == list(rows)  # the sheet in the same order
    attention = rows[made.clients[0].code]["Aandacht"]
    assert "over tijd" in attention or "onder doel" in attention
    assert len(sheet.conditional_formatting) >= 4


def test_figures_are_those_the_monitors_publish(root, made, book):
    rows = overview(book)
    folders = {"ALFA": "noord/alfa", "BETA": "noord/beta", "DELTA": "zuid/delta", "OUDER": "ouder"}
    for code, folder in folders.items():
        shown = published(monitor_of(root, folder))
        row = rows[code]
        assert row["Eindcijfer"] == pytest.approx(shown["overall"]), code
        assert row["NPS"] == pytest.approx(shown["nps"]), code
        assert row["n"] == shown["nps_n"], code
        client = next(c for c in made.clients if c.code == code)
        for kwi in client.kwis:
            assert kwi.score == (
                None if shown["kwis"][kwi.code] == "–" else pytest.approx(shown["kwis"][kwi.code])
            )
    data = json.loads(json.dumps(made.to_json(made.texts)))
    alfa = next(c for c in data["clients"] if c["code"] == "ALFA")
    assert alfa["overall"] == pytest.approx(rows["ALFA"]["Eindcijfer"])
    assert alfa["response"] == 1.0 and alfa["open_actions"] == 2 and alfa["overdue_actions"] == 1


def test_changes_carry_the_mark_of_the_monitors_trend(root, book):
    rows = overview(book)
    sheet = book["Overzicht"]
    header, labels, _ = table(sheet, "Klant")
    column = labels.index("Verandering") + 1
    for code, folder, mark in (("ALFA", "noord/alfa", "▲"), ("BETA", "noord/beta", "▼")):
        change = trend_of(read_data(monitor_of(root, folder)).history).overall.change()
        assert change is not None and change.mark == mark
        assert rows[code]["Verandering"] == pytest.approx(change.delta)
        row = header + 1 + list(rows).index(code)
        assert sheet.cell(row, column).number_format.startswith(f'"{mark} "')
    assert rows["DELTA"]["Verandering"] == "–"  # one period only: nothing to compare


def test_a_withheld_figure_stays_withheld_in_the_workbook_csv_and_json(made, book):
    gamma = overview(book)["GAMMA"]
    assert gamma["Eindcijfer"] == "–" and gamma["NPS"] == "–" and gamma["±"] == "–"
    assert gamma["Respons"] == pytest.approx(2 / 3)  # who took part may be shown
    data = made.to_json(made.texts)
    entry = next(c for c in data["clients"] if c["code"] == "GAMMA")
    assert entry["overall"] is None and entry["nps"] is None
    clients = read_csv(made.csv_files[0], "nl")
    row = next(r for r in clients if r["Klantcode"] == "GAMMA")
    assert row["Eindcijfer"] == "" and row["NPS"] == "" and row["Eindcijfer getoond"] == "nee"
    # a KWI the monitor withholds: a dash, an empty field, and never in a theme's mean
    delta = next(c for c in made.clients if c.code == "DELTA")
    withheld = [k for k in delta.kwis if not k.shown]
    assert "KWI-02" in [k.code for k in withheld] and all(k.score is None for k in withheld)
    kwis = read_csv(made.csv_files[1], "nl")
    found = next(r for r in kwis if r["Klantcode"] == "DELTA" and r["KWI"] == "KWI-02")
    assert found["KWI-score"] == "" and found["KWI-gemiddelde"] == "" and found["Getoond"] == "nee"
    inspiration = next(t for t in made.portfolio.themes if t.name == "Inspiratie")
    assert inspiration.clients == 1 and inspiration.mean is None
    _, labels, rows = table(book["Thema's"], "Thema")
    assert (
        dict(zip(labels, next(r for r in rows if r[0] == "Inspiratie"), strict=True))["Gemiddelde score"]
        == "–"
    )


def test_each_unusable_client_folder_is_one_line_and_the_rest_is_done(made, book):
    lines = {p.location.file: p.code for p in made.problems}
    assert lines == {
        "leeg": "portfolio_no_monitor",
        "kapot": "portfolio_monitor_unreadable",
        "fout": "portfolio_base_errors",
        "onleesbaar": "portfolio_base_unreadable",
        "ouder": "portfolio_monitor_older",
        "eps": "portfolio_monitor_incomplete",
        "kopie van alfa": "portfolio_duplicate",
    }
    assert len(made.problems) == len(lines)  # one line each
    _, labels, rows = table(book["Meldingen"], "Map")
    assert sorted(r[0] for r in rows) == sorted(lines)
    messages = {r[0]: r[2] for r in rows}
    assert "nog geen monitor" in messages["leeg"] and "kwm process" in messages["leeg"]
    assert "2011H1" in messages["ouder"] and "2011H2" in messages["ouder"]
    assert "noord/alfa" in messages["kopie van alfa"]
    ouder = next(c for c in made.clients if c.code == "OUDER")
    assert ouder.period == "2011H1"  # the earlier monitor stands in for the broken newer one
    eps = next(c for c in made.clients if c.code == "EPS")
    assert eps.overall == 6.5 and eps.nps == -25.0 and [k.score for k in eps.kwis] == [6.5]


def test_kwi_titles_are_grouped_by_theme_across_spelling_and_language(made, book):
    themes = {t.name: t for t in made.portfolio.themes}
    assert themes["Kostenreductie"].clients == 3  # Kostenreductie, KOSTENREDUCTIE, Cost reduction
    assert set(themes["Kostenreductie"].titles) == {"Kostenreductie", "KOSTENREDUCTIE", "Cost reduction"}
    assert themes["Kostenreductie"].theme.listed
    assert themes["Kennisborging"].clients == 2  # own theme: Kennisborging and kennis-borging!
    assert not themes["Kennisborging"].theme.listed
    assert "Continuïteit" in themes  # written without the accent, shown as the inspiration list has it
    assert themes["Innovatie"].titles == ("Innovation",)
    scores = [k.score for c in made.clients for k in c.kwis if k.theme.name == "Partnership" and k.score]
    assert themes["Partnership"].mean == pytest.approx(sum(scores) / len(scores))
    charts = compat.charts(book["Thema's"])
    assert len(charts) == 1 and charts[0].type == "bar"


def test_the_standard_questions_compare_every_client_with_the_portfolio(root, made, book):
    for client in made.clients:
        if client.code in ("GAMMA", "EPS"):
            continue
        data = read_data(monitor_of(root, client.folder))
        for kind in ("active", "agreements"):
            own = [q for q in data.figures.questions if q.standard == kind and q.mean is not None]
            pooled = sum(q.mean * q.n for q in own) / sum(q.n for q in own)
            assert client.standard[kind].mean == pytest.approx(pooled), (client.code, kind)
    means = [c.standard["active"].mean for c in made.clients if c.standard["active"].mean is not None]
    assert made.portfolio.benchmark["active"] == pytest.approx(sum(means) / len(means))
    sheet = book["Standaardvragen"]
    benchmark = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "Portefeuille")
    assert benchmark[3] == pytest.approx(made.portfolio.benchmark["active"])


def test_open_actions_by_deadline_overdue_against_today(made, book):
    _, labels, rows = table(book["Acties"], "Deadline")
    found = [dict(zip(labels, r, strict=True)) for r in rows]
    assert [r["Nr"] for r in found if r["Code"] == "ALFA"] == ["A-1", "A-2"]  # A-3 is done
    deadlines = [r["Deadline"] for r in found]
    assert deadlines == sorted(deadlines)
    first = next(r for r in found if r["Nr"] == "A-1")
    assert first["Dagen over tijd"] == (kit.TODAY.date() - dt.date(2011, 3, 1)).days
    assert next(r for r in found if r["Nr"] == "A-2")["Dagen over tijd"] is None


def test_account_managers(made, book):
    _, labels, rows = table(book["Accountmanagers"], "Accountmanager")
    found = {r[0]: dict(zip(labels, r, strict=True)) for r in rows}
    assert found["Sanne de Vries"]["Klanten"] == 2
    assert found["(niet ingevuld)"]["Klanten"] == 2  # DELTA names none, nor does the old monitor of EPS
    assert found["Rob Martens"]["Acties over tijd"] == 1


def test_the_trend_pools_the_nps_over_every_respondent(root, made, book):
    periods = {t.period: t for t in made.portfolio.trend}
    assert set(periods) == {"2010H2", "2011H1"}
    rows = [
        r
        for c in made.clients
        for r in c.history
        if r.kind == "nps" and r.period == "2011H1" and r.value is not None
    ]
    assert periods["2011H1"].nps == pytest.approx(sum(r.value * r.n for r in rows) / sum(r.n for r in rows))
    assert periods["2010H2"].clients == 3  # ALFA, BETA and GAMMA measured then
    assert periods["2010H2"].scored == 2  # GAMMA's overall score is withheld
    assert len(compat.charts(book["Trend"])) == 2


# ---------------------------------------------------------------------------------------------
# CSV


def read_csv(path: Path, lang: str) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8
    text = raw.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";" if lang == "nl" else ","))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_csv_in_the_users_language_and_safe_to_open(root, tmp_path, lang):
    result = make_portfolio(
        [root], out=tmp_path / "p.xlsx", csv_dir=tmp_path / "csv", now=kit.TODAY, lang=lang
    )
    assert sorted(p.name for p in result.csv_files) == ["actions.csv", "clients.csv", "kwis.csv", "trend.csv"]
    clients = read_csv(tmp_path / "csv" / "clients.csv", lang)
    code, overall = ("Klantcode", "Eindcijfer") if lang == "nl" else ("Client code", "Overall score")
    alfa = next(r for r in clients if r[code] == "ALFA")
    value = alfa[overall]
    separator = "," if lang == "nl" else "."
    assert separator in value and ("." if lang == "nl" else ",") not in value
    expected = next(c for c in result.clients if c.code == "ALFA").overall
    assert float(value.replace(",", ".")) == pytest.approx(expected, abs=1e-4)
    actions = read_csv(tmp_path / "csv" / "actions.csv", lang)
    description = "Omschrijving" if lang == "nl" else "Description"
    injected = next(r for r in actions if r[description].lstrip("'").startswith("=HYPERLINK"))
    assert injected[description].startswith("'=")  # shown as text, never run as a formula
    trend = read_csv(tmp_path / "csv" / "trend.csv", lang)
    assert {r["Periode" if lang == "nl" else "Period"] for r in trend} == {"2010H2", "2011H1"}
    assert len(read_csv(tmp_path / "csv" / "kwis.csv", lang)) == sum(len(c.kwis) for c in result.clients)


def test_csv_neutralises_every_way_a_formula_can_start():
    from klantwaarde.portfolio.csv_tables import harmless

    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "  =1", "\n=1"):
        assert harmless(text).startswith("'"), text
    for text in ("Kennissessie", "1e kwartaal", "", "A-1"):
        assert harmless(text) == text


# ---------------------------------------------------------------------------------------------
# The command line


def kwm(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from klantwaarde.cli import main; sys.argv = ['kwm', *sys.argv[1:]]; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_json_prints_only_the_json_of_the_spec(root, tmp_path):
    done = kwm("portfolio", str(root), "--json", "--out", str(tmp_path / "p.xlsx"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    data = json.loads(done.stdout)
    assert list(data) == ["output", "clients", "problems"]
    assert {tuple(c) for c in data["clients"]} == {
        (
            "code",
            "client",
            "period",
            "overall",
            "nps",
            "response",
            "below_target",
            "open_actions",
            "overdue_actions",
        )
    }
    assert {c["code"] for c in data["clients"]} == USED
    assert {p["code"] for p in data["problems"]} >= {"portfolio_no_monitor", "portfolio_duplicate"}
    assert all(p["message"] for p in data["problems"])


def test_the_default_output_is_dated_in_the_current_folder_and_the_terminal_says_internal(root, tmp_path):
    done = kwm("portfolio", str(root), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"Portefeuille {dt.date.today().isoformat()}.xlsx").is_file()
    assert "Intern – niet delen met de klant" in done.stderr
    assert "leeg" in done.stderr and "Traceback" not in done.stderr  # the problem lines
    english = kwm("--lang", "en", "portfolio", str(root), cwd=tmp_path)
    assert english.returncode == 0, english.stderr
    assert (tmp_path / f"Portfolio {dt.date.today().isoformat()}.xlsx").is_file()
    assert (
        openpyxl.load_workbook(tmp_path / f"Portfolio {dt.date.today().isoformat()}.xlsx").sheetnames
        == SHEETS["en"]
    )


def test_never_into_a_client_folder_by_default(root, tmp_path):
    client = tmp_path / "klant"
    shutil.copytree(root / "noord" / "alfa", client)
    before = sorted(p.name for p in client.iterdir())
    done = kwm("portfolio", cwd=client)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "--out" in done.stderr
    assert sorted(p.name for p in client.iterdir()) == before  # nothing written
    done = kwm("portfolio", "..", "--json", cwd=client / "2011H1")  # a period folder is in it too
    assert done.returncode == 1 and done.stderr == ""
    assert [p["code"] for p in json.loads(done.stdout)["problems"]] == ["portfolio_in_client_folder"]
    chosen = client / "mijn portefeuille.xlsx"  # said explicitly: allowed
    done = kwm("portfolio", "--out", str(chosen), cwd=client)
    assert done.returncode == 0, done.stderr
    assert chosen.is_file()


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("basis.xlsx", "output_is_base"),
        ("ALFA-2011H1 Klantwaardemonitor.xlsx", "portfolio_output_client_name"),
        ("ingevuld/p.xlsx", "output_in_answers"),
    ],
)
def test_never_onto_what_kwm_reads_or_gives_the_client(root, tmp_path, name, code):
    out = tmp_path / name
    result = CliRunner().invoke(build_app("nl"), ["portfolio", str(root), "--out", str(out), "--json"])
    assert result.exit_code == 1
    assert [p["code"] for p in json.loads(result.stdout)["problems"]] == [code]
    assert not out.exists()


def test_a_folder_without_clients_and_a_missing_folder_are_errors(tmp_path):
    (tmp_path / "leeg").mkdir()
    for folder, code in (
        (tmp_path / "leeg", "portfolio_no_clients"),
        (tmp_path / "nergens", "portfolio_folder_missing"),
    ):
        result = CliRunner().invoke(build_app("nl"), ["portfolio", str(folder), "--json"])
        assert result.exit_code == 1
        assert [p["code"] for p in json.loads(result.stdout)["problems"]] == [code]
    assert list((tmp_path / "leeg").iterdir()) == []


def test_a_pool_of_workers_reads_the_same_as_one(root, made, tmp_path):
    pooled = make_portfolio([root], out=tmp_path / "p.xlsx", now=kit.TODAY, lang="nl", workers=2)
    assert pooled.to_json(pooled.texts)["clients"] == made.to_json(made.texts)["clients"]
    assert [p.code for p in pooled.problems] == [p.code for p in made.problems]


def test_progress_is_reported_for_every_folder(root, tmp_path):
    seen: list[tuple[int, int]] = []
    make_portfolio([root], out=tmp_path / "p.xlsx", now=kit.TODAY, progress=lambda d, t: seen.append((d, t)))
    total = seen[-1][1]
    assert seen[0] == (0, total) and seen[-1] == (total, total) and total == 11


# ---------------------------------------------------------------------------------------------
# LibreOffice


def test_libreoffice_opens_the_portfolio_and_keeps_values_and_formats(made, soffice, tmp_path):
    (resaved,) = convert(soffice, [made.output], tmp_path / "lo")
    again = openpyxl.load_workbook(resaved)
    original = openpyxl.load_workbook(made.output)
    assert again.sheetnames == original.sheetnames
    for name in original.sheetnames:
        before = [[c for c in row] for row in original[name].iter_rows(values_only=True)]
        after = [[c for c in row] for row in again[name].iter_rows(values_only=True)]
        numbers = [
            (i, j, v) for i, row in enumerate(before) for j, v in enumerate(row) if isinstance(v, float)
        ]
        for i, j, value in numbers:
            assert after[i][j] == pytest.approx(value), (name, i, j)
        texts = [(i, j, v) for i, row in enumerate(before) for j, v in enumerate(row) if isinstance(v, str)]
        for i, j, value in texts:
            assert after[i][j] == value, (name, i, j)
    assert len(again["Overzicht"].conditional_formatting) >= 4
    assert again["Overzicht"].auto_filter.ref
    assert len(compat.charts(again["Trend"])) == 2 and len(compat.charts(again["Thema's"])) == 1
    (pdf,) = convert(soffice, [made.output], tmp_path / "pdf", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
