"""Which space-weather forecast a prediction gets (issue 4): the file's own predictions
at its present or after it, otherwise the file cut at the epoch with 27-day recurrence
moving to the solar cycle repeated (recurrence alone before the record holds a cycle)."""

from __future__ import annotations

import pytest

from orbitkeep.constants import DAY_S
from orbitkeep.environment.forecast import forecast_space_weather


def test_the_files_present_and_later_use_its_predictions(space_weather) -> None:  # type: ignore[no-untyped-def]
    now = space_weather.observed_until_s
    assert space_weather.data_until_s > now + DAY_S  # the bundled file carries predictions
    for epoch in (now, now + 1.0 * DAY_S, now + 30 * DAY_S):
        sw, method = forecast_space_weather(space_weather, epoch)
        assert sw.policy == "cycle" and method.startswith("file predictions")
        assert sw.observed_until_s == now  # nothing cut
    # from the latest data (no as-of date: the last element set's epoch, which lags the
    # file by up to a day) the day before the present still counts as the present
    sw, method = forecast_space_weather(space_weather, now - 1.0 * DAY_S, latest=True)
    assert sw.policy == "cycle" and sw.observed_until_s == now


@pytest.mark.parametrize("hours_before", [1.0, 11.0, 24.0, 35.0])
def test_an_as_of_date_just_before_the_present_sees_nothing_after_it(
    space_weather, hours_before: float
) -> None:  # type: ignore[no-untyped-def]
    """A date given as the prediction epoch (--before, --epoch) hours before the file's
    present is a hindcast: it must not see the file's last observed days or its
    predictions, issued after it (within 1.5 days of the present it did: lifetime
    --epoch 2026-02-22T13:00 used the observations to 2026-02-24)."""
    epoch = space_weather.observed_until_s - hours_before * 3600.0
    sw, method = forecast_space_weather(space_weather, epoch)
    assert sw.policy == "recur27-cycle" and not method.startswith("file predictions")
    assert sw.observed_until_s <= epoch


def test_a_past_epoch_gets_the_file_cut_there_and_recurrence(space_weather) -> None:  # type: ignore[no-untyped-def]
    epoch = space_weather.observed_until_s - 2.0 * DAY_S
    sw, method = forecast_space_weather(space_weather, epoch)
    assert sw.policy == "recur27-cycle" and "27 days" in method and "cycle" in method
    assert sw.observed_until_s <= epoch


def test_before_a_whole_cycle_of_record_the_recurrence_alone(space_weather) -> None:  # type: ignore[no-untyped-def]
    from orbitkeep.environment.spaceweather import CYCLE_PERIOD_DAYS

    epoch = space_weather.first_s + (CYCLE_PERIOD_DAYS - 100) * DAY_S
    sw, method = forecast_space_weather(space_weather, epoch)
    assert sw.policy == "recur27" and "cycle" not in method


def test_the_blend_starts_as_recurrence_and_ends_as_the_cycle(space_weather) -> None:  # type: ignore[no-untyped-def]
    """recur27-cycle on a cut file: the recurrence's drivers on the first forecast day
    (weight exp(-0.5/365)), the cycle's 20 years on (weight 2e-9), and in between the
    log blend of the two, as forecast_skill scores it (``recur_cycle_drivers``)."""
    import numpy as np

    from orbitkeep.environment.forecast_skill import recur_cycle_drivers
    from orbitkeep.environment.spaceweather import BLEND_DAYS
    from orbitkeep.timescale import parse_utc

    cut = space_weather.truncated(parse_utc("2001-03-01"), causal_f107a=True)
    blend = cut.with_policy("recur27-cycle")
    rec, cyc = cut.with_policy("recur27"), cut.with_policy("cycle")
    t_end = cut.data_until_s
    first = t_end + 0.5 * DAY_S
    assert np.isclose(
        blend.msis_drivers(first).f107a_sfu, rec.msis_drivers(first).f107a_sfu, rtol=2e-3
    )
    far = t_end + 7300.5 * DAY_S
    for name in ("f107_sfu", "f107a_sfu", "ap"):
        assert np.allclose(
            getattr(blend.msis_drivers(far), name), getattr(cyc.msis_drivers(far), name), rtol=1e-6
        )
    # the same forecast as the skill scores compute from the raw record
    n = len(cut.f107_obs_sfu)
    full = space_weather
    f, fa, ap = (
        np.asarray(a, dtype=float) for a in (full.f107_obs_sfu, full.f107a_obs_sfu, full.ap_daily)
    )
    j = np.array([0, 1, 40, 200, 900])
    ff, ffa, fap = recur_cycle_drivers(f, fa, ap, np.array([n]), j)
    d = blend.msis_drivers(t_end + (j + 0.5) * DAY_S)
    assert np.allclose(d.f107_sfu, ff[0], rtol=1e-9)
    assert np.allclose(d.ap[:, 0], fap[0], rtol=1e-9)
    # F10.7a: the cycle's source days are observed long before the cut, the recurrence's
    # the causal means of the kept days; beyond day 40 both are what the file holds
    assert np.allclose(d.f107a_sfu, ffa[0], rtol=1e-9)
    w = np.exp(-(j + 0.5) / BLEND_DAYS)
    r, c = rec.msis_drivers(t_end + (j + 0.5) * DAY_S), cyc.msis_drivers(t_end + (j + 0.5) * DAY_S)
    assert np.allclose(np.log(d.f107_sfu), w * np.log(r.f107_sfu) + (1 - w) * np.log(c.f107_sfu))


def test_the_blends_mean_over_a_lead_is_summed_right(space_weather) -> None:  # type: ignore[no-untyped-def]
    """forecast_sigma's means of the blended forecast (correlations over the record)
    against the sum written out day by day."""
    import numpy as np

    from orbitkeep.environment.forecast import _blend_means
    from orbitkeep.environment.spaceweather import BLEND_DAYS, CYCLE_PERIOD_DAYS, RECURRENCE_DAYS

    f = np.asarray(space_weather.f107_obs_sfu, dtype=float)[:20000]
    p = CYCLE_PERIOD_DAYS
    for lead in (27, 400, 5000):
        means = _blend_means(f, lead, 3000)
        jj = np.arange(lead)
        w = np.exp(-(jj + 0.5) / BLEND_DAYS)
        for d in (p, p + 17, p + 2999):
            v = np.mean(
                w * f[d - RECURRENCE_DAYS + jj % RECURRENCE_DAYS] + (1 - w) * f[d - p + jj % p]
            )
            assert np.isclose(means[d - p], v, rtol=1e-9)


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
