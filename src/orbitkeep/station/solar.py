"""Solar activity ``nominal|high|low`` and the scenario's density model.

The CelesTrak file has one predicted F10.7 series and no percentiles, so ``high`` and
``low`` scale the *predicted and extrapolated* (not the observed) F10.7 and F10.7a by
exp(±1.645 s), s the standard deviation of ln(cycle-mean F10.7) over the complete solar
cycles observed in the same file (cycles 20-24: s ~ 0.14, factors ~1.25 / ~0.80).
"""

from __future__ import annotations

import itertools
import math
from typing import Any, cast

import numpy as np

from ..environment.atmosphere import Atmosphere, make_atmosphere
from ..environment.spaceweather import (
    SECTION_OBSERVED,
    MsisDrivers,
    SpaceWeather,
    load_space_weather,
)
from ..errors import ParameterError
from ..timescale import iso_utc

SOLAR_CHOICES = ("nominal", "high", "low")
Z95 = 1.645  # the 5 % / 95 % quantiles of a normal distribution, in sigmas


class SolarScaledSpaceWeather:
    """A :class:`SpaceWeather` whose predicted/extrapolated F10.7 and F10.7a are scaled."""

    def __init__(self, sw: SpaceWeather, factor: float) -> None:
        self._sw, self.factor = sw, factor

    def msis_drivers(self, t_s: Any) -> MsisDrivers:
        """The wrapped drivers, F10.7 and F10.7a times ``factor`` outside observed days."""
        d = self._sw.msis_drivers(t_s)
        k = np.where(d.section != SECTION_OBSERVED, self.factor, 1.0)
        return MsisDrivers(d.f107_sfu * k, d.f107a_sfu * k, d.ap, d.section)

    def __getattr__(self, name: str) -> Any:
        # only called for names not found on self; while unpickling (a process-pool
        # worker), ``_sw`` itself is not set yet and pickle asks for ``__setstate__``:
        # forwarding those would recurse without end
        if name == "_sw" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._sw, name)


def solar_factors(sw: SpaceWeather) -> dict[str, Any]:
    """F10.7 factors for 'high'/'low' from the cycle-to-cycle spread in ``sw``'s observations.

    Cycle boundaries: minima of the 13-month running mean of observed F10.7 at least 8
    years apart; s = std of ln(mean F10.7 over each complete cycle).
    """
    obs = np.asarray(sw.day_section) == SECTION_OBSERVED
    f = np.asarray(sw.f107_obs_sfu)[obs]
    t = np.asarray(sw.day_start_s)[obs]
    k = 396
    if f.size < 3 * 4018:
        raise ParameterError("the space-weather file has too few observed cycles", flag="--solar")
    sm = np.convolve(f, np.ones(k) / k, mode="valid")
    w = 4 * 365
    mins = [i for i in range(w, sm.size - w) if sm[i] == sm[i - w : i + w].min()]
    means = [float(f[a + k // 2 : b + k // 2].mean()) for a, b in itertools.pairwise(mins)]
    if len(means) < 2:
        raise ParameterError("the space-weather file has too few observed cycles", flag="--solar")
    s = float(np.std(np.log(means), ddof=1))
    return {
        "high": math.exp(Z95 * s),
        "low": math.exp(-Z95 * s),
        "nominal": 1.0,
        "sigma_ln": s,
        "cycles": len(means),
        "minima_utc": [iso_utc(float(t[i + k // 2]))[:10] for i in mins],
    }


def scenario_environment(
    solar: str,
    space_weather: SpaceWeather | None,
    atmosphere: Atmosphere | None,
    *,
    atmosphere_model: str = "msis2.1",
    ap_mode: str = "daily",
) -> tuple[Atmosphere, Atmosphere, dict[str, Any], list[str]]:
    """(scenario atmosphere, nominal atmosphere for the B fit, solar info, notes).

    ``atmosphere`` (an instance) overrides everything; otherwise ``atmosphere_model``
    (``msis2.1``, ``msis2.0``, ``msis00`` or ``exponential``) on ``space_weather``
    (default: the bundled CelesTrak file with policy 'cycle').
    """
    if solar not in SOLAR_CHOICES:
        raise ParameterError(f"expected one of {', '.join(SOLAR_CHOICES)}", flag="--solar")
    plain = {"choice": "nominal", "factor": 1.0}
    if atmosphere is not None:
        if solar != "nominal":
            raise ParameterError("a custom atmosphere takes no solar choice", flag="--solar")
        return atmosphere, atmosphere, plain, []
    if atmosphere_model.lower() in ("exponential", "exp"):
        if solar != "nominal":
            raise ParameterError(
                "the exponential atmosphere has no solar input; use an NRLMSIS model",
                flag="--solar",
            )
        atm = make_atmosphere(atmosphere_model, None)
        return atm, atm, plain, []
    sw = space_weather or load_space_weather(policy="cycle")
    nominal = make_atmosphere(atmosphere_model, sw, ap_mode=ap_mode)
    if solar == "nominal":
        return nominal, nominal, plain, []
    sf = solar_factors(sw)
    k = sf[solar]
    scaled = make_atmosphere(
        atmosphere_model, cast(SpaceWeather, SolarScaledSpaceWeather(sw, k)), ap_mode=ap_mode
    )
    info = {"choice": solar, "factor": k, "sigma_ln": sf["sigma_ln"], "cycles": sf["cycles"]}
    note = (
        f"solar '{solar}': predicted F10.7/F10.7a x {k:.3f} [derived: exp(±1.645 s), "
        f"s = {sf['sigma_ln']:.3f} = std of ln cycle-mean F10.7 over {sf['cycles']} observed "
        f"cycles in {sw.source}]"
    )
    return scaled, nominal, info, [note]


__all__ = [
    "SOLAR_CHOICES",
    "Z95",
    "SolarScaledSpaceWeather",
    "scenario_environment",
    "solar_factors",
]
