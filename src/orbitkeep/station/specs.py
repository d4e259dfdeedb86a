"""What a scenario is: a kind, a start, a horizon, a solar choice and dated changes to
the partnership (:class:`ScenarioSpec`, :class:`Change`), and the built-in scenarios
(:data:`BUILTINS`). Running them: :mod:`.scenarios`."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ParameterError
from .solar import SOLAR_CHOICES

KINDS = ("hold", "free-decay", "deorbit")


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
    """Free decay from the start until reentry (the band is kept until the start)."""
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
