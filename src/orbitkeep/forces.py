"""Force models on plain float arrays: zonal gravity J2..J6, drag, impulsive burns.

All accelerations in m/s^2 for positions in m and velocities in m/s, in an inertial
frame whose z axis is the Earth's rotation axis (TEME / true of date). Arrays of shape
(..., 3) are accepted so that many objects or quadrature nodes go through one call.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .constants import J_ZONAL, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_GRAVITY_M

F64 = NDArray[np.float64]


def accel_gravity(r_m: F64, degree: int = 6, mu: float = MU_EARTH_M3_S2) -> F64:
    """Point mass plus zonal harmonics J2..J``degree`` (EGM-96), m/s^2.

    a_n = mu J_n R^n / r^(n+2) [((n+1) P_n(s) + s P_n'(s)) r_hat - P_n'(s) z_hat],
    s = z/r, from the gradient of V = mu/r [1 - sum J_n (R/r)^n P_n(s)].
    ``degree`` 0 or 1 gives two-body motion.
    """
    r = np.asarray(r_m, dtype=float)
    rn = np.linalg.norm(r, axis=-1, keepdims=True)
    rhat = r / rn
    acc = -mu / rn**2 * rhat
    if degree < 2:
        return acc
    s = rhat[..., 2:3]
    p_prev, p = np.ones_like(s), s  # P_0, P_1
    dp = np.ones_like(s)  # P_1'
    rr = R_GRAVITY_M / rn
    scale = mu / rn**2 * rr
    zhat = np.zeros_like(r)
    zhat[..., 2] = 1.0
    for n in range(2, degree + 1):
        p_next = ((2 * n - 1) * s * p - (n - 1) * p_prev) / n
        dp_next = s * dp + n * p  # P_n' = s P_{n-1}' + n P_{n-1}
        p_prev, p, dp = p, p_next, dp_next
        scale = scale * rr
        acc = acc + J_ZONAL[n] * scale * (((n + 1) * p + s * dp) * rhat - dp * zhat)
    return acc


def relative_velocity(r_m: F64, v_m_s: F64) -> F64:
    """Velocity relative to an atmosphere co-rotating with the Earth: v - omega x r."""
    r = np.asarray(r_m, dtype=float)
    vrel = np.array(v_m_s, dtype=float, copy=True)
    vrel[..., 0] += OMEGA_EARTH_RAD_S * r[..., 1]
    vrel[..., 1] -= OMEGA_EARTH_RAD_S * r[..., 0]
    return vrel


def accel_drag(r_m: F64, v_m_s: F64, rho_kg_m3: F64, b_m2_kg: F64 | float) -> F64:
    """Drag, m/s^2: a = -1/2 B rho |v_rel| v_rel with B = Cd A / m (m^2/kg).

    ``rho_kg_m3`` has the shape of the position array without its last axis.
    """
    vrel = relative_velocity(r_m, v_m_s)
    speed = np.linalg.norm(vrel, axis=-1, keepdims=True)
    k = -0.5 * np.asarray(b_m2_kg, dtype=float)[..., None] * np.asarray(rho_kg_m3)[..., None]
    return k * speed * vrel


def accel_gravity_point(
    x: float, y: float, z: float, degree: int = 6
) -> tuple[float, float, float]:
    """:func:`accel_gravity` for one position on plain floats (the Cowell hot path)."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    k = -MU_EARTH_M3_S2 / (r2 * r)
    ax, ay, az = k * x, k * y, k * z
    if degree < 2:
        return ax, ay, az
    s = z / r
    rr = R_GRAVITY_M / r
    scale = MU_EARTH_M3_S2 / r2 * rr
    p_prev, p, dp = 1.0, s, 1.0
    radial = 0.0
    axial = 0.0
    for n in range(2, degree + 1):
        p_next = ((2 * n - 1) * s * p - (n - 1) * p_prev) / n
        dp_next = s * dp + n * p
        p_prev, p, dp = p, p_next, dp_next
        scale *= rr
        c = J_ZONAL[n] * scale
        radial += c * ((n + 1) * p + s * dp)
        axial += c * dp
    return ax + radial * x / r, ay + radial * y / r, az + radial * z / r - axial
