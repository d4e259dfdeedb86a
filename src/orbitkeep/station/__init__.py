"""The ISS partnership and reboost model: who owns and flies what, what keeping the
station up costs, and what happens when a partner leaves.

- :mod:`.sourced`: numbers with their basis and source, and the strict TOML reader.
- :mod:`.model`: ``iss.toml`` as frozen dataclasses (partners, modules, capabilities,
  vehicles, operations, deorbit profile).
- :mod:`.tracking`: the station's state and fitted ballistic coefficient from its TLEs.
- :mod:`.reboost`: Hohmann Δv, rocket-equation propellant, vehicle capacity, and the
  band-keeping simulation (manoeuvres split the averaged propagation into segments).
- :mod:`.solar`: the ``nominal|high|low`` solar-activity scaling and the density model.
- :mod:`.budget`: yearly budgets, replacement flights, :class:`ScenarioResult`.
- :mod:`.deorbit_profile`: the sourced USDV deorbit profile.
- :mod:`.scenarios`: baseline, partner-exit, no-reboost and deorbit; :func:`run_scenario`.
- :mod:`.summary`: :func:`question_of_the_day` and the plain-language :func:`summary_lines`.
"""

from __future__ import annotations

from .budget import ScenarioResult
from .deltav import dv_per_km_m_s, hohmann_dv_m_s, propellant_kg
from .model import BUNDLED_ISS_TLE, ISS_TOML, StationModel, load_station
from .scenarios import run_scenario
from .solar import SOLAR_CHOICES, solar_factors
from .sourced import StationConfigError
from .specs import (
    BUILTINS,
    DECAY_YEARS,
    HOLD_YEARS,
    Change,
    ScenarioSpec,
    baseline,
    deorbit,
    no_reboost,
    partner_exit,
    scenario_spec,
)
from .summary import question_of_the_day, scenario_lines, summary_lines
from .tracking import StationState, circular_state, station_state_from_tles

__all__ = [
    "BUILTINS",
    "BUNDLED_ISS_TLE",
    "DECAY_YEARS",
    "HOLD_YEARS",
    "ISS_TOML",
    "SOLAR_CHOICES",
    "Change",
    "ScenarioResult",
    "ScenarioSpec",
    "StationConfigError",
    "StationModel",
    "StationState",
    "baseline",
    "circular_state",
    "deorbit",
    "dv_per_km_m_s",
    "hohmann_dv_m_s",
    "load_station",
    "no_reboost",
    "partner_exit",
    "propellant_kg",
    "question_of_the_day",
    "run_scenario",
    "scenario_lines",
    "scenario_spec",
    "solar_factors",
    "station_state_from_tles",
    "summary_lines",
]
