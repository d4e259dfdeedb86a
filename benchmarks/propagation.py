#!/usr/bin/env python3
"""Speed of orbitkeep's propagators, measured in one run on one machine (issue #3).

    .venv/bin/python benchmarks/propagation.py            # ~10 minutes
    .venv/bin/python benchmarks/propagation.py --quick    # ~2 minutes, capped runs
    .venv/bin/python benchmarks/propagation.py --full     # no caps (about an hour)
    .venv/bin/python benchmarks/propagation.py --write    # also update benchmarks/README.md

(a) Averaged against Cowell: the ISS reference case over 60 days (wall time and the
    largest difference between the two mean-altitude tracks), and a 500 km object until
    reentry (wall time and lifetime of each).
(b) The vectorised averaged batch for N synthetic LEO objects over one year, with
    NRLMSIS 2.1 and NRLMSISE-00: wall time and time per object, in this process and
    split over a pool of 2 worker processes.
(c) The same batch with the exponential atmosphere, against NRLMSIS.

Batch runs longer than ``--cap-s`` (default 60 s, the issue's target for 10,000 objects)
are stopped there; their total is then a linear projection from the fraction of the year
done, and is printed as such. ``--full`` lifts every cap.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import itertools
import math
import sys
import time
from dataclasses import dataclass
from typing import Any

import _common as bc
import numpy as np
from sgp4.api import WGS72, Satrec

from orbitkeep.batch import one_blas_thread, prepare_density_table
from orbitkeep.constants import R_EQUATOR_M
from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.environment.density_table import TabulatedAtmosphere
from orbitkeep.environment.spaceweather import load_space_weather
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.propagators.numerical import propagate_numerical
from orbitkeep.state import CartesianState, MeanElements
from orbitkeep.timescale import parse_utc

BEGIN, END = "<!-- propagation:begin -->", "<!-- propagation:end -->"
DAY_S = bc.DAY_S
YEAR_S = 365.0 * DAY_S
#: Epoch of the synthetic objects (the ISS reference case's day): a year of observed
#: space weather follows it.
EPOCH_S = parse_utc("2022-03-12T00:00:00")
SEED = 20220312
POPULATION = 10_000
B_RANGE = (0.005, 0.05)  # m^2/kg, log-uniform
PERIGEE_RANGE_M = (300e3, 700e3)
ECC_MAX = 0.02
#: The 500 km object of part (a): circular (e = 0.001), 51.6 deg, B at the top of the
#: batch's range (a small satellite with deployed panels), NRLMSIS 2.1.
OBJ_ALT_M = 500e3
OBJ_ECC = 0.001
OBJ_INC_DEG = 51.6
OBJ_B = 0.05
OBJ_MODEL = "msis2.1"
ISS_MODEL = "msis00"  # the reference case: NRLMSISE-00, daily Ap
BATCH_MODELS = ("msis2.1", "msis00", "msis2.1+table", "msis00+table")
MODEL_LABEL = {
    "msis2.1": "NRLMSIS 2.1",
    "msis00": "NRLMSISE-00",
    "msis2.1+table": "NRLMSIS 2.1, daily table",
    "msis00+table": "NRLMSISE-00, daily table",
    "exponential": "exponential (Vallado)",
}
WORKERS = 2


# --------------------------------------------------------------------------- objects


def population(n: int) -> tuple[MeanElements, np.ndarray]:
    """The first ``n`` of a fixed synthetic population of 10,000 LEO objects, and B.

    Perigee altitude uniform 300-700 km, e uniform in [0, 0.02), inclination uniform on
    the sphere (cos i uniform), RAAN / argument of perigee / mean anomaly uniform,
    B = Cd A / m log-uniform in 0.005-0.05 m^2/kg; all at one epoch; fixed seed, so
    every N is a prefix of the larger populations.
    """
    if not 0 < n <= POPULATION:
        raise ValueError(f"N must be 1..{POPULATION}")
    rng = np.random.default_rng(SEED)
    hp = rng.uniform(*PERIGEE_RANGE_M, POPULATION)
    ecc = rng.uniform(0.0, ECC_MAX, POPULATION)
    sma = (R_EQUATOR_M + hp) / (1.0 - ecc)
    inc = np.arccos(rng.uniform(-1.0, 1.0, POPULATION))
    raan, argp, mean_anom = rng.uniform(0.0, 2.0 * math.pi, (3, POPULATION))
    b = np.exp(rng.uniform(math.log(B_RANGE[0]), math.log(B_RANGE[1]), POPULATION))
    s = slice(0, n)
    el = MeanElements(np.full(n, EPOCH_S), sma[s], ecc[s], inc[s], raan[s], argp[s], mean_anom[s])
    return el, b[s].copy()


def object_500km() -> tuple[MeanElements, CartesianState]:
    """The 500 km object: SGP4 mean elements (averaged) and its sgp4 state (Cowell).

    Built like the ISS case, so that both propagators start from the same orbit: the
    mean elements are SGP4's, the Cartesian state is sgp4's output at epoch.
    """
    mu_km = 398600.8  # WGS-72, SGP4's constants
    a_km = (R_EQUATOR_M + OBJ_ALT_M) / 1e3
    no_kozai = math.sqrt(mu_km / a_km**3) * 60.0  # rad/min
    epoch_1950 = EPOCH_S / DAY_S + 2440587.5 - 2433281.5  # days since 1949-12-31 0h
    sat = Satrec()
    inc = math.radians(OBJ_INC_DEG)
    sat.sgp4init(
        WGS72, "i", 99999, epoch_1950, 0.0, 0.0, 0.0, OBJ_ECC, 0.0, inc, 0.0, no_kozai, 0.0
    )
    err, r, v = sat.sgp4_tsince(0.0)
    if err:
        raise RuntimeError(f"sgp4 error {err} for the 500 km object")
    sma = sat.a * sat.radiusearthkm * 1e3
    vals = (EPOCH_S, sma, sat.ecco, sat.inclo, sat.nodeo, sat.argpo, sat.mo)
    el = MeanElements(*(np.array([x], dtype=float) for x in vals))
    return el, CartesianState(EPOCH_S, np.array(r) * 1e3, np.array(v) * 1e3)


# --------------------------------------------------------------------------- batch runs


class _CapError(Exception):
    """Raised from the progress callback when a run reaches its wall-clock cap."""

    def __init__(self, progress: float) -> None:
        super().__init__(progress)
        self.progress = progress


class _Watched:
    """An atmosphere that notes how far a batch has got, for projecting capped runs.

    ``propagate_averaged``'s progress callback reports the *slowest* live object, which
    lags far behind the batch (objects near reentry take short steps), so a projection
    from it overstates the total several-fold. This wrapper sees the node epochs of the
    first density call of each iteration (the first stage, all active objects, K nodes
    each) and turns them into the mean fraction of the year done, objects that have
    finished (reentered) counting as done. ``progress`` is None when the calls do not
    have that shape.
    """

    def __init__(self, atm: Any, n: int, t0: float, span: float) -> None:
        self.atm, self.name = atm, atm.name
        self.n, self.t0, self.span = n, t0, span
        self.k: int | None = None
        self.fresh = True
        self.first: tuple[int, float] | None = None

    def density_ecef(self, t_s: Any, r_ecef_m: Any) -> Any:
        if self.fresh:
            t = np.asarray(t_s, dtype=float).ravel()
            done = np.clip((t - self.t0) / self.span, 0.0, 1.0)
            self.first = (t.size, float(done.sum()))
            if self.k is None and t.size % self.n == 0:
                self.k = t.size // self.n
            self.fresh = False
        return self.atm.density_ecef(t_s, r_ecef_m)

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        return float(self.atm.density_point(t_s, lat_rad, lon_rad, alt_m))

    def progress(self) -> float | None:
        if self.first is None or not self.k or self.first[0] % self.k:
            return None
        count, total = self.first
        active = count // self.k
        return (total / self.k + (self.n - active)) / self.n


def batch_run(
    model: str, lo: int, hi: int, until_s: float, deadline: float | None, prepared: Any = None
) -> dict[str, Any]:
    """Propagate objects ``lo:hi`` of the population for one year (runs in the workers too).

    ``deadline`` is a ``time.time()`` epoch (shared by all processes) past which the run
    stops. Returns the wall time of the propagation, whether it finished, the fraction of
    the year reached (mean over the objects) and the reentry count.
    """
    el, b = population(hi)
    el = MeanElements(*(np.asarray(getattr(el, f))[lo:hi] for f in el.__dataclass_fields__))
    base = prepared if prepared is not None else make_atmosphere(model, load_space_weather())
    atm = _Watched(base, hi - lo, EPOCH_S, until_s - EPOCH_S)

    def progress(frac: float) -> None:
        atm.fresh = True
        if deadline is not None and time.time() > deadline:
            mean = atm.progress()
            raise _CapError(frac if mean is None else mean)

    t = time.perf_counter()
    try:
        res = propagate_averaged(el, b[lo:hi], atm, until_s, on_progress=progress)
    except _CapError as cap:
        return {"wall": time.perf_counter() - t, "done": False, "progress": cap.progress}
    wall = time.perf_counter() - t
    reentered = sum(s == "reentered" or s == "below_interface" for s in res.status)
    failed = sum(s.startswith("failed") for s in res.status)
    return {
        "wall": wall,
        "done": True,
        "progress": 1.0,
        "reentered": reentered,
        "failed": failed,
        "steps": res.steps,
    }


@dataclass
class BatchResult:
    """One timed batch: measured wall, or the projection of a capped run."""

    model: str
    n: int
    mode: str  # "serial" | "pool"
    wall: float
    done: bool
    progress: float
    reentered: int | None = None
    failed: int = 0
    table_s: float = 0.0  # building the density table (part of wall, not projected)

    @property
    def total(self) -> float:
        """Measured wall time, or its linear projection to the whole year."""
        if self.done:
            return self.wall
        run = self.wall - self.table_s
        return self.table_s + run / self.progress if self.progress > 0 else math.inf

    def status(self) -> str:
        if self.done:
            tail = f", {self.failed} failed" if self.failed else ""
            tab = f"; density table {self.table_s:.1f} s of it" if self.table_s else ""
            return f"complete, {self.reentered} reentered{tail}{tab}"
        pct = 100.0 * self.progress
        tab = f" (table {self.table_s:.1f} s)" if self.table_s else ""
        return f"stopped at {self.wall:.0f} s{tab} ({pct:.0f} % of the year); total projected"


def _table(model: str, executor: str) -> tuple[Any, float]:
    """(prepared atmosphere, seconds) for a ``+table`` model; (None, 0) otherwise."""
    if not model.endswith("+table"):
        return None, 0.0
    t = time.perf_counter()
    atm = TabulatedAtmosphere(make_atmosphere(model.split("+")[0], load_space_weather()))  # type: ignore[arg-type]
    prepare_density_table(atm, EPOCH_S, EPOCH_S + YEAR_S, executor=executor, workers=WORKERS)
    return atm, time.perf_counter() - t


def time_serial(model: str, n: int, cap_s: float | None) -> BatchResult:
    """One process; for a ``+table`` model the wall includes building the table."""
    start = time.time()
    atm, t_table = _table(model, "serial")
    deadline = None if cap_s is None else start + cap_s
    out = batch_run(model, 0, n, EPOCH_S + YEAR_S, deadline, atm)
    return BatchResult(
        model,
        n,
        "serial",
        t_table + out["wall"],
        out["done"],
        out["progress"],
        out.get("reentered"),
        out.get("failed", 0),
        t_table,
    )


def time_pool(model: str, n: int, cap_s: float | None) -> BatchResult:
    """N objects split in two halves over a pool of 2 processes; wall includes its start
    (and, for a ``+table`` model, building the table on a pool of 2 first)."""
    bounds = np.linspace(0, n, WORKERS + 1).astype(int)
    t = time.perf_counter()
    deadline = None if cap_s is None else time.time() + cap_s
    atm, t_table = _table(model, "process")
    # one BLAS thread per worker, as orbitkeep's own pools (orbitkeep.batch.one_blas_thread)
    with concurrent.futures.ProcessPoolExecutor(
        max_workers=WORKERS, initializer=one_blas_thread
    ) as ex:
        futs = [
            ex.submit(batch_run, model, int(lo), int(hi), EPOCH_S + YEAR_S, deadline, atm)
            for lo, hi in itertools.pairwise(bounds)
            if hi > lo
        ]
        outs = [f.result() for f in futs]
    wall = time.perf_counter() - t
    done = all(o["done"] for o in outs)
    sizes = [int(hi - lo) for lo, hi in itertools.pairwise(bounds) if hi > lo]
    prog = sum(k * o["progress"] for k, o in zip(sizes, outs, strict=True)) / n
    reent = sum(o["reentered"] for o in outs) if done else None
    failed = sum(o.get("failed", 0) for o in outs)
    return BatchResult(model, n, "pool", wall, done, prog, reent, failed, t_table)


def warm_up(models: tuple[str, ...]) -> None:
    """First density calls (library loading) and space-weather parsing, not timed."""
    el, b = population(2)
    sw = load_space_weather()
    for m in models:
        if not m.endswith("+table"):
            propagate_averaged(el, b, make_atmosphere(m, sw), EPOCH_S + DAY_S)


def part_table_accuracy(n: int) -> dict[str, Any]:
    """The density table against exact NRLMSIS 2.1: the first ``n`` objects, one year."""
    el, b = population(n)
    end = EPOCH_S + YEAR_S
    base = make_atmosphere("msis2.1", load_space_weather())
    tab = TabulatedAtmosphere(base)  # type: ignore[arg-type]
    prepare_density_table(tab, EPOCH_S, end, workers=WORKERS)
    rx = propagate_averaged(el, b, base, end)
    rt = propagate_averaged(el, b, tab, end)
    lx, lt = rx.reentry_s - EPOCH_S, rt.reentry_s - EPOCH_S
    both = np.isfinite(lx) & np.isfinite(lt)
    life = lt[both] / lx[both] - 1
    surv = ~np.isfinite(lx) & ~np.isfinite(lt)
    drops = np.array(
        [
            (x.sma_m[0] - x.sma_m[-1], y.sma_m[0] - y.sma_m[-1])
            for x, y in zip(rx.trajectories, rt.trajectories, strict=True)
        ]
    )[surv]
    drop = drops[:, 1] / drops[:, 0] - 1
    return {
        "n": n,
        "reentered": int(both.sum()),
        "disagree": int((np.isfinite(lx) != np.isfinite(lt)).sum()),
        "life_med": float(np.median(np.abs(life))) if life.size else math.nan,
        "life_max": float(np.max(np.abs(life))) if life.size else math.nan,
        "life_mean": float(np.mean(life)) if life.size else math.nan,
        "survivors": int(surv.sum()),
        "drop_med": float(np.median(np.abs(drop))),
        "drop_max": float(np.max(np.abs(drop))),
        "drop_mean": float(np.mean(drop)),
    }


# --------------------------------------------------------------------------- part (a)


def part_a_iss(days: float) -> dict[str, Any]:
    case = bc.iss_case()
    atm = make_atmosphere(ISS_MODEL, load_space_weather(), ap_mode="daily")
    t_end = case.epoch_s + days * DAY_S
    propagate_averaged(case.elements, bc.ISS_B, atm, case.epoch_s + DAY_S)  # warm-up
    t = time.perf_counter()
    res = propagate_averaged(case.elements, bc.ISS_B, atm, t_end)
    t_avg = time.perf_counter() - t
    t = time.perf_counter()
    num = propagate_numerical(case.state, bc.ISS_B, atm, t_end)
    t_num = time.perf_counter() - t
    avg = res.trajectories[0]
    # the averaged track (one sample per step) at the Cowell revolution means' epochs
    on_num = np.interp(num.t_s, avg.t_s, avg.sma_m)
    diff_km = (on_num - num.sma_m) / 1e3
    return {
        "days": days,
        "t_avg": t_avg,
        "t_num": t_num,
        "max_diff_km": float(np.max(np.abs(diff_km))),
        "start_diff_km": float(diff_km[0]),
        "drop_avg_km": float(avg.sma_m[0] - avg.sma_m[-1]) / 1e3,
        "drop_num_km": float(num.sma_m[0] - num.sma_m[-1]) / 1e3,
        "steps_avg": res.steps,
    }


def part_a_reentry(cap_days: float | None) -> dict[str, Any]:
    el, state = object_500km()
    atm = make_atmosphere(OBJ_MODEL, load_space_weather())
    horizon = EPOCH_S + 25 * YEAR_S
    propagate_averaged(el, OBJ_B, atm, EPOCH_S + DAY_S)  # warm-up
    t = time.perf_counter()
    res = propagate_averaged(el, OBJ_B, atm, horizon)
    t_avg = time.perf_counter() - t
    life_avg = (float(res.reentry_s[0]) - EPOCH_S) / DAY_S
    out: dict[str, Any] = {
        "mean_alt_km": (float(el.sma_m[0]) - R_EQUATOR_M) / 1e3,
        "t_avg": t_avg,
        "life_avg_d": life_avg,
        "cap_days": cap_days,
    }
    if cap_days is None:
        until = EPOCH_S + max(2.0 * life_avg, 30.0) * DAY_S
    else:
        until = EPOCH_S + cap_days * DAY_S
        t = time.perf_counter()
        propagate_averaged(el, OBJ_B, atm, until)
        out["t_avg_capped"] = time.perf_counter() - t
    t = time.perf_counter()
    num = propagate_numerical(state, OBJ_B, atm, until)
    out["t_num"] = time.perf_counter() - t
    out["life_num_d"] = None if num.reentry_s is None else (num.reentry_s - EPOCH_S) / DAY_S
    return out


# --------------------------------------------------------------------------- report


def fmt_total(r: BatchResult) -> str:
    return bc.fmt_s(r.total) if r.done else f"~{bc.fmt_s(r.total)} (projected)"


def fmt_per_object(r: BatchResult) -> str:
    per = r.total / r.n
    txt = f"{per * 1e3:.1f} ms" if per < 10 else f"{per:.1f} s"
    return txt if r.done else f"~{txt}"


def report(
    iss: dict[str, Any],
    reentry: dict[str, Any],
    batches: list[BatchResult],
    exp: list[BatchResult],
    cap_s: float | None,
    table_acc: dict[str, Any] | None = None,
) -> str:
    out: list[str] = []
    ratio_iss = iss["t_num"] / iss["t_avg"]
    out.append(
        f"### (a) Averaged vs Cowell, one object\n\nISS reference case, {iss['days']:.0f} days, {MODEL_LABEL[ISS_MODEL]} (daily Ap):\n"
    )
    out.append(
        bc.md_table(
            [
                "propagator",
                "wall",
                "mean-SMA drop",
                "max abs. difference of the mean-altitude tracks",
                "difference at start",
            ],
            [
                ["Cowell (DOP853)", bc.fmt_s(iss["t_num"]), f"{iss['drop_num_km']:.3f} km", "", ""],
                [
                    f"averaged ({iss['steps_avg']} steps)",
                    bc.fmt_s(iss["t_avg"]),
                    f"{iss['drop_avg_km']:.3f} km",
                    f"{iss['max_diff_km']:.3f} km",
                    f"{iss['start_diff_km']:+.3f} km",
                ],
                ["**Cowell / averaged**", f"**{bc.fmt_ratio(ratio_iss)}**", "", "", ""],
            ],
        )
    )
    ra = reentry
    out.append(
        f"\n500 km object (mean altitude {ra['mean_alt_km']:.1f} km, e = {OBJ_ECC}, i = {OBJ_INC_DEG} deg, "
        f"B = {OBJ_B} m^2/kg), {MODEL_LABEL[OBJ_MODEL]}, until reentry (120 km):\n"
    )
    if ra["cap_days"] is None:
        life_num = ra["life_num_d"]
        rows = [
            [
                "Cowell (DOP853)",
                bc.fmt_s(ra["t_num"]),
                "not reentered" if life_num is None else f"{life_num:.1f} d",
            ],
            ["averaged", bc.fmt_s(ra["t_avg"]), f"{ra['life_avg_d']:.1f} d"],
            [
                "**Cowell / averaged**",
                f"**{bc.fmt_ratio(ra['t_num'] / ra['t_avg'])}**",
                "-" if life_num is None else f"lifetime ratio {life_num / ra['life_avg_d']:.3f}",
            ],
        ]
    else:
        cap = ra["cap_days"]
        rows = [
            [
                f"Cowell (DOP853), first {cap:.0f} days only (`--quick`)",
                bc.fmt_s(ra["t_num"]),
                "not computed (capped)",
            ],
            [f"averaged, first {cap:.0f} days", bc.fmt_s(ra["t_avg_capped"]), ""],
            ["averaged, until reentry", bc.fmt_s(ra["t_avg"]), f"{ra['life_avg_d']:.1f} d"],
            [
                f"**Cowell / averaged over {cap:.0f} days**",
                f"**{bc.fmt_ratio(ra['t_num'] / ra['t_avg_capped'])}**",
                "",
            ],
        ]
    out.append(bc.md_table(["propagator", "wall", "lifetime"], rows))

    out.append("\n### (b) Vectorised batch, one year\n")
    cap_txt = (
        "no cap (`--full`)"
        if cap_s is None
        else f"runs stopped at {cap_s:.0f} s and projected linearly"
    )
    out.append(
        f"Synthetic LEO objects (seed {SEED}; perigee 300-700 km, e < {ECC_MAX}, random "
        f"inclinations, B log-uniform {B_RANGE[0]}-{B_RANGE[1]} m^2/kg), epoch 2022-03-12, "
        f"one year or until reentry; {cap_txt}. *pool* = the objects split in {WORKERS} "
        "halves over a `ProcessPoolExecutor` of 2 workers (wall includes starting it).\n"
    )
    rows = []
    for r in batches:
        rows.append(
            [
                MODEL_LABEL[r.model],
                f"{r.n:,}",
                "serial" if r.mode == "serial" else f"pool of {WORKERS}",
                fmt_total(r),
                fmt_per_object(r),
                r.status(),
            ]
        )
    out.append(
        bc.md_table(["atmosphere", "N", "run", "wall (1 year)", "per object", "status"], rows)
    )

    out.append("\n### (c) NRLMSIS vs exponential atmosphere (serial batch, one year)\n")
    rows = []
    by = {(r.model, r.n): r for r in batches if r.mode == "serial"}
    for e in exp:
        m21, m00 = by.get(("msis2.1", e.n)), by.get(("msis00", e.n))
        rows.append(
            [
                f"{e.n:,}",
                fmt_total(m21) if m21 else "-",
                fmt_total(m00) if m00 else "-",
                fmt_total(e),
                bc.fmt_ratio(m21.total / e.total) if m21 else "-",
                bc.fmt_ratio(m00.total / e.total) if m00 else "-",
            ]
        )
    out.append(
        bc.md_table(
            [
                "N",
                "NRLMSIS 2.1",
                "NRLMSISE-00",
                "exponential",
                "2.1 / exponential",
                "00 / exponential",
            ],
            rows,
        )
    )

    if table_acc is not None:
        ta = table_acc
        out.append(
            "\n### (d) The daily density table against exact NRLMSIS 2.1\n\n"
            f"The first {ta['n']} objects of (b), one year, averaged propagator with each "
            "atmosphere (`orbitkeep.environment.density_table`: the daily zonal mean at fixed "
            "local time, what `orbitkeep batch` uses from 1,000 objects on). Differences are "
            "table / exact - 1.\n"
        )
        out.append(
            bc.md_table(
                ["quantity", "objects", "median abs.", "worst abs.", "mean (bias)"],
                [
                    [
                        "lifetime (reentered in both)",
                        f"{ta['reentered']}",
                        f"{100 * ta['life_med']:.3f} %",
                        f"{100 * ta['life_max']:.3f} %",
                        f"{100 * ta['life_mean']:+.3f} %",
                    ],
                    [
                        "one-year drop of mean a (survivors)",
                        f"{ta['survivors']}",
                        f"{100 * ta['drop_med']:.3f} %",
                        f"{100 * ta['drop_max']:.3f} %",
                        f"{100 * ta['drop_mean']:+.3f} %",
                    ],
                ],
            )
        )
        out.append(f"\nObjects reentering with one model and not the other: {ta['disagree']}.")

    out.append("\n### Targets (issue #3)\n")
    ok_iss = ratio_iss >= 100 and iss["max_diff_km"] <= 0.5
    out.append(
        f"- ISS {iss['days']:.0f} days >= 100x faster than Cowell at 0.5 km: "
        f"**{'met' if ok_iss else 'missed'}** ({bc.fmt_ratio(ratio_iss)}, max difference "
        f"{iss['max_diff_km']:.3f} km)" + ("" if iss["days"] == 60 else " (not the 60-day case)")
    )
    for model in BATCH_MODELS:
        for mode in ("serial", "pool"):
            r = next(
                (x for x in batches if x.model == model and x.mode == mode and x.n == POPULATION),
                None,
            )
            if r is None:
                continue
            met = r.done and r.wall < 60.0
            what = (
                bc.fmt_s(r.wall)
                if r.done
                else f"stopped at {r.wall:.0f} s, ~{bc.fmt_s(r.total)} projected"
            )
            out.append(
                f"- {POPULATION:,} objects x 1 year < 60 s, {MODEL_LABEL[model]}, "
                f"{'serial' if mode == 'serial' else f'pool of {WORKERS}'}: **{'met' if met else 'missed'}** ({what})"
            )
    if not any(r.n == POPULATION for r in batches):
        out.append(f"- {POPULATION:,} objects x 1 year < 60 s: not run in this mode")
    for model in BATCH_MODELS:
        ser = sorted(
            (r for r in batches if r.model == model and r.mode == "serial"), key=lambda r: r.n
        )
        if len(ser) < 2:
            continue
        per = [r.total / r.n for r in ser]
        falling = all(b <= 0.9 * a for a, b in itertools.pairwise(per))
        seq = " -> ".join(f"{r.n:,}: {p * 1e3:.1f} ms" for r, p in zip(ser, per, strict=True))
        out.append(
            f"- per-object cost falling as N grows (by >= 10 % at each size), {MODEL_LABEL[model]}: "
            f"**{'met' if falling else 'missed'}** ({seq}; ~ = projected)"
        )
    return "\n".join(out)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    g = ap.add_mutually_exclusive_group()
    g.add_argument(
        "--quick", action="store_true", help="~2 minutes: N <= 1,000, Cowell reentry capped"
    )
    g.add_argument("--full", action="store_true", help="no caps at all (about an hour)")
    ap.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    ap.add_argument(
        "--cap-s",
        type=float,
        default=None,
        help="wall cap per batch run, s (default 60; 8 with --quick)",
    )
    ap.add_argument(
        "--reentry-cap-days",
        type=float,
        default=None,
        help="cap of the Cowell reentry run (default: none; 20 with --quick)",
    )
    ap.add_argument(
        "--sizes",
        type=str,
        default=None,
        help="batch sizes, comma separated (default 1,100,1000,10000)",
    )
    ap.add_argument(
        "--pool-sizes", type=str, default=None, help="sizes also run on the pool (default 10000)"
    )
    args = ap.parse_args(argv)

    mode = "quick" if args.quick else "full" if args.full else "default"
    sizes = [1, 100, 1000] if args.quick else [1, 100, 1000, POPULATION]
    pool_sizes = [1000] if args.quick else [POPULATION]
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.pool_sizes is not None:
        pool_sizes = [int(s) for s in args.pool_sizes.split(",") if s.strip()]
    cap_s: float | None = None if args.full else (args.cap_s or (8.0 if args.quick else 60.0))
    reentry_cap = args.reentry_cap_days if args.reentry_cap_days else (20.0 if args.quick else None)
    if args.full:
        reentry_cap = None
    header = bc.machine_lines(["numpy", "scipy", "pymsis", "sgp4"], mode)
    print("\n".join(header), flush=True)

    t_all = time.perf_counter()
    print("\n(a) ISS, 60 days ...", flush=True)
    iss = part_a_iss(60.0)
    print(f"    Cowell {bc.fmt_s(iss['t_num'])}, averaged {bc.fmt_s(iss['t_avg'])}", flush=True)
    print("(a) 500 km object until reentry ...", flush=True)
    reentry = part_a_reentry(reentry_cap)
    print(
        f"    Cowell {bc.fmt_s(reentry['t_num'])}, averaged {bc.fmt_s(reentry['t_avg'])}",
        flush=True,
    )

    warm_up((*BATCH_MODELS, "exponential"))
    batches: list[BatchResult] = []
    for model in BATCH_MODELS:
        for n in sizes:
            print(f"(b) {MODEL_LABEL[model]}, N = {n:,}, serial ...", flush=True)
            batches.append(time_serial(model, n, cap_s))
            print(f"    {fmt_total(batches[-1])}", flush=True)
        for n in pool_sizes:
            print(f"(b) {MODEL_LABEL[model]}, N = {n:,}, pool of {WORKERS} ...", flush=True)
            batches.append(time_pool(model, n, cap_s))
            print(f"    {fmt_total(batches[-1])}", flush=True)
    exp: list[BatchResult] = []
    for n in sizes:
        print(f"(c) exponential, N = {n:,}, serial ...", flush=True)
        exp.append(time_serial("exponential", n, cap_s))
        print(f"    {fmt_total(exp[-1])}", flush=True)
    print("(d) density table vs exact NRLMSIS 2.1, 200 objects ...", flush=True)
    table_acc = part_table_accuracy(200)
    elapsed = time.perf_counter() - t_all

    body = report(iss, reentry, batches, exp, cap_s, table_acc)
    print("\n" + body)
    print(f"\n(benchmark ran {elapsed:.0f} s)")
    if args.write:
        text = "\n".join(
            [
                "<!-- written by benchmarks/propagation.py --write; do not edit by hand -->",
                *header,
                f"- The whole script ran {elapsed:.0f} s.",
                "",
                body,
            ]
        )
        bc.write_section(BEGIN, END, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
