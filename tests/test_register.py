"""The register of issued forms (SPEC 3.2) and identity verified against it (SPEC 3.3): one
respondent can no longer pose as another."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import FIXED_NOW, as_nobody, open_to_all
from cycle_kit import FOUR, forms_of, two_of_four_returned, write_base
from klantwaarde import register
from klantwaarde.api.generate import generate
from klantwaarde.api.process import process
from klantwaarde.api.status import status
from klantwaarde.cli import build_app
from klantwaarde.layout import CycleLayout
from klantwaarde.pipeline.base import load_base
from klantwaarde.workbook.fill import fill_form


def returned(base: Path) -> Path:
    return base.parent / nm.PERIOD / "ingevuld"


def relabel(form: Path, target: Path, initials: str) -> Path:
    """A copy of ``form`` whose hidden identity and properties say it is ``initials``'s."""
    workbook = openpyxl.load_workbook(form)
    hidden = workbook["_kwm"]
    for row in hidden.iter_rows():
        if row[0].value == "initials":
            row[1].value = initials
    for prop in workbook.custom_doc_props:
        if prop.name == "kwm_initials":
            prop.value = initials
    workbook.save(target)
    return target


def respondent_overall(data: dict, initials: str) -> float | None:
    return next(r["overall"] for r in data["respondents"] if r["initials"] == initials)


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """AA and BB returned (BB with one bad grade); CC and DD not yet; the register kept by generate."""
    return two_of_four_returned(tmp_path / "klant")


def test_generate_keeps_a_register_of_every_form_it_issues(client: Path) -> None:
    book = register.read(CycleLayout.of(load_base(client)[0]).register)
    assert book is not None and book.problems == []
    assert sorted(e.initials for e in book.forms.values()) == sorted(FOUR)
    aa = book.issued_to("AA")[0]
    assert aa.numbers == frozenset(nm.ASSIGNMENT["AA"])
    assert aa.issued_at == FIXED_NOW and aa.file.endswith("(AA).xlsx")
    assert len({e.form_id for e in book.forms.values()}) == 4


def test_a_form_relabelled_as_another_respondent_never_displaces_their_own(client: Path) -> None:
    """AA's form with BB in _kwm once displaced BB's real form (BB's overall 8.37 -> 1.00)."""
    forms = forms_of(client)
    fake = returned(client) / "nep.xlsx"
    fill_form(forms["AA"], fake, {n: (1, ">") for n in nm.ASSIGNMENT["AA"]}, nps=0)
    relabel(fake, fake, "BB")
    before = process(client, out=client.parent / "voor.xlsx", now=FIXED_NOW)
    # the fake is newer than BB's real form and would have won the duplicate rule
    after = process(client, out=client.parent / "na.xlsx", now=FIXED_NOW + dt.timedelta(days=1))
    assert after.report is not None and before.report is not None
    assert after.report.overall == pytest.approx(before.report.overall)
    outcome = next(f for f in after.files if f.path.name == "nep.xlsx")
    assert [p.code for p in outcome.problems] == ["form_not_issued"]
    assert outcome.status.value == "refused"


def test_a_form_relabelled_as_someone_who_did_not_return_leaves_them_missing(client: Path) -> None:
    """KK's form relabelled AA counted as AA, so AA never got a reminder; here CC is the missing one."""
    fake = returned(client) / "van DD.xlsx"
    fill_form(forms_of(client)["DD"], fake, nm.answers("DD"), nps=8)
    relabel(fake, fake, "CC")
    state = status(client)
    assert state.missing == ["CC", "DD"]
    result = CliRunner().invoke(build_app("nl"), ["remind", str(client), "--dry-run", "--json"])
    assert [r["initials"] for r in json.loads(result.stdout)["reminders"]] == ["CC", "DD"]


def test_a_form_made_elsewhere_is_refused_when_the_period_has_a_register(
    client: Path, tmp_path: Path
) -> None:
    elsewhere = write_base(tmp_path / "elders" / "basis.xlsx", respondents=FOUR)
    made = generate(elsewhere, now=FIXED_NOW).forms[2]  # CC's, by another copy of the base
    fill_form(made.path, returned(client) / "CC.xlsx", nm.answers("CC"), nps=7)
    state = status(client)
    assert "CC" in state.missing
    cc = next(r for r in state.respondents if r.initials == "CC")
    assert [p.code for p in cc.problems] == ["form_not_issued"]


def test_a_form_generated_again_does_not_invalidate_one_already_sent(client: Path) -> None:
    first = forms_of(client)
    sent = returned(client).parent / "verstuurd"
    sent.mkdir()
    copies = {i: (sent / p.name).write_bytes(p.read_bytes()) and sent / p.name for i, p in first.items()}
    generate(client, now=FIXED_NOW + dt.timedelta(days=3))  # again, e.g. after fixing a typo
    book = register.read(CycleLayout.of(load_base(client)[0]).register)
    assert book is not None and len(book.forms) == 8  # four ids more, none replaced
    fill_form(copies["CC"], returned(client) / "CC.xlsx", nm.answers("CC"), nps=7)  # the first one
    assert "CC" in status(client).returned


def test_without_a_register_the_forms_count_with_one_warning(client: Path) -> None:
    CycleLayout.of(load_base(client)[0]).register.unlink()
    result = CliRunner().invoke(build_app("nl"), ["process", str(client), "--json"])
    data = json.loads(result.stdout)
    assert result.exit_code == 0 and data["returned"] == 2
    assert [p["code"] for p in data["problems"]].count("register_missing") == 1


def test_a_damaged_register_line_is_skipped_with_a_warning(client: Path) -> None:
    path = CycleLayout.of(load_base(client)[0]).register
    with path.open("a", encoding="utf-8") as handle:
        handle.write('{"form_id": "kapot"\n')
    state = status(client)
    assert state.returned == ["AA", "BB"]
    assert "register_line_invalid" in [p.code for p in state.problems]


def test_an_unreadable_register_is_a_warning_and_no_traceback(client: Path, tmp_path: Path) -> None:
    path = CycleLayout.of(load_base(client)[0]).register
    open_to_all(tmp_path)
    path.chmod(0)

    def run() -> tuple[int, list[str]]:
        result = CliRunner().invoke(build_app("nl"), ["status", str(client), "--json"])
        return result.exit_code, [p["code"] for p in json.loads(result.stdout)["problems"]]

    code, codes = as_nobody(run)
    assert code == 0 and "register_unreadable" in codes


def test_a_form_of_an_older_question_set_counts_and_names_what_changed(tmp_path: Path) -> None:
    base = two_of_four_returned(tmp_path / "klant")
    workbook = openpyxl.load_workbook(base)
    sheet = workbook["Vragen"]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "1.02":
            row[2].value = "Een heel andere vraag dan eerst"
    workbook.save(base)
    state = status(base)
    assert state.returned == ["AA", "BB"]
    aa = next(r for r in state.respondents if r.initials == "AA")
    (changed,) = [p for p in aa.problems if p.code == "form_questions_changed"]
    assert changed.context["numbers"] == ["1.02"]
