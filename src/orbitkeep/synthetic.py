"""Element-set histories flown by the model itself, to check fits and time runs.

A history of known ballistic coefficient, with no TLE noise and no attitude: what a
B fit must recover exactly (issue 4: within 2 %), and the starting point of
benchmarks that need an object no catalogue holds (a 3U CubeSat at 600 km).
"""

from __future__ import annotations

import numpy as np

from .constants import DAY_S, R_EQUATOR_M
from .environment.atmosphere import Atmosphere
from .io.tle import TLEHistory
from .propagators.averaged import propagate_averaged
from .propagators.averaged_rates import secular_rates
from .state import MeanElements

#: Element sets of a flown history come this often (s): about as often as the
#: catalogue publishes them for a low object.
STEP_S = 8 * 3600.0


def flown_history(
    atmosphere: Atmosphere,
    *,
    start_s: float,
    end_s: float,
    alt_km: float,
    b_m2_kg: float,
    ecc: float = 0.001,
    incl_rad: float,
    raan_rad: float = 1.0,
    argp_rad: float = 0.5,
    step_s: float = STEP_S,
    norad_id: int = 99999,
    name: str = "SYNTHETIC",
) -> TLEHistory:
    """Mean elements every ``step_s`` seconds from ``start_s`` to ``end_s`` (Unix s, both
    included where the steps meet it) of an orbit starting at mean altitude ``alt_km``
    (km above the equatorial radius) with eccentricity ``ecc``, flown by the averaged
    propagator with ballistic coefficient ``b_m2_kg`` (m^2/kg) through ``atmosphere``.

    The semi-major axis is the propagator's, interpolated to the set epochs; eccentricity
    and inclination are held; the node and perigee turn at J2's secular rates, as
    element sets would show (a fit whose arcs started with the orbit plane at another
    local time than the generator's would see another density). Mean anomaly and B*
    are zero, and the history carries no TLE lines (``tles`` holds ``None`` for each set). Raises ``ValueError`` if the orbit
    decays before ``end_s``.
    """
    if not end_s > start_s:
        raise ValueError(f"end_s ({end_s}) must be after start_s ({start_s})")
    el = MeanElements(
        *(
            np.array([x])
            for x in (start_s, R_EQUATOR_M + alt_km * 1e3, ecc, incl_rad, raan_rad, argp_rad, 0.0)
        )
    )
    tr = propagate_averaged(el, b_m2_kg, atmosphere, end_s).trajectories[0]
    if tr.reentry_s is not None:
        days = (tr.reentry_s - start_s) / DAY_S
        raise ValueError(f"the orbit reenters {days:.1f} days after start_s, before end_s")
    ts = start_s + np.arange(0.0, end_s - start_s + 1.0, step_s)
    a = np.interp(ts, tr.t_s, tr.sma_m)
    n = ts.size
    e, i = np.full(n, ecc), np.full(n, incl_rad)
    raan_dot, argp_dot, _, _ = secular_rates(a, e, i)
    dt = np.diff(ts)
    return TLEHistory(
        norad_id=norad_id,
        name=name,
        epoch_s=ts,
        sma_m=a,
        ecc=e,
        incl_rad=i,
        raan_rad=raan_rad + np.concatenate([[0.0], np.cumsum(raan_dot[:-1] * dt)]),
        argp_rad=argp_rad + np.concatenate([[0.0], np.cumsum(argp_dot[:-1] * dt)]),
        mean_anomaly_rad=np.zeros(n),
        bstar=np.zeros(n),
        tles=tuple([None] * n),  # type: ignore[list-item]  # no lines: placeholders, so len() counts sets
    )
