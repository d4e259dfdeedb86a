"""Properties of the TLE reader: no stray exceptions, exact round trips, strict checking."""

from __future__ import annotations

import calendar
import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from orbitkeep.errors import OrbitkeepError, TLEFormatError
from orbitkeep.io.tle import checksum, format_tle, parse_lines, read_tles

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],  # one file, rewritten
)

ISS_L1 = "1 25544U 98067A   21001.22196045  .00001488  00000-0  34854-4 0  9992"
ISS_L2 = "2 25544  51.6464  88.5894 0001153 173.6665  39.5832 15.49246091262713"


@dataclass(frozen=True)
class Fields:
    """One valid element set, as the integers its columns hold."""

    name: str | None
    norad: int
    yy: int
    day_e8: int  # day of year * 1e8
    ndot_e8: int  # rev/day^2 * 1e8
    ddot: tuple[int, int]  # (signed 5-digit mantissa, exponent)
    bstar: tuple[int, int]
    elset: int
    incl_e4: int
    raan_e4: int
    ecc_e7: int
    argp_e4: int
    ma_e4: int
    n_e8: int  # rev/day * 1e8
    rev: int

    def lines(self) -> tuple[str, str]:
        def exp(f: tuple[int, int]) -> str:
            m, e = f
            return f"{'-' if m < 0 else ' '}{abs(m):05d}{'-' if e < 0 else '+'}{abs(e)}"

        nd = f"{'-' if self.ndot_e8 < 0 else ' '}.{abs(self.ndot_e8):08d}"
        day = f"{self.day_e8 // 10**8:03d}.{self.day_e8 % 10**8:08d}"
        l1 = (
            f"1 {self.norad:05d}U 98067A   {self.yy:02d}{day} {nd} "
            f"{exp(self.ddot)} {exp(self.bstar)} 0 {self.elset:4d}"
        )
        l2 = (
            f"2 {self.norad:05d} {self.incl_e4 / 1e4:8.4f} {self.raan_e4 / 1e4:8.4f} "
            f"{self.ecc_e7:07d} {self.argp_e4 / 1e4:8.4f} {self.ma_e4 / 1e4:8.4f} "
            f"{self.n_e8 / 1e8:11.8f}{self.rev:5d}"
        )
        assert len(l1) == len(l2) == 68
        return l1 + str(checksum(l1)), l2 + str(checksum(l2))

    def year(self) -> int:
        return 1900 + self.yy if self.yy >= 57 else 2000 + self.yy


names = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=24)
    .map(str.strip)
    .filter(lambda s: s != "" and not s.startswith("0 ")),
)
exponent_fields = st.one_of(
    st.just((0, 0)),
    st.tuples(st.integers(-99999, 99999), st.integers(-9, 9)),
)


@st.composite
def valid_sets(draw: st.DrawFn) -> Fields:
    yy = draw(st.integers(0, 99))
    year = 1900 + yy if yy >= 57 else 2000 + yy
    n_days = 366 if calendar.isleap(year) else 365
    return Fields(
        name=draw(names),
        norad=draw(st.integers(1, 99999)),
        yy=yy,
        day_e8=draw(st.integers(10**8, (n_days + 1) * 10**8 - 1)),
        ndot_e8=draw(st.integers(-(10**8) + 1, 10**8 - 1)),
        ddot=draw(exponent_fields),
        bstar=draw(exponent_fields),
        elset=draw(st.integers(0, 9999)),
        incl_e4=draw(st.integers(0, 180 * 10**4)),
        raan_e4=draw(st.integers(0, 360 * 10**4 - 1)),
        ecc_e7=draw(st.integers(0, 9 * 10**6 - 1)),
        argp_e4=draw(st.integers(0, 360 * 10**4 - 1)),
        ma_e4=draw(st.integers(0, 360 * 10**4 - 1)),
        n_e8=draw(st.integers(50_000_000, 1_700_000_000)),
        rev=draw(st.integers(0, 99999)),
    )


# Text made of TLE-like pieces, so that the reader's branches are reached, not just junk.
PIECES = [ISS_L1, ISS_L2, "ISS (ZARYA)", "0 ISS", "", "   ", ISS_L1[:68], ISS_L2 + "7"]
tle_like_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=80)), max_size=8).map(
    "\n".join
)


def read_only_orbitkeep_errors(path: Path) -> None:
    with contextlib.suppress(OrbitkeepError):
        read_tles(path)


@SETTINGS
@given(text=st.one_of(st.text(), tle_like_text))
def test_arbitrary_text_raises_only_orbitkeep_errors(tmp_path: Path, text: str) -> None:
    p = tmp_path / "any.tle"
    p.write_text(text, encoding="utf-8")
    read_only_orbitkeep_errors(p)


@SETTINGS
@given(
    data=st.one_of(
        st.binary(),
        tle_like_text.map(lambda s: s.encode("utf-8")),
        st.binary().map(lambda b: ISS_L1.encode() + b"\n" + b + ISS_L2.encode()),
    )
)
def test_arbitrary_bytes_raise_only_orbitkeep_errors(tmp_path: Path, data: bytes) -> None:
    p = tmp_path / "any.tle"
    p.write_bytes(data)
    read_only_orbitkeep_errors(p)


@SETTINGS
@given(sets=st.lists(valid_sets(), min_size=1, max_size=4))
def test_valid_sets_round_trip(tmp_path: Path, sets: list[Fields]) -> None:
    tles = [parse_lines(*f.lines(), f.name) for f in sets]
    p = tmp_path / "valid.tle"
    p.write_text("".join(format_tle(t) for t in tles), encoding="utf-8")
    back = read_tles(p)
    key = sorted(range(len(sets)), key=lambda i: tles[i].epoch_s)  # read_tles sorts, stably
    for i, t in zip(key, back, strict=True):
        f = sets[i]
        assert (t.line1, t.line2) == f.lines()
        assert t.name == f.name
        assert t.norad_id == f.norad
        start = datetime(f.year(), 1, 1, tzinfo=UTC).timestamp()
        assert t.epoch_s == pytest.approx(start + (f.day_e8 / 1e8 - 1) * 86400, abs=1e-4)
        assert t.inclination_deg == f.incl_e4 / 1e4
        assert t.raan_deg == f.raan_e4 / 1e4
        assert t.arg_perigee_deg == f.argp_e4 / 1e4
        assert t.mean_anomaly_deg == f.ma_e4 / 1e4
        assert t.eccentricity == f.ecc_e7 / 1e7
        assert t.mean_motion_rev_day == f.n_e8 / 1e8
        m, e = f.bstar
        assert t.bstar_per_earth_radius == pytest.approx(m * 1e-5 * 10.0**e, rel=1e-12)
        assert (t.line1, t.line2) == (tles[i].line1, tles[i].line2)


@SETTINGS
@given(
    f=valid_sets(),
    which=st.sampled_from([1, 2]),
    col=st.integers(0, 68),
    ch=st.one_of(
        st.sampled_from("0123456789 +-.eEUx"),
        st.sampled_from("²٣¹"),  # str.isdigit() says yes, int() says no (or yes)
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\n"),
    ),
)
def test_one_changed_character_parses_or_is_a_format_error(
    tmp_path: Path, f: Fields, which: int, col: int, ch: str
) -> None:
    l1, l2 = f.lines()
    line = l1 if which == 1 else l2
    bad = line[:col] + ch + line[col + 1 :]
    l1, l2 = (bad, l2) if which == 1 else (l1, bad)
    with contextlib.suppress(TLEFormatError):
        parse_lines(l1, l2)
    p = tmp_path / "mutated.tle"
    p.write_text(f"{l1}\n{l2}\n", encoding="utf-8")
    try:
        read_tles(p)
    except TLEFormatError as exc:
        assert exc.line in (1, 2)
