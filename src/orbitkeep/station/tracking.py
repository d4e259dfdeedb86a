"""The station's state from its tracking data: the mean orbit at the start and the
effective ballistic coefficient B = Cd A / m fitted on the element-set history before it.

B comes from :func:`orbitkeep.estimation.fit_ballistic_coefficient` (the reentry issue's
estimator) and is reported with its fit window. The ISS's fitted B changes by a factor
~2 from arc to arc (attitude, arrays, docked vehicles, the density model's bias), far
beyond one arc's formal error, so the state also carries the range of the arcs fitted
over the year before the start: the yearly budgets are given over that range.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..constants import R_EQUATOR_M
from ..environment.atmosphere import Atmosphere
from ..errors import SpaceWeatherCoverageError
from ..io.tle import history, read_tles
from ..state import MeanElements
from ..timescale import iso_utc
from .model import StationModel
from .sourced import StationConfigError

DAY_S = 86400.0


@dataclass(frozen=True)
class StationState:
    """The station's mean orbit at ``epoch_s`` and its effective ballistic coefficient.

    ``b_m2_kg`` = Cd A / m at ``mass_kg`` (the configuration it was fitted for); the fit
    window ``fit_start_s``..``fit_end_s`` (Unix s) and ``b_sigma_m2_kg`` come from the
    estimator; ``b_range_m2_kg`` is (lowest, highest) B of the quiet arcs fitted over
    ``b_range_window_s`` (None: not known); ``source`` says where the state came from.
    """

    elements: MeanElements
    b_m2_kg: float
    mass_kg: float
    b_sigma_m2_kg: float | None = None
    fit_start_s: float | None = None
    fit_end_s: float | None = None
    source: str = ""
    b_range_m2_kg: tuple[float, float] | None = None
    b_range_window_s: tuple[float, float] | None = None
    b_range_arcs: int = 0

    @property
    def epoch_s(self) -> float:
        """Epoch of the elements, Unix s."""
        return float(self.elements.epoch_s[0])

    @property
    def mean_alt_m(self) -> float:
        """Mean altitude a - R_eq, m."""
        return float(self.elements.sma_m[0]) - R_EQUATOR_M

    def b_factors(self) -> tuple[float, float]:
        """(low, high) B of the range relative to ``b_m2_kg`` ((1, 1) when unknown)."""
        if self.b_range_m2_kg is None or self.b_m2_kg <= 0:
            return 1.0, 1.0
        lo, hi = self.b_range_m2_kg
        return min(lo, self.b_m2_kg) / self.b_m2_kg, max(hi, self.b_m2_kg) / self.b_m2_kg

    def describe(self) -> dict[str, Any]:
        """JSON-ready summary (ISO 8601 UTC times, km, kg, m^2/kg)."""
        out: dict[str, Any] = {
            "epoch_utc": iso_utc(self.epoch_s),
            "mean_alt_km": round(self.mean_alt_m / 1000.0, 3),
            "mass_kg": round(self.mass_kg),
            "b_m2_kg": self.b_m2_kg,
            "b_sigma_m2_kg": self.b_sigma_m2_kg,
            "source": self.source,
        }
        if self.fit_start_s is not None and self.fit_end_s is not None:
            out["b_fit_window_utc"] = [iso_utc(self.fit_start_s), iso_utc(self.fit_end_s)]
        if self.b_range_m2_kg is not None and self.b_range_window_s is not None:
            out["b_range_m2_kg"] = list(self.b_range_m2_kg)
            out["b_range_window_utc"] = [iso_utc(t) for t in self.b_range_window_s]
            out["b_range_arcs"] = self.b_range_arcs
        return out


def circular_state(
    epoch_s: float, mean_alt_km: float, b_m2_kg: float, mass_kg: float, *, incl_deg: float = 51.64
) -> StationState:
    """A near-circular station state at ``mean_alt_km`` (for tests and what-ifs)."""
    el = MeanElements(
        np.array([epoch_s]),
        np.array([R_EQUATOR_M + mean_alt_km * 1000.0]),
        np.array([5e-4]),
        np.array([math.radians(incl_deg)]),
        np.zeros(1),
        np.zeros(1),
        np.zeros(1),
    )
    return StationState(el, b_m2_kg, mass_kg, source=f"circular {mean_alt_km:g} km (given)")


def station_state_from_tles(
    tle_path: str | Path,
    atmosphere: Atmosphere,
    model: StationModel,
    *,
    as_of_s: float | None = None,
    lookback_days: float = 90.0,
    range_days: float = 365.0,
) -> StationState:
    """The last element set at or before ``as_of_s`` and B fitted on the history before it.

    B comes from :func:`orbitkeep.estimation.fit_ballistic_coefficient` on each quiet
    (manoeuvre-free) arc, walking back from the last set (stepping over gaps the
    estimator cannot use). The effective B is the median of the arcs that end within
    ``lookback_days`` of the last set (at most 6, at least the most recent one) and its
    sigma their spread (the formal sigma when there is one arc). The range
    (``b_range_m2_kg``) is the lowest and highest B of the arcs ending within
    ``range_days`` (at most 12; arcs whose formal sigma exceeds 20 % of their B left out). The same density model as the prediction is used,
    because fitted coefficients do not transfer between density models (facts A.2/B.6).
    The mass it refers to is the configured station mass with all partners' docked
    vehicles.
    """
    from ..estimation import EstimationError, fit_ballistic_coefficient, mean_elements_at

    h = history(read_tles(tle_path, norad_id=model.norad_id))
    if as_of_s is not None:
        h = h.before(as_of_s)
    if len(h) == 0:
        raise StationConfigError("no element set at or before the start epoch", path=tle_path)
    last = float(h.epoch_s[-1])
    first = float(h.epoch_s[0])
    fits = [fit_ballistic_coefficient(h, atmosphere)]
    end = fits[0].arc_start_s - 1.0
    while len(fits) < 12 and end > max(first, last - range_days * DAY_S):
        # for the range, hand the estimator (which looks 30 days back) the 60 days before
        # the end only: detecting manoeuvres on the whole history each time is costly
        recent_end = end > last - lookback_days * DAY_S
        near = h if recent_end else h.select((h.epoch_s > end - 60 * DAY_S) & (h.epoch_s <= end))
        try:
            f = fit_ballistic_coefficient(near, atmosphere, end_s=end)
        except EstimationError:
            end -= 10.0 * DAY_S  # a gap or a busy stretch: step over it
            continue
        except SpaceWeatherCoverageError:
            if recent_end:
                raise
            break  # the range is a bonus: stop where the space-weather file starts
        end = f.arc_start_s - 1.0
        if f.arc_end_s < last - range_days * DAY_S:
            break
        fits.append(f)
    recent = [f for f in fits if f.arc_end_s >= last - lookback_days * DAY_S][:6]
    bs = np.array([f.b_m2_kg for f in recent])
    sigma = float(np.std(bs, ddof=1)) if bs.size > 1 else recent[0].sigma_m2_kg
    # poorly determined arcs (short, or a manoeuvre the detector missed) stay out of the range
    every = np.array([f.b_m2_kg for f in fits if f.sigma_m2_kg <= 0.2 * abs(f.b_m2_kg)] or bs)
    return StationState(
        elements=mean_elements_at(h, len(h) - 1),
        b_m2_kg=float(np.median(bs)),
        mass_kg=model.mass_kg(),
        b_sigma_m2_kg=sigma,
        fit_start_s=min(f.arc_start_s for f in recent),
        fit_end_s=max(f.arc_end_s for f in recent),
        source=f"{Path(tle_path).name} (last set {iso_utc(last)}); B: median of {bs.size} quiet-arc "
        f"fit(s) {', '.join(f'{b:.4f}' for b in bs)} m^2/kg ({recent[0].method})",
        b_range_m2_kg=(float(every.min()), float(every.max())) if every.size > 1 else None,
        b_range_window_s=(min(f.arc_start_s for f in fits), max(f.arc_end_s for f in fits)),
        b_range_arcs=int(every.size),
    )


__all__ = ["StationState", "circular_state", "station_state_from_tles"]
