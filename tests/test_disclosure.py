"""The disclosure rules of SPEC 3.5: one decision, and an independent attacker that must fail.

The property tests draw random bases (respondents, KWIs, questions, assignment), random fills and
random anonymity choices; ``disclosure_checker`` then tries to recover every anonymous respondent's
answers, scores, NPS category and remark authorship from what is shown — directly, by subtraction
of published details from published pooled figures, and from figures with a single contributor.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from disclosure_checker import Truth, attack_json
from klantwaarde.disclosure import NPS, OVERALL, Reason, decide
from klantwaarde.model import (
    Answer,
    Base,
    Form,
    FormIdentity,
    Kwi,
    Location,
    Question,
    Relevance,
    Respondent,
    Settings,
    Weights,
)
from klantwaarde.publish import report_payload
from klantwaarde.report import build_report
from klantwaarde.results import envelope
from klantwaarde.texts import load_texts

NOW = dt.datetime(2011, 6, 1, 9, 30)
NAMES = (
    "Anna Appel",
    "Bert Boom",
    "Cor Coster",
    "Dirk Dekker",
    "Els Eland",
    "Frans Fok",
    "Gea Gans",
    "Henk Haas",
)
RELEVANCE = (Relevance.LESS, Relevance.NEUTRAL, Relevance.MORE)
WEIGHTS = Weights(1, 2, 3)


def make_base(
    people: int, kwis: list[int], assigned: dict[tuple[int, int, int], bool], threshold: int = 3
) -> Base:
    initials = [f"R{i + 1}" for i in range(people)]
    questions = []
    for c, count in enumerate(kwis):
        for q in range(count):
            who = tuple(initials[r] for r in range(people) if assigned.get((c, q, r), True))
            questions.append(Question(f"K{c + 1}", f"{c + 1}.{q + 1:02d}", f"Vraag {c + 1}.{q + 1}", who))
    return Base(
        path=Path("basis.xlsx"),
        settings=Settings(
            client="Klant",
            client_code="KL",
            supplier="Lev",
            period="2011H1",
            weights=WEIGHTS,
            anonymity_threshold=threshold,
        ),
        respondents=tuple(Respondent(NAMES[i], initials[i]) for i in range(people)),
        kwis=tuple(Kwi(f"K{c + 1}", f"KWI {c + 1}") for c in range(len(kwis))),
        questions=tuple(questions),
    )


def make_forms(
    base: Base, fills: dict[str, dict[str, tuple[int, Relevance]]], anonymous: set[str], nps, remarks
):
    forms = []
    for respondent in base.respondents:
        r = respondent.initials
        if r not in fills:
            continue
        answers = tuple(
            Answer(q, grade, mark, Location(), base.question(q))
            for q, (grade, mark) in sorted(fills[r].items())
        )
        forms.append(
            Form(
                Path(f"{r}.xlsx"),
                FormIdentity("KL", "2011H1", r),
                answers,
                nps=nps.get(r),
                anonymous=r in anonymous,
                remark=remarks.get(r, ""),
            )
        )
    return forms


def truth_of(base: Base, fills, anonymous, nps, remarks) -> Truth:
    return Truth(
        answers={r: {q: (g, int(WEIGHTS.of(m))) for q, (g, m) in qs.items()} for r, qs in fills.items()},
        kwi_of={q.number: q.kwi_code for q in base.questions},
        nps={r: nps.get(r) for r in fills},
        remarks={r: remarks[r] for r in fills if remarks.get(r)},
        anonymous=frozenset(anonymous & set(fills)),
        names={r.initials: r.name for r in base.respondents},
    )


def published_json(base, forms):
    report = build_report(base, forms, now=NOW)
    disclosure = decide(report)
    return (
        report,
        disclosure,
        envelope(report_payload(report, disclosure, "monitor.xlsx"), [], load_texts("nl")),
    )


@st.composite
def cycles(draw):
    people = draw(st.integers(2, 8))
    kwis = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    cells = [(c, q, r) for c, n in enumerate(kwis) for q in range(n) for r in range(people)]
    assigned = {cell: draw(st.booleans()) or draw(st.booleans()) for cell in cells}
    threshold = draw(st.sampled_from([2, 3, 3, 4]))
    base = make_base(people, kwis, assigned, threshold)
    fills: dict[str, dict[str, tuple[int, Relevance]]] = {}
    for respondent in base.respondents:
        if not draw(st.integers(0, 5)):  # about one in six does not return the form
            continue
        own = {}
        for question in base.questions_for(respondent.initials):
            if draw(st.integers(0, 7)):  # most questions are answered
                own[question.number] = (draw(st.integers(1, 10)), draw(st.sampled_from(RELEVANCE)))
        fills[respondent.initials] = own
    anonymous = {r for r in fills if draw(st.integers(0, 2)) == 0}
    nps = {r: draw(st.one_of(st.none(), st.integers(0, 10))) for r in fills}
    remarks = {r: f"opmerking nummer {i}" for i, r in enumerate(fills) if draw(st.booleans())}
    return base, fills, anonymous, nps, remarks


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycles())
def test_nothing_of_an_anonymous_respondent_can_be_worked_out_from_the_json(cycle):
    base, fills, anonymous, nps, remarks = cycle
    forms = make_forms(base, fills, anonymous, nps, remarks)
    if not forms:
        return
    _, _, data = published_json(base, forms)
    attack = attack_json(data, truth_of(base, fills, anonymous, nps, remarks))
    assert attack.leaks() == []


@settings(max_examples=150, deadline=None)
@given(cycles())
def test_without_anonymous_respondents_nothing_is_withheld(cycle):
    base, fills, _, nps, remarks = cycle
    forms = make_forms(base, fills, set(), nps, remarks)
    if not forms:
        return
    report = build_report(base, forms, now=NOW)
    assert not decide(report).withholds_anything


# ---------------------------------------------------------------------------------------------
# The cases the field trial found, and the rules one by one


def five_people(assigned_only_to: dict[str, str] | None = None, threshold: int = 3):
    """Five respondents, two KWIs of three questions; every question assigned to everyone unless
    ``assigned_only_to`` gives a question to a single respondent."""
    base = make_base(5, [3, 3], {}, threshold)
    if assigned_only_to:
        questions = tuple(
            replace(q, assigned=(assigned_only_to[q.number],)) if q.number in assigned_only_to else q
            for q in base.questions
        )
        base = replace(base, questions=questions)
    fills = {
        r.initials: {
            q.number: (5 + (i + j) % 5, RELEVANCE[(i * j) % 3])
            for j, q in enumerate(base.questions_for(r.initials))
        }
        for i, r in enumerate(base.respondents)
    }
    return base, fills


def test_one_anonymous_respondent_leaves_pooled_figures_only():
    base, fills = five_people()
    forms = make_forms(base, fills, {"R4"}, {r: 8 for r in fills}, {"R1": "goed", "R4": "matig"})
    report = build_report(base, forms, now=NOW)
    d = decide(report)
    assert d.overall_shown and all(d.kwi_shown(k.code) for k in base.kwis)
    assert all(d.question_shown(q.number) for q in base.questions)
    for r in ("R1", "R2", "R3", "R5"):
        assert not d.detail_shown(r, OVERALL) and not d.detail_shown(r, "K1") and not d.detail_shown(r, NPS)
        assert not d.detail_shown(r, "1.01")
    assert [remark.respondent for remark in d.remarks(report)] == [None, None]
    assert [remark.text for remark in d.remarks(report)] == ["goed", "matig"]  # by text, not by respondent
    assert d.answer_rows(report) and all(who is None for _, who in d.answer_rows(report))
    assert Reason.FEW_ANONYMOUS in {w.reason for w in d.reasons}


def test_a_question_of_the_anonymous_respondent_alone_is_withheld_and_cannot_be_subtracted():
    """The trial's "Vraag 2.03 is alleen aan ... toegewezen": its figure gave the answer away, and
    the KWI minus its other questions would too."""
    base, fills = five_people({"2.03": "R4"})
    forms = make_forms(base, fills, {"R4"}, {}, {})
    report = build_report(base, forms, now=NOW)
    d = decide(report)
    assert not d.question_shown("2.03")
    assert d.kwi_shown("K2")  # the KWI still shows: pooled figures are kept where they can be
    withheld = [q for q in ("2.01", "2.02") if not d.question_shown(q)]
    assert withheld  # at least one more question of K2, so the withheld ones rest on k
    _, _, data = published_json(base, forms)
    truth = truth_of(base, fills, {"R4"}, {}, {})
    assert attack_json(data, truth).leaks() == []
    assert data["withheld"]["questions"] == sorted(["2.03", *withheld])
    assert next(q for q in data["questions"] if q["number"] == "2.03") == {
        "number": "2.03", "kwi": "K2", "shown": False, "n": None, "mean": None, "score": None,
    }  # fmt: skip


def test_as_many_anonymous_respondents_as_the_threshold_allow_named_details_again():
    base, fills = five_people()
    forms = make_forms(base, fills, {"R1", "R2", "R3"}, {r: 7 for r in fills}, {})
    d = decide(build_report(base, forms, now=NOW))
    assert d.detail_shown("R4", OVERALL) and d.detail_shown("R5", "K1") and d.detail_shown("R4", NPS)
    assert not d.detail_shown("R1", OVERALL)  # never an anonymous respondent's own


def test_a_figure_without_anonymous_contributors_is_shown_however_few_rest_on_it():
    base, fills = five_people({"1.03": "R2"})
    forms = make_forms(base, fills, {"R4"}, {}, {})
    d = decide(build_report(base, forms, now=NOW))
    assert d.question_shown("1.03")  # R2 is named: only anonymity is protected


def test_too_few_respondents_in_all_withholds_every_figure():
    base, fills = five_people(threshold=3)
    fills = {r: fills[r] for r in ("R1", "R2")}
    forms = make_forms(base, fills, {"R1"}, {"R1": 9, "R2": 3}, {"R1": "tekst"})
    report = build_report(base, forms, now=NOW)
    d = decide(report)
    assert not d.overall_shown and not d.nps_shown
    assert not any(d.kwi_shown(k.code) for k in base.kwis)
    assert not d.remarks_shown and d.remarks(report) == []  # two writers at most: plain who wrote it


@pytest.mark.parametrize("threshold", [2, 3, 4])
def test_the_threshold_of_the_base_is_the_one_used(threshold):
    base, fills = five_people(threshold=threshold)
    forms = make_forms(base, fills, {"R1", "R2"}, {}, {})
    d = decide(build_report(base, forms, now=NOW))
    assert d.threshold == threshold
    assert d.detail_shown("R5", OVERALL) is (threshold <= 2)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8), st.integers(0, 8), st.integers(2, 4))
def test_remark_authors_follow_rule_4(people, anonymous_writers, threshold):
    base = make_base(people, [2], {}, threshold)
    initials = [r.initials for r in base.respondents]
    fills = {r: {q.number: (7, Relevance.NEUTRAL) for q in base.questions} for r in initials}
    anonymous = set(initials[: min(anonymous_writers, people)])
    remarks = {r: f"tekst {r[1:]}x" for r in initials}
    report = build_report(base, make_forms(base, fills, anonymous, {}, remarks), now=NOW)
    shown = decide(report).remarks(report)
    authors = [r.respondent for r in shown]
    if anonymous and people < threshold:  # so few wrote that each writer would be plain
        assert shown == []
        return
    assert len(shown) == people
    if 1 <= len(anonymous) < threshold:
        assert authors == [None] * people
    assert sum(a is None for a in authors) >= len(anonymous)


def test_the_attacker_finds_what_an_unprotected_output_gives_away():
    """The checker is not toothless: with the rules switched off (k = 1) it recovers the anonymous
    respondent's lone answer directly and their scores by subtraction of the named respondents'
    published scores from the pooled ones."""
    base, fills = five_people({"2.03": "R4"})
    nps = {r: 9 if r == "R4" else 6 for r in fills}
    remarks = {"R4": "alleen ik"}
    forms = make_forms(base, fills, {"R4"}, nps, remarks)
    report = build_report(base, forms, now=NOW)
    data = envelope(report_payload(report, decide(report, threshold=1), "m.xlsx"), [], load_texts("nl"))
    leaks = attack_json(data, truth_of(base, fills, {"R4"}, nps, remarks)).leaks()
    assert "R4's answer to 2.03 (g) follows from what is shown" in leaks
    assert "R4's K1 score follows from what is shown" in leaks  # KWI minus the named respondents
    assert "R4's overall score follows from what is shown" in leaks
