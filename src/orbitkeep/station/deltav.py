"""Impulsive manoeuvre and rocket-equation arithmetic (SI: m, m/s, kg, s).

* Δv: impulsive two-burn Hohmann transfer between circular orbits (about 0.56 m/s per
  km near 415 km, the ratio of the published Roscosmos burns, facts A.4), and the single
  retrograde burn that lowers a circular orbit's perigee (a deorbit);
* propellant: Tsiolkovsky's rocket equation at the firing vehicle's Isp
  (g0 = :data:`orbitkeep.constants.G0_M_S2`).

Gravitational parameter and equatorial radius: :mod:`orbitkeep.constants`.
"""

from __future__ import annotations

import math

from ..constants import G0_M_S2, MU_EARTH_M3_S2, R_EQUATOR_M


def hohmann_dv_m_s(a1_m: float, a2_m: float) -> float:
    """Total Δv (m/s, >= 0) of a two-burn Hohmann transfer between circular radii (m)."""
    lo, hi = min(a1_m, a2_m), max(a1_m, a2_m)
    if lo <= 0:
        raise ValueError("radii must be positive")
    at = 0.5 * (lo + hi)
    v1 = math.sqrt(MU_EARTH_M3_S2 / lo)
    v2 = math.sqrt(MU_EARTH_M3_S2 / hi)
    return v1 * (math.sqrt(hi / at) - 1.0) + v2 * (1.0 - math.sqrt(lo / at))


def dv_per_km_m_s(mean_alt_km: float) -> float:
    """Hohmann Δv (m/s) to raise a circular orbit by 1 km from ``mean_alt_km`` (a - R_eq)."""
    a = R_EQUATOR_M + mean_alt_km * 1000.0
    return hohmann_dv_m_s(a, a + 1000.0)


def propellant_kg(dv_m_s: float, mass_kg: float, isp_s: float) -> float:
    """Propellant (kg) for ``dv_m_s`` on a ``mass_kg`` stack: m (1 - exp(-Δv / (Isp g0)))."""
    return mass_kg * (1.0 - math.exp(-dv_m_s / (isp_s * G0_M_S2)))


def dv_from_propellant_m_s(prop_kg: float, mass_kg: float, isp_s: float) -> float:
    """Δv (m/s) that ``prop_kg`` of propellant gives a ``mass_kg`` stack (inverse of above)."""
    if prop_kg >= mass_kg:
        raise ValueError("propellant exceeds the stack mass")
    return isp_s * G0_M_S2 * math.log(mass_kg / (mass_kg - prop_kg))


def perigee_lowering_dv_m_s(alt_km: float, perigee_km: float) -> float:
    """Δv (m/s) of one retrograde burn from a circular orbit at ``alt_km`` to an ellipse
    with that apogee and perigee ``perigee_km`` (altitudes above R_eq)."""
    r1 = R_EQUATOR_M + alt_km * 1000.0
    rp = R_EQUATOR_M + perigee_km * 1000.0
    v_c = math.sqrt(MU_EARTH_M3_S2 / r1)
    return v_c * (1.0 - math.sqrt(2.0 * rp / (r1 + rp)))
