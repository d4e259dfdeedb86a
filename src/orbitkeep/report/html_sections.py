"""What the report page says (:mod:`orbitkeep.report.html`): the answer in plain words
for each kind of result, its inputs, assumptions and data sources."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..station.budget import window_text
from ..timescale import iso_utc
from . import result_views
from .html_parts import esc, flatten, fmt_value, grid, iso_or_none, table


# ----------------------------------------------------------------------------- answers
def answer_decay(r: Any) -> tuple[str, list[str]]:
    from .tables import decay_summary

    lines = []
    samples = r.samples() if hasattr(r, "samples") else []
    if samples:
        s0, s1 = samples[0], samples[-1]
        lines.append(
            f"Mean altitude {s0['mean_alt_km']:.1f} km on {s0['t'][:10]}, "
            f"{s1['mean_alt_km']:.1f} km on {s1['t'][:10]}."
        )
    lines.extend(f"Note: {n}." for n in getattr(r, "notes", None) or [])
    return decay_summary(r), lines


def answer_reentry(r: Any) -> tuple[str, list[str]]:
    q = {k: iso_or_none(v) for k, v in (r.quantiles_s or {}).items()}
    who = result_views.object_label(r)
    rs = np.asarray(r.reentry_s, dtype=float)
    frac = float(np.mean(np.isfinite(rs))) if rs.size else 0.0
    if frac == 0:
        hz = getattr(r, "horizon_s", None)
        until = (
            f" (until {str(iso_or_none(r.prediction_epoch_s + hz))[:10]})" if hz is not None else ""
        )
        lead = f"{who}: no sample reentered within the horizon{until}."
    elif q.get("p50"):
        lead = (
            f"{who}: reentry most likely on {str(q['p50'])[:16].replace('T', ' ')} UTC; "
            f"90% of the samples between {str(q.get('p05') or '?')[:10]} and "
            f"{str(q.get('p95') or 'after the horizon')[:10]}."
        )
    else:
        lead = f"{who}: fewer than half of the samples reentered within the horizon."
    lines = [
        f"{rs.size} Monte Carlo samples (seed {getattr(r, 'seed', '?')}); "
        f"{100 * frac:.0f}% reentered within the horizon.",
    ]
    nom = getattr(r, "nominal_reentry_s", None)
    if nom is not None:
        lines.append(f"Nominal run (no perturbation): {iso_or_none(nom)}.")
    lines.extend(f"Note: {n}." for n in getattr(r, "notes", None) or [])
    if getattr(r, "rules", None):
        from .console import lifetime_rules_line

        lines.append(lifetime_rules_line(r.rules))
    return lead, lines


def answer_scenario(r: Any) -> tuple[str, list[str]]:
    annual = list(r.annual or [])
    lines = []
    if annual:
        y1 = annual[0]
        lead = (
            f"Scenario {r.scenario}: {y1.get('dv_m_s', 0):.1f} m/s of reboost Δv and "
            f"{y1.get('propellant_kg', 0) / 1000:.1f} t of propellant in the first year."
        )
    else:
        lead = f"Scenario {r.scenario}."
    short = getattr(r, "shortfall_dv_m_s_per_year", 0.0) or 0.0
    if short > 0:
        lines.append(f"Shortfall: {short:.1f} m/s per year that no remaining vehicle can deliver.")
    q = getattr(r, "reentry_utc", None)
    if isinstance(q, Mapping) and q.get("p50"):
        lines.append(f"Reentry (or final burn) about {window_text(q)}.")
    for a in annual[1:]:
        lines.append(
            f"Year {a.get('year')}: {a.get('dv_m_s', 0):.1f} m/s, "
            f"{a.get('propellant_kg', 0) / 1000:.1f} t, {a.get('burns', 0)} reboosts."
        )
    return lead, lines


def answer_scenarios(results: Mapping[str, Any]) -> tuple[str, list[str]]:
    try:
        from ..station import summary_lines

        lines = list(summary_lines(dict(results)))
        return lines[0], lines[1:]
    except Exception:
        parts = [answer_scenario(r) for r in results.values()]
        return parts[0][0], [p[0] for p in parts[1:]] + [x for p in parts for x in p[1]]


def answer_batch(r: Any) -> tuple[str, list[str]]:
    life = result_views.lifetimes_days(r)
    assert life is not None
    ok = life[np.isfinite(life)]
    if ok.size:
        lead = (
            f"{life.size} objects: median lifetime {np.median(ok) / 365.25:.2f} years "
            f"({ok.min() / 365.25:.2f} to {ok.max() / 365.25:.2f})."
        )
    else:
        lead = f"{life.size} objects: none reentered within the horizon."
    return lead, (
        [f"{life.size - ok.size} still in orbit at the horizon."] if ok.size < life.size else []
    )


# ----------------------------------------------------------------------------- sections
def inputs_of(r: Any, kind: str, inputs: Mapping[str, Any] | None) -> str:
    rows: list[tuple[str, Any]] = []
    if kind == "decay":
        rows = [
            ("object", result_views.object_label(r)),
            ("start (element set epoch)", iso_or_none(getattr(r, "tle_epoch_s", r.start_s))),
            ("end", iso_or_none(getattr(r, "end_s", None))),
            ("propagator", getattr(r, "method", None)),
            ("ballistic coefficient B, m²/kg", r.drag.ballistic_coefficient_m2_kg),
            ("B from", (r.b_source or {}).get("method")),
            ("reentry interface altitude, km", r.interface_alt_m / 1e3),
            ("density model", (r.space_weather or {}).get("model")),
        ]
    elif kind == "reentry":
        design = getattr(r, "design", None)
        start: list[tuple[str, Any]] = (
            [("element set epoch", iso_or_none(getattr(r, "tle_epoch_s", None)))]
            if design is None
            else [
                ("mean perigee altitude, km", design["perigee_alt_km"]),
                ("mean apogee altitude, km", design["apogee_alt_km"]),
                ("inclination, deg", design["incl_deg"]),
                ("B from", design["b_source"]),
            ]
        )
        rows = [
            ("object", result_views.object_label(r)),
            ("prediction epoch", iso_or_none(getattr(r, "prediction_epoch_s", None))),
            *start,
            ("samples", getattr(r, "samples", None)),
            ("seed", getattr(r, "seed", None)),
            ("B, m²/kg", getattr(r, "b_m2_kg", None)),
            ("B sigma, m²/kg", getattr(r, "b_sigma_m2_kg", None)),
            ("interface altitude, km", _km(getattr(r, "interface_alt_m", None))),
        ]
        hz = getattr(r, "horizon_s", None)
        if hz is not None:
            rows.append(("horizon", iso_or_none(r.prediction_epoch_s + hz)))
    elif kind == "scenario":
        d = getattr(r, "details", None) or {}
        rows = [
            ("scenario", r.scenario),
            ("start", r.start_utc),
            ("years", r.years),
            ("altitude band, km", d.get("band_km")),
            ("density model", d.get("atmosphere")),
            ("solar activity", d.get("solar")),
        ]
        rows += [(f"station: {k}", v) for k, v in (getattr(r, "station", None) or {}).items()]
    elif kind == "scenarios":
        rows = [
            (name, f"{s.scenario}, from {s.start_utc}, {s.years:.3g} years")
            for name, s in r.items()
        ]
    out = table([(k, v) for k, v in rows if v is not None])
    if inputs:
        given = [
            (f"--{k.replace('_', '-')}", _option_value(k, v))
            for k, v in inputs.items()
            if v not in (None, False, ()) and k not in OUTPUT_KEYS
        ]
        if given:
            out += "<h3>Options</h3>" + table(given)
    return out


OUTPUT_KEYS = frozenset({"plot", "out", "report", "as_json", "json"})
EPOCH_KEYS = frozenset({"epoch", "until", "before", "start", "exit_date", "exit", "decay_start"})


def _option_value(key: str, v: Any) -> Any:
    """An option as the user wrote it: epochs (parsed to Unix seconds) back to ISO 8601."""
    if key in EPOCH_KEYS and isinstance(v, int | float) and not isinstance(v, bool):
        return iso_utc(float(v))
    return v


def _km(m: Any) -> float | None:
    return None if m is None else float(m) / 1e3


def assumptions_of(r: Any, kind: str) -> list[str]:
    out: list[str] = []
    if kind == "decay":
        b = r.b_source or {}
        if b.get("method") not in (None, "given", "mass/area/Cd"):
            out.append(
                f"B fitted ({b.get('method')}) on {b.get('n_tles', '?')} element sets from "
                f"{b.get('arc_start_utc', '?')} to {b.get('arc_end_utc', '?')}, "
                f"sigma {fmt_value(b.get('sigma_m2_kg'))} m²/kg, residual rms {fmt_value(b.get('residual_rms_m'))} m; "
                "held constant over the whole run."
            )
        else:
            out.append(f"B as given ({b.get('method')}), held constant over the whole run.")
        out.append("No manoeuvres after the start: free decay under drag and zonal gravity.")
        out.append(
            "Altitudes are mean altitudes a − R_eq (WGS-84 equatorial radius), as derived from TLEs."
        )
        sw = r.space_weather or {}
        if sw.get("policy"):
            out.append(f"Past the end of the space-weather data: policy '{sw['policy']}'.")
    elif kind == "reentry":
        out.append("Samples vary B, the density model and solar activity (log-normal factors).")
        for k, v in (getattr(r, "forecast", None) or {}).items():
            out.append(f"forecast {k}: {fmt_value(v)}")
    elif kind == "scenario":
        out += [str(a) for a in (getattr(r, "assumptions", None) or [])]
    elif kind == "scenarios":
        seen: dict[str, None] = {}
        for s in r.values():
            seen.update(dict.fromkeys(str(a) for a in (s.assumptions or [])))
        out += list(seen)
    return out


def _space_weather_rows(sw: Mapping[str, Any]) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for k, v in sw.items():
        if k == "sections" and isinstance(v, Mapping):
            used = ", ".join(f"{n}: {c} days" for n, c in v.items() if c)
            rows.append(("sections used", used or "none"))
        elif k == "coverage" and isinstance(v, Mapping):
            rows += [(f"coverage {a}", b) for a, b in v.items() if a not in sw]
        elif isinstance(v, Mapping):
            rows += flatten(v, k + ".")
        else:
            rows.append((k, v))
    return rows


def _download_note(path: Any) -> str | None:
    """Where a downloaded file came from (``orbitkeep update``), if it is one."""
    if path is None:
        return None
    try:
        from pathlib import Path

        from ..io.update import data_dir, sources

        p = Path(str(path)).resolve()
        rel = str(p.relative_to(data_dir().resolve()))
    except Exception:
        return None
    info = sources().get(rel)
    if not info:
        return None
    return f"downloaded from {info.get('url')} on {info.get('downloaded_utc')}"


BUNDLED_TLE_NOTE = "the bundled ISS history (orbitkeep/data/iss_25544.tle)"


def _tle_source(r: Any, inputs: Mapping[str, Any]) -> str:
    """The TLE file a result came from: recorded in the result, given in ``inputs``
    (a key present with value None means the default, the bundled ISS history)."""
    extra = getattr(r, "extra", None) or {}
    for src in (extra, inputs):
        for key in ("tle_path", "tle_file"):
            if key in src:
                return str(src[key]) if src[key] is not None else BUNDLED_TLE_NOTE
    return "not recorded"


def sources_of(r: Any, kind: str, inputs: Mapping[str, Any] | None) -> str:
    parts = []
    items = r.items() if kind == "scenarios" else [("", r)]
    inputs = inputs or {}
    tle_rows: list[tuple[str, Any]] = []
    sw_blocks: list[tuple[str, Mapping[str, Any]]] = []
    for name, x in items:
        pre = f"{name}: " if name else ""
        if kind == "reentry" and getattr(x, "design", None) is not None:
            tle_rows.append((f"{pre}orbit", "a design orbit, given (no element sets)"))
            sw = getattr(x, "space_weather", None) or {}
        elif kind in ("decay", "reentry"):
            tle = _tle_source(x, inputs)
            tle_rows.append((f"{pre}TLE file", tle))
            note = _download_note(tle)
            if note:
                tle_rows.append((f"{pre}TLE file origin", note))
            tle_rows.append(
                (f"{pre}element set used, epoch", iso_or_none(getattr(x, "tle_epoch_s", None)))
            )
            if kind == "reentry" and getattr(x, "fit", None) is not None:
                f = x.fit
                tle_rows.append(
                    (
                        f"{pre}B fit window",
                        f"{iso_or_none(f.arc_start_s)} to {iso_or_none(f.arc_end_s)}, {f.n_tles} sets",
                    )
                )
            sw = getattr(x, "space_weather", None) or {}
        else:
            st = getattr(x, "station", None) or {}
            if st.get("source"):
                tle_rows.append((f"{pre}element sets", st["source"]))
            if st.get("b_fit_window_utc"):
                tle_rows.append((f"{pre}B fit window", st["b_fit_window_utc"]))
            sw = (getattr(x, "details", None) or {}).get("space_weather") or {}
        if sw:
            sw_blocks.append((pre, sw))
    if tle_rows:
        parts.append("<h3>Orbit data</h3>" + table(tle_rows))
    for pre, sw in sw_blocks[:1] if kind == "scenarios" else sw_blocks:
        rows = _space_weather_rows(sw)
        note = _download_note(sw.get("source"))
        if note:
            rows.append(("origin", note))
        parts.append(f"<h3>{esc(pre)}Space weather</h3>" + table(rows))
    if kind in ("scenario", "scenarios"):
        facts = station_facts()
        if facts:
            parts.append(
                "<h3>Station facts (iss.toml)</h3>"
                + grid(
                    ("key", "value", "basis", "note", "source"),
                    facts,
                )
            )
    return "".join(parts) or "<p>No data sources recorded.</p>"


def station_facts() -> list[tuple[str, Any, str, str, str]]:
    """Every number of the station model with its basis, note and source:
    (key, value, basis, note, source). Empty when the station model cannot be loaded."""
    try:
        from ..station import load_station

        model = load_station()
    except Exception:
        return []
    out: list[tuple[str, Any, str, str, str]] = []

    def walk(obj: Any, key: str, depth: int) -> None:
        if depth > 4:
            return
        if all(hasattr(obj, a) for a in ("value", "basis", "source", "note")):
            out.append((key, obj.value, str(obj.basis), str(obj.note), str(obj.source)))
        elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            for f in dataclasses.fields(obj):
                walk(getattr(obj, f.name), f"{key}.{f.name}" if key else f.name, depth + 1)
        elif isinstance(obj, Mapping):
            for k, v in obj.items():
                walk(v, f"{key}.{k}" if key else str(k), depth + 1)
        elif isinstance(obj, tuple | list):
            for i, v in enumerate(obj):
                ident = getattr(v, "id", None) or getattr(v, "name", None) or i
                walk(v, f"{key}.{ident}", depth + 1)

    walk(model, "", 0)
    return out
