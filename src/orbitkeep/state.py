"""Core value types: orbital states, mean elements, drag properties and trajectories.

SI units inside (m, s, kg, rad); Unix seconds UTC for epochs. Arrays everywhere: one
object is an array of length one, so batch and Monte Carlo take the same path.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, TypeGuard

import numpy as np
from numpy.typing import NDArray

from .constants import MU_EARTH_M3_S2, R_EQUATOR_M
from .errors import ParameterError

F64 = NDArray[np.float64]


def is_real(x: object) -> TypeGuard[float]:
    """True for a real number (Python or NumPy; not a bool, not a string): what the
    checks of numeric arguments accept before ``math.isfinite`` (which raises a bare
    TypeError on anything else). Typed as a guard to ``float``, which every
    ``numbers.Real`` converts to."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


#: The largest ballistic coefficient accepted, m^2/kg: Cd 2.2 over the areal density of a
#: 1.5 um polyimide film flat to the flow (1.42 g/cm^3 x 1.5 um = 2.1 g/m^2: ~1000).
#: IKAROS's 7.5 um polyimide solar sail (JAXA, 2010) is ~220 by the same sum. A bound
#: against typos (1e300 crashed the numerical propagator with non-finite values), not a
#: physical model.
MAX_B_M2_KG = 1000.0


@dataclass(frozen=True)
class DragProperties:
    """A spacecraft's drag properties: one ballistic coefficient B = Cd A / m (m^2/kg).

    Build it from mass, area and Cd with :meth:`from_mass_area_cd`, or give B directly.
    """

    ballistic_coefficient_m2_kg: float
    mass_kg: float | None = None
    area_m2: float | None = None
    cd: float | None = None

    def __post_init__(self) -> None:
        b = self.ballistic_coefficient_m2_kg
        flag = "--ballistic-coefficient" if self.mass_kg is None else "--mass"
        what = (
            ""
            if self.mass_kg is None
            else f"Cd A / m = {self.cd} x {self.area_m2} / {self.mass_kg}: "
        )
        if not (is_real(b) and math.isfinite(b) and b > 0):
            raise ParameterError(f"{what}must be a positive finite number, got {b}", flag=flag)
        if b > MAX_B_M2_KG:
            raise ParameterError(
                f"{what}must be at most {MAX_B_M2_KG:g} m^2/kg (a 1.5 um film flat to the "
                f"flow), got {b:g}",
                flag=flag,
            )

    @classmethod
    def from_mass_area_cd(cls, mass_kg: float, area_m2: float, cd: float) -> DragProperties:
        """B = Cd A / m; each input must be finite and positive."""
        for flag, val in (("--mass", mass_kg), ("--area", area_m2), ("--cd", cd)):
            if not (is_real(val) and math.isfinite(val) and val > 0):
                raise ParameterError(f"must be a positive number, got {val}", flag=flag)
        return cls(cd * area_m2 / mass_kg, mass_kg, area_m2, cd)


@dataclass(frozen=True)
class CartesianState:
    """Inertial (TEME / true-of-date) position (m) and velocity (m/s) at ``epoch_s``."""

    epoch_s: float
    r_m: F64
    v_m_s: F64


_ELEMENT_FIELDS = (
    "epoch_s",
    "sma_m",
    "ecc",
    "incl_rad",
    "raan_rad",
    "argp_rad",
    "mean_anomaly_rad",
)


@dataclass(frozen=True)
class MeanElements:
    """Mean Keplerian elements of N objects (arrays of shape (N,)), SI units, radians.

    ``epoch_s`` may differ between objects.
    """

    epoch_s: F64
    sma_m: F64
    ecc: F64
    incl_rad: F64
    raan_rad: F64
    argp_rad: F64
    mean_anomaly_rad: F64

    def __len__(self) -> int:
        return int(np.asarray(self.sma_m).size)

    def _map(self, fn: Any) -> MeanElements:
        return MeanElements(
            *(fn(np.atleast_1d(np.asarray(getattr(self, f), dtype=float))) for f in _ELEMENT_FIELDS)
        )

    def select(self, idx: Any) -> MeanElements:
        """The objects at ``idx`` (an index array, slice or boolean mask)."""
        return self._map(lambda x: x[idx])

    def updated(self, idx: Any, other: MeanElements) -> MeanElements:
        """A copy whose objects at ``idx`` are replaced by ``other``'s, in order."""
        out = []
        for f in _ELEMENT_FIELDS:
            x = np.array(np.atleast_1d(getattr(self, f)), dtype=float)
            x[idx] = getattr(other, f)
            out.append(x)
        return MeanElements(*out)

    def repeat(self, n: int) -> MeanElements:
        """Each object repeated ``n`` times (Monte Carlo samples of one object)."""
        return self._map(lambda x: np.repeat(x, n))

    @classmethod
    def stack(cls, items: list[MeanElements]) -> MeanElements:
        """Concatenate several element sets into one."""
        return cls(
            *(
                np.concatenate([np.atleast_1d(getattr(m, f)) for m in items])
                for f in _ELEMENT_FIELDS
            )
        )


def kepler_to_cartesian(
    sma_m: float, ecc: float, incl: float, raan: float, argp: float, nu: float
) -> tuple[F64, F64]:
    """Position (m) and velocity (m/s) from osculating elements (true anomaly ``nu``)."""
    p = sma_m * (1 - ecc * ecc)
    r = p / (1 + ecc * math.cos(nu))
    rp = np.array([r * math.cos(nu), r * math.sin(nu), 0.0])
    vp = math.sqrt(MU_EARTH_M3_S2 / p) * np.array([-math.sin(nu), ecc + math.cos(nu), 0.0])
    cO, sO, ci, si = math.cos(raan), math.sin(raan), math.cos(incl), math.sin(incl)
    cw, sw = math.cos(argp), math.sin(argp)
    rot = np.array(
        [
            [cO * cw - sO * sw * ci, -cO * sw - sO * cw * ci, sO * si],
            [sO * cw + cO * sw * ci, -sO * sw + cO * cw * ci, -cO * si],
            [sw * si, cw * si, ci],
        ]
    )
    return rot @ rp, rot @ vp


@dataclass
class Trajectory:
    """The result of propagating one object: mean-orbit samples and the events.

    Samples (arrays of equal length) are mean values: per revolution for the numerical
    propagator (osculating values averaged over each revolution), per step for the
    averaged one. Altitudes are above the WGS-84 equatorial radius (a - R_eq), the
    convention of TLE-derived 'mean altitude'.
    """

    method: str
    t_s: F64
    sma_m: F64
    ecc: F64
    reentry_s: float | None = None
    status: str = "ok"
    norad_id: int | None = None
    space_weather_sections: dict[str, int] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def mean_alt_m(self) -> F64:
        """Mean altitude a - R_eq, m."""
        return self.sma_m - R_EQUATOR_M

    @property
    def perigee_alt_m(self) -> F64:
        """Perigee altitude a(1 - e) - R_eq, m."""
        return self.sma_m * (1 - self.ecc) - R_EQUATOR_M

    @property
    def apogee_alt_m(self) -> F64:
        """Apogee altitude a(1 + e) - R_eq, m."""
        return self.sma_m * (1 + self.ecc) - R_EQUATOR_M

    def at(self, t_s: float) -> dict[str, float]:
        """Mean values linearly interpolated at ``t_s`` (inside the sample span)."""
        a = float(np.interp(t_s, self.t_s, self.sma_m))
        e = float(np.interp(t_s, self.t_s, self.ecc))
        return {
            "sma_m": a,
            "mean_alt_m": a - R_EQUATOR_M,
            "perigee_alt_m": a * (1 - e) - R_EQUATOR_M,
            "apogee_alt_m": a * (1 + e) - R_EQUATOR_M,
        }

    def daily(self, step_s: float = 86400.0) -> F64:
        """Sample epochs about one ``step_s`` apart from the start, plus the last one."""
        if self.t_s.size == 0:
            return self.t_s
        grid = np.arange(self.t_s[0], self.t_s[-1], step_s)
        return np.append(grid, self.t_s[-1])
