"""What a scenario is: a kind, a start, a horizon, a solar choice and dated changes to
the partnership (:class:`ScenarioSpec`, :class:`Change`), and the built-in scenarios
(:data:`BUILTINS`). Running them: :mod:`.scenarios`."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ParameterError
from .solar import SOLAR_CHOICES

KINDS = ("hold", "free-decay", "deorbit")
HOLD_YEARS = 5.0  # default horizon of band keeping (baseline, partner-exit), years
DECAY_YEARS = 30.0  # default longest free decay searched (no-reboost, deorbit), years
MAX_YEARS = 100.0  # the longest horizon taken: band keeping is simulated burn by burn


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
    years: float = HOLD_YEARS
    solar: str = "nominal"
    changes: tuple[Change, ...] = ()
    max_decay_years: float = DECAY_YEARS

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ParameterError(f"unknown scenario kind {self.kind!r}", flag="kind")
        if self.solar not in SOLAR_CHOICES:
            raise ParameterError(f"expected one of {', '.join(SOLAR_CHOICES)}", flag="--solar")
        if not (math.isfinite(self.years) and self.years > 0):
            raise ParameterError(f"must be positive, got {self.years}", flag="--years")
        if max(self.years, self.max_decay_years) > MAX_YEARS:
            raise ParameterError(
                f"at most {MAX_YEARS:g} years (band keeping is flown burn by burn, and the "
                f"ISS at 400-420 km comes down within a few years of the last reboost), got "
                f"{max(self.years, self.max_decay_years):g}",
                flag="--years",
            )


def baseline(
    *, start_utc: str | None = None, years: float = HOLD_YEARS, solar: str = "nominal"
) -> ScenarioSpec:
    """Today's partners and vehicles hold the sourced band."""
    return ScenarioSpec("baseline", "hold", start_utc, years, solar)


def partner_exit(
    partner: str = "roscosmos",
    exit_utc: str | None = None,
    *,
    start_utc: str | None = None,
    years: float = HOLD_YEARS,
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
    *, start_utc: str | None = None, solar: str = "nominal", max_years: float = DECAY_YEARS
) -> ScenarioSpec:
    """Free decay from the start until reentry (the band is kept until the start)."""
    return ScenarioSpec("no-reboost", "free-decay", start_utc, max_years, solar, (), max_years)


def deorbit(
    *,
    start_utc: str | None = None,
    decay_start_utc: str | None = None,
    solar: str = "nominal",
    max_years: float = DECAY_YEARS,
) -> ScenarioSpec:
    """Band kept until ``decay_start_utc`` (None: the start), then the USDV profile."""
    ch = (Change("stop_reboost", decay_start_utc),)
    return ScenarioSpec("deorbit", "deorbit", start_utc, max_years, solar, ch, max_years)


def scenario_spec(
    scenario: str,
    *,
    start_utc: str | None = None,
    years: float | None = None,
    solar: str = "nominal",
    partner: str = "roscosmos",
    exit_utc: str | None = None,
    extra_flights: dict[str, float] | None = None,
    decay_start_utc: str | None = None,
) -> ScenarioSpec:
    """The built-in ``scenario`` (a key of :data:`BUILTINS`) from the arguments of
    ``orbitkeep iss`` and ``orbitkeep.api.iss``. ``years`` None: :data:`HOLD_YEARS` of band
    keeping, or :data:`DECAY_YEARS` of free decay searched (no-reboost, deorbit).
    Arguments the scenario does not take are ignored: the callers refuse them."""
    hold = HOLD_YEARS if years is None else years
    free = DECAY_YEARS if years is None else years
    if scenario == "baseline":
        return baseline(start_utc=start_utc, years=hold, solar=solar)
    if scenario == "partner-exit":
        return partner_exit(
            partner,
            exit_utc,
            start_utc=start_utc,
            years=hold,
            solar=solar,
            extra_flights=extra_flights,
        )
    if scenario == "no-reboost":
        return no_reboost(start_utc=start_utc, solar=solar, max_years=free)
    if scenario == "deorbit":
        return deorbit(
            start_utc=start_utc, decay_start_utc=decay_start_utc, solar=solar, max_years=free
        )
    raise ParameterError(
        f"unknown scenario {scenario!r}; expected one of {', '.join(BUILTINS)}", flag="scenario"
    )


BUILTINS = {
    "baseline": baseline,
    "partner-exit": partner_exit,
    "no-reboost": no_reboost,
    "deorbit": deorbit,
}
