"""How a reentry hindcast is scored: the truth's place in its window (``ReentryHindcast``)."""

from __future__ import annotations

import math

import pytest

from orbitkeep.constants import DAY_S
from orbitkeep.validation import ReentryHindcast

Z95 = 1.6448536269514722


def _case(truth_factor: float, sigma: float = 0.3) -> ReentryHindcast:
    """A window of a log-normal remaining time (median 40 days, log sigma ``sigma``)
    from epoch 1000 s, with the truth at ``truth_factor`` times the median."""
    t0, median = 1000.0, 40 * DAY_S
    return ReentryHindcast(
        1,
        "X",
        40.0,
        t0,
        t0 + median * truth_factor,
        t0 + median * math.exp(-Z95 * sigma),
        t0 + median,
        t0 + median * math.exp(Z95 * sigma),
    )


@pytest.mark.parametrize("z", [-2.0, -0.5, 0.0, 0.7, 1.0, 2.5])
def test_z_is_the_truth_in_sigmas_of_the_log_normal_window(z) -> None:  # type: ignore[no-untyped-def]
    assert _case(math.exp(0.3 * z)).z == pytest.approx(z, abs=1e-12)
    assert _case(math.exp(0.3 * z)).inside == (abs(z) <= Z95)  # none within the 12 h slack


def test_half_width_per_remaining_time() -> None:
    c = _case(1.0, sigma=0.1)
    expected = 0.5 * (math.exp(Z95 * 0.1) - math.exp(-Z95 * 0.1))
    assert c.half_width == pytest.approx(expected, rel=1e-12)


def test_missing_window_has_no_score() -> None:
    c = ReentryHindcast(1, "X", 14.0, 0.0, 14 * DAY_S, None, None, None)
    assert c.z is None and c.half_width is None and not c.inside


def test_stretch_z_in_sigmas_of_spread_and_observation() -> None:
    from orbitkeep.validation import StretchResult, spread_calibration

    # observed drop e^0.25 times the predicted, sigmas 0.3 (model) and 0.4 (drop): 0.5
    r = StretchResult(0.0, 1.0, 4e5, 100.0 * math.exp(0.25), 100.0, 0.01, 0.3, 0.4)
    assert r.z == pytest.approx(0.5, rel=1e-12)
    assert StretchResult(0.0, 1.0, 4e5, 120.0, 100.0, 0.01).z is None  # without spread
    far = StretchResult(0.0, 1.0, 4e5, 100.0 * math.exp(1.0), 100.0, 0.01, 0.5, 0.0)  # z = 2
    rms, inside, n = spread_calibration([r, far, StretchResult(0.0, 1.0, 4e5, 1.0, 1.0, 0.01)])
    assert n == 2 and inside == 0.5
    assert rms == pytest.approx(math.sqrt((0.25 + 4.0) / 2), rel=1e-12)


def test_observed_drop_sigma_matches_the_scatter_of_a_noisy_trend() -> None:
    """Sets on a straight decay with Gaussian noise: the drop is the trend's, and its
    relative sigma the spread of the drops over many noise draws (Theil-Sen's
    interval; loose, the interval is a rank-based approximation)."""
    import numpy as np

    from orbitkeep.io.tle import TLEHistory
    from orbitkeep.validation import observed_drop_with_sigma

    rng = np.random.default_rng(3)
    t = np.linspace(0.0, 15 * DAY_S, 40)
    drops, sigmas = [], []
    for _ in range(300):
        sma = 6.8e6 - 20.0 * t / DAY_S + rng.normal(0.0, 30.0, t.size)  # 300 m in 15 days
        z = np.zeros(t.size)
        h = TLEHistory(1, "X", t, sma, z, z, z, z, z, z, ())
        d, s = observed_drop_with_sigma(h, np.arange(t.size))
        drops.append(d)
        sigmas.append(s)
    assert np.mean(drops) == pytest.approx(300.0, rel=0.02)
    assert np.median(sigmas) == pytest.approx(np.std(drops) / 300.0, rel=0.25)
