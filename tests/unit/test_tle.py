"""Tests of the TLE reader (orbitkeep.io.tle) on observed files and on broken input."""

from __future__ import annotations

import itertools
import math
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from orbitkeep.errors import InputFileError, OrbitkeepError, TLEFormatError
from orbitkeep.io.tle import checksum, format_tle, history, iter_tles, read_tles

DATA = Path(__file__).parents[1] / "data" / "tle"
SHARED = Path(__file__).parents[2].parent / "shared" / "data"
ISS_2021 = DATA / "25544_iss_2021_head.tle"
ISS_1998 = DATA / "25544_iss_1998_head.tle"
STARLINK = DATA / "44238_starlink24_head.tle"
FIXTURES = [ISS_2021, ISS_1998, STARLINK, DATA / "25544_iss_2024-09_from_omm_head.tle"]

# First set of 25544_iss_2021_head.tle.
ISS_L1 = "1 25544U 98067A   21001.22196045  .00001488  00000-0  34854-4 0  9992"
ISS_L2 = "2 25544  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262713"
# First set of 44238_starlink24_head.tle (signed, zero-padded style).
SL_L1 = "1 44238U 19029D   20001.86241269 +.00001144 +00000-0 +82562-4 0  9990"
SL_L2 = "2 44238 052.9982 249.9401 0001958 083.0655 277.0558 15.12201195032126"


def unix_s(year: int, month: int = 1, day: int = 1, hour: int = 0) -> float:
    return datetime(year, month, day, hour, tzinfo=UTC).timestamp()


def fix(line: str) -> str:
    """The line with its checksum digit recomputed."""
    return line[:68] + str(checksum(line))


def patch(line: str, col: int, text: str) -> str:
    """Replace the text starting at 1-based column ``col`` and recompute the checksum."""
    return fix(line[: col - 1] + text + line[col - 1 + len(text) :])


def build(
    *,
    norad: int = 25544,
    yy: int = 21,
    day: float = 1.5,
    incl: float = 51.6464,
    raan: float = 88.5894,
    ecc: float = 0.0001153,
    argp: float = 173.6665,
    ma: float = 39.5832,
    n: float = 15.49246091,
    rev: int = 26271,
) -> tuple[str, str]:
    """A valid set built column by column, checksums included."""
    l1 = f"1 {norad:05d}U 98067A   {yy:02d}{day:012.8f}  .00001488  00000-0  34854-4 0  999"
    l2 = (
        f"2 {norad:05d} {incl:8.4f} {raan:8.4f} {round(ecc * 1e7):07d} "
        f"{argp:8.4f} {ma:8.4f} {n:11.8f}{rev:5d}"
    )
    return fix(l1 + "0"), fix(l2 + "0")


def write(tmp_path: Path, text: str | bytes, name: str = "sets.tle") -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_bytes(text.encode("utf-8"))
    return p


def unkozai_sma_m(n_rev_day: float, ecc: float, incl_deg: float) -> float:
    """SGP4's semi-major axis, m, from the Kozai mean motion (Hoots & Roehrich 1980).

    Written out from Vallado et al. (2006) ``initl``/``sgp4init`` with the WGS-72
    constants SGP4 is defined with, independently of python-sgp4.
    """
    mu_km3_s2, re_km, j2 = 398600.8, 6378.135, 0.001082616
    xke = 60.0 / math.sqrt(re_km**3 / mu_km3_s2)  # sqrt(mu) in Earth radii^1.5 / min
    no_kozai = n_rev_day * 2.0 * math.pi / 1440.0  # rad/min
    cosio = math.cos(math.radians(incl_deg))
    omeosq = 1.0 - ecc * ecc
    ak = (xke / no_kozai) ** (2.0 / 3.0)
    d1 = 0.75 * j2 * (3.0 * cosio * cosio - 1.0) / (math.sqrt(omeosq) * omeosq)
    delta = d1 / (ak * ak)
    adel = ak * (1.0 - delta * delta - delta * (1.0 / 3.0 + 134.0 * delta * delta / 81.0))
    delta = d1 / (adel * adel)
    no_unkozai = no_kozai / (1.0 + delta)
    return (xke / no_unkozai) ** (2.0 / 3.0) * re_km * 1000.0


# ---------------------------------------------------------------- observed files


def test_every_shared_file_parses() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED} is absent (only in the full workspace)")
    files = sorted(SHARED.glob("*.tle"))
    assert files, f"no .tle file in {SHARED}"
    for p in files:
        n_line1 = sum(1 for ln in p.read_text().splitlines() if ln.startswith("1 "))
        tles = read_tles(p)
        assert len(tles) == n_line1, p.name
        assert {t.norad_id for t in tles} == {int(p.name.split("_")[0])}, p.name
        assert all(t.path == str(p) for t in tles)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixture_files_parse(path: Path) -> None:
    tles = read_tles(path)
    text = path.read_text().splitlines()
    assert len(tles) == len(text) // 3
    for t in tles:
        assert t.name == text[t.line_no - 2]
        assert (t.line1, t.line2) == (text[t.line_no - 1], text[t.line_no])
        assert t.path == str(path)
    assert [t.epoch_s for t in tles] == sorted(t.epoch_s for t in tles)


def test_fields_of_one_set() -> None:
    t = read_tles(ISS_2021)[0]
    assert t.name == "ISS (ZARYA)"
    assert (t.norad_id, t.line_no) == (25544, 2)
    assert t.inclination_deg == 51.6464
    assert t.raan_deg == 88.5894
    assert t.eccentricity == pytest.approx(0.0001153, abs=1e-16)
    assert t.arg_perigee_deg == 173.6665
    assert t.mean_anomaly_deg == 39.5832
    assert t.mean_motion_rev_day == 15.49246091
    assert t.bstar_per_earth_radius == pytest.approx(0.34854e-4, rel=1e-12)
    assert t.where() == f"{ISS_2021}:2"
    s = read_tles(STARLINK)[0]
    assert s.bstar_per_earth_radius == pytest.approx(0.82562e-4, rel=1e-12)
    assert s.inclination_deg == 52.9982
    assert s.satrec().bstar == pytest.approx(s.bstar_per_earth_radius, rel=1e-12)


def test_sma_matches_sgp4_and_unkozai_formula() -> None:
    sample = [t for p in (ISS_2021, ISS_1998, STARLINK) for t in read_tles(p)[::7]]
    assert len(sample) >= 40
    for t in sample:
        sat = Satrec.twoline2rv(t.line1, t.line2, WGS72)
        assert t.sma_m == pytest.approx(sat.a * sat.radiusearthkm * 1000.0, rel=1e-13)
        ours = unkozai_sma_m(t.mean_motion_rev_day, t.eccentricity, t.inclination_deg)
        assert t.sma_m == pytest.approx(ours, rel=1e-11)
        # the un-Kozai correction is real (metres to kilometres), not zero and not huge
        mu_m3_s2 = 398600.8e9
        n_rad_s = t.mean_motion_rev_day * 2.0 * math.pi / 86400.0
        kozai_a = (mu_m3_s2 / n_rad_s**2) ** (1.0 / 3.0)
        assert 1.0 < abs(t.sma_m - kozai_a) < 20e3


def test_iss_mean_altitude_2021() -> None:
    h = history(read_tles(ISS_2021))
    assert len(h) == 98  # two sets were re-issued with the same epoch
    alt_km = h.mean_alt_m / 1e3
    assert np.all((alt_km > 410.0) & (alt_km < 425.0)), (alt_km.min(), alt_km.max())
    np.testing.assert_allclose(h.sma_m, [t.sma_m for t in h.tles], rtol=1e-14)
    if SHARED.is_dir():  # the whole year, where the shared data are at hand
        h = history(read_tles(SHARED / "25544_iss.tle"))
        in_2021 = (h.epoch_s >= unix_s(2021, 1, 1)) & (h.epoch_s < unix_s(2022, 1, 1))
        alt_km = h.mean_alt_m[in_2021] / 1e3
        assert in_2021.sum() > 1500
        assert np.all((alt_km > 410.0) & (alt_km < 425.0)), (alt_km.min(), alt_km.max())


# ---------------------------------------------------------------- epochs


def test_epoch_matches_sgp4() -> None:
    for p in (ISS_2021, ISS_1998, STARLINK):
        for t in read_tles(p):
            sat = t.satrec()
            sgp4_s = ((sat.jdsatepoch - 2440587.5) + sat.jdsatepochF) * 86400.0
            assert abs(t.epoch_s - sgp4_s) < 1e-3, t.line1


@pytest.mark.parametrize(
    ("yy", "year"),
    [(57, 1957), (75, 1975), (98, 1998), (99, 1999), (0, 2000), (21, 2021), (56, 2056)],
)
def test_two_digit_years(tmp_path: Path, yy: int, year: int) -> None:
    l1, l2 = build(yy=yy, day=32.75)  # 1 February, 18:00
    (t,) = read_tles(write(tmp_path, f"{l1}\n{l2}\n"))
    assert t.epoch_s == pytest.approx(unix_s(year, 2, 1, 18), abs=1e-6)
    sat = t.satrec()
    assert ((sat.jdsatepoch - 2440587.5) + sat.jdsatepochF) * 86400.0 == pytest.approx(
        t.epoch_s, abs=1e-3
    )


def test_day_of_year_fraction() -> None:
    (t,) = list(iter_tles(build(yy=24, day=366.5)))  # 2024 is a leap year
    assert t.epoch_s == unix_s(2024, 12, 31, 12)


# ---------------------------------------------------------------- errors


def two_sets_text(l1: str = ISS_L1, l2: str = ISS_L2) -> str:
    """Name, blank line, set, name, set: the second set's lines are lines 6 and 7."""
    return f"ISS (ZARYA)\n\n{ISS_L1}\n{ISS_L2}\nISS (ZARYA)\n{l1}\n{l2}\n"


def assert_error(
    tmp_path: Path, text: str | bytes, cls: type[OrbitkeepError], line: int | None
) -> OrbitkeepError:
    p = write(tmp_path, text, "broken.tle")
    with pytest.raises(OrbitkeepError) as info:
        read_tles(p)
    err = info.value
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    assert err.line == line, str(err)
    assert "broken.tle" in str(err)
    if line is not None:
        assert f"broken.tle:{line}:" in str(err)
    return err


def test_bad_checksum_line1(tmp_path: Path) -> None:
    bad = ISS_L1[:68] + str((int(ISS_L1[68]) + 1) % 10)
    err = assert_error(tmp_path, two_sets_text(l1=bad), TLEFormatError, 6)
    assert "checksum" in str(err)


def test_bad_checksum_line2(tmp_path: Path) -> None:
    bad = ISS_L2[:60] + "7" + ISS_L2[61:]  # a digit changed, checksum left alone
    err = assert_error(tmp_path, two_sets_text(l2=bad), TLEFormatError, 7)
    assert "checksum" in str(err)


@pytest.mark.parametrize("which", [1, 2])
@pytest.mark.parametrize("length", [68, 70])
def test_wrong_length(tmp_path: Path, which: int, length: int) -> None:
    line = ISS_L1 if which == 1 else ISS_L2
    # drop or double a column inside the line (not a trailing blank, which is tolerated)
    bad = line[:40] + line[41:] if length == 68 else line[:40] + line[40] + line[40:]
    assert len(bad) == length
    text = two_sets_text(l1=bad) if which == 1 else two_sets_text(l2=bad)
    err = assert_error(tmp_path, text, TLEFormatError, 5 + which)
    assert f"has {length} columns" in str(err)


@pytest.mark.parametrize("length", [68, 70])
def test_wrong_length_line1_two_line_file(tmp_path: Path, length: int) -> None:
    bad = ISS_L1[:40] + ISS_L1[41:] if length == 68 else ISS_L1[:40] + "0" + ISS_L1[40:]
    for l2 in (ISS_L2, ISS_L2[:30] + "0" + ISS_L2[30:]):
        err = assert_error(tmp_path, f"{SL_L1}\n{SL_L2}\n{bad}\n{l2}\n", TLEFormatError, 3)
        assert f"line 1 has {length} columns" in str(err)


def test_trailing_blanks_are_tolerated(tmp_path: Path) -> None:
    (t,) = read_tles(write(tmp_path, f"ISS  \n{ISS_L1}   \n{ISS_L2}\t\n"))
    assert (t.name, t.line1, t.line2) == ("ISS", ISS_L1, ISS_L2)


@pytest.mark.parametrize(
    ("which", "col", "text"),
    [
        (1, 21, "O"),  # letter O for zero in the epoch
        (1, 36, "x"),  # first derivative of mean motion
        (1, 57, "A"),  # B*
        (1, 4, "S"),  # catalogue number
        (2, 12, "l"),  # inclination
        (2, 30, "e"),  # eccentricity
        (2, 56, "E"),  # mean motion
        (2, 66, "I"),  # revolution number
    ],
)
def test_letter_in_numeric_column(tmp_path: Path, which: int, col: int, text: str) -> None:
    if which == 1:
        t = two_sets_text(l1=patch(ISS_L1, col, text))
    else:
        t = two_sets_text(l2=patch(ISS_L2, col, text))
    err = assert_error(tmp_path, t, TLEFormatError, 5 + which)
    assert "not numeric" in str(err) or "catalogue" in str(err)


def test_unicode_digit_is_not_a_digit(tmp_path: Path) -> None:
    # '²' and '٣' answer True to str.isdigit(); they must never reach int().
    for ch in ("²", "٣"):
        for col in (21, 69):  # a numeric column, the checksum column
            bad = ISS_L1[: col - 1] + ch + ISS_L1[col:]
            assert_error(tmp_path, two_sets_text(l1=bad), TLEFormatError, 6)
        for col in (8, 18):  # columns the format does not check: parses, or a format error
            bad = ISS_L1[: col - 1] + ch + ISS_L1[col:]
            try:
                read_tles(write(tmp_path, two_sets_text(l1=bad)))
            except TLEFormatError as exc:
                assert exc.line == 6


def test_two_digit_year_field_must_be_digits(tmp_path: Path) -> None:
    assert_error(tmp_path, two_sets_text(l1=patch(ISS_L1, 19, "-1")), TLEFormatError, 6)


def test_mismatched_catalogue_numbers(tmp_path: Path) -> None:
    err = assert_error(tmp_path, two_sets_text(l2=patch(ISS_L2, 3, "25545")), TLEFormatError, 7)
    assert "catalogue numbers differ" in str(err)


def test_swapped_lines(tmp_path: Path) -> None:
    err = assert_error(tmp_path, two_sets_text(l1=ISS_L2, l2=ISS_L1), TLEFormatError, 6)
    assert "line 2 without a line 1" in str(err)


def test_line1_followed_by_name(tmp_path: Path) -> None:
    text = f"{ISS_L1}\nISS (ZARYA)\n{ISS_L2}\n"
    assert_error(tmp_path, text, TLEFormatError, 2)


def test_truncated_file(tmp_path: Path) -> None:
    err = assert_error(tmp_path, f"ISS\n{ISS_L1}\n{ISS_L2}\nISS\n\n{ISS_L1}", TLEFormatError, 6)
    assert "truncated" in str(err)
    assert_error(tmp_path, f"ISS\n{ISS_L1}\n{ISS_L2}\nISS\n", TLEFormatError, 4)


def test_name_line_followed_by_name_line(tmp_path: Path) -> None:
    text = f"ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\nISS (ZARYA)\n\nZARYA\n{ISS_L1}\n{ISS_L2}\n"
    err = assert_error(tmp_path, text, TLEFormatError, 6)
    assert "name line 4 followed by another" in str(err)


def test_mean_motion_zero(tmp_path: Path) -> None:
    err = assert_error(
        tmp_path, two_sets_text(l2=patch(ISS_L2, 53, " 0.00000000")), TLEFormatError, 7
    )
    assert "mean motion" in str(err)


def test_a_bad_number_on_line_2_is_reported_at_line_2(tmp_path: Path) -> None:
    # "1.5.2345678" passes the column check (digits, signs, points) but is no number
    err = assert_error(
        tmp_path, two_sets_text(l2=patch(ISS_L2, 53, " 1.5.234567")), TLEFormatError, 7
    )
    assert "line 2" in str(err)
    err = assert_error(
        tmp_path, two_sets_text(l1=patch(ISS_L1, 21, "1.1.00000000")), TLEFormatError, 6
    )
    assert "line 1" in str(err)


@pytest.mark.parametrize(("yy", "year"), [(23, 2023), (0, 2000), (99, 1999), (21, 2021)])
def test_day_366_exists_only_in_leap_years(tmp_path: Path, yy: int, year: int) -> None:
    # 2000 is a leap year (divisible by 400); 1999, 2021, 2023 are not
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    l1, l2 = build(yy=yy, day=366.5)
    if leap:
        (t,) = read_tles(write(tmp_path, f"{l1}\n{l2}\n"))
        assert t.epoch_s == unix_s(year, 12, 31, 12)
    else:
        # it would have been read as 1 January of the next year, 12:00
        err = assert_error(tmp_path, two_sets_text(l1=l1), TLEFormatError, 6)
        assert "day-of-year" in str(err) and str(year) in str(err)
    (t,) = read_tles(write(tmp_path, "\n".join(build(yy=yy, day=365.75)) + "\n", "b.tle"))
    assert t.epoch_s == unix_s(year, 12, 31 if not leap else 30, 18)


def test_out_of_range_angle(tmp_path: Path) -> None:
    assert_error(tmp_path, two_sets_text(l2=patch(ISS_L2, 9, "181.0000")), TLEFormatError, 7)
    assert_error(tmp_path, two_sets_text(l2=patch(ISS_L2, 44, "360.0000")), TLEFormatError, 7)
    assert_error(tmp_path, two_sets_text(l1=patch(ISS_L1, 21, "000.5")), TLEFormatError, 6)


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\n\n  \n",
        b"\x00\x01\x02\x03",
        ISS_L1.encode() + b"\x00\n" + ISS_L2.encode(),
        b"\xff\xfe\x89PNG",
    ],
    ids=["empty", "blank", "nul-bytes", "nul-in-set", "not-utf8"],
)
def test_unreadable_files(tmp_path: Path, content: bytes) -> None:
    p = write(tmp_path, content, "broken.tle")
    with pytest.raises(InputFileError) as info:
        read_tles(p)
    assert "broken.tle" in str(info.value)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="directory"):
        read_tles(tmp_path)
    with pytest.raises(InputFileError, match="no such file") as info:
        read_tles(tmp_path / "absent.tle")
    assert "absent.tle" in str(info.value)


# ---------------------------------------------------------------- layouts


def test_crlf_and_cr_line_ends(tmp_path: Path) -> None:
    for eol in ("\r\n", "\r"):
        text = eol.join(["ISS (ZARYA)", ISS_L1, ISS_L2, SL_L1, SL_L2, ""])
        tles = read_tles(write(tmp_path, text))
        assert [(t.line1, t.line2) for t in tles] == [(SL_L1, SL_L2), (ISS_L1, ISS_L2)]
        assert tles[1].name == "ISS (ZARYA)"
        assert tles[0].name is None
        assert tles[0].line_no == 4


def test_blank_lines_between_sets(tmp_path: Path) -> None:
    text = f"\n\nISS (ZARYA)\n\n{ISS_L1}\n   \n{ISS_L2}\n\n\n{SL_L1}\n\n{SL_L2}\n\n"
    tles = read_tles(write(tmp_path, text))
    assert [(t.norad_id, t.line_no, t.name) for t in tles] == [
        (44238, 10, None),
        (25544, 5, "ISS (ZARYA)"),
    ]


def test_two_line_file(tmp_path: Path) -> None:
    text = "".join(f"{t.line1}\n{t.line2}\n" for t in read_tles(ISS_2021))
    tles = read_tles(write(tmp_path, text))
    assert len(tles) == 100
    assert all(t.name is None for t in tles)
    assert [t.line_no for t in tles] == list(range(1, 200, 2))


@pytest.mark.parametrize(
    ("name_line", "name"),
    [
        ("МКС (ЗАРЯ)", "МКС (ЗАРЯ)"),
        ("国際宇宙ステーション", "国際宇宙ステーション"),
        ("0 ISS (ZARYA)", "ISS (ZARYA)"),
        ("0 ÉTOILE-1 ", "ÉTOILE-1"),
        ("  STARLINK-24", "STARLINK-24"),
    ],
)
def test_name_lines(tmp_path: Path, name_line: str, name: str) -> None:
    (t,) = read_tles(write(tmp_path, f"{name_line}\n{ISS_L1}\n{ISS_L2}\n"))
    assert t.name == name
    assert format_tle(t) == f"{name}\n{ISS_L1}\n{ISS_L2}\n"


def test_utf8_bom(tmp_path: Path) -> None:
    for text in (f"{ISS_L1}\n{ISS_L2}\n", f"ISS\n{ISS_L1}\n{ISS_L2}\n"):
        (t,) = read_tles(write(tmp_path, b"\xef\xbb\xbf" + text.encode()))
        assert t.line1 == ISS_L1
        assert t.name in (None, "ISS")


def test_several_objects_and_filter(tmp_path: Path) -> None:
    iss = read_tles(ISS_2021)[:20]
    sl = read_tles(STARLINK)[:15]
    mixed = [t for pair in zip(sl, iss, strict=False) for t in pair] + iss[15:]
    p = write(tmp_path, "".join(format_tle(t) for t in mixed))
    everything = read_tles(p)
    assert len(everything) == 35
    assert [t.epoch_s for t in everything] == sorted(t.epoch_s for t in mixed)
    only_iss = read_tles(p, norad_id=25544)
    assert [t.line1 for t in only_iss] == [t.line1 for t in iss]
    assert [t.line1 for t in read_tles(p, norad_id=44238)] == [t.line1 for t in sl]
    with pytest.raises(InputFileError, match="no TLE for NORAD 99999"):
        read_tles(p, norad_id=99999)


def test_unsorted_file_is_sorted(tmp_path: Path) -> None:
    tles = read_tles(ISS_2021)
    p = write(tmp_path, "".join(format_tle(t) for t in reversed(tles)))
    back = read_tles(p)
    assert [t.epoch_s for t in back] == [t.epoch_s for t in tles]
    assert sorted(t.line1 for t in back) == sorted(t.line1 for t in tles)


# ---------------------------------------------------------------- history


def test_history_sorted_deduplicated_and_before() -> None:
    tles = read_tles(ISS_2021)
    # The file holds two re-issued sets (same epoch, other B*): the later line wins.
    latest = {t.epoch_s: t for t in tles}
    assert len(latest) == 98
    assert {
        "1 25544U 98067A   21001.72438400  .00001314  00000-0  31729-4 0  9997",
        "1 25544U 98067A   21019.40295723  .00000879  00000-0  23843-4 0  9993",
    } <= {t.line1 for t in latest.values()}
    h = history(tles)
    assert [t.line1 for t in h.tles] == [t.line1 for t in latest.values()]

    uniq = list(latest.values())
    shuffled = [uniq[i] for i in np.random.default_rng(1).permutation(len(uniq))]
    # another re-issue: same epoch, one digit of the B* term changed, given last
    reissue = replace(uniq[10], line1=patch(uniq[10].line1, 59, "5"))
    h = history([*shuffled, uniq[3], reissue])
    assert len(h) == 98
    assert np.all(np.diff(h.epoch_s) > 0)
    assert [t.epoch_s for t in h.tles] == [t.epoch_s for t in uniq]
    assert h.tles[10].line1 == reissue.line1
    assert h.name == "ISS (ZARYA)"
    assert h.norad_id == 25544
    np.testing.assert_allclose(h.incl_rad, np.radians([t.inclination_deg for t in uniq]))
    np.testing.assert_allclose(h.ecc, [t.eccentricity for t in uniq])

    cut = uniq[41].epoch_s
    b = h.before(cut)
    assert len(b) == 42
    assert b.epoch_s[-1] == cut  # "at or before"
    assert np.all(b.epoch_s <= cut)
    assert len(h.before(cut - 1e-3)) == 41
    assert len(h.before(uniq[0].epoch_s - 1.0)) == 0
    for arr in (b.sma_m, b.ecc, b.incl_rad, b.raan_rad, b.argp_rad, b.mean_anomaly_rad, b.bstar):
        assert arr.shape == (42,)
    assert b.tles == h.tles[:42]


def test_history_rejects_mixed_objects() -> None:
    with pytest.raises(ValueError, match="one object"):
        history([*read_tles(ISS_2021)[:2], *read_tles(STARLINK)[:2]])


# ---------------------------------------------------------------- big files


def big_file_lines(n_sets: int) -> Iterator[str]:
    """``n_sets`` copies of one ISS set, epochs 0.003 d apart, checksums recomputed."""
    head1, tail1, l2 = ISS_L1[:20], ISS_L1[32:68], ISS_L2
    for i in range(n_sets):
        yield "ISS (ZARYA)\n"
        yield fix(f"{head1}{1.0 + 0.003 * i:012.8f}{tail1}0") + "\n"
        yield l2 + "\n"


def test_huge_file_in_bounded_memory(tmp_path: Path) -> None:
    """100,000 sets stream through ``iter_tles`` in constant memory, in a few seconds.

    tracemalloc slows every allocation ~10x (parse_lines allocates ~100 objects per set),
    so the full file is timed and checked with the cheap ``sys.getallocatedblocks()``
    (live pymalloc blocks must not grow with the number of sets read), and the traced
    peak is measured over the first 10,000 sets of the same file.
    """
    n_sets = 100_000
    p = tmp_path / "huge.tle"
    with p.open("w", encoding="utf-8") as fh:
        fh.writelines(big_file_lines(n_sets))
    assert p.stat().st_size > 10_000_000

    blocks: list[int] = []
    t0 = time.perf_counter()
    count, last = 0, -math.inf
    with p.open(encoding="utf-8", newline="") as fh:
        for t in iter_tles(fh, path=str(p)):
            assert t.epoch_s > last
            last = t.epoch_s
            count += 1
            if count % 10_000 == 0:
                blocks.append(sys.getallocatedblocks())
    elapsed = time.perf_counter() - t0
    assert count == n_sets
    assert elapsed < 30.0, f"{elapsed:.1f} s for {n_sets} sets"
    # a leak of one object per set would add 90,000 blocks between the first and last sample
    assert max(blocks) - blocks[0] < 5_000, blocks

    tracemalloc.start()
    try:
        with p.open(encoding="utf-8", newline="") as fh:
            count = sum(1 for _ in itertools.islice(iter_tles(fh, path=str(p)), 10_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < 20e6, f"peak traced memory {peak / 1e6:.1f} MB"


def test_history_of_no_sets_or_of_several_objects_is_an_orbitkeep_error() -> None:
    """history() from Python: a named error the CLI prints in one line (and, as before,
    a ValueError), never a bare exception from deep inside."""
    from orbitkeep.errors import HistoryError

    with pytest.raises(HistoryError, match="no element sets"):
        history([])
    mixed = read_tles(ISS_2021)[:2] + read_tles(STARLINK)[:2]
    with pytest.raises(HistoryError, match=r"\[25544, 44238\]") as info:
        history(mixed)
    assert isinstance(info.value, OrbitkeepError) and isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("field", "number"),
    [("A0000", 100000), ("H9999", 179999), ("J0000", 180000), ("P1234", 231234), ("Z9999", 339999)],
)
def test_alpha5_catalogue_numbers(tmp_path: Path, field: str, number: int) -> None:
    """Above 99,999 the catalogue number takes the Alpha-5 form: a letter for 10-33 tens
    of thousands (I and O skipped), then 4 digits; read as python-sgp4 reads it."""
    l1, l2 = patch(ISS_L1, 3, field), patch(ISS_L2, 3, field)
    (t,) = read_tles(write(tmp_path, f"{l1}\n{l2}\n"))
    assert t.norad_id == number == Satrec.twoline2rv(l1, l2, WGS72).satnum
    ref = read_tles(write(tmp_path, f"{ISS_L1}\n{ISS_L2}\n", "ref.tle"))[0]
    assert (t.epoch_s, t.sma_m) == (ref.epoch_s, ref.sma_m)


@pytest.mark.parametrize("field", ["I0000", "O1234", "a0000", "AA000", "A 123", "     "])
def test_a_catalogue_number_that_is_not_one(tmp_path: Path, field: str) -> None:
    """I and O are not Alpha-5 letters (they read as 1 and 0), nor lower case, two letters,
    a blank inside, or no number at all: the error names the line and the columns."""
    t = two_sets_text(l1=patch(ISS_L1, 3, field), l2=patch(ISS_L2, 3, field))
    err = assert_error(tmp_path, t, TLEFormatError, 6)
    assert "columns 3-7 are not a catalogue number" in str(err)
