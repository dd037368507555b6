"""The deck as PDF, through LibreOffice Impress (``soffice --headless --convert-to pdf``).

LibreOffice runs with a private, temporary profile: it never meets a LibreOffice the user has
open (which would take the job and write nothing), and its locale is the deck's language, so the
charts' numbers read ``7,47`` in a Dutch deck on any machine. It runs in its own process group,
which is ended when it takes too long. The PDF is written atomically beside the deck. Standard
library only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from klantwaarde.workbook.safe import atomic_write

ENVIRONMENT = "KWM_SOFFICE"
TIMEOUT = 180.0  # seconds; a first start with a fresh profile takes a few
LOCALES = {"nl": "nl-NL", "en": "en-GB"}
# Where the installers put it when it is not on the PATH.
KNOWN_PLACES = (
    "/usr/bin/soffice",
    "/usr/local/bin/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>{locale}</value></prop></item>
</oor:items>
"""


class PdfError(Exception):
    """LibreOffice did not make the PDF; the message says what it reported."""


def find_soffice() -> str | None:
    """``KWM_SOFFICE`` when set (a LibreOffice installed elsewhere; empty: none), else ``soffice``
    on the PATH, else where the installers put it."""
    chosen = os.environ.get(ENVIRONMENT)
    if chosen is not None:
        return chosen if chosen.strip() and Path(chosen).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((place for place in KNOWN_PLACES if Path(place).is_file()), None)


def convert(deck: Path, target: Path, lang: str, soffice: str, timeout: float = TIMEOUT) -> Path:
    """Write ``deck`` as PDF to ``target``. Raises PdfError when LibreOffice fails."""
    with tempfile.TemporaryDirectory(prefix="kwm-pdf-") as work:
        folder = Path(work)
        profile = folder / "profile"
        (profile / "user").mkdir(parents=True)
        locale = LOCALES.get(lang, LOCALES["nl"])
        (profile / "user" / "registrymodifications.xcu").write_text(
            PROFILE.format(locale=locale), encoding="utf-8"
        )
        out = folder / "out"
        out.mkdir()
        source = folder / ("deck" + deck.suffix)  # a plain name: LibreOffice names the PDF after it
        shutil.copyfile(deck, source)
        command = [
            soffice,
            f"-env:UserInstallation={profile.resolve().as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(source),
        ]
        output = _run(command, timeout)
        produced = out / "deck.pdf"
        if not produced.is_file() or produced.stat().st_size == 0:
            raise PdfError(output.strip().splitlines()[-1] if output.strip() else "no PDF")
        return atomic_write(target, lambda tmp: shutil.copyfile(produced, tmp))


def _run(command: list[str], timeout: float) -> str:
    try:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: ended as a whole on a timeout
        )
    except OSError as exc:
        raise PdfError(exc.strerror or str(exc)) from None
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _end_group(process)
        raise PdfError(f"timeout {timeout:.0f} s") from None
    return output.decode("utf-8", "replace")


def _end_group(process: subprocess.Popen[bytes]) -> None:
    """End the LibreOffice we started (the wrapper script and soffice.bin), by its group id."""
    killpg = getattr(os, "killpg", None)
    if killpg is not None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            killpg(process.pid, signal.SIGKILL)
    else:  # pragma: no cover - Windows has no process groups of this kind
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=10)
