"""Regenerate the files in ``tests/data/`` that LibreOffice saved.

    python tests/data/make_lo_files.py

needs LibreOffice (``soffice``) and its Python UNO bridge (``python3-uno``, driven through the
system ``/usr/bin/python3``). From the bundled example base (``examples/basis.xlsx``, forms generated
by kwm with the clock pinned to ``lo_files.MADE_AT``) it writes:

- ``lo-filled-form-saved-as-xlsx.xlsx`` – C. Ceee's (CC) questionnaire, filled in LibreOffice Calc
  the way a person types (``lo_files.CC_PLAN``: numbers typed as numbers, ``"7,0"`` typed as text,
  ``"7,5"`` typed as text, relevance marks, one question left empty, NPS, Nee, a remark) and stored
  with the filter "Calc MS Excel 2007 XML".
- ``lo-filled-form-saved-as-ods.ods`` – D. Deeee's (DD) questionnaire, filled the same way
  (``lo_files.DD_PLAN``, anonymity Ja, a relevance word ``meer``) and stored as OpenDocument
  ("calc8").
- ``lo-resaved-form-floats-and-hidden-sheet.xlsx`` – B. Beee's (BB) questionnaire filled by kwm's
  ``fill_form`` with the example answers, then re-saved with a plain ``soffice --headless
  --convert-to xlsx``: whole numbers come back as floats to python-calamine, and the "very hidden"
  ``_kwm`` sheet becomes "hidden".
- ``lo-resaved-monitor-keeps-history.xlsx`` – the 2011H1 monitor of the example, carrying the
  2010H2 history in its ``_data`` sheet, re-saved with ``soffice --headless --convert-to xlsx``.
- ``lo-base-saved-as-ods.ods`` – the example base ``examples/basis.xlsx`` stored as OpenDocument
  with ``soffice --headless --convert-to ods``, as LibreOffice users keep their base
  (``tests/test_base_reader.py`` reads it as the same base).

The tests in ``tests/test_libreoffice.py`` read these files without LibreOffice and check the
exact answers against ``lo_files``; regenerate them after changing a plan there. Their identity
(client KLANT, period 2011H1, the respondent's initials) matches the example base.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
EXAMPLE_BASE = HERE.parents[1] / "examples" / "basis.xlsx"
BASE_ODS = HERE / "lo-base-saved-as-ods.ods"

import lo_files  # noqa: E402
import lo_kit  # noqa: E402


def main() -> None:
    soffice = lo_kit.find_soffice()
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="kwm-lo-data-") as scratch:
        work = Path(scratch)
        base = lo_files.client_folder(work / "klant")
        with lo_kit.office(soffice, work / "office") as office:
            for target, plan in lo_files.KEPT.items():
                kind = lo_kit.XLSX_FILTER if target.suffix == ".xlsx" else lo_kit.ODS_FILTER
                stored = work / ("lo-fill" + target.suffix)
                office.fill(
                    lo_files.generated_form(base, plan.initials),
                    plan.typed(),
                    {stored: kind},
                    **plan.special(),
                )
                shutil.copyfile(stored, target)

        filled = lo_files.fill_example(base, "BB", work / "filled" / lo_files.RESAVED_FORM.name)
        monitor = lo_files.monitor_with_history(work / "monitor")
        staged = work / "staged" / lo_files.RESAVED_MONITOR.name
        staged.parent.mkdir()
        shutil.copyfile(monitor, staged)
        converted = lo_kit.convert(soffice, [filled, staged], work / "converted")
        for source, target in zip(converted, (lo_files.RESAVED_FORM, lo_files.RESAVED_MONITOR), strict=True):
            shutil.copyfile(source, target)
        shutil.copyfile(lo_kit.convert(soffice, [EXAMPLE_BASE], work / "ods", "ods")[0], BASE_ODS)
    for target in (*lo_files.KEPT, lo_files.RESAVED_FORM, lo_files.RESAVED_MONITOR, BASE_ODS):
        print(f"{target.relative_to(HERE.parent.parent)}  {target.stat().st_size} bytes")


if __name__ == "__main__":
    main()
