"""Flare-burst days of the observed F10.7: found, replaced, and found again on a cut file
from the days before the cut only (``flare_bursts.flare_bursts``)."""

from __future__ import annotations

import numpy as np

from orbitkeep.constants import DAY_S
from orbitkeep.environment.atmosphere import msis_density
from orbitkeep.environment.flare_bursts import BURST_FACTOR
from orbitkeep.timescale import parse_utc


def _day(sw, date: str) -> int:  # type: ignore[no-untyped-def]
    return round((parse_utc(date) - sw.first_s) / DAY_S)


def test_nrlmsis_breaks_down_at_burst_levels() -> None:
    """Why bursts cannot go to NRLMSIS as they are: at 400 km (F10.7a 115, Ap 10) the
    density stops rising with F10.7 above ~400 sfu, falls by orders of magnitude by 650
    and is NaN at 938.6 (2011-03-07's published value)."""
    f = np.array([200.0, 400.0, 650.0, 938.6])
    n = f.size
    rho = msis_density(
        np.zeros(n),
        np.zeros(n),
        np.zeros(n),
        np.full(n, 4e5),
        f,
        np.full(n, 115.0),
        np.full((n, 7), 10.0),
    )
    assert rho[1] > rho[0]
    assert rho[2] < 1e-3 * rho[1]
    assert np.isnan(rho[3])


def test_the_bursts_of_the_record_are_found_and_the_maxima_kept(space_weather) -> None:  # type: ignore[no-untyped-def]
    s = space_weather._series
    pub = s.f107_published
    assert pub is not None
    bursts = set(s.f107_bursts.tolist())
    obs = np.asarray(s.section) == 0
    # every published value above 400 sfu is a burst (the genuine maxima stay below 384)
    assert set(np.flatnonzero(obs & (pub > 400)).tolist()) <= bursts
    for date in ("1957-12-23", "1979-11-10", "1991-01-30", "2003-10-28", "2003-10-29"):
        assert _day(space_weather, date) not in bursts, date
    for b in bursts:  # one- or two-day spikes, replaced by their neighbours' level
        assert pub[b] > BURST_FACTOR * min(pub[b - 1], pub[b + 1])
        assert s.f107[b] < BURST_FACTOR * max(pub[b - 2 : b + 3][[0, 1, 3, 4]])
    i = _day(space_weather, "2011-03-07")
    assert pub[i] == 938.6 and 120 < s.f107[i] < 170
    # everything else as published
    other = np.ones(pub.size, dtype=bool)
    other[list(bursts)] = False
    assert np.array_equal(s.f107[other], pub[other])


def test_a_cut_file_finds_a_burst_on_its_last_day_from_the_days_before(space_weather) -> None:  # type: ignore[no-untyped-def]
    cut = space_weather.truncated(parse_utc("2011-03-08"), causal_f107a=True)
    i = _day(space_weather, "2011-03-07")
    assert len(cut.f107_obs_sfu) == i + 1
    assert i in cut._series.f107_bursts.tolist()
    pub = space_weather._series.f107_published
    assert cut.f107_obs_sfu[i] == np.median(pub[i - 3 : i])  # the days before only
    # and a file cut before the burst does not know of it
    early = space_weather.truncated(parse_utc("2011-03-07"))
    assert i - 1 == len(early.f107_obs_sfu) - 1


def test_the_cycle_forecast_never_feeds_nrlmsis_a_burst(space_weather) -> None:  # type: ignore[no-untyped-def]
    """The regression: as of 2020-10-01 the cycle repeated 2011-03-07's 938.6 sfu in
    2033, NRLMSIS returned NaN and 27 of 1000 reentry samples failed. Every day of 25
    years of the hindcast forecast now has a finite density."""
    from orbitkeep.environment.forecast import forecast_space_weather

    epoch = parse_utc("2020-10-01")
    sw, _ = forecast_space_weather(space_weather, epoch)
    t = epoch + (np.arange(0, 25 * 365) + 0.5) * DAY_S
    d = sw.msis_drivers(t)
    assert d.f107_sfu.max() < 400
    rho = msis_density(
        t, np.zeros(t.size), np.zeros(t.size), np.full(t.size, 4e5), d.f107_sfu, d.f107a_sfu, d.ap
    )
    assert np.isfinite(rho).all()


def test_coverage_says_how_many_bursts_were_replaced(space_weather) -> None:  # type: ignore[no-untyped-def]
    n = space_weather._series.f107_bursts.size
    assert space_weather.coverage()["f107_bursts_replaced"].startswith(f"{n} days (")
    assert space_weather.as_published().coverage()["f107_bursts_replaced"] == "0 days"


def test_as_published_stays_published_when_cut(space_weather) -> None:  # type: ignore[no-untyped-def]
    i = _day(space_weather, "2011-03-07")
    cut = space_weather.as_published().truncated(parse_utc("2012-01-01"))
    assert cut.f107_obs_sfu[i] == 938.6
    assert cut.coverage()["f107_bursts_replaced"] == "0 days"
