"""Plots of orbitkeep results (matplotlib, no pyplot: no global state, no GUI backend).

Each function takes a result object and returns a :class:`matplotlib.figure.Figure`;
:func:`render` turns a figure into PNG or SVG bytes (SVG text as paths, so the file needs
no fonts). Results are read duck-typed, so a stand-in with the same attributes works:

- decay (``DecayResult``): ``trajectory`` (``t_s``, ``sma_m``, ``ecc``), ``reentry_s``,
  ``interface_alt_m``, ``norad_id``, ``name``;
- reentry (``ReentryResult``): ``reentry_s`` (per sample, NaN if it stayed up),
  ``quantiles_s`` (p05/p50/p95), ``prediction_epoch_s``, optional ``nominal.trajectory``;
- scenario (``ScenarioResult``): ``annual`` (``by_vehicle`` Δv per year), ``events``
  (burns, partner exits), ``reentry_utc`` (p05/p50/p95), ``details["band_km"]`` and, when
  the scenario records it, an altitude series (``trajectory`` or ``series``);
- batch: per-object lifetimes in days (an array, or ``lifetimes_days`` /
  ``lifetime_days`` / ``to_json()["results"][i]["lifetime_days"]``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from ..constants import DAY_S, R_EQUATOR_M
from ..timescale import iso_utc
from .result_views import (
    altitude_series,
    date64,
    dates,
    kind_of,
    lifetimes_days,
    object_label,
    tex_safe,
    utc_s_or_none,
)

FIGSIZE = (8.0, 4.2)
#: Colours (Okabe-Ito, readable by colour-blind readers) in a fixed order per vehicle.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
UNCOVERED = "#C0392B"
BURN_KINDS = {"reboost": "^", "debris_avoidance": "v", "deorbit": "X"}


def _new_figure(rows: int = 1, height: float | None = None) -> tuple[Figure, list[Any]]:
    fig = Figure(figsize=(FIGSIZE[0], height or FIGSIZE[1] * rows), layout="constrained")
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    for ax in axes:
        ax.grid(True, alpha=0.3, linewidth=0.6)
        ax.spines[["top", "right"]].set_visible(False)
    return fig, list(axes)


def _note(ax: Any, text: str) -> None:
    ax.text(0.5, 0.5, tex_safe(text), transform=ax.transAxes, ha="center", va="center", color="0.4")


def _vline(ax: Any, t_s: float, label: str, **kw: Any) -> None:
    ax.axvline(date64(t_s), label=tex_safe(label), **kw)


def _window(ax: Any, q: Mapping[str, Any], what: str) -> None:
    """Shade p05..p95, line at p50 (values: Unix s, ISO strings or None)."""
    lo, mid, hi = (utc_s_or_none(q.get(k)) for k in ("p05", "p50", "p95"))
    if lo is not None and hi is not None:
        ax.axvspan(
            date64(lo),
            date64(hi),
            color="#D55E00",
            alpha=0.15,
            label=f"{what} 90% window {iso_utc(lo)[:10]} to {iso_utc(hi)[:10]}",
        )
    if mid is not None:
        _vline(ax, mid, f"{what} median {iso_utc(mid)[:10]}", color="#D55E00", linewidth=1.5)


# ----------------------------------------------------------------------------- figures
def altitude_figure(result: Any, *, title: str | None = None, ax: Any = None) -> Figure:
    """Mean altitude against time, with reboost burns, partner exits and the reentry
    (date, or p05-p95 window with the median) marked."""
    fig = None
    if ax is None:
        fig, (ax,) = _new_figure()
    kind = kind_of(result)
    series = altitude_series(result)
    if series is not None:
        t, alt = series
        ax.plot(dates(t), alt, color="#0072B2", linewidth=1.2, label="mean altitude")
        traj: Any = getattr(result, "trajectory", None)
        ecc = getattr(traj, "ecc", None)
        sma = getattr(traj, "sma_m", None)
        if ecc is not None and sma is not None and np.size(ecc) == t.size and np.max(ecc) > 2e-3:
            a = np.asarray(sma, dtype=float)
            e = np.asarray(ecc, dtype=float)
            ax.fill_between(
                dates(t),
                (a * (1 - e) - R_EQUATOR_M) / 1e3,
                (a * (1 + e) - R_EQUATOR_M) / 1e3,
                color="#0072B2",
                alpha=0.12,
                linewidth=0,
                label="perigee to apogee",
            )
    if kind == "decay":
        r = getattr(result, "reentry_s", None)
        if r is not None:
            _vline(ax, r, f"reentry {iso_utc(r)[:10]}", color="#D55E00", linewidth=1.5)
        ia = getattr(result, "interface_alt_m", None)
        if ia is not None and r is not None:
            ax.axhline(ia / 1e3, color="0.5", linestyle=":", linewidth=1, label="interface")
    elif kind == "reentry":
        q = getattr(result, "quantiles_s", {}) or {}
        _window(ax, q, "reentry")
    elif kind == "scenario":
        _scenario_marks(ax, result)
    if series is None:
        ax.text(
            0.01,
            0.98,
            "no altitude series in this result: events only",
            transform=ax.transAxes,
            fontsize="small",
            color="0.4",
            va="top",
        )
    ax.set_ylabel("mean altitude, km")
    ax.set_xlabel("date (UTC)")
    who = result.scenario if kind == "scenario" else object_label(result)
    ax.set_title(tex_safe(title or f"{who}: mean altitude"), loc="left")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize="small", loc="best", framealpha=0.9)
    return fig if fig is not None else ax.figure


def has_burns(result: Any) -> bool:
    """True when a scenario flew any burn (its Δv per year is not all zero)."""
    return any(float(a.get("dv_m_s") or 0.0) > 0 for a in getattr(result, "annual", None) or [])


def _scenario_marks(ax: Any, result: Any) -> None:
    band = (getattr(result, "details", None) or {}).get("band_km")
    if isinstance(band, Sequence) and len(band) == 2 and has_burns(result):
        ax.axhspan(float(band[0]), float(band[1]), color="0.85", alpha=0.5, label="altitude band")
    start = utc_s_or_none(getattr(result, "start_utc", None))
    if start is not None and altitude_series(result) is None:
        # no series to set the span: from the start to the last dated mark
        times = [utc_s_or_none(e.get("utc")) for e in getattr(result, "events", None) or []]
        q = getattr(result, "reentry_utc", None) or {}
        times += [utc_s_or_none(v) for v in q.values()] if isinstance(q, Mapping) else []
        end = max([t for t in times if t is not None] + [start + DAY_S])
        pad = 0.02 * (end - start)
        ax.set_xlim(date64(start - pad), date64(end + pad))
    seen: set[str] = set()
    for ev in getattr(result, "events", None) or []:
        kind = str(ev.get("kind", ""))
        t = utc_s_or_none(ev.get("utc"))
        if t is None:
            continue
        if kind in BURN_KINDS and ev.get("alt_before_km") is not None:
            label = kind.replace("_", " ") + " burn"
            ax.plot(
                [date64(t)],
                [float(ev["alt_before_km"])],
                marker=BURN_KINDS[kind],
                color="#009E73" if kind == "reboost" else "#CC79A7",
                linestyle="none",
                markersize=6,
                label=label if label not in seen else None,
            )
            seen.add(label)
        elif kind == "partner_exit":
            _vline(
                ax,
                t,
                f"{ev.get('partner', 'partner')} leaves {iso_utc(t)[:10]}",
                color="#E69F00",
                linestyle="--",
                linewidth=1.5,
            )
        elif kind == "capacity_ran_out":
            _vline(ax, t, f"capacity runs out {iso_utc(t)[:10]}", color=UNCOVERED, linestyle=":")
    q = getattr(result, "reentry_utc", None)
    if isinstance(q, Mapping):
        _window(ax, q, "final burn" if "deorbit" in str(result.scenario) else "reentry")


def reentry_histogram_figure(result: Any, *, title: str | None = None) -> Figure:
    """The distribution of reentry dates of a Monte Carlo run, with p05/p50/p95 marked."""
    fig, (ax,) = _new_figure()
    r = np.asarray(result.reentry_s, dtype=float)
    ok = r[np.isfinite(r)]
    n, stay = r.size, int(r.size - ok.size)
    if ok.size:
        bins = int(min(60, max(10, math.sqrt(ok.size))))
        lo, hi = float(ok.min()), float(ok.max())
        if hi - lo < DAY_S:
            lo, hi = lo - DAY_S, hi + DAY_S
        edges = np.linspace(lo, hi, bins + 1)
        ax.hist(dates(ok), bins=dates(edges), color="#56B4E9", edgecolor="white", linewidth=0.4)
        q = getattr(result, "quantiles_s", {}) or {}
        for key, style in (("p05", ":"), ("p50", "-"), ("p95", ":")):
            v = utc_s_or_none(q.get(key))
            if v is not None:
                _vline(ax, v, f"{key} {iso_utc(v)[:10]}", color="#D55E00", linestyle=style)
        ax.legend(fontsize="small", loc="best", framealpha=0.9)
    else:
        _note(ax, "no sample reentered within the horizon")
    ax.set_xlabel("reentry date (UTC)")
    ax.set_ylabel("samples")
    sub = f"{n} samples" + (f", {stay} still in orbit at the horizon" if stay else "")
    ax.set_title(tex_safe(title or f"{object_label(result)}: reentry date ({sub})"), loc="left")
    return fig


def _vehicle_order(annual: Iterable[Mapping[str, Any]]) -> list[str]:
    names: dict[str, None] = {}
    for a in annual:
        for k in a.get("by_vehicle") or {}:
            if k != "uncovered":
                names[k] = None
    out = list(names)
    if any("uncovered" in (a.get("by_vehicle") or {}) for a in annual):
        out.append("uncovered")
    return out


def dv_by_vehicle_figure(result: Any, *, title: str | None = None, ax: Any = None) -> Figure:
    """Δv per year by vehicle (stacked bars; what no vehicle could deliver in red)."""
    fig = None
    if ax is None:
        fig, (ax,) = _new_figure()
    ax.grid(False, axis="x")
    annual = list(getattr(result, "annual", None) or [])
    if not annual:
        _note(ax, "no annual Δv in this result")
    names = _vehicle_order(annual)
    x = np.arange(len(annual))
    bottom = np.zeros(len(annual))
    for i, name in enumerate(names):
        v = np.array([float((a.get("by_vehicle") or {}).get(name, 0.0)) for a in annual])
        unc = name == "uncovered"
        ax.bar(
            x,
            v,
            bottom=bottom,
            color=UNCOVERED if unc else PALETTE[i % len(PALETTE)],
            hatch="//" if unc else None,
            edgecolor="white",
            linewidth=0.5,
            label=tex_safe("not covered (shortfall)" if unc else name.replace("_", " ")),
        )
        bottom += v
    for xi, total in zip(x, bottom, strict=True):
        if total > 0:
            ax.annotate(f"{total:.1f}", (xi, total), ha="center", va="bottom", fontsize="small")
    labels = [
        f"year {a.get('year', i + 1)}\n{str(a.get('from_utc', ''))[:7]}"
        for i, a in enumerate(annual)
    ]
    ax.set_xticks(x, labels, fontsize="small")
    ax.set_ylabel("Δv, m/s")
    ax.set_title(
        tex_safe(title or f"{getattr(result, 'scenario', 'scenario')}: Δv per year by vehicle"),
        loc="left",
    )
    if names:
        ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    return fig if fig is not None else ax.figure


def lifetimes_figure(result: Any, *, title: str | None = None) -> Figure:
    """Histogram of batch lifetimes (objects still up at the horizon are counted apart)."""
    life = lifetimes_days(result)
    if life is None:
        raise TypeError("no lifetimes in this result")
    fig, (ax,) = _new_figure()
    ok = life[np.isfinite(life)]
    years = ok.size > 0 and float(np.max(ok)) > 730
    vals = ok / 365.25 if years else ok
    if vals.size:
        bins = int(min(60, max(10, math.sqrt(vals.size))))
        ax.hist(vals, bins=bins, color="#009E73", edgecolor="white", linewidth=0.4)
        med = float(np.median(vals))
        ax.axvline(med, color="#D55E00", label=f"median {med:.3g} {'years' if years else 'days'}")
        ax.legend(fontsize="small")
    else:
        _note(ax, "no object reentered within the horizon")
    ax.set_xlabel("lifetime, years" if years else "lifetime, days")
    ax.set_ylabel("objects")
    stay = int(life.size - ok.size)
    sub = f"{life.size} objects" + (f", {stay} still in orbit at the horizon" if stay else "")
    ax.set_title(tex_safe(title or f"Orbital lifetimes ({sub})"), loc="left")
    return fig


def scenario_figure(result: Any, *, title: str | None = None) -> Figure:
    """A scenario on one page: altitude with events on top, Δv per year by vehicle below."""
    if not has_burns(result):  # free decay: nothing to show below
        return altitude_figure(result, title=title)
    fig, (top, bottom) = _new_figure(2, height=7.6)
    altitude_figure(result, ax=top, title=title or f"{result.scenario}: mean altitude")
    dv_by_vehicle_figure(result, ax=bottom)
    return fig


def scenarios_figure(results: Mapping[str, Any]) -> Figure:
    """Several scenarios: Δv per year by vehicle, one panel each."""
    fig, axes = _new_figure(len(results), height=3.2 * len(results))
    for ax, (name, r) in zip(axes, results.items(), strict=True):
        dv_by_vehicle_figure(r, ax=ax, title=f"{name}: Δv per year by vehicle")
    return fig


def default_figure(result: Any, *, title: str | None = None) -> Figure:
    """The figure ``--plot`` writes for a result of any kind."""
    kind = kind_of(result)
    if kind == "decay":
        return altitude_figure(result, title=title)
    if kind == "reentry":
        return reentry_histogram_figure(result, title=title)
    if kind == "scenario":
        return scenario_figure(result, title=title)
    if kind == "scenarios":
        return scenarios_figure(result)
    return lifetimes_figure(result, title=title)


def report_figures(result: Any) -> list[tuple[str, Figure]]:
    """(caption, figure) pairs for the HTML report of a result."""
    kind = kind_of(result)
    if kind == "decay":
        return [("Mean altitude (a − R_eq) of the mean orbit.", altitude_figure(result))]
    if kind == "reentry":
        out = [
            (
                "Reentry dates of the Monte Carlo samples; dotted lines: 5th and 95th "
                "percentiles, solid: median.",
                reentry_histogram_figure(result),
            )
        ]
        if altitude_series(result) is not None:
            out.append(("Nominal run: mean altitude.", altitude_figure(result)))
        return out
    if kind in ("scenario", "scenarios"):
        items = [("", result)] if kind == "scenario" else list(result.items())
        out = []
        for name, r in items:
            pre = f"{name}: " if name else ""
            out.append(
                (
                    f"{pre}mean altitude with burns, partner exits and the reentry window.",
                    altitude_figure(r, title=f"{name or r.scenario}: mean altitude"),
                )
            )
            if has_burns(r):
                fig = dv_by_vehicle_figure(r, title=f"{name or r.scenario}: Δv per year by vehicle")
                out.append((f"{pre}Δv per year by vehicle.", fig))
        return out
    return [("Lifetimes of the objects of the batch.", lifetimes_figure(result))]


def render(fig: Figure, fmt: str, *, salt: str = "orbitkeep") -> bytes:
    """The figure as PNG (150 dpi) or SVG bytes (text as paths: no fonts needed).

    ``salt`` makes the SVG's element ids unique when several figures share one page.
    """
    import matplotlib

    fmt = fmt.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ValueError(f"unsupported plot format {fmt!r}")
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "path", "svg.hashsalt": salt}):
        fig.savefig(buf, format=fmt, dpi=150, metadata=_metadata(fmt))
    return buf.getvalue()


def _metadata(fmt: str) -> dict[str, Any]:
    # no creation date, so the same result gives the same file
    return {"Date": None} if fmt == "svg" else {"Software": "orbitkeep (matplotlib)"}


def svg_inline(fig: Figure, *, salt: str) -> str:
    """The figure as an ``<svg>`` element for inline use in HTML (no XML prolog)."""
    text = render(fig, "svg", salt=salt).decode("utf-8")
    return text[text.index("<svg") :]


__all__ = [
    "altitude_figure",
    "default_figure",
    "dv_by_vehicle_figure",
    "kind_of",
    "lifetimes_figure",
    "reentry_histogram_figure",
    "render",
    "report_figures",
    "scenario_figure",
    "svg_inline",
]
