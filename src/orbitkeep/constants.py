"""Physical constants, SI units, each with its source.

Gravity: EGM-96 (Lemoine et al. 1998, NASA/TP-1998-206861). The zonal coefficients are
the unnormalised J_n = -sqrt(2n+1) * Cbar_n0 of the EGM-96 normalised coefficients as
published in the ICGEM file ``EGM96.gfc`` (shipped by the ``satkit-data`` package; a test
re-derives them from that file). Earth shape and rotation: WGS-84 (NIMA TR8350.2, 3rd ed.).
"""

from __future__ import annotations

import math

#: Earth's gravitational parameter, m^3/s^2: EGM-96's own value (EGM96.gfc
#: ``earth_gravity_constant``), which its coefficients go with. WGS-84 rounds it to
#: 3.986004418e14; the difference (8e-10 relative) is far below anything drag can show.
MU_EARTH_M3_S2: float = 3.986004415e14
#: Reference radius of the EGM-96 zonal coefficients, m (EGM96.gfc ``radius``).
R_GRAVITY_M: float = 6378136.3
#: WGS-84 equatorial radius, m.
R_EQUATOR_M: float = 6378137.0
#: WGS-84 flattening.
WGS84_F: float = 1.0 / 298.257223563
#: WGS-84 nominal mean angular velocity of the Earth, rad/s.
OMEGA_EARTH_RAD_S: float = 7.292115e-5

#: EGM-96 normalised zonal coefficients Cbar_n0, n = 2..6 (EGM96.gfc).
_CBAR_N0 = {
    2: -0.484165371736e-03,
    3: 0.957254173792e-06,
    4: 0.539873863789e-06,
    5: 0.685323475630e-07,
    6: -0.149957994714e-06,
}
#: Unnormalised zonal harmonics J_n = -sqrt(2n+1) Cbar_n0 (dimensionless), n = 2..6.
J_ZONAL: dict[int, float] = {n: -math.sqrt(2 * n + 1) * c for n, c in _CBAR_N0.items()}
J2: float = J_ZONAL[2]

#: Standard gravity for the rocket equation, m/s^2 (CGPM 1901, exact by definition).
G0_M_S2: float = 9.80665

#: Seconds per day.
DAY_S: float = 86400.0

#: Default reentry interface altitude, m. 120 km is the conventional entry interface used
#: for reentry predictions (ESA Space Debris Office and the IADC reentry campaigns quote
#: reentry epochs at 80 km, NASA's entry interface is 122 km / 400,000 ft); orbit-averaged
#: and TLE-based methods lose validity below about 120 km, where an object has hours left.
REENTRY_INTERFACE_ALT_M: float = 120_000.0
#: The lowest interface altitude accepted, m: the lowest at which reentry epochs are
#: quoted (ESA, IADC: 80 km, above). Below it no orbit is left to average over: the
#: averaged propagator's steps fail there (60 km, measured on Starlink-24).
MIN_INTERFACE_ALT_M: float = 80_000.0

#: The top of low Earth orbit, m: the IADC Space Debris Mitigation Guidelines
#: (IADC-02-01) define their protected region A, LEO, as reaching up to 2,000 km, as does
#: the FCC's five-year rule (FCC 22-74; :mod:`orbitkeep.window_reading`). Above it the
#: Moon's and the Sun's gravity, which orbitkeep does not model, move the perigee of
#: eccentric orbits.
LEO_TOP_ALT_M: float = 2_000e3
#: The Moon's mean distance from the Earth's centre (the semi-major axis of its orbit),
#: m: 384,400 km (NASA GSFC, Moon Fact Sheet). An orbit that reaches it is the Moon's
#: and the Sun's to shape, not drag's: the lifetime tools refuse apogees out there.
MOON_DISTANCE_M: float = 384_400e3
