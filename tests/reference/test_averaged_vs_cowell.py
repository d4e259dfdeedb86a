"""The averaged propagator against Cowell with the identical environment (issue 3).

CI runs a subset of the grid with Vallado's exponential atmosphere (cheap); the full
grid runs in benchmarks/accuracy.py. Tolerances are the issue's: lifetimes within 2 %
(median) and 5 % (worst), the ISS 60-day mean-altitude track within 0.5 km.
"""

from __future__ import annotations

import numpy as np
import pytest

from orbitkeep.environment.atmosphere import ExponentialAtmosphere, make_atmosphere
from orbitkeep.io.tle import parse_lines
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.propagators.numerical import propagate_numerical
from orbitkeep.state import CartesianState, MeanElements
from orbitkeep.validation import GridCase, compare_lifetime

T0 = 1647000000.0  # 2022-03-11
SUBSET = [
    GridCase(300, 0.0, 51.6, 0.05),
    GridCase(400, 0.0, 98.0, 0.5),
    GridCase(500, 0.0, 0.0, 2.0),
    GridCase(600, 0.0, 51.6, 6.0),
    GridCase(250, 0.01, 51.6, 0.02),
    GridCase(300, 0.05, 98.0, 0.2),
    # the worst case before the eccentricity vector's J2 turn was integrated exactly
    # (-4.5 %, -10 % with B = 0.1); the perigee turns 4x faster at i = 0 than at 51.6
    GridCase(400, 0.05, 0.0, 2.0),
]


@pytest.fixture(scope="module")
def lifetimes() -> list[tuple[float | None, float | None]]:
    atm = ExponentialAtmosphere()
    return [compare_lifetime(c, atm, T0) for c in SUBSET]


def test_averaged_lifetimes_within_2_percent_median_5_worst(lifetimes) -> None:  # type: ignore[no-untyped-def]
    errs = []
    for (cow, avg), case in zip(lifetimes, SUBSET, strict=True):
        assert cow is not None and avg is not None, case
        errs.append(abs(avg - cow) / cow)
    assert float(np.median(errs)) <= 0.02
    assert max(errs) <= 0.05


def test_iss_60_day_track_within_half_a_km_of_cowell(space_weather) -> None:  # type: ignore[no-untyped-def]
    l1 = "1 25544U 98067A   22071.78032407  .00021395  00000-0  39008-3 0  9996"
    l2 = "2 25544  51.6424  94.0370 0004047 256.5103  89.8846 15.49386383330227"
    tle = parse_lines(l1, l2)
    sat = tle.satrec()
    atm = make_atmosphere("msis2.1", space_weather)
    b = 2.2 * 1500 / 420000
    _, r, v = sat.sgp4_tsince(0.0)
    st = CartesianState(tle.epoch_s, np.array(r) * 1e3, np.array(v) * 1e3)
    end = tle.epoch_s + 60 * 86400.0
    cow = propagate_numerical(st, b, atm, end)
    vals = (tle.epoch_s, tle.sma_m, sat.ecco, sat.inclo, sat.nodeo, sat.argpo, sat.mo)
    avg = propagate_averaged(MeanElements(*(np.array([x]) for x in vals)), b, atm, end)
    track = np.interp(cow.t_s, avg.trajectories[0].t_s, avg.trajectories[0].sma_m)
    assert np.max(np.abs(track - cow.sma_m)) < 500.0
