"""``orbitkeep reentry`` and ``orbitkeep batch``: Monte Carlo windows and catalogues."""

from __future__ import annotations

import json

import click

from .cli_common import (
    _emit,
    _positive,
    _progress,
    _utc,
    _write_outputs,
    density_option,
    executor_options,
    interface_alt_option,
    plot_report_options,
    space_weather_option,
    window_options,
)
from .errors import ParameterError


@click.command()
@click.argument("tle_file", type=click.Path())
@click.option("--norad", type=int, default=None, help="Object to use when the file holds several.")
@click.option(
    "--before",
    callback=_utc("--before"),
    help="Predict as of this UTC date: only TLEs and space weather before it.",
)
@window_options
def reentry(
    tle_file: str,
    norad: int | None,
    before: float | None,
    samples: int,
    seed: int,
    interface_alt_km: float,
    horizon_years: float,
    space_weather: str | None,
    atmosphere: str,
    density: str,
    scheduler: str | None,
    workers: int | None,
    as_json: bool,
    plot: str | None,
    out: str | None,
    report: str | None,
) -> None:
    """When a decaying object reenters, with a p05-p95 window (Monte Carlo).

    TLE_FILE: two-line element sets, or CCSDS OMM (XML, JSON, CSV or KVN; told apart by the
    content)."""
    from .decay import load_history, naming_file
    from .environment.spaceweather import load_space_weather
    from .reentry import predict_reentry
    from .report.console import print_reentry

    h = load_history(tle_file, norad)
    sw = load_space_weather(space_weather)
    with _progress(not as_json) as bar, naming_file(h):
        result = predict_reentry(
            h,
            sw,
            before_s=before,
            samples=samples,
            seed=seed,
            interface_alt_m=interface_alt_km * 1e3,
            horizon_years=horizon_years,
            model=atmosphere,
            scheduler=scheduler,
            workers=workers,
            on_progress=bar,
            density=density,
        )
    _write_outputs(result, plot, out, report)
    _emit(result, as_json, print_reentry)


@click.command()
@click.argument("catalog_file", type=click.Path())
@click.option("--until", callback=_utc("--until"), help="Horizon as a UTC date.")
@click.option(
    "--years",
    type=float,
    default=None,
    callback=_positive,
    help="Horizon in years from each object's last TLE (default 25).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the table to FILE.csv, FILE.json or FILE.parquet.",
)
@space_weather_option
@click.option(
    "--atmosphere",
    type=click.Choice(["msis2.1", "msis00", "exponential"]),
    default="msis2.1",
    show_default=True,
    help="Density model.",
)
@click.option(
    "--sw-policy",
    type=click.Choice(["error", "hold", "cycle"]),
    default="cycle",
    show_default=True,
    help="Past the end of the space-weather data.",
)
@density_option("objects", "1,000")
@interface_alt_option
@executor_options
@click.option("--resume", is_flag=True, help="Keep the rows already in --out and run the rest.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@plot_report_options
def batch(
    catalog_file: str,
    until: float | None,
    years: float | None,
    out: str | None,
    space_weather: str | None,
    atmosphere: str,
    sw_policy: str,
    density: str,
    interface_alt_km: float,
    scheduler: str | None,
    workers: int | None,
    resume: bool,
    as_json: bool,
    plot: str | None,
    report: str | None,
) -> None:
    """Lifetime of every object in a TLE file (reentry date or beyond the horizon).

    CATALOG_FILE: two-line element sets, or CCSDS OMM (XML, JSON or KVN; told apart by
    the content)."""
    from .catalog import run_catalog
    from .decay import Environment
    from .report.console import print_batch

    if until is not None and years is not None:
        raise ParameterError("give --until or --years, not both", flag="--until")
    if resume and out is None:
        raise ParameterError("--resume needs --out", flag="--resume")
    env = Environment.build(model=atmosphere, space_weather_path=space_weather, policy=sw_policy)
    horizon_years = years if years is not None else 25.0
    with _progress(not as_json) as bar:
        result = run_catalog(
            catalog_file,
            env,
            until_s=until,
            horizon_years=horizon_years,
            out=out,
            resume=resume,
            scheduler=scheduler,
            workers=workers,
            on_progress=bar,
            density=density,
            interface_alt_m=interface_alt_km * 1e3,
        )
    _write_outputs(result, plot, None, report)
    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2, allow_nan=False))
    else:
        print_batch(result)
