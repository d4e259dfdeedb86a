"""Hindcasts of observed decay (issue 2): predicted vs observed drops of mean a over the
manoeuvre-free stretches of real TLE histories. The same computation fills
docs/validation.md (scripts/validate.py)."""

from __future__ import annotations

import numpy as np
import pytest

from orbitkeep.io.tle import history, read_tles
from orbitkeep.validation import DECAY_STRETCH_HISTORIES, median_abs_error, predict_stretches

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def iss(observed_dir, space_weather):  # type: ignore[no-untyped-def]
    h = history(read_tles(observed_dir / "25544_iss.tle"))
    # with the Monte Carlo sigma (spread=True; the same predictions otherwise)
    return predict_stretches(h, space_weather, min_days=10, max_days=20, spread=True)


def test_iss_stretches_cover_the_history(iss) -> None:  # type: ignore[no-untyped-def]
    assert len(iss) >= 20
    spans = np.array([(r.end_s - r.start_s) / 86400 for r in iss])
    assert spans.min() >= 9.5 and spans.max() <= 21.0


def test_iss_fitted_ballistic_coefficients_are_physical(iss) -> None:  # type: ignore[no-untyped-def]
    # ISS: 420 t +- 30 t, effective cross-section ~1,500-2,500 m^2, Cd ~2.2 (facts A.1,
    # A.2) gives B ~ 0.008-0.013 m^2/kg; fitted values absorb NRLMSIS's bias (B.6) and the
    # feathered arrays of low-drag attitudes, so allow a factor of 3 either way.
    b = np.array([r.b_m2_kg for r in iss])
    assert np.all((b > 0.0027) & (b < 0.04))


@pytest.mark.xfail(
    strict=True,
    reason="known shortfall: ~21 % at the 2021 solar minimum, where the ISS loses only "
    "10-20 m/day and TLE noise and attitude-dependent drag dominate (docs/validation.md)",
)
def test_iss_median_error_within_15_percent(iss) -> None:  # type: ignore[no-untyped-def]
    assert median_abs_error(iss) <= 0.15


def test_iss_median_error_within_25_percent(iss) -> None:  # type: ignore[no-untyped-def]
    # a regression guard on today's figure (docs/validation.md), not the goal (15 %)
    assert median_abs_error(iss) <= 0.25


@pytest.fixture(scope="module")
def reentered(observed_dir, space_weather):  # type: ignore[no-untyped-def]
    out = {}
    for fname in DECAY_STRETCH_HISTORIES:
        h = history(read_tles(observed_dir / fname))
        out[fname] = predict_stretches(h, space_weather, min_days=10, max_days=10, min_alt_m=300e3)
    return out


def test_reentered_objects_have_stretches_above_300_km(reentered) -> None:  # type: ignore[no-untyped-def]
    for fname, res in reentered.items():
        assert len(res) >= 5, fname
        assert all(r.mean_alt_start_m >= 300e3 for r in res)


@pytest.mark.xfail(
    strict=True,
    reason="known shortfall: Starlink-61/-76 at ~500 km in 2020-21 decay 10-40 m/day with "
    "changing attitude; the fitted B swings x3 between stretches (docs/validation.md)",
)
def test_reentered_objects_median_error_within_15_percent(reentered) -> None:  # type: ignore[no-untyped-def]
    allres = [r for res in reentered.values() for r in res]
    assert median_abs_error(allres) <= 0.15


def test_reentered_objects_median_error_regression_guard(reentered) -> None:  # type: ignore[no-untyped-def]
    # today's figures (docs/validation.md) with a margin; the goal is the test above
    allres = [r for res in reentered.values() for r in res]
    assert median_abs_error(allres) <= 0.30
    assert median_abs_error(reentered["29655_genesat1.tle"]) <= 0.15


@pytest.fixture(scope="module")
def iss_solar_max(observed_dir, space_weather):  # type: ignore[no-untyped-def]
    from orbitkeep.validation import iss_solar_max_histories

    out = []
    for h in iss_solar_max_histories(observed_dir):
        out += predict_stretches(h, space_weather, min_days=10, max_days=20)
    return out


def test_iss_near_solar_maximum_within_15_percent(iss_solar_max) -> None:  # type: ignore[no-untyped-def]
    """The issue's criterion on the dense 2024-25 ISS histories (docs/validation.md):
    near solar maximum the station loses 60-150 m a day, so one stretch's drop is several
    km and TLE noise no longer decides it; the same protocol must reach 15 %."""
    assert len(iss_solar_max) >= 10
    drops = np.array([r.observed_drop_m for r in iss_solar_max])
    spans = np.array([(r.end_s - r.start_s) / 86400 for r in iss_solar_max])
    assert np.all(drops / spans > 50.0)  # m/day: solar-maximum decay (facts A.3)
    b = np.array([r.b_m2_kg for r in iss_solar_max])
    assert np.all((b > 0.0027) & (b < 0.04))
    assert median_abs_error(iss_solar_max) <= 0.15


def test_iss_stretches_fall_inside_the_monte_carlo_spread(iss) -> None:  # type: ignore[no-untyped-def]
    """The reentry Monte Carlo's spread of the drag factor (B's fit and window spread,
    the density model, the solar forecast: ``reentry.drag_spread``) checked on data the
    reentry hindcasts do not use: each 2021 ISS stretch predicted from before it. Over
    a stretch the drop is proportional to the drag factor, so the spread is the drop's:
    its 90 % band must hold at least 80 % of the observed drops (the issue's bar for the
    reentry windows), and its sigma must be the errors' to within a factor of two
    (rms z between 0.5 and 2; 1 is calibrated)."""
    from orbitkeep.validation import spread_calibration

    rms_z, inside, n = spread_calibration(iss)
    assert n >= 20
    assert inside >= 0.8
    assert 0.5 < rms_z < 2.0
