"""The ISS in the Python API (``orbitkeep iss``): one scenario, or the question of the
day; re-exported by :mod:`orbitkeep.api`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .api_args import Epoch, PathLike, epoch_s, given_args
from .api_args import progress as progress_bar
from .errors import ParameterError
from .results import Scenario, Scenarios
from .state import is_real

_ISS_ARGS = (
    "scenario", "years", "solar", "start", "partner", "exit", "extra_flights", "decay_start",
    "tle_path", "space_weather", "atmosphere", "ap_mode", "sw_policy",
)  # fmt: skip


SCENARIOS = ("baseline", "partner-exit", "no-reboost", "deorbit")


def iss(
    scenario: str | None = "baseline",
    *,
    years: float | None = None,
    solar: str = "nominal",
    start: Epoch | None = None,
    partner: str = "roscosmos",
    exit: Epoch | None = None,
    extra_flights: Mapping[str, float] | None = None,
    decay_start: Epoch | None = None,
    tle_path: PathLike | None = None,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    ap_mode: str = "daily",
    sw_policy: str = "error",
    progress: bool = False,
) -> Any:
    """The ISS (``orbitkeep iss``). ``scenario``: ``baseline``, ``partner-exit``
    (``partner`` leaves on ``exit``, default the start; optional ``extra_flights`` per
    year by vehicle id), ``no-reboost``, ``deorbit`` (band kept until ``decay_start``) ->
    :class:`Scenario`; or None, the question of the day (baseline, ``partner`` leaving,
    no reboost) -> :class:`Scenarios`.

    ``years``: horizon of band keeping (default 5), or the longest decay searched for
    no-reboost and deorbit (default 30); ``solar``: nominal, high or low.
    ``sw_policy``: past the end of the space-weather file, as ``--sw-policy`` (default
    "error", as on the command line; "cycle" repeats the solar cycle).
    """
    from .environment.spaceweather import load_space_weather
    from .station import HOLD_YEARS, load_station, question_of_the_day, run_scenario, scenario_spec
    from .timescale import iso_utc

    def iso(x: Epoch | None, flag: str) -> str | None:
        t = epoch_s(x, flag)
        return None if t is None else iso_utc(t)

    if scenario is not None and scenario not in SCENARIOS:
        raise ParameterError(
            f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)} or None",
            flag="scenario",
        )
    for arg, value, takes in (
        ("exit", exit, (None, "partner-exit")),
        ("extra_flights", extra_flights, ("partner-exit",)),
        ("decay_start", decay_start, ("deorbit",)),
    ):
        if value is not None and scenario not in takes:
            only = " or ".join(repr(x) for x in takes)
            raise ParameterError(
                f"only with scenario {only}, not {scenario!r} (it would be ignored)", flag=arg
            )
    if years is not None and not (is_real(years) and math.isfinite(years) and years > 0):
        raise ParameterError(f"must be a positive number of years, got {years!r}", flag="years")
    # an id or the agency's name, as --partner; checked before anything is flown
    pid = load_station().partner_id(partner, flag="partner")
    start_utc = iso(start, "start")
    sw = None
    if atmosphere != "exponential":
        sw = load_space_weather(space_weather, policy=sw_policy)
    env: dict[str, Any] = {"atmosphere_model": atmosphere, "ap_mode": ap_mode}
    given = given_args(locals(), _ISS_ARGS)
    with progress_bar(progress) as bar:
        if scenario is None:
            res = question_of_the_day(
                space_weather=sw,
                tle_path=tle_path,
                years=HOLD_YEARS if years is None else years,
                solar=solar,
                start_utc=start_utc,
                partner=pid,
                exit_utc=iso(exit, "exit"),
                on_progress=bar,
                **env,
            )
            return Scenarios(res, given)
        spec = scenario_spec(
            scenario,
            start_utc=start_utc,
            years=years,
            solar=solar,
            partner=pid,
            exit_utc=iso(exit, "exit"),
            extra_flights=dict(extra_flights or {}),
            decay_start_utc=iso(decay_start, "decay_start"),
        )
        one = run_scenario(spec, space_weather=sw, tle_path=tle_path, on_progress=bar, **env)
    return Scenario(one, given)


__all__ = ["SCENARIOS", "iss"]
