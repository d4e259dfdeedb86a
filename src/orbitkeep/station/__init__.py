"""The ISS partnership and reboost model: who owns and flies what, what keeping the
station up costs, and what happens when a partner leaves.

- :mod:`.model`: ``iss.toml`` (every number sourced, derived or assumed) as frozen
  dataclasses; the station's state and fitted ballistic coefficient from its TLEs.
- :mod:`.reboost`: Hohmann Δv, rocket-equation propellant, vehicle capacity, and the
  band-keeping simulation (manoeuvres split the averaged propagation into segments).
- :mod:`.scenarios`: baseline, partner-exit, no-reboost and deorbit scenarios,
  :func:`run_scenario` and the plain-language :func:`summary_lines`.
"""

from __future__ import annotations

from .model import StationConfigError, StationModel, StationState, load_station
from .reboost import dv_per_km_m_s, hohmann_dv_m_s, propellant_kg
from .scenarios import (
    BUILTINS,
    ScenarioResult,
    ScenarioSpec,
    baseline,
    deorbit,
    no_reboost,
    partner_exit,
    run_scenario,
    summary_lines,
)

__all__ = [
    "BUILTINS",
    "ScenarioResult",
    "ScenarioSpec",
    "StationConfigError",
    "StationModel",
    "StationState",
    "baseline",
    "deorbit",
    "dv_per_km_m_s",
    "hohmann_dv_m_s",
    "load_station",
    "no_reboost",
    "partner_exit",
    "propellant_kg",
    "run_scenario",
    "summary_lines",
]
