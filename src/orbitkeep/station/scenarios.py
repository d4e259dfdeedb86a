"""Scenarios: dated lists of changes to the partnership, run against the orbit.

Built-ins (:data:`BUILTINS`): ``baseline`` (today's partners and vehicles hold the band),
``partner-exit`` (a partner leaves on a date: its vehicles, propellant and docked mass go;
the others try to hold the band; the Δv they cannot deliver is the shortfall, and if the
band cannot be held the station decays freely from the moment the capacity ran out),
``no-reboost`` (free decay from the start) and ``deorbit`` (NASA/SpaceX profile: free
decay from ~400 km, crew off at ~330 km, USDV burns from ~220 km).

Solar activity ``nominal|high|low``: the CelesTrak file has one predicted F10.7 series and
no percentiles, so high/low scale the *predicted* (not observed) F10.7 and F10.7a by
exp(±1.645 s), s the standard deviation of ln(cycle-mean F10.7) over the complete solar
cycles observed in the same file (cycles 20-24: s ~ 0.14, factors ~1.25 / ~0.80).
Reentry p05/p50/p95: deterministic run (p50) and runs at density scale exp(±1.645 x 0.181),
the NRLMSIS-vs-HASDM scatter at 400 km (facts B.6); p05 is the early (denser) date.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from ..constants import R_EQUATOR_M
from ..environment.atmosphere import Atmosphere, make_atmosphere
from ..environment.spaceweather import (
    SECTION_OBSERVED,
    MsisDrivers,
    SpaceWeather,
    load_space_weather,
)
from ..errors import ParameterError
from ..timescale import iso_utc, parse_utc
from .model import (
    BUNDLED_ISS_TLE,
    StationModel,
    StationState,
    load_station,
    station_state_from_tles,
)
from .reboost import (
    YEAR_S,
    Burn,
    HoldResult,
    Propulsion,
    ReboostPolicy,
    TimelineEvent,
    arrival_train,
    dv_from_propellant_m_s,
    free_decay_reentry,
    hohmann_dv_m_s,
    hold_band,
    perigee_lowering_dv_m_s,
    propellant_kg,
)

SOLAR_CHOICES = ("nominal", "high", "low")
KINDS = ("hold", "free-decay", "deorbit")
Z95 = 1.645
UNCOVERED_ISP_S = 300.0  # [assumed] Isp at which uncovered Δv is turned into propellant


@dataclass(frozen=True)
class Change:
    """A dated change. ``kind``: 'partner_exit' (partner), 'add_flights' (vehicle,
    flights_per_year extra, first one on the date), 'stop_reboost'. ``date_utc`` None:
    at the scenario start."""

    kind: str
    date_utc: str | None = None
    partner: str = ""
    vehicle: str = ""
    flights_per_year: float = 0.0


@dataclass(frozen=True)
class ScenarioSpec:
    """What to run: kind ('hold', 'free-decay', 'deorbit'), start (None: the epoch of the
    latest element set), horizon in years, solar choice and the dated changes."""

    name: str
    kind: str = "hold"
    start_utc: str | None = None
    years: float = 5.0
    solar: str = "nominal"
    changes: tuple[Change, ...] = ()
    max_decay_years: float = 30.0

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ParameterError(f"unknown scenario kind {self.kind!r}", flag="kind")
        if self.solar not in SOLAR_CHOICES:
            raise ParameterError(f"expected one of {', '.join(SOLAR_CHOICES)}", flag="--solar")
        if not (math.isfinite(self.years) and self.years > 0):
            raise ParameterError(f"must be positive, got {self.years}", flag="--years")


def baseline(
    *, start_utc: str | None = None, years: float = 5.0, solar: str = "nominal"
) -> ScenarioSpec:
    """Today's partners and vehicles hold the sourced band."""
    return ScenarioSpec("baseline", "hold", start_utc, years, solar)


def partner_exit(
    partner: str = "roscosmos",
    exit_utc: str | None = None,
    *,
    start_utc: str | None = None,
    years: float = 5.0,
    solar: str = "nominal",
    extra_flights: dict[str, float] | None = None,
) -> ScenarioSpec:
    """``partner`` leaves on ``exit_utc`` (None: at the start); optional extra flights per
    year of the remaining vehicles from the exit date."""
    ch = [Change("partner_exit", exit_utc, partner=partner)]
    ch += [
        Change("add_flights", exit_utc, vehicle=v, flights_per_year=f)
        for v, f in (extra_flights or {}).items()
    ]
    return ScenarioSpec(f"partner-exit:{partner}", "hold", start_utc, years, solar, tuple(ch))


def no_reboost(
    *, start_utc: str | None = None, solar: str = "nominal", max_years: float = 30.0
) -> ScenarioSpec:
    """Free decay from the start until reentry."""
    return ScenarioSpec("no-reboost", "free-decay", start_utc, max_years, solar, (), max_years)


def deorbit(
    *,
    start_utc: str | None = None,
    decay_start_utc: str | None = None,
    solar: str = "nominal",
    max_years: float = 30.0,
) -> ScenarioSpec:
    """Band kept until ``decay_start_utc`` (None: the start), then the USDV profile."""
    ch = (Change("stop_reboost", decay_start_utc),)
    return ScenarioSpec("deorbit", "deorbit", start_utc, max_years, solar, ch, max_years)


BUILTINS = {
    "baseline": baseline,
    "partner-exit": partner_exit,
    "no-reboost": no_reboost,
    "deorbit": deorbit,
}


class SolarScaledSpaceWeather:
    """A :class:`SpaceWeather` whose predicted/extrapolated F10.7 and F10.7a are scaled."""

    def __init__(self, sw: SpaceWeather, factor: float) -> None:
        self._sw, self.factor = sw, factor

    def msis_drivers(self, t_s: Any) -> MsisDrivers:
        """The wrapped drivers, F10.7 and F10.7a times ``factor`` outside observed days."""
        d = self._sw.msis_drivers(t_s)
        k = np.where(d.section != SECTION_OBSERVED, self.factor, 1.0)
        return MsisDrivers(d.f107_sfu * k, d.f107a_sfu * k, d.ap, d.section)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sw, name)


def solar_factors(sw: SpaceWeather) -> dict[str, Any]:
    """F10.7 factors for 'high'/'low' from the cycle-to-cycle spread in ``sw``'s observations.

    Cycle boundaries: minima of the 13-month running mean of observed F10.7 at least 8
    years apart; s = std of ln(mean F10.7 over each complete cycle).
    """
    obs = np.asarray(sw.day_section) == SECTION_OBSERVED
    f = np.asarray(sw.f107_obs_sfu)[obs]
    t = np.asarray(sw.day_start_s)[obs]
    k = 396
    if f.size < 3 * 4018:
        raise ParameterError("the space-weather file has too few observed cycles", flag="--solar")
    sm = np.convolve(f, np.ones(k) / k, mode="valid")
    w = 4 * 365
    mins = [i for i in range(w, sm.size - w) if sm[i] == sm[i - w : i + w].min()]
    means = [float(f[a + k // 2 : b + k // 2].mean()) for a, b in itertools.pairwise(mins)]
    s = float(np.std(np.log(means), ddof=1))
    return {
        "high": math.exp(Z95 * s),
        "low": math.exp(-Z95 * s),
        "nominal": 1.0,
        "sigma_ln": s,
        "cycles": len(means),
        "minima_utc": [iso_utc(float(t[i + k // 2]))[:10] for i in mins],
    }


@dataclass
class ScenarioResult:
    """A scenario's answer. Times ISO 8601 UTC; Δv m/s; propellant kg."""

    scenario: str
    start_utc: str
    years: float
    annual: list[dict[str, Any]]
    shortfall_dv_m_s_per_year: float
    reentry_utc: dict[str, str] | None
    events: list[dict[str, Any]]
    assumptions: list[str]
    station: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (floats rounded sensibly, ISO 8601 UTC times)."""
        return _clean(
            {
                k: getattr(self, k)
                for k in (
                    "scenario",
                    "start_utc",
                    "years",
                    "annual",
                    "shortfall_dv_m_s_per_year",
                    "reentry_utc",
                    "events",
                    "assumptions",
                    "station",
                    "details",
                )
            }
        )


def _clean(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, float | np.floating):
        return None if not math.isfinite(float(x)) else round(float(x), 6)
    if isinstance(x, np.integer):
        return int(x)
    return x


def _timeline(
    spec: ScenarioSpec,
    model: StationModel,
    t0: float,
    start: float,
    end: float,
    policy: ReboostPolicy | None,
) -> list[TimelineEvent]:
    def when(c: Change) -> float:
        return start if c.date_utc is None else parse_utc(c.date_utc, flag=c.kind)

    ev: list[TimelineEvent] = []
    for v in model.vehicles:
        lo, hi = v.window_s()
        for t in arrival_train(
            max(t0, lo), min(end, hi), v.flights_per_year.f if v.can_reboost else 0
        ):
            ev.append(TimelineEvent(t, "arrival", vehicle=v.id, label=v.name))
    for c in spec.changes:
        t = when(c)
        if c.kind == "partner_exit":
            if c.partner not in model.partner_ids():
                raise ParameterError(f"unknown partner {c.partner!r}", flag="--partner")
            ev.append(TimelineEvent(t, "partner_exit", partner=c.partner))
        elif c.kind == "add_flights":
            v = model.vehicle(c.vehicle)
            for ta in arrival_train(max(t, t0), min(end, v.window_s()[1]), c.flights_per_year):
                ev.append(TimelineEvent(ta, "arrival", vehicle=v.id, label=f"{v.name} (extra)"))
        elif c.kind == "stop_reboost":
            ev.append(TimelineEvent(t, "stop_reboost", label="reboosts end"))
        else:
            raise ParameterError(f"unknown change kind {c.kind!r}", flag="changes")
    if policy is not None and policy.debris_per_year > 0:
        n = math.floor((end - t0) / YEAR_S * policy.debris_per_year)
        ev += [
            TimelineEvent(t0 + (k + 0.5) * YEAR_S / policy.debris_per_year, "debris_avoidance")
            for k in range(n)
        ]
    return sorted(ev, key=lambda e: (e.t_s, e.kind != "partner_exit"))


def _annual(hr: HoldResult, start: float, end: float, mass_kg: float) -> list[dict[str, Any]]:
    out = []
    for k in range(max(1, math.ceil((end - start) / YEAR_S - 1e-6))):
        a, b = start + k * YEAR_S, min(start + (k + 1) * YEAR_S, end)
        bs = [x for x in hr.burns if a <= x.t_s < b]
        by: dict[str, float] = {}
        for x in bs:
            for vid, dv in x.by_vehicle_m_s.items():
                by[vid] = by.get(vid, 0.0) + dv
        unc = sum(x.uncovered_m_s for x in bs)
        if unc > 0:
            by["uncovered"] = unc
        sel = (hr.t_s >= a) & (hr.t_s <= b)
        alt = hr.sma_m[sel] - R_EQUATOR_M if sel.any() else np.array([np.nan])
        # drag-equivalent Δv: the raises flown, corrected for the altitude change over the
        # year (the sawtooth makes the burns alone lumpy: 1 or 2 top-ups per year)
        a_s, a_e = (float(np.interp(x, hr.t_s, hr.sma_m)) for x in (a, min(b, hr.t_s[-1])))
        raise_dv = sum(x.dv_m_s for x in bs if x.kind == "reboost")
        drag_dv = raise_dv + math.copysign(hohmann_dv_m_s(a_s, a_e), a_s - a_e)
        out.append(
            {
                "year": k + 1,
                "from_utc": iso_utc(a),
                "to_utc": iso_utc(b),
                "dv_m_s": sum(x.dv_m_s for x in bs),
                "drag_dv_m_s": drag_dv,
                "propellant_kg": sum(sum(x.propellant_kg.values()) for x in bs)
                + propellant_kg(unc, mass_kg, UNCOVERED_ISP_S),
                "burns": sum(1 for x in bs if x.kind == "reboost"),
                "debris_avoidance_burns": sum(1 for x in bs if x.kind == "debris_avoidance"),
                "debris_avoidance_dv_m_s": sum(
                    x.dv_m_s for x in bs if x.kind == "debris_avoidance"
                ),
                "shortfall_dv_m_s": unc,
                "by_vehicle": by,
                "mean_alt_km_min": float(np.nanmin(alt)) / 1000.0,
                "mean_alt_km_max": float(np.nanmax(alt)) / 1000.0,
            }
        )
    return out


def _percentiles(ends: list[float | None]) -> dict[str, str] | None:
    if ends[0] is None:
        return None
    lab = ("p50", "p05", "p95")
    return {
        k: (iso_utc(t) if t is not None else "after the horizon")
        for k, t in zip(lab, ends, strict=True)
    }


def _environment(
    spec: ScenarioSpec, space_weather: SpaceWeather | None, atmosphere: Atmosphere | None
) -> tuple[Atmosphere, Atmosphere, dict[str, Any], list[str]]:
    """(scenario atmosphere, nominal atmosphere for the B fit, solar info, notes)."""
    if atmosphere is not None:
        if spec.solar != "nominal":
            raise ParameterError("a custom atmosphere takes no solar choice", flag="--solar")
        return atmosphere, atmosphere, {"choice": "nominal", "factor": 1.0}, []
    sw = space_weather or load_space_weather(policy="cycle")
    nominal = make_atmosphere("msis2.1", sw)
    if spec.solar == "nominal":
        return nominal, nominal, {"choice": "nominal", "factor": 1.0}, []
    sf = solar_factors(sw)
    k = sf[spec.solar]
    scaled = make_atmosphere("msis2.1", cast(SpaceWeather, SolarScaledSpaceWeather(sw, k)))
    info = {"choice": spec.solar, "factor": k, "sigma_ln": sf["sigma_ln"], "cycles": sf["cycles"]}
    note = (
        f"solar '{spec.solar}': predicted F10.7/F10.7a x {k:.3f} [derived: exp(±1.645 s), "
        f"s = {sf['sigma_ln']:.3f} = std of ln cycle-mean F10.7 over {sf['cycles']} observed "
        f"cycles in {sw.source}]"
    )
    return scaled, nominal, info, [note]


def _burn_events(hr: HoldResult, start: float) -> list[dict[str, Any]]:
    out = [
        {**{k: v for k, v in e.items() if k != "t_s"}, "utc": iso_utc(e["t_s"])}
        for e in hr.events
        if e["t_s"] >= start - 1 or e["kind"] != "arrival"
    ]
    out += [
        {
            "utc": iso_utc(b.t_s),
            "kind": b.kind,
            "dv_m_s": b.dv_m_s,
            "by_vehicle": b.by_vehicle_m_s,
            "uncovered_m_s": b.uncovered_m_s,
            "alt_before_km": b.alt_before_m / 1000.0,
        }
        for b in hr.burns
        if b.t_s >= start
    ]
    return out


def run_scenario(
    spec: ScenarioSpec,
    *,
    space_weather: SpaceWeather | None = None,
    tle_path: str | Path | None = None,
    station: StationModel | None = None,
    state: StationState | None = None,
    atmosphere: Atmosphere | None = None,
) -> ScenarioResult:
    """Run one scenario.

    ``space_weather``: default the bundled CelesTrak file with policy 'cycle'.
    ``tle_path``: the station's element sets (default: the bundled ISS file); the state is
    the last set at or before the start, B fitted on the history before it (always with
    the nominal drivers: the solar choice is about the future). ``state`` overrides both;
    ``atmosphere`` overrides NRLMSIS 2.1 (then ``solar`` must be nominal).
    """
    model = station or load_station()
    atm, fit_atm, solar_info, notes = _environment(spec, space_weather, atmosphere)
    start_req = None if spec.start_utc is None else parse_utc(spec.start_utc, flag="--start")
    if state is None:
        state = station_state_from_tles(
            tle_path or BUNDLED_ISS_TLE, fit_atm, model, as_of_s=start_req
        )
    t0 = state.epoch_s
    start = max(start_req if start_req is not None else t0, t0)
    sig = model.op("density_sigma_frac")
    scales = (1.0, math.exp(Z95 * sig), math.exp(-Z95 * sig))
    notes = (
        model.assumptions()
        + notes
        + [
            "B = Cd A / m scales with the station mass when docked vehicles leave; area kept [assumed]",
            "unused reboost propellant carries over between flights [assumed]",
            f"reentry p05/p95: density x {scales[1]:.3f} / x {scales[2]:.3f} (1.645 x 18.1% "
            "NRLMSIS-vs-HASDM scatter, "
            "https://www.swsc-journal.org/articles/swsc/full_html/2021/01/swsc210039/T3.html)",
            f"uncovered Δv is turned into propellant at Isp {UNCOVERED_ISP_S:g} s [assumed]",
        ]
    )
    policy = None if spec.kind == "free-decay" else ReboostPolicy.from_model(model)
    end = start + spec.years * YEAR_S
    timeline = _timeline(spec, model, t0, start, end, policy)
    stop = next((e.t_s for e in timeline if e.kind == "stop_reboost"), start)
    hr = hold_band(
        model,
        state,
        atm,
        end if spec.kind == "hold" else max(stop, t0),
        policy=policy,
        propulsion=Propulsion(list(model.vehicles), model.mass_kg()),
        timeline=timeline,
    )
    mass_now = model.mass_kg()
    events = _burn_events(hr, start)
    details: dict[str, Any] = {
        "solar": solar_info,
        "atmosphere": atm.name,
        "band_km": [model.op("band_low_km"), model.op("band_high_km")],
    }
    reentry = None
    years = spec.years
    if spec.kind == "hold":
        annual = _annual(hr, start, end, mass_now)
        if hr.state_at_shortfall is not None and hr.first_shortfall_s is not None:
            assert hr.b_at_shortfall_m2_kg is not None
            runs = free_decay_reentry(
                hr.state_at_shortfall,
                hr.b_at_shortfall_m2_kg,
                atm,
                hr.first_shortfall_s + spec.max_decay_years * YEAR_S,
                scales,
            )
            reentry = _percentiles([r[0] for r in runs])
            events.append(
                {
                    "utc": iso_utc(hr.first_shortfall_s),
                    "kind": "capacity_ran_out",
                    "note": "the vehicles present cannot deliver the reboost; free decay from here",
                }
            )
        details.update(_replacement(model, spec, annual, mass_now))
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
        )
        hr.t_s = np.concatenate([hr.t_s, runs[0][1][1:]])
        hr.sma_m = np.concatenate([hr.sma_m, runs[0][2][1:]])
        if deo:
            dd = _deorbit(model, runs, mass_now)
            reentry, burn = dd.pop("final_burn_utc"), dd.pop("burn")
            events += dd.pop("events")
            details["deorbit"] = dd
            if burn is not None:
                hr.burns.append(burn)
        else:
            reentry = _percentiles([r[0] for r in runs])
            tt, aa = runs[0][1], runs[0][2]
            d30 = float(np.interp(min(start + 30 * 86400.0, tt[-1]), tt, aa))
            details["decay_first_30_days_m_per_day"] = (float(aa[0]) - d30) / 30.0
        last = max([float(hr.t_s[-1]), start] + [b.t_s for b in hr.burns])
        years = (last - start) / YEAR_S
        details["years_to_reentry" if not deo else "years_to_final_burn"] = years
        annual = _annual(hr, start, last + 1.0, mass_now)
        shortfall = 0.0
    if reentry is not None:
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
    )


def _replacement(
    model: StationModel, spec: ScenarioSpec, annual: list[dict[str, Any]], mass_kg: float
) -> dict[str, Any]:
    """Flights per year each remaining vehicle would need to carry the need alone, and
    the extra flights per year that close the largest annual shortfall."""
    gone = {c.partner for c in spec.changes if c.kind == "partner_exit"}
    full = [
        a for a in annual if (parse_utc(a["to_utc"]) - parse_utc(a["from_utc"])) > 0.99 * YEAR_S
    ]
    needs = [a["drag_dv_m_s"] + a["debris_avoidance_dv_m_s"] for a in (full or annual)]
    need = max(needs, default=0.0)
    worst = max((a["shortfall_dv_m_s"] for a in annual), default=0.0)
    out: dict[str, Any] = {
        "need_dv_m_s_per_year_mean": float(np.mean(needs)) if needs else 0.0,
        "need_dv_m_s_per_year_max": need,
        "shortfall_dv_m_s_per_year_max": worst,
        "replace_alone_flights_per_year": {},
        "extra_flights_per_year": {},
    }
    start = parse_utc(annual[0]["from_utc"]) if annual else -math.inf
    m_after = model.mass_kg(model.partner_ids() - gone)
    for v in model.vehicles:
        lo, hi = v.window_s()
        if not v.can_reboost or v.partner in gone or v.isp_s is None or hi <= start:
            continue
        if lo > start:  # counted as if it flew from the start (hypothetical)
            out.setdefault("available_later_utc", {})[v.id] = iso_utc(lo)
        dv1 = dv_from_propellant_m_s(v.propellant_per_flight_kg(mass_kg), m_after, v.isp_s.f)
        out["replace_alone_flights_per_year"][v.id] = need / dv1
        out["extra_flights_per_year"][v.id] = math.ceil(worst / dv1 - 1e-9) if worst > 0 else 0
    return out


def _deorbit(
    model: StationModel,
    runs: list[tuple[float | None, np.ndarray, np.ndarray, str]],
    mass_kg: float,
) -> dict[str, Any]:
    """Dates of the profile's altitude gates, the final burns' Δv and propellant."""
    d = {k: q.f for k, q in model.deorbit.items()}
    usdv = model.vehicle("usdv")
    assert (
        usdv.isp_s is not None
        and usdv.mass_kg is not None
        and usdv.usable_propellant_kg is not None
    )

    def cross(t: np.ndarray, a: np.ndarray, alt_km: float) -> float | None:
        h = (a - R_EQUATOR_M) / 1000.0
        if h[0] <= alt_km or h[-1] > alt_km:
            return None
        j = int(np.argmax(h <= alt_km))
        return float(np.interp(alt_km, [h[j], h[j - 1]], [t[j], t[j - 1]]))

    dates: dict[str, dict[str, str | None]] = {}
    finals = []
    for key in ("decay_from_km", "crew_departure_km", "burns_from_km"):
        dates[key] = {}
        for lab, (_, t, a, _) in zip(("p50", "p05", "p95"), runs, strict=True):
            x = cross(t, a, d[key])
            dates[key][lab] = None if x is None else iso_utc(x)
    for _, t, a, st in runs:
        x = cross(t, a, d["burns_from_km"]) if st == "stopped" else None
        finals.append(None if x is None else x + d["burn_series_days"] * 86400.0)
    dv = perigee_lowering_dv_m_s(d["burns_from_km"], d["target_perigee_km"])
    h_b = d["burns_from_km"] * 1000.0
    stack = mass_kg + usdv.mass_kg.f
    prop = propellant_kg(dv, stack, usdv.isp_s.f)
    final = _percentiles(finals)
    ev: list[dict[str, Any]] = []
    if finals[0] is not None:
        dock = finals[0] - d["usdv_docked_before_final_burn_days"] * 86400.0
        ready = usdv.window_s()[0]
        late = "" if dock >= ready else f" (before its availability {iso_utc(ready)[:10]})"
        note = "USDV docked ~18 months before the final burn" + late
        ev.append({"utc": iso_utc(dock), "kind": "arrival", "vehicle": "usdv", "note": note})
    for key, kind in (
        ("crew_departure_km", "crew_departure"),
        ("burns_from_km", "usdv_burns_start"),
    ):
        if dates[key]["p50"]:
            ev.append({"utc": dates[key]["p50"], "kind": kind, "alt_km": d[key]})
    return {
        "altitude_gates_utc": dates,
        "final_burn_dv_m_s": dv,
        "final_burn_propellant_kg": prop,
        "stack_mass_kg": stack,
        "usdv_usable_propellant_kg": usdv.usable_propellant_kg.f,
        "propellant_margin_kg": usdv.usable_propellant_kg.f - prop,
        "target_perigee_km": d["target_perigee_km"],
        "final_burn_utc": final,
        "events": ev,
        "burn": None
        if finals[0] is None
        else Burn(finals[0], "deorbit", dv, {"usdv": dv}, {"usdv": prop}, 0.0, h_b, h_b),
    }


def question_of_the_day(
    *,
    space_weather: SpaceWeather | None = None,
    tle_path: str | Path | None = None,
    years: float = 5.0,
    solar: str = "nominal",
) -> dict[str, ScenarioResult]:
    """Baseline, Roscosmos exit now, and no reboost, from the same state."""
    model = load_station()
    sw = space_weather or load_space_weather(policy="cycle")
    atm = make_atmosphere("msis2.1", sw)
    state = station_state_from_tles(tle_path or BUNDLED_ISS_TLE, atm, model)
    kw: dict[str, Any] = {"space_weather": sw, "station": model, "state": state}
    return {
        "baseline": run_scenario(baseline(years=years, solar=solar), **kw),
        "partner-exit": run_scenario(partner_exit("roscosmos", years=years, solar=solar), **kw),
        "no-reboost": run_scenario(no_reboost(solar=solar), **kw),
    }


def summary_lines(results: dict[str, ScenarioResult] | None = None, **kw: Any) -> list[str]:
    """The few plain-language lines answering the question of the day (runs
    :func:`question_of_the_day` with ``kw`` unless ``results`` are given)."""
    r = results or question_of_the_day(**kw)
    model = load_station()
    base, ex, free = r["baseline"], r["partner-exit"], r["no-reboost"]
    st = base.station
    y1 = base.annual[0]
    need1 = y1["drag_dv_m_s"] + y1["debris_avoidance_dv_m_s"]
    win = st.get("b_fit_window_utc", ["?", "?"])
    band = base.details["band_km"]
    lines = [
        f"ISS on {st['epoch_utc'][:10]}: mean altitude {st['mean_alt_km']:.1f} km, mass "
        f"{st['mass_kg'] / 1000:.0f} t with docked vehicles, B = {st['b_m2_kg']:.4f} m²/kg "
        f"(fitted {win[0][:10]} to {win[1][:10]}).",
        f"Holding {band[0]:.0f}-{band[1]:.0f} km needs about {need1:.1f} m/s in the next year "
        f"({y1['drag_dv_m_s']:.1f} for drag, {y1['debris_avoidance_dv_m_s']:.1f} for debris "
        f"avoidance), about {y1['propellant_kg'] / 1000:.1f} t of propellant.",
    ]
    gone = ", ".join(c.replace("_", " ") for c in model.sole_capabilities("roscosmos"))
    if ex.reentry_utc is None:
        lines.append(
            f"If Roscosmos leaves now, the remaining vehicles hold the band "
            f"(shortfall {ex.shortfall_dv_m_s_per_year:.1f} m/s/yr)."
        )
    else:
        p = ex.reentry_utc
        lines.append(
            f"If Roscosmos leaves now and nobody replaces it: shortfall "
            f"{ex.shortfall_dv_m_s_per_year:.1f} m/s/yr; uncontrolled reentry about "
            f"{p['p50'][:10]} ({p['p05'][:10]} to {p['p95'][:10]})."
        )
    alone = ex.details.get("replace_alone_flights_per_year", {})
    later = ex.details.get("available_later_utc", {})
    names = {
        v.id: v.name + (f" (flying from {later[v.id][:7]})" if v.id in later else "")
        for v in model.vehicles
    }
    lines.append(
        "To replace it, flights per year of one remaining vehicle alone: "
        + "; ".join(f"{names[k]} {v:.1f}" for k, v in alone.items())
        + "."
    )
    extra = {k: v for k, v in ex.details.get("extra_flights_per_year", {}).items() if v}
    if extra:
        lines.append(
            "Or close the shortfall with extra flights per year: "
            + " or ".join(f"{v} {names[k]}" for k, v in extra.items())
            + "."
        )
    if gone:
        lines.append(f"Only Roscosmos provides: {gone}; these must be replaced too.")
    if free.reentry_utc:
        lines.append(
            f"With no reboost at all: reentry about {free.reentry_utc['p50'][:10]} "
            f"({free.reentry_utc['p05'][:10]} to {free.reentry_utc['p95'][:10]})."
        )
    return lines


__all__ = [
    "BUILTINS",
    "Change",
    "ScenarioResult",
    "ScenarioSpec",
    "baseline",
    "deorbit",
    "no_reboost",
    "partner_exit",
    "question_of_the_day",
    "run_scenario",
    "summary_lines",
]
