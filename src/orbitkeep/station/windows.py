"""The station's reentry windows (issue 5), p05/p50/p95 as ISO dates.

- Free decay (no reboost, or the deorbit's decay): :func:`mc_window`, the Monte Carlo
  of one object's decay (:func:`orbitkeep.sampling.sample_reentries`) from the state
  where reboosting stops.
- Sinking after the band is lost (a partner leaves and the vehicles left cannot hold the
  band): :func:`sinking_window`. The vehicles keep flying and boost the station with what
  they bring (``hold_band(limited=True)``), so the decay is not free and the Monte Carlo
  sampler, which knows no burns, cannot fly it. A station's lifetime falls as its drag
  grows, so the quantiles of a log-normal drag factor give those of the reentry: three
  runs, at factors exp(-+1.645 sigma) and 1, with sigma combining the same three errors
  as the Monte Carlo (B's spread over the past year, NRLMSIS vs HASDM, the solar
  forecast over the lead).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..environment.atmosphere import Atmosphere
from ..propagators.averaged import AveragedSettings
from ..state import MeanElements
from ..timescale import iso_utc
from .budget import percentiles
from .model import StationModel
from .reboost import HoldResult, Propulsion, ReboostPolicy, TimelineEvent, hold_band
from .solar import Z95
from .tracking import StationState

#: Monte Carlo samples of the station's reentry windows (the reentry module's sampling:
#: B, NRLMSIS-vs-HASDM density error, solar-forecast error); seeded, so reproducible.
STATION_MC_SAMPLES = 100
#: The Monte Carlo's longest step: years-long decays need no daily steps (the nominal run
#: keeps them); nodes are still spread over a day of longitudes and universal times.
STATION_MC_MAX_STEP_S = 3 * 86400.0
#: Samples per job of the station Monte Carlo: 4 jobs over the process pool (each sample
#: keeps its own steps, so the chunking does not change the answer).
STATION_MC_CHUNK = 25


def _within_data(sw: Any, until_s: float) -> float:
    """``until_s``, cut a day before the end of the space-weather data under policy
    'error' (a run still up there ends past the horizon: None)."""
    if sw is not None and sw.policy == "error":
        return min(until_s, sw.data_until_s - 86400.0)
    return until_s


def drag_log_sigmas(
    el: MeanElements,
    sw: Any,
    nominal_end_s: float | None,
    b_factors: tuple[float, float] | None,
) -> tuple[float, float]:
    """Sigmas of log drag of the station's reentry windows: B (the past year's range of
    fitted B, ``b_factors``, taken as a 90 % interval) and solar activity (the forecast
    error over the lead to ``nominal_end_s``, through NRLMSIS's sensitivity to F10.7;
    over all levels of activity, not the epoch's: the station's leads of years run
    through the solar cycle, and its forecast is the file's, not recurrence)."""
    from ..environment.forecast import forecast_sigma, solar_sensitivity

    t0 = float(el.epoch_s[0])
    lead = (nominal_end_s - t0) / 86400.0 if nominal_end_s is not None else 365.0
    sig_f = forecast_sigma(sw, t0, min(max(lead, 27.0), 3650.0), by_level=False)
    lo, hi = b_factors or (1.0, 1.0)
    sig_b = math.log(hi / lo) / (2 * Z95) if hi > lo > 0 else 0.0
    return sig_b, solar_sensitivity(sw, el) * sig_f


def mc_window(
    el: MeanElements,
    b_m2_kg: float,
    atm: Any,
    until_s: float,
    nominal_end_s: float | None,
    b_factors: tuple[float, float] | None,
) -> dict[str, str | None] | None:
    """The reentry window {p50, p05, p95} (ISO, None past the horizon) of a free decay by
    :func:`orbitkeep.sampling.sample_reentries`; None without NRLMSIS space weather.

    B's spread is the past year's range of fitted B taken as a 90 % interval."""
    from ..sampling import sample_reentries, window

    sw = getattr(atm, "space_weather", None)
    if sw is None:
        return None
    sig_b, sig_solar = drag_log_sigmas(el, sw, nominal_end_s, b_factors)
    until_s = _within_data(sw, until_s)
    ends, _ = sample_reentries(
        el,
        b_m2_kg,
        atm,
        until_s,
        samples=STATION_MC_SAMPLES,
        seed=0,
        b_log_sigma=sig_b,
        solar_log_sigma=sig_solar,
        settings=AveragedSettings(max_step_s=STATION_MC_MAX_STEP_S),
        density="exact",  # 100 samples on 3-day steps over years: tables would cost more
        chunk_size=STATION_MC_CHUNK,
        antithetic=True,
    )
    q = window(ends)
    if q["p50"] is None and not np.isfinite(ends).any():
        return None
    return {k: (iso_utc(v) if v is not None else None) for k, v in q.items()}


def sinking_window(
    model: StationModel,
    state: StationState,
    atm: Atmosphere,
    policy: ReboostPolicy,
    timeline: list[TimelineEvent],
    until_s: float,
    b_factors: tuple[float, float] | None,
    *,
    on_progress: Callable[[float], None] | None = None,
) -> tuple[dict[str, str | None], HoldResult]:
    """The reentry window {p50, p05, p95} (ISO, None past the horizon) of the station
    from ``state`` when every reboost goes only as far as the vehicles present can take it
    (see the module docstring), and the nominal run. ``on_progress`` gets the fraction
    done (the three runs a third each)."""
    from ..sampling import DENSITY_MODEL_SIGMA

    sw = getattr(atm, "space_weather", None)
    until_s = _within_data(sw, until_s)

    def run(scale: float, k: int) -> HoldResult:
        part = None if on_progress is None else (lambda f: on_progress((k + f) / 3.0))
        return hold_band(
            model,
            state,
            atm,
            until_s,
            policy=policy,
            propulsion=Propulsion(list(model.vehicles), model.mass_kg()),
            timeline=timeline,
            density_scale=scale,
            limited=True,
            on_progress=part,
        )

    nominal = run(1.0, 0)
    sig_b, sig_solar = (
        drag_log_sigmas(state.elements, sw, nominal.reentry_s, b_factors)
        if sw is not None
        else (0.0, 0.0)
    )
    sigma = math.sqrt(DENSITY_MODEL_SIGMA**2 + sig_b**2 + sig_solar**2)
    ends = [nominal.reentry_s, run(math.exp(Z95 * sigma), 1).reentry_s]
    ends.append(run(math.exp(-Z95 * sigma), 2).reentry_s)
    # p50 None: the nominal run stays up too, so the whole window is past the horizon
    return percentiles(ends) or dict.fromkeys(("p50", "p05", "p95")), nominal
