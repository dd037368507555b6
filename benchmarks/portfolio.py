"""Benchmark: ``kwm portfolio`` over N client folders of four periods against a calamine floor.

    python benchmarks/portfolio.py [--n 500] [--repeat 3] [--keep]

Builds N client folders (``portfolio_data.py``: eight clients through four real cycles, the rest
made from them), then, interleaved in one run and as subprocesses (start-up counts as users see
it): ``kwm portfolio FOLDER --json`` against ``floor_portfolio.py`` (python-calamine alone reading
the ``_data`` sheet of the same latest monitors, one after the other). Prints the medians, the
ratio, the milliseconds per client of both, CPU seconds (kwm reads with one process per core) and
peak memory of the whole process tree (kwm's workers included), sampled from /proc. Never judges
by absolute seconds alone: the ratio against the floor measured in the same run is the figure; the
targets of SPEC 3.8 (10 s, 300 MB at N = 500) are printed beside it. Results also go to
``benchmarks/out/portfolio-latest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TARGET_SECONDS = 10.0  # SPEC 3.8, at N = 500 on a 2-core machine
TARGET_MB = 300.0


def kwm_executable() -> str:
    beside = Path(sys.executable).parent / "kwm"
    if beside.is_file():
        return str(beside)
    found = shutil.which("kwm")
    if not found:
        sys.exit("kwm is not installed: pip install -e . first")
    return found


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc), in kB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def measure(command: list[str]) -> dict[str, Any]:
    """Wall seconds, CPU seconds (the child and the children it waited for) and the peak memory
    of the process tree (sampled every 10 ms; the child's own ``ru_maxrss`` as a lower bound)."""
    before = os.times()
    peak = [0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                peak[0] = max(peak[0], _tree_rss_kb(child.pid))
                stop.wait(0.01)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        stop.set()
        sampler.join()
        after = os.times()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(command)}\n{stdout[-2000:]}\n{stderr[-4000:]}")
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {
        "seconds": seconds,
        "cpu": cpu,
        "peak_mb": max(peak[0], usage.ru_maxrss) / 1024,
        "stdout": stdout,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", action="store_true", help="keep the client folders")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="kwm-portfolio-bench-"))
    try:
        folder = work / "klanten"
        print(f"building {args.n} client folders of four periods (not timed) ...", flush=True)
        built = subprocess.run(
            [sys.executable, str(HERE / "portfolio_data.py"), str(folder), str(args.n)],
            check=True,
            capture_output=True,
            text=True,
        )
        made = json.loads(built.stdout.strip().splitlines()[-1])
        monitors = work / "monitors.json"
        monitors.write_text(json.dumps(made["monitors"]), encoding="utf-8")
        out = work / "portefeuille.xlsx"
        kwm = [kwm_executable(), "portfolio", str(folder), "--out", str(out), "--json"]
        floor = [sys.executable, str(HERE / "floor_portfolio.py"), str(monitors)]

        warm = json.loads(measure(kwm)["stdout"])  # warm-up, and a check kwm did the whole job
        if len(warm["clients"]) != args.n or warm["problems"]:
            sys.exit(f"kwm portfolio found {len(warm['clients'])} clients, {len(warm['problems'])} problems")
        measure(floor)
        runs: dict[str, list[dict[str, Any]]] = {"kwm": [], "floor": []}
        for attempt in range(1, args.repeat + 1):
            print(f"run {attempt}/{args.repeat}: kwm portfolio, floor ...", flush=True)
            runs["kwm"].append(measure(kwm))
            runs["floor"].append(measure(floor))
        result = _summary(runs, args.n)
        _print(result)
        OUT.mkdir(exist_ok=True)
        (OUT / "portfolio-latest.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
        if args.keep:
            print(f"client folders kept in {folder}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def _summary(runs: dict[str, list[dict[str, Any]]], n: int) -> dict[str, Any]:
    def median(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[kind])

    kwm_s, floor_s = median("kwm", "seconds"), median("floor", "seconds")
    paired = statistics.median(
        k["seconds"] / f["seconds"] for k, f in zip(runs["kwm"], runs["floor"], strict=True)
    )
    return {
        "n": n,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "kwm_s": round(kwm_s, 3),
        "floor_s": round(floor_s, 3),
        "ratio": round(kwm_s / floor_s, 2),
        "paired": round(paired, 2),
        "kwm_ms_per_client": round(1000 * kwm_s / n, 2),
        "floor_ms_per_client": round(1000 * floor_s / n, 2),
        "kwm_cpu_s": round(median("kwm", "cpu"), 3),
        "floor_cpu_s": round(median("floor", "cpu"), 3),
        "kwm_peak_mb": round(max(r["peak_mb"] for r in runs["kwm"]), 1),
        "floor_peak_mb": round(max(r["peak_mb"] for r in runs["floor"]), 1),
        "runs_s": {k: [round(r["seconds"], 3) for r in v] for k, v in runs.items()},
    }


def _print(r: dict[str, Any]) -> None:
    met = r["kwm_s"] < TARGET_SECONDS and r["kwm_peak_mb"] < TARGET_MB
    print(f"\nkwm portfolio, N = {r['n']} clients x 4 periods (medians of {len(r['runs_s']['kwm'])} runs)")
    print(f"  kwm   {r['kwm_s']:7.2f} s  {r['kwm_ms_per_client']:6.2f} ms/client  "
          f"cpu {r['kwm_cpu_s']:6.2f} s  peak {r['kwm_peak_mb']:6.1f} MB")  # fmt: skip
    print(f"  floor {r['floor_s']:7.2f} s  {r['floor_ms_per_client']:6.2f} ms/client  "
          f"cpu {r['floor_cpu_s']:6.2f} s  peak {r['floor_peak_mb']:6.1f} MB")  # fmt: skip
    print(f"  ratio {r['ratio']:.2f}x (paired {r['paired']:.2f}x), cpu ratio "
          f"{r['kwm_cpu_s'] / max(r['floor_cpu_s'], 1e-9):.2f}x")  # fmt: skip
    verdict = "met" if met else "NOT met"
    print(f"  target < {TARGET_SECONDS:.0f} s and < {TARGET_MB:.0f} MB: {verdict}")


if __name__ == "__main__":
    main()
