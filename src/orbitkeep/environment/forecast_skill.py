"""How well simple space-weather forecasts predict the air an orbit will fly through.

A hindcast forecasts the solar and geomagnetic drivers past its epoch from the data up to
then (``SpaceWeather`` policies ``persist`` and ``recur27``). This module scores such
forecasts on the observed record itself, in the quantity drag depends on: the mean
NRLMSIS density over the next L days at a fixed altitude (the mean over latitudes of
+-50 degrees and four local times, at noon UT), computed with the forecast drivers on
each forecast day's own date (so the model's seasonal terms are the same for every
method) against the same mean with the observed drivers. The score is the log ratio
forecast / observed, over forecast origins spread through the chosen years; forecast
days are sampled every ``day_step`` days.

Forecasts scored (``method`` names):
- ``persistP``: the mean F10.7 and mean daily Ap of the last P observed days, held for
  F10.7, F10.7a and Ap (policy ``persist`` holds the last ``PERSIST_DAYS``);
- ``recur27``: the last 27 observed days (one solar rotation) repeat (policy
  ``recur27`` on a file truncated with ``causal_f107a=True``), F10.7, F10.7a and Ap.
- ``trend27``: ``recur27`` with the solar cycle's trend: its F10.7 and F10.7a scaled by
  exp(g tau (1 - exp(-d / tau))), g the least-squares slope of the log of the last
  :data:`TREND_ROTATIONS` rotations' mean F10.7, d the days from the middle of the
  recurring rotation, the trend damped over :data:`TREND_DAMPING_DAYS` (a forecast that
  knows where the cycle is heading; scored for comparison, not used).
- ``cycle``: the day 11 years (``CYCLE_PERIOD_DAYS``) earlier repeats (policy ``cycle``);
- ``recur27-cycle``: ``recur27`` moving to ``cycle`` with the lead (the policy of that
  name, what the hindcasts use; :func:`recur_cycle_drivers`), with the e-folding lead
  ``BLEND_DAYS`` (or the ones asked for, named ``recur27-cycle/<days>``).

:func:`solar_spread_scores` scores the other half of the reentry windows' solar model, the
spread put on that forecast (:func:`~orbitkeep.environment.forecast.forecast_sigma`
through NRLMSIS's sensitivity), against the same errors, by level of solar activity.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..constants import DAY_S
from .atmosphere import msis_density
from .spaceweather import (
    BLEND_DAYS,
    CYCLE_PERIOD_DAYS,
    RECURRENCE_DAYS,
    SECTION_OBSERVED,
    SpaceWeather,
)

F64 = NDArray[np.float64]
#: Rotations (27 days) whose mean F10.7 give ``trend27`` its slope: one year.
TREND_ROTATIONS = 12
#: e-folding time of ``trend27``'s trend, days. With 12 rotations and 90 days it scored
#: best of slopes over 4, 6, 9 and 12 rotations, undamped or damped over 90 or 180 days
#: (1960-2004, 420 km, 10-90-day leads): the most favourable trend forecast tried.
TREND_DAMPING_DAYS = 90.0
_LAT_DEG = np.array([-50.0, -25.0, 0.0, 25.0, 50.0])
_LT_H = np.array([3.0, 9.0, 15.0, 21.0])


@dataclass(frozen=True)
class SkillRow:
    """Score of one forecast method at one altitude and lead: log(forecast / observed)
    of the mean density over the lead (bias = mean, rms, n = forecast origins)."""

    method: str
    alt_km: float
    lead_days: int
    bias: float
    rms: float
    n: int


def _mean_density(
    sw: SpaceWeather, day: NDArray[np.int64], f107: F64, f107a: F64, ap: F64, alt_km: float
) -> F64:
    """Mean NRLMSIS 2.1 density (kg/m^3) over the module's latitude / local-time points
    on data days ``day`` (noon UT) for the given daily drivers (all of day's shape)."""
    lat, lt = np.meshgrid(np.radians(_LAT_DEG), _LT_H)
    m = lat.size
    shape = day.shape
    d = day.reshape(-1)
    t = np.repeat(sw.day_start_s[0] + (d + 0.5) * DAY_S, m)
    lon = np.radians(np.tile(lt.ravel() * 15.0 - 180.0, d.size))  # local time at 12 UT
    la = np.tile(lat.ravel(), d.size)
    ap7 = np.repeat(ap.reshape(-1), m)[:, None] * np.ones((1, 7))
    rho = msis_density(
        t,
        la,
        lon,
        np.full(t.size, alt_km * 1e3),
        np.repeat(f107.reshape(-1), m),
        np.repeat(f107a.reshape(-1), m),
        ap7,
    )
    return np.asarray(rho.reshape(d.size, m).mean(axis=1).reshape(shape), dtype=float)


def _recurrence(
    c: F64, origins: NDArray[np.int64], j: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], F64]:
    """The ``recur27`` forecast made at data indices ``origins`` for the days ``j`` after
    them: the data index each forecast day repeats, the index its previous-day F10.7
    comes from, and its F10.7a (``c``: the cumulative sum of F10.7 from 0). F10.7a as
    ``SpaceWeather.truncated(causal_f107a=True)`` gives it: the centred mean of the last
    40 kept days would use later observations, so it is the mean of the kept days in the
    window."""
    o = origins[:, None]
    src = o - RECURRENCE_DAYS + (j[None, :] % RECURRENCE_DAYS)
    srcp = o - RECURRENCE_DAYS + ((j[None, :] - 1) % RECURRENCE_DAYS)
    return src, srcp, (c[o] - c[src - 40]) / (o - (src - 40))


def recur_cycle_drivers(
    f: F64,
    fa: F64,
    ap: F64,
    origins: NDArray[np.int64],
    j: NDArray[np.int64],
    blend_days: float = BLEND_DAYS,
) -> tuple[F64, F64, F64]:
    """The ``recur27-cycle`` forecast made at data indices ``origins`` for the days ``j``
    after them (j < CYCLE_PERIOD_DAYS - 40, origins >= CYCLE_PERIOD_DAYS): F10.7 of the
    previous day, F10.7a and daily Ap, as policy ``recur27-cycle`` gives them on a file
    truncated at each origin (``causal_f107a=True``; the weight at each day's noon)."""
    c = np.concatenate([[0.0], np.cumsum(f)])
    src, srcp, fa_causal = _recurrence(c, origins, j)
    o = origins[:, None]
    cyc = o + j[None, :] - CYCLE_PERIOD_DAYS
    cycp = np.where(j[None, :] == 0, o - 1, cyc - 1)  # day 0's previous day is observed
    w = np.exp(-(j[None, :] + 0.5) / blend_days)
    ff = np.exp(w * np.log(f[srcp]) + (1 - w) * np.log(f[cycp]))
    ffa = np.exp(w * np.log(fa_causal) + (1 - w) * np.log(fa[cyc]))
    return ff, ffa, w * ap[src] + (1 - w) * ap[cyc]


def forecast_skill(
    sw: SpaceWeather,
    *,
    first_year: float,
    last_year: float,
    alt_km: float,
    leads_days: tuple[int, ...],
    persist_days: tuple[int, ...] = (27, 81),
    recurrence: bool = True,
    trend: bool = False,
    cycle: bool = False,
    blend_days: tuple[float, ...] = (),
    origin_step_days: int = 10,
    day_step: int = 2,
) -> list[SkillRow]:
    """Score the forecasts (see the module docstring) made every ``origin_step_days``
    from ``first_year`` to ``last_year`` (decimal years, UTC) on the observed days of
    ``sw``, for each lead in ``leads_days``; one row per method and lead (``trend``: also
    ``trend27``, with ``recurrence``; ``cycle``: also ``cycle``; ``blend_days``: also
    ``recur27-cycle`` with each e-folding lead, named ``recur27-cycle`` for
    :data:`BLEND_DAYS` and ``recur27-cycle/<days>`` otherwise; the cycle forecasts need
    origins a cycle into the record)."""
    f = np.asarray(sw.f107_obs_sfu, dtype=float)
    fa = np.asarray(sw.f107a_obs_sfu, dtype=float)
    ap = np.asarray(sw.ap_daily, dtype=float)
    n_obs = int(np.count_nonzero(np.asarray(sw.day_section) == SECTION_OBSERVED))
    lmax = max(leads_days)
    year0 = 1970.0 + sw.day_start_s[0] / (365.25 * DAY_S)
    back = max(max(persist_days), RECURRENCE_DAYS + 40, RECURRENCE_DAYS * TREND_ROTATIONS) + 1
    if cycle or blend_days:
        back = max(back, CYCLE_PERIOD_DAYS + 1)
    lo = max(int((first_year - year0) * 365.25), back)
    # the observed F10.7a is centred: stay 41 days clear of the end of the observations
    hi = min(int((last_year - year0) * 365.25), n_obs - lmax - 41)
    origins = np.arange(lo, hi, origin_step_days, dtype=np.int64)
    if origins.size == 0:
        raise ValueError("no forecast origin in the chosen years")
    j = np.arange(0, lmax, day_step, dtype=np.int64)
    days = origins[:, None] + j[None, :]  # forecast days (data indices)
    truth = _mean_density(sw, days, f[days - 1], fa[days], ap[days], alt_km)
    forecasts: dict[str, F64] = {}
    c = np.concatenate([[0.0], np.cumsum(f)])
    ca = np.concatenate([[0.0], np.cumsum(ap)])
    for p in persist_days:
        mf = ((c[origins] - c[origins - p]) / p)[:, None] * np.ones(j.size)
        ma = ((ca[origins] - ca[origins - p]) / p)[:, None] * np.ones(j.size)
        forecasts[f"persist{p}"] = _mean_density(sw, days, mf, mf, ma, alt_km)
    if recurrence:
        src, srcp, fa_causal = _recurrence(c, origins, j)
        forecasts["recur27"] = _mean_density(sw, days, f[srcp], fa_causal, ap[src], alt_km)
        if trend:
            rot = np.arange(TREND_ROTATIONS)
            x = -RECURRENCE_DAYS * rot.astype(float)  # rotation k ends k rotations back
            ends = origins[:, None] - RECURRENCE_DAYS * rot[None, :]
            y = np.log((c[ends] - c[ends - RECURRENCE_DAYS]) / RECURRENCE_DAYS)
            xc = x - x.mean()
            g = ((y - y.mean(axis=1, keepdims=True)) * xc).sum(axis=1) / (xc**2).sum()
            d = j[None, :] + RECURRENCE_DAYS / 2.0
            tau = TREND_DAMPING_DAYS
            sc = np.exp(g[:, None] * tau * (1.0 - np.exp(-d / tau)))
            forecasts["trend27"] = _mean_density(
                sw, days, f[srcp] * sc, fa_causal * sc, ap[src], alt_km
            )
    if cycle:
        cyc = days - CYCLE_PERIOD_DAYS
        forecasts["cycle"] = _mean_density(sw, days, f[cyc - 1], fa[cyc], ap[cyc], alt_km)
    for tau in blend_days:
        name = "recur27-cycle" if tau == BLEND_DAYS else f"recur27-cycle/{tau:g}"
        ff, ffa, fap = recur_cycle_drivers(f, fa, ap, origins, j, tau)
        forecasts[name] = _mean_density(sw, days, ff, ffa, fap, alt_km)
    rows = []
    for lead in leads_days:
        k = j < lead
        obs = truth[:, k].mean(axis=1)
        for name, fc in forecasts.items():
            e = np.log(fc[:, k].mean(axis=1) / obs)
            e = e[np.isfinite(e)]
            rows.append(
                SkillRow(
                    name,
                    alt_km,
                    int(lead),
                    float(e.mean()),
                    float(np.sqrt(np.mean(e**2))),
                    int(e.size),
                )
            )
    return rows


#: Activity bands of :func:`solar_spread_scores`: the last 27-day mean F10.7, sfu.
ACTIVITY_BANDS_SFU = ((0.0, 100.0), (100.0, 150.0), (150.0, 1000.0))


@dataclass(frozen=True)
class SpreadRow:
    """How well the reentry Monte Carlo's solar spread covers the recurrence forecast's
    density error at one altitude and lead, over the origins of one activity band (sfu;
    the last 27-day mean F10.7): rms of the error (log forecast / observed mean
    density), rms of the spread, rms of their ratio z (1: calibrated), n origins."""

    alt_km: float
    lead_days: int
    band_sfu: tuple[float, float]
    rms_error: float
    rms_sigma: float
    rms_z: float
    n: int


def solar_spread_scores(
    sw: SpaceWeather,
    *,
    first_year: float,
    last_year: float,
    alt_km: float,
    leads_days: tuple[int, ...],
    by_level: bool = True,
    origin_step_days: int = 20,
    day_step: int = 3,
) -> list[SpreadRow]:
    """Score the solar spread of the reentry Monte Carlo, NRLMSIS's sensitivity to F10.7
    times :func:`~orbitkeep.environment.forecast.forecast_sigma` (``by_level`` as there),
    against the error of the forecast it stands for (as in :func:`forecast_skill`:
    ``by_level``, the hindcasts' ``recur27-cycle`` from a cycle into the record, before
    it ``recur27``; otherwise ``recur27``) made
    every ``origin_step_days`` from ``first_year`` to ``last_year``. Each origin's spread
    uses only the record before it; the sensitivity is d ln(rho) / d ln(F10.7 and F10.7a)
    at ``alt_km`` on the forecast's first day (the module's latitudes and local times).
    One row per lead and activity band (:data:`ACTIVITY_BANDS_SFU`), then one for all."""
    from .forecast import forecast_sigma

    f = np.asarray(sw.f107_obs_sfu, dtype=float)
    fa = np.asarray(sw.f107a_obs_sfu, dtype=float)
    ap = np.asarray(sw.ap_daily, dtype=float)
    n_obs = int(np.count_nonzero(np.asarray(sw.day_section) == SECTION_OBSERVED))
    year0 = 1970.0 + sw.day_start_s[0] / (365.25 * DAY_S)
    c = np.concatenate([[0.0], np.cumsum(f)])
    rows = []
    for lead in leads_days:
        lo = max(int((first_year - year0) * 365.25), RECURRENCE_DAYS + 41)
        hi = min(int((last_year - year0) * 365.25), n_obs - lead - 41)
        origins = np.arange(lo, hi, origin_step_days, dtype=np.int64)
        o = origins[:, None]
        j = np.arange(0, lead, day_step, dtype=np.int64)
        days = o + j[None, :]
        src, srcp, fa_causal = _recurrence(c, origins, j)
        ff, ffa, fap = f[srcp], fa_causal, ap[src]
        if by_level:  # the hindcasts' forecast: recur27-cycle a cycle into the record
            cyc = origins > CYCLE_PERIOD_DAYS
            bf, bfa, bap = recur_cycle_drivers(
                f, fa, ap, np.where(cyc, origins, CYCLE_PERIOD_DAYS + 1), j
            )
            ff, ffa, fap = (
                np.where(cyc[:, None], x, y) for x, y in ((bf, ff), (bfa, ffa), (bap, fap))
            )
        truth = _mean_density(sw, days, f[days - 1], fa[days], ap[days], alt_km).mean(axis=1)
        fc = _mean_density(sw, days, ff, ffa, fap, alt_km).mean(axis=1)
        err = np.log(fc / truth)
        first = (ff[:, :1], ffa[:, :1], fap[:, :1])
        k = 1.2
        up = _mean_density(sw, o, first[0] * k, first[1] * k, first[2], alt_km)[:, 0]
        dn = _mean_density(sw, o, first[0] / k, first[1] / k, first[2], alt_km)[:, 0]
        sens = np.log(up / dn) / math.log(k * k)
        sig = sens * np.array(
            [forecast_sigma(sw, float(sw.day_start_s[i]), lead, by_level=by_level) for i in origins]
        )
        level = (c[origins] - c[origins - RECURRENCE_DAYS]) / RECURRENCE_DAYS
        z = err / sig
        for band in (*ACTIVITY_BANDS_SFU, (0.0, math.inf)):
            m = (level >= band[0]) & (level < band[1]) & np.isfinite(z)
            if m.any():
                rows.append(
                    SpreadRow(
                        alt_km,
                        int(lead),
                        band,
                        float(np.sqrt(np.mean(err[m] ** 2))),
                        float(np.sqrt(np.mean(sig[m] ** 2))),
                        float(np.sqrt(np.mean(z[m] ** 2))),
                        int(m.sum()),
                    )
                )
    return rows
