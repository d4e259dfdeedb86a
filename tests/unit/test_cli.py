"""The command line: answers on stdout, one-line errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from orbitkeep.cli import main

ISS_2021 = Path(__file__).resolve().parents[1] / "data" / "observed" / "25544_iss.tle"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_decay_json_has_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["decay", str(ISS_2021), "--days", "20", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    for key in (
        "norad_id",
        "start_utc",
        "ballistic_coefficient_m2_kg",
        "method",
        "samples",
        "end",
        "reentry_utc",
        "space_weather",
    ):
        assert key in doc
    assert doc["norad_id"] == 25544
    assert doc["start_utc"].startswith("2022-03-03")
    assert doc["method"] == "averaged"
    assert doc["notes"] == []  # the station is in LEO: nothing left out to flag
    assert doc["reentry_utc"] is None
    assert len(doc["samples"]) == 21
    s0, s1 = doc["samples"][0], doc["end"]
    assert set(s0) == {"t", "sma_km", "mean_alt_km", "perigee_km", "apogee_km"}
    # the ISS in March 2022 lost 50-150 m a day (facts A.3): 20 days = 1-3 km
    assert 1.0 < s0["mean_alt_km"] - s1["mean_alt_km"] < 3.0
    assert doc["space_weather"]["sections"]["observed"] > 0


def test_decay_with_mass_area_cd_uses_them(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "decay",
            str(ISS_2021),
            "--days",
            "2",
            "--mass",
            "420000",
            "--area",
            "1500",
            "--cd",
            "2.2",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["ballistic_coefficient_m2_kg"] == pytest.approx(2.2 * 1500 / 420000)
    assert doc["method"] == "numerical"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["decay", "NOFILE.tle"], "NOFILE.tle"),
        (["decay", str(ISS_2021), "--days", "-3"], "--days"),
        (["decay", str(ISS_2021), "--days", "nan"], "--days"),
        (["decay", str(ISS_2021), "--mass", "0", "--area", "1", "--cd", "2"], "--mass"),
        (["decay", str(ISS_2021), "--mass", "100"], "--mass"),
        (["decay", str(ISS_2021), "--epoch", "yesterday"], "--epoch"),
        (["decay", str(ISS_2021), "--epoch", "1990-01-01"], "--epoch"),
        (["decay", str(ISS_2021), "--days", "abc"], "--days"),
        (["decay", str(ISS_2021), "--space-weather", "missing.csv"], "missing.csv"),
        (["decay", str(ISS_2021.parent)], "directory"),
        (["nosuchcommand"], "nosuchcommand"),
        (["decay", str(ISS_2021), "--mass", "4e5", "--area", "-1", "--cd", "2.2"], "--area"),
        (["decay", str(ISS_2021), "--mass", "4e5", "--area", "1500", "--cd", "nan"], "--cd"),
        (["decay", str(ISS_2021), "--mass", "nan", "--area", "1500", "--cd", "2.2"], "--mass"),
        (["decay", str(ISS_2021), "--days", "0"], "--days"),
        (["decay", str(ISS_2021), "--days", "0.05"], "--days: the span must be at least two rev"),
        (
            ["decay", str(ISS_2021), "--epoch", "2021-06-01", "--until", "2021-05-31T19:00"],
            "--until",
        ),
        (["reentry", str(ISS_2021), "--samples", "0"], "--samples"),
        (["reentry", str(ISS_2021), "--samples", "-5"], "--samples"),
        (["reentry", str(ISS_2021), "--horizon-years", "0"], "--horizon-years"),
        # past 200 years (decay.MAX_HORIZON_YEARS): 1e6 crashed lifetime --json with
        # "year out of range" (exit 1), after flying every sample
        (
            [
                "lifetime",
                "--alt-km",
                "300",
                "--incl-deg",
                "51.6",
                "--ballistic-coefficient",
                "0.02",
                "--horizon-years",
                "1e6",
                "--json",
            ],
            "--horizon-years: must be at most 200 years",
        ),
        (["reentry", str(ISS_2021), "--horizon-years", "200.5"], "--horizon-years: must be at"),
        (["batch", str(ISS_2021), "--years", "300"], "--years: must be at most 200 years"),
        (["decay", str(ISS_2021), "--days", "1e6"], "--days: the span must be at most 200"),
        (["decay", str(ISS_2021), "--until", "2300-01-01"], "--until: the span must be at most"),
        (["reentry", str(ISS_2021), "--density", "fast"], "--density"),
        (["batch", str(ISS_2021), "--years", "-1"], "--years"),
        # below 80 km no orbit is left (the averaged steps failed at 60 km, an unnamed error)
        (["reentry", str(ISS_2021), "--interface-alt-km", "50"], "--interface-alt-km: must be 80"),
        (["decay", str(ISS_2021), "--interface-alt-km", "79.9"], "--interface-alt-km"),
        (["batch", str(ISS_2021), "--interface-alt-km", "60"], "--interface-alt-km"),
        # 1e300 ran and called the last element set a reentry
        (
            ["reentry", str(ISS_2021), "--interface-alt-km", "1e300"],
            "--interface-alt-km: must be at",
        ),
        (["batch", str(ISS_2021), "--interface-alt-km", "2001"], "--interface-alt-km: must be at"),
        # B past a 1.5 um film's (state.MAX_B_M2_KG): 1e300 crashed the numerical
        # propagator (internal error), and lifetime blamed the space-weather epoch
        (
            ["decay", str(ISS_2021), "--days", "5", "--ballistic-coefficient", "1e300"],
            "--ballistic-coefficient: must be at most 1000 m^2/kg",
        ),
        (
            [
                "lifetime",
                "--alt-km",
                "400",
                "--incl-deg",
                "51.6",
                "--mass",
                "1e-300",
                "--area",
                "1e300",
                "--cd",
                "1e300",
            ],
            "--mass: Cd A / m = 1e+300 x 1e+300 / 1e-300: must be a positive finite number",
        ),
        # a time-zone offset that crosses year 1 or 9999 crashed every date flag (exit 1)
        (["reentry", str(ISS_2021), "--before", "0001-01-01T00:00:00+01:00"], "--before: outside"),
        (["batch", str(ISS_2021), "--until", "9999-12-31T23:59:59-01:00"], "--until: outside"),
        # an as-of date past the space-weather data: --before 9999-12-31 --json crashed
        # with "year 10024 is out of range" after writing its --out file
        (
            ["reentry", str(ISS_2021), "--before", "9999-12-31", "--json"],
            "--before: 9999-12-31 is after the end of the space-weather data",
        ),
        (
            [
                "lifetime",
                "--alt-km",
                "400",
                "--incl-deg",
                "51.6",
                "--ballistic-coefficient",
                "0.01",
                "--epoch",
                "9999-06-01",
            ],
            "--epoch: 9999-06-01 is after the end of the space-weather data",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    args: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(args, capsys)
    assert code == 2
    assert err.count("\n") == 1, err
    assert needle in err
    assert "Traceback" not in err


def test_bad_tle_line_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ISS_2021.read_text().splitlines()[:6]
    lines[4] = lines[4][:-1] + str((int(lines[4][-1]) + 1) % 10)  # break line 5's checksum
    bad = tmp_path / "bad.tle"
    bad.write_text("\n".join(lines) + "\n")
    code, _, err = run(["decay", str(bad), "--days", "1"], capsys)
    assert code == 2
    assert f"{bad}:5" in err and "checksum" in err


@pytest.mark.parametrize("command", ["decay", "reentry"])
def test_a_history_too_short_for_the_fit_names_the_file(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    one = tmp_path / "one.tle"
    one.write_text("\n".join(ISS_2021.read_text().splitlines()[:3]) + "\n")  # one set
    code, _, err = run(
        [command, str(one), "--days" if command == "decay" else "--samples", "2"], capsys
    )
    assert code == 2 and err.count("\n") == 1, err
    assert f"{one}: need at least 3 element sets" in err
    # decay can run without a fit, and says how
    assert ("--ballistic-coefficient" in err) == (command == "decay")


def test_installed_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    empty = tmp_path / "empty.tle"
    empty.write_text("")
    proc = subprocess.run(
        [sys.executable, "-m", "orbitkeep.cli", "decay", str(empty)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "empty.tle" in proc.stderr and "Traceback" not in proc.stderr


def test_epoch_outside_the_space_weather_data_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from orbitkeep.io.tle import checksum

    # the ISS's last 2021 set moved to 2055, far past the bundled space weather (2041)
    name, l1, l2 = ISS_2021.read_text().splitlines()[-3:]
    l1 = l1[:18] + "55" + l1[20:68]
    l1 += str(checksum(l1))
    f = tmp_path / "future.tle"
    f.write_text("\n".join([name, l1, l2]) + "\n")
    code, _, err = run(["decay", str(f), "--days", "10", "--ballistic-coefficient", "0.01"], capsys)
    assert code == 2
    assert err.count("\n") == 1 and "space-weather" in err and "2055" in err


def test_density_help_states_the_thresholds_the_code_uses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from orbitkeep.catalog import TABLE_MIN_OBJECTS
    from orbitkeep.sampling import TABLE_MIN_SAMPLES

    for cmd, n in (("reentry", TABLE_MIN_SAMPLES), ("batch", TABLE_MIN_OBJECTS)):
        code, out, _ = run([cmd, "--help"], capsys)
        assert code == 0
        assert f"from {n:,}" in " ".join(out.split())


def test_reentry_text_shows_the_spread_the_json_carries(capsys: pytest.CaptureFixture[str]) -> None:
    """The readable output names what widens the window (B, density model, Sun), with
    the sigmas of the JSON document of the same run."""
    tle = Path(__file__).resolve().parents[1] / "data" / "observed" / "44238_starlink24.tle"
    args = ["reentry", str(tle), "--before", "2022-10-10", "--samples", "20", "--seed", "1"]
    code, text, _ = run(args, capsys)
    assert code == 0
    code, out, _ = run([*args, "--json"], capsys)
    assert code == 0
    fc = json.loads(out)["forecast"]
    line = " ".join(text.split())
    assert f"B {fc['b_log_sigma']:.3f}, density model {fc['density_model_log_sigma']:.3f}" in line
    solar = fc["f107_log_sigma"] * fc["density_sensitivity_to_f107"]
    assert f"Sun {solar:.3f}" in line


def test_reentry_beyond_the_horizon_gives_null_quantiles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The ISS at ~420 km loses 50-150 m a day (facts A.3): no sample can come down in
    a 30-day horizon, so the window is all null (the documented JSON), and the text
    says it stays up rather than printing a date."""
    args = ["reentry", str(ISS_2021), "--samples", "8", "--seed", "3"]
    args += ["--horizon-years", str(30 / 365.25)]
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["reentry_utc"] == {"p05": None, "p50": None, "p95": None}
    assert doc["fraction_reentered"] == 0.0
    assert doc["nominal_reentry_utc"] is None
    assert doc["horizon_utc"].startswith("2022-04-02")
    code, text, err = run(args, capsys)
    assert code == 0, err
    assert "2022-04-02" in text


@pytest.mark.parametrize("address", [":::", "tcp://127.0.0.1:1"])
def test_an_unusable_scheduler_is_a_flag_error(
    address: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed address or one nobody listens on: one line naming --scheduler,
    exit status 2 (not an internal error)."""
    import dask
    import distributed  # noqa: F401  (its config defaults, before config.set restores)

    tle = Path(__file__).resolve().parents[1] / "data" / "observed" / "44238_starlink24.tle"
    args = ["reentry", str(tle), "--samples", "3", "--scheduler", address]
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code, _, err = run(args, capsys)
    assert code == 2, err
    assert err.count("\n") == 1 and "--scheduler" in err and address in err


def test_a_negative_seed_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["reentry", str(ISS_2021), "--seed", "-1"], capsys)
    assert code == 2 and "--seed" in err


@pytest.mark.parametrize("method", ["numerical", "averaged"])
def test_decay_of_a_gto_says_what_it_leaves_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], method: str
) -> None:
    """A geostationary transfer orbit (perigee ~240 km, apogee ~35,600 km) reaches far
    above LEO (2,000 km), where the Moon and the Sun move the perigee and orbitkeep does
    not model them: the run says so on the console, in --json and in the report."""
    from orbitkeep.io.omm import omm_to_tle_lines

    rec = {
        "OBJECT_NAME": "GTO TEST",
        "NORAD_CAT_ID": 99001,
        "EPOCH": "2024-03-01T00:00:00",
        "MEAN_MOTION": 2.2784,  # rev/day: a = 24,396 km
        "ECCENTRICITY": 0.7283,  # 250 x 35,786 km above the equatorial radius
        "INCLINATION": 27.0,
        "RA_OF_ASC_NODE": 10.0,
        "ARG_OF_PERICENTER": 180.0,
        "MEAN_ANOMALY": 0.0,
        "BSTAR": 0.0001,
        "MEAN_MOTION_DOT": 0.0,
        "MEAN_MOTION_DDOT": 0.0,
    }
    l1, l2 = omm_to_tle_lines(rec)
    tle = tmp_path / "gto.tle"
    tle.write_text(f"GTO TEST\n{l1}\n{l2}\n")
    args = ["decay", str(tle), "--ballistic-coefficient", "0.01", "--days", "3"]
    args += ["--method", method]
    code, out, err = run([*args, "--json"], capsys)
    assert code == 0, err
    notes = json.loads(out)["notes"]
    assert len(notes) == 1 and "above low Earth orbit (2000 km)" in notes[0], notes
    assert "Moon" in notes[0]
    report = tmp_path / "gto.html"
    code, out, err = run([*args, "--report", str(report)], capsys)
    assert code == 0, err
    assert "Note: the apogee" in " ".join(out.split())
    assert "above low Earth orbit" in report.read_text(encoding="utf-8")
