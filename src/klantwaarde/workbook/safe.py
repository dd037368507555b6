"""Safety for everything kwm reads and writes.

- ``guard_input``: checks a file *before* any parser sees it (exists, size, what it unpacks to,
  encrypted, zip or not, DTDs and entity declarations), so hostile or broken files become one
  clear problem. The file is on disk or held in memory (``InputFile``: a questionnaire attached
  to a mail, never written to disk); both are guarded by the same code.
- ``atomic_save`` / ``atomic_write_bytes``: write to a temporary file beside the target and move it
  into place; refuse when Excel has the target open (``~$`` lock file). The old file survives any
  failure.
- ``set_text``: write workbook text as literal text, never as a formula.
- ``safe_filename`` / ``inside``: names from workbooks never steer a path.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import re
import sys
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from klantwaarde.model import Location
from klantwaarde.problems import KwmError, Problem, WorkbookFileError, problem

MAX_FILE_BYTES = 20 * 1024 * 1024  # a filled questionnaire is ~20 kB; a base well under 1 MB
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 200  # compression ratio of a single member

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted .xlsx and old .xls
ZIP_MAGIC = b"PK\x03\x04"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")


@dataclass(frozen=True)
class InputFile:
    """A file to read: on disk (``path``), or in memory (``data``: an attachment of a mail, read
    without ever being written to disk). ``name`` is how messages name it."""

    name: str
    path: Path | None = None
    data: bytes | None = None

    @classmethod
    def of(cls, file: Path | InputFile) -> InputFile:
        return file if isinstance(file, InputFile) else cls(file.name, path=file)

    @classmethod
    def in_memory(cls, name: str, data: bytes) -> InputFile:
        return cls(name, data=data)

    @property
    def location(self) -> Location:
        return Location(file=self.name)

    def is_file(self) -> bool:
        return self.data is not None or (self.path is not None and self.path.is_file())

    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    def open(self) -> IO[bytes]:
        """A binary stream of the content (close it, or use it in a ``with``)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        return self.path.open("rb")

    def read(self, limit: int = -1) -> bytes:
        """The content (its first ``limit`` bytes)."""
        if self.data is not None:
            return self.data if limit < 0 else self.data[:limit]
        with self.open() as handle:
            return handle.read(limit)


def guard_input(
    path: Path | InputFile,
    *,
    max_bytes: int = MAX_FILE_BYTES,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    allow_xls: bool = False,
    scan_xml: bool = True,
) -> str:
    """Check ``path`` (a file, or an ``InputFile`` on disk or in memory) before parsing. Returns
    the kind: ``xlsx`` (any OOXML zip), ``ods`` or ``xls``.

    Reads only the zip directory for the size checks, so a zip bomb is refused without unpacking
    it. With ``scan_xml`` every member is then streamed once (bounded by the checked sizes) to
    refuse DTDs and entity declarations, which spreadsheet programs do not write into the parts
    readers parse; this also catches members whose content does not match their declared size or
    checksum.
    Raises WorkbookFileError with one problem naming the file otherwise.
    """
    file = InputFile.of(path)
    where = file.location
    try:
        return _guard(file, where, max_bytes, max_unpacked, allow_xls, scan_xml)
    except OSError as exc:  # no permission, a file that vanished meanwhile, an I/O error
        raise WorkbookFileError(problem("file_unreadable", where, reason=exc.strerror or str(exc))) from None


def guard_data(name: str, data: bytes, **limits: Any) -> str:
    """``guard_input`` for a file held in memory (an attachment), named ``name`` in messages."""
    return guard_input(InputFile.in_memory(name, data), **limits)


def _guard(
    file: InputFile, where: Location, max_bytes: int, max_unpacked: int, allow_xls: bool, scan_xml: bool
) -> str:
    if not file.is_file():
        raise WorkbookFileError(problem("file_missing", where, path=str(file.path or file.name)))
    size = file.size()
    if size == 0:
        raise WorkbookFileError(problem("file_empty", where))
    if size > max_bytes:
        raise WorkbookFileError(
            problem("file_too_large", where, size_mb=f"{size / 1e6:.1f}", limit_mb=f"{max_bytes / 1e6:.0f}")
        )
    head = file.read(8)
    if head.startswith(OLE2_MAGIC):
        if allow_xls and _is_legacy_xls(file):
            return "xls"
        raise WorkbookFileError(problem("file_encrypted", where))
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookFileError(problem("file_not_workbook", where))
    try:
        with file.open() as stream, zipfile.ZipFile(stream) as archive:
            kind = _check_archive(archive, where, max_unpacked)
            if scan_xml:
                _scan_xml_members(archive, where)
            return kind
    except WorkbookFileError:
        raise
    except Exception:  # any failure of a hostile zip is "damaged", never a traceback
        raise WorkbookFileError(problem("file_corrupt", where)) from None


def _check_archive(archive: zipfile.ZipFile, where: Location, max_unpacked: int) -> str:
    """Sizes, encryption and kind, from the zip directory alone (nothing is unpacked)."""
    too_large = problem("file_unpacks_too_large", where, limit_mb=f"{max_unpacked / 1e6:.0f}")
    infos = archive.infolist()
    names = {info.filename for info in infos}
    if len(infos) > MAX_MEMBERS:
        raise WorkbookFileError(too_large)
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > max_unpacked or (info.file_size > 1_000_000 and ratio > MAX_RATIO):
            raise WorkbookFileError(too_large)
    if "EncryptionInfo" in names or any(info.flag_bits & 0x1 for info in infos):
        raise WorkbookFileError(problem("file_encrypted", where))
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        return "xlsx"
    if "content.xml" in names and "mimetype" in names:
        if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read("META-INF/manifest.xml"):
            raise WorkbookFileError(problem("file_encrypted", where))
        return "ods"
    raise WorkbookFileError(problem("file_not_workbook", where))


def _encoded(*markers: str) -> tuple[bytes, ...]:
    """``markers`` in the encodings an XML parser would accept, in either case."""
    return tuple(
        variant.encode(encoding)
        for marker in markers
        for variant in (marker.upper(), marker.lower())
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )


_ENTITY = _encoded("<!ENTITY")
_DOCTYPE = _encoded("<!DOCTYPE")
_OVERLAP = max(len(m) for m in _DOCTYPE + _ENTITY)
# LibreOffice writes a DOCTYPE naming an external DTD (never fetched, no entities) into the Basic
# macro and dialog libraries of a document; no reader parses those parts.
_LIBRARY_PARTS = ("basic/", "dialogs/")
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^>\[]*\[", re.IGNORECASE)


def _scan_xml_members(archive: zipfile.ZipFile, where: Location) -> None:
    """Refuse DTDs and entity declarations (billion laughs, external entities) before any parser
    sees them. Streams every member in chunks, whatever its name, since a workbook may point a
    reader at any part; zipfile stops at the declared size and checks the CRC, so a member that
    lies about its size fails here as damaged."""
    for info in archive.infolist():
        if info.is_dir():
            continue
        library = info.filename.lower().startswith(_LIBRARY_PARTS)
        markers = _ENTITY if library else _ENTITY + _DOCTYPE
        tail = b""
        with archive.open(info) as member:
            while chunk := member.read(1 << 16):
                window = tail + chunk
                if any(marker in window for marker in markers) or (
                    library and _INTERNAL_SUBSET.search(window)
                ):
                    raise WorkbookFileError(problem("file_unsafe_xml", where, member=info.filename))
                tail = window[-_OVERLAP:]


def _is_legacy_xls(file: InputFile) -> bool:
    """An OLE2 file that is a legacy workbook rather than an encrypted OOXML package."""
    data = file.read(2_000_000)
    utf16 = "EncryptedPackage".encode("utf-16-le")
    return utf16 not in data and "Workbook".encode("utf-16-le") in data


# ---------------------------------------------------------------------------------------------
# Writing


def lock_file_for(target: Path) -> Path:
    """Excel's owner file: ``~$`` + the name (Excel drops the first two characters of long names)."""
    return target.with_name("~$" + target.name)


def lock_files(target: Path) -> list[Path]:
    """Where Excel and LibreOffice put the lock file of an open ``target``: Excel's ``~$NAME`` (or
    ``~$`` + the name without its first two characters, for long names) and LibreOffice's
    ``.~lock.NAME#``."""
    names = ["~$" + target.name, ".~lock." + target.name + "#"]
    if len(target.name) > 2:
        names.append("~$" + target.name[2:])
    return [target.with_name(name) for name in names]


def is_locked(target: Path) -> bool:
    """``target`` is open in Excel or LibreOffice (a lock file beside it)."""
    return any(lock.exists() for lock in lock_files(target))


def refuse_if_locked(target: Path) -> None:
    if is_locked(target):
        raise KwmError([problem("output_locked", Location(file=target.name), path=str(target))])


def is_write_error(exc: BaseException) -> bool:
    """``exc`` is the disk refusing a write (full, a file-size limit): an OSError, or lxml's
    SerialisationError (IO_EFBIG, IO_ENOSPC) when openpyxl or python-pptx serialise through lxml.
    Recognised by name, so that this module needs neither library."""
    if isinstance(exc, OSError):
        return True
    kind = type(exc)
    return kind.__name__ == "SerialisationError" and kind.__module__.startswith("lxml")


def atomic_write(target: Path, write: Callable[[Path], Any]) -> Path:
    """Call ``write(tmp_path)`` then move the temporary file onto ``target``.

    The previous ``target`` is untouched when anything fails; the temporary file is removed. A
    folder that cannot be made or written (read-only, full) is a problem, never a traceback.
    """
    refuse_if_locked(target)
    tmp: Path | None = None
    failure: Problem | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".kwm-", suffix=target.suffix, dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        write(tmp)
        os.chmod(tmp, _mode_for(target))
        _replace(tmp, target)
    except KwmError:
        raise
    except Exception as exc:
        if not is_write_error(exc):
            raise
        failure = problem("output_failed", Location(file=target.name), path=str(target), reason=str(exc))
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
    if failure is not None:
        # Raised here, outside the except block, so that nothing keeps the failed writer alive:
        # collected now, quietly, instead of an "Exception ignored in ZipFile.__del__" later.
        collect_quietly()
        raise KwmError([failure])
    return target


def collect_quietly() -> None:
    """Collect what a failed save left behind (a half-written zip, unfinished sheet streams) now,
    without Python printing what their clean-up failed on: the user has the clear message."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: None
    try:
        gc.collect()
    finally:
        sys.unraisablehook = hook


def _mode_for(target: Path) -> int:
    """The replaced file's permissions, else what a plain new file gets (mkstemp makes it 0600)."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _replace(tmp: Path, target: Path) -> None:
    # A separate function so tests can make the final move fail.
    os.replace(tmp, target)


def atomic_save(workbook: Any, target: Path) -> Path:
    """Save an openpyxl workbook atomically."""
    return atomic_write(target, lambda tmp: workbook.save(tmp))


def atomic_write_bytes(target: Path, data: bytes) -> Path:
    return atomic_write(target, lambda tmp: tmp.write_bytes(data))


# The control characters a workbook cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE, without
# importing openpyxl): a save with one of them fails.
_ILLEGAL_CHARACTERS = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
MAX_CELL_TEXT = 32_000  # Excel holds at most 32,767 characters in a cell


def without_control(text: str) -> str:
    """Text without the control characters a workbook cannot hold."""
    return _ILLEGAL_CHARACTERS.sub("", text)


def cell_text(text: str) -> str:
    """Text a cell can hold: no illegal control characters, not longer than Excel allows."""
    return without_control(text)[:MAX_CELL_TEXT]


def set_text(cell: Any, value: object) -> Any:
    """Write a value from a workbook as literal text: ``=HYPERLINK(..)`` stays text, never a formula."""
    if value is None:
        cell.value = None
        return cell
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


# ---------------------------------------------------------------------------------------------
# Names


_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_RESERVED = {
    "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
    *(f"COM{i}" for i in "0123456789¹²³"),
    *(f"LPT{i}" for i in "0123456789¹²³"),
}  # fmt: skip


def safe_filename(name: str, max_length: int = 120, fallback: str = "bestand") -> str:
    """A file name that is valid on Windows, macOS and Linux: no separators or reserved characters,
    no leading dots or trailing dots/spaces, not a reserved device name, not too long."""
    cleaned = unicodedata.normalize("NFC", name)
    cleaned = _FORBIDDEN.sub(" ", cleaned)
    cleaned = re.sub(r"\s+", " ", cleaned).lstrip(". ").rstrip(". ")
    stem, dot, suffix = cleaned.rpartition(".")
    if dot and 1 <= len(suffix) <= 5 and suffix.isalnum():
        stem_part, suffix_part = stem.rstrip(". "), "." + suffix
    else:
        stem_part, suffix_part = cleaned, ""
    if stem_part.split(".")[0].strip().upper() in _RESERVED:
        stem_part = "_" + stem_part
    if not stem_part:
        stem_part = fallback
    limit = max(1, max_length - len(suffix_part))
    if len(stem_part) > limit:
        stem_part = stem_part[:limit].rstrip(". ")
    return stem_part + suffix_part


def inside(folder: Path, name: str) -> Path:
    """``folder / safe_filename(name)``, guaranteed to stay inside ``folder``."""
    candidate = (folder / safe_filename(name)).resolve()
    root = folder.resolve()
    if candidate.parent != root:
        raise ValueError(f"{name!r} would leave {folder}")
    return candidate
