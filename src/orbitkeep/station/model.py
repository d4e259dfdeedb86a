"""The ISS as data: partners, modules, capabilities, vehicles and operations (iss.toml).

Every number in ``iss.toml`` carries its basis ("sourced", "derived" or "assumed"), its
source URLs and a note; :func:`load_station` turns the file into frozen dataclasses and
refuses anything malformed with a :class:`StationConfigError` naming the file and key.
:func:`station_state_from_tles` adds what only the tracking data can tell: the mean orbit
today and the effective ballistic coefficient B = Cd A / m fitted over the latest quiet
arc (reported with its window). SI units inside; unit-suffixed names at the boundary.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..constants import G0_M_S2
from ..environment.atmosphere import Atmosphere
from ..errors import OrbitkeepError
from ..io.tle import history, read_tles
from ..state import MeanElements
from ..timescale import iso_utc, parse_utc

#: The ISS description shipped with orbitkeep.
ISS_TOML = Path(__file__).with_name("iss.toml")
#: The ISS element sets shipped with orbitkeep (2022-03 to 2026-05, see data/SOURCES.md).
BUNDLED_ISS_TLE = Path(__file__).parent.parent / "data" / "iss_25544.tle"
BASES = ("sourced", "derived", "assumed")
ROLES = ("cargo", "crew", "service-module", "deorbit")


class StationConfigError(OrbitkeepError):
    """A station description (TOML) that is malformed: the message names the key."""


@dataclass(frozen=True)
class Sourced:
    """One number (or date string) with its basis, source URLs and note."""

    value: float | str
    basis: str
    source: str
    note: str

    @property
    def f(self) -> float:
        """The value as a float (numbers only)."""
        return float(self.value)

    def cite(self) -> str:
        """``value [basis] (note; source)`` for assumption lists."""
        src = f"; {self.source}" if self.source else ""
        return f"{self.value} [{self.basis}] ({self.note}{src})"


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
_DATE_KEYS = ("available_from", "available_until", "committed_until")


class _Reader:
    """Typed access to the parsed TOML with errors that name the file and key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, msg: str) -> StationConfigError:
        return StationConfigError(f"{key}: {msg}", path=self.path)

    def table(self, d: Any, key: str) -> dict[str, Any]:
        if not isinstance(d, dict):
            raise self.fail(key, "expected a table")
        return d

    def text(self, d: dict[str, Any], k: str, key: str, default: str | None = None) -> str:
        v = d.get(k, default)
        if not isinstance(v, str) or (default is None and not v.strip()):
            raise self.fail(f"{key}.{k}", "expected a non-empty string")
        return v

    def sourced(
        self, d: dict[str, Any], k: str, key: str, *, required: bool = True
    ) -> Sourced | None:
        full = f"{key}.{k}"
        if k not in d:
            if required:
                raise self.fail(full, "missing")
            return None
        q = d[k]
        if not isinstance(q, dict):
            raise self.fail(full, "expected { value, basis, source, note }, not a bare value")
        unknown = set(q) - {"value", "basis", "source", "note"}
        if unknown:
            raise self.fail(full, f"unknown field(s) {sorted(unknown)}")
        basis = q.get("basis")
        if basis not in BASES:
            raise self.fail(f"{full}.basis", f"must be one of {', '.join(BASES)}, got {basis!r}")
        source = q.get("source", "")
        note = q.get("note", "")
        if not isinstance(source, str) or not isinstance(note, str):
            raise self.fail(full, "source and note must be strings")
        if basis in ("sourced", "derived") and "http" not in source:
            raise self.fail(f"{full}.source", f"a {basis} value needs a source URL")
        if basis in ("derived", "assumed") and not note.strip():
            raise self.fail(f"{full}.note", f"a {basis} value needs a note giving the reason")
        value = q.get("value")
        if k in _DATE_KEYS:
            if not isinstance(value, str):
                raise self.fail(f"{full}.value", "expected an ISO 8601 date string")
            try:
                parse_utc(value)
            except OrbitkeepError:
                raise self.fail(f"{full}.value", f"not an ISO 8601 date: {value!r}") from None
        elif isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(f"{full}.value", f"expected a number, got {value!r}")
        elif not math.isfinite(value) or value < 0:
            raise self.fail(f"{full}.value", f"must be finite and >= 0, got {value!r}")
        return Sourced(value if isinstance(value, str) else float(value), basis, source, note)

    def req(self, d: dict[str, Any], k: str, key: str) -> Sourced:
        q = self.sourced(d, k, key)
        assert q is not None
        return q


def _vehicle(r: _Reader, d: dict[str, Any], key: str) -> Vehicle:
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
    r = _Reader(p)
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


@dataclass(frozen=True)
class StationState:
    """The station's mean orbit at ``epoch_s`` and its effective ballistic coefficient.

    ``b_m2_kg`` = Cd A / m at ``mass_kg`` (the configuration it was fitted for); the fit
    window ``fit_start_s``..``fit_end_s`` (Unix s) and ``b_sigma_m2_kg`` come from the
    estimator; ``source`` says where the state came from.
    """

    elements: MeanElements
    b_m2_kg: float
    mass_kg: float
    b_sigma_m2_kg: float | None = None
    fit_start_s: float | None = None
    fit_end_s: float | None = None
    source: str = ""

    @property
    def epoch_s(self) -> float:
        """Epoch of the elements, Unix s."""
        return float(self.elements.epoch_s[0])

    @property
    def mean_alt_m(self) -> float:
        """Mean altitude a - R_eq, m."""
        from ..constants import R_EQUATOR_M

        return float(self.elements.sma_m[0]) - R_EQUATOR_M

    def describe(self) -> dict[str, Any]:
        """JSON-ready summary (ISO 8601 UTC times, km, kg, m^2/kg)."""
        out: dict[str, Any] = {
            "epoch_utc": iso_utc(self.epoch_s),
            "mean_alt_km": round(self.mean_alt_m / 1000.0, 3),
            "mass_kg": round(self.mass_kg),
            "b_m2_kg": self.b_m2_kg,
            "b_sigma_m2_kg": self.b_sigma_m2_kg,
            "source": self.source,
        }
        if self.fit_start_s is not None and self.fit_end_s is not None:
            out["b_fit_window_utc"] = [iso_utc(self.fit_start_s), iso_utc(self.fit_end_s)]
        return out


def circular_state(
    epoch_s: float, mean_alt_km: float, b_m2_kg: float, mass_kg: float, *, incl_deg: float = 51.64
) -> StationState:
    """A near-circular station state at ``mean_alt_km`` (for tests and what-ifs)."""
    from ..constants import R_EQUATOR_M

    el = MeanElements(
        np.array([epoch_s]),
        np.array([R_EQUATOR_M + mean_alt_km * 1000.0]),
        np.array([5e-4]),
        np.array([math.radians(incl_deg)]),
        np.zeros(1),
        np.zeros(1),
        np.zeros(1),
    )
    return StationState(el, b_m2_kg, mass_kg, source=f"circular {mean_alt_km:g} km (given)")


def station_state_from_tles(
    tle_path: str | Path,
    atmosphere: Atmosphere,
    model: StationModel,
    *,
    as_of_s: float | None = None,
    lookback_days: float = 90.0,
) -> StationState:
    """The last element set at or before ``as_of_s`` and B fitted on the history before it.

    B comes from :func:`orbitkeep.estimation.fit_ballistic_coefficient` on each quiet
    (manoeuvre-free) arc that ends within ``lookback_days`` of the last set (at most 6
    arcs, at least the most recent one); the effective B is their median and its sigma
    their spread (the formal sigma when there is one arc): the ISS's B changes from arc
    to arc with attitude, arrays and the density model's bias, far beyond one arc's formal
    error. The same density model as the prediction is used, because fitted coefficients
    do not transfer between density models (facts A.2/B.6). The mass it refers to is the
    configured station mass with all partners' docked vehicles.
    """
    from ..estimation import EstimationError, fit_ballistic_coefficient, mean_elements_at

    h = history(read_tles(tle_path, norad_id=model.norad_id))
    if as_of_s is not None:
        h = h.before(as_of_s)
    if len(h) == 0:
        raise StationConfigError("no element set at or before the start epoch", path=tle_path)
    last = float(h.epoch_s[-1])
    fits = [fit_ballistic_coefficient(h, atmosphere)]
    while len(fits) < 6:
        try:
            f = fit_ballistic_coefficient(h, atmosphere, end_s=fits[-1].arc_start_s - 1.0)
        except EstimationError:
            break
        if f.arc_end_s < last - lookback_days * 86400.0:
            break
        fits.append(f)
    bs = np.array([f.b_m2_kg for f in fits])
    sigma = float(np.std(bs, ddof=1)) if bs.size > 1 else fits[0].sigma_m2_kg
    return StationState(
        elements=mean_elements_at(h, len(h) - 1),
        b_m2_kg=float(np.median(bs)),
        mass_kg=model.mass_kg(),
        b_sigma_m2_kg=sigma,
        fit_start_s=min(f.arc_start_s for f in fits),
        fit_end_s=max(f.arc_end_s for f in fits),
        source=f"{Path(tle_path).name} (last set {iso_utc(last)}); B: median of {bs.size} quiet-arc "
        f"fit(s) {', '.join(f'{b:.4f}' for b in bs)} m^2/kg ({fits[0].method})",
    )
