"""The bundled example: KLANT NV ("NewMedia") and supplier BESTSELLER B.V. (SPEC 5).

One source of truth for the example base (``basis.xlsx``), the filled example questionnaires of two
periods, and the tests that check the reader against it. Kees Klant's answers for 2011H1 are the
book's; the others are made up so that the monitor has something to show.
"""

from __future__ import annotations

import datetime as dt

CLIENT = "KLANT NV"
CLIENT_CODE = "KLANT"
SUPPLIER = "BESTSELLER B.V."
PERIOD = "2011H1"
EARLIER_PERIOD = "2010H2"

SETTINGS: list[tuple[str, object]] = [
    ("Klant", CLIENT),
    ("Klantcode", CLIENT_CODE),
    ("Leverancier", SUPPLIER),
    ("Periode", PERIOD),
    ("Accountmanager", "Rob Martens"),
    ("E-mail accountmanager", "rob.martens@bestseller.example"),
    ("Deadline", dt.date(2011, 6, 17)),
    ("Sessiedatum", dt.date(2011, 7, 1)),
    ("Taal", "nl"),
    ("KWI-doel", 7.5),
    ("Weging minder", 1),
    ("Weging neutraal", 2),
    ("Weging meer", 3),
]

# name, initials, e-mail, function, remark
RESPONDENTS = [
    ("A. Aaaa", "AA", "a.aaaa@newmedia.nl", "Manager A", ""),
    ("B. Beee", "BB", "b.beee@newmedia.nl", "Manager B", ""),
    ("C. Ceee", "CC", "c.ceee@newmedia.nl", "Manager C", ""),
    ("D. Deeee", "DD", "d.deeee@newmedia.nl", "Manager D", ""),
    ("Kees Klant", "KK", "kees.klant@newmedia.nl", "General Manager", "Sponsor van de klantwaardemonitor"),
]

# code, title, description, target (None: the default), contributed by
KWIS = [
    (
        "KWI-01",
        "Kennisborging",
        "NewMedia is niet afhankelijk van één medewerker van de leverancier: kennis is vastgelegd en "
        "de medewerkers zijn goed op de hoogte van onze organisatie.",
        None,
        "AA",
    ),
    (
        "KWI-02",
        "Inspiratie",
        "Een proactieve houding: advies over nieuwe technologie en beschikbare ICT-oplossingen, "
        "gevraagd en ongevraagd.",
        None,
        "BB",
    ),
    (
        "KWI-03",
        "Strategie",
        "Een proactieve bijdrage aan ons meerjarenplan en onze jaarplannen.",
        8.0,
        "CC",
    ),
    (
        "KWI-04",
        "Kostenreductie",
        "Een proactieve bijdrage aan lagere kosten voor NewMedia: hogere productiviteit, best "
        "practices en minder verspilling.",
        None,
        "DD",
    ),
    (
        "KWI-05",
        "Partnership",
        "Gedraagt zich als partner: neemt verantwoordelijkheid en aanvaardt beheersbare risico's.",
        None,
        "KK",
    ),
]

STANDARD_ACTIVE = "{leverancier} gaf blijk actief aan deze KWI te werken"
STANDARD_AGREEMENTS = "{leverancier} kwam de afspraken inzake deze KWI na (zie actielijst)"

# kwi, number, text
QUESTIONS = [
    ("KWI-01", "1.01", "Medewerkers van {leverancier} kennen de organisatie en de systemen van {klant}"),
    (
        "KWI-01",
        "1.02",
        "Kennis over onze omgeving is vastgelegd en overdraagbaar, ook bij wisseling van personeel",
    ),
    ("KWI-01", "1.03", STANDARD_ACTIVE),
    ("KWI-01", "1.04", STANDARD_AGREEMENTS),
    ("KWI-02", "2.01", "{leverancier} komt ongevraagd met ideeën over nieuwe technologie"),
    ("KWI-02", "2.02", "Het advies van {leverancier} over ICT-oplossingen is bruikbaar voor {klant}"),
    ("KWI-02", "2.03", "{leverancier} organiseert inspiratiesessies die de moeite waard zijn"),
    ("KWI-02", "2.04", STANDARD_ACTIVE),
    ("KWI-02", "2.05", STANDARD_AGREEMENTS),
    ("KWI-03", "3.01", "{leverancier} kent het meerjarenplan van {klant}"),
    ("KWI-03", "3.02", "{leverancier} denkt mee over ons jaarplan"),
    ("KWI-03", "3.03", "Voorstellen van {leverancier} sluiten aan op onze strategische doelen"),
    ("KWI-03", "3.04", "{leverancier} signaleert tijdig ontwikkelingen die onze strategie raken"),
    ("KWI-03", "3.05", STANDARD_ACTIVE),
    ("KWI-03", "3.06", STANDARD_AGREEMENTS),
    ("KWI-04", "4.01", "{leverancier} doet concrete voorstellen om onze kosten te verlagen"),
    ("KWI-04", "4.02", "{leverancier} deelt best practices die onze productiviteit verhogen"),
    ("KWI-04", "4.03", STANDARD_ACTIVE),
    ("KWI-04", "4.04", STANDARD_AGREEMENTS),
    ("KWI-05", "5.01", "{leverancier} neemt verantwoordelijkheid als er iets misgaat"),
    ("KWI-05", "5.02", "{leverancier} is bereid beheersbare risico's met {klant} te delen"),
    ("KWI-05", "5.03", "De samenwerking met {leverancier} voelt als een partnerschap"),
    ("KWI-05", "5.04", STANDARD_ACTIVE),
    ("KWI-05", "5.05", STANDARD_AGREEMENTS),
]

ALL_NUMBERS = [q[1] for q in QUESTIONS]
_NOT_ASSIGNED = {
    "AA": {"3.02", "3.04", "5.02", "5.03"},
    "BB": {"1.02", "4.02"},
    "CC": {"2.03", "5.01"},
    "DD": {"1.01", "3.01", "3.03"},
}
_KK = ["1.02", "1.03", "1.04", "2.01", "2.02", "2.03", "2.04", "3.02", "3.04", "3.05", "3.06"]
_KK += ["4.01", "4.03", "5.01", "5.02", "5.03", "5.04"]

# initials -> assigned question numbers (base order)
ASSIGNMENT: dict[str, list[str]] = {
    **{ini: [n for n in ALL_NUMBERS if n not in skip] for ini, skip in _NOT_ASSIGNED.items()},
    "KK": _KK,
}

# number, date, description, kwi, owner, status, deadline
ACTIONS = [
    ("2011-01", dt.date(2010, 7, 6), "Kennisdocumentatie van de NewMedia-omgeving opzetten en delen", "KWI-01",
     "RM", "gereed", dt.date(2010, 10, 1)),
    ("2011-02", dt.date(2010, 7, 6), "Deelnemen aan de jaarplansessie van NewMedia", "KWI-03",
     "RM", "lopend", dt.date(2011, 3, 1)),
    ("2011-03", dt.date(2010, 7, 6), "Voorstel besparingen op beheerkosten uitwerken", "KWI-04",
     "RM", "open", dt.date(2011, 1, 15)),
    ("2011-04", dt.date(2010, 7, 6), "Halfjaarlijkse strategiesessie met het MT van NewMedia", "KWI-03",
     "RM", "open", dt.date(2011, 9, 1)),
]  # fmt: skip

# The supplier's account team (the Team sheet): whom the actions are for (initials, as in Voor).
TEAM = [
    ("RM", "Rob Martens", "rob.martens@bestseller.example", "Accountmanager"),
]

# Internal A3 inputs (never shown to the client): item -> text, and the Kwantitatief figures.
A3_BLOCKS = [
    ("Visie", "NewMedia groeit door digitale diensten; wij willen hun vaste partner voor ICT-beheer zijn."),
    ("Missie", "Samen met NewMedia de beheerkosten verlagen en ruimte maken voor innovatie."),
    ("Succesbepalende factoren", "Vaste contactpersonen\nKennis van de NewMedia-omgeving\nTijdige levering"),
    ("Organisatie-indicatoren (KPI's)", "Omzetgroei 10%\nMarge minimaal 25%"),
    ("Organisatie-acties", "Accountteam uitbreiden met een solution architect"),
    ("Randvoorwaarden", "Budget voor twee inspiratiesessies per jaar"),
]
A3_FIGURES = [
    ("#Contacten", 24, 30),
    ("#Klantafspraken", 12, 15),
    ("#Leads", 6, 9),
    ("#Orders", 4, 6),
    ("Omzet", 850000, 920000),
    ("Marge", 210000, 235000),
    ("#Klantwaardesessies", 1, 2),
]


# -------------------------------------------------------------------------------------------
# Filled questionnaires: key -> (grade, relevance) with relevance "<", "N", ">" or "" (blank).

Answers = dict[str, tuple[int | None, str]]

# Kees Klant, 2011H1: the book's answers.
_KK_2011H1: Answers = {
    "1.02": (6, ""), "1.03": (7, ""), "1.04": (8, ""),
    "2.01": (7, ""), "2.02": (7, ""), "2.03": (8, "<"), "2.04": (8, ""),
    "3.02": (8, ""), "3.04": (8, ""), "3.05": (8, ""), "3.06": (None, ""),
    "4.01": (6, ""), "4.03": (6, ""),
    "5.01": (6, ""), "5.02": (7, ""), "5.03": (7, ""), "5.04": (7, ""),
}  # fmt: skip

_LEVEL = {  # (respondent, period) -> base grade, per-KWI offsets, relevance pattern
    ("AA", PERIOD): (7, [1, 0, -1, 0, 1], "N>N<"),
    ("BB", PERIOD): (8, [0, 1, 0, -1, 0], ">NN"),
    ("CC", PERIOD): (7, [-1, 0, 1, 0, 0], "NN<>"),
    ("DD", PERIOD): (6, [0, 0, 1, 1, 0], "N"),
    ("AA", EARLIER_PERIOD): (6, [1, 0, -1, 0, 0], "N>N<"),
    ("BB", EARLIER_PERIOD): (7, [0, 1, 0, -1, 0], ">NN"),
    ("CC", EARLIER_PERIOD): (6, [0, 0, 1, 0, 0], "NN<>"),
    ("DD", EARLIER_PERIOD): (6, [0, -1, 0, 1, 0], "N"),
    ("KK", EARLIER_PERIOD): (6, [0, 0, 1, -1, 0], "NN>"),
}

NPS = {
    PERIOD: {"AA": 8, "BB": 9, "CC": 7, "DD": 6, "KK": 9},
    EARLIER_PERIOD: {"AA": 7, "BB": 8, "CC": 6, "DD": 6, "KK": 8},
}
ANONYMOUS = {PERIOD: {"DD"}, EARLIER_PERIOD: set()}
REMARKS = {
    PERIOD: {
        "AA": "De kennisdocumentatie is een flinke stap vooruit.",
        "DD": "Graag meer concrete besparingsvoorstellen.",
        "KK": "Goede samenwerking; blijf ons uitdagen met nieuwe ideeën.",
    },
    EARLIER_PERIOD: {"BB": "Meer inspiratie graag.", "KK": "Een goed begin van de samenwerking."},
}


def answers(initials: str, period: str = PERIOD) -> Answers:
    """The example answers of one respondent in one period (deterministic)."""
    if (initials, period) == ("KK", PERIOD):
        return dict(_KK_2011H1)
    base, offsets, pattern = _LEVEL[(initials, period)]
    result: Answers = {}
    for index, number in enumerate(ASSIGNMENT[initials]):
        kwi = int(number.split(".")[0]) - 1
        grade = max(1, min(10, base + offsets[kwi] + (index % 3 == 2)))
        mark = pattern[index % len(pattern)]
        result[number] = (grade, "" if mark == "N" else mark)
    return result
