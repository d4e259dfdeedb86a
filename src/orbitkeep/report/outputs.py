"""Files the commands write: ``--plot FILE.png|.svg``, ``--out FILE.csv|.json|.parquet``
and ``--report FILE.html``.

Every file is written atomically: into a temporary file in the target's directory, then
renamed over the target (``os.replace``). A failure leaves no partial file and an older
file of the same name untouched. A bad path (missing directory, unknown suffix, a
directory) is a :class:`~orbitkeep.errors.ParameterError` naming the flag; call
:func:`check_output_path` before a long computation to fail early.

``--out`` holds the series behind the answer (:func:`series_rows`): the mean orbit of a
decay, the per-sample reentry dates of a Monte Carlo run, the per-year Δv of a
scenario, the per-object lifetimes of a batch. Parquet needs ``pyarrow``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ParameterError
from ..timescale import iso_utc
from . import plots, result_views

SUFFIXES = {
    "--plot": (".png", ".svg"),
    "--out": (".csv", ".json", ".parquet"),
    "--report": (".html", ".htm"),
}

Row = dict[str, Any]


def unwrap(result: Any) -> Any:
    """The plain result inside an API wrapper (``orbitkeep.api``), or ``result`` itself."""
    inner = getattr(result, "_orbitkeep_result", None)
    return result if inner is None else inner


def check_output_path(path: str | os.PathLike[str], flag: str, kind: str | None = None) -> Path:
    """``path`` as a :class:`Path` if it can be written for ``flag``, else
    :class:`ParameterError` naming the flag (suffix, missing directory, a directory).

    ``kind`` ('--plot', '--out', '--report') picks the suffixes allowed (default: ``flag``'s).
    """
    p = Path(path)
    allowed = SUFFIXES.get(kind or flag)
    if allowed is not None and p.suffix.lower() not in allowed:
        what = f"suffix {p.suffix!r}" if p.suffix else "no suffix"
        raise ParameterError(f"{p}: {what}; expected {', '.join(allowed)}", flag=flag)
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.is_dir():
        raise ParameterError(f"{p}: directory {parent} does not exist", flag=flag)
    if p.is_dir():
        raise ParameterError(f"{p}: is a directory", flag=flag)
    if not os.access(parent, os.W_OK):
        raise ParameterError(f"{p}: directory {parent} is not writable", flag=flag)
    if p.suffix.lower() == ".parquet":
        _require_pyarrow(flag)
    return p


def _require_pyarrow(flag: str) -> None:
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise ParameterError(
            "writing Parquet needs pyarrow: pip install pyarrow (or use .csv / .json)",
            flag=flag,
        )


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(
    path: str | os.PathLike[str],
    data: bytes | Callable[[Path], None],
    *,
    flag: str,
    kind: str | None = None,
) -> Path:
    """Write ``data`` (bytes, or a function writing a given path) to ``path`` atomically."""
    p = check_output_path(path, flag, kind)
    fd, name = tempfile.mkstemp(prefix=f".{p.name}.", suffix=".tmp", dir=p.parent or ".")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
        if not isinstance(data, bytes):
            data(tmp)
        os.chmod(tmp, _file_mode())
        os.replace(tmp, p)
    except OSError as exc:
        raise ParameterError(f"{p}: cannot write: {exc.strerror or exc}", flag=flag) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return p


# ----------------------------------------------------------------------------- series
def _f(x: Any, nd: int = 6) -> float | None:
    """A finite float rounded to ``nd`` decimals, else None."""
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return round(v, nd) if math.isfinite(v) else None


def _decay_rows(r: Any) -> list[Row]:
    from ..constants import R_EQUATOR_M

    tr = r.trajectory
    t = np.asarray(tr.t_s, dtype=float)
    a = np.asarray(tr.sma_m, dtype=float)
    e = (
        np.asarray(tr.ecc, dtype=float)
        if getattr(tr, "ecc", None) is not None
        else np.zeros_like(a)
    )
    return [
        {
            "t_utc": iso_utc(float(ti)),
            "t_s": _f(ti, 3),
            "sma_km": _f(ai / 1e3),
            "ecc": _f(ei, 8),
            "mean_alt_km": _f((ai - R_EQUATOR_M) / 1e3),
            "perigee_km": _f((ai * (1 - ei) - R_EQUATOR_M) / 1e3),
            "apogee_km": _f((ai * (1 + ei) - R_EQUATOR_M) / 1e3),
        }
        for ti, ai, ei in zip(t, a, e, strict=True)
    ]


def _reentry_rows(r: Any) -> list[Row]:
    t0 = float(getattr(r, "prediction_epoch_s", math.nan))
    rows = []
    for i, t in enumerate(np.asarray(r.reentry_s, dtype=float)):
        ok = math.isfinite(t)
        rows.append(
            {
                "sample": i,
                "reentry_utc": iso_utc(float(t)) if ok else None,
                "reentry_s": _f(t, 3),
                "days_after_prediction": _f((t - t0) / 86400.0, 4) if ok else None,
            }
        )
    return rows


def _scenario_rows(r: Any, name: str | None = None) -> list[Row]:
    annual = list(r.annual or [])
    vehicles = plots._vehicle_order(annual)
    rows = []
    for a in annual:
        row: Row = {} if name is None else {"scenario": name}
        for k, v in a.items():
            if k == "by_vehicle":
                continue
            if isinstance(v, list | tuple) and len(v) == 2 and all(_f(x) is not None for x in v):
                row[f"{k}_low"], row[f"{k}_high"] = float(v[0]), float(v[1])
            elif isinstance(v, list | tuple | dict):
                row[k] = json.dumps(v)
            else:
                row[k] = v
        for v in vehicles:
            row[f"dv_{v}_m_s"] = _f((a.get("by_vehicle") or {}).get(v, 0.0))
        rows.append({k: _f(v) if isinstance(v, float) else v for k, v in row.items()})
    return rows


def series_rows(result: Any) -> list[Row]:
    """The series behind a result, as rows of one flat table (what ``--out`` writes)."""
    result = unwrap(result)
    kind = result_views.kind_of(result)
    if kind == "decay":
        return _decay_rows(result)
    if kind == "reentry":
        return _reentry_rows(result)
    if kind == "scenario":
        return _scenario_rows(result)
    if kind == "scenarios":
        return [row for n, r in result.items() for row in _scenario_rows(unwrap(r), n)]
    rows = result_views.batch_rows(result, failed=True)
    if rows is not None:
        return rows
    life = result_views.lifetimes_days(result)
    assert life is not None
    return [
        {"object": i, "lifetime_days": _f(d, 4), "lifetime_years": _f(d / 365.25, 4)}
        for i, d in enumerate(life)
    ]


def _columns(rows: list[Row]) -> list[str]:
    cols: dict[str, None] = {}
    for r in rows:
        cols.update(dict.fromkeys(r))
    return list(cols)


def table_bytes(rows: list[Row], fmt: str) -> bytes:
    """``rows`` as CSV or JSON (a list of records) bytes."""
    if fmt == "json":
        return (json.dumps(rows, indent=1, allow_nan=False) + "\n").encode("utf-8")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=_columns(rows), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})
    return buf.getvalue().encode("utf-8")


def _parquet_writer(rows: list[Row]) -> Callable[[Path], None]:
    _require_pyarrow("--out")
    import pyarrow as pa
    import pyarrow.parquet as pq

    cols = _columns(rows)
    table = pa.table({c: [r.get(c) for r in rows] for c in cols})

    def write(path: Path) -> None:
        pq.write_table(table, str(path))

    return write


def write_series(result: Any, path: str | os.PathLike[str], *, flag: str = "--out") -> Path:
    """Write the series of ``result`` as CSV, JSON or Parquet (by suffix)."""
    p = check_output_path(path, flag, "--out")
    rows = series_rows(result)
    fmt = p.suffix.lower().lstrip(".")
    if fmt == "parquet":
        return atomic_write(p, _parquet_writer(rows), flag=flag, kind="--out")
    return atomic_write(p, table_bytes(rows, fmt), flag=flag, kind="--out")


def write_plot(
    result: Any, path: str | os.PathLike[str], *, flag: str = "--plot", title: str | None = None
) -> Path:
    """Write the default figure of ``result`` as PNG or SVG (by suffix)."""
    p = check_output_path(path, flag, "--plot")
    fig = plots.default_figure(unwrap(result), title=title)
    return atomic_write(p, plots.render(fig, p.suffix), flag=flag, kind="--plot")


def write_report(
    result: Any,
    path: str | os.PathLike[str],
    *,
    flag: str = "--report",
    inputs: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> Path:
    """Write the self-contained HTML report of ``result``."""
    from .html import render_report

    p = check_output_path(path, flag, "--report")
    page = render_report(unwrap(result), inputs=inputs, title=title)
    return atomic_write(p, page.encode("utf-8"), flag=flag, kind="--report")


def write_outputs(
    result: Any,
    *,
    plot: str | os.PathLike[str] | None = None,
    report: str | os.PathLike[str] | None = None,
    out: str | os.PathLike[str] | None = None,
    inputs: Mapping[str, Any] | None = None,
    title: str | None = None,
) -> dict[str, Path]:
    """Write whichever of ``--plot``, ``--out`` and ``--report`` were given.

    ``inputs``: what the user asked for (e.g. the command's options), shown in the
    report. Every path is checked before anything is written. Returns flag -> path.
    """
    asked = {"--plot": plot, "--out": out, "--report": report}
    for flag, p in asked.items():
        if p is not None:
            check_output_path(p, flag)
    done: dict[str, Path] = {}
    if plot is not None:
        done["--plot"] = write_plot(result, plot, title=title)
    if out is not None:
        done["--out"] = write_series(result, out)
    if report is not None:
        done["--report"] = write_report(result, report, inputs=inputs, title=title)
    return done


__all__ = [
    "SUFFIXES",
    "atomic_write",
    "check_output_path",
    "series_rows",
    "table_bytes",
    "unwrap",
    "write_outputs",
    "write_plot",
    "write_report",
    "write_series",
]
