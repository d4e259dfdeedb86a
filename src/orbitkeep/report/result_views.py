"""Results read duck-typed for the figures and the report page: what kind a result is,
its label, its mean-altitude series, batch rows and lifetimes (see
:mod:`orbitkeep.report.plots` for the attributes each kind is read by)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..constants import R_EQUATOR_M
from ..timescale import parse_utc


def tex_safe(text: object) -> str:
    """``text`` with ``$`` escaped, so matplotlib never reads user text as mathtext."""
    return str(text).replace("$", r"\$")


def dates(t_s: ArrayLike) -> NDArray[np.datetime64]:
    """Unix seconds to datetime64[ms] (what matplotlib's date axis takes)."""
    t = np.asarray(t_s, dtype=float)
    return (np.round(t * 1000.0)).astype("int64").astype("datetime64[ms]")


def date64(t_s: float) -> np.datetime64:
    """One epoch (Unix s) as datetime64[ms]."""
    return dates([t_s])[0]


def utc_s_or_none(x: object) -> float | None:
    """Unix seconds from an ISO string or a number; None for anything else."""
    if isinstance(x, int | float) and math.isfinite(x):
        return float(x)
    if isinstance(x, str):
        try:
            return parse_utc(x)
        except Exception:
            return None
    return None


def kind_of(result: Any) -> str:
    """'decay', 'reentry', 'scenario', 'scenarios' (a mapping of name to scenario) or 'batch'."""
    if (
        isinstance(result, Mapping)
        and result
        and all(hasattr(v, "annual") for v in result.values())
    ):
        return "scenarios"
    if hasattr(result, "quantiles_s") and hasattr(result, "reentry_s"):
        return "reentry"
    if hasattr(result, "annual") and hasattr(result, "scenario"):
        return "scenario"
    if hasattr(result, "trajectory") and hasattr(result, "norad_id"):
        return "decay"
    if lifetimes_days(result) is not None:
        return "batch"
    raise TypeError(f"not an orbitkeep result: {type(result).__name__}")


def object_label(result: Any) -> str:
    """'NORAD 25544 ISS (ZARYA)' (what is known of the object)."""
    nid, name = getattr(result, "norad_id", None), getattr(result, "name", None)
    if getattr(result, "design", None) is not None:
        return str(name or "design orbit")
    parts = [f"NORAD {nid}" if nid is not None else "", str(name or "")]
    return " ".join(p for p in parts if p) or "object"


def altitude_series(result: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]] | None:
    """(t_s, mean altitude km) of a result, or None when it records no series."""
    traj = getattr(result, "trajectory", None)
    if traj is None:
        nominal = getattr(result, "nominal", None)
        traj = getattr(nominal, "trajectory", nominal)
    if traj is not None and hasattr(traj, "t_s"):
        t = np.asarray(traj.t_s, dtype=float)
        if hasattr(traj, "sma_m"):
            alt = (np.asarray(traj.sma_m, dtype=float) - R_EQUATOR_M) / 1e3
        else:
            alt = np.asarray(traj.mean_alt_m, dtype=float) / 1e3
        return (t, alt) if t.size else None
    series = getattr(result, "series", None)
    if series is None:
        series = (getattr(result, "details", None) or {}).get("series")
    if isinstance(series, Mapping) and "t_s" in series:
        t = np.asarray(series["t_s"], dtype=float)
        if "mean_alt_km" in series:
            return t, np.asarray(series["mean_alt_km"], dtype=float)
        if "sma_m" in series:
            return t, (np.asarray(series["sma_m"], dtype=float) - R_EQUATOR_M) / 1e3
    return None


def batch_rows(result: Any, *, failed: bool = False) -> list[dict[str, Any]] | None:
    """The per-object rows of a batch result (``rows``, or ``to_json()["rows"]`` /
    ``["results"]``), failed objects only if ``failed``; None when it is not a batch."""
    rows = getattr(result, "rows", None)
    if rows is None and hasattr(result, "to_json") and not hasattr(result, "trajectory"):
        try:
            doc = result.to_json()
            rows = doc.get("rows", doc.get("results"))
        except Exception:
            rows = None
    if not (isinstance(rows, list) and rows and all(isinstance(r, Mapping) for r in rows)):
        return None
    return [dict(r) for r in rows if failed or not str(r.get("status", "")).startswith("failed")]


def lifetimes_days(result: Any) -> NDArray[np.float64] | None:
    """Per-object lifetimes (days; NaN: still up at the horizon) of a batch result, or
    None when it is not one."""
    for name in ("lifetimes_days", "lifetime_days"):
        v = getattr(result, name, None)
        if v is not None:
            return np.asarray(v, dtype=float)
    rows = batch_rows(result)
    if rows is not None:
        return np.array([num_or_nan(r.get("lifetime_days")) for r in rows], dtype=float)
    if isinstance(result, np.ndarray | list | tuple) and all(
        isinstance(x, int | float | np.number) or x is None for x in result
    ):
        return np.array([num_or_nan(x) for x in result], dtype=float)
    return None


def num_or_nan(x: object) -> float:
    return float(x) if isinstance(x, int | float | np.number) else math.nan
