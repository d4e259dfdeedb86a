"""The ``--report FILE.html`` page: one self-contained file, answer first.

Order: the answer in plain words, the figures (inline SVG), the inputs, the assumptions,
and every data source (TLE file and epoch, space-weather file and the sections of it the
run used, station facts with their sources). Nothing is loaded from elsewhere: CSS is
inline, there is no script, SVG text is drawn as paths (no fonts), and a
Content-Security-Policy forbids any fetch. All text that comes from a file, a result or
the user goes through :func:`html.escape`; links are made only of http(s) URLs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from . import plots, result_views
from .html_parts import bullet_list, esc, linkify
from .html_sections import (
    answer_batch,
    answer_decay,
    answer_reentry,
    answer_scenario,
    answer_scenarios,
    assumptions_of,
    inputs_of,
    sources_of,
    station_facts,
)

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


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("orbitkeep")
    except Exception:
        return "dev"


def _title(r: Any, kind: str) -> str:
    if kind == "decay":
        return f"Free decay of {result_views.object_label(r)}"
    if kind == "reentry":
        return f"Reentry window of {result_views.object_label(r)}"
    if kind == "scenario":
        return f"ISS scenario: {r.scenario}"
    if kind == "scenarios":
        return "ISS scenarios: " + ", ".join(str(k) for k in r)
    return "Orbital lifetimes of a batch"


def render_report(
    result: Any, *, inputs: Mapping[str, Any] | None = None, title: str | None = None
) -> str:
    """The report page of ``result`` (see the module docstring) as a string."""
    kind = result_views.kind_of(result)
    head = title or _title(result, kind)
    lead, more = {
        "decay": answer_decay,
        "reentry": answer_reentry,
        "scenario": answer_scenario,
        "scenarios": answer_scenarios,
        "batch": answer_batch,
    }[kind](result)
    figs = []
    for i, (caption, fig) in enumerate(plots.report_figures(result)):
        svg = plots.svg_inline(fig, salt=f"fig{i}")
        figs.append(f"<figure>{svg}<figcaption>{esc(caption)}</figcaption></figure>")
    assumptions = assumptions_of(result, kind)
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    body = [
        f"<header><h1>{esc(head)}</h1>"
        f'<p class="meta">Made by orbitkeep {esc(_version())} on {esc(now)}.</p></header>',
        '<section class="answer" aria-label="Answer">'
        f'<p class="lead">{esc(lead)}</p>{"".join(f"<p>{esc(x)}</p>" for x in more)}</section>',
        "<section><h2>Figures</h2>" + "".join(figs) + "</section>" if figs else "",
        "<section><h2>Inputs</h2>" + inputs_of(result, kind, inputs) + "</section>"
        if kind != "batch" or inputs
        else "",
        "<section><h2>Assumptions</h2>"
        + (bullet_list(assumptions, "assumptions") if assumptions else "<p>None recorded.</p>")
        + "</section>",
        "<section><h2>Data sources</h2>" + sources_of(result, kind, inputs) + "</section>"
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
