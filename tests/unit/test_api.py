"""The Python API: ``import orbitkeep as ok`` does what the command line does."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import orbitkeep as ok
from orbitkeep.errors import EstimationError, OrbitkeepError, ParameterError

ROOT = Path(__file__).resolve().parents[2]
ISS_2022 = ROOT / "tests" / "data" / "observed" / "25544_iss.tle"


@pytest.fixture(scope="module")
def d() -> ok.Decay:
    return ok.decay(ISS_2022, days=20)


def test_public_names() -> None:
    for name in ("read_tles", "read_elements", "history", "decay", "reentry", "lifetime",
                 "iss", "space_weather", "update", "Decay", "Reentry", "Scenario",
                 "OrbitkeepError", "TLE", "__version__"):  # fmt: skip
        assert name in ok.__all__ and hasattr(ok, name)


def test_import_is_light() -> None:
    code = (
        "import sys, orbitkeep; "
        "heavy = [m for m in ('matplotlib', 'pandas', 'pymsis', 'scipy', 'rich') if m in sys.modules]; "
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_submodules_do_not_hide_the_functions() -> None:
    """orbitkeep.decay, .reentry and .lifetime are also module names: importing them must
    not replace ok.decay() / ok.reentry() / ok.lifetime()."""
    importlib.import_module("orbitkeep.decay")
    importlib.import_module("orbitkeep.reentry")
    importlib.import_module("orbitkeep.lifetime")
    assert ok.decay is ok.api.decay and ok.reentry is ok.api.reentry
    assert ok.lifetime is ok.api.lifetime
    from orbitkeep.decay import run_decay  # the modules themselves still import

    assert callable(run_decay)


def test_read_tles() -> None:
    tles = ok.read_tles(ISS_2022)
    assert tles[0].norad_id == 25544
    assert 0.9 * len(tles) < len(ok.history(tles)) <= len(tles)  # duplicates dropped


def test_decay_matches_the_cli(d: ok.Decay, capsys: pytest.CaptureFixture[str]) -> None:
    from orbitkeep.cli import main

    assert main(["decay", str(ISS_2022), "--days", "20", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert d.to_json() == doc
    assert isinstance(d.result, type(d.result)) and d.norad_id == 25544  # delegated
    assert d.reentry_s is None and d.method == "averaged"


def test_decay_repr_is_readable(d: ok.Decay) -> None:
    text = repr(d)
    assert text.startswith("<Decay NORAD 25544 ISS (ZARYA) from 2022-03-03")
    assert "still up on 2022-03-23" in text and "\n" not in text


def test_to_dataframe(d: ok.Decay) -> None:
    df = d.to_dataframe()
    assert len(df) == d.trajectory.t_s.size
    assert str(df["t_utc"].dtype).startswith("datetime64") and str(df["t_utc"].dt.tz) == "UTC"
    assert df["mean_alt_km"].iloc[0] > df["mean_alt_km"].iloc[-1]


def test_plot_save_report(d: ok.Decay, tmp_path: Path) -> None:
    fig = d.plot(tmp_path / "d.png")
    assert fig.axes and (tmp_path / "d.png").read_bytes().startswith(b"\x89PNG")
    d.save(tmp_path / "d.json")
    assert len(json.loads((tmp_path / "d.json").read_text())) == d.trajectory.t_s.size
    page = d.report(tmp_path / "d.html").read_text()
    assert str(ISS_2022) in page  # the API records its inputs for the report
    with pytest.raises(ParameterError, match=r"^path: "):
        d.plot(tmp_path / "d.gif")


def test_decay_arguments(tmp_path: Path) -> None:
    a = ok.decay(ISS_2022, epoch=dt.datetime(2022, 3, 10), days=1, ballistic_coefficient_m2_kg=0.01)
    assert a.method == "numerical" and a.drag.ballistic_coefficient_m2_kg == 0.01
    assert a.start_s <= dt.datetime(2022, 3, 10, tzinfo=dt.UTC).timestamp()
    b = ok.decay(ISS_2022, until="2022-03-05", mass_kg=420000, area_m2=1500, cd=2.2)
    assert b.b_source["method"] == "mass/area/Cd"
    with pytest.raises(ParameterError, match="mass_kg"):
        ok.decay(ISS_2022, days=2, mass_kg=1.0)
    with pytest.raises(ParameterError, match="epoch"):
        ok.decay(ISS_2022, epoch="yesterday")
    with pytest.raises(ParameterError, match="interface_alt_km"):
        ok.decay(ISS_2022, days=2, interface_alt_km=-1)
    with pytest.raises(ParameterError, match="interface_alt_km: must be 80 km or more"):
        ok.decay(ISS_2022, days=2, interface_alt_km=50)
    with pytest.raises(OrbitkeepError, match="no such file"):
        ok.decay(tmp_path / "none.tle")


@pytest.mark.parametrize("call", [ok.decay, ok.reentry])
def test_a_history_too_short_for_the_fit_names_the_file(call: Any, tmp_path: Path) -> None:
    one = tmp_path / "one.tle"
    one.write_text("\n".join(ISS_2022.read_text().splitlines()[:3]) + "\n")  # one set
    with pytest.raises(EstimationError) as info:
        call(one, samples=2) if call is ok.reentry else call(one, days=2)
    assert info.value.path == str(one)
    assert str(info.value).startswith(f"{one}: need at least 3 element sets")


def test_iss_scenario() -> None:
    s = ok.iss("partner-exit", years=1)
    assert isinstance(s, ok.Scenario)
    assert s.scenario == "partner-exit:roscosmos"
    assert repr(s).startswith("<Scenario partner-exit:roscosmos from ")
    df = s.to_dataframe()
    assert list(df["year"]) == [1] and "dv_m_s" in df.columns
    assert s.inputs["scenario"] == "partner-exit"
    with pytest.raises(ParameterError, match="unknown scenario"):
        ok.iss("moon-base")


def test_reentry_wraps_predict_reentry(monkeypatch: pytest.MonkeyPatch) -> None:
    reentry_module = importlib.import_module("orbitkeep.reentry")

    seen: dict[str, Any] = {}

    def fake(h: Any, sw: Any, **kw: Any) -> Any:
        seen.update(kw, norad=h.norad_id, sw=sw)
        r = np.array([1.70e9, 1.71e9, np.nan])
        return types.SimpleNamespace(
            norad_id=h.norad_id, name=h.name, prediction_epoch_s=1.69e9, reentry_s=r,
            quantiles_s={"p05": 1.70e9, "p50": 1.71e9, "p95": None}, samples=3, seed=kw["seed"],
            to_json=lambda: {"samples": 3},
        )  # fmt: skip

    monkeypatch.setattr(reentry_module, "predict_reentry", fake)
    r = ok.reentry(ISS_2022, samples=3, seed=5, before="2022-03-10", executor="serial")
    assert seen["norad"] == 25544 and seen["samples"] == 3 and seen["executor"] == "serial"
    assert seen["before_s"] == pytest.approx(1646870400.0)
    assert seen["interface_alt_m"] == 120e3
    assert (
        repr(r)
        == "<Reentry NORAD 25544 ISS (ZARYA): p50 2024-03-09 (p05 2023-11-14, p95 —), 3 samples>"
    )
    assert r.to_dataframe()["reentry_utc"].isna().tolist() == [False, False, True]
    assert r.to_json() == {"samples": 3}


def test_lifetime_gives_the_cli_answer(capsys: pytest.CaptureFixture[str]) -> None:
    """ok.lifetime and `orbitkeep lifetime` are one computation: same window, same JSON."""
    from orbitkeep.cli import main

    args = dict(alt_km=300.0, incl_deg=51.6, mass_kg=4.0, area_m2=0.03, cd=2.2)
    r = ok.lifetime(**args, epoch="2022-03-01", samples=12, seed=7, executor="serial")
    assert repr(r).startswith("<Reentry design orbit: p50 2022-")
    cli = ["lifetime", "--alt-km", "300", "--incl-deg", "51.6", "--mass", "4", "--area", "0.03"]
    cli += ["--cd", "2.2", "--epoch", "2022-03-01", "--samples", "12", "--seed", "7", "--json"]
    assert main(cli) == 0
    assert json.loads(capsys.readouterr().out) == json.loads(json.dumps(r.to_json()))
    with pytest.raises(ok.OrbitkeepError, match="--mass, --area and --cd together"):
        ok.lifetime(alt_km=300.0, incl_deg=51.6, mass_kg=4.0)


def test_space_weather() -> None:
    cov = ok.space_weather().coverage()
    assert cov["observed_until"] >= "2025"


@pytest.mark.parametrize(
    ("kwargs", "flag"),
    [
        ({"alt_km": "400"}, "--alt-km"),
        ({"alt_km": 400, "incl_deg": None}, "--incl-deg"),
        ({"alt_km": None, "perigee_km": "300", "apogee_km": 500}, "--perigee-km"),
        ({"ballistic_coefficient_m2_kg": "0.01"}, "--ballistic-coefficient"),
        ({"ballistic_coefficient_m2_kg": 1e9}, "--ballistic-coefficient"),  # past a film's
        (
            {"ballistic_coefficient_m2_kg": None, "mass_kg": "4", "area_m2": 0.03, "cd": 2.2},
            "--mass",
        ),
        ({"b_sigma_pct": "10"}, "b_sigma_pct"),
        ({"horizon_years": "x"}, "--horizon-years"),
        ({"horizon_years": 1e6}, "--horizon-years"),
    ],
)
def test_lifetime_refuses_what_is_not_a_number_or_out_of_range(
    kwargs: dict[str, Any], flag: str | None
) -> None:
    """A string or None where a number goes is a ParameterError naming the argument,
    never a bare TypeError from deep inside (nor a string quietly turned into a number);
    so is a horizon past 200 years (decay.MAX_HORIZON_YEARS), before anything is flown."""
    args: dict[str, Any] = {"alt_km": 400, "incl_deg": 51.6, "ballistic_coefficient_m2_kg": 0.01}
    args.update(kwargs)
    with pytest.raises(ParameterError) as exc:
        ok.lifetime(**args, samples=4, executor="serial")
    assert exc.value.flag == flag, exc.value


@pytest.mark.parametrize(
    ("kwargs", "flag"),
    [
        ({"scenario": "baseline", "exit": "2027-01-01"}, "exit"),
        ({"scenario": None, "extra_flights": {"cygnus": 1}}, "extra_flights"),
        ({"scenario": "no-reboost", "decay_start": "2027-01-01"}, "decay_start"),
    ],
)
def test_iss_refuses_an_argument_its_scenario_would_ignore(
    kwargs: dict[str, Any], flag: str
) -> None:
    """As the command line refuses --exit-date without partner-exit: an argument the
    scenario does not use is an error, not silently dropped."""
    with pytest.raises(ParameterError) as exc:
        ok.iss(**kwargs)
    assert exc.value.flag == flag and "ignored" in str(exc.value)


@pytest.mark.parametrize(
    ("call", "flag"),
    [
        (lambda: ok.decay(atmosphere="bogus", days=1), "--atmosphere"),
        (lambda: ok.decay(atmosphere=2.1, days=1), "--atmosphere"),
        (lambda: ok.decay(ap_mode="hourly", days=1), "--ap-mode"),
        (lambda: ok.iss("baseline", years="5"), "years"),
        (lambda: ok.iss("baseline", years=-1.0), "years"),
        (lambda: ok.iss("baseline", start=1e20), "start"),
        (lambda: ok.decay(epoch=-1e15, days=1), "epoch"),
        (lambda: ok.update(tle="25544"), "tle"),
        (lambda: ok.update(tle=[25544.0]), "tle"),
        (lambda: ok.update(tle=[0]), "tle"),
        (lambda: ok.update(tle=None), "tle"),  # type: ignore[arg-type]
        (lambda: ok.reentry(samples=4, workers=0), "--workers"),
        (lambda: ok.reentry(samples=4, workers=1.5), "--workers"),
    ],
    ids=lambda x: x if isinstance(x, str) else "",
)
def test_api_arguments_a_run_cannot_take_are_parameter_errors(call: Any, flag: str) -> None:
    """Not a bare ValueError, TypeError or OverflowError from deep inside (an unknown
    model name, a string for a number, Unix seconds past year 9999, workers=0 quietly
    meaning the CPU count), and before anything is flown or downloaded."""
    with pytest.raises(ParameterError) as exc:
        call()
    assert exc.value.flag == flag, exc.value


def test_update_takes_one_number_or_several(monkeypatch: pytest.MonkeyPatch) -> None:
    api = importlib.import_module("orbitkeep.api")
    seen: list[tuple[bool, tuple[int, ...]]] = []
    monkeypatch.setattr(api, "run_update", lambda sw, ids: seen.append((sw, ids)) or [])
    ok.update(tle=25544)
    ok.update(space_weather=False, tle=[25544, np.int64(48274)])
    assert seen == [(True, (25544,)), (False, (25544, 48274))]


def test_iss_takes_the_agency_name_and_refuses_an_unknown_partner_first(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As --partner: 'Roscosmos' (the agency's name) is the partner roscosmos; an unknown
    one is refused naming the argument before the question of the day is flown."""
    import orbitkeep.station as station

    seen: list[str] = []

    def fake(**kw: Any) -> Any:
        seen.append(kw["partner"])
        raise RuntimeError("stop")

    monkeypatch.setattr(station, "question_of_the_day", fake)
    with pytest.raises(RuntimeError, match="stop"):
        ok.iss(None, partner="Roscosmos")
    assert seen == ["roscosmos"]
    with pytest.raises(ParameterError) as exc:
        ok.iss(None, partner="Baikonur")
    assert exc.value.flag == "partner" and "roscosmos" in str(exc.value)
    assert seen == ["roscosmos"]  # refused before the run
