"""Scenarios: dated lists of changes to the partnership, run against the orbit.

Built-ins (:data:`.specs.BUILTINS`): ``baseline`` (today's partners and vehicles hold the band),
``partner-exit`` (a partner leaves on a date: its vehicles, propellant and docked mass go;
the others try to hold the band; the Δv they cannot deliver is the shortfall, and if the
band cannot be held the station decays freely from the moment the capacity ran out),
``no-reboost`` (free decay from the start) and ``deorbit`` (NASA/SpaceX profile: free
decay from ~400 km, crew off at ~330 km, USDV burns from ~220 km, :mod:`.deorbit_profile`).

Solar activity ``nominal|high|low``: :mod:`.solar`. Yearly budgets and replacement
flights: :mod:`.budget`. Reentry p05/p50/p95: deterministic run (p50) and runs at density
scale exp(±1.645 x 0.181), the NRLMSIS-vs-HASDM scatter at 400 km (facts B.6); p05 is
the early (denser) date.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from ..environment.atmosphere import Atmosphere
from ..environment.spaceweather import SpaceWeather
from ..errors import ParameterError
from ..estimation import EstimationError
from ..io.tle import history, read_tles
from ..io.update import updated_tle_path
from ..state import is_real
from ..timescale import iso_utc, parse_utc
from .budget import (
    UNCOVERED_ISP_S,
    ScenarioResult,
    annual_budget,
    burn_events,
    percentiles,
    replacement,
)
from .deorbit_profile import deorbit_profile
from .model import BUNDLED_ISS_TLE, StationModel, Vehicle, load_station
from .reboost import (
    YEAR_S,
    Propulsion,
    ReboostPolicy,
    TimelineEvent,
    arrival_train,
    free_decay_reentry,
    hold_band,
)
from .solar import Z95, scenario_environment
from .specs import KINDS, Change, ScenarioSpec
from .tracking import StationState, station_state_from_tles
from .windows import STATION_MC_SAMPLES, mc_window, sinking_window

#: Flags the dates of each change kind come from (for error messages).
_DATE_FLAGS = {
    "partner_exit": "--exit-date",
    "add_flights": "--exit-date",
    "stop_reboost": "--decay-start",
}
Progress = Callable[[float], None]
#: The most extra flights per year of one vehicle (``--extra-flights``): one a day. Not a
#: capacity figure (each visit holds a port for weeks, so the real limit is far lower);
#: a bound on the run, which schedules every arrival (1e300 a year ran out of memory).
MAX_EXTRA_FLIGHTS_PER_YEAR = 365.0


def _extra_vehicle(c: Change, model: StationModel, spec: ScenarioSpec) -> Vehicle:
    """The vehicle of an 'add_flights' change, refused (naming ``--extra-flights``) when
    unknown, not a visiting cargo vehicle with reboost capacity (Zvezda's engines burn
    what Progress brings), flown by a partner that leaves in ``spec``, or with a flight
    rate that is not a positive finite number or is above
    :data:`MAX_EXTRA_FLIGHTS_PER_YEAR`."""
    flag = "--extra-flights"
    try:
        v = model.vehicle(c.vehicle)
    except KeyError:
        valid = ", ".join(
            sorted(x.id for x in model.vehicles if x.can_reboost and x.role == "cargo")
        )
        raise ParameterError(
            f"unknown vehicle {c.vehicle!r} (one of: {valid})", flag=flag
        ) from None
    if not v.can_reboost:
        raise ParameterError(f"{v.id} ({v.name}) brings no reboost capacity", flag=flag)
    if v.role != "cargo":
        raise ParameterError(
            f"{v.id} ({v.name}) is not a visiting vehicle that can fly more often; "
            "add flights of the cargo vehicles that bring its propellant",
            flag=flag,
        )
    if any(x.kind == "partner_exit" and x.partner == v.partner for x in spec.changes):
        raise ParameterError(f"{v.id} is flown by {v.partner}, the partner that leaves", flag=flag)
    if not (is_real(c.flights_per_year) and math.isfinite(c.flights_per_year)) or (
        c.flights_per_year <= 0
    ):
        raise ParameterError(
            f"{v.id}: flights per year must be a positive finite number, got {c.flights_per_year}",
            flag=flag,
        )
    if c.flights_per_year > MAX_EXTRA_FLIGHTS_PER_YEAR:
        raise ParameterError(
            f"{v.id}: flights per year must be at most {MAX_EXTRA_FLIGHTS_PER_YEAR:g} "
            f"(one a day), got {c.flights_per_year}",
            flag=flag,
        )
    return v


def _timeline(
    spec: ScenarioSpec,
    model: StationModel,
    t0: float,
    start: float,
    end: float,
    policy: ReboostPolicy,
) -> list[TimelineEvent]:
    def when(c: Change) -> float:
        if c.date_utc is None:
            return start
        flag = _DATE_FLAGS.get(c.kind, c.kind)
        t = parse_utc(c.date_utc, flag=flag)
        if t < start - 86400.0:
            raise ParameterError(
                f"{c.date_utc} is before the scenario start {iso_utc(start)[:10]}", flag=flag
            )
        if t > end:
            raise ParameterError(
                f"{c.date_utc} is after the end of the horizon {iso_utc(end)[:10]}", flag=flag
            )
        return max(t, start)

    ev: list[TimelineEvent] = []
    for v in model.vehicles:
        lo, hi = v.window_s()
        for t in arrival_train(
            max(t0, lo), min(end, hi), v.flights_per_year.f if v.can_reboost else 0
        ):
            ev.append(TimelineEvent(t, "arrival", vehicle=v.id, label=v.name))
    changes = list(spec.changes)
    if spec.kind == "free-decay" and not any(c.kind == "stop_reboost" for c in changes):
        changes.append(Change("stop_reboost"))  # the band is kept until the start
    for c in changes:
        if c.kind == "partner_exit":
            if c.partner not in model.partner_ids():
                valid = ", ".join(sorted(model.partner_ids()))
                raise ParameterError(
                    f"unknown partner {c.partner!r} (one of: {valid})", flag="--partner"
                )
            ev.append(TimelineEvent(when(c), "partner_exit", partner=c.partner))
        elif c.kind == "add_flights":
            v = _extra_vehicle(c, model, spec)
            t = when(c)
            if t >= v.window_s()[1]:
                raise ParameterError(
                    f"{v.id} ({v.name}) flies until {iso_utc(v.window_s()[1])[:10]}, before "
                    f"the extra flights would begin ({iso_utc(t)[:10]})",
                    flag="--extra-flights",
                )
            for ta in arrival_train(max(t, t0), min(end, v.window_s()[1]), c.flights_per_year):
                ev.append(TimelineEvent(ta, "arrival", vehicle=v.id, label=f"{v.name} (extra)"))
        elif c.kind == "stop_reboost":
            ev.append(TimelineEvent(when(c), "stop_reboost", label="reboosts end"))
        else:
            raise ParameterError(f"unknown change kind {c.kind!r}", flag="changes")
    if policy.debris_per_year > 0:
        n = math.floor((end - t0) / YEAR_S * policy.debris_per_year)
        ev += [
            TimelineEvent(t0 + (k + 0.5) * YEAR_S / policy.debris_per_year, "debris_avoidance")
            for k in range(n)
        ]
    return sorted(ev, key=lambda e: (e.t_s, e.kind != "partner_exit"))


def _part(cb: Progress | None, lo: float, hi: float) -> Progress | None:
    """``cb`` mapped onto [lo, hi] of the whole run."""
    if cb is None:
        return None
    return lambda f: cb(lo + (hi - lo) * min(max(f, 0.0), 1.0))


def initial_state(
    tle_path: str | Path, fit_atm: Atmosphere, model: StationModel, start_req: float | None
) -> StationState:
    """The state from ``tle_path`` at ``start_req`` (None: the last set); a start before
    the first set is a :class:`ParameterError` naming ``--start``."""
    if start_req is not None:
        first = float(history(read_tles(tle_path, norad_id=model.norad_id)).epoch_s[0])
        if start_req < first:
            raise ParameterError(
                f"{iso_utc(start_req)[:10]} is before the first element set of "
                f"{Path(tle_path).name} ({iso_utc(first)[:10]})",
                flag="--start",
            )
    try:
        return station_state_from_tles(tle_path, fit_atm, model, as_of_s=start_req)
    except EstimationError as exc:
        if start_req is None:
            raise
        raise ParameterError(
            f"cannot fit B on the history of {Path(tle_path).name} before "
            f"{iso_utc(start_req)[:10]}: {exc.message}",
            flag="--start",
        ) from None


def _check_covered(atm: Atmosphere, until_s: float, flag: str) -> None:
    """A :class:`ParameterError` naming ``flag`` when the band is to be kept past the end
    of the space-weather data under policy 'error': refused before the run, not after
    it has flown the years up to that end."""
    sw = getattr(atm, "space_weather", None)
    if sw is None or getattr(sw, "policy", None) != "error" or until_s < sw.data_until_s:
        return
    raise ParameterError(
        f"the band would be kept until {iso_utc(until_s)[:10]}, after the end of the "
        f"space-weather data of {Path(str(sw.source)).name} ({iso_utc(sw.data_until_s)[:10]}); "
        "shorten it, or let --sw-policy hold or cycle extend the data",
        flag=flag,
    )


def run_scenario(
    spec: ScenarioSpec,
    *,
    space_weather: SpaceWeather | None = None,
    tle_path: str | Path | None = None,
    station: StationModel | None = None,
    state: StationState | None = None,
    atmosphere: Atmosphere | None = None,
    atmosphere_model: str = "msis2.1",
    ap_mode: str = "daily",
    on_progress: Progress | None = None,
) -> ScenarioResult:
    """Run one scenario.

    ``space_weather``: default the bundled CelesTrak file with policy 'cycle'; it drives
    both the B fit and the prediction. ``tle_path``: the station's element sets (default:
    the bundled ISS file); the state is the last set at or before the start, B fitted on
    the history before it (always with the nominal drivers: the solar choice is about the
    future). ``state`` overrides both; ``atmosphere`` (an instance) overrides
    ``atmosphere_model``/``ap_mode`` (then ``solar`` must be nominal). ``on_progress``
    gets the fraction done (0..1).
    """
    model = station or load_station()
    atm, fit_atm, solar_info, notes = scenario_environment(
        spec.solar, space_weather, atmosphere, atmosphere_model=atmosphere_model, ap_mode=ap_mode
    )
    start_req = None if spec.start_utc is None else parse_utc(spec.start_utc, flag="--start")
    if state is None:
        state = initial_state(
            tle_path or updated_tle_path(25544) or BUNDLED_ISS_TLE, fit_atm, model, start_req
        )
    t0 = state.epoch_s
    start = max(start_req if start_req is not None else t0, t0)
    sig = model.op("density_sigma_frac")
    scales = (1.0, math.exp(Z95 * sig), math.exp(-Z95 * sig))
    notes = [
        *model.assumptions(),
        *notes,
        "B = Cd A / m scales with the station mass when docked vehicles leave; area kept [assumed]",
        "unused reboost propellant carries over between flights [assumed]",
        f"reentry window: {STATION_MC_SAMPLES}-sample Monte Carlo of orbitkeep.reentry (B "
        "from the past year's range, solar-forecast error from the file's own history, "
        "density error 18.1% NRLMSIS-vs-HASDM scatter, "
        "https://www.swsc-journal.org/articles/swsc/full_html/2021/01/swsc210039/T3.html); "
        "once the band is lost the vehicles left keep boosting with what they bring, and the "
        "window is three runs at drag factors exp(-+1.645 sigma) of the same errors",
        f"uncovered Δv is turned into propellant at Isp {UNCOVERED_ISP_S:g} s [assumed]",
        "attitude-control and CMG-desaturation propellant (Russian thrusters) is not costed: "
        "only reboost and debris-avoidance Δv are budgeted [not modelled]",
        "*_range entries: the drag part scaled by the lowest/highest B of the quiet arcs "
        "fitted over the year before the start (first order) [derived]",
    ]
    policy = ReboostPolicy.from_model(model)
    end = start + spec.years * YEAR_S
    timeline = _timeline(spec, model, t0, start, end, policy)
    stop = next((e.t_s for e in timeline if e.kind == "stop_reboost"), start)
    hold = spec.kind == "hold"
    band_end = end if hold else max(stop, t0)
    _check_covered(atm, band_end, "--years" if hold else "--decay-start")
    split = 0.85 if hold else min(0.5, max(0.02, (stop - t0) / max(end - t0, 1.0)))
    hr = hold_band(
        model,
        state,
        atm,
        band_end,
        policy=policy,
        propulsion=Propulsion(list(model.vehicles), model.mass_kg()),
        timeline=timeline,
        on_progress=_part(on_progress, 0.0, split),
    )
    mass_now = model.mass_kg()
    events = burn_events(hr, start)
    sw = getattr(atm, "space_weather", None)
    sw_info = None if sw is None else {"source": str(sw.source), "policy": sw.policy}
    details: dict[str, Any] = {
        "solar": solar_info,
        "atmosphere": atm.name,
        "space_weather": sw_info,
        "band_km": [model.op("band_low_km"), model.op("band_high_km")],
    }
    added = [c for c in spec.changes if c.kind == "add_flights"]
    if added:  # what the user asked for, beside what it takes (extra_flights_per_year)
        details["added_flights"] = [
            {
                "vehicle": c.vehicle,
                "flights_per_year": c.flights_per_year,
                "from_utc": iso_utc(
                    start if c.date_utc is None else max(start, parse_utc(c.date_utc))
                ),
            }
            for c in added
        ]
    reentry = None
    years = spec.years
    b_fac = state.b_factors() if state.b_range_m2_kg is not None else None
    if hold:
        annual = annual_budget(hr, start, end, mass_now, b_fac)
        if hr.first_shortfall_s is not None:
            until = hr.first_shortfall_s + spec.max_decay_years * YEAR_S
            reentry, sink = sinking_window(
                model,
                state,
                atm,
                policy,
                _timeline(spec, model, t0, start, until, policy),
                until,
                b_fac,
                on_progress=_part(on_progress, split, 1.0),
            )
            events.append(
                {
                    "utc": iso_utc(hr.first_shortfall_s),
                    "kind": "capacity_ran_out",
                    "note": "the vehicles present cannot hold the band; from here each "
                    "reboost goes as far as their propellant takes the station",
                }
            )
            details["sinking_boosts_dv_m_s"] = sum(
                bn.dv_m_s
                for bn in sink.burns
                if bn.kind == "reboost" and bn.t_s >= hr.first_shortfall_s
            )
        gone = {c.partner for c in spec.changes if c.kind == "partner_exit"}
        details.update(replacement(model, gone, annual, mass_now, b_fac))
        shortfall = sum(a["shortfall_dv_m_s"] for a in annual) / max((end - start) / YEAR_S, 1e-9)
    else:
        deo = spec.kind == "deorbit"
        runs = free_decay_reentry(
            hr.final,
            hr.b_final_m2_kg,
            atm,
            start + spec.max_decay_years * YEAR_S,
            scales,
            stop_mean_alt_m=model.deorbit["burns_from_km"].f * 1000.0 if deo else None,
            on_progress=_part(on_progress, split, 1.0),
        )
        hr.t_s = np.concatenate([hr.t_s, runs[0][1][1:]])
        hr.sma_m = np.concatenate([hr.sma_m, runs[0][2][1:]])
        if deo:
            dd = deorbit_profile(model, runs, mass_now)
            reentry, burn = dd.pop("final_burn_utc"), dd.pop("burn")
            events += dd.pop("events")
            details["deorbit"] = dd
            if burn is not None:
                hr.burns.append(burn)
        else:
            reentry = mc_window(
                hr.final,
                hr.b_final_m2_kg,
                atm,
                start + spec.max_decay_years * YEAR_S,
                runs[0][0],
                b_fac,
            ) or percentiles([r[0] for r in runs])
            tt, aa = runs[0][1], runs[0][2]
            d30 = float(np.interp(min(start + 30 * 86400.0, tt[-1]), tt, aa))
            details["decay_first_30_days_m_per_day"] = (float(aa[0]) - d30) / 30.0
        last = max([float(hr.t_s[-1]), start] + [b.t_s for b in hr.burns])
        years = (last - start) / YEAR_S
        details["years_to_reentry" if not deo else "years_to_final_burn"] = years
        annual = annual_budget(hr, start, last + 1.0, mass_now)
        shortfall = 0.0
    if on_progress is not None:
        on_progress(1.0)
    if reentry is not None and reentry["p50"] is not None:
        kind = "final_burn" if spec.kind == "deorbit" else "reentry"
        events.append(
            {"utc": reentry["p50"], "kind": kind, "p05": reentry["p05"], "p95": reentry["p95"]}
        )
    events.sort(key=lambda e: str(e.get("utc", "")))
    return ScenarioResult(
        scenario=spec.name,
        start_utc=iso_utc(start),
        years=years,
        annual=annual,
        shortfall_dv_m_s_per_year=shortfall,
        reentry_utc=reentry,
        events=events,
        assumptions=notes,
        station={**state.describe(), "partners": sorted(model.partner_ids())},
        details=details,
        series={"t_s": hr.t_s, "sma_m": hr.sma_m},
    )


__all__ = [
    "KINDS",
    "Change",
    "ScenarioResult",
    "ScenarioSpec",
    "initial_state",
    "run_scenario",
]
