"""NRLMSIS drivers from a daily space-weather series, under the extrapolation policies.

The arithmetic behind :meth:`orbitkeep.environment.spaceweather.SpaceWeather.msis_drivers`
(see that class for what each policy means): which day of the data serves a day past
its end, the 3-hourly ap history NRLMSIS takes, and the ``recur27-cycle`` blend. Pure
functions of the :class:`~.swfiles.DailySeries`; coverage checks stay with the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..constants import DAY_S
from ..errors import SpaceWeatherCoverageError
from .swfiles import CYCLE_DAYS, DailySeries

SECTION_OBSERVED = 0
SECTION_DAILY_PREDICTED = 1
SECTION_MONTHLY_PREDICTED = 2
SECTION_EXTRAPOLATED = 3
SECTION_NAMES = ("observed", "daily_predicted", "monthly_predicted", "extrapolated")
POLICIES = ("error", "hold", "cycle", "persist", "recur27", "recur27-cycle")
#: Solar rotation as seen from the Earth (synodic Carrington period), days.
RECURRENCE_DAYS = 27
#: Days averaged by the ``persist`` forecast (three solar rotations, as F10.7a).
PERSIST_DAYS = 81
#: Period of the ``cycle`` policy, days: 11 years, as STK / NASA DAS flux files repeat.
CYCLE_PERIOD_DAYS = CYCLE_DAYS
#: e-folding lead of the recurrence's weight in the ``recur27-cycle`` forecast, days.
#: Chosen on the observed record of 1975-2005 against 180 and 730 days (the mean NRLMSIS
#: density over leads of 90 days to 4 years, :mod:`~.forecast_skill`, the table in
#: docs/validation.md): it equals the recurrence at 90 days and beats it beyond; 180 days
#: errs more up to a year, 730 days more from two years. Scored on 2005-2022 it beats the
#: recurrence at every lead.
BLEND_DAYS = 365.0
_AP_SLOT_S = 10800.0  # 3 hours


@dataclass(frozen=True)
class MsisDrivers:
    """What NRLMSIS needs at each epoch (pymsis ``f107s``, ``f107as``, ``aps``).

    ``f107_sfu`` (n,): observed F10.7 of the previous UTC day, sfu.
    ``f107a_sfu`` (n,): 81-day centred mean of observed F10.7 for the day, sfu.
    ``ap`` (n, 7): daily Ap; 3-h ap of the current interval, 3 h, 6 h, 9 h before; mean
    of the eight 3-h ap 12-33 h before; mean of the eight 36-57 h before.
    ``section`` (n,) int8: SECTION_* of the data the epoch's day came from.
    """

    f107_sfu: NDArray[np.float64]
    f107a_sfu: NDArray[np.float64]
    ap: NDArray[np.float64]
    section: NDArray[np.int8]


def persist_values(s: DailySeries) -> tuple[float, float]:
    """The ``persist`` forecast's held (F10.7 sfu, daily Ap): the means of the last
    :data:`PERSIST_DAYS` days of ``s``."""
    tail = slice(max(len(s.f107) - PERSIST_DAYS, 0), len(s.f107))
    return float(np.mean(s.f107[tail])), float(np.mean(s.ap_daily[tail]))


def map_days(
    n_days: int, policy: str, idx: NDArray[np.int64], source: str
) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Day indices (may run past the ``n_days`` of data) to (data index, held) under
    ``policy`` (not ``recur27-cycle``, which blends two others).

    ``held`` marks days that take the held values (``hold``: the last day's F10.7 and
    F10.7a, the climatological Ap; ``persist``: :func:`persist_values`). ``source`` names
    the file in the error raised when ``cycle`` has less than a cycle of data.
    """
    last = n_days - 1
    beyond = idx > last
    if not beyond.any() or policy in ("hold", "persist"):
        return np.minimum(idx, last), beyond
    if policy in ("cycle", "recur27"):
        period = CYCLE_PERIOD_DAYS if policy == "cycle" else RECURRENCE_DAYS
        k = -((last - idx) // period)  # ceil((idx - last) / P)
        j = np.where(beyond, idx - k * period, idx)
        if (j < 0).any():
            raise SpaceWeatherCoverageError(
                f"policy 'cycle' needs {CYCLE_PERIOD_DAYS} days of data, the file has "
                f"{n_days} days",
                path=source,
            )
        return j, np.zeros(idx.shape, dtype=bool)
    raise AssertionError("policy 'error' reached extrapolation")  # pragma: no cover


def series_drivers(s: DailySeries, policy: str, t: NDArray[np.float64], source: str) -> MsisDrivers:
    """NRLMSIS drivers of ``s`` at epochs ``t`` (Unix s, 1-D, already checked to lie in
    the data or to be extrapolated under ``policy``, not ``recur27-cycle``)."""
    n = len(s.f107)

    def mapped(idx: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        return map_days(n, policy, idx, source)

    day = np.floor(t / DAY_S).astype(np.int64)
    idx = day - s.day0
    j, held = mapped(idx)
    jp, held_prev = mapped(np.maximum(idx - 1, 0))
    clim = s.ap_clim
    if policy == "persist":
        f107_held, clim = persist_values(s)
    ap = np.empty((t.size, 7))
    ap[:, 0] = np.where(held, clim, s.ap_daily[j])
    slot = np.clip(((t - day * DAY_S) // _AP_SLOT_S).astype(np.int64), 0, 7)
    k = (idx * 8 + slot)[:, None] - np.arange(20)  # 3-h intervals, now and back
    jj, hh = mapped(np.maximum(k // 8, 0))
    v = np.where(hh, clim, s.ap3h[jj, k % 8])
    ap[:, 1:5] = v[:, 0:4]
    ap[:, 5] = v[:, 4:12].mean(axis=1)
    ap[:, 6] = v[:, 12:20].mean(axis=1)
    last = n - 1
    section = np.where(idx > last, SECTION_EXTRAPOLATED, s.section[np.minimum(idx, last)])
    f107 = s.f107[jp]
    f107a = s.f107a[j]
    if policy == "persist":  # F10.7 and F10.7a alike hold the mean of the last days
        f107 = np.where(held_prev, f107_held, f107)
        f107a = np.where(held, f107_held, f107a)
    return MsisDrivers(f107, f107a, ap, section.astype(np.int8))


def blend_drivers(
    recur: MsisDrivers, cycle: MsisDrivers, t: NDArray[np.float64], data_until_s: float
) -> MsisDrivers:
    """The ``recur27-cycle`` drivers at epochs ``t`` from those of ``recur27`` and
    ``cycle``: weight exp(-lead / :data:`BLEND_DAYS`) on the recurrence, the lead counted
    from ``data_until_s`` (Unix s); geometric in F10.7 and F10.7a, linear in ap."""
    w = np.exp(-np.maximum(t - data_until_s, 0.0) / (BLEND_DAYS * DAY_S))
    return MsisDrivers(
        np.exp(w * np.log(recur.f107_sfu) + (1 - w) * np.log(cycle.f107_sfu)),
        np.exp(w * np.log(recur.f107a_sfu) + (1 - w) * np.log(cycle.f107a_sfu)),
        w[:, None] * recur.ap + (1 - w[:, None]) * cycle.ap,
        recur.section,
    )
