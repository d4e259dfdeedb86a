"""The ISS reference case measured with satkit 0.24, Orekit 13.1 and brahe 1.8.

Issue 2 holds the Cowell propagator to the peers' 30-day figure (+-1 %); issue 3 holds
the averaged one to the peers' 365-day figure (+-2 %) and to Cowell (2 %).

TLE 25544 of 2022-03-12 (state from sgp4 at epoch), 420,000 kg, 1,500 m^2, Cd 2.2,
NRLMSISE-00 with daily Ap and the real space weather (as published), J2..J6, no other forces: the mean
semi-major axis (one-revolution average) drops 1.97 km in 30 days (+-1 %) and the
mean altitude 37.2-37.5 km in 365 days (+-2 %).
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.io.tle import parse_lines
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.propagators.numerical import propagate_numerical
from orbitkeep.state import CartesianState, MeanElements

L1 = "1 25544U 98067A   22071.78032407  .00021395  00000-0  39008-3 0  9996"
L2 = "2 25544  51.6424  94.0370 0004047 256.5103  89.8846 15.49386383330227"
B = 2.2 * 1500.0 / 420000.0


@pytest.fixture(scope="module")
def case(space_weather):  # type: ignore[no-untyped-def]
    tle = parse_lines(L1, L2)
    sat = tle.satrec()
    # the peers read F10.7 as published (2022-03-31's flare burst of 239.5 sfu included)
    atm = make_atmosphere("msis00", space_weather.as_published(), ap_mode="daily")
    return tle, sat, atm


def _elements(tle, sat) -> MeanElements:  # type: ignore[no-untyped-def]
    vals = (tle.epoch_s, tle.sma_m, sat.ecco, sat.inclo, sat.nodeo, sat.argpo, sat.mo)
    return MeanElements(*(np.array([v]) for v in vals))


@pytest.fixture(scope="module")
def cowell_30_day_drop_km(case) -> float:  # type: ignore[no-untyped-def]
    tle, sat, atm = case
    _, r, v = sat.sgp4_tsince(0.0)
    st = CartesianState(tle.epoch_s, np.array(r) * 1e3, np.array(v) * 1e3)
    tr = propagate_numerical(st, B, atm, tle.epoch_s + 30 * 86400.0)
    return float((tr.sma_m[0] - tr.sma_m[-1]) / 1e3)


def test_cowell_30_day_drop_matches_the_peers(cowell_30_day_drop_km: float) -> None:
    assert cowell_30_day_drop_km == pytest.approx(1.97, rel=0.01)


def test_averaged_365_day_drop_matches_the_peers_and_30_day_matches_cowell(
    case, cowell_30_day_drop_km: float
) -> None:  # type: ignore[no-untyped-def]
    tle, sat, atm = case
    res = propagate_averaged(_elements(tle, sat), B, atm, tle.epoch_s + 365 * 86400.0)
    tr = res.trajectories[0]
    drop30 = (tr.sma_m[0] - np.interp(tle.epoch_s + 30 * 86400.0, tr.t_s, tr.sma_m)) / 1e3
    drop365 = (tr.sma_m[0] - tr.sma_m[-1]) / 1e3
    assert 37.2 * 0.98 <= drop365 <= 37.5 * 1.02
    assert drop30 == pytest.approx(cowell_30_day_drop_km, rel=0.02)
