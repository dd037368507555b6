"""Rebuild the bundled example workbooks from ``examples/newmedia.py``.

    python examples/build_examples.py

writes ``examples/basis.xlsx`` (period 2011H1) and ``examples/2010H2/basis.xlsx`` (the same base as
it was in the earlier period). The files are committed so that ``kwm demo`` and the tests can use
them from an installed package; run this script again after changing ``newmedia.py``.
"""

from __future__ import annotations

from pathlib import Path

from klantwaarde.examples import newmedia as nm

from klantwaarde.texts import load_texts
from klantwaarde.workbook.base import a3_key, setting_key
from klantwaarde.workbook.template import BaseContent, write_base

HERE = Path(__file__).resolve().parent


def base_content(period: str) -> BaseContent:
    """The NewMedia base for ``period``: everything of ``newmedia.py``, with that period."""
    settings: dict[str, object] = {}
    for name, value in nm.SETTINGS:
        key = setting_key(name)
        assert key is not None, f"unknown setting {name!r} in newmedia.SETTINGS"
        settings[key] = value
    settings["period"] = period
    blocks = {a3_key(item): text for item, text in nm.A3_BLOCKS}
    figures = {a3_key(item): (last, this) for item, last, this in nm.A3_FIGURES}
    return BaseContent(
        lang="nl",
        settings=settings,
        respondents=nm.RESPONDENTS,
        kwis=nm.KWIS,
        questions=nm.QUESTIONS,
        assignment=nm.ASSIGNMENT,
        actions=nm.ACTIONS,
        a3_blocks={key: text for key, text in blocks.items() if key},
        a3_figures={key: values for key, values in figures.items() if key},
    )


def build_base(path: Path, period: str) -> Path:
    """Write the example base for ``period`` to ``path`` (replacing an earlier build)."""
    return write_base(path, base_content(period), load_texts("nl"), overwrite=True)


def main() -> None:
    written = [
        build_base(HERE / "basis.xlsx", nm.PERIOD),
        build_base(HERE / nm.EARLIER_PERIOD / "basis.xlsx", nm.EARLIER_PERIOD),
    ]
    for path in written:
        print(path.relative_to(HERE.parent))


if __name__ == "__main__":
    main()
