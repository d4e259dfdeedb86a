"""The ballistic coefficient a reentry prediction starts from, and how much it wanders.

The nominal B (m^2/kg) is the geometric mean of the least-squares fits
(:func:`~orbitkeep.estimation.fit_ballistic_coefficient`) over the adaptive window and
over the last 20 and 45 days; B's spread is the scatter of fits over consecutive 10-day
windows of the last 40 days. Why (both are scored on data the hindcasts do not use):
the :mod:`orbitkeep.reentry` docstring and docs/validation.md.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .batch import run_many
from .constants import DAY_S
from .estimation import BallisticFit, EstimationError, fit_ballistic_coefficient
from .io.tle import TLEHistory

#: B is also fitted on this many consecutive windows of :data:`B_SPREAD_WINDOW_DAYS`
#: before the epoch; the spread of those fits is part of B's sigma (see the module
#: docstring).
B_SPREAD_WINDOWS = 4
B_SPREAD_WINDOW_DAYS = 10.0
#: A window fit enters that spread only if it detects drag: B above this many of its
#: own sigmas. A window in which something else held the orbit up (GOCE's ion engine,
#: drag-free until 2013-10-21) fits B ~ 0 with a sigma as large, and 4.1-4.7 of log
#: spread (a p95 months to five years out, one to two days before GOCE came down)
#: measured that, not B's wander.
B_SPREAD_MIN_SIGMAS = 3.0
#: The nominal B combines the adaptive window's fit with fits over these windows (days;
#: see the module docstring).
B_COMBINE_WINDOWS_DAYS = (20.0, 45.0)
# A longer window counts only where it detects drag and reaches back no further than
# the first of the 10-day spread windows that does not: a window reaching into weeks an
# engine held the orbit up (GOCE's, drag-free until 2013-10-21) fits a B several times
# too small, with a small sigma, which its own drag test lets through (combine_fits).


def _detects_drag(f: BallisticFit | EstimationError) -> bool:
    """Whether a window's fit succeeded and sees drag (:data:`B_SPREAD_MIN_SIGMAS`)."""
    return isinstance(f, BallisticFit) and f.b_m2_kg > B_SPREAD_MIN_SIGMAS * f.sigma_m2_kg


def combine_fits(
    adaptive: BallisticFit,
    longer: list[BallisticFit | EstimationError],
    clear_days: float = math.inf,
) -> BallisticFit:
    """The nominal B, m^2/kg: the geometric mean of the ``adaptive`` fit and those of
    the ``longer`` window fits (over :data:`B_COMBINE_WINDOWS_DAYS`) that detect drag
    and reach back at most ``clear_days`` (the span before the epoch whose 10-day
    windows all see drag), with the adaptive fit's relative sigma and residual and the
    arcs' union (the adaptive fit alone if none counts)."""
    counted = [
        (w, f)
        for w, f in zip(B_COMBINE_WINDOWS_DAYS, longer, strict=True)
        if isinstance(f, BallisticFit) and _detects_drag(f) and w <= clear_days
    ]
    if not counted:
        return adaptive
    used = [adaptive, *(f for _, f in counted)]
    b = math.exp(sum(math.log(f.b_m2_kg) for f in used) / len(used))
    return BallisticFit(
        b_m2_kg=b,
        sigma_m2_kg=adaptive.sigma_m2_kg * b / adaptive.b_m2_kg,
        arc_start_s=min(f.arc_start_s for f in used),
        arc_end_s=max(f.arc_end_s for f in used),
        residual_rms_m=adaptive.residual_rms_m,
        n_tles=max(f.n_tles for f in used),
        method=(
            "geometric mean of least-squares fits of mean semi-major axis (averaged "
            f"propagator) over {len(used)} windows: adaptive, "
            + ", ".join(f"{w:g}" for w, _ in counted)
            + " days"
        ),
    )


def _fit_job(job: tuple[TLEHistory, Any, float, float | None]) -> BallisticFit | EstimationError:
    """One B fit (the adaptive window when ``window_days`` is None), or why it failed."""
    h, atm, end_s, window_days = job
    try:
        if window_days is None:
            return fit_ballistic_coefficient(h, atm, end_s=end_s)
        return fit_ballistic_coefficient(
            h,
            atm,
            end_s=end_s,
            window_days=window_days,
            min_days=5.0,
            max_window_days=max(30.0, window_days),
        )
    except EstimationError as e:
        return e


def fit_with_spread(
    h: TLEHistory, atm: Any, epoch_s: float, **run: Any
) -> tuple[BallisticFit | EstimationError, float]:
    """The nominal B fit at ``epoch_s`` (:func:`combine_fits`; the adaptive fit's error
    if it fails) and the std of log B fitted on the consecutive 10-day windows of the
    last 40 days (those that detect drag, :data:`B_SPREAD_MIN_SIGMAS`; 0 if fewer than
    two do), all fits at once on the executor of ``run``
    (:func:`~orbitkeep.batch.run_many` keywords)."""
    n_long = len(B_COMBINE_WINDOWS_DAYS)
    jobs = (
        [(h, atm, epoch_s, None)]
        + [(h, atm, epoch_s, w) for w in B_COMBINE_WINDOWS_DAYS]
        + _window_jobs(h, atm, epoch_s)
    )
    fit, *fits = run_many(jobs, _fit_job, **run)
    longer, windows = fits[:n_long], fits[n_long:]
    drag = [_detects_drag(f) for f in windows]
    clear_days = B_SPREAD_WINDOW_DAYS * (drag.index(False) if False in drag else math.inf)
    if isinstance(fit, BallisticFit):
        fit = combine_fits(fit, longer, clear_days)
    return fit, _spread(windows)


def _window_jobs(h: TLEHistory, atm: Any, epoch_s: float) -> list[tuple[Any, ...]]:
    """The fit jobs of the consecutive 10-day spread windows ending at ``epoch_s``."""
    return [
        (h, atm, epoch_s - k * B_SPREAD_WINDOW_DAYS * DAY_S, B_SPREAD_WINDOW_DAYS)
        for k in range(B_SPREAD_WINDOWS)
    ]


def _spread(windows: list[BallisticFit | EstimationError]) -> float:
    """The std of log B over the window fits that detect drag (0 if fewer than two)."""
    logs = [
        math.log(f.b_m2_kg) for f in windows if isinstance(f, BallisticFit) and _detects_drag(f)
    ]
    return float(np.std(logs, ddof=1)) if len(logs) >= 2 else 0.0


def window_spread(h: TLEHistory, atm: Any, epoch_s: float, **run: Any) -> float:
    """B's spread alone (the second value of :func:`fit_with_spread`, from the same
    10-day window fits, without the nominal fit), for a caller with its own B."""
    return _spread(run_many(_window_jobs(h, atm, epoch_s), _fit_job, **run))
