"""E-mail drafts (``.eml``) with the standard library only.

A draft carries ``X-Unsent: 1`` so Outlook and Thunderbird open it as an editable, unsent message:
the account manager reads it, adjusts it and presses send. Drafts are reproducible: the Date comes
from the caller's clock and the Message-ID and MIME boundaries are derived from the content, so the
same inputs give the same bytes. Used by ``kwm generate`` and ``kwm remind`` (also ``--actions``, whose
drafts carry no attachment).
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from datetime import UTC, date, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import TYPE_CHECKING

from klantwaarde.problems import Problem, problem

if TYPE_CHECKING:  # passed in; this module itself needs only the standard library
    from klantwaarde.model import Base, Respondent
    from klantwaarde.texts import Texts

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
_TYPES = {
    ".xlsx": XLSX_TYPE,
    ".xlsm": ("application", "vnd.ms-excel.sheet.macroEnabled.12"),
    ".pdf": ("application", "pdf"),
}
_POLICY = policy.default.clone(linesep="\r\n", max_line_length=78)
_LINE_BREAKS = re.compile(r"[\r\n\t\x00-\x1f\x7f]+")


def one_line(value: str) -> str:
    """Header-safe text: control characters and line breaks become single spaces."""
    return _LINE_BREAKS.sub(" ", value).strip()


def mailbox(name: str, email: str) -> Address:
    """Exactly one mailbox: ``email`` from the base, ``name`` as its display name.

    The email package quotes or encodes the name as RFC 5322 requires, so a comma, ``<`` or ``@`` in
    a name never adds or replaces an address. Raises ValueError when ``email`` is not exactly one
    address (``a@b.nl, c@d.nl``, ``Naam <x@y>``, blank).
    """
    spec = one_line(email)
    if not spec:
        raise ValueError("no e-mail address")
    found = Address(display_name=one_line(name), addr_spec=spec)
    if not found.username or not found.domain:
        raise ValueError(f"{spec!r} is not one e-mail address")
    return found


def text_to_html(text: str) -> str:
    """A simple HTML version of a plain-text message: paragraphs and line breaks, all escaped."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    body = "\n".join(
        "<p>" + "<br>\n".join(html_lib.escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs
    )
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head>\n'
        '<body style="font-family: Calibri, Arial, sans-serif; font-size: 11pt; color: #1f2937;">\n'
        f"{body}\n</body></html>\n"
    )


def build_draft(
    *,
    to: Address,
    sender: Address | None,
    subject: str,
    text: str,
    html: str,
    attachment: Path | None = None,
    date: datetime | None = None,
    attachment_name: str | None = None,
) -> bytes:
    """An ``.eml`` draft: plain text with an HTML alternative, the file attached (when there is one),
    ``X-Unsent: 1``.

    Exactly one recipient, ``to``, and — when given — exactly one sender; without ``sender`` From
    is left out so the mail program fills in the user's own account. ``date`` defaults to now; pass
    the command's clock for reproducible drafts.
    """
    data = attachment.read_bytes() if attachment is not None else b""
    when = date or datetime.now(UTC)
    if when.tzinfo is None:
        when = when.astimezone()
    digest = hashlib.sha256(
        "\x00".join((str(to), str(sender or ""), subject, text, html, when.isoformat())).encode("utf-8")
        + data
    ).hexdigest()

    message = EmailMessage(policy=_POLICY)
    message["X-Unsent"] = "1"
    if sender is not None:
        message["From"] = sender
    message["To"] = to
    message["Subject"] = one_line(subject)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = f"<{digest[:32]}@{_domain(sender)}>"
    message["X-Mailer"] = "kwm (klantwaarde)"
    message.set_content(text, subtype="plain", charset="utf-8")
    message.add_alternative(html, subtype="html", charset="utf-8")
    # Fixed boundaries: the email package would pick random ones, making every run differ.
    if attachment is None:
        message.set_boundary(f"kwm-alt-{digest[24:48]}")
        return message.as_bytes(policy=_POLICY)
    maintype, subtype = _TYPES.get(attachment.suffix.lower(), ("application", "octet-stream"))
    message.add_attachment(
        data, maintype=maintype, subtype=subtype, filename=one_line(attachment_name or attachment.name)
    )
    message.set_boundary(f"kwm-mixed-{digest[:24]}")
    for part in message.iter_parts():
        if part.get_content_type() == "multipart/alternative":
            part.set_boundary(f"kwm-alt-{digest[24:48]}")
    return message.as_bytes(policy=_POLICY)


def _domain(sender: Address | None) -> str:
    domain = sender.domain.strip(".").lower() if sender is not None else ""
    return domain if re.fullmatch(r"[a-z0-9.-]+", domain) else "kwm.invalid"


# ---------------------------------------------------------------------------------------------
# Dates in running text ("vrijdag 17 juni 2011"), shared by the form and the mail texts.


def long_date(value: date, texts: Texts) -> str:
    """``vrijdag 17 juni 2011`` / ``Friday 17 June 2011``, from the month and weekday names of the
    templates (not the system locale, which is often English on Dutch desktops)."""
    months = texts.raw("generate.months")
    weekdays = texts.raw("generate.weekdays")
    return texts(
        "generate.date",
        weekday=weekdays[value.weekday()],
        day=value.day,
        month=months[value.month - 1],
        year=value.year,
    )


def return_by_text(deadline: date | None, texts: Texts) -> str:
    """``uiterlijk vrijdag 17 juni 2011``, or ``zo snel mogelijk`` without a deadline."""
    if deadline is None:
        return texts("generate.return_by_none")
    return texts("generate.return_by", date=long_date(deadline, texts))


# ---------------------------------------------------------------------------------------------
# Drafts to respondents (the questionnaire and the reminder), from the templates.


def mail_values(base: Base, respondent: Respondent, texts: Texts) -> dict[str, str]:
    """The placeholders the mail templates may use (questionnaire and reminder mails alike)."""
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


def respondent_draft(
    base: Base,
    respondent: Respondent,
    texts: Texts,
    attachment: Path,
    *,
    now: datetime,
    section: str,
    values: dict[str, str] | None = None,
) -> bytes:
    """The ``.eml`` draft to one respondent from the ``<section>.subject`` and ``.body`` texts,
    ``attachment`` attached; ``values`` adds placeholders to ``mail_values``. Raises ValueError when
    the respondent's or the account manager's e-mail address is not exactly one address."""
    filled = {**mail_values(base, respondent, texts), **(values or {})}
    text = texts(f"{section}.body", **filled)
    s = base.settings
    return build_draft(
        to=mailbox(respondent.name, respondent.email),
        sender=mailbox(s.account_manager, s.account_manager_email)
        if s.account_manager_email.strip()
        else None,
        subject=texts(f"{section}.subject", **filled),
        text=text,
        html=text_to_html(text),
        attachment=attachment,
        date=now,
    )


def address_problem(base: Base, respondent: Respondent) -> Problem:
    """Which address of a draft is not exactly one address: the respondent's or the sender's."""
    try:
        mailbox(respondent.name, respondent.email)
    except ValueError:
        return problem(
            "mail_address_invalid", respondent.location, respondent=respondent.label, email=respondent.email
        )
    s = base.settings
    return problem(
        "mail_address_invalid",
        s.location,
        respondent=s.account_manager or s.supplier,
        email=s.account_manager_email,
    )
