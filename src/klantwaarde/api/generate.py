"""``kwm generate``: one personal questionnaire per respondent, and optionally an e-mail draft each.

Reads and checks the base (errors stop the work with ``KwmError``), then writes the forms into
the period's questionnaire folder (``CycleLayout.forms_dir``) unless told otherwise. Never prints:
the result carries what was written and every problem (the base's warnings first, then those found
here).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from klantwaarde import register
from klantwaarde.layout import CycleLayout
from klantwaarde.mail import address_problem, respondent_draft
from klantwaarde.model import Base
from klantwaarde.pipeline.base import base_texts, load_base, respondent_texts
from klantwaarde.pipeline.outputs import refuse_output
from klantwaarde.problems import KwmError, Problem, has_errors, problem
from klantwaarde.results import envelope, path_text
from klantwaarde.texts import Texts
from klantwaarde.workbook.questionnaire import identity_values, write_questionnaire
from klantwaarde.workbook.safe import atomic_write_bytes


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
    returned_dir: Path  # where the completed questionnaires go

    @property
    def ok(self) -> bool:
        return not has_errors(self.problems)

    def to_json(self, texts: Texts) -> dict[str, Any]:
        payload = {
            "client_code": self.client_code,
            "period": self.period,
            "folder": str(self.out_dir),
            "returned_folder": str(self.returned_dir),
            "forms": [
                {
                    "initials": f.initials,
                    "name": f.name,
                    "questions": f.questions,
                    "file": str(f.path),
                    "mail": path_text(f.eml),
                }
                for f in self.forms
            ],
        }
        return envelope(payload, self.problems, texts)


def generate(
    base_path: Path,
    out_dir: Path | None = None,
    mail: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
    ids: register.FormIds | None = None,
) -> GenerateResult:
    """Check the base and write the questionnaires (and with ``mail`` the ``.eml`` drafts).

    Raises KwmError when the base has errors or cannot be read. ``lang`` (nl/en) overrides the
    base's ``Taal``. ``now`` pins the clock (mail dates, the register) and ``ids`` the form ids
    (random in use) for reproducible output.
    """
    # the dates go out in the questionnaires and mails: one before today is a warning
    base, warnings = load_base(base_path, (now or datetime.now()).date())
    return generate_from_base(base, warnings, out_dir=out_dir, mail=mail, lang=lang, now=now, ids=ids)


def generate_from_base(
    base: Base,
    base_problems: list[Problem] | tuple[Problem, ...] = (),
    *,
    out_dir: Path | None = None,
    mail: bool = False,
    lang: str | None = None,
    now: datetime | None = None,
    ids: register.FormIds | None = None,
) -> GenerateResult:
    """``generate`` for a base that is already read and checked."""
    now = now or datetime.now().replace(microsecond=0)
    texts = base_texts(base, lang)
    layout = CycleLayout.of(base)
    out = out_dir if out_dir is not None else layout.forms_dir
    refuse_output(out, layout)
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
        own = respondent_texts(base, respondent, texts)  # the form and mail in their own language
        target = layout.form_path(respondent, own, used, folder=out)
        identity = identity_values(base, respondent, form_id=(ids or register.new_form_id)())
        try:
            write_questionnaire(base, respondent, own, target, now=now, form_id=identity["form_id"])
            # recorded once written, before anything else can fail: a form that went out is known
            entry = register.issued(
                identity["form_id"],
                respondent.initials,
                identity["fingerprint"],
                questions,
                now,
                file=target.name,
            )
            register.append(layout.register, [entry])
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
                    draft = respondent_draft(base, respondent, own, target, now=now, section="generate.mail")
                    atomic_write_bytes(eml, draft)
                except ValueError:  # not exactly one address: no draft, never a second recipient
                    problems.append(address_problem(base, respondent))
                    eml = None
                except KwmError as exc:
                    problems.extend(exc.problems)
                    eml = None
        forms.append(GeneratedForm(respondent.initials, respondent.name, target, len(questions), eml))

    return GenerateResult(
        base_path=base.path,
        out_dir=out,
        language=texts.lang,
        client_code=base.settings.client_code,
        period=base.settings.period,
        forms=tuple(forms),
        problems=tuple(problems),
        returned_dir=layout.returned_dir,
    )
