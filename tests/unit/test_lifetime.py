"""The lifetime window of a design orbit (orbitkeep.lifetime, `orbitkeep lifetime`)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from orbitkeep.cli import main
from orbitkeep.constants import DAY_S, R_EQUATOR_M
from orbitkeep.environment.atmosphere import make_atmosphere
from orbitkeep.environment.forecast import forecast_space_weather
from orbitkeep.errors import ParameterError
from orbitkeep.estimation import mean_elements_at
from orbitkeep.lifetime import design_elements, predict_design_lifetime
from orbitkeep.propagators.averaged import AveragedSettings, propagate_averaged
from orbitkeep.reentry import predict_reentry
from orbitkeep.synthetic import flown_history
from orbitkeep.timescale import parse_utc

EPOCH = parse_utc("2022-03-01")  # a past epoch: a hindcast of the design


def test_design_elements_from_perigee_and_apogee() -> None:
    el = design_elements(EPOCH, perigee_alt_km=300.0, apogee_alt_km=700.0, incl_deg=97.5)
    a, e = float(el.sma_m[0]), float(el.ecc[0])
    assert a * (1 - e) == pytest.approx(R_EQUATOR_M + 300e3, abs=1e-6)
    assert a * (1 + e) == pytest.approx(R_EQUATOR_M + 700e3, abs=1e-6)
    assert float(el.incl_rad[0]) == pytest.approx(math.radians(97.5))
    assert float(el.epoch_s[0]) == EPOCH
    circ = design_elements(EPOCH, perigee_alt_km=400.0, apogee_alt_km=400.0, incl_deg=0.0)
    assert float(circ.ecc[0]) == 0.0 and float(circ.sma_m[0]) == R_EQUATOR_M + 400e3


@pytest.mark.parametrize(
    ("kw", "flag"),
    [
        ({"perigee_alt_km": 500.0, "apogee_alt_km": 400.0, "incl_deg": 50.0}, "--apogee-km"),
        ({"perigee_alt_km": 0.0, "apogee_alt_km": 400.0, "incl_deg": 50.0}, "--perigee-km"),
        ({"perigee_alt_km": 400.0, "apogee_alt_km": 400.0, "incl_deg": 181.0}, "--incl-deg"),
        ({"perigee_alt_km": math.nan, "apogee_alt_km": 400.0, "incl_deg": 5.0}, "--perigee-km"),
        # at or beyond the Moon's distance (384,400 km from the centre): 200 km x 1e6 km ran
        # for minutes, a perigee of 1e9 km blamed the space weather
        ({"perigee_alt_km": 200.0, "apogee_alt_km": 1e6, "incl_deg": 28.0}, "--apogee-km"),
        ({"perigee_alt_km": 1e9, "apogee_alt_km": 1e9, "incl_deg": 28.0}, "--apogee-km"),
        ({"perigee_alt_km": 200.0, "apogee_alt_km": 378_022.0, "incl_deg": 28.0}, "--apogee-km"),
    ],
)
def test_bad_design_orbits_name_the_flag(kw: dict[str, float], flag: str) -> None:
    with pytest.raises(ParameterError) as exc:
        design_elements(EPOCH, **kw)
    assert exc.value.flag == flag


def test_the_p50_is_the_nominal_run_and_the_window_holds_it(space_weather) -> None:  # type: ignore[no-untyped-def]
    """A 3U CubeSat's B (2.2 x 0.03 m^2 / 4 kg) at 300 km on 2022-03-01: the samples
    come in antithetic pairs, so the p50 is the nominal reentry up to the pair nearest
    it; the nominal run is the averaged propagator through the forecast an analyst had
    on that date, recomputed here."""
    el = design_elements(EPOCH, perigee_alt_km=300.0, apogee_alt_km=300.0, incl_deg=51.6)
    b = 2.2 * 0.03 / 4.0
    r = predict_design_lifetime(el, b, space_weather, samples=40, seed=2, executor="serial")
    sw, _ = forecast_space_weather(space_weather, EPOCH)
    nominal = propagate_averaged(
        el, b, make_atmosphere("msis2.1", sw), EPOCH + 365 * DAY_S, settings=AveragedSettings()
    ).reentry_s[0]
    assert r.nominal_reentry_s == pytest.approx(float(nominal), abs=1.0)
    q = r.quantiles_s
    assert q["p05"] is not None and q["p50"] is not None and q["p95"] is not None
    life = float(nominal) - EPOCH
    assert 5 * DAY_S < life < 120 * DAY_S  # weeks at 300 km
    # antithetic pairs scale the drag by exp(+-s): half the samples drag more than the
    # nominal run, half less, so it falls between the middle two reentries
    ordered = np.sort(r.reentry_s)
    assert ordered[19] <= float(nominal) <= ordered[20]
    assert q["p50"] in (ordered[19], ordered[20])
    assert EPOCH < q["p05"] < q["p50"] < q["p95"]
    doc = r.to_json()
    assert doc["norad_id"] is None
    assert doc["design_orbit"] == {
        "perigee_alt_km": 300.0,
        "apogee_alt_km": 300.0,
        "incl_deg": 51.6,
        "b_source": "given",
    }
    assert doc["ballistic_coefficient_m2_kg"] == {"value": b, "sigma": 0.0}
    rules = {x["years"]: x for x in doc["lifetime_rules"]}
    assert rules[5.0]["probability"] == 1.0 and rules[5.0]["compliant"] is True


def test_a_spread_in_b_widens_the_window(space_weather) -> None:  # type: ignore[no-untyped-def]
    el = design_elements(EPOCH, perigee_alt_km=300.0, apogee_alt_km=300.0, incl_deg=51.6)
    runs = [
        predict_design_lifetime(
            el, 0.0165, space_weather, b_log_sigma=s, samples=40, seed=2, executor="serial"
        )
        for s in (0.0, 0.3)
    ]
    widths = [r.quantiles_s["p95"] - r.quantiles_s["p05"] for r in runs]  # type: ignore[operator]
    assert widths[1] > 1.2 * widths[0]
    assert runs[1].b_sigma_m2_kg == pytest.approx(0.3 * 0.0165)


def test_the_design_window_matches_the_window_from_a_history_flown_by_the_model(
    space_weather,  # type: ignore[no-untyped-def]
) -> None:
    """The same object two ways: from 50 days of element sets flown by the model with a
    known B (its reentry window fits B on them, within 2 %), and as a design orbit with
    that B, starting from the last set's orbit. The nominal lifetimes differ by the B
    fit's error alone: a lifetime scales (nearly) one to one with 1/B."""
    b_true = 0.0123
    # flown through the atmosphere an analyst had on EPOCH (the file cut there, with its
    # causal 81-day means), which both predictions fly and fit through
    h = flown_history(
        make_atmosphere("msis2.1", forecast_space_weather(space_weather, EPOCH)[0]),
        start_s=EPOCH - 50 * DAY_S,
        end_s=EPOCH,
        alt_km=380.0,
        b_m2_kg=b_true,
        ecc=0.0005,
        incl_rad=0.9,
    )
    from_history = predict_reentry(h, space_weather, samples=20, seed=1, executor="serial")
    el = mean_elements_at(h, len(h) - 1)  # what the reentry window starts from
    design = predict_design_lifetime(
        el, b_true, space_weather, samples=20, seed=1, executor="serial"
    )
    assert from_history.nominal_reentry_s is not None and design.nominal_reentry_s is not None
    life = design.nominal_reentry_s - EPOCH
    assert from_history.b_m2_kg == pytest.approx(b_true, rel=0.02)
    # measured: B fitted 0.8 % high, lifetime 0.7 % short of the design's (310 days)
    assert (from_history.nominal_reentry_s - EPOCH) / life == pytest.approx(
        b_true / from_history.b_m2_kg, rel=0.005
    )


def test_a_past_epoch_sees_no_later_space_weather(space_weather) -> None:  # type: ignore[no-untyped-def]
    el = design_elements(EPOCH, perigee_alt_km=300.0, apogee_alt_km=300.0, incl_deg=51.6)
    full = predict_design_lifetime(el, 0.0165, space_weather, samples=20, seed=4)
    cut = predict_design_lifetime(el, 0.0165, space_weather.truncated(EPOCH), samples=20, seed=4)
    assert np.array_equal(full.reentry_s, cut.reentry_s, equal_nan=True)


def test_a_perigee_at_the_interface_is_refused(space_weather) -> None:  # type: ignore[no-untyped-def]
    el = design_elements(EPOCH, perigee_alt_km=110.0, apogee_alt_km=110.0, incl_deg=51.6)
    with pytest.raises(ParameterError, match="interface altitude") as exc:
        predict_design_lifetime(el, 0.01, space_weather, samples=4)
    assert exc.value.flag == "--alt-km"


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["lifetime", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_an_orbit_out_to_the_moon_is_refused_naming_the_flag(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["--incl-deg", "28", "--ballistic-coefficient", "0.01"]
    code, _, err = _cli([*args, "--alt-km", "400000"], capsys)
    assert code == 2 and err.startswith("orbitkeep: error: --alt-km: must be below the Moon"), err
    # just inside the Moon's distance the orbit is accepted
    el = design_elements(EPOCH, perigee_alt_km=200.0, apogee_alt_km=378_000.0, incl_deg=28.0)
    assert float(el.ecc[0]) > 0.9


def test_cli_json_and_console(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--perigee-km", "290", "--apogee-km", "310", "--incl-deg", "51.6"]
    args += ["--mass", "4", "--area", "0.03", "--cd", "2.2", "--epoch", "2022-03-01"]
    args += ["--samples", "20", "--seed", "3", "--workers", "1"]
    code, out, err = _cli([*args, "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["norad_id"] is None and doc["samples"] == 20 and doc["seed"] == 3
    assert doc["prediction_epoch_utc"] == "2022-03-01T00:00:00Z"
    assert doc["design_orbit"]["b_source"] == "Cd A / m = 2.2 x 0.03 m^2 / 4 kg"
    assert doc["ballistic_coefficient_m2_kg"]["value"] == pytest.approx(0.0165)
    assert set(doc["reentry_utc"]) == {"p05", "p50", "p95"}
    code, again, _ = _cli([*args, "--json"], capsys)
    assert json.loads(again)["reentry_utc"] == doc["reentry_utc"]  # same seed, same window
    code, text, err = _cli([*args, "--name", "3U CubeSat"], capsys)
    assert code == 0, err
    assert text.startswith("3U CubeSat (290 x 310 km, 51.6 deg), lifetime as of 2022-03-01")
    assert "(Cd A / m = 2.2 x 0.03 m^2 / 4 kg)" in text


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--incl-deg", "50", "--ballistic-coefficient", "0.01"], "--alt-km"),
        (["--alt-km", "500", "--incl-deg", "50"], "--ballistic-coefficient"),
        (["--alt-km", "500", "--incl-deg", "50", "--mass", "4"], "--mass"),
        (
            ["--alt-km", "500", "--apogee-km", "600", "--incl-deg", "50", "--cd", "2"],
            "--alt-km",
        ),
        (["--alt-km", "500", "--incl-deg", "190", "--ballistic-coefficient", "0.01"], "--incl-deg"),
        (
            [
                "--alt-km",
                "500",
                "--incl-deg",
                "50",
                "--ballistic-coefficient",
                "0.01",
                "--b-sigma-pct",
                "-1",
            ],
            "--b-sigma-pct",
        ),
        (["--alt-km", "100", "--incl-deg", "50", "--ballistic-coefficient", "0.01"], "--alt-km"),
    ],
)
def test_cli_bad_input_is_one_line_naming_the_flag(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _cli([*args, "--samples", "4"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"orbitkeep: error: {flag}:"), err


def test_cli_writes_the_report_figure_and_samples(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:  # type: ignore[no-untyped-def]
    html, png, csv = tmp_path / "l.html", tmp_path / "l.png", tmp_path / "l.csv"
    args = ["--alt-km", "300", "--incl-deg", "51.6", "--ballistic-coefficient", "0.0165"]
    args += ["--epoch", "2022-03-01", "--samples", "12", "--workers", "1"]
    code, _, err = _cli(
        [*args, "--report", str(html), "--plot", str(png), "--out", str(csv)], capsys
    )
    assert code == 0, err
    page = html.read_text(encoding="utf-8")
    assert "a design orbit, given (no element sets)" in page
    assert "mean perigee altitude, km" in page and "TLE file" not in page
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = csv.read_text().splitlines()
    assert rows[0].startswith("sample,reentry_utc") and len(rows) == 13


def test_a_descent_within_one_revolution_is_answered_with_a_note(space_weather) -> None:  # type: ignore[no-untyped-def]
    """B = 100 m^2/kg (a sheet of foil) at 200 km comes down within minutes: the first
    averaged step ends below the ground, where NRLMSIS has no density. The window says
    so instead of failing (the solar sensitivity leaves such points out)."""
    el = design_elements(EPOCH, perigee_alt_km=200.0, apogee_alt_km=200.0, incl_deg=180.0)
    r = predict_design_lifetime(el, 100.0, space_weather, samples=8, executor="serial")
    assert r.nominal_reentry_s is not None and r.nominal_reentry_s - EPOCH < 600.0
    assert any("within one revolution" in n for n in r.notes)
    assert math.isfinite(r.forecast["density_sensitivity_to_f107"])


def test_a_gto_design_says_what_it_leaves_out(space_weather) -> None:  # type: ignore[no-untyped-def]
    el = design_elements(EPOCH, perigee_alt_km=180.0, apogee_alt_km=35_786.0, incl_deg=27.0)
    r = predict_design_lifetime(  # a week's horizon: the note needs no long run
        el, 0.01, space_weather, samples=4, horizon_years=0.02, executor="serial"
    )
    assert any("above low Earth orbit" in n for n in r.notes)
    assert r.design is not None and r.design["apogee_alt_km"] == 35_786.0


def test_cli_b_sigma_error_quotes_the_value_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    """The flag is in percent, so is the value the error quotes (not the log sigma)."""
    args = ["--alt-km", "500", "--incl-deg", "50", "--ballistic-coefficient", "0.01"]
    code, _, err = _cli([*args, "--b-sigma-pct", "-3", "--samples", "4"], capsys)
    assert code == 2
    assert err == "orbitkeep: error: --b-sigma-pct: must be 0 or more, got -3\n", err


def test_failed_samples_are_counted_in_the_console(space_weather) -> None:  # type: ignore[no-untyped-def]
    """A B spread so wide (log sigma 1e4) that samples overflow: they fail, are not
    reentries, and the console says how many, not only the JSON's status counts."""
    import io

    from rich.console import Console

    from orbitkeep.report.console import print_reentry

    el = design_elements(EPOCH, perigee_alt_km=400.0, apogee_alt_km=400.0, incl_deg=51.6)
    r = predict_design_lifetime(
        el,
        0.01,
        space_weather,
        b_log_sigma=1e4,
        samples=4,
        horizon_years=0.05,
        executor="serial",
    )
    failed = r.status_counts.get("failed", 0)
    assert failed >= 1, r.status_counts
    buf = io.StringIO()
    print_reentry(r, Console(file=buf, width=300))
    assert f"{failed} of 4 samples failed" in buf.getvalue()
