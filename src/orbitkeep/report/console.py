"""Terminal output of the reentry and batch commands (rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from ..timescale import iso_utc

if TYPE_CHECKING:
    from ..catalog import CatalogResult
    from ..reentry import ReentryResult


def print_reentry(result: ReentryResult, console: Console | None = None) -> None:
    """The reentry window in a few lines."""
    con = console or Console()
    q = result.quantiles_s
    design = getattr(result, "design", None)
    if design is not None:
        orbit = (
            f"{design['perigee_alt_km']:g} km"
            if design["perigee_alt_km"] == design["apogee_alt_km"]
            else f"{design['perigee_alt_km']:g} x {design['apogee_alt_km']:g} km"
        )
        con.print(
            f"[bold]{result.name or 'Design orbit'}[/bold] ({orbit}, {design['incl_deg']:g} deg), "
            f"lifetime as of {iso_utc(result.prediction_epoch_s)}, {result.samples} samples, "
            f"seed {result.seed}"
        )
    else:
        name = f"NORAD {result.norad_id} {result.name or ''}".strip()
        con.print(
            f"[bold]{name}[/bold], predicted as of {iso_utc(result.prediction_epoch_s)} "
            f"(last TLE {iso_utc(result.tle_epoch_s)}), {result.samples} samples, "
            f"seed {result.seed}"
        )
    if q.get("p50") is None:
        con.print(
            f"Fewer than half the samples reenter within the horizon "
            f"({iso_utc(result.prediction_epoch_s + result.horizon_s)[:10]})."
        )
    table = Table(show_edge=False)
    table.add_column("")
    table.add_column("reentry (UTC)", justify="right")
    table.add_column("days from epoch", justify="right")
    for k in ("p05", "p50", "p95"):
        v = q.get(k)
        days = "-" if v is None else f"{(v - result.prediction_epoch_s) / 86400:.1f}"
        table.add_row(k, "beyond horizon" if v is None else iso_utc(v)[:16], days)
    con.print(table)
    failed = getattr(result, "status_counts", {}).get("failed", 0)
    if failed:
        con.print(
            f"Warning: {failed} of {result.samples} samples failed (their orbit or density "
            "went out of range) and count as not reentering; the window above is not a "
            "window of their reentries."
        )
    for note in result.notes:
        con.print(f"Note: {note}.")
    rules = getattr(result, "rules", None) or []
    if any(r["probability"] != 1.0 for r in rules):  # all 1: the window says it all
        con.print(lifetime_rules_line(rules))
    b_from = f" ({design['b_source']})" if design is not None else ""
    con.print(
        f"B = {result.b_m2_kg:.5f} ± {result.b_sigma_m2_kg:.5f} m^2/kg{b_from}; "
        f"space weather: {result.forecast['method']}."
    )
    if result.atmosphere:
        con.print(f"Density: {result.atmosphere}.")
    fc = result.forecast
    if "b_log_sigma" in fc:
        solar = fc["f107_log_sigma"] * fc["density_sensitivity_to_f107"]
        con.print(
            f"Spread (log sigma of the drag): B {fc['b_log_sigma']:.3f}, density model "
            f"{fc['density_model_log_sigma']:.3f}, Sun {solar:.3f} (F10.7 forecast "
            f"{fc['f107_log_sigma']:.3f} x NRLMSIS sensitivity "
            f"{fc['density_sensitivity_to_f107']:.2f} over the decay)."
        )


def lifetime_rules_line(rules: list[dict[str, Any]]) -> str:
    """One line on the lifetime rules (see :mod:`orbitkeep.window_reading`)."""
    from ..window_reading import COMPLIANCE_PROBABILITY

    parts = []
    for r in rules:
        y = f"{r['years']:g} years"
        if r["probability"] is None:
            parts.append(f"{y}: beyond the horizon")
        else:
            verdict = "met" if r["compliant"] else "not met"
            parts.append(f"{y}: {r['probability']:.0%}, {verdict}")
    return (
        "Lifetime rules (reentry within N years of the prediction epoch; met with "
        f"{COMPLIANCE_PROBABILITY:.0%} of the samples or more): " + "; ".join(parts) + "."
    )


def print_batch(result: CatalogResult, console: Console | None = None) -> None:
    """Counts and the first rows of a catalogue run."""
    con = console or Console()
    rows = result.rows
    table = Table(show_edge=False)
    for col in ("norad_id", "name", "mean_alt_km", "b_m2_kg", "reentry_utc", "status"):
        table.add_column(col)
    for r in rows[:40]:
        b = r.get("b_m2_kg")
        table.add_row(
            str(r["norad_id"]),
            str(r.get("name") or ""),
            f"{float(r['mean_alt_km']):.1f}",
            "-" if b in (None, "") else f"{float(b):.4f}",
            (r.get("reentry_utc") or "-")[:16],
            str(r["status"]),
        )
    con.print(table)
    j = result.to_json()
    con.print(
        f"{j['objects']} objects: {j['reentered']} reenter "
        + (
            f"by {j['until_utc'][:10]}"
            if j.get("until_utc")
            else f"within {result.horizon_years:g} years"
        )
        + (
            f" ({j['below_interface']} already below the interface at the last set)"
            if j.get("below_interface")
            else ""
        )
        + f", {j['failed']} failed"
        + (f"; written to {result.out}" if result.out else "")
    )
