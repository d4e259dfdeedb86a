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
