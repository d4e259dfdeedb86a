"""Shared helpers of the benchmark scripts: the ISS reference case, the machine, tables.

Not a library module: the scripts in this folder import it as ``_common`` (they run as
``python benchmarks/<script>.py``, so this folder is first on ``sys.path``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.metadata
import math
import os
import platform
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from orbitkeep.constants import MU_EARTH_M3_S2
from orbitkeep.io.tle import parse_lines
from orbitkeep.propagators.numerical import revolution_means
from orbitkeep.state import CartesianState, MeanElements

F64 = NDArray[np.float64]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
README = HERE / "README.md"

# The ISS reference case of tests/reference/test_peer_agreement.py.
ISS_L1 = "1 25544U 98067A   22071.78032407  .00021395  00000-0  39008-3 0  9996"
ISS_L2 = "2 25544  51.6424  94.0370 0004047 256.5103  89.8846 15.49386383330227"
ISS_MASS_KG = 420_000.0
ISS_AREA_M2 = 1_500.0
ISS_CD = 2.2
ISS_B = ISS_CD * ISS_AREA_M2 / ISS_MASS_KG
DAY_S = 86400.0


@dataclass(frozen=True)
class IssCase:
    """The ISS case: TLE mean elements (averaged) and the sgp4 state at epoch (Cowell)."""

    epoch_s: float
    elements: MeanElements
    state: CartesianState  # TEME, m and m/s
    period_s: float


def iss_case() -> IssCase:
    """The reference case: TLE 25544 of 2022-03-12, state from sgp4 at its epoch."""
    tle = parse_lines(ISS_L1, ISS_L2)
    sat = tle.satrec()
    vals = (tle.epoch_s, tle.sma_m, sat.ecco, sat.inclo, sat.nodeo, sat.argpo, sat.mo)
    elements = MeanElements(*(np.array([v], dtype=float) for v in vals))
    err, r, v = sat.sgp4_tsince(0.0)
    if err:
        raise RuntimeError(f"sgp4 error {err} on the ISS reference TLE")
    state = CartesianState(tle.epoch_s, np.array(r) * 1e3, np.array(v) * 1e3)
    period = 2.0 * math.pi * math.sqrt(tle.sma_m**3 / MU_EARTH_M3_S2)
    return IssCase(tle.epoch_s, elements, state, period)


def window_times(
    t0: float, t1: float, period_s: float, revs: float = 2.5, per_rev: int = 48
) -> tuple[F64, F64]:
    """Sample epochs over the first and the last ``revs`` revolutions of [t0, t1].

    Enough for :func:`revolution_means` to find at least one complete revolution (node
    to node) in each window, at the Cowell propagator's own output density.
    """
    w = min(revs * period_s, 0.5 * (t1 - t0))
    n = max(round(w / period_s * per_rev), 8) + 1
    return np.linspace(t0, t0 + w, n), np.linspace(t1 - w, t1, n)


def mean_sma_drop_km(t_a: F64, rv_a: F64, t_b: F64, rv_b: F64) -> tuple[float, float]:
    """Drop of the one-revolution mean semi-major axis, and the first mean value (km).

    ``rv_a`` (n, 6) are samples over the first revolutions, ``rv_b`` over the last ones;
    the mean is the osculating a averaged over one node-to-node revolution, exactly as
    orbitkeep's Cowell propagator reports it (:func:`revolution_means`): the first
    complete revolution of the first window against the last of the last window.
    """
    _, a0, _ = revolution_means(t_a, rv_a[:, :3], rv_a[:, 3:])
    _, a1, _ = revolution_means(t_b, rv_b[:, :3], rv_b[:, 3:])
    if a0.size == 0 or a1.size == 0:
        raise RuntimeError("no complete revolution in a sample window")
    return float(a0[0] - a1[-1]) / 1e3, float(a0[0]) / 1e3


def cpu_model() -> str:
    """CPU model name from /proc/cpuinfo (or the platform's guess elsewhere)."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def nproc() -> int:
    """CPUs this process may run on (what ``nproc`` prints)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def version_of(dist: str) -> str:
    """Installed version of a distribution, or 'not installed'."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _git(*args: str) -> str:
    out = subprocess.run(
        ["git", "-C", str(ROOT), *args], capture_output=True, text=True, timeout=10, check=True
    )
    return out.stdout.rstrip()


#: The source files the benchmarks exercise.
_HOT = [
    "src/orbitkeep/propagators",
    "src/orbitkeep/environment",
    "src/orbitkeep/forces.py",
    "src/orbitkeep/state.py",
    "src/orbitkeep/timescale.py",
    "src/orbitkeep/constants.py",
]


def git_commit() -> str:
    """Short hash of the checked-out commit, and which benchmarked files differed from it."""
    try:
        head = _git("rev-parse", "--short", "HEAD")
        dirty = _git("status", "--porcelain", "--", *_HOT)
    except (OSError, subprocess.SubprocessError):
        return "unknown commit"
    if not dirty:
        return f"commit {head}"
    files = sorted({line[3:].removeprefix("src/orbitkeep/") for line in dirty.splitlines()})
    return f"commit {head}; uncommitted changes then in {', '.join(files)}"


def load_average() -> str:
    """1-, 5- and 15-minute load averages, as a hint of how busy the machine was."""
    try:
        return " / ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def machine_lines(dists: Sequence[str], mode: str) -> list[str]:
    """Markdown lines describing the run: date, machine, load, versions, mode."""
    now = _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    vers = ", ".join(f"{d} {version_of(d)}" for d in dists)
    return [
        f"- Run: {now}, mode `{mode}`, orbitkeep {version_of('orbitkeep')} ({git_commit()})",
        f"- Machine: {nproc()} CPUs (nproc), {cpu_model()}, {platform.system()} "
        f"{platform.release()}, load average before the run {load_average()}",
        f"- Python {platform.python_version()}; {vers}",
    ]


def md_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured markdown table."""
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def fmt_s(x: float | None) -> str:
    """Seconds with sensible precision ('-' for None / NaN)."""
    if x is None or not math.isfinite(x):
        return "-"
    if x < 0.01:
        return f"{x * 1e3:.2f} ms"
    if x < 10:
        return f"{x:.3f} s"
    return f"{x:.1f} s"


def fmt_ratio(x: float | None) -> str:
    """A ratio like '123x' ('-' for None / NaN)."""
    if x is None or not math.isfinite(x):
        return "-"
    return f"{x:.2f}x" if x < 10 else f"{x:.0f}x"


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (Linux/macOS) while the README is rewritten."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock, the replace itself is still atomic
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def write_section(begin: str, end: str, body: str, path: Path = README) -> None:
    """Replace the text between the ``begin`` and ``end`` marker lines of ``path``.

    Written atomically (a temporary file in the same folder, then ``os.replace``), under
    a lock on the folder, so two scripts writing their own sections cannot lose each
    other's. The markers are appended at the end if the file lacks them.
    """
    with _locked(path.parent):
        text = path.read_text() if path.exists() else ""
        block = f"{begin}\n{body.rstrip()}\n{end}"
        i, j = text.find(begin), text.find(end)
        if i >= 0 and j > i:
            new = text[:i] + block + text[j + len(end) :]
        else:
            new = text.rstrip() + ("\n\n" if text.strip() else "") + block + "\n"
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w") as fh:
                fh.write(new)
            with contextlib.suppress(OSError):
                os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    print(f"wrote {path} ({begin})")
