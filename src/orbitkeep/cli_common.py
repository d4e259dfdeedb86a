"""Options and helpers shared by the ``orbitkeep`` commands."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from typing import Any

import click

from .errors import EstimationError, ParameterError


def _utc(flag: str) -> Callable[[click.Context, click.Parameter, str | None], float | None]:
    def convert(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
        from .timescale import parse_utc

        return None if value is None else parse_utc(value, flag=flag)

    return convert


def _positive(ctx: click.Context, param: click.Parameter, value: float | None) -> float | None:
    if value is not None and not (math.isfinite(value) and value > 0):
        raise ParameterError(f"must be a positive finite number, got {value}", flag=param.opts[0])
    return value


space_weather_option = click.option(
    "--space-weather",
    "space_weather",
    type=click.Path(dir_okay=False),
    default=None,
    help="CelesTrak SW-All.txt or SW-All.csv (default: the newest bundled file).",
)


def _interface_alt(ctx: click.Context, param: click.Parameter, value: float) -> float:
    from .decay import check_interface_alt_km

    return check_interface_alt_km(value, param.opts[0])


interface_alt_option = click.option(
    "--interface-alt-km",
    type=float,
    default=120.0,
    show_default=True,
    callback=_interface_alt,
    help="Reentry interface altitude, km (80 or more).",
)


def density_option(
    what: str, threshold: str, *, tail: bool = False
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--density auto|table|exact: NRLMSIS at every node or the shared daily tables for
    ``what`` (e.g. "objects"), ``auto`` choosing the table from ``threshold`` on (and,
    with ``tail``, the model itself again once fewer are left in orbit)."""
    left = ", the model itself once fewer are left in orbit" if tail else ""
    return click.option(
        "--density",
        type=click.Choice(["auto", "table", "exact"]),
        default="auto",
        show_default=True,
        help=f"NRLMSIS at every node (exact), or daily zonal-mean tables shared by all "
        f"{what} (table; auto: from {threshold} {what} on{left}).",
    )


def _positive_int(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    if value is not None and value < 1:
        raise ParameterError(f"must be a positive integer, got {value}", flag=param.opts[0])
    return value


def executor_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--scheduler (Dask) and --workers (local processes) for commands that fan out."""
    f = click.option(
        "--workers",
        type=int,
        default=None,
        callback=_positive_int,
        help="Local worker processes (default: the CPU count).",
    )(f)
    return click.option(
        "--scheduler",
        default=None,
        help="Dask scheduler address (or ORBITKEEP_SCHEDULER); default: local processes.",
    )(f)


def common_environment(f: Callable[..., Any]) -> Callable[..., Any]:
    """Options every propagating command takes: space weather, density model, policy."""
    opts = [
        space_weather_option,
        click.option(
            "--atmosphere",
            type=click.Choice(["msis2.1", "msis2.0", "msis00", "exponential"]),
            default="msis2.1",
            show_default=True,
            help="Density model: NRLMSIS 2.1/2.0, NRLMSISE-00 (pymsis) or Vallado's table.",
        ),
        click.option(
            "--ap-mode",
            type=click.Choice(["daily", "3hourly"]),
            default="daily",
            show_default=True,
            help="NRLMSIS geomagnetic input: daily Ap or the 3-hourly ap history.",
        ),
        click.option(
            "--sw-policy",
            type=click.Choice(["error", "hold", "cycle"]),
            default="error",
            show_default=True,
            help="Past the end of the space-weather data: stop with an error, hold the "
            "last values, or repeat the solar cycle (11 years earlier).",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def _progress(enabled: bool) -> Any:
    from .report.progress import progress_bar

    return progress_bar(enabled=enabled)


@contextlib.contextmanager
def _fit_hint() -> Iterator[None]:
    """Say how ``decay`` runs without a fit in an :class:`EstimationError` (a history too
    short or too quiet for the ballistic-coefficient fit; ``decay.naming_file`` has
    named the TLE file in it)."""
    try:
        yield
    except EstimationError as exc:
        how = "; or give --ballistic-coefficient, or --mass, --area and --cd"
        raise EstimationError(f"{exc.message}{how}", path=exc.path, line=exc.line) from None


def _output_path(flag: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is not None:
            from .report.outputs import check_output_path

            check_output_path(value, flag)
        return value

    return check


def _output_option(flag: str, what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        flag,
        type=click.Path(dir_okay=False),
        callback=_output_path(flag),
        help=f"Write {what}.",
    )


def plot_report_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--plot and --report; a bad path fails when the options are parsed."""
    f = _output_option("--report", "a self-contained HTML report to FILE.html")(f)
    return _output_option("--plot", "the figure to FILE.png or FILE.svg")(f)


def output_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--plot, --out and --report; a bad path fails when the options are parsed."""
    f = _output_option("--out", "the series to FILE.csv, FILE.json or FILE.parquet")(f)
    return plot_report_options(f)


def _write_outputs(result: Any, plot: str | None, out: str | None, report: str | None) -> None:
    """Write the --plot / --out / --report files asked for (the paths were checked)."""
    if plot or out or report:
        from .report.outputs import write_outputs

        write_outputs(
            result, plot=plot, out=out, report=report, inputs=click.get_current_context().params
        )


def _emit(result: Any, as_json: bool, printer: Callable[[Any], None]) -> None:
    """The answer on stdout: one JSON document with --json, else the readable form."""
    import json

    if as_json:
        click.echo(json.dumps(result.to_json(), indent=2))
    else:
        printer(result)


def window_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The options of a Monte Carlo window (``reentry``, ``lifetime``): --samples, --seed,
    --interface-alt-km, --horizon-years, --space-weather, --atmosphere, --density, the
    executor's, --json and the output files."""
    options: list[Callable[[Callable[..., Any]], Callable[..., Any]]] = [
        click.option(
            "--samples",
            type=int,
            default=1000,
            show_default=True,
            callback=_positive_int,
            help="Monte Carlo samples.",
        ),
        click.option(
            "--seed",
            type=click.IntRange(min=0),
            default=0,
            show_default=True,
            help="Random seed (a non-negative integer): the same seed, the same window.",
        ),
        interface_alt_option,
        click.option(
            "--horizon-years",
            type=float,
            default=25.0,
            show_default=True,
            callback=_positive,
            help="Samples still up this many years after the prediction epoch: no reentry.",
        ),
        space_weather_option,
        click.option(
            "--atmosphere",
            type=click.Choice(["msis2.1", "msis00"]),
            default="msis2.1",
            show_default=True,
            help="Density model.",
        ),
        density_option("samples", "200", tail=True),
        executor_options,
        click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout."),
        output_options,
    ]
    for opt in reversed(options):
        f = opt(f)
    return f
