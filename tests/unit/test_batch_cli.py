"""`orbitkeep batch`: every object gets a row, failures are statuses, --resume keeps rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from orbitkeep.cli import main
from orbitkeep.io.tle import checksum

OBS = Path(__file__).resolve().parents[1] / "data" / "observed"


def _catalog(tmp_path: Path) -> Path:
    lines: list[str] = []
    for f in ("44238_starlink24.tle", "32789_delfic3.tle"):
        lines += (OBS / f).read_text().splitlines()[-3:]
    # an object whose only set has B* = 0: no drag information at all
    iss = (OBS / "25544_iss.tle").read_text().splitlines()[-3:]
    l1 = iss[1][:53] + " 00000-0" + iss[1][61:68]
    l1 += str(checksum(l1))
    lines += [iss[0], l1, iss[2]]
    p = tmp_path / "cat.tle"
    p.write_text("\n".join(lines) + "\n")
    return p


def test_batch_rows_statuses_and_resume(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = _catalog(tmp_path)
    out = tmp_path / "lifetimes.csv"
    assert main(["batch", str(cat), "--years", "1", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["objects"] == 3
    status = {r["norad_id"]: r["status"] for r in doc["rows"]}
    assert status[44238] == "reentered" and status[32789] == "reentered"
    assert status[25544].startswith("failed: no drag information")
    # STARLINK-24's last set is hours before its catalogued decay (2022-10-24)
    row = next(r for r in doc["rows"] if r["norad_id"] == 44238)
    assert row["reentry_utc"].startswith("2022-10-2")
    with out.open() as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == 3
    # resume: rows already there are kept as they are, nothing is recomputed
    keep = written[:1]
    with out.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(written[0]))
        w.writeheader()
        w.writerows([{**keep[0], "status": "kept-from-before"}])
    assert main(["batch", str(cat), "--years", "1", "--out", str(out), "--resume", "--json"]) == 0
    doc2 = json.loads(capsys.readouterr().out)
    assert doc2["objects"] == 3
    assert sum(r["status"] == "kept-from-before" for r in doc2["rows"]) == 1
    # the kept row's numbers are numbers, as the fresh rows' (a CSV gives back text)
    kept = next(r for r in doc2["rows"] if r["status"] == "kept-from-before")
    fresh = next(r for r in doc["rows"] if r["norad_id"] == kept["norad_id"])
    for k in ("norad_id", "mean_alt_km", "b_m2_kg", "lifetime_days"):
        assert kept[k] == fresh[k] or kept[k] == pytest.approx(fresh[k], rel=1e-12), k


def test_an_object_below_the_interface_counts_as_reentered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Starlink-24's last set with a mean motion of 16.70 rev/day (a = 6466 km, 88 km up,
    below the 120 km interface): a row 'below_interface' with its reentry at that set,
    which the summary counts among the reentered (it said 0) and names."""
    l0, l1, l2 = (OBS / "44238_starlink24.tle").read_text().splitlines()[-3:]
    l2 = l2[:52] + "16.70000000" + l2[63:68]
    l2 += str(checksum(l2))
    cat = tmp_path / "low.tle"
    cat.write_text("\n".join([l0, l1, l2]) + "\n")
    assert main(["batch", str(cat), "--years", "1", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (row,) = doc["rows"]
    assert row["status"] == "below_interface" and row["mean_alt_km"] < 120.0
    assert row["reentry_utc"] == row["tle_epoch_utc"]
    assert doc["reentered"] == 1 and doc["below_interface"] == 1
    assert main(["batch", str(cat), "--years", "1"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "1 reenter within 1 years (1 already below the interface at the last set)" in text


def test_batch_bad_out_suffix_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = _catalog(tmp_path)
    code = main(["batch", str(cat), "--out", str(tmp_path / "x.txt")])
    assert code == 2
    assert "--out" in capsys.readouterr().err


def test_interrupted_batch_leaves_valid_rows_and_resume_finishes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools

    import orbitkeep.catalog as catalog
    from orbitkeep.batch import run_one

    cat = _catalog(tmp_path)
    out = tmp_path / "lifetimes.json"
    real = catalog.run_many
    # one object per chunk, so that the interruption falls between chunks
    monkeypatch.setattr(
        catalog, "run_catalog", functools.partial(catalog.run_catalog, chunk_size=1)
    )

    def interrupted(jobs, fn=run_one, *, on_done=None, **kw):  # type: ignore[no-untyped-def]
        assert len(jobs) == 2
        first = fn(jobs[0])
        if on_done:
            on_done(first)  # the first chunk completes and is written ...
        raise KeyboardInterrupt  # ... then the user presses Ctrl-C

    monkeypatch.setattr(catalog, "run_many", interrupted)
    code = main(["batch", str(cat), "--years", "1", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert "interrupted" in err and str(out) in err and "--resume" in err
    rows = json.loads(out.read_text())  # a valid file, never a partial one
    assert len(rows) == 2  # the object without drag data, and the first chunk's
    assert not [r for r in rows if r["status"] == "pending"]

    monkeypatch.setattr(catalog, "run_many", real)
    assert main(["batch", str(cat), "--years", "1", "--out", str(out), "--resume"]) == 0
    rows = json.loads(out.read_text())
    assert len(rows) == 3
    assert not [r for r in rows if r["status"] == "pending"]


def test_batch_density_table_gives_the_exact_answers_to_the_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--density table against --density exact on the two reentering objects."""
    cat = _catalog(tmp_path)
    out = {}
    for mode in ("exact", "table"):
        args = ["batch", str(cat), "--years", "0.1", "--density", mode, "--json"]
        assert main(args) == 0
        doc = json.loads(capsys.readouterr().out)
        assert ("table" in doc["atmosphere"]) == (mode == "table")
        out[mode] = {r["norad_id"]: r for r in doc["rows"]}
    for nid in (44238, 32789):
        assert out["table"][nid]["status"] == out["exact"][nid]["status"] == "reentered"
        lx, lt = out["exact"][nid]["lifetime_days"], out["table"][nid]["lifetime_days"]
        assert abs(lt - lx) <= max(0.005 * lx, 0.05)


def test_batch_density_table_needs_nrlmsis(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cat = _catalog(tmp_path)
    args = ["batch", str(cat), "--atmosphere", "exponential", "--density", "table"]
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--density" in err[0] and "daily Ap" in err[0]


def test_table_runs_in_yearly_slices_give_the_unsliced_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slicing restarts each object's integration at the slice edges from its mean
    elements there: cut into 2.4-hour slices (both objects come down within a day or two), the lifetimes must not change."""
    from orbitkeep import catalog
    from orbitkeep.decay import Environment

    cat = _catalog(tmp_path)
    env = Environment.build(policy="cycle")
    got = {}
    for slice_days in (1000.0, 0.1):
        monkeypatch.setattr(catalog, "SLICE_S", slice_days * 86400.0)
        res = catalog.run_catalog(cat, env, horizon_years=0.1, density="table", workers=1)
        got[slice_days] = {r["norad_id"]: r for r in res.rows}
    for nid in (44238, 32789):
        one, cut = got[1000.0][nid], got[0.1][nid]
        assert one["status"] == cut["status"] == "reentered"
        assert (
            abs(cut["lifetime_days"] - one["lifetime_days"]) <= 0.002 * one["lifetime_days"] + 0.01
        )
    assert got[0.1][25544]["status"].startswith("failed: no drag information")


def test_batch_interface_altitude(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--interface-alt-km moves the reentry: a higher interface is reached earlier, by the
    hours a decaying orbit takes to sink between the two (Starlink-24 and Delfi-C3 are
    within days of reentry at their last sets), and the JSON says which one ran."""
    cat = _catalog(tmp_path)
    life = {}
    for km in (120.0, 150.0):
        args = ["batch", str(cat), "--years", "0.1", "--interface-alt-km", str(km), "--json"]
        assert main(args) == 0
        doc = json.loads(capsys.readouterr().out)
        assert doc["interface_alt_km"] == km
        life[km] = {r["norad_id"]: r["lifetime_days"] for r in doc["rows"]}
    for nid in (44238, 32789):
        assert 0.0 < life[120.0][nid] - life[150.0][nid] < 2.0
    assert main(["batch", str(cat), "--interface-alt-km", "-5"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--interface-alt-km" in err[0]


def test_batch_table_stops_above_the_highest_apogee(space_weather) -> None:  # type: ignore[no-untyped-def]
    """The catalogue's density table computes the levels up to its highest apogee only;
    one object far up (a GTO-like apogee) gives the whole grid."""
    import numpy as np

    from orbitkeep.catalog import _density_model
    from orbitkeep.constants import R_EQUATOR_M
    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.environment.density_grid import ALT_KM
    from orbitkeep.environment.density_table import TabulatedAtmosphere
    from orbitkeep.state import MeanElements

    class Env:  # what _density_model reads of an Environment
        atmosphere = make_atmosphere("msis2.1", space_weather)

    def el(alt_km: float, ecc: float = 0.0) -> MeanElements:
        a = (R_EQUATOR_M + alt_km * 1e3) / (1 - ecc)
        return MeanElements(*(np.array([v]) for v in (0.0, a, ecc, 0.9, 0.0, 0.0, 0.0)))

    low = [el(h) for h in np.linspace(300.0, 540.0, 1000)]  # TABLE_MIN_OBJECTS on: a table
    atm = _density_model(Env(), "auto", low)  # type: ignore[arg-type]
    assert isinstance(atm, TabulatedAtmosphere) and atm.n_alt < ALT_KM.size
    assert 540.0 < atm.top_km <= 700.0
    high = _density_model(Env(), "auto", [*low, el(300.0, 0.7)])  # type: ignore[arg-type]
    assert isinstance(high, TabulatedAtmosphere) and high.n_alt == ALT_KM.size


def test_batch_table_is_thinned_only_past_a_year_after_the_latest_set(space_weather) -> None:  # type: ignore[no-untyped-def]
    """A catalogue's table serves every day of the first year after its latest element
    set by its own table (a one-year run is not thinned at all), and later days by
    their block's middle day (density_table.THIN_DAYS)."""
    import numpy as np

    from orbitkeep.catalog import _density_model
    from orbitkeep.constants import DAY_S, R_EQUATOR_M
    from orbitkeep.environment import density_table
    from orbitkeep.environment.atmosphere import make_atmosphere
    from orbitkeep.state import MeanElements

    class Env:  # what _density_model reads of an Environment
        atmosphere = make_atmosphere("msis2.1", space_weather)

    epochs = 19000 * DAY_S + np.linspace(0.0, 20.0, 1000) * DAY_S + 0.7 * DAY_S
    els = [
        MeanElements(*(np.array([v]) for v in (t, R_EQUATOR_M + 500e3, 0.0, 0.9, 0.0, 0.0, 0.0)))
        for t in epochs
    ]
    atm = _density_model(Env(), "auto", els)  # type: ignore[arg-type]
    assert isinstance(atm, density_table.TabulatedAtmosphere)
    latest = float(epochs.max())
    days = np.arange(19000, 19000 + 3 * 366)
    served = atm.table_days(days)
    year = days * DAY_S <= latest + 365.25 * DAY_S  # every day a one-year run touches
    np.testing.assert_array_equal(served[year], days[year])
    later = days >= atm.thin_from_day
    assert later.any() and not (later & year).any()
    assert atm.thin_days == density_table.THIN_DAYS == 4
    assert atm.name.endswith("daily zonal-mean table (one day's in 4 from 2023-01-29)")
    assert np.all(np.abs(served[later] - days[later]) <= 2)
    assert np.unique(served[later]).size <= later.sum() // 4 + 1


def test_until_before_an_objects_last_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--until is one date for all objects: an object whose last set is later cannot be
    propagated back to it (a failed row, not "beyond horizon"); before every object's
    last set, the flag itself is wrong (exit 2, one line). The summary says "by" the date.
    Starlink-24's last set is 2022-10-24, hours before its catalogued decay; Delfi-C3's
    2023-11-12; the ISS's 2022-03-03."""
    cat = _catalog(tmp_path)
    assert main(["batch", str(cat), "--until", "2023-01-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {r["norad_id"]: r["status"] for r in doc["rows"]}
    assert status[44238] == "reentered"
    assert status[32789] == "failed: --until is before its last element set"
    assert doc["until_utc"] == "2023-01-01T00:00:00Z" and doc["failed"] == 2
    assert main(["batch", str(cat), "--until", "2023-01-01"]) == 0
    assert "1 reenter by 2023-01-01, 2 failed" in " ".join(capsys.readouterr().out.split())
    assert main(["batch", str(cat), "--until", "2022-01-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--until" in err


def test_until_more_than_the_longest_horizon_after_an_objects_last_set(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--until is bounded like --years (decay.MAX_HORIZON_YEARS, 200 years), per object:
    2223-06-01 is 199.6 years after Delfi-C3's last set (2023-11-12), which is flown and
    reenters; 200.6 after Starlink-24's (2022-10-24) and 201.2 after the ISS's
    (2022-03-03), failed rows. Past the bound for every object, the flag is wrong."""
    cat = _catalog(tmp_path)
    assert main(["batch", str(cat), "--until", "2223-06-01", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    status = {r["norad_id"]: r["status"] for r in doc["rows"]}
    far = "failed: --until is more than 200 years after its last element set"
    assert status == {32789: "reentered", 44238: far, 25544: far}
    assert main(["batch", str(cat), "--until", "2300-01-01"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--until" in err and "200 years" in err


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("other.csv", "a,b\n1,2\n", "line 1"),
        ("one-word.csv", "garbage\n", "line 1"),
        (
            "bad-id.csv",
            "norad_id,name,tle_epoch_utc,mean_alt_km,b_m2_kg,b_source,reentry_utc,"
            "lifetime_days,status\n44238,A,,,,,,,ok\nxyz,B,,,,,,,ok\n",
            "line 3",
        ),
        ("object.json", '{"a": 1}', "row 1"),
        ("numbers.json", "[1, 2]", "row 1"),
    ],
)
def test_resume_refuses_a_file_that_is_not_a_batch_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, text: str, where: str
) -> None:
    """--resume keeps what is in --out and rewrites the file: a foreign file is refused
    (one line naming it and the line or row) and left as it was, not overwritten."""
    cat = _catalog(tmp_path)
    out = tmp_path / name
    out.write_text(text)
    code = main(["batch", str(cat), "--years", "1", "--out", str(out), "--resume"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and err.startswith(f"orbitkeep: error: {out}: cannot resume"), err
    assert f"{where} is not " in err and "orbitkeep batch" in err
    assert out.read_text() == text
