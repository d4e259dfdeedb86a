"""The station's reentry windows come from the reentry module's Monte Carlo (issue 5)."""

from __future__ import annotations

import numpy as np
import pytest

from orbitkeep.constants import R_EQUATOR_M
from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.propagators.averaged import propagate_averaged
from orbitkeep.state import MeanElements
from orbitkeep.station.windows import mc_window
from orbitkeep.timescale import parse_utc


def _iss_like(t0: float, alt_m: float) -> MeanElements:
    """One ISS-like orbit (e 0.0005, i 51.64 deg) at mean altitude ``alt_m`` on ``t0``."""
    return MeanElements(
        *(np.array([x]) for x in (t0, R_EQUATOR_M + alt_m, 0.0005, 0.9013, 1.0, 0.5, 0.0))
    )


def _window(atm, t0: float, alt_m: float, b: float, years: float, b_factors):  # type: ignore[no-untyped-def]
    """The nominal reentry and the station window (dict, and p05/p50/p95 in Unix s)."""
    el = _iss_like(t0, alt_m)
    until = t0 + years * 365.25 * 86400.0
    nominal = float(propagate_averaged(el, b, atm, until).reentry_s[0])
    w = mc_window(el, b, atm, until, nominal, b_factors)
    assert w is not None
    return nominal, w, tuple(parse_utc(w[k]) for k in ("p05", "p50", "p95"))


def test_window_brackets_the_nominal_reentry_and_is_reproducible(space_weather) -> None:  # type: ignore[no-untyped-def]
    atm = make_atmosphere("msis2.1", space_weather)
    t0 = parse_utc("2023-06-01")
    # an ISS-like station already down at 280 km: weeks to live
    nominal, w1, (p05, p50, p95) = _window(atm, t0, 280e3, 0.008, 2.0, (0.8, 1.2))
    _, w2, _ = _window(atm, t0, 280e3, 0.008, 2.0, (0.8, 1.2))
    assert w1 == w2
    assert p05 < p50 < p95
    assert p05 < nominal < p95


def test_median_of_a_multi_year_decay_is_the_nominal_reentry(space_weather) -> None:  # type: ignore[no-untyped-def]
    """The ISS of 2026-05-30 left to decay (418.7 km, B = 0.0105 m^2/kg, the past year's
    B 0.59-1.0 times that): about three years through the declining solar cycle, with a
    log drag spread of ~0.7. Antithetic draws make the samples' log drag factors
    symmetric about 0 and the lifetime falls as the factor grows, so the median is the
    nominal reentry up to the pair nearest to it; 100 independent draws put it 13
    months late (their median factor was ~0.9)."""
    atm = make_atmosphere("msis2.1", space_weather.with_policy("cycle"))
    t0 = parse_utc("2026-05-30")
    nominal, _, (p05, p50, p95) = _window(atm, t0, 418.7e3, 0.0105, 30.0, (0.587, 1.0))
    assert p05 < nominal < p95
    assert abs(p50 - nominal) <= 0.03 * (nominal - t0)


def test_antithetic_samples_pair_each_drag_factor_with_its_inverse(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``antithetic`` the drag factors come in pairs s, 1/s (z and -z), so their
    logs have median and mean 0 exactly; the seed still decides the draws."""
    from orbitkeep import batch

    seen: list[np.ndarray] = []

    def capture(jobs, *a, **k):  # type: ignore[no-untyped-def]
        seen.append(np.concatenate([j.density_scale for j in jobs]))
        return [
            batch.JobResult(
                j.index,
                np.full(len(j.elements), np.nan),
                ["ok"] * len(j.elements),
                j.elements.sma_m,
            )
            for j in jobs
        ]

    from orbitkeep import sampling as module

    t0 = parse_utc("2023-06-01")
    el = _iss_like(t0, 400e3)
    monkeypatch.setattr(module, "run_many", capture)
    for seed in (1, 2):
        module.sample_reentries(
            el,
            0.01,
            None,
            t0 + 86400.0,
            samples=10,
            seed=seed,
            b_log_sigma=0.2,
            solar_log_sigma=0.3,
            antithetic=True,
            density="exact",
        )
    for s in seen:
        logs = np.log(s)
        assert np.allclose(np.sort(logs), np.sort(-logs), atol=1e-12)
    assert not np.allclose(seen[0], seen[1])
