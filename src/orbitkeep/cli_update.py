"""``orbitkeep update``: download current space weather and element sets from CelesTrak.

The network code is :mod:`orbitkeep.io.update`; :func:`orbitkeep.api.update` adds what
the ``io`` layer may not know (the space-weather reader that validates a download, and
which data the other commands use when the network is down); this module prints it.
"""

from __future__ import annotations

import json

import click

from .io import update as upd
from .updates import DEFAULT_NORAD, Usable, run_update, usable_for


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
    usable = {o.what: usable_for(o) for o in offline + failed}
    missing = [w for w, u in usable.items() if not u.ok]
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
        have = [o.what for o in offline if usable[o.what].ok]
        keep = "; ".join(f"{w} from {_usable_text(usable[w])}" for w in have)
        lack = ", ".join(o.what for o in offline if usable[o.what].path is None)
        broken = [o.what for o in offline if usable[o.what].origin == "unreadable"]
        line = f"offline ({_why(offline[0])})"
        line += f"; still using: {keep}" if keep else ""
        line += "".join(f"; {w}: {_usable_text(usable[w])}" for w in broken)
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
    if u.origin == "unreadable":
        return (
            f"the downloaded file {u.path}, which does not read and which the commands would "
            f"fail on ({u.detail}): delete it to use the bundled data, or retry when online"
        )
    return f"the {u.origin} file {u.path} ({u.detail})"


__all__ = ["update"]
