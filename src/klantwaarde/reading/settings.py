"""The ``Instellingen`` sheet: setting names in one column, their values in the next."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from klantwaarde import normalise
from klantwaarde.baseformat import (
    EMAIL,
    MAX_WEIGHT,
    MIN_THRESHOLD,
    REQUIRED_SETTINGS,
    SAFE_CODE,
    SAFE_PERIOD,
    SETTINGS,
    language_value,
    setting_key,
)
from klantwaarde.model import DEFAULT_TARGET, DEFAULT_THRESHOLD, Location, Settings, Weights
from klantwaarde.reading.table import Reader, Table, suggest

Values = dict[str, object]
Where = dict[str, Location]


def read_settings(reader: Reader, table: Table, today: dt.date | None = None) -> Settings:
    """Every setting checked; defaults for the optional ones that are missing or invalid. With
    ``today``, a Deadline or Sessiedatum before it is a warning."""
    values, where = _values(reader, table)
    settings = _build(reader, table, values, where)
    if today is not None:
        for key in ("deadline", "session_date"):
            day = getattr(settings, key)
            if day is not None and day < today:
                shown = day.isoformat() if reader.english else f"{day.day}-{day.month}-{day.year}"
                reader.add("setting_date_past", where[key], setting=reader.display(SETTINGS[key]), date=shown)
    return settings


def _values(reader: Reader, table: Table) -> tuple[Values, Where]:
    values: Values = {}
    where: Where = {}
    name_col, value_col = table.letter("setting"), table.letter("value")
    last_row = table.header_row
    known_names = [name for names in SETTINGS.values() for name in names]
    for number, row in reader.data_rows(table, ("setting", "value")):
        last_row = number
        name = normalise.text(table.get(row, "setting"))
        if not name:
            continue
        key = setting_key(name)
        if key is None:
            reader.add(
                "setting_unknown",
                reader.at(table.name, number, name_col),
                setting=name,
                suggestion=suggest(name, known_names) or "",
            )
            continue
        if key in values:
            continue  # the first occurrence counts
        values[key] = table.get(row, "value")
        where[key] = reader.at(table.name, number, value_col)
        where[key + ":name"] = Location(reader.file, table.name, number, name_col)
    for key in REQUIRED_SETTINGS:
        if normalise.is_empty(values.get(key)):
            location = where.get(key) or reader.at(table.name, last_row + 1, name_col)
            reader.add("setting_missing", location, setting=reader.display(SETTINGS[key]))
    return values, where


def _build(
    reader: Reader, table: Table, values: Mapping[str, object], where: Mapping[str, Location]
) -> Settings:
    def name(key: str) -> str:
        return reader.display(SETTINGS[key])

    # Examples in the messages follow the workbook's language (a code, a decimal comma, a date).
    english = reader.english

    def invalid(key: str, example: str) -> None:
        reader.add(
            "setting_invalid",
            where[key],
            setting=name(key),
            value=normalise.text(values[key]),
            example=example,
        )

    for key in ("client_code", "period"):
        text = normalise.text(values.get(key))
        pattern = SAFE_PERIOD if key == "period" else SAFE_CODE
        if text and not pattern.match(text):
            example = "2011H1" if key == "period" else ("CLIENT" if english else "KLANT")
            reader.add("period_invalid", where[key], setting=name(key), value=text, example=example)

    language = "nl"
    if not normalise.is_empty(values.get("language")):
        found = language_value(normalise.text(values["language"]))
        if found is None:
            invalid("language", "nl")
        else:
            language = found

    target = DEFAULT_TARGET
    if not normalise.is_empty(values.get("default_target")):
        number = normalise.number(values["default_target"])
        if number.value is None or not 1 <= number.value <= 10:
            invalid("default_target", "7.5" if english else "7,5")
        else:
            target = number.value

    weights: dict[str, float] = {}
    for key, default in (("weight_less", 1.0), ("weight_neutral", 2.0), ("weight_more", 3.0)):
        weights[key] = default
        if not normalise.is_empty(values.get(key)):
            number = normalise.number(values[key])
            if number.value is None or not 0 < number.value <= MAX_WEIGHT:
                invalid(key, str(int(default)))
            else:
                weights[key] = number.value

    threshold = DEFAULT_THRESHOLD
    if not normalise.is_empty(values.get("anonymity_threshold")):
        number = normalise.number(values["anonymity_threshold"])
        if number.value is None or number.value != int(number.value) or number.value < MIN_THRESHOLD:
            invalid("anonymity_threshold", str(DEFAULT_THRESHOLD))
        else:
            threshold = int(number.value)

    dates: dict[str, dt.date | None] = {}
    for key in ("deadline", "session_date"):
        day = normalise.date(values.get(key))
        if day.invalid:
            invalid(key, "2011-06-17" if english else "17-6-2011")
        dates[key] = day.value
    deadline, session = dates["deadline"], dates["session_date"]
    if deadline is not None and session is not None and deadline >= session:  # SPEC 3.9
        shown = (lambda d: d.isoformat()) if english else (lambda d: f"{d.day}-{d.month}-{d.year}")
        reader.add(
            "deadline_after_session", where["deadline"], deadline=shown(deadline), session=shown(session)
        )

    email = normalise.text(values.get("account_manager_email"))
    if email and not EMAIL.match(email):
        reader.add("email_invalid", where["account_manager_email"], email=email)

    return Settings(
        client=normalise.text(values.get("client")),
        client_code=normalise.text(values.get("client_code")),
        supplier=normalise.text(values.get("supplier")),
        period=normalise.text(values.get("period")),
        account_manager=normalise.text(values.get("account_manager")),
        account_manager_email=email,
        deadline=dates["deadline"],
        session_date=dates["session_date"],
        language=language,
        default_target=target,
        weights=Weights(weights["weight_less"], weights["weight_neutral"], weights["weight_more"]),
        location=Location(reader.file, table.name),
        anonymity_threshold=threshold,
    )
