"""``orbitkeep iss``: the question of the day, each scenario's JSON, and bad flags."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from orbitkeep.cli import main

SW_CUT = Path(__file__).resolve().parents[1] / "data" / "spaceweather" / "SW-cut.csv"
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_default_answers_the_question_of_the_day(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["iss"], capsys)
    assert code == 0, err
    lines = out.strip().splitlines()
    assert 4 <= len(lines) <= 10
    assert "mean altitude" in lines[0] and "B =" in lines[0] and DATE.search(lines[0])
    assert "m/s" in lines[1] and "propellant" in lines[1]
    assert "Roscosmos" in out
    for vehicle in ("Cygnus", "Cargo Dragon", "boost kit"):  # the remaining partners' vehicles
        assert vehicle in out
    assert re.search(r"reentry about 20\d\d-\d\d-\d\d", out)
    assert "not costed" in out


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["--scenario", "baseline"], "baseline"),
        (["--scenario", "partner-exit", "--partner", "roscosmos"], "partner-exit:roscosmos"),
        (["--scenario", "no-reboost"], "no-reboost"),
        (["--scenario", "deorbit"], "deorbit"),
    ],
)
def test_json_fields_of_each_scenario(
    args: list[str], name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["iss", *args, "--years", "1", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    for key in (
        "scenario",
        "start_utc",
        "years",
        "annual",
        "shortfall_dv_m_s_per_year",
        "reentry_utc",
        "events",
        "assumptions",
        "station",
    ):
        assert key in doc
    assert doc["scenario"] == name
    assert doc["start_utc"].endswith("Z")
    assert doc["annual"] and {"year", "dv_m_s", "propellant_kg", "burns", "by_vehicle"} <= set(
        doc["annual"][0]
    )
    assert doc["reentry_utc"] is None or {"p05", "p50", "p95"} == set(doc["reentry_utc"])
    for end in (doc["reentry_utc"] or {}).values():  # an ISO date, or null past the horizon
        assert end is None or (DATE.match(end) and end.endswith("Z")), end
    assert doc["details"]["space_weather"]["source"].endswith(("SW-All.csv", "SW-All.txt"))
    if name in ("baseline", "partner-exit:roscosmos"):
        assert doc["years"] == 1.0
        y = doc["annual"][0]
        assert y["drag_dv_m_s_range"][0] <= y["drag_dv_m_s"] <= y["drag_dv_m_s_range"][1]
    if name == "partner-exit:roscosmos":
        assert any(e["kind"] == "partner_exit" for e in doc["events"])
        assert "progress_ms" not in doc["annual"][0]["by_vehicle"]


def test_no_reboost_within_a_year_says_no_reentry(capsys: pytest.CaptureFixture[str]) -> None:
    """The bundled ISS (418.7 km, 2026-05-30) sinks about 30 km in a free year: no sample
    comes near reentry within one. The window's ends are null in the JSON (as in
    ``orbitkeep reentry``), not a date field holding words, and the text says so plainly
    (it said "reentry about after the horizon (after the horizon to after the horizon)")."""
    code, out, err = run(["iss", "--scenario", "no-reboost", "--years", "1", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["reentry_utc"] in (None, dict.fromkeys(("p05", "p50", "p95")))
    assert not any(e["kind"] == "reentry" for e in doc["events"])
    assert "after the horizon" not in out
    code, out, err = run(["iss", "--scenario", "no-reboost", "--years", "1"], capsys)
    assert code == 0, err
    assert "No reentry within 1.0 years." in out and "after the horizon" not in out


def test_partner_exit_on_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        [
            "iss", "--scenario", "partner-exit", "--partner", "Roscosmos", "--start",
            "2022-06-01", "--exit-date", "2022-09-01", "--years", "1", "--json",
        ],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    doc = json.loads(out)
    ex = next(e for e in doc["events"] if e["kind"] == "partner_exit")
    assert ex["utc"].startswith("2022-09-01")
    assert doc["start_utc"].startswith("2022-06-01")


def test_extra_boost_kit_flights_close_the_roscosmos_shortfall(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # test_station_scenarios: the flights that close the shortfall of this exit are 1-6
    # boost kits a year; six, asked for on the command line, must hold the band
    base = ["iss", "--scenario", "partner-exit", "--partner", "roscosmos", "--start",
            "2022-06-01", "--exit-date", "2022-09-01", "--years", "2"]  # fmt: skip
    code, out, err = run([*base, "--json"], capsys)
    assert code == 0, err
    alone = json.loads(out)
    assert alone["shortfall_dv_m_s_per_year"] > 0 and "added_flights" not in alone["details"]
    code, out, err = run([*base, "--extra-flights", "dragon_boost_kit=6", "--json"], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert doc["shortfall_dv_m_s_per_year"] == 0.0 and doc["reentry_utc"] is None
    assert doc["details"]["added_flights"] == [
        {"vehicle": "dragon_boost_kit", "flights_per_year": 6.0, "from_utc": "2022-09-01T00:00:00Z"}
    ]
    extra = [e["utc"] for e in doc["events"] if e.get("label", "").endswith("(extra)")]
    # one every 1/6 year from the exit, 2022-09-01, to the end, 2024-06-01 (1.75 years)
    assert len(extra) == 1 + int(1.75 * 6) and min(extra) == "2022-09-01T00:00:00Z"
    code, out, err = run([*base, "--extra-flights", "dragon_boost_kit=6"], capsys)
    assert code == 0, err
    assert "Added from 2022-09-01 (--extra-flights): 6 flights per year of Cargo Dragon" in out


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--scenario", "partner-exit"], "--partner"),
        (["--partner", "nobody"], "--partner"),
        (["--scenario", "partner-exit", "--partner", "nobody"], "--partner"),
        (["--years", "-1"], "--years"),
        (["--exit-date", "notadate"], "--exit-date"),
        (["--scenario", "baseline", "--partner", "nasa"], "--partner"),
        (["--start", "2010-01-01"], "--start"),
        (["--solar", "extreme"], "--solar"),
        (["--scenario", "baseline", "--years", "1e6"], "--years"),
        (["--scenario", "no-reboost", "--years", "101"], "--years"),
        (["--scenario", "deorbit", "--decay-start", "2045-01-01"], "--decay-start"),
        (["--scenario", "no-reboost", "--decay-start", "2027-01-01"], "--decay-start"),
        (["--extra-flights", "cygnus=1"], "--extra-flights"),
        (
            ["--scenario", "partner-exit", "--partner", "nasa", "--extra-flights", "cygnus"],
            "--extra-flights",
        ),
        (
            ["--scenario", "partner-exit", "--partner", "nasa", "--extra-flights", "cygnus=x"],
            "--extra-flights",
        ),
        (
            ["--scenario", "partner-exit", "--partner", "nasa", "--extra-flights", "=2"],
            "--extra-flights",
        ),
        (  # each arrival is scheduled: 1e300 a year ran out of memory (exit 137)
            [
                "--scenario",
                "partner-exit",
                "--partner",
                "roscosmos",
                "--extra-flights",
                "dragon_boost_kit=1e300",
            ],
            "--extra-flights",
        ),
        (
            [
                "--scenario",
                "partner-exit",
                "--partner",
                "nasa",
                "--extra-flights",
                "a=1",
                "--extra-flights",
                "a=2",
            ],
            "--extra-flights",
        ),
    ],
)
def test_bad_flags_exit_2_naming_the_flag(
    args: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["iss", *args], capsys)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and flag in err
    if args[-1] == "nobody":
        assert "roscosmos" in err and "nasa" in err  # lists the valid partners


@pytest.mark.parametrize(
    "args",
    [
        ["--scenario", "baseline"],
        ["--scenario", "partner-exit", "--partner", "nasa"],
        ["--scenario", "no-reboost"],
        ["--scenario", "deorbit"],
    ],
)
def test_space_weather_file_is_used_by_every_scenario(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    # SW-cut.csv ends 2027-05-01: a year from the 2026-05-30 state runs past it, which
    # only the given file (not the bundled one, data to 2041) can make fail
    code, _, err = run(["iss", *args, "--years", "1", "--space-weather", str(SW_CUT)], capsys)
    assert code == 2
    assert "SW-cut.csv" in err and "after the end of the space-weather data" in err


def test_solar_choice_reaches_the_process_pool_and_orders_the_reentry(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The no-reboost window's samples run on worker processes, which receive the
    solar-scaled space weather by pickling (that once recursed without end and broke
    the pool for every ``--solar high|low``); a more active Sun brings the station down
    sooner: p05, p50 and p95 all earlier for 'high' than for 'low' (or past its horizon)."""
    p = {}
    for solar in ("high", "low"):
        code, out, err = run(
            ["iss", "--scenario", "no-reboost", "--solar", solar, "--json"], capsys
        )
        assert code == 0, err
        p[solar] = json.loads(out)["reentry_utc"]
    for q in ("p05", "p50", "p95"):  # None: past the horizon (the low Sun's p95)
        assert p["high"][q] is not None and (p["low"][q] is None or p["high"][q] < p["low"][q])


def test_the_command_s_own_copies_of_the_station_s_choices_match_them() -> None:
    # cli_iss keeps them so that `orbitkeep --help` does not import the station model
    from orbitkeep import api_station, cli_iss, station

    assert cli_iss.SCENARIOS == api_station.SCENARIOS == tuple(station.BUILTINS)
    assert cli_iss.SOLAR == station.SOLAR_CHOICES
    assert (cli_iss.HOLD_YEARS, cli_iss.DECAY_YEARS) == (station.HOLD_YEARS, station.DECAY_YEARS)
