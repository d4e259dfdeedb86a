"""Flare radio bursts in the observed F10.7 record: detected and replaced.

Used by :mod:`orbitkeep.environment.swfiles` (every file read) and
:meth:`orbitkeep.environment.spaceweather.SpaceWeather.truncated` (a file cut at an
epoch tests its days again). F10.7 in solar flux units (sfu).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

#: An observed day's F10.7 counts as a flare burst when it exceeds this factor times the
#: median of the :data:`BURST_HALF_WIDTH` observed days either side of it. The Penticton
#: flux is measured around local noon; a flare's radio burst during the measurement can
#: multiply it for that one day (938.6 sfu on 2011-03-07 between 142.5 and 166.7), which
#: is not the EUV level the index stands for in NRLMSIS, and NRLMSIS 2.1 itself breaks
#: down there: at 400 km its density falls from 4.1e-12 kg/m^3 at 400 sfu to 1.2e-12 at
#: 560, 5.9e-17 at 650, and is NaN from ~800 (measured with pymsis 0.13, F10.7a 115;
#: ``tests/unit/test_flare_bursts.py``). On the CelesTrak record 1957-2026 the factor 1.5
#: flags 18 days, every one a single- or two-day spike, and none of the multi-day maxima
#: (1957-58, 1979, 1991, the 2003 Halloween storms, which stay within 1.3 of their
#: neighbours). A file cut at an epoch tests its own days again, the last ones against
#: the days before them only (:meth:`SpaceWeather.truncated`): nothing after the cut.
BURST_FACTOR = 1.5
#: Observed days on each side of a day that its burst test compares it with.
BURST_HALF_WIDTH = 2


def flare_bursts(f107: NDArray[np.float64], observed: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Indices of observed days whose F10.7 (sfu) is a flare burst (:data:`BURST_FACTOR`)
    and the median of their neighbours, which replaces it (the burst days themselves left
    out: two-day bursts occur)."""
    idx = np.flatnonzero(observed)
    if idx.size < 2 * BURST_HALF_WIDTH + 1:
        return np.zeros(0, np.int64)
    v = f107[idx]
    k = np.arange(-BURST_HALF_WIDTH, BURST_HALF_WIDTH + 1)
    k = k[k != 0]
    pos = np.arange(idx.size)[:, None] + k[None, :]
    near = np.where((pos >= 0) & (pos < idx.size), v[np.clip(pos, 0, idx.size - 1)], np.nan)
    med = np.nanmedian(near, axis=1)  # at the ends, the neighbours there are
    return np.asarray(idx[v > BURST_FACTOR * med], dtype=np.int64)


def replace_bursts(
    f107: NDArray[np.float64], observed: NDArray[np.bool_]
) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """F10.7 with the flare-burst days (:func:`flare_bursts`) replaced by the median of
    the neighbouring observed days that are not bursts themselves."""
    bursts = flare_bursts(f107, observed)
    if bursts.size == 0:
        return f107, bursts
    out = f107.copy()
    idx = np.flatnonzero(observed)
    clean = np.ones(f107.size, dtype=bool)
    clean[bursts] = False
    for b in bursts.tolist():
        j = int(np.searchsorted(idx, b))
        near = idx[max(j - BURST_HALF_WIDTH - 1, 0) : j + BURST_HALF_WIDTH + 2]
        near = near[clean[near]]
        out[b] = float(np.median(f107[near]))
    out.flags.writeable = False
    return out, bursts
