"""The rates of the averaged propagator: J2/J3 secular terms and orbit-averaged drag.

- J2 secular rates in closed form (Vallado 2013, eqs. 9-41); J3 through the classic
  frozen-eccentricity form: the eccentricity vector turns at the J2 apsidal rate about
  (0, e_f), e_f = -(J3 / 2 J2)(R / p) sin i (Vallado 2013, sec. 11.4; Cook 1966).
- Drag through the Gauss variational equations (vector form for the eccentricity), with
  the same drag acceleration as the Cowell propagator (co-rotating atmosphere,
  B = Cd A / m) averaged over one revolution by quadrature in eccentric anomaly, each
  node at its real place and time; the air is sampled at the osculating radius (the
  mean one plus J2's first-order short-period terms, as SGP4 applies them).

Arrays are per object (n,); SI units (m, s, rad). :mod:`.averaged` integrates them.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..constants import (
    J_ZONAL,
    MU_EARTH_M3_S2,
    OMEGA_EARTH_RAD_S,
    R_EQUATOR_M,
    R_GRAVITY_M,
)
from ..environment.atmosphere import Atmosphere, ExponentialAtmosphere
from ..timescale import gmst_rad

F64 = NDArray[np.float64]
_SCALE = ExponentialAtmosphere()


def quadrature_nodes(k: int, kind: str) -> tuple[F64, F64]:
    """Nodes (eccentric anomaly, rad) and weights (summing to 1) of a K-point rule."""
    if kind == "trapezoid":
        return np.arange(k, dtype=float) * (2 * np.pi / k), np.full(k, 1.0 / k)
    if kind == "gauss-legendre":
        x, w = np.polynomial.legendre.leggauss(k)
        return np.asarray(np.pi * (x + 1.0), dtype=float), np.asarray(w / 2.0, dtype=float)
    raise ValueError(f"unknown quadrature {kind!r}")


def node_counts(sma_m: F64, ecc: F64) -> NDArray[np.int64]:
    """Trapezoid nodes per revolution, per object: the density along an eccentric orbit
    peaks like exp(kappa cos E), kappa = a e / H, and the rule's error falls like
    (kappa / 2)^K / K!, so K = 8 for kappa <= 2, 16 for <= 7, 32 for <= 20, else 64
    (errors < 1e-5 of the drag integral; the day/night and latitude terms are of low
    degree and are resolved by 8)."""
    a = np.asarray(sma_m, dtype=float)
    e = np.asarray(ecc, dtype=float)
    hp = a * (1 - e) - R_EQUATOR_M
    kappa = a * e / _SCALE.scale_height_m(np.maximum(hp, 0.0))
    return np.asarray(8 * 2 ** np.searchsorted([2.0, 7.0, 20.0], kappa), dtype=np.int64)


def node_count(sma_m: F64, ecc: F64) -> int:
    """The node count a whole batch needs (its most eccentric orbit decides)."""
    return int(np.max(node_counts(sma_m, ecc), initial=8))


def secular_rates(a: F64, e: F64, i: F64, j3: bool = True) -> tuple[F64, F64, F64, F64]:
    """J2 secular rates (rad/s) of RAAN, perigee and mean anomaly, and J3 frozen e_f.

    dO/dt = -3/2 n J2 (R/p)^2 cos i; dw/dt = 3/4 n J2 (R/p)^2 (5 cos^2 i - 1);
    dM/dt = n [1 + 3/4 J2 (R/p)^2 sqrt(1 - e^2)(3 cos^2 i - 1)].
    """
    n = np.sqrt(MU_EARTH_M3_S2 / a**3)
    p = a * (1 - e * e)
    k = 0.75 * n * J_ZONAL[2] * (R_GRAVITY_M / p) ** 2
    ci = np.cos(i)
    raan_dot = -2.0 * k * ci
    argp_dot = k * (5 * ci * ci - 1)
    m_dot = n + k * np.sqrt(1 - e * e) * (3 * ci * ci - 1)
    e_frozen = (
        -(J_ZONAL[3] / (2 * J_ZONAL[2])) * (R_GRAVITY_M / p) * np.sin(i) if j3 else np.zeros_like(a)
    )
    return raan_dot, argp_dot, m_dot, e_frozen


def drag_rates(
    t: F64,
    a: F64,
    ex: F64,
    ey: F64,
    incl: F64,
    raan: F64,
    b: F64,
    atmosphere: Atmosphere,
    E: F64,
    w: F64,
    spread_revs: NDArray[np.int64] | None = None,
) -> tuple[F64, F64, F64, F64, F64]:
    """Orbit-averaged drag rates (da, dex, dey, di per second) and mean density.

    Arrays (n,) per object; ``E``, ``w`` quadrature nodes and weights over one period.
    ``spread_revs`` R (n,): node k is taken from the revolution m_k in [-R, R] around
    the current one (m_k a low-discrepancy sequence), so that the nodes see the Earth
    at many longitudes and universal times: NRLMSIS has longitude and UT terms, and a
    step of exactly one day would otherwise sample the same longitudes every time.
    """
    e = np.hypot(ex, ey)
    argp = np.arctan2(ey, ex)
    n = np.sqrt(MU_EARTH_M3_S2 / a**3)
    p = a * (1 - e * e)
    h = np.sqrt(MU_EARTH_M3_S2 * p)
    Ek = E[None, :]
    ec = e[:, None]
    cosE, sinE = np.cos(Ek), np.sin(Ek)
    r = a[:, None] * (1 - ec * cosE)
    M = Ek - ec * sinE
    sq = np.sqrt(1 - ec * ec)
    nu = np.arctan2(sq * sinE, cosE - ec)
    u = argp[:, None] + nu
    tk = t[:, None] + (M - np.pi) / n[:, None]  # the revolution centred on t
    if spread_revs is not None and np.any(spread_revs > 0):
        golden = np.mod(np.arange(E.size) * 0.6180339887498949, 1.0) - 0.5
        m_k = np.rint(golden[None, :] * 2 * spread_revs[:, None])
        tk = tk + m_k * (2 * np.pi / n[:, None])
    cu, su = np.cos(u), np.sin(u)
    ci, si = np.cos(incl)[:, None], np.sin(incl)[:, None]
    cO, sO = np.cos(raan)[:, None], np.sin(raan)[:, None]
    # where the air is sampled: the osculating radius, i.e. the mean one plus J2's
    # short-period terms (first order, as SGP4 applies them; Hoots & Roehrich 1980):
    # r = r_m [1 - 3/4 J2 (R/p)^2 sqrt(1-e^2)(3 cos^2 i - 1)] + 1/4 J2 R^2/p sin^2 i cos 2u
    k2 = J_ZONAL[2] * R_GRAVITY_M**2 / p[:, None]
    r_air = r * (1 - 0.75 * k2 / p[:, None] * sq * (3 * ci * ci - 1)) + 0.25 * k2 * si * si * (
        cu * cu - su * su
    )
    x = r_air * (cO * cu - sO * su * ci)
    y = r_air * (sO * cu + cO * su * ci)
    z = r_air * su * si
    th = gmst_rad(tk)
    cth, sth = np.cos(th), np.sin(th)
    ecef = np.stack([cth * x + sth * y, -sth * x + cth * y, z], axis=-1)
    rho = atmosphere.density_ecef(tk.ravel(), ecef.reshape(-1, 3)).reshape(r.shape)
    vr = (MU_EARTH_M3_S2 / p)[:, None] ** 0.5 * ec * np.sin(nu)
    vt = h[:, None] / r
    # velocity relative to the co-rotating air, in (radial, transverse, normal)
    wr = OMEGA_EARTH_RAD_S * r
    ur, ut, un = vr, vt - wr * ci, wr * si * cu
    speed = np.sqrt(ur * ur + ut * ut + un * un)
    k = -0.5 * b[:, None] * rho * speed
    fR, fS, fW = k * ur, k * ut, k * un
    mu = MU_EARTH_M3_S2
    da = 2 * a[:, None] ** 2 / h[:, None] * (ec * np.sin(nu) * fR + p[:, None] / r * fS)
    # eccentricity vector (Gauss, vector form): de = [2 (f.v) r - (f.r) v - (r.v) f] / mu
    deR = 2 * fS * vt * r / mu
    deS = -(fR * r * vt + r * vr * fS) / mu
    # project the in-plane change on the node axes (P towards the node, Q 90 deg ahead)
    dex = deR * cu - deS * su
    dey = deR * su + deS * cu
    di = r * cu * fW / h[:, None]
    wgt = w[None, :] * (1 - ec * cosE)  # dM = (1 - e cos E) dE
    norm = wgt.sum(axis=1)

    def avg(q: F64) -> F64:
        return np.asarray((q * wgt).sum(axis=1) / norm, dtype=float)

    return avg(da), avg(dex), avg(dey), avg(di), avg(rho)
