"""Cowell propagation: Cartesian state under zonal gravity and drag, SciPy DOP853.

The reference propagator. The mean orbit it reports is the osculating semi-major axis
and eccentricity vector averaged over each revolution (ascending node to ascending node),
which to first order in J2 equals the mean (Brouwer / SGP4) value: the short-period J2
terms in a average to zero over one revolution. So its 'mean altitude' is comparable with
the TLE-derived one, up to a constant offset that cancels in decay rates.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from ..constants import MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, REENTRY_INTERFACE_ALT_M
from ..environment.atmosphere import (
    Atmosphere,
    ecef_to_geodetic,
    geodetic_point,
    inertial_to_ecef,
)
from ..errors import PropagationError
from ..forces import accel_gravity_point
from ..state import CartesianState, Trajectory
from ..timescale import gmst_point

F64 = NDArray[np.float64]


@dataclass(frozen=True)
class NumericalSettings:
    """Integrator settings: DOP853 tolerances, gravity degree, output density."""

    rtol: float = 1e-10
    atol_m: float = 1e-4
    gravity_degree: int = 6
    samples_per_rev: int = 48
    method: str = "DOP853"  # "Radau" for a stiff option near reentry


def _osculating(r: F64, v: F64) -> tuple[F64, F64]:
    """Osculating semi-major axis (m) and eccentricity vector (3,) per row."""
    rn = np.linalg.norm(r, axis=-1)
    v2 = np.einsum("ij,ij->i", v, v)
    a = 1.0 / (2.0 / rn - v2 / MU_EARTH_M3_S2)
    rv = np.einsum("ij,ij->i", r, v)
    evec = ((v2 - MU_EARTH_M3_S2 / rn)[:, None] * r - rv[:, None] * v) / MU_EARTH_M3_S2
    return a, evec


def revolution_means(
    t: F64, r: F64, v: F64
) -> tuple[F64, F64, F64]:
    """Average osculating a and eccentricity vector over each complete revolution.

    Revolutions run from one ascending-node crossing to the next (crossing times found
    by linear interpolation of z). Returns the mid-times, mean a (m) and |mean e-vector|.
    """
    a, ev = _osculating(r, v)
    z = r[:, 2]
    idx = np.flatnonzero((z[:-1] < 0) & (z[1:] >= 0))
    if idx.size < 2:
        return np.empty(0), np.empty(0), np.empty(0)
    frac = -z[idx] / (z[idx + 1] - z[idx])
    tc = t[idx] + frac * (t[idx + 1] - t[idx])
    cum_t = np.concatenate([[0.0], np.cumsum(np.diff(t))])

    def cumtrapz(y: F64) -> F64:
        return np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(t))])

    ca = cumtrapz(a)
    ce = np.stack([cumtrapz(ev[:, k]) for k in range(3)], axis=1)
    del cum_t
    ia = np.interp(tc, t, ca)
    ie = np.stack([np.interp(tc, t, ce[:, k]) for k in range(3)], axis=1)
    dt = np.diff(tc)
    mean_a = np.diff(ia) / dt
    mean_e = np.linalg.norm(np.diff(ie, axis=0) / dt[:, None], axis=1)
    return 0.5 * (tc[1:] + tc[:-1]), mean_a, mean_e


def propagate_numerical(
    state: CartesianState,
    b_m2_kg: float,
    atmosphere: Atmosphere | None,
    until_s: float,
    *,
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M,
    settings: NumericalSettings | None = None,
    density_scale: float = 1.0,
    on_progress: Callable[[float], None] | None = None,
) -> Trajectory:
    """Propagate one object by Cowell's method until ``until_s`` or reentry.

    ``atmosphere`` None switches drag off (gravity only). Reentry is the first time the
    geodetic altitude falls below ``interface_alt_m``.
    """
    cfg = settings or NumericalSettings()
    t0 = state.epoch_s
    if until_s <= t0:
        raise PropagationError("end epoch must be after the start epoch")
    r0 = np.asarray(state.r_m, dtype=float)
    v0 = np.asarray(state.v_m_s, dtype=float)
    _, _, h0 = ecef_to_geodetic(inertial_to_ecef(t0, r0[None]))
    if h0[0] <= interface_alt_m:
        return Trajectory(
            method="numerical",
            t_s=np.array([t0]),
            sma_m=np.array([_osculating(r0[None], v0[None])[0][0]]),
            ecc=np.array([float(np.linalg.norm(_osculating(r0[None], v0[None])[1][0]))]),
            reentry_s=t0,
            status="below_interface",
        )
    degree = cfg.gravity_degree

    w = OMEGA_EARTH_RAD_S
    kdrag = -0.5 * b_m2_kg * density_scale

    def rhs(t: float, y: F64) -> F64:
        x, yy, z, vx, vy, vz = y.tolist()
        ax, ay, az = accel_gravity_point(x, yy, z, degree)
        if atmosphere is not None:
            th = gmst_point(t)
            c, s = math.cos(th), math.sin(th)
            lat, lon, h = geodetic_point(c * x + s * yy, -s * x + c * yy, z)
            rho = atmosphere.density_point(t, lat, lon, h)
            ux, uy, uz = vx + w * yy, vy - w * x, vz
            k = kdrag * rho * math.sqrt(ux * ux + uy * uy + uz * uz)
            ax += k * ux
            ay += k * uy
            az += k * uz
        return np.array([vx, vy, vz, ax, ay, az])

    def reentry(t: float, y: F64) -> float:
        th = gmst_point(t)
        c, s = math.cos(th), math.sin(th)
        _, _, h = geodetic_point(c * y[0] + s * y[1], -s * y[0] + c * y[1], y[2])
        return h - interface_alt_m

    reentry.terminal = True  # type: ignore[attr-defined]
    reentry.direction = -1  # type: ignore[attr-defined]

    period = 2 * math.pi * math.sqrt(_osculating(r0[None], v0[None])[0][0] ** 3 / MU_EARTH_M3_S2)
    n_out = int((until_s - t0) / period * cfg.samples_per_rev) + 2
    t_eval = np.linspace(t0, until_s, n_out)
    ts: list[F64] = []
    ys: list[F64] = []
    reentry_s: float | None = None
    y = np.concatenate([r0, v0])
    # integrate day by day so that memory stays bounded and progress can be reported
    chunk = 86400.0
    t_start = t0
    while t_start < until_s:
        t_stop = min(t_start + chunk, until_s)
        sel = t_eval[(t_eval >= t_start) & (t_eval < t_stop)]
        sel = np.append(sel, t_stop)
        sol = solve_ivp(
            rhs,
            (t_start, t_stop),
            y,
            method=cfg.method,
            rtol=cfg.rtol,
            atol=np.array([cfg.atol_m] * 3 + [cfg.atol_m * 1e-3] * 3),
            t_eval=sel,
            events=reentry,
        )
        if sol.status == -1:
            raise PropagationError(f"integration failed: {sol.message}")
        ts.append(sol.t)
        ys.append(sol.y.T)
        if sol.status == 1 and sol.t_events[0].size:
            reentry_s = float(sol.t_events[0][0])
            break
        if not (sol.t.size and sol.t[-1] == t_stop):
            raise PropagationError("integrator did not reach the chunk end")
        y = sol.y[:, -1]
        t_start = t_stop
        if on_progress is not None:
            on_progress((t_start - t0) / (until_s - t0))
    t_all = np.concatenate(ts)
    y_all = np.concatenate(ys)
    # drop duplicate chunk-boundary samples
    keep = np.concatenate([[True], np.diff(t_all) > 0])
    t_all, y_all = t_all[keep], y_all[keep]
    tm, am, em = revolution_means(t_all, y_all[:, :3], y_all[:, 3:])
    return Trajectory(
        method="numerical",
        t_s=tm,
        sma_m=am,
        ecc=em,
        reentry_s=reentry_s,
        status="reentered" if reentry_s is not None else "ok",
    )
