"""LibreOffice for tests: find it, run one headless instance with a UNO listener, convert files.

``import uno`` only works with the Python LibreOffice was built for (``/usr/bin/python3`` on Debian),
not with the project's Python, so everything UNO happens in ``lo_fill.py`` run in a subprocess by
that interpreter. Every soffice started here gets a private profile (so it never meets a user's
running LibreOffice or another test's), runs in its own process group, and is always shut down:
politely through UNO first, then by its process group id.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

FILL_SCRIPT = Path(__file__).with_name("lo_fill.py")
UNO_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3", "python3")
XLSX_FILTER = "Calc MS Excel 2007 XML"
ODS_FILTER = "calc8"
START_TIMEOUT = 60.0  # a first start of a fresh profile takes a few seconds; CI machines are slow
SCRIPT_TIMEOUT = 120.0
CONVERT_TIMEOUT = 120.0


class LibreOfficeError(RuntimeError):
    """LibreOffice did not start, did not answer or failed a task (with its output)."""


def find_soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def uno_python() -> str | None:
    """A Python interpreter that can ``import uno`` (the system one), or None."""
    for candidate in UNO_PYTHONS:
        found = shutil.which(candidate)
        if found is None:
            continue
        try:
            done = subprocess.run([found, "-c", "import uno"], capture_output=True, timeout=30, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return found
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def profile_url(folder: Path) -> str:
    return "-env:UserInstallation=" + folder.resolve().as_uri()


def wait_for_listener(port: int, process: subprocess.Popen[bytes], timeout: float = START_TIMEOUT) -> None:
    """Until the UNO socket accepts connections; LibreOfficeError when soffice exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise LibreOfficeError(f"soffice exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1.0):
                return
        except OSError:
            time.sleep(0.2)
    raise LibreOfficeError(f"soffice did not listen on port {port} within {timeout:.0f} s")


def _group_alive(group: int) -> bool:
    """Whether any process of process group ``group`` still runs (Linux: from /proc)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True  # cannot tell: let killpg find out
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if len(fields) > 2 and fields[2] == str(group) and fields[0] != "Z":
            return True
    return False


def _signal_group(group: int, sig: signal.Signals) -> None:
    if _group_alive(group):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, sig)


def _stop_group(process: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """End the process group we started (soffice is a script that starts soffice.bin), by its id."""
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            _signal_group(process.pid, signal.SIGKILL)
            process.wait(timeout=grace)
    # soffice.bin may outlive the wrapper for a moment; the group still exists only if it does.
    deadline = time.monotonic() + grace
    while _group_alive(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    _signal_group(process.pid, signal.SIGKILL)


class Office:
    """One headless LibreOffice with a UNO listener on a free port and a private profile."""

    def __init__(self, soffice: str, python: str, workdir: Path):
        self.soffice = soffice
        self.python = python
        self.workdir = workdir
        self.port = free_port()
        self.profile = workdir / "profile"
        self.process: subprocess.Popen[bytes] | None = None
        self.plans = 0

    def start(self) -> Office:
        log = (self.workdir / "soffice.log").open("wb")
        self.process = subprocess.Popen(
            [
                self.soffice,
                "--headless",
                "--invisible",
                "--nologo",
                "--nodefault",
                "--norestore",
                "--nolockcheck",
                f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
                profile_url(self.profile),
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so stopping it ends soffice.bin too
        )
        log.close()
        try:
            wait_for_listener(self.port, self.process)
        except LibreOfficeError:
            self.stop()
            raise
        return self

    def run(self, plan: Mapping[str, Any], timeout: float = SCRIPT_TIMEOUT) -> dict[str, Any]:
        """Run ``lo_fill.py`` with ``plan`` (plus the port); its JSON answer."""
        self.plans += 1
        plan_file = self.workdir / f"plan-{self.plans}.json"
        plan_file.write_text(json.dumps({"port": self.port, **plan}), encoding="utf-8")
        try:
            done = subprocess.run(
                [self.python, str(FILL_SCRIPT), str(plan_file)],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise LibreOfficeError(f"lo_fill.py did not finish within {timeout:.0f} s") from exc
        if done.returncode != 0:
            raise LibreOfficeError(f"lo_fill.py failed ({done.returncode}):\n{done.stderr}{done.stdout}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result

    def fill(
        self,
        source: Path,
        answers: Mapping[str, Mapping[str, Any]],
        store: Mapping[Path, str],
        **special: Any,
    ) -> dict[str, Any]:
        """Open ``source`` hidden, type ``answers`` (key -> {"grade": .., "relevance": ..}) and the
        special rows (``nps``, ``anonymous``, ``remark``), store it as each path -> filter name."""
        plan = {
            "source": str(source.resolve()),
            "answers": answers,
            **special,
            "store": [{"path": str(p.resolve()), "filter": f} for p, f in store.items()],
        }
        return self.run(plan)

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            with contextlib.suppress(LibreOfficeError, subprocess.TimeoutExpired, ValueError):
                self.run({"terminate": True, "timeout": 5.0}, timeout=20)
                self.process.wait(timeout=15)
        _stop_group(self.process)
        self.process = None


@contextlib.contextmanager
def office(soffice: str, workdir: Path | None = None) -> Iterator[Office]:
    """A running LibreOffice for the ``with`` block, always shut down afterwards."""
    python = uno_python()
    if python is None:
        raise LibreOfficeError("no Python with the UNO bridge: apt-get install python3-uno")
    folder = workdir or Path(tempfile.mkdtemp(prefix="kwm-lo-"))
    folder.mkdir(parents=True, exist_ok=True)
    running = Office(soffice, python, folder).start()
    try:
        yield running
    finally:
        running.stop()


def convert(
    soffice: str,
    sources: list[Path],
    outdir: Path,
    fmt: str = "xlsx",
    *,
    timeout: float = CONVERT_TIMEOUT,
) -> list[Path]:
    """A plain ``soffice --headless --convert-to`` of ``sources`` into ``outdir`` (its own profile),
    as a user re-saving the files would; the converted paths in the order given."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kwm-lo-convert-") as scratch:
        process = subprocess.Popen(
            [
                soffice,
                "--headless",
                "--norestore",
                "--nolockcheck",
                profile_url(Path(scratch) / "profile"),
                "--convert-to",
                fmt,
                "--outdir",
                str(outdir),
                *(str(s) for s in sources),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            output, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _stop_group(process)
            raise LibreOfficeError(f"soffice --convert-to did not finish within {timeout:.0f} s") from exc
        finally:
            _stop_group(process, grace=5.0)
    converted = [outdir / (s.stem + "." + fmt.split(":")[0]) for s in sources]
    missing = [p for p in converted if not p.is_file()]
    if process.returncode != 0 or missing:
        shown = output.decode("utf-8", "replace")
        raise LibreOfficeError(f"soffice --convert-to {fmt} failed ({process.returncode}): {shown}")
    return converted
