"""--plot / --out / --report files: formats, atomic writes, errors naming the flag."""

from __future__ import annotations

import csv
import importlib.util
import json
import types
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from orbitkeep.errors import OrbitkeepError, ParameterError
from orbitkeep.report import outputs, plots, result_views

ROOT = Path(__file__).resolve().parents[2]
ISS_2022 = ROOT / "tests" / "data" / "observed" / "25544_iss.tle"
HAS_PYARROW = importlib.util.find_spec("pyarrow") is not None


@pytest.fixture(scope="module")
def decay_result() -> Any:
    from orbitkeep.decay import DecaySpec, Environment, run_decay
    from orbitkeep.state import DragProperties

    spec = DecaySpec(tle_path=ISS_2022, days=20, drag=DragProperties(0.009))
    return run_decay(spec, Environment.build())


def fake_reentry() -> Any:
    r = np.array([1.8e9, 1.81e9, np.nan])
    return types.SimpleNamespace(
        norad_id=1, name="X", prediction_epoch_s=1.79e9, reentry_s=r,
        quantiles_s={"p05": 1.8e9, "p50": 1.8e9, "p95": None},
    )  # fmt: skip


def fake_scenario() -> Any:
    return types.SimpleNamespace(
        scenario="baseline",
        annual=[
            {"year": 1, "from_utc": "2027-01-01T00:00:00Z", "dv_m_s": 12.0,
             "dv_m_s_range": [9.0, 12.0], "by_vehicle": {"progress_ms": 12.0}},
            {"year": 2, "from_utc": "2028-01-01T00:00:00Z", "dv_m_s": 11.0,
             "dv_m_s_range": [8.0, 11.0], "by_vehicle": {"cygnus": 11.0}},
        ],
    )  # fmt: skip


def leftovers(d: Path) -> list[Path]:
    return [p for p in d.iterdir() if p.name.startswith(".")]


def test_decay_series_csv_json(decay_result: Any, tmp_path: Path) -> None:
    done = outputs.write_outputs(decay_result, out=tmp_path / "d.csv")
    rows = list(csv.DictReader((tmp_path / "d.csv").open()))
    assert done == {"--out": tmp_path / "d.csv"}
    assert len(rows) == decay_result.trajectory.t_s.size
    assert set(rows[0]) == {
        "t_utc",
        "t_s",
        "sma_km",
        "ecc",
        "mean_alt_km",
        "perigee_km",
        "apogee_km",
    }
    assert rows[0]["t_utc"].startswith("2022-03-03")
    outputs.write_outputs(decay_result, out=tmp_path / "d.json")
    doc = json.loads((tmp_path / "d.json").read_text())
    assert doc[0]["mean_alt_km"] == pytest.approx(float(rows[0]["mean_alt_km"]))
    assert not leftovers(tmp_path)


def test_reentry_and_scenario_rows() -> None:
    rows = outputs.series_rows(fake_reentry())
    assert [r["reentry_utc"] is None for r in rows] == [False, False, True]
    assert rows[1]["days_after_prediction"] == pytest.approx(2e7 / 86400, rel=1e-4)
    rows = outputs.series_rows(fake_scenario())
    assert rows[0]["dv_progress_ms_m_s"] == 12.0 and rows[0]["dv_cygnus_m_s"] == 0.0
    assert rows[1]["dv_m_s_range_low"] == 8.0 and rows[1]["dv_m_s_range_high"] == 11.0
    both = outputs.series_rows({"a": fake_scenario(), "b": fake_scenario()})
    assert [r["scenario"] for r in both] == ["a", "a", "b", "b"]
    assert outputs.table_bytes(rows, "csv").splitlines()[0].startswith(b"year,from_utc,dv_m_s")


def test_batch_rows() -> None:
    rows = outputs.series_rows([365.25, None])
    assert rows[0]["lifetime_years"] == 1.0 and rows[1]["lifetime_days"] is None
    catalog = types.SimpleNamespace(
        rows=[
            {"norad_id": 1, "lifetime_days": 10.0, "status": "reentered"},
            {"norad_id": 2, "lifetime_days": None, "status": "beyond horizon"},
            {"norad_id": 3, "lifetime_days": None, "status": "failed: no drag information"},
        ]
    )
    assert [r["norad_id"] for r in outputs.series_rows(catalog)] == [1, 2, 3]
    assert result_views.kind_of(catalog) == "batch"
    life = result_views.lifetimes_days(catalog)
    assert life is not None and life.size == 2 and np.isnan(life[1])  # failed rows left out


def test_plot_suffix_picks_the_format(decay_result: Any, tmp_path: Path) -> None:
    outputs.write_outputs(decay_result, plot=tmp_path / "a.svg")
    assert (tmp_path / "a.svg").read_bytes().lstrip().startswith(b"<?xml")
    outputs.write_plot(fake_reentry(), tmp_path / "b.PNG")
    assert (tmp_path / "b.PNG").read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("kw", "flag", "needle"),
    [
        ({"plot": "x.jpg"}, "--plot", "'.jpg'"),
        ({"out": "x.xlsx"}, "--out", "'.xlsx'"),
        ({"report": "x.pdf"}, "--report", "'.pdf'"),
        ({"report": "noext"}, "--report", "no suffix"),
        ({"plot": "missing/x.png"}, "--plot", "does not exist"),
        ({"out": "sub.csv"}, "--out", "is a directory"),
    ],
)
def test_bad_output_paths_name_the_flag(
    decay_result: Any, tmp_path: Path, kw: dict[str, str], flag: str, needle: str
) -> None:
    (tmp_path / "sub.csv").mkdir()
    args = {k: tmp_path / v for k, v in kw.items()}
    with pytest.raises(ParameterError) as exc:
        outputs.write_outputs(decay_result, **args)
    msg = exc.value.one_line()
    assert msg.startswith(flag + ":") and needle in msg
    assert "\n" not in msg
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sub.csv"]


def test_paths_are_checked_before_anything_is_written(decay_result: Any, tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="--report"):
        outputs.write_outputs(decay_result, plot=tmp_path / "a.png", report=tmp_path / "r.txt")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(HAS_PYARROW, reason="pyarrow is installed")
def test_parquet_without_pyarrow_says_what_to_install(decay_result: Any, tmp_path: Path) -> None:
    with pytest.raises(OrbitkeepError) as exc:
        outputs.write_outputs(decay_result, out=tmp_path / "d.parquet", plot=tmp_path / "p.png")
    assert "--out" in exc.value.one_line() and "pip install pyarrow" in exc.value.one_line()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not HAS_PYARROW, reason="pyarrow is not installed")
def test_parquet_round_trip(decay_result: Any, tmp_path: Path) -> None:  # pragma: no cover
    import pyarrow.parquet as pq

    outputs.write_outputs(decay_result, out=tmp_path / "d.parquet")
    t = pq.read_table(tmp_path / "d.parquet")
    assert t.num_rows == decay_result.trajectory.t_s.size


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(
    decay_result: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "p.png"
    target.write_bytes(b"old")

    def broken(fig: Any, fmt: str, **kw: Any) -> bytes:
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(plots, "render", broken)
    with pytest.raises(RuntimeError):
        outputs.write_outputs(decay_result, plot=target)
    assert target.read_bytes() == b"old"

    def half(path: Path) -> None:
        path.write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    with pytest.raises(ParameterError, match=r"--out.*No space left"):
        outputs.atomic_write(tmp_path / "o.csv", half, flag="--out")
    assert not (tmp_path / "o.csv").exists()
    assert leftovers(tmp_path) == []


def test_files_get_normal_permissions(decay_result: Any, tmp_path: Path) -> None:
    import os

    outputs.write_outputs(decay_result, out=tmp_path / "d.csv")
    mask = os.umask(0)
    os.umask(mask)
    assert (tmp_path / "d.csv").stat().st_mode & 0o777 == 0o666 & ~mask
