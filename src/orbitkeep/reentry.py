"""Reentry prediction with an honest window: Monte Carlo over B, density and the Sun.

What a forecaster knew on the prediction epoch, and nothing more:
- element sets with epoch before the prediction epoch (``before``; default: all);
- space weather observed before that day. When the epoch is the file's present (its
  observations end within a day of it and it carries predictions), the file's own
  daily and monthly predictions are used, then the solar cycle repeats (``cycle``).
  Otherwise the file is cut at the epoch (the last 40 days' 81-day means recomputed from
  the kept days only) and the forecast is 27-day recurrence: the last solar rotation's
  F10.7, F10.7a and Ap repeat (policy ``recur27``). Of the forecasts scored on the
  observed record of 1960-2004 (before every hindcast epoch) by the mean NRLMSIS density
  they give over leads of 10-90 days (:mod:`orbitkeep.environment.forecast_skill`,
  docs/validation.md), it has the smallest bias and the smallest or equal rms error;
  holding the 81-day means overestimates the density by about 3 %. A file truncated at
  the epoch therefore gives the same answer as the full file.

Samples (N, default 1000; ``seed`` makes them reproducible) combine three log-normal
factors on the drag of the nominal run:
- the ballistic coefficient: the fit's sigma, combined with the spread of B between
  consecutive 10-day windows of the last 40 days (TLE-fit sigmas understate how much B
  wanders with attitude);
- a density-model factor, sigma 0.181: the scatter of yearly-mean NRLMSISE-00 density
  ratios against HASDM at 400 km (Bruinsma et al. 2021, DTM2020 paper, Table 3);
- solar activity: the spread of the forecast's error, measured on the file's own
  observed F10.7 before the epoch for the lead time of the nominal prediction (log
  ratio of the mean F10.7 over the lead to the mean of the previous 27 days, the
  solar rotation that the forecast repeats),
  turned into a density factor by NRLMSIS's sensitivity d ln(rho) / d ln(F10.7) at the
  object's altitude on the epoch.
All samples are propagated together by the vectorised averaged propagator (in chunks
on a process pool or a Dask cluster: same seed, same answer, whatever the executor).

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
highest apogee (:func:`~orbitkeep.environment.density_table.orbit_top_km`; 20 of the
28 levels for Starlink-24 at 440 km).
The table reproduces the exact sample lifetimes to 0.06 % (median; 0.24 % worst, 1000
samples of Starlink-24 two weeks out, measured; ``tests/unit/test_reentry.py`` checks
the window against the exact one) and makes a 1000-sample prediction about twice as
fast (benchmarks/README.md). The fit and the nominal run use the exact model.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .batch import PropagationJob, chunks, run_in_slices, run_many
from .constants import DAY_S, R_EQUATOR_M, REENTRY_INTERFACE_ALT_M
from .environment.atmosphere import make_atmosphere
from .environment.density_table import TabulatedAtmosphere, orbit_top_km, wants_table
from .environment.forecast import forecast_sigma, forecast_space_weather, solar_sensitivity
from .environment.spaceweather import SpaceWeather
from .errors import ParameterError
from .estimation import (
    BallisticFit,
    EstimationError,
    fit_ballistic_coefficient,
    mean_elements_at,
    noise_level_m,
)
from .io.tle import TLEHistory
from .propagators.averaged import AveragedSettings, propagate_averaged
from .state import MeanElements
from .timescale import iso_utc

F64 = NDArray[np.float64]
#: NRLMSISE-00 vs HASDM at 400 km, std of yearly-mean density ratios (DTM2020 paper,
#: Bruinsma et al. 2021, J. Space Weather Space Clim. 11, 4, Table 3): 18.1 %.
DENSITY_MODEL_SIGMA = 0.181
#: From this many samples on, ``density="auto"`` runs the samples on the daily density
#: table, and while this many are in orbit at a slice edge. Measured on this project's
#: 2-core machine (Starlink-24, two weeks out): a day of tables costs ~0.13 CPU s of
#: NRLMSIS (less since the table stops at the samples' apogee: ~0.09 at 440 km) and a
#: sample-day of exact NRLMSIS ~1.2-1.5 ms (more in the final descent, whose steps are
#: short); the tables run to the first slice edge (1.5 nominal lifetimes) while a sample
#: flies ~1: the table pays from ~200-250 samples, and 1000 samples ran 1.8x faster.
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


@dataclass
class ReentryResult:
    """A Monte Carlo reentry prediction; epochs in Unix seconds UTC."""

    norad_id: int
    name: str | None
    prediction_epoch_s: float
    tle_epoch_s: float
    reentry_s: F64  # per sample, NaN where it did not reenter within the horizon
    quantiles_s: dict[str, float | None]
    b_m2_kg: float
    b_sigma_m2_kg: float
    samples: int
    seed: int
    horizon_s: float
    interface_alt_m: float
    space_weather: dict[str, Any]
    forecast: dict[str, Any]
    nominal_reentry_s: float | None
    atmosphere: str = ""  # the density model the samples flew through
    status_counts: dict[str, int] = field(default_factory=dict)
    fit: BallisticFit | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON document (ISO 8601 UTC)."""
        q = {k: (None if v is None else iso_utc(v)) for k, v in self.quantiles_s.items()}
        return {
            "norad_id": self.norad_id,
            "name": self.name,
            "prediction_epoch_utc": iso_utc(self.prediction_epoch_s),
            "tle_epoch_utc": iso_utc(self.tle_epoch_s),
            "reentry_utc": q,
            "nominal_reentry_utc": None
            if self.nominal_reentry_s is None
            else iso_utc(self.nominal_reentry_s),
            "fraction_reentered": float(np.mean(np.isfinite(self.reentry_s))),
            "ballistic_coefficient_m2_kg": {
                "value": self.b_m2_kg,
                "sigma": self.b_sigma_m2_kg,
            },
            "samples": self.samples,
            "seed": self.seed,
            "horizon_utc": iso_utc(self.prediction_epoch_s + self.horizon_s),
            "interface_alt_km": self.interface_alt_m / 1e3,
            "atmosphere": self.atmosphere,
            "forecast": self.forecast,
            "space_weather": self.space_weather,
            "status": self.status_counts,
        }


def b_spread(h: TLEHistory, atm: Any, epoch_s: float) -> float:
    """Std of log B fitted on consecutive 10-day windows of the last 40 days (0 if < 2)."""
    logs = []
    for k in range(4):
        end = epoch_s - k * 10 * DAY_S
        try:
            f = fit_ballistic_coefficient(h, atm, end_s=end, window_days=10.0, min_days=5.0)
        except EstimationError:
            continue
        logs.append(math.log(f.b_m2_kg))
    return float(np.std(logs, ddof=1)) if len(logs) >= 2 else 0.0


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


def atmosphere_label(name: str, table: bool, density: str) -> str:
    """What the samples flew through, in words (``name``: the model's name)."""
    if not table:
        return name
    if density == "auto":
        return (
            f"{name}, daily zonal-mean table while {TABLE_MIN_SAMPLES} or more samples are "
            "in orbit, then the model itself"
        )
    return f"{name}, daily zonal-mean table"


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
        atm = TabulatedAtmosphere(atm, top_alt_km=orbit_top_km(elements))
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


def predict_reentry(
    h: TLEHistory,
    space_weather: SpaceWeather,
    *,
    before_s: float | None = None,
    samples: int = 1000,
    seed: int = 0,
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M,
    horizon_years: float = 25.0,
    model: str = "msis2.1",
    executor: str = "process",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = 250,
    on_progress: Callable[[float], None] | None = None,
    density: str = "auto",
) -> ReentryResult:
    """Monte Carlo reentry window of the object of ``h``; see the module docstring.

    ``density``: how the samples see NRLMSIS ("auto", "table", "exact"; see
    :func:`sample_reentries`)."""
    if not (isinstance(samples, int) and samples >= 1):
        raise ParameterError(f"must be a positive integer, got {samples}", flag="--samples")
    if not (math.isfinite(horizon_years) and horizon_years > 0):
        raise ParameterError("must be positive", flag="--horizon-years")
    hh = h if before_s is None else h.select(h.epoch_s < before_s)
    if len(hh) == 0:
        raise ParameterError(f"no element set before {iso_utc(before_s or 0.0)}", flag="--before")
    i = len(hh) - 1
    t_tle = float(hh.epoch_s[i])
    epoch = t_tle if before_s is None else before_s
    sw, method = forecast_space_weather(space_weather, epoch)
    atm = make_atmosphere(model, sw)
    table = use_table(atm, samples, density)
    el = mean_elements_at(hh, i)
    perigee = float(el.sma_m[0] * (1 - el.ecc[0]) - R_EQUATOR_M)
    try:
        fit: BallisticFit | None = fit_ballistic_coefficient(hh, atm, end_s=t_tle)
    except EstimationError:
        if perigee > interface_alt_m:
            raise
        fit = None
    b = fit.b_m2_kg if fit else 0.01
    horizon = horizon_years * 365.25 * DAY_S
    until = t_tle + horizon
    cfg = AveragedSettings()
    nominal = propagate_averaged(el, b, atm, until, settings=cfg, interface_alt_m=interface_alt_m)
    t_nom = nominal.reentry_s[0]
    lead_days = (t_nom - t_tle) / DAY_S if math.isfinite(t_nom) else 365.0
    lead_days = min(max(lead_days, 27.0), 3650.0)
    sig_fit = (fit.sigma_m2_kg / fit.b_m2_kg) if fit else 0.0
    sig_b = math.hypot(sig_fit, b_spread(hh, atm, t_tle)) if fit else 0.0
    sig_f = forecast_sigma(sw, t_tle, lead_days)
    k_sun = solar_sensitivity(sw, el, "2.1" if model == "msis2.1" else "00")
    sig_a = noise_level_m(hh) if len(hh) >= 3 else 0.0
    reentry, counts = sample_reentries(
        el,
        b,
        atm,
        until,
        samples=samples,
        seed=seed,
        b_log_sigma=sig_b,
        solar_log_sigma=k_sun * sig_f,
        sma_sigma_m=sig_a,
        interface_alt_m=interface_alt_m,
        settings=cfg,
        executor=executor,
        scheduler=scheduler,
        workers=workers,
        chunk_size=chunk_size,
        on_progress=on_progress,
        density=density,
        nominal_lifetime_s=(t_nom - t_tle) if math.isfinite(t_nom) else None,
    )
    quant = window(reentry)
    return ReentryResult(
        norad_id=hh.norad_id,
        name=hh.name,
        prediction_epoch_s=epoch,
        tle_epoch_s=t_tle,
        reentry_s=reentry,
        quantiles_s=quant,
        b_m2_kg=b,
        b_sigma_m2_kg=b * sig_b,
        samples=samples,
        seed=seed,
        horizon_s=horizon,
        interface_alt_m=interface_alt_m,
        space_weather={"source": sw.source, "policy": sw.policy, **sw.coverage()},
        atmosphere=atmosphere_label(atm.name, table, density),
        forecast={
            "method": method,
            "f107_log_sigma": sig_f,
            "lead_days": lead_days,
            "density_sensitivity_to_f107": k_sun,
            "density_model_log_sigma": DENSITY_MODEL_SIGMA,
            "b_log_sigma": sig_b,
            "initial_sma_sigma_m": sig_a,
        },
        nominal_reentry_s=None if not math.isfinite(t_nom) else float(t_nom),
        status_counts=counts,
        fit=fit,
    )
