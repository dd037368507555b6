"""Synthetic input for the benchmarks: a base with N respondents and their filled questionnaires.

Set-up only (never timed). The base is written with kwm's own base writer so that it is exactly
what ``kwm init`` users fill in; the forms are filled through the fill contract (``fill_form``), as
a respondent's Excel would.

Shape: 10 KWIs of 5 questions each (three own statements plus the two standard statements), and
an assignment matrix that gives every respondent 5 of the 10 KWIs, so 25 questions per respondent;
every question is answered by half of the respondents.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

KWIS = 10
QUESTIONS_PER_KWI = 5
KWIS_PER_RESPONDENT = 5  # 5 KWIs x 5 questions = 25 questions per respondent
CLIENT_CODE = "BENCH"
PERIOD = "2025H1"
SEED = 20250601
RELEVANCE = ("<", "N", "N", ">", "")  # blank is neutral too


def initials(index: int) -> str:
    return f"R{index + 1:04d}"


def question_number(kwi: int, question: int) -> str:
    return f"{kwi}.{question:02d}"


def assigned_numbers(index: int) -> list[str]:
    """The 25 question numbers of respondent ``index`` (0-based), in base order."""
    kwis = sorted(((index + k) % KWIS) + 1 for k in range(KWIS_PER_RESPONDENT))
    return [question_number(kwi, q) for kwi in kwis for q in range(1, QUESTIONS_PER_KWI + 1)]


def write_base(folder: Path, n: int) -> Path:
    """``folder/basis.xlsx`` with ``n`` respondents (replacing an earlier one)."""
    from klantwaarde.texts import load_texts
    from klantwaarde.workbook.template import BaseContent
    from klantwaarde.workbook.template import write_base as write_base_workbook

    texts = load_texts("nl")
    respondents = [
        (
            f"Respondent {i + 1:04d}",
            initials(i),
            f"respondent{i + 1:04d}@bench.example.nl",
            f"Manager {i % 7 + 1}",
            "",
        )
        for i in range(n)
    ]
    kwis = [
        (
            f"KWI-{k:02d}",
            f"Klantwaarde {k}",
            f"Wat de klant bij indicator {k} van de leverancier verwacht, in een paar zinnen uitgelegd "
            "zoals een accountmanager dat in het basisbestand zou zetten.",
            None,
            initials(k - 1) if k <= n else "",
        )
        for k in range(1, KWIS + 1)
    ]
    questions = []
    for k in range(1, KWIS + 1):
        code = f"KWI-{k:02d}"
        for q in range(1, QUESTIONS_PER_KWI - 1):
            text = f"{{leverancier}} levert op onderdeel {q} van indicator {k} wat {{klant}} verwacht"
            questions.append((code, question_number(k, q), text))
        questions.append((code, question_number(k, QUESTIONS_PER_KWI - 1), texts("standard.active")))
        questions.append((code, question_number(k, QUESTIONS_PER_KWI), texts("standard.agreements")))
    assignment = {initials(i): assigned_numbers(i) for i in range(n)}
    content = BaseContent(
        lang="nl",
        settings={
            "client": "BENCH NV",
            "client_code": CLIENT_CODE,
            "supplier": "LEVERANCIER B.V.",
            "period": PERIOD,
            "account_manager": "Anne Accountmanager",
            "account_manager_email": "anne@leverancier.example.nl",
            "deadline": dt.date(2025, 6, 13),
            "session_date": dt.date(2025, 6, 27),
            "language": "nl",
            "default_target": 7.5,
            "weight_less": 1,
            "weight_neutral": 2,
            "weight_more": 3,
        },
        respondents=respondents,
        kwis=kwis,
        questions=questions,
        assignment=assignment,
        actions=[
            (
                f"2025-{k:02d}",
                dt.date(2025, 1, 6),
                f"Actie voor indicator {k}",
                f"KWI-{k:02d}",
                "AA",
                "open",
                None,
            )
            for k in range(1, KWIS + 1)
        ],
    )
    folder.mkdir(parents=True, exist_ok=True)
    return write_base_workbook(folder / "basis.xlsx", content, texts, overwrite=True)


def answers_for(index: int) -> tuple[dict[str, tuple[object, object]], dict[str, object]]:
    """Reproducible answers of respondent ``index``: (number -> (grade, relevance)), specials."""
    rng = random.Random(SEED + index)
    answers: dict[str, tuple[object, object]] = {
        number: (rng.randint(4, 10), rng.choice(RELEVANCE)) for number in assigned_numbers(index)
    }
    specials: dict[str, object] = {
        "nps": rng.randint(3, 10),
        "anonymous": "Ja" if index % 10 == 3 else "Nee",
        "remark": f"Opmerking van respondent {index + 1}: goed bezig, blijf zo doorgaan."
        if index % 4 == 0
        else None,
    }
    return answers, specials


def _fill_one(job: tuple[int, str, str]) -> str:
    from klantwaarde.workbook.fill import fill_form

    index, source, target = job
    answers, specials = answers_for(index)
    fill_form(Path(source), Path(target), answers, **specials)
    return target


def fill_all(forms: Sequence[tuple[int, Path]], folder: Path) -> list[Path]:
    """Fill every generated form (``(respondent index, path)``) into ``folder``, in parallel."""
    folder.mkdir(parents=True, exist_ok=True)
    jobs = [(index, str(path), str(folder / path.name)) for index, path in forms]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        return [Path(p) for p in pool.map(_fill_one, jobs, chunksize=8)]


def form_shape(path: Path) -> tuple[int, int]:
    """Rows and columns of the answer sheet of a generated form (for the floor's workbooks)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    try:
        sheet = workbook["Vragenlijst"]
        return sheet.max_row, sheet.max_column
    finally:
        workbook.close()


_INITIALS = re.compile(r"\((R\d{4})\)")


def respondent_index(path: Path) -> int:
    """The 0-based respondent index of a generated form, from the initials in its file name."""
    match = _INITIALS.search(path.name)
    if not match:
        raise ValueError(f"no respondent initials in {path.name}")
    return int(match.group(1)[1:]) - 1


def main(argv: list[str]) -> None:
    """Set-up steps as subprocesses, so that the benchmark's own process stays small: a child's
    peak memory (``ru_maxrss``) includes what it inherited from its parent before ``exec``.

    ``base DIR N`` · ``fill FORMS_DIR OUT_DIR`` · ``shape FORM``; prints JSON.
    """
    command = argv[0]
    if command == "base":
        print(json.dumps({"base": str(write_base(Path(argv[1]), int(argv[2])))}))
    elif command == "fill":
        forms = sorted(Path(argv[1]).glob("*.xlsx"))
        filled = fill_all([(respondent_index(p), p) for p in forms], Path(argv[2]))
        answers = sum(len(assigned_numbers(respondent_index(p))) for p in forms)
        print(json.dumps({"filled": len(filled), "answers": answers}))
    elif command == "shape":
        rows, columns = form_shape(Path(argv[1]))
        print(json.dumps({"rows": rows, "columns": columns}))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
