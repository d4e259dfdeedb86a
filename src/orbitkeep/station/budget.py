"""What a scenario run costs, year by year, and the result it returns.

:func:`annual_budget` turns a band-keeping run into one dict per scenario year (Δv flown,
drag-equivalent Δv, propellant, burns, Δv by vehicle, the part nobody could deliver);
:func:`replacement` says how many flights of each remaining vehicle would carry the need
alone or close the shortfall. The effective B of the ISS changes by ~x2 from arc to arc,
so where the state carries a B range the yearly numbers come with ``*_range`` entries:
the drag part scaled by B_low/B and B_high/B. This is first order and close to exact for
band keeping: the decay rate at a given altitude is proportional to B, and the band fixes
the altitudes flown.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constants import R_EQUATOR_M
from ..timescale import iso_utc, parse_utc
from .deltav import dv_from_propellant_m_s, hohmann_dv_m_s, propellant_kg
from .model import StationModel
from .reboost import YEAR_S, HoldResult

UNCOVERED_ISP_S = 300.0  # [assumed] Isp at which uncovered Δv is turned into propellant


@dataclass
class ScenarioResult:
    """A scenario's answer. Times ISO 8601 UTC; Δv m/s; propellant kg."""

    scenario: str
    start_utc: str
    years: float
    annual: list[dict[str, Any]]
    shortfall_dv_m_s_per_year: float
    reentry_utc: dict[str, str | None] | None
    events: list[dict[str, Any]]
    assumptions: list[str]
    station: dict[str, Any] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    series: dict[str, Any] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (floats rounded sensibly, ISO 8601 UTC times)."""
        return clean_json(
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


def clean_json(x: Any) -> Any:
    """``x`` with numpy scalars made plain, floats rounded to 6 decimals, NaN/inf as None."""
    if isinstance(x, dict):
        return {str(k): clean_json(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [clean_json(v) for v in x]
    if isinstance(x, float | np.floating):
        return None if not math.isfinite(float(x)) else round(float(x), 6)
    if isinstance(x, np.integer):
        return int(x)
    return x


def annual_budget(
    hr: HoldResult,
    start: float,
    end: float,
    mass_kg: float,
    b_factors: tuple[float, float] | None = None,
) -> list[dict[str, Any]]:
    """One dict per scenario year from ``start`` (the last one may be partial)."""
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
        dv = sum(x.dv_m_s for x in bs)
        prop = sum(sum(x.propellant_kg.values()) for x in bs) + propellant_kg(
            unc, mass_kg, UNCOVERED_ISP_S
        )
        row: dict[str, Any] = {
            "year": k + 1,
            "from_utc": iso_utc(a),
            "to_utc": iso_utc(b),
            "dv_m_s": dv,
            "drag_dv_m_s": drag_dv,
            "propellant_kg": prop,
            "burns": sum(1 for x in bs if x.kind == "reboost"),
            "debris_avoidance_burns": sum(1 for x in bs if x.kind == "debris_avoidance"),
            "debris_avoidance_dv_m_s": sum(x.dv_m_s for x in bs if x.kind == "debris_avoidance"),
            "shortfall_dv_m_s": unc,
            "by_vehicle": by,
            "mean_alt_km_min": float(np.nanmin(alt)) / 1000.0,
            "mean_alt_km_max": float(np.nanmax(alt)) / 1000.0,
        }
        if b_factors is not None:
            lo, hi = b_factors
            dv_r = [max(dv + drag_dv * (f - 1.0), 0.0) for f in (lo, hi)]
            row["drag_dv_m_s_range"] = [drag_dv * lo, drag_dv * hi]
            row["dv_m_s_range"] = dv_r
            row["propellant_kg_range"] = [prop * x / dv if dv > 0 else 0.0 for x in dv_r]
        out.append(row)
    return out


#: How the text writes a window end past the horizon (or the space-weather data); in
#: the results (and their JSON) such an end is None (null), as in ``orbitkeep reentry``.
AFTER = "after the horizon"


def percentiles(ends: list[float | None]) -> dict[str, str | None] | None:
    """{p50, p05, p95} (ISO UTC, None past the horizon) from the (p50, p05, p95) end
    epochs (Unix s or None); None when the p50 itself is None (no answer)."""
    if ends[0] is None:
        return None
    lab = ("p50", "p05", "p95")
    return {k: (iso_utc(t) if t is not None else None) for k, t in zip(lab, ends, strict=True)}


def _day(x: Any) -> str:
    """An ISO date's day, or 'after the horizon' for None."""
    return AFTER if x is None else str(x)[:10]


def window_text(w: Mapping[str, Any]) -> str:
    """'p50 (p05 to p95)' of a reentry window, as days (an end past the horizon, None,
    as 'after the horizon')."""
    return f"{_day(w.get('p50'))} ({_day(w.get('p05'))} to {_day(w.get('p95'))})"


def reentry_phrase(w: Mapping[str, Any]) -> str:
    """A reentry window in words, to follow 'reenters' or 'reentry': 'about p50 (p05 to
    p95)'; with the p50 past the horizon, 'after the horizon', with the p05 where it is
    within (5 % of the samples come down before it)."""
    if w.get("p50") is not None:
        return f"about {window_text(w)}"
    if w.get("p05") is not None:
        return f"{AFTER} (5 % of the samples before {_day(w['p05'])})"
    return AFTER


def burn_events(hr: HoldResult, start: float) -> list[dict[str, Any]]:
    """The run's log (arrivals, exits, ...) and burns from ``start`` on, as event dicts."""
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


def _annualised(row: dict[str, Any]) -> dict[str, Any]:
    """A row of :func:`annual_budget` covering less than a year, its Δv sums (m/s) scaled
    to a year by its span."""
    span = parse_utc(row["to_utc"]) - parse_utc(row["from_utc"])
    f = YEAR_S / span if span > 0 else 0.0
    keys = ("drag_dv_m_s", "debris_avoidance_dv_m_s", "shortfall_dv_m_s")
    return {**row, **{k: row[k] * f for k in keys}}


def replacement(
    model: StationModel,
    gone: set[str],
    annual: list[dict[str, Any]],
    mass_kg: float,
    b_factors: tuple[float, float] | None = None,
) -> dict[str, Any]:
    """Flights per year each remaining vehicle would need to carry the need alone, and
    the extra flights per year that close the largest annual shortfall (``gone``: the
    partners that left), and the Δv per year the remaining vehicles in service within the
    first year bring at their configured flight rates."""
    full = [
        a for a in annual if (parse_utc(a["to_utc"]) - parse_utc(a["from_utc"])) > 0.99 * YEAR_S
    ]
    # a horizon under a year has only a partial row: its sums are scaled to a year (the
    # flights a year a half-year's need asks for are twice the half-year's), not given
    # as if they were a year's
    rows = full or [_annualised(a) for a in annual]
    needs = [a["drag_dv_m_s"] + a["debris_avoidance_dv_m_s"] for a in rows]
    need = max(needs, default=0.0)
    worst = max((a["shortfall_dv_m_s"] for a in (rows if not full else annual)), default=0.0)
    out: dict[str, Any] = {
        "need_dv_m_s_per_year_mean": float(np.mean(needs)) if needs else 0.0,
        "need_dv_m_s_per_year_max": need,
        "shortfall_dv_m_s_per_year_max": worst,
        "replace_alone_flights_per_year": {},
        "extra_flights_per_year": {},
        "remaining_capacity_dv_m_s_per_year": 0.0,
    }
    need_r: list[float] | None = None
    if b_factors is not None and rows:
        need_r = [
            max(a["drag_dv_m_s"] * f + a["debris_avoidance_dv_m_s"] for a in rows)
            for f in b_factors
        ]
        out["need_dv_m_s_per_year_max_range"] = need_r
        out["replace_alone_flights_per_year_range"] = {}
    start = parse_utc(annual[0]["from_utc"]) if annual else -math.inf
    m_after = model.mass_kg(model.partner_ids() - gone)
    for v in model.vehicles:
        lo, hi = v.window_s()
        if not v.can_reboost or v.partner in gone or v.isp_s is None or hi <= start:
            continue
        dv1 = dv_from_propellant_m_s(v.propellant_per_flight_kg(mass_kg), m_after, v.isp_s.f)
        if lo > start:  # counted as if it flew from the start (hypothetical)
            out.setdefault("available_later_utc", {})[v.id] = iso_utc(lo)
        if lo < start + YEAR_S:
            out["remaining_capacity_dv_m_s_per_year"] += v.flights_per_year.f * dv1
        out["replace_alone_flights_per_year"][v.id] = need / dv1
        out["extra_flights_per_year"][v.id] = math.ceil(worst / dv1 - 1e-9) if worst > 0 else 0
        if need_r is not None:
            out["replace_alone_flights_per_year_range"][v.id] = [x / dv1 for x in need_r]
    return out


__all__ = [
    "UNCOVERED_ISP_S",
    "ScenarioResult",
    "annual_budget",
    "burn_events",
    "clean_json",
    "percentiles",
    "reentry_phrase",
    "replacement",
]
