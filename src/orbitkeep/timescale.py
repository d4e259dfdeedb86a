"""Time handling: UTC seconds since the Unix epoch inside, ISO 8601 at the edges.

orbitkeep keeps every epoch as float64 seconds since 1970-01-01T00:00:00 UTC, leap
seconds ignored (POSIX time). A float64 resolves 0.2 microseconds at 2030, far below
anything drag modelling can tell apart. UT1 - UTC (< 0.9 s) is neglected: it moves the
Earth's rotation angle by < 4 arcsec, irrelevant for drag.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .errors import ParameterError

_J2000_UNIX_S = 946728000.0  # 2000-01-01T12:00:00 UTC


def parse_utc(text: str, *, flag: str | None = None) -> float:
    """Parse an ISO 8601 date or date-time (UTC) into Unix seconds.

    Accepts ``2022-03-12``, ``2022-03-12T18:43``, ``2022-03-12 18:43:40Z`` and the like.
    Raises :class:`ParameterError` naming ``flag`` when the text is not a date.
    """
    s = text.strip().replace(" ", "T")
    if s.endswith("Z"):
        s = s[:-1]
    try:
        dt = datetime.fromisoformat(s)
    except ValueError:
        raise ParameterError(f"not an ISO 8601 UTC date: {text!r}", flag=flag) from None
    if dt.tzinfo is not None:
        try:
            dt = dt.astimezone(UTC).replace(tzinfo=None)
        except OverflowError:  # the offset takes it before year 1 or past 9999
            raise ParameterError(f"outside years 1-9999 in UTC: {text!r}", flag=flag) from None
    return (dt - datetime(1970, 1, 1)).total_seconds()


def iso_utc(t_s: float, *, timespec: str = "seconds") -> str:
    """Format Unix seconds as ISO 8601 UTC with a trailing ``Z``."""
    if not math.isfinite(t_s):
        raise ValueError("time is not finite")
    dt = datetime.fromtimestamp(t_s, UTC).replace(tzinfo=None)
    return dt.isoformat(timespec=timespec) + "Z"


def to_datetime64(t_s: ArrayLike) -> NDArray[np.datetime64]:
    """Unix seconds to numpy ``datetime64[us]``."""
    t = np.asarray(t_s, dtype=float)
    return (np.round(t * 1e6)).astype("int64").astype("datetime64[us]")


def gmst_rad(t_s: ArrayLike) -> NDArray[np.float64]:
    """Greenwich mean sidereal time (IAU 1982, Vallado eq. 3-47), radians in [0, 2 pi).

    This is the angle that defines SGP4's TEME frame, so rotating a TEME vector by
    -GMST about z gives the Earth-fixed (pseudo-ITRF, no polar motion) vector.
    """
    t = (np.asarray(t_s, dtype=float) - _J2000_UNIX_S) / (86400.0 * 36525.0)
    sec = (
        67310.54841
        + (876600.0 * 3600.0 + 8640184.812866) * t
        + 0.093104 * t * t
        - 6.2e-6 * t * t * t
    )
    return np.mod(sec * (2.0 * np.pi / 86400.0), 2.0 * np.pi)


def gmst_point(t_s: float) -> float:
    """:func:`gmst_rad` for one epoch on plain floats."""
    t = (t_s - _J2000_UNIX_S) / (86400.0 * 36525.0)
    sec = 67310.54841 + (876600.0 * 3600.0 + 8640184.812866) * t + 0.093104 * t * t - 6.2e-6 * t**3
    return (sec * (2.0 * math.pi / 86400.0)) % (2.0 * math.pi)
