"""Parsers for CelesTrak space-weather files (``SW-All.txt`` and ``SW-All.csv``).

Private helper of :mod:`orbitkeep.environment.spaceweather`. Both parsers produce the
same row table (:class:`SwRows`), which :func:`daily_series` turns into one value per UTC
day. Units: F10.7 in solar flux units (sfu, 1e-22 W m^-2 Hz^-1), Ap/ap in units of 2 nT
(the usual index units), dates as whole days since 1970-01-01 (UTC).

Formats (https://celestrak.org/SpaceData/SpaceWx-format.php):

* ``SW-All.txt``: fixed columns, ``FORMAT(I4,I3,I3,I5,I3,8I3,I4,8I4,I4,F4.1,I2,I4,F6.1,
  I2,5F6.1)``, rows inside ``BEGIN OBSERVED`` / ``BEGIN DAILY_PREDICTED`` /
  ``BEGIN MONTHLY_PREDICTED`` ... ``END ...`` blocks. Column order after ISN:
  F10.7(adj) Q Ctr81(adj) Lst81(adj) F10.7(obs) Ctr81(obs) Lst81(obs).
* ``SW-All.csv``: a ``DATE,BSRN,...`` header, ``F10.7_DATA_TYPE`` is OBS or INT
  (observed), PRD (daily predicted) or PRM (monthly predicted, Ap fields empty).

The format is detected from the content, never from the file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from ..errors import InputFileError, SpaceWeatherError
from .flare_bursts import replace_bursts

#: Days over which the climatological Ap is averaged: 11 years, one solar cycle.
CYCLE_DAYS = 4018

_SECTIONS = {"OBSERVED": 0, "DAILY_PREDICTED": 1, "MONTHLY_PREDICTED": 2}
_CSV_TYPES = {"OBS": 0, "INT": 0, "PRD": 1, "PRM": 2}

# The txt fields used: (name, first column, last column + 1, required in monthly rows).
# All are required in daily rows; the other columns are only checked for stray characters.
_TXT_FIELDS: list[tuple[str, int, int, bool]] = [
    ("year", 0, 4, True),
    ("month", 4, 7, True),
    ("day", 7, 10, True),
    *[(f"Ap{i + 1}", 46 + 4 * i, 50 + 4 * i, False) for i in range(8)],
    ("Ap avg", 78, 82, False),
    ("F10.7 obs", 112, 118, True),
    ("Ctr81 obs", 118, 124, True),
]
_TXT_CHARS = np.zeros(256, dtype=bool)
_TXT_CHARS[list(b" 0123456789.+-")] = True
_TXT_WIDTH = 130
_CSV_AP = [f"AP{i + 1}" for i in range(8)] + ["AP_AVG"]
_CSV_REQUIRED = ["DATE", "F10.7_DATA_TYPE", "F10.7_OBS", "F10.7_OBS_CENTER81", *_CSV_AP]


@dataclass(frozen=True)
class SwRows:
    """One entry per file row. NaN marks a blank field."""

    fmt: str  # "txt" or "csv"
    updated: str | None  # the txt UPDATED stamp as ISO 8601, when present
    day: NDArray[np.int64]  # days since 1970-01-01
    section: NDArray[np.int8]  # 0 observed, 1 daily predicted, 2 monthly predicted
    f107: NDArray[np.float64]  # observed F10.7, sfu
    f107a: NDArray[np.float64]  # observed F10.7, 81-day centred mean, sfu
    ap_daily: NDArray[np.float64]  # daily Ap
    ap3h: NDArray[np.float64]  # (n, 8) 3-hourly ap, 00-03 ... 21-24 UT
    line: NDArray[np.int64]  # 1-based line number in the file


@dataclass(frozen=True)
class DailySeries:
    """One entry per UTC day, gap-free from the first row to the end of the data."""

    day0: int  # first day, days since 1970-01-01
    f107: NDArray[np.float64]  # observed F10.7 of the day, sfu
    f107a: NDArray[np.float64]  # 81-day centred mean of observed F10.7, sfu
    ap_daily: NDArray[np.float64]  # daily Ap
    ap3h: NDArray[np.float64]  # (n, 8) 3-hourly ap
    section: NDArray[np.int8]  # 0 observed, 1 daily predicted, 2 monthly predicted
    ap_clim: float  # mean daily Ap of the last CYCLE_DAYS observed days
    #: day indices whose published F10.7 was a flare burst, replaced
    #: (:func:`~orbitkeep.environment.flare_bursts.flare_bursts`)
    f107_bursts: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    f107_published: NDArray[np.float64] | None = None  # F10.7 as the file gives it
    bursts_replaced: bool = True  # False: F10.7 as published, kept so when cut


def read_text(path: Path) -> list[str]:
    """Read a text file into lines (CRLF, CR or LF), or raise :class:`InputFileError`."""
    try:
        if path.is_dir():
            raise InputFileError("is a directory, not a space-weather file", path=path)
        raw = path.read_bytes()
    except InputFileError:
        raise
    except FileNotFoundError:
        raise InputFileError("no such space-weather file", path=path) from None
    except OSError as exc:
        raise InputFileError(f"cannot read space-weather file: {exc.strerror}", path=path) from None
    if not raw.strip():
        raise InputFileError("empty space-weather file", path=path)
    if b"\x00" in raw:
        raise InputFileError("binary file, not a space-weather text file", path=path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputFileError("not a text file (invalid UTF-8)", path=path, line=line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def parse_rows(path: Path, lines: list[str]) -> SwRows:
    """Detect the format from the content and parse it."""
    first = next((ln.strip() for ln in lines if ln.strip()), "")
    if first.upper().startswith("DATE,"):
        return _parse_csv(path, lines)
    if first.startswith("DATATYPE") or any(ln.startswith("BEGIN ") for ln in lines):
        return _parse_txt(path, lines)
    raise SpaceWeatherError(
        "not a CelesTrak space-weather file (expected SW-All.txt with BEGIN OBSERVED "
        "blocks or SW-All.csv with a DATE,BSRN,... header)",
        path=path,
    )


def _to_float(path: Path, name: str, col: NDArray, lines: NDArray[np.int64]) -> NDArray:
    """Strings to float64 (blank -> NaN); a bad field raises naming its line."""
    col = np.char.strip(col)
    blank = col == (b"" if col.dtype.kind == "S" else "")
    col = np.where(blank, "nan", col.astype("U")) if blank.any() else col
    try:
        out = col.astype(np.float64)
        bad = ~np.isfinite(out) & ~blank
    except ValueError:
        bad = np.zeros(len(col), dtype=bool)
        bad[_first_unparsable(col.astype("U").tolist())] = True
    if bad.any():
        i = int(np.argmax(bad))
        raise SpaceWeatherError(
            f"field {name} is not a finite number", path=path, line=int(lines[i])
        )
    return out


def _first_unparsable(values: list[str]) -> int:
    for i, s in enumerate(values):
        try:
            float(s)
        except ValueError:
            return i
    return 0


def _require(path: Path, name: str, values: NDArray, need: NDArray, lines: NDArray) -> None:
    missing = need & np.isnan(values)
    if missing.any():
        i = int(np.argmax(missing))
        raise SpaceWeatherError(f"field {name} is blank", path=path, line=int(lines[i]))


def _days_from_ymd(path: Path, y: NDArray, m: NDArray, d: NDArray, lines: NDArray) -> NDArray:
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (d <= 31) & (y >= 1900) & (y <= 2200)  # years
    ok &= (y == np.round(y)) & (m == np.round(m)) & (d == np.round(d))
    month = np.where(ok, (y - 1970) * 12 + m - 1, 0).astype(np.int64)
    start = month.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    nxt = (month + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    day = start + np.where(ok, d, 1).astype(np.int64) - 1
    ok &= day < nxt
    if not ok.all():
        i = int(np.argmax(~ok))
        raise SpaceWeatherError("invalid date", path=path, line=int(lines[i]))
    return day


def _parse_txt(path: Path, lines: list[str]) -> SwRows:
    updated: str | None = None
    rows: list[str] = []
    row_line: list[int] = []
    row_sec: list[int] = []
    state: str | None = None
    for no, raw in enumerate(lines, start=1):
        s = raw.strip()
        if state is None:
            if s.startswith("BEGIN"):
                state = s[5:].strip()
                if state not in _SECTIONS:
                    raise SpaceWeatherError(f"unknown section {s!r}", path=path, line=no)
            elif s.startswith("UPDATED") and updated is None:
                updated = _iso_stamp(s[7:].strip())
        elif not s:
            continue
        elif s.startswith("END"):
            if s[3:].strip() != state:
                raise SpaceWeatherError(f"{s!r} closes BEGIN {state}", path=path, line=no)
            state = None
        elif s.startswith("BEGIN"):
            raise SpaceWeatherError(f"{s!r} inside BEGIN {state}", path=path, line=no)
        else:
            r = raw.rstrip()
            if len(r) > _TXT_WIDTH or not r.isascii():
                why = "not ASCII" if not r.isascii() else f"longer than {_TXT_WIDTH} columns"
                raise SpaceWeatherError(f"data row {why}", path=path, line=no)
            rows.append(r.ljust(_TXT_WIDTH))
            row_line.append(no)
            row_sec.append(_SECTIONS[state])
    if not rows:
        raise SpaceWeatherError("no data rows in the space-weather file", path=path)
    ln = np.array(row_line, dtype=np.int64)
    sec = np.array(row_sec, dtype=np.int8)
    grid = np.frombuffer("".join(rows).encode("ascii"), dtype="S1").reshape(len(rows), _TXT_WIDTH)
    vals: dict[str, NDArray] = {}
    stray = ~_TXT_CHARS[grid.view(np.uint8)].all(axis=1)
    if stray.any():
        i = int(np.argmax(stray))
        raise SpaceWeatherError("unexpected character in data row", path=path, line=int(ln[i]))
    for name, a, b, need_monthly in _TXT_FIELDS:
        col = np.ascontiguousarray(grid[:, a:b]).view(f"S{b - a}").ravel()
        v = _to_float(path, name, col, ln)
        _require(path, name, v, (sec < 2) | need_monthly, ln)
        vals[name] = v
    day = _days_from_ymd(path, vals["year"], vals["month"], vals["day"], ln)
    ap3h = np.stack([vals[f"Ap{i + 1}"] for i in range(8)], axis=1)
    return SwRows(
        "txt", updated, day, sec, vals["F10.7 obs"], vals["Ctr81 obs"], vals["Ap avg"], ap3h, ln
    )


def _iso_stamp(s: str) -> str:
    try:
        return datetime.strptime(s, "%Y %b %d %H:%M:%S UTC").isoformat() + "Z"
    except ValueError:
        return s


def _parse_csv(path: Path, lines: list[str]) -> SwRows:
    hno = next(i for i, ln in enumerate(lines) if ln.strip())
    header = [h.strip().upper() for h in lines[hno].split(",")]
    missing = [h for h in _CSV_REQUIRED if h not in header]
    if missing or len(set(header)) != len(header):
        why = f"missing column(s) {', '.join(missing)}" if missing else "repeated column names"
        raise SpaceWeatherError(f"CSV header: {why}", path=path, line=hno + 1)
    ncol = len(header)
    cells: list[list[str]] = []
    row_line: list[int] = []
    for no in range(hno + 2, len(lines) + 1):
        s = lines[no - 1]
        if not s.strip():
            continue
        parts = s.split(",")
        if len(parts) != ncol or not s.isascii():
            why = "not ASCII" if not s.isascii() else f"{len(parts)} fields, header has {ncol}"
            raise SpaceWeatherError(f"CSV row: {why}", path=path, line=no)
        cells.append(parts)
        row_line.append(no)
    if not cells:
        raise SpaceWeatherError("no data rows in the space-weather file", path=path)
    ln = np.array(row_line, dtype=np.int64)
    table = list(zip(*cells, strict=True))
    cols = {h: np.array(table[header.index(h)]) for h in _CSV_REQUIRED}
    types = np.char.strip(cols["F10.7_DATA_TYPE"])
    sec = np.full(len(ln), -1, dtype=np.int8)
    for k, v in _CSV_TYPES.items():
        sec[types == k] = v
    if (sec < 0).any():
        i = int(np.argmax(sec < 0))
        raise SpaceWeatherError(
            f"F10.7_DATA_TYPE {str(types[i])!r} is not OBS, INT, PRD or PRM",
            path=path,
            line=int(ln[i]),
        )
    dates = np.char.strip(cols["DATE"])
    try:
        d64 = dates.astype("datetime64[D]")
        ok = (d64.astype("U") == dates) & ~np.isnat(d64)
        ok &= (d64 >= np.datetime64("1900-01-01")) & (d64 < np.datetime64("2201-01-01"))
    except ValueError:
        d64 = np.zeros(len(dates), dtype="datetime64[D]")
        ok = np.array([_is_date(s) for s in dates.tolist()])
    if not ok.all():
        i = int(np.argmax(~ok))
        raise SpaceWeatherError(f"invalid DATE {str(dates[i])!r}", path=path, line=int(ln[i]))
    vals: dict[str, NDArray] = {}
    for h in _CSV_REQUIRED[2:]:
        vals[h] = _to_float(path, h, cols[h], ln)
        _require(path, h, vals[h], (sec < 2) | (h not in _CSV_AP), ln)
    return SwRows(
        "csv",
        None,
        d64.astype(np.int64),
        sec,
        vals["F10.7_OBS"],
        vals["F10.7_OBS_CENTER81"],
        vals["AP_AVG"],
        np.stack([vals[h] for h in _CSV_AP[:8]], axis=1),
        ln,
    )


def _is_date(s: str) -> bool:
    try:
        d = np.datetime64(s, "D")
        return str(d) == s and not np.isnat(d)
    except ValueError:
        return False


def ap_climatology(ap_daily: NDArray, section: NDArray) -> float:
    """Mean daily Ap of the last CYCLE_DAYS observed days (all observed days if fewer).

    Falls back to the daily-predicted days when there is no observed day; NaN when none.
    """
    for sel in (section == 0, section == 1):
        v = ap_daily[sel][-CYCLE_DAYS:]
        if v.size:
            return float(np.mean(v))
    return float("nan")


def daily_series(path: Path, r: SwRows) -> DailySeries:
    """Expand rows to one entry per day, checking order and continuity.

    Daily rows (observed, daily predicted) must follow each other day by day. A monthly
    row holds its value from its date until the next monthly row (the last one until the
    start of the following month); the first monthly row also covers the days between
    the last daily row and its own date (e.g. the last days of a month after the 45-day
    daily prediction). Missing 3-hourly ap take the daily Ap; monthly rows without Ap
    take the climatological Ap (:func:`ap_climatology`).
    """
    n = len(r.day)
    bad = np.zeros(n, dtype=bool)
    bad[1:] = np.diff(r.day) <= 0
    why = "date is not after the previous row's date"
    if not bad.any():
        bad[1:] = np.diff(r.section) < 0
        why = "section out of order (observed, daily predicted, monthly predicted)"
    daily = r.section < 2
    nd = int(daily.sum())  # sections are in order: the daily rows come first
    if not bad.any():
        bad[1:nd] = np.diff(r.day[:nd]) != 1
        why = "missing day(s) before this row"
    if not bad.any():
        bad = ~(r.f107 > 0) | ~(r.f107a > 0) | (r.ap_daily < 0) | (r.ap3h < 0).any(axis=1)
        why = "F10.7 not positive or ap negative"
    if bad.any():
        raise SpaceWeatherError(why, path=path, line=int(r.line[int(np.argmax(bad))]))
    ap_daily = r.ap_daily.copy()
    ap3h = r.ap3h.copy()
    full3h = ~np.isnan(ap3h).any(axis=1)
    fill = np.isnan(ap_daily) & full3h
    ap_daily[fill] = ap3h[fill].mean(axis=1)
    clim = ap_climatology(ap_daily[daily], r.section[daily])
    if np.isnan(clim):
        raise SpaceWeatherError(
            "no daily Ap in the file to derive the climatological Ap from", path=path
        )
    ap_daily[np.isnan(ap_daily)] = clim
    ap3h = np.where(np.isnan(ap3h), ap_daily[:, None], ap3h)
    start = r.day.copy()
    end = r.day + 1
    if nd < n:
        if nd > 0:
            start[nd] = r.day[nd - 1] + 1
        end[nd:-1] = r.day[nd + 1 :]
        last_month = r.day[-1].astype("datetime64[D]").astype("datetime64[M]") + 1
        end[-1] = last_month.astype("datetime64[D]").astype(np.int64)
    rep = np.repeat(np.arange(n), end - start)
    published = r.f107[rep]
    f107, bursts = replace_bursts(published, r.section[rep] == 0)
    return DailySeries(
        int(start[0]),
        _ro(f107),
        _ro(r.f107a[rep]),
        _ro(ap_daily[rep]),
        _ro(ap3h[rep]),
        _ro(r.section[rep]),
        clim,
        _ro(bursts),
        _ro(published) if bursts.size else None,
    )


def _ro(a: NDArray) -> NDArray:
    a = np.ascontiguousarray(a)
    a.flags.writeable = False
    return a
