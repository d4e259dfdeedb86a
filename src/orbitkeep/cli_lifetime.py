"""``orbitkeep lifetime``: the lifetime window of a design orbit (no element sets)."""

from __future__ import annotations

import math

import click

from .cli_common import (
    _emit,
    _positive,
    _progress,
    _utc,
    _write_outputs,
    window_options,
)
from .errors import ParameterError


def _finite(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise ParameterError(f"must be a finite number, got {value}", flag=param.opts[0])
    return value


@click.command()
@click.option("--alt-km", type=float, callback=_finite, help="Circular orbit: mean altitude, km.")
@click.option("--perigee-km", type=float, callback=_finite, help="Mean perigee altitude, km.")
@click.option("--apogee-km", type=float, callback=_finite, help="Mean apogee altitude, km.")
@click.option("--incl-deg", type=float, required=True, callback=_finite, help="Inclination, deg.")
@click.option(
    "--ballistic-coefficient",
    "bc",
    type=float,
    callback=_positive,
    help="B = Cd A / m, m^2/kg (or --mass, --area and --cd).",
)
@click.option("--mass", type=float, callback=_positive, help="Mass, kg (with --area and --cd).")
@click.option("--area", type=float, callback=_positive, help="Mean drag area, m^2.")
@click.option("--cd", type=float, callback=_positive, help="Drag coefficient.")
@click.option(
    "--b-sigma-pct",
    type=float,
    default=0.0,
    show_default=True,
    help="Uncertainty of B, % (the log sigma: 10 spreads ln B by 0.10).",
)
@click.option(
    "--epoch",
    callback=_utc("--epoch"),
    help="Prediction epoch, UTC (default: the space-weather file's present).",
)
@click.option("--name", default=None, help="A label for the object in the output.")
@window_options
def lifetime(
    alt_km: float | None,
    perigee_km: float | None,
    apogee_km: float | None,
    incl_deg: float,
    bc: float | None,
    mass: float | None,
    area: float | None,
    cd: float | None,
    b_sigma_pct: float,
    epoch: float | None,
    name: str | None,
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
    """Lifetime of a design orbit, with a p05-p95 window and the 5- and 25-year rules.

    For a satellite without element sets yet (a disposal plan, a mission design): the
    orbit (--alt-km, or --perigee-km and --apogee-km; --incl-deg) and its drag
    (--ballistic-coefficient, or --mass, --area and --cd) are given, and the reentry
    Monte Carlo spreads them over the density model's error and the solar forecast (and
    B's, with --b-sigma-pct)."""
    from .environment.spaceweather import load_space_weather
    from .lifetime import design_drag, design_orbit, predict_design_lifetime
    from .report.console import print_reentry

    sw = load_space_weather(space_weather)
    el = design_orbit(
        sw.observed_until_s if epoch is None else epoch,
        alt_km=alt_km,
        perigee_km=perigee_km,
        apogee_km=apogee_km,
        incl_deg=incl_deg,
    )
    b, source = design_drag(bc, mass, area, cd)
    with _progress(not as_json) as bar:
        result = predict_design_lifetime(
            el,
            b,
            sw,
            b_log_sigma=b_sigma_pct / 100.0,
            b_source=source,
            name=name,
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
