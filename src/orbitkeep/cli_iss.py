"""``orbitkeep iss``: the ISS question of the day, and its scenarios.

Without ``--scenario``: a few lines a reader understands (the station today, its yearly
reboost need, what happens if a partner, by default Roscosmos, leaves, and with no
reboost at all). With ``--scenario``: that scenario's years, dates and shortfall. Runs
offline on the bundled element sets, space weather and ``station/iss.toml``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .cli_common import (
    _positive,
    _progress,
    _utc,
    _write_outputs,
    common_environment,
    output_options,
)
from .errors import ParameterError

SCENARIOS = ("baseline", "partner-exit", "no-reboost", "deorbit")
SOLAR = ("nominal", "high", "low")  # = orbitkeep.station.SOLAR_CHOICES (not imported: startup)
HOLD_YEARS = 5.0  # default horizon of baseline / partner-exit, years
DECAY_YEARS = 30.0  # default horizon of the free-decay search (no-reboost, deorbit), years


def _partner_id(name: str) -> str:
    """The partner id for ``name`` (id or agency name, any case); lists the valid ones."""
    from .station import load_station

    return load_station().partner_id(name)


def _extra_flights(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> dict[str, float]:
    """``VEHICLE=N`` pairs (repeatable) -> {vehicle id: extra flights per year}; the ids
    and rates are checked against the station model when the scenario runs."""
    out: dict[str, float] = {}
    for item in value:
        vid, sep, num = item.partition("=")
        vid = vid.strip()
        if not sep or not vid:
            raise ParameterError(
                f"expected VEHICLE=FLIGHTS_PER_YEAR (e.g. dragon_boost_kit=2), got {item!r}",
                flag="--extra-flights",
            )
        try:
            rate = float(num)
        except ValueError:
            raise ParameterError(
                f"{vid}: flights per year must be a number, got {num!r}", flag="--extra-flights"
            ) from None
        if vid in out:
            raise ParameterError(f"{vid} given twice", flag="--extra-flights")
        out[vid] = rate
    return out


@click.command()
@click.option(
    "--scenario",
    type=click.Choice(SCENARIOS),
    default=None,
    help="Run one scenario (default: the question of the day: baseline, Roscosmos exit "
    "and no reboost in a few lines).",
)
@click.option(
    "--partner",
    default=None,
    help="The partner that leaves (required with partner-exit): roscosmos, nasa, esa, jaxa, csa.",
)
@click.option(
    "--exit-date",
    "exit_date",
    callback=_utc("--exit-date"),
    help="UTC date the partner leaves (default: the start).",
)
@click.option(
    "--extra-flights",
    "extra_flights",
    multiple=True,
    metavar="VEHICLE=N",
    callback=_extra_flights,
    help="With partner-exit: N more flights per year of a remaining vehicle from the exit "
    "date (repeatable), e.g. dragon_boost_kit=2: does it close the shortfall?",
)
@click.option(
    "--decay-start",
    "decay_start",
    callback=_utc("--decay-start"),
    help="With deorbit: UTC date the band keeping ends and the deorbit profile begins "
    "(default: the start).",
)
@click.option(
    "--start",
    callback=_utc("--start"),
    help="Start at the last bundled TLE at or before this UTC date (default: the latest).",
)
@click.option(
    "--years",
    type=float,
    default=None,
    callback=_positive,
    help=f"Horizon, years (default {HOLD_YEARS:g}; for no-reboost and deorbit the longest "
    f"decay searched, default {DECAY_YEARS:g}).",
)
@click.option(
    "--solar",
    type=click.Choice(SOLAR),
    default="nominal",
    show_default=True,
    help="Future solar activity: predicted F10.7 as is, or scaled to the 5 %/95 % "
    "cycle-to-cycle spread observed in the space-weather file.",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document on stdout.")
@output_options
@common_environment
def iss(
    scenario: str | None,
    partner: str | None,
    exit_date: float | None,
    extra_flights: dict[str, float],
    decay_start: float | None,
    start: float | None,
    years: float | None,
    solar: str,
    as_json: bool,
    plot: str | None,
    out: str | None,
    report: str | None,
    space_weather: str | None,
    atmosphere: str,
    ap_mode: str,
    sw_policy: str,
) -> None:
    """What keeping the ISS up costs, and what happens if a partner leaves.

    Without --scenario: the station today (latest bundled TLE, fitted ballistic
    coefficient), its yearly reboost need, and what happens if Roscosmos (or --partner)
    leaves: the reentry date if nobody replaces it and the flights per year of each
    remaining vehicle that would. --json then prints {"scenario": "question-of-the-day",
    "summary": [lines], "scenarios": {baseline, partner-exit, no-reboost}}.
    """
    from .environment.spaceweather import load_space_weather
    from .station import (
        question_of_the_day,
        run_scenario,
        scenario_lines,
        scenario_spec,
        summary_lines,
    )
    from .timescale import iso_utc

    if scenario == "partner-exit" and partner is None:
        raise ParameterError("required with --scenario partner-exit", flag="--partner")
    for flag, given, takes in (
        ("--partner", partner, (None, "partner-exit")),
        ("--exit-date", exit_date, (None, "partner-exit")),
        ("--extra-flights", extra_flights or None, ("partner-exit",)),
        ("--decay-start", decay_start, ("deorbit",)),
    ):
        if given is not None and scenario not in takes:
            only = " (or without --scenario)" if None in takes else ""
            raise ParameterError(
                f"only with --scenario {takes[-1]}{only}, not {scenario or 'the default'}",
                flag=flag,
            )
    pid = None if partner is None else _partner_id(partner)
    if exit_date is not None and start is not None and exit_date < start:
        raise ParameterError(
            f"{iso_utc(exit_date)[:10]} is before --start {iso_utc(start)[:10]}",
            flag="--exit-date",
        )
    start_utc = None if start is None else iso_utc(start)
    exit_utc = None if exit_date is None else iso_utc(exit_date)
    sw = None
    if atmosphere != "exponential":
        sw = load_space_weather(space_weather, policy=sw_policy)
    env: dict[str, Any] = {"atmosphere_model": atmosphere, "ap_mode": ap_mode}

    with _progress(not as_json) as bar:
        if scenario is None:
            results = question_of_the_day(
                space_weather=sw,
                years=HOLD_YEARS if years is None else years,
                solar=solar,
                start_utc=start_utc,
                partner=pid or "roscosmos",
                exit_utc=exit_utc,
                on_progress=bar,
                **env,
            )
            lines = summary_lines(results)
        else:
            spec = scenario_spec(
                scenario,
                start_utc=start_utc,
                years=years,
                solar=solar,
                partner=pid or "roscosmos",
                exit_utc=exit_utc,
                extra_flights=extra_flights,
                decay_start_utc=None if decay_start is None else iso_utc(decay_start),
            )
            res = run_scenario(spec, space_weather=sw, on_progress=bar, **env)
    _write_outputs(results if scenario is None else res, plot, out, report)
    if scenario is None:
        if as_json:
            base = results["baseline"]
            doc = {
                "scenario": "question-of-the-day",
                "start_utc": base.start_utc,
                "years": base.years,
                "summary": lines,
                "scenarios": {k: r.to_json() for k, r in results.items()},
            }
            click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            click.echo("\n".join(lines))
        return
    if as_json:
        click.echo(json.dumps(res.to_json(), indent=2, ensure_ascii=False))
    else:
        click.echo("\n".join(scenario_lines(res)))
