"""What a reentry window says beyond its quantiles: the lifetime rules the object meets,
and the notes a reader needs where the window is easy to misread.

Lifetime rules. Operators check an object's remaining orbital lifetime against a limit
counted from the end of its mission:

- 25 years: the post-mission disposal limit of the IADC Space Debris Mitigation
  Guidelines, of ISO 24113 and of NASA-STD-8719.14 requirement 4.6-1, which NASA DAS
  assesses (../shared/reference/iss-and-lifetime-facts.md, B.1);
- 5 years: the US FCC's rule for spacecraft ending their mission in or passing through
  LEO below 2,000 km (Second Report and Order FCC 22-74, adopted 2022-09-29; 47 CFR
  25.114(d)(14)(vii) and 25.283; not in the facts file).

Whether an object meets a rule is a probability over the uncertain future (solar
activity, density, B): CNES STELA's statistical mode calls a lifetime compliant when it
is under the limit with probability at least 0.9 (facts B.1), the convention used here.
The probability is the fraction of the Monte Carlo samples that reenter within the limit
counted from the prediction epoch (the epoch stands for the end of the mission: predict
as of that date, ``--before``). A limit beyond the run's horizon has no probability.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from .constants import DAY_S
from .decay import above_leo_notes

F64 = NDArray[np.float64]

#: Lifetime limits checked, in years after the prediction epoch (see the module docstring).
LIFETIME_RULES_YEARS: tuple[float, ...] = (5.0, 25.0)
#: The probability of reentering within a limit that counts as compliant (STELA, facts B.1).
COMPLIANCE_PROBABILITY = 0.9
_YEAR_S = 365.25 * DAY_S


def lifetime_rules(
    reentry_s: F64,
    prediction_epoch_s: float,
    horizon_end_s: float,
    years: tuple[float, ...] = LIFETIME_RULES_YEARS,
) -> list[dict[str, Any]]:
    """For each limit of ``years``: ``years``, ``probability`` (fraction of the samples'
    reentry epochs ``reentry_s``, Unix s, NaN for still in orbit, within that many years
    of ``prediction_epoch_s``) and ``compliant`` (probability >= COMPLIANCE_PROBABILITY);
    both None when the limit falls after ``horizon_end_s``, the end of the run."""
    out: list[dict[str, Any]] = []
    r = np.asarray(reentry_s, dtype=float)
    for y in years:
        limit = prediction_epoch_s + y * _YEAR_S
        if limit > horizon_end_s + 1.0 or r.size == 0:
            out.append({"years": y, "probability": None, "compliant": None})
            continue
        p = float(np.mean(np.isfinite(r) & (r <= limit)))
        out.append({"years": y, "probability": p, "compliant": p >= COMPLIANCE_PROBABILITY})
    return out


def reentry_notes(
    perigee_alt_m: float,
    interface_alt_m: float,
    reentry_s: F64,
    prediction_epoch_s: float,
    tle_epoch_s: float,
    apogee_alt_m: float | None = None,
) -> list[str]:
    """Notes for windows that are easy to misread: the object's last element set already
    at or below the interface altitude (it counts as reentered there), samples that
    reenter before the prediction epoch (``--before`` later than the last element set: by
    the epoch the object has most likely come down), or an apogee above low Earth orbit
    (:func:`~orbitkeep.decay.above_leo_notes`), where forces orbitkeep leaves out move
    the perigee. Altitudes in m, epochs in Unix s."""
    notes = above_leo_notes(apogee_alt_m)
    if perigee_alt_m <= interface_alt_m:
        notes.append(
            f"the last element set's mean perigee ({perigee_alt_m / 1e3:.0f} km) is at or "
            f"below the interface altitude ({interface_alt_m / 1e3:.0f} km): the object "
            f"counts as reentered at that set's epoch"
        )
        return notes
    r = np.asarray(reentry_s, dtype=float)
    early = float(np.mean(np.isfinite(r) & (r < prediction_epoch_s))) if r.size else 0.0
    if early > 0.0:
        stale_days = (prediction_epoch_s - tle_epoch_s) / DAY_S
        notes.append(
            f"{early:.0%} of the samples reenter before the prediction epoch, "
            f"{stale_days:.1f} days after the last element set: by then the object has "
            + ("most likely " if early >= 0.5 else "possibly ")
            + "come down already"
        )
    return notes
