"""Lifetime window of a design orbit: no element-set history, a given ballistic coefficient.

Who needs it: an operator checking a disposal plan against the 5- and 25-year rules
before launch (the filings ask for it then), or a student asking how long a CubeSat at
550 km stays up. There are no element sets to fit B on, so B comes from the design
(B = Cd A / m, or given), and the window is the reentry Monte Carlo of
:mod:`orbitkeep.reentry` with that B:

- the orbit: mean elements at the prediction epoch (mean altitudes above the equatorial
  radius, as element sets give them);
- B: the given value, spread by ``b_log_sigma`` (default 0: a design's Cd and tumbling
  area are the user's to judge; no published figure fits every design);
- the density model's factor and the solar spread: as for a reentry window
  (:func:`orbitkeep.reentry.drag_spread`);
- the space weather: at or after the file's present its own daily and monthly
  predictions, then the solar cycle repeated; an epoch before the file's present is a
  hindcast and sees only what was observed before it, then the forecast of
  :func:`~orbitkeep.environment.forecast.forecast_space_weather`. For an epoch after the
  file's present, the solar spread is the forecast's error over the lead from the
  present, not from the epoch: the Sun at launch is a forecast too.

The result is a :class:`~orbitkeep.reentry.ReentryResult` (no NORAD id, no fit,
``tle_epoch_s`` the prediction epoch, the orbit in ``design``), so its JSON, lifetime
rules and notes read as a reentry window's do.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .constants import DAY_S, MOON_DISTANCE_M, MU_EARTH_M3_S2, R_EQUATOR_M, REENTRY_INTERFACE_ALT_M
from .decay import check_positive
from .environment.atmosphere import make_atmosphere
from .environment.forecast import check_epoch_within_data, forecast_space_weather
from .environment.spaceweather import SpaceWeather
from .errors import ParameterError
from .propagators.averaged import AveragedSettings, propagate_averaged
from .reentry import ReentryResult, atmosphere_label, check_window_args, drag_spread
from .sampling import sample_reentries, use_table, window
from .state import DragProperties, MeanElements, is_real
from .window_reading import lifetime_rules, reentry_notes


def design_elements(
    epoch_s: float,
    *,
    perigee_alt_km: float,
    apogee_alt_km: float,
    incl_deg: float,
    raan_deg: float = 0.0,
    argp_deg: float = 0.0,
    apogee_flag: str = "--apogee-km",
) -> MeanElements:
    """Mean elements (one object) of an orbit given by its mean perigee and apogee
    altitudes above the equatorial radius (km) and inclination (deg), at ``epoch_s``
    (Unix s); the mean anomaly is 0. ``ParameterError`` names the flag of a bad value
    (``apogee_flag`` for an apogee at or beyond the Moon's distance)."""
    for flag, v in (
        ("--perigee-km", perigee_alt_km),
        ("--apogee-km", apogee_alt_km),
        ("--incl-deg", incl_deg),
        ("--raan-deg", raan_deg),
        ("--argp-deg", argp_deg),
    ):
        if not (is_real(v) and math.isfinite(v)):
            raise ParameterError(f"must be a finite number, got {v}", flag=flag)
    if perigee_alt_km <= 0:
        raise ParameterError(f"must be above 0 km, got {perigee_alt_km}", flag="--perigee-km")
    if apogee_alt_km < perigee_alt_km:
        raise ParameterError(
            f"must be at least the perigee ({perigee_alt_km} km), got {apogee_alt_km}",
            flag="--apogee-km",
        )
    if not 0.0 <= incl_deg <= 180.0:
        raise ParameterError(f"must be within 0-180 deg, got {incl_deg}", flag="--incl-deg")
    top_km = (MOON_DISTANCE_M - R_EQUATOR_M) / 1e3
    if apogee_alt_km >= top_km:
        raise ParameterError(
            f"must be below the Moon's distance ({top_km:,.0f} km altitude; the Moon's and "
            f"the Sun's gravity, which orbitkeep does not model, shape such an orbit), got "
            f"{apogee_alt_km:g}",
            flag=apogee_flag,
        )
    rp = R_EQUATOR_M + perigee_alt_km * 1e3
    ra = R_EQUATOR_M + apogee_alt_km * 1e3
    a, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    vals = (epoch_s, a, e, math.radians(incl_deg), math.radians(raan_deg), math.radians(argp_deg))
    return MeanElements(*(np.array([x], dtype=float) for x in (*vals, 0.0)))


def design_orbit(
    epoch_s: float,
    *,
    alt_km: float | None = None,
    perigee_km: float | None = None,
    apogee_km: float | None = None,
    incl_deg: float,
) -> MeanElements:
    """The orbit as the user gives it: a circular one (``alt_km``) or perigee and apogee
    (``perigee_km``, ``apogee_km``; mean altitudes, km), with ``incl_deg``; see
    :func:`design_elements`. ``ParameterError`` (naming the flag) for a missing or
    doubly given orbit."""
    if alt_km is not None and (perigee_km is not None or apogee_km is not None):
        raise ParameterError("give --alt-km or --perigee-km/--apogee-km, not both", flag="--alt-km")
    if alt_km is None and (perigee_km is None or apogee_km is None):
        raise ParameterError(
            "give the orbit: --alt-km, or --perigee-km and --apogee-km", flag="--alt-km"
        )
    if alt_km is not None:
        check_positive(alt_km, "--alt-km")
    hp = alt_km if alt_km is not None else perigee_km
    ha = alt_km if alt_km is not None else apogee_km
    return design_elements(
        epoch_s,
        perigee_alt_km=hp,  # type: ignore[arg-type]
        apogee_alt_km=ha,  # type: ignore[arg-type]
        incl_deg=incl_deg,
        apogee_flag="--alt-km" if alt_km is not None else "--apogee-km",
    )


def design_drag(
    ballistic_coefficient_m2_kg: float | None = None,
    mass_kg: float | None = None,
    area_m2: float | None = None,
    cd: float | None = None,
) -> tuple[float, str]:
    """B (m^2/kg) and where it came from, in words: given, or Cd A / m from all three of
    ``mass_kg``, ``area_m2`` and ``cd``. ``ParameterError`` names the flag otherwise."""
    given = [x is not None for x in (mass_kg, area_m2, cd)]
    if any(given) and not all(given):
        raise ParameterError("give --mass, --area and --cd together", flag="--mass")
    if ballistic_coefficient_m2_kg is not None and any(given):
        raise ParameterError(
            "give --ballistic-coefficient or --mass/--area/--cd, not both",
            flag="--ballistic-coefficient",
        )
    if ballistic_coefficient_m2_kg is not None:
        return DragProperties(ballistic_coefficient_m2_kg).ballistic_coefficient_m2_kg, "given"
    if not any(given):
        raise ParameterError(
            "give the drag: --ballistic-coefficient, or --mass, --area and --cd",
            flag="--ballistic-coefficient",
        )
    drag = DragProperties.from_mass_area_cd(mass_kg, area_m2, cd)  # type: ignore[arg-type]
    return drag.ballistic_coefficient_m2_kg, f"Cd A / m = {cd:g} x {area_m2:g} m^2 / {mass_kg:g} kg"


def predict_design_lifetime(
    elements: MeanElements,
    b_m2_kg: float,
    space_weather: SpaceWeather,
    *,
    b_log_sigma: float = 0.0,
    b_source: str = "given",
    name: str | None = None,
    samples: int = 1000,
    seed: int = 0,
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M,
    horizon_years: float = 25.0,
    model: str = "msis2.1",
    executor: str = "process",
    scheduler: str | None = None,
    workers: int | None = None,
    chunk_size: int = 250,
    on_progress: Callable[[float], None] | None = None,
    density: str = "auto",
) -> ReentryResult:
    """Monte Carlo lifetime window of one design orbit (``elements``, its epoch the
    prediction epoch) with ballistic coefficient ``b_m2_kg`` (m^2/kg, log sigma
    ``b_log_sigma``; ``b_source`` says where it came from, in words); see the module
    docstring. Other arguments as :func:`~orbitkeep.reentry.predict_reentry`'s."""
    if not (is_real(b_m2_kg) and math.isfinite(b_m2_kg) and b_m2_kg > 0):
        raise ParameterError(f"must be positive, got {b_m2_kg}", flag="--ballistic-coefficient")
    if not (is_real(b_log_sigma) and math.isfinite(b_log_sigma) and b_log_sigma >= 0):
        raise ParameterError(f"must be 0 or more, got {100 * b_log_sigma:g}", flag="--b-sigma-pct")
    samples, seed = check_window_args(samples, seed, horizon_years)
    a, e = float(elements.sma_m[0]), float(elements.ecc[0])
    perigee = a * (1 - e) - R_EQUATOR_M
    if perigee <= interface_alt_m:
        raise ParameterError(
            f"the perigee ({perigee / 1e3:g} km) must be above the interface altitude "
            f"({interface_alt_m / 1e3:g} km)",
            flag="--perigee-km" if e > 0 else "--alt-km",
        )
    epoch = check_epoch_within_data(space_weather, float(elements.epoch_s[0]), "--epoch")
    sw, method = forecast_space_weather(space_weather, epoch)
    atm = make_atmosphere(model, sw)
    table = use_table(atm, samples, density)
    horizon = horizon_years * 365.25 * DAY_S
    until = epoch + horizon
    cfg = AveragedSettings()
    nominal = propagate_averaged(
        elements, b_m2_kg, atm, until, settings=cfg, interface_alt_m=interface_alt_m
    )
    t_nom = float(nominal.reentry_s[0])
    lead_days = (t_nom - epoch) / DAY_S if math.isfinite(t_nom) else horizon / DAY_S
    # past the file's present the Sun is forecast from there, not from the epoch
    ahead_days = max(0.0, (epoch - space_weather.observed_until_s) / DAY_S)
    sig = drag_spread(
        None, 0.0, sw, elements, epoch, lead_days + ahead_days, model, nominal.trajectories[0]
    )
    sig_b = float(b_log_sigma)
    reentry, counts = sample_reentries(
        elements,
        b_m2_kg,
        atm,
        until,
        samples=samples,
        seed=seed,
        b_log_sigma=sig_b,
        solar_log_sigma=sig.solar,
        interface_alt_m=interface_alt_m,
        settings=cfg,
        executor=executor,
        scheduler=scheduler,
        workers=workers,
        chunk_size=chunk_size,
        on_progress=on_progress,
        density=density,
        nominal_lifetime_s=(t_nom - epoch) if math.isfinite(t_nom) else None,
        antithetic=True,
    )
    apogee = a * (1 + e) - R_EQUATOR_M
    notes = reentry_notes(perigee, interface_alt_m, reentry, epoch, epoch, apogee)
    period_s = 2 * math.pi * math.sqrt(a**3 / MU_EARTH_M3_S2)
    if math.isfinite(t_nom) and t_nom - epoch < period_s:
        notes.append(
            f"the nominal orbit decays within one revolution ({(t_nom - epoch) / 60:.0f} of "
            f"{period_s / 60:.0f} minutes): an orbit-averaged propagation does not resolve "
            "that; `orbitkeep decay --method numerical` integrates such a descent"
        )
    design = {
        "perigee_alt_km": round(perigee / 1e3, 6),
        "apogee_alt_km": round(apogee / 1e3, 6),
        "incl_deg": round(math.degrees(float(elements.incl_rad[0])), 9),
        "b_source": b_source,
    }
    return ReentryResult(
        norad_id=None,
        name=name,
        prediction_epoch_s=epoch,
        tle_epoch_s=epoch,
        reentry_s=reentry,
        quantiles_s=window(reentry),
        b_m2_kg=b_m2_kg,
        b_sigma_m2_kg=b_m2_kg * sig_b,
        samples=samples,
        seed=seed,
        horizon_s=horizon,
        interface_alt_m=interface_alt_m,
        space_weather={"source": sw.source, "policy": sw.policy, **sw.coverage()},
        atmosphere=atmosphere_label(atm.name, table, density),
        forecast={
            "method": method,
            "f107_log_sigma": sig.f107,
            "lead_days": sig.lead_days,
            "density_sensitivity_to_f107": sig.k_sun,
            "density_model_log_sigma": sig.density,
            "b_log_sigma": sig_b,
            "initial_sma_sigma_m": 0.0,
        },
        nominal_reentry_s=t_nom if math.isfinite(t_nom) else None,
        status_counts=counts,
        fit=None,
        notes=notes,
        rules=lifetime_rules(reentry, epoch, until),
        design=design,
    )
