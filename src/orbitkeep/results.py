"""What the API returns: result wrappers with the same conveniences for every kind.

:class:`Result` wraps a plain result (``DecayResult``, ``ReentryResult``,
``ScenarioResult``) and adds ``to_json()``, ``to_dataframe()``, ``plot()``, ``save()``
and ``report()``; :class:`Decay`, :class:`Reentry`, :class:`Scenario` and
:class:`Scenarios` say in their ``repr`` what the answer is. The functions that compute
them are in :mod:`orbitkeep.api`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import OrbitkeepError

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

PathLike = str | Path


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
        if getattr(r, "design", None) is not None:
            who = str(r.name or "design orbit")
        else:
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
            p50 = r.reentry_utc.get("p50")
            parts.append(f"reentry ~{p50[:10]}" if p50 else "reentry after the horizon")
        return f"<Scenario {'; '.join(parts)}>"


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
