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
from numpy.typing import NDArray

from ..constants import DAY_S, R_EQUATOR_M
from ..errors import ParameterError
from ..state import MeanElements
from .atmosphere import msis_density
from .spaceweather import BLEND_DAYS, CYCLE_PERIOD_DAYS, RECURRENCE_DAYS, SpaceWeather

#: How close before the file's present (its last observed day's end) a prediction from
#: the latest data (``latest=True``: no as-of date given, the epoch is the last element
#: set's) still counts as made at the present: element sets lag the file by up to a day.
PRESENT_SLACK_S = 1.5 * DAY_S


def check_epoch_within_data(sw: SpaceWeather, epoch_s: float, flag: str) -> float:
    """``epoch_s`` if it falls before the day after the end of the space-weather data (a
    file cut at the epoch ends at the start of the epoch's day, and must give the same
    answer as the whole file), else :class:`ParameterError` naming ``flag``: a
    prediction as of a date the file says nothing about (9999-12-31 crashed with 'year
    out of range')."""
    if epoch_s >= sw.data_until_s + DAY_S:
        raise ParameterError(
            f"{_iso_day(epoch_s)} is after the end of the space-weather data "
            f"({_iso_day(sw.data_until_s)}, {sw.source})",
            flag=flag,
        )
    return epoch_s


def _iso_day(t_s: float) -> str:
    """The UTC day of ``t_s`` (Unix s), ISO; any finite float (beyond year 9999 too)."""
    import datetime as dt

    try:
        return (dt.datetime(1970, 1, 1) + dt.timedelta(seconds=t_s)).date().isoformat()
    except OverflowError:
        return f"{t_s:g} s (Unix)"


def forecast_space_weather(
    sw: SpaceWeather, epoch_s: float, *, latest: bool = False
) -> tuple[SpaceWeather, str]:
    """The space weather a forecaster had at ``epoch_s`` and the name of the method.

    At or after the file's present (``observed_until_s``) its own predictions; before
    it, a hindcast: only the days observed before the epoch, then the recurrence
    forecast, so that a prediction as of a date sees nothing after it (the file's
    observations of the days after the epoch, or its predictions, issued later).
    ``latest``: the epoch is that of the latest data rather than a date the user gave,
    and within :data:`PRESENT_SLACK_S` of the present counts as the present."""
    has_predictions = sw.data_until_s > sw.observed_until_s + DAY_S
    present = sw.observed_until_s - (PRESENT_SLACK_S if latest else 0.0)
    if has_predictions and epoch_s >= present:
        return sw.with_policy("cycle"), "file predictions, then the solar cycle repeated"
    cut = sw.truncated(epoch_s, causal_f107a=True)
    if len(cut.f107_obs_sfu) > CYCLE_PERIOD_DAYS:
        return cut.with_policy("recur27-cycle"), (
            "the last 27 days (one solar rotation) recur, moving to the solar cycle "
            f"repeated (e-folding lead {BLEND_DAYS:g} days)"
        )
    return cut.with_policy("recur27"), "the last 27 days (one solar rotation) recur"


#: The recurrence forecast's error grows with solar activity, so its spread is measured
#: at the record's origins whose last 27-day mean F10.7 was within this factor of the
#: epoch's (:func:`forecast_sigma`). Scored on 1960-2004 (docs/validation.md,
#: :func:`~orbitkeep.environment.forecast_skill.solar_spread_scores`), the spread so
#: measured is calibrated at every level of activity (rms z 0.80-1.08 below 100, 100-150
#: and above 150 sfu, 300 and 420 km, leads of 27-90 days), where one spread for all
#: levels was too wide at low activity (0.64-0.80) and too narrow at high (up to 1.17).
#: Factors of 1.1 and 1.3 score within 0.03 of 1.2.
SOLAR_LEVEL_FACTOR = 1.2
#: ... from at least this many origins (a year of days); else all origins count.
SOLAR_MIN_ORIGINS = 365


def _blend_means(f: NDArray[np.float64], lead: int, n_origins: int) -> NDArray[np.float64]:
    """Mean F10.7 over ``lead`` days of the ``recur27-cycle`` forecast made at each data
    index d in [CYCLE_PERIOD_DAYS, CYCLE_PERIOD_DAYS + n_origins), the blend taken in
    F10.7 itself (a mean of means: the geometric blend's mean differs at second order).
    Forecast day j repeats day d - 27 + (j mod 27) with weight w_j = exp(-(j + 1/2) /
    BLEND_DAYS) and day d - P + (j mod P) (P the cycle) with 1 - w_j: per residue the
    weights add up, and the sums over d are correlations (``numpy.correlate``)."""
    jj = np.arange(lead)
    w = np.exp(-(jj + 0.5) / BLEND_DAYS)
    p = CYCLE_PERIOD_DAYS
    a = np.bincount(jj % RECURRENCE_DAYS, weights=w, minlength=RECURRENCE_DAYS)
    b = np.bincount(jj % p, weights=1.0 - w, minlength=p)
    d = np.arange(p, p + n_origins)
    rec = np.correlate(f, a, mode="valid")  # rec[m] = sum_r a_r f[m + r]
    cyc = np.correlate(f, b, mode="valid")
    return np.asarray((rec[d - RECURRENCE_DAYS] + cyc[d - p]) / lead, dtype=float)


def forecast_sigma(
    sw: SpaceWeather, epoch_s: float, lead_days: float, *, by_level: bool = True
) -> float:
    """The error of the hindcasts' forecast over the observed record before ``epoch_s``:
    log(mean F10.7 over the next ``lead_days`` / the forecast's mean over them).

    ``by_level``: the forecast of :func:`forecast_space_weather` (``recur27-cycle``
    where the record before the epoch is longer than a cycle, else ``recur27``, whose
    mean over a lead is that of the last solar rotation), its rms (about 0, the change
    the forecast predicts) over the origins whose previous 27-day mean F10.7 was within
    :data:`SOLAR_LEVEL_FACTOR` of the epoch's (at least :data:`SOLAR_MIN_ORIGINS`, else
    all). Otherwise the standard deviation of the ``recur27`` error over all origins
    (the station's multi-year windows, whose leads span the solar cycle)."""
    f = np.asarray(sw.f107_obs_sfu, dtype=float)
    obs = np.asarray(sw.day_section) == 0
    last = int(min(np.searchsorted(sw.day_start_s, epoch_s), np.count_nonzero(obs)))
    lead = int(max(1, round(lead_days)))
    c = np.concatenate([[0.0], np.cumsum(f[:last])])
    blend = by_level and last > CYCLE_PERIOD_DAYS
    d = np.arange(CYCLE_PERIOD_DAYS if blend else RECURRENCE_DAYS, last - lead)
    if d.size < 365:
        return 0.2
    past = (c[d] - c[d - RECURRENCE_DAYS]) / RECURRENCE_DAYS
    future = (c[d + lead] - c[d]) / lead
    if not by_level:
        ok = (past > 0) & (future > 0)
        return float(np.std(np.log(future[ok] / past[ok])))
    fc = _blend_means(f[:last], lead, d.size) if blend else past
    ok = (fc > 0) & (future > 0)
    now = (c[last] - c[last - RECURRENCE_DAYS]) / RECURRENCE_DAYS
    if now > 0:
        level = np.abs(np.log(np.where(past > 0, past, now) / now))
        near = ok & (level <= math.log(SOLAR_LEVEL_FACTOR))
        if np.count_nonzero(near) >= SOLAR_MIN_ORIGINS:
            ok = near
    e = np.log(future[ok] / fc[ok])
    return float(np.sqrt(np.mean(e**2)))


def solar_sensitivity(sw: SpaceWeather, elements: MeanElements, version: str = "2.1") -> float:
    """d ln(rho) / d ln(F10.7 and F10.7a) of NRLMSIS at the object's perigee altitude,
    averaged over one revolution's latitudes and local times at the first epoch; NaN
    where NRLMSIS gives no positive density there (an altitude below the ground, which
    a decay's last step can reach when it sinks within one step: :func:`decay_sensitivity`
    leaves such points out)."""
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
    if not (dens[0] > 0 and dens[1] > 0 and math.isfinite(dens[0] + dens[1])):
        return math.nan
    return math.log(dens[0] / dens[1]) / math.log(k * k)


def decay_sensitivity(
    sw: SpaceWeather,
    elements: MeanElements,
    t_s: NDArray[np.float64],
    sma_m: NDArray[np.float64],
    ecc: NDArray[np.float64],
    version: str = "2.1",
    points: int = 12,
) -> float:
    """The sensitivity of a decay's density to F10.7 and F10.7a, as one number: the time
    mean of :func:`solar_sensitivity` along it (mean a and e of the decay at epochs
    ``t_s``, sampled at ``points`` evenly spread epochs, each with the drivers the space
    weather gives it; the orbit plane of ``elements``). In a steady atmosphere the time
    spent at each altitude scales as one over the density there, so a density change by
    a factor 1 + k(h) eps moves the lifetime as a uniform drag factor 1 + eps mean(k)
    does: the solar factor a Monte Carlo sample should carry. With the drivers changing
    over the decay this holds to within 10 % (Starlink-24 84 and 34 days from reentry,
    measured by scaling F10.7 and B; ``tests/unit/test_forecast.py``). The sensitivity
    falls as the orbit sinks (NRLMSIS 2.1 in 2022: 2.3 at 440 km, 1.3 at 300 km, 0.5 at
    200 km), so the value at the start overstates a decay's (by 12-24 % there)."""
    t = np.asarray(t_s, dtype=float)
    if t.size < 2 or not t[-1] > t[0]:
        return solar_sensitivity(sw, elements, version)
    ks = []
    for tk in t[0] + (np.arange(points) + 0.5) / points * (t[-1] - t[0]):
        el = MeanElements(
            np.array([tk]),
            np.array([np.interp(tk, t, sma_m)]),
            np.array([np.interp(tk, t, ecc)]),
            elements.incl_rad[:1],
            elements.raan_rad[:1],
            elements.argp_rad[:1],
            elements.mean_anomaly_rad[:1],
        )
        ks.append(solar_sensitivity(sw, el, version))
    finite = [k for k in ks if math.isfinite(k)]
    return float(np.mean(finite)) if finite else solar_sensitivity(sw, elements, version)
