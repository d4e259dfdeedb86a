"""Two-line element sets: strict reading of 2-line and 3-line files and long histories.

Every set is checked column by column (NORAD/Space-Track TLE format, as documented by
CelesTrak: https://celestrak.org/NORAD/documentation/tle-fmt.php) and by its modulo-10
checksums. Errors name the file and the 1-based line. Mean elements are derived the way
SGP4 derives them (python-sgp4, WGS-72 constants), so the semi-major axis is SGP4's own.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sgp4.alpha5 import from_alpha5
from sgp4.api import WGS72, Satrec

from ..errors import HistoryError, InputFileError, TLEFormatError

_TLE_LEN = 69
# Columns that must hold digits, spaces, signs or points (1-based, inclusive), by line.
_NUMERIC_L1 = [(10, 11), (12, 14), (19, 32), (34, 43), (45, 52), (54, 61), (65, 69)]
_NUMERIC_L2 = [(9, 16), (18, 25), (27, 33), (35, 42), (44, 51), (53, 63), (64, 69)]
_FIELD_RE = re.compile(r"^[0-9 +\-.]*$")
_DIGITS = "0123456789"
#: Columns 3-7, the catalogue number: up to 5 digits (right-aligned), or Alpha-5 for
#: 100,000-339,999: a letter (A-Z without I and O, which read as 1 and 0) standing for
#: 10-33 tens of thousands, then 4 digits (Space Force's Alpha-5 scheme, as python-sgp4
#: decodes it: ``sgp4.alpha5``; CelesTrak's TLE format page, above).
_CATALOG_RE = re.compile(r"^(?: *[0-9]+|[A-HJ-NP-Z][0-9]{4})$")


@dataclass(frozen=True)
class TLE:
    """One element set as read from a file, with where it came from.

    ``epoch_s`` is Unix seconds UTC. Angles in the raw fields are degrees, mean motion is
    the Kozai mean motion in revolutions per day, as in the TLE itself.
    """

    name: str | None
    line1: str
    line2: str
    norad_id: int
    epoch_s: float
    mean_motion_rev_day: float
    eccentricity: float
    inclination_deg: float
    raan_deg: float
    arg_perigee_deg: float
    mean_anomaly_deg: float
    bstar_per_earth_radius: float
    path: str | None = None
    line_no: int | None = None

    def satrec(self) -> Satrec:
        """The python-sgp4 satellite record (WGS-72, as SGP4 is defined)."""
        return Satrec.twoline2rv(self.line1, self.line2, WGS72)

    @property
    def sma_m(self) -> float:
        """Mean semi-major axis, m: SGP4's un-Kozai'd mean motion through Kepler's law."""
        sat = self.satrec()
        return float(sat.a * sat.radiusearthkm * 1000.0)

    def where(self) -> str:
        """``file:line`` of the first line of this set, for messages."""
        if self.path is None:
            return f"line {self.line_no}"
        return self.path if self.line_no is None else f"{self.path}:{self.line_no}"


def checksum(line: str) -> int:
    """Modulo-10 checksum of the first 68 columns: digits count, '-' counts 1.

    Only ASCII digits count (``str.isdigit`` would also accept '²' or '٣').
    """
    head = line[:68]
    total = head.count("-") + sum(d * head.count(str(d)) for d in range(1, 10))
    return total % 10


def _implied_decimal(field: str) -> float:
    """Parse TLE 'assumed decimal point' exponent fields such as ' 39008-3' or '-11606-4'."""
    f = field.strip()
    if f in ("", "0", "+0", "-0", "00000-0", "00000+0", "+00000-0", "-00000-0"):
        return 0.0
    sign = -1.0 if f[0] == "-" else 1.0
    f = f.lstrip("+-")
    m = re.fullmatch(r"(\d{1,5})([+-])(\d)", f)
    if m is None:
        raise ValueError(field)
    mant = float("0." + m.group(1))
    exp = int(m.group(3)) * (-1 if m.group(2) == "-" else 1)
    return sign * mant * 10.0**exp


def _epoch_s(yy: int, day: float) -> float:
    year = 1900 + yy if yy >= 57 else 2000 + yy
    start = (np.datetime64(f"{year:04d}-01-01", "s") - np.datetime64("1970-01-01", "s")).astype(
        float
    )
    return float(start) + (day - 1.0) * 86400.0


def parse_lines(
    line1: str, line2: str, name: str | None = None, *, path: str | None = None, line_no: int = 1
) -> TLE:
    """Parse and check one element set. ``line_no`` is the 1-based line of ``line1``.

    Raises :class:`TLEFormatError` naming the file and the offending line.
    """

    def fail(msg: str, which: int) -> TLEFormatError:
        return TLEFormatError(msg, path=path, line=line_no + which - 1)

    for which, line, tag in ((1, line1, "1"), (2, line2, "2")):
        if len(line) != _TLE_LEN:
            raise fail(f"TLE line {which} has {len(line)} columns, expected {_TLE_LEN}", which)
        if line[0] != tag or line[1] != " ":
            raise fail(f"TLE line {which} must start with '{tag} '", which)
        if not _CATALOG_RE.match(line[2:7]):
            raise fail(
                f"TLE line {which} columns 3-7 are not a catalogue number (digits, or "
                f"Alpha-5: a letter other than I or O, then 4 digits): {line[2:7]!r}",
                which,
            )
        for a, b in _NUMERIC_L1 if which == 1 else _NUMERIC_L2:
            if not _FIELD_RE.match(line[a - 1 : b]):
                raise fail(f"TLE line {which} columns {a}-{b} are not numeric", which)
        if line[68] not in _DIGITS:
            raise fail(f"TLE line {which} column 69 must be the checksum digit", which)
        if checksum(line) != int(line[68]):
            raise fail(f"TLE line {which} checksum is {line[68]}, computed {checksum(line)}", which)
    if line1[2:7] != line2[2:7]:
        raise fail(
            f"catalogue numbers differ: line 1 has {line1[2:7].strip()}, "
            f"line 2 has {line2[2:7].strip()}",
            2,
        )
    try:
        norad = from_alpha5(line1[2:7].strip())
        yy = int(line1[18:20])
        day = float(line1[20:32])
        bstar = _implied_decimal(line1[53:61])
    except ValueError as exc:
        raise fail(f"TLE line 1 field is not a number: {exc}", 1) from None
    try:
        incl = float(line2[8:16])
        raan = float(line2[17:25])
        ecc = float("0." + line2[26:33].strip())
        argp = float(line2[34:42])
        ma = float(line2[43:51])
        n = float(line2[52:63])
    except ValueError as exc:
        raise fail(f"TLE line 2 field is not a number: {exc}", 2) from None
    year = 1900 + yy if yy >= 57 else 2000 + yy
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days_in_year = 366 if leap else 365
    checks = [
        (
            all(c in _DIGITS for c in line1[18:20]),
            1,
            f"epoch year {line1[18:20]!r} is not 2 digits",
        ),
        (
            1.0 <= day < days_in_year + 1.0,
            1,
            f"epoch day-of-year {day} out of range (1 to {days_in_year + 1}, not included, "
            f"in {year})",
        ),
        (0.0 <= incl <= 180.0, 2, f"inclination {incl} deg out of range"),
        (0.0 <= raan < 360.0, 2, f"right ascension {raan} deg out of range"),
        (0.0 <= argp < 360.0, 2, f"argument of perigee {argp} deg out of range"),
        (0.0 <= ma < 360.0, 2, f"mean anomaly {ma} deg out of range"),
        (n > 0.0 and math.isfinite(n), 2, f"mean motion {n} rev/day must be positive"),
        (ecc < 1.0, 2, f"eccentricity {ecc} must be below 1"),
    ]
    for ok, which, msg in checks:
        if not ok:
            raise fail(msg, which)
    return TLE(
        name=name,
        line1=line1,
        line2=line2,
        norad_id=norad,
        epoch_s=_epoch_s(yy, day),
        mean_motion_rev_day=n,
        eccentricity=ecc,
        inclination_deg=incl,
        raan_deg=raan,
        arg_perigee_deg=argp,
        mean_anomaly_deg=ma,
        bstar_per_earth_radius=bstar,
        path=path,
        line_no=line_no,
    )


def iter_tles(lines: Iterable[str], *, path: str | None = None) -> Iterator[TLE]:
    """Read element sets from an iterable of text lines (2-line or 3-line, mixed).

    Blank lines are skipped, CR/LF endings and trailing blanks are removed; a line that
    is neither a TLE line nor followed by one is an error. Memory stays bounded: sets are
    yielded as they are read.
    """
    name: str | None = None
    name_no, name_raw = 0, ""
    pending: tuple[str, int] | None = None
    for no, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n").rstrip()
        if "\x00" in line:
            raise InputFileError("binary data (NUL bytes), not a TLE file", path=path, line=no)
        if not line.strip():
            continue
        if pending is not None:
            l1, n1 = pending
            if not line.startswith("2 "):
                raise TLEFormatError(
                    "expected TLE line 2 after line 1 (truncated or swapped lines?)",
                    path=path,
                    line=no,
                )
            yield parse_lines(l1, line, name, path=path, line_no=n1)
            pending, name = None, None
            continue
        if line.startswith("1 ") and len(line) == _TLE_LEN:
            pending = (line, no)
        elif line.startswith("2 ") and len(line) == _TLE_LEN:
            if name is not None and name_raw.startswith("1 "):  # a bad line 1 taken for a name
                parse_lines(name_raw, line, path=path, line_no=name_no)  # raises, naming it
            raise TLEFormatError("TLE line 2 without a line 1 before it", path=path, line=no)
        else:
            if name is not None:
                if name_raw.startswith("1 ") and line.startswith("2 "):
                    parse_lines(name_raw, line, path=path, line_no=name_no)  # raises
                if line.startswith(("1 ", "2 ")):
                    raise TLEFormatError(
                        f"TLE line {line[0]} has {len(line)} columns, expected {_TLE_LEN}",
                        path=path,
                        line=no,
                    )
                raise TLEFormatError(
                    f"not a TLE line (a name line {name_no} followed by another): {line[:40]!r}",
                    path=path,
                    line=no,
                )
            name = line[2:].strip() if line.startswith("0 ") else line.strip()
            name_no, name_raw = no, line
    if pending is not None:
        raise TLEFormatError(
            "TLE line 1 without line 2 (truncated file)", path=path, line=pending[1]
        )
    if name is not None:
        raise TLEFormatError("name line without a TLE after it", path=path, line=name_no)


def _open_text(path: Path) -> Iterator[str]:
    try:
        if not path.exists():
            raise InputFileError("no such file", path=path)
        if path.is_dir():
            raise InputFileError("is a directory, not a TLE file", path=path)
        with path.open("r", encoding="utf-8-sig", errors="strict", newline="") as fh:
            yield from fh
    except UnicodeDecodeError:
        raise InputFileError("not UTF-8 text (binary file?)", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror}", path=path) from None


def read_tles(path: str | Path, *, norad_id: int | None = None) -> list[TLE]:
    """Read every element set of a file (optionally only one object), sorted by epoch.

    Raises :class:`InputFileError` for missing, empty or binary files and
    :class:`TLEFormatError` (file and line) for a malformed set.
    """
    p = Path(path)
    out = [
        t
        for t in iter_tles(_open_text(p), path=str(p))
        if norad_id is None or t.norad_id == norad_id
    ]
    if not out:
        what = "no TLE" if norad_id is None else f"no TLE for NORAD {norad_id}"
        raise InputFileError(f"{what} in file", path=p)
    out.sort(key=lambda t: t.epoch_s)
    return out


@dataclass(frozen=True)
class TLEHistory:
    """Mean elements of one object's element sets, as arrays sorted by epoch (SI units)."""

    norad_id: int
    name: str | None
    epoch_s: NDArray[np.float64]
    sma_m: NDArray[np.float64]
    ecc: NDArray[np.float64]
    incl_rad: NDArray[np.float64]
    raan_rad: NDArray[np.float64]
    argp_rad: NDArray[np.float64]
    mean_anomaly_rad: NDArray[np.float64]
    bstar: NDArray[np.float64]
    tles: tuple[TLE, ...]

    @property
    def mean_alt_m(self) -> NDArray[np.float64]:
        """Mean altitude, m: mean semi-major axis minus the WGS-84 equatorial radius."""
        from ..constants import R_EQUATOR_M

        return self.sma_m - R_EQUATOR_M

    def before(self, t_s: float) -> TLEHistory:
        """The sets with epoch at or before ``t_s`` (what a forecaster knew then)."""
        return self.select(self.epoch_s <= t_s)

    def select(self, mask: NDArray[np.bool_]) -> TLEHistory:
        """The sets where ``mask`` is true."""
        idx = np.flatnonzero(mask)
        return TLEHistory(
            self.norad_id,
            self.name,
            self.epoch_s[idx],
            self.sma_m[idx],
            self.ecc[idx],
            self.incl_rad[idx],
            self.raan_rad[idx],
            self.argp_rad[idx],
            self.mean_anomaly_rad[idx],
            self.bstar[idx],
            tuple(self.tles[i] for i in idx),
        )

    def __len__(self) -> int:
        return len(self.tles)


def history(tles: Iterable[TLE]) -> TLEHistory:
    """Arrays of mean elements from one object's sets (sorted by epoch, duplicates dropped).

    Semi-major axes are SGP4's (un-Kozai'd mean motion, WGS-72 mu and radius).
    """
    ts = sorted(tles, key=lambda t: t.epoch_s)
    if not ts:
        raise HistoryError("no element sets to make a history of")
    ids = {t.norad_id for t in ts}
    if len(ids) != 1:
        raise HistoryError(
            f"a history is one object's sets, got NORAD ids {sorted(ids)}: select one first"
        )
    keep: list[TLE] = []
    for t in ts:
        if keep and abs(t.epoch_s - keep[-1].epoch_s) < 1.0:
            keep[-1] = t  # re-issued set with the same epoch: the later line wins
        else:
            keep.append(t)
    sats = [t.satrec() for t in keep]
    return TLEHistory(
        norad_id=keep[0].norad_id,
        name=next((t.name for t in reversed(keep) if t.name), None),
        epoch_s=np.array([t.epoch_s for t in keep]),
        sma_m=np.array([s.a * s.radiusearthkm * 1000.0 for s in sats]),
        ecc=np.array([s.ecco for s in sats]),
        incl_rad=np.array([s.inclo for s in sats]),
        raan_rad=np.array([s.nodeo for s in sats]),
        argp_rad=np.array([s.argpo for s in sats]),
        mean_anomaly_rad=np.array([s.mo for s in sats]),
        bstar=np.array([s.bstar for s in sats]),
        tles=tuple(keep),
    )


def format_tle(t: TLE) -> str:
    """The set as text (3 lines when it has a name), newline-terminated."""
    head = f"{t.name}\n" if t.name else ""
    return f"{head}{t.line1}\n{t.line2}\n"
