"""The station's reentry windows come from the reentry module's Monte Carlo (issue 5)."""

from __future__ import annotations

import numpy as np

from orbitkeep.constants import R_EQUATOR_M
from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.state import MeanElements
from orbitkeep.station.scenarios import mc_window
from orbitkeep.timescale import parse_utc


def test_window_brackets_the_nominal_reentry_and_is_reproducible(space_weather) -> None:  # type: ignore[no-untyped-def]
    atm = make_atmosphere("msis2.1", space_weather)
    t0 = parse_utc("2023-06-01")
    # an ISS-like station already down at 280 km: weeks to live
    el = MeanElements(
        *(np.array([x]) for x in (t0, R_EQUATOR_M + 280e3, 0.0005, 0.9013, 1.0, 0.5, 0.0))
    )
    b = 0.008
    until = t0 + 2 * 365.25 * 86400.0
    nominal = float(propagate_averaged(el, b, atm, until).reentry_s[0])
    w1 = mc_window(el, b, atm, until, nominal, (0.8, 1.2))
    w2 = mc_window(el, b, atm, until, nominal, (0.8, 1.2))
    assert w1 is not None and w1 == w2
    p05, p50, p95 = (parse_utc(w1[k]) for k in ("p05", "p50", "p95"))
    assert p05 < p50 < p95
    assert p05 < nominal < p95
