"""The ``--report FILE.html`` page: one self-contained file, answer first.

Order: the answer in plain words, the figures (inline SVG), the inputs, the assumptions,
and every data source (TLE file and epoch, space-weather file and the sections of it the
run used, station facts with their sources). Nothing is loaded from elsewhere: CSS is
inline, there is no script, SVG text is drawn as paths (no fonts), and a
Content-Security-Policy forbids any fetch. All text that comes from a file, a result or
the user goes through :func:`html.escape`; links are made only of http(s) URLs.
"""

from __future__ import annotations

import dataclasses
import html
import math
import re
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..station.budget import window_text
from ..timescale import iso_utc
from . import plots

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
CSS = """
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6875; --line: #d8dee4;
        --accent: #0b63a8; --answer: #eef5fb; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: var(--ink);
       font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue",
       Arial, "Liberation Sans", sans-serif; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; padding-bottom: .2rem;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.meta { color: var(--muted); font-size: .9rem; margin: 0; }
.answer { background: var(--answer); border-left: 4px solid var(--accent);
          padding: .8rem 1.1rem; margin: 1.2rem 0; border-radius: 4px; }
.answer p { margin: .3rem 0; }
.answer p.lead { font-size: 1.1rem; font-weight: 600; }
figure { margin: 1rem 0 1.5rem; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; margin: .4rem 0 1rem; }
th, td { text-align: left; vertical-align: top; padding: .3rem .5rem;
         border-bottom: 1px solid var(--line); overflow-wrap: anywhere; }
th { background: #f6f8fa; font-weight: 600; }
table.kv th { width: 32%; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
ul.assumptions li { margin: .25rem 0; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace;
       font-size: .88em; overflow-wrap: anywhere; }
a { color: var(--accent); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .85rem; }
"""

_URL = re.compile(r"https?://[^\s;,()<>\"']+")


def esc(x: object) -> str:
    """HTML-escaped text of ``x`` (quotes included)."""
    return html.escape(str(x), quote=True)


def linkify(text: object) -> str:
    """Escaped ``text`` with its http(s) URLs as links (nothing else becomes markup)."""
    s = str(text)
    out, pos = [], 0
    for m in _URL.finditer(s):
        url = m.group(0).rstrip(".")
        out.append(esc(s[pos : m.start()]))
        out.append(f'<a href="{esc(url)}" rel="noreferrer">{esc(url)}</a>')
        pos = m.start() + len(url)
    out.append(esc(s[pos:]))
    return "".join(out)


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float | np.floating):
        f = float(v)
        if not math.isfinite(f):
            return "—"
        return f"{f:.6g}"
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {_fmt(x)}" for k, x in v.items())
    if isinstance(v, list | tuple):
        return ", ".join(_fmt(x) for x in v)
    return str(v)


def table(rows: Iterable[tuple[Any, Any]], head: tuple[str, str] | None = None) -> str:
    """A two-column key/value table, escaped; numbers right-aligned."""
    body = []
    for k, v in rows:
        num = isinstance(v, int | float | np.number) and not isinstance(v, bool)
        cls = ' class="num"' if num else ""
        body.append(f'<tr><th scope="row">{esc(k)}</th><td{cls}>{linkify(_fmt(v))}</td></tr>')
    h = f"<tr><th>{esc(head[0])}</th><th>{esc(head[1])}</th></tr>" if head else ""
    return f'<table class="kv">{h}{"".join(body)}</table>'


def grid(cols: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A table with a header row, escaped."""
    h = "".join(f"<th>{esc(c)}</th>" for c in cols)
    body = []
    for r in rows:
        cells = []
        for v in r:
            num = isinstance(v, int | float | np.number) and not isinstance(v, bool)
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}>{linkify(_fmt(v))}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{h}</tr>{''.join(body)}</table>"


def _ul(items: Iterable[Any], cls: str = "") -> str:
    li = "".join(f"<li>{linkify(x)}</li>" for x in items)
    return f'<ul class="{esc(cls)}">{li}</ul>' if cls else f"<ul>{li}</ul>"


def _iso(t: Any) -> str | None:
    if t is None:
        return None
    try:
        f = float(t)
    except (TypeError, ValueError):
        return str(t)
    return iso_utc(f) if math.isfinite(f) else None


def _flatten(d: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, Mapping) and v and len(v) <= 12:
            out += _flatten(v, key + ".")
        else:
            out.append((key, v))
    return out


# ----------------------------------------------------------------------------- answers
def _answer_decay(r: Any) -> tuple[str, list[str]]:
    from .tables import decay_summary

    lines = []
    samples = r.samples() if hasattr(r, "samples") else []
    if samples:
        s0, s1 = samples[0], samples[-1]
        lines.append(
            f"Mean altitude {s0['mean_alt_km']:.1f} km on {s0['t'][:10]}, "
            f"{s1['mean_alt_km']:.1f} km on {s1['t'][:10]}."
        )
    return decay_summary(r), lines


def _answer_reentry(r: Any) -> tuple[str, list[str]]:
    q = {k: _iso(v) for k, v in (r.quantiles_s or {}).items()}
    who = plots.object_label(r)
    rs = np.asarray(r.reentry_s, dtype=float)
    frac = float(np.mean(np.isfinite(rs))) if rs.size else 0.0
    if frac == 0:
        hz = getattr(r, "horizon_s", None)
        until = f" (until {str(_iso(r.prediction_epoch_s + hz))[:10]})" if hz is not None else ""
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
        lines.append(f"Nominal run (no perturbation): {_iso(nom)}.")
    lines.extend(f"Note: {n}." for n in getattr(r, "notes", None) or [])
    if getattr(r, "rules", None):
        from .console import lifetime_rules_line

        lines.append(lifetime_rules_line(r.rules))
    return lead, lines


def _answer_scenario(r: Any) -> tuple[str, list[str]]:
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


def _answer_scenarios(results: Mapping[str, Any]) -> tuple[str, list[str]]:
    try:
        from ..station import summary_lines

        lines = list(summary_lines(dict(results)))
        return lines[0], lines[1:]
    except Exception:
        parts = [_answer_scenario(r) for r in results.values()]
        return parts[0][0], [p[0] for p in parts[1:]] + [x for p in parts for x in p[1]]


def _answer_batch(r: Any) -> tuple[str, list[str]]:
    life = plots.lifetimes_days(r)
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
def _inputs(r: Any, kind: str, inputs: Mapping[str, Any] | None) -> str:
    rows: list[tuple[str, Any]] = []
    if kind == "decay":
        rows = [
            ("object", plots.object_label(r)),
            ("start (element set epoch)", _iso(getattr(r, "tle_epoch_s", r.start_s))),
            ("end", _iso(getattr(r, "end_s", None))),
            ("propagator", getattr(r, "method", None)),
            ("ballistic coefficient B, m²/kg", r.drag.ballistic_coefficient_m2_kg),
            ("B from", (r.b_source or {}).get("method")),
            ("reentry interface altitude, km", r.interface_alt_m / 1e3),
            ("density model", (r.space_weather or {}).get("model")),
        ]
    elif kind == "reentry":
        rows = [
            ("object", plots.object_label(r)),
            ("prediction epoch", _iso(getattr(r, "prediction_epoch_s", None))),
            ("element set epoch", _iso(getattr(r, "tle_epoch_s", None))),
            ("samples", getattr(r, "samples", None)),
            ("seed", getattr(r, "seed", None)),
            ("B, m²/kg", getattr(r, "b_m2_kg", None)),
            ("B sigma, m²/kg", getattr(r, "b_sigma_m2_kg", None)),
            ("interface altitude, km", _km(getattr(r, "interface_alt_m", None))),
        ]
        hz = getattr(r, "horizon_s", None)
        if hz is not None:
            rows.append(("horizon", _iso(r.prediction_epoch_s + hz)))
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


def _assumptions(r: Any, kind: str) -> list[str]:
    out: list[str] = []
    if kind == "decay":
        b = r.b_source or {}
        if b.get("method") not in (None, "given", "mass/area/Cd"):
            out.append(
                f"B fitted ({b.get('method')}) on {b.get('n_tles', '?')} element sets from "
                f"{b.get('arc_start_utc', '?')} to {b.get('arc_end_utc', '?')}, "
                f"sigma {_fmt(b.get('sigma_m2_kg'))} m²/kg, residual rms {_fmt(b.get('residual_rms_m'))} m; "
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
            out.append(f"forecast {k}: {_fmt(v)}")
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
            rows += _flatten(v, k + ".")
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


def _sources(r: Any, kind: str, inputs: Mapping[str, Any] | None) -> str:
    parts = []
    items = r.items() if kind == "scenarios" else [("", r)]
    inputs = inputs or {}
    tle_rows: list[tuple[str, Any]] = []
    sw_blocks: list[tuple[str, Mapping[str, Any]]] = []
    for name, x in items:
        pre = f"{name}: " if name else ""
        if kind in ("decay", "reentry"):
            tle = _tle_source(x, inputs)
            tle_rows.append((f"{pre}TLE file", tle))
            note = _download_note(tle)
            if note:
                tle_rows.append((f"{pre}TLE file origin", note))
            tle_rows.append(
                (f"{pre}element set used, epoch", _iso(getattr(x, "tle_epoch_s", None)))
            )
            if kind == "reentry" and getattr(x, "fit", None) is not None:
                f = x.fit
                tle_rows.append(
                    (
                        f"{pre}B fit window",
                        f"{_iso(f.arc_start_s)} to {_iso(f.arc_end_s)}, {f.n_tles} sets",
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


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("orbitkeep")
    except Exception:
        return "dev"


def _title(r: Any, kind: str) -> str:
    if kind == "decay":
        return f"Free decay of {plots.object_label(r)}"
    if kind == "reentry":
        return f"Reentry window of {plots.object_label(r)}"
    if kind == "scenario":
        return f"ISS scenario: {r.scenario}"
    if kind == "scenarios":
        return "ISS scenarios: " + ", ".join(str(k) for k in r)
    return "Orbital lifetimes of a batch"


def render_report(
    result: Any, *, inputs: Mapping[str, Any] | None = None, title: str | None = None
) -> str:
    """The report page of ``result`` (see the module docstring) as a string."""
    kind = plots.kind_of(result)
    head = title or _title(result, kind)
    lead, more = {
        "decay": _answer_decay,
        "reentry": _answer_reentry,
        "scenario": _answer_scenario,
        "scenarios": _answer_scenarios,
        "batch": _answer_batch,
    }[kind](result)
    figs = []
    for i, (caption, fig) in enumerate(plots.report_figures(result)):
        svg = plots.svg_inline(fig, salt=f"fig{i}")
        figs.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    assumptions = _assumptions(result, kind)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = [
        f"<header><h1>{esc(head)}</h1>"
        f'<p class="meta">Made by orbitkeep {esc(_version())} on {esc(now)}.</p></header>',
        '<section class="answer" aria-label="Answer">'
        f'<p class="lead">{esc(lead)}</p>{"".join(f"<p>{esc(x)}</p>" for x in more)}</section>',
        "<section><h2>Figures</h2>" + "".join(figs) + "</section>" if figs else "",
        "<section><h2>Inputs</h2>" + _inputs(result, kind, inputs) + "</section>"
        if kind != "batch" or inputs
        else "",
        "<section><h2>Assumptions</h2>"
        + (_ul(assumptions, "assumptions") if assumptions else "<p>None recorded.</p>")
        + "</section>",
        "<section><h2>Data sources</h2>" + _sources(result, kind, inputs) + "</section>"
        if kind != "batch"
        else "",
        "<footer>Times are UTC (ISO 8601). Altitudes are mean altitudes above the WGS-84 "
        "equatorial radius. This page is self-contained: it loads nothing.</footer>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(head)}</title><style>{CSS}</style></head>\n<body><main>\n"
        + "\n".join(b for b in body if b)
        + "\n</main></body></html>\n"
    )


__all__ = ["CSP", "esc", "linkify", "render_report", "station_facts"]
