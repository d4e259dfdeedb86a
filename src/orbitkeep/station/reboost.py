"""Reboost physics, propellant accounting and the band-keeping simulation.

* Δv: impulsive two-burn Hohmann transfer between the circular orbits of the mean radii;
  propellant: Tsiolkovsky's rocket equation at the firing vehicle's Isp and the
  station's mass (:mod:`.deltav`).
* Capacity: each vehicle brings reboost propellant per flight; flights arrive as evenly
  spaced trains (the first at the start of the train); a burn draws from the vehicles
  present in priority order (the order of ``iss.toml``). Unused propellant carries over
  [assumed: it stays aboard or in Zvezda's tanks]. What the vehicles cannot deliver is
  the burn's ``uncovered`` part.
* :func:`hold_band`: manoeuvres split a run into segments (DESIGN.md): propagate with
  the averaged propagator until the mean altitude falls to the band's low edge (status
  'stopped'), raise it impulsively to the top edge, log the burn, restart. Timeline events
  (arrivals, partner exits, debris-avoidance allowances, end of reboosting) end segments
  too. The burn is always applied, so the run is the *need* of holding the band; the
  first burn with an uncovered part marks when the capacity ran out.
SI units inside (m, s, kg); Unix seconds UTC for epochs.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..constants import R_EQUATOR_M
from ..environment.atmosphere import Atmosphere
from ..errors import PropagationError
from ..propagators.averaged import AveragedSettings, propagate_averaged, secular_rates
from ..state import MeanElements
from .deltav import dv_from_propellant_m_s, dv_per_km_m_s, hohmann_dv_m_s, propellant_kg
from .model import StationModel, Vehicle
from .tracking import StationState

YEAR_S = 365.25 * 86400.0
_TINY_DV = 1e-4  # m/s: below this a burn or a shortfall is rounding


@dataclass(frozen=True)
class ReboostPolicy:
    """Keep the mean altitude in [band_low_m, band_high_m] with impulsive raises, plus
    ``debris_per_year`` debris-avoidance burns of ``debris_dv_m_s`` (cost only: their
    small altitude change is taken back by the next reboost [assumed])."""

    band_low_m: float
    band_high_m: float
    debris_per_year: float = 0.0
    debris_dv_m_s: float = 0.0

    @classmethod
    def from_model(cls, model: StationModel) -> ReboostPolicy:
        """The sourced defaults of ``iss.toml`` [operations]."""
        return cls(
            model.op("band_low_km") * 1000.0,
            model.op("band_high_km") * 1000.0,
            model.op("debris_avoidance_per_year"),
            model.op("debris_avoidance_dv_m_s"),
        )


@dataclass
class Burn:
    """One burn: epoch, kind ('reboost' or 'debris_avoidance'), Δv needed, Δv and
    propellant by vehicle, the part nobody could deliver, mean altitudes around it (m)."""

    t_s: float
    kind: str
    dv_m_s: float
    by_vehicle_m_s: dict[str, float]
    propellant_kg: dict[str, float]
    uncovered_m_s: float
    alt_before_m: float
    alt_after_m: float


class Propulsion:
    """Reboost propellant pools (kg) of the vehicles present, filled by arrivals."""

    def __init__(self, vehicles: list[Vehicle], ref_mass_kg: float) -> None:
        self.vehicles = [v for v in vehicles if v.can_reboost]
        self.ref_mass_kg = ref_mass_kg
        self.pools_kg = {v.id: 0.0 for v in self.vehicles}
        self.gone: set[str] = set()

    def arrive(self, vid: str, flights: float = 1.0) -> float:
        """A flight of ``vid`` arrives; returns the propellant added (kg)."""
        v = next((x for x in self.vehicles if x.id == vid), None)
        if v is None or v.partner in self.gone:
            return 0.0
        add = flights * v.propellant_per_flight_kg(self.ref_mass_kg)
        self.pools_kg[vid] += add
        return add

    def drop_partner(self, partner: str) -> None:
        """The partner leaves: its vehicles' propellant and future flights are gone."""
        self.gone.add(partner)
        for v in self.vehicles:
            if v.partner == partner:
                self.pools_kg[v.id] = 0.0

    def capacity_m_s(self, mass_kg: float) -> float:
        """Δv (m/s) the pools could deliver now, each at its own Isp."""
        return sum(self._dv(v, mass_kg) for v in self.vehicles)

    def _dv(self, v: Vehicle, mass_kg: float) -> float:
        p = self.pools_kg[v.id]
        return 0.0 if p <= 0 or v.isp_s is None else dv_from_propellant_m_s(p, mass_kg, v.isp_s.f)

    def draw(
        self, dv_m_s: float, mass_kg: float
    ) -> tuple[dict[str, float], dict[str, float], float]:
        """Deliver ``dv_m_s`` in priority order: (Δv by vehicle, propellant by vehicle, uncovered)."""
        left = dv_m_s
        by: dict[str, float] = {}
        prop: dict[str, float] = {}
        for v in self.vehicles:
            if left <= _TINY_DV * 1e-3:
                break
            avail = self._dv(v, mass_kg)
            if avail <= 0 or v.isp_s is None:
                continue
            take = min(left, avail)
            used = min(propellant_kg(take, mass_kg, v.isp_s.f), self.pools_kg[v.id])
            self.pools_kg[v.id] -= used
            by[v.id], prop[v.id] = take, used
            left -= take
        return by, prop, max(left, 0.0)


def arrival_train(start_s: float, end_s: float, flights_per_year: float) -> list[float]:
    """Epochs of ``flights_per_year`` evenly spaced flights in [start, end): the first at
    ``start_s`` (a vehicle on station at the start), then every 1/f years."""
    if flights_per_year <= 0 or end_s <= start_s:
        return []
    n = math.floor((end_s - start_s) / YEAR_S * flights_per_year - 1e-9) + 1
    return [start_s + k * YEAR_S / flights_per_year for k in range(max(n, 0))]


@dataclass(frozen=True)
class TimelineEvent:
    """A dated change: 'arrival' (vehicle), 'partner_exit' (partner), 'debris_avoidance',
    'stop_reboost'; ``label`` is for the event log."""

    t_s: float
    kind: str
    vehicle: str = ""
    partner: str = ""
    label: str = ""


@dataclass
class HoldResult:
    """A band-keeping run: burns, mean-altitude samples (t, a), and how it ended."""

    burns: list[Burn]
    t_s: np.ndarray
    sma_m: np.ndarray
    end_s: float
    status: str  # 'ok' (reached the end), 'reentered'
    reentry_s: float | None
    first_shortfall_s: float | None
    state_at_shortfall: MeanElements | None
    b_at_shortfall_m2_kg: float | None
    final: MeanElements
    b_final_m2_kg: float
    events: list[dict[str, Any]] = field(default_factory=list)


def advance(el: MeanElements, t_s: float, sma_m: float, ecc: float) -> MeanElements:
    """The one-object elements moved to ``t_s`` with new mean a and e; RAAN and perigee
    advance at their J2 secular rates (the local time of the orbit matters to NRLMSIS)."""
    dt = t_s - float(el.epoch_s[0])
    a_mid = np.array([0.5 * (float(el.sma_m[0]) + sma_m)])
    o_dot, w_dot, _, _ = secular_rates(a_mid, np.array([ecc]), el.incl_rad)
    return MeanElements(
        np.array([t_s]),
        np.array([sma_m]),
        np.array([ecc]),
        el.incl_rad.copy(),
        el.raan_rad + o_dot * dt,
        el.argp_rad + w_dot * dt,
        el.mean_anomaly_rad.copy(),
    )


def hold_band(
    station: StationModel,
    state: StationState,
    atmosphere: Atmosphere,
    until_s: float,
    *,
    policy: ReboostPolicy | None,
    propulsion: Propulsion,
    timeline: list[TimelineEvent],
    density_scale: float = 1.0,
    settings: AveragedSettings | None = None,
    on_progress: Callable[[float], None] | None = None,
    limited: bool = False,
) -> HoldResult:
    """Simulate the station from ``state`` to ``until_s`` (Unix s) under ``policy``.

    ``policy=None`` is free decay. B = Cd A / m follows the mass: when a partner leaves,
    its docked vehicles leave and B = B_fit m_fit / m [area kept, assumed].
    ``on_progress`` gets the fraction of the span done after each segment.

    Each reboost raises the station to the top of the band. By default it does so even
    when the vehicles present cannot deliver the Δv (the uncovered part is recorded: the
    demand for the budget). With ``limited`` a reboost goes only as far as the propellant
    on board reaches; below the band, the station decays until the next arrival, which
    boosts it with what it brings: the remaining vehicles keep flying once the band is
    lost, until the station reenters.
    """
    el = state.elements
    t_first, span = float(el.epoch_s[0]), max(until_s - float(el.epoch_s[0]), 1.0)
    present = set(station.partner_ids())
    mass = station.mass_kg(frozenset(present))
    b = state.b_m2_kg * state.mass_kg / mass
    active = policy is not None
    events = sorted(timeline, key=lambda e: e.t_s)
    burns: list[Burn] = []
    log: list[dict[str, Any]] = []
    ts, aa = [float(el.epoch_s[0])], [float(el.sma_m[0])]
    first: tuple[float, MeanElements, float] | None = None
    status, reentry = "ok", None

    def below_band(e: MeanElements) -> bool:
        return (
            limited
            and policy is not None
            and float(e.sma_m[0]) - R_EQUATOR_M < policy.band_low_m + 1.0
        )

    def reboost(e: MeanElements, t_b: float) -> MeanElements:
        """Raise toward the top of the band (all the way unless ``limited``)."""
        nonlocal first
        assert policy is not None
        a0 = float(e.sma_m[0])
        a1 = R_EQUATOR_M + policy.band_high_m
        dv = hohmann_dv_m_s(a0, a1)
        by, prop, unc = propulsion.draw(dv, mass)
        if unc > _TINY_DV and first is None:
            first = (t_b, e, b)
        alt_to = policy.band_high_m
        if limited and unc > _TINY_DV:
            dv -= unc  # what the propellant on board delivers, a few km at most
            a1 = a0 + 1000.0 * dv / dv_per_km_m_s((a0 - R_EQUATOR_M) / 1000.0)
            alt_to, unc = a1 - R_EQUATOR_M, 0.0
        if dv > _TINY_DV or unc > _TINY_DV:
            burns.append(Burn(t_b, "reboost", dv, by, prop, unc, a0 - R_EQUATOR_M, alt_to))
        ts.append(t_b)
        aa.append(a1)
        return MeanElements(
            e.epoch_s,
            np.array([a1]),
            e.ecc,
            e.incl_rad,
            e.raan_rad,
            e.argp_rad,
            e.mean_anomaly_rad,
        )

    i = 0
    while float(el.epoch_s[0]) < until_s - 1e-3:
        t = float(el.epoch_s[0])
        if i < len(events) and events[i].t_s <= t + 1e-3:
            ev = events[i]
            i += 1
            if ev.kind == "partner_exit":
                present.discard(ev.partner)
                propulsion.drop_partner(ev.partner)
                mass = station.mass_kg(frozenset(present))
                b = state.b_m2_kg * state.mass_kg / mass
                log.append(
                    {
                        "t_s": t,
                        "kind": "partner_exit",
                        "partner": ev.partner,
                        "mass_kg": mass,
                        "b_m2_kg": b,
                        "capabilities_lost": station.sole_capabilities(ev.partner),
                    }
                )
            elif ev.kind == "arrival":
                added = propulsion.arrive(ev.vehicle)
                if added > 0:
                    log.append(
                        {
                            "t_s": t,
                            "kind": "arrival",
                            "vehicle": ev.vehicle,
                            "propellant_kg": added,
                            "label": ev.label,
                        }
                    )
                    if active and below_band(el):
                        el = reboost(el, t)
            elif ev.kind == "stop_reboost":
                active = False
                log.append({"t_s": t, "kind": "stop_reboost", "label": ev.label})
            elif ev.kind == "debris_avoidance" and active and policy is not None:
                by, prop, unc = propulsion.draw(policy.debris_dv_m_s, mass)
                alt = float(el.sma_m[0]) - R_EQUATOR_M
                burns.append(
                    Burn(t, "debris_avoidance", policy.debris_dv_m_s, by, prop, unc, alt, alt)
                )
            continue
        next_t = min(events[i].t_s if i < len(events) else math.inf, until_s)
        res = propagate_averaged(
            el,
            b,
            atmosphere,
            next_t,
            settings=settings,
            density_scale=density_scale,
            stop_mean_alt_m=policy.band_low_m
            if (active and policy is not None and not below_band(el))
            else None,
        )
        tr = res.trajectories[0]
        if tr.status.startswith("failed"):
            raise PropagationError(f"station propagation failed at {t:.0f} s: {tr.status}")
        ts.extend(tr.t_s[1:].tolist())
        aa.extend(tr.sma_m[1:].tolist())
        el = advance(el, float(tr.t_s[-1]), float(tr.sma_m[-1]), float(tr.ecc[-1]))
        if on_progress is not None:
            on_progress(min((float(tr.t_s[-1]) - t_first) / span, 1.0))
        if tr.status in ("reentered", "below_interface"):
            status, reentry = "reentered", tr.reentry_s
            break
        if tr.status == "stopped" and policy is not None:
            el = reboost(el, float(el.epoch_s[0]))
    return HoldResult(
        burns=burns,
        t_s=np.array(ts),
        sma_m=np.array(aa),
        end_s=float(el.epoch_s[0]),
        status=status,
        reentry_s=reentry,
        first_shortfall_s=None if first is None else first[0],
        state_at_shortfall=None if first is None else first[1],
        b_at_shortfall_m2_kg=None if first is None else first[2],
        final=el,
        b_final_m2_kg=b,
        events=log,
    )


def free_decay_reentry(
    elements: MeanElements,
    b_m2_kg: float,
    atmosphere: Atmosphere,
    until_s: float,
    density_scales: tuple[float, ...] = (1.0,),
    *,
    stop_mean_alt_m: float | None = None,
    on_progress: Callable[[float], None] | None = None,
) -> list[tuple[float | None, np.ndarray, np.ndarray, str]]:
    """Free decay of one state under several density scales at once (vectorised).

    Returns per scale (end epoch or None, t samples, a samples, status): the end epoch is
    the reentry epoch, or the epoch the mean altitude reached ``stop_mean_alt_m``.
    """
    n = len(density_scales)
    rep = elements.repeat(n)
    res = propagate_averaged(
        rep,
        b_m2_kg,
        atmosphere,
        until_s,
        density_scale=np.array(density_scales, dtype=float),
        stop_mean_alt_m=stop_mean_alt_m,
        on_progress=on_progress,
    )
    out: list[tuple[float | None, np.ndarray, np.ndarray, str]] = []
    for tr in res.trajectories:
        if tr.status.startswith("failed"):
            raise PropagationError(f"free decay failed: {tr.status}")
        end = (
            tr.reentry_s
            if tr.status == "reentered"
            else (float(tr.t_s[-1]) if tr.status == "stopped" else None)
        )
        out.append((end, tr.t_s, tr.sma_m, tr.status))
    return out
