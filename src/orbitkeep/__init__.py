"""orbitkeep: orbital decay, reentry windows and station-keeping costs for LEO objects.

A small curated API (see :mod:`orbitkeep.api` and ``docs/guide.md``)::

    import orbitkeep as ok
    tles = ok.read_tles("iss.tle")
    d = ok.decay("iss.tle", days=30)        # free decay; d.plot("decay.png")
    w = ok.reentry("object.tle", samples=200, seed=1)
    s = ok.iss("partner-exit", years=3)     # what keeping the ISS up costs
    df = s.to_dataframe()
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import (
    Decay,
    Reentry,
    Result,
    Scenario,
    decay,
    iss,
    reentry,
    space_weather,
    update,
)
from .errors import OrbitkeepError
from .io.tle import TLE, TLEHistory, history, read_tles

__all__ = [
    "TLE",
    "Decay",
    "OrbitkeepError",
    "Reentry",
    "Result",
    "Scenario",
    "TLEHistory",
    "__version__",
    "decay",
    "history",
    "iss",
    "read_tles",
    "reentry",
    "space_weather",
    "update",
]
