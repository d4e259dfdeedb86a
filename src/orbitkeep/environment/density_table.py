"""NRLMSIS tabulated once a day for whole catalogues: the daily zonal mean at fixed local time.

Why a table. A catalogue of 10,000 objects needs ~10^8 density evaluations a year;
NRLMSIS 2.1 costs ~10 us each (pymsis, one core), i.e. hours. Every object of the
batch sees the same atmosphere, so the atmosphere is evaluated once per UT day on a
grid shared by all objects and interpolated for each quadrature node. What is
tabulated, and on which grid: :mod:`.density_grid` (the daily zonal mean at fixed local
time, 10,920 NRLMSIS points a day).

For lookups each day is refined once (cubic splines in log density along altitude and
latitude, trigonometric interpolation along local time, which is periodic; applied as
three small matrices) onto 2 km below 200 km / 10 km above, 5 deg and 0.5 h, and
interpolated linearly in log density there. Against the zonal mean of 24 UTs computed
point by point with pymsis, 110-1,100 km, three days: 0.15-0.18 % rms, under 1 % worst,
bias +0.03 %. Below 100 km and above 1,200 km the log density is extrapolated linearly
(the end scale height).

A table can also be thinned in time (``thin_from_day``, ``thin_days``): from that day on,
each block of ``thin_days`` days is served by the table of its middle day, computed with
that day's drivers, so only one table per block is computed
(:meth:`TabulatedAtmosphere.table_days`). The reentry Monte Carlo thins past its first
year, and so do catalogue runs (:func:`long_run_table`; :data:`THIN_DAYS` says what it
costs in accuracy).

Limits, stated: a step shorter than a day does not see which longitudes the object
actually crossed (only the final hours before reentry take such steps); the 3-hourly
ap (storm-time) mode is not tabulated (its drivers change every 3 hours): use the exact
model for it. ``MsisAtmosphere`` remains the reference; the table's effect on lifetimes
is measured in benchmarks/README.md.
"""

from __future__ import annotations

import functools
import math
import uuid
from collections import OrderedDict
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import DAY_S
from ..errors import ParameterError
from .atmosphere import ecef_to_geodetic
from .density_grid import ALT_KM, LAT_DEG, N_LST, coarse_tables, levels_for, served_top_km

if TYPE_CHECKING:
    from .atmosphere import MsisAtmosphere

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]

#: Runs that look years ahead (one object's Monte Carlo samples, a catalogue's objects)
#: thin their table from :func:`thin_start_day` on: one table per block of this many
#: days, its middle day's (NRLMSIS with that day's drivers), so a run years long
#: computes a quarter of the tables. Which days' wiggles of F10.7 and Ap the objects
#: meet is then sampled rather than followed, with no bias in the expected density.
#: Over years that averages out: lifetimes move by 0.1-0.2 % (median; under 1 % worst)
#: for reentry windows 1.4-2.6x faster 1.5 years, 2.5 years and 25 years out, and for a
#: 1,000-object catalogue over 6 years 2.3x faster (benchmarks/README.md, written by
#: benchmarks/reentry.py and catalog.py). Over weeks it does not: thinned from the
#: epoch on, a window two weeks out moved by 2 % of the remaining time (measured once),
#: 90 days out it stays within the daily table's 1 % (``tests/unit/test_reentry.py``);
#: so the first year stays daily, and with it every hindcast of docs/validation.md and
#: every catalogue run of a year.
THIN_DAYS = 4
#: ... after this many days from the (latest) epoch of the run.
THIN_AFTER_DAYS = 365.25


def thin_start_day(epoch_s: float) -> int:
    """The first UT day (Unix day number) of a thinned table for a run from ``epoch_s``
    (its latest epoch, Unix s): the first whole day after :data:`THIN_AFTER_DAYS`."""
    return math.floor(epoch_s / DAY_S + THIN_AFTER_DAYS) + 1


def long_run_table(
    base: MsisAtmosphere, *, top_alt_km: float | None, epoch_s: float
) -> TabulatedAtmosphere:
    """The table of a run that may look years ahead from ``epoch_s`` (its latest epoch,
    Unix s) with orbits up to ``top_alt_km`` (km; ``None``: the whole grid): every day's
    table for the first year, then one per block of :data:`THIN_DAYS` days from
    :func:`thin_start_day` on. The reentry Monte Carlo and catalogue runs use it; the
    module's knobs are read when called (a benchmark may set them)."""
    return TabulatedAtmosphere(
        base,
        top_alt_km=top_alt_km,
        thin_from_day=thin_start_day(epoch_s),
        thin_days=THIN_DAYS,
    )


# the refined lookup grid
FINE_ALT_KM = np.concatenate([np.arange(100.0, 200.0, 2.0), np.arange(200.0, 1200.0 + 1.0, 10.0)])
FINE_LAT_STEP_DEG = 5.0
FINE_LAT_DEG = np.arange(-90.0, 90.0 + 0.5 * FINE_LAT_STEP_DEG, FINE_LAT_STEP_DEG)
FINE_N_LST = 48
_NA, _NL, _NT = FINE_ALT_KM.size, FINE_LAT_DEG.size, FINE_N_LST + 1  # +1: LST 24 h = 0 h
# interval of the fine altitude grid for each whole km from 100 km
_ALT_INDEX = np.clip(
    np.searchsorted(FINE_ALT_KM, np.arange(100.0, 1200.0) + 1e-9, side="right") - 1, 0, _NA - 2
)


def _refine_spline(coarse: F64) -> F64:
    """The refinement itself, on (k, n_alt, LAT_DEG, N_LST) arrays (see :func:`refine`)."""
    from scipy.interpolate import CubicSpline

    n_alt = coarse.shape[1]
    if n_alt < ALT_KM.size:
        k = int(np.searchsorted(FINE_ALT_KM, ALT_KM[n_alt - 1], side="right"))
        x = CubicSpline(ALT_KM[:n_alt], coarse, axis=1)(FINE_ALT_KM[:k])
        slope = (x[:, -1:] - x[:, -2:-1]) / (FINE_ALT_KM[k - 1] - FINE_ALT_KM[k - 2])
        above = x[:, -1:] + slope * (FINE_ALT_KM[k:] - FINE_ALT_KM[k - 1])[None, :, None, None]
        x = np.concatenate([x, above], axis=1)
    else:
        x = CubicSpline(ALT_KM, coarse, axis=1)(FINE_ALT_KM)
    x = CubicSpline(LAT_DEG, x, axis=2)(FINE_LAT_DEG)
    f = np.fft.rfft(x, axis=3)
    f[..., -1] *= 0.5  # the Nyquist term of an even count is shared by +-N/2
    x = np.fft.irfft(f, n=FINE_N_LST, axis=3) * (FINE_N_LST / N_LST)
    return np.asarray(np.concatenate([x, x[..., :1]], axis=3), dtype=float)


@functools.lru_cache(maxsize=8)
def _refine_operators(n_alt: int) -> tuple[F64, F64, F64]:
    """The refinement as three matrices (fine x coarse: altitude, latitude, local time).

    Spline interpolation with fixed knots, its linear continuation and the trigonometric
    interpolation are all linear in the data along each axis, so :func:`_refine_spline`
    applied to unit vectors gives them; applied as matrices they are ~7x faster than the
    spline and FFT calls of one day's refinement (and equal to rounding)."""
    unit = np.zeros((n_alt, n_alt, LAT_DEG.size, N_LST))
    unit[np.arange(n_alt), np.arange(n_alt)] = 1.0
    a = _refine_spline(unit)[:, :, 0, 0].T  # (fine alt, n_alt): column j from level j
    unit = np.zeros((LAT_DEG.size, n_alt, LAT_DEG.size, N_LST))
    unit[np.arange(LAT_DEG.size), :, np.arange(LAT_DEG.size)] = 1.0
    b = _refine_spline(unit)[:, 0, :, 0].T
    unit = np.zeros((N_LST, n_alt, LAT_DEG.size, N_LST))
    unit[np.arange(N_LST), :, :, np.arange(N_LST)] = 1.0
    c = _refine_spline(unit)[:, 0, 0, :].T
    return a, b, c


def refine(coarse: F64) -> F32:
    """The lookup tables (k, FINE_ALT_KM, FINE_LAT_DEG, FINE_N_LST + 1 local times, the
    last repeating 0 h as 24 h) from :func:`coarse_tables`' output: cubic splines along
    altitude and latitude, trigonometric interpolation along local time (applied as
    matrices, :func:`_refine_operators`). A table of fewer altitude levels is continued
    above its top level with the log-density slope of its last fine interval (never
    looked up: see :func:`served_top_km`)."""
    a, b, c = _refine_operators(int(coarse.shape[1]))
    coarse = np.asarray(coarse, dtype=float)
    out = np.empty((coarse.shape[0], _NA, _NL, _NT), dtype=np.float32)
    for k in range(coarse.shape[0]):  # a day at a time: ~2 MB in flight, in cache
        x = np.einsum("ai,ijl->ajl", a, coarse[k], optimize=True)
        x = np.einsum("bj,ajl->abl", b, x, optimize=True)
        out[k] = np.einsum("cl,abl->abc", c, x, optimize=True)
    return out


class TabulatedAtmosphere:
    """NRLMSIS (daily Ap) as daily zonal-mean tables; see the module docstring.

    Tables are built on demand, or ahead with :meth:`add_coarse` (e.g. from
    :func:`orbitkeep.batch.prepare_density_table`, which splits the days over workers).
    ``capacity_days`` refined days are kept (~1.1 MB each, allocated as they are
    built; 400 covers the one-year slices of a catalogue run, whose objects drift apart
    in time within a slice); older ones are rebuilt from the NRLMSIS tables when needed
    again.

    ``top_alt_km``: the highest geodetic altitude (km) the users of the table can reach
    (e.g. one object's apogee); only the levels up to it and one more are computed
    (:func:`levels_for`): an object at 440 km needs 20 of the 28 levels. Lookups above
    :attr:`top_km` (none, if the bound holds) are computed with ``base`` itself.

    ``thin_from_day`` (a Unix day number) and ``thin_days``: from that day on, one table
    per block of ``thin_days`` days, its middle day's, serves the whole block
    (:meth:`table_days`; 1, the default: every day its own).
    """

    def __init__(
        self,
        base: MsisAtmosphere,
        *,
        capacity_days: int = 400,
        top_alt_km: float | None = None,
        thin_from_day: int | None = None,
        thin_days: int = 1,
    ) -> None:
        if base.ap_mode != "daily":
            raise ValueError(
                "the density table needs the daily-Ap mode (3-hourly ap changes within a day)"
            )
        self.base = base
        self.name = f"{base.name}, daily zonal-mean table"
        self.capacity_days = max(int(capacity_days), 1)
        self.n_alt = levels_for(top_alt_km)
        #: the highest altitude looked up in the table, km (inf: the whole grid)
        self.top_km = served_top_km(self.n_alt)
        self._coarse: dict[int, F32] = {}
        self._slots: OrderedDict[int, int] = OrderedDict()
        self._fine: F32 | None = None
        self._token = uuid.uuid4().hex
        #: from this UT day (Unix day number) on, each block of :attr:`thin_days` days
        #: is served by the table of its middle day (see :meth:`table_days`)
        self.thin_from_day = thin_from_day
        self.thin_days = max(int(thin_days), 1)
        if thin_from_day is not None and self.thin_days > 1:
            from ..timescale import iso_utc

            since = iso_utc(thin_from_day * DAY_S)[:10]
            self.name += f" (one day's in {self.thin_days} from {since})"

    def table_days(self, days: ArrayLike) -> NDArray[np.int64]:
        """The UT day whose table serves each of ``days`` (Unix day numbers): the day
        itself, or from :attr:`thin_from_day` on the middle day of its block of
        :attr:`thin_days` days."""
        d = np.asarray(days, dtype=np.int64)
        if self.thin_from_day is None or self.thin_days == 1:
            return d
        d0, k = int(self.thin_from_day), self.thin_days
        return np.where(d >= d0, d0 + k * ((d - d0) // k) + k // 2, d)

    def __reduce__(self) -> tuple[object, ...]:
        # the refined tables are a cache, not sent: a worker rebuilds them once and keeps
        # them for the next jobs that carry the same table (see _restore)
        return (
            _restore,
            (
                self._token,
                self.base,
                self.capacity_days,
                self.n_alt,
                self._coarse,
                self.thin_from_day,
                self.thin_days,
            ),
        )

    @property
    def days(self) -> list[int]:
        """The UT days (Unix day numbers) whose NRLMSIS tables are held."""
        return sorted(self._coarse)

    def add_coarse(self, days: ArrayLike, tables: F64) -> None:
        """Adopt NRLMSIS tables computed elsewhere (see :func:`coarse_tables`; with this
        table's :attr:`n_alt` altitude levels)."""
        if np.shape(tables)[1] != self.n_alt:
            raise ValueError(
                f"tables of {np.shape(tables)[1]} altitude levels for a table of {self.n_alt}"
            )
        for k, d in enumerate(np.atleast_1d(np.asarray(days, dtype=np.int64)).tolist()):
            self._coarse[int(d)] = np.asarray(tables[k], dtype=np.float32)

    def ensure_days(self, days: ArrayLike) -> None:
        """Compute the NRLMSIS tables of the ``days`` not held yet (one pymsis call)."""
        want = [int(d) for d in np.unique(np.asarray(days, dtype=np.int64)).tolist()]
        missing = [d for d in want if d not in self._coarse]
        if missing:
            self.add_coarse(missing, coarse_tables(self.base, missing, self.n_alt))

    def _slot_array(self, days: list[int]) -> NDArray[np.int64]:
        """Slots of the refined tables of ``days`` (at most capacity), building them."""
        if self._fine is None:
            self._fine = np.empty((self.capacity_days, _NA, _NL, _NT), dtype=np.float32)
        need = [d for d in days if d not in self._slots]
        for d in days:
            if d in self._slots:
                self._slots.move_to_end(d)
        if need:
            self.ensure_days(need)
            keep = set(days)
            slots: list[int] = []
            for _ in need:
                used = len(self._slots) + len(slots)
                if used < self.capacity_days:  # slots are handed out in order, then reused
                    slots.append(used)
                    continue
                old = next(d for d in self._slots if d not in keep)
                slots.append(self._slots.pop(old))
            fine = refine(np.stack([self._coarse[d] for d in need]).astype(float))
            for k, (d, s) in enumerate(zip(need, slots, strict=True)):
                self._fine[s] = fine[k]
                self._slots[d] = s
        return np.array([self._slots[d] for d in days], dtype=np.int64)

    def density_geodetic(
        self, t_s: ArrayLike, lat_rad: ArrayLike, lon_rad: ArrayLike, alt_m: ArrayLike
    ) -> F64:
        """Daily zonal-mean density, kg/m^3, at epochs and geodetic points (arrays)."""
        t = np.asarray(t_s, dtype=float).ravel()
        lat = np.broadcast_to(np.asarray(lat_rad, dtype=float).ravel(), t.shape)
        lon = np.broadcast_to(np.asarray(lon_rad, dtype=float).ravel(), t.shape)
        alt = np.broadcast_to(np.asarray(alt_m, dtype=float).ravel(), t.shape)
        day = np.floor(t / DAY_S).astype(np.int64)
        served = self.table_days(day)
        uniq = np.unique(served)
        out = np.empty(t.shape)
        cap = self.capacity_days
        for g in range(0, uniq.size, cap):
            group = uniq[g : g + cap]
            if group.size == uniq.size:
                sel: slice | NDArray[np.bool_] = slice(None)
            else:
                sel = (served >= group[0]) & (served <= group[-1])
            slot = self._slot_array(group.tolist())[np.searchsorted(group, served[sel])]
            out[sel] = self._lookup(slot, t[sel], day[sel], lat[sel], lon[sel], alt[sel])
        high = alt > self.top_km * 1e3
        if high.any():  # above the levels computed: the model itself
            out[high] = self.base.density_geodetic(t[high], lat[high], lon[high], alt[high])[0]
        return out

    def _lookup(
        self, slot: NDArray[np.int64], t: F64, day: NDArray[np.int64], lat: F64, lon: F64, alt: F64
    ) -> F64:
        assert self._fine is not None
        alt_km = alt / 1000.0
        ia = _ALT_INDEX[np.clip(np.floor(alt_km - 100.0), 0, 1099).astype(np.int64)]
        a0 = FINE_ALT_KM[ia]
        fa = (alt_km - a0) / (FINE_ALT_KM[ia + 1] - a0)  # < 0 or > 1 extrapolates
        x = (np.degrees(lat) + 90.0) / FINE_LAT_STEP_DEG
        il = np.clip(np.floor(x), 0, _NL - 2).astype(np.int64)
        fl = x - il
        lst = np.mod((t - day * DAY_S) / 3600.0 + np.degrees(lon) / 15.0, 24.0)
        y = lst * (FINE_N_LST / 24.0)
        it = np.clip(np.floor(y), 0, FINE_N_LST - 1).astype(np.int64)
        ft = y - it
        flat = self._fine.reshape(-1)
        i000 = ((slot * _NA + ia) * _NL + il) * _NT + it
        sa, sl = _NL * _NT, _NT

        def at(off: int) -> F64:
            return flat[i000 + off].astype(float)

        c00 = at(0) * (1 - ft) + at(1) * ft
        c01 = at(sl) * (1 - ft) + at(sl + 1) * ft
        c10 = at(sa) * (1 - ft) + at(sa + 1) * ft
        c11 = at(sa + sl) * (1 - ft) + at(sa + sl + 1) * ft
        c0 = c00 * (1 - fl) + c01 * fl
        c1 = c10 * (1 - fl) + c11 * fl
        return np.asarray(np.exp(c0 * (1 - fa) + c1 * fa), dtype=float)

    def density_ecef(self, t_s: ArrayLike, r_ecef_m: ArrayLike) -> F64:
        """Mass density, kg/m^3, at epochs (n,) and Earth-fixed positions (n, 3)."""
        lat, lon, h = ecef_to_geodetic(np.atleast_2d(np.asarray(r_ecef_m, dtype=float)))
        return self.density_geodetic(t_s, lat, lon, h)

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        """Mass density, kg/m^3, at one epoch and geodetic point."""
        return float(self.density_geodetic([t_s], [lat_rad], [lon_rad], [alt_m])[0])


def wants_table(atm: object, density: str, n: int, min_n: int) -> bool:
    """Whether a run of ``n`` objects or samples should use the daily table of ``atm``:
    ``density`` "table" (only NRLMSIS with daily Ap can be tabulated), "exact", or
    "auto" (the table from ``min_n`` on, where ``atm`` allows it). Bad modes and
    untabulable models raise :class:`~orbitkeep.errors.ParameterError` (``--density``)."""
    from .atmosphere import MsisAtmosphere

    if density not in ("auto", "table", "exact"):
        raise ParameterError(f"unknown density mode {density!r}", flag="--density")
    tabulable = isinstance(atm, MsisAtmosphere) and atm.ap_mode == "daily"
    if density == "table" and not tabulable:
        name = getattr(atm, "name", type(atm).__name__)
        raise ParameterError(
            f"the density table needs NRLMSIS with daily Ap, not {name}", flag="--density"
        )
    return density == "table" or (density == "auto" and tabulable and n >= min_n)


#: Tables unpickled in this process (a pool worker), by token: the jobs of one catalogue
#: run each carry the table, and a worker keeps its refined days for the next job.
_RESTORED: OrderedDict[str, TabulatedAtmosphere] = OrderedDict()


def _restore(
    token: str,
    base: MsisAtmosphere,
    capacity_days: int,
    n_alt: int,
    coarse: dict[int, F32],
    thin_from_day: int | None = None,
    thin_days: int = 1,
) -> TabulatedAtmosphere:
    atm = _RESTORED.get(token)
    if atm is None:
        atm = TabulatedAtmosphere(
            base,
            capacity_days=capacity_days,
            top_alt_km=served_top_km(n_alt),
            thin_from_day=thin_from_day,
            thin_days=thin_days,
        )
        atm._token = token
        _RESTORED[token] = atm
        while len(_RESTORED) > 2:
            _RESTORED.popitem(last=False)
    for d, tab in coarse.items():
        atm._coarse.setdefault(d, tab)
    return atm
