"""The Python API: what the command line does, as functions that return results.

::

    import orbitkeep as ok
    d = ok.decay("iss.tle", days=30)          # a Decay (wraps decay.DecayResult)
    d.reentry_s, d.trajectory                 # the result's own attributes
    df = d.to_dataframe()                     # the mean-orbit series (pandas)
    d.plot("decay.png"); d.report("decay.html"); d.save("decay.csv")
    s = ok.iss("partner-exit", years=3)       # a Scenario (wraps station ScenarioResult)

Epochs are accepted as ISO 8601 UTC strings, :class:`datetime.datetime` (naive means
UTC) or Unix seconds. Altitudes and distances take the unit in the keyword name
(``interface_alt_km``, ``area_m2``). Errors are :class:`~orbitkeep.errors.OrbitkeepError`
subclasses, as on the command line. Heavy modules (the propagators, matplotlib, pandas)
are imported on first use, so ``import orbitkeep`` stays fast. The result wrappers
(:class:`Decay`, :class:`Reentry`, :class:`Scenario`, :class:`Scenarios`) are in
:mod:`orbitkeep.results`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OrbitkeepError, ParameterError
from .io import update as _upd
from .io.elements import read_elements
from .io.tle import TLE, TLEHistory, history, read_tles
from .results import Decay, Reentry, Result, Scenario, Scenarios
from .updates import (
    DEFAULT_NORAD,
    run_update,
    usable_space_weather,
    usable_tle,
    validate_space_weather,
)

Outcome = _upd.Outcome

if TYPE_CHECKING:
    from .environment.spaceweather import SpaceWeather

PathLike = str | Path
Epoch = str | float | int | dt.datetime


def _epoch_s(value: Epoch | None, flag: str) -> float | None:
    """Unix seconds from an ISO string, a datetime (naive = UTC) or a number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ParameterError(f"not a finite epoch: {value}", flag=flag)
        return float(value)
    if isinstance(value, str):
        from .timescale import parse_utc

        return parse_utc(value, flag=flag)
    raise ParameterError(
        f"expected an ISO 8601 string, a datetime or Unix seconds, got {value!r}", flag=flag
    )


_DECAY_ARGS = (
    "tle_path", "norad_id", "epoch", "days", "until", "ballistic_coefficient_m2_kg", "mass_kg",
    "area_m2", "cd", "method", "interface_alt_km", "space_weather", "atmosphere", "ap_mode",
    "sw_policy",
)  # fmt: skip
_REENTRY_ARGS = (
    "tle_path", "norad_id", "before", "samples", "seed", "interface_alt_km", "horizon_years",
    "space_weather", "atmosphere",
)  # fmt: skip
_LIFETIME_ARGS = (
    "incl_deg", "alt_km", "perigee_km", "apogee_km", "ballistic_coefficient_m2_kg", "mass_kg",
    "area_m2", "cd", "b_sigma_pct", "epoch", "name", "samples", "seed", "interface_alt_km",
    "horizon_years", "space_weather", "atmosphere",
)  # fmt: skip
_ISS_ARGS = (
    "scenario", "years", "solar", "start", "partner", "exit", "extra_flights", "decay_start",
    "tle_path", "space_weather", "atmosphere", "ap_mode", "sw_policy",
)  # fmt: skip


def _given(scope: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The named arguments as the user gave them (paths as strings; tle_path kept even
    when None, which means the bundled ISS history)."""
    out = {n: scope[n] for n in names if scope.get(n) is not None or n == "tle_path"}
    return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


def _progress(enabled: bool) -> Any:
    from .report.progress import progress_bar

    return progress_bar(enabled=enabled)


def decay(
    tle_path: PathLike | None = None,
    *,
    norad_id: int | None = None,
    epoch: Epoch | None = None,
    days: float | None = None,
    until: Epoch | None = None,
    ballistic_coefficient_m2_kg: float | None = None,
    mass_kg: float | None = None,
    area_m2: float | None = None,
    cd: float | None = None,
    method: str | None = None,
    interface_alt_km: float = 120.0,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    ap_mode: str = "daily",
    sw_policy: str = "error",
    progress: bool = False,
) -> Decay:
    """Free decay of one object from its TLE history (``orbitkeep decay``).

    ``tle_path``: a TLE or CCSDS OMM file (:func:`read_elements`); None: the bundled ISS
    history. The start is the last element set at or before ``epoch`` (default: the last
    one); the span is ``days`` (default 365) or until ``until``. Drag: ``ballistic_coefficient_m2_kg``, or ``mass_kg``/``area_m2``/``cd``
    together, or (default) B fitted to the history before the start.
    """
    from .decay import DecaySpec, Environment, check_interface_alt_km, check_positive, run_decay
    from .state import DragProperties

    given = [x is not None for x in (mass_kg, area_m2, cd)]
    if any(given) and not all(given):
        raise ParameterError("give mass_kg, area_m2 and cd together", flag="mass_kg")
    if ballistic_coefficient_m2_kg is not None and any(given):
        raise ParameterError(
            "give ballistic_coefficient_m2_kg or mass_kg/area_m2/cd, not both",
            flag="ballistic_coefficient_m2_kg",
        )
    drag = None
    if all(given):
        drag = DragProperties.from_mass_area_cd(
            check_positive(mass_kg, "mass_kg"),  # type: ignore[arg-type]
            check_positive(area_m2, "area_m2"),  # type: ignore[arg-type]
            check_positive(cd, "cd"),  # type: ignore[arg-type]
        )
    elif ballistic_coefficient_m2_kg is not None:
        drag = DragProperties(
            check_positive(ballistic_coefficient_m2_kg, "ballistic_coefficient_m2_kg")
        )
    spec = DecaySpec(
        tle_path=tle_path,
        norad_id=norad_id,
        epoch_s=_epoch_s(epoch, "epoch"),
        days=days,
        until_s=_epoch_s(until, "until"),
        drag=drag,
        method=method,
        interface_alt_m=check_interface_alt_km(interface_alt_km, "interface_alt_km") * 1e3,
    )
    env = Environment.build(
        model=atmosphere, space_weather_path=space_weather, policy=sw_policy, ap_mode=ap_mode
    )
    with _progress(progress) as bar:
        res = run_decay(spec, env, on_progress=bar)
    return Decay(res, _given(locals(), _DECAY_ARGS))


def reentry(
    tle_path: PathLike | None = None,
    *,
    norad_id: int | None = None,
    before: Epoch | None = None,
    samples: int = 1000,
    seed: int = 0,
    interface_alt_km: float = 120.0,
    horizon_years: float = 25.0,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    progress: bool = False,
    **options: Any,
) -> Reentry:
    """Monte Carlo reentry window (``orbitkeep reentry``); see :mod:`orbitkeep.reentry`.

    ``tle_path``: a TLE or CCSDS OMM file (:func:`read_elements`). ``before``: predict as
    a forecaster on that date would have (only element sets and space weather from
    before it). ``options`` go to :func:`orbitkeep.reentry.predict_reentry` (e.g.
    ``executor="process"``).
    """
    try:
        from .reentry import predict_reentry
    except ImportError as exc:  # pragma: no cover - the module ships with orbitkeep
        raise OrbitkeepError(f"reentry prediction is not available: {exc}") from None
    from .decay import check_interface_alt_km, load_history, naming_file
    from .environment.spaceweather import load_space_weather

    h = load_history(tle_path, norad_id)
    sw = load_space_weather(space_weather)
    with _progress(progress) as bar, naming_file(h):
        res = predict_reentry(
            h,
            sw,
            before_s=_epoch_s(before, "before"),
            samples=samples,
            seed=seed,
            interface_alt_m=check_interface_alt_km(interface_alt_km, "interface_alt_km") * 1e3,
            horizon_years=horizon_years,
            model=atmosphere,
            on_progress=bar,
            **options,
        )
    return Reentry(res, _given(locals(), _REENTRY_ARGS))


def lifetime(
    *,
    incl_deg: float,
    alt_km: float | None = None,
    perigee_km: float | None = None,
    apogee_km: float | None = None,
    ballistic_coefficient_m2_kg: float | None = None,
    mass_kg: float | None = None,
    area_m2: float | None = None,
    cd: float | None = None,
    b_sigma_pct: float = 0.0,
    epoch: Epoch | None = None,
    name: str | None = None,
    samples: int = 1000,
    seed: int = 0,
    interface_alt_km: float = 120.0,
    horizon_years: float = 25.0,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    progress: bool = False,
    **options: Any,
) -> Reentry:
    """Lifetime window of a design orbit (``orbitkeep lifetime``); see
    :mod:`orbitkeep.lifetime`. The orbit: ``alt_km`` (circular) or ``perigee_km`` and
    ``apogee_km`` (mean altitudes), ``incl_deg``; the drag: ``ballistic_coefficient_m2_kg``
    or ``mass_kg``, ``area_m2`` and ``cd``, spread by ``b_sigma_pct`` (% log sigma).
    ``epoch`` defaults to the space-weather file's present. ``options`` go to
    :func:`orbitkeep.lifetime.predict_design_lifetime` (e.g. ``executor="serial"``)."""
    from .decay import check_interface_alt_km
    from .environment.spaceweather import load_space_weather
    from .lifetime import design_drag, design_orbit, predict_design_lifetime

    sw = load_space_weather(space_weather)
    t0 = _epoch_s(epoch, "epoch")
    el = design_orbit(
        sw.observed_until_s if t0 is None else t0,
        alt_km=alt_km,
        perigee_km=perigee_km,
        apogee_km=apogee_km,
        incl_deg=incl_deg,
    )
    b, source = design_drag(ballistic_coefficient_m2_kg, mass_kg, area_m2, cd)
    with _progress(progress) as bar:
        res = predict_design_lifetime(
            el,
            b,
            sw,
            b_log_sigma=b_sigma_pct / 100.0,
            b_source=source,
            name=name,
            samples=samples,
            seed=seed,
            interface_alt_m=check_interface_alt_km(interface_alt_km, "interface_alt_km") * 1e3,
            horizon_years=horizon_years,
            model=atmosphere,
            on_progress=bar,
            **options,
        )
    return Reentry(res, _given(locals(), _LIFETIME_ARGS))


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
    from .station import (
        baseline,
        deorbit,
        no_reboost,
        partner_exit,
        question_of_the_day,
        run_scenario,
    )
    from .timescale import iso_utc

    def iso(x: Epoch | None, flag: str) -> str | None:
        t = _epoch_s(x, flag)
        return None if t is None else iso_utc(t)

    if scenario is not None and scenario not in SCENARIOS:
        raise ParameterError(
            f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)} or None",
            flag="scenario",
        )
    start_utc = iso(start, "start")
    hold, free = years or 5.0, years or 30.0
    sw = None
    if atmosphere != "exponential":
        sw = load_space_weather(space_weather, policy=sw_policy)
    env: dict[str, Any] = {"atmosphere_model": atmosphere, "ap_mode": ap_mode}
    given = _given(locals(), _ISS_ARGS)
    with _progress(progress) as bar:
        if scenario is None:
            res = question_of_the_day(
                space_weather=sw,
                tle_path=tle_path,
                years=hold,
                solar=solar,
                start_utc=start_utc,
                partner=partner,
                exit_utc=iso(exit, "exit"),
                on_progress=bar,
                **env,
            )
            return Scenarios(res, given)
        if scenario == "baseline":
            spec = baseline(start_utc=start_utc, years=hold, solar=solar)
        elif scenario == "partner-exit":
            spec = partner_exit(
                partner,
                iso(exit, "exit"),
                start_utc=start_utc,
                years=hold,
                solar=solar,
                extra_flights=dict(extra_flights or {}),
            )
        elif scenario == "no-reboost":
            spec = no_reboost(start_utc=start_utc, solar=solar, max_years=free)
        else:
            spec = deorbit(
                start_utc=start_utc,
                decay_start_utc=iso(decay_start, "decay_start"),
                solar=solar,
                max_years=free,
            )
        one = run_scenario(spec, space_weather=sw, tle_path=tle_path, on_progress=bar, **env)
    return Scenario(one, given)


def space_weather(path: PathLike | None = None, *, policy: str = "error") -> SpaceWeather:
    """The space weather in use (``orbitkeep spaceweather``): ``.coverage()`` says what
    it covers. ``path`` None: the newest of the bundled and downloaded files."""
    from .environment.spaceweather import load_space_weather

    return load_space_weather(path, policy=policy)


def update(space_weather: bool = True, tle: Sequence[int] = (DEFAULT_NORAD,)) -> list[Outcome]:
    """Download current space weather and element sets (``orbitkeep update``).

    Returns one :class:`~orbitkeep.io.update.Outcome` per item (``status``: updated,
    unchanged, offline or failed); never raises for network problems. The files go to
    the user data directory (``ORBITKEEP_DATA_DIR`` overrides it).
    """
    return run_update(space_weather, tuple(int(n) for n in tle))


__all__ = [
    "SCENARIOS",
    "TLE",
    "Decay",
    "Reentry",
    "Result",
    "Scenario",
    "Scenarios",
    "TLEHistory",
    "decay",
    "history",
    "iss",
    "lifetime",
    "read_elements",
    "read_tles",
    "reentry",
    "space_weather",
    "update",
    "usable_space_weather",
    "usable_tle",
    "validate_space_weather",
]
