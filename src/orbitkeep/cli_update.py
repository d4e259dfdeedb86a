"""``orbitkeep update``: download current space weather and element sets from CelesTrak.

The network code is :mod:`orbitkeep.io.update`; this module adds what the ``io`` layer
may not know: the space-weather reader used to validate a download, and which data the
other commands will use when the network is down.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from .errors import OrbitkeepError, SpaceWeatherError
from .io import update as upd

DEFAULT_NORAD = 25544  # the ISS


def validate_space_weather(path: Path) -> str:
    """Read ``path`` with the real reader; refuse data older than what is already here.

    Returns a short description of the coverage.
    """
    from .environment.spaceweather import load_space_weather

    new = load_space_weather(path)
    current = upd.updated_space_weather_path()
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
    origin: str  # "downloaded", "bundled" or "none"
    detail: str


def usable_space_weather() -> Usable:
    """The space weather the commands will use: the downloaded file, else the bundled one."""
    from .environment.spaceweather import bundled_space_weather_files, load_space_weather

    p = upd.updated_space_weather_path()
    if p is not None:
        try:
            return Usable(p, "downloaded", _describe_sw(load_space_weather(p)))
        except OrbitkeepError:
            pass
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
        (upd.updated_tle_path(norad_id), "downloaded"),
        (upd.BUNDLED_TLES.get(norad_id), "bundled"),
    ):
        if path is None:
            continue
        try:
            tles = read_tles(path, norad_id=norad_id)
        except OrbitkeepError:
            continue
        from .timescale import iso_utc

        return Usable(path, origin, f"latest epoch {iso_utc(tles[-1].epoch_s)}")
    return Usable(None, "none", f"no element sets of NORAD {norad_id}")


def run_update(
    space_weather: bool = True, tle: tuple[int, ...] = (DEFAULT_NORAD,)
) -> list[upd.Outcome]:
    """Update the space weather (when asked) and the element sets of ``tle``; see
    :mod:`orbitkeep.io.update`. Never raises for network or data problems."""
    out = []
    if space_weather:
        out.append(upd.update_space_weather(validate_space_weather))
    for n in dict.fromkeys(tle):  # unique, in order
        out.append(upd.update_tle(n))
    return out


def _usable_for(o: upd.Outcome) -> Usable:
    if o.what == "space weather":
        return usable_space_weather()
    return usable_tle(int(o.what.split()[-1]))


@click.command()
@click.option(
    "--tle",
    "norad_ids",
    type=click.IntRange(min=1, max=999_999_999),
    multiple=True,
    metavar="NORAD_ID",
    help="Download the current element set of this object (repeatable).",
)
@click.option("--space-weather", is_flag=True, help="Download CelesTrak's SW-All.csv.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
def update(norad_ids: tuple[int, ...], space_weather: bool, as_json: bool) -> None:
    """Download current space weather and element sets from CelesTrak.

    Without options: the space weather and the ISS (NORAD 25544). Files go to the user
    data directory (ORBITKEEP_DATA_DIR overrides it) and are used in preference to the
    bundled data. Offline, the data already there stays in use.
    """
    if not norad_ids and not space_weather:
        space_weather, norad_ids = True, (DEFAULT_NORAD,)
    outcomes = run_update(space_weather, norad_ids)
    offline = [o for o in outcomes if o.status == upd.OFFLINE]
    failed = [o for o in outcomes if o.status == upd.FAILED]
    usable = {o.what: _usable_for(o) for o in offline + failed}
    missing = [w for w, u in usable.items() if u.path is None]
    if as_json:
        doc = {
            "data_dir": str(upd.data_dir()),
            "results": [
                {
                    **o.to_json(),
                    **(
                        {"using": str(usable[o.what].path), "using_origin": usable[o.what].origin}
                        if o.what in usable
                        else {}
                    ),
                }
                for o in outcomes
            ],
        }
        click.echo(json.dumps(doc, indent=2))
    else:
        for o in outcomes:
            if o.status == upd.UPDATED:
                click.echo(f"{o.what}: updated {o.path} ({o.detail})")
            elif o.status == upd.UNCHANGED:
                click.echo(f"{o.what}: already up to date, {o.path} ({o.detail})")
    problems = []
    if offline:
        have = [o.what for o in offline if usable[o.what].path is not None]
        keep = "; ".join(f"{w} from {_usable_text(usable[w])}" for w in have)
        lack = ", ".join(o.what for o in offline if usable[o.what].path is None)
        line = f"offline ({_why(offline[0])})"
        line += f"; still using: {keep}" if keep else ""
        line += f"; no {lack} data here at all (retry when online)" if lack else ""
        problems.append(line)
    problems += [f"{o.what}: {o.detail}; keeping {_usable_text(usable[o.what])}" for o in failed]
    if missing or failed:
        raise upd.UpdateError(" | ".join(problems))
    if problems:
        click.echo(f"orbitkeep: {problems[0]}", err=True)


def _why(o: upd.Outcome) -> str:
    """'cannot reach HOST: reason' from an offline outcome."""
    from urllib.parse import urlsplit

    reason = o.detail.split(f"{o.url}: ", 1)[-1]
    return f"cannot reach {urlsplit(o.url).netloc}: {reason}"


def _usable_text(u: Usable) -> str:
    if u.path is None:
        return "nowhere: no usable data here (retry when online)"
    return f"the {u.origin} file {u.path} ({u.detail})"


__all__ = ["run_update", "update", "usable_space_weather", "usable_tle", "validate_space_weather"]
