"""Plots: one figure per kind of result, PNG and SVG, user text never read as markup."""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orbitkeep.report import plots, result_views

ROOT = Path(__file__).resolve().parents[2]
ISS_2022 = ROOT / "tests" / "data" / "observed" / "25544_iss.tle"
T0 = 1.80e9  # 2027-01-15


def fake_reentry(n: int = 300, stay: int = 7, name: str = "TEST SAT") -> Any:
    """A stand-in with the documented ReentryResult fields."""
    rng = np.random.default_rng(3)
    r = np.r_[T0 + rng.normal(0.0, 20 * 86400.0, n - stay), np.full(stay, np.nan)]
    ok = r[np.isfinite(r)]
    q = {
        k: float(np.percentile(ok, p)) if ok.size else None
        for k, p in (("p05", 5), ("p50", 50), ("p95", 95))
    }
    return types.SimpleNamespace(
        norad_id=99999,
        name=name,
        prediction_epoch_s=T0 - 200 * 86400.0,
        tle_epoch_s=T0 - 201 * 86400.0,
        reentry_s=r,
        quantiles_s=q,
        b_m2_kg=0.01,
        b_sigma_m2_kg=0.001,
        samples=n,
        seed=3,
        horizon_s=25 * 365.25 * 86400.0,
        interface_alt_m=120e3,
        space_weather={"source": "SW-All.csv", "policy": "persist"},
        forecast={"method": "persistence"},
        to_json=lambda: {"samples": n},
    )


def fake_scenario(with_series: bool = True) -> Any:
    t = np.linspace(T0, T0 + 2 * 365.25 * 86400.0, 200)
    alt = 420.0 - 10.0 * ((t - T0) / (120 * 86400.0) % 1.0)
    ns = types.SimpleNamespace(
        scenario="partner-exit:roscosmos",
        start_utc="2027-01-15T00:00:00Z",
        years=2.0,
        annual=[
            {
                "year": 1,
                "from_utc": "2027-01-15T00:00:00Z",
                "dv_m_s": 12.0,
                "propellant_kg": 1900.0,
                "burns": 3,
                "by_vehicle": {"cygnus": 7.0, "dragon_boost_kit": 5.0},
            },
            {
                "year": 2,
                "from_utc": "2028-01-15T00:00:00Z",
                "dv_m_s": 14.0,
                "propellant_kg": 2100.0,
                "burns": 3,
                "by_vehicle": {"cygnus": 8.0, "uncovered": 6.0},
            },
        ],
        shortfall_dv_m_s_per_year=3.0,
        reentry_utc={
            "p50": "2031-06-01T00:00:00Z",
            "p05": "2030-12-01T00:00:00Z",
            "p95": None,  # past the horizon
        },
        events=[
            {"utc": "2027-01-15T00:00:00Z", "kind": "partner_exit", "partner": "roscosmos"},
            {
                "utc": "2027-05-15T00:00:00Z",
                "kind": "reboost",
                "dv_m_s": 5.6,
                "alt_before_km": 410.0,
            },
            {
                "utc": "2027-08-15T00:00:00Z",
                "kind": "debris_avoidance",
                "dv_m_s": 0.6,
                "alt_before_km": 414.0,
            },
            {"utc": "2028-06-01T00:00:00Z", "kind": "capacity_ran_out"},
        ],
        assumptions=["a [assumed]"],
        station={"epoch_utc": "2027-01-15T00:00:00Z"},
        details={"band_km": [410.0, 420.0]},
        to_json=lambda: {},
    )
    if with_series:
        ns.series = {"t_s": t, "mean_alt_km": alt}
    return ns


@pytest.fixture(scope="module")
def decay_result() -> Any:
    from orbitkeep.decay import DecaySpec, Environment, run_decay
    from orbitkeep.state import DragProperties

    spec = DecaySpec(tle_path=ISS_2022, days=20, drag=DragProperties(0.009))
    return run_decay(spec, Environment.build())


def test_kinds_are_recognised(decay_result: Any) -> None:
    assert result_views.kind_of(decay_result) == "decay"
    assert result_views.kind_of(fake_reentry()) == "reentry"
    assert result_views.kind_of(fake_scenario()) == "scenario"
    assert result_views.kind_of({"a": fake_scenario(), "b": fake_scenario()}) == "scenarios"
    assert result_views.kind_of([100.0, 200.0, None]) == "batch"
    with pytest.raises(TypeError):
        result_views.kind_of(object())


def test_every_kind_renders(decay_result: Any) -> None:
    results = [
        decay_result,
        fake_reentry(),
        fake_scenario(),
        fake_scenario(False),
        {"x": fake_scenario()},
        list(np.linspace(10, 3000, 50)),
    ]
    for i, r in enumerate(results):
        fmt = ("png", "svg")[i % 2]
        data = plots.render(plots.default_figure(r), fmt)
        if fmt == "png":
            assert data.startswith(b"\x89PNG")
        else:
            assert b"<svg" in data[:2000]


def test_decay_plot_marks_reentry() -> None:
    t = np.linspace(T0, T0 + 100 * 86400.0, 50)
    traj = types.SimpleNamespace(
        t_s=t, sma_m=6.378137e6 + np.linspace(300e3, 120e3, 50), ecc=np.full(50, 1e-3)
    )
    r = types.SimpleNamespace(
        trajectory=traj, norad_id=1, name="X", reentry_s=float(t[-1]), interface_alt_m=120e3
    )
    ax = plots.altitude_figure(r).axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert "mean altitude" in labels
    assert any(lab.startswith("reentry 2027-04-25") for lab in labels)
    assert ax.lines[0].get_ydata()[0] == pytest.approx(300.0)


def test_scenario_plot_marks_burns_exit_and_window() -> None:
    ax = plots.altitude_figure(fake_scenario()).axes[0]
    labels = ax.get_legend_handles_labels()[1]
    for needle in (
        "reboost burn",
        "debris avoidance burn",
        "roscosmos leaves 2027-01-15",
        "reentry median 2031-06-01",
        "altitude band",
        "capacity runs out",
    ):
        assert any(needle in lab for lab in labels), (needle, labels)


def test_dv_bars_stack_by_vehicle_with_the_shortfall_apart() -> None:
    ax = plots.dv_by_vehicle_figure(fake_scenario()).axes[0]
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["cygnus", "dragon boost kit", "not covered (shortfall)"]
    tops = sorted({round(p.get_y() + p.get_height(), 6) for p in ax.patches})
    assert tops[-1] == pytest.approx(14.0)


def test_reentry_histogram_counts_only_reentered_samples() -> None:
    r = fake_reentry(n=300, stay=7)
    ax = plots.reentry_histogram_figure(r).axes[0]
    assert sum(p.get_height() for p in ax.patches) == 293
    assert "7 still in orbit" in ax.get_title(loc="left")
    none = fake_reentry(n=10, stay=10)
    ax = plots.reentry_histogram_figure(none).axes[0]
    assert any("no sample reentered" in t.get_text() for t in ax.texts)


def test_lifetimes_histogram_switches_to_years() -> None:
    ax = plots.lifetimes_figure(np.array([100.0, 900.0, 3000.0, np.nan])).axes[0]
    assert ax.get_xlabel() == "lifetime, years"
    assert "1 still in orbit" in ax.get_title(loc="left")


def test_dollars_in_names_are_not_mathtext() -> None:
    r = fake_reentry(name="SAT $\\frac{1}{0 $ <b>&")
    svg = plots.render(plots.default_figure(r), "svg")  # would raise on bad mathtext
    assert b"<b>" not in svg


def test_svg_inline_has_no_prolog_and_unique_ids(decay_result: Any) -> None:
    a = plots.svg_inline(plots.default_figure(decay_result), salt="a")
    b = plots.svg_inline(plots.default_figure(decay_result), salt="b")
    assert a.startswith("<svg") and "<?xml" not in a
    import re

    ids_a = set(re.findall(r'id="([^"]+)"', a))
    ids_b = set(re.findall(r'id="([^"]+)"', b))
    generated = {i for i in ids_a if re.fullmatch(r"[pm][0-9a-f]{8,}", i)}
    assert generated and not generated & ids_b
