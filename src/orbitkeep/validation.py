"""Validation against observed decay: predict manoeuvre-free stretches of TLE histories.

For each stretch, the ballistic coefficient is fitted only on element sets before the
stretch starts, and the space weather is cut at the start (observations after it are
unknown to a forecaster; past the cut the last 27 observed days recur, one solar
rotation: the recurrence forecast behind NOAA SWPC's 27-day outlook). The
predicted drop of the mean semi-major axis over the stretch is compared with the observed
one. ``observed_weather=True`` instead lets the model see the observed space weather
during the stretch, which measures the density model and the fit alone.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .constants import DAY_S, R_EQUATOR_M
from .environment.atmosphere import make_atmosphere
from .environment.spaceweather import SpaceWeather
from .estimation import (
    EstimationError,
    detect_manoeuvres,
    fit_ballistic_coefficient,
    mean_elements_at,
    quiet_arcs,
)
from .io.tle import TLEHistory
from .propagators.averaged import AveragedSettings, propagate_averaged

F64 = NDArray[np.float64]
#: Half the width of a normal distribution's 90 % band (its 5 % and 95 % quantiles), in
#: sigmas.
Z90 = 1.6448536269514722


@dataclass(frozen=True)
class StretchResult:
    """One predicted stretch: epochs (Unix s), drops of mean a (m), fitted B."""

    start_s: float
    end_s: float
    mean_alt_start_m: float
    observed_drop_m: float
    predicted_drop_m: float
    b_m2_kg: float
    #: with ``spread=True``: the reentry Monte Carlo's sigma of the log drag factor for
    #: this prediction (:func:`orbitkeep.reentry.drag_spread`; no solar part with the
    #: observed space weather) and the log sigma of the observed drop (its Theil-Sen
    #: trend's 95 % interval / 3.92)
    model_log_sigma: float | None = None
    observed_log_sigma: float | None = None

    @property
    def rel_error(self) -> float:
        """(predicted - observed) / observed."""
        return (self.predicted_drop_m - self.observed_drop_m) / self.observed_drop_m

    @property
    def z(self) -> float | None:
        """ln(observed / predicted drop) in sigmas of the Monte Carlo's spread and the
        observed drop's own error combined (None without ``spread``). Over a short stretch
        the drop is proportional to the drag factor, so a calibrated spread gives z of rms
        1 and |z| <= 1.645 in 90 % of the stretches."""
        if self.model_log_sigma is None or self.observed_log_sigma is None:
            return None
        sig = math.hypot(self.model_log_sigma, self.observed_log_sigma)
        return math.log(self.observed_drop_m / self.predicted_drop_m) / sig


def observed_drop_m(h: TLEHistory, idx: NDArray[np.intp]) -> float:
    """Observed drop of mean a over the sets ``idx``, m: the Theil-Sen (median of pairwise
    slopes) trend of all the sets times the span, so that no single noisy element set,
    and in particular neither end set, decides the answer."""
    return observed_drop_with_sigma(h, idx)[0]


def observed_drop_with_sigma(h: TLEHistory, idx: NDArray[np.intp]) -> tuple[float, float]:
    """:func:`observed_drop_m` and its relative sigma: the Theil-Sen slope's 95 %
    confidence interval / (2 x 1.96) / |slope| (Sen 1968, as scipy computes it)."""
    from scipy.stats import theilslopes

    t = h.epoch_s[idx]
    slope, _, lo, hi = theilslopes(h.sma_m[idx], t - t[0])
    rel = float((hi - lo) / (2 * 1.959963984540054) / abs(slope)) if slope else math.inf
    return float(-slope * (t[-1] - t[0])), rel


def stretches(
    h: TLEHistory, *, min_days: float, max_days: float, min_alt_m: float = 0.0
) -> list[tuple[int, int]]:
    """Manoeuvre-free stretches of ``min_days``..``max_days`` above ``min_alt_m``: a quiet
    arc of that length is one stretch, a longer arc is cut into the fewest equal
    consecutive pieces of at most ``max_days``."""
    out = []
    for i0, i1 in quiet_arcs(h, detect_manoeuvres(h), min_days=min_days):
        t0, t1 = h.epoch_s[i0], h.epoch_s[i1]
        # an arc of min..max days is one stretch; a longer one is cut into the fewest
        # equal pieces that are at most max_days long
        n = max(1, int(np.ceil((t1 - t0) / (max_days * DAY_S * 1.05))))
        if (t1 - t0) / n < min_days * DAY_S * 0.95:
            continue
        edges = np.linspace(t0, t1, n + 1)
        for k in range(n):
            a = int(np.searchsorted(h.epoch_s, edges[k], side="left"))
            b = int(np.searchsorted(h.epoch_s, edges[k + 1], side="right")) - 1
            span = h.epoch_s[b] - h.epoch_s[a]
            long_enough = min_days * DAY_S * 0.95 <= span <= max_days * DAY_S * 1.05
            if b - a >= 4 and long_enough and h.sma_m[b] - R_EQUATOR_M >= min_alt_m:
                out.append((a, b))
    return out


def predict_stretches(
    h: TLEHistory,
    space_weather: SpaceWeather,
    *,
    min_days: float,
    max_days: float,
    min_alt_m: float = 0.0,
    model: str = "msis2.1",
    observed_weather: bool = False,
    spread: bool = False,
) -> list[StretchResult]:
    """Hindcast every stretch of ``h``; see the module docstring. ``spread``: also give
    each stretch the sigma the reentry Monte Carlo would give its drag factor (B fitted
    on the 10-day windows too: four more fits a stretch), for :attr:`StretchResult.z`."""
    from .drag_fit import window_spread
    from .reentry import drag_spread

    out = []
    for a, b in stretches(h, min_days=min_days, max_days=max_days, min_alt_m=min_alt_m):
        t0, t1 = float(h.epoch_s[a]), float(h.epoch_s[b])
        sw = space_weather if observed_weather else space_weather.truncated(t0, causal_f107a=True)
        if not observed_weather:
            sw = sw.with_policy("recur27")
        atm = make_atmosphere(model, sw)
        # the stretches are decay predictions: the adaptive window's B (the reentry
        # forecast's combination of windows made the ISS stretches worse: 21.3 -> 23.7 %
        # in 2021, 10.7 -> 12.7 % in 2024-25; the architecture notes)
        try:
            fit = fit_ballistic_coefficient(h, atm, end_s=t0 - 1.0)
        except EstimationError:
            continue
        spread_b = 0.0
        if spread:
            spread_b = window_spread(h, atm, t0 - 1.0, executor="serial")
        idx = np.arange(a, b + 1)
        obs, obs_sigma = observed_drop_with_sigma(h, idx)
        el = mean_elements_at(h, a)
        res = propagate_averaged(
            el,
            fit.b_m2_kg,
            atm,
            t1,
            settings=AveragedSettings(max_step_s=21600.0),
        )
        tr = res.trajectories[0]
        if tr.status not in ("ok",):
            continue
        pred = float(tr.sma_m[0] - np.interp(t1, tr.t_s, tr.sma_m))
        if obs <= 0:
            continue
        model_sigma = None
        if spread:
            sig = drag_spread(fit, spread_b, sw, el, t0, (t1 - t0) / DAY_S, model, tr)
            model_sigma = math.hypot(sig.b, sig.density) if observed_weather else sig.total
        out.append(
            StretchResult(
                t0,
                t1,
                float(h.sma_m[a] - R_EQUATOR_M),
                obs,
                pred,
                fit.b_m2_kg,
                model_sigma,
                obs_sigma if spread else None,
            )
        )
    return out


def spread_calibration(results: list[StretchResult]) -> tuple[float, float, int]:
    """rms z, the fraction with |z| <= 1.645 (inside the Monte Carlo's 90 % band) and
    the count, over the stretches that carry z (NaNs when none do)."""
    z = np.array([r.z for r in results if r.z is not None], dtype=float)
    if z.size == 0:
        return float("nan"), float("nan"), 0
    return float(np.sqrt(np.mean(z**2))), float(np.mean(np.abs(z) <= Z90)), z.size


def median_abs_error(results: list[StretchResult]) -> float:
    """Median of |relative error| over the stretches (NaN when there are none)."""
    if not results:
        return float("nan")
    return float(np.median(np.abs([r.rel_error for r in results])))


@dataclass(frozen=True)
class ReentryHindcast:
    """One reentry prediction made ``lead_days`` before the catalogued decay day."""

    norad_id: int
    name: str | None
    lead_days: float
    epoch_s: float
    truth_s: float  # 12:00 UTC of the catalogued day
    p05_s: float | None
    p50_s: float | None
    p95_s: float | None

    @property
    def error(self) -> float | None:
        """(p50 - truth) / (truth - prediction epoch): signed error per remaining time."""
        if self.p50_s is None:
            return None
        return (self.p50_s - self.truth_s) / (self.truth_s - self.epoch_s)

    @property
    def half_width(self) -> float | None:
        """Half the p05-p95 width per remaining time (truth - prediction epoch)."""
        if self.p05_s is None or self.p95_s is None:
            return None
        return 0.5 * (self.p95_s - self.p05_s) / (self.truth_s - self.epoch_s)

    @property
    def z(self) -> float | None:
        """Where the truth falls in the window, in sigmas of a log-normal remaining time:
        1.645 ln(truth / p50) / ln(p95 / p50) (times counted from the prediction epoch;
        p05 on the early side). A calibrated window gives z of rms 1 over many
        predictions; less means wider windows than the errors need."""
        if self.p05_s is None or self.p50_s is None or self.p95_s is None:
            return None
        rem = [x - self.epoch_s for x in (self.p05_s, self.p50_s, self.p95_s, self.truth_s)]
        if min(rem) <= 0:
            return None
        lo, mid, hi, truth = (math.log(x) for x in rem)
        edge = hi if truth >= mid else lo
        return Z90 * (truth - mid) / abs(edge - mid) if edge != mid else None

    @property
    def inside(self) -> bool:
        """Truth within [p05, p95], allowing +-12 h for the day-precision catalogue."""
        if self.p05_s is None or self.p95_s is None:
            return False
        return self.p05_s - 0.5 * DAY_S <= self.truth_s <= self.p95_s + 0.5 * DAY_S


#: GOCE flew drag-free on its ion engine until its xenon ran out (engine shut down
#: 2013-10-21, ESA); only its unpowered final weeks are a natural decay.
GOCE_UNPOWERED_FROM = "2013-10-21"
#: The reentered objects' TLE histories (tests/data/observed), by NORAD id as in
#: reentries.csv.
REENTERED_HISTORIES = {
    "34602": "34602_goce.tle",
    "32789": "32789_delfic3.tle",
    "29655": "29655_genesat1.tle",
    "44238": "44238_starlink24.tle",
    "44249": "44249_starlink61.tle",
    "44287": "44287_starlink76.tle",
}
#: The naturally decaying ones among them (GOCE flew powered), whose 10-day stretches
#: above 300 km are hindcast for issue 2, in the order of docs/validation.md.
DECAY_STRETCH_HISTORIES = (
    "44238_starlink24.tle",
    "44249_starlink61.tle",
    "44287_starlink76.tle",
    "32789_delfic3.tle",
    "29655_genesat1.tle",
)

#: The ISS near solar maximum (cycle 25 peaked in late 2024): the dense runs of element
#: sets the project has, as (file, first UTC, last UTC). The 2024-09 → 2025-03 CelesTrak
#: GP history (tests/data/observed, ~3 sets a day, converted from OMM records) and the
#: dense part of the bundled history (Space-Track gp_history, ~2.5 a day); outside
#: 2025-09-27 → 2025-12-31 the bundled sets are weeks apart, too sparse to find burns.
ISS_SOLAR_MAX = (
    ("25544_iss_2024-09_2025-03_from_omm.tle", None, None),
    ("bundled:iss_25544.tle", "2025-09-27", "2026-01-01"),
)


def iss_solar_max_histories(observed_dir: Path) -> list[TLEHistory]:
    """The ISS histories of :data:`ISS_SOLAR_MAX` (``bundled:`` names the package's
    data directory, anything else ``observed_dir``), each cut to its dense run."""
    from .decay import BUNDLED_ISS_TLE
    from .io.tle import history, read_tles
    from .timescale import parse_utc

    out = []
    for name, first, last in ISS_SOLAR_MAX:
        path = (
            BUNDLED_ISS_TLE.parent / name.removeprefix("bundled:")
            if name.startswith("bundled:")
            else observed_dir / name
        )
        h = history(read_tles(path))
        lo = -np.inf if first is None else parse_utc(first)
        hi = np.inf if last is None else parse_utc(last)
        out.append(h.select((h.epoch_s >= lo) & (h.epoch_s < hi)))
    return out


def reentry_hindcasts(
    h: TLEHistory,
    truth_day_s: float,
    space_weather: SpaceWeather,
    *,
    leads_days: tuple[float, ...] = (90, 60, 30, 14),
    samples: int = 1000,
    seed: int = 1,
    not_before_s: float | None = None,
    executor: str = "process",
) -> list[ReentryHindcast]:
    """Predict the reentry of ``h``'s object ``leads_days`` before the catalogued day.

    Leads whose prediction epoch falls before ``not_before_s`` + 7 days (e.g. a powered
    phase; 7 days so that an unpowered arc exists to fit B on) are skipped.
    """
    from .reentry import predict_reentry

    truth = truth_day_s + 0.5 * DAY_S
    out = []
    for lead in leads_days:
        epoch = truth - lead * DAY_S
        if not_before_s is not None and epoch < not_before_s + 7 * DAY_S:
            continue
        hh = h if not_before_s is None else h.select(h.epoch_s >= not_before_s)
        r = predict_reentry(
            hh, space_weather, before_s=epoch, samples=samples, seed=seed, executor=executor
        )
        q = r.quantiles_s
        out.append(
            ReentryHindcast(h.norad_id, h.name, lead, epoch, truth, q["p05"], q["p50"], q["p95"])
        )
    return out


@dataclass(frozen=True)
class GridCase:
    """One orbit of the averaged-vs-Cowell grid: perigee altitude (km), e, i (deg), B."""

    perigee_km: float
    ecc: float
    incl_deg: float
    b_m2_kg: float


def lifetime_grid() -> list[GridCase]:
    """The issue's grid: circular 300-600 km, e = 0.01 and 0.05 with perigees of
    250-400 km, inclinations 0, 51.6 and 98 degrees, two ballistic coefficients each.
    The B values are chosen per orbit so that Cowell reaches the interface within about
    one to four months, which keeps the reference runs affordable."""
    b_pairs = {
        (300.0, 0.0): (0.02, 0.05),
        (400.0, 0.0): (0.2, 0.5),
        (500.0, 0.0): (1.0, 2.0),
        (600.0, 0.0): (3.0, 6.0),
        (250.0, 0.01): (0.01, 0.02),
        (350.0, 0.01): (0.2, 0.5),
        (300.0, 0.05): (0.1, 0.2),
        (400.0, 0.05): (1.0, 2.0),
    }
    return [
        GridCase(hp, e, inc, b)
        for (hp, e), bs in b_pairs.items()
        for inc in (0.0, 51.6, 98.0)
        for b in bs
    ]


def compare_lifetime(
    case: GridCase, atmosphere: Any, t0_s: float, horizon_days: float = 200.0
) -> tuple[float | None, float | None]:
    """Lifetimes (days) of one grid case by Cowell and by the averaged propagator, both
    from the same osculating state (the averaged one from its numerically averaged mean
    elements) and the same environment."""
    import math

    from .propagators.numerical import mean_elements_from_state, propagate_numerical
    from .state import CartesianState, MeanElements, kepler_to_cartesian

    a = (R_EQUATOR_M + case.perigee_km * 1e3) / (1 - case.ecc)
    r, v = kepler_to_cartesian(a, case.ecc, math.radians(case.incl_deg), 0.5, 1.0, 0.0)
    st = CartesianState(t0_s, r, v)
    end = t0_s + horizon_days * DAY_S
    cow = propagate_numerical(st, case.b_m2_kg, atmosphere, end)
    ep, am, em, ii, oo, ww = mean_elements_from_state(st)
    el = MeanElements(*(np.array([x]) for x in (ep, am, em, ii, oo, ww, 0.0)))
    avg = propagate_averaged(el, case.b_m2_kg, atmosphere, end)
    lc = None if cow.reentry_s is None else (cow.reentry_s - t0_s) / DAY_S
    ra = float(avg.reentry_s[0])
    la = None if not np.isfinite(ra) else (ra - t0_s) / DAY_S
    return lc, la
