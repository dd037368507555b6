"""Model objects built in code, for tests that should not depend on reading a workbook."""

from __future__ import annotations

from pathlib import Path

from klantwaarde.examples import newmedia as nm

from klantwaarde.model import Action, Base, Kwi, Location, Question, Respondent, Settings, TeamMember, Weights


def example_base(path: Path | None = None) -> Base:
    """The NewMedia example as the base reader should produce it."""
    path = path or Path("basis.xlsx")
    settings = dict(nm.SETTINGS)
    placeholders = {"leverancier": nm.SUPPLIER, "klant": nm.CLIENT}
    return Base(
        path=path,
        settings=Settings(
            client=nm.CLIENT,
            client_code=nm.CLIENT_CODE,
            supplier=nm.SUPPLIER,
            period=nm.PERIOD,
            account_manager=str(settings["Accountmanager"]),
            account_manager_email=str(settings["E-mail accountmanager"]),
            deadline=settings["Deadline"],  # type: ignore[arg-type]
            session_date=settings["Sessiedatum"],  # type: ignore[arg-type]
            language="nl",
            default_target=7.5,
            weights=Weights(1, 2, 3),
            location=Location(path.name, "Instellingen"),
        ),
        respondents=tuple(
            Respondent(name, ini, mail, function, remark, Location(path.name, "Respondenten", i + 2))
            for i, (name, ini, mail, function, remark) in enumerate(nm.RESPONDENTS)
        ),
        kwis=tuple(
            Kwi(code, title, desc, target, by, Location(path.name, "KWI's", i + 2))
            for i, (code, title, desc, target, by) in enumerate(nm.KWIS)
        ),
        questions=tuple(
            Question(
                kwi,
                number,
                text.format(**placeholders),
                tuple(ini for ini in nm.ASSIGNMENT if number in nm.ASSIGNMENT[ini]),
                Location(path.name, "Vragen", i + 2),
            )
            for i, (kwi, number, text) in enumerate(nm.QUESTIONS)
        ),
        actions=tuple(
            Action(number, date, desc, kwi, owner, status, deadline, Location(path.name, "Acties", i + 2))
            for i, (number, date, desc, kwi, owner, status, deadline) in enumerate(nm.ACTIONS)
        ),
        team=tuple(
            TeamMember(initials, name, email, role, Location(path.name, "Team", i + 2))
            for i, (initials, name, email, role) in enumerate(nm.TEAM)
        ),
    )
