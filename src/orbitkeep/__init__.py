"""orbitkeep: orbital decay, reentry windows and station-keeping costs for LEO objects.

A small curated API (see :mod:`orbitkeep.api` and ``docs/guide.md``)::

    import orbitkeep as ok
    tles = ok.read_tles("iss.tle")
    d = ok.decay("iss.tle", days=30)        # free decay; d.plot("decay.png")
    w = ok.reentry("object.tle", samples=200, seed=1)
    life = ok.lifetime(alt_km=550, incl_deg=97.6, mass_kg=4, area_m2=0.03, cd=2.2)
    s = ok.iss("partner-exit", years=3)     # what keeping the ISS up costs
    df = s.to_dataframe()
"""

from __future__ import annotations

import sys as _sys
import types as _types

__version__ = "0.1.0"

from .api import (
    Decay,
    Reentry,
    Result,
    Scenario,
    Scenarios,
    decay,
    iss,
    lifetime,
    reentry,
    space_weather,
    update,
)
from .errors import OrbitkeepError
from .io.elements import read_elements
from .io.tle import TLE, TLEHistory, history, read_tles


class _Package(_types.ModuleType):
    """The package module: keeps ``ok.decay``, ``ok.reentry`` and ``ok.lifetime`` the API
    functions.

    ``orbitkeep.decay``, ``orbitkeep.reentry`` and ``orbitkeep.lifetime`` are also
    submodules, and importing a submodule normally rebinds the package attribute of the
    same name to it. The modules stay importable (``from orbitkeep.decay import
    run_decay``, ``sys.modules``); only the attribute on the package is kept pointing at
    the function.
    """

    def __setattr__(self, name: str, value: object) -> None:
        if name in ("decay", "reentry", "lifetime") and isinstance(value, _types.ModuleType):
            return
        super().__setattr__(name, value)


_sys.modules[__name__].__class__ = _Package

__all__ = [
    "TLE",
    "Decay",
    "OrbitkeepError",
    "Reentry",
    "Result",
    "Scenario",
    "Scenarios",
    "TLEHistory",
    "__version__",
    "decay",
    "history",
    "iss",
    "lifetime",
    "read_elements",
    "read_tles",
    "reentry",
    "space_weather",
    "update",
]
