"""The ``orbitkeep`` command line: a thin layer over the Python API.

Bad input prints one line on stderr naming the file and line or the flag, and exits
with status 2; an internal error prints a short message and exits with 1 (the traceback
only with ``--debug``).
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__
from .cli_common import (
    _emit,
    _fit_hint,
    _positive,
    _progress,
    _utc,
    _write_outputs,
    common_environment,
    interface_alt_option,
    output_options,
    space_weather_option,
)
from .errors import OrbitkeepError, ParameterError

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 1


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="orbitkeep")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """orbitkeep: orbital decay, reentry windows and what keeping the ISS up costs."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@cli.command()
@click.argument("tle_file", type=click.Path())
@click.option("--norad", type=int, default=None, help="Object to use when the file holds several.")
@click.option(
    "--epoch", callback=_utc("--epoch"), help="Start from the last TLE at or before this UTC date."
)
@click.option(
    "--days", type=float, callback=_positive, help="Span to propagate, days (default 365)."
)
@click.option("--until", callback=_utc("--until"), help="Propagate until this UTC date.")
@click.option("--mass", type=float, callback=_positive, help="Mass, kg (with --area and --cd).")
@click.option("--area", type=float, callback=_positive, help="Drag area, m^2.")
@click.option("--cd", type=float, callback=_positive, help="Drag coefficient.")
@click.option(
    "--ballistic-coefficient",
    "bc",
    type=float,
    callback=_positive,
    help="B = Cd A / m, m^2/kg (default: fitted to the history before the start).",
)
@click.option(
    "--method",
    type=click.Choice(["averaged", "numerical"]),
    default=None,
    help="Propagator (default: averaged for spans over 10 days).",
)
@interface_alt_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@output_options
@common_environment
def decay(
    tle_file: str,
    norad: int | None,
    epoch: float | None,
    days: float | None,
    until: float | None,
    mass: float | None,
    area: float | None,
    cd: float | None,
    bc: float | None,
    method: str | None,
    interface_alt_km: float,
    as_json: bool,
    plot: str | None,
    out: str | None,
    report: str | None,
    space_weather: str | None,
    atmosphere: str,
    ap_mode: str,
    sw_policy: str,
) -> None:
    """Free decay of one object from its TLE history, no reboosts.

    TLE_FILE: two-line element sets, or CCSDS OMM (XML, JSON, CSV or KVN; told apart by the
    content)."""
    from .decay import DecaySpec, Environment, run_decay
    from .report.tables import print_decay
    from .state import DragProperties

    given = [x is not None for x in (mass, area, cd)]
    if any(given) and not all(given):
        raise ParameterError("give --mass, --area and --cd together", flag="--mass")
    if bc is not None and any(given):
        raise ParameterError(
            "give --ballistic-coefficient or --mass/--area/--cd, not both",
            flag="--ballistic-coefficient",
        )
    drag = None
    if all(given):
        drag = DragProperties.from_mass_area_cd(mass, area, cd)  # type: ignore[arg-type]
    elif bc is not None:
        drag = DragProperties(bc)
    spec = DecaySpec(
        tle_path=tle_file,
        norad_id=norad,
        epoch_s=epoch,
        days=days,
        until_s=until,
        drag=drag,
        method=method,
        interface_alt_m=interface_alt_km * 1e3,
    )
    env = Environment.build(
        model=atmosphere, space_weather_path=space_weather, policy=sw_policy, ap_mode=ap_mode
    )
    with _progress(not as_json) as bar, _fit_hint():
        result = run_decay(spec, env, on_progress=bar)
    _write_outputs(result, plot, out, report)
    _emit(result, as_json, print_decay)


@cli.command()
@space_weather_option
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
def spaceweather(space_weather: str | None, as_json: bool) -> None:
    """Coverage of the space-weather data in use: observed until, predictions until."""
    from .environment.spaceweather import load_space_weather

    cov = load_space_weather(space_weather).coverage()
    if as_json:
        click.echo(json.dumps(cov, indent=2))
        return
    for k, v in cov.items():
        click.echo(f"{k:>22}: {v}")


def _register_commands() -> None:
    from .cli_iss import iss
    from .cli_lifetime import lifetime
    from .cli_reentry import batch, reentry
    from .cli_update import update

    cli.add_command(iss)
    cli.add_command(update)
    cli.add_command(reentry)
    cli.add_command(batch)
    cli.add_command(lifetime)


_register_commands()


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the CLI and map errors to exit statuses (2 bad input, 1 internal)."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        cli.main(args=args, prog_name="orbitkeep", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code or 0)
    except click.exceptions.Abort:
        click.echo("orbitkeep: interrupted", err=True)
        return 130
    except click.UsageError as exc:
        msg = exc.format_message().replace("\n", " ")
        click.echo(f"orbitkeep: error: {msg}", err=True)
        return EXIT_BAD_INPUT
    except OrbitkeepError as exc:
        click.echo(f"orbitkeep: error: {exc.one_line()}", err=True)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        click.echo("orbitkeep: interrupted", err=True)
        return 130
    except Exception as exc:
        if debug:
            raise
        click.echo(
            f"orbitkeep: internal error: {type(exc).__name__}: {exc} (rerun with --debug)",
            err=True,
        )
        return EXIT_INTERNAL
    return 0


if __name__ == "__main__":
    sys.exit(main())
