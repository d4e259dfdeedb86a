"""The Python API: what the command line does, as functions that return results.

::

    import orbitkeep as ok
    d = ok.decay("iss.tle", days=30)          # a Decay (wraps decay.DecayResult)
    d.reentry_s, d.trajectory                 # the result's own attributes
    df = d.to_dataframe()                     # the mean-orbit series (pandas)
    d.plot("decay.png"); d.report("decay.html"); d.save("decay.csv")
    s = ok.iss("partner-exit", years=3)       # a Scenario (wraps station ScenarioResult)

Epochs are accepted as ISO 8601 UTC strings, :class:`datetime.datetime` (naive means
UTC) or Unix seconds. Altitudes and distances take the unit in the keyword name
(``interface_alt_km``, ``area_m2``). Errors are :class:`~orbitkeep.errors.OrbitkeepError`
subclasses, as on the command line. Heavy modules (the propagators, matplotlib, pandas)
are imported on first use, so ``import orbitkeep`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OrbitkeepError, ParameterError
from .io import update as _upd
from .io.tle import TLE, TLEHistory, history, read_tles
from .updates import (
    DEFAULT_NORAD,
    run_update,
    usable_space_weather,
    usable_tle,
    validate_space_weather,
)

Outcome = _upd.Outcome

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

    from .environment.spaceweather import SpaceWeather

PathLike = str | Path
Epoch = str | float | int | dt.datetime


def _epoch_s(value: Epoch | None, flag: str) -> float | None:
    """Unix seconds from an ISO string, a datetime (naive = UTC) or a number."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ParameterError(f"not a finite epoch: {value}", flag=flag)
        return float(value)
    if isinstance(value, str):
        from .timescale import parse_utc

        return parse_utc(value, flag=flag)
    raise ParameterError(
        f"expected an ISO 8601 string, a datetime or Unix seconds, got {value!r}", flag=flag
    )


class Result:
    """A result with conveniences; every other attribute is the wrapped result's.

    ``result``: the plain result object (``DecayResult``, ``ReentryResult``,
    ``ScenarioResult``). ``to_json()``, ``to_dataframe()``, ``plot()``, ``save()`` and
    ``report()`` work the same for each kind.
    """

    __slots__ = ("_orbitkeep_result", "inputs")

    def __init__(self, result: Any, inputs: Mapping[str, Any] | None = None) -> None:
        self._orbitkeep_result = result
        #: The arguments the result was computed from (shown in the report).
        self.inputs: dict[str, Any] = dict(inputs or {})

    @property
    def result(self) -> Any:
        """The wrapped plain result."""
        return self._orbitkeep_result

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_orbitkeep_result", "inputs"):
            raise AttributeError(name)
        return getattr(self._orbitkeep_result, name)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(dir(self._orbitkeep_result)))

    def to_json(self) -> dict[str, Any]:
        """The JSON document the command prints with ``--json``."""
        doc: dict[str, Any] = self._orbitkeep_result.to_json()
        return doc

    def rows(self) -> list[dict[str, Any]]:
        """The series behind the answer as plain rows (what ``--out`` writes)."""
        from .report.outputs import series_rows

        return series_rows(self._orbitkeep_result)

    def to_dataframe(self) -> pd.DataFrame:
        """The series as a pandas DataFrame; ``*_utc`` columns as UTC timestamps."""
        try:
            import pandas as pd
        except ImportError:
            raise OrbitkeepError("to_dataframe() needs pandas: pip install pandas") from None
        df = pd.DataFrame(self.rows())
        for col in df.columns:
            if str(col).endswith("_utc"):
                df[col] = pd.to_datetime(df[col], utc=True)
        return df

    def plot(self, path: PathLike | None = None) -> Figure:
        """The figure of this result; also written to ``path`` (.png or .svg) when given."""
        from .report import outputs, plots

        fig = plots.default_figure(self._orbitkeep_result)
        if path is not None:
            p = outputs.check_output_path(path, "path", "--plot")
            outputs.atomic_write(p, plots.render(fig, p.suffix), flag="path", kind="--plot")
        return fig

    def save(self, path: PathLike) -> Path:
        """Write the series as .csv, .json or .parquet (parquet needs pyarrow)."""
        from .report.outputs import write_series

        return write_series(self._orbitkeep_result, path, flag="path")

    def report(self, path: PathLike, *, inputs: Mapping[str, Any] | None = None) -> Path:
        """Write the self-contained HTML report (``inputs`` add to :attr:`inputs`)."""
        from .report.outputs import write_report

        given = {**self.inputs, **(inputs or {})}
        return write_report(self._orbitkeep_result, path, flag="path", inputs=given)

    def _repr_html_(self) -> str:  # Jupyter: the answer, not the whole report
        import html

        return f"<pre>{html.escape(repr(self))}</pre>"


def _utc(t: float | None) -> str:
    from .timescale import iso_utc

    return "—" if t is None or not math.isfinite(t) else iso_utc(t)


class Decay(Result):
    """A free-decay prediction (wraps :class:`orbitkeep.decay.DecayResult`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        r = self._orbitkeep_result
        who = f"NORAD {r.norad_id}" + (f" {r.name}" if r.name else "")
        b = r.drag.ballistic_coefficient_m2_kg
        if r.reentry_s is not None:
            days = (r.reentry_s - r.start_s) / 86400.0
            end = f"reenters {_utc(r.reentry_s)[:10]} ({days:.0f} days)"
        else:
            alt = r.trajectory.at(r.end_s)["mean_alt_m"] / 1e3
            end = f"still up on {_utc(r.end_s)[:10]} at {alt:.1f} km"
        return f"<Decay {who} from {_utc(r.start_s)[:10]}, B={b:.5f} m²/kg, {r.method}: {end}>"


class Reentry(Result):
    """A Monte Carlo reentry window (wraps :class:`orbitkeep.reentry.ReentryResult`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        r = self._orbitkeep_result
        q = getattr(r, "quantiles_s", {}) or {}
        n = getattr(r, "samples", None)
        who = f"NORAD {r.norad_id}" + (f" {r.name}" if getattr(r, "name", None) else "")
        win = f"p50 {_utc(q.get('p50'))[:10]} (p05 {_utc(q.get('p05'))[:10]}, p95 {_utc(q.get('p95'))[:10]})"
        return f"<Reentry {who}: {win}, {n} samples>"


class Scenario(Result):
    """An ISS scenario (wraps :class:`orbitkeep.station.ScenarioResult`)."""

    __slots__ = ()

    def __repr__(self) -> str:
        r = self._orbitkeep_result
        y1 = (r.annual or [{}])[0]
        parts = [
            f"{r.scenario} from {str(r.start_utc)[:10]}, {r.years:.3g} years",
            f"year 1: {y1.get('dv_m_s', 0.0):.1f} m/s, {y1.get('propellant_kg', 0.0) / 1000:.2f} t",
        ]
        if r.shortfall_dv_m_s_per_year:
            parts.append(f"shortfall {r.shortfall_dv_m_s_per_year:.1f} m/s/yr")
        if r.reentry_utc:
            parts.append(f"reentry ~{str(r.reentry_utc.get('p50'))[:10]}")
        return f"<Scenario {'; '.join(parts)}>"


_DECAY_ARGS = (
    "tle_path", "norad_id", "epoch", "days", "until", "ballistic_coefficient_m2_kg", "mass_kg",
    "area_m2", "cd", "method", "interface_alt_km", "space_weather", "atmosphere", "ap_mode",
    "sw_policy",
)  # fmt: skip
_REENTRY_ARGS = (
    "tle_path", "norad_id", "before", "samples", "seed", "interface_alt_km", "horizon_years",
    "space_weather", "atmosphere",
)  # fmt: skip
_ISS_ARGS = (
    "scenario", "years", "solar", "start", "partner", "exit", "extra_flights", "decay_start",
    "tle_path", "space_weather", "atmosphere", "ap_mode", "sw_policy",
)  # fmt: skip


def _given(scope: Mapping[str, Any], names: Sequence[str]) -> dict[str, Any]:
    """The named arguments as the user gave them (paths as strings; tle_path kept even
    when None, which means the bundled ISS history)."""
    out = {n: scope[n] for n in names if scope.get(n) is not None or n == "tle_path"}
    return {k: str(v) if isinstance(v, Path) else v for k, v in out.items()}


def _progress(enabled: bool) -> Any:
    from .report.progress import progress_bar

    return progress_bar(enabled=enabled)


def decay(
    tle_path: PathLike | None = None,
    *,
    norad_id: int | None = None,
    epoch: Epoch | None = None,
    days: float | None = None,
    until: Epoch | None = None,
    ballistic_coefficient_m2_kg: float | None = None,
    mass_kg: float | None = None,
    area_m2: float | None = None,
    cd: float | None = None,
    method: str | None = None,
    interface_alt_km: float = 120.0,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    ap_mode: str = "daily",
    sw_policy: str = "error",
    progress: bool = False,
) -> Decay:
    """Free decay of one object from its TLE history (``orbitkeep decay``).

    ``tle_path`` None: the bundled ISS history. The start is the last element set at or
    before ``epoch`` (default: the last one); the span is ``days`` (default 365) or until
    ``until``. Drag: ``ballistic_coefficient_m2_kg``, or ``mass_kg``/``area_m2``/``cd``
    together, or (default) B fitted to the history before the start.
    """
    from .decay import DecaySpec, Environment, check_positive, run_decay
    from .state import DragProperties

    given = [x is not None for x in (mass_kg, area_m2, cd)]
    if any(given) and not all(given):
        raise ParameterError("give mass_kg, area_m2 and cd together", flag="mass_kg")
    if ballistic_coefficient_m2_kg is not None and any(given):
        raise ParameterError(
            "give ballistic_coefficient_m2_kg or mass_kg/area_m2/cd, not both",
            flag="ballistic_coefficient_m2_kg",
        )
    drag = None
    if all(given):
        drag = DragProperties.from_mass_area_cd(
            check_positive(mass_kg, "mass_kg"),  # type: ignore[arg-type]
            check_positive(area_m2, "area_m2"),  # type: ignore[arg-type]
            check_positive(cd, "cd"),  # type: ignore[arg-type]
        )
    elif ballistic_coefficient_m2_kg is not None:
        drag = DragProperties(
            check_positive(ballistic_coefficient_m2_kg, "ballistic_coefficient_m2_kg")
        )
    spec = DecaySpec(
        tle_path=tle_path,
        norad_id=norad_id,
        epoch_s=_epoch_s(epoch, "epoch"),
        days=days,
        until_s=_epoch_s(until, "until"),
        drag=drag,
        method=method,
        interface_alt_m=check_positive(interface_alt_km, "interface_alt_km") * 1e3,
    )
    env = Environment.build(
        model=atmosphere, space_weather_path=space_weather, policy=sw_policy, ap_mode=ap_mode
    )
    with _progress(progress) as bar:
        res = run_decay(spec, env, on_progress=bar)
    return Decay(res, _given(locals(), _DECAY_ARGS))


def reentry(
    tle_path: PathLike | None = None,
    *,
    norad_id: int | None = None,
    before: Epoch | None = None,
    samples: int = 1000,
    seed: int = 0,
    interface_alt_km: float = 120.0,
    horizon_years: float = 25.0,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    progress: bool = False,
    **options: Any,
) -> Reentry:
    """Monte Carlo reentry window (``orbitkeep reentry``); see :mod:`orbitkeep.reentry`.

    ``before``: predict as a forecaster on that date would have (only element sets and
    space weather from before it). ``options`` go to
    :func:`orbitkeep.reentry.predict_reentry` (e.g. ``executor="process"``).
    """
    try:
        from .reentry import predict_reentry
    except ImportError as exc:  # pragma: no cover - the module ships with orbitkeep
        raise OrbitkeepError(f"reentry prediction is not available: {exc}") from None
    from .decay import check_positive, load_history
    from .environment.spaceweather import load_space_weather

    h = load_history(tle_path, norad_id)
    sw = load_space_weather(space_weather)
    with _progress(progress) as bar:
        res = predict_reentry(
            h,
            sw,
            before_s=_epoch_s(before, "before"),
            samples=samples,
            seed=seed,
            interface_alt_m=check_positive(interface_alt_km, "interface_alt_km") * 1e3,
            horizon_years=horizon_years,
            model=atmosphere,
            on_progress=bar,
            **options,
        )
    return Reentry(res, _given(locals(), _REENTRY_ARGS))


SCENARIOS = ("baseline", "partner-exit", "no-reboost", "deorbit")


class Scenarios(Result):
    """The question of the day: baseline, a partner's exit and no reboost from the same
    state (wraps a dict of name -> ``ScenarioResult``). ``s["baseline"]`` is a
    :class:`Scenario`; :attr:`summary` holds the plain-language answer."""

    __slots__ = ()

    def __getitem__(self, name: str) -> Scenario:
        return Scenario(self._orbitkeep_result[name], self.inputs)

    def __iter__(self) -> Any:
        return iter(self._orbitkeep_result)

    def __len__(self) -> int:
        return len(self._orbitkeep_result)

    @property
    def summary(self) -> list[str]:
        """The answer in a few lines (what ``orbitkeep iss`` prints)."""
        from .station import summary_lines

        return list(summary_lines(self._orbitkeep_result))

    def to_json(self) -> dict[str, Any]:
        """The document ``orbitkeep iss --json`` prints."""
        res = self._orbitkeep_result
        base = res["baseline"]
        return {
            "scenario": "question-of-the-day",
            "start_utc": base.start_utc,
            "years": base.years,
            "summary": self.summary,
            "scenarios": {k: r.to_json() for k, r in res.items()},
        }

    def __repr__(self) -> str:
        return f"<Scenarios {', '.join(self._orbitkeep_result)}: {self.summary[0]}>"


def iss(
    scenario: str | None = "baseline",
    *,
    years: float | None = None,
    solar: str = "nominal",
    start: Epoch | None = None,
    partner: str = "roscosmos",
    exit: Epoch | None = None,
    extra_flights: Mapping[str, float] | None = None,
    decay_start: Epoch | None = None,
    tle_path: PathLike | None = None,
    space_weather: PathLike | None = None,
    atmosphere: str = "msis2.1",
    ap_mode: str = "daily",
    sw_policy: str = "cycle",
    progress: bool = False,
) -> Any:
    """The ISS (``orbitkeep iss``). ``scenario``: ``baseline``, ``partner-exit``
    (``partner`` leaves on ``exit``, default the start; optional ``extra_flights`` per
    year by vehicle id), ``no-reboost``, ``deorbit`` (band kept until ``decay_start``) ->
    :class:`Scenario`; or None, the question of the day (baseline, ``partner`` leaving,
    no reboost) -> :class:`Scenarios`.

    ``years``: horizon of band keeping (default 5), or the longest decay searched for
    no-reboost and deorbit (default 30); ``solar``: nominal, high or low.
    """
    from .environment.spaceweather import load_space_weather
    from .station import (
        baseline,
        deorbit,
        no_reboost,
        partner_exit,
        question_of_the_day,
        run_scenario,
    )
    from .timescale import iso_utc

    def iso(x: Epoch | None, flag: str) -> str | None:
        t = _epoch_s(x, flag)
        return None if t is None else iso_utc(t)

    if scenario is not None and scenario not in SCENARIOS:
        raise ParameterError(
            f"unknown scenario {scenario!r}; expected one of {', '.join(SCENARIOS)} or None",
            flag="scenario",
        )
    start_utc = iso(start, "start")
    hold, free = years or 5.0, years or 30.0
    sw = None
    if atmosphere != "exponential":
        sw = load_space_weather(space_weather, policy=sw_policy)
    env: dict[str, Any] = {"atmosphere_model": atmosphere, "ap_mode": ap_mode}
    given = _given(locals(), _ISS_ARGS)
    with _progress(progress) as bar:
        if scenario is None:
            res = question_of_the_day(
                space_weather=sw,
                tle_path=tle_path,
                years=hold,
                solar=solar,
                start_utc=start_utc,
                partner=partner,
                exit_utc=iso(exit, "exit"),
                on_progress=bar,
                **env,
            )
            return Scenarios(res, given)
        if scenario == "baseline":
            spec = baseline(start_utc=start_utc, years=hold, solar=solar)
        elif scenario == "partner-exit":
            spec = partner_exit(
                partner,
                iso(exit, "exit"),
                start_utc=start_utc,
                years=hold,
                solar=solar,
                extra_flights=dict(extra_flights or {}),
            )
        elif scenario == "no-reboost":
            spec = no_reboost(start_utc=start_utc, solar=solar, max_years=free)
        else:
            spec = deorbit(
                start_utc=start_utc,
                decay_start_utc=iso(decay_start, "decay_start"),
                solar=solar,
                max_years=free,
            )
        one = run_scenario(spec, space_weather=sw, tle_path=tle_path, on_progress=bar, **env)
    return Scenario(one, given)


def space_weather(path: PathLike | None = None, *, policy: str = "error") -> SpaceWeather:
    """The space weather in use (``orbitkeep spaceweather``): ``.coverage()`` says what
    it covers. ``path`` None: the newest of the bundled and downloaded files."""
    from .environment.spaceweather import load_space_weather

    return load_space_weather(path, policy=policy)


def update(space_weather: bool = True, tle: Sequence[int] = (DEFAULT_NORAD,)) -> list[Outcome]:
    """Download current space weather and element sets (``orbitkeep update``).

    Returns one :class:`~orbitkeep.io.update.Outcome` per item (``status``: updated,
    unchanged, offline or failed); never raises for network problems. The files go to
    the user data directory (``ORBITKEEP_DATA_DIR`` overrides it).
    """
    return run_update(space_weather, tuple(int(n) for n in tle))


__all__ = [
    "SCENARIOS",
    "TLE",
    "Decay",
    "Reentry",
    "Result",
    "Scenario",
    "Scenarios",
    "TLEHistory",
    "decay",
    "history",
    "iss",
    "read_tles",
    "reentry",
    "space_weather",
    "update",
    "usable_space_weather",
    "usable_tle",
    "validate_space_weather",
]
