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

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from .api_args import Epoch, PathLike, epoch_s, given_args, percent
from .api_args import progress as progress_bar
from .api_station import SCENARIOS, iss
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
        epoch_s=epoch_s(epoch, "epoch"),
        days=days,
        until_s=epoch_s(until, "until"),
        drag=drag,
        method=method,
        interface_alt_m=check_interface_alt_km(interface_alt_km, "interface_alt_km") * 1e3,
    )
    env = Environment.build(
        model=atmosphere, space_weather_path=space_weather, policy=sw_policy, ap_mode=ap_mode
    )
    with progress_bar(progress) as bar:
        res = run_decay(spec, env, on_progress=bar)
    return Decay(res, given_args(locals(), _DECAY_ARGS))


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
    with progress_bar(progress) as bar, naming_file(h):
        res = predict_reentry(
            h,
            sw,
            before_s=epoch_s(before, "before"),
            samples=samples,
            seed=seed,
            interface_alt_m=check_interface_alt_km(interface_alt_km, "interface_alt_km") * 1e3,
            horizon_years=horizon_years,
            model=atmosphere,
            on_progress=bar,
            **options,
        )
    return Reentry(res, given_args(locals(), _REENTRY_ARGS))


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
    t0 = epoch_s(epoch, "epoch")
    el = design_orbit(
        sw.observed_until_s if t0 is None else t0,
        alt_km=alt_km,
        perigee_km=perigee_km,
        apogee_km=apogee_km,
        incl_deg=incl_deg,
    )
    b, source = design_drag(ballistic_coefficient_m2_kg, mass_kg, area_m2, cd)
    with progress_bar(progress) as bar:
        res = predict_design_lifetime(
            el,
            b,
            sw,
            b_log_sigma=percent(b_sigma_pct, "b_sigma_pct"),
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
    return Reentry(res, given_args(locals(), _LIFETIME_ARGS))


def space_weather(path: PathLike | None = None, *, policy: str = "error") -> SpaceWeather:
    """The space weather in use (``orbitkeep spaceweather``): ``.coverage()`` says what
    it covers. ``path`` None: the newest of the bundled and downloaded files."""
    from .environment.spaceweather import load_space_weather

    return load_space_weather(path, policy=policy)


def update(
    space_weather: bool = True, tle: int | Sequence[int] = (DEFAULT_NORAD,)
) -> list[Outcome]:
    """Download current space weather and element sets (``orbitkeep update``).

    Returns one :class:`~orbitkeep.io.update.Outcome` per item (``status``: updated,
    unchanged, offline or failed); never raises for network problems. The files go to
    the user data directory (``ORBITKEEP_DATA_DIR`` overrides it). ``tle``: NORAD
    catalogue numbers (one number or several), as ``--tle``.
    """
    ids = [tle] if isinstance(tle, int | np.integer) else tle
    if isinstance(ids, str | bytes) or not isinstance(ids, Sequence):
        raise ParameterError(f"expected NORAD catalogue numbers, got {tle!r}", flag="tle")
    for n in ids:
        if not (
            isinstance(n, int | np.integer) and not isinstance(n, bool) and 1 <= n <= 999_999_999
        ):
            raise ParameterError(
                f"a NORAD catalogue number is an integer from 1 to 999999999, got {n!r}",
                flag="tle",
            )
    return run_update(space_weather, tuple(int(n) for n in ids))


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
