"""The ISS as data: partners, modules, capabilities, vehicles and operations (iss.toml).

Every number in ``iss.toml`` carries its basis ("sourced", "derived" or "assumed"), its
source URLs and a note (:mod:`.sourced`); :func:`load_station` turns the file into frozen
dataclasses and refuses anything malformed with a :class:`StationConfigError` naming the
file and key. What only the tracking data can tell (the mean orbit today and the fitted
ballistic coefficient) is in :mod:`.tracking`. SI units inside; unit-suffixed names at
the boundary.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..constants import G0_M_S2
from ..errors import ParameterError
from ..timescale import parse_utc
from .sourced import BASES, Sourced, StationConfigError, TomlReader

#: The ISS description shipped with orbitkeep.
ISS_TOML = Path(__file__).with_name("iss.toml")
#: The ISS element sets shipped with orbitkeep (2022-03 to 2026-05, see data/SOURCES.md).
BUNDLED_ISS_TLE = Path(__file__).parent.parent / "data" / "iss_25544.tle"
ROLES = ("cargo", "crew", "service-module", "deorbit")


@dataclass(frozen=True)
class Partner:
    """A partner agency: ``id`` (e.g. 'roscosmos'), segment and commitment date."""

    id: str
    name: str
    segment: str
    committed_until: Sourced


@dataclass(frozen=True)
class Module:
    """A module or element and who owns and operates it."""

    name: str
    owner: str
    operator: str
    source: str
    note: str


@dataclass(frozen=True)
class Capability:
    """A station function and the partners (and their vehicles) that provide it."""

    id: str
    providers: tuple[str, ...]
    vehicles: tuple[str, ...]
    source: str
    note: str


@dataclass(frozen=True)
class Vehicle:
    """A visiting vehicle or engine set; reboost capacity per flight is Δv or propellant."""

    id: str
    name: str
    partner: str
    role: str
    flights_per_year: Sourced
    mass_kg: Sourced | None = None
    thrust_n: Sourced | None = None
    isp_s: Sourced | None = None
    reboost_dv_per_flight_m_s: Sourced | None = None
    reboost_propellant_per_flight_kg: Sourced | None = None
    usable_propellant_kg: Sourced | None = None
    available_from: Sourced | None = None
    available_until: Sourced | None = None

    @property
    def can_reboost(self) -> bool:
        """True when the vehicle brings reboost capacity on its regular flights."""
        return (
            self.reboost_dv_per_flight_m_s is not None
            or self.reboost_propellant_per_flight_kg is not None
        )

    def propellant_per_flight_kg(self, ref_mass_kg: float) -> float:
        """Reboost propellant per flight, kg (Δv entries converted at ``ref_mass_kg``)."""
        if self.reboost_propellant_per_flight_kg is not None:
            return self.reboost_propellant_per_flight_kg.f
        if self.reboost_dv_per_flight_m_s is None or self.isp_s is None:
            return 0.0
        dv = self.reboost_dv_per_flight_m_s.f
        return ref_mass_kg * (1.0 - math.exp(-dv / (self.isp_s.f * G0_M_S2)))

    def window_s(self) -> tuple[float, float]:
        """(available from, available until) as Unix seconds (±inf when open)."""
        lo = -math.inf if self.available_from is None else parse_utc(str(self.available_from.value))
        hi = (
            math.inf if self.available_until is None else parse_utc(str(self.available_until.value))
        )
        return lo, hi


@dataclass(frozen=True)
class StationModel:
    """The whole description: station, operations, deorbit profile and the partnership."""

    path: str
    name: str
    norad_id: int
    base_mass_kg: Sourced
    mass_sigma_kg: Sourced
    docked: tuple[tuple[str, int, str], ...]  # (vehicle id, count, note)
    operations: dict[str, Sourced]
    deorbit: dict[str, Sourced]
    partners: tuple[Partner, ...]
    modules: tuple[Module, ...]
    capabilities: tuple[Capability, ...]
    vehicles: tuple[Vehicle, ...]

    def vehicle(self, vid: str) -> Vehicle:
        """The vehicle with id ``vid`` (KeyError when unknown)."""
        for v in self.vehicles:
            if v.id == vid:
                return v
        raise KeyError(vid)

    def op(self, key: str) -> float:
        """An ``[operations]`` number."""
        return self.operations[key].f

    def mass_kg(self, partners: frozenset[str] | None = None) -> float:
        """Station mass, kg: base plus the docked vehicles of the partners present."""
        m = self.base_mass_kg.f
        for vid, count, _ in self.docked:
            v = self.vehicle(vid)
            if (partners is None or v.partner in partners) and v.mass_kg is not None:
                m += count * v.mass_kg.f
        return m

    def partner_ids(self) -> frozenset[str]:
        """All partner ids."""
        return frozenset(p.id for p in self.partners)

    def partner_id(self, name: str, flag: str = "--partner") -> str:
        """The partner id for ``name`` (id or agency name, any case), or a
        :class:`ParameterError` naming ``flag`` that lists the valid ones."""
        key = name.strip().lower() if isinstance(name, str) else None
        for p in self.partners:
            if key in (p.id, p.name.lower(), p.name.split(" (")[0].lower()):
                return p.id
        valid = ", ".join(sorted(self.partner_ids()))
        raise ParameterError(f"unknown partner {name!r} (one of: {valid})", flag=flag)

    def sole_capabilities(self, partner: str) -> list[str]:
        """Capabilities that only ``partner`` provides (lost if it leaves)."""
        return [c.id for c in self.capabilities if c.providers == (partner,)]

    def assumptions(self) -> list[str]:
        """Every derived or assumed number, cited (``key: value [basis] (note; source)``)."""
        out = [f"station.base_mass_kg: {self.base_mass_kg.cite()}"]
        out += [f"station.docked.{vid}: {n} [assumed] ({note})" for vid, n, note in self.docked]
        for sect, d in (("operations", self.operations), ("deorbit", self.deorbit)):
            out += [f"{sect}.{k}: {q.cite()}" for k, q in d.items() if q.basis != "sourced"]
        for v in self.vehicles:
            for fname in _VEHICLE_NUMBERS:
                q = getattr(v, fname)
                if q is not None and q.basis != "sourced":
                    out.append(f"vehicles.{v.id}.{fname}: {q.cite()}")
        return out


_VEHICLE_NUMBERS = (
    "flights_per_year",
    "mass_kg",
    "thrust_n",
    "isp_s",
    "reboost_dv_per_flight_m_s",
    "reboost_propellant_per_flight_kg",
    "usable_propellant_kg",
    "available_from",
    "available_until",
)


def _vehicle(r: TomlReader, d: dict[str, Any], key: str) -> Vehicle:
    vid = r.text(d, "id", key)
    key = f"vehicles.{vid}"
    role = r.text(d, "role", key)
    if role not in ROLES:
        raise r.fail(f"{key}.role", f"must be one of {', '.join(ROLES)}, got {role!r}")
    nums = {k: r.sourced(d, k, key, required=k == "flights_per_year") for k in _VEHICLE_NUMBERS}
    known = {"id", "name", "partner", "role", *_VEHICLE_NUMBERS}
    if set(d) - known:
        raise r.fail(key, f"unknown key(s) {sorted(set(d) - known)}")
    fpy = nums.pop("flights_per_year")
    assert fpy is not None
    v = Vehicle(
        id=vid,
        name=r.text(d, "name", key),
        partner=r.text(d, "partner", key),
        role=role,
        flights_per_year=fpy,
        **nums,
    )
    if v.reboost_dv_per_flight_m_s is not None and v.reboost_propellant_per_flight_kg is not None:
        raise r.fail(
            key, "give reboost_dv_per_flight_m_s or reboost_propellant_per_flight_kg, not both"
        )
    if (v.can_reboost or v.usable_propellant_kg is not None) and (
        v.isp_s is None or v.isp_s.f <= 0
    ):
        raise r.fail(f"{key}.isp_s", "a vehicle with propellant needs a positive isp_s")
    lo, hi = v.window_s()
    if lo >= hi:
        raise r.fail(f"{key}.available_until", "must be after available_from")
    return v


def load_station(path: str | Path | None = None) -> StationModel:
    """Load and validate a station description (default: the shipped ``iss.toml``).

    Raises :class:`StationConfigError` (an :class:`OrbitkeepError`) naming the file and
    the offending key for unreadable TOML, missing keys, bare numbers without a source,
    unknown partners or vehicles, or non-physical values.
    """
    p = Path(path) if path is not None else ISS_TOML
    r = TomlReader(p)
    try:
        raw = tomllib.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise StationConfigError(f"cannot read station file: {exc.strerror}", path=p) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise StationConfigError(f"not valid TOML: {exc}", path=p) from None
    if raw.get("schema") != 1:
        raise r.fail("schema", f"expected 1, got {raw.get('schema')!r}")
    st = r.table(raw.get("station"), "station")
    ops = r.table(raw.get("operations"), "operations")
    deo = r.table(raw.get("deorbit"), "deorbit")
    partners = tuple(
        Partner(
            r.text(r.table(d, "partners"), "id", "partners"),
            r.text(d, "name", "partners"),
            r.text(d, "segment", "partners"),
            r.req(d, "committed_until", f"partners.{d.get('id')}"),
        )
        for d in raw.get("partners", [])
    )
    pids = {p_.id for p_ in partners}
    vehicles = tuple(
        _vehicle(r, r.table(d, "vehicles"), "vehicles") for d in raw.get("vehicles", [])
    )
    vids = {v.id for v in vehicles}
    if len(vids) != len(vehicles) or len(pids) != len(partners):
        raise r.fail("vehicles/partners", "ids must be unique")
    for v in vehicles:
        if v.partner not in pids:
            raise r.fail(f"vehicles.{v.id}.partner", f"unknown partner {v.partner!r}")
    modules = []
    for d in raw.get("modules", []):
        d = r.table(d, "modules")
        m = Module(
            r.text(d, "name", "modules"),
            r.text(d, "owner", "modules"),
            r.text(d, "operator", "modules"),
            r.text(d, "source", "modules"),
            r.text(d, "note", "modules", default=""),
        )
        if m.owner not in pids or m.operator not in pids:
            raise r.fail(f"modules.{m.name}", "owner and operator must be partner ids")
        modules.append(m)
    caps = []
    for d in raw.get("capabilities", []):
        d = r.table(d, "capabilities")
        cid = r.text(d, "id", "capabilities")
        c = Capability(
            cid,
            tuple(d.get("providers", [])),
            tuple(d.get("vehicles", [])),
            r.text(d, "source", f"capabilities.{cid}"),
            r.text(d, "note", f"capabilities.{cid}", default=""),
        )
        if not c.providers or set(c.providers) - pids:
            raise r.fail(f"capabilities.{cid}.providers", "must list known partner ids")
        if set(c.vehicles) - vids:
            raise r.fail(
                f"capabilities.{cid}.vehicles", f"unknown {sorted(set(c.vehicles) - vids)}"
            )
        caps.append(c)
    docked = []
    for d in st.get("docked", []):
        d = r.table(d, "station.docked")
        vid, n = d.get("vehicle"), d.get("count")
        if vid not in vids or r_mass(vehicles, vid) is None:
            raise r.fail("station.docked.vehicle", f"unknown vehicle or no mass_kg: {vid!r}")
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise r.fail(f"station.docked.{vid}.count", "expected a non-negative integer")
        docked.append((str(vid), n, r.text(d, "note", f"station.docked.{vid}")))
    norad = st.get("norad_id")
    if not isinstance(norad, int) or norad <= 0:
        raise r.fail("station.norad_id", "expected a positive integer")
    model = StationModel(
        path=str(p),
        name=r.text(st, "name", "station"),
        norad_id=norad,
        base_mass_kg=r.req(st, "base_mass_kg", "station"),
        mass_sigma_kg=r.req(st, "mass_sigma_kg", "station"),
        docked=tuple(docked),
        operations={k: r.req(ops, k, "operations") for k in ops},
        deorbit={k: r.req(deo, k, "deorbit") for k in deo},
        partners=partners,
        modules=tuple(modules),
        capabilities=tuple(caps),
        vehicles=vehicles,
    )
    for k in (
        "band_low_km",
        "band_high_km",
        "debris_avoidance_per_year",
        "debris_avoidance_dv_m_s",
        "density_sigma_frac",
        "min_mean_alt_km",
    ):
        if k not in model.operations:
            raise r.fail(f"operations.{k}", "missing")
    if not model.op("band_low_km") < model.op("band_high_km"):
        raise r.fail("operations.band_high_km", "must be above band_low_km")
    for k in (
        "decay_from_km",
        "crew_departure_km",
        "burns_from_km",
        "burn_series_days",
        "target_perigee_km",
        "usdv_docked_before_final_burn_days",
    ):
        if k not in model.deorbit:
            raise r.fail(f"deorbit.{k}", "missing")
    return model


def r_mass(vehicles: tuple[Vehicle, ...], vid: str) -> Sourced | None:
    """The ``mass_kg`` entry of vehicle ``vid`` (None when absent)."""
    return next((v.mass_kg for v in vehicles if v.id == vid), None)


__all__ = [
    "BASES",
    "BUNDLED_ISS_TLE",
    "ISS_TOML",
    "ROLES",
    "Capability",
    "Module",
    "Partner",
    "Sourced",
    "StationConfigError",
    "StationModel",
    "Vehicle",
    "load_station",
]
