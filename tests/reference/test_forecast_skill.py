"""The space-weather forecast behind the hindcasts, scored on the observed record.

Before any hindcast epoch (1970-2004), the 27-day recurrence forecast (``recur27``, what
``orbitkeep reentry`` and the stretch hindcasts use) must predict the mean NRLMSIS
density of the next 10 and 90 days without bias and with a smaller error than holding
the 81-day means (the earlier ``persist`` forecast), which overestimates it: the density
of the mean drivers is not the mean density of the varying ones. Extrapolating the
solar cycle's recent trend does not beat it either.
"""

from __future__ import annotations

import pytest

from orbitkeep.environment.forecast_skill import forecast_skill


@pytest.fixture(scope="module")
def skill(space_weather):  # type: ignore[no-untyped-def]
    rows = forecast_skill(
        space_weather,
        first_year=1970,
        last_year=2005,
        alt_km=420.0,
        leads_days=(10, 90),
        persist_days=(81,),
        trend=True,
        origin_step_days=30,
        day_step=3,
    )
    return {(r.method, r.lead_days): r for r in rows}


def test_recurrence_is_unbiased_and_beats_81_day_persistence(skill) -> None:  # type: ignore[no-untyped-def]
    for lead in (10, 90):
        rec, per = skill["recur27", lead], skill["persist81", lead]
        assert rec.n >= 400
        assert abs(rec.bias) < 0.01  # log ratio: under 1 %
        assert per.bias > 0.015  # held means: the density comes out 1.5 % or more too high
        assert rec.rms < per.rms


def test_the_cycle_trend_does_not_beat_recurrence(skill) -> None:  # type: ignore[no-untyped-def]
    for lead in (10, 90):
        assert skill["recur27", lead].rms <= skill["trend27", lead].rms
        assert abs(skill["trend27", lead].bias) < 0.01


@pytest.fixture(scope="module")
def spread(space_weather):  # type: ignore[no-untyped-def]
    from orbitkeep.environment.forecast_skill import solar_spread_scores

    out = {}
    for by_level in (True, False):
        rows = solar_spread_scores(
            space_weather,
            first_year=1970,
            last_year=2005,
            alt_km=420.0,
            leads_days=(27, 90),
            by_level=by_level,
            origin_step_days=30,
        )
        out[by_level] = {(r.lead_days, r.band_sfu): r for r in rows}
    return out


def test_the_solar_spread_by_level_is_calibrated_at_every_activity(spread) -> None:  # type: ignore[no-untyped-def]
    """The reentry windows' solar spread (forecast_sigma by level x NRLMSIS's
    sensitivity), each origin's from the record before it: against the recurrence
    forecast's real density error its rms z is within 25 % of 1 (calibrated) in each
    band of activity, at 27 and 90 days; one spread for all levels misses by more at
    low activity, where F10.7 varies least."""
    from orbitkeep.environment.forecast_skill import ACTIVITY_BANDS_SFU

    for lead in (27, 90):
        for band in ACTIVITY_BANDS_SFU:
            r = spread[True][lead, band]
            assert r.n >= 100
            assert 0.75 <= r.rms_z <= 1.25, (lead, band, r.rms_z)
        low = ACTIVITY_BANDS_SFU[0]
        assert abs(spread[False][lead, low].rms_z - 1) > abs(spread[True][lead, low].rms_z - 1)


@pytest.mark.parametrize("years", [(1975, 2005), (2005, 2022)])
def test_over_a_year_and_more_the_blend_beats_the_recurrence(space_weather, years) -> None:  # type: ignore[no-untyped-def]
    """The hindcasts' forecast past 90 days: the recurrence moving to the 11-year cycle
    (``recur27-cycle``) predicts the mean density over one and two years with a smaller
    rms error than the recurrence alone, on the record its e-folding lead was chosen on
    (1975-2005) and on the one after it (2005-2022); over 90 days it is the recurrence
    to within a point."""
    rows = forecast_skill(
        space_weather,
        first_year=years[0],
        last_year=years[1],
        alt_km=420.0,
        leads_days=(90, 365, 730),
        persist_days=(27,),
        blend_days=(365.0,),
        origin_step_days=90,
        day_step=30,
    )
    skill = {(r.method, r.lead_days): r for r in rows}
    for lead in (365, 730):
        assert skill["recur27-cycle", lead].rms < skill["recur27", lead].rms, lead
    assert abs(skill["recur27-cycle", 90].rms - skill["recur27", 90].rms) < 0.015
