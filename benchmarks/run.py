"""Benchmarks: ``kwm generate``, ``kwm process`` and start-up against plain-openpyxl floors.

    python benchmarks/run.py [--n 200] [--scaling] [--repeat 3] [--startup-runs 10] [--keep]

Builds a synthetic base with N respondents of 25 questions each in a temporary folder, then, side
by side in one run and as subprocesses (so start-up counts as users see it):

- ``kwm generate`` against ``floor_generate.py`` (plain openpyxl writing N comparable workbooks);
- the forms are filled through the fill contract (not timed);
- ``kwm process`` against ``floor_process.py`` (a plain openpyxl read-only pass over the same
  filled files plus writing one workbook of the monitor's size);
- ``kwm --version`` against ``python -c "import typer"``.

Times are medians over ``--repeat`` runs (start-up: over ``--startup-runs``); peak memory is the
maximum resident set size of each subprocess (``os.wait4``). ``--scaling`` runs N = 50, 200, 800
and prints time per form and peak memory per N. Results are also written as JSON to
``benchmarks/out/``. See benchmarks/README.md for what the targets mean.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

OUT = HERE / "out"
SCALING_NS = (50, 200, 800)
# Runs are cheap for small N and a shared machine jolts single runs: more of them there keeps the
# median steady. ``--repeat`` is the minimum.
SCALING_REPEATS = {50: 7, 200: 5, 800: 3}

# Targets of issue 9 (ratios tool / floor, memory in MB).
TARGET_PROCESS = 1.5
TARGET_GENERATE = 2.0
TARGET_STARTUP = 1.5
TARGET_PROCESS_MB = 300.0


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int


@dataclass
class Measured:
    runs: list[Run] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(r.peak_mb for r in self.runs)

    def summary(self) -> dict[str, Any]:
        return {
            "median_s": round(self.median, 4),
            "peak_mb": round(self.peak_mb, 1),
            "runs_s": [round(r.seconds, 4) for r in self.runs],
        }


# ---------------------------------------------------------------------------------------------
# Running subprocesses


def kwm_executable() -> str:
    """The ``kwm`` console script of this interpreter (not a pyenv/asdf shim, whose own start-up
    would be counted), else whatever ``kwm`` is on the PATH."""
    beside = Path(sys.executable).parent / "kwm"
    if beside.is_file():
        return str(beside)
    found = shutil.which("kwm")
    if not found:
        sys.exit("kwm is not installed: pip install -e . first")
    return found


def measure(command: list[str], *, check: bool = True) -> tuple[Run, str, str]:
    """Run ``command``; its wall time, its own peak RSS (from ``wait4``), stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    # ru_maxrss is in kilobytes on Linux, in bytes on macOS.
    peak_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    if check and child.returncode != 0:
        sys.exit(f"failed ({child.returncode}): {' '.join(command)}\n{stdout[-2000:]}\n{stderr[-4000:]}")
    return Run(seconds, peak_mb, child.returncode), stdout, stderr


# ---------------------------------------------------------------------------------------------
# One N


def setup(*args: str) -> dict[str, Any]:
    """A set-up step of ``synthetic.py`` in its own process (see ``synthetic.main``)."""
    _, stdout, _ = measure([sys.executable, str(HERE / "synthetic.py"), *args])
    result: dict[str, Any] = json.loads(stdout.strip().splitlines()[-1])
    return result


def bench_n(n: int, repeat: int, work: Path) -> dict[str, Any]:
    kwm = kwm_executable()
    python = sys.executable
    folder = work / f"n{n}"
    for old in (folder, work / f"floor-forms-{n}"):
        if old.exists():
            shutil.rmtree(old)
    print(f"\n[N={n}] building the base ...", flush=True)
    base = Path(setup("base", str(folder), str(n))["base"])
    period = folder / synthetic.PERIOD
    forms_dir, returned_dir = period / "vragenlijsten", period / "ingevuld"
    # The floor's files go outside the client folder, where kwm looks for earlier monitors.
    floor_forms, floor_out = work / f"floor-forms-{n}", work / f"floor-monitor-{n}.xlsx"

    # Warm-up (not counted): bytecode, disk cache; and a check that kwm did the whole job.
    print(f"[N={n}] kwm generate (warm-up) ...", flush=True)
    measure([kwm, "generate", str(base)])
    forms = sorted(forms_dir.glob("*.xlsx"))
    if len(forms) != n:
        sys.exit(f"kwm generate wrote {len(forms)} forms, expected {n}")
    shape = setup("shape", str(forms[0]))
    rows, columns = shape["rows"], shape["columns"]

    print(f"[N={n}] filling {n} forms through the fill contract (not timed) ...", flush=True)
    started = time.perf_counter()
    answer_rows = setup("fill", str(forms_dir), str(returned_dir))["answers"]
    fill_seconds = time.perf_counter() - started

    print(f"[N={n}] kwm process (warm-up) ...", flush=True)
    _, stdout, _ = measure([kwm, "process", str(base), "--json"])
    summary = json.loads(stdout)
    if summary["returned"] != n:
        sys.exit(f"kwm process counted {summary['returned']} returned forms, expected {n}")
    monitor = Path(summary["output"])

    generate, floor_generate = Measured(), Measured()
    process, floor_process = Measured(), Measured()
    floor_g = [python, str(HERE / "floor_generate.py"), str(floor_forms), str(n), str(rows), str(columns)]
    floor_p = [python, str(HERE / "floor_process.py"), str(returned_dir), str(floor_out), str(answer_rows)]
    for attempt in range(1, repeat + 1):
        print(f"[N={n}] run {attempt}/{repeat}: generate, floor, process, floor ...", flush=True)
        shutil.rmtree(forms_dir)
        generate.runs.append(measure([kwm, "generate", str(base)])[0])
        shutil.rmtree(floor_forms, ignore_errors=True)
        floor_generate.runs.append(measure(floor_g)[0])
        # Every run is a first processing of the period (no earlier monitor to carry history from).
        monitor.unlink(missing_ok=True)
        process.runs.append(measure([kwm, "process", str(base)])[0])
        floor_out.unlink(missing_ok=True)
        floor_process.runs.append(measure(floor_p)[0])
    # A second processing of the period reads the monitor it replaces (its trend history).
    reprocess = Measured()
    for _ in range(repeat):
        reprocess.runs.append(measure([kwm, "process", str(base)])[0])

    return {
        "n": n,
        "questions_per_form": synthetic.KWIS_PER_RESPONDENT * synthetic.QUESTIONS_PER_KWI,
        "form_rows": rows,
        "form_columns": columns,
        "answer_rows": answer_rows,
        "fill_seconds": round(fill_seconds, 2),
        "generate": generate.summary(),
        "floor_generate": floor_generate.summary(),
        "process": process.summary(),
        "floor_process": floor_process.summary(),
        "reprocess": reprocess.summary(),
    }


def bench_startup(runs: int) -> dict[str, Any]:
    kwm = kwm_executable()
    version, typer_import, help_ = Measured(), Measured(), Measured()
    measure([kwm, "--version"])  # warm-up
    measure([kwm, "--help"])
    measure([sys.executable, "-c", "import typer"])
    for _ in range(runs):  # interleaved, so all see the same machine
        version.runs.append(measure([kwm, "--version"])[0])
        typer_import.runs.append(measure([sys.executable, "-c", "import typer"])[0])
        help_.runs.append(measure([kwm, "--help"])[0])
    return {
        "kwm_version": version.summary(),
        "import_typer": typer_import.summary(),
        "kwm_help": help_.summary(),
    }


# ---------------------------------------------------------------------------------------------
# Reporting


def rows_for(result: dict[str, Any], startup: dict[str, Any] | None) -> list[dict[str, Any]]:
    n = result["n"]
    rows = []
    if startup is not None:
        rows.append(
            _row("kwm --version", startup["kwm_version"], startup["import_typer"], TARGET_STARTUP, None)
        )
        rows.append(_row("kwm --help", startup["kwm_help"], startup["import_typer"], None, None))
    rows.append(
        _row(f"kwm generate (N={n})", result["generate"], result["floor_generate"], TARGET_GENERATE, None)
    )
    rows.append(
        _row(
            f"kwm process (N={n})",
            result["process"],
            result["floor_process"],
            TARGET_PROCESS,
            TARGET_PROCESS_MB,
        )
    )
    rows.append(_row(f"kwm process again (N={n})", result["reprocess"], result["floor_process"], None, None))
    return rows


def _row(
    task: str, tool: dict[str, Any], floor: dict[str, Any], target: float | None, max_mb: float | None
) -> dict[str, Any]:
    """One line of the table; without a target the line is for information only.

    The verdict uses the ratio of the medians; ``paired`` (the median of the run-by-run ratios of
    the interleaved runs) shows how much a busy machine moved it."""
    ratio = tool["median_s"] / floor["median_s"]
    paired = statistics.median(t / f for t, f in zip(tool["runs_s"], floor["runs_s"], strict=False))
    if target is None:
        verdict, target_text = "info", "-"
    else:
        met = ratio <= target and (max_mb is None or tool["peak_mb"] < max_mb)
        verdict = "met" if met else "MISSED"
        target_text = f"<= {target:g}x" + (f", < {max_mb:g} MB" if max_mb else "")
    return {
        "task": task,
        "kwm_s": tool["median_s"],
        "floor_s": floor["median_s"],
        "ratio": round(ratio, 2),
        "paired": round(paired, 2),
        "target": target_text,
        "peak_mb": tool["peak_mb"],
        "floor_peak_mb": floor["peak_mb"],
        "verdict": verdict,
    }


def print_table(rows: list[dict[str, Any]]) -> None:
    header = ("task", "kwm s", "floor s", "ratio", "paired", "target", "peak MB", "floor MB", "verdict")
    lines = [header] + [
        (
            r["task"],
            f"{r['kwm_s']:.3f}",
            f"{r['floor_s']:.3f}",
            f"{r['ratio']:.2f}x",
            f"{r['paired']:.2f}x",
            r["target"],
            f"{r['peak_mb']:.0f}",
            f"{r['floor_peak_mb']:.0f}",
            r["verdict"],
        )
        for r in rows
    ]
    _print_lines(lines)


def print_scaling(results: list[dict[str, Any]]) -> None:
    header = (
        "N",
        "generate s",
        "ms/form",
        "peak MB",
        "process s",
        "ms/form",
        "peak MB",
        "floor process ms/form",
    )
    lines = [header]
    for r in results:
        n = r["n"]
        lines.append(
            (
                str(n),
                f"{r['generate']['median_s']:.2f}",
                f"{1000 * r['generate']['median_s'] / n:.1f}",
                f"{r['generate']['peak_mb']:.0f}",
                f"{r['process']['median_s']:.2f}",
                f"{1000 * r['process']['median_s'] / n:.1f}",
                f"{r['process']['peak_mb']:.0f}",
                f"{1000 * r['floor_process']['median_s'] / n:.1f}",
            )
        )
    _print_lines(lines)


def _print_lines(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for index, line in enumerate(lines):
        print(
            "  ".join(
                cell.ljust(width) if i == 0 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if index == 0:
            print("  ".join("-" * width for width in widths))


def machine() -> dict[str, Any]:
    from klantwaarde import __version__

    commit = subprocess.run(
        ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "kwm": __version__,
        "commit": commit,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "kwm_executable": kwm_executable(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=200, help="respondents (forms) in the synthetic base")
    parser.add_argument("--scaling", action="store_true", help="run N = 50, 200, 800")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="timed runs per measurement (median); with --scaling at least 7/5/3",
    )
    parser.add_argument("--startup-runs", type=int, default=10, help="runs of kwm --version / import typer")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder and say where")
    parser.add_argument("--workdir", type=Path, default=None, help="where to build (default: a temp folder)")
    args = parser.parse_args(argv)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="kwm-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    ns = SCALING_NS if args.scaling else (args.n,)
    try:
        print("start-up: kwm --version against python -c 'import typer' ...", flush=True)
        startup = bench_startup(args.startup_runs)
        results = [bench_n(n, max(args.repeat, SCALING_REPEATS.get(n, 0)), work) for n in ns]
    finally:
        if args.keep:
            print(f"\nkept: {work}")
        elif args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)

    report: dict[str, Any] = {
        "machine": machine(),
        "repeat": args.repeat,
        "startup": startup,
        "results": results,
    }
    tables = []
    for index, result in enumerate(results):
        rows = rows_for(result, startup if index == 0 else None)
        tables.append(rows)
        print()
        print_table(rows)
    report["tables"] = tables
    if len(results) > 1:
        print("\nscaling (medians):")
        print_scaling(results)

    OUT.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"bench-{'scaling' if args.scaling else f'n{args.n}'}-{stamp}.json"
    for target in (OUT / name, OUT / "latest.json"):
        target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"\nresults: {OUT / name}")


if __name__ == "__main__":
    main()
