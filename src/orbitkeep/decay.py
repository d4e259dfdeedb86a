"""Free decay of one object from its TLE history: the use case behind ``orbitkeep decay``.

Loads the element sets and the space weather once, picks the start set (the last at or
before the requested epoch), gets the ballistic coefficient (given, from mass/area/Cd, or
fitted from the history before the start), propagates without reboosts and packages the
answer with everything it was built from.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .constants import (
    DAY_S,
    LEO_TOP_ALT_M,
    MIN_INTERFACE_ALT_M,
    MU_EARTH_M3_S2,
    REENTRY_INTERFACE_ALT_M,
)
from .environment.atmosphere import Atmosphere, make_atmosphere
from .environment.spaceweather import SpaceWeather, load_space_weather
from .errors import EstimationError, InputFileError, ParameterError, PropagationError
from .estimation import BallisticFit, fit_ballistic_coefficient, mean_elements_at
from .io.elements import read_elements
from .io.tle import TLEHistory, history
from .propagators.averaged import AveragedSettings, propagate_averaged
from .propagators.numerical import propagate_numerical
from .state import CartesianState, DragProperties, Trajectory, is_real
from .timescale import iso_utc

BUNDLED_ISS_TLE = Path(__file__).parent / "data" / "iss_25544.tle"


#: The longest horizon a run accepts, years (``--horizon-years``, ``batch --years``,
#: ``decay --days``/``--until``). Not a physical figure: a bound on the run's cost and on
#: the dates its output can write (ISO 8601 years end at 9999; 1e6 years crashed the JSON
#: with "year out of range"). 200 years is eight times the 25-year rule, and centuries
#: past the last observed cycle the repeated solar cycle is no forecast.
MAX_HORIZON_YEARS = 200.0
#: :data:`MAX_HORIZON_YEARS` in seconds (Julian years).
MAX_HORIZON_S = MAX_HORIZON_YEARS * 365.25 * DAY_S


def check_horizon_years(value: float, flag: str) -> float:
    """``value`` (years) if finite, > 0 and at most :data:`MAX_HORIZON_YEARS`, else
    :class:`ParameterError` naming ``flag``."""
    v = check_positive(value, flag)
    if v > MAX_HORIZON_YEARS:
        raise ParameterError(f"must be at most {MAX_HORIZON_YEARS:g} years, got {value}", flag=flag)
    return v


def check_positive(value: float, flag: str) -> float:
    """``value`` if finite and > 0, else :class:`ParameterError` naming ``flag``."""
    if not (is_real(value) and math.isfinite(value) and value > 0):
        raise ParameterError(f"must be a positive finite number, got {value}", flag=flag)
    return float(value)


def check_interface_alt_km(value: float, flag: str = "--interface-alt-km") -> float:
    """``value`` (km) if finite, at least :data:`~orbitkeep.constants.MIN_INTERFACE_ALT_M`
    (80 km) and at most :data:`~orbitkeep.constants.LEO_TOP_ALT_M` (2000 km, the top of
    low Earth orbit), else :class:`ParameterError` naming ``flag``."""
    v = check_positive(value, flag)
    if v * 1e3 > LEO_TOP_ALT_M:
        raise ParameterError(
            f"must be at most {LEO_TOP_ALT_M / 1e3:g} km (the top of low Earth orbit; "
            f"reentry is quoted at 80-120 km), got {value}",
            flag=flag,
        )
    if v * 1e3 < MIN_INTERFACE_ALT_M:
        raise ParameterError(
            f"must be {MIN_INTERFACE_ALT_M / 1e3:g} km or more (the lowest altitude reentry "
            f"epochs are quoted at; no orbit is left below it), got {value}",
            flag=flag,
        )
    return v


def above_leo_notes(apogee_alt_m: float | None) -> list[str]:
    """The note for an apogee (m above the equatorial radius) above low Earth orbit
    (:data:`LEO_TOP_ALT_M`), or none: there the Moon's and the Sun's gravity, which
    orbitkeep does not model, move the perigee. Shared by reentry/lifetime windows and
    free-decay runs."""
    if apogee_alt_m is None or not apogee_alt_m > LEO_TOP_ALT_M:
        return []
    return [
        f"the apogee ({apogee_alt_m / 1e3:.0f} km) is above low Earth orbit "
        f"({LEO_TOP_ALT_M / 1e3:.0f} km): the Moon's and the Sun's gravity, which "
        "orbitkeep does not model, move the perigee of such orbits (GTO, Molniya) and "
        "can shorten or lengthen their lifetime by years"
    ]


@dataclass(frozen=True)
class Environment:
    """Space weather and the density model built on it, built once and passed in."""

    space_weather: SpaceWeather | None
    atmosphere: Atmosphere

    @classmethod
    def build(
        cls,
        *,
        model: str = "msis2.1",
        space_weather_path: str | Path | None = None,
        policy: str = "error",
        ap_mode: str = "daily",
    ) -> Environment:
        """Load space weather (bundled when no path) and build the density model."""
        sw = None
        if isinstance(model, str) and model.lower() not in ("exponential", "exp"):
            sw = load_space_weather(space_weather_path, policy=policy)
        return cls(sw, make_atmosphere(model, sw, ap_mode=ap_mode))

    def describe(self, start_s: float, end_s: float) -> dict[str, Any]:
        """Where the space weather over [start, end] came from: sections and coverage."""
        if self.space_weather is None:
            return {"model": self.atmosphere.name, "source": None, "sections": {}}
        sw = self.space_weather
        days = np.arange(start_s, max(end_s, start_s) + DAY_S, DAY_S)
        drv = sw.msis_drivers(days)
        return {
            "model": self.atmosphere.name,
            "source": sw.source,
            "policy": sw.policy,
            "sections": sw.sections_used(drv.section),
            "coverage": sw.coverage(),
        }


@dataclass(frozen=True)
class DecaySpec:
    """What to propagate and how. Times are Unix seconds UTC; None means the default."""

    tle_path: str | Path | None = None
    norad_id: int | None = None
    epoch_s: float | None = None
    days: float | None = None
    until_s: float | None = None
    drag: DragProperties | None = None
    method: str | None = None  # "averaged", "numerical"; None: averaged beyond 10 days
    interface_alt_m: float = REENTRY_INTERFACE_ALT_M

    def __post_init__(self) -> None:
        if self.days is not None:
            check_positive(self.days, "--days")
        if self.days is not None and self.until_s is not None:
            raise ParameterError("give --days or --until, not both", flag="--until")
        if self.method not in (None, "averaged", "numerical"):
            raise ParameterError(f"unknown method {self.method!r}", flag="--method")
        check_positive(self.interface_alt_m, "--interface-alt-km")


@dataclass
class DecayResult:
    """A free-decay prediction and everything it was built from."""

    norad_id: int
    name: str | None
    start_s: float
    tle_epoch_s: float
    method: str
    drag: DragProperties
    b_source: dict[str, Any]
    trajectory: Trajectory
    space_weather: dict[str, Any]
    interface_alt_m: float
    end_s: float
    extra: dict[str, Any] = field(default_factory=dict)
    #: What a reader of the run needs to know it leaves out (the apogee above LEO).
    notes: list[str] = field(default_factory=list)

    @property
    def reentry_s(self) -> float | None:
        """Reentry epoch (Unix s) or None if not reached."""
        return self.trajectory.reentry_s

    def samples(self, step_s: float = DAY_S) -> list[dict[str, Any]]:
        """About daily mean-orbit samples: t, sma_km, mean_alt_km, perigee_km, apogee_km."""
        tr = self.trajectory
        out = []
        for t in tr.daily(step_s):
            v = tr.at(float(t))
            out.append(
                {
                    "t": iso_utc(float(t)),
                    "sma_km": round(v["sma_m"] / 1e3, 4),
                    "mean_alt_km": round(v["mean_alt_m"] / 1e3, 4),
                    "perigee_km": round(v["perigee_alt_m"] / 1e3, 4),
                    "apogee_km": round(v["apogee_alt_m"] / 1e3, 4),
                }
            )
        return out

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable summary (ISO 8601 UTC times, km for altitudes)."""
        samples = self.samples()
        return {
            "norad_id": self.norad_id,
            "name": self.name,
            "start_utc": iso_utc(self.start_s),
            "tle_epoch_utc": iso_utc(self.tle_epoch_s),
            "end_utc": iso_utc(self.end_s),
            "ballistic_coefficient_m2_kg": self.drag.ballistic_coefficient_m2_kg,
            "ballistic_coefficient_source": self.b_source,
            "method": self.method,
            "interface_alt_km": self.interface_alt_m / 1e3,
            "samples": samples,
            "end": samples[-1] if samples else None,
            "reentry_utc": None if self.reentry_s is None else iso_utc(self.reentry_s),
            "status": self.trajectory.status,
            "space_weather": self.space_weather,
            "notes": list(self.notes),
        }


def load_history(path: str | Path | None, norad_id: int | None) -> TLEHistory:
    """One object's history from a TLE or OMM file (the bundled ISS history when no
    path; :func:`~orbitkeep.io.elements.read_elements` tells the formats apart)."""
    from .io.update import updated_tle_path  # the history `orbitkeep update` keeps

    p = Path(path) if path is not None else (updated_tle_path(25544) or BUNDLED_ISS_TLE)
    tles = read_elements(p, norad_id=norad_id)
    ids = sorted({t.norad_id for t in tles})
    if len(ids) > 1:
        raise InputFileError(
            f"file holds {len(ids)} objects ({', '.join(map(str, ids[:5]))}...): "
            "choose one with --norad",
            path=p,
        )
    return history(tles)


@contextlib.contextmanager
def naming_file(h: TLEHistory) -> Iterator[None]:
    """Name the history's file in an :class:`EstimationError` that names none (a history
    too short or too quiet for the ballistic-coefficient fit), for API callers too."""
    try:
        yield
    except EstimationError as exc:
        path = h.tles[-1].path if len(h) else None
        if exc.path is not None or path is None:
            raise
        raise EstimationError(exc.message, path=path) from None


def start_index(h: TLEHistory, epoch_s: float | None) -> int:
    """Index of the last set at or before ``epoch_s`` (the last set when None)."""
    if epoch_s is None:
        return len(h) - 1
    i = int(np.searchsorted(h.epoch_s, epoch_s, side="right")) - 1
    if i < 0:
        raise ParameterError(
            f"no element set at or before {iso_utc(epoch_s)} (first is "
            f"{iso_utc(float(h.epoch_s[0]))})",
            flag="--epoch",
        )
    return i


def fit_or_given(
    h: TLEHistory, i: int, drag: DragProperties | None, env: Environment
) -> tuple[DragProperties, dict[str, Any], BallisticFit | None]:
    """The drag properties to use and a description of where they came from."""
    if drag is not None:
        src = "mass/area/Cd" if drag.mass_kg is not None else "given"
        return drag, {"method": src}, None
    fit = fit_ballistic_coefficient(h, env.atmosphere, end_s=float(h.epoch_s[i]))
    info = {
        "method": fit.method,
        "sigma_m2_kg": fit.sigma_m2_kg,
        "arc_start_utc": iso_utc(fit.arc_start_s),
        "arc_end_utc": iso_utc(fit.arc_end_s),
        "n_tles": fit.n_tles,
        "residual_rms_m": fit.residual_rms_m,
    }
    return DragProperties(fit.b_m2_kg), info, fit


def run_decay(
    spec: DecaySpec,
    env: Environment,
    *,
    on_progress: Callable[[float], None] | None = None,
) -> DecayResult:
    """Propagate the object of ``spec`` without reboosts; see :class:`DecaySpec`."""
    h = load_history(spec.tle_path, spec.norad_id)
    i = start_index(h, spec.epoch_s)
    t0 = float(h.epoch_s[i])
    if spec.until_s is not None:
        end = spec.until_s
        if end <= t0:
            raise ParameterError(f"must be after the start epoch {iso_utc(t0)}", flag="--until")
    else:
        end = t0 + (spec.days if spec.days is not None else 365.0) * DAY_S
    if end - t0 > MAX_HORIZON_S:
        raise ParameterError(
            f"the span must be at most {MAX_HORIZON_YEARS:g} years, got "
            f"{(end - t0) / (365.25 * DAY_S):.6g} years",
            flag="--until" if spec.until_s is not None else "--days",
        )
    # the trajectory is the mean orbit over whole revolutions (from one crossing of the
    # node to the next): a span shorter than two may hold none
    period_s = 2 * math.pi * math.sqrt(float(h.sma_m[i]) ** 3 / MU_EARTH_M3_S2)
    if end - t0 < 2 * period_s:
        raise ParameterError(
            f"the span must be at least two revolutions ({2 * period_s / 60:.0f} minutes) "
            f"for the mean orbit, got {(end - t0) / 60:.1f} minutes",
            flag="--until" if spec.until_s is not None else "--days",
        )
    with naming_file(h):
        drag, b_src, _ = fit_or_given(h, i, spec.drag, env)
    method = spec.method or ("averaged" if end - t0 > 10 * DAY_S else "numerical")
    b = drag.ballistic_coefficient_m2_kg
    if method == "averaged":
        res = propagate_averaged(
            mean_elements_at(h, i),
            b,
            env.atmosphere,
            end,
            interface_alt_m=spec.interface_alt_m,
            on_progress=on_progress,
        )
        traj = res.trajectories[0]
    else:
        sat = h.tles[i].satrec()
        err, r_km, v_km_s = sat.sgp4_tsince(0.0)
        if err != 0:
            raise PropagationError(f"SGP4 error {err} at the TLE epoch", path=h.tles[i].path)
        state = CartesianState(t0, np.array(r_km) * 1e3, np.array(v_km_s) * 1e3)
        traj = propagate_numerical(
            state,
            b,
            env.atmosphere,
            end,
            interface_alt_m=spec.interface_alt_m,
            on_progress=on_progress,
        )
    last = traj.reentry_s if traj.reentry_s is not None else end
    return DecayResult(
        norad_id=h.norad_id,
        name=h.name,
        start_s=t0,
        tle_epoch_s=t0,
        method=method,
        drag=drag,
        b_source=b_src,
        trajectory=traj,
        space_weather=env.describe(t0, last),
        interface_alt_m=spec.interface_alt_m,
        end_s=last,
        notes=above_leo_notes(_start_apogee_alt_m(traj)),
    )


def _start_apogee_alt_m(traj: Trajectory) -> float | None:
    """The mean apogee altitude (m) at the start of a run, None if it has no sample."""
    if len(traj.t_s) == 0:
        return None
    return float(traj.at(float(traj.t_s[0]))["apogee_alt_m"])


__all__ = [
    "BUNDLED_ISS_TLE",
    "AveragedSettings",
    "DecayResult",
    "DecaySpec",
    "Environment",
    "run_decay",
]
