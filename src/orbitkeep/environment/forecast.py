"""The space weather a forecaster had on a prediction epoch, and how wrong it can be.

Used by the reentry Monte Carlo (:mod:`orbitkeep.reentry`, whose docstring states the
model) and the station's free-decay windows: the drivers past the epoch
(:func:`forecast_space_weather`), the spread of the forecast's error measured on the
file's own record before the epoch (:func:`forecast_sigma`), and NRLMSIS's sensitivity
to solar activity that turns that spread into a density factor (:func:`solar_sensitivity`).
How the forecasts score on the observed record: :mod:`.forecast_skill`.
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import DAY_S, R_EQUATOR_M
from ..state import MeanElements
from .atmosphere import msis_density
from .spaceweather import RECURRENCE_DAYS, SpaceWeather


def forecast_space_weather(sw: SpaceWeather, epoch_s: float) -> tuple[SpaceWeather, str]:
    """The space weather a forecaster had at ``epoch_s`` and the name of the method."""
    has_predictions = sw.data_until_s > sw.observed_until_s + DAY_S
    # at the file's present (within 1.5 days of its last observation) or after it
    if has_predictions and epoch_s >= sw.observed_until_s - 1.5 * DAY_S:
        return sw.with_policy("cycle"), "file predictions, then the solar cycle repeated"
    cut = sw.truncated(epoch_s, causal_f107a=True).with_policy("recur27")
    return cut, "the last 27 days (one solar rotation) recur"


def forecast_sigma(sw: SpaceWeather, epoch_s: float, lead_days: float) -> float:
    """Std of log(mean F10.7 over the next ``lead_days`` / mean of the previous 27 days),
    over the observed record before ``epoch_s``: the error of the recurrence forecast,
    whose mean over a lead is that of the last solar rotation."""
    f = np.asarray(sw.f107_obs_sfu, dtype=float)
    obs = np.asarray(sw.day_section) == 0
    last = int(min(np.searchsorted(sw.day_start_s, epoch_s), np.count_nonzero(obs)))
    lead = int(max(1, round(lead_days)))
    c = np.concatenate([[0.0], np.cumsum(f[:last])])
    d = np.arange(RECURRENCE_DAYS, last - lead)
    if d.size < 365:
        return 0.2
    past = (c[d] - c[d - RECURRENCE_DAYS]) / RECURRENCE_DAYS
    future = (c[d + lead] - c[d]) / lead
    ok = (past > 0) & (future > 0)
    return float(np.std(np.log(future[ok] / past[ok])))


def solar_sensitivity(sw: SpaceWeather, elements: MeanElements, version: str = "2.1") -> float:
    """d ln(rho) / d ln(F10.7 and F10.7a) of NRLMSIS at the object's perigee altitude,
    averaged over one revolution's latitudes and local times at the first epoch."""
    t0 = float(elements.epoch_s[0])
    alt = float(elements.sma_m[0] * (1 - elements.ecc[0]) - R_EQUATOR_M)
    u = np.linspace(0, 2 * np.pi, 24, endpoint=False)
    inc = float(elements.incl_rad[0])
    lat = np.arcsin(np.sin(inc) * np.sin(u))
    lon = np.mod(u, 2 * np.pi) - np.pi
    t = t0 + u / (2 * np.pi) * 5400.0
    drv = sw.msis_drivers(t)
    k = 1.2
    dens = []
    for s in (k, 1 / k):
        rho = msis_density(
            t,
            lat,
            lon,
            np.full(u.size, alt),
            drv.f107_sfu * s,
            drv.f107a_sfu * s,
            drv.ap,
            version=version,  # type: ignore[arg-type]
        )
        dens.append(float(np.mean(rho)))
    return math.log(dens[0] / dens[1]) / math.log(k * k)
