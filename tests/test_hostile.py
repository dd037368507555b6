"""Hostile and broken returns (issue 6): every bad file is one problem naming it, the run goes on,
inputs stay byte-identical, and arbitrary cell values or bytes never cause a traceback."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import struct
import tracemalloc
import zipfile
from contextlib import nullcontext
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from klantwaarde.examples import newmedia as nm

from factories import example_base
from klantwaarde import normalise
from klantwaarde.model import Relevance
from klantwaarde.pipeline.collect import FileStatus, collect_forms
from klantwaarde.problems import WorkbookFileError
from klantwaarde.scoring import ScoredAnswer, overall_score
from klantwaarde.workbook.returned import read_form
from klantwaarde.workbook.safe import MAX_FILE_BYTES, guard_input, inside, safe_filename
from returned_kit import add_member, checksums, make_form, rewrite_member, sha256

BOMB_BYTES = 400 * 1024 * 1024


def codes(problems):
    return [p.code for p in problems]


# ---------------------------------------------------------------------------------------------
# Builders for broken files


def pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return path


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(valid: Path, path: Path) -> Path:
    data = valid.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


_FREE, _END, _FATSECT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _directory_entry(
    name: str, kind: int, start: int, size: int, right: int = _NONE, child: int = _NONE
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return (
        encoded.ljust(64, b"\0")
        + struct.pack("<HBB3I", len(encoded), kind, 1, _NONE, right, child)
        + b"\0" * 36
        + struct.pack("<IQ", start, size)
    )


def compound_file(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal OLE2 compound file (512-byte sectors, one FAT sector, one directory sector) holding
    ``streams``; each is padded to the mini-stream cutoff so it lives in normal sectors."""
    ordered = sorted(streams.items(), key=lambda item: (len(item[0]), item[0].upper()))
    assert len(ordered) <= 3
    fat = [_FATSECT, _END]
    entries = [b""]
    data = b""
    for index, (name, content) in enumerate(ordered, start=1):
        content = content.ljust(max(4096, -(-len(content) // 512) * 512), b"\0")
        first, count = len(fat), len(content) // 512
        fat += [*range(first + 1, first + count), _END]
        right = index + 1 if index < len(ordered) else _NONE
        entries.append(_directory_entry(name, 2, first, len(content), right=right))
        data += content
    assert len(fat) <= 128
    fat += [_FREE] * (128 - len(fat))
    entries[0] = _directory_entry("Root Entry", 5, _END, 0, child=1)
    directory = b"".join(entries).ljust(512, b"\0")
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + b"\0" * 16
        + struct.pack("<5H", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", _FREE) * 108
    )
    path.write_bytes(header + struct.pack("<128I", *fat) + directory + data)
    return path


def encrypted_workbook(path: Path) -> Path:
    """A password-protected workbook as Excel writes it: an OLE2 compound file with the streams
    EncryptionInfo (agile encryption, version 4.4) and EncryptedPackage."""
    info = b"\x04\x00\x04\x00\x40\x00\x00\x00" + b'<?xml version="1.0"?><encryption xmlns="urn:x"/>'
    package = struct.pack("<Q", 4096) + bytes(range(256)) * 16
    return compound_file(path, {"EncryptionInfo": info, "EncryptedPackage": package})


def _record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def xls_workbook(path: Path, sheets: dict[str, list[list]], extra: dict[str, bytes] | None = None) -> Path:
    """A minimal legacy BIFF8 .xls: one worksheet per entry, text as LABEL and numbers as NUMBER."""

    def bof(kind: int) -> bytes:
        return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))

    def cell(row: int, col: int, value) -> bytes:
        if isinstance(value, int | float):
            return _record(0x0203, struct.pack("<HHHd", row, col, 0, float(value)))
        text = str(value)
        return _record(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + text.encode("utf-16-le"))

    def boundsheet(offset: int, name: str) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    bodies = [
        bof(0x0010)
        + b"".join(cell(r, c, v) for r, row in enumerate(rows) for c, v in enumerate(row) if v is not None)
        + _record(0x000A)
        for rows in sheets.values()
    ]
    offset = len(bof(0x0005)) + sum(len(boundsheet(0, name)) for name in sheets) + 4
    globals_ = bof(0x0005)
    for name, body in zip(sheets, bodies, strict=True):
        globals_ += boundsheet(offset, name)
        offset += len(body)
    globals_ += _record(0x000A)
    return compound_file(path, {"Workbook": globals_ + b"".join(bodies), **(extra or {})})


def far_cells_xls(path: Path) -> Path:
    """A legacy .xls of a few kB with one number in A1 and one in IV65536 (the whole BIFF8 grid)."""
    bof = lambda kind: _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0, 0, 0, 0))  # noqa: E731
    number = lambda row, col: _record(0x0203, struct.pack("<HHHd", row, col, 0, 7.0))  # noqa: E731
    name = b"Vragenlijst"
    head_length = len(bof(0x0005)) + 4 + 8 + len(name) + len(_record(0x000A))
    globals_ = bof(0x0005) + _record(0x0085, struct.pack("<IBBBB", head_length, 0, 0, len(name), 0) + name)
    globals_ += _record(0x000A)
    assert len(globals_) == head_length
    sheet = bof(0x0010) + number(0, 0) + number(65535, 255) + _record(0x000A)
    return compound_file(path, {"Workbook": globals_ + sheet})


def zip_bomb(valid: Path, path: Path, size: int = BOMB_BYTES) -> Path:
    """A real-looking form whose answer sheet unpacks to ``size`` bytes (a few hundred kB on disk)."""
    row = b'<row r="1"><c r="A1" t="n"><v>1</v></c></row>'
    chunk = row * ((1 << 20) // len(row) + 1)
    with (
        zipfile.ZipFile(valid) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, source.read(info.filename))
        with out.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            written = 0
            while written < size:
                member.write(chunk)
                written += len(chunk)
    return path


LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)


def entity_bomb(valid: Path, path: Path) -> Path:
    def poison(xml: bytes) -> bytes:
        xml = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return LAUGHS + xml.replace(b"<t>Vragenlijst</t>", b"<t>&lol9;</t>", 1)

    return rewrite_member(valid, "xl/worksheets/sheet1.xml", poison, target=path)


def external_entity(valid: Path, path: Path) -> Path:
    head = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    return rewrite_member(
        valid, "docProps/core.xml", lambda xml: head + re.sub(rb"^<\?xml[^>]*\?>", b"", xml), path
    )


def lying_sizes(valid: Path, path: Path) -> Path:
    """A zip whose directory claims the sheet is tiny while its data unpacks to much more."""
    data = bytearray(valid.read_bytes())
    with zipfile.ZipFile(valid) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = next(
        m.start()
        for m in re.finditer(rb"PK\x01\x02", data)
        if data[m.start() + 46 : m.start() + 46 + len(info.filename)] == info.filename.encode()
    )
    struct.pack_into("<I", data, central + 24, 100)
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    path.write_bytes(bytes(data))
    return path


def no_answer_sheet(path: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.title = "Begroting"
    workbook.active.append(["Post", "Bedrag"])
    workbook.active.append(["Huur", 1200])
    workbook.save(path)
    return path


def far_cells_xlsx(valid: Path, path: Path) -> Path:
    """A valid form plus one value in XFD1048576: a few kB that span the whole grid."""
    far = b'<row r="1048576"><c r="XFD1048576" t="n"><v>1</v></c></row></sheetData>'
    return rewrite_member(
        valid, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far), path
    )


def ods_file(path: Path, tables: str) -> Path:
    from returned_kit import _ODS_NS

    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest)
    return path


_ONE = '<table:table-cell office:value-type="float" office:value="1"/>'


def repeated_cells_ods(path: Path) -> Path:
    """One cell repeated 1000 columns wide and 100000 rows down: 10^8 cells from a tiny file."""
    cell = (
        '<table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="1000"/>'
    )
    row = f'<table:table-row table:number-rows-repeated="100000">{cell}</table:table-row>'
    return ods_file(path, f'<table:table table:name="Vragenlijst">{row}</table:table>')


def nested_table_ods(path: Path) -> Path:
    """A table inside a cell, then a far-away cell of the outer table: the outer one still counts."""
    inner = f'<table:table table:name="binnen"><table:table-row>{_ONE}</table:table-row></table:table>'
    rows = (
        f"<table:table-row><table:table-cell>{inner}</table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>'
        f'<table:table-row><table:table-cell table:number-columns-repeated="16383"/>{_ONE}</table:table-row>'
    )
    return ods_file(path, f'<table:table table:name="Vragenlijst">{rows}</table:table>')


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bomb")
    valid = make_form(folder / "valid.xlsx", "KK").path
    return zip_bomb(valid, folder / "bom.xlsx")


@pytest.fixture
def base(tmp_path):
    return example_base(tmp_path / "basis.xlsx")


@pytest.fixture
def valid(tmp_path) -> Path:
    return make_form(tmp_path / "src" / "valid.xlsx", "KK").path


# ---------------------------------------------------------------------------------------------
# One bad file at a time


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (lambda v, p: pdf(p), "file_not_workbook"),
        (lambda v, p: empty(p), "file_empty"),
        (truncated, "file_corrupt"),
        (lambda v, p: encrypted_workbook(p), "file_encrypted"),
        (entity_bomb, "file_unsafe_xml"),
        (external_entity, "file_unsafe_xml"),
        (lying_sizes, "file_corrupt"),
        (lambda v, p: no_answer_sheet(p), "form_structure"),
    ],
    ids=[
        "pdf",
        "empty",
        "truncated",
        "encrypted",
        "entity-bomb",
        "external-entity",
        "lying-sizes",
        "no-sheet",
    ],
)
def test_each_broken_file_is_exactly_one_problem_naming_it(tmp_path, valid, build, code):
    path = tmp_path / "antwoord.xlsx"
    build(valid, path)
    before = sha256(path)
    form, problems = read_form(path)
    assert form is None
    assert codes(problems) == [code]
    assert problems[0].location.file == "antwoord.xlsx"
    assert sha256(path) == before


@pytest.mark.parametrize(
    "build",
    [
        lambda v, p: far_cells_xlsx(v, p.with_suffix(".xlsx")),
        lambda v, p: repeated_cells_ods(p.with_suffix(".ods")),
        lambda v, p: nested_table_ods(p.with_suffix(".ods")),
        lambda v, p: far_cells_xls(p.with_suffix(".xls")),
    ],
    ids=["xlsx-far-cell", "ods-repeated", "ods-nested-table", "xls-far-cell"],
)
def test_a_few_kb_spanning_the_whole_grid_is_refused_before_the_reader_allocates_it(
    tmp_path, valid, build, monkeypatch
):
    import klantwaarde.workbook.rows as rows

    def never(*args, **kwargs):
        raise AssertionError("calamine must not parse this file: it would allocate the whole grid")

    monkeypatch.setattr(rows.CalamineWorkbook, "from_filelike", never)
    path = build(valid, tmp_path / "groot")
    assert path.stat().st_size < 100_000
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["form_too_large"]
    assert problems[0].location.sheet == "Vragenlijst" and problems[0].location.file == path.name


@pytest.fixture
def no_calamine(monkeypatch):
    import klantwaarde.workbook.rows as rows

    def never(*args, **kwargs):
        raise AssertionError("calamine must not parse this file")

    monkeypatch.setattr(rows.CalamineWorkbook, "from_filelike", never)


def test_a_duplicated_zip_entry_cannot_hide_a_far_cell(tmp_path, valid, no_calamine):
    far = far_cells_xlsx(valid, tmp_path / "far.xlsx")
    path = tmp_path / "dubbel.xlsx"
    with zipfile.ZipFile(far) as hostile, zipfile.ZipFile(valid) as benign, zipfile.ZipFile(path, "w") as out:
        out.writestr("xl/worksheets/sheet1.xml", hostile.read("xl/worksheets/sheet1.xml"))
        for info in benign.infolist():
            with pytest.warns(UserWarning) if info.filename == "xl/worksheets/sheet1.xml" else nullcontext():
                out.writestr(info, benign.read(info.filename))
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["form_too_large"]


def test_a_sheet_part_outside_the_worksheets_folder_is_scanned_too(tmp_path, valid, no_calamine):
    far = far_cells_xlsx(valid, tmp_path / "far.xlsx")
    path = tmp_path / "elders.xlsx"
    with zipfile.ZipFile(far) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                out.writestr("elders.xml", data)
                continue
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"/xl/worksheets/sheet1.xml", b"../elders.xml")
                data = data.replace(b'"worksheets/sheet1.xml"', b'"../elders.xml"')
            out.writestr(info, data)
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["form_too_large"]


def test_a_binary_workbook_that_cannot_be_checked_first_is_refused(tmp_path, no_calamine):
    path = tmp_path / "binair.xlsx"
    with zipfile.ZipFile(path, "w") as out:
        out.writestr("[Content_Types].xml", "<Types/>")
        out.writestr("xl/workbook.bin", b"\x83\x01\x00")
        out.writestr("xl/worksheets/sheet1.bin", b"\x00\x01")
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["file_not_workbook"]


def test_an_unreadable_cell_reference_refuses_the_file(tmp_path, valid):
    path = rewrite_member(
        valid,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b'r="A8"', b'r="A-8"', 1),
        tmp_path / "ref.xlsx",
    )
    assert codes(read_form(path)[1]) == ["file_corrupt"]


def test_zip_bomb_is_refused_without_unpacking_it(bomb):
    assert bomb.stat().st_size < 5_000_000
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookFileError) as refused:
            guard_input(bomb, allow_xls=True)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.problem.code == "file_unpacks_too_large"
    assert peak < 2_000_000  # the sheet unpacks to 400 MB; the guard read only the zip directory
    form, problems = read_form(bomb)
    assert form is None and codes(problems) == ["file_unpacks_too_large"]


def test_a_file_above_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "groot.xlsx"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    form, problems = read_form(path)
    assert form is None and codes(problems) == ["file_too_large"]


def test_utf16_doctype_is_refused_too(tmp_path, valid):
    head = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]>'.encode("utf-16-le")
    path = rewrite_member(valid, "docProps/app.xml", lambda xml: head, tmp_path / "u16.xlsx")
    assert codes(read_form(path)[1]) == ["file_unsafe_xml"]


LIBRARIES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE library:libraries PUBLIC '
    '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "libraries.dtd">\n'
    '<library:libraries xmlns:library="http://openoffice.org/2000/library"/>'
)
MODULE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC '
    '"-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n'
    '<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1">'
    "Sub Main : Shell(&quot;rm -rf ~&quot;) : End Sub</script:module>"
)


def test_an_ods_with_libreoffice_basic_macros_is_read_with_a_warning(tmp_path):
    from returned_kit import to_ods

    made = make_form(tmp_path / "kk.xlsx", "KK")
    ods = to_ods(made.path, tmp_path / "kk.ods")
    add_member(ods, "Basic/script-lc.xml", LIBRARIES.encode())
    add_member(ods, "Basic/Standard/script-lb.xml", LIBRARIES.encode())
    add_member(ods, "Basic/Standard/Module1.xml", MODULE.encode())
    form, problems = read_form(ods)
    assert form is not None and len(form.answers) == 16
    assert codes(problems) == ["form_macros_ignored"]


@pytest.mark.parametrize(
    ("member", "content"),
    [
        ("Basic/Standard/Module1.xml", LIBRARIES.replace('"libraries.dtd">', '"x" [<!ENTITY a "b">]>')),
        ("Basic/script-lc.xml", LIBRARIES.replace('"libraries.dtd">', "[ ]>")),
        ("xl/worksheets/sheet9.bin", '<!DOCTYPE x SYSTEM "http://example.invalid/x.dtd"><x/>'),
        ("customXml/item1.xml", '<!doctype x [<!entity e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
    ],
    ids=["entity-in-macro-library", "internal-subset-in-library", "doctype-in-any-part", "lower-case"],
)
def test_dtds_anywhere_in_the_package_are_refused(tmp_path, valid, member, content):
    path = tmp_path / "dtd.xlsx"
    shutil.copy(valid, path)
    add_member(path, member, content.encode())
    assert codes(read_form(path)[1]) == ["file_unsafe_xml"]


def test_zip_level_encryption_and_encrypted_ods_are_reported_as_encrypted(tmp_path, valid):
    data = bytearray(valid.read_bytes())
    for match in re.finditer(rb"PK\x01\x02", data):
        data[match.start() + 8] |= 0x01  # general purpose flag: encrypted
    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(bytes(data))
    assert codes(read_form(locked)[1]) == ["file_encrypted"]

    ods = tmp_path / "locked.ods"
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", b"\x8f\x12 encrypted bytes")
        archive.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
            '<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/>'
            "</manifest:file-entry></manifest:manifest>",
        )
    assert codes(read_form(ods)[1]) == ["file_encrypted"]


def test_legacy_xls_is_read_and_its_macros_never_run(tmp_path):
    header = ["Klantcode", None, "KLANT"], ["Sleutel", "Nr", "Vraag", "Cijfer", "Relevantie"]
    rows = [
        *header,
        ["1.02", "1.02", "Vraag", 7, "<"],
        ["1.03", "1.03", "Vraag", "7,0", "meer"],
        ["nps", None, None, 9],
    ]
    identity = [["client_code", "KLANT"], ["period", "2011H1"], ["initials", "KK"]]
    path = xls_workbook(
        tmp_path / "oud.xls", {"Vragenlijst": rows, "_kwm": identity}, {"_VBA_PROJECT_CUR": b"Sub x"}
    )
    before = sha256(path)
    form, problems = read_form(path)
    assert form is not None and form.identity.initials == "KK" and form.nps == 9
    assert [(a.question_number, a.grade, a.relevance, a.location.cell) for a in form.answers] == [
        ("1.02", 7, Relevance.LESS, "D3"),
        ("1.03", 7, Relevance.MORE, "D4"),
    ]
    assert codes(problems) == ["form_macros_ignored"]
    assert sha256(path) == before


def test_header_row_missing_is_one_problem(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK", columns=("key", "number", "question"))
    form, problems = read_form(made.path)
    assert form is None and codes(problems) == ["form_header_missing"]
    assert problems[0].context["headers"] == ["Cijfer/Score", "Relevantie/Relevance"]


def test_huge_answer_sheet_area_is_refused(tmp_path):
    made = make_form(tmp_path / "kk.xlsx", "KK")
    import openpyxl

    workbook = openpyxl.load_workbook(made.path)
    workbook["Vragenlijst"]["XFD4000"] = "x"  # one far-away cell makes a 4000 x 16384 area
    workbook.save(made.path)
    form, problems = read_form(made.path)
    assert form is None and codes(problems) == ["form_too_large"]
    assert problems[0].location.sheet == "Vragenlijst"


# ---------------------------------------------------------------------------------------------
# One folder with everything at once (issue 6, "must show")


def test_a_folder_of_hostile_and_valid_returns(tmp_path, base, valid, bomb):
    folder = tmp_path / "2011H1" / "ingevuld"
    folder.mkdir(parents=True)
    early, late = dt.datetime(2011, 6, 5, tzinfo=dt.UTC), dt.datetime(2011, 6, 9, tzinfo=dt.UTC)
    make_form(folder / "AA.xlsx", "AA")
    make_form(folder / "BB.xlsx", "BB")
    macro = make_form(tmp_path / "CC.xlsx", "CC").path
    shutil.copy(macro, folder / "CC.xlsm")
    add_member(folder / "CC.xlsm", "xl/vbaProject.bin", b'\xd0\xcf\x11\xe0 Sub Workbook_Open(): Kill "C:\\*"')
    make_form(folder / "KK oud.xlsx", "KK", answers={"1.02": (3, "N")}, saved_at=early)
    bad = {"1.02": (11, ""), "1.03": ("zeven", ""), "1.04": (7.5, ""), "2.01": (0, ""), "2.02": (7, "?")}
    five_bad = {**nm.answers("KK"), **bad}
    made = make_form(folder / "KK nieuw.xlsx", "KK", answers=five_bad, saved_at=late)
    make_form(folder / "ander.xlsx", "KK", client_code="CONCURRENT")
    pdf(folder / "scan.xlsx")
    (folder / "leeg.xlsx").write_bytes(b"")
    truncated(valid, folder / "half.xlsx")
    shutil.copy(bomb, folder / "bom.xlsx")
    entity_bomb(valid, folder / "lach.xlsx")
    encrypted_workbook(folder / "wachtwoord.xlsx")
    no_answer_sheet(folder / "begroting.xlsx")
    before = checksums(folder)

    tracemalloc.start()
    try:
        collection = collect_forms(base, [folder])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert checksums(folder) == before
    assert peak < 50_000_000
    assert [f.identity.initials for f in collection.forms] == ["AA", "BB", "CC", "KK"]
    assert collection.form_of("KK").path.name == "KK nieuw.xlsx"
    per_file = {f.path.name: codes(f.problems) for f in collection.files}
    assert per_file == {
        "AA.xlsx": [],
        "BB.xlsx": [],
        "CC.xlsm": ["form_macros_ignored"],
        "KK oud.xlsx": ["form_duplicate_ignored"],
        "KK nieuw.xlsx": ["form_grade_invalid"] * 4 + ["form_relevance_invalid"],
        "ander.xlsx": ["form_other_client"],
        "scan.xlsx": ["file_pdf"],  # a PDF under a workbook name: ask for the Excel file
        "leeg.xlsx": ["file_empty"],
        "half.xlsx": ["file_corrupt"],
        "bom.xlsx": ["file_unpacks_too_large"],
        "lach.xlsx": ["file_unsafe_xml"],
        "wachtwoord.xlsx": ["file_encrypted"],
        "begroting.xlsx": ["form_structure"],
    }
    bad_cells = {p.location.cell for p in collection.problems if p.location.file == "KK nieuw.xlsx"}
    assert bad_cells == {made.grade_cells[n] for n in ("1.02", "1.03", "1.04", "2.01")} | {
        made.relevance_cells["2.02"]
    }
    assert all(p.location.file for p in collection.problems)
    status = {f.path.name: f.status for f in collection.files}
    assert status["bom.xlsx"] is FileStatus.UNREADABLE and status["ander.xlsx"] is FileStatus.REFUSED
    assert status["KK oud.xlsx"] is FileStatus.IGNORED

    # The overall score is a hand computation over exactly the valid answers.
    weights = {"<": 1, "": 2, "N": 2, ">": 3}
    expected_sum = expected_weight = 0
    for initials in ("AA", "BB", "CC", "KK"):
        answers = five_bad if initials == "KK" else nm.answers(initials)
        for number, (grade, mark) in answers.items():
            if initials == "KK" and number == "2.02":
                mark = "N"  # an unknown relevance mark: the grade counts, as neutral (SPEC 3.3)
            elif (initials == "KK" and number in bad) or grade is None:
                continue
            expected_sum += grade * weights[mark]
            expected_weight += weights[mark]
    scored = [
        ScoredAnswer(f.identity.initials, "", a.question_number, a.grade, a.relevance)
        for f in collection.forms
        for a in f.answers
    ]
    assert overall_score(scored, base.settings.weights) == pytest.approx(expected_sum / expected_weight)


# ---------------------------------------------------------------------------------------------
# Fuzzing 1: arbitrary values in the answer cells of a valid form


def excel_text(text: str) -> str:
    """Control characters as Excel stores them (``_x0001_``): openpyxl refuses them raw."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", lambda m: f"_x{ord(m.group()):04X}_", text)


plain_text = st.text(max_size=60).filter(lambda s: "_x" not in s.lower())
cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.integers(min_value=-2, max_value=12),
    st.floats(allow_nan=False, allow_infinity=False),
    plain_text,
    plain_text.map(excel_text),
    st.sampled_from(
        ["7", "7,0", " 7 ", "7.5", "<", "N", ">", "minder", "meer", "Ja", "nee", "#N/A", "#DIV/0!", "#VALUE!"]
        + ["=1+1", "=NA()", "=", "x" * 40_000, "\x01\x02".join("ab"), "10", "0"]
    ),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(9999, 12, 31)),
    st.times(),
)
KEYS = ["1.02", "1.03", "2.01", "3.02"]


def _safe_for_openpyxl(value):
    return excel_text(value) if isinstance(value, str) else value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    grades=st.lists(cell_values, min_size=len(KEYS), max_size=len(KEYS)),
    marks=st.lists(cell_values, min_size=len(KEYS), max_size=len(KEYS)),
    nps=cell_values,
    anonymous=cell_values,
    remark=cell_values,
    literal=st.booleans(),
)
def test_fuzz_arbitrary_cell_values_are_answers_or_problems(
    tmp_path, grades, marks, nps, anonymous, remark, literal
):
    answers = {
        k: (_safe_for_openpyxl(g), _safe_for_openpyxl(m)) for k, g, m in zip(KEYS, grades, marks, strict=True)
    }
    path = tmp_path / "fuzz.xlsx"
    made = make_form(
        path,
        "KK",
        answers=answers,
        nps=_safe_for_openpyxl(nps) if nps is not None else "",
        anonymous=_safe_for_openpyxl(anonymous),
        remark=_safe_for_openpyxl(remark),
        literal=literal,
    )
    form, problems = read_form(path)
    assert form is not None, problems
    answered = {a.question_number: a for a in form.answers}
    rows_with_problems = {p.location.row for p in problems}
    for key, grade in zip(KEYS, grades, strict=True):
        row = int(made.grade_cells[key][1:])
        if normalise.is_blank(grade):  # nothing typed (white space and control characters only)
            assert key not in answered and row not in rows_with_problems
            continue
        # a valid answer, or problem(s) on its row; both only for an unknown relevance mark, whose
        # grade counts as neutral (SPEC 3.3)
        marked = {p.code for p in problems if p.location.row == row} == {"form_relevance_invalid"}
        assert (key in answered) != (row in rows_with_problems) or marked, (key, grade, problems)
        if marked:
            assert answered[key].relevance is Relevance.NEUTRAL
        if key in answered:
            assert 1 <= answered[key].grade <= 10 and answered[key].relevance in set(Relevance)
    nps_row = int(made.grade_cells["nps"][1:])
    assert (form.nps is not None) + (nps_row in rows_with_problems) <= 1
    if form.nps is not None:
        assert 0 <= form.nps <= 10
    assert isinstance(form.remark, str) and len(form.remark) <= normalise.MAX_TEXT
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", form.remark)
    assert {p.code for p in problems} <= {
        "form_grade_invalid",
        "form_relevance_invalid",
        "form_nps_invalid",
        "form_anonymous_invalid",
        "form_remark_cut",  # a remark over 32,000 characters is cut, and said so (SPEC 3.3)
    }
    if "form_remark_cut" in {p.code for p in problems}:
        assert isinstance(remark, str) and len(remark) > normalise.MAX_TEXT  # only a remark that long


# ---------------------------------------------------------------------------------------------
# Fuzzing 2: mutated bytes of a valid .xlsx


@pytest.fixture(scope="module")
def valid_bytes(tmp_path_factory) -> bytes:
    return make_form(tmp_path_factory.mktemp("fuzz") / "kk.xlsx", "KK").path.read_bytes()


def _check_outcome(form, problems):
    if form is None:
        assert problems and any(p.is_error for p in problems)
        assert all(p.location.file == "m.xlsx" for p in problems)
    else:
        assert all(1 <= a.grade <= 10 for a in form.answers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mutations=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8
    ),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_fuzz_mutated_file_bytes_never_raise(tmp_path, valid_bytes, mutations, cut):
    data = bytearray(valid_bytes)
    for where, byte in mutations:
        data[int(where * len(data))] = byte
    if cut is not None:
        data = data[: int(cut * len(data))]
    path = tmp_path / "m.xlsx"
    path.write_bytes(bytes(data))
    _check_outcome(*read_form(path))


def _members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(i.filename, archive.read(i.filename)) for i in archive.infolist()]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    member=st.integers(0, 100),
    mutations=st.lists(
        st.tuples(st.floats(0, 1, exclude_max=True), st.binary(min_size=0, max_size=4)),
        min_size=1,
        max_size=6,
    ),
)
def test_fuzz_mutated_xml_inside_a_valid_zip_never_raises(tmp_path, valid_bytes, member, mutations):
    """Bytes changed inside one XML part, re-zipped with correct checksums: the parsers see it."""
    members = _members(valid_bytes)
    name, xml = members[member % len(members)]
    content = bytearray(xml)
    for where, replacement in mutations:
        at = int(where * len(content))
        content[at : at + len(replacement)] = replacement
    assume(b"<!DOCTYPE" not in content and b"<!ENTITY" not in content)
    path = tmp_path / "m.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for other, data in members:
            out.writestr(other, bytes(content) if other == name else data)
    _check_outcome(*read_form(path))


# ---------------------------------------------------------------------------------------------
# Path safety: names from workbooks never steer a path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CON", "_CON"),
        ("nul", "_nul"),
        ("NUL.xlsx", "_NUL.xlsx"),
        ("com1.xlsx", "_com1.xlsx"),
        ("LPT9.txt", "_LPT9.txt"),
        ("AUX.tar.gz", "_AUX.tar.gz"),
        ("CONIN$", "_CONIN$"),
        ("con .xlsx", "_con.xlsx"),
        ("../x", "x"),
        ("..\\..\\x.xlsx", "x.xlsx"),
        ("a/b\\c:d", "a b c d"),
        ("...verborgen", "verborgen"),
        (".", "bestand"),
        ("", "bestand"),
        ("naam. ", "naam"),
        ("KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx", "KLANT-2011H1 Vragenlijst Kees Klant (KK).xlsx"),
        ("a\x00b\x1fc", "a b c"),
        ('w?h*a"t<>|', "w h a t"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_safe_filename_keeps_long_names_within_the_limit_and_the_extension():
    long = "x" * 500 + ".xlsx"
    safe = safe_filename(long)
    assert len(safe) == 120 and safe.endswith(".xlsx")
    assert len(safe_filename("y" * 500)) == 120


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_name_stays_a_plain_file_name(name):
    safe = safe_filename(name)
    assert safe and len(safe) <= 120
    assert not re.search(r'[\x00-\x1f\x7f/\\:*?"<>|]', safe)
    assert not safe.startswith(".") and not safe.endswith((".", " "))
    assert safe.split(".")[0].strip().upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.one_of(st.text(max_size=100), st.sampled_from(["../../etc/passwd", "..", "/abs", "C:\\x", "~/x"]))
)
def test_inside_never_leaves_the_folder(tmp_path, name):
    target = inside(tmp_path, name)
    assert target.parent == tmp_path.resolve()
