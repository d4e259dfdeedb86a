"""Monte Carlo samples of one object's decay: drawn, flown together, their reentry window.

Used by the reentry prediction (:mod:`orbitkeep.reentry`, which chooses the sigmas) and
the station's free-decay window (:mod:`orbitkeep.station.windows`). Each sample is the
object's orbit with its drag scaled by a log-normal factor and its mean a moved by the
element sets' noise (:func:`sample_reentries`); the window is the p05/p50/p95 of their
reentry epochs (:func:`window`).

From :data:`TABLE_MIN_SAMPLES` samples on (``density="auto"``) the samples fly through
the daily zonal-mean NRLMSIS tables of :mod:`orbitkeep.environment.density_table`
instead of NRLMSIS at every quadrature node: all samples of one object share the same
orbit plane and days, so one table a day serves them all. The tables are computed over
the workers slice by slice, the first slice ending at 1.5 nominal lifetimes (with the
samples' spread of ~0.3 in log drag, about 7 % of them live longer) and each next one
1.25 times as far, so only the days the samples still in orbit need are paid for;
at a slice edge with fewer than :data:`TABLE_MIN_SAMPLES` samples left, those fly the
rest of the way on NRLMSIS itself (the same rule: the table no longer pays; it would
have to run to the longest-lived sample). ``density="table"`` keeps the table to the
end. The samples only sink, so their table stops at the altitude level above their
highest apogee (:func:`~orbitkeep.environment.density_grid.orbit_top_km`; 20 of the
28 levels for Starlink-24 at 440 km), and past the first year one day's table in
:data:`~orbitkeep.environment.density_table.THIN_DAYS` serves its block of days.
The table reproduces the exact sample lifetimes to 0.06 % (median; 0.24 % worst, 1000
samples of Starlink-24 two weeks out, measured; ``tests/unit/test_reentry.py`` checks
the window against the exact one) and makes a 1000-sample prediction about twice as
fast (benchmarks/README.md). The reentry prediction's fit and nominal run use the
exact model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .batch import PropagationJob, chunks, run_in_slices, run_many
from .constants import DAY_S, REENTRY_INTERFACE_ALT_M
from .environment.density_grid import orbit_top_km
from .environment.density_table import long_run_table, wants_table
from .propagators.averaged import AveragedSettings
from .state import MeanElements

F64 = NDArray[np.float64]
#: NRLMSISE-00 vs HASDM at 400 km, std of yearly-mean density ratios (DTM2020 paper,
#: Bruinsma et al. 2021, J. Space Weather Space Clim. 11, 4, Table 3): 18.1 %.
DENSITY_MODEL_SIGMA = 0.181
#: From this many samples on, ``density="auto"`` runs the samples on the daily density
#: table, and while this many are in orbit at a slice edge. Measured on this project's
#: 2-core machine (Starlink-24, two weeks out, with the full 28-level table and a first
#: slice of 2 nominal lifetimes): a day of tables cost ~0.13 CPU s of NRLMSIS, a
#: sample-day of exact NRLMSIS ~1.2-1.5 ms (more in the final descent, whose steps are
#: short); the tables ran to the first slice edge while a sample flies ~1 lifetime: the
#: table paid from ~200-250 samples, and 1000 samples ran 1.8x faster. Both changes since
#: (the table stops at the samples' apogee, ~0.09 CPU s a day at 440 km; the first slice
#: ends at 1.5 lifetimes) make the table cheaper: 200 is on the safe side.
TABLE_MIN_SAMPLES = 200
#: The first slice of a tabulated Monte Carlo ends at this many nominal lifetimes: with
#: the samples' spread of ~0.3 in log drag, ~7 % of them (z = 1.5) are still up there.
#: Counted in NRLMSIS evaluations (deterministic, unlike wall time on a shared machine)
#: for 1000 samples: 90 days out, 1.5 lifetimes take 19-20 % fewer than 2 (Starlink-24
#: 1.09 M against 1.34 M, Delfi-C3 1.08 M against 1.33 M, GeneSat-1 0.92 M against
#: 1.15 M); two weeks out the same within 4 % either way; 1.25 lifetimes were no better.
FIRST_SLICE_LIFETIMES = 1.5
#: Each next slice ends this many times farther from the epoch.
SLICE_GROWTH = 1.25


def window(reentry_s: F64) -> dict[str, float | None]:
    """p05/p50/p95 of sample reentry epochs; samples still up count as later than all
    (a quantile that falls on them is None)."""
    filled = np.where(np.isfinite(reentry_s), reentry_s, np.inf)
    if not np.isfinite(filled).any():
        return {"p05": None, "p50": None, "p95": None}
    quant: dict[str, float | None] = {}
    for name, p in (("p05", 5), ("p50", 50), ("p95", 95)):
        v = float(np.percentile(filled, p, method="inverted_cdf"))
        quant[name] = v if math.isfinite(v) else None
    return quant


def use_table(atm: Any, samples: int, density: str) -> bool:
    """Whether the Monte Carlo runs on the daily density table (see :func:`sample_reentries`)."""
    return wants_table(atm, density, samples, TABLE_MIN_SAMPLES)


def sample_reentries(
    el: MeanElements,
    b_m2_kg: float,
    atm: Any,
    until_s: float,
    *,
    samples: int,
    seed: int,
    b_log_sigma: float,
    solar_log_sigma: float,
    sma_sigma_m: float = 0.0,
    density_log_sigma: float = DENSITY_MODEL_SIGMA,
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M,
    settings: AveragedSettings | None = None,
    executor: str = "process",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = 250,
    on_progress: Callable[[float], None] | None = None,
    density: str = "auto",
    nominal_lifetime_s: float | None = None,
    antithetic: bool = False,
) -> tuple[F64, dict[str, int]]:
    """Reentry epochs (NaN: still up at ``until_s``) of ``samples`` Monte Carlo samples of
    one object (``el``), and a count of their statuses.

    Each sample's drag is scaled by exp(b_log_sigma z0 + density_log_sigma z1 +
    solar_log_sigma z2) and its initial mean a moved by sma_sigma_m z3, with z drawn from
    ``numpy.random.default_rng(seed)``: the same seed gives the same samples everywhere.

    ``density``: "exact" (``atm`` at every node), "table" (its daily zonal-mean tables,
    computed slice by slice; NRLMSIS with daily Ap only) or "auto" (the table while
    :data:`TABLE_MIN_SAMPLES` or more samples are in orbit, where ``atm`` allows it: at a
    slice edge with fewer left, they fly the rest of the way on ``atm`` itself).
    ``nominal_lifetime_s`` places the first slice's end (default a year).
    ``antithetic``: draw half the z vectors and use each with its negative (antithetic
    variates). A sample's lifetime falls as its drag factor grows, so the samples'
    median reentry is then the nominal one up to the pair nearest to it, where 100
    independent draws can miss it by a year on a multi-year decay through the solar
    cycle (the median of 100 log-normal draws of sigma 0.7 wanders by ~0.09).
    """
    table = use_table(atm, samples, density)
    cfg = settings or AveragedSettings()
    rng = np.random.default_rng(seed)
    if antithetic:  # pairs z, -z: the samples' log drag factors are symmetric about 0
        half = rng.standard_normal((4, (samples + 1) // 2))
        z = np.concatenate([half, -half], axis=1)[:, :samples]
    else:
        z = rng.standard_normal((4, samples))
    with np.errstate(over="ignore"):  # an absurd spread overflows: those samples fail
        scale = np.exp(b_log_sigma * z[0] + density_log_sigma * z[1] + solar_log_sigma * z[2])
    rep = el.repeat(samples)
    elements = MeanElements(
        rep.epoch_s,
        el.sma_m[0] + sma_sigma_m * z[3],
        rep.ecc,
        rep.incl_rad,
        rep.raan_rad,
        rep.argp_rad,
        rep.mean_anomaly_rad,
    )
    if table:  # the samples only sink: their highest apogee bounds the table
        atm = long_run_table(atm, top_alt_km=orbit_top_km(elements), epoch_s=float(el.epoch_s[0]))
    jobs = []
    for k, sl in enumerate(chunks(samples, chunk_size)):
        sub = elements.select(sl)
        n = sub.sma_m.size
        jobs.append(
            PropagationJob(
                sub,
                np.full(n, b_m2_kg),
                scale[sl],
                np.full(n, until_s),
                atm,
                interface_alt_m,
                cfg,
                k,
            )
        )
    if table:
        t0 = float(el.epoch_s[0])
        first = FIRST_SLICE_LIFETIMES * max(nominal_lifetime_s or 365.25 * DAY_S, 2 * DAY_S)
        cuts = (t0 + first * SLICE_GROWTH**k for k in itertools.count())
        results = run_in_slices(
            jobs,
            atm,
            cuts,
            executor=executor,
            workers=workers,
            scheduler=scheduler,
            on_progress=on_progress,
            exact_below=TABLE_MIN_SAMPLES if density == "auto" else 0,
        )
    else:
        done = [0]

        def tick(_: Any) -> None:
            done[0] += 1
            if on_progress:
                on_progress(done[0] / len(jobs))

        results = run_many(
            jobs, executor=executor, scheduler=scheduler, workers=workers, on_done=tick
        )
    reentry = np.concatenate([r.reentry_s for r in results])
    counts: dict[str, int] = {}
    for st in (s for r in results for s in r.status):
        key = st.split(":")[0]
        counts[key] = counts.get(key, 0) + 1
    return reentry, counts
