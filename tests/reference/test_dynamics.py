"""Two-body invariants, J2 secular rates and the drag decay rate against analytic results."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitkeep.constants import J2, MU_EARTH_M3_S2, OMEGA_EARTH_RAD_S, R_EQUATOR_M, R_GRAVITY_M
from orbitkeep.environment.atmosphere import ExponentialAtmosphere
from orbitkeep.forces import accel_drag, accel_gravity, accel_gravity_point
from orbitkeep.propagators.averaged import AveragedSettings, propagate_averaged, secular_rates
from orbitkeep.propagators.numerical import NumericalSettings, propagate_numerical
from orbitkeep.state import CartesianState, MeanElements, kepler_to_cartesian

T0 = 1647000000.0  # 2022-03-11


def _state(a: float, e: float, i_deg: float, raan_deg: float = 30.0, argp_deg: float = 40.0):
    r, v = kepler_to_cartesian(
        a, e, math.radians(i_deg), math.radians(raan_deg), math.radians(argp_deg), 0.3
    )
    return CartesianState(T0, r, v)


def _run_raw(state: CartesianState, days: float, degree: int, rtol: float):
    """Integrate with SciPy directly to sample the osculating state (no averaging)."""
    from scipy.integrate import solve_ivp

    def rhs(t, y):
        return np.concatenate([y[3:], accel_gravity_point(*y[:3], degree)])

    t_eval = np.linspace(0, days * 86400.0, 2001)
    sol = solve_ivp(
        rhs,
        (0, t_eval[-1]),
        np.concatenate([state.r_m, state.v_m_s]),
        method="DOP853",
        rtol=rtol,
        atol=1e-6,
        t_eval=t_eval,
    )
    return sol.t, sol.y.T


def test_point_gravity_equals_vector_gravity() -> None:
    rng = np.random.default_rng(1)
    for _ in range(20):
        r = rng.normal(size=3)
        r *= rng.uniform(6.6e6, 8e6) / np.linalg.norm(r)
        assert np.allclose(accel_gravity_point(*r, 6), accel_gravity(r, 6), rtol=1e-13)


def test_gravity_is_the_gradient_of_the_zonal_potential() -> None:
    from numpy.polynomial import legendre

    from orbitkeep.constants import J_ZONAL

    def potential(r: np.ndarray) -> float:
        rn = np.linalg.norm(r)
        s = r[2] / rn
        v = MU_EARTH_M3_S2 / rn
        for n in range(2, 7):
            c = np.zeros(n + 1)
            c[n] = 1
            v -= MU_EARTH_M3_S2 / rn * J_ZONAL[n] * (R_GRAVITY_M / rn) ** n * legendre.legval(s, c)
        return float(v)

    r = np.array([5.1e6, -3.2e6, 3.9e6])
    h = 100.0  # m: truncation ~1e-10 m/s^2, round-off ~1e-10 m/s^2
    g = np.array([(potential(r + h * d) - potential(r - h * d)) / (2 * h) for d in np.eye(3)])
    assert np.allclose(accel_gravity(r, 6), g, rtol=0, atol=1e-8)


def test_two_body_energy_and_angular_momentum_conserved() -> None:
    st = _state(R_EQUATOR_M + 420e3, 0.001, 51.6)
    _, y = _run_raw(st, 10.0, degree=0, rtol=1e-12)
    r, v = y[:, :3], y[:, 3:]
    energy = 0.5 * np.sum(v * v, axis=1) - MU_EARTH_M3_S2 / np.linalg.norm(r, axis=1)
    h = np.linalg.norm(np.cross(r, v), axis=1)
    assert np.max(np.abs(energy / energy[0] - 1)) < 1e-9
    assert np.max(np.abs(h / h[0] - 1)) < 1e-9


def test_cowell_two_body_keeps_the_revolution_mean_sma() -> None:
    st = _state(R_EQUATOR_M + 420e3, 0.001, 51.6)
    tr = propagate_numerical(
        st, 0.01, None, T0 + 3 * 86400.0, settings=NumericalSettings(gravity_degree=0, rtol=1e-12)
    )
    assert np.max(np.abs(tr.sma_m / tr.sma_m[0] - 1)) < 1e-9


def _node_and_perigee(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r, v = y[:, :3], y[:, 3:]
    hv = np.cross(r, v)
    raan = np.unwrap(np.arctan2(hv[:, 0], -hv[:, 1]))
    rn = np.linalg.norm(r, axis=1)
    ev = np.cross(v, hv) / MU_EARTH_M3_S2 - r / rn[:, None]
    node = np.stack([np.cos(raan), np.sin(raan), np.zeros_like(raan)], axis=1)
    hh = hv / np.linalg.norm(hv, axis=1)[:, None]
    q = np.cross(hh, node)
    argp = np.unwrap(np.arctan2(np.sum(ev * q, axis=1), np.sum(ev * node, axis=1)))
    return raan, argp


def test_j2_secular_rates_match_analytic_for_the_iss_orbit() -> None:
    # ISS semi-major axis and inclination; e = 0.02 so that the perigee is well defined
    # (at the ISS's e ~ 4e-4 the short-period J2 terms swamp the eccentricity vector)
    a, e, inc = R_EQUATOR_M + 415e3, 0.02, 51.64
    st = _state(a, e, inc)
    days = 10.0
    t, y = _run_raw(st, days, degree=2, rtol=1e-11)
    raan, argp = _node_and_perigee(y)
    # secular slope by least squares (short-period terms average out over 150 revolutions)
    raan_rate = np.polyfit(t, raan, 1)[0]
    argp_rate = np.polyfit(t, argp, 1)[0]
    n = math.sqrt(MU_EARTH_M3_S2 / a**3)
    p = a * (1 - e * e)
    k = n * J2 * (R_GRAVITY_M / p) ** 2
    ci = math.cos(math.radians(inc))
    analytic_raan = -1.5 * k * ci
    analytic_argp = 0.75 * k * (5 * ci * ci - 1)
    assert raan_rate == pytest.approx(analytic_raan, rel=5e-3)
    assert argp_rate == pytest.approx(analytic_argp, rel=5e-3)
    o_dot, w_dot, _, _ = secular_rates(np.array([a]), np.array([e]), np.array([math.radians(inc)]))
    assert o_dot[0] == pytest.approx(analytic_raan, rel=1e-12)
    assert w_dot[0] == pytest.approx(analytic_argp, rel=1e-12)


def test_averaged_without_drag_keeps_sma_to_round_off() -> None:
    el = MeanElements(*(np.array([x]) for x in (T0, R_EQUATOR_M + 500e3, 0.01, 0.9, 0.1, 0.2, 0.0)))
    res = propagate_averaged(
        el,
        0.01,
        ExponentialAtmosphere(),
        T0 + 100 * 86400.0,
        settings=AveragedSettings(drag=False),
    )
    a = res.trajectories[0].sma_m
    assert np.all(a == a[0])
    assert res.status == ["ok"]


def test_averaged_without_drag_keeps_eccentricity_over_fast_apsidal_turns() -> None:
    """Without drag the J2 turn of the eccentricity vector must not change |e|.

    At i = 0 the perigee of a 300 x 1,000 km orbit turns ~14 deg a day; an explicit
    Runge-Kutta stage over one-day steps would make |e| grow by (w h)^4 / 8 a step
    (several per cent a year, lowering the perigee by kilometres)."""
    a = R_EQUATOR_M + 650e3
    el = MeanElements(*(np.array([x]) for x in (T0, a, 0.05, 0.0, 0.1, 0.2, 0.0)))
    res = propagate_averaged(
        el,
        0.01,
        ExponentialAtmosphere(),
        T0 + 365 * 86400.0,
        settings=AveragedSettings(drag=False, max_step_s=86400.0),
    )
    e = res.trajectories[0].ecc
    assert e.size > 300
    np.testing.assert_allclose(e, 0.05, rtol=1e-12)


class _ConstantAir:
    """Air of one density everywhere (kg/m^3): what the analytic decay rate assumes."""

    name = "constant"

    def __init__(self, rho_kg_m3: float) -> None:
        self.rho = rho_kg_m3

    def density_point(self, t_s: float, lat_rad: float, lon_rad: float, alt_m: float) -> float:
        return self.rho

    def density_ecef(self, t_s: object, r_ecef_m: object) -> np.ndarray:
        return np.full(np.shape(r_ecef_m)[0], self.rho)


def _analytic_decay_rate_m_s(a_m: float, incl_rad: float, b_m2_kg: float, rho: float) -> float:
    """Mean da/dt (m/s) of a circular orbit of radius ``a_m`` in air of constant density
    co-rotating with the Earth, derived independently of the code under test.

    Energy: E = -mu/(2a), so da/dt = (2 a^2 / mu) (a_drag . v), with a_drag = -1/2 B rho
    |v_rel| v_rel and v_rel = v - omega z x r. On a circular orbit v . (z x r) = h_z =
    a v cos i, so v . v_rel = v^2 (1 - x cos i), and |z x r|^2 = a^2 cos^2(lat), so
    |v_rel|^2 = v^2 (1 - 2 x cos i + x^2 cos^2 lat), x = omega a / v, sin lat = sin i
    sin u; |v_rel| is averaged over the argument of latitude u.
    """
    v = math.sqrt(MU_EARTH_M3_S2 / a_m)
    x = OMEGA_EARTH_RAD_S * a_m / v
    u = np.linspace(0.0, 2.0 * math.pi, 200_001)[:-1]
    cos2_lat = 1.0 - (math.sin(incl_rad) * np.sin(u)) ** 2
    v_rel = v * np.sqrt(1.0 - 2.0 * x * math.cos(incl_rad) + x * x * cos2_lat)
    a_dot_v = -0.5 * b_m2_kg * rho * float(np.mean(v_rel)) * v * v * (1.0 - x * math.cos(incl_rad))
    return 2.0 * a_m * a_m / MU_EARTH_M3_S2 * a_dot_v


@pytest.mark.parametrize("incl_deg", [0.0, 51.6, 97.0])
def test_drag_decay_rate_of_a_circular_orbit_matches_the_analytic_rate(incl_deg: float) -> None:
    """Both propagators' drag (Cowell's on two-body gravity, the averaged one's Gauss
    rates) against the analytic mean da/dt of a circular orbit in constant-density air:
    at 400 km with B = 0.01 m^2/kg and rho = 1e-11 kg/m^3, 390-460 m a day. The air's
    rotation with the Earth changes the rate by up to 12.5 % (equatorial), so it is
    checked too. Both agree to 2-4e-5: the analytic rate is taken at the initial
    radius, and the orbit sinks by 1.2e-4 of it over the two days."""
    a0, b, rho = R_EQUATOR_M + 400e3, 0.01, 1e-11
    inc = math.radians(incl_deg)
    want = _analytic_decay_rate_m_s(a0, inc, b, rho)
    if incl_deg == 0.0:  # in the equatorial plane the air's speed is omega a throughout
        x = OMEGA_EARTH_RAD_S * a0 / math.sqrt(MU_EARTH_M3_S2 / a0)
        assert want == pytest.approx(-b * rho * math.sqrt(MU_EARTH_M3_S2 * a0) * (1 - x) ** 2)
    days = 2.0
    r, v = kepler_to_cartesian(a0, 0.0, inc, 0.5, 0.0, 0.0)
    # the array form of the drag formula, at the node (latitude 0), against the same terms
    speed = math.sqrt(MU_EARTH_M3_S2 / a0)
    x = OMEGA_EARTH_RAD_S * a0 / speed
    v_rel = speed * math.sqrt(1 - 2 * x * math.cos(inc) + x * x)
    power = float(np.dot(accel_drag(r, v, np.array(rho), b), v))
    assert power == pytest.approx(-0.5 * b * rho * v_rel * speed**2 * (1 - x * math.cos(inc)))
    cowell = propagate_numerical(
        CartesianState(T0, r, v),
        b,
        _ConstantAir(rho),
        T0 + days * 86400.0,
        settings=NumericalSettings(gravity_degree=0, rtol=1e-11),
    )
    slope = np.polyfit(cowell.t_s - T0, cowell.sma_m, 1)[0]
    assert slope == pytest.approx(want, rel=1e-4)

    el = MeanElements(*(np.array([x]) for x in (T0, a0, 0.0, inc, 0.5, 0.0, 0.0)))
    tr = propagate_averaged(el, b, _ConstantAir(rho), T0 + days * 86400.0).trajectories[0]
    drop = tr.sma_m[-1] - tr.sma_m[0]
    assert drop / (tr.t_s[-1] - tr.t_s[0]) == pytest.approx(want, rel=1e-4)
