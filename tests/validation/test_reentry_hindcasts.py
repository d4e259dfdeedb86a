"""Reentry windows predicted 90, 60, 30 and 14 days before the catalogued decay of every
reentered object in the shared data (issue 4). GOCE: only its unpowered final weeks.
The same computation fills docs/validation.md (scripts/validate.py, 1000 samples)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from orbitkeep.io.tle import history, read_tles
from orbitkeep.timescale import parse_utc
from orbitkeep.validation import (
    GOCE_UNPOWERED_FROM,
    REENTERED_HISTORIES,
    ReentryHindcast,
    reentry_hindcasts,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hindcasts(observed_dir, space_weather) -> list[ReentryHindcast]:  # type: ignore[no-untyped-def]
    out: list[ReentryHindcast] = []
    with (observed_dir / "reentries.csv").open() as fh:
        for row in csv.DictReader(fh):
            h = history(read_tles(observed_dir / REENTERED_HISTORIES[row["norad_id"]]))
            unpowered = parse_utc(GOCE_UNPOWERED_FROM) if row["norad_id"] == "34602" else None
            out += reentry_hindcasts(
                h,
                parse_utc(row["reentry_utc"]),
                space_weather,
                samples=1000,
                not_before_s=unpowered,
            )
    return out


def test_every_object_and_lead_is_predicted(hindcasts) -> None:  # type: ignore[no-untyped-def]
    assert len(hindcasts) == 21  # 5 objects x 4 leads + GOCE's 14-day lead
    assert all(h.p50_s is not None for h in hindcasts)


@pytest.mark.xfail(
    strict=True,
    reason="known shortfall: 11.6 % with 1000 samples (antithetic, so the p50 is the "
    "nominal run's); single leads err by up to 23 %. The error budget (docs/validation.md, "
    "test_error_budget.py): 8.0 % with the observed space weather, 1.7 % with also the B "
    "of the descent; B wanders ~10 % rms between the fit and the descent",
)
def test_median_p50_error_within_10_percent_of_remaining_time(hindcasts) -> None:  # type: ignore[no-untyped-def]
    errs = [abs(h.error) for h in hindcasts if h.error is not None]
    assert float(np.median(errs)) <= 0.10


def test_median_p50_error_regression_guard(hindcasts) -> None:  # type: ignore[no-untyped-def]
    # today's figure with a margin; the goal is the test above
    errs = [abs(h.error) for h in hindcasts if h.error is not None]
    assert float(np.median(errs)) <= 0.15


def test_truth_inside_the_90_percent_window_in_80_percent_of_cases(hindcasts) -> None:  # type: ignore[no-untyped-def]
    assert float(np.mean([h.inside for h in hindcasts])) >= 0.80
