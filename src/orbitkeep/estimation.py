"""What a TLE history tells: manoeuvres, quiet arcs and the ballistic coefficient.

Manoeuvre detection: the jump of the mean semi-major axis between consecutive element
sets, after removing the local decay trend, compared with the history's own noise
(1.4826 x median absolute deviation of those jumps, a robust standard deviation).
A jump beyond ``k_sigma`` noise levels (default 8) in either direction is a manoeuvre:
the ISS is reboosted, but also lowered for phasing and moved for debris avoidance.
The noise is not the same all through a history: in an object's last weeks the element
sets scatter far more (fast, storm-driven decay), and against the history's overall
noise that scatter read as manoeuvres, raises included, a dozen in Starlink-24's last
60 days, where no uncontrolled object can gain energy. The threshold is therefore
raised where the local scatter is larger: by the ratio (at least 1) of the robust
standard deviation of the detrended set-to-set jumps within +-:data:`LOCAL_NOISE_DAYS`
to that of the whole history (the raw jumps, which a burn touches at one or two gaps
only). Where the local scatter is no larger, the threshold is the history's.
A single bad element set shows as a pair of opposite jumps and is dropped, not taken
for two manoeuvres; jumps of one sign within 1.5 days merge into one burn (TLE fits
smear a burn over the sets around it).

Ballistic coefficient: least squares of observed mean semi-major axes against the
orbit-averaged model over the manoeuvre-free arcs of a recent window. Drag is linear in
B, so the model decay over an arc scales with B; the fit solves
a_k(t) = c_k + s * D_k(t; B0) with one offset c_k per arc (manoeuvres between arcs
cost nothing) and one scale s, and repeats at the new B until s = 1, to absorb the
density's dependence on altitude (secant steps in ln B once s = 1 is bracketed: over an
object's last days the decay grows much faster than B, :data:`FIT_MAX_ITERATIONS`).
Sets beyond 4 robust sigmas are rejected. The window runs back
from the prediction epoch until the recent decay trend has lowered the mean a by 100
TLE noise levels (so that noise cannot swing B by more than a few per cent), at least
5 and at most 30 days, with arcs of at least 2 days: a few days for an object weeks
from reentry, whose density-model bias changes as it descends; up to a month for a
slowly decaying one such as the ISS at solar minimum. docs/validation.md ("Choosing the
B-fit window") scores it against fixed windows of 10-45 days on the reentered objects'
early life (scripts/bfit_window.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .constants import DAY_S
from .environment.atmosphere import Atmosphere
from .errors import EstimationError as EstimationError  # re-exported: its home was here
from .io.tle import TLEHistory
from .propagators.averaged import AveragedSettings, propagate_averaged
from .state import MeanElements

F64 = NDArray[np.float64]
#: Half-width of the window over which :func:`detect_manoeuvres` measures the local
#: scatter of the element sets, days. With +-20 days no raise is found in the last 90
#: days of the reentered objects (four drops are: GOCE's engine cut-off, Delfi-C3's final
#: plunge, GeneSat-1 on 2010-05-30 and Starlink-76 on 2021-09-23), where the history's
#: noise alone found 47 manoeuvres, 17 of them raises; every ISS manoeuvre of 2021-22
#: and 2024-25 is kept but a drop of 89 m (2021-11-26). In 1998-2004, near solar
#: maximum, 12 of 75 go, among them the drop of 2001-03-31 (the great storm) and three
#: raises of 250-340 m; +-5 days also lost the raise of 765 m on 2001-12-15.
#: ``tests/unit/test_estimation.py`` checks the ISS records and the uncontrolled objects.
LOCAL_NOISE_DAYS = 20.0
#: Iterations allowed to the B fit. A window over which the orbit sinks far (an object's
#: last days: Starlink-24 fell 70 km in the 10 days to 2022-10-21) makes the decay grow
#: faster than B, and rescaling B by the arcs' scale alone overshoots and oscillates
#: (0.010, 0.236, 0.049, 0.210 m^2/kg there, stopped at 0.046 after four iterations,
#: where pairs of sets say 0.11-0.15); so once the root is bracketed the fit takes
#: secant steps in (ln B, ln scale), kept within the bracket.
FIT_MAX_ITERATIONS = 30


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
    padded = np.concatenate([np.full(10, np.nan), rate, np.full(10, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 21)
    return np.asarray(np.nanmedian(windows, axis=1), dtype=float)


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


def _robust_sigma(x: F64) -> float:
    """1.4826 x the median absolute deviation of ``x``."""
    return 1.4826 * float(np.median(np.abs(x - np.median(x))))


def noise_level_m(h: TLEHistory, window_s: float = 2 * DAY_S) -> float:
    """Robust standard deviation (1.4826 MAD) of the level steps between sets, m."""
    if len(h) < 3:
        raise EstimationError("need at least 3 element sets to estimate TLE noise")
    return max(_robust_sigma(_steps(h, window_s)), 1.0)


def _jumps(h: TLEHistory) -> F64:
    """The set-to-set jumps of mean a with the local decay trend removed, m."""
    return np.asarray(np.diff(h.sma_m) - _rates(h) * np.diff(h.epoch_s), dtype=float)


def local_noise_ratio(
    h: TLEHistory, half_days: float = LOCAL_NOISE_DAYS, *, raw: F64 | None = None
) -> F64:
    """Per gap between consecutive sets: the robust scatter of the detrended set-to-set
    jumps of mean a within ``half_days`` of the gap over that of the whole history, at
    least 1 (see the module docstring); ``raw``: those jumps, if already computed."""
    t = h.epoch_s
    raw = _jumps(h) if raw is None else raw
    tg = 0.5 * (t[:-1] + t[1:])
    overall = _robust_sigma(raw)
    if not overall > 0:
        return np.ones(tg.size)
    lo = np.searchsorted(tg, tg - half_days * DAY_S, side="left")
    hi = np.searchsorted(tg, tg + half_days * DAY_S, side="right")
    local = np.array([_robust_sigma(raw[a:b]) for a, b in zip(lo, hi, strict=True)])
    return np.asarray(np.maximum(local / overall, 1.0), dtype=float)


def detect_manoeuvres(
    h: TLEHistory,
    *,
    k_sigma: float = 8.0,
    threshold_m: float | None = None,
    window_s: float = 2 * DAY_S,
) -> list[Manoeuvre]:
    """Manoeuvres in a history: level steps of mean a beyond ``k_sigma`` noise levels,
    the noise raised where the sets scatter more (:func:`local_noise_ratio`).

    ``threshold_m`` overrides the data-derived threshold (the same at every gap).
    Neighbouring gaps see the same burn through their windows; the gap with the largest
    step within ``window_s`` wins.
    """
    if len(h) < 4:
        return []
    st = _steps(h, window_s)
    raw = _jumps(h)
    if threshold_m is not None:
        thr: F64 | float = threshold_m
    else:
        thr = k_sigma * max(_robust_sigma(st), 1.0) * local_noise_ratio(h, raw=raw)
    t = h.epoch_s
    tg = 0.5 * (t[:-1] + t[1:])
    cand = np.flatnonzero(np.abs(st) > thr)
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


def _model_decays(
    h: TLEHistory, arcs: list[NDArray[np.intp]], b: float, atmosphere: Atmosphere
) -> list[F64]:
    """Model decay of mean a from each arc's first set to its other sets, m (all arcs
    propagated together as one vectorised batch)."""
    from .state import MeanElements

    el = MeanElements.stack([mean_elements_at(h, int(ix[0])) for ix in arcs])
    ends = np.array([h.epoch_s[ix[-1]] for ix in arcs])
    res = propagate_averaged(el, b, atmosphere, ends, settings=AveragedSettings(max_step_s=21600.0))
    out = []
    for ix, tr in zip(arcs, res.trajectories, strict=True):
        out.append(
            np.asarray(np.interp(h.epoch_s[ix], tr.t_s, tr.sma_m) - tr.sma_m[0], dtype=float)
        )
    return out


def adaptive_window_days(
    h: TLEHistory, *, min_days: float = 5.0, max_days: float = 30.0, signal_sigmas: float = 100.0
) -> float:
    """The shortest span back from the last set over which the mean a fell by
    ``signal_sigmas`` TLE noise levels (so the fit is stable), within [min, max] days.

    Fast decay (an object weeks from reentry) gives a short, recent window that follows
    the density model's altitude-dependent bias; slow decay gives up to ``max_days``.
    """
    recent = h.select(h.epoch_s >= h.epoch_s[-1] - (max_days + 30.0) * DAY_S)
    if len(recent) < 4:
        return max_days
    sigma = noise_level_m(recent)
    rate = float(-np.median(_rates(recent)[-20:]))  # m/s, recent decay trend
    if not np.isfinite(rate) or rate <= 0:
        return max_days
    days = signal_sigmas * sigma / rate / DAY_S
    return float(min(max(days, min_days), max_days))


def fit_ballistic_coefficient(
    h: TLEHistory,
    atmosphere: Atmosphere,
    *,
    end_s: float | None = None,
    min_days: float = 5.0,
    window_days: float | None = None,
    min_arc_days: float = 2.0,
    b0_m2_kg: float = 0.01,
    signal_sigmas: float = 100.0,
    max_window_days: float = 30.0,
) -> BallisticFit:
    """Fit B over the manoeuvre-free arcs of the last ``window_days`` before ``end_s``.

    Each arc gets its own offset (so manoeuvres between arcs do not matter) and all share
    one B. The arcs must add up to at least ``min_days``. Raises
    :class:`EstimationError` when the history does not support a fit.
    """
    hh = h if end_s is None else h.before(end_s)
    if len(hh) < 3:
        raise EstimationError("need at least 3 element sets before the prediction epoch")
    adaptive = window_days is None
    if window_days is None:
        window_days = adaptive_window_days(
            hh, min_days=min_days, max_days=max_window_days, signal_sigmas=signal_sigmas
        )
    # the window plus 30 days of context for the manoeuvre detector's noise estimate
    hh = hh.select(
        hh.epoch_s >= hh.epoch_s[-1] - (max(window_days, max_window_days) + 30.0) * DAY_S
    )
    t = hh.epoch_s
    mans = detect_manoeuvres(hh)
    t_end = float(t[-1])
    quiet = quiet_arcs(hh, mans, min_days=min_arc_days)
    while True:
        arcs = []
        for i0, i1 in quiet:
            ix = np.arange(i0, i1 + 1)
            ix = ix[t[ix] >= t_end - window_days * DAY_S]
            if ix.size >= 4 and t[ix[-1]] - t[ix[0]] >= min_arc_days * DAY_S:
                arcs.append(ix)
        total = sum(float(t[ix[-1]] - t[ix[0]]) for ix in arcs) / DAY_S
        if total >= min_days or not adaptive or window_days >= max_window_days:
            break
        window_days = min(1.5 * window_days, max_window_days)  # gaps or burns: widen
    if total < min_days:
        raise EstimationError(
            f"the manoeuvre-free arcs of the last {window_days:g} days span {total:.1f} "
            f"days; at least {min_days:g} are needed"
        )
    n_arc = len(arcs)
    y = np.concatenate([hh.sma_m[ix] - hh.sma_m[ix[0]] for ix in arcs])
    X = np.zeros((y.size, n_arc + 1))
    row = 0
    for k, ix in enumerate(arcs):
        X[row : row + ix.size, k] = 1.0
        row += ix.size
    b = b0_m2_kg
    s = 1.0
    cov = np.zeros((n_arc + 1, n_arc + 1))
    resid = np.zeros(y.size)
    use = np.ones(y.size, dtype=bool)
    slope = 1.0  # -d ln(s) / d ln(B): 1 while the decay is linear in B
    lo: tuple[float, float] | None = None  # (ln B, ln s) with s > 1: B too small
    hi: tuple[float, float] | None = None  # ... with s < 1: B too large
    prev: tuple[float, float] | None = None
    for _ in range(FIT_MAX_ITERATIONS):
        X[:, -1] = np.concatenate(_model_decays(hh, arcs, b, atmosphere))
        coef, *_ = np.linalg.lstsq(X[use], y[use], rcond=None)
        # reject wild sets (beyond 4 robust sigmas) and solve again
        r_all = y - X @ coef
        robust = _robust_sigma(r_all)
        use = np.abs(r_all) <= 4.0 * max(robust, 1.0)
        coef, *_ = np.linalg.lstsq(X[use], y[use], rcond=None)
        s = float(coef[-1])
        resid = (y - X @ coef)[use]
        dof = max(int(use.sum()) - n_arc - 1, 1)
        cov = float(resid @ resid) / dof * np.linalg.pinv(X[use].T @ X[use])
        if s <= 0:
            raise EstimationError("the observed arcs show no decay: cannot fit drag")
        if abs(s - 1.0) < 1e-3:
            break
        point = (math.log(b), math.log(s))
        if prev is not None and point[0] != prev[0]:
            slope = max((prev[1] - point[1]) / (point[0] - prev[0]), 1e-3)
        if s > 1.0:
            lo = point
        else:
            hi = point
        prev = point
        step = point[0] + point[1] / slope  # secant (at first: as if linear in B)
        if lo is not None and hi is not None:  # kept inside the bracket
            if abs(hi[0] - lo[0]) < 1e-3:  # B known to 0.1 %: the rejected sets can
                break  # make the scale jump across 1 there
            step = min(max(step, lo[0]), hi[0])
        b = math.exp(step)
    else:
        raise EstimationError(
            f"the B fit did not converge in {FIT_MAX_ITERATIONS} iterations "
            f"(last scale {s:.3f} at B = {b:.4g} m^2/kg)"
        )
    # d ln(s) = -slope d ln(B): the scale's sigma in ln B, where the decay is not linear
    sigma_b = b * float(np.sqrt(cov[-1, -1])) / s / slope
    return BallisticFit(
        b_m2_kg=float(b),
        sigma_m2_kg=float(sigma_b),
        arc_start_s=float(t[arcs[0][0]]),
        arc_end_s=float(t[arcs[-1][-1]]),
        residual_rms_m=float(np.sqrt(np.mean(resid**2))),
        n_tles=int(use.sum()),
    )
