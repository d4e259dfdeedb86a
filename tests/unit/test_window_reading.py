"""Lifetime rules and notes of a reentry window (orbitkeep.window_reading)."""

from __future__ import annotations

import numpy as np
import pytest

from orbitkeep.constants import DAY_S
from orbitkeep.io.tle import TLEHistory, history, read_tles
from orbitkeep.reentry import predict_reentry
from orbitkeep.report.console import lifetime_rules_line
from orbitkeep.timescale import parse_utc
from orbitkeep.window_reading import COMPLIANCE_PROBABILITY, lifetime_rules

YEAR_S = 365.25 * DAY_S


def test_probabilities_count_the_samples_within_each_limit() -> None:
    epoch = 1.0e9
    # 10 samples: 4 within 5 years, 9 within 25, one still up (NaN)
    years = np.array([0.1, 1.0, 3.0, 4.99, 5.01, 10.0, 20.0, 24.0, 24.9, np.nan])
    rules = lifetime_rules(epoch + years * YEAR_S, epoch, epoch + 25 * YEAR_S)
    assert [r["years"] for r in rules] == [5.0, 25.0]
    assert rules[0]["probability"] == pytest.approx(0.4) and rules[0]["compliant"] is False
    assert rules[1]["probability"] == pytest.approx(0.9) and rules[1]["compliant"] is True
    assert COMPLIANCE_PROBABILITY == 0.9  # STELA's criterion (facts B.1)


def test_a_limit_beyond_the_horizon_has_no_probability() -> None:
    epoch = 1.0e9
    rules = lifetime_rules(np.array([np.nan, np.nan]), epoch, epoch + 10 * YEAR_S)
    assert rules[0] == {"years": 5.0, "probability": 0.0, "compliant": False}
    assert rules[1] == {"years": 25.0, "probability": None, "compliant": None}
    line = lifetime_rules_line(rules)
    assert "5 years: 0%, not met" in line and "25 years: beyond the horizon" in line


@pytest.fixture(scope="module")
def starlink(observed_dir) -> TLEHistory:  # type: ignore[no-untyped-def]
    return history(read_tles(observed_dir / "44238_starlink24.tle"))


def test_a_decaying_object_meets_both_rules_and_says_so_in_json(starlink, space_weather) -> None:  # type: ignore[no-untyped-def]
    # two weeks before Starlink-24 came down (2022-10-24): every sample reenters within
    # months, so both rules are met with probability 1
    r = predict_reentry(
        starlink,
        space_weather,
        before_s=parse_utc("2022-10-10T12:00"),
        samples=20,
        seed=3,
        executor="serial",
        horizon_years=6.0,
    )
    doc = r.to_json()
    assert doc["lifetime_rules"][0] == {"years": 5.0, "probability": 1.0, "compliant": True}
    assert doc["lifetime_rules"][1]["probability"] is None  # a 6-year run says nothing of 25
    # the horizon counts from the prediction epoch
    assert doc["horizon_utc"].startswith("2028-10-10")


def test_an_apogee_above_leo_gets_a_note_and_leo_does_not() -> None:
    """Above 2,000 km (the IADC's LEO protected region) the Moon and the Sun move the
    perigee, which orbitkeep does not model: the window says so."""
    from orbitkeep.constants import LEO_TOP_ALT_M
    from orbitkeep.window_reading import reentry_notes

    assert LEO_TOP_ALT_M == 2_000e3
    r = np.array([2.0e9])
    gto = reentry_notes(250e3, 120e3, r, 1.9e9, 1.9e9, apogee_alt_m=35_786e3)
    assert len(gto) == 1 and "above low Earth orbit (2000 km)" in gto[0]
    assert "Moon" in gto[0]
    assert reentry_notes(250e3, 120e3, r, 1.9e9, 1.9e9, apogee_alt_m=1_999e3) == []
    assert reentry_notes(250e3, 120e3, r, 1.9e9, 1.9e9) == []
