"""The sourced deorbit profile (facts A.9): free decay from ~400 km, the crew leaves at
~330 km, the US Deorbit Vehicle (USDV) burns from ~220 km over ~4 days; it docks ~18
months before the final burn.

:func:`deorbit_profile` reads the free-decay runs (p50, p05, p95 density) and gives the
dates of the altitude gates, the final burns' Δv (one retrograde burn from the circular
orbit at the burn altitude to the target perigee [assumed 50 km]) and the propellant for
the station plus USDV stack at the USDV's Isp, against its usable propellant.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..constants import R_EQUATOR_M
from ..timescale import iso_utc
from .budget import percentiles
from .deltav import perigee_lowering_dv_m_s, propellant_kg
from .model import StationModel
from .reboost import Burn

#: One free-decay run: (end epoch or None, t samples, a samples, status).
Run = tuple[float | None, np.ndarray, np.ndarray, str]


def _cross(t: np.ndarray, a: np.ndarray, alt_km: float) -> float | None:
    """When the mean altitude first falls to ``alt_km`` (None: it never does)."""
    h = (a - R_EQUATOR_M) / 1000.0
    if h[0] <= alt_km or h[-1] > alt_km:
        return None
    j = int(np.argmax(h <= alt_km))
    return float(np.interp(alt_km, [h[j], h[j - 1]], [t[j], t[j - 1]]))


def deorbit_profile(model: StationModel, runs: list[Run], mass_kg: float) -> dict[str, Any]:
    """Dates of the profile's altitude gates, the final burns' Δv and propellant.

    ``runs``: the (p50, p05, p95) free-decay runs stopped at the burn altitude. Returns
    the numbers for ``details["deorbit"]`` plus ``final_burn_utc`` (percentiles),
    ``events`` and ``burn`` (the :class:`Burn` of the p50 run, None if it never gets low
    enough within the horizon).
    """
    d = {k: q.f for k, q in model.deorbit.items()}
    usdv = model.vehicle("usdv")
    assert (
        usdv.isp_s is not None
        and usdv.mass_kg is not None
        and usdv.usable_propellant_kg is not None
    )
    dates: dict[str, dict[str, str | None]] = {}
    finals = []
    for key in ("decay_from_km", "crew_departure_km", "burns_from_km"):
        dates[key] = {}
        for lab, (_, t, a, _) in zip(("p50", "p05", "p95"), runs, strict=True):
            x = _cross(t, a, d[key])
            dates[key][lab] = None if x is None else iso_utc(x)
    for _, t, a, st in runs:
        x = _cross(t, a, d["burns_from_km"]) if st == "stopped" else None
        finals.append(None if x is None else x + d["burn_series_days"] * 86400.0)
    dv = perigee_lowering_dv_m_s(d["burns_from_km"], d["target_perigee_km"])
    h_b = d["burns_from_km"] * 1000.0
    stack = mass_kg + usdv.mass_kg.f
    prop = propellant_kg(dv, stack, usdv.isp_s.f)
    final = percentiles(finals)
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


__all__ = ["deorbit_profile"]
