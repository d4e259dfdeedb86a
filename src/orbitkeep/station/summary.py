"""The question of the day in plain language: the station today, what keeping it up
costs, and what happens if a partner (by default Roscosmos) leaves.

:func:`question_of_the_day` runs baseline, partner-exit and no-reboost from the same
state (one B fit); :func:`summary_lines` turns them into a few lines a reader
understands.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..environment.spaceweather import SpaceWeather, load_space_weather
from ..io.update import updated_tle_path
from ..timescale import parse_utc
from .budget import ScenarioResult, reentry_phrase
from .model import BUNDLED_ISS_TLE, StationModel, load_station
from .reboost import YEAR_S
from .scenarios import initial_state, run_scenario
from .solar import scenario_environment
from .specs import DECAY_YEARS, HOLD_YEARS, baseline, no_reboost, partner_exit


def question_of_the_day(
    *,
    space_weather: SpaceWeather | None = None,
    tle_path: str | Path | None = None,
    years: float = HOLD_YEARS,
    solar: str = "nominal",
    start_utc: str | None = None,
    partner: str = "roscosmos",
    exit_utc: str | None = None,
    max_decay_years: float = DECAY_YEARS,
    atmosphere_model: str = "msis2.1",
    ap_mode: str = "daily",
    on_progress: Callable[[float], None] | None = None,
) -> dict[str, ScenarioResult]:
    """Baseline, ``partner`` leaving on ``exit_utc`` (None: at the start), and no
    reboost, from the same state (``space_weather`` default: bundled, policy 'cycle')."""
    model = load_station()
    sw = space_weather
    if sw is None and atmosphere_model.lower() not in ("exponential", "exp"):
        sw = load_space_weather(policy="cycle")
    _, fit_atm, _, _ = scenario_environment(
        "nominal", sw, None, atmosphere_model=atmosphere_model, ap_mode=ap_mode
    )
    start_s = None if start_utc is None else parse_utc(start_utc, flag="--start")
    state = initial_state(
        tle_path or updated_tle_path(25544) or BUNDLED_ISS_TLE, fit_atm, model, start_s
    )
    kw: dict[str, Any] = {
        "space_weather": sw,
        "station": model,
        "state": state,
        "atmosphere_model": atmosphere_model,
        "ap_mode": ap_mode,
    }
    specs = {
        "baseline": baseline(start_utc=start_utc, years=years, solar=solar),
        "partner-exit": partner_exit(
            partner, exit_utc, start_utc=start_utc, years=years, solar=solar
        ),
        "no-reboost": no_reboost(start_utc=start_utc, solar=solar, max_years=max_decay_years),
    }
    cuts = {"baseline": (0.0, 0.4), "partner-exit": (0.4, 0.8), "no-reboost": (0.8, 1.0)}
    out = {}
    for name, spec in specs.items():
        lo, hi = cuts[name]
        cb = None if on_progress is None else _scaled(on_progress, lo, hi)
        out[name] = run_scenario(spec, on_progress=cb, **kw)
    return out


def _scaled(cb: Callable[[float], None], lo: float, hi: float) -> Callable[[float], None]:
    return lambda f: cb(lo + (hi - lo) * f)


def _short(model: StationModel, pid: str) -> str:
    """'Roscosmos' for 'Roscosmos (Russia)'."""
    p = next((p for p in model.partners if p.id == pid), None)
    return pid if p is None else p.name.split(" (")[0]


def _range(r: list[float] | None, fmt: str = "{:.1f}") -> str:
    return "" if not r else f" ({fmt.format(r[0])}-{fmt.format(r[1])} over the past year's B)"


def summary_lines(results: dict[str, ScenarioResult] | None = None, **kw: Any) -> list[str]:
    """The few plain-language lines answering the question of the day (runs
    :func:`question_of_the_day` with ``kw`` unless ``results`` are given)."""
    r = results or question_of_the_day(**kw)
    model = load_station()
    base, ex, free = r["baseline"], r["partner-exit"], r["no-reboost"]
    pid = ex.scenario.split(":", 1)[1] if ":" in ex.scenario else "roscosmos"
    who = _short(model, pid)
    st = base.station
    y1 = base.annual[0]
    span_y = (parse_utc(y1["to_utc"]) - parse_utc(y1["from_utc"])) / YEAR_S
    # a horizon under a year (--years) has one partial row: its sums are not a year's
    over = "in the next year" if span_y > 0.99 else f"over the {span_y:.2g} years run"
    need1 = y1["drag_dv_m_s"] + y1["debris_avoidance_dv_m_s"]
    win = st.get("b_fit_window_utc", ["?", "?"])
    band = base.details["band_km"]
    b_rng = st.get("b_range_m2_kg")
    b_note = (
        f"; {b_rng[0]:.4f}-{b_rng[1]:.4f} over {st['b_range_arcs']} arcs of the past year"
        if b_rng
        else ""
    )
    debris = y1["debris_avoidance_dv_m_s"]
    need_r = [x + debris for x in y1["drag_dv_m_s_range"]] if "drag_dv_m_s_range" in y1 else None
    # tonnes of propellant per m/s in the burns of the year (the vehicles' mix of Isp)
    t_per = y1["propellant_kg"] / 1000 / y1["dv_m_s"] if y1["dv_m_s"] > 0 else 0.0
    start_note = (
        "" if base.start_utc[:10] == st["epoch_utc"][:10] else f" (start {base.start_utc[:10]})"
    )
    lines = [
        f"ISS at its latest element set ({st['epoch_utc'][:10]}){start_note}: mean altitude "
        f"{st['mean_alt_km']:.1f} km, mass {st['mass_kg'] / 1000:.0f} t with docked vehicles, "
        f"fitted B = {st['b_m2_kg']:.4f} m²/kg ({win[0][:10]} to {win[1][:10]}{b_note}).",
        f"Holding {band[0]:.0f}-{band[1]:.0f} km needs about {need1:.1f} m/s {over}"
        f"{_range(need_r)}: {y1['drag_dv_m_s']:.1f} for drag, "
        f"{y1['debris_avoidance_dv_m_s']:.1f} for debris avoidance; about "
        f"{t_per * need1:.1f} t of propellant{_range([t_per * x for x in need_r or []])}.",
    ]
    exit_ev = next((e for e in ex.events if e.get("kind") == "partner_exit"), None)
    when = (
        "now"
        if exit_ev is None or exit_ev["utc"][:10] == ex.start_utc[:10]
        else (f"on {exit_ev['utc'][:10]}")
    )
    t_ex = parse_utc(exit_ev["utc"]) if exit_ev else parse_utc(ex.start_utc)
    fleet = ", ".join(
        f"{v.name.split(' (')[0]} {v.flights_per_year.f:g}/yr"
        for v in model.vehicles
        if v.can_reboost
        and v.partner != pid
        and v.window_s()[1] > t_ex
        and v.window_s()[0] < parse_utc(ex.start_utc) + YEAR_S
    )
    cap = ex.details.get("remaining_capacity_dv_m_s_per_year", 0.0)
    fp = free.reentry_utc
    nobody = f"; if nobody flew reboosts in its place, reentry {reentry_phrase(fp)}" if fp else ""
    if ex.reentry_utc is None:
        lines.append(
            f"If {who} leaves {when}, the remaining vehicles ({fleet}: about {cap:.1f} m/s/yr, "
            f"rates partly assumed) hold the band over the {ex.years:g} years (shortfall "
            f"{ex.shortfall_dv_m_s_per_year:.1f} m/s/yr){nobody}."
        )
    else:
        p = ex.reentry_utc
        lost = next((e for e in ex.events if e.get("kind") == "capacity_ran_out"), None)
        since = f"; the band is lost on {lost['utc'][:10]}" if lost else ""  # first shortfall
        lines.append(
            f"If {who} leaves {when} and nobody replaces it ({fleet} remain): shortfall "
            f"{ex.shortfall_dv_m_s_per_year:.1f} m/s/yr{since} and, with the vehicles left "
            f"boosting what they bring, the station reenters {reentry_phrase(p)}."
        )
    alone = ex.details.get("replace_alone_flights_per_year", {})
    alone_r = ex.details.get("replace_alone_flights_per_year_range", {})
    later = ex.details.get("available_later_utc", {})
    names = {
        v.id: v.name.split(" (")[0] + (f" (flying from {later[v.id][:7]})" if v.id in later else "")
        for v in model.vehicles
    }
    if alone:
        lines.append(
            f"To replace {who}'s reboosts, flights per year of one remaining vehicle alone: "
            + "; ".join(
                f"{names[k]} {v:.1f}"
                + (f" ({alone_r[k][0]:.1f}-{alone_r[k][1]:.1f})" if k in alone_r else "")
                for k, v in alone.items()
            )
            + "."
        )
    else:
        lines.append(f"No remaining vehicle can reboost the station once {who} leaves.")
    extra = {k: v for k, v in ex.details.get("extra_flights_per_year", {}).items() if v}
    if extra:
        lines.append(
            "Or close the shortfall with extra flights per year: "
            + " or ".join(f"{v} {names[k]}" for k, v in extra.items())
            + "."
        )
    gone = ", ".join(c.replace("_", " ") for c in model.sole_capabilities(pid))
    if gone:
        lines.append(
            f"Only {who} provides: {gone}; these must be replaced too "
            "(their propellant is not costed here)."
        )
    if free.reentry_utc:
        if ex.reentry_utc is not None:  # not said yet
            lines.append(f"With no reboost at all: reentry {reentry_phrase(free.reentry_utc)}.")
    else:
        lines.append(f"With no reboost at all it stays up beyond {free.years:.0f} years.")
    return lines


def _rng(row: dict[str, Any], key: str, scale: float = 1.0) -> str:
    r = row.get(key)
    return "" if not r else f" [{r[0] * scale:.1f}-{r[1] * scale:.1f}]"


def scenario_lines(res: ScenarioResult) -> list[str]:
    """One scenario's answer in plain lines: the state, a table of the years, the dates."""
    st = res.station
    win = st.get("b_fit_window_utc", ["?", "?"])
    solar = res.details.get("solar", {})
    model = load_station()
    later = res.details.get("available_later_utc", {})
    names = {
        v.id: v.name.split(" (")[0] + (f" (from {later[v.id][:7]})" if v.id in later else "")
        for v in model.vehicles
    }
    lines = [
        f"Scenario {res.scenario} from {res.start_utc[:10]} (solar {solar.get('choice', '?')}, "
        f"{res.details.get('atmosphere', '?')}): ISS at {st['mean_alt_km']:.1f} km on "
        f"{st['epoch_utc'][:10]}, B = {st['b_m2_kg']:.4f} m²/kg (fitted {win[0][:10]} to "
        f"{win[1][:10]}).",
        "",
    ]
    if "replace_alone_flights_per_year" not in res.details:  # free decay / deorbit
        lines.append(" year  from        mean altitude km (highest to lowest)  Δv m/s")
        lines += [
            f" {y['year']:>4}  {y['from_utc'][:10]}  {y['mean_alt_km_max']:6.1f} to "
            f"{y['mean_alt_km_min']:6.1f}{'':23}{y['dv_m_s']:6.1f}"
            for y in res.annual
        ]
    else:
        lines.append(
            " year  from        Δv m/s  drag Δv m/s [B range]  propellant t [B range]  burns"
            "  shortfall m/s  Δv by vehicle (m/s)"
        )
    for y in res.annual if "replace_alone_flights_per_year" in res.details else []:
        by = ", ".join(f"{k} {v:.1f}" for k, v in sorted(y["by_vehicle"].items()))
        lines.append(
            f" {y['year']:>4}  {y['from_utc'][:10]}  {y['dv_m_s']:6.1f}  "
            f"{y['drag_dv_m_s']:6.1f}{_rng(y, 'drag_dv_m_s_range'):<16}  "
            f"{y['propellant_kg'] / 1000:6.2f}{_rng(y, 'propellant_kg_range', 1e-3):<16}  "
            f"{y['burns']:>5}  {y['shortfall_dv_m_s']:13.1f}  {by or '-'}"
        )
    lines.append("")
    if res.shortfall_dv_m_s_per_year > 0:
        lines.append(
            f"Shortfall: {res.shortfall_dv_m_s_per_year:.1f} m/s per year the vehicles "
            "present cannot deliver."
        )
    for e in res.events:
        k = e.get("kind")
        if k == "partner_exit":
            lost = ", ".join(c.replace("_", " ") for c in e.get("capabilities_lost", []))
            lines.append(
                f"{e['utc'][:10]}: {e['partner']} leaves"
                + (f" (only it provides: {lost}; not costed here)" if lost else "")
                + "."
            )
        elif k == "capacity_ran_out":
            lines.append(
                f"{e['utc'][:10]}: the vehicles present cannot hold the band; from here each "
                "reboost goes as far as their propellant takes the station."
            )
        elif k in ("crew_departure", "usdv_burns_start"):
            what = "crew leaves" if k == "crew_departure" else "USDV burns start"
            lines.append(f"{e['utc'][:10]}: {what} at {e['alt_km']:.0f} km.")
        elif k == "arrival" and e.get("vehicle") == "usdv":
            lines.append(f"{e['utc'][:10]}: {e.get('note', 'USDV docks')}.")
    p = res.reentry_utc
    if "deorbit" in res.details:
        d = res.details["deorbit"]
        lines.append(
            f"Final burns: {d['final_burn_dv_m_s']:.1f} m/s, {d['final_burn_propellant_kg'] / 1000:.1f} t "
            f"of the USDV's {d['usdv_usable_propellant_kg'] / 1000:.0f} t"
            + (f", {reentry_phrase(p)}." if p else ", not reached within the horizon.")
        )
    elif p and any(p.values()):
        lines.append(f"Uncontrolled reentry {reentry_phrase(p)}.")
    elif res.scenario == "no-reboost":
        lines.append(f"No reentry within {res.years:.1f} years.")
    alone = res.details.get("replace_alone_flights_per_year", {})
    extra = {k: v for k, v in res.details.get("extra_flights_per_year", {}).items() if v}
    for a in res.details.get("added_flights", []):
        lines.append(
            f"Added from {a['from_utc'][:10]} (--extra-flights): {a['flights_per_year']:g} "
            f"flights per year of {names.get(a['vehicle'], a['vehicle'])}."
        )
    if res.scenario.startswith("partner-exit") and alone:
        lines.append(
            "Flights per year of one remaining vehicle alone to carry the need: "
            + "; ".join(f"{names.get(k, k)} {v:.1f}" for k, v in alone.items())
            + "."
        )
    if extra:
        lines.append(
            "Extra flights per year that close the shortfall: "
            + " or ".join(f"{v} {names.get(k, k)}" for k, v in extra.items())
            + "."
        )
    lines.append(
        "Not costed: attitude-control and CMG-desaturation propellant; --json lists every "
        "assumption."
    )
    return lines


__all__ = ["question_of_the_day", "scenario_lines", "summary_lines"]
