"""The README and the user guides: pictures, quick start, commands, links and the worked example.

The pictures themselves are made by ``docs/make_pictures.py`` (LibreOffice); these tests only check
what is committed, so they run everywhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klantwaarde.cli import COMMANDS
from klantwaarde.model import Relevance, Weights
from klantwaarde.scoring import ScoredAnswer, weighted_score

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
IMG = DOCS / "img"
README = ROOT / "README.md"
GUIDES = {"nl": DOCS / "handleiding.md", "en": DOCS / "guide.md"}
MAX_PICTURE_BYTES = 300_000
# What the issue asks to see: the questionnaire, several monitor sheets, the A3 plan.
REQUIRED_PICTURES = {
    "questionnaire.png",
    "questionnaire-filled.png",
    "monitor-cover.png",
    "monitor-scores.png",
    "monitor-trend.png",
    "monitor-nps.png",
    "a3-plan.png",
}

IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s#]+)(?:#[^)]*)?\)")


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pictures_in(path: Path) -> list[Path]:
    return [(path.parent / target).resolve() for target in IMAGE_LINK.findall(text(path))]


def section(markdown: str, heading: str) -> str:
    """The text of ``## heading`` up to the next ``## ``."""
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", markdown, re.MULTILINE | re.DOTALL)
    assert match, f"no section '## {heading}'"
    return match.group(1)


def fenced_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```[a-z]*\n(.*?)^```", markdown, re.MULTILINE | re.DOTALL)


# -- pictures --------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_every_picture_a_guide_shows_exists(lang):
    shown = pictures_in(GUIDES[lang])
    assert shown, f"{GUIDES[lang].name} shows no pictures"
    missing = [str(p.relative_to(ROOT)) for p in shown if not p.is_file()]
    assert not missing, f"{GUIDES[lang].name} shows pictures that do not exist: {missing}"


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_a_guide_shows_only_pictures_in_its_own_language(lang):
    folder = (IMG / lang).resolve()
    strays = [str(p.relative_to(ROOT)) for p in pictures_in(GUIDES[lang]) if p.parent != folder]
    assert not strays, f"{GUIDES[lang].name} shows pictures from outside docs/img/{lang}: {strays}"


def test_every_picture_file_is_shown_in_the_guide_of_its_language():
    files = sorted(IMG.rglob("*.png"))
    assert files, "docs/img holds no pictures: run python docs/make_pictures.py"
    shown = {p for guide in GUIDES.values() for p in pictures_in(guide)}
    unused = [str(p.relative_to(ROOT)) for p in files if p.resolve() not in shown]
    assert not unused, f"pictures no guide shows (remove them or show them): {unused}"


@pytest.mark.parametrize("lang", sorted(GUIDES))
def test_the_pictures_the_issue_asks_for_are_there(lang):
    present = {p.name for p in (IMG / lang).glob("*.png")}
    assert REQUIRED_PICTURES <= present, sorted(REQUIRED_PICTURES - present)


def test_both_languages_have_the_same_pictures():
    names = {lang: {p.name for p in (IMG / lang).glob("*.png")} for lang in GUIDES}
    assert names["nl"] == names["en"]


def test_pictures_are_modest_pngs():
    for picture in IMG.rglob("*.png"):
        data = picture.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), picture.name
        assert len(data) < MAX_PICTURE_BYTES, f"{picture.relative_to(ROOT)}: {len(data)} bytes"


def test_the_picture_script_says_what_it_needs():
    script = text(DOCS / "make_pictures.py")
    assert "pip install pillow" in script
    assert "soffice" in script and "pdftoppm" in script


# -- README ----------------------------------------------------------------------------------


def test_the_quick_start_has_exactly_two_commands():
    blocks = fenced_blocks(section(text(README), "Quick start"))
    commands = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert len(blocks) == 2 and len(commands) == 2, commands
    assert commands[0] == "pip install . && kwm demo"


def test_ci_runs_the_second_quick_start_command_verbatim():
    second = fenced_blocks(section(text(README), "Quick start"))[1].strip()
    assert second in text(ROOT / ".ci" / "run").splitlines()


@pytest.mark.parametrize("document", [README, *GUIDES.values()], ids=lambda p: p.name)
def test_every_command_is_in_the_readme_and_both_guides(document):
    body = text(document)
    missing = [name for name in COMMANDS if not re.search(rf"\bkwm {name}\b", body)]
    assert not missing, f"{document.name} never mentions: {missing}"


def test_the_readme_links_to_both_guides_and_the_guides_to_each_other():
    readme_links = set(LINK.findall(text(README)))
    assert {"docs/handleiding.md", "docs/guide.md"} <= readme_links
    assert "guide.md" in LINK.findall(text(GUIDES["nl"]))
    assert "handleiding.md" in LINK.findall(text(GUIDES["en"]))


@pytest.mark.parametrize("guide", GUIDES.values(), ids=lambda p: p.name)
def test_links_in_the_guides_lead_somewhere(guide):
    body = text(guide)
    for target in LINK.findall(body):
        if not re.match(r"[a-z]+:", target):
            assert (guide.parent / target).exists(), f"{guide.name}: broken link {target}"
    anchors = {_anchor(h) for h in re.findall(r"^#+ (.+)$", body, re.MULTILINE)}
    for anchor in re.findall(r"\]\(#([^)]+)\)", body):
        assert anchor in anchors, f"{guide.name}: no heading for #{anchor}"


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    plain = re.sub(r"[`*]", "", heading).strip().lower()
    return re.sub(r"[^\w\- ]", "", plain).replace(" ", "-")


# -- the worked example -----------------------------------------------------------------------

MARKS = {"<": Relevance.LESS, "N": Relevance.NEUTRAL, ">": Relevance.MORE}


@pytest.mark.parametrize("document", [README, *GUIDES.values()], ids=lambda p: p.name)
def test_the_worked_example_in_the_text_is_what_kwm_computes(document):
    rows = re.findall(
        r"^\| (R\d) \| ([<N> ]+) \| (\d+) \| (\d+) \| (\d+[.,]\d\d) \|$", text(document), re.MULTILINE
    )
    assert len(rows) == 5, f"{document.name}: the worked example table has {len(rows)} respondent rows"
    pooled: list[ScoredAnswer] = []
    for respondent, marks, weight_sum, weighted_sum, score in rows:
        answers = [
            ScoredAnswer(respondent, "KWI-01", f"1.0{i + 1}", grade, MARKS[mark])
            for i, (grade, mark) in enumerate(zip((6, 7, 8, 9), marks.split(), strict=True))
        ]
        pooled += answers
        weights = Weights()
        assert sum(weights.of(a.relevance) for a in answers) == int(weight_sum), respondent
        assert sum(a.grade * weights.of(a.relevance) for a in answers) == int(weighted_sum), respondent
        assert f"{weighted_score(answers, weights):.2f}" == score.replace(",", "."), respondent
    total = weighted_score(pooled, Weights())
    assert total is not None and f"{total:.2f}" == "7.60"
    assert re.search(r"\*\*7[.,]60\*\*", text(document))
