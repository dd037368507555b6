"""English complete, Dutch pure: a full cycle in each language, every text it writes or says scanned.

The cycle runs through the command line (`init`, `check`, `generate --mail`, `status`, `remind`,
`process`, `a3`, `next`) on a base whose own content is in the language of the run, over two periods
so the trend and the A3 plan have something to show. Then every text a user can meet is collected:
every cell of every sheet (hidden ones too), sheet names, data-validation prompts and errors,
headers and footers, document properties, chart and drawing text, `.eml` subjects, bodies and
attachment names, the names of the files written, and everything the commands printed.

What counts as "the other language" is derived from the templates themselves: the texts of the
other language that differ from this language's text for the same key (whole phrases and the words
that occur in no template of this language), plus a short hand list of typical words. Content the
user typed in the base (names, KWI titles, question texts, remarks) is taken out before the scan.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import string
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from klantwaarde.examples import newmedia as nm
from typer.testing import CliRunner

from conftest import build_workbook
from klantwaarde import contract
from klantwaarde.cli import COMMANDS, build_app
from klantwaarde.model import Location
from klantwaarde.problems import CATALOGUE, LOCATION_FIELDS, Problem
from klantwaarde.texts import _packaged, load_texts

FIRST, SECOND, THIRD = "2010H2", "2011H1", "2011H2"

# ---------------------------------------------------------------------------------------------
# The base of each run, in its own language.

Row = list[Any]


@dataclass(frozen=True)
class Content:
    """Everything that goes into a base workbook of one language (sheet and header names included)."""

    lang: str
    sheets: Mapping[str, str]  # key -> sheet name
    headers: Mapping[str, Row]
    settings: list[tuple[str, object]]
    respondents: list[tuple[str, str, str, str, str]]
    kwis: list[tuple[str, str, str, float | None, str]]
    questions: list[tuple[str, str, str]]
    actions: list[Row]
    a3: list[Row]
    remarks: Mapping[str, Mapping[str, str]]  # period -> initials -> remark
    yes: str
    no: str
    placeholders: Mapping[str, str] = field(default_factory=dict)

    def user_strings(self) -> list[str]:
        """Every text the user typed into the base or a form, as it may show up in outputs."""
        found: list[str] = [str(v) for _, v in self.settings if isinstance(v, str)]
        for row in [*self.respondents, *self.kwis, *self.questions, *self.actions, *self.a3]:
            found += [str(v) for v in row if isinstance(v, str)]
        for remarks in self.remarks.values():
            found += remarks.values()
        for name, initials, *_ in self.respondents:
            found.append(f"{name} ({initials})")
        expanded = []
        for text in found:
            for key, value in self.placeholders.items():
                text = text.replace("{" + key + "}", value)
            expanded.append(text)
        lines = {line.strip(" •") for text in expanded for line in text.split("\n")}
        # Longest first, so that a name is removed before a part of it.
        return sorted({t for t in lines if len(t) > 1}, key=len, reverse=True)


def dutch_content() -> Content:
    return Content(
        lang="nl",
        sheets={
            "settings": "Instellingen",
            "respondents": "Respondenten",
            "kwis": "KWI's",
            "questions": "Vragen",
            "actions": "Acties",
            "a3": "A3",
        },
        headers={
            "settings": ["Instelling", "Waarde"],
            "respondents": ["Naam", "Initialen", "E-mail", "Functie", "Opmerking"],
            "kwis": ["Code", "Titel", "Omschrijving", "Doel", "Ingebracht door"],
            "questions": ["KWI", "Nr", "Vraag"],
            "actions": ["Nr", "Datum", "Omschrijving", "KWI", "Voor", "Status", "Deadline"],
            "a3": ["Onderdeel", "Inhoud", "Vorig jaar", "Dit jaar"],
        },
        settings=[("Periode", FIRST) if k == "Periode" else (k, v) for k, v in nm.SETTINGS],
        respondents=list(nm.RESPONDENTS),
        kwis=list(nm.KWIS),
        questions=list(nm.QUESTIONS),
        actions=[list(a) for a in nm.ACTIONS],
        a3=[[item, text] for item, text in nm.A3_BLOCKS]
        + [[item, None, last, this] for item, last, this in nm.A3_FIGURES],
        remarks={FIRST: nm.REMARKS[nm.EARLIER_PERIOD], SECOND: nm.REMARKS[nm.PERIOD]},
        yes="Ja",
        no="Nee",
        placeholders={"leverancier": nm.SUPPLIER, "klant": nm.CLIENT},
    )


EN_SUPPLIER, EN_CLIENT = "BESTSELLER LTD", "NEWMEDIA PLC"
EN_ACTIVE = "{supplier} showed it was actively working on this KWI"
EN_AGREEMENTS = "{supplier} kept the agreements on this KWI (see action list)"

EN_QUESTIONS = {
    "1.01": "Staff of {supplier} know the organisation and systems of {client}",
    "1.02": "Knowledge of our environment is recorded and transferable, also when staff change",
    "2.01": "{supplier} comes up with ideas about new technology without being asked",
    "2.02": "The advice of {supplier} on ICT solutions is useful to {client}",
    "2.03": "{supplier} organises inspiration sessions that are worth the time",
    "3.01": "{supplier} knows the multi-year plan of {client}",
    "3.02": "{supplier} thinks along about our annual plan",
    "3.03": "Proposals of {supplier} fit our strategic goals",
    "3.04": "{supplier} spots developments that affect our strategy in time",
    "4.01": "{supplier} makes concrete proposals to lower our costs",
    "4.02": "{supplier} shares best practices that raise our productivity",
    "5.01": "{supplier} takes responsibility when something goes wrong",
    "5.02": "{supplier} is willing to share manageable risks with {client}",
    "5.03": "Working with {supplier} feels like a partnership",
}


def english_content() -> Content:
    questions = []
    for kwi, number, text in nm.QUESTIONS:
        if text == nm.STANDARD_ACTIVE:
            text = EN_ACTIVE
        elif text == nm.STANDARD_AGREEMENTS:
            text = EN_AGREEMENTS
        else:
            text = EN_QUESTIONS[number]
        questions.append((kwi, number, text))
    return Content(
        lang="en",
        sheets={
            "settings": "Settings",
            "respondents": "Respondents",
            "kwis": "KWIs",
            "questions": "Questions",
            "actions": "Actions",
            "a3": "A3",
        },
        headers={
            "settings": ["Setting", "Value"],
            "respondents": ["Name", "Initials", "E-mail", "Function", "Remark"],
            "kwis": ["Code", "Title", "Description", "Target", "Contributed by"],
            "questions": ["KWI", "No.", "Question"],
            "actions": ["No.", "Date", "Description", "KWI", "Owner", "Status", "Deadline"],
            "a3": ["Item", "Content", "Last year", "This year"],
        },
        settings=[
            ("Client", EN_CLIENT),
            ("Client code", "NEWMEDIA"),
            ("Supplier", EN_SUPPLIER),
            ("Period", FIRST),
            ("Account manager", "Robert Miles"),
            ("Account manager e-mail", "robert.miles@bestseller.example"),
            ("Deadline", dt.date(2011, 6, 17)),
            ("Session date", dt.date(2011, 7, 1)),
            ("Language", "en"),
            ("KWI target", 7.5),
            ("Weight less", 1),
            ("Weight neutral", 2),
            ("Weight more", 3),
        ],
        respondents=[
            ("Alice Archer", "AA", "alice.archer@newmedia.example", "Head of Operations", ""),
            ("Brian Bell", "BB", "brian.bell@newmedia.example", "Head of IT", ""),
            ("Carol Cole", "CC", "carol.cole@newmedia.example", "Strategy Manager", ""),
            ("David Drake", "DD", "david.drake@newmedia.example", "Finance Manager", ""),
            ("Karen Kent", "KK", "karen.kent@newmedia.example", "General Manager", "Sponsor of the monitor"),
        ],
        kwis=[
            (
                "KWI-01",
                "Knowledge retention",
                "NewMedia does not depend on any one person of the supplier.",
                None,
                "AA",
            ),
            (
                "KWI-02",
                "Inspiration",
                "A proactive attitude: advice on new technology and ICT solutions.",
                None,
                "BB",
            ),
            ("KWI-03", "Strategy", "A proactive contribution to our multi-year and annual plans.", 8.0, "CC"),
            ("KWI-04", "Cost reduction", "A proactive contribution to lower costs for NewMedia.", None, "DD"),
            (
                "KWI-05",
                "Partnership",
                "Behaves as a partner: takes responsibility and accepts manageable risks.",
                None,
                "KK",
            ),
        ],  # fmt: skip
        questions=questions,
        actions=[
            [
                "2011-01",
                dt.date(2010, 7, 6),
                "Set up and share knowledge documentation",
                "KWI-01",
                "RM",
                "done",
                dt.date(2010, 10, 1),
            ],
            [
                "2011-02",
                dt.date(2010, 7, 6),
                "Take part in the annual plan session of NewMedia",
                "KWI-03",
                "RM",
                "in progress",
                dt.date(2011, 3, 1),
            ],
            [
                "2011-03",
                dt.date(2010, 7, 6),
                "Work out a proposal for savings on management costs",
                "KWI-04",
                "RM",
                "open",
                dt.date(2011, 1, 15),
            ],
            [
                "2011-04",
                dt.date(2010, 7, 6),
                "Half-yearly strategy session with the management team",
                "KWI-03",
                "RM",
                "open",
                dt.date(2011, 9, 1),
            ],
        ],  # fmt: skip
        a3=[
            ["Vision", "NewMedia grows through digital services; we want to be their steady IT partner."],
            ["Mission", "Lower management costs together with NewMedia and make room for innovation."],
            ["Critical success factors", "Steady contacts\nKnowledge of the NewMedia environment"],
            ["Organisation indicators (KPIs)", "Revenue growth 10%\nMargin at least 25%"],
            ["Organisation actions", "Add a solution architect to the account team"],
            ["Preconditions", "Budget for two inspiration sessions a year"],
            ["#Contacts", None, 24, 30],
            ["#Client meetings", None, 12, 15],
            ["#Leads", None, 6, 9],
            ["#Orders", None, 4, 6],
            ["Revenue", None, 850000, 920000],
            ["Margin", None, 210000, 235000],
            ["#Value sessions", None, 1, 2],
        ],
        remarks={
            FIRST: {"BB": "More inspiration, please.", "KK": "A good start of our cooperation."},
            SECOND: {
                "AA": "The knowledge documentation is a big step forward.",
                "DD": "Please more concrete saving proposals.",
                "KK": "Good cooperation; keep challenging us with new ideas.",
            },
        },
        yes="Yes",
        no="No",
        placeholders={"supplier": EN_SUPPLIER, "client": EN_CLIENT},
    )


def write_base(path: Path, content: Content) -> Path:
    initials = [r[1] for r in content.respondents]
    questions: list[Row] = [[*content.headers["questions"], *initials]]
    for kwi, number, text in content.questions:
        marks = ["x" if number in nm.ASSIGNMENT[i] else None for i in initials]
        questions.append([kwi, number, text, *marks])
    s, h = content.sheets, content.headers
    build_workbook(
        path,
        {
            s["settings"]: [h["settings"], *[list(item) for item in content.settings]],
            s["respondents"]: [h["respondents"], *[list(r) for r in content.respondents]],
            s["kwis"]: [h["kwis"], *[list(k) for k in content.kwis]],
            s["questions"]: questions,
            s["actions"]: [h["actions"], *content.actions],
            s["a3"]: [h["a3"], *content.a3],
        },
    )
    return path


# ---------------------------------------------------------------------------------------------
# Running the cycle through the command line.


@dataclass
class Run:
    root: Path
    content: Content
    outputs: list[tuple[str, str]] = field(default_factory=list)  # (what was run, printed text)
    inputs: set[Path] = field(default_factory=set)  # files the test wrote itself (not kwm)

    def kwm(self, *args: str, expect: int = 0) -> str:
        runner = CliRunner(env={"COLUMNS": "400", "NO_COLOR": "1", "KWM_LANG": None})
        result = runner.invoke(build_app(self.content.lang), list(args), catch_exceptions=False)
        output = result.output
        assert result.exit_code == expect, (args, output)
        label = "kwm " + " ".join(a.replace(str(self.root), "<root>") for a in args)
        self.outputs.append((label, output))
        return output

    def fill(self, base: Path, period: str, who: tuple[str, ...], *, broken: str | None = None) -> None:
        forms = {
            p.stem.rsplit("(", 1)[1].rstrip(")"): p
            for p in (base.parent / period / "vragenlijsten").glob("*.xlsx")
        }
        returned = base.parent / period / "ingevuld"
        returned.mkdir(parents=True, exist_ok=True)
        for initials in who:
            answers: dict[str, tuple[object, object]] = dict(
                nm.answers(initials, nm.PERIOD if period == SECOND else nm.EARLIER_PERIOD)
            )
            if initials == broken:
                answers["1.01" if "1.01" in answers else next(iter(answers))] = (11, "")
            anonymous = initials in nm.ANONYMOUS[nm.PERIOD] and period == SECOND
            out = returned / f"{initials} {'returned' if self.content.lang == 'en' else 'terug'}.xlsx"
            from klantwaarde.workbook.fill import fill_form

            fill_form(
                forms[initials],
                out,
                answers,
                nps=nm.NPS[nm.PERIOD if period == SECOND else nm.EARLIER_PERIOD][initials],
                anonymous=self.content.yes if anonymous else self.content.no,
                remark=self.content.remarks.get(period, {}).get(initials),
            )
            self.inputs.add(out)


def run_cycle(root: Path, content: Content) -> Run:
    """Two periods of the cycle plus `init` and every command's help, all in ``content.lang``."""
    run = Run(root, content)
    lang = content.lang
    run.kwm()
    for name in COMMANDS:
        run.kwm(name, "--help")
    run.kwm("init", str(root / "new"), "--lang", lang)
    run.kwm("check", str(root / "new" / "basis.xlsx"))

    folder = "client" if lang == "en" else "klant"
    base = write_base(root / folder / "basis.xlsx", content)
    run.inputs.add(base)
    everyone = tuple(r[1] for r in content.respondents)
    run.kwm("check", str(base))
    run.kwm("generate", str(base), "--mail")
    run.fill(base, FIRST, everyone)
    run.kwm("process", str(base))
    run.kwm("next", str(base), "--period", SECOND)

    run.kwm("check", str(base), "--lang", lang)
    run.kwm("generate", str(base), "--mail", "--lang", lang)
    run.fill(base, SECOND, ("AA", "BB", "CC"), broken="BB")
    run.kwm("status", str(base), "--lang", lang)
    run.kwm("remind", str(base), "--lang", lang)
    run.fill(base, SECOND, ("DD", "KK"))
    run.kwm("status", str(base))
    run.kwm("process", str(base), "--lang", lang)
    run.kwm("process", str(base), "--json")
    run.kwm("a3", str(base), "--lang", lang)
    run.kwm("sessie", str(base), "--lang", lang)
    run.kwm("next", str(base), "--period", THIRD, "--lang", lang)
    run.kwm("status", str(base), "--json")
    return run


# ---------------------------------------------------------------------------------------------
# Collecting every text a user can meet.

MACHINE_SHEETS = (contract.IDENTITY_SHEET, "_data")
_CHART_TEXT = re.compile(r"<(?:a:t|c:v)>([^<]*)</(?:a:t|c:v)>")
_FORMULA_STRING = re.compile(r'"((?:[^"]|"")*)"')


def workbook_texts(path: Path, *, skip_machine: bool) -> Iterator[tuple[str, str]]:
    workbook = openpyxl.load_workbook(path)
    name = path.name
    props = workbook.properties
    for attr in ("title", "subject", "description", "keywords", "category"):
        value = getattr(props, attr, None)
        if value:
            yield f"{name} property {attr}", str(value)
    for prop in workbook.custom_doc_props:
        if not (skip_machine and prop.name.startswith(contract.PROPERTY_PREFIX)):
            yield f"{name} custom property", f"{prop.name} {prop.value}"
    for sheet in workbook.worksheets:
        if skip_machine and sheet.title in MACHINE_SHEETS:
            continue
        where = f"{name} › {sheet.title}"
        yield f"{where} (sheet name)", sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if skip_machine and value in contract.SPECIAL_KEYS:
                    continue  # the fill contract's row keys (nps, anonymous, remark): machine keys
                if isinstance(value, str):
                    if value.startswith("="):
                        for literal in _FORMULA_STRING.findall(value):
                            yield f"{where}!{cell.coordinate} (formula)", literal.replace('""', '"')
                    else:
                        yield f"{where}!{cell.coordinate}", value
                if cell.comment is not None:
                    yield f"{where}!{cell.coordinate} (comment)", cell.comment.text
        for check in sheet.data_validations.dataValidation:
            for attr in ("promptTitle", "prompt", "errorTitle", "error", "formula1"):
                value = getattr(check, attr, None)
                if value:
                    yield f"{where} validation {check.sqref} {attr}", str(value)
        for part in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
            block = getattr(sheet, part)
            for side in ("left", "center", "right"):
                text = getattr(block, side).text
                if text:
                    yield f"{where} {part}.{side}", text
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.startswith(("xl/charts/", "xl/drawings/")) and member.endswith(".xml"):
                xml = archive.read(member).decode("utf-8")
                for text in _CHART_TEXT.findall(xml):
                    yield f"{name} {member}", text


# Everything a deck shows or PowerPoint lists: slide, notes, chart, layout and master texts, the
# layout names (PowerPoint's layout menu) and the document properties.
_DECK_PARTS = re.compile(
    r"^(ppt/(slides|notesSlides|charts|slideLayouts|slideMasters|notesMasters)/[^/]+\.xml|docProps/core\.xml)$"
)
_DECK_NAME = re.compile(r'<p:cSld name="([^"]*)"')
_CORE_TEXT = re.compile(r"<(?:dc|cp|dcterms):\w+[^>]*>([^<]+)</")


def deck_texts(path: Path) -> Iterator[tuple[str, str]]:
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not _DECK_PARTS.match(member):
                continue
            xml = archive.read(member).decode("utf-8")
            pattern = _CORE_TEXT if member.startswith("docProps/") else _CHART_TEXT
            for text in pattern.findall(xml):
                yield f"{path.name} {member}", text
            for name in _DECK_NAME.findall(xml):
                yield f"{path.name} {member} (layout name)", name


def eml_texts(path: Path) -> Iterator[tuple[str, str]]:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    yield f"{path.name} Subject", str(message["Subject"])
    for part in message.walk():
        if part.get_content_maintype() == "multipart":
            continue
        filename = part.get_filename()
        if filename:
            yield f"{path.name} attachment", filename
        elif part.get_content_type() in ("text/plain", "text/html"):
            text = part.get_content()
            if part.get_content_type() == "text/html":
                text = re.sub(r"<[^>]+>", " ", text)
            yield f"{path.name} {part.get_content_type()}", text


# Fixed folder names of the fill contract (SPEC 3): the same in both languages.
CONTRACT_FOLDERS = ("vragenlijsten", "ingevuld", "herinneringen")


def json_texts(label: str, output: str) -> Iterator[tuple[str, str]]:
    """Only the texts in ``--json`` output: its keys are machine keys in both languages."""
    data = json.loads(output)

    def walk(node: Any, key: str = "") -> Iterator[str]:
        if isinstance(node, Mapping):
            for k, v in node.items():
                yield from walk(v, str(k))
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, key)
        elif isinstance(node, str) and key in ("message", "title", "state", "status"):
            yield node

    for text in walk(data):
        yield label, text


def collected(run: Run, skip: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    skip_machine = run.content.lang == "nl"
    found: list[tuple[str, str]] = []
    for label, output in run.outputs:
        if "--json" in label:
            found += json_texts(label, output)
        else:
            found.append((label, output))
    for path in sorted(run.root.rglob("*")):
        relative = str(path.relative_to(run.root))
        if path.is_dir() or path in run.inputs or any(part in relative for part in skip):
            continue
        found.append(("file name", relative))
        if path.suffix == ".xlsx":
            found += workbook_texts(path, skip_machine=skip_machine)
        elif path.suffix == ".eml":
            found += eml_texts(path)
        elif path.suffix == ".pptx":
            found += deck_texts(path)
    return found


def cleaned(text: str, run: Run) -> str:
    """The text without what the user typed, paths, the contract's folder names and the names of
    the files respondents sent back (the internal workbook lists them as they came)."""
    text = text.replace(str(run.root), " ")
    head = text[:-1].rstrip() if text.endswith("…") else ""
    if head and any(" ".join(user.split()).startswith(head) for user in run.content.user_strings()):
        return (
            " ¶ "  # what the user typed, cut to one line of the deck's table (the full text is on its slide)
        )
    for name in sorted({p.name for p in run.root.glob("**/ingevuld/*")}, key=len, reverse=True):
        text = text.replace(name, " ")
    typed = "|".join(re.escape(user) for user in run.content.user_strings())
    text = re.sub(rf"(?<!\w)(?:{typed})(?!\w)", " ¶ ", text)
    text = re.sub(r"(?<!\w)--?[a-z][a-z-]*", " ", text)  # option names are syntax, not language
    for folder in CONTRACT_FOLDERS:
        text = re.sub(rf"\b{folder}\b", " ", text)
    return text


# ---------------------------------------------------------------------------------------------
# What "the other language" looks like, from the templates.

_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_][\w'’-]*[^\W_]|[^\W\d_]")


def leaves(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            yield from leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, f"{prefix}.{index}")
    elif isinstance(node, str):
        yield prefix, node


def template_texts(lang: str) -> dict[str, str]:
    return dict(leaves(_packaged(lang)))


def words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(_PLACEHOLDER.sub(" ", text))}


# Shared by both languages or names, never evidence of the wrong language.
SHARED_WORDS = {
    "kwm", "kwi", "kwis", "nps", "excel", "outlook", "thunderbird", "libreoffice", "json", "xlsx",
    "eml", "respondent", "respondents", "deadline", "status", "trend", "score", "scores", "code",
    "partnership", "manager", "n.v", "b.v",
}  # fmt: skip

# Typical Dutch words that must never reach an English user (SPEC: the brief's hand list).
DUTCH_WORDS = (
    "Vragenlijst", "Cijfer", "Relevantie", "Opmerkingen", "Toelichting", "Periode", "Klant",
    "Leverancier", "gemiddelde", "doel", "anoniem", "Klantwaardemonitor", "Klantwaarde", "Meldingen",
    "Respondenten", "Instellingen", "Vragen", "Acties", "Actielijst", "Toewijzing", "Voorblad",
    "Antwoorden", "Analyse", "Herinnering", "Eindcijfer", "Weging", "Pagina", "Datum", "Omschrijving",
    "Sessiedatum", "Sleutel", "Taal", "Klantcode", "Initialen", "Waarde", "Gebruik", "Opties",
    "verplicht", "Fout",
)  # fmt: skip
# Typical English words that must never reach a Dutch user, Click's help frame included.
ENGLISH_WORDS = (
    "Questionnaire", "Relevance", "Remarks", "Explanation", "Period", "Client", "Supplier",
    "average", "target", "anonymous", "Customer value", "Messages", "Respondents", "Settings",
    "Questions", "Actions", "Action list", "Assignment", "Cover", "Answers", "Analysis", "Reminder",
    "Overall score", "Weight", "Page", "Date", "Description", "the", "and", "please", "Usage",
    "Options", "Arguments", "Commands", "required", "Error", "path", "folder",
)  # fmt: skip
# Whole cells that must not appear in the other language (yes/no answers and marks).
DUTCH_CELLS = {"ja", "nee", "j", "n.v.t."}
ENGLISH_CELLS = {"yes", "no", "y"}


@dataclass(frozen=True)
class Foreign:
    """The marks of the other language in this language's outputs."""

    phrases: tuple[str, ...]
    words: frozenset[str]
    hand: tuple[str, ...]
    cells: frozenset[str]


def foreign_for(lang: str) -> Foreign:
    other = "en" if lang == "nl" else "nl"
    mine, theirs = template_texts(lang), template_texts(other)
    my_words = set().union(*(words(t) for t in mine.values()))
    my_text = "\n".join(mine.values())
    phrases: set[str] = set()
    foreign_words: set[str] = set()
    for key, text in theirs.items():
        if mine.get(key) == text:
            continue
        for fragment in _PLACEHOLDER.split(text):
            for line in fragment.split("\n"):
                line = line.strip(" .,:;·–-()'\"")
                if len(line) >= 8 and " " in line and line not in my_text:
                    phrases.add(line)
        foreign_words |= {w for w in words(text) if len(w) >= 5 and w not in my_words}
    return Foreign(
        phrases=tuple(sorted(phrases, key=len, reverse=True)),
        words=frozenset(foreign_words - SHARED_WORDS),
        hand=DUTCH_WORDS if lang == "en" else ENGLISH_WORDS,
        cells=frozenset(DUTCH_CELLS if lang == "en" else ENGLISH_CELLS),
    )


def hits(text: str, foreign: Foreign) -> list[str]:
    """The marks of the other language in ``text`` (already cleaned of what the user typed)."""
    found = [p for p in foreign.phrases if p in text]
    found += sorted({w for w in words(text) if w in foreign.words})
    found += [h for h in foreign.hand if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text, re.IGNORECASE)]
    return list(dict.fromkeys(found))


def findings(run: Run, skip: tuple[str, ...] = ()) -> list[str]:
    """Every text of the run with a mark of the other language; ``skip``: paths not written by kwm."""
    foreign = foreign_for(run.content.lang)
    found: list[str] = []
    for where, raw in collected(run, skip):
        if raw.strip().casefold() in foreign.cells:
            found.append(f"{where}: cell {raw!r}")
            continue
        marks = hits(cleaned(raw, run), foreign)
        if marks:
            found.append(f"{where}: {', '.join(marks)} in {raw[:160]!r}")
    return found


# ---------------------------------------------------------------------------------------------
# The tests.


@pytest.fixture(scope="module")
def english_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_cycle(tmp_path_factory.mktemp("english"), english_content())


@pytest.fixture(scope="module")
def dutch_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return run_cycle(tmp_path_factory.mktemp("dutch"), dutch_content())


def test_a_full_cycle_in_english_says_and_writes_nothing_in_dutch(english_run: Run) -> None:
    assert findings(english_run) == []


def test_a_full_cycle_in_dutch_says_and_writes_nothing_in_english(dutch_run: Run) -> None:
    assert findings(dutch_run) == []


def test_the_cycles_were_scanned_where_users_look(english_run: Run, dutch_run: Run) -> None:
    """The scan really saw sheets (hidden ones too), charts, footers, prompts, mails and the CLI."""
    for run, questionnaire, monitor in (
        (english_run, "Questionnaire", "Customer value monitor"),
        (dutch_run, "Vragenlijst", "Klantwaardemonitor"),
    ):
        where = [w for w, _ in collected(run)]
        for part in (
            "chart",
            "oddFooter",
            "validation",
            ".eml Subject",
            "text/plain",
            "kwm status",
            "ppt/notesSlides",
        ):
            assert any(part in w for w in where), (run.content.lang, part)
        assert any(f"› {questionnaire} (sheet name)" in w for w in where)
        assert any(monitor in w and "› Trend" in w for w in where)
        assert any("› _data" in w for w in where) == (run.content.lang == "en")  # machine keys


def test_the_scan_recognises_the_other_language() -> None:
    """The checks can fail: typical labels of the other language are caught, own ones are not."""
    english, dutch = foreign_for("en"), foreign_for("nl")
    assert hits("Gemiddelde per KWI", english) and hits("Graag terug", english)
    assert hits("Vragenlijst KLANT-2011H1", english) and hits("Page 1 of 2", dutch)
    assert hits("Remarks from respondents", dutch) and hits("Usage: kwm check", dutch)
    assert hits("Please return", english) == [] and hits("Graag terug", dutch) == []
    assert hits("KWI-score en NPS per periode", dutch) == []
    assert "ja" in english.cells and "yes" in dutch.cells


def test_the_bundled_example_in_english_gets_english_outputs(tmp_path: Path) -> None:
    """`kwm demo --lang en`: the example's own content is Dutch, everything kwm adds is English."""
    example = dutch_content()
    # the example's second, small client (its own folder; the demo's portfolio shows both)
    from klantwaarde.examples.build_examples import SMALL_FOLDER, small_content

    small = small_content()
    typed = {
        "settings": [*example.settings, *small.settings.items()],
        "respondents": [*example.respondents, *small.respondents],
        "actions": [*example.actions, *(list(a) for a in small.actions)],
        # its statements name it, and its folder is the example's own name
        "questions": [
            *example.questions,
            *((k, n, q.replace("{klant}", str(small.settings["client"]))) for k, n, q in small.questions),
            ("", "", SMALL_FOLDER),
        ],
    }
    run = Run(tmp_path, Content(**{**example.__dict__, **typed, "lang": "en"}))
    run.kwm("demo", str(tmp_path / "demo"), "--lang", "en")
    # The example's base and the respondents' returned forms are the user's files, not kwm's.
    assert findings(run, skip=("basis.xlsx", "ingevuld")) == []
    names = {p.name for p in (tmp_path / "demo" / SECOND).iterdir()}
    assert "KLANT-2011H1 Customer value monitor.xlsx" in names


# Sheet names of the base that the other language's messages may name beside their own:
# "the Vragen (Questions) sheet" helps an English user whose base came with Dutch sheet names.
BILINGUAL = re.compile(
    r"\b(Instellingen|Respondenten|Vragen|Acties) \((Settings|Respondents|Questions|Actions)\)"
)
# Names kept on purpose: the bundled example's client, the fill contract's Dutch sheet name.
KEPT = {("en", "cli.demo.running"): "KLANT NV", ("en", "problems.form_structure"): "'Vragenlijst'"}


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_template_uses_a_typical_word_of_the_other_language(lang: str) -> None:
    foreign = foreign_for(lang)
    found = []
    for key, text in template_texts(lang).items():
        text = BILINGUAL.sub(" ", _PLACEHOLDER.sub(" ", text)).replace(KEPT.get((lang, key), "\0"), " ")
        text = re.sub(r"(?<!\w)--?[a-z][a-z-]*", " ", text)
        for folder in CONTRACT_FOLDERS:
            text = re.sub(rf"\b{folder}\b", " ", text)
        marks = [h for h in foreign.hand if re.search(rf"(?<!\w){re.escape(h)}(?!\w)", text, re.IGNORECASE)]
        if marks:
            found.append(f"{key}: {marks}")
    assert found == []


# Realistic values for every placeholder a problem message uses, per language.
SAMPLES: dict[str, dict[str, object]] = {
    "nl": {
        "path": "C:\\Klanten\\Klant NV\\2011H1\\KLANT-2011H1 Klantwaardemonitor.xlsx",
        "folder": "C:\\Klanten\\Klant NV\\2011H1\\ingevuld",
        "setting": "Klantcode", "expected": "Vragen", "header": "Initialen", "name": "Kees Klant",
        "value": "12,5", "example": "KLANT", "sheets": "Blad1", "sheet_name": "Vragenlijst",
        "headers": "Cijfer", "headers_en": "Score", "title": "Strategie", "item": "Ambitie",
        "statement": "BESTSELLER B.V. gaf blijk actief aan deze KWI te werken",
        "text": "BESTSELLER B.V. denkt mee over ons jaarplan", "saved": "3-6-2011 10:12",
        "kept": "KK terug.xlsx", "kept_saved": "5-6-2011 09:01", "found": "ANDER",
        "reason": "het bestand is alleen-lezen", "date": "19-6-2026",
    },
    "en": {
        "path": "C:\\Clients\\Client Ltd\\2011H1\\CLIENT-2011H1 Customer value monitor.xlsx",
        "folder": "C:\\Clients\\Client Ltd\\2011H1\\ingevuld",
        "setting": "Client code", "expected": "Questions", "header": "Initials", "name": "Karen Kent",
        "value": "12.5", "example": "CLIENT", "sheets": "Sheet1", "sheet_name": "Questionnaire",
        "headers": "Score", "headers_en": "Score", "title": "Strategy", "item": "Ambition",
        "statement": "BESTSELLER LTD showed it was actively working on this KWI",
        "text": "BESTSELLER LTD thinks along about our annual plan", "saved": "2011-06-03 10:12",
        "kept": "KK returned.xlsx", "kept_saved": "2011-06-05 09:01", "found": "OTHER",
        "reason": "the file is read-only", "date": "2026-06-19",
    },
}  # fmt: skip
SHARED_SAMPLES: dict[str, object] = {
    "key": "generate.mail.subject", "numbers": "1.02, 3.04", "shown": "1.03", "length": 40000,
    "limit": 32000, "formula": "[1]Blad1!A1", "initials": "KK", "first_row": 5, "email": "kees.klant@newmedia", "count": 10, "maximum": 8,
    "kwi": "KWI-03", "number": "3.02", "placeholder": "{leveranciers}", "respondent": "Kees Klant (KK)",
    "size_mb": "55.3", "limit_mb": "50", "current": "2011H1", "period": "2011H2", "n": 3, "rows": 20000,
    "columns": 300, "first": "D20", "client_code": "KLANT", "cause": "", "suggestion": "", "k": 3,
    # mail intake, plan, team (SPEC 3.9)
    "attachments": "logo.png, antwoorden.pdf", "names": "KK.xlsx", "sender": "secretariaat@newmedia.nl",
    "deadline": "17-6-2011", "session": "1-7-2011", "days": 10, "owner": "RM", "member": "Rob Martens (RM)",
    "command": 'kwm process "C:\\Klanten\\Klant NV\\basis.xlsx"',
}  # fmt: skip

# the portfolio's fields (kwm portfolio)
SAMPLES["nl"].update({"client": "Klant NV", "monitor": "2011H1/KLANT-2011H1 Klantwaardemonitor.xlsx"})
SAMPLES["en"].update({"client": "Client Ltd", "monitor": "2011H1/CLIENT-2011H1 Customer value monitor.xlsx"})
SHARED_SAMPLES.update({"errors": 3, "code": "KLANT"})


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_problem_message_renders_completely(lang: str) -> None:
    """Each message, with realistic values, is whole: no placeholder left, a sentence that ends.

    Whether it says what is wrong and what to do was read by a person (see the report of issue
    10); here: every message has at least two sentences, the second one saying what to do."""
    texts = load_texts(lang)
    for code in CATALOGUE:
        template = texts.raw(f"problems.{code}")
        names = {field for _, field, _, _ in string.Formatter().parse(template) if field}
        assert names <= CATALOGUE[code].allowed | LOCATION_FIELDS, (code, names)
        # every declared field, the optional ones too (as a problem raised in full carries them)
        declared = CATALOGUE[code].allowed - {"suggestion"}
        context = {n: SAMPLES[lang].get(n, SHARED_SAMPLES.get(n)) for n in declared}
        unsampled = [n for n, v in context.items() if v is None]
        assert not [n for n in unsampled if n in names], (code, unsampled)  # the message shows them
        context = {n: "x" if v is None else v for n, v in context.items()}  # data fields only
        message = texts.message(Problem(code, Location("basis.xlsx", "Vragen", 14, "C"), context))
        leftover = [n for n in context if "{" + n + "}" in message]
        assert not leftover and "None" not in message, (code, message)
        assert message.rstrip().endswith((".", "?", ")")), (code, message)
        assert len(re.findall(r"[.?!:;](?:\s|$)", message)) >= 2, (code, message)


BASE_PLACEHOLDERS = {"klant", "leverancier", "client", "supplier"}


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "nl",
            [
                "Gebruik: kwm check [OPTIES] BASIS",
                "Meer uitleg: kwm check --help",
                "Fout: Het argument BASIS",
            ],
        ),
        (
            "en",
            ["Usage: kwm check [OPTIONS] BASE", "More help: kwm check --help", "Error: The argument BASE"],
        ),
    ],
)
def test_mistakes_on_the_command_line_are_explained_in_the_users_language(
    lang: str, expected: list[str]
) -> None:
    runner = CliRunner()
    result = runner.invoke(build_app(lang), ["check"])
    assert result.exit_code == 2
    for line in expected:
        assert line in result.output, result.output
    foreign = foreign_for(lang)
    for args in (
        ["check"],
        ["chek", "x"],
        ["check", "--jsn", "x"],
        ["next", "x", "--period"],
        ["check", "a", "b"],
    ):
        result = runner.invoke(build_app(lang), args)
        assert result.exit_code == 2, (args, result.output)
        assert hits(re.sub(r"(?<!\w)--?[a-z][a-z-]*", " ", result.output), foreign) == [], (
            args,
            result.output,
        )
    assert "'check'" in runner.invoke(build_app(lang), ["chek", "x"]).output  # did you mean
    help_text = runner.invoke(build_app(lang), ["process", "--help"]).output
    assert hits(re.sub(r"(?<!\w)--?[a-z][a-z-]*", " ", help_text), foreign) == [], help_text
    assert "<path>" not in help_text and "<str>" not in help_text


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_messages_and_mails_quote_the_questionnaire_as_respondents_see_it(lang: str) -> None:
    """ "Would you like to remain anonymous?" is asked on the form; mails and messages quote it so."""
    texts = load_texts(lang)
    asked = texts("generate.form.anonymous").split("?")[0] + "?"
    for key in ("problems.form_anonymous_invalid", "generate.mail.body", "cycle.remind.mail.body"):
        assert asked in texts.raw(key), key
