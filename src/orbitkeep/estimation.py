"""What a TLE history tells: manoeuvres, quiet arcs and the ballistic coefficient.

Manoeuvre detection: the jump of the mean semi-major axis between consecutive element
sets, after removing the local decay trend, compared with the history's own noise
(1.4826 x median absolute deviation of those jumps, a robust standard deviation).
A jump beyond ``k_sigma`` noise levels (default 6) in either direction is a manoeuvre:
the ISS is reboosted, but also lowered for phasing and moved for debris avoidance.
A single bad element set shows as a pair of opposite jumps and is dropped, not taken
for two manoeuvres; jumps of one sign within 1.5 days merge into one burn (TLE fits
smear a burn over the sets around it).

Ballistic coefficient: least squares of observed mean semi-major axes against the
orbit-averaged model over the most recent manoeuvre-free arc. Drag is linear in B, so
the model decay over the arc scales with B; the fit solves a(t) = c + s * D(t; B0)
for the offset c and scale s, then repeats once at B = s B0 to absorb the density's
dependence on altitude. The arc is the most recent manoeuvre-free one of at least
``min_days`` (5) days, trimmed to its last ``max_days`` (30) days: long enough that TLE
noise (tens of metres in mean a) cannot swing B by more than a few per cent over a
decay of hundreds of metres, short enough to follow changes of attitude and of the
density model's bias with solar activity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .constants import DAY_S
from .environment.atmosphere import Atmosphere
from .errors import OrbitkeepError
from .io.tle import TLEHistory
from .propagators.averaged import AveragedSettings, propagate_averaged
from .state import MeanElements

F64 = NDArray[np.float64]


class EstimationError(OrbitkeepError):
    """The history does not support an estimate (too short, no quiet arc, no decay)."""


@dataclass(frozen=True)
class Manoeuvre:
    """A detected jump in mean semi-major axis between two element sets."""

    t_s: float  # estimated burn epoch: midpoint of the bracketing epochs
    t_before_s: float
    t_after_s: float
    dsma_m: float  # signed jump, trend removed

    @property
    def kind(self) -> str:
        """'raise' or 'lower'."""
        return "raise" if self.dsma_m > 0 else "lower"


@dataclass(frozen=True)
class BallisticFit:
    """A fitted ballistic coefficient B = Cd A / m (m^2/kg) with its uncertainty."""

    b_m2_kg: float
    sigma_m2_kg: float
    arc_start_s: float
    arc_end_s: float
    residual_rms_m: float
    n_tles: int
    method: str = "least-squares fit of mean semi-major axis (averaged propagator)"


def _rates(h: TLEHistory) -> F64:
    """Local decay trend per gap between sets: running median of pair rates, m/s."""
    t, a = h.epoch_s, h.sma_m
    rate = np.diff(a) / np.maximum(np.diff(t), 1.0)
    n = rate.size
    out = np.empty(n)
    for k in range(n):
        out[k] = np.median(rate[max(0, k - 10) : min(n, k + 11)])
    return out


def _steps(h: TLEHistory, window_s: float) -> F64:
    """Robust level change across each gap between consecutive sets, m.

    The median of the detrended mean a over ``window_s`` after the gap minus the same
    before it: one wild element set cannot make a step, a burn does.
    """
    t, a = h.epoch_s, h.sma_m
    rate = _rates(h)
    steps = np.zeros(t.size - 1)
    lo = np.searchsorted(t, t - window_s, side="left")
    hi = np.searchsorted(t, t + window_s, side="right")
    for k in range(t.size - 1):
        tg = 0.5 * (t[k] + t[k + 1])
        left = slice(lo[k], k + 1)
        right = slice(k + 1, hi[k + 1])
        lv = np.median(a[left] + rate[k] * (tg - t[left]))
        rv = np.median(a[right] - rate[k] * (t[right] - tg))
        steps[k] = rv - lv
    return steps


def noise_level_m(h: TLEHistory, window_s: float = 2 * DAY_S) -> float:
    """Robust standard deviation (1.4826 MAD) of the level steps between sets, m."""
    if len(h) < 3:
        raise EstimationError("need at least 3 element sets to estimate TLE noise")
    st = _steps(h, window_s)
    mad = float(np.median(np.abs(st - np.median(st))))
    return max(1.4826 * mad, 1.0)


def detect_manoeuvres(
    h: TLEHistory,
    *,
    k_sigma: float = 8.0,
    threshold_m: float | None = None,
    window_s: float = 2 * DAY_S,
) -> list[Manoeuvre]:
    """Manoeuvres in a history: level steps of mean a beyond ``k_sigma`` noise levels.

    ``threshold_m`` overrides the data-derived threshold. Neighbouring gaps see the same
    burn through their windows; the gap with the largest step within ``window_s`` wins.
    """
    if len(h) < 4:
        return []
    st = _steps(h, window_s)
    sigma = 1.4826 * float(np.median(np.abs(st - np.median(st))))
    thr = threshold_m if threshold_m is not None else k_sigma * max(sigma, 1.0)
    t = h.epoch_s
    tg = 0.5 * (t[:-1] + t[1:])
    cand = np.flatnonzero(np.abs(st) > thr)
    raw = np.diff(h.sma_m) - _rates(h) * np.diff(t)
    out: list[Manoeuvre] = []
    used = np.zeros(st.size, dtype=bool)
    for k in cand[np.argsort(-np.abs(st[cand]))]:
        near = np.abs(tg - tg[k]) < window_s
        if used[near].any():
            continue
        used[near] = True
        # the burn lies in the gap of this neighbourhood with the largest raw jump
        zone = np.flatnonzero(near)
        kk = int(zone[np.argmax(np.sign(st[k]) * raw[zone])])
        out.append(Manoeuvre(float(tg[kk]), float(t[kk]), float(t[kk + 1]), float(st[k])))
    out.sort(key=lambda m: m.t_s)
    return out


def quiet_arcs(
    h: TLEHistory,
    manoeuvres: list[Manoeuvre],
    *,
    min_days: float = 0.0,
    settle_s: float = DAY_S,
) -> list[tuple[int, int]]:
    """Index ranges [i0, i1] (inclusive) of sets between manoeuvres, at least ``min_days``.

    Sets within ``settle_s`` after a burn are left out: element sets fitted across a
    burn carry transients for about a day.
    """
    cuts = sorted(m.t_before_s for m in manoeuvres)
    afters = sorted(m.t_after_s + settle_s for m in manoeuvres)
    bounds = [(-np.inf, cuts[0] if cuts else np.inf)]
    for k in range(len(cuts)):
        bounds.append((afters[k], cuts[k + 1] if k + 1 < len(cuts) else np.inf))
    arcs = []
    for lo, hi in bounds:
        idx = np.flatnonzero((h.epoch_s >= lo) & (h.epoch_s <= hi))
        if idx.size >= 3 and h.epoch_s[idx[-1]] - h.epoch_s[idx[0]] >= min_days * DAY_S:
            arcs.append((int(idx[0]), int(idx[-1])))
    return arcs


def mean_elements_at(h: TLEHistory, i: int) -> MeanElements:
    """The mean elements of set ``i`` as a one-object :class:`MeanElements`."""
    return MeanElements(
        np.array([h.epoch_s[i]]),
        np.array([h.sma_m[i]]),
        np.array([h.ecc[i]]),
        np.array([h.incl_rad[i]]),
        np.array([h.raan_rad[i]]),
        np.array([h.argp_rad[i]]),
        np.array([h.mean_anomaly_rad[i]]),
    )


def _model_decay(
    h: TLEHistory, i0: int, idx: NDArray[np.intp], b: float, atmosphere: Atmosphere
) -> F64:
    el = mean_elements_at(h, i0)
    res = propagate_averaged(
        el, b, atmosphere, float(h.epoch_s[idx[-1]]), settings=AveragedSettings(max_step_s=21600.0)
    )
    tr = res.trajectories[0]
    return np.asarray(np.interp(h.epoch_s[idx], tr.t_s, tr.sma_m) - h.sma_m[i0], dtype=float)


def fit_ballistic_coefficient(
    h: TLEHistory,
    atmosphere: Atmosphere,
    *,
    end_s: float | None = None,
    min_days: float = 5.0,
    max_days: float = 30.0,
    b0_m2_kg: float = 0.01,
) -> BallisticFit:
    """Fit B over the most recent manoeuvre-free arc ending at or before ``end_s``.

    Raises :class:`EstimationError` when no usable arc exists.
    """
    hh = h if end_s is None else h.before(end_s)
    if len(hh) < 3:
        raise EstimationError("need at least 3 element sets before the prediction epoch")
    mans = detect_manoeuvres(hh)
    arcs = quiet_arcs(hh, mans, min_days=min_days)
    if not arcs:
        raise EstimationError(
            f"no manoeuvre-free arc of at least {min_days:g} days in the history"
        )
    i0, i1 = arcs[-1]  # the most recent one long enough
    t = hh.epoch_s
    # the whole arc, trimmed to its last max_days: more sets average the TLE noise down,
    # a bounded span follows changes of attitude (drag area) and of the density bias
    start = int(np.searchsorted(t, t[i1] - max_days * DAY_S, side="left"))
    start = max(start, i0)
    idx = np.arange(start, i1 + 1)
    b = b0_m2_kg
    s = 1.0
    cov = np.zeros((2, 2))
    resid = np.zeros(idx.size)
    use = np.ones(idx.size, dtype=bool)
    for _ in range(3):
        d = _model_decay(hh, start, idx, b, atmosphere)
        X = np.stack([np.ones_like(d), d], axis=1)
        y = hh.sma_m[idx] - hh.sma_m[start]
        coef, *_ = np.linalg.lstsq(X[use], y[use], rcond=None)
        # reject wild sets (beyond 4 robust sigmas) and solve again
        r_all = y - X @ coef
        robust = 1.4826 * float(np.median(np.abs(r_all - np.median(r_all))))
        use = np.abs(r_all) <= 4.0 * max(robust, 1.0)
        if use.sum() < 3:
            use[:] = True
        coef, *_ = np.linalg.lstsq(X[use], y[use], rcond=None)
        s = float(coef[1])
        resid = (y - X @ coef)[use]
        dof = max(int(use.sum()) - 2, 1)
        s2 = float(resid @ resid) / dof
        cov = s2 * np.linalg.pinv(X[use].T @ X[use])
        if s <= 0:
            raise EstimationError("the observed arc shows no decay: cannot fit drag")
        b *= s
        if abs(s - 1.0) < 1e-3:
            break
    sigma_b = b * float(np.sqrt(cov[1, 1])) / s if s > 0 else float("nan")
    return BallisticFit(
        b_m2_kg=float(b),
        sigma_m2_kg=float(sigma_b),
        arc_start_s=float(t[start]),
        arc_end_s=float(t[i1]),
        residual_rms_m=float(np.sqrt(np.mean(resid**2))),
        n_tles=int(use.sum()),
    )
