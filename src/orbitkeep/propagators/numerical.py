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


def _revolution_bounds(t: F64, r: F64, v: F64) -> F64:
    """Times where the argument of latitude (from the instantaneous ascending node, or
    from the x axis for an equatorial orbit, which J2 does not turn) wraps past 2 pi."""
    h = np.cross(r, v)
    h /= np.linalg.norm(h, axis=1)[:, None]
    node = np.stack([-h[:, 1], h[:, 0], np.zeros(len(h))], axis=1)  # z x h
    nn = np.linalg.norm(node, axis=1)
    equatorial = float(np.median(nn)) < 1e-3
    if equatorial:
        node = np.tile([1.0, 0.0, 0.0], (len(h), 1))
    else:
        node /= nn[:, None]
    q = np.cross(h, node)
    u = np.unwrap(np.arctan2(np.sum(r * q, axis=1), np.sum(r * node, axis=1)))
    turns = np.floor((u - u[0]) / (2 * np.pi))
    idx = np.flatnonzero(np.diff(turns) > 0)
    target = u[0] + 2 * np.pi * turns[idx + 1]
    frac = (target - u[idx]) / (u[idx + 1] - u[idx])
    return np.asarray(t[idx] + frac * (t[idx + 1] - t[idx]), dtype=float)


def revolution_means(t: F64, r: F64, v: F64) -> tuple[F64, F64, F64]:
    """Average osculating a and eccentricity vector over each complete revolution.

    Revolutions are turns of the in-plane angle (crossing times by linear
    interpolation). Returns the mid-times, mean a (m) and |mean e-vector|.
    """
    a, ev = _osculating(r, v)
    tc = _revolution_bounds(t, r, v)
    if tc.size < 2:
        return np.empty(0), np.empty(0), np.empty(0)

    def cumtrapz(y: F64) -> F64:
        return np.concatenate([[0.0], np.cumsum(0.5 * (y[1:] + y[:-1]) * np.diff(t))])

    ia = np.interp(tc, t, cumtrapz(a))
    ie = np.stack([np.interp(tc, t, cumtrapz(ev[:, k])) for k in range(3)], axis=1)
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


def mean_elements_from_state(
    state: CartesianState, degree: int = 6
) -> tuple[float, float, float, float, float, float]:
    """Mean elements of an osculating state by numerical averaging.

    Integrates gravity only (J2..J``degree``) over two revolutions and averages the
    osculating a and eccentricity vector over the first complete one. Returns
    (epoch_s, a_m, e, i_rad, raan_rad, argp_rad); the epoch is the revolution's mid-time.
    """
    r0 = np.asarray(state.r_m, dtype=float)
    v0 = np.asarray(state.v_m_s, dtype=float)
    a0 = _osculating(r0[None], v0[None])[0][0]
    period = 2 * math.pi * math.sqrt(a0**3 / MU_EARTH_M3_S2)

    def rhs(t: float, y: F64) -> F64:
        return np.concatenate([y[3:], accel_gravity_point(y[0], y[1], y[2], degree)])

    t_eval = np.linspace(0.0, 2.2 * period, 529)
    sol = solve_ivp(
        rhs,
        (0.0, t_eval[-1]),
        np.concatenate([r0, v0]),
        method="DOP853",
        rtol=1e-11,
        atol=1e-6,
        t_eval=t_eval,
    )
    r, v = sol.y[:3].T, sol.y[3:].T
    tm, am, _ = revolution_means(sol.t, r, v)
    _, ev = _osculating(r, v)
    # mean eccentricity vector over the first revolution, and the orbit plane
    tc = _revolution_bounds(sol.t, r, v)
    sel = (sol.t >= tc[0]) & (sol.t < tc[1])
    e_mean = ev[sel].mean(axis=0)
    hvec = np.cross(r[sel], v[sel]).mean(axis=0)
    hhat = hvec / np.linalg.norm(hvec)
    incl = math.acos(hhat[2])
    raan = math.atan2(hhat[0], -hhat[1])
    node = np.array([math.cos(raan), math.sin(raan), 0.0])
    q = np.cross(hhat, node)
    argp = math.atan2(float(e_mean @ q), float(e_mean @ node))
    return (
        state.epoch_s + float(tm[0]),
        float(am[0]),
        float(np.linalg.norm(e_mean - (e_mean @ hhat) * hhat)),
        incl,
        raan % (2 * math.pi),
        argp % (2 * math.pi),
    )
