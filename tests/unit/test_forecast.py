"""Which space-weather forecast a prediction gets (issue 4): the file's own predictions
at its present or after it, otherwise the file cut at the epoch with 27-day recurrence."""

from __future__ import annotations

import pytest

from orbitkeep.constants import DAY_S
from orbitkeep.environment.forecast import forecast_space_weather


def test_the_files_present_and_later_use_its_predictions(space_weather) -> None:  # type: ignore[no-untyped-def]
    now = space_weather.observed_until_s
    assert space_weather.data_until_s > now + DAY_S  # the bundled file carries predictions
    for epoch in (now - 1.0 * DAY_S, now, now + 1.0 * DAY_S, now + 30 * DAY_S):
        sw, method = forecast_space_weather(space_weather, epoch)
        assert sw.policy == "cycle" and method.startswith("file predictions")
        assert sw.observed_until_s == now  # nothing cut


def test_a_past_epoch_gets_the_file_cut_there_and_recurrence(space_weather) -> None:  # type: ignore[no-untyped-def]
    epoch = space_weather.observed_until_s - 2.0 * DAY_S
    sw, method = forecast_space_weather(space_weather, epoch)
    assert sw.policy == "recur27" and "27 days" in method
    assert sw.observed_until_s <= epoch


@pytest.mark.parametrize("date", ["2022-07-26", "2022-09-24"])
def test_decay_sensitivity_matches_the_lifetimes_response_to_the_sun(
    observed_dir, space_weather, date
) -> None:  # type: ignore[no-untyped-def]
    """What the samples' solar factor must stand for: the uniform drag factor that moves
    the lifetime as much as the Sun does. Measured on Starlink-24 (its fitted B, the
    forecast of the day; 84 and 34 days from reentry): the lifetime's response to F10.7
    and F10.7a scaled by 1.05, over its response to B scaled by 1.05. The time mean of
    NRLMSIS's sensitivity along the nominal decay (``decay_sensitivity``) is within 10 %
    of it, and closer than the sensitivity at the start altitude, which overstates it
    (the orbit sinks to where the density responds less)."""
    import dataclasses
    import math

    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.environment.forecast import decay_sensitivity, solar_sensitivity
    from orbitkeep.environment.spaceweather import SpaceWeather
    from orbitkeep.estimation import fit_ballistic_coefficient, mean_elements_at
    from orbitkeep.io.tle import history, read_tles
    from orbitkeep.propagators.averaged import propagate_averaged
    from orbitkeep.timescale import parse_utc

    h = history(read_tles(observed_dir / "44238_starlink24.tle")).before(parse_utc(date))
    sw, _ = forecast_space_weather(space_weather, parse_utc(date))
    el = mean_elements_at(h, len(h) - 1)
    t0 = float(el.epoch_s[0])
    b = fit_ballistic_coefficient(h, make_atmosphere("msis2.1", sw)).b_m2_kg

    def lifetime(f107_factor: float, b_factor: float):  # type: ignore[no-untyped-def]
        s = sw._series
        series = dataclasses.replace(s, f107=s.f107 * f107_factor, f107a=s.f107a * f107_factor)
        atm = make_atmosphere(
            "msis2.1",
            SpaceWeather(series, source="scaled", updated="", fmt="csv", policy=sw.policy),
        )
        tr = propagate_averaged(el, b * b_factor, atm, t0 + 365 * DAY_S).trajectories[0]
        return tr, tr.reentry_s - t0

    nominal, l0 = lifetime(1.0, 1.0)
    k_equiv = math.log(lifetime(1.05, 1.0)[1] / l0) / math.log(lifetime(1.0, 1.05)[1] / l0)
    k_path = decay_sensitivity(sw, el, nominal.t_s, nominal.sma_m, nominal.ecc)
    k_start = solar_sensitivity(sw, el)
    assert k_path == pytest.approx(k_equiv, rel=0.10)
    assert abs(k_start / k_equiv - 1) > abs(k_path / k_equiv - 1)
