"""The shared daily density table against NRLMSIS itself (pymsis, point by point).

The table claims to be the daily zonal mean of NRLMSIS at fixed local time. The
reference here is computed independently: pymsis at every point and 24 UTs of the day
(one an hour), averaged. Then the table's effect on what users see: lifetimes and
decay of a small batch against the exact model.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from orbitkeep.batch import prepare_density_table
from orbitkeep.constants import DAY_S, R_EQUATOR_M
from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.environment.density_table import TabulatedAtmosphere, long_run_table
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.state import MeanElements

DAY = 19062  # 2022-03-11


@pytest.fixture(scope="module")
def base(space_weather):  # type: ignore[no-untyped-def]
    return make_atmosphere("msis2.1", space_weather)


def _zonal_mean_24(base, day, lat, lst, alt):  # type: ignore[no-untyped-def]
    acc = np.zeros(lat.size)
    for j in range(24):
        ut = j + 0.5
        t = np.full(lat.size, day * DAY_S + ut * 3600.0)
        lon = np.radians(np.mod((lst - ut) * 15.0 + 180.0, 360.0) - 180.0)
        acc += base.density_geodetic(t, lat, lon, alt)[0]
    return acc / 24.0


@pytest.mark.parametrize("day", [DAY, DAY + 200])
def test_table_is_the_daily_zonal_mean_of_nrlmsis(base, day) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(day)
    n = 3000
    alt = rng.uniform(110e3, 1100e3, n)
    lat = np.radians(rng.uniform(-89.0, 89.0, n))
    lst = rng.uniform(0.0, 24.0, n)
    ut = rng.uniform(0.0, 24.0, n)  # any UT of the day: the table has no UT dependence
    t = day * DAY_S + ut * 3600.0
    lon = np.radians(np.mod((lst - ut) * 15.0 + 180.0, 360.0) - 180.0)
    got = TabulatedAtmosphere(base).density_geodetic(t, lat, lon, alt)
    err = got / _zonal_mean_24(base, day, lat, lst, alt) - 1.0
    assert np.sqrt(np.mean(err**2)) < 0.0025
    assert np.max(np.abs(err)) < 0.01
    assert abs(np.mean(err)) < 0.001


def test_table_is_continuous_past_its_altitude_ends(base) -> None:  # type: ignore[no-untyped-def]
    tab = TabulatedAtmosphere(base)
    alt = np.array([80e3, 95e3, 100e3, 1200e3, 1300e3, 1500e3])
    t = np.full(alt.size, DAY * DAY_S + 3600.0)
    rho = tab.density_geodetic(t, np.zeros(alt.size), np.zeros(alt.size), alt)
    assert np.all(np.isfinite(rho)) and np.all(np.diff(rho) < 0)


def test_pickled_table_and_small_cache_give_identical_densities(base) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    n = 500
    t = DAY * DAY_S + rng.uniform(0.0, 5 * DAY_S, n)  # five days
    lat, lon = rng.uniform(-1.5, 1.5, n), rng.uniform(-3.1, 3.1, n)
    alt = rng.uniform(200e3, 800e3, n)
    tab = TabulatedAtmosphere(base)
    ref = tab.density_geodetic(t, lat, lon, alt)
    # a cache of 2 refined days must evict and rebuild, with the same answer
    small = TabulatedAtmosphere(base, capacity_days=2)
    small.add_coarse(tab.days, np.stack([tab._coarse[d] for d in tab.days]))
    np.testing.assert_array_equal(small.density_geodetic(t, lat, lon, alt), ref)
    np.testing.assert_array_equal(
        small.density_geodetic(t[::-1], lat[::-1], lon[::-1], alt[::-1]), ref[::-1]
    )
    clone = pickle.loads(pickle.dumps(tab))
    assert clone.days == tab.days
    np.testing.assert_array_equal(clone.density_geodetic(t, lat, lon, alt), ref)


@pytest.mark.parametrize("top_km", [300.0, 468.6, 640.0])
def test_table_capped_at_a_top_altitude(base, top_km) -> None:  # type: ignore[no-untyped-def]
    """A table serving altitudes up to ``top_km`` computes fewer levels, agrees with the
    full table below its top to 0.05 % (the spline's cut support) and hands the points
    above it to NRLMSIS itself."""
    capped, full = TabulatedAtmosphere(base, top_alt_km=top_km), TabulatedAtmosphere(base)
    assert capped.n_alt < full.n_alt and top_km <= capped.top_km < top_km + 100.0
    rng = np.random.default_rng(int(top_km))
    n = 4000
    t = DAY * DAY_S + rng.uniform(0.0, 2 * DAY_S, n)
    lat, lon = rng.uniform(-1.5, 1.5, n), rng.uniform(-3.1, 3.1, n)
    alt = rng.uniform(100e3, capped.top_km * 1e3, n)
    ratio = capped.density_geodetic(t, lat, lon, alt) / full.density_geodetic(t, lat, lon, alt)
    assert np.max(np.abs(np.log(ratio))) < 5e-4
    high = np.full(5, capped.top_km * 1e3 + 20e3)
    got = capped.density_geodetic(t[:5], lat[:5], lon[:5], high)
    np.testing.assert_allclose(got, base.density_geodetic(t[:5], lat[:5], lon[:5], high)[0])
    assert capped.days == full.days  # both tabulated the same two days (three, with UT ends)
    clone = pickle.loads(pickle.dumps(capped))
    np.testing.assert_array_equal(
        clone.density_geodetic(t, lat, lon, alt), capped.density_geodetic(t, lat, lon, alt)
    )
    with pytest.raises(ValueError, match="altitude levels"):
        capped.add_coarse([DAY + 10], np.stack([full._coarse[DAY]]))


def test_refinement_matrices_equal_the_splines() -> None:
    from orbitkeep.environment import density_table as dt

    rng = np.random.default_rng(3)
    for n_alt in (dt.ALT_KM.size, 20):
        coarse = rng.normal(-25.0, 3.0, (3, n_alt, dt.LAT_DEG.size, dt.N_LST))
        spline = dt._refine_spline(coarse)
        # equal to float32 rounding of the log density (the tables are float32)
        np.testing.assert_allclose(dt.refine(coarse), spline, rtol=2.0**-23, atol=0)


def test_prepare_on_a_pool_equals_serial(base) -> None:  # type: ignore[no-untyped-def]
    t0 = DAY * DAY_S
    serial, pooled = TabulatedAtmosphere(base), TabulatedAtmosphere(base)
    n1 = prepare_density_table(serial, t0, t0 + 3 * DAY_S, executor="serial")
    n2 = prepare_density_table(pooled, t0, t0 + 3 * DAY_S, workers=2, days_per_job=2)
    assert n1 == n2 == 4
    for d in serial.days:
        np.testing.assert_array_equal(serial._coarse[d], pooled._coarse[d])
    assert prepare_density_table(serial, t0, t0 + 3 * DAY_S, executor="serial") == 0


def test_thinned_days_are_served_by_their_blocks_middle_day(base) -> None:  # type: ignore[no-untyped-def]
    """From ``thin_from_day`` on, each block of ``thin_days`` days is looked up in the
    table of its middle day, which alone is computed: a lookup on any day of the block
    equals the daily table's lookup on the middle day at the same UT and point."""
    thin = TabulatedAtmosphere(base, thin_from_day=DAY + 2, thin_days=4)
    daily = TabulatedAtmosphere(base)
    np.testing.assert_array_equal(
        thin.table_days(np.arange(DAY, DAY + 11)),
        DAY + np.array([0, 1, 4, 4, 4, 4, 8, 8, 8, 8, 12]),
    )
    t0 = DAY * DAY_S
    assert prepare_density_table(thin, t0, t0 + 9 * DAY_S, executor="serial") == 4
    assert thin.days == [DAY, DAY + 1, DAY + 4, DAY + 8]
    rng = np.random.default_rng(5)
    n = 40
    lat = np.radians(rng.uniform(-60, 60, n))
    lon = np.radians(rng.uniform(-180, 180, n))
    alt = rng.uniform(250e3, 450e3, n)
    ut_s = rng.uniform(0, DAY_S, n)
    for d, served in (
        (DAY + 1, DAY + 1),
        (DAY + 3, DAY + 4),
        (DAY + 5, DAY + 4),
        (DAY + 6, DAY + 8),
    ):
        got = thin.density_geodetic(d * DAY_S + ut_s, lat, lon, alt)
        ref = daily.density_geodetic(served * DAY_S + ut_s, lat, lon, alt)
        np.testing.assert_allclose(got, ref, rtol=1e-12)
    # pickled (as sent to pool workers), the table keeps its blocks
    again = pickle.loads(pickle.dumps(thin))
    np.testing.assert_array_equal(again.table_days([DAY + 5]), [DAY + 4])


def test_a_block_past_the_data_end_is_not_computed_but_refused_when_looked_up(base) -> None:  # type: ignore[no-untyped-def]
    """Under policy ``error`` (the fixture's), a block whose middle day lies past the
    space weather's end is left out by prepare_density_table, as unthinned days past it
    are; looking up a day of that block raises the model's coverage error."""
    from orbitkeep.errors import SpaceWeatherCoverageError

    sw = base.space_weather
    assert sw.policy == "error"
    last = int(np.floor((sw.data_until_s - 1.0) / DAY_S))
    thin = TabulatedAtmosphere(base, thin_from_day=last - 1, thin_days=4)  # middle: last + 1
    assert (
        prepare_density_table(thin, (last - 1) * DAY_S, (last + 2) * DAY_S, executor="serial") == 0
    )
    with pytest.raises(SpaceWeatherCoverageError):
        thin.density_geodetic([last * DAY_S], [0.0], [0.0], [400e3])


def test_a_long_run_table_is_daily_for_a_year_then_thinned(base) -> None:  # type: ignore[no-untyped-def]
    """long_run_table (the reentry samples' and a catalogue's table): from an epoch at
    12:00 UT, every day is its own through the day a year after it (365.25 days later,
    18:00 UT); from the next day on, blocks of four days each served by their middle day."""
    epoch_s = DAY * DAY_S + 12 * 3600.0
    atm = long_run_table(base, top_alt_km=450.0, epoch_s=epoch_s)
    first = DAY + 366  # the day after the one holding epoch + 365.25 d
    assert atm.thin_from_day == first and atm.thin_days == 4
    days = np.arange(DAY, first)
    np.testing.assert_array_equal(atm.table_days(days), days)
    np.testing.assert_array_equal(
        atm.table_days(np.arange(first, first + 8)), [first + 2] * 4 + [first + 6] * 4
    )
    assert atm.top_km < 600.0  # only the levels up to the orbits' top are computed


def test_three_hourly_mode_is_refused(space_weather) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="daily-Ap"):
        TabulatedAtmosphere(make_atmosphere("msis2.1", space_weather, ap_mode="3hourly"))


def _decaying_batch() -> tuple[MeanElements, np.ndarray]:
    rng = np.random.default_rng(7)
    n = 24
    hp = rng.uniform(200e3, 330e3, n)
    ecc = rng.uniform(0.0, 0.01, n)
    el = MeanElements(
        np.full(n, DAY * DAY_S),
        (R_EQUATOR_M + hp) / (1 - ecc),
        ecc,
        np.arccos(rng.uniform(-1, 1, n)),
        *rng.uniform(0, 2 * np.pi, (3, n)),
    )
    return el, np.exp(rng.uniform(np.log(0.005), np.log(0.03), n))


def test_lifetimes_with_the_table_match_exact_nrlmsis(base) -> None:  # type: ignore[no-untyped-def]
    """24 objects over 60 days: no bias, and a median difference of 0.2 % at most.

    Single objects differ by up to ~0.6 %: the exact averaged model samples the
    longitude structure with a few nodes per step (a noisy estimate of the daily mean
    the table holds); which of the two is closer to Cowell is checked below."""
    el, b = _decaying_batch()
    end = DAY * DAY_S + 60 * DAY_S
    tab = TabulatedAtmosphere(base)
    prepare_density_table(tab, DAY * DAY_S, end, executor="serial")
    exact = propagate_averaged(el, b, base, end)
    table = propagate_averaged(el, b, tab, end)
    lx, lt = exact.reentry_s - DAY * DAY_S, table.reentry_s - DAY * DAY_S
    assert np.array_equal(np.isfinite(lx), np.isfinite(lt))
    down = np.isfinite(lx)
    assert 10 <= down.sum() < len(b)
    rel = lt[down] / lx[down] - 1
    assert np.median(np.abs(rel)) < 0.002
    assert abs(np.mean(rel)) < 0.001


@pytest.mark.parametrize("j", [6, 13])
def test_table_lifetime_as_close_to_cowell_as_the_exact_model(base, j) -> None:  # type: ignore[no-untyped-def]
    """Cowell with exact NRLMSIS 2.1 is the reference (issue 3: within 2 %)."""
    from orbitkeep.propagators.numerical import mean_elements_from_state, propagate_numerical
    from orbitkeep.state import CartesianState, kepler_to_cartesian

    el, b = _decaying_batch()
    end = DAY * DAY_S + 60 * DAY_S
    r, v = kepler_to_cartesian(
        el.sma_m[j],
        el.ecc[j],
        el.incl_rad[j],
        el.raan_rad[j],
        el.argp_rad[j],
        el.mean_anomaly_rad[j],
    )
    st = CartesianState(DAY * DAY_S, r, v)
    cow = propagate_numerical(st, float(b[j]), base, end)
    assert cow.reentry_s is not None
    mean = MeanElements(*(np.array([x]) for x in (*mean_elements_from_state(st), 0.0)))
    tab = TabulatedAtmosphere(base)
    life = {}
    for name, atm in (("exact", base), ("table", tab)):
        res = propagate_averaged(mean, float(b[j]), atm, end)
        life[name] = float(res.reentry_s[0]) - DAY * DAY_S
    truth = cow.reentry_s - DAY * DAY_S
    err = {k: abs(v / truth - 1) for k, v in life.items()}
    assert err["table"] < 0.02
    assert err["table"] <= err["exact"] + 0.002


def test_unpickled_tables_are_shared_within_a_worker(base) -> None:  # type: ignore[no-untyped-def]
    """Each job of a catalogue run carries the table; a worker process keeps one copy
    (and its refined days), adding the days that later jobs bring."""
    tab = TabulatedAtmosphere(base)
    prepare_density_table(tab, DAY * DAY_S, DAY * DAY_S, executor="serial")
    first = pickle.loads(pickle.dumps(tab))
    prepare_density_table(tab, DAY * DAY_S, (DAY + 1) * DAY_S, executor="serial")
    second = pickle.loads(pickle.dumps(tab))
    assert second is first and second.days == [DAY, DAY + 1]
    other = pickle.loads(pickle.dumps(TabulatedAtmosphere(base)))
    assert other is not first and other.days == []
