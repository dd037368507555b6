"""``kwm generate``: one personal questionnaire per respondent, and optionally an e-mail draft each.

Reads and checks the base (errors stop the work with ``KwmError``), then writes the forms into
``<base folder>/<Periode>/vragenlijsten/`` unless told otherwise. Never prints: the result carries
what was written and every problem (the base's warnings first, then those found here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from klantwaarde.mail import address, build_draft, return_by_text, text_to_html
from klantwaarde.model import Base, Respondent
from klantwaarde.problems import KwmError, Problem, has_errors, problem
from klantwaarde.texts import LANGUAGES, Texts, load_texts
from klantwaarde.workbook.safe import atomic_write_bytes, inside, safe_filename

FORMS_FOLDER = "vragenlijsten"  # SPEC 3: the folder layout is part of the contract, not a text
RETURNED_FOLDER = "ingevuld"
MAX_NAME_IN_FILE = 60  # characters of a respondent's name in a file name (the initials always fit)


@dataclass(frozen=True)
class GeneratedForm:
    initials: str
    name: str
    path: Path
    questions: int
    eml: Path | None = None


@dataclass(frozen=True)
class GenerateResult:
    base_path: Path
    out_dir: Path
    language: str
    client_code: str
    period: str
    forms: tuple[GeneratedForm, ...]
    problems: tuple[Problem, ...]

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    @property
    def returned_dir(self) -> Path:
        """Where the completed questionnaires go (``<base folder>/<Periode>/ingevuld``)."""
        return period_dir(self.base_path, self.period) / RETURNED_FOLDER


def period_dir(base_path: Path, period: str) -> Path:
    return base_path.parent / safe_filename(period, fallback="periode")


def default_out_dir(base_path: Path, period: str) -> Path:
    return period_dir(base_path, period) / FORMS_FOLDER


def generate(
    base_path: Path,
    out_dir: Path | None = None,
    mail: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
) -> GenerateResult:
    """Check the base and write the questionnaires (and with ``mail`` the ``.eml`` drafts).

    Raises KwmError when the base has errors or cannot be read. ``lang`` (nl/en) overrides the
    base's ``Taal``. ``now`` pins the clock (form ids, mail dates) for reproducible output.
    """
    from klantwaarde.api.check import load_base

    base, warnings = load_base(base_path)
    return generate_from_base(base, warnings, out_dir=out_dir, mail=mail, lang=lang, now=now)


def generate_from_base(
    base: Base,
    base_problems: list[Problem] | tuple[Problem, ...] = (),
    *,
    out_dir: Path | None = None,
    mail: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
) -> GenerateResult:
    """``generate`` for a base that is already read and checked."""
    from klantwaarde.workbook.questionnaire import write_questionnaire

    now = now or datetime.now().replace(microsecond=0)
    language = choose_language(lang, base)
    texts = load_texts(language, base.path.parent)
    settings = base.settings
    out = out_dir if out_dir is not None else default_out_dir(base.path, settings.period)
    skipped = {r.initials for r in base.respondents if not base.questions_for(r.initials)}
    # The check's "respondent has no questions" becomes the more telling "gets no questionnaire".
    problems = [
        p
        for p in base_problems
        if not (p.code == "respondent_no_questions" and str(p.context.get("initials", "")).upper() in skipped)
    ]
    forms: list[GeneratedForm] = []
    used: set[str] = set()

    for respondent in base.respondents:
        questions = base.questions_for(respondent.initials)
        if not questions:
            problems.append(
                problem(
                    "respondent_skipped_no_questions",
                    respondent.location,
                    respondent=respondent.label,
                    initials=respondent.initials,
                )
            )
            continue
        target = form_path(out, base, respondent, texts, used)
        try:
            write_questionnaire(base, respondent, texts, target, now=now)
        except KwmError as exc:  # e.g. the old form is open in Excel: report it, do the others
            problems.extend(exc.problems)
            continue
        eml: Path | None = None
        if mail:
            if not respondent.email.strip():
                problems.append(
                    problem("respondent_no_email", respondent.location, respondent=respondent.label)
                )
            else:
                eml = target.with_suffix(".eml")
                try:
                    atomic_write_bytes(eml, draft_for(base, respondent, texts, target, now=now))
                except KwmError as exc:
                    problems.extend(exc.problems)
                    eml = None
        forms.append(GeneratedForm(respondent.initials, respondent.name, target, len(questions), eml))

    return GenerateResult(
        base_path=base.path,
        out_dir=out,
        language=language,
        client_code=settings.client_code,
        period=settings.period,
        forms=tuple(forms),
        problems=tuple(problems),
    )


def choose_language(lang: str | None, base: Base) -> str:
    """``--lang`` first, then the base's ``Taal``, then Dutch."""
    for candidate in (lang, base.settings.language):
        if candidate and candidate.strip().lower() in LANGUAGES:
            return candidate.strip().lower()
    return "nl"


def form_path(
    out: Path, base: Base, respondent: Respondent, texts: Texts, used: set[str] | None = None
) -> Path:
    """``KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx`` inside ``out``, safe on every system.

    A very long name is shortened before the initials so that the initials (the key) stay in the
    name; names that still collide (``used``, case-insensitive) get a number.
    """
    name = " ".join(respondent.name.split())
    if len(name) > MAX_NAME_IN_FILE:
        name = name[:MAX_NAME_IN_FILE].rstrip()
    label = f"{name} ({respondent.initials})" if name else respondent.initials
    settings = base.settings
    stem = texts("generate.file_name", code=settings.client_code, period=settings.period, respondent=label)
    candidate = inside(out, stem + ".xlsx")
    counter = 2
    while used is not None and candidate.name.lower() in used:
        candidate = inside(out, f"{stem} {counter}.xlsx")
        counter += 1
    if used is not None:
        used.add(candidate.name.lower())
    return candidate


def mail_values(base: Base, respondent: Respondent, texts: Texts) -> dict[str, str]:
    """The placeholders the mail templates may use (also for reminder mails)."""
    s = base.settings
    return {
        "name": respondent.name or respondent.initials,
        "initials": respondent.initials,
        "client": s.client,
        "client_code": s.client_code,
        "supplier": s.supplier,
        "period": s.period,
        "return_by": return_by_text(s.deadline, texts),
        "sender_name": s.account_manager or s.supplier,
    }


def draft_for(
    base: Base,
    respondent: Respondent,
    texts: Texts,
    attachment: Path,
    *,
    now: datetime,
    section: str = "generate.mail",
) -> bytes:
    """The ``.eml`` draft for one respondent from the ``<section>.subject`` and ``.body`` texts."""
    values = mail_values(base, respondent, texts)
    text = texts(f"{section}.body", **values)
    s = base.settings
    return build_draft(
        to=address(respondent.name, respondent.email),
        sender=address(s.account_manager, s.account_manager_email) if s.account_manager_email else "",
        subject=texts(f"{section}.subject", **values),
        text=text,
        html=text_to_html(text),
        attachment=attachment,
        date=now,
    )
