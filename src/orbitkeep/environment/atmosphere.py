"""Atmospheric density: NRLMSIS through pymsis, and Vallado's exponential table.

Density knows nothing of the spacecraft. Every model takes arrays of epochs (Unix s)
and Earth-fixed positions and returns mass density in kg/m^3, vectorised.
Positions come from an inertial (TEME/true-of-date) frame rotated by GMST about z:
enough for drag, where the frame's sub-arcsecond differences do not matter.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import R_EQUATOR_M, WGS84_F
from ..errors import ParameterError
from ..timescale import gmst_rad, to_datetime64

if TYPE_CHECKING:
    from .spaceweather import SpaceWeather

F64 = NDArray[np.float64]

_E2 = WGS84_F * (2.0 - WGS84_F)
_B_M = R_EQUATOR_M * (1.0 - WGS84_F)
_EP2 = _E2 / (1.0 - _E2)


def inertial_to_ecef(t_s: ArrayLike, r_m: ArrayLike) -> F64:
    """Rotate inertial (TEME) positions (..., 3) to Earth-fixed by GMST(t)."""
    r = np.asarray(r_m, dtype=float)
    th = gmst_rad(t_s)
    c, s = np.cos(th), np.sin(th)
    out = np.empty_like(r)
    out[..., 0] = c * r[..., 0] + s * r[..., 1]
    out[..., 1] = -s * r[..., 0] + c * r[..., 1]
    out[..., 2] = r[..., 2]
    return out


def geodetic_point(x: float, y: float, z: float) -> tuple[float, float, float]:
    """:func:`ecef_to_geodetic` for one Earth-fixed point on plain floats."""
    p = math.hypot(x, y)
    th = math.atan2(z * R_EQUATOR_M, p * _B_M)
    st, ct = math.sin(th), math.cos(th)
    lat = math.atan2(z + _EP2 * _B_M * st**3, p - _E2 * R_EQUATOR_M * ct**3)
    sl, cl = math.sin(lat), math.cos(lat)
    n = R_EQUATOR_M / math.sqrt(1.0 - _E2 * sl * sl)
    h = p / cl - n if abs(cl) > 1e-6 else abs(z) - _B_M
    return lat, math.atan2(y, x), h


def ecef_to_geodetic(r_ecef_m: ArrayLike) -> tuple[F64, F64, F64]:
    """WGS-84 geodetic latitude (rad), longitude (rad) and height (m), vectorised.

    Bowring's closed form (Bowring 1976), accurate to well under a metre in LEO.
    """
    r = np.asarray(r_ecef_m, dtype=float)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    th = np.arctan2(z * R_EQUATOR_M, p * _B_M)
    st, ct = np.sin(th), np.cos(th)
    lat = np.arctan2(z + _EP2 * _B_M * st**3, p - _E2 * R_EQUATOR_M * ct**3)
    lon = np.arctan2(y, x)
    sl = np.sin(lat)
    n = R_EQUATOR_M / np.sqrt(1.0 - _E2 * sl * sl)
    cl = np.cos(lat)
    # height: robust at all latitudes
    h = np.where(
        np.abs(cl) > 1e-6,
        p / np.where(np.abs(cl) > 1e-6, cl, 1.0) - n,
        np.abs(z) - _B_M,
    )
    return lat, lon, h


class Atmosphere(Protocol):
    """What the force models need: density at epochs and Earth-fixed positions."""

    @property
    def name(self) -> str:
        """The model's name, for reports."""
        ...

    def density_ecef(self, t_s: ArrayLike, r_ecef_m: ArrayLike) -> F64:
        """Mass density, kg/m^3, at epochs ``t_s`` (n,) and positions (n, 3) in metres."""
        ...

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        """Mass density, kg/m^3, at one epoch and geodetic point (the Cowell hot path)."""
        ...


# Vallado, Fundamentals of Astrodynamics and Applications, 4th ed. (2013), Table 8-4:
# base altitude (km), nominal density (kg/m^3), scale height (km).
_VALLADO_TABLE = np.array(
    [
        (0, 1.225, 7.249),
        (25, 3.899e-2, 6.349),
        (30, 1.774e-2, 6.682),
        (40, 3.972e-3, 7.554),
        (50, 1.057e-3, 8.382),
        (60, 3.206e-4, 7.714),
        (70, 8.770e-5, 6.549),
        (80, 1.905e-5, 5.799),
        (90, 3.396e-6, 5.382),
        (100, 5.297e-7, 5.877),
        (110, 9.661e-8, 7.263),
        (120, 2.438e-8, 9.473),
        (130, 8.484e-9, 12.636),
        (140, 3.845e-9, 16.149),
        (150, 2.070e-9, 22.523),
        (180, 5.464e-10, 29.740),
        (200, 2.789e-10, 37.105),
        (250, 7.248e-11, 45.546),
        (300, 2.418e-11, 53.628),
        (350, 9.518e-12, 53.298),
        (400, 3.725e-12, 58.515),
        (450, 1.585e-12, 60.828),
        (500, 6.967e-13, 63.822),
        (600, 1.454e-13, 71.835),
        (700, 3.614e-14, 88.667),
        (800, 1.170e-14, 124.64),
        (900, 5.245e-15, 181.05),
        (1000, 3.019e-15, 268.00),
    ]
)


@dataclass(frozen=True)
class ExponentialAtmosphere:
    """Vallado's piecewise exponential model (Table 8-4): static, no solar activity.

    For quick runs and tests; it knows no day/night or solar-cycle variation.
    """

    name: str = "exponential (Vallado 2013, Table 8-4)"

    def density_alt(self, alt_m: ArrayLike) -> F64:
        """Density, kg/m^3, at geodetic altitudes in metres (clamped below at 0 km)."""
        h_km = np.maximum(np.asarray(alt_m, dtype=float) / 1000.0, 0.0)
        i = np.clip(np.searchsorted(_VALLADO_TABLE[:, 0], h_km, side="right") - 1, 0, 27)
        h0, rho0, H = _VALLADO_TABLE[i, 0], _VALLADO_TABLE[i, 1], _VALLADO_TABLE[i, 2]
        return np.asarray(rho0 * np.exp(-(h_km - h0) / H), dtype=float)

    def scale_height_m(self, alt_m: ArrayLike) -> F64:
        """The table's scale height, m, at geodetic altitudes in metres."""
        h_km = np.maximum(np.asarray(alt_m, dtype=float) / 1000.0, 0.0)
        i = np.clip(np.searchsorted(_VALLADO_TABLE[:, 0], h_km, side="right") - 1, 0, 27)
        return np.asarray(_VALLADO_TABLE[i, 2] * 1000.0, dtype=float)

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        """Mass density, kg/m^3, at one geodetic altitude (m); epoch and place ignored."""
        h_km = max(alt_m / 1000.0, 0.0)
        i = min(max(int(np.searchsorted(_VALLADO_TABLE[:, 0], h_km, side="right")) - 1, 0), 27)
        h0, rho0, H = _VALLADO_TABLE[i]
        return float(rho0 * math.exp(-(h_km - h0) / H))

    def density_ecef(self, t_s: ArrayLike, r_ecef_m: ArrayLike) -> F64:
        """Mass density, kg/m^3 (the epoch is ignored)."""
        _, _, h = ecef_to_geodetic(r_ecef_m)
        return self.density_alt(h)


MsisVersion = Literal["2.1", "2.0", "00"]
_PYMSIS_VERSION = {"2.1": 2.1, "2.0": 2.0, "00": 0}


def msis_density(
    t_s: ArrayLike,
    lat_rad: ArrayLike,
    lon_rad: ArrayLike,
    alt_m: ArrayLike,
    f107_sfu: ArrayLike,
    f107a_sfu: ArrayLike,
    ap: ArrayLike,
    *,
    version: MsisVersion = "2.1",
    ap_mode: str = "daily",
) -> F64:
    """NRLMSIS total mass density (kg/m^3) at points with explicit solar/geomagnetic drivers.

    Arrays of equal length n (fly-through); ``ap`` is (n, 7) as NRLMSIS defines it.
    Drivers are always passed explicitly, so pymsis never tries to download them.
    """
    from pymsis import msis

    t = np.atleast_1d(np.asarray(t_s, dtype=float))
    out = msis.calculate(
        to_datetime64(t),
        np.degrees(np.atleast_1d(np.asarray(lon_rad, dtype=float))),
        np.degrees(np.atleast_1d(np.asarray(lat_rad, dtype=float))),
        np.atleast_1d(np.asarray(alt_m, dtype=float)) / 1000.0,
        np.atleast_1d(np.asarray(f107_sfu, dtype=float)),
        np.atleast_1d(np.asarray(f107a_sfu, dtype=float)),
        np.atleast_2d(np.asarray(ap, dtype=float)),
        version=_PYMSIS_VERSION[version],
        **({"geomagnetic_activity": -1} if ap_mode == "3hourly" else {}),
    )
    return np.asarray(out[..., 0], dtype=float).reshape(t.shape)


@dataclass(frozen=True)
class MsisAtmosphere:
    """NRLMSIS (2.1 by default; 2.0 or NRLMSISE-00) through pymsis.

    Solar and geomagnetic drivers always come from ``space_weather`` and are passed to
    pymsis explicitly (pymsis would otherwise try to download them). ``ap_mode`` "daily"
    uses the daily Ap (NRLMSIS switch 9 = 1); "3hourly" uses the 3-hour ap history
    (switch 9 = -1, the storm-time mode).
    """

    space_weather: SpaceWeather
    version: MsisVersion = "2.1"
    ap_mode: Literal["daily", "3hourly"] = "daily"
    name: str = field(default="", compare=False)
    _driver_cache: dict[int, tuple[F64, F64, F64]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def __post_init__(self) -> None:
        if not self.name:
            label = "NRLMSISE-00" if self.version == "00" else f"NRLMSIS {self.version}"
            object.__setattr__(self, "name", f"{label} ({self.ap_mode} Ap)")

    def density_geodetic(
        self, t_s: ArrayLike, lat_rad: ArrayLike, lon_rad: ArrayLike, alt_m: ArrayLike
    ) -> tuple[F64, NDArray[np.int8]]:
        """Density (kg/m^3) and the space-weather section used, at geodetic points."""
        t = np.atleast_1d(np.asarray(t_s, dtype=float))
        drv = self.space_weather.msis_drivers(t)
        rho = msis_density(
            t,
            lat_rad,
            lon_rad,
            alt_m,
            drv.f107_sfu,
            drv.f107a_sfu,
            drv.ap,
            version=self.version,
            ap_mode=self.ap_mode,
        )
        return rho.reshape(t.shape), drv.section

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        """Mass density, kg/m^3, at one epoch and geodetic point.

        The space-weather drivers are cached per 3-hour interval (they are piecewise
        constant over 3 h in the 3-hourly mode and over a day in the daily mode).
        """
        from pymsis import msis

        key = math.floor(t_s / 10800.0)
        cache = self._driver_cache
        drv = cache.get(key)
        if drv is None:
            d = self.space_weather.msis_drivers(np.array([key * 10800.0 + 1.0]))
            drv = (d.f107_sfu[:1].copy(), d.f107a_sfu[:1].copy(), d.ap[:1].copy())
            if len(cache) > 64:
                cache.clear()
            cache[key] = drv
        out = msis.calculate(
            to_datetime64(np.array([t_s])),
            np.array([math.degrees(lon_rad)]),
            np.array([math.degrees(lat_rad)]),
            np.array([alt_m / 1000.0]),
            drv[0],
            drv[1],
            drv[2],
            version=_PYMSIS_VERSION[self.version],
            **({"geomagnetic_activity": -1} if self.ap_mode == "3hourly" else {}),
        )
        return float(out.flat[0])

    def density_ecef(self, t_s: ArrayLike, r_ecef_m: ArrayLike) -> F64:
        """Mass density, kg/m^3, at epochs (n,) and Earth-fixed positions (n, 3)."""
        lat, lon, h = ecef_to_geodetic(np.atleast_2d(np.asarray(r_ecef_m, dtype=float)))
        rho, _ = self.density_geodetic(t_s, lat, lon, h)
        return rho


def make_atmosphere(
    model: str, space_weather: SpaceWeather | None, *, ap_mode: str = "daily"
) -> Atmosphere:
    """Build an atmosphere by name: ``msis2.1``, ``msis2.0``, ``msis00``, ``exponential``.

    An unknown name or ``ap_mode`` is a :class:`ParameterError` naming the flag."""
    if not isinstance(model, str):
        raise ParameterError(f"atmosphere model must be a name, got {model!r}", flag="--atmosphere")
    key = model.lower().replace("nrlmsise-", "msis").replace("nrlmsis", "msis").replace(" ", "")
    if key in ("exponential", "exp"):
        return ExponentialAtmosphere()
    versions = {
        "msis2.1": "2.1",
        "msis21": "2.1",
        "msis2.0": "2.0",
        "msis20": "2.0",
        "msis00": "00",
    }
    if key not in versions:
        raise ParameterError(
            f"unknown atmosphere model {model!r}; expected msis2.1, msis2.0, msis00 or exponential",
            flag="--atmosphere",
        )
    if space_weather is None:
        raise ValueError("NRLMSIS needs space weather")
    if ap_mode not in ("daily", "3hourly"):
        raise ParameterError(
            f"unknown ap mode {ap_mode!r}; expected daily or 3hourly", flag="--ap-mode"
        )
    return MsisAtmosphere(space_weather, versions[key], ap_mode)  # type: ignore[arg-type]
