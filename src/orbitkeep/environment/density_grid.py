"""NRLMSIS on a coarse grid once per UT day: the daily zonal mean at fixed local time.

The data of :mod:`.density_table` (which refines and looks them up). What is tabulated.
With daily drivers (daily Ap mode: F10.7 of the previous day, the 81-day mean and the
daily Ap are constant over a UT day), an orbit keeps a node at a nearly fixed latitude
and *local solar time* while the Earth turns under it: over a day the node sweeps every
longitude. The density that matters for the decay over a day is therefore the mean over
longitude at fixed (altitude, latitude, local time), the daily zonal mean. NRLMSIS's
dependence on longitude and UT at fixed local time (geomagnetic and non-migrating terms:
~5 % rms, up to 30 % at single points, measured) averages out in it; its structure in
longitude is of wavenumber 1 and 2, so the mean over three UTs 8 h apart (longitudes 120
deg apart at each local time) reproduces the mean over 24 UTs to 0.03 % rms (0.25 %
worst; measured on three days, ``tests/reference/test_density_table.py`` checks it
against pymsis).

Grid (per day): 28 altitudes 100-1,200 km (5 km apart below 130 km, where the scale
height is small, 100 km apart above 700 km), 13 latitudes (15 deg), 10 local times
(2.4 h), 3 UTs: 10,920 NRLMSIS points a day, ~4 million a year (~38 s of NRLMSIS 2.1 on
one core, split over the workers by :func:`orbitkeep.batch.prepare_density_table`).

A table for objects that stay below a known altitude (one object's Monte Carlo samples,
which only sink) computes only the levels up to it and one more (:func:`levels_for`):
the altitude spline then moves by at most 0.04 % below that top, and lookups above it
go to NRLMSIS itself.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import DAY_S, R_EQUATOR_M, WGS84_F
from .atmosphere import msis_density

if TYPE_CHECKING:
    from ..state import MeanElements
    from .atmosphere import MsisAtmosphere

F64 = NDArray[np.float64]

# the NRLMSIS grid (per UT day)
ALT_KM = np.concatenate(
    [
        [100.0, 105.0, 110.0, 115.0, 120.0, 125.0, 130.0, 140.0, 150.0, 165.0, 180.0],
        [200.0, 230.0, 260.0, 300.0, 350.0, 400.0, 450.0, 500.0, 550.0, 600.0, 650.0],
        [700.0, 800.0, 900.0, 1000.0, 1100.0, 1200.0],
    ]
)
LAT_DEG = np.linspace(-90.0, 90.0, 13)
N_LST = 10
UT_H = (0.0, 8.0, 16.0)


def coarse_tables(base: MsisAtmosphere, days: ArrayLike, n_alt: int = ALT_KM.size) -> F64:
    """log of the daily zonal-mean density (kg/m^3) on the NRLMSIS grid.

    ``days``: UT day numbers (Unix days); ``n_alt``: the lowest ``n_alt`` levels of
    ALT_KM only (see :func:`levels_for`). Returns (len(days), n_alt, LAT_DEG, N_LST
    local times). One pymsis call for all points.
    """
    d = np.atleast_1d(np.asarray(days, dtype=np.int64))
    ut = np.asarray(UT_H)
    lst = np.arange(N_LST) * (24.0 / N_LST)
    alt = ALT_KM[: int(n_alt)]
    D, U, A, L, S = np.meshgrid(d, ut, alt, LAT_DEG, lst, indexing="ij")
    t = D * DAY_S + U * 3600.0
    lon = np.mod((S - U) * 15.0 + 180.0, 360.0) - 180.0
    # the drivers of each (day, UT), broadcast to its points (daily mode: constant per day)
    t_du = (d[:, None] * DAY_S + ut[None, :] * 3600.0).ravel()
    drv = base.space_weather.msis_drivers(t_du)
    per = alt.size * LAT_DEG.size * N_LST
    rho = msis_density(
        t.ravel(),
        np.radians(L.ravel()),
        np.radians(lon.ravel()),
        A.ravel() * 1e3,
        np.repeat(drv.f107_sfu, per),
        np.repeat(drv.f107a_sfu, per),
        np.repeat(drv.ap, per, axis=0),
        version=base.version,
        ap_mode=base.ap_mode,
    )
    mean = rho.reshape(D.shape).mean(axis=1)  # over the UTs: the zonal mean
    return np.asarray(np.log(mean), dtype=float)


def levels_for(top_alt_km: float | None) -> int:
    """How many levels of ALT_KM a table serving altitudes up to ``top_alt_km`` needs:
    up to the first level at or above it, and one more as support for the altitude
    spline (None or above the grid: all). Cutting the spline there moves the refined
    log density below the served top by at most 0.04 % (0.005 % rms; three days, every
    cut from 260 to 450 km, measured against the full grid;
    ``tests/reference/test_density_table.py`` checks it), against the table's
    0.15-0.18 % rms error against pymsis."""
    if top_alt_km is None or not np.isfinite(top_alt_km):
        return int(ALT_KM.size)
    i = int(np.searchsorted(ALT_KM, top_alt_km, side="left"))
    return int(min(i + 2, ALT_KM.size))


def served_top_km(n_alt: int) -> float:
    """The highest altitude (km) a table of ``n_alt`` levels looks up (see :func:`levels_for`);
    above it the lookup falls back to the model itself."""
    return math.inf if n_alt >= ALT_KM.size else float(ALT_KM[n_alt - 2])


#: Added to the highest apogee for the top of a decay's density table, km: J2's
#: short-period terms (~5 km) above the mean apogee, with room for J3's long-period swing
#: of e (lookups above the top fall back to the model itself anyway).
TABLE_TOP_MARGIN_KM = 10.0


def orbit_top_km(el: MeanElements) -> float:
    """The highest geodetic altitude (km) a density table for decays from ``el`` needs
    (its ``top_alt_km``): the highest mean apogee above the lowest WGS-84 ellipsoid
    radius under the orbit (at the highest latitude it reaches, the inclination), plus
    :data:`TABLE_TOP_MARGIN_KM`; drag only lowers the apogee."""
    incl = np.asarray(el.incl_rad, dtype=float)
    top_lat = np.minimum(incl, np.pi - incl)
    radius_m = R_EQUATOR_M * (1.0 - WGS84_F * np.sin(top_lat) ** 2)  # first order in f
    apogee_m = np.asarray(el.sma_m, dtype=float) * (1.0 + np.asarray(el.ecc, dtype=float))
    return float(np.max(apogee_m - radius_m) / 1e3 + TABLE_TOP_MARGIN_KM)
