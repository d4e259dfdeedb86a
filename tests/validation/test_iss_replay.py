"""ISS replay 2021-01 to 2022-03 (scripts/iss_replay.py): the station model with the
reboosts detected in the TLE history against the observed mean altitude."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).parents[2] / "scripts" / "iss_replay.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("iss_replay", SCRIPT)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules["iss_replay"] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def replay() -> tuple[ModuleType, dict, list]:
    mod = _load()
    tle = mod.default_tle()
    if tle is None:
        pytest.skip("tests/data/observed/25544_iss.tle (2021-01 to 2022-03) not found")
    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.environment.spaceweather import load_space_weather

    atm = make_atmosphere("msis2.1", load_space_weather(policy="error"))
    res = mod.replay(tle, atm, b_mode="rolling")
    return mod, res, mod.cross_check(res, mod.DEFAULT_REBOOSTS)


@pytest.mark.slow
def test_monthly_rms_within_1_km(replay: tuple) -> None:
    mod, res, _ = replay
    assert len(res["monthly"]) >= 14
    bad = [m for m in res["monthly"] if m["rms_km"] > mod.RMS_LIMIT_KM]
    assert not bad, bad


@pytest.mark.slow
def test_2021_dv_agrees_within_20_percent(replay: tuple) -> None:
    mod, res, _ = replay
    assert res["observed_dv_m_s"] > 0
    assert abs(res["dv_rel_diff"]) <= mod.DV_LIMIT, res["dv_rel_diff"]


@pytest.mark.slow
def test_published_burns_are_detected(replay: tuple) -> None:
    mod, res, xc = replay
    if not xc:
        pytest.skip("tests/data/observed/iss_reboosts.csv not found")
    apr = next(x for x in xc if x["date"].startswith("2021-04-02"))
    # TASS: +0.36 km, 0.21 m/s (Progress MS-14)
    assert apr["detected_dsma_km"] == pytest.approx(0.36, abs=0.1)
    assert apr["detected_dv_m_s"] == pytest.approx(0.21, abs=0.05)
    jan = next(x for x in xc if x["date"].startswith("2022-01-12"))
    assert jan["detected_utc"] is not None and jan["detected_dsma_km"] > 0.5
    assert "| month |" in mod.markdown(res, None, xc)
