"""Scenarios with NRLMSIS 2.1 and real space weather, against published figures.

Anchors (shared/reference/iss-and-lifetime-facts.md): drag-only budget at ~415 km of
10-21 m/s/yr (A.5) plus ~1-3 m/s/yr of debris avoidance; decay of ~70-150 m/day at
moderate-to-high activity (A.3); the crew leaves at ~330 km about 6 months before
reentry (A.9); the USDV carries ~16 t of usable propellant (A.9).
"""

from __future__ import annotations

import json
import pickle
from typing import Any

import numpy as np
import pytest

from orbitkeep.environment.atmosphere import ExponentialAtmosphere, make_atmosphere
from orbitkeep.environment.spaceweather import load_space_weather
from orbitkeep.errors import OrbitkeepError, ParameterError
from orbitkeep.station import (
    BUNDLED_ISS_TLE,
    baseline,
    circular_state,
    deorbit,
    load_station,
    no_reboost,
    partner_exit,
    run_scenario,
    solar_factors,
    station_state_from_tles,
    summary_lines,
)
from orbitkeep.station.solar import SolarScaledSpaceWeather
from orbitkeep.timescale import parse_utc

ISS = load_station()


@pytest.fixture(scope="module")
def sw() -> Any:
    from orbitkeep.environment.spaceweather import load_space_weather

    try:
        return load_space_weather(policy="cycle")
    except OrbitkeepError as exc:  # pragma: no cover - no bundled file
        pytest.skip(f"no space weather: {exc}")


@pytest.fixture(scope="module")
def states(sw: Any) -> dict[str, Any]:
    atm = make_atmosphere("msis2.1", sw)
    return {
        d: station_state_from_tles(BUNDLED_ISS_TLE, atm, ISS, as_of_s=parse_utc(d))
        for d in ("2022-06-01", "2023-06-01")
    }


@pytest.fixture(scope="module")
def latest(sw: Any) -> Any:
    return station_state_from_tles(BUNDLED_ISS_TLE, make_atmosphere("msis2.1", sw), ISS)


@pytest.fixture(scope="module")
def runs(sw: Any, states: dict[str, Any]) -> dict[str, Any]:
    kw = {"space_weather": sw, "station": ISS}
    s22, s23 = states["2022-06-01"], states["2023-06-01"]
    out = {
        "baseline": run_scenario(baseline(start_utc="2022-06-01", years=1), state=s22, **kw),
        "partner-exit": run_scenario(
            partner_exit("roscosmos", start_utc="2022-06-01", years=2), state=s22, **kw
        ),
        "no-reboost": run_scenario(no_reboost(start_utc="2023-06-01"), state=s23, **kw),
    }
    k = out["partner-exit"].details["extra_flights_per_year"]["dragon_boost_kit"]
    out["closed"] = run_scenario(
        partner_exit(
            "roscosmos", start_utc="2022-06-01", years=2, extra_flights={"dragon_boost_kit": k}
        ),
        state=s22,
        **kw,
    )
    return out


def test_state_and_b_from_the_tle_history(states: dict[str, Any]) -> None:
    st = states["2022-06-01"]
    assert 410e3 < st.mean_alt_m < 425e3
    assert 0.003 < st.b_m2_kg < 0.02  # Cd A / m ~ 2.2 x ~2000 m^2 / ~450 t (facts A.2)
    assert st.fit_end_s <= parse_utc("2022-06-01") and st.fit_start_s < st.fit_end_s


def test_baseline_drag_dv_at_415_km_is_published_range(runs: dict[str, Any]) -> None:
    y = runs["baseline"].annual[0]
    assert 10.0 <= y["drag_dv_m_s"] <= 21.0  # facts A.5: 10-21 m/s/yr for drag at ~415 km
    assert y["debris_avoidance_dv_m_s"] == pytest.approx(1.2)  # 2 x 0.6 m/s allowance
    assert y["dv_m_s"] <= 21.0 + 3.0
    assert 1000.0 < y["propellant_kg"] < 3500.0  # facts A.5: ~1.5-3.5 t/yr [derived]
    assert set(y["by_vehicle"]) <= {"progress_ms", "zvezda"} and y["shortfall_dv_m_s"] == 0
    assert runs["baseline"].reentry_utc is None


def test_no_reboost_decays_at_published_rates(runs: dict[str, Any]) -> None:
    r = runs["no-reboost"]
    assert 50.0 <= r.details["decay_first_30_days_m_per_day"] <= 150.0  # facts A.3
    assert 0.1 < r.years < 4.0  # months to a few years
    p = r.reentry_utc
    assert p["p05"] < p["p50"] < p["p95"]


def test_roscosmos_exit_leaves_a_shortfall_that_boost_kits_close(runs: dict[str, Any]) -> None:
    r = runs["partner-exit"]
    assert r.shortfall_dv_m_s_per_year > 0.0
    assert r.reentry_utc is not None and r.reentry_utc["p50"] > r.start_utc
    assert any(e["kind"] == "capacity_ran_out" for e in r.events)
    assert all("progress_ms" not in y["by_vehicle"] for y in r.annual)
    k = r.details["extra_flights_per_year"]["dragon_boost_kit"]
    assert 1 <= k <= 6
    closed = runs["closed"]
    assert closed.shortfall_dv_m_s_per_year == 0.0 and closed.reentry_utc is None
    assert all(y["shortfall_dv_m_s"] == 0.0 for y in closed.annual)


@pytest.mark.parametrize(
    ("partner", "extra", "says"),
    [
        ("roscosmos", {"soyuz": 1.0}, "unknown vehicle 'soyuz' (one of: atv, cygnus,"),
        ("roscosmos", {"crew_dragon": 1.0}, "brings no reboost capacity"),
        ("nasa", {"zvezda": 1.0}, "is not a visiting vehicle"),
        ("roscosmos", {"progress_ms": 1.0}, "flown by roscosmos, the partner that leaves"),
        ("roscosmos", {"atv": 1.0}, "flies until 2015-02-15"),
        ("roscosmos", {"cygnus": 0.0}, "positive finite number, got 0.0"),
        ("roscosmos", {"cygnus": float("nan")}, "positive finite number, got nan"),
        ("roscosmos", {"cygnus": "2"}, "positive finite number, got 2"),
        ("roscosmos", {"cygnus": 365.5}, "at most 365 (one a day), got 365.5"),
        (
            "roscosmos",
            {"cygnus": 1e300},
            "at most 365 (one a day), got 1e+300",
        ),  # ran out of memory
    ],
)
def test_extra_flights_of_a_vehicle_that_cannot_fly_them_are_refused(
    sw: Any, states: dict[str, Any], partner: str, extra: dict[str, Any], says: str
) -> None:
    # refused before anything is flown (no propagation: the state is given)
    spec = partner_exit(partner, start_utc="2022-06-01", years=1, extra_flights=extra)
    with pytest.raises(ParameterError, match=r"^--extra-flights: ") as exc:
        run_scenario(spec, state=states["2022-06-01"], space_weather=sw, station=ISS)
    assert says in str(exc.value)


def test_a_horizon_past_the_space_weather_data_is_refused_before_the_run(
    states: dict[str, Any],
) -> None:
    strict = load_space_weather(policy="error")  # bundled: data to 2041-11-01
    spec = baseline(start_utc="2022-06-01", years=25)
    with pytest.raises(ParameterError, match=r"^--years: the band would be kept until 2047"):
        run_scenario(spec, state=states["2022-06-01"], space_weather=strict, station=ISS)
    with pytest.raises(ParameterError, match=r"^--years: at most 100 years"):
        baseline(years=101)


def test_the_vehicles_left_keep_the_station_up_longer_than_no_reboost(
    sw: Any, states: dict[str, Any], runs: dict[str, Any]
) -> None:
    """After the band is lost the remaining vehicles (Cygnus) keep boosting with what they
    bring: from the same state, extra Δv can only delay the reentry, so the partner-exit
    window lies after the no-reboost one, p05, p50 and p95 alike (p95 may be past the
    horizon); and the Δv they deliver after the band is lost is reported."""
    free = run_scenario(
        no_reboost(start_utc="2022-06-01"), state=states["2022-06-01"], space_weather=sw
    )
    ex = runs["partner-exit"]
    for k in ("p05", "p50", "p95"):
        later = ex.reentry_utc[k]
        assert later is None or later > free.reentry_utc[k], k  # None: past the horizon
    assert ex.details["sinking_boosts_dv_m_s"] > 0.0


def test_json_and_summary(runs: dict[str, Any]) -> None:
    doc = json.loads(json.dumps(runs["partner-exit"].to_json()))
    assert doc["start_utc"].endswith("Z") and doc["reentry_utc"]["p50"].endswith("Z")
    assert {"year", "dv_m_s", "propellant_kg", "burns", "by_vehicle"} <= set(doc["annual"][0])
    assert any("[assumed]" in a for a in doc["assumptions"])
    lines = summary_lines(runs)
    assert len(lines) >= 4 and "Roscosmos" in " ".join(lines)


def test_solar_choice_scales_the_need(sw: Any, latest: Any) -> None:
    f = solar_factors(sw)
    assert 1.1 < f["high"] < 1.5 and f["high"] * f["low"] == pytest.approx(1.0)
    st = latest
    need = {
        s: run_scenario(baseline(years=1, solar=s), space_weather=sw, station=ISS, state=st).annual[
            0
        ]["drag_dv_m_s"]
        for s in ("low", "nominal", "high")
    }
    assert need["low"] < need["nominal"] < need["high"]


def test_deorbit_profile(sw: Any, latest: Any) -> None:
    # from the latest state the decay runs through the declining cycle, as in NASA's plan
    r = run_scenario(deorbit(), space_weather=sw, station=ISS, state=latest)
    d = r.details["deorbit"]
    crew = parse_utc(d["altitude_gates_utc"]["crew_departure_km"]["p50"])
    assert r.reentry_utc is not None
    final = parse_utc(r.reentry_utc["p50"])
    assert 4 * 30.4 * 86400 < final - crew < 9 * 30.4 * 86400  # "about 6 months" (facts A.9)
    assert 45.0 < d["final_burn_dv_m_s"] < 56.0
    assert 0 < d["final_burn_propellant_kg"] < d["usdv_usable_propellant_kg"]
    assert r.annual[-1]["by_vehicle"].get("usdv") == pytest.approx(d["final_burn_dv_m_s"])


def test_custom_atmosphere_and_bad_specs() -> None:
    st = circular_state(parse_utc("2022-01-01"), 415.0, 0.008, ISS.mass_kg())
    r = run_scenario(baseline(years=0.5), atmosphere=ExponentialAtmosphere(), state=st, station=ISS)
    assert r.annual[0]["shortfall_dv_m_s"] == 0.0
    with pytest.raises(ParameterError):
        run_scenario(
            baseline(years=0.5, solar="high"), atmosphere=ExponentialAtmosphere(), state=st
        )
    with pytest.raises(ParameterError):
        baseline(solar="extreme")
    with pytest.raises(ParameterError):
        run_scenario(
            partner_exit("klingon", years=0.5), atmosphere=ExponentialAtmosphere(), state=st
        )


def test_b_range_of_the_past_year_carried_into_the_budgets(
    states: dict[str, Any], runs: dict[str, Any]
) -> None:
    st = states["2023-06-01"]
    lo, hi = st.b_range_m2_kg
    assert lo <= st.b_m2_kg <= hi and st.b_range_arcs >= 2
    assert st.b_range_window_s[1] - st.b_range_window_s[0] <= 366 * 86400
    y = runs["baseline"].annual[0]
    dlo, dhi = y["drag_dv_m_s_range"]
    assert dlo <= y["drag_dv_m_s"] <= dhi and dlo < dhi
    plo, phi = y["propellant_kg_range"]
    assert plo <= y["propellant_kg"] <= phi
    ex = runs["partner-exit"].details
    assert ex["remaining_capacity_dv_m_s_per_year"] > 0
    for v, (a, b) in ex["replace_alone_flights_per_year_range"].items():
        assert a <= ex["replace_alone_flights_per_year"][v] <= b


def test_no_reboost_from_a_later_start_keeps_the_band_until_then() -> None:
    t0 = parse_utc("2022-01-01")
    st = circular_state(t0, 415.0, 0.008, ISS.mass_kg())
    r = run_scenario(
        no_reboost(start_utc="2022-07-01", max_years=0.5),
        atmosphere=ExponentialAtmosphere(),
        state=st,
        station=ISS,
    )
    assert r.start_utc.startswith("2022-07-01")
    assert r.annual[0]["mean_alt_km_max"] >= 409.9  # held in the band until the start
    assert any("attitude-control" in a for a in r.assumptions)  # not costed, said so


def test_window_text_writes_an_end_past_the_horizon_in_words() -> None:
    """In the results a window end past the horizon is None (null in the JSON, as in
    ``orbitkeep reentry``); only the text says 'after the horizon'."""
    from orbitkeep.station.budget import percentiles, reentry_phrase, window_text

    w = {"p50": "2024-09-02T03:04:05Z", "p05": "2023-04-23T00:00:00Z", "p95": None}
    assert window_text(w) == "2024-09-02 (2023-04-23 to after the horizon)"
    assert reentry_phrase(w) == "about 2024-09-02 (2023-04-23 to after the horizon)"
    w = {"p50": None, "p05": "2027-02-15T00:00:00Z", "p95": None}
    assert reentry_phrase(w) == "after the horizon (5 % of the samples before 2027-02-15)"
    assert reentry_phrase(dict.fromkeys(("p50", "p05", "p95"))) == "after the horizon"
    assert percentiles([0.0, None, None]) == {
        "p50": "1970-01-01T00:00:00Z",
        "p05": None,
        "p95": None,
    }
    assert percentiles([None, 0.0, None]) is None


def test_solar_scaled_space_weather_survives_pickling() -> None:
    """What a worker process receives: the same drivers after a pickle round trip."""
    sw = SolarScaledSpaceWeather(load_space_weather(policy="cycle"), 1.25)
    back = pickle.loads(pickle.dumps(sw))
    t = np.array([sw.observed_until_s - 10 * 86400.0, sw.observed_until_s + 400 * 86400.0])
    a, b = sw.msis_drivers(t), back.msis_drivers(t)
    assert back.factor == 1.25 and back.source == sw.source
    np.testing.assert_array_equal(a.f107_sfu, b.f107_sfu)
    np.testing.assert_array_equal(a.ap, b.ap)


def test_a_horizon_under_a_year_gives_its_figures_per_year(sw: Any, latest: Any) -> None:
    # the drag of half a year is about half a year's (the same orbit and Sun): the per-
    # year need and flights must come out near a whole year's, not half of them
    kw = {"space_weather": sw, "station": ISS, "state": latest}
    half = run_scenario(baseline(years=0.5), **kw)
    year = run_scenario(baseline(years=1.0), **kw)
    assert len(half.annual) == 1
    assert half.details["need_dv_m_s_per_year_max"] == pytest.approx(
        year.details["need_dv_m_s_per_year_max"], rel=0.2
    )
    assert half.details["need_dv_m_s_per_year_max"] > 1.5 * half.annual[0]["drag_dv_m_s"]
    for v, n in half.details["replace_alone_flights_per_year"].items():
        assert n == pytest.approx(year.details["replace_alone_flights_per_year"][v], rel=0.2)
    lines = summary_lines(
        {
            "baseline": half,
            "partner-exit": run_scenario(partner_exit("roscosmos", years=0.5), **kw),
            "no-reboost": year,
        }
    )
    assert "over the 0.5 years run" in lines[1] and "in the next year" not in lines[1]
