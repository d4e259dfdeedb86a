"""Reboost physics and band keeping, against published numbers (facts A.4, A.5, A.9)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from orbitkeep.constants import R_EQUATOR_M
from orbitkeep.environment.atmosphere import ExponentialAtmosphere
from orbitkeep.station import circular_state, load_station
from orbitkeep.station.deltav import (
    dv_from_propellant_m_s,
    dv_per_km_m_s,
    hohmann_dv_m_s,
    perigee_lowering_dv_m_s,
    propellant_kg,
)
from orbitkeep.station.reboost import (
    YEAR_S,
    HoldResult,
    Propulsion,
    ReboostPolicy,
    TimelineEvent,
    arrival_train,
    free_decay_reentry,
    hold_band,
)
from orbitkeep.timescale import parse_utc

ISS = load_station()
T0 = parse_utc("2022-03-01")


def test_dv_per_km_near_415_km() -> None:
    # facts A.4: Δh ≈ 1.77 km per m/s at ~415 km, i.e. ~0.565 m/s per km
    assert 0.55 <= dv_per_km_m_s(415.0) <= 0.59


@pytest.mark.parametrize(
    ("dv_m_s", "dh_km"),
    [(1.42, 2.48), (2.0, 3.5), (1.85, 3.25), (1.5, 2.8)],  # Roscosmos burns, facts A.4 / D.2
)
def test_published_burns_match_the_impulsive_model(dv_m_s: float, dh_km: float) -> None:
    a = R_EQUATOR_M + 415e3
    assert hohmann_dv_m_s(a, a + dh_km * 1e3) == pytest.approx(dv_m_s, rel=0.12)


def test_propellant_per_m_s_on_420_t() -> None:
    # facts A.5: ≈142 kg per m/s for a 420 t stack at Isp ≈ 300 s
    assert 141.0 <= propellant_kg(1.0, 420_000.0, 302.0) <= 142.0
    assert dv_from_propellant_m_s(propellant_kg(3.0, 4.5e5, 300.0), 4.5e5, 300.0) == pytest.approx(
        3.0
    )


def test_hohmann_is_symmetric_and_additive() -> None:
    a = R_EQUATOR_M + 410e3
    assert hohmann_dv_m_s(a, a + 1e4) == pytest.approx(hohmann_dv_m_s(a + 1e4, a))
    assert hohmann_dv_m_s(a, a + 1e4) == pytest.approx(
        hohmann_dv_m_s(a, a + 5e3) + hohmann_dv_m_s(a + 5e3, a + 1e4), rel=1e-6
    )


def test_deorbit_burn_from_220_km() -> None:
    # circular 220 km to a 50 km perigee: v_c (1 - sqrt(2 rp / (r1 + rp)))
    dv = perigee_lowering_dv_m_s(220.0, 50.0)
    assert 45.0 < dv < 56.0
    assert perigee_lowering_dv_m_s(220.0, 220.0) == pytest.approx(0.0, abs=1e-9)


def test_arrival_train_counts() -> None:
    t = arrival_train(T0, T0 + 2 * YEAR_S, 3.5)
    assert len(t) == 7 and t[0] == T0
    assert np.allclose(np.diff(t), YEAR_S / 3.5)
    assert arrival_train(T0, T0 + YEAR_S, 0.0) == []


def test_propulsion_draws_in_priority_order_and_reports_shortfall() -> None:
    p = Propulsion(list(ISS.vehicles), ISS.mass_kg())
    p.arrive("progress_ms")
    m = ISS.mass_kg()
    assert p.capacity_m_s(m) == pytest.approx(6.0, rel=1e-6)  # ~6 m/s per Progress, facts A.6
    by, prop, unc = p.draw(4.0, m)
    assert by == {"progress_ms": pytest.approx(4.0)} and unc == 0.0
    assert prop["progress_ms"] == pytest.approx(propellant_kg(4.0, m, 302.0))
    by, _, unc = p.draw(4.0, m)  # the rest: 2 m/s (to 0.2%: the stack mass is held constant)
    assert by["progress_ms"] == pytest.approx(2.0, rel=2e-3) and unc == pytest.approx(2.0, rel=2e-3)
    assert by["progress_ms"] + unc == pytest.approx(4.0)
    p.arrive("dragon_boost_kit")
    p.drop_partner("nasa")
    assert p.capacity_m_s(m) == 0.0 and p.arrive("cygnus") == 0.0


def _hold(
    b: float, until_years: float, timeline: list[TimelineEvent], limited: bool = False
) -> HoldResult:
    st = circular_state(T0, 415.0, b, ISS.mass_kg())
    pol = ReboostPolicy.from_model(ISS)
    prop = Propulsion(list(ISS.vehicles), ISS.mass_kg())
    return hold_band(
        ISS,
        st,
        ExponentialAtmosphere(),
        T0 + until_years * YEAR_S,
        policy=pol,
        propulsion=prop,
        timeline=timeline,
        limited=limited,
    )


def test_band_is_held_and_dv_matches_the_decay() -> None:
    arrivals = [
        TimelineEvent(t, "arrival", vehicle="progress_ms")
        for t in arrival_train(T0, T0 + YEAR_S, 3.5)
    ]
    hr = _hold(0.008, 1.0, arrivals)
    alt = hr.sma_m - R_EQUATOR_M
    assert alt.min() > 409.5e3 and alt.max() <= 420.0e3 + 1.0
    raises = [b for b in hr.burns if b.kind == "reboost"]
    assert raises and all(b.uncovered_m_s == 0 for b in raises)
    for b in raises:  # each burn takes the band bottom back to the top
        assert b.dv_m_s == pytest.approx(10.0 * dv_per_km_m_s(415.0), rel=0.03)
    assert hr.first_shortfall_s is None and hr.status == "ok"


def test_capacity_running_out_is_detected() -> None:
    hr = _hold(0.008, 1.0, [])  # nobody brings propellant
    assert hr.first_shortfall_s is not None
    first = next(b for b in hr.burns if b.kind == "reboost")
    assert hr.first_shortfall_s == first.t_s and first.uncovered_m_s == pytest.approx(first.dv_m_s)
    assert float(hr.state_at_shortfall.sma_m[0]) - R_EQUATOR_M <= 410.0e3


def test_partner_exit_changes_mass_and_b() -> None:
    ev = [TimelineEvent(T0 + 86400.0, "partner_exit", partner="roscosmos")]
    hr = _hold(0.008, 0.05, ev)
    (log,) = [e for e in hr.events if e["kind"] == "partner_exit"]
    assert log["mass_kg"] == pytest.approx(ISS.mass_kg() - 2 * 7250 - 7150)
    assert log["b_m2_kg"] == pytest.approx(0.008 * ISS.mass_kg() / log["mass_kg"])
    assert "cmg_desaturation" in log["capabilities_lost"]
    assert math.isclose(hr.b_final_m2_kg, log["b_m2_kg"])


def test_limited_reboosts_with_nothing_on_board_are_a_free_decay() -> None:
    """Nobody brings propellant: the limited run's reboosts deliver nothing, so the
    station decays freely from 415 km; reference: the free decay of the same state."""
    b = 0.03
    hr = _hold(b, 30.0, [], limited=True)
    assert hr.status == "reentered" and hr.reentry_s is not None
    assert all(bn.dv_m_s == 0.0 for bn in hr.burns)
    st = circular_state(T0, 415.0, b, ISS.mass_kg())
    ((free, *_),) = free_decay_reentry(st.elements, b, ExponentialAtmosphere(), T0 + 30 * YEAR_S)
    assert free is not None
    assert abs(hr.reentry_s - free) <= 0.005 * (free - T0)


def test_limited_reboosts_delay_the_reentry_by_what_arrivals_bring() -> None:
    """One Progress a year brings ~6 m/s where holding the band needs several times that:
    the band is lost, yet each arrival lifts the station by what it brings (never past the
    top of the band), so the station comes down later than in a free decay, and the
    default (demand) run, which raises it to the top whatever is on board, never does."""
    b = 0.03
    arrivals = [
        TimelineEvent(t, "arrival", vehicle="progress_ms")
        for t in arrival_train(T0, T0 + 30 * YEAR_S, 1.0)
    ]
    limited = _hold(b, 30.0, arrivals, limited=True)
    free = _hold(b, 30.0, [], limited=True)
    demand = _hold(b, 30.0, arrivals)
    assert limited.first_shortfall_s is not None and demand.first_shortfall_s is not None
    assert limited.status == free.status == "reentered" and demand.status == "ok"
    assert limited.reentry_s is not None and free.reentry_s is not None
    assert limited.reentry_s > free.reentry_s + 30 * 86400.0
    lifts = [bn for bn in limited.burns if bn.kind == "reboost" and bn.dv_m_s > 0]
    assert lifts and all(bn.uncovered_m_s == 0.0 for bn in lifts)
    assert all(bn.alt_after_m <= 420.0e3 + 1.0 for bn in lifts)
    assert all(bn.alt_after_m > bn.alt_before_m for bn in lifts)
