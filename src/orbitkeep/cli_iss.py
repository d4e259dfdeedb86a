"""``orbitkeep iss``: the ISS question of the day, and its scenarios."""

from __future__ import annotations

import json

import click

from .cli_common import _positive, _progress, common_environment


@click.command()
@click.option(
    "--years",
    type=float,
    default=None,
    callback=_positive,
    help="Horizon, years (default: until reentry, at most 25).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@common_environment
def iss(
    years: float | None,
    as_json: bool,
    space_weather: str | None,
    atmosphere: str,
    ap_mode: str,
    sw_policy: str,
) -> None:
    """The ISS from the latest bundled TLE: when it comes down if nobody reboosts it."""
    from .decay import DecaySpec, Environment, run_decay
    from .report.tables import print_iss

    env = Environment.build(
        model=atmosphere, space_weather_path=space_weather, policy=sw_policy, ap_mode=ap_mode
    )
    spec = DecaySpec(days=(years if years is not None else 25.0) * 365.25, method="averaged")
    with _progress(not as_json) as bar:
        result = run_decay(spec, env, on_progress=bar)
    if as_json:
        click.echo(json.dumps({"scenario": "no-reboost", **result.to_json()}, indent=2))
    else:
        print_iss(result)
