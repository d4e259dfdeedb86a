"""Lifetimes of whole catalogues: the use case behind ``orbitkeep batch``.

Each object's ballistic coefficient comes from its own history when the file holds
one (the least-squares fit of :mod:`orbitkeep.estimation`), else from its TLE's B*
term: B = 2 B* / rho0 with SGP4's reference rho0 = 2.461e-5 kg/m^3 x 1 Earth radius
(6378.135 km), i.e. B [m^2/kg] = 12.741621 B* [1/ER] (Hoots & Roehrich 1980,
Spacetrack Report No. 3; Vallado 2013 sec. 9.8). B* is weak evidence: it is a free
parameter of the SGP4 fit that absorbs SGP4's own static density model's errors, is
often negative or zero, and jumps from one set to the next; such objects get the
status 'failed: no drag information'.

Results are written after every chunk (atomically), so an interrupted run leaves a
valid file that ``--resume`` continues.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import math
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .batch import (
    JobResult,
    PropagationJob,
    chunks,
    run_in_slices,
    run_many,
    scheduler_address,
)
from .constants import DAY_S, R_EQUATOR_M, REENTRY_INTERFACE_ALT_M
from .decay import MAX_HORIZON_S, MAX_HORIZON_YEARS, Environment, check_horizon_years
from .environment.atmosphere import Atmosphere
from .environment.density_grid import orbit_top_km
from .environment.density_table import TabulatedAtmosphere, long_run_table, wants_table
from .errors import InputFileError, OrbitkeepError, ParameterError
from .estimation import EstimationError, fit_ballistic_coefficient, mean_elements_at
from .io.elements import read_elements
from .io.tle import TLEHistory, history
from .propagators.averaged import AveragedSettings
from .state import MeanElements
from .timescale import iso_utc

#: B [m^2/kg] per unit B* [1/ER]: 2 / (2.461e-5 kg/m^3 * 6378.135 km), Vallado 2013.
BSTAR_TO_B = 12.741621
#: From this many objects on, ``density="auto"`` uses the shared density table: a year
#: of tables costs about as many NRLMSIS points (~4 million) as ~350 objects evaluated
#: exactly (~12,000 points per object-year), and objects that reenter early stop costing.
TABLE_MIN_OBJECTS = 1000
FIELDS = [
    "norad_id",
    "name",
    "tle_epoch_utc",
    "mean_alt_km",
    "b_m2_kg",
    "b_source",
    "reentry_utc",
    "lifetime_days",
    "status",
]


@dataclass
class CatalogResult:
    """One row per object (see FIELDS) and where they were written."""

    rows: list[dict[str, Any]]
    out: str | None
    horizon_years: float
    atmosphere: str = ""  # the density model used (says whether it was the daily table)
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M
    until_s: float | None = None  # the common horizon date (--until), else None

    def to_json(self) -> dict[str, Any]:
        """JSON document: the rows and a summary (``horizon_years`` applies when
        ``until_utc`` is null: each object's horizon counts from its last set).
        ``reentered`` counts the objects already below the interface at their last set
        (status ``below_interface``, reentry at that set) too; ``below_interface`` says
        how many of them."""
        below = sum(r["status"] == "below_interface" for r in self.rows)
        return {
            "objects": len(self.rows),
            "reentered": sum(r["status"] == "reentered" for r in self.rows) + below,
            "below_interface": below,
            "failed": sum(r["status"].startswith("failed") for r in self.rows),
            "horizon_years": self.horizon_years,
            "until_utc": None if self.until_s is None else iso_utc(self.until_s),
            "interface_alt_km": self.interface_alt_m / 1e3,
            "atmosphere": self.atmosphere,
            "out": self.out,
            "rows": self.rows,
        }


def write_rows(path: str | Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as CSV, JSON or Parquet by suffix, atomically (temp file + rename)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in (".csv", ".json", ".parquet"):
        raise ParameterError(f"unknown output type {suffix!r} (csv, json, parquet)", flag="--out")
    if not p.parent.is_dir():
        raise ParameterError(f"directory {p.parent} does not exist", flag="--out")
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            if suffix == ".csv":
                buf = io.StringIO()
                w = csv.DictWriter(buf, fieldnames=FIELDS)
                w.writeheader()
                for r in rows:
                    w.writerow({k: "" if r.get(k) is None else r.get(k) for k in FIELDS})
                fh.write(buf.getvalue().encode())
            elif suffix == ".json":
                fh.write(json.dumps(rows, indent=1).encode())
            else:
                try:
                    import pandas as pd
                except ImportError:  # pragma: no cover
                    raise ParameterError(
                        "parquet output needs pandas and pyarrow", flag="--out"
                    ) from None
                try:
                    pd.DataFrame(rows, columns=FIELDS).to_parquet(fh)
                except ImportError:
                    raise ParameterError(
                        "parquet output needs pyarrow installed", flag="--out"
                    ) from None
        os.replace(tmp, p)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows written earlier by :func:`write_rows` (for --resume); a file that is not such
    a table (another header, a row without the columns or without an integer NORAD id)
    is an :class:`InputFileError` naming the file and the row, so that --resume never
    overwrites a foreign file."""
    p = Path(path)
    if not p.exists():
        return []
    try:
        if p.suffix.lower() == ".json":
            data = json.loads(p.read_text())
            rows = data if isinstance(data, list) else [data]
            first_line = 1  # a JSON table's rows are numbered from 1
        elif p.suffix.lower() == ".csv":
            with p.open(newline="") as fh:
                reader = csv.DictReader(fh)
                rows = [{k: (None if v == "" else v) for k, v in r.items()} for r in reader]
                header = list(reader.fieldnames or [])
            if header != FIELDS:
                raise InputFileError(
                    f"cannot resume from it: line 1 is not orbitkeep batch's header "
                    f"({','.join(FIELDS)})",
                    path=p,
                )
            first_line = 2  # line 1 is the header
        else:
            import pandas as pd

            rows = list(pd.read_parquet(p).to_dict("records"))
            first_line = 1
    except (ValueError, KeyError, OSError) as exc:
        raise InputFileError(f"cannot resume from it: {exc}", path=p) from None
    where = "line" if p.suffix.lower() == ".csv" else "row"
    for i, r in enumerate(rows):
        missing = [k for k in FIELDS if k not in r] if isinstance(r, dict) else FIELDS
        nid = r.get("norad_id") if isinstance(r, dict) else None
        try:
            ok_id = nid is not None and int(nid) == float(nid)
        except (TypeError, ValueError):
            ok_id = False
        if missing or not ok_id:
            what = f"no {', '.join(missing)}" if missing else f"NORAD id {nid!r} is not an integer"
            raise InputFileError(
                f"cannot resume from it: {where} {first_line + i} is not an orbitkeep batch "
                f"row ({what})",
                path=p,
            )
    return [_typed(r) for r in rows]


#: The numeric columns of a row, as written (a CSV gives them back as text).
_NUMERIC = {"norad_id": int, "mean_alt_km": float, "b_m2_kg": float, "lifetime_days": float}


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    """A row read back with its numbers as numbers (a resumed CSV row gave strings in
    ``--json`` beside the fresh rows' numbers); a value that is not one stays as read."""
    out = dict(row)
    for k, kind in _NUMERIC.items():
        v = out.get(k)
        if isinstance(v, str):
            with contextlib.suppress(ValueError):
                out[k] = kind(float(v)) if kind is int else kind(v)
        elif isinstance(v, float) and math.isnan(v):  # parquet's missing value
            out[k] = None
    return out


def _drag_for(h: TLEHistory, env: Environment) -> tuple[float | None, str]:
    if len(h) >= 8:
        try:
            fit = fit_ballistic_coefficient(h, env.atmosphere)
            return fit.b_m2_kg, "history fit"
        except (EstimationError, OrbitkeepError):
            pass
    bstar = float(h.bstar[-1])
    if bstar > 0 and math.isfinite(bstar):
        return BSTAR_TO_B * bstar, "B*"
    return None, "none"


def run_catalog(
    path: str | Path,
    env: Environment,
    *,
    until_s: float | None = None,
    horizon_years: float = 25.0,
    out: str | Path | None = None,
    resume: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = 500,
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M,
    on_progress: Callable[[float], None] | None = None,
    density: str = "auto",
) -> CatalogResult:
    """Lifetime of every object of a TLE file; see the module docstring.

    ``density``: "exact" evaluates NRLMSIS at every quadrature node; "table" uses the
    daily zonal-mean tables of :mod:`orbitkeep.environment.density_table`, computed
    once for all objects (split over the workers); "auto" picks the table from
    :data:`TABLE_MIN_OBJECTS` objects on (NRLMSIS in daily-Ap mode only).
    """
    if until_s is None:
        check_horizon_years(horizon_years, "--years")
    tles = read_elements(path)
    by_id: dict[int, list[Any]] = {}
    for t in tles:
        by_id.setdefault(t.norad_id, []).append(t)
    done_rows = read_rows(out) if (resume and out is not None) else []
    done_ids = {int(r["norad_id"]) for r in done_rows}
    rows: list[dict[str, Any]] = list(done_rows)
    todo: list[tuple[TLEHistory, float]] = []
    hists = {nid: history(by_id[nid]) for nid in sorted(by_id) if nid not in done_ids}
    last_s = {nid: float(h.epoch_s[-1]) for nid, h in hists.items()}
    if until_s is not None and hists and all(until_s <= t for t in last_s.values()):
        raise ParameterError(
            f"{iso_utc(until_s)} is before the last element set of every object "
            f"(the latest: {iso_utc(max(last_s.values()))})",
            flag="--until",
        )
    if until_s is not None and hists and all(until_s - t > MAX_HORIZON_S for t in last_s.values()):
        raise ParameterError(
            f"{iso_utc(until_s)} is more than {MAX_HORIZON_YEARS:g} years after the last "
            f"element set of every object (the latest: {iso_utc(max(last_s.values()))})",
            flag="--until",
        )
    for nid, h in hists.items():
        refused = None
        if until_s is not None and until_s <= last_s[nid]:
            refused = "before its last element set"
        elif until_s is not None and until_s - last_s[nid] > MAX_HORIZON_S:
            refused = f"more than {MAX_HORIZON_YEARS:g} years after its last element set"
        b, src = (None, "not fitted") if refused else _drag_for(h, env)
        base = {
            "norad_id": nid,
            "name": h.name,
            "tle_epoch_utc": iso_utc(last_s[nid]),
            "mean_alt_km": round(float(h.sma_m[-1] - R_EQUATOR_M) / 1e3, 3),
            "b_m2_kg": b,
            "b_source": src,
            "reentry_utc": None,
            "lifetime_days": None,
        }
        if refused:
            rows.append({**base, "status": f"failed: --until is {refused}"})
            continue
        if b is None:
            rows.append({**base, "status": "failed: no drag information (B* <= 0, no decay arc)"})
            continue
        rows.append({**base, "status": "pending"})
        todo.append((h, b))
    pending = {int(r["norad_id"]): r for r in rows if r["status"] == "pending"}
    elements = [mean_elements_at(h, len(h) - 1) for h, _ in todo]
    atmosphere = _density_model(env, density, elements)
    if isinstance(atmosphere, TabulatedAtmosphere) and scheduler_address(scheduler) is None:
        # every job steps its objects through the whole span: few, large jobs (two per
        # worker) pay the per-step cost a few times instead of N / chunk_size times
        per_worker = math.ceil(len(todo) / (2 * (workers or os.cpu_count() or 1)))
        chunk_size = max(chunk_size, per_worker)
    jobs, order = [], []
    for k, sl in enumerate(chunks(len(todo), chunk_size)):
        part = todo[sl]
        order.append([h.norad_id for h, _ in part])
        el = MeanElements.stack(elements[sl])
        ends = np.array(
            [
                until_s
                if until_s is not None
                else float(h.epoch_s[-1]) + horizon_years * 365.25 * DAY_S
                for h, _ in part
            ]
        )
        jobs.append(
            PropagationJob(
                el,
                np.array([b for _, b in part]),
                np.ones(len(part)),
                ends,
                atmosphere,
                interface_alt_m,
                AveragedSettings(),
                k,
            )
        )
    n_done = [0]

    def collect(res: JobResult) -> None:
        for nid, rs, st in zip(order[res.index], res.reentry_s, res.status, strict=True):
            row = pending[nid]
            if math.isfinite(rs):
                row["reentry_utc"] = iso_utc(float(rs))
                row["lifetime_days"] = round((float(rs) - last_s[nid]) / DAY_S, 3)
            row["status"] = {"ok": "beyond horizon"}.get(st, st)
        n_done[0] += 1
        if out is not None:
            write_rows(out, [r for r in rows if r["status"] != "pending"])
        if on_progress and not isinstance(atmosphere, TabulatedAtmosphere):
            on_progress(n_done[0] / max(len(jobs), 1))

    try:
        if isinstance(atmosphere, TabulatedAtmosphere):
            _run_in_slices(jobs, atmosphere, workers, scheduler, collect, on_progress)
        else:
            run_many(
                jobs, executor="process", workers=workers, scheduler=scheduler, on_done=collect
            )
    except KeyboardInterrupt:
        if out is not None:
            kept = [r for r in rows if r["status"] != "pending"]
            write_rows(out, kept)
            raise OrbitkeepError(
                f"interrupted: {len(kept)} objects written to {out}; --resume continues"
            ) from None
        raise
    if out is not None:
        write_rows(out, rows)
    return CatalogResult(
        rows=rows,
        out=None if out is None else str(out),
        horizon_years=horizon_years,
        atmosphere=atmosphere.name,
        interface_alt_m=interface_alt_m,
        until_s=until_s,
    )


def _density_model(env: Environment, density: str, elements: list[MeanElements]) -> Atmosphere:
    """The atmosphere the batch of ``elements`` runs with: ``env``'s, or its daily
    zonal-mean table, computed up to the highest apogee of the batch (drag only lowers
    it; :func:`~orbitkeep.environment.density_grid.orbit_top_km`) and thinned past the
    first year after the latest element set
    (:data:`~orbitkeep.environment.density_table.THIN_DAYS`)."""
    if wants_table(env.atmosphere, density, len(elements), TABLE_MIN_OBJECTS):
        top = max((orbit_top_km(el) for el in elements), default=None)
        latest = max((float(np.max(el.epoch_s)) for el in elements), default=0.0)
        return long_run_table(env.atmosphere, top_alt_km=top, epoch_s=latest)  # type: ignore[arg-type]
    return env.atmosphere


#: Catalogue runs with the density table advance all objects a year at a time.
SLICE_S = 365.25 * DAY_S


def _run_in_slices(
    jobs: list[PropagationJob],
    atmosphere: TabulatedAtmosphere,
    workers: int | None,
    scheduler: str | None,
    collect: Callable[[JobResult], None],
    on_progress: Callable[[float], None] | None,
) -> None:
    """Run ``jobs`` a year (:data:`SLICE_S`) at a time with
    :func:`orbitkeep.batch.run_in_slices`: the tables of each year are computed only for
    the objects still in orbit, so a catalogue that has come down after two years does
    not pay for 25 years of tables."""
    t_first = min(float(np.min(j.elements.epoch_s)) for j in jobs)
    cuts = (t_first + k * SLICE_S for k in itertools.count(1))
    run_in_slices(
        jobs,
        atmosphere,
        cuts,
        workers=workers,
        scheduler=scheduler,
        collect=collect,
        on_progress=on_progress,
    )
