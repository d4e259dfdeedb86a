"""orbitkeep: orbital decay, reentry windows and station-keeping costs for LEO objects.

A small curated API::

    import orbitkeep as ok
    h = ok.read_tles("iss.tle")
"""

from __future__ import annotations

__version__ = "0.1.0"

from .errors import OrbitkeepError  # noqa: E402
from .io.tle import TLE, history, read_tles  # noqa: E402

__all__ = ["TLE", "OrbitkeepError", "__version__", "history", "read_tles"]
