"""What ``orbitkeep update`` brings and what the commands can use offline.

``io.update`` is the network code; it sits below ``environment`` and cannot read space
weather, so the validator it is handed (:func:`validate_space_weather`) and the "what is
usable offline" answers live here, above both. :func:`orbitkeep.api.update` and
``orbitkeep update`` (:mod:`orbitkeep.cli_update`) use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OrbitkeepError, SpaceWeatherError
from .io import update as _upd

DEFAULT_NORAD = 25544  # the ISS


def validate_space_weather(path: Path) -> str:
    """Read ``path`` with the real reader; refuse data older than what is already here.

    Returns a short description of the coverage.
    """
    from .environment.spaceweather import load_space_weather

    new = load_space_weather(path)
    current = _upd.updated_space_weather_path()
    if current is not None and current.resolve() != path.resolve():
        try:
            old = load_space_weather(current)
        except OrbitkeepError:
            old = None  # the old copy is unreadable: anything valid is better
        if old is not None and new.observed_until_s < old.observed_until_s:
            raise SpaceWeatherError(
                f"observations end {new.coverage()['observed_until'][:10]}, before those "
                f"already downloaded ({old.coverage()['observed_until'][:10]})"
            )
    return _describe_sw(new)


def _describe_sw(sw: Any) -> str:
    cov = sw.coverage()
    return (
        f"observed until {cov['observed_until'][:10]}, predictions until {cov['data_until'][:10]}"
    )


@dataclass(frozen=True)
class Usable:
    """The data a command will use for one item after the update: where and what."""

    path: Path | None
    #: "downloaded", "bundled", "none", or "unreadable": a downloaded file that does not
    #: read (``detail`` says why), which the commands would pick and fail on
    origin: str
    detail: str

    @property
    def ok(self) -> bool:
        """Whether the commands have data they can read."""
        return self.path is not None and self.origin != "unreadable"


def usable_space_weather() -> Usable:
    """The space weather the commands will use: the downloaded file, else the bundled one."""
    from .environment.spaceweather import bundled_space_weather_files, load_space_weather

    p = _upd.updated_space_weather_path()
    if p is not None:
        # the loaders take the downloaded file beside the bundled ones: unreadable, it
        # fails them, so it is no fallback to the bundled data
        try:
            return Usable(p, "downloaded", _describe_sw(load_space_weather(p)))
        except OrbitkeepError as exc:
            return Usable(p, "unreadable", str(exc))
    try:
        sw = load_space_weather(None)
    except OrbitkeepError:
        return Usable(None, "none", "no space-weather data")
    files = bundled_space_weather_files()
    path = Path(sw.source) if files else None
    return Usable(path, "bundled", _describe_sw(sw))


def usable_tle(norad_id: int) -> Usable:
    """The element sets the commands will use for ``norad_id``: downloaded, else bundled."""
    from .io.tle import read_tles

    for path, origin in (
        (_upd.updated_tle_path(norad_id), "downloaded"),
        (_upd.BUNDLED_TLES.get(norad_id), "bundled"),
    ):
        if path is None:
            continue
        try:
            tles = read_tles(path, norad_id=norad_id)
        except OrbitkeepError as exc:
            if origin == "downloaded":  # the commands take it over the bundled file
                return Usable(path, "unreadable", str(exc))
            continue
        from .timescale import iso_utc

        return Usable(path, origin, f"latest epoch {iso_utc(tles[-1].epoch_s)}")
    return Usable(None, "none", f"no element sets of NORAD {norad_id}")


def run_update(
    space_weather: bool = True, tle: tuple[int, ...] = (DEFAULT_NORAD,)
) -> list[_upd.Outcome]:
    """Update the space weather (when asked) and the element sets of ``tle``; see
    :mod:`orbitkeep.io.update`. Never raises for network or data problems."""
    out = []
    if space_weather:
        out.append(_upd.update_space_weather(validate_space_weather))
    for n in dict.fromkeys(tle):  # unique, in order
        out.append(_upd.update_tle(n))
    return out


def usable_for(o: _upd.Outcome) -> Usable:
    """The data in use for the item of an outcome."""
    if o.what == "space weather":
        return usable_space_weather()
    return usable_tle(int(o.what.split()[-1]))
