"""Reentry prediction with an honest window: Monte Carlo over B, density and the Sun.

What a forecaster knew on the prediction epoch, and nothing more:
- element sets with epoch before the prediction epoch (``before``; default: all);
- space weather observed before that day. When the epoch is the file's present (at or
  after the end of its observations, or, for a prediction from the latest data with no
  ``before``, within 1.5 days before it; and it carries predictions), the file's own
  daily and monthly predictions are used, then the solar cycle repeats (``cycle``).
  Otherwise the file is cut at the epoch (the last 40 days' 81-day means recomputed from
  the kept days only) and the forecast is 27-day recurrence moving to the solar cycle:
  the last solar rotation's F10.7, F10.7a and Ap repeat, blended with the lead into the
  values of the day 11 years earlier (policy ``recur27-cycle``, the recurrence's weight
  exp(-lead / 365 d); ``recur27`` alone where the record is shorter than a cycle). Of
  the forecasts scored on the observed record of 1970-2004 by the mean NRLMSIS density
  they give over leads of 10-90 days (:mod:`orbitkeep.environment.forecast_skill`,
  docs/validation.md), the recurrence has the smallest bias and the smallest or equal
  rms error (holding the 81-day means overestimates the density by about 3 %); over a
  year or more it holds the Sun where it was through the cycle, and the blend errs much
  less (the e-folding lead chosen on 1975-2005 and scored on 2005-2022, the table in
  docs/validation.md). A file truncated at the epoch therefore gives the same answer as
  the full file.

The nominal B is the geometric mean of the fits over the adaptive window and over the
last 20 and 45 days (:data:`~orbitkeep.drag_fit.B_COMBINE_WINDOWS_DAYS`; a longer
window counts only where its fit detects drag and so do all the 10-day windows below
within its reach, so that an engine-held phase such as GOCE's does not): B wanders
with attitude from one arc to the next, and the combination averages part of that
wander out. Chosen on data the hindcasts do not use (the reentered objects' early life,
``scripts/bfit_window.py``, docs/validation.md): it predicts the drop 30, 60 and 90 days
out better than the adaptive window alone at each lead (paired sign tests, p <= 0.005).

Samples (N, default 1000; ``seed`` makes them reproducible) combine three log-normal
factors on the drag of the nominal run:
- the ballistic coefficient: the fit's sigma, combined with the spread of B between
  consecutive 10-day windows of the last 40 days (TLE-fit sigmas understate how much B
  wanders with attitude; only windows whose fit detects drag at 3 sigma count, so that
  weeks in which an engine held the orbit up, as GOCE's did, do not pose as B's wander);
- a density-model factor, sigma 0.181: the scatter of yearly-mean NRLMSISE-00 density
  ratios against HASDM at 400 km (Bruinsma et al. 2021, DTM2020 paper, Table 3);
- solar activity: the spread of the forecast's error, measured on the file's own
  observed F10.7 before the epoch for the lead time of the nominal prediction (log
  ratio of the mean F10.7 over the lead to the forecast's mean over it; its rms over
  the record's origins whose 27-day mean was within a factor 1.2 of the epoch's, as the
  error grows with activity: so measured it is calibrated at every level at leads of
  27-90 days on 1970-2004; over a year or two narrower than the errors there, about
  calibrated on 2005-2022, docs/validation.md),
  turned into a density factor by NRLMSIS's sensitivity d ln(rho) / d ln(F10.7)
  averaged over the nominal decay: a sample's solar factor must move the lifetime as
  the Sun would, and the time mean along the path does (within 10 %, measured); the
  sensitivity falls as the orbit sinks, from ~2.3 at 440 km to ~0.5 at 200 km, so its
  value at the start overstated it by 12-24 %
  (:func:`~orbitkeep.environment.forecast.decay_sensitivity`).
The samples are drawn in antithetic pairs (z, -z; ``sampling.sample_reentries``): their
log drag factors are symmetric about the nominal run's, so the window's p50 is the
nominal reentry up to the pair nearest it. Independent draws put it off by Monte Carlo
noise alone: 1000 samples of Starlink-24 two weeks out, six seeds, gave p50s spread by
0.6 % of the remaining time (rms), 1.7 % at worst.
All samples are propagated together by the vectorised averaged propagator (in chunks
on a process pool or a Dask cluster: same seed, same answer, whatever the executor;
:mod:`orbitkeep.sampling`, which also says how the samples see NRLMSIS: from
:data:`~orbitkeep.sampling.TABLE_MIN_SAMPLES` on, through daily density tables). The fit
and the nominal run use the exact model.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .constants import DAY_S, R_EQUATOR_M, REENTRY_INTERFACE_ALT_M
from .decay import check_horizon_years
from .drag_fit import fit_with_spread
from .environment import density_table
from .environment.atmosphere import make_atmosphere
from .environment.forecast import (
    check_epoch_within_data,
    decay_sensitivity,
    forecast_sigma,
    forecast_space_weather,
    solar_sensitivity,
)
from .environment.spaceweather import SpaceWeather
from .errors import ParameterError
from .estimation import (
    BallisticFit,
    EstimationError,
    mean_elements_at,
    noise_level_m,
)
from .io.tle import TLEHistory
from .propagators.averaged import AveragedSettings, propagate_averaged
from .sampling import (
    DENSITY_MODEL_SIGMA,
    TABLE_MIN_SAMPLES,
    sample_reentries,
    use_table,
    window,
)
from .state import MeanElements, Trajectory
from .timescale import iso_utc
from .window_reading import lifetime_rules, reentry_notes

F64 = NDArray[np.float64]


@dataclass
class ReentryResult:
    """A Monte Carlo reentry prediction; epochs in Unix seconds UTC. A design orbit's
    (:mod:`orbitkeep.lifetime`) has no NORAD id and carries its orbit in ``design``."""

    norad_id: int | None
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
    #: what a reader must know to read the window right
    #: (:func:`~orbitkeep.window_reading.reentry_notes`)
    notes: list[str] = field(default_factory=list)
    #: the probability of reentering within each lifetime limit from the prediction epoch
    #: (:func:`~orbitkeep.window_reading.lifetime_rules`)
    rules: list[dict[str, Any]] = field(default_factory=list)
    #: a design orbit's elements and drag as given (km, deg, m^2/kg); None for an object
    #: predicted from its element sets
    design: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON document (ISO 8601 UTC)."""
        q = {k: (None if v is None else iso_utc(v)) for k, v in self.quantiles_s.items()}
        return {
            "norad_id": self.norad_id,
            **({} if self.design is None else {"design_orbit": self.design}),
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
            "lifetime_rules": self.rules,
            "notes": self.notes,
        }


@dataclass(frozen=True)
class DragSpread:
    """The log sigmas of a Monte Carlo's drag factor (see the module docstring): B (the
    fit's sigma and the spread of the window fits), the density model, and the solar
    forecast (``k_sun`` x ``f107``); ``lead_days`` is the lead the solar one is for."""

    b: float
    density: float
    solar: float
    f107: float
    k_sun: float
    lead_days: float

    @property
    def total(self) -> float:
        """The sigma of the log drag factor, all three combined."""
        return math.sqrt(self.b**2 + self.density**2 + self.solar**2)


def drag_spread(
    fit: BallisticFit | None,
    spread: float,
    space_weather: SpaceWeather,
    el: MeanElements,
    epoch_s: float,
    lead_days: float,
    model: str = "msis2.1",
    path: Trajectory | None = None,
) -> DragSpread:
    """The sigmas of the samples' drag factor for an object of elements ``el`` at
    ``epoch_s``, with B fitted as ``fit`` (None: no fit, no B sigma) and the window fits'
    ``spread`` (:func:`fit_with_spread`), over ``lead_days`` (held within 27 days, one
    solar rotation, and ten years); ``space_weather`` is the forecast's
    (:func:`~orbitkeep.environment.forecast.forecast_space_weather`). The density's
    sensitivity to the Sun is averaged over the nominal decay ``path`` up to the lead
    (:func:`~orbitkeep.environment.forecast.decay_sensitivity`), or taken at ``el``."""
    lead = min(max(lead_days, 27.0), 3650.0)
    sig_fit = (fit.sigma_m2_kg / fit.b_m2_kg) if fit else 0.0
    sig_b = math.hypot(sig_fit, spread) if fit else 0.0
    sig_f = forecast_sigma(space_weather, epoch_s, lead)
    version = "2.1" if model == "msis2.1" else "00"
    if path is None:
        k_sun = solar_sensitivity(space_weather, el, version)
    else:
        keep = path.t_s <= epoch_s + lead * DAY_S
        t, a, e = path.t_s[keep], path.sma_m[keep], path.ecc[keep]
        k_sun = decay_sensitivity(space_weather, el, t, a, e, version)
    return DragSpread(sig_b, DENSITY_MODEL_SIGMA, k_sun * sig_f, sig_f, k_sun, lead)


def atmosphere_label(name: str, table: bool, density: str) -> str:
    """What the samples flew through, in words (``name``: the model's name)."""
    if not table:
        return name
    k = density_table.THIN_DAYS  # read when called: a run may have set it
    thin = f" (one day's in {k} past the first year)" if k > 1 else ""
    if density == "auto":
        return (
            f"{name}, daily zonal-mean table{thin} while {TABLE_MIN_SAMPLES} or more samples "
            "are in orbit, then the model itself"
        )
    return f"{name}, daily zonal-mean table{thin}"


def _is_integer(x: object) -> bool:
    """An integer (Python or NumPy), not a bool."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def check_window_args(samples: int, seed: int, horizon_years: float) -> tuple[int, int]:
    """``samples`` and ``seed`` as ints, if a positive and a non-negative integer (Python
    or NumPy, not bool), and ``horizon_years`` positive and at most
    :data:`~orbitkeep.decay.MAX_HORIZON_YEARS`; else :class:`ParameterError`
    naming the flag."""
    if not (_is_integer(samples) and samples >= 1):
        raise ParameterError(f"must be a positive integer, got {samples}", flag="--samples")
    if not (_is_integer(seed) and seed >= 0):
        raise ParameterError(f"must be a non-negative integer, got {seed!r}", flag="--seed")
    check_horizon_years(horizon_years, "--horizon-years")
    return int(samples), int(seed)


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
    samples, seed = check_window_args(samples, seed, horizon_years)
    if before_s is not None:
        check_epoch_within_data(space_weather, before_s, "--before")
    hh = h if before_s is None else h.select(h.epoch_s < before_s)
    if len(hh) == 0:
        raise ParameterError(f"no element set before {iso_utc(before_s or 0.0)}", flag="--before")
    i = len(hh) - 1
    t_tle = float(hh.epoch_s[i])
    epoch = t_tle if before_s is None else before_s
    sw, method = forecast_space_weather(space_weather, epoch, latest=before_s is None)
    atm = make_atmosphere(model, sw)
    table = use_table(atm, samples, density)
    el = mean_elements_at(hh, i)
    perigee = float(el.sma_m[0] * (1 - el.ecc[0]) - R_EQUATOR_M)
    apogee = float(el.sma_m[0] * (1 + el.ecc[0]) - R_EQUATOR_M)
    run = {"executor": executor, "scheduler": scheduler, "workers": workers}
    fitted, spread = fit_with_spread(hh, atm, t_tle, **run)
    fit: BallisticFit | None = fitted if isinstance(fitted, BallisticFit) else None
    if isinstance(fitted, EstimationError) and perigee > interface_alt_m:
        raise fitted
    b = fit.b_m2_kg if fit else 0.01
    horizon = horizon_years * 365.25 * DAY_S
    until = epoch + horizon  # the horizon counts from the prediction epoch
    cfg = AveragedSettings()
    nominal = propagate_averaged(el, b, atm, until, settings=cfg, interface_alt_m=interface_alt_m)
    t_nom = nominal.reentry_s[0]
    lead_days = (t_nom - t_tle) / DAY_S if math.isfinite(t_nom) else 365.0
    sig = drag_spread(fit, spread, sw, el, t_tle, lead_days, model, nominal.trajectories[0])
    sig_a = noise_level_m(hh) if len(hh) >= 3 else 0.0
    reentry, counts = sample_reentries(
        el,
        b,
        atm,
        until,
        samples=samples,
        seed=seed,
        b_log_sigma=sig.b,
        solar_log_sigma=sig.solar,
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
        antithetic=True,
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
        b_sigma_m2_kg=b * sig.b,
        samples=samples,
        seed=seed,
        horizon_s=horizon,
        interface_alt_m=interface_alt_m,
        space_weather={"source": sw.source, "policy": sw.policy, **sw.coverage()},
        atmosphere=atmosphere_label(atm.name, table, density),
        forecast={
            "method": method,
            "f107_log_sigma": sig.f107,
            "lead_days": sig.lead_days,
            "density_sensitivity_to_f107": sig.k_sun,
            "density_model_log_sigma": sig.density,
            "b_log_sigma": sig.b,
            "initial_sma_sigma_m": sig_a,
        },
        nominal_reentry_s=None if not math.isfinite(t_nom) else float(t_nom),
        status_counts=counts,
        fit=fit,
        notes=reentry_notes(perigee, interface_alt_m, reentry, epoch, t_tle, apogee),
        rules=lifetime_rules(reentry, epoch, until),
    )
